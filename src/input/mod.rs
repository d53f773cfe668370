//! Reading inputs: files or stdin, gzip-compressed or not, in any of the
//! shapes `parse` accepts (JSON array, NDJSON, single LogEvent, event-hook
//! envelopes, capture files), streamed value by value into a [`Sink`].
//!
//! Damaged values are reported with file, line and column and skipped (or,
//! with `strict`, stop the run); events of other types are counted and
//! skipped.

pub mod decode;
pub mod framer;
pub mod parallel;

use crate::diag::Diag;
use crate::exit::Failure;
use crate::output::Sink;
use crate::record::{Record, SMS_EVENT_TYPE};
use anyhow::{Context, Result};
use framer::{Frame, Limits, Position, frame_stream};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Which event types become records.
#[derive(Debug, Clone)]
pub struct EventTypeFilter {
    types: Vec<String>,
}

impl EventTypeFilter {
    /// `--event-type` values; empty means the SMS card's event type, and
    /// `all` (or `*`) accepts every type.
    pub fn new(types: &[String]) -> Self {
        let types = if types.is_empty() {
            vec![SMS_EVENT_TYPE.to_string()]
        } else {
            types.to_vec()
        };
        EventTypeFilter { types }
    }

    pub fn accepts_all(&self) -> bool {
        self.types.iter().any(|t| t == "all" || t == "*")
    }

    pub fn accepts(&self, event_type: Option<&str>) -> bool {
        self.accepts_all() || event_type.is_some_and(|t| self.types.iter().any(|want| want == t))
    }

    /// The accepted types (for the API filter), or `None` for all.
    pub fn types(&self) -> Option<&[String]> {
        if self.accepts_all() {
            None
        } else {
            Some(&self.types)
        }
    }
}

/// Settings for one reading run.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub strict: bool,
    pub event_types: EventTypeFilter,
    /// The largest record in bytes (`--max-record-size`); larger ones are
    /// reported and skipped. [`framer::DEFAULT_MAX_RECORD`] unless given.
    pub max_record: usize,
}

/// What a reading run saw.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReadStats {
    pub records: u64,
    pub other_types: u64,
    pub bad: u64,
    pub bytes: u64,
}

/// The name of an input in messages: its path, or `<stdin>`.
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Opens a path (or `-` for stdin), transparently decompressing gzip.
pub fn open(path: &Path) -> Result<Box<dyn Read>> {
    let raw: Box<dyn Read> = if path == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(Failure::usage(format!(
                "{} is a directory; give the files inside it",
                path.display()
            ))
            .into());
        }
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let head = reader
        .fill_buf()
        .with_context(|| format!("cannot read {}", display_name(path)))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(reader)))
    } else {
        Ok(Box::new(reader))
    }
}

/// Opens an input; a file that cannot be opened is reported and counted as
/// bad input (`Ok(None)`) unless `strict` or the mistake is a usage error.
pub(crate) fn open_or_report(
    path: &Path,
    strict: bool,
    diag: &Diag,
    stats: &mut ReadStats,
) -> Result<Option<Box<dyn Read>>> {
    match open(path) {
        Ok(reader) => Ok(Some(reader)),
        Err(e) if strict || crate::exit::code_for(&e) == crate::exit::ExitCode::Usage => Err(e),
        Err(e) => {
            diag.error(&format!("{e:#}"));
            stats.bad += 1;
            Ok(None)
        }
    }
}

/// The message for an input that failed part-way (a corrupt gzip stream,
/// an I/O error). Every complete record read before the error was framed
/// and kept (see [`frame_stream`]); a record cut by the error is lost.
pub(crate) fn read_failure(name: &str, err: &io::Error) -> String {
    format!(
        "{name}: cannot read further: {err} (the complete records before this point were kept; a record cut off by it was not)"
    )
}

enum StreamError {
    Read(io::Error),
    Stop(anyhow::Error),
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> Self {
        StreamError::Read(e)
    }
}

/// Reads every input in order into `sink`. Bad records are reported through
/// `diag` and counted; the caller turns a non-zero `bad` into exit code 6.
pub fn read_inputs(
    paths: &[PathBuf],
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    diag: &Diag,
) -> Result<ReadStats> {
    let mut stats = ReadStats::default();
    for path in paths {
        let name = display_name(path);
        let Some(reader) = open_or_report(path, opts.strict, diag, &mut stats)? else {
            continue;
        };
        read_one(reader, &name, opts, sink, diag, &mut stats)?;
    }
    Ok(stats)
}

/// Reads one already opened input into `sink`.
pub fn read_one(
    reader: impl Read,
    name: &str,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    diag: &Diag,
    stats: &mut ReadStats,
) -> Result<()> {
    let limits = Limits::with_max_record(opts.max_record);
    let result = frame_stream(reader, limits, |frame| {
        match frame {
            Frame::Bad(pos, message) => report_bad(name, pos, 1, 1, &message, opts, diag, stats),
            Frame::Flaw(pos, message) => report_flaw(name, pos, &message, opts, diag, stats),
            Frame::Value(bytes, pos) => decode_frame(bytes, pos, name, opts, sink, diag, stats),
        }
        .map_err(StreamError::Stop)
    });
    match result {
        Ok(summary) => {
            stats.bytes += summary.bytes;
            Ok(())
        }
        Err(StreamError::Stop(e)) => Err(e),
        Err(StreamError::Read(e)) => {
            let message = read_failure(name, &e);
            if opts.strict {
                return Err(Failure::bad_input(message).into());
            }
            diag.error(&message);
            stats.bad += 1;
            Ok(())
        }
    }
}

/// Reports malformed input that cost no record (see [`Frame::Flaw`]).
fn report_flaw(
    name: &str,
    pos: Position,
    message: &str,
    opts: &ReadOptions,
    diag: &Diag,
    stats: &mut ReadStats,
) -> Result<()> {
    stats.bad += 1;
    let location = format!("{name}:{}:{}", pos.line, pos.column);
    if opts.strict {
        return Err(
            Failure::bad_input(format!("{location}: {message} (stopped: --strict)")).into(),
        );
    }
    diag.error(&format!("{location}: {message}"));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn report_bad(
    name: &str,
    pos: Position,
    rel_line: usize,
    rel_column: usize,
    message: &str,
    opts: &ReadOptions,
    diag: &Diag,
    stats: &mut ReadStats,
) -> Result<()> {
    stats.bad += 1;
    let line = pos.line + rel_line.saturating_sub(1) as u64;
    let column = match (rel_line, rel_column) {
        (_, 0) => None,
        (1, c) => Some(pos.column + c as u64 - 1),
        (_, c) => Some(c as u64),
    };
    let location = match column {
        Some(c) => format!("{name}:{line}:{c}"),
        None => format!("{name}:{line}"),
    };
    if opts.strict {
        return Err(
            Failure::bad_input(format!("{location}: {message} (stopped: --strict)")).into(),
        );
    }
    diag.error(&format!("{location}: {message}; record skipped"));
    Ok(())
}

/// Decodes one JSON value into `sink`, keeping the accepted event types and
/// counting the others; returns the parts that could not be used.
pub fn decode_into(
    text: &str,
    filter: &EventTypeFilter,
    sink: &mut dyn Sink,
    stats: &mut ReadStats,
) -> Result<Vec<decode::BadValue>> {
    let mut bads = Vec::new();
    decode::decode(
        text,
        &mut |record: Record<'_>| {
            if filter.accepts(record.event_type.as_deref()) {
                stats.records += 1;
                sink.record(&record)
            } else {
                stats.other_types += 1;
                Ok(())
            }
        },
        &mut |bad| bads.push(bad),
    )?;
    Ok(bads)
}

pub(crate) fn decode_frame(
    bytes: &[u8],
    pos: Position,
    name: &str,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    diag: &Diag,
    stats: &mut ReadStats,
) -> Result<()> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let rel_line = memchr::memchr_iter(b'\n', valid).count() + 1;
            let rel_column = match memchr::memrchr(b'\n', valid) {
                Some(nl) => valid.len() - nl,
                None => valid.len() + 1,
            };
            let offset = pos.offset + e.valid_up_to() as u64;
            let message = format!(
                "invalid UTF-8 at byte offset {offset}; Okta exports are UTF-8, re-encode the file"
            );
            return report_bad(name, pos, rel_line, rel_column, &message, opts, diag, stats);
        }
    };
    for bad in decode_into(text, &opts.event_types, sink, stats)? {
        report_bad(
            name,
            pos,
            bad.line,
            bad.column,
            &bad.message,
            opts,
            diag,
            stats,
        )?;
    }
    Ok(())
}
