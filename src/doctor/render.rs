//! The checklist as people read it (one line per check, ✓ ✗ ! or -, the
//! fix indented under it, a count at the end) and as scripts read it
//! (`-o json`: `{"checks": [{name, status, detail, fix}], "exit_code"}`).
//! Details hold text from the server (escaped where it came in) and never
//! a secret.

use super::{Check, Status, exit_code};
use crate::escape::escape_control;
use std::io::Write;

/// The mark of a status.
fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Fail => "✗",
        Status::Warn => "!",
        Status::Skip => "-",
    }
}

/// Writes the checklist as text.
pub fn write_table(out: &mut dyn Write, checks: &[Check]) -> std::io::Result<()> {
    let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in checks {
        writeln!(
            out,
            "{} {:<width$}  {}",
            mark(c.status),
            c.name,
            escape_control(&c.detail)
        )?;
        if let Some(fix) = &c.fix {
            writeln!(out, "  {:<width$}  → {}", "", escape_control(fix))?;
        }
    }
    let count = |s: Status| checks.iter().filter(|c| c.status == s).count();
    writeln!(
        out,
        "{} passed, {} warning{}, {} failed, {} skipped (exit {})",
        count(Status::Pass),
        count(Status::Warn),
        if count(Status::Warn) == 1 { "" } else { "s" },
        count(Status::Fail),
        count(Status::Skip),
        exit_code(checks).code()
    )
}

/// Writes the checklist as one JSON object.
pub fn write_json(out: &mut dyn Write, checks: &[Check]) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        checks: &'a [Check],
        exit_code: i32,
    }
    let doc = Report {
        checks,
        exit_code: exit_code(checks).code(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::ExitCode;

    #[test]
    fn table_and_json_forms() {
        let checks = [
            Check::pass("config", "sources: environment"),
            Check::fail("permission", ExitCode::Auth, "HTTP 403", "assign a role"),
        ];
        let mut text = Vec::new();
        write_table(&mut text, &checks).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert_eq!(
            text,
            "✓ config      sources: environment\n✗ permission  HTTP 403\n              → assign a role\n\
             1 passed, 0 warnings, 1 failed, 0 skipped (exit 4)\n"
        );
        let mut json = Vec::new();
        write_json(&mut json, &checks).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["exit_code"], 4);
        assert_eq!(v["checks"][1]["status"], "fail");
        assert_eq!(v["checks"][0]["fix"], serde_json::Value::Null);
        assert!(v["checks"][0].get("code").is_none());
    }
}
