//! `Link` header parsing: each input line is one header value.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(next) = oksms::fuzzing::okta::next_link(text.split('\n')) {
        assert!(text.contains(next.as_str()));
    }
});
