//! [`Pipeline`]: the one [`Sink`] every record-rendering command writes to.
//! It feeds alert rules, masks, and either forwards records to the normal
//! renderer or, with `--group-by`, replaces them with the summary.

use super::args::AuditArgs;
use super::findings::Reporter;
use super::keys::Facts;
use super::mask::{MaskStore, Masker};
use super::render::write_summary;
use super::rules::{self, Engine};
use super::summary::{Sort, Summary};
use crate::diag::Diag;
use crate::exit::{ExitCode, Failure};
use crate::fields::{Field, Leaf};
use crate::output::{self, OutputSettings, Sink};
use crate::record::Record;
use anyhow::Result;
use std::io::Write;

enum Mode {
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
    mode: Mode,
    settings: OutputSettings,
    engine: Engine,
    masker: Option<Masker>,
    /// Whether the rendered fields include raw JSON that must be rewritten.
    mask_json: bool,
    reporter: Reporter,
    stream_findings: bool,
    diag: &'d Diag,
    finished: bool,
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
        let rules = rules::parse_all(&args.alerts).map_err(|e| Failure::usage(e.to_string()))?;
        let mode = if args.group_by.is_empty() {
            Mode::Records(output::make_sink(settings, out))
        } else {
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
            Mode::Summary {
                summary: Summary::new(keys),
                sort,
                top: args.top,
                out,
            }
        };
        let mask_json = settings.effective_fields().iter().any(|f| {
            matches!(
                f,
                Field::Leaf(Leaf::EventDetails | Leaf::DebugData | Leaf::Headers)
            )
        });
        Ok(Pipeline {
            mode,
            settings: settings.clone(),
            engine: Engine::new(rules),
            masker: args.mask.map(Masker::new),
            mask_json,
            reporter: Reporter::new(args.findings.as_deref())?,
            stream_findings: false,
            diag,
            finished: false,
        })
    }

    /// Report findings at every [`Sink::flush`] as well as at the end (for
    /// `watch`). Off by default, so a batch run reports each finding once
    /// with its final figure.
    pub fn stream_findings(&mut self, on: bool) {
        self.stream_findings = on;
    }

    /// Writes the summary as it stands now (for `watch --every`); does
    /// nothing without `--group-by`.
    pub fn emit_summary(&mut self) -> Result<()> {
        if let Mode::Summary {
            summary,
            sort,
            top,
            out,
        } = &mut self.mode
        {
            let rows = summary.rows(sort, *top);
            write_summary(
                out.as_mut(),
                &self.settings,
                summary.keys(),
                &rows,
                self.masker.as_ref(),
            )?;
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
        Ok(if self.engine.fired() > 0 {
            ExitCode::Finding
        } else {
            ExitCode::Ok
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

impl Sink for Pipeline<'_> {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        let facts = Facts::of(record);
        self.engine.observe(&facts);
        match &mut self.mode {
            Mode::Summary { summary, .. } => {
                summary.add(&facts);
                Ok(())
            }
            Mode::Records(sink) => match &self.masker {
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
            Mode::Records(sink) => sink.flush()?,
            Mode::Summary { out, .. } => out.flush()?,
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
            Mode::Records(sink) => sink.finish(),
            Mode::Summary { .. } => self.emit_summary(),
        };
        // Findings are reported even when the output failed.
        let reported = self.report();
        if self.engine.untimed > 0 {
            self.diag.warn(&format!(
                "{} event(s) without a valid `published` time were left out of windowed alert rules",
                self.engine.untimed
            ));
        }
        output?;
        reported
    }
}
