//! The audit flags every record-rendering command takes (`--group-by`,
//! `--sort`, `--top`, `--alert`, `--findings`, `--mask`), as one clap group.

use super::keys::Key;
use super::mask::MaskChoice;
use super::preset::Preset;
use clap::Args;
use std::path::PathBuf;

/// `--alert` grammar and examples, shown in `--help`.
pub const ALERT_HELP: &str = "\
Alert rule (repeatable). When any rule fires the exit code is 3; findings go
to stderr (rule, group, figure, first and last event id) and to --findings.
  MEASURE[-per-KEY] > N [within DURATION]    also >=
  KEY [not] in VALUE,VALUE,...
  KEY = VALUE, KEY != VALUE                  the same as in / not in
  new KEY                                    a value the --baseline never had
  MEASURE  sends, denied (DENY outcomes), users, phones, actors, ips,
           countries, providers, regions, prefixes (the plural ones count
           distinct values)
  KEY      phone, user, actor, country (calling code), ip, provider,
           outcome, region (ISO 3166-1 alpha-2, from the number), line_type
           (mobile, premium_rate, toll_free, shared_cost, ...), prefix (the
           number without its last --prefix-digits digits), valid
  DURATION 30s, 15m, 1h, 1h30m, 24h, 7d: a sliding window over `published`
Examples:
  --alert 'sends-per-phone > 5 within 1h'   a burst of sends to one phone
  --alert 'users-per-phone > 1'             one phone shared by several users
  --alert 'sends-per-user > 10 within 24h'
  --alert 'country not in 1,44,49'          sends to unexpected calling codes
  --alert 'denied > 0'                      Okta blocked a send
  --alert 'phones-per-prefix > 5 within 1h' consecutive numbers pumped
  --alert 'line_type in premium_rate,shared_cost'
  --alert 'region not in US,CA,GB'          sends to unexpected regions
  --alert 'valid = false'                   numbers no plan assigns
  --alert 'new region' --baseline last-month.ndjson";

/// `--report FILE` for `parse` and `fetch`.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Audit")]
pub struct ReportArgs {
    /// Also write a report to FILE: `.html` (one self-contained page with
    /// charts, for a browser or print) or `.md` (Markdown tables, e.g. for
    /// `$GITHUB_STEP_SUMMARY`), written when the run ends.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

impl ReportArgs {
    /// Moves `--report` into the audit flags.
    pub fn apply(&mut self, audit: &mut AuditArgs) {
        audit.report = self.report.take();
    }
}

/// `--findings-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FindingsFormat {
    /// One JSON object per finding, one per line.
    #[default]
    Ndjson,
    /// JUnit XML: one test case per rule, a failure per finding.
    Junit,
}

/// Summaries, alert rules and masking.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Audit")]
pub struct AuditArgs {
    /// Print one row per group instead of the events: `count`, `users`,
    /// `phones`, `actors` (distinct), `denied`, `first_seen`, `last_seen`.
    /// Phones are normalised to E.164; events without a value group under
    /// `unknown`.
    #[arg(
        long = "group-by",
        value_enum,
        value_delimiter = ',',
        value_name = "KEY,..."
    )]
    pub group_by: Vec<Key>,
    /// Sort the groups by a key or column, `:asc` or `:desc` [default:
    /// count, descending].
    #[arg(long, value_name = "COLUMN[:asc|:desc]", requires = "group_by")]
    pub sort: Option<String>,
    /// Keep only the first N groups (the largest, by default).
    #[arg(long, value_name = "N", value_parser = crate::flagrange::whole::<usize>(1, u64::MAX), requires = "group_by")]
    pub top: Option<usize>,
    /// Alert rule, e.g. 'users-per-phone > 1'; exit code 3 when it fires.
    #[arg(long = "alert", value_name = "RULE", long_help = ALERT_HELP)]
    pub alerts: Vec<String>,
    /// Also write the findings to FILE (NDJSON, or JUnit XML with
    /// `--findings-format junit`).
    #[arg(long, value_name = "FILE")]
    pub findings: Option<PathBuf>,
    /// The `--findings` file's format: `ndjson` (one object per finding,
    /// written as found) or `junit` (JUnit XML for CI test-report views:
    /// one test case per rule, a failure per finding, written at the end).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = FindingsFormat::Ndjson, requires = "findings")]
    pub findings_format: FindingsFormat,
    /// `--report` ([`ReportArgs`], which the batch commands flatten next to
    /// these flags: `replay --report` is its delivery report).
    #[arg(skip)]
    pub report: Option<PathBuf>,
    /// Earlier events (any input shape; repeatable) read first as the norm
    /// for `new KEY` rules: `--alert 'new region'` fires for a send to a
    /// region these events never had.
    #[arg(long = "baseline", value_name = "FILE")]
    pub baseline: Vec<PathBuf>,
    /// A named bundle of alert rules (repeatable; adds to `--alert`):
    /// `toll-fraud`. `--explain` lists its rules and their sources.
    #[arg(long = "preset", value_enum, value_name = "NAME")]
    pub presets: Vec<Preset>,
    /// Print the rules of `--preset` and `--alert` with why and where each
    /// comes from, and exit without reading any input.
    #[arg(long)]
    pub explain: bool,
    /// How many trailing digits the `prefix` key (the number range) drops.
    #[arg(long, value_name = "N", default_value_t = super::keys::DEFAULT_PREFIX_DIGITS,
          value_parser = crate::flagrange::whole::<usize>(1, 8))]
    pub prefix_digits: usize,
    /// Hide phone numbers (all but calling code and last two digits) and/or
    /// logins (a keyed hash, consistent within the run) in every output.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub mask: Option<MaskChoice>,
}

impl Default for AuditArgs {
    fn default() -> Self {
        AuditArgs {
            group_by: Vec::new(),
            sort: None,
            top: None,
            alerts: Vec::new(),
            findings: None,
            findings_format: FindingsFormat::Ndjson,
            presets: Vec::new(),
            report: None,
            baseline: Vec::new(),
            explain: false,
            prefix_digits: super::keys::DEFAULT_PREFIX_DIGITS,
            mask: None,
        }
    }
}

impl AuditArgs {
    /// Every rule to run: the presets', then `--alert`'s.
    pub fn rule_texts(&self) -> Vec<String> {
        super::preset::all_rules(&self.presets, &self.alerts)
    }

    /// `--explain`: writes the rules to `out`.
    pub fn explain(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        super::preset::explain(&self.presets, &self.alerts, out)
    }

    /// True when any audit flag is set.
    pub fn is_active(&self) -> bool {
        !self.group_by.is_empty()
            || !self.alerts.is_empty()
            || !self.presets.is_empty()
            || self.report.is_some()
            || !self.baseline.is_empty()
            || self.mask.is_some()
    }
}
