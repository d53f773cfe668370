//! `--preset NAME`: named, documented bundles of alert rules, so the rules
//! that answer "is this toll fraud or SMS pumping" are written (and
//! reviewed) once, each with the source it comes from. `--explain` prints
//! them. Presets add to the `--alert` rules; findings name the rule text, as
//! for any rule.

use std::io::Write;

/// A named bundle of rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// Toll fraud (IRSF) and SMS pumping: Okta's top toll-fraud
    /// destinations, premium-rate/shared-cost and invalid numbers, bursts to
    /// a number range, to one phone, and of DENY outcomes.
    #[value(name = "toll-fraud")]
    TollFraud,
}

/// One rule of a preset, why it is there and where the rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresetRule {
    /// The rule, in `--alert` grammar.
    pub rule: &'static str,
    /// What it catches.
    pub why: &'static str,
    /// The source of the rule (a public document).
    pub source: &'static str,
}

const TOLL_FRAUD: &[PresetRule] = &[
    PresetRule {
        rule: "region in CU,LV,SO,LT,GN,GM,MV,EE,ZW,TN",
        why: "sends to the ten top toll-fraud destinations Okta names (Cuba, Latvia, Somalia, \
              Lithuania, Guinea, Gambia, Maldives, Estonia, Zimbabwe, Tunisia)",
        source: "Okta support, How to mitigate toll fraud when using Okta for voice \
                 authentication: https://support.okta.com/help/s/article/How-to-mitigate-toll-fraud-when-using-Okta-for-voice-authentication",
    },
    PresetRule {
        rule: "line_type in premium_rate,shared_cost",
        why: "premium-rate and shared-cost lines pay the number's owner per message: the \
              revenue behind international revenue share fraud",
        source: "Okta help, Mitigate telephony toll fraud: https://help.okta.com/oie/en-us/content/topics/telephony/telephony-mitigate-tf.htm \
                 (line types: Google libphonenumber metadata)",
    },
    PresetRule {
        rule: "valid = false",
        why: "numbers no numbering plan assigns (wrong length, unassigned ranges) are not a \
              real user's phone",
        source: "Okta help, Mitigate telephony toll fraud: https://help.okta.com/oie/en-us/content/topics/telephony/telephony-mitigate-tf.htm \
                 (validity: Google libphonenumber metadata)",
    },
    PresetRule {
        rule: "phones-per-prefix > 5 within 1h",
        why: "SMS pumping walks ranges of consecutive numbers: more than five numbers of one \
              range (all but the last two digits) within an hour",
        source: "Okta Threat Intelligence, Opportunistic SMS pumping attacks target \
                 customer sign-up pages (cluster O-UNC-036): https://www.okta.com/en-au/blog/threat-intelligence/opportunistic-sms-pumping-attacks-target-customer-sign-up-pages",
    },
    PresetRule {
        rule: "sends-per-phone > 5 within 1h",
        why: "the pumping ring enrolls its own phone and triggers the maximum number of sends",
        source: "Okta Threat Intelligence, Opportunistic SMS pumping attacks target \
                 customer sign-up pages (cluster O-UNC-036): https://www.okta.com/en-au/blog/threat-intelligence/opportunistic-sms-pumping-attacks-target-customer-sign-up-pages",
    },
    PresetRule {
        rule: "denied > 5 within 1h",
        why: "a burst of DENY outcomes: Okta's telephony rate limits, high-risk-country and \
              machine-learning toll-fraud blocks are firing, an attack is under way",
        source: "Okta release notes 2022.06.0 (the DENY outcome); Okta, How Okta uses \
                 machine learning to automatically detect and mitigate toll fraud: https://www.okta.com/blog/2023/05/how-okta-uses-machine-learning-to-automatically-detect-and-mitigate-toll-fraud/",
    },
];

impl Preset {
    /// The preset's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Preset::TollFraud => "toll-fraud",
        }
    }

    /// Its rules, in the order they are evaluated and explained.
    pub fn rules(self) -> &'static [PresetRule] {
        match self {
            Preset::TollFraud => TOLL_FRAUD,
        }
    }
}

/// Every rule to run: the presets' rules, then the `--alert` rules, each
/// text once.
pub fn all_rules(presets: &[Preset], alerts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let texts = presets
        .iter()
        .flat_map(|p| p.rules().iter().map(|r| r.rule.to_string()))
        .chain(alerts.iter().cloned());
    for text in texts {
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// `--explain`: each preset's rules with why and where from, then the
/// `--alert` rules given.
pub fn explain(presets: &[Preset], alerts: &[String], out: &mut dyn Write) -> std::io::Result<()> {
    for preset in presets {
        writeln!(out, "preset {}:", preset.name())?;
        for r in preset.rules() {
            writeln!(out, "  {}", r.rule)?;
            writeln!(out, "      why:    {}", squash(r.why))?;
            writeln!(out, "      source: {}", squash(r.source))?;
        }
    }
    if !alerts.is_empty() {
        writeln!(out, "--alert rules:")?;
        for a in alerts {
            writeln!(out, "  {a}")?;
        }
    }
    Ok(())
}

/// Collapses the runs of spaces the string continuations leave.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_rule_parses_and_has_a_source() {
        for r in Preset::TollFraud.rules() {
            crate::audit::rules::parse(r.rule).unwrap_or_else(|e| panic!("{e}"));
            assert!(!r.source.is_empty() && !r.why.is_empty());
        }
    }

    #[test]
    fn presets_combine_with_alerts_without_repeats() {
        let alerts = vec![
            "denied > 5 within 1h".to_string(),
            "users-per-phone > 1".to_string(),
        ];
        let all = all_rules(&[Preset::TollFraud], &alerts);
        assert_eq!(all.len(), TOLL_FRAUD.len() + 1);
        assert_eq!(all.last().map(String::as_str), Some("users-per-phone > 1"));
        let mut out = Vec::new();
        explain(&[Preset::TollFraud], &alerts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("preset toll-fraud:\n  region in CU,LV,SO"));
        assert!(text.contains("source: Okta support, How to mitigate toll fraud"));
    }
}
