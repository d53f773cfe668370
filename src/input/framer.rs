//! Splits a byte stream into top-level JSON values without parsing them:
//! the elements of a JSON array (streamed, never loaded whole), NDJSON lines,
//! or concatenated (pretty-printed) objects. Each value comes with the line
//! and column where it starts, so errors can name them, and a damaged value
//! is reported and skipped while the stream goes on.
//!
//! Only string quotes, escapes and braces are looked at (with `memchr`), so
//! framing costs a fraction of the JSON parse that follows it.

use memchr::memchr;
use std::io::{self, Read};

/// Where a value starts in its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column (in bytes).
    pub column: u64,
    /// 0-based byte offset from the start of the (decompressed) input.
    pub offset: u64,
}

/// One framed piece of the input.
#[derive(Debug)]
pub enum Frame<'a> {
    /// A complete value's bytes.
    Value(&'a [u8], Position),
    /// A stretch that is not a usable value, with what is wrong with it.
    Bad(Position, String),
}

/// The largest single value accepted; beyond it the input is not an Okta
/// export and buffering it would defeat constant memory.
pub const MAX_VALUE_BYTES: usize = 256 << 20;
const READ_CHUNK: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    TopLevel,
    /// Inside a top-level array; `true` once an element was read and a comma
    /// (or the closing bracket) is expected.
    Array {
        after_element: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineMode {
    Unknown,
    /// One value per line (NDJSON): a value must end on the line it starts.
    Lines,
    /// Values span lines (pretty-printed).
    Multi,
}

enum Scan {
    Complete(usize),
    NeedMore,
    /// The value cannot be complete: a reason and where to resume.
    Broken(&'static str, usize),
}

/// Reads `reader` to the end, calling `on_frame` for every value or damaged
/// stretch in order. Stops early when `on_frame` fails.
pub fn frame_stream<R: Read, E: From<io::Error>>(
    mut reader: R,
    mut on_frame: impl FnMut(Frame<'_>) -> Result<(), E>,
) -> Result<FrameSummary, E> {
    let mut state = Framer::new();
    let mut buf: Vec<u8> = vec![0; READ_CHUNK];
    let mut filled = 0usize;
    let mut eof = false;
    loop {
        if !eof {
            if filled == buf.len() {
                if buf.len() >= MAX_VALUE_BYTES + READ_CHUNK {
                    let pos = state.position_of(0);
                    on_frame(Frame::Bad(
                        pos,
                        format!(
                            "a single value is larger than {} MiB; stopped reading",
                            MAX_VALUE_BYTES >> 20
                        ),
                    ))?;
                    state.summary.bad += 1;
                    return Ok(state.summary);
                }
                buf.resize(buf.len() * 2, 0);
            }
            let n = loop {
                match reader.read(&mut buf[filled..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e.into()),
                }
            };
            filled += n;
            eof = n == 0;
            if !eof && filled < buf.len() / 2 {
                continue; // fill more before scanning, fewer partial rescans
            }
        }
        let consumed = state.scan(&buf[..filled], eof, &mut on_frame)?;
        if eof {
            return Ok(state.summary);
        }
        buf.copy_within(consumed..filled, 0);
        filled -= consumed;
        state.base_offset += consumed as u64;
        // shrink back after an outsized value passed
        if buf.len() > READ_CHUNK && filled < READ_CHUNK / 2 {
            buf.truncate(READ_CHUNK);
            buf.shrink_to(READ_CHUNK);
        }
    }
}

/// What the framer saw of the whole input.
#[derive(Debug, Default, Clone, Copy)]
pub struct FrameSummary {
    pub values: u64,
    pub bad: u64,
    /// Bytes read (after decompression).
    pub bytes: u64,
}

struct Framer {
    mode: Mode,
    line_mode: LineMode,
    /// Absolute offset of `buf[0]`.
    base_offset: u64,
    /// 1-based line of the next byte to scan.
    line: u64,
    /// Absolute offset of the first byte of the current line.
    line_start: u64,
    summary: FrameSummary,
    /// An array bracket was seen (so `[]` is not an empty input).
    saw_array: bool,
}

impl Framer {
    fn new() -> Self {
        Framer {
            mode: Mode::TopLevel,
            line_mode: LineMode::Unknown,
            base_offset: 0,
            line: 1,
            line_start: 0,
            summary: FrameSummary::default(),
            saw_array: false,
        }
    }

    /// Advances line tracking over `bytes`, which start at absolute `at`.
    fn advance(&mut self, bytes: &[u8], at: u64) {
        let mut last = None;
        for i in memchr::memchr_iter(b'\n', bytes) {
            self.line += 1;
            last = Some(i);
        }
        if let Some(i) = last {
            self.line_start = at + i as u64 + 1;
        }
    }

    fn position_of(&self, pos: usize) -> Position {
        let offset = self.base_offset + pos as u64;
        Position {
            line: self.line,
            column: offset - self.line_start + 1,
            offset,
        }
    }

    /// Frames what `buf` holds; returns how many bytes are done with.
    fn scan<E>(
        &mut self,
        buf: &[u8],
        eof: bool,
        on_frame: &mut impl FnMut(Frame<'_>) -> Result<(), E>,
    ) -> Result<usize, E> {
        let mut pos = 0usize;
        loop {
            // skip white space (and a UTF-8 byte order mark at the very start)
            let ws_start = pos;
            if self.base_offset == 0 && pos == 0 && buf.starts_with(b"\xEF\xBB\xBF") {
                pos = 3;
            }
            while pos < buf.len() && matches!(buf[pos], b' ' | b'\t' | b'\r' | b'\n') {
                pos += 1;
            }
            self.advance(&buf[ws_start..pos], self.base_offset + ws_start as u64);
            self.summary.bytes = self.base_offset + pos as u64;
            if pos == buf.len() {
                if eof {
                    if let Mode::Array { .. } = self.mode {
                        let at = self.position_of(pos);
                        self.summary.bad += 1;
                        on_frame(Frame::Bad(
                            at,
                            "truncated: the input ends before the JSON array is closed with ']'"
                                .into(),
                        ))?;
                    } else if self.summary.values == 0 && self.summary.bad == 0 && !self.saw_array {
                        let at = self.position_of(pos);
                        self.summary.bad += 1;
                        let what = if pos == 0 {
                            "the input is empty"
                        } else {
                            "the input holds only white space"
                        };
                        on_frame(Frame::Bad(
                            at,
                            format!(
                                "{what}: expected a JSON array, NDJSON or an Okta event-hook delivery"
                            ),
                        ))?;
                    }
                }
                return Ok(pos);
            }
            let start = pos;
            let at = self.position_of(start);
            let byte = buf[start];
            match self.mode {
                Mode::TopLevel if byte == b'[' => {
                    self.mode = Mode::Array {
                        after_element: false,
                    };
                    self.saw_array = true;
                    pos += 1;
                    continue;
                }
                Mode::Array { .. } if byte == b']' => {
                    self.mode = Mode::TopLevel;
                    pos += 1;
                    continue;
                }
                Mode::Array {
                    after_element: true,
                } if byte == b',' => {
                    self.mode = Mode::Array {
                        after_element: false,
                    };
                    pos += 1;
                    continue;
                }
                _ => {}
            }
            let in_array = matches!(self.mode, Mode::Array { .. });
            let missing_comma = matches!(
                self.mode,
                Mode::Array {
                    after_element: true
                }
            );
            if byte != b'{' {
                // Not an object: garbage at the top level or an odd element.
                let (end, resume) = match memchr(b'\n', &buf[start..]) {
                    Some(i) => (start + i, start + i + 1),
                    None if eof => (buf.len(), buf.len()),
                    None => return Ok(start),
                };
                let snippet = preview(&buf[start..end]);
                let what = if in_array {
                    "an array element"
                } else {
                    "the input"
                };
                self.summary.bad += 1;
                on_frame(Frame::Bad(
                    at,
                    format!(
                        "{what} is not a JSON object: found `{snippet}` (expected a LogEvent or an event-hook delivery)"
                    ),
                ))?;
                self.advance(&buf[start..resume], self.base_offset + start as u64);
                pos = resume;
                if in_array {
                    self.mode = Mode::Array {
                        after_element: true,
                    };
                }
                continue;
            }
            let line_bound = !in_array && self.line_mode != LineMode::Multi;
            let mut scan = if line_bound && self.line_mode == LineMode::Lines {
                // NDJSON: the line is the value; the JSON parser that
                // follows checks it is one whole object.
                scan_line(buf, start, eof)
            } else {
                scan_object(buf, start, line_bound, eof)
            };
            if let (Scan::Broken("line", _), LineMode::Unknown) = (&scan, self.line_mode) {
                self.line_mode = LineMode::Multi;
                scan = scan_object(buf, start, false, eof);
            }
            match scan {
                Scan::NeedMore if !eof => return Ok(start),
                Scan::NeedMore => {
                    self.summary.bad += 1;
                    on_frame(Frame::Bad(
                        at,
                        "truncated: the input ends inside this record".into(),
                    ))?;
                    return Ok(buf.len());
                }
                Scan::Broken(reason, resume) => {
                    self.summary.bad += 1;
                    let msg = match reason {
                        "line" => "the record ends at the end of its line without its closing '}'",
                        "string" => "a string is not closed before the end of the line",
                        other => other,
                    };
                    on_frame(Frame::Bad(at, msg.to_string()))?;
                    self.advance(&buf[start..resume], self.base_offset + start as u64);
                    pos = resume;
                    if in_array {
                        self.mode = Mode::Array {
                            after_element: true,
                        };
                    }
                }
                Scan::Complete(end) => {
                    if !in_array && self.line_mode == LineMode::Unknown {
                        self.line_mode = LineMode::Lines;
                    }
                    if missing_comma {
                        self.summary.bad += 1;
                        on_frame(Frame::Bad(
                            at,
                            "missing ',' before this array element".into(),
                        ))?;
                    } else {
                        self.summary.values += 1;
                        on_frame(Frame::Value(&buf[start..end], at))?;
                    }
                    self.advance(&buf[start..end], self.base_offset + start as u64);
                    pos = end;
                    if in_array {
                        self.mode = Mode::Array {
                            after_element: true,
                        };
                    }
                }
            }
        }
    }
}

/// The NDJSON value starting at `start`: up to the end of its line, without
/// trailing white space.
fn scan_line(buf: &[u8], start: usize, eof: bool) -> Scan {
    let end = match memchr(b'\n', &buf[start..]) {
        Some(i) => start + i,
        // The last line of the input: say so when it is cut short.
        None if eof => return scan_object(buf, start, false, eof),
        None => return Scan::NeedMore,
    };
    let mut value_end = end;
    while value_end > start && matches!(buf[value_end - 1], b' ' | b'\t' | b'\r') {
        value_end -= 1;
    }
    Scan::Complete(value_end)
}

/// Finds the end of the object starting at `buf[start] == b'{'`.
fn scan_object(buf: &[u8], start: usize, line_bound: bool, eof: bool) -> Scan {
    let limit = if line_bound {
        match memchr(b'\n', &buf[start..]) {
            Some(i) => start + i,
            None if eof => buf.len(),
            None => return Scan::NeedMore,
        }
    } else {
        buf.len()
    };
    // Between strings the next structural byte is a step or two away, so a
    // byte loop is fastest there; inside strings memchr jumps to the end.
    let bytes = &buf[..limit];
    let mut depth = 0usize;
    let mut pos = start;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' => loop {
                pos += 1;
                let Some(i) = memchr::memchr3(b'"', b'\\', b'\n', &bytes[pos..]) else {
                    return if line_bound && limit < buf.len() {
                        Scan::Broken("string", limit + 1)
                    } else {
                        Scan::NeedMore
                    };
                };
                pos += i;
                match bytes[pos] {
                    b'"' => break,
                    b'\\' => pos += 1,
                    _ => return Scan::Broken("string", pos + 1),
                }
            },
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Scan::Complete(pos + 1);
                }
            }
            _ => {}
        }
        pos += 1;
    }
    if line_bound && limit < buf.len() {
        Scan::Broken("line", limit + 1)
    } else {
        Scan::NeedMore
    }
}

/// A short, printable preview of some bytes for an error message.
pub fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]);
    let mut out: String = text.chars().flat_map(char::escape_debug).collect();
    if bytes.len() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<String> {
        let mut out = Vec::new();
        frame_stream::<_, io::Error>(input.as_bytes(), |f| {
            out.push(match f {
                Frame::Value(v, p) => {
                    format!("{}:{} {}", p.line, p.column, String::from_utf8_lossy(v))
                }
                Frame::Bad(p, m) => format!("{}:{} BAD {m}", p.line, p.column),
            });
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn ndjson_lines() {
        assert_eq!(
            frames("{\"a\":1}\n{\"b\":\"}\"}\n"),
            ["1:1 {\"a\":1}", "2:1 {\"b\":\"}\"}"]
        );
    }

    #[test]
    fn array_elements_stream_with_positions() {
        let got = frames("[\n  {\"a\":[1,{\"x\":2}]},\n  {\"b\":\"\\\"{\"}\n]");
        assert_eq!(got, ["2:3 {\"a\":[1,{\"x\":2}]}", "3:3 {\"b\":\"\\\"{\"}"]);
    }

    #[test]
    fn concatenated_arrays_and_pretty_objects() {
        let got = frames("[{\"a\":1}][{\"b\":2}]\n{\n \"c\": 3\n}\n");
        assert_eq!(
            got,
            ["1:2 {\"a\":1}", "1:11 {\"b\":2}", "2:1 {\n \"c\": 3\n}"]
        );
    }

    #[test]
    fn a_broken_ndjson_line_does_not_swallow_the_next() {
        // In NDJSON each line is a value; the JSON parser rejects the broken
        // ones (see decode) and the next line is read as usual.
        let got = frames("{\"a\":1}\n{\"b\":2\n{\"c\":\"x}\n{\"d\":4}\n");
        assert_eq!(
            got,
            [
                "1:1 {\"a\":1}",
                "2:1 {\"b\":2",
                "3:1 {\"c\":\"x}",
                "4:1 {\"d\":4}"
            ]
        );
        // Pretty-printed input: a string broken by a newline ends the value.
        let got = frames("{\n\"a\":1}\n{\"b\":\"x\n}\n{\"d\":4}\n");
        assert!(got[1].starts_with("3:1 BAD a string"), "{got:?}");
        assert_eq!(got.last().unwrap(), "5:1 {\"d\":4}");
    }

    #[test]
    fn garbage_lines_are_reported_and_skipped() {
        let got = frames("hello world\n{\"a\":1}\n");
        assert!(got[0].starts_with("1:1 BAD the input is not a JSON object: found `hello world`"));
        assert_eq!(got[1], "2:1 {\"a\":1}");
    }

    #[test]
    fn truncation_and_emptiness_are_reported() {
        assert_eq!(
            frames("{\"a\":1}\n{\"b\":"),
            [
                "1:1 {\"a\":1}",
                "2:1 BAD truncated: the input ends inside this record"
            ]
        );
        assert!(frames("[{\"a\":1},")[1].contains("array is closed"));
        assert!(frames("")[0].contains("the input is empty"));
        assert!(frames(" \n ")[0].contains("only white space"));
        assert!(frames("[]").is_empty());
    }

    #[test]
    fn values_larger_than_the_read_chunk_are_reassembled() {
        let big = "x".repeat(READ_CHUNK * 3);
        let input = format!("{{\"a\":\"{big}\"}}\n{{\"b\":1}}\n");
        let got = frames(&input);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], "2:1 {\"b\":1}");
    }

    #[test]
    fn missing_comma_in_array_is_reported() {
        let got = frames("[{\"a\":1} {\"b\":2}, {\"c\":3}]");
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[1].contains("missing ','"));
    }
}
