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
//! Between batches the queue may also bring [`Msg::Tick`]s, passed on to the
//! sink ([`Sink::tick`]) so a live summary re-emits itself on time.

use super::dedupe::{self, Memory};
use super::delivery::{Incoming, capture_line};
use crate::diag::Diag;
use crate::input::EventTypeFilter;
use crate::output::Sink;
use anyhow::{Context, Result};
use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use tokio::sync::{mpsc, oneshot};

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
pub struct WriterStats {
    pub deliveries: u64,
    pub duplicate_deliveries: u64,
    pub duplicate_events: u64,
    pub records: u64,
    pub other_types: u64,
    pub failed: u64,
}

/// Where recorded deliveries go. The sink is borrowed, so the caller can
/// ask it for its verdict (e.g. audit findings) after the run.
pub struct Writer<'d> {
    capture: Option<(PathBuf, File)>,
    state: Option<PathBuf>,
    memory: Memory,
    sink: &'d mut (dyn Sink + Send),
    filter: EventTypeFilter,
    diag: &'d Diag,
    stats: WriterStats,
}

impl<'d> Writer<'d> {
    pub fn new(
        capture: Option<&Path>,
        state: Option<PathBuf>,
        memory: Memory,
        sink: &'d mut (dyn Sink + Send),
        filter: EventTypeFilter,
        diag: &'d Diag,
    ) -> Result<Self> {
        let capture = match capture {
            Some(path) => Some((path.to_path_buf(), open_capture(path)?)),
            None => None,
        };
        Ok(Writer {
            capture,
            state,
            memory,
            sink,
            filter,
            diag,
            stats: WriterStats::default(),
        })
    }

    /// Records deliveries until every sender is gone, then closes the
    /// output. An output error (a closed pipe) ends the loop early.
    pub fn run(mut self, mut queue: mpsc::UnboundedReceiver<Msg>) -> Result<WriterStats> {
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
        let mut new_event_ids: HashSet<String> = HashSet::new();
        let mut new_uuids: HashSet<String> = HashSet::new();
        let mut lines: Vec<String> = Vec::new();
        let mut replies: Vec<(oneshot::Sender<Reply>, Reply)> = Vec::with_capacity(batch.len());
        for job in batch {
            let reply = self.admit(&job, &mut new_event_ids, &mut new_uuids, &mut lines);
            replies.push((job.reply, reply));
        }
        if !lines.is_empty()
            && let Err(e) = self.make_durable(&lines, &new_event_ids, &new_uuids)
        {
            self.diag
                .error(&format!("{e:#}; answered 500 so Okta retries"));
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
            }
            let _ = reply.send(outcome);
        }
        rendered
    }

    /// Decides what of one delivery is new and builds its capture line.
    fn admit(
        &mut self,
        job: &Job,
        new_event_ids: &mut HashSet<String>,
        new_uuids: &mut HashSet<String>,
        lines: &mut Vec<String>,
    ) -> Reply {
        let incoming = &job.incoming;
        if let Some(id) = &incoming.event_id
            && (self.memory.event_ids.contains(id) || !new_event_ids.insert(id.clone()))
        {
            self.stats.duplicate_deliveries += 1;
            return Reply::Duplicate;
        }
        let mut keep = Vec::with_capacity(incoming.uuids.len());
        for uuid in &incoming.uuids {
            let new = match uuid {
                Some(u) => !self.memory.uuids.contains(u) && new_uuids.insert(u.clone()),
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
                self.stats.deliveries += 1;
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
        new_event_ids: &HashSet<String>,
        new_uuids: &HashSet<String>,
    ) -> Result<()> {
        if let Some((path, file)) = &mut self.capture {
            let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
            for line in lines {
                buf.extend_from_slice(line.as_bytes());
                buf.push(b'\n');
            }
            file.write_all(&buf)
                .and_then(|_| file.sync_data())
                .with_context(|| format!("cannot append to capture file {}", path.display()))?;
        }
        for id in new_event_ids {
            self.memory.event_ids.insert(id);
        }
        for id in new_uuids {
            self.memory.uuids.insert(id);
        }
        if let Some(path) = &self.state {
            dedupe::save(path, &self.memory)?;
        }
        Ok(())
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

/// Opens the capture file for appending. When a crash left a torn last
/// line, a newline is added first so the next line stays readable.
fn open_capture(path: &Path) -> Result<File> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)
        .with_context(|| format!("cannot open capture file {}", path.display()))?;
    let len = file.metadata()?.len();
    if len > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            file.write_all(b"\n")?;
            file.sync_data()?;
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Verbosity;
    use crate::output::{Format, OutputSettings, TimeZoneChoice, make_sink};

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
            format: Format::Ndjson,
            fields: Some(crate::fields::parse_list(&["uuid".into(), "event_id".into()]).unwrap()),
            wide: false,
            no_header: false,
            color: false,
            time_zone: TimeZoneChoice::Utc,
            terminal: false,
            csv_safe: false,
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
        let writer = Writer::new(
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
    fn a_torn_capture_line_is_closed_before_appending() {
        let dir = tempfile::tempdir().unwrap();
        let capture = dir.path().join("cap.ndjson");
        std::fs::write(&capture, "{\"torn\":").unwrap();
        drop(open_capture(&capture).unwrap());
        assert_eq!(std::fs::read_to_string(&capture).unwrap(), "{\"torn\":\n");
    }
}
