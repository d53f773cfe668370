//! Integration tests for auditing (`--group-by`, `--alert`, `--findings`,
//! `--mask`) through the real binary, on a hand-written dataset where every
//! rule has exactly one place to fire, and a memory test on a million
//! generated events.

use crate::support::oksms;
use std::collections::BTreeSet;
use std::io::Write;

const DAY: &str = "2024-05-01";

/// Who the event targets: a login and the phone, in one of Okta's shapes.
enum Phone<'a> {
    /// Classic: MobilePhone target with the number in `alternateId`.
    A(&'a str),
    /// Identity Engine 2022: placeholder id, number in `displayName` only.
    B(&'a str),
    /// Identity Engine now: no MobilePhone target; `debugData.phoneNumber`
    /// (as given) and `countryCallingCode`.
    C(&'a str, &'a str),
    /// No number anywhere.
    None,
}

fn event(id: &str, time: &str, user: &str, phone: Phone<'_>, outcome: &str) -> String {
    // A user id that does not spell the name (ids are not masked).
    let uid = user.len() * 1000 + user.bytes().map(usize::from).sum::<usize>();
    let user_target = format!(
        r#"{{"id":"00u{uid}","type":"User","alternateId":"{user}@example.com","displayName":"{user} Example"}}"#
    );
    let (phone_target, debug) = match phone {
        Phone::A(n) => (
            format!(
                r#",{{"id":"mbl{id}","type":"MobilePhone","alternateId":"{n}","displayName":"{n}"}}"#
            ),
            r#"{"smsProvider":"TELESIGN"}"#.to_string(),
        ),
        Phone::B(n) => (
            format!(r#",{{"id":"placeholder","type":"MobilePhone","displayName":"{n}"}}"#),
            r#"{"smsProvider":"TWILIO"}"#.to_string(),
        ),
        Phone::C(n, cc) => (
            String::new(),
            format!(
                r#"{{"phoneNumber":"{n}","countryCallingCode":"{cc}","smsProvider":"TELESIGN"}}"#
            ),
        ),
        Phone::None => (String::new(), "{}".to_string()),
    };
    format!(
        r#"{{"uuid":"{id}","published":"{DAY}T{time}:00.000Z","eventType":"system.sms.send_phone_verification_message","version":"0","displayMessage":"Send phone verification SMS message","actor":{{"id":"00u{uid}","type":"User","alternateId":"{user}@example.com","displayName":"{user} Example"}},"client":{{"ipAddress":"203.0.113.9"}},"outcome":{{"result":"{outcome}"}},"target":[{user_target}{phone_target}],"debugContext":{{"debugData":{debug}}}}}"#
    )
}

/// The hand-written dataset, 29 events, deliberately out of time order.
fn dataset() -> String {
    let ok = "SUCCESS";
    let mut events = vec![
        // One phone shared by three users.
        event("s1", "08:00", "alice", Phone::A("+15550000100"), ok),
        event("s2", "08:30", "bob", Phone::A("+15550000100"), ok),
        event("s3", "09:10", "carol", Phone::A("+15550000100"), ok),
        // A burst: six sends in 40 minutes straddling 10:00 (three per clock hour).
        event("b1", "09:40", "dave", Phone::A("+15550000200"), ok),
        event("b2", "09:48", "dave", Phone::A("+15550000200"), ok),
        event("b3", "09:56", "dave", Phone::A("+15550000200"), ok),
        event("b4", "10:04", "dave", Phone::A("+15550000200"), ok),
        event("b5", "10:12", "dave", Phone::A("+15550000200"), ok),
        event("b6", "10:20", "dave", Phone::A("+15550000200"), ok),
        // Dave's other sends over the day: 11 in 24 hours with the burst.
        event("d1", "00:30", "dave", Phone::A("+15550000201"), ok),
        event("d2", "03:30", "dave", Phone::A("+15550000201"), ok),
        event("d3", "06:30", "dave", Phone::A("+15550000201"), ok),
        event("d4", "12:30", "dave", Phone::A("+15550000201"), ok),
        event("d5", "15:30", "dave", Phone::A("+15550000201"), ok),
        // Six sends to one phone, but 70 minutes apart: no burst.
        event("e1", "02:00", "erin", Phone::A("+15550000300"), ok),
        event("e2", "03:10", "erin", Phone::A("+15550000300"), ok),
        event("e3", "04:20", "erin", Phone::A("+15550000300"), ok),
        event("e4", "05:30", "erin", Phone::A("+15550000300"), ok),
        event("e5", "06:40", "erin", Phone::A("+15550000300"), ok),
        event("e6", "07:50", "erin", Phone::A("+15550000300"), ok),
        // Calling codes: Cuba (given by Okta, and denied), the UK and
        // Germany (expected), Latvia (read from the E.164 prefix).
        event("c1", "11:00", "frank", Phone::C("5355512345", "53"), "DENY"),
        event("c2", "11:05", "gina", Phone::A("+447700900123"), ok),
        event("c3", "11:10", "hank", Phone::A("+49 151 12345678"), ok),
        event("c4", "11:15", "ivy", Phone::A("+37120012345"), ok),
        // The three shapes of one number, for one user.
        event("p1", "12:00", "ivan", Phone::A("+15550000400"), ok),
        event("p2", "12:05", "ivan", Phone::B("+1 (555) 000-0400"), ok),
        event("p3", "12:10", "ivan", Phone::C("5550000400", "1"), ok),
        // No number at all, for two users.
        event("u1", "13:00", "judy", Phone::None, ok),
        event("u2", "13:30", "kim", Phone::None, ok),
    ];
    // A fixed shuffle (stride 7 over 29 events visits each once).
    let n = events.len();
    let mut shuffled = Vec::with_capacity(n);
    for i in 0..n {
        shuffled.push(std::mem::take(&mut events[(i * 7) % n]));
    }
    shuffled.join("\n") + "\n"
}

const RULES: [&str; 5] = [
    "users-per-phone > 1",
    "sends-per-phone > 5 within 1h",
    "sends-per-user > 10 within 24h",
    "country not in 1,44,49",
    "denied > 0",
];

/// rule | key | group | figure | first event | last event
const EXPECTED: [&str; 6] = [
    "users-per-phone > 1|phone|+15550000100|3|s1|s3",
    "sends-per-phone > 5 within 1h|phone|+15550000200|6|b1|b6",
    "sends-per-user > 10 within 24h|user|dave@example.com|11|d1|d5",
    "country not in 1,44,49|country|371|1|c4|c4",
    "country not in 1,44,49|country|53|1|c1|c1",
    "denied > 0|all|all|1|c1|c1",
];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    findings: Vec<serde_json::Value>,
}

fn run(extra: &[&str], input: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let findings_path = dir.path().join("findings.ndjson");
    let mut cmd = oksms();
    cmd.args(["parse", "-"]).args(extra);
    for rule in RULES {
        cmd.args(["--alert", rule]);
    }
    cmd.arg("--findings").arg(&findings_path);
    let out = cmd.write_stdin(input.to_string()).output().unwrap();
    let findings = std::fs::read_to_string(&findings_path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        findings,
    }
}

fn summarize(findings: &[serde_json::Value]) -> BTreeSet<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{}|{}|{}|{}|{}|{}",
                f["rule"].as_str().unwrap(),
                f["key"].as_str().unwrap(),
                f["group"].as_str().unwrap(),
                f["figure"],
                f["first_event_id"].as_str().unwrap(),
                f["last_event_id"].as_str().unwrap()
            )
        })
        .collect()
}

fn expected() -> BTreeSet<String> {
    EXPECTED.iter().map(|s| s.to_string()).collect()
}

fn alert_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(": alert `")).collect()
}

/// Checks stdout holds `n` records (or rows) in `format`; returns the rows
/// as JSON objects when the format has them.
fn parse_stdout(format: &str, stdout: &str) -> Vec<serde_json::Value> {
    match format {
        "json" => serde_json::from_str::<Vec<serde_json::Value>>(stdout).unwrap(),
        "ndjson" => stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        "csv" => {
            let mut reader = csv::Reader::from_reader(stdout.as_bytes());
            let headers = reader.headers().unwrap().clone();
            reader
                .records()
                .map(|r| {
                    let r = r.unwrap();
                    let map: serde_json::Map<String, serde_json::Value> = headers
                        .iter()
                        .zip(r.iter())
                        .map(|(h, v)| (h.to_string(), serde_json::Value::String(v.to_string())))
                        .collect();
                    serde_json::Value::Object(map)
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

const FORMATS: [&str; 4] = ["table", "json", "ndjson", "csv"];

#[test]
fn each_rule_fires_exactly_where_it_should_in_every_format() {
    let input = dataset();
    for format in FORMATS {
        let r = run(&["-o", format], &input);
        assert_eq!(r.code, 3, "{format}: {}", r.stderr);
        assert_eq!(summarize(&r.findings), expected(), "{format}");
        assert_eq!(
            r.findings.len(),
            EXPECTED.len(),
            "{format}: one finding per rule and group"
        );
        let lines = alert_lines(&r.stderr);
        assert_eq!(lines.len(), EXPECTED.len(), "{format}: {}", r.stderr);
        assert!(
            lines.iter().any(|l| l.contains(
                "alert `sends-per-phone > 5 within 1h`: phone +15550000200: 6 sends (first event b1 at 2024-05-01T09:40:00.000Z, last event b6 at 2024-05-01T10:20:00.000Z)"
            )),
            "{lines:?}"
        );
        // The records still go to stdout, all 29 of them.
        match format {
            "table" => {
                for id in ["alice@example.com", "+15550000200", "5355512345"] {
                    assert!(r.stdout.contains(id), "{format}: {id}");
                }
            }
            _ => assert_eq!(parse_stdout(format, &r.stdout).len(), 29, "{format}"),
        }
    }
}

#[test]
fn summaries_group_the_three_phone_shapes_in_every_format() {
    let input = dataset();
    let want_order = [
        ("+15550000200", "6"),
        ("+15550000300", "6"),
        ("+15550000201", "5"),
        ("+15550000100", "3"),
        ("+15550000400", "3"),
        ("unknown", "2"),
        ("+37120012345", "1"),
        ("+447700900123", "1"),
        ("+4915112345678", "1"),
        ("+5355512345", "1"),
    ];
    for format in FORMATS {
        let r = run(&["-o", format, "--group-by", "phone"], &input);
        assert_eq!(r.code, 3, "{format}: {}", r.stderr);
        assert_eq!(summarize(&r.findings), expected(), "{format}");
        if format == "table" {
            let header = r.stdout.lines().find(|l| l.contains("Phone")).unwrap();
            for title in [
                "Count",
                "Users",
                "Phones",
                "Actors",
                "Denied",
                "First Seen",
                "Last Seen",
            ] {
                assert!(header.contains(title), "{header}");
            }
            let positions: Vec<usize> = want_order
                .iter()
                .map(|(phone, _)| r.stdout.find(&format!(" {phone} ")).unwrap())
                .collect();
            assert!(positions.windows(2).all(|w| w[0] < w[1]), "{}", r.stdout);
            continue;
        }
        if format == "csv" {
            assert!(
                r.stdout
                    .starts_with("phone,count,users,phones,actors,denied,first_seen,last_seen\n"),
                "{}",
                r.stdout
            );
        }
        let rows = parse_stdout(format, &r.stdout);
        let got: Vec<(String, String)> = rows
            .iter()
            .map(|row| {
                let count = match &row["count"] {
                    serde_json::Value::String(s) => s.clone(),
                    n => n.to_string(),
                };
                (row["phone"].as_str().unwrap().to_string(), count)
            })
            .collect();
        let want: Vec<(String, String)> = want_order
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, want, "{format}");
        let shapes = rows.iter().find(|r| r["phone"] == "+15550000400").unwrap();
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(text(&shapes["users"]), "1", "{format}");
        assert_eq!(text(&shapes["first_seen"]), "2024-05-01T12:00:00.000Z");
        assert_eq!(text(&shapes["last_seen"]), "2024-05-01T12:10:00.000Z");
        let shared = rows.iter().find(|r| r["phone"] == "+15550000100").unwrap();
        assert_eq!(text(&shared["users"]), "3", "{format}");
        let cuba = rows.iter().find(|r| r["phone"] == "+5355512345").unwrap();
        assert_eq!(text(&cuba["denied"]), "1", "{format}");
    }
}

#[test]
fn several_keys_sort_and_top() {
    let r = run(
        &[
            "-o",
            "csv",
            "--group-by",
            "country,day",
            "--sort",
            "country",
            "--top",
            "3",
        ],
        &dataset(),
    );
    assert_eq!(r.code, 3);
    assert_eq!(
        r.stdout
            .lines()
            .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>(),
        [
            "country,day,count",
            "1,2024-05-01,23",
            "371,2024-05-01,1",
            "44,2024-05-01,1"
        ]
    );
}

#[test]
fn no_rule_fires_on_clean_data_and_exit_is_zero() {
    let clean: String = dataset()
        .lines()
        .filter(|l| {
            ["\"s2\"", "\"s3\"", "\"b1\"", "\"c1\"", "\"c4\"", "\"d1\""]
                .iter()
                .all(|id| !l.contains(id))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let r = run(&["-o", "ndjson"], &clean);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert!(alert_lines(&r.stderr).is_empty(), "{}", r.stderr);
    assert_eq!(parse_stdout("ndjson", &r.stdout).len(), 23);
}

#[test]
fn masking_hides_every_phone_and_login_but_keeps_the_groupings() {
    let input = dataset();
    let plain = run(&["-o", "csv", "--group-by", "phone,user"], &input);
    for format in FORMATS {
        for extra in [
            vec![
                "--fields",
                "published,actor,okta_user,phone,event_details,debug_data,message",
            ],
            vec!["--group-by", "phone,user"],
        ] {
            if format == "table" && extra[0] == "--fields" {
                continue;
            }
            let mut args = vec!["-o", format, "--mask", "all"];
            args.extend(extra.iter().copied());
            let r = run(&args, &input);
            assert_eq!(r.code, 3, "{format}: {}", r.stderr);
            let findings_text = serde_json::to_string(&r.findings).unwrap();
            for text in [&r.stdout, &r.stderr, &findings_text] {
                for secret in [
                    "5550000",
                    "example.com",
                    "alice",
                    "dave",
                    "Example",
                    "5355512345",
                    "20012345",
                    "7700900",
                    "151 1234",
                    "15112345678",
                ] {
                    assert!(
                        !text.contains(secret),
                        "{format} {extra:?}: `{secret}` leaked:\n{text}"
                    );
                }
            }
            assert!(r.stdout.contains("+1********00"), "{format}: {}", r.stdout);
            assert!(r.stdout.contains("user-"), "{format}");
            // The findings are the same, with masked groups.
            assert_eq!(r.findings.len(), EXPECTED.len());
            assert!(findings_text.contains("+1********00"));
        }
    }
    // Groupings survive: the same counts per row, in the same order.
    let masked = run(
        &["-o", "csv", "--group-by", "phone,user", "--mask", "all"],
        &input,
    );
    let counts = |csv: &str| -> Vec<String> {
        csv.lines()
            .map(|l| l.split(',').skip(2).collect::<Vec<_>>().join(","))
            .collect()
    };
    assert_eq!(counts(&plain.stdout), counts(&masked.stdout));
    // Each login and phone maps to one masked value throughout the run, and
    // distinct logins stay distinct.
    let column = |csv: &str, i: usize| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').nth(i).unwrap().to_string())
            .collect()
    };
    let pairs: BTreeSet<(String, String)> = column(&plain.stdout, 1)
        .into_iter()
        .zip(column(&masked.stdout, 1))
        .collect();
    let plain_users: BTreeSet<&String> = pairs.iter().map(|(p, _)| p).collect();
    let masked_users: BTreeSet<&String> = pairs.iter().map(|(_, m)| m).collect();
    assert_eq!(
        pairs.len(),
        plain_users.len(),
        "one mask per login: {pairs:?}"
    );
    assert_eq!(
        masked_users.len(),
        plain_users.len(),
        "no two logins share a mask"
    );
    assert!(
        pairs.contains(&("unknown".to_string(), "unknown".to_string()))
            || !plain_users.iter().any(|u| *u == "unknown")
    );
}

#[test]
fn a_bad_rule_is_a_usage_error_naming_the_column() {
    let out = oksms()
        .args(["parse", "-", "--alert", "users-per-phone >> 1"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "alert rule `users-per-phone >> 1`: column 17: expected `>` or `>=`, found `>>`"
        ),
        "{stderr}"
    );
    let out = oksms()
        .args(["parse", "-", "--group-by", "phone", "--sort", "nope"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = oksms()
        .args(["parse", "-", "--group-by", "fone"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn findings_and_bad_input_report_the_finding() {
    let input = dataset() + "{not json\n";
    let r = run(&["-o", "ndjson"], &input);
    assert_eq!(
        r.code, 3,
        "a finding outranks skipped records: {}",
        r.stderr
    );
    assert!(r.stderr.contains("record skipped"));
}

/// The child's own peak resident memory in KiB, from the `--verbose` run
/// summary (`VmHWM`). `wait4`'s `ru_maxrss` would also count this test
/// process's memory, inherited by the child before exec, and made this test
/// fail on a busy test binary.
pub(crate) fn reported_peak_kib(stderr: &str) -> i64 {
    stderr
        .split("peak memory ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no peak memory in stderr: {stderr}"))
}

/// Streams `events` small generated events through stdin and returns the
/// exit code, the peak RSS (KiB) and stdout.
#[cfg(target_os = "linux")]
pub(crate) fn stream_generated(events: u64, args: &[&str]) -> (i32, i64, String) {
    use std::process::Stdio;
    let mut child = crate::support::oksms_process()
        .args(["parse", "-", "--verbose"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut buf = std::io::BufWriter::with_capacity(1 << 16, &mut stdin);
        let start = 1_714_521_600_i64; // 2024-05-01T00:00:00Z
        for i in 0..events {
            // One send every 100 ms, 5,000 phones, 2,000 users.
            let t = start * 1000 + i as i64 * 100;
            let secs = t / 1000;
            let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
            let day = 1 + (secs - start) / 86_400;
            writeln!(
                buf,
                r#"{{"uuid":"e{i}","published":"2024-05-{day:02}T{h:02}:{m:02}:{s:02}.{:03}Z","eventType":"system.sms.send_phone_verification_message","target":[{{"type":"User","alternateId":"u{}@x"}},{{"type":"MobilePhone","alternateId":"+1555{:07}"}}]}}"#,
                t % 1000,
                (i * 7) % 2000,
                i % 5000
            )
            .unwrap();
        }
        buf.flush().unwrap();
    });
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr_pipe, &mut text).unwrap();
        text
    });
    let mut stdout = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    writer.join().unwrap();
    let status = child.wait().unwrap();
    let stderr = stderr_reader.join().unwrap();
    (
        status.code().unwrap_or(-1),
        reported_peak_kib(&stderr),
        stdout,
    )
}

/// Streams `events` generated events through a summary and two rules and
/// returns the child's peak RSS in KiB, after checking every event was
/// counted and no rule fired.
#[cfg(target_os = "linux")]
fn peak_rss_for(events: u64, window: &str) -> i64 {
    let rule = format!("sends-per-phone > 50 within {window}");
    let (code, rss_kib, stdout) = stream_generated(
        events,
        &[
            "-o",
            "csv",
            "--group-by",
            "phone,day",
            "--alert",
            &rule,
            "--alert",
            "users-per-phone > 1000",
        ],
    );
    assert_eq!(code, 0, "no rule fires on this data");
    let mut total = 0u64;
    let mut rows = 0;
    for line in stdout.lines().skip(1) {
        total += line.split(',').nth(2).unwrap().parse::<u64>().unwrap();
        rows += 1;
    }
    assert_eq!(total, events, "every event counted");
    assert!(rows >= 5000, "{rows} groups");
    rss_kib
}

/// The issue's proof: a million events (about 200 MB of input) in far less
/// memory than holding them would take.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "about 2 minutes in a debug build (the JSON decoding dominates); \
            `cargo test --test it audit -- --ignored`, faster with --release; \
            memory_does_not_grow_with_the_number_of_events covers it in CI"]
fn summaries_and_rules_run_in_memory_bounded_by_groups_on_a_million_events() {
    let rss_kib = peak_rss_for(1_000_000, "1h");
    assert!(rss_kib < 64 * 1024, "peak RSS {rss_kib} KiB");
}

/// The CI-sized proof: the same 5,000 phone groups fed 20,000 and then
/// 80,000 events (4 MB and 17 MB of input) need the same memory.
#[cfg(target_os = "linux")]
#[test]
fn memory_does_not_grow_with_the_number_of_events() {
    // A 10-minute window holds ~3 events per phone once 20 minutes have
    // passed; both runs are past that, so only the event count differs.
    let small = peak_rss_for(20_000, "10m");
    let large = peak_rss_for(80_000, "10m");
    assert!(large < 64 * 1024, "peak RSS {large} KiB");
    assert!(
        large - small < 4 * 1024,
        "peak RSS grew from {small} KiB to {large} KiB with 60,000 more events"
    );
}

// ---- --mask in every field and every spelling (property-style) ----

/// A small deterministic PRNG (xorshift64*), so every run plants the same
/// cases and a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// `digits` (ASCII) in another script: 0 ASCII, 1 fullwidth, 2 Arabic-Indic,
/// 3 extended Arabic-Indic (Persian), 4 Devanagari.
fn in_script(text: &str, script: usize) -> String {
    let zero = [0x30u32, 0xff10, 0x660, 0x6f0, 0x966][script];
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero + d).unwrap(),
            None => c,
        })
        .collect()
}

/// The test's own reading of digits: the five scripts it writes.
fn test_digit(c: char) -> Option<char> {
    for zero in [0x30u32, 0xff10, 0x660, 0x6f0, 0x966] {
        let cp = c as u32;
        if (zero..zero + 10).contains(&cp) {
            return char::from_digit(cp - zero, 10);
        }
    }
    None
}

/// Every run of digits (any of the five scripts) and the separators the
/// test writes, as ASCII digits: what a reader would dial.
fn dialable_runs(text: &str) -> Vec<String> {
    let text = text.replace("%20", " ").replace("%2B", "+");
    let mut runs = vec![String::new()];
    for c in text.chars() {
        if let Some(d) = test_digit(c) {
            runs.last_mut().unwrap().push(d);
        } else if !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '/' | '\u{a0}') {
            runs.push(String::new());
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// One phone spelled a random way: `cc` and `national` are ASCII digits.
fn spell_phone(rng: &mut Rng, cc: &str, national: &str) -> String {
    let (a, b) = national.split_at(3);
    let (b, c) = b.split_at(3);
    let spelled = match rng.below(10) {
        0 => format!("+{cc}{national}"),
        1 => format!("{cc}{national}"),
        2 => format!("+{cc} {a} {b} {c}"),
        3 => format!("+{cc} ({a}) {b}-{c}"),
        4 => format!("({a}) {b}-{c}"),
        5 => format!("00{cc} {a}.{b}.{c}"),
        6 => format!("0{a}\u{a0}{b}\u{a0}{c}"),
        7 => format!("%2B{cc}%20{a}%20{b}{c}"),
        8 => format!("+{cc}-{a}-{b}-{c}"),
        _ => format!("{cc}/{a}/{b}{c}"),
    };
    in_script(&spelled, rng.below(5))
}

/// One login spelled a random way (letter case, `@` as `%40`).
fn spell_login(rng: &mut Rng, login: &str) -> String {
    match rng.below(5) {
        0 => login.to_string(),
        1 => login.to_uppercase(),
        2 => login
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect(),
        3 => login.replace('@', "%40"),
        _ => login.to_uppercase().replace('@', "%40"),
    }
}

/// A random event with one phone and one login where Okta puts them, and
/// more spellings of both planted in random free-text fields.
fn planted_event(rng: &mut Rng, n: usize) -> (String, String, String) {
    let cc = *rng.pick(&["1", "44", "49", "33"]);
    let national = format!("{}{:09}", 2 + rng.below(7), rng.next() % 1_000_000_000);
    let login = format!("u{n}x{}@corp{}.example", rng.below(1000), rng.below(100));
    let name = format!("Zelda{n} Quux{}", rng.below(1000));
    // The phone where Okta puts it: string or JSON number, target or debugData.
    let (phone_target, phone_debug) = match rng.below(4) {
        0 => (
            format!(
                r#",{{"type":"MobilePhone","id":"mbl{n}","alternateId":"+{cc}{national}","displayName":"+{cc}{national}"}}"#
            ),
            String::new(),
        ),
        1 => (
            String::new(),
            format!(r#""phoneNumber":"+{cc}{national}","countryCallingCode":"{cc}","#),
        ),
        2 => (
            String::new(),
            format!(r#""phoneNumber":{cc}{national},"countryCallingCode":"{cc}","#),
        ),
        _ => (
            String::new(),
            format!(r#""phoneNumber":"{national}","countryCallingCode":"{cc}","#),
        ),
    };
    let free = |rng: &mut Rng| -> String {
        let mut parts = Vec::new();
        for _ in 0..1 + rng.below(3) {
            parts.push(match rng.below(3) {
                0 => spell_phone(rng, cc, &national),
                1 => spell_login(rng, &login),
                _ => name.to_uppercase(),
            });
        }
        serde_json::to_string(&format!("note {} end", parts.join(" / "))).unwrap()
    };
    let slots: Vec<String> = (0..7).map(|_| free(rng)).collect();
    let event = format!(
        r#"{{"uuid":"e{n}","published":"2024-05-01T10:00:00.000Z","eventType":"system.sms.send_phone_verification_message","displayMessage":{m},"actor":{{"id":"00uA{n}","type":"User","alternateId":"{login}","displayName":"{name}"}},"client":{{"ipAddress":"203.0.113.9","userAgent":{{"rawUserAgent":{ua}}}}},"outcome":{{"result":"DENY","reason":{reason}}},"target":[{{"type":"User","id":"00u{n}","alternateId":"{login}","displayName":"{name}"}}{phone_target}],"debugContext":{{"debugData":{{{phone_debug}"requestUri":{uri},"smsProvider":{prov},"extra":[{arr},{{"deep":{deep}}}]}}}}}}"#,
        m = slots[0],
        ua = slots[1],
        reason = slots[2],
        uri = slots[3],
        prov = slots[4],
        arr = slots[5],
        deep = slots[6],
    );
    (event, format!("{cc}{national}"), login)
}

#[test]
fn masking_covers_every_field_and_every_spelling() {
    const RECORDS: usize = 300;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut input = tempfile::NamedTempFile::new().unwrap();
    let mut planted = Vec::new();
    for n in 0..RECORDS {
        let (event, phone, login) = planted_event(&mut rng, n);
        writeln!(input, "{event}").unwrap();
        planted.push((phone, login));
    }
    input.flush().unwrap();
    let all_fields = "published,message,event_id,event_type,version,actor,okta_user,phone,outcome,client_ip,country_calling_code,sms_provider,transaction_id,event_details,debug_data";
    for format in ["ndjson", "csv", "table", "json"] {
        let out = oksms()
            .args([
                "parse", "--mask", "all", "-o", format, "--fields", all_fields,
            ])
            .arg(input.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}: {out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        // The ndjson output has one line per record: check each against its
        // own plants (a failure names the record), then all of them at once.
        let lines: Vec<&str> = if format == "ndjson" {
            text.lines().collect()
        } else {
            vec![text.as_str()]
        };
        if format == "ndjson" {
            assert_eq!(lines.len(), RECORDS);
        }
        let runs: Vec<Vec<String>> = lines.iter().map(|l| dialable_runs(l)).collect();
        let folded: Vec<String> = lines.iter().map(|l| l.to_lowercase()).collect();
        for (n, (phone, login)) in planted.iter().enumerate() {
            let i = if format == "ndjson" { n } else { 0 };
            // The national digits (without calling code) are what identify
            // the number in any spelling.
            let national = &phone[phone.len() - 10..];
            assert!(
                !runs[i].iter().any(|r| r.contains(national)),
                "{format}: record {n}: phone {phone} in clear: {}",
                lines[i]
            );
            let login = login.to_lowercase();
            assert!(
                !folded[i].contains(&login) && !folded[i].contains(&login.replace('@', "%40")),
                "{format}: record {n}: login {login} in clear: {}",
                lines[i]
            );
            assert!(
                !folded[i].contains(&format!("zelda{n} ")),
                "{format}: record {n}: name in clear: {}",
                lines[i]
            );
        }
    }
}

/// Audit runs read on every core (issue 13): the output, messages and exit
/// code of one thread and of three are the same bytes, over many batches with
/// duplicates, other event types, bad records (found by the framing thread
/// and by the workers) and record warnings (more than the ten shown) spread
/// through the input.
#[test]
fn audit_runs_on_several_threads_equal_the_sequential_run() {
    let base: Vec<String> = dataset().lines().map(str::to_string).collect();
    let other = base[0]
        .replace(
            "system.sms.send_phone_verification_message",
            "user.session.start",
        )
        .replace(r#""uuid":""#, r#""uuid":"other-"#);
    let mut input = String::new();
    for round in 0..120 {
        for (i, line) in base.iter().enumerate() {
            let line = line.replace(r#""uuid":""#, &format!(r#""uuid":"r{round}-"#));
            input.push_str(&line);
            input.push('\n');
            match (round % 13, i) {
                // A copy of an earlier event (dropped), in another batch.
                (3, 0) => input.push_str(&base[5].replace(r#""uuid":""#, r#""uuid":"r1-"#)),
                (5, 1) => input.push_str(r#"{"uuid": broken}"#),
                (7, 2) => input.push_str(&other.replace("other-", &format!("other-{round}-"))),
                (9, 4) => input.push_str(&line[..line.len() - 1]),
                // Not JSON: reported by the framing thread.
                (11, 5) => input.push_str("this is not JSON"),
                // A record warning: `client` cut by PowerShell.
                (_, 3) => input.push_str(&line.replace(r#""uuid":"r"#, r#""uuid":"w"#).replace(
                    r#"{"ipAddress":"203.0.113.9"}"#,
                    r#""@{ipAddress=203.0.113.9}""#,
                )),
                _ => continue,
            }
            input.push('\n');
        }
    }
    assert!(
        input.len() > 1 << 20,
        "several batches: {} bytes",
        input.len()
    );
    let runs: &[&[&str]] = &[
        &["--group-by", "phone"],
        &["--group-by", "phone", "-o", "csv"],
        &["--group-by", "user", "-o", "json"],
        &["--group-by", "region", "-o", "ndjson"],
        &[
            "--group-by",
            "phone,user",
            "--mask",
            "all",
            "--alert",
            "users-per-phone > 1",
        ],
        &["--group-by", "phone", "--keep-duplicates", "-o", "csv"],
        &[
            "-o",
            "csv",
            "--alert",
            "users-per-phone > 1",
            "--alert",
            "denied > 0",
        ],
        &["-o", "ndjson", "--mask", "all"],
        &[
            "-o",
            "json",
            "--mask",
            "phones",
            "--alert",
            "sends-per-phone > 5 within 1h",
        ],
        &["-o", "table", "--alert", "country not in 1,44,49"],
    ];
    for args in runs {
        let run = |threads: &str| {
            oksms()
                .args(["parse", "-"])
                .args(*args)
                .env("OKSMS_THREADS", threads)
                .write_stdin(input.clone())
                .output()
                .unwrap()
        };
        let one = run("1");
        let three = run("3");
        let stderr = String::from_utf8_lossy(&one.stderr);
        // 6 for the bad records, or 3 when a rule fired.
        assert!(
            matches!(one.status.code(), Some(3 | 6)),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("counted, not shown"), "{args:?}: {stderr}");
        assert!(!one.stdout.is_empty(), "{args:?}");
        assert_eq!(one.status.code(), three.status.code(), "{args:?}");
        // `--mask` keys its pseudonyms afresh each run: name them in order.
        let same = |a: &[u8], b: &[u8]| {
            let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
            a == b || (args.contains(&"--mask") && in_order(&a) == in_order(&b))
        };
        assert!(
            same(&one.stdout, &three.stdout),
            "{args:?}: the output differs"
        );
        assert!(
            same(&one.stderr, &three.stderr),
            "{args:?}: messages differ"
        );
    }
}

/// Several inputs, one that cannot be opened between them: its message
/// comes after the first input's and before the second's, as with one thread.
#[test]
fn audit_runs_on_several_threads_report_inputs_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let base: Vec<String> = dataset().lines().map(str::to_string).collect();
    let mut paths = Vec::new();
    for file in ["a", "b"] {
        let mut text = String::new();
        for round in 0..100 {
            for line in &base {
                text.push_str(&line.replace(r#""uuid":""#, &format!(r#""uuid":"{file}{round}-"#)));
                text.push('\n');
            }
            if round == 50 {
                text.push_str("not JSON\n");
            }
        }
        // A record warning at the end: reported by a worker.
        let cut = base[0].replace(
            r#"{"ipAddress":"203.0.113.9"}"#,
            r#""@{ipAddress=203.0.113.9}""#,
        );
        text.push_str(&cut.replace(r#""uuid":""#, &format!(r#""uuid":"{file}-w-"#)));
        text.push('\n');
        let path = dir.path().join(format!("{file}.ndjson"));
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    paths.insert(1, dir.path().join("missing.ndjson"));
    let run = |threads: &str| {
        oksms()
            .args(["parse", "--group-by", "phone", "--alert", "denied > 0"])
            .args(&paths)
            .env("OKSMS_THREADS", threads)
            .output()
            .unwrap()
    };
    let (one, three) = (run("1"), run("3"));
    let stderr = String::from_utf8_lossy(&one.stderr);
    assert!(stderr.contains("missing.ndjson"), "{stderr}");
    assert_eq!(one.status.code(), Some(3), "{stderr}");
    assert_eq!(one.status.code(), three.status.code());
    assert!(one.stdout == three.stdout, "the output differs");
    assert_eq!(stderr, String::from_utf8_lossy(&three.stderr));
}

/// `text` with each masked login (`user-` and 12 hex digits) renamed by the
/// order in which it first appears.
fn in_order(text: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("user-") {
        let end = at + 17;
        let token = rest.get(at..end).filter(|t| {
            t[5..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        });
        out.push_str(&rest[..at]);
        match token {
            Some(token) => {
                let n = names.iter().position(|t| *t == token).unwrap_or_else(|| {
                    names.push(token);
                    names.len() - 1
                });
                out.push_str(&format!("user#{n}"));
                rest = &rest[end..];
            }
            None => {
                out.push_str("user-");
                rest = &rest[at + 5..];
            }
        }
    }
    out.push_str(rest);
    out
}
