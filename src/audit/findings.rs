//! Reporting findings: one readable line each on stderr (through `Diag`)
//! and, with `--findings FILE`, one NDJSON object per finding as it is
//! reported, or (`--findings-format junit`) a JUnit XML document written
//! when the run ends ([`super::junit`]). Group values are masked as the
//! output is.

use super::args::FindingsFormat;
use super::keys::format_time;
use super::mask::Masker;
use super::rules::Finding;
use crate::diag::Diag;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where findings go.
#[derive(Debug)]
pub struct Reporter {
    file: Option<(PathBuf, BufWriter<File>)>,
    /// With JUnit: every rule's text, and the findings kept until the end.
    junit: Option<(Vec<String>, Vec<Finding>)>,
    /// Every finding reported, kept for `--report` (when asked).
    kept: Option<Vec<Finding>>,
}

impl Reporter {
    /// Creates (truncates) the findings file now, so a bad path fails
    /// before any work.
    pub fn new(path: Option<&Path>) -> Result<Self> {
        Self::with_format(path, FindingsFormat::Ndjson, &[])
    }

    /// Like [`Reporter::new`]; with [`FindingsFormat::Junit`] the file is
    /// written by [`Reporter::finish`], one test case per rule in `rules`.
    pub fn with_format(
        path: Option<&Path>,
        format: FindingsFormat,
        rules: &[String],
    ) -> Result<Self> {
        let mut reporter = Self::open(path)?;
        if format == FindingsFormat::Junit && reporter.file.is_some() {
            reporter.junit = Some((rules.to_vec(), Vec::new()));
        }
        Ok(reporter)
    }

    /// Keeps every finding reported from now on, for [`Reporter::kept`].
    pub fn keep_findings(&mut self) {
        self.kept.get_or_insert_with(Vec::new);
    }

    /// The findings reported so far (empty unless [`Reporter::keep_findings`]).
    pub fn kept(&self) -> &[Finding] {
        self.kept.as_deref().unwrap_or(&[])
    }

    fn open(path: Option<&Path>) -> Result<Self> {
        let file = match path {
            Some(p) => {
                let f = File::create(p)
                    .with_context(|| format!("cannot create findings file {}", p.display()))?;
                Some((p.to_path_buf(), BufWriter::new(f)))
            }
            None => None,
        };
        Ok(Reporter {
            file,
            junit: None,
            kept: None,
        })
    }

    /// Writes the JUnit document (with `--findings-format junit`); the
    /// NDJSON file was written as findings came.
    pub fn finish(&mut self, masker: Option<&Masker>) -> Result<()> {
        if let (Some((rules, findings)), Some((path, out))) = (self.junit.take(), &mut self.file) {
            out.write_all(super::junit::document(&rules, &findings, masker).as_bytes())
                .and_then(|()| out.flush())
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }

    pub fn report(
        &mut self,
        findings: &[Finding],
        masker: Option<&Masker>,
        diag: &Diag,
    ) -> Result<()> {
        for f in findings {
            diag.warn(&line(f, masker));
            if let Some(kept) = &mut self.kept {
                kept.push(f.clone());
            }
            if let Some((_, junit)) = &mut self.junit {
                junit.push(f.clone());
                continue;
            }
            if let Some((path, out)) = &mut self.file {
                writeln!(out, "{}", json(f, masker))
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        if let Some((path, out)) = &mut self.file {
            out.flush()
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}

fn group_text(f: &Finding, masker: Option<&Masker>) -> String {
    match masker {
        Some(m) => m.group(f.key, &f.group).into_owned(),
        None => f.group.clone(),
    }
}

/// `alert `users-per-phone > 1`: phone +15550000001: 3 users (first event
/// e1, last event e3)`.
pub fn line(f: &Finding, masker: Option<&Masker>) -> String {
    let group = match f.key {
        Some(k) => format!("{} {}", k.name(), group_text(f, masker)),
        None => "all events".to_string(),
    };
    let event = |id: &Option<String>, t: Option<i64>| {
        let id = id.as_deref().unwrap_or("-");
        match t {
            Some(ms) => format!("{id} at {}", format_time(ms)),
            None => id.to_string(),
        }
    };
    format!(
        "alert `{}`: {group}: {} {} (first event {}, last event {})",
        f.rule,
        f.figure,
        f.measure,
        event(&f.first_event_id, f.first_time),
        event(&f.last_event_id, f.last_time),
    )
}

/// One line of `--findings` (fields in this order).
#[derive(serde::Serialize)]
struct FindingLine<'f> {
    rule: &'f str,
    key: &'static str,
    group: String,
    figure: u64,
    measure: &'static str,
    first_event_id: Option<&'f str>,
    last_event_id: Option<&'f str>,
    first_seen: Option<String>,
    last_seen: Option<String>,
}

/// The NDJSON object for `--findings`.
pub fn json(f: &Finding, masker: Option<&Masker>) -> String {
    let line = FindingLine {
        rule: &f.rule,
        key: f.key.map_or("all", |k| k.name()),
        group: match f.key {
            Some(_) => group_text(f, masker),
            None => "all".to_string(),
        },
        figure: f.figure,
        measure: f.measure,
        first_event_id: f.first_event_id.as_deref(),
        last_event_id: f.last_event_id.as_deref(),
        first_seen: f.first_time.map(format_time),
        last_seen: f.last_time.map(format_time),
    };
    crate::output::json::line(&line).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::keys::Key;

    fn finding() -> Finding {
        Finding {
            rule: "users-per-phone > 1".into(),
            key: Some(Key::Phone),
            group: "+15550000001".into(),
            figure: 3,
            measure: "users",
            first_event_id: Some("e1".into()),
            last_event_id: Some("e3".into()),
            first_time: Some(0),
            last_time: None,
        }
    }

    #[test]
    fn readable_line_names_rule_group_figure_and_events() {
        assert_eq!(
            line(&finding(), None),
            "alert `users-per-phone > 1`: phone +15550000001: 3 users \
             (first event e1 at 1970-01-01T00:00:00.000Z, last event e3)"
        );
    }

    #[test]
    fn ndjson_has_every_part_and_masks_the_group() {
        let masker = Masker::with_key(crate::audit::mask::MaskChoice::All, [0; 32]);
        let v: serde_json::Value = serde_json::from_str(&json(&finding(), Some(&masker))).unwrap();
        assert_eq!(v["rule"], "users-per-phone > 1");
        assert_eq!(v["key"], "phone");
        assert_eq!(v["group"], "+1********01");
        assert_eq!(v["figure"], 3);
        assert_eq!(v["first_event_id"], "e1");
        assert_eq!(v["last_event_id"], "e3");
        assert_eq!(v["last_seen"], serde_json::Value::Null);
    }
}
