//! The input framer: any bytes (JSON array, NDJSON, pretty JSON, garbage)
//! must frame without a panic, and every frame must lie inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oksms::fuzzing::input::{Frame, Limits, frame_stream};

fuzz_target!(|data: &[u8]| {
    let _ = frame_stream(data, Limits::default(), |frame| {
        if let Frame::Value(bytes, pos) = frame {
            assert!(bytes.len() <= data.len());
            assert!(pos.offset as usize <= data.len());
        }
        Ok::<(), std::io::Error>(())
    });
});
