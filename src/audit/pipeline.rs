//! [`Pipeline`]: the one [`Sink`] every record-rendering command writes to.
//! It feeds alert rules, masks, and either forwards records to the normal
//! renderer or, with `--group-by`, replaces them with the summary.

use super::args::AuditArgs;
use super::findings::Reporter;
use super::keys::{Facts, Key};
use super::mask::{MaskStore, Masker};
use super::render::summary_grid;
use super::report::ReportWriter;
use super::rules::{self, Engine};
use super::summary::{Sort, Summary};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::fields::{Field, Leaf};
use crate::input::framer::DEFAULT_MAX_RECORD;
use crate::input::{EventTypeFilter, ReadOptions};
use crate::output::{self, OutputSettings, Sink};
use crate::record::Record;
use anyhow::Result;
use std::io::Write;

/// What the pipeline writes: the records, or (`--group-by`) the summary.
enum PipelineOutput {
    /// Records go on to the renderer.
    Records(Box<dyn Sink + Send>),
    /// Records only feed the summary, written at the end.
    Summary {
        summary: Summary,
        sort: Sort,
        top: Option<usize>,
        out: Box<dyn Write + Send>,
    },
}

/// Records in, rendered records or a summary out, findings on the side.
pub struct Pipeline<'d> {
    mode: PipelineOutput,
    settings: OutputSettings,
    engine: Engine,
    masker: Option<Masker>,
    /// Whether the rendered fields include raw JSON that must be rewritten.
    mask_json: bool,
    reporter: Reporter,
    stream_findings: bool,
    /// Clear the terminal before each summary (live `watch` on a terminal).
    redraw: bool,
    diag: &'d Diag,
    finished: bool,
    /// `--prefix-digits`.
    prefix_digits: usize,
    /// `--report`, with the counts it gathers.
    report: Option<ReportWriter>,
    /// Every rule's text, in order (for the report).
    rule_texts: Vec<String>,
}

impl<'d> Pipeline<'d> {
    /// Validates the audit flags (a bad rule, `--sort` column or an
    /// unwritable `--findings` file fails here, before any work: rule and
    /// flag errors are usage errors, exit code 2) and builds the sink.
    pub fn new(
        args: &AuditArgs,
        settings: &OutputSettings,
        out: Box<dyn Write + Send>,
        diag: &'d Diag,
    ) -> Result<Self> {
        Self::with_renderer(args, settings, out, diag, |settings, out| {
            Ok(output::make_sink(settings, out))
        })
    }

    /// Like [`Pipeline::new`], but records (when there is no `--group-by`)
    /// are rendered by the sink `renderer` builds from `out` (e.g. the
    /// fixed-width rows of `watch`). `renderer` is called only then.
    pub fn with_renderer(
        args: &AuditArgs,
        settings: &OutputSettings,
        out: Box<dyn Write + Send>,
        diag: &'d Diag,
        renderer: impl FnOnce(&OutputSettings, Box<dyn Write + Send>) -> Result<Box<dyn Sink + Send>>,
    ) -> Result<Self> {
        let rules =
            rules::parse_all(&args.rule_texts()).map_err(|e| Failure::usage(e.to_string()))?;
        if args.findings.is_some() && rules.is_empty() {
            return Err(Failure::usage("--findings needs a rule: give --alert or --preset").into());
        }
        let rule_texts: Vec<String> = rules.iter().map(|r| r.text.clone()).collect();
        let mode = if args.group_by.is_empty() {
            PipelineOutput::Records(renderer(settings, out)?)
        } else {
            summary_output(args, settings, out)?
        };
        if needs_phone_meta(args, settings, &rules) {
            crate::phone_meta::warm_up();
        }
        let mask_json = settings.effective_fields().iter().any(|f| {
            matches!(
                f,
                Field::Leaf(Leaf::EventDetails | Leaf::DebugData | Leaf::Headers)
            )
        });
        let mut engine = Engine::new(rules);
        learn_baseline(&mut engine, args, diag)?;
        let report = args.report.as_deref().map(ReportWriter::new).transpose()?;
        let mut reporter =
            Reporter::with_format(args.findings.as_deref(), args.findings_format, &rule_texts)?;
        if report.is_some() {
            reporter.keep_findings();
        }
        Ok(Pipeline {
            mode,
            settings: settings.clone(),
            engine,
            masker: args.mask.map(Masker::new),
            mask_json,
            reporter,
            stream_findings: false,
            redraw: false,
            diag,
            finished: false,
            prefix_digits: args.prefix_digits,
            report,
            rule_texts,
        })
    }

    /// Report findings at every [`Sink::flush`] as well as at the end (for
    /// `watch`). Off by default, so a batch run reports each finding once
    /// with its final figure.
    pub fn stream_findings(&mut self, on: bool) {
        self.stream_findings = on;
    }

    /// Clear the screen before each summary, so on a terminal it is
    /// redrawn in place (for `watch`). Off by default.
    pub fn redraw_in_place(&mut self, on: bool) {
        self.redraw = on;
    }

    /// True with `--group-by`: the output is the summary, not the records.
    pub fn is_summary(&self) -> bool {
        matches!(self.mode, PipelineOutput::Summary { .. })
    }

    /// Writes the summary as it stands now and flushes it (for `watch
    /// --every`); does nothing without `--group-by`.
    pub fn emit_summary(&mut self) -> Result<()> {
        if let PipelineOutput::Summary {
            summary,
            sort,
            top,
            out,
        } = &mut self.mode
        {
            let rows = summary.rows(sort, *top);
            let grid = summary_grid(summary.keys(), &rows, self.masker.as_ref());
            if self.redraw {
                output::grid::redraw_grid(out.as_mut(), &self.settings, &grid)?;
            } else {
                output::grid::write_grid(out.as_mut(), &self.settings, &grid)?;
            }
            out.flush()?;
        }
        Ok(())
    }

    /// How many (rule, group) findings fired so far.
    pub fn findings(&self) -> usize {
        self.engine.fired()
    }

    /// Ends the output, reports the findings and returns
    /// [`ExitCode::Finding`] (3) when any rule fired, else [`ExitCode::Ok`].
    pub fn finish_with_code(&mut self) -> Result<ExitCode> {
        self.finish()?;
        let code = if self.engine.fired() > 0 {
            ExitCode::Finding
        } else {
            ExitCode::Ok
        };
        // A windowed rule that could not read some events' times did not
        // audit them: that is unreadable input, not an all-clear.
        Ok(if self.engine.untimed > 0 {
            code.worst(ExitCode::BadInput)
        } else {
            code
        })
    }

    fn report(&mut self) -> Result<()> {
        let new = self.engine.take_new_findings();
        if new.is_empty() {
            return Ok(());
        }
        self.reporter.report(&new, self.masker.as_ref(), self.diag)
    }
}

/// The `--group-by` output: its keys (each once), `--sort` and `--top`.
/// `--fields` is a usage error with it (the summary has its own columns).
fn summary_output(
    args: &AuditArgs,
    settings: &OutputSettings,
    out: Box<dyn Write + Send>,
) -> Result<PipelineOutput> {
    if settings.fields.is_some() {
        return Err(Failure::usage(
            "--fields does not apply with --group-by: the summary has its own columns",
        )
        .into());
    }
    let mut keys = Vec::new();
    for key in &args.group_by {
        if !keys.contains(key) {
            keys.push(*key);
        }
    }
    let sort = match &args.sort {
        Some(text) => Sort::parse(text, &keys).map_err(Failure::usage)?,
        None => Sort::default(),
    };
    Ok(PipelineOutput::Summary {
        summary: Summary::new(keys),
        sort,
        top: args.top,
        out,
    })
}

/// True when a field shown, a key grouped by, a rule or the report reads
/// the phone metadata (region, line type, validity), which is then loaded
/// up front rather than at the first record.
fn needs_phone_meta(
    args: &AuditArgs,
    settings: &OutputSettings,
    rules: &[rules::grammar::Rule],
) -> bool {
    let meta_fields = settings.effective_fields().iter().any(|f| {
        matches!(
            f,
            Field::Leaf(Leaf::PhoneRegion | Leaf::PhoneLineType | Leaf::PhoneValid)
        )
    });
    let needs_meta = |k: &Key| matches!(k, Key::Region | Key::LineType | Key::Valid);
    meta_fields
        || args.report.is_some()
        || args.group_by.iter().any(needs_meta)
        || rules.iter().any(|r| r.keys().iter().any(needs_meta))
}

/// Reads the `--baseline` files into the engine's `new KEY` rules.
fn learn_baseline(engine: &mut Engine, args: &AuditArgs, diag: &Diag) -> Result<()> {
    let keys = engine.baseline_keys();
    match (keys.is_empty(), args.baseline.is_empty()) {
        (true, true) => return Ok(()),
        (false, true) => {
            return Err(Failure::usage(
                "a `new KEY` rule compares with earlier events: give them with --baseline FILE",
            )
            .into());
        }
        (true, false) => {
            return Err(Failure::usage(
                "--baseline is only read for `new KEY` rules, e.g. --alert 'new region'",
            )
            .into());
        }
        (false, false) => {}
    }
    for path in &args.baseline {
        if path.as_os_str() != "-" {
            std::fs::File::open(path)
                .map_err(|e| Failure::usage(format!("--baseline {}: {e}", path.display())))?;
        }
    }
    struct Learn<'e> {
        engine: &'e mut Engine,
        prefix_digits: usize,
    }
    impl Sink for Learn<'_> {
        fn record(&mut self, record: &Record<'_>) -> Result<()> {
            let mut facts = Facts::of(record);
            facts.prefix_digits = self.prefix_digits;
            self.engine.learn(&facts);
            Ok(())
        }
        fn flush(&mut self) -> Result<()> {
            Ok(())
        }
        fn finish(&mut self) -> Result<()> {
            Ok(())
        }
    }
    let opts = ReadOptions {
        strict: false,
        event_types: EventTypeFilter::new(&[]),
        keep_duplicates: false,
        max_record: DEFAULT_MAX_RECORD,
    };
    let mut learn = Learn {
        engine,
        prefix_digits: args.prefix_digits,
    };
    let stats = crate::input::read_inputs(&args.baseline, &opts, &mut learn, diag)?;
    let seen: Vec<String> = keys
        .iter()
        .map(|k| format!("{} {}", learn.engine.baseline_len(*k), k.name()))
        .collect();
    diag.note(&format!(
        "baseline: {} event(s), {} distinct",
        stats.records,
        seen.join(", ")
    ));
    Ok(())
}

impl Sink for Pipeline<'_> {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        if let PipelineOutput::Records(sink) = &mut self.mode
            && self.masker.is_none()
            && self.engine.is_empty()
            && self.report.is_none()
        {
            // No audit flag: the pipeline is just the renderer.
            return sink.record(record);
        }
        let mut facts = Facts::of(record);
        facts.prefix_digits = self.prefix_digits;
        self.engine.observe(&facts);
        if let Some(report) = &mut self.report {
            report.collector.add(&facts);
        }
        match &mut self.mode {
            PipelineOutput::Summary { summary, .. } => {
                summary.add(&facts);
                Ok(())
            }
            PipelineOutput::Records(sink) => match &self.masker {
                None => sink.record(record),
                Some(masker) => {
                    let mut store = MaskStore::default();
                    let masked = masker.record(record, &facts, self.mask_json, &mut store);
                    sink.record(&masked)
                }
            },
        }
    }

    fn flush(&mut self) -> Result<()> {
        match &mut self.mode {
            PipelineOutput::Records(sink) => sink.flush()?,
            PipelineOutput::Summary { out, .. } => out.flush()?,
        }
        if self.stream_findings {
            self.report()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let output = match &mut self.mode {
            PipelineOutput::Records(sink) => sink.finish(),
            PipelineOutput::Summary { .. } => self.emit_summary(),
        };
        if let PipelineOutput::Summary { summary, .. } = &self.mode
            && summary.untimed > 0
        {
            self.diag.warn(&format!(
                "{} event(s) without a readable `published` time are grouped under `unknown` \
                 by day or hour",
                summary.untimed
            ));
        }
        // Findings are reported even when the output failed.
        let reported = self
            .report()
            .and_then(|()| self.reporter.finish(self.masker.as_ref()))
            .and_then(|()| match &self.report {
                Some(report) => {
                    report.write(&self.rule_texts, self.reporter.kept(), self.masker.as_ref())
                }
                None => Ok(()),
            });
        if self.engine.untimed > 0 {
            self.diag.error(&format!(
                "{} event(s) without a readable `published` time were left out of windowed \
                 alert rules (exit code 6)",
                self.engine.untimed
            ));
        }
        output?;
        reported
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Verbosity;
    use crate::output::Format;

    use crate::output::SharedBuf as Buf;

    fn settings(format: Format) -> OutputSettings {
        OutputSettings::plain(format)
    }

    const EVENT: &str = r#"{"uuid":"e1","published":"2024-05-01T10:00:00.000Z","target":[{"type":"User","alternateId":"a@x"},{"type":"MobilePhone","alternateId":"+15550000001"}]}"#;

    fn feed(args: AuditArgs, format: Format, times: usize) -> (String, ExitCode) {
        let diag = Diag::new(Verbosity::Quiet, false);
        let buf = Buf::default();
        let mut p = Pipeline::new(&args, &settings(format), Box::new(buf.clone()), &diag).unwrap();
        let record = Record::from_event(EVENT, serde_json::from_str(EVENT).unwrap(), None);
        for _ in 0..times {
            p.record(&record).unwrap();
        }
        let code = p.finish_with_code().unwrap();
        let code_again = p.finish_with_code().unwrap();
        assert_eq!(code, code_again, "finishing twice is harmless");
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        (text, code)
    }

    #[test]
    fn without_flags_records_pass_through_and_exit_is_ok() {
        let (text, code) = feed(AuditArgs::default(), Format::Ndjson, 2);
        assert_eq!(text.lines().count(), 2);
        assert!(text.contains("+15550000001"));
        assert_eq!(code, ExitCode::Ok);
    }

    #[test]
    fn group_by_replaces_records_with_the_summary() {
        let args = AuditArgs {
            group_by: vec![super::super::Key::Phone],
            alerts: vec!["sends-per-phone > 2".into()],
            ..AuditArgs::default()
        };
        let (text, code) = feed(args, Format::Csv, 3);
        assert_eq!(
            text,
            "phone,count,users,phones,actors,denied,first_seen,last_seen\n\
             +15550000001,3,1,1,0,0,2024-05-01T10:00:00.000Z,2024-05-01T10:00:00.000Z\n"
        );
        assert_eq!(code, ExitCode::Finding);
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        let diag = Diag::new(Verbosity::Quiet, false);
        let usage = |args: AuditArgs, settings: OutputSettings| {
            let err = Pipeline::new(&args, &settings, Box::new(Buf::default()), &diag)
                .err()
                .unwrap();
            crate::exit::code_for(&err)
        };
        let rule = AuditArgs {
            alerts: vec!["sends >".into()],
            ..AuditArgs::default()
        };
        assert_eq!(usage(rule, settings(Format::Csv)), ExitCode::Usage);
        let sort = AuditArgs {
            group_by: vec![super::super::Key::Phone],
            sort: Some("user".into()),
            ..AuditArgs::default()
        };
        assert_eq!(usage(sort, settings(Format::Csv)), ExitCode::Usage);
        let fields = AuditArgs {
            group_by: vec![super::super::Key::Phone],
            ..AuditArgs::default()
        };
        let mut with_fields = settings(Format::Csv);
        with_fields.fields = Some(vec![Field::Leaf(Leaf::Published)]);
        assert_eq!(usage(fields, with_fields), ExitCode::Usage);
    }

    #[test]
    fn streamed_findings_are_written_at_flush_and_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.ndjson");
        let args = AuditArgs {
            alerts: vec!["sends > 0".into()],
            findings: Some(path.clone()),
            ..AuditArgs::default()
        };
        let diag = Diag::new(Verbosity::Quiet, false);
        let mut p = Pipeline::new(
            &args,
            &settings(Format::Ndjson),
            Box::new(Buf::default()),
            &diag,
        )
        .unwrap();
        let record = Record::from_event(EVENT, serde_json::from_str(EVENT).unwrap(), None);
        let lines = || std::fs::read_to_string(&path).unwrap().lines().count();
        p.record(&record).unwrap();
        p.flush().unwrap();
        assert_eq!(lines(), 0, "batch mode waits for the end");
        p.stream_findings(true);
        p.flush().unwrap();
        assert_eq!(lines(), 1);
        p.record(&record).unwrap();
        assert_eq!(p.finish_with_code().unwrap(), ExitCode::Finding);
        assert_eq!(lines(), 1);
    }

    #[test]
    fn the_pipeline_can_move_to_another_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<Pipeline<'static>>();
    }
}
