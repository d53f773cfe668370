//! The parallel reading pipeline for the streaming formats (CSV, NDJSON,
//! JSON): one thread frames the input into batches, worker threads parse and
//! render them, and the calling thread writes the rendered batches in input
//! order. Output is byte-for-byte what the sequential path writes; memory is
//! bounded by the batches in flight.
//!
//! Batches go to workers round-robin and are collected round-robin, so order
//! needs no reordering buffer: batch k is always worker k % n's next one.

use super::framer::{Frame, Limits, Position, frame_stream};
use super::{
    ReadOptions, ReadStats, UuidSet, decode_frame, display_name, open_or_report, read_failure,
};
use crate::diag::Diag;
use crate::output::csv::CsvSink;
use crate::output::json::{Framing, JsonSink};
use crate::output::{Format, OutputSettings, SharedBuf, Sink};
use anyhow::Result;
use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Bytes of input per batch. Up to about 3 batches per worker are in
/// flight each way (queued, being parsed, rendered), so this sets most of
/// the peak memory: 256 KB measured the same speed as 1 MB on the
/// benchmark and cut `parse -o ndjson`'s peak RSS by about 10 MB.
const BATCH_BYTES: usize = 256 << 10;

/// How many threads parse and render: the machine's cores, or
/// `OKSMS_THREADS` when set (1 turns the parallel path off).
pub fn worker_count() -> usize {
    if let Some(n) = std::env::var("OKSMS_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        return n.max(1);
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// True when this output can be rendered in parallel.
pub fn supports(settings: &OutputSettings, opts: &ReadOptions) -> bool {
    !opts.strict && matches!(settings.format, Format::Csv | Format::Ndjson | Format::Json)
}

struct Batch {
    name: Arc<str>,
    data: Vec<u8>,
    frames: Vec<(Range<usize>, Position)>,
}

struct Rendered {
    out: Vec<u8>,
    /// With duplicate dropping: each record's uuid key and where its bytes
    /// end in `out`, so the collector can drop a later copy in input order.
    marks: Vec<(Option<u64>, usize)>,
    stats: ReadStats,
    error: Option<anyhow::Error>,
}

/// The worker's sink, noting where each record's rendered bytes end.
struct Marking {
    inner: Box<dyn Sink + Send>,
    buffer: SharedBuf,
    marks: Option<Vec<(Option<u64>, usize)>>,
}

impl Sink for Marking {
    fn record(&mut self, record: &crate::record::Record<'_>) -> Result<()> {
        self.inner.record(record)?;
        if let Some(marks) = &mut self.marks {
            self.inner.flush()?;
            marks.push((UuidSet::key(record), self.buffer.len()));
        }
        Ok(())
    }
    fn flush(&mut self) -> Result<()> {
        self.inner.flush()
    }
    fn finish(&mut self) -> Result<()> {
        self.inner.finish()
    }
}

fn worker_sink(settings: &OutputSettings, out: SharedBuf) -> Box<dyn Sink + Send> {
    let fields = settings.effective_fields();
    let buffered = Box::new(io::BufWriter::with_capacity(1 << 16, out));
    match settings.format {
        Format::Csv => Box::new(CsvSink::new(buffered, fields, false).csv_safe(settings.csv_safe)),
        Format::Json => Box::new(JsonSink::new(buffered, fields, Framing::ArraySlice)),
        _ => Box::new(JsonSink::new(buffered, fields, Framing::Lines)),
    }
}

/// Reads every input into `out` using `workers` threads. Same contract as
/// [`super::read_inputs`] with the sink's `finish` included.
pub fn read_inputs_parallel(
    paths: &[PathBuf],
    opts: &ReadOptions,
    settings: &OutputSettings,
    out: &mut dyn Write,
    diag: &Diag,
    workers: usize,
) -> Result<ReadStats> {
    let workers = workers.max(1);
    let mut to_workers = Vec::new();
    let mut from_workers = Vec::new();
    let mut worker_ends = Vec::new();
    for _ in 0..workers {
        let (batch_tx, batch_rx) = sync_channel::<Batch>(2);
        let (done_tx, done_rx) = sync_channel::<Rendered>(2);
        to_workers.push(batch_tx);
        from_workers.push(done_rx);
        worker_ends.push((batch_rx, done_tx));
    }
    std::thread::scope(|scope| {
        for (batch_rx, done_tx) in worker_ends {
            scope.spawn(move || work(batch_rx, done_tx, settings, opts, diag));
        }
        let limits = Limits::with_max_record(opts.max_record);
        let reader = scope.spawn(move || read_batches(paths, limits, diag, to_workers));
        let collected = collect(from_workers, settings, !opts.keep_duplicates, out);
        // On an output error the receivers are gone: workers and the reader
        // see closed channels and stop.
        let reader_stats = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the reading thread panicked"))?;
        let mut stats = collected?;
        stats.add(&reader_stats?);
        Ok(stats)
    })
}

fn work(
    batches: Receiver<Batch>,
    done: SyncSender<Rendered>,
    settings: &OutputSettings,
    opts: &ReadOptions,
    diag: &Diag,
) {
    let buffer = SharedBuf::default();
    let mut sink = Marking {
        inner: worker_sink(settings, buffer.clone()),
        buffer: buffer.clone(),
        marks: None,
    };
    for batch in batches {
        sink.marks = (!opts.keep_duplicates).then(Vec::new);
        let mut stats = ReadStats::default();
        let mut error = None;
        for (range, pos) in &batch.frames {
            if let Err(e) = decode_frame(
                &batch.data[range.clone()],
                *pos,
                &batch.name,
                opts,
                &mut sink,
                diag,
                &mut stats,
            ) {
                error = Some(e);
                break;
            }
        }
        if let Err(e) = sink.flush() {
            error.get_or_insert(e);
        }
        let stop = error.is_some();
        if done
            .send(Rendered {
                out: buffer.take(),
                marks: sink.marks.take().unwrap_or_default(),
                stats,
                error,
            })
            .is_err()
            || stop
        {
            return;
        }
    }
}

fn read_batches(
    paths: &[PathBuf],
    limits: Limits,
    diag: &Diag,
    workers: Vec<SyncSender<Batch>>,
) -> Result<ReadStats> {
    let mut stats = ReadStats::default();
    let mut next = 0usize;
    let mut send = |batch: Batch| -> bool {
        let ok = workers[next % workers.len()].send(batch).is_ok();
        next += 1;
        ok
    };
    for path in paths {
        let name: Arc<str> = display_name(path).into();
        let Some(reader) = open_or_report(path, false, diag, &mut stats)? else {
            continue;
        };
        let new_batch = || Batch {
            name: name.clone(),
            data: Vec::with_capacity(BATCH_BYTES + (64 << 10)),
            frames: Vec::new(),
        };
        let mut batch = new_batch();
        let mut closed = false;
        let result = frame_stream(reader, limits, |frame| -> io::Result<()> {
            match frame {
                Frame::Value(bytes, pos) => {
                    let start = batch.data.len();
                    batch.data.extend_from_slice(bytes);
                    batch.frames.push((start..batch.data.len(), pos));
                    if batch.data.len() >= BATCH_BYTES
                        && !send(std::mem::replace(&mut batch, new_batch()))
                    {
                        closed = true;
                        return Err(io::Error::new(io::ErrorKind::BrokenPipe, "output closed"));
                    }
                }
                Frame::Bad(pos, message) => {
                    stats.bad += 1;
                    diag.error(&format!(
                        "{name}:{}:{}: {message}; record skipped",
                        pos.line, pos.column
                    ));
                }
                Frame::Flaw(pos, message) => {
                    stats.bad += 1;
                    diag.error(&format!("{name}:{}:{}: {message}", pos.line, pos.column));
                }
            }
            Ok(())
        });
        if closed {
            return Ok(stats);
        }
        match result {
            Ok(summary) => stats.bytes += summary.bytes,
            Err(e) => {
                diag.error(&read_failure(&name, &e));
                stats.bad += 1;
            }
        }
        if !batch.frames.is_empty() && !send(batch) {
            return Ok(stats);
        }
    }
    Ok(stats)
}

/// The rendered bytes of a batch without the records whose uuid was seen
/// before (borrowed whole when there is none).
fn drop_duplicates<'o>(
    rendered: &'o Rendered,
    seen: &mut UuidSet,
    dropped: &mut u64,
) -> std::borrow::Cow<'o, [u8]> {
    let mut kept: Option<Vec<u8>> = None;
    let mut start = 0usize;
    for &(key, end) in &rendered.marks {
        if key.is_some_and(|k| !seen.first(k)) {
            *dropped += 1;
            // The first duplicate: keep what came before it, then copy.
            kept.get_or_insert_with(|| rendered.out[..start].to_vec());
        } else if let Some(buf) = &mut kept {
            buf.extend_from_slice(&rendered.out[start..end]);
        }
        start = end;
    }
    match kept {
        Some(mut buf) => {
            buf.extend_from_slice(&rendered.out[start..]);
            std::borrow::Cow::Owned(buf)
        }
        None => std::borrow::Cow::Borrowed(&rendered.out),
    }
}

fn collect(
    from_workers: Vec<Receiver<Rendered>>,
    settings: &OutputSettings,
    dedupe: bool,
    out: &mut dyn Write,
) -> Result<ReadStats> {
    let mut seen = UuidSet::default();
    let mut dropped = 0u64;
    let mut stats = ReadStats::default();
    if settings.format == Format::Csv && !settings.no_header {
        let header = SharedBuf::default();
        CsvSink::new(Box::new(header.clone()), settings.effective_fields(), true).finish()?;
        out.write_all(&header.take())?;
    }
    let mut wrote_any = false;
    let mut index = 0usize;
    while let Ok(rendered) = from_workers[index % from_workers.len()].recv() {
        index += 1;
        stats.add(&rendered.stats);
        let kept = if dedupe {
            drop_duplicates(&rendered, &mut seen, &mut dropped)
        } else {
            std::borrow::Cow::Borrowed(rendered.out.as_slice())
        };
        let mut bytes: &[u8] = &kept;
        if settings.format == Format::Json && !bytes.is_empty() && !wrote_any {
            out.write_all(b"[\n")?;
            bytes = bytes.strip_prefix(b",\n").unwrap_or(bytes);
        }
        wrote_any |= !bytes.is_empty();
        out.write_all(bytes)?;
        if let Some(e) = rendered.error {
            return Err(e);
        }
    }
    if settings.format == Format::Json {
        out.write_all(if wrote_any { b"\n]\n" } else { b"[]\n" })?;
    }
    out.flush()?;
    stats.records -= dropped;
    stats.duplicates += dropped;
    Ok(stats)
}
