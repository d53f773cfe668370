//! The parallel reading pipeline for the streaming formats (CSV, NDJSON,
//! JSON) and for audit runs: one thread frames the input into batches,
//! worker threads parse (and, without audit flags, render) them, and the
//! calling thread writes the rendered batches, or feeds the decoded records
//! to the audit [`Sink`], in input order. Output and messages are byte for
//! byte what the sequential path gives; memory is bounded by the batches in
//! flight.
//!
//! Batches go to workers round-robin and are collected round-robin, so order
//! needs no reordering buffer: batch k is always worker k % n's next one.

use super::framer::{Frame, Limits, Position, frame_stream};
use super::packed::Packed;
use super::{
    ReadOptions, ReadStats, Report, UuidSet, decode_frame, display_name, open_input,
    open_or_report, read_failure,
};
use crate::diag::Diag;
use crate::output::csv::CsvSink;
use crate::output::json::{Framing, JsonSink};
use crate::output::{Format, OutputSettings, SharedBuf, Sink};
use crate::record::Record;
use anyhow::Result;
use std::cell::RefCell;
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

/// True when the audit run (`--group-by`, `--alert`, `--mask`, ...) can
/// read in parallel ([`read_inputs_audit`]): any output format, but not
/// `--strict`, which stops at the first bad record.
pub fn supports_audit(opts: &ReadOptions) -> bool {
    !opts.strict
}

struct Batch {
    name: Arc<str>,
    data: Vec<u8>,
    frames: Vec<(Range<usize>, Position)>,
    /// Audit runs: the reader's messages, each with the number of this
    /// batch's frames that come before it, so they are shown in input order.
    said: Vec<(usize, Said)>,
}

/// A message about the input, kept to be shown in input order.
enum Said {
    /// [`crate::diag::Diag::error`].
    Error(String),
    /// [`crate::diag::Diag::warn`].
    Warn(String),
    /// A record warning: shown or counted by the run's running total.
    RecordWarning(String),
}

impl Said {
    fn show(self, diag: &Diag, warnings: &mut u64) {
        match self {
            Said::Error(m) => diag.error(&m),
            Said::Warn(m) => diag.warn(&m),
            Said::RecordWarning(m) => {
                *warnings += 1;
                diag.record_warning(&m, *warnings);
            }
        }
    }
}

/// What a worker makes of a batch in an audit run: its records (owned, with
/// their uuid key for dropping duplicates) and messages, in input order.
struct Decoded {
    kept: Kept,
    stats: ReadStats,
    error: Option<anyhow::Error>,
}

enum Item {
    /// The record's uuid key and its index in [`Kept::packed`].
    Record(Option<u64>, usize),
    Said(Said),
}

#[derive(Default)]
struct Kept {
    items: Vec<Item>,
    packed: Packed,
}

/// The audit worker's sink and message list: both append to one list.
struct Keep<'i>(&'i RefCell<Kept>);

impl Sink for Keep<'_> {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        let key = UuidSet::key(record);
        let mut kept = self.0.borrow_mut();
        let index = kept.packed.push(record).ok_or_else(|| {
            anyhow::anyhow!(
                "the records of one batch hold over 4 GiB of text; give a smaller \
                 --max-record-size, or read with OKSMS_THREADS=1"
            )
        })?;
        kept.items.push(Item::Record(key, index));
        Ok(())
    }
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

impl Report for Keep<'_> {
    fn error(&self, message: &str) {
        self.0
            .borrow_mut()
            .items
            .push(Item::Said(Said::Error(message.to_string())));
    }
    fn record_warning(&self, message: &str, _nth: u64) {
        self.0
            .borrow_mut()
            .items
            .push(Item::Said(Said::RecordWarning(message.to_string())));
    }
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
    run(
        paths,
        opts,
        diag,
        workers,
        false,
        |batches, done| work(batches, done, settings, opts, diag),
        |from_workers| collect(from_workers, settings, !opts.keep_duplicates, out),
    )
}

/// Reads every input into `sink` (the audit [`crate::audit::Pipeline`])
/// using `workers` threads to frame-check, prefilter and decode; the records
/// reach `sink` on this thread, in input order, and every message about the
/// input is shown in the order the sequential path shows it. Same contract
/// as [`super::read_inputs`] (the caller finishes the sink). `raw_json`
/// false: the records reach `sink` without `event_details`, `debug_data`
/// and `headers` (for a sink that never reads them, e.g. `--group-by`).
pub fn read_inputs_audit(
    paths: &[PathBuf],
    opts: &ReadOptions,
    sink: &mut dyn Sink,
    raw_json: bool,
    diag: &Diag,
    workers: usize,
) -> Result<ReadStats> {
    run(
        paths,
        opts,
        diag,
        workers,
        true,
        |batches, done| decode_batches(batches, done, opts, raw_json),
        |from_workers| feed(from_workers, sink, !opts.keep_duplicates, diag),
    )
}

/// The threads: the reader, `workers` workers running `work`, and
/// `collect` on this thread. `defer`: the reader's messages travel in the
/// batches instead of being shown at once.
fn run<T: Send>(
    paths: &[PathBuf],
    opts: &ReadOptions,
    diag: &Diag,
    workers: usize,
    defer: bool,
    work: impl Fn(Receiver<Batch>, SyncSender<T>) + Sync,
    collect: impl FnOnce(Vec<Receiver<T>>) -> Result<ReadStats>,
) -> Result<ReadStats> {
    let workers = workers.max(1);
    let mut to_workers = Vec::new();
    let mut from_workers = Vec::new();
    let mut worker_ends = Vec::new();
    for _ in 0..workers {
        let (batch_tx, batch_rx) = sync_channel::<Batch>(2);
        let (done_tx, done_rx) = sync_channel::<T>(2);
        to_workers.push(batch_tx);
        from_workers.push(done_rx);
        worker_ends.push((batch_rx, done_tx));
    }
    let work = &work;
    std::thread::scope(|scope| {
        for (batch_rx, done_tx) in worker_ends {
            scope.spawn(move || work(batch_rx, done_tx));
        }
        let limits = Limits::with_max_record(opts.max_record);
        let reader = scope.spawn(move || read_batches(paths, limits, diag, to_workers, defer));
        let collected = collect(from_workers);
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

/// An audit worker: decodes each batch into owned records and messages.
fn decode_batches(
    batches: Receiver<Batch>,
    done: SyncSender<Decoded>,
    opts: &ReadOptions,
    raw_json: bool,
) {
    for batch in batches {
        let items = RefCell::new(Kept {
            items: Vec::new(),
            packed: Packed::new(raw_json),
        });
        let mut keep = Keep(&items);
        let mut stats = ReadStats::default();
        let mut error = None;
        let mut said = batch.said.into_iter().peekable();
        for (i, (range, pos)) in batch.frames.iter().enumerate() {
            while let Some((_, message)) = said.next_if(|(at, _)| *at <= i) {
                items.borrow_mut().items.push(Item::Said(message));
            }
            let report = Keep(&items);
            if let Err(e) = decode_frame(
                &batch.data[range.clone()],
                *pos,
                &batch.name,
                opts,
                &mut keep,
                &report,
                &mut stats,
            ) {
                error = Some(e);
                break;
            }
        }
        if error.is_none() {
            items
                .borrow_mut()
                .items
                .extend(said.map(|(_, message)| Item::Said(message)));
        }
        let stop = error.is_some();
        let decoded = Decoded {
            kept: items.into_inner(),
            stats,
            error,
        };
        if done.send(decoded).is_err() || stop {
            return;
        }
    }
}

/// The audit collector: feeds the records (duplicates dropped) to `sink`
/// and shows the messages, batch by batch in input order.
fn feed(
    from_workers: Vec<Receiver<Decoded>>,
    sink: &mut dyn Sink,
    dedupe: bool,
    diag: &Diag,
) -> Result<ReadStats> {
    let mut seen = UuidSet::default();
    let mut dropped = 0u64;
    let mut warnings = 0u64;
    let mut stats = ReadStats::default();
    let mut index = 0usize;
    while let Ok(decoded) = from_workers[index % from_workers.len()].recv() {
        index += 1;
        stats.add(&decoded.stats);
        let Kept { items, packed } = decoded.kept;
        for item in items {
            match item {
                Item::Record(key, index) => {
                    if dedupe && key.is_some_and(|k| !seen.first(k)) {
                        dropped += 1;
                    } else {
                        sink.record(&packed.get(index))?;
                    }
                }
                Item::Said(said) => said.show(diag, &mut warnings),
            }
        }
        if let Some(e) = decoded.error {
            return Err(e);
        }
    }
    stats.records -= dropped;
    stats.duplicates += dropped;
    Ok(stats)
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

/// Shows a message about the input now, or with `defer` keeps it in
/// `batch` after the frames read so far.
fn say(batch: &mut Batch, defer: bool, diag: &Diag, message: String) {
    if defer {
        batch.said.push((batch.frames.len(), Said::Error(message)));
    } else {
        diag.error(&message);
    }
}

fn read_batches(
    paths: &[PathBuf],
    limits: Limits,
    diag: &Diag,
    workers: Vec<SyncSender<Batch>>,
    defer: bool,
) -> Result<ReadStats> {
    let mut stats = ReadStats::default();
    let mut next = 0usize;
    let mut send = |batch: Batch| -> bool {
        let ok = workers[next % workers.len()].send(batch).is_ok();
        next += 1;
        ok
    };
    // Deferred messages about opening inputs, for the next batch.
    let mut pending: Vec<(usize, Said)> = Vec::new();
    for path in paths {
        let name: Arc<str> = display_name(path).into();
        let new_batch = || Batch {
            name: name.clone(),
            data: Vec::with_capacity(BATCH_BYTES + (64 << 10)),
            frames: Vec::new(),
            said: Vec::new(),
        };
        let reader = if defer {
            // What `open_or_report` does, with its messages kept in order.
            match open_input(path) {
                Ok(opened) => {
                    pending.extend(opened.notes.into_iter().map(|n| (0, Said::Warn(n))));
                    opened.reader
                }
                Err(e) if crate::exit::code_for(&e) == crate::exit::ExitCode::Usage => {
                    if !pending.is_empty() {
                        let mut batch = new_batch();
                        batch.said = pending;
                        send(batch);
                    }
                    return Err(e);
                }
                Err(e) => {
                    pending.push((0, Said::Error(format!("{e:#}"))));
                    stats.bad += 1;
                    continue;
                }
            }
        } else {
            let Some(reader) = open_or_report(path, false, diag, &mut stats)? else {
                continue;
            };
            reader
        };
        let mut batch = new_batch();
        batch.said = std::mem::take(&mut pending);
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
                    let message = format!(
                        "{name}:{}:{}: {message}; record skipped",
                        pos.line, pos.column
                    );
                    say(&mut batch, defer, diag, message);
                }
                Frame::Flaw(pos, message) => {
                    stats.bad += 1;
                    let message = format!("{name}:{}:{}: {message}", pos.line, pos.column);
                    say(&mut batch, defer, diag, message);
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
                say(&mut batch, defer, diag, read_failure(&name, &e));
                stats.bad += 1;
            }
        }
        let has_content = !batch.frames.is_empty() || !batch.said.is_empty();
        if has_content && !send(batch) {
            return Ok(stats);
        }
    }
    if !pending.is_empty() {
        send(Batch {
            name: Arc::from(""),
            data: Vec::new(),
            frames: Vec::new(),
            said: pending,
        });
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
