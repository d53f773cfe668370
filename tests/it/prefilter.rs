//! The skip of records that cannot match (src/input/prefilter.rs) changes
//! no output and no count: escaped event types, wrapped events, the type
//! only in `displayMessage`, and `--event-type all` are all exact.

use crate::support::oksms;

const SMS: &str = "system.sms.send_phone_verification_message";

fn run(input: &str, extra: &[&str]) -> (String, String, i32) {
    let out = oksms()
        .args([
            "parse",
            "-o",
            "csv",
            "--no-header",
            "--fields",
            "event_id,event_type",
            "-v",
        ])
        .args(extra)
        .arg("-")
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn the_skip_is_exact() {
    let lines = [
        format!(r#"{{"eventType":"{SMS}","uuid":"plain"}}"#),
        r#"{"eventType":"\u0073ystem.sms.send_phone_verification_message","uuid":"escaped"}"#
            .to_string(),
        format!(r#"{{"detail":{{"eventType":"{SMS}","uuid":"wrapped"}},"source":"s"}}"#),
        format!(
            r#"{{"eventType":"user.session.start","uuid":"other-with-text","displayMessage":"{SMS}"}}"#
        ),
        r#"{"eventType":"user.session.start","uuid":"other"}"#.to_string(),
        r#"{"eventType":"policy.evaluate_sign_on","published":"2024-06-10T14:02:11.123Z"}"#
            .to_string(),
    ];
    let input = lines.join("\n");
    let (out, err, code) = run(&input, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("plain,{SMS}\nescaped,{SMS}\nwrapped,{SMS}\n"),
        "{err}"
    );
    assert!(
        err.contains("skipped 3 LogEvents of other event types"),
        "{err}"
    );
    let (out, _, _) = run(&input, &["--event-type", "all"]);
    assert_eq!(out.lines().count(), 6, "{out}");
    assert!(out.contains("other-with-text,user.session.start"));
}

#[test]
fn a_page_of_other_events_counts_each() {
    let page = r#"{"events":[{"eventType":"a.b","uuid":"1"},{"eventType":"c.d","uuid":"2"}]}"#;
    let (out, err, code) = run(page, &[]);
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
    assert!(
        err.contains("skipped 2 LogEvents of other event types"),
        "{err}"
    );
}
