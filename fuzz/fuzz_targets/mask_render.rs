//! Decoded records through `--mask all` and every renderer, on a terminal
//! (escaped) and off one, with `--csv-safe`: never a panic, and terminal
//! output never holds a character the escaping rule forbids.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oksms::fuzzing::audit::keys::Facts;
use oksms::fuzzing::audit::mask::{MaskChoice, MaskStore, Masker};
use oksms::fuzzing::fields::{Field, Leaf};
use oksms::output::terminal::is_unsafe;
use oksms::output::{Format, OutputSettings, SharedBuf, TimeZoneChoice, make_sink};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let masker = Masker::with_key(MaskChoice::All, [7; 32]);
    // Records may borrow text the decoder unwrapped, so each is rendered
    // while it is alive.
    let _ = oksms::fuzzing::input::decode(
        text,
        &mut |record| {
            render_everywhere(&masker, &record);
            Ok::<(), ()>(())
        },
        &mut |_bad| {},
    );
});

/// Renders one masked record in every format, on and off a terminal; on a
/// terminal nothing unsafe may be written.
fn render_everywhere(masker: &Masker, record: &oksms::record::Record<'_>) {
    for format in [Format::Csv, Format::Ndjson, Format::Json, Format::Table] {
        for terminal in [false, true] {
            let settings = OutputSettings {
                format,
                fields: Some(vec![
                    Field::Leaf(Leaf::Message),
                    Field::Leaf(Leaf::OutcomeReason),
                    Field::Leaf(Leaf::EventDetails),
                    Field::Leaf(Leaf::DebugData),
                ]),
                wide: false,
                no_header: false,
                color: false,
                time_zone: TimeZoneChoice::Utc,
                terminal,
                csv_safe: true,
            };
            let out = SharedBuf::default();
            let mut sink = make_sink(&settings, Box::new(out.clone()));
            let facts = Facts::of(record);
            let mut store = MaskStore::default();
            let masked = masker.record(record, &facts, true, &mut store);
            sink.record(&masked).unwrap();
            sink.finish().unwrap();
            drop(sink);
            let bytes = out.take();
            if terminal {
                let shown = String::from_utf8_lossy(&bytes);
                assert!(
                    shown.chars().all(|c| c == '\n' || !is_unsafe(c)),
                    "{format:?}: {shown:?}"
                );
            }
        }
    }
}
