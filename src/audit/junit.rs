//! `--findings-format junit`: the findings as JUnit XML, the format GitLab,
//! Jenkins, Azure DevOps and GitHub test-report actions list in their
//! test-report views. One `<testcase>` per alert rule (a rule that did not
//! fire passes), one `<failure>` per finding of that rule, the readable
//! finding lines again in `<system-out>`. The layout follows the JUnit
//! schema Jenkins publishes (`junit-10.xsd`), which allows several failures
//! per test case.

use super::findings::line;
use super::mask::Masker;
use super::rules::Finding;
use crate::output::markup::xml_escape as escape;

/// The whole JUnit document for `rules` (as written, in order) and the
/// findings of the run; group values are masked as the output is.
pub fn document(rules: &[String], findings: &[Finding], masker: Option<&Masker>) -> String {
    let failed = rules
        .iter()
        .filter(|r| findings.iter().any(|f| &f.rule == *r))
        .count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!(
        "tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\" time=\"0\"",
        rules.len()
    );
    xml.push_str(&format!("<testsuites name=\"oksms\" {counts}>\n"));
    xml.push_str(&format!(
        "  <testsuite name=\"oksms alert rules\" {counts}>\n"
    ));
    for rule in rules {
        let mine: Vec<&Finding> = findings.iter().filter(|f| &f.rule == rule).collect();
        let name = escape(rule);
        if mine.is_empty() {
            xml.push_str(&format!(
                "    <testcase name=\"{name}\" classname=\"oksms.alert\" time=\"0\"/>\n"
            ));
            continue;
        }
        xml.push_str(&format!(
            "    <testcase name=\"{name}\" classname=\"oksms.alert\" time=\"0\">\n"
        ));
        let mut out = String::new();
        for f in &mine {
            let text = line(f, masker);
            xml.push_str(&format!(
                "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                escape(&text),
                escape(f.measure),
                escape(&super::findings::json(f, masker))
            ));
            out.push_str(&text);
            out.push('\n');
        }
        xml.push_str(&format!(
            "      <system-out>{}</system-out>\n    </testcase>\n",
            escape(&out)
        ));
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}
