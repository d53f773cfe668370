//! Reading inputs: files or stdin, gzip-compressed or not, UTF-8 or UTF-16,
//! JSON or the Admin Console's CSV, in any of the shapes `parse` accepts
//! (JSON array, NDJSON, single LogEvent, event-hook envelopes, capture files,
//! wrappers), streamed value by value into a [`Sink`].
//!
//! Damaged values are reported with file, line and column and skipped (or,
//! with `strict`, stop the run); JSON that is not Okta data is bad input;
//! LogEvents of other types are counted and skipped; an event whose `uuid`
//! was already read in this run is dropped and counted ([`UuidSet`]).

pub mod canonical;
pub mod csv_export;
pub mod decode;
mod fastwalk;
pub mod framer;
pub mod packed;
pub mod parallel;
pub mod prefilter;
pub mod unwrap;

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
    prefilter: prefilter::Prefilter,
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
        let mut filter = EventTypeFilter {
            types,
            prefilter: prefilter::Prefilter::new(None),
        };
        filter.prefilter = prefilter::Prefilter::new(filter.types());
        filter
    }

    /// True when `record` is certainly one LogEvent of a type this filter
    /// does not accept ([`prefilter`]), so it need not be parsed.
    pub fn rules_out(&self, record: &[u8]) -> bool {
        self.prefilter.is_other_type(record)
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
    /// Keep every copy of an event read twice (`--keep-duplicates`).
    pub keep_duplicates: bool,
    /// The largest record in bytes (`--max-record-size`); larger ones are
    /// reported and skipped. [`framer::DEFAULT_MAX_RECORD`] unless given.
    pub max_record: usize,
}

impl ReadOptions {
    /// How `fetch` and `watch` read the System Log API's pages: lenient,
    /// every copy kept (the API side drops the events a page boundary
    /// repeats, by uuid), the default record-size limit.
    pub fn api_pages(event_types: EventTypeFilter) -> ReadOptions {
        ReadOptions {
            strict: false,
            event_types,
            keep_duplicates: true,
            max_record: framer::DEFAULT_MAX_RECORD,
        }
    }
}

/// What a reading run saw.
#[derive(Debug, Default, Clone)]
pub struct ReadStats {
    /// Records written (accepted types, duplicates not counted).
    pub records: u64,
    /// LogEvents of other event types, skipped.
    pub other_types: u64,
    /// Bad records (and inputs that could not be read).
    pub bad: u64,
    /// Warnings: records used with a field left absent.
    pub warnings: u64,
    /// Bytes read (after decompression).
    pub bytes: u64,
    /// JSON values framed (whatever they held).
    pub values: u64,
    /// LogEvents found, of any type (inside wrappers too).
    pub log_events: u64,
    /// Events dropped because their `uuid` was read before in this run.
    pub duplicates: u64,
    /// Wrappers found (their path, e.g. `detail`) and the events they held.
    pub wrappers: Vec<(String, u64)>,
}

impl ReadStats {
    /// Adds another run's (or worker's) figures.
    pub fn add(&mut self, other: &ReadStats) {
        self.records += other.records;
        self.other_types += other.other_types;
        self.bad += other.bad;
        self.warnings += other.warnings;
        self.bytes += other.bytes;
        self.values += other.values;
        self.log_events += other.log_events;
        self.duplicates += other.duplicates;
        for (path, n) in &other.wrappers {
            self.add_wrapper(path, *n);
        }
    }

    fn add_wrapper(&mut self, path: &str, events: u64) {
        if let Some((_, n)) = self.wrappers.iter_mut().find(|(p, _)| p == path) {
            *n += events;
        } else if self.wrappers.len() < 32 {
            self.wrappers.push((path.to_string(), events));
        }
    }

    /// The end-of-run notes every reading command gives: duplicates dropped
    /// (a note), wrappers found (verbose), other event types (verbose), and
    /// input that held no LogEvent at all (an error, counted as bad).
    pub fn report(&mut self, diag: &Diag) {
        for (path, n) in &self.wrappers {
            diag.verbose(&format!(
                "found {n} event(s) inside the wrapper field `{path}`"
            ));
        }
        if self.duplicates > 0 {
            diag.note(&format!(
                "{} duplicate event(s) (same uuid) dropped; --keep-duplicates keeps them",
                self.duplicates
            ));
        }
        if self.other_types > 0 {
            diag.verbose(&format!(
                "skipped {} LogEvents of other event types (see --event-type)",
                self.other_types
            ));
        }
        if self.values > 0 && self.log_events == 0 {
            diag.error(&format!(
                "read {} record(s), none was an Okta LogEvent",
                self.values
            ));
            self.bad = self.bad.max(1);
        }
    }
}

/// The `uuid`s of the events read so far in one run, to drop an event read
/// twice (overlapping exports, a retried page, a re-delivered hook).
///
/// Holds a 64-bit hash per distinct event: about 9 bytes of table per entry,
/// 10 to 21 bytes with the hash table's spare room. Two different uuids
/// share a hash with odds of about n²/2⁶⁵ (1 in 370,000 for 10 million
/// events), in which case the second is dropped as a duplicate.
#[derive(Debug, Default)]
pub struct UuidSet {
    seen: std::collections::HashSet<u64, BuildUuidHasher>,
}

type BuildUuidHasher = std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

impl UuidSet {
    /// The key of a record: the hash of its LogEvent `uuid`, `None` without one.
    pub fn key(record: &Record<'_>) -> Option<u64> {
        use std::hash::{BuildHasher, Hasher};
        let uuid = record.event_id.as_deref()?;
        // UUIDs are not case-sensitive (RFC 9562 §4): hash them lower-cased.
        let mut h = BuildUuidHasher::default().build_hasher();
        for b in uuid.trim().bytes() {
            h.write_u8(b.to_ascii_lowercase());
        }
        Some(h.finish() | 1)
    }

    /// True the first time `key` is offered.
    pub fn first(&mut self, key: u64) -> bool {
        self.seen.insert(key)
    }
}

/// A sink that drops records whose `uuid` it has passed before.
/// With `enabled` false it passes every record.
pub struct DedupeSink<'s> {
    inner: &'s mut dyn Sink,
    seen: Option<UuidSet>,
    pub dropped: u64,
}

impl<'s> DedupeSink<'s> {
    pub fn new(inner: &'s mut dyn Sink, enabled: bool) -> Self {
        DedupeSink {
            inner,
            seen: enabled.then(UuidSet::default),
            dropped: 0,
        }
    }
}

impl Sink for DedupeSink<'_> {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        if let Some(seen) = &mut self.seen
            && let Some(key) = UuidSet::key(record)
            && !seen.first(key)
        {
            self.dropped += 1;
            return Ok(());
        }
        self.inner.record(record)
    }
    fn flush(&mut self) -> Result<()> {
        self.inner.flush()
    }
    fn finish(&mut self) -> Result<()> {
        self.inner.finish()
    }
    fn tick(&mut self) -> Result<()> {
        self.inner.tick()
    }
}

/// Where the reading layer's messages about the input go: straight to
/// [`Diag`], or (the parallel reader's audit runs) into a list replayed in
/// input order on the calling thread ([`parallel`]).
pub(crate) trait Report {
    /// A problem with part of the input ([`Diag::error`]).
    fn error(&self, message: &str);
    /// The `nth` record warning of the run (or of the batch); the first
    /// [`SHOWN_WARNINGS`] are shown, then one line says the rest are counted.
    fn record_warning(&self, message: &str, nth: u64);
}

impl Report for Diag {
    fn error(&self, message: &str) {
        Diag::error(self, message);
    }
    fn record_warning(&self, message: &str, nth: u64) {
        if nth <= SHOWN_WARNINGS {
            self.warn(message);
        } else if nth == SHOWN_WARNINGS + 1 {
            self.warn("more warnings like these are counted, not shown");
        }
    }
}

/// The name of an input in messages: its path, or `<stdin>`.
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Opens a path (or `-` for stdin), transparently decompressing gzip,
/// decoding UTF-16 and turning a CSV export into LogEvents.
pub fn open(path: &Path) -> Result<Box<dyn Read>> {
    open_input(path).map(|opened| opened.reader)
}

/// An opened input and the notes to show about it once.
pub struct Opened {
    pub reader: Box<dyn Read>,
    pub notes: Vec<String>,
}

/// Opens an input like [`open`], with the notes about what it cannot carry.
pub fn open_input(path: &Path) -> Result<Opened> {
    let raw = open_bytes(path)?;
    let mut reader = BufReader::with_capacity(1 << 16, decode_text(raw));
    let head = reader
        .fill_buf()
        .with_context(|| format!("cannot read {}", display_name(path)))?;
    if memchr::memchr(b'\n', head).is_none() && memchr::memchr(b'\r', head).is_some() {
        reader = BufReader::with_capacity(1 << 16, Box::new(LoneCrAsLf(reader)));
    }
    let head = reader
        .fill_buf()
        .with_context(|| format!("cannot read {}", display_name(path)))?;
    if csv_export::looks_like_csv(head) {
        let opened = csv_export::open(reader)
            .map_err(|message| Failure::bad_input(format!("{}: {message}", display_name(path))))?;
        return Ok(Opened {
            reader: Box::new(opened.reader),
            notes: opened
                .notes
                .into_iter()
                .map(|n| format!("{}: {n}", display_name(path)))
                .collect(),
        });
    }
    Ok(Opened {
        reader: Box::new(reader),
        notes: Vec::new(),
    })
}

/// Text in UTF-16 (little or big endian, with a byte-order mark, as Windows
/// PowerShell 5.1 writes with `>` and `Out-File`; or without one, told by
/// the zero bytes of ASCII text) is decoded to UTF-8; anything else passes
/// unchanged.
fn decode_text(raw: Box<dyn Read>) -> Box<dyn Read> {
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let encoding = match reader.fill_buf() {
        Ok([0xFF, 0xFE, ..]) | Ok([0xFE, 0xFF, ..]) => None, // BOM sniffing decides
        Ok([a, 0, b, 0, ..]) if *a != 0 && *b != 0 => Some(encoding_rs::UTF_16LE),
        Ok([0, a, 0, b, ..]) if *a != 0 && *b != 0 => Some(encoding_rs::UTF_16BE),
        _ => return Box::new(reader),
    };
    Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(encoding)
            .bom_sniffing(true)
            .bom_override(true)
            .build(reader),
    )
}

/// The input's bytes, gzip decompressed.
fn open_bytes(path: &Path) -> Result<Box<dyn Read>> {
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
    // gzip, also gzip inside gzip (a compressed file compressed again by a
    // log shipper), up to three layers.
    let mut reader: Box<dyn Read> = raw;
    for _ in 0..3 {
        let mut buffered = BufReader::with_capacity(1 << 16, reader);
        let head = buffered
            .fill_buf()
            .with_context(|| format!("cannot read {}", display_name(path)))?;
        if !head.starts_with(&[0x1f, 0x8b]) {
            return Ok(Box::new(buffered));
        }
        reader = Box::new(flate2::read::MultiGzDecoder::new(buffered));
    }
    Ok(reader)
}

/// Turns lone carriage returns into line feeds, for text whose lines end
/// in a bare `\r` (classic Mac tools); CRLF and LF text never takes it.
struct LoneCrAsLf<R: Read>(R);

impl<R: Read> Read for LoneCrAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf)?;
        for b in &mut buf[..n] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        Ok(n)
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
    match open_input(path) {
        Ok(opened) => {
            for note in &opened.notes {
                diag.warn(note);
            }
            Ok(Some(opened.reader))
        }
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
    let mut dedupe = DedupeSink::new(sink, !opts.keep_duplicates);
    for path in paths {
        let name = display_name(path);
        let Some(reader) = open_or_report(path, opts.strict, diag, &mut stats)? else {
            continue;
        };
        read_one(reader, &name, opts, &mut dedupe, diag, &mut stats)?;
    }
    stats.duplicates += dedupe.dropped;
    stats.records -= dedupe.dropped;
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
    diag: &dyn Report,
    stats: &mut ReadStats,
) -> Result<()> {
    let location = format!("{name}:{}:{}", pos.line, pos.column);
    report_at(&location, message, "", opts, diag, stats)
}

/// Counts one bad stretch and reports it at `location` (or, with
/// `--strict`, stops the run with it); `suffix` says what became of it.
fn report_at(
    location: &str,
    message: &str,
    suffix: &str,
    opts: &ReadOptions,
    diag: &dyn Report,
    stats: &mut ReadStats,
) -> Result<()> {
    stats.bad += 1;
    if opts.strict {
        return Err(
            Failure::bad_input(format!("{location}: {message} (stopped: --strict)")).into(),
        );
    }
    diag.error(&format!("{location}: {message}{suffix}"));
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
    diag: &dyn Report,
    stats: &mut ReadStats,
) -> Result<()> {
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
    report_at(&location, message, "; record skipped", opts, diag, stats)
}

/// Warnings are shown for the first [`SHOWN_WARNINGS`] records of a run,
/// then counted (the count is in the end-of-run summary).
pub const SHOWN_WARNINGS: u64 = 10;

fn report_warning(
    name: &str,
    pos: Position,
    bad: &decode::BadValue,
    diag: &dyn Report,
    stats: &mut ReadStats,
) {
    stats.warnings += 1;
    let message = format!("{name}:{}:{}: {}", pos.line, pos.column, bad.message);
    diag.record_warning(&message, stats.warnings);
}

/// Decodes one JSON value into `sink`, keeping the accepted event types and
/// counting the others; returns the problems found (bad parts, and
/// warnings, which have `warning` set).
pub fn decode_into(
    text: &str,
    filter: &EventTypeFilter,
    sink: &mut dyn Sink,
    stats: &mut ReadStats,
) -> Result<Vec<decode::BadValue>> {
    let mut bads = Vec::new();
    let mut records = 0u64;
    let mut other_types = 0u64;
    let decoded = decode::decode(
        text,
        &mut |record: Record<'_>| {
            if filter.accepts(record.event_type.as_deref()) {
                records += 1;
                sink.record(&record)
            } else {
                other_types += 1;
                Ok(())
            }
        },
        &mut |bad| bads.push(bad),
    )?;
    stats.values += 1;
    stats.records += records;
    stats.other_types += other_types;
    stats.log_events += decoded.log_events;
    if let Some(path) = &decoded.wrapper {
        stats.add_wrapper(path, decoded.log_events);
    }
    Ok(bads)
}

pub(crate) fn decode_frame(
    bytes: &[u8],
    pos: Position,
    name: &str,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    diag: &dyn Report,
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
    if opts.event_types.rules_out(bytes) {
        stats.values += 1;
        stats.log_events += 1;
        stats.other_types += 1;
        return Ok(());
    }
    for bad in decode_into(text, &opts.event_types, sink, stats)? {
        if bad.warning {
            report_warning(name, pos, &bad, diag, stats);
            continue;
        }
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
