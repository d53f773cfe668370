//! The single writer behind the receiver. Request handlers hand each valid
//! delivery to one thread, which owns the de-duplication memory, the capture
//! file, the state file and the output sink, so output lines never
//! interleave and duplicates are decided in one place.
//!
//! Group commit: the thread takes every delivery waiting in its queue as one
//! batch, appends all their capture lines with one write and one fsync,
//! saves the state once, renders the records, and only then answers each
//! handler, which answers Okta. Under load batches grow, so the fsync cost
//! is shared and thousands of deliveries per second fit.
//!
//! A failed capture append (disk full, quota, file-size limit) is rolled
//! back: the file is cut back to its last good length before anything else
//! is written, so a torn line never glues onto the next delivery; the
//! batch is answered 500 and counted as not recorded. Storage errors are
//! reported rate-limited ([`Alarm`]), never silenced.
//!
//! Between batches the queue may also bring [`Msg::Tick`]s, passed on to the
//! sink ([`Sink::tick`]) so a live summary re-emits itself on time.

use super::dedupe::{self, Memory, time_key};
use super::delivery::{Incoming, capture_line};
use crate::diag::Diag;
use crate::input::EventTypeFilter;
use crate::output::Sink;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// How often a recurring storage error is reported again.
const ALARM_EVERY: Duration = Duration::from_secs(10);

/// The most deliveries committed together.
const MAX_BATCH: usize = 1024;

/// What the writer's queue carries.
#[derive(Debug)]
pub enum Msg {
    Delivery(Job),
    /// Time passes (for `watch --every`).
    Tick,
}

/// One delivery waiting to be recorded.
#[derive(Debug)]
pub struct Job {
    pub incoming: Incoming,
    /// The request headers as a JSON object, secrets already redacted.
    pub headers: String,
    /// RFC 3339 receive time.
    pub received_at: String,
    pub reply: oneshot::Sender<Reply>,
}

/// What the handler answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// New events were made durable (and rendered).
    Recorded,
    /// Everything in it was seen before; nothing recorded.
    Duplicate,
    /// It could not be made durable; Okta should retry (500).
    Failed,
}

/// Counts for the summary at shutdown.
#[derive(Debug, Default, Clone, Copy)]
pub struct RecorderStats {
    /// Deliveries recorded and acknowledged (200) with new events.
    pub deliveries: u64,
    pub duplicate_deliveries: u64,
    pub duplicate_events: u64,
    pub records: u64,
    pub other_types: u64,
    pub failed: u64,
}

/// Test-only fault hook: when this environment variable is set, the
/// process kills itself (SIGKILL) right after a batch is fsynced to the
/// capture and before the state is saved, to test the recovery from a
/// crash at that point. Not for production use.
pub const CRASH_AFTER_CAPTURE: &str = "OKSMS_TEST_CRASH_AFTER_CAPTURE";

/// Dies as a crash would, for [`CRASH_AFTER_CAPTURE`].
fn crash_for_test() -> ! {
    #[cfg(unix)]
    // SAFETY: raising a signal has no memory effects.
    unsafe {
        libc::raise(libc::SIGKILL);
    }
    std::process::abort()
}

/// The storage under the capture: appended, fsynced, measured and cut
/// back. A trait so tests can inject faults (a short write, then an error).
pub trait CaptureFile: Send {
    /// Appends `buf` at the end (may write part of it before failing).
    fn append(&mut self, buf: &[u8]) -> std::io::Result<()>;
    /// Makes the appended data durable.
    fn sync(&mut self) -> std::io::Result<()>;
    /// The current length in bytes.
    fn size(&mut self) -> std::io::Result<u64>;
    /// Cuts the file back to `len` bytes and makes that durable.
    fn cut(&mut self, len: u64) -> std::io::Result<()>;
}

impl CaptureFile for File {
    fn append(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.write_all(buf)
    }
    fn sync(&mut self) -> std::io::Result<()> {
        self.sync_data()
    }
    fn size(&mut self) -> std::io::Result<u64> {
        Ok(self.metadata()?.len())
    }
    fn cut(&mut self, len: u64) -> std::io::Result<()> {
        self.set_len(len)?;
        self.sync_data()
    }
}

/// The open capture file and the length of its complete, durable lines.
struct Capture {
    path: PathBuf,
    file: Box<dyn CaptureFile>,
    /// Everything up to here is whole lines, fsynced and acknowledged.
    good_len: u64,
    /// A failed append left bytes after `good_len` that could not be cut
    /// yet: cut them before the next append, or fail it.
    torn: bool,
}

impl Capture {
    /// Appends and fsyncs `buf`, or leaves the file at its last good
    /// length (now, or before the next append when cutting fails too).
    fn append(&mut self, buf: &[u8]) -> Result<()> {
        let path = self.path.display().to_string();
        if self.torn {
            self.file.cut(self.good_len).with_context(|| {
                format!("cannot cut capture file {path} back to its last complete line")
            })?;
            self.torn = false;
        }
        match self.file.append(buf).and_then(|()| self.file.sync()) {
            Ok(()) => {
                self.good_len = self.file.size().unwrap_or(self.good_len + buf.len() as u64);
                Ok(())
            }
            Err(e) => {
                self.torn = self.file.cut(self.good_len).is_err();
                Err(e).with_context(|| format!("cannot append to capture file {path}"))
            }
        }
    }
}

/// Reports a recurring storage error at most once per [`ALARM_EVERY`],
/// saying how many failures were not shown in between, so a full disk
/// stays visible however long it lasts (unlike input errors, which stop
/// after [`Diag::MAX_RECORD_ERRORS`]).
#[derive(Debug, Default)]
pub struct Alarm {
    last: Option<Instant>,
    unshown: u64,
}

impl Alarm {
    /// The message to show now for `message`, if any.
    pub fn check(&mut self, now: Instant, message: &str) -> Option<String> {
        if self
            .last
            .is_some_and(|last| now.duration_since(last) < ALARM_EVERY)
        {
            self.unshown += 1;
            return None;
        }
        self.last = Some(now);
        let text = match std::mem::take(&mut self.unshown) {
            0 => message.to_string(),
            n => format!("{message} ({n} more such failures since the last report)"),
        };
        Some(text)
    }
}

/// Records deliveries on its own thread (capture, dedupe memory, the sink:
/// one [`Reply`] per delivery). The sink is borrowed, so the caller can
/// ask it for its verdict (e.g. audit findings) after the run.
pub struct DeliveryRecorder<'d> {
    capture: Option<Capture>,
    /// [`CRASH_AFTER_CAPTURE`] was set (tests only).
    crash_after_capture: bool,
    alarm: Alarm,
    state: Option<PathBuf>,
    memory: Memory,
    sink: &'d mut (dyn Sink + Send),
    filter: EventTypeFilter,
    diag: &'d Diag,
    stats: RecorderStats,
}

impl<'d> DeliveryRecorder<'d> {
    pub fn new(
        capture: Option<&Path>,
        state: Option<PathBuf>,
        mut memory: Memory,
        sink: &'d mut (dyn Sink + Send),
        filter: EventTypeFilter,
        diag: &'d Diag,
    ) -> Result<Self> {
        let capture = match capture {
            Some(path) => {
                let (mut file, good_len) = open_capture(path, diag)?;
                let read = super::recover::from_capture(&mut file, good_len, &mut memory)
                    .with_context(|| format!("cannot read capture file {}", path.display()))?;
                if read > 0 {
                    diag.verbose(&format!(
                        "remembered the ids of the last {read} deliveries in {}",
                        path.display()
                    ));
                }
                Some(Capture {
                    path: path.to_path_buf(),
                    file: Box::new(file),
                    good_len,
                    torn: false,
                })
            }
            None => None,
        };
        Ok(DeliveryRecorder {
            capture,
            crash_after_capture: std::env::var_os(CRASH_AFTER_CAPTURE).is_some(),
            alarm: Alarm::default(),
            state,
            memory,
            sink,
            filter,
            diag,
            stats: RecorderStats::default(),
        })
    }

    /// Records deliveries until every sender is gone, then closes the
    /// output. An output error (a closed pipe) ends the loop early.
    pub fn run(mut self, mut queue: mpsc::UnboundedReceiver<Msg>) -> Result<RecorderStats> {
        let mut outcome = Ok(());
        while let Some(first) = queue.blocking_recv() {
            let mut batch = Vec::new();
            let mut tick = false;
            let mut next = Some(first);
            while let Some(msg) = next {
                match msg {
                    Msg::Delivery(job) => batch.push(job),
                    Msg::Tick => tick = true,
                }
                next = if batch.len() < MAX_BATCH {
                    queue.try_recv().ok()
                } else {
                    None
                };
            }
            let done = match (batch.is_empty(), tick) {
                (false, true) => self.commit(batch).and_then(|()| self.sink.tick()),
                (false, false) => self.commit(batch),
                (true, _) => self.sink.tick(),
            };
            if let Err(e) = done {
                outcome = Err(e);
                break;
            }
        }
        queue.close();
        let finished = self.sink.finish();
        outcome?;
        finished?;
        Ok(self.stats)
    }

    /// Records one batch and answers its handlers. Only output errors are
    /// returned; storage errors are answered with 500 and reported.
    fn commit(&mut self, batch: Vec<Job>) -> Result<()> {
        // new id -> its time key
        let mut new_event_ids: HashMap<String, String> = HashMap::new();
        let mut new_uuids: HashMap<String, String> = HashMap::new();
        let mut lines: Vec<String> = Vec::new();
        let mut replies: Vec<(oneshot::Sender<Reply>, Reply)> = Vec::with_capacity(batch.len());
        for job in batch {
            let reply = self.admit(&job, &mut new_event_ids, &mut new_uuids, &mut lines);
            replies.push((job.reply, reply));
        }
        if !lines.is_empty()
            && let Err(e) = self.make_durable(&lines, &new_event_ids, &new_uuids)
        {
            let message = format!("{e:#}; answered 500 so Okta retries");
            if let Some(text) = self.alarm.check(Instant::now(), &message) {
                self.diag.fatal(&text);
            }
            for (reply, outcome) in replies {
                let failed = if outcome == Reply::Recorded {
                    self.stats.failed += 1;
                    Reply::Failed
                } else {
                    outcome
                };
                let _ = reply.send(failed);
            }
            return Ok(());
        }
        let rendered = self.render(&lines);
        for (reply, mut outcome) in replies {
            if outcome == Reply::Recorded && rendered.is_err() && self.capture.is_none() {
                outcome = Reply::Failed; // not kept anywhere
                self.stats.failed += 1;
            }
            if outcome == Reply::Recorded {
                self.stats.deliveries += 1;
            }
            let _ = reply.send(outcome);
        }
        rendered
    }

    /// Decides what of one delivery is new and builds its capture line.
    fn admit(
        &mut self,
        job: &Job,
        new_event_ids: &mut HashMap<String, String>,
        new_uuids: &mut HashMap<String, String>,
        lines: &mut Vec<String>,
    ) -> Reply {
        let incoming = &job.incoming;
        let delivered = time_key(incoming.event_time.as_deref().unwrap_or(&job.received_at));
        if let Some(id) = &incoming.event_id {
            if self.memory.event_ids.contains(id) || new_event_ids.contains_key(id) {
                self.stats.duplicate_deliveries += 1;
                return Reply::Duplicate;
            }
            new_event_ids.insert(id.clone(), delivered.clone());
        }
        let mut keep = Vec::with_capacity(incoming.uuids.len());
        for (index, uuid) in incoming.uuids.iter().enumerate() {
            let new = match uuid {
                Some(u) if self.memory.uuids.contains(u) || new_uuids.contains_key(u) => false,
                Some(u) => {
                    let time = match incoming.published.get(index) {
                        Some(Some(p)) => time_key(p),
                        _ => delivered.clone(),
                    };
                    new_uuids.insert(u.clone(), time);
                    true
                }
                None => true,
            };
            if !new {
                self.stats.duplicate_events += 1;
            }
            keep.push(new);
        }
        if !keep.iter().any(|k| *k) {
            if !keep.is_empty() {
                self.stats.duplicate_deliveries += 1;
            }
            return Reply::Duplicate;
        }
        let line = incoming
            .envelope_line(&keep)
            .and_then(|env| capture_line(&job.received_at, &job.headers, &env));
        match line {
            Ok(line) => {
                lines.push(line);
                Reply::Recorded
            }
            Err(e) => {
                self.diag.error(&format!("cannot record a delivery: {e}"));
                self.stats.failed += 1;
                Reply::Failed
            }
        }
    }

    /// Appends and fsyncs the capture lines, then remembers the ids (in the
    /// state file too) so a retry after a failure here is not a duplicate.
    fn make_durable(
        &mut self,
        lines: &[String],
        new_event_ids: &HashMap<String, String>,
        new_uuids: &HashMap<String, String>,
    ) -> Result<()> {
        if let Some(capture) = &mut self.capture {
            let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
            for line in lines {
                buf.extend_from_slice(line.as_bytes());
                buf.push(b'\n');
            }
            capture.append(&buf)?;
            if self.crash_after_capture {
                crash_for_test();
            }
        }
        for (id, time) in new_event_ids {
            self.memory.event_ids.insert_at(id, time);
        }
        for (id, time) in new_uuids {
            self.memory.uuids.insert_at(id, time);
        }
        let Some(path) = &self.state else {
            return Ok(());
        };
        let Err(e) = dedupe::save(path, &self.memory) else {
            return Ok(());
        };
        if self.capture.is_some() {
            // The capture is the source of truth (the memory is rebuilt
            // from it on start): the deliveries are recorded.
            let message = format!("{e:#}; the capture has the deliveries");
            if let Some(text) = self.alarm.check(Instant::now(), &message) {
                self.diag.fatal(&text);
            }
            return Ok(());
        }
        // Kept nowhere: forget the ids so Okta's retry is not a duplicate.
        for id in new_event_ids.keys() {
            self.memory.event_ids.forget(id);
        }
        for id in new_uuids.keys() {
            self.memory.uuids.forget(id);
        }
        Err(e)
    }

    /// Renders the recorded lines through the sink, exactly as `parse`
    /// would render the capture file.
    fn render(&mut self, lines: &[String]) -> Result<()> {
        for line in lines {
            let mut read = crate::input::ReadStats::default();
            let bads = crate::input::decode_into(line, &self.filter, &mut *self.sink, &mut read)?;
            self.stats.records += read.records;
            self.stats.other_types += read.other_types;
            for bad in bads {
                self.diag
                    .error(&format!("delivery event skipped: {}", bad.message));
            }
        }
        self.sink.flush()
    }
}

/// Opens the capture file for appending, with its length. When a crash
/// left a torn last line (never acknowledged: the 200 comes after the
/// whole batch is fsynced), it is cut off so the next line stays readable.
fn open_capture(path: &Path, diag: &Diag) -> Result<(File, u64)> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)
        .with_context(|| format!("cannot open capture file {}", path.display()))?;
    let len = file.metadata()?.len();
    let whole = whole_lines_len(&mut file, len)
        .with_context(|| format!("cannot read capture file {}", path.display()))?;
    if whole < len {
        file.cut(whole)
            .with_context(|| format!("cannot cut the torn end of {}", path.display()))?;
        diag.warn(&format!(
            "capture file {}: cut {} bytes of an incomplete last line (a delivery that was \
             never acknowledged)",
            path.display(),
            len - whole
        ));
    }
    Ok((file, whole))
}

/// The length of `file` up to and including its last newline (`len` when
/// it is empty or ends with one), reading backwards in blocks.
fn whole_lines_len(file: &mut File, len: u64) -> std::io::Result<u64> {
    let mut end = len;
    let mut block = vec![0u8; 64 << 10];
    while end > 0 {
        let start = end.saturating_sub(block.len() as u64);
        let chunk = &mut block[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        if let Some(at) = memchr::memrchr(b'\n', chunk) {
            return Ok(start + at as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Verbosity;
    use crate::output::{Format, OutputSettings, make_sink};

    use crate::output::SharedBuf as Shared;

    fn job(body: &str) -> (Job, oneshot::Receiver<Reply>) {
        let (tx, rx) = oneshot::channel();
        let job = Job {
            incoming: Incoming::parse(body.as_bytes()).unwrap(),
            headers: r#"{"authorization":"<redacted>"}"#.into(),
            received_at: "2024-01-01T00:00:00.000Z".into(),
            reply: tx,
        };
        (job, rx)
    }

    fn envelope(id: &str, uuids: &[&str]) -> String {
        let events: Vec<String> = uuids
            .iter()
            .map(|u| {
                format!(
                    r#"{{"uuid":"{u}","eventType":"system.sms.send_phone_verification_message"}}"#
                )
            })
            .collect();
        format!(
            r#"{{"eventId":"{id}","data":{{"events":[{}]}}}}"#,
            events.join(",")
        )
    }

    #[test]
    fn duplicates_by_event_id_and_uuid_are_dropped_in_one_batch_and_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        let capture = dir.path().join("cap.ndjson");
        let state = dir.path().join("state");
        let out = Shared::default();
        let settings = OutputSettings {
            fields: Some(crate::fields::parse_list(&["uuid".into(), "event_id".into()]).unwrap()),
            ..OutputSettings::plain(Format::Ndjson)
        };
        let diag = Diag::new(Verbosity::Quiet, false);
        let (tx, rx) = mpsc::unbounded_channel();
        let mut replies = Vec::new();
        for body in [
            envelope("d1", &["a", "b"]),
            envelope("d1", &["c"]),      // same delivery id
            envelope("d2", &["b", "c"]), // b seen: only c kept
            envelope("d3", &["a"]),      // all seen
        ] {
            let (job, reply) = job(&body);
            tx.send(Msg::Delivery(job)).unwrap();
            tx.send(Msg::Tick).unwrap();
            replies.push(reply);
        }
        drop(tx);
        let mut sink = make_sink(&settings, Box::new(out.clone()));
        let writer = DeliveryRecorder::new(
            Some(&capture),
            Some(state.clone()),
            Memory::new(100),
            sink.as_mut(),
            EventTypeFilter::new(&[]),
            &diag,
        )
        .unwrap();
        let stats = writer.run(rx).unwrap();
        let got: Vec<Reply> = replies
            .into_iter()
            .map(|r| r.blocking_recv().unwrap())
            .collect();
        assert_eq!(
            got,
            [
                Reply::Recorded,
                Reply::Duplicate,
                Reply::Recorded,
                Reply::Duplicate
            ]
        );
        assert_eq!(
            (stats.deliveries, stats.duplicate_deliveries, stats.records),
            (2, 2, 3)
        );
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            text,
            "{\"uuid\":\"d1\",\"event_id\":\"a\"}\n{\"uuid\":\"d1\",\"event_id\":\"b\"}\n{\"uuid\":\"d2\",\"event_id\":\"c\"}\n"
        );
        assert_eq!(
            std::fs::read_to_string(&capture).unwrap().lines().count(),
            2
        );

        // A restart with the state file remembers them.
        let memory = dedupe::load(&state, 100).unwrap();
        assert!(memory.event_ids.contains("d2") && memory.uuids.contains("c"));
        // an all-duplicate delivery was answered 200, so its id is known too
        assert!(memory.event_ids.contains("d3"));
    }

    #[test]
    fn a_torn_capture_line_is_cut_before_appending() {
        let dir = tempfile::tempdir().unwrap();
        let capture = dir.path().join("cap.ndjson");
        let diag = Diag::new(Verbosity::Quiet, false);
        std::fs::write(&capture, "{\"a\":1}\n{\"torn\":").unwrap();
        let (_, len) = open_capture(&capture, &diag).unwrap();
        assert_eq!(len, 8);
        assert_eq!(std::fs::read_to_string(&capture).unwrap(), "{\"a\":1}\n");
        std::fs::write(&capture, "{\"torn\":").unwrap();
        assert_eq!(open_capture(&capture, &diag).unwrap().1, 0);
    }

    /// A capture in memory that fails like a full disk: the append that
    /// would cross `room` writes up to it, then fails; cutting works.
    struct FullDisk {
        data: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
        room: usize,
    }

    impl CaptureFile for FullDisk {
        fn append(&mut self, buf: &[u8]) -> std::io::Result<()> {
            let mut data = self.data.lock().unwrap();
            let fits = self.room.saturating_sub(data.len()).min(buf.len());
            data.extend_from_slice(&buf[..fits]);
            if fits < buf.len() {
                return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
            }
            Ok(())
        }
        fn sync(&mut self) -> std::io::Result<()> {
            Ok(())
        }
        fn size(&mut self) -> std::io::Result<u64> {
            Ok(self.data.lock().unwrap().len() as u64)
        }
        fn cut(&mut self, len: u64) -> std::io::Result<()> {
            self.data.lock().unwrap().truncate(len as usize);
            Ok(())
        }
    }

    #[test]
    fn a_failed_append_is_rolled_back_answered_500_and_not_counted() {
        let diag = Diag::new(Verbosity::Quiet, false);
        let data = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::unbounded_channel();
        let big: Vec<String> = (0..40).map(|i| format!("big-{i}")).collect();
        let big: Vec<&str> = big.iter().map(String::as_str).collect();
        let out = Shared::default();
        let settings = OutputSettings::plain(Format::Ndjson);
        let mut sink = make_sink(&settings, Box::new(out.clone()));
        let mut writer = DeliveryRecorder::new(
            None,
            None,
            Memory::new(100),
            sink.as_mut(),
            EventTypeFilter::new(&[]),
            &diag,
        )
        .unwrap();
        writer.capture = Some(Capture {
            path: "cap.ndjson".into(),
            file: Box::new(FullDisk {
                data: data.clone(),
                room: 1000,
            }),
            good_len: 0,
            torn: false,
        });
        let (got, stats) = std::thread::scope(|scope| {
            let running = scope.spawn(move || writer.run(rx));
            // one batch each: the first does not fit (a torn line), the
            // next ones do (room was freed by the roll-back)
            let mut got = Vec::new();
            for body in [
                envelope("d0", &big),
                envelope("d1", &["a"]),
                envelope("d2", &["b"]),
            ] {
                let (job, reply) = job(&body);
                tx.send(Msg::Delivery(job)).unwrap();
                got.push(reply.blocking_recv().unwrap());
            }
            drop(tx);
            (got, running.join().unwrap().unwrap())
        });
        assert_eq!(got, [Reply::Failed, Reply::Recorded, Reply::Recorded]);
        assert_eq!((stats.deliveries, stats.failed), (2, 1));
        let text = String::from_utf8(data.lock().unwrap().clone()).unwrap();
        let ids: Vec<String> = text
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("a whole line");
                v["envelope"]["eventId"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(ids, ["d1", "d2"]);
    }

    /// Runs a writer and sends `bodies` one batch each; the replies.
    fn one_by_one(writer: DeliveryRecorder<'_>, bodies: &[String]) -> Vec<Reply> {
        let (tx, rx) = mpsc::unbounded_channel();
        std::thread::scope(|scope| {
            let running = scope.spawn(move || writer.run(rx));
            let mut got = Vec::new();
            for body in bodies {
                let (job, reply) = job(body);
                tx.send(Msg::Delivery(job)).unwrap();
                got.push(reply.blocking_recv().unwrap());
            }
            drop(tx);
            running.join().unwrap().unwrap();
            got
        })
    }

    #[test]
    fn re_sending_an_old_capture_after_a_restart_keeps_the_newest_ids_known() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let diag = Diag::new(Verbosity::Quiet, false);
        let settings = OutputSettings::plain(Format::Ndjson);
        // 8 deliveries, one event each, a minute apart; the window holds 5
        let bodies: Vec<String> = (0..8)
            .map(|i| {
                format!(
                    r#"{{"eventId":"d{i}","eventTime":"2024-05-01T12:0{i}:00.000Z","data":{{"events":[{{"uuid":"u{i}","published":"2024-05-01T12:0{i}:00.000Z","eventType":"system.sms.send_phone_verification_message"}}]}}}}"#
                )
            })
            .collect();
        let run = |memory: Memory| {
            let mut sink = make_sink(&settings, Box::new(Shared::default()));
            let writer = DeliveryRecorder::new(
                None,
                Some(state.clone()),
                memory,
                sink.as_mut(),
                EventTypeFilter::new(&[]),
                &diag,
            )
            .unwrap();
            one_by_one(writer, &bodies)
        };
        assert!(run(Memory::new(5)).iter().all(|r| *r == Reply::Recorded));
        // restart, and the whole history is sent again, oldest first
        let again = run(dedupe::load(&state, 5).unwrap());
        // the 3 older than the window are recorded again (the documented
        // limit), but they do not push out the 5 newest, which stay known
        assert_eq!(
            again,
            [
                [Reply::Recorded; 3].as_slice(),
                [Reply::Duplicate; 5].as_slice()
            ]
            .concat()
        );
    }

    #[test]
    fn storage_errors_stay_visible_but_rate_limited() {
        let mut alarm = Alarm::default();
        let t0 = Instant::now();
        assert_eq!(alarm.check(t0, "disk full").as_deref(), Some("disk full"));
        for i in 1..=100 {
            assert!(
                alarm
                    .check(t0 + Duration::from_millis(i), "disk full")
                    .is_none()
            );
        }
        let again = alarm.check(t0 + ALARM_EVERY, "disk full").unwrap();
        assert!(again.contains("100 more"), "{again}");
    }
}
