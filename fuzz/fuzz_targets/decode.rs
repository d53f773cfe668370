//! The decoder: any UTF-8 text (a LogEvent, an event-hook delivery, a
//! capture line, oksms's own output) decodes to records or bad values,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = oksms::fuzzing::input::decode(
        text,
        &mut |record| {
            let _ = record.phone_number();
            Ok::<(), ()>(())
        },
        &mut |_bad| {},
    );
});
