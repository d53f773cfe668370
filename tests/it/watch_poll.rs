//! `oksms watch` polling end to end: the real binary polling a simulated
//! Okta org on 127.0.0.1 (late events, page-boundary duplicates, events
//! appended while it runs), stopped by SIGTERM, by `--exit-when-idle`, and
//! killed with SIGKILL at random points; the union of what it wrote is
//! compared with the org's truth.

use crate::support::org::{TOKEN, details, org_with, sms_uuids, uuids};
use crate::support::{SMS, oksms, oksms_process_with_home, read_json_lines, sigterm};
use oksms_sim::{SimConfig, SimOrg};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Bound on every wait, so a broken build fails instead of hanging.
const DEADLINE: Duration = Duration::from_secs(180);

fn org(config: SimConfig) -> SimOrg {
    org_with(SimConfig {
        // The tests poll fast; the budget is tested with `fetch`.
        rate_limit_per_minute: 1_000_000,
        ..config
    })
}

/// `oksms watch` polling `org` (NDJSON unless `extra` has `-o`), with a
/// scrubbed environment and `dir` as its home and working directory.
fn watch_cmd(org: &SimOrg, dir: &Path, extra: &[&str]) -> Command {
    let mut cmd = oksms_process_with_home(dir);
    cmd.env("OKTA_CLIENT_TOKEN", TOKEN)
        .current_dir(dir)
        .args(["watch", "--org", &org.base_url()])
        .args(extra)
        .stdin(Stdio::null());
    if !extra.contains(&"-o") {
        cmd.args(["-o", "ndjson"]);
    }
    cmd
}

/// Starts `cmd` with stdout appended to `out` and stderr to `err`.
fn spawn_into(mut cmd: Command, out: &Path, err: &Path) -> Child {
    let append = |p: &Path| -> File {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .expect("open output")
    };
    cmd.stdout(append(out))
        .stderr(append(err))
        .spawn()
        .expect("start oksms watch")
}

/// Waits for the exit, killing the process at the deadline.
fn wait(child: &mut Child) -> i32 {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code().unwrap_or(-1);
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("oksms watch did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts `got` holds every uuid of `want` exactly once, and nothing else.
fn assert_exactly_once(what: &str, got: &[String], want: &[String]) {
    let unique: HashSet<&String> = got.iter().collect();
    assert_eq!(
        unique.len(),
        got.len(),
        "{what}: {} record(s) written twice",
        got.len() - unique.len()
    );
    let want_set: HashSet<&String> = want.iter().collect();
    let missing = want_set.difference(&unique).count();
    let extra = unique.difference(&want_set).count();
    assert_eq!(
        (missing, extra),
        (0, 0),
        "{what}: missing / unexpected records"
    );
}

/// Polls `cond` until true, failing at the deadline with `what`.
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn line_count(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

struct Files {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    out: PathBuf,
    err: PathBuf,
    state: PathBuf,
    archive: PathBuf,
}

fn files() -> Files {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().to_path_buf();
    Files {
        out: p.join("out.ndjson"),
        err: p.join("stderr.txt"),
        state: p.join("watch.state"),
        archive: p.join("archive.ndjson"),
        dir: p,
        _dir: dir,
    }
}

#[test]
fn long_poll_with_late_events_and_boundary_duplicates_gives_each_record_once() {
    let late = 25;
    let org = org(SimConfig {
        seed: 44,
        event_count: 600,
        late_events: late,
        late_by: Duration::from_secs(120),
        polling_overlap: 3,
        ..SimConfig::default()
    });
    let f = files();
    // The late events are the newest published; they persist only later.
    let all = org.truth();
    let late_ids: HashSet<String> = uuids(&all[all.len() - late..]).into_iter().collect();
    let visible: Vec<String> = sms_uuids(&org)
        .into_iter()
        .filter(|id| !late_ids.contains(id))
        .collect();
    let state = f.state.to_str().unwrap();
    let archive = f.archive.to_str().unwrap();
    let args = [
        "--since",
        "7d",
        "--page-size",
        "7",
        "--interval",
        "20ms",
        "--state",
        state,
        "--archive",
        archive,
        "--verbose",
    ];
    let mut child = spawn_into(watch_cmd(&org, &f.dir, &args), &f.out, &f.err);

    wait_until("the visible events", || line_count(&f.out) >= visible.len());
    let first = uuids(&details(&read_json_lines(&f.out)));
    assert_exactly_once("before the late events", &first, &visible);

    // Late events persist, new events arrive: the same run picks them up.
    org.advance_clock(Duration::from_secs(121));
    org.append_events(40);
    let truth = sms_uuids(&org);
    assert!(
        truth.len() > visible.len() + 5,
        "late or new SMS events exist"
    );
    wait_until("the late and new events", || {
        line_count(&f.out) >= truth.len()
    });
    sigterm(&child);
    assert_eq!(wait(&mut child), 130, "SIGTERM exits 130");

    let got = uuids(&details(&read_json_lines(&f.out)));
    assert_exactly_once("live output", &got, &truth);
    let stderr = std::fs::read_to_string(&f.err).unwrap();
    assert!(
        stderr.contains("duplicate event(s) dropped"),
        "the org served boundary duplicates and they were dropped: {stderr}"
    );
    assert!(!stderr.contains(TOKEN), "the token never reaches stderr");

    // A restart with the same state writes nothing more, then idles out.
    org.append_events(10);
    let code = wait(&mut spawn_into(
        watch_cmd(
            &org,
            &f.dir,
            &["--state", state, "--archive", archive, "--exit-when-idle"],
        ),
        &f.out,
        &f.err,
    ));
    assert_eq!(code, 0);
    let truth = sms_uuids(&org);
    let got = uuids(&details(&read_json_lines(&f.out)));
    assert_exactly_once("after the restart", &got, &truth);

    // The archive has every raw event once, and `parse` of it reproduces
    // the live output line for line.
    let archived = uuids(&read_json_lines(&f.archive));
    assert_exactly_once("archive", &archived, &truth);
    let parsed = oksms()
        .args(["parse", "-o", "ndjson", archive])
        .output()
        .expect("parse runs");
    assert!(parsed.status.success());
    assert_eq!(
        String::from_utf8(parsed.stdout).unwrap(),
        std::fs::read_to_string(&f.out).unwrap(),
        "archive + parse = live output"
    );
}

#[test]
fn sigkill_at_random_points_loses_nothing_and_writes_nothing_twice() {
    let org = Arc::new(org(SimConfig {
        seed: 7,
        event_count: 3000,
        polling_overlap: 2,
        ..SimConfig::default()
    }));
    let f = files();
    let state = f.state.to_str().unwrap().to_string();
    let archive = f.archive.to_str().unwrap().to_string();
    let args = [
        "--since",
        "7d",
        "--page-size",
        "4",
        "--interval",
        "10ms",
        "--state",
        &state,
        "--archive",
        &archive,
    ];

    // The org keeps getting new events while the runs are killed.
    let appending = Arc::new(AtomicBool::new(true));
    let appender = {
        let org = Arc::clone(&org);
        let appending = Arc::clone(&appending);
        std::thread::spawn(move || {
            while appending.load(Ordering::SeqCst) {
                org.append_events(3);
                std::thread::sleep(Duration::from_millis(15));
            }
        })
    };

    let mut rng = StdRng::seed_from_u64(0x5eed_4b1d);
    let kills = 24;
    for _ in 0..kills {
        let mut child = spawn_into(watch_cmd(&org, &f.dir, &args), &f.out, &f.err);
        std::thread::sleep(Duration::from_millis(rng.random_range(5..300)));
        // SIGKILL: no handler runs, buffers are lost, a line may be torn.
        child.kill().expect("kill -9");
        child.wait().expect("reap");
    }
    appending.store(false, Ordering::SeqCst);
    appender.join().expect("appender");

    let code = wait(&mut spawn_into(
        watch_cmd(&org, &f.dir, &[&args[..], &["--exit-when-idle"]].concat()),
        &f.out,
        &f.err,
    ));
    let stderr = std::fs::read_to_string(&f.err).unwrap();
    assert_eq!(code, 0, "{stderr}");

    let truth = sms_uuids(&org);
    let got = uuids(&details(&read_json_lines(&f.out)));
    assert_exactly_once("output after SIGKILLs", &got, &truth);
    let archived = uuids(&read_json_lines(&f.archive));
    assert_exactly_once("archive after SIGKILLs", &archived, &truth);
    // The kills did land between writing and checkpointing at least once,
    // so the cutting on restart was exercised, not just the happy path.
    let cuts = stderr.matches("removed the last").count();
    eprintln!(
        "{kills} kills, {cuts} cut(s) on restart, {} records",
        got.len()
    );
    assert!(cuts >= 1, "no kill landed after a write: {stderr}");
}

#[test]
fn foreign_or_damaged_state_is_refused_and_reset_starts_over() {
    let org_a = org(SimConfig {
        event_count: 60,
        ..SimConfig::default()
    });
    let org_b = org(SimConfig {
        event_count: 5,
        ..SimConfig::default()
    });
    let f = files();
    let state = f.state.to_str().unwrap();
    let idle = ["--since", "7d", "--state", state, "--exit-when-idle"];
    let run = |org: &SimOrg, extra: &[&str]| {
        let mut args = idle.to_vec();
        args.extend_from_slice(extra);
        watch_cmd(org, &f.dir, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("oksms runs")
    };
    let first = run(&org_a, &[]);
    assert_eq!(first.status.code(), Some(0));
    let first_count = String::from_utf8_lossy(&first.stdout).lines().count();
    assert_eq!(first_count, sms_uuids(&org_a).len());
    let saved = std::fs::read_to_string(&f.state).unwrap();

    let refused = |out: std::process::Output, want: &str| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(want) && stderr.contains("--reset-state"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    };
    refused(run(&org_b, &[]), "was written for the org");
    refused(
        run(
            &org_a,
            &["--event-type", "system.voice.send_phone_verification_call"],
        ),
        "another filter",
    );
    assert_eq!(std::fs::read_to_string(&f.state).unwrap(), saved, "kept");
    std::fs::write(&f.state, &saved[..saved.len() / 2]).unwrap();
    refused(run(&org_a, &[]), "damaged");

    let reset = run(&org_b, &["--reset-state"]);
    assert_eq!(reset.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&reset.stdout).lines().count(),
        sms_uuids(&org_b).len()
    );
    // The same state again: nothing new.
    let again = run(&org_b, &[]);
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
}

#[test]
fn csv_appended_across_restarts_has_one_header_and_max_polls_ends_a_run() {
    let org = org(SimConfig {
        event_count: 80,
        ..SimConfig::default()
    });
    let f = files();
    let state = f.state.to_str().unwrap();
    let csv_args = [
        "--since",
        "7d",
        "--state",
        state,
        "-o",
        "csv",
        "--page-size",
        "5",
    ];
    let code = wait(&mut spawn_into(
        watch_cmd(
            &org,
            &f.dir,
            &[&csv_args[..], &["--max-polls", "2"]].concat(),
        ),
        &f.out,
        &f.err,
    ));
    let stderr = || std::fs::read_to_string(&f.err).unwrap_or_default();
    assert_eq!(code, 0, "{}", stderr());
    let after_two = line_count(&f.out);
    assert_eq!(
        after_two,
        1 + 10,
        "header and two pages of five: {}",
        stderr()
    );
    let code = wait(&mut spawn_into(
        watch_cmd(
            &org,
            &f.dir,
            &[&csv_args[..], &["--exit-when-idle"]].concat(),
        ),
        &f.out,
        &f.err,
    ));
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&f.out).unwrap();
    let headers = text.lines().filter(|l| l.starts_with("published,")).count();
    assert_eq!(headers, 1, "{text}");
    assert_eq!(text.lines().count(), 1 + sms_uuids(&org).len());
}

/// How many SMS events of `org` Okta denied.
fn sms_denied(org: &SimOrg) -> usize {
    org.truth()
        .iter()
        .filter(|e| e["eventType"] == SMS && e["outcome"]["result"] == "DENY")
        .count()
}

#[test]
fn an_alert_exits_3_with_the_finding_on_stderr_and_masks_only_stdout() {
    let org = org(SimConfig {
        seed: 11,
        event_count: 300,
        ..SimConfig::default()
    });
    assert!(sms_denied(&org) > 0, "the dataset has DENY sends");
    let f = files();
    let archive = f.archive.to_str().unwrap();
    let args = [
        "--since",
        "7d",
        "--page-size",
        "40",
        "--interval",
        "20ms",
        "--exit-when-idle",
        "--archive",
        archive,
        "--alert",
        "denied > 0",
        "--mask",
        "phones",
        "--fields",
        "event_id,phone.alternate_id,debug_data",
    ];
    let code = wait(&mut spawn_into(
        watch_cmd(&org, &f.dir, &args),
        &f.out,
        &f.err,
    ));
    let stderr = std::fs::read_to_string(&f.err).unwrap();
    assert_eq!(code, 3, "a rule fired: {stderr}");
    let findings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("alert `denied > 0`"))
        .collect();
    assert_eq!(findings.len(), 1, "reported once: {stderr}");
    // Reported as soon as it fires (the figure then), naming a DENY event.
    let denied_ids: Vec<String> = org
        .truth()
        .iter()
        .filter(|e| e["eventType"] == SMS && e["outcome"]["result"] == "DENY")
        .map(|e| e["uuid"].as_str().unwrap().to_string())
        .collect();
    assert!(
        denied_ids
            .iter()
            .any(|id| findings[0].contains(&format!("first event {id} "))),
        "{}",
        findings[0]
    );
    // Every record still printed, phones masked on stdout; the archive raw.
    let out = std::fs::read_to_string(&f.out).unwrap();
    assert_exactly_once(
        "masked output",
        &read_json_lines(&f.out)
            .iter()
            .map(|r| r["event_id"].as_str().expect("event_id").to_string())
            .collect::<Vec<_>>(),
        &sms_uuids(&org),
    );
    let raw = std::fs::read_to_string(&f.archive).unwrap();
    let phones: Vec<String> = org
        .truth()
        .iter()
        .filter(|e| e["eventType"] == SMS)
        .filter_map(|e| e["debugContext"]["debugData"]["phoneNumber"].as_str())
        .map(str::to_string)
        .collect();
    assert!(!phones.is_empty(), "some events carry a number");
    for phone in &phones {
        assert!(raw.contains(phone.as_str()), "the archive keeps {phone}");
        assert!(!out.contains(phone.as_str()), "stdout masks {phone}");
    }

    // The same run without the rule exits 0.
    let f = files();
    let code = wait(&mut spawn_into(
        watch_cmd(&org, &f.dir, &args[..args.len() - 6]),
        &f.out,
        &f.err,
    ));
    assert_eq!(code, 0);
}

#[test]
fn group_by_re_emits_the_summary_while_polling() {
    let org = org(SimConfig {
        seed: 12,
        event_count: 200,
        ..SimConfig::default()
    });
    let f = files();
    let args = [
        "--since",
        "7d",
        "--interval",
        "50ms",
        "--group-by",
        "phone",
        "--every",
        "1s",
        "-o",
        "csv",
        "--state",
        f.state.to_str().unwrap(),
    ];
    let mut child = spawn_into(watch_cmd(&org, &f.dir, &args), &f.out, &f.err);
    let total = sms_uuids(&org).len();
    let denied = sms_denied(&org);
    // Each summary is a CSV table with its header; sums over the groups.
    let summaries = |text: &str| -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for table in text.split("phone,count,users,phones,actors,denied,first_seen,last_seen\n") {
            let mut sums = (0, 0);
            for row in table.lines() {
                let cells: Vec<&str> = row.split(',').collect();
                sums.0 += cells[1].parse::<usize>().expect("count");
                sums.1 += cells[5].parse::<usize>().expect("denied");
            }
            if !table.is_empty() {
                found.push(sums);
            }
        }
        found
    };
    // Written while it runs: only `--every` writes a summary before the end.
    wait_until("a summary of every event", || {
        let text = std::fs::read_to_string(&f.out).unwrap_or_default();
        summaries(&text).contains(&(total, denied))
    });
    sigterm(&child);
    assert_eq!(wait(&mut child), 130, "SIGTERM exits 130");
    let text = std::fs::read_to_string(&f.out).unwrap();
    let all = summaries(&text);
    assert!(all.len() >= 2, "re-emitted, then the final one: {text}");
    assert_eq!(all.last(), Some(&(total, denied)), "{text}");
}

#[test]
fn a_bad_rule_is_a_usage_error_before_polling_starts() {
    let org = org(SimConfig {
        seed: 13,
        event_count: 20,
        ..SimConfig::default()
    });
    let f = files();
    let state = f.state.to_str().unwrap();
    let code = wait(&mut spawn_into(
        watch_cmd(
            &org,
            &f.dir,
            &[
                "--state",
                state,
                "--exit-when-idle",
                "--alert",
                "users-per-phone >",
            ],
        ),
        &f.out,
        &f.err,
    ));
    let stderr = std::fs::read_to_string(&f.err).unwrap();
    assert_eq!(code, 2, "{stderr}");
    assert!(!f.state.exists(), "nothing started");
    assert_eq!(line_count(&f.out), 0);
    assert_eq!(org.stats().requests, 0, "no request made");
}

#[test]
fn a_short_page_means_caught_up_so_no_request_until_the_interval() {
    // 25 SMS events, pages of 10: 10, 10, 5. The short page says the log
    // is caught up: the next request waits for --interval (an hour here).
    let org = org(SimConfig {
        seed: 3,
        event_count: 25,
        ..SimConfig::default()
    });
    let all = org.truth().len();
    let f = files();
    let args = [
        "--since",
        "7d",
        "--page-size",
        "10",
        "--interval",
        "1h",
        "-v",
        "--event-type",
        "all",
    ];
    let mut child = spawn_into(watch_cmd(&org, &f.dir, &args), &f.out, &f.err);
    wait_until("the caught-up note", || {
        std::fs::read_to_string(&f.err).is_ok_and(|t| t.contains("caught up"))
    });
    let requests = org.stats().logs_requests;
    sigterm(&child);
    assert_eq!(wait(&mut child), 130);
    assert_eq!(read_json_lines(&f.out).len(), all);
    let pages = all.div_ceil(10) as u64;
    assert_eq!(
        requests,
        pages,
        "one request per page, none right after the short page: {:?}",
        org.stats().log_urls
    );
    // --exit-when-idle ends at the short page too: 3 requests, not 4.
    let org2 = org_for_idle();
    let f2 = files();
    let code = wait(&mut spawn_into(
        watch_cmd(
            &org2,
            &f2.dir,
            &[
                "--since",
                "7d",
                "--page-size",
                "10",
                "--event-type",
                "all",
                "--exit-when-idle",
            ],
        ),
        &f2.out,
        &f2.err,
    ));
    assert_eq!(code, 0);
    assert_eq!(read_json_lines(&f2.out).len(), 25);
    assert_eq!(org2.stats().logs_requests, 3, "{:?}", org2.stats().log_urls);
}

fn org_for_idle() -> SimOrg {
    org(SimConfig {
        seed: 3,
        event_count: 25,
        ..SimConfig::default()
    })
}
