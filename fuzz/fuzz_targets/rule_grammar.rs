//! The `--alert` rule grammar and its durations: any text parses to a rule
//! or a positioned error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oksms::fuzzing::audit::rules::grammar;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = grammar::parse(text) {
        let _ = e.to_string();
    }
    let _ = grammar::duration(text);
});
