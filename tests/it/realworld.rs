//! The shapes Okta events really come in (tests/fixtures/realworld, made-up
//! values; see its README for what each must give), and variants of each
//! kind written differently: other wrapper nestings, gzip, concatenated,
//! other encodings. Every case runs the real binary. Unreadable or non-Okta
//! input must never end as an empty, successful run.

use crate::support::oksms;
use std::io::Write;
use std::path::PathBuf;

const SMS: &str = "system.sms.send_phone_verification_message";
const UUID: &str = "11111111-2222-3333-4444-555555555501";

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/realworld")
        .join(name)
}

/// The plain Identity Engine event every wrapped variant holds.
fn event() -> String {
    let text = std::fs::read_to_string(case("ie-event.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&text)
        .unwrap()
        .to_string()
}

struct Run {
    code: i32,
    rows: Vec<Vec<String>>,
    stderr: String,
}

/// `oksms parse ARGS -o csv --fields F` on `input` (bytes written to a temp
/// file named `name`), rows without the header.
fn parse_bytes(name: &str, input: &[u8], fields: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, input).unwrap();
    parse_files(&[path], fields, extra)
}

fn parse_files(paths: &[PathBuf], fields: &str, extra: &[&str]) -> Run {
    let out = oksms()
        .args(["parse", "-o", "csv", "--no-header", "--fields", fields])
        .args(extra)
        .args(paths)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    Run {
        code: out.status.code().unwrap_or(-1),
        rows: reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The fields every "gives the event's row" case checks.
const ROW: &str = "event_id,phone.alternate_id,event_type,client_ip,source";

fn assert_event_row(run: &Run, what: &str) {
    assert_eq!(run.code, 0, "{what}: {}", run.stderr);
    assert_eq!(run.rows.len(), 1, "{what}: {:?} {}", run.rows, run.stderr);
    assert_eq!(run.rows[0][0], UUID, "{what}");
    assert_eq!(run.rows[0][1], "+15550100001", "{what}");
    assert_eq!(run.rows[0][2], SMS, "{what}");
    assert_eq!(run.rows[0][3], "198.51.100.7", "{what}");
}

#[test]
fn every_shipped_case_gives_its_rows() {
    for name in [
        "ie-event.json",
        "elastic-ecs.ndjson",
        "siem-message-string.json",
        "wrapper-data.json",
        "object-wrapping-list.json",
        "utf16le.json",
        "lowercase-keys.ndjson",
        "target-object.json",
        "hook-eventID-min.json",
    ] {
        let run = parse_files(&[case(name)], ROW, &[]);
        assert_event_row(&run, name);
    }
}

#[test]
fn eventbridge_gives_the_event_with_the_envelopes_source() {
    let run = parse_files(&[case("eventbridge.ndjson")], ROW, &[]);
    assert_event_row(&run, "eventbridge");
    assert_eq!(run.rows[0][4], "aws.partner/okta.com/example-org/okta-logs");
}

#[test]
fn eventbridge_concatenated_as_firehose_writes_it_and_gzipped_and_in_an_array() {
    let line = std::fs::read_to_string(case("eventbridge.ndjson")).unwrap();
    let one = line.trim();
    let second = one.replace(UUID, "11111111-2222-3333-4444-555555555599");
    let concatenated = format!("{one}{second}");
    let array = format!("[{one},\n{second}]");
    for (name, bytes) in [
        ("firehose", concatenated.as_bytes().to_vec()),
        ("firehose.gz", gzip(concatenated.as_bytes())),
        ("array.json", array.as_bytes().to_vec()),
    ] {
        let run = parse_bytes(name, &bytes, ROW, &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(run.rows.len(), 2, "{name}: {}", run.stderr);
        assert!(run.rows.iter().all(|r| r[4].starts_with("aws.partner/")));
    }
}

#[test]
fn siem_search_results_in_other_nestings() {
    let e = event();
    let as_text = serde_json::to_string(&e).unwrap();
    let variants = [
        // Splunk search export, with extracted fields beside _raw
        format!(
            r#"{{"preview":false,"result":{{"eventType":"{SMS}","uuid":"{UUID}","_raw":{as_text}}}}}"#
        ),
        // Elasticsearch search response
        format!(r#"{{"took":3,"hits":{{"total":1,"hits":[{{"_index":"okta","_source":{e}}}]}}}}"#),
        // OpenSearch document with the original as text
        format!(r#"{{"_id":"x","_source":{{"event":{{"original":{as_text}}}}}}}"#),
        // a generic SIEM record with the raw event under `message`
        format!(r#"{{"timestamp":"t","message":{as_text},"host":"collector"}}"#),
        // pages of `data` wrappers
        format!(r#"{{"events":[{{"data":{e}}}]}}"#),
    ];
    for (i, text) in variants.iter().enumerate() {
        let run = parse_bytes("x.json", text.as_bytes(), ROW, &[]);
        assert_event_row(&run, &format!("variant {i}: {text}"));
        let run = parse_bytes("x.json.gz", &gzip(text.as_bytes()), ROW, &[]);
        assert_event_row(&run, &format!("gzip variant {i}"));
    }
}

#[test]
fn verbose_names_the_wrapper_and_its_events() {
    oksms()
        .args(["parse", "-v", "-o", "csv"])
        .arg(case("eventbridge.ndjson"))
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "found 1 event(s) inside the wrapper field `detail`",
        ));
}

#[test]
fn an_okta_error_body_is_reported_as_that() {
    let run = parse_files(&[case("okta-error.json")], ROW, &[]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.rows.is_empty());
    assert!(
        run.stderr.contains(
            "this is an Okta API error response, not System Log events: E0000011 Invalid token provided (errorId oaeEXAMPLEerr01)"
        ),
        "{}",
        run.stderr
    );
    // another error, compact, in an array, gzipped: the same kind
    let body = r#"[{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaeX","errorCauses":[]}]"#;
    let run = parse_bytes("page.json.gz", &gzip(body.as_bytes()), ROW, &[]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(
        run.stderr.contains("E0000047 API call exceeded"),
        "{}",
        run.stderr
    );
}

#[test]
fn valid_json_that_is_not_okta_data_never_passes_silently() {
    for text in [
        "{}",
        "[]\n{\"a\":1}",
        r#"{"status":"ok","count":0}"#,
        r#"[{"id":1,"name":"x"},{"id":2}]"#,
        r#"{"uuid":"u1","published":"2024-06-10T14:02:11.123Z"}"#,
        r#"{"error":"invalid_client","error_description":"The client_assertion is invalid"}"#,
        r#"{"hits":{"hits":[]}}"#,
    ] {
        let run = parse_bytes("x.json", text.as_bytes(), ROW, &[]);
        assert_eq!(run.code, 6, "{text}: {}", run.stderr);
        assert!(!run.stderr.is_empty(), "{text}");
    }
    // what it looks like: its keys
    let run = parse_bytes("x.json", br#"{"status":"ok","count":0}"#, ROW, &[]);
    assert!(
        run.stderr.contains("x.json:1:1: not an Okta LogEvent")
            && run.stderr.contains("keys status, count"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("none was an Okta LogEvent"),
        "{}",
        run.stderr
    );
}

#[test]
fn other_event_types_are_counted_only_when_they_are_log_events() {
    let text = format!(
        "{}\n{}\n",
        r#"{"eventType":"user.session.start","uuid":"o1","published":"2024-06-10T14:02:11.123Z"}"#,
        r#"{"foo":"bar"}"#
    );
    let run = parse_bytes("x.ndjson", text.as_bytes(), ROW, &["-v"]);
    assert_eq!(run.code, 6);
    assert!(
        run.stderr
            .contains("skipped 1 LogEvents of other event types"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("x.ndjson:2:1: not an Okta LogEvent"));
}

#[test]
fn the_admin_console_csv_is_read() {
    let run = parse_files(
        &[case("admin-console.csv")],
        "event_id,phone.alternate_id,published,actor.alternate_id,client_ip",
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [[
            "11111111-2222-3333-4444-555555555502",
            "+15550100002",
            "2024-06-10T14:02:11.123Z",
            "alex.sample@example.org",
            "198.51.100.7"
        ]]
    );
    assert!(
        run.stderr
            .contains("no `debugContext.debugData.phoneNumber` column"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_csv_variant_with_other_spellings_gzipped_and_a_debug_phone_column() {
    let csv = "EventType,UUID,Published,Actor.AlternateId,debugContext.debugData.phoneNumber\n\
               system.sms.send_phone_verification_message,c1,2024-06-10 14:02:11,a@example.org,+15550100033\n\
               user.session.start,c2,2024-06-10 14:03:11,a@example.org,\n";
    let run = parse_bytes(
        "export.csv.gz",
        &gzip(csv.as_bytes()),
        "event_id,phone.alternate_id,actor.alternate_id",
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows, [["c1", "+15550100033", "a@example.org"]]);
    assert!(
        !run.stderr.contains("debugData.phoneNumber"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_csv_of_something_else_is_one_clear_error() {
    let csv = "name,email,phone\nAlex,a@example.org,+15550100001\nKim,k@example.org,+15550100002\n";
    let run = parse_bytes("users.csv", csv.as_bytes(), ROW, &[]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("error:").count(),
        1,
        "one error, not one per line: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("users.csv: a CSV without an event type column")
            && run.stderr.contains("columns found: name, email, phone"),
        "{}",
        run.stderr
    );
}

#[test]
fn utf16_in_both_byte_orders_is_decoded() {
    let text = format!("[{}]", event());
    let units: Vec<u16> = text.encode_utf16().collect();
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_be_bytes()))
        .collect();
    let le_no_bom: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    for (name, bytes) in [
        ("be.json", be.clone()),
        ("le-no-bom.json", le_no_bom),
        ("le.json.gz", gzip(&le)),
    ] {
        let run = parse_bytes(name, &bytes, ROW, &[]);
        assert_event_row(&run, name);
    }
}

#[test]
fn case_folded_and_dotted_keys_are_read_with_space_separated_utc_times() {
    let text = format!(
        r#"{{"EVENTTYPE":"{SMS}","UUID":"{UUID}","PUBLISHED":"2024-06-10 14:02:11.123","actor.alternateid":"a@example.org","client.ipaddress":"198.51.100.7","debugcontext.debugdata.phonenumber":"+15550100001"}}"#
    );
    let run = parse_bytes("flat.ndjson", text.as_bytes(), ROW, &[]);
    assert_event_row(&run, "flat");
    // the output keeps the original time text; day grouping reads it as UTC
    let out = oksms()
        .args(["parse", "-o", "csv", "--group-by", "day"])
        .arg(case("lowercase-keys.ndjson"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\n2024-06-10,1,"), "{text}");
}

#[test]
fn a_burst_with_space_separated_times_fires_the_windowed_rule() {
    oksms()
        .args([
            "parse",
            "-o",
            "csv",
            "--alert",
            "sends-per-phone > 5 within 1h",
        ])
        .arg(case("burst-space-timestamps.ndjson"))
        .assert()
        .code(3)
        .stderr(predicates::str::contains("6 sends"));
}

#[test]
fn an_unreadable_time_under_a_windowed_rule_is_not_an_all_clear() {
    let text = format!(
        r#"{{"eventType":"{SMS}","uuid":"t1","published":"last tuesday","debugContext":{{"debugData":{{"phoneNumber":"+15550100001"}}}}}}"#
    );
    let run = parse_bytes(
        "x.ndjson",
        text.as_bytes(),
        ROW,
        &["--alert", "sends-per-phone > 5 within 1h"],
    );
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("without a readable `published` time"));
}

#[test]
fn placeholders_are_not_values_and_do_not_hide_the_debug_phone() {
    let run = parse_files(
        &[case("phone-target-placeholder.json")],
        "event_id,phone.alternate_id",
        &[],
    );
    assert_eq!(
        run.rows,
        [["ph-0", "+15550100011"], ["ph-1", "+15550100022"]]
    );
    oksms()
        .args(["parse", "-o", "csv", "--alert", "users-per-phone > 1"])
        .arg(case("phone-target-placeholder.json"))
        .assert()
        .code(0);
    // the IP "null" is no IP, and no group is named after it
    let run = parse_files(&[case("ip-null-string.json")], "client_ip", &[]);
    assert_eq!(run.rows, [[""]]);
    let out = oksms()
        .args(["parse", "-o", "csv", "--group-by", "ip"])
        .arg(case("ip-null-string.json"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.to_lowercase().contains("\nnull,"), "{text}");
    // other spellings of placeholders
    let text = format!(
        r#"{{"eventType":"{SMS}","uuid":"p1","client":{{"ipAddress":"NULL"}},"target":[{{"type":"MobilePhone","id":"Unknown","alternateId":""}}],"debugContext":{{"debugData":{{"phoneNumber":"+15550100044"}}}}}}"#
    );
    let run = parse_bytes(
        "p.json",
        text.as_bytes(),
        "phone.id,phone.alternate_id,client_ip",
        &[],
    );
    assert_eq!(run.rows, [["", "+15550100044", ""]]);
}

#[test]
fn powershell_depth_damage_warns_and_keeps_the_event() {
    let run = parse_files(&[case("powershell-min.json")], "event_id,actor.id", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows, [[UUID, ""]]);
    assert!(run.stderr.contains("field `actor`"), "{}", run.stderr);
    assert!(run.stderr.contains("-Depth 10"), "{}", run.stderr);
    assert!(!run.stderr.contains("invalid JSON"), "{}", run.stderr);
}

#[test]
fn a_single_target_object_in_a_hook_delivery_is_a_one_element_list() {
    let text = format!(
        r#"{{"eventId":"d1","data":{{"events":[{{"eventType":"{SMS}","uuid":"t1","target":{{"type":"MobilePhone","alternateId":"+15550100055"}}}}]}}}}"#
    );
    let run = parse_bytes("hook.json", text.as_bytes(), "uuid,phone.alternate_id", &[]);
    assert_eq!(run.rows, [["d1", "+15550100055"]], "{}", run.stderr);
}

#[test]
fn the_envelope_spelling_event_id_fills_uuid() {
    let run = parse_files(&[case("hook-eventID-min.json")], "uuid", &[]);
    assert_eq!(run.rows, [["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"]]);
}

#[test]
fn each_event_is_kept_once_across_overlapping_inputs() {
    let half = case("half.ndjson");
    let run = parse_files(&[half.clone(), half.clone()], "event_id", &[]);
    assert_eq!(run.rows.len(), 3, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("3 duplicate event(s) (same uuid) dropped"),
        "{}",
        run.stderr
    );
    let out = oksms()
        .args(["parse", "-o", "csv", "--group-by", "phone"])
        .args([&half, &half])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\n+15550100001,3,"), "{text}");
    // --keep-duplicates keeps them; a gzip copy of the same events is the
    // same events; the sequential (table, one thread) path agrees
    let run = parse_files(
        &[half.clone(), half.clone()],
        "event_id",
        &["--keep-duplicates"],
    );
    assert_eq!(run.rows.len(), 6);
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("half.ndjson.gz");
    std::fs::write(&gz, gzip(&std::fs::read(&half).unwrap())).unwrap();
    let run = parse_files(&[half.clone(), gz], "event_id", &[]);
    assert_eq!(run.rows.len(), 3);
    let out = oksms()
        .env("OKSMS_THREADS", "1")
        .args(["parse", "-o", "ndjson"])
        .args([&half, &half])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
}

#[test]
fn replay_drops_duplicates_too() {
    let half = case("half.ndjson");
    let out = oksms()
        .args(["replay", "-o", "ndjson"])
        .args([&half, &half])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        3,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn mixed_framing_gives_every_record() {
    let run = parse_files(
        &[case("ndjson-with-one-pretty-object.ndjson")],
        "event_id",
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows.len(), 2, "{}", run.stderr);
}

#[test]
fn a_saved_list_of_pages_flattens_and_a_retried_page_is_one_event() {
    // The two pages hold the same event (same uuid): a retried page. By the
    // duplicate rule it is one event, and --keep-duplicates shows both.
    let run = parse_files(&[case("array-of-pages.json")], "event_id", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows, [[UUID]]);
    assert!(
        run.stderr
            .contains("1 duplicate event(s) (same uuid) dropped")
    );
    assert!(!run.stderr.contains("truncated"), "{}", run.stderr);
    let run = parse_files(
        &[case("array-of-pages.json")],
        "event_id",
        &["--keep-duplicates"],
    );
    assert_eq!(run.rows.len(), 2, "{}", run.stderr);
    // distinct events in pages, one page per line, gzipped
    let e = event();
    let second = e.replace(UUID, "11111111-2222-3333-4444-555555555502");
    let text = format!("[[{e}]]\n[[{second}]]\n");
    let run = parse_bytes("pages.ndjson.gz", &gzip(text.as_bytes()), "event_id", &[]);
    assert_eq!(run.rows.len(), 2, "{}", run.stderr);
    assert_eq!(run.code, 0);
}

/// A file found by the new-user trial (tests/fixtures/tester).
fn trial(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tester")
        .join(name)
}

#[test]
fn json_with_an_event_type_that_is_not_okta_is_bad_input() {
    for name in ["github-hook.json", "segment.json", "type-null.json"] {
        let run = parse_files(&[trial(name)], "event_id", &[]);
        assert_eq!(run.code, 6, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("not an Okta LogEvent"),
            "{name}: {}",
            run.stderr
        );
        let run = parse_files(&[trial(name)], "event_id", &["--event-type", "all"]);
        assert!(run.rows.is_empty(), "{name}: invented {:?}", run.rows);
    }
    let out = oksms()
        .args(["replay", "-o", "ndjson"])
        .arg(trial("github-hook.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
}

#[test]
fn csv_tables_in_other_spellings_are_read_whole_and_audited() {
    // title case with spaces, three users on one phone
    oksms()
        .args(["parse", "-o", "csv", "--alert", "users-per-phone > 1"])
        .arg(trial("csv-titlecase-shared.csv"))
        .assert()
        .code(3);
    // oksms's own CSV read back: phone, actor and event id survive
    let run = parse_files(
        &[trial("own-output.csv")],
        "event_id,phone.alternate_id,actor.alternate_id",
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows.len(), 2);
    assert!(
        run.rows
            .iter()
            .all(|r| r[1] == "+15550122001" && !r[0].is_empty())
    );
    oksms()
        .args(["parse", "-o", "csv", "--alert", "users-per-phone > 1"])
        .arg(trial("own-output.csv"))
        .assert()
        .code(3);
    // Log Analytics columns, `;` and tab separators, raw-event columns
    for (name, rows) in [
        ("sentinel-csv.csv", 1),
        ("csv-semicolon.csv", 1),
        ("csv-tsv.tsv", 1),
        ("splunk-csv.csv", 1),
        ("datadog-csv.csv", 1),
    ] {
        let run = parse_files(&[trial(name)], "event_id,phone.alternate_id", &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(run.rows.len(), rows, "{name}: {}", run.stderr);
        assert!(
            run.rows.iter().all(|r| r[1].starts_with("+1555")),
            "{name}: {:?}",
            run.rows
        );
    }
    // a column nobody maps is named, once
    let run = parse_files(&[trial("sentinel-csv.csv")], "event_id", &[]);
    assert!(run.stderr.contains("CSV columns not read") && run.stderr.contains("TimeGenerated"));
}

#[test]
fn cloud_payloads_in_base64_and_gzip_are_unwrapped() {
    for name in [
        "firehose-b64.json",
        "kinesis-b64.json",
        "cloudwatch-sub.json",
        "sentinel.json",
    ] {
        let run = parse_files(&[trial(name)], "event_id,phone.alternate_id", &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(!run.rows.is_empty(), "{name}: {}", run.stderr);
        assert!(
            run.rows.iter().all(|r| r[1] == "+15550199001"),
            "{name}: {:?}",
            run.rows
        );
    }
}

#[test]
fn credentials_in_junk_and_error_bodies_are_never_echoed() {
    let run = parse_files(&[trial("token-line.ndjson")], "event_id", &[]);
    assert_eq!(run.code, 6);
    assert_eq!(run.rows.len(), 2);
    assert!(!run.stderr.contains("SECRETTOKEN"), "{}", run.stderr);
    assert!(!run.stderr.contains("00aBcDeFg"), "{}", run.stderr);
    let run = parse_files(&[trial("oauth-err.json")], "event_id", &[]);
    assert_eq!(run.code, 6);
    assert!(!run.stderr.contains("supersecret123"), "{}", run.stderr);
    assert!(run.stderr.contains("invalid_client"), "{}", run.stderr);
}

#[test]
fn odd_line_ends_double_gzip_and_bulk_bodies_read_whole() {
    for (name, rows) in [
        ("cr-only.ndjson", 2),
        ("double-gzip.json.gz", 1),
        ("es-bulk.ndjson", 2),
    ] {
        let run = parse_files(&[trial(name)], "event_id", &[]);
        assert_eq!(
            (run.code, run.rows.len()),
            (0, rows),
            "{name}: {}",
            run.stderr
        );
    }
}

#[test]
fn uuids_and_target_types_are_matched_without_regard_to_case() {
    let run = parse_files(&[trial("dup-case.ndjson")], "event_id", &[]);
    assert_eq!(run.rows.len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("1 duplicate event(s)"));
    let run = parse_files(&[trial("phone-lowertype.json")], "phone.alternate_id", &[]);
    assert_eq!(run.rows, [["+15550144006"]]);
}

#[test]
fn slash_dates_and_fractional_epochs_are_times_and_untimed_groups_are_told() {
    for name in ["time-slash.ndjson", "epoch-float.json"] {
        let out = oksms()
            .args(["parse", "-o", "csv", "--group-by", "day"])
            .arg(trial(name))
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("\n2024-07-01,"), "{name}: {text}");
    }
    let text = format!(
        r#"{{"eventType":"{SMS}","uuid":"u1","published":"someday","debugContext":{{"debugData":{{"phoneNumber":"+15550100001"}}}}}}"#
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ndjson");
    std::fs::write(&path, text).unwrap();
    let out = oksms()
        .args(["parse", "-o", "csv", "--group-by", "day"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("grouped under `unknown` by day or hour"),
        "{stderr}"
    );
}

#[test]
fn a_trailing_comma_and_a_cut_json_text_are_named() {
    let run = parse_files(&[trial("trailing-comma.json")], "event_id", &[]);
    assert_eq!((run.code, run.rows.len()), (6, 2), "{}", run.stderr);
    assert!(
        run.stderr.contains("a trailing comma before ']'"),
        "{}",
        run.stderr
    );
    let run = parse_files(&[trial("splunk-truncated-raw.json")], "event_id", &[]);
    assert_eq!(run.code, 6);
    assert!(
        run.stderr
            .contains("the text in `result._raw` ends before its JSON does"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_log_event_given_as_a_json_string_is_read() {
    // What `jq -R`, `tojson` and some SIEM exports give: the whole event as
    // one JSON string, alone, in an array, or one per NDJSON line.
    let first = event();
    let second = first.replace(UUID, "11111111-2222-3333-4444-555555555502");
    let quoted = |text: &str| serde_json::to_string(text).unwrap();
    let alone = format!("{}\n", quoted(&first));
    let run = parse_bytes("one.json", alone.as_bytes(), ROW, &[]);
    assert_event_row(&run, "a top-level string");
    for (name, text) in [
        (
            "array.json",
            format!("[{},\n  {}]\n", quoted(&first), quoted(&second)),
        ),
        (
            "lines.ndjson",
            format!("{}\n{}\n", quoted(&first), quoted(&second)),
        ),
    ] {
        for input in [text.as_bytes().to_vec(), gzip(text.as_bytes())] {
            let run = parse_bytes(name, &input, ROW, &[]);
            assert_eq!(run.code, 0, "{name}: {}", run.stderr);
            let ids: Vec<&str> = run.rows.iter().map(|r| r[0].as_str()).collect();
            assert_eq!(
                ids,
                [UUID, "11111111-2222-3333-4444-555555555502"],
                "{name}: {}",
                run.stderr
            );
            assert_eq!(run.rows[1][1], "+15550100001", "{name}");
        }
    }
    // A string that is not JSON text stays bad input, as before.
    let run = parse_bytes("s.json", b"\"hello world\"\n", ROW, &[]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("s.json:1:1: the input is not a JSON object: found `\\\"hello world\\\"`"),
        "{}",
        run.stderr
    );
    let run = parse_bytes("s.json", b"[\"hello\"]\n", ROW, &[]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("s.json:1:2: an array element is not a JSON object"),
        "{}",
        run.stderr
    );
}
