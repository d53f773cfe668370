//! The audit side of `watch` (both sources): an [`audit::Pipeline`] that
//! reports findings at every flush (each page, each delivery batch) and,
//! with `--group-by`, re-emits the summary every `--every` (on a terminal:
//! redrawn in place, also after each flush that brought records). Polling
//! and the hook receiver drive it through [`Sink`]: `flush` after writing,
//! `tick` while waiting.

use crate::audit::{self, AuditArgs};
use crate::diag::Diag;
use crate::exit::ExitCode;
use crate::output::{OutputSettings, Sink};
use crate::record::Record;
use anyhow::Result;
use std::io::Write;
use std::time::{Duration, Instant};

/// The default of `--every`.
pub const DEFAULT_EVERY: &str = "60s";

/// How the live summary is shown.
#[derive(Debug, Clone, Copy)]
pub struct LiveOptions {
    /// `--every`: how often the summary is re-emitted.
    pub every: Duration,
    /// Stdout is a terminal: redraw the summary in place.
    pub terminal: bool,
}

/// A [`Sink`] for `watch`: the audit pipeline plus the summary's timer.
pub struct Live<'d> {
    pipeline: audit::Pipeline<'d>,
    options: LiveOptions,
    last: Instant,
    /// Records arrived since the summary was last written.
    dirty: bool,
}

impl<'d> Live<'d> {
    /// Builds the pipeline (a bad rule or flag is a usage error, exit 2);
    /// `renderer` renders plain records, see
    /// [`audit::Pipeline::with_renderer`].
    pub fn new(
        args: &AuditArgs,
        settings: &OutputSettings,
        out: Box<dyn Write + Send>,
        options: LiveOptions,
        diag: &'d Diag,
        renderer: impl FnOnce(&OutputSettings, Box<dyn Write + Send>) -> Result<Box<dyn Sink + Send>>,
    ) -> Result<Self> {
        let mut pipeline = audit::Pipeline::with_renderer(args, settings, out, diag, renderer)?;
        pipeline.stream_findings(true);
        pipeline.redraw_in_place(options.terminal);
        Ok(Live {
            pipeline,
            options,
            last: Instant::now(),
            dirty: false,
        })
    }

    /// Ends the output (once) and returns [`ExitCode::Finding`] when any
    /// rule fired.
    pub fn finish_with_code(&mut self) -> Result<ExitCode> {
        self.pipeline.finish_with_code()
    }

    fn emit(&mut self) -> Result<()> {
        self.last = Instant::now();
        self.dirty = false;
        self.pipeline.emit_summary()
    }
}

impl Sink for Live<'_> {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        self.dirty = true;
        self.pipeline.record(record)
    }

    fn flush(&mut self) -> Result<()> {
        self.pipeline.flush()?;
        if self.pipeline.is_summary() && self.options.terminal && self.dirty {
            self.emit()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.pipeline.finish()
    }

    fn tick(&mut self) -> Result<()> {
        if self.pipeline.is_summary() && self.last.elapsed() >= self.options.every {
            self.emit()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Key;
    use crate::diag::Verbosity;
    use crate::output::{Format, make_sink};

    use crate::output::SharedBuf as Buf;
    impl Buf {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn settings() -> OutputSettings {
        OutputSettings::plain(Format::Csv)
    }

    const EVENT: &str = r#"{"uuid":"e1","published":"2024-05-01T10:00:00.000Z","target":[{"type":"User","alternateId":"a@x"},{"type":"MobilePhone","alternateId":"+15550000001"}]}"#;

    fn live<'d>(
        args: &AuditArgs,
        buf: &Buf,
        every: Duration,
        terminal: bool,
        diag: &'d Diag,
    ) -> Live<'d> {
        Live::new(
            args,
            &settings(),
            Box::new(buf.clone()),
            LiveOptions { every, terminal },
            diag,
            |s, o| Ok(make_sink(s, o)),
        )
        .unwrap()
    }

    #[test]
    fn the_summary_is_re_emitted_at_each_tick_once_due() {
        let diag = Diag::new(Verbosity::Quiet, false);
        let args = AuditArgs {
            group_by: vec![Key::Phone],
            ..AuditArgs::default()
        };
        let record = Record::from_event(EVENT, serde_json::from_str(EVENT).unwrap(), None);

        let buf = Buf::default();
        let mut sink = live(&args, &buf, Duration::from_secs(3600), false, &diag);
        sink.record(&record).unwrap();
        sink.flush().unwrap();
        sink.tick().unwrap();
        assert_eq!(buf.text(), "", "not due yet, and no redraw off a terminal");

        let buf = Buf::default();
        let mut sink = live(&args, &buf, Duration::ZERO, false, &diag);
        sink.record(&record).unwrap();
        sink.tick().unwrap();
        sink.record(&record).unwrap();
        sink.tick().unwrap();
        assert_eq!(sink.finish_with_code().unwrap(), ExitCode::Ok);
        let text = buf.text();
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("+15550000001,"))
            .collect();
        assert_eq!(rows.len(), 3, "two ticks and the end: {text}");
        assert!(rows[0].starts_with("+15550000001,1,"), "{text}");
        assert!(rows[2].starts_with("+15550000001,2,"), "{text}");
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn on_a_terminal_the_summary_is_redrawn_after_new_records() {
        let diag = Diag::new(Verbosity::Quiet, false);
        let args = AuditArgs {
            group_by: vec![Key::Phone],
            ..AuditArgs::default()
        };
        let record = Record::from_event(EVENT, serde_json::from_str(EVENT).unwrap(), None);
        let buf = Buf::default();
        let mut sink = live(&args, &buf, Duration::from_secs(3600), true, &diag);
        sink.flush().unwrap();
        assert_eq!(buf.text(), "", "nothing new, nothing redrawn");
        sink.record(&record).unwrap();
        sink.flush().unwrap();
        assert!(buf.text().starts_with("\u{1b}[H\u{1b}[2Jphone,count"));
    }

    #[test]
    fn records_pass_through_and_findings_set_the_code() {
        let diag = Diag::new(Verbosity::Quiet, false);
        let args = AuditArgs {
            alerts: vec!["sends > 0".into()],
            ..AuditArgs::default()
        };
        let record = Record::from_event(EVENT, serde_json::from_str(EVENT).unwrap(), None);
        let buf = Buf::default();
        let mut sink = live(&args, &buf, Duration::ZERO, false, &diag);
        sink.record(&record).unwrap();
        sink.flush().unwrap();
        sink.tick().unwrap();
        assert_eq!(sink.finish_with_code().unwrap(), ExitCode::Finding);
        assert_eq!(buf.text().lines().count(), 2, "CSV header and the record");
    }
}
