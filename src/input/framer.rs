//! Splits a byte stream into top-level JSON values without parsing them:
//! the object elements of JSON arrays (streamed, never loaded whole; arrays
//! of arrays such as a saved list of pages are flattened), NDJSON lines, and
//! concatenated or pretty-printed objects, mixed freely. Each value comes
//! with the line and column where it starts, so errors can name them.
//!
//! The framing is decided per value: an NDJSON line ending in `}` is taken
//! as it is (the JSON parser that follows checks it); any other value is
//! walked with a small JSON grammar checker (strings, escapes, brackets,
//! separators; no number or literal parsing), so an object that does not
//! close on its line but closes later, validly, is one value.
//!
//! Damage costs exactly the damaged record: when the checker finds a value
//! (or the stretch between values) malformed, one [`Frame::Bad`] is reported
//! at its start and the framer resynchronises at the first later place where
//! a value starts *and* the input from there on checks out as a continuation
//! (for [`RESYNC_CONFIRM`] bytes, or to the end), at the array depth that
//! makes it check out. Candidates are a `{`/`[` that begins a later line
//! or follows a `}`, `]` or `,` when the damaged value began its line
//! (NDJSON, pretty-printed: not the insides of a record cut short), and
//! every `{`/`[` otherwise (compact arrays, concatenated objects, text that
//! is not JSON). Damage between array elements that loses nothing (a
//! missing `,`) is a [`Frame::Flaw`]. The property test at the end of this
//! file corrupts records at random and checks that only they are lost.
//!
//! Memory is bounded by the record-size limit ([`Limits::max_record`]): a
//! larger value is reported and skipped while streaming, never buffered.
//! Scanning resumes where it stopped when more input arrives, so a value
//! split over many reads (a pipe) costs linear time. A read error (a cut
//! gzip stream) first frames every complete value read before it.

use memchr::{memchr, memchr2, memmem};
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
    /// A stretch that is not a usable value, with what is wrong with it:
    /// a record (or what may have been one) is lost.
    Bad(Position, String),
    /// Malformed input that cost no record (a missing ',' between array
    /// elements): reported, and counted as bad input.
    Flaw(Position, String),
}

/// The default largest single value (`--max-record-size`): Okta LogEvents
/// are a few KiB, event-hook deliveries at most a few MiB.
pub const DEFAULT_MAX_RECORD: usize = 16 << 20;
/// How deeply pure arrays may nest (`[[[{...}]]]` is depth 3) and still be
/// flattened; a deeper array is reported as one bad element.
pub const MAX_ARRAY_NESTING: usize = 8;
/// How far a resynchronisation candidate must check out (or reach the end
/// of the input) to be taken.
pub const RESYNC_CONFIRM: usize = 64 << 10;
const READ_CHUNK: usize = 1 << 20;

/// Sizes that bound the framer's memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest value in bytes; larger ones are reported and skipped.
    pub max_record: usize,
    /// The most bytes asked of the reader at once (small in tests, so read
    /// boundaries fall everywhere).
    pub read_chunk: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record: DEFAULT_MAX_RECORD,
            read_chunk: READ_CHUNK,
        }
    }
}

impl Limits {
    /// The default limits with `max_record` bytes as the record-size limit.
    pub fn with_max_record(max_record: usize) -> Self {
        Limits {
            max_record: max_record.max(1),
            ..Limits::default()
        }
    }
}

/// `}{`: objects concatenated on one line (built once: building a
/// searcher costs about as much as a search).
static CONCATENATED: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"}{"));

/// What the framer saw of the whole input.
#[derive(Debug, Default, Clone, Copy)]
pub struct FrameSummary {
    pub values: u64,
    pub bad: u64,
    /// Bytes read (after decompression).
    pub bytes: u64,
    /// Times the read buffer grew (it doubles, up to the record limit).
    pub grows: u32,
    /// Bytes the value scanners looked at; each byte of a value is looked
    /// at once however it is split across reads (linear time).
    pub scanned: u64,
}

/// What a [`Walker`] expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Any value (after `:` or `,` in an array).
    Value,
    /// A value or `]` (after `[`).
    ValueOrClose,
    /// A key or `}` (after `{`).
    KeyOrClose,
    /// A key (after `,` in an object).
    Key,
    Colon,
    CommaOrClose,
    /// Between top-level values (sequence mode): `{`, `[` or white space.
    Top,
}

/// Result of feeding a [`Walker`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// The value ends just before this index.
    Done(usize),
    /// The bytes given end before the value does.
    Need,
    /// Malformed at this index, and why.
    Error(usize, &'static str),
}

/// A resumable checker of JSON structure: strings (with escapes, no raw
/// line breaks), brackets, `:` and `,` in their places. Numbers and literals
/// are only skipped as runs of `[0-9A-Za-z+-.]`; the JSON parser that reads
/// the framed value judges them.
#[derive(Debug, Clone)]
struct Walker {
    /// Open containers, `b'{'` or `b'['`.
    stack: Vec<u8>,
    want: Want,
    in_string: bool,
    /// The open string is a key (a ':' follows it).
    key: bool,
    escaped: bool,
    in_literal: bool,
    /// Sequence mode: after the outermost value closes, expect another.
    seq: bool,
}

const UNCLOSED: &str = "a string is not closed before the end of its line";

fn is_literal(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
}

impl Walker {
    /// Checks one value (an object, array, string or literal).
    fn value() -> Self {
        Walker {
            stack: Vec::new(),
            want: Want::Value,
            in_string: false,
            key: false,
            escaped: false,
            in_literal: false,
            seq: false,
        }
    }

    /// Checks a sequence of values inside `depth` open pure arrays, then
    /// top-level objects and arrays, as far as it is fed.
    fn sequence(depth: usize) -> Self {
        Walker {
            stack: vec![b'['; depth],
            want: if depth > 0 { Want::Value } else { Want::Top },
            seq: true,
            ..Walker::value()
        }
    }

    /// What comes after a complete value at the current level.
    fn after_value(&mut self) -> Option<()> {
        self.want = if !self.stack.is_empty() {
            Want::CommaOrClose
        } else if self.seq {
            Want::Top
        } else {
            return None;
        };
        Some(())
    }

    /// True when the input may end here and the value is complete (a
    /// literal at the top, which only a following byte would end).
    fn complete_at_end(&self) -> bool {
        self.in_literal && self.stack.is_empty() && !self.seq
    }

    /// Walks `buf[from..]`. After `Done` or `Error` the walker is spent.
    // Long because: one byte-level state machine (strings, escapes,
    // literals, nesting) in one loop, so the hot path has no calls and every
    // state change is visible at once; split, it would be slower and harder
    // to check against the JSON grammar.
    fn feed(&mut self, buf: &[u8], from: usize) -> Walk {
        let mut pos = from;
        let len = buf.len();
        if self.in_string {
            match self.string(buf, pos) {
                Ok(Some(end)) => pos = end,
                Ok(None) => return Walk::Need,
                Err(at) => return Walk::Error(at, UNCLOSED),
            }
            if self.key {
                self.key = false;
                self.want = Want::Colon;
            } else if self.after_value().is_none() {
                return Walk::Done(pos);
            }
        }
        if self.in_literal {
            while pos < len && is_literal(buf[pos]) {
                pos += 1;
            }
            if pos == len {
                return Walk::Need;
            }
            self.in_literal = false;
            if self.after_value().is_none() {
                return Walk::Done(pos);
            }
        }
        while pos < len {
            let b = buf[pos];
            if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                pos += 1;
                continue;
            }
            match self.want {
                Want::Value | Want::ValueOrClose | Want::Top => match b {
                    b'{' => {
                        self.stack.push(b'{');
                        self.want = Want::KeyOrClose;
                    }
                    b'[' => {
                        self.stack.push(b'[');
                        self.want = Want::ValueOrClose;
                    }
                    b']' if self.want == Want::ValueOrClose => {
                        self.stack.pop();
                        if self.after_value().is_none() {
                            return Walk::Done(pos + 1);
                        }
                    }
                    _ if self.want == Want::Top => {
                        return Walk::Error(pos, "expected '{' or '[' to start a value");
                    }
                    b'"' => {
                        self.in_string = true;
                        match self.string(buf, pos + 1) {
                            Ok(Some(end)) => pos = end - 1,
                            Ok(None) => return Walk::Need,
                            Err(at) => return Walk::Error(at, UNCLOSED),
                        }
                        if self.after_value().is_none() {
                            return Walk::Done(pos + 1);
                        }
                    }
                    _ if is_literal(b) => {
                        while pos < len && is_literal(buf[pos]) {
                            pos += 1;
                        }
                        if pos == len {
                            self.in_literal = true;
                            return Walk::Need;
                        }
                        if self.after_value().is_none() {
                            return Walk::Done(pos);
                        }
                        continue;
                    }
                    _ => return Walk::Error(pos, "expected a value"),
                },
                Want::KeyOrClose | Want::Key => match b {
                    b'"' => {
                        self.in_string = true;
                        self.key = true;
                        match self.string(buf, pos + 1) {
                            Ok(Some(end)) => pos = end - 1,
                            Ok(None) => return Walk::Need,
                            Err(at) => return Walk::Error(at, UNCLOSED),
                        }
                        self.key = false;
                        self.want = Want::Colon;
                    }
                    b'}' if self.want == Want::KeyOrClose => {
                        self.stack.pop();
                        if self.after_value().is_none() {
                            return Walk::Done(pos + 1);
                        }
                    }
                    _ => return Walk::Error(pos, "expected a quoted key"),
                },
                Want::Colon => {
                    if b != b':' {
                        return Walk::Error(pos, "expected ':' after a key");
                    }
                    self.want = Want::Value;
                }
                Want::CommaOrClose => {
                    let top = self.stack.last().copied();
                    match (b, top) {
                        (b',', Some(b'{')) => self.want = Want::Key,
                        (b',', _) => self.want = Want::Value,
                        (b'}', Some(b'{')) | (b']', Some(b'[')) => {
                            self.stack.pop();
                            if self.after_value().is_none() {
                                return Walk::Done(pos + 1);
                            }
                        }
                        _ => return Walk::Error(pos, "expected ',' or a closing bracket"),
                    }
                }
            }
            pos += 1;
        }
        Walk::Need
    }

    /// Continues a string at `pos`: `Ok(Some(end))` just past its closing
    /// quote, `Ok(None)` when `buf` ends first, `Err(at)` at a raw line break.
    fn string(&mut self, buf: &[u8], mut pos: usize) -> Result<Option<usize>, usize> {
        if self.escaped {
            if pos >= buf.len() {
                return Ok(None);
            }
            self.escaped = false;
            pos += 1;
        }
        loop {
            let Some(i) = memchr::memchr3(b'"', b'\\', b'\n', &buf[pos.min(buf.len())..]) else {
                return Ok(None);
            };
            pos += i;
            match buf[pos] {
                b'"' => {
                    self.in_string = false;
                    return Ok(Some(pos + 1));
                }
                b'\\' => {
                    if pos + 1 >= buf.len() {
                        self.escaped = true;
                        return Ok(None);
                    }
                    if buf[pos + 1] == b'\n' {
                        return Err(pos + 1);
                    }
                    pos += 2;
                }
                _ => return Err(pos),
            }
        }
    }
}

/// Reads `reader` to the end, calling `on_frame` for every value or damaged
/// stretch in order. Stops early when `on_frame` fails. A read error (a
/// corrupt or cut gzip stream) first frames every complete value read
/// before it, then is returned.
pub fn frame_stream<R: Read, E: From<io::Error>>(
    mut reader: R,
    limits: Limits,
    mut on_frame: impl FnMut(Frame<'_>) -> Result<(), E>,
) -> Result<FrameSummary, E> {
    let chunk = limits.read_chunk.max(1);
    // A value is known to be too large once max_record + 1 of its bytes are
    // buffered; a resync candidate needs RESYNC_CONFIRM bytes after it.
    let hard_cap = limits
        .max_record
        .max(RESYNC_CONFIRM)
        .saturating_add(chunk)
        .saturating_add(1);
    let mut framer = Framer::new(limits);
    let mut buf: Vec<u8> = vec![0; chunk.min(hard_cap)];
    let mut filled = 0usize;
    loop {
        if filled == buf.len() {
            let mut len = (buf.len() * 2).min(hard_cap);
            if len <= buf.len() {
                len = buf.len() + chunk; // not reached: the states consume first
            }
            buf.resize(len, 0);
            framer.summary.grows += 1;
        }
        let room = (buf.len() - filled).min(chunk);
        let n = match reader.read(&mut buf[filled..filled + room]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // Keep what was decompressed before the error; the caller
                // reports the error itself, so a cut last record is not
                // reported twice.
                framer.quiet = true;
                framer.scan(&buf[..filled], true, &mut on_frame)?;
                return Err(e.into());
            }
        };
        if n == 0 {
            framer.scan(&buf[..filled], true, &mut on_frame)?;
            return Ok(framer.summary);
        }
        filled += n;
        framer.summary.bytes += n as u64;
        if filled < framer.wait_for {
            continue; // a resync candidate needs more look-ahead first
        }
        framer.wait_for = 0;
        let consumed = framer.scan(&buf[..filled], false, &mut on_frame)?;
        framer.count_to(&buf[..filled], consumed);
        buf.copy_within(consumed..filled, 0);
        filled -= consumed;
        framer.base_offset += consumed as u64;
        // shrink back after an outsized value passed
        if buf.len() > 2 * chunk.max(READ_CHUNK) && filled < chunk {
            buf.truncate(chunk);
            buf.shrink_to(chunk);
        }
    }
}

/// Whether the string whose contents start at `rest[0]` holds JSON text:
/// its first byte that is not a space or tab is `{` or `[` (a whole
/// LogEvent given as a string, as `jq -R` or `tojson` write it; the decoder
/// reads it through [`super::unwrap`]). `None` when `rest` ends first.
/// Only the first [`TEXT_LOOKAHEAD`] bytes are looked at.
fn holds_json_text(rest: &[u8]) -> Option<bool> {
    let head = &rest[..rest.len().min(TEXT_LOOKAHEAD)];
    match head.iter().find(|b| !matches!(b, b' ' | b'\t')) {
        Some(first) => Some(matches!(first, b'{' | b'[')),
        None if head.len() == TEXT_LOOKAHEAD => Some(false),
        None => None,
    }
}

/// How far into a string [`holds_json_text`] looks for its first bracket.
const TEXT_LOOKAHEAD: usize = 64;

/// What kind of value a walked stretch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An object, or a string holding JSON text: framed.
    Object,
    /// An array element that is a string, number or literal.
    NotObject,
    /// An array nested deeper than [`MAX_ARRAY_NESTING`].
    TooDeep,
}

/// Where the framer is. Offsets are absolute (from the input's start).
#[derive(Debug)]
enum State {
    /// Between values or array elements.
    Between,
    /// An object at the top level that starts its line: an NDJSON line
    /// when the line ends with `}`. `scanned`: no line break before it.
    Line {
        start: u64,
        at: Position,
        scanned: u64,
    },
    /// A value being checked; `scanned`: fed to the walker up to here.
    Walk {
        start: u64,
        at: Position,
        line_first: bool,
        scanned: u64,
        walker: Walker,
        kind: Kind,
    },
    /// A value over the size limit, passed over as it streams.
    Skip {
        walker: Walker,
        scanned: u64,
        line_first: bool,
        column: u64,
    },
    /// After a whole line at the top level that is no value (NDJSON with a
    /// stray line): the lines that follow are part of the same damage until
    /// one begins with `{` — taken when it holds a whole value by itself
    /// (the next NDJSON record), else the place a [`State::Resync`] starts.
    StrayLines,
    /// After damage: looking for the next place where values start again.
    Resync {
        /// The damaged value began its line: a candidate must begin a
        /// line or follow a `}`, `]` or `,` (not a `:`, as the insides of
        /// a record cut short do). Otherwise every `{` and `[` is one.
        line_mode: bool,
        /// The array depth at the damage; candidates are tried at this
        /// depth, every shallower one, then the deeper ones.
        max_depth: usize,
        /// The last byte before the buffer that is not a space, tab or
        /// carriage return.
        prev: u8,
        /// Damage between elements, reported when the resync ends: as a
        /// [`Frame::Flaw`] when values go on right where it was found.
        pending: Option<(Position, String)>,
    },
}

enum Check {
    Fail,
    Need,
    /// Checks out; the number of arrays left open at the end of the input,
    /// 0 when confirmed.
    Pass(usize),
}

struct Framer {
    limits: Limits,
    state: State,
    /// Open pure arrays around the next element (0: top level).
    depth: usize,
    /// Inside an array, an element was read and `,` or `]` comes next.
    after_element: bool,
    /// The last thing read was an array's `,`: a `]` next is a trailing
    /// comma (not JSON, though nothing is lost).
    after_comma: bool,
    /// No non-blank byte since the last line break.
    line_first: bool,
    /// Absolute offset of `buf[0]`.
    base_offset: u64,
    /// Line breaks are counted up to this absolute offset.
    counted_to: u64,
    /// 1-based line at `counted_to`.
    line: u64,
    /// Absolute offset of the first byte of that line.
    line_start: u64,
    summary: FrameSummary,
    /// An array bracket was seen (so `[]` is not an empty input).
    saw_array: bool,
    /// The input ended inside damage already reported.
    ended_damaged: bool,
    /// Ending on a read error: no messages of its own about the cut end.
    quiet: bool,
    /// Scanning again is useless before this many bytes are buffered.
    wait_for: usize,
    /// An array element that is not an object, reported with what follows.
    pending_element: Option<(Position, String)>,
}

fn blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The line and column of the end of `bytes`, which start at `at`.
fn locate(at: Position, bytes: &[u8]) -> (u64, u64) {
    let lines = memchr::memchr_iter(b'\n', bytes).count() as u64;
    match memchr::memrchr(b'\n', bytes) {
        None => (at.line, at.column + bytes.len() as u64),
        Some(nl) => (at.line + lines, (bytes.len() - nl) as u64),
    }
}

/// Whether the input from `buf[c]` on checks out as values inside `depth`
/// open arrays, then at the top level.
fn check(buf: &[u8], c: usize, depth: usize, eof: bool) -> Check {
    let end = buf.len().min(c + RESYNC_CONFIRM);
    let mut walker = Walker::sequence(depth);
    match walker.feed(&buf[..end], c) {
        Walk::Error(..) => Check::Fail,
        Walk::Done(_) => Check::Pass(0),
        Walk::Need if end == c + RESYNC_CONFIRM => Check::Pass(0),
        Walk::Need if !eof => Check::Need,
        Walk::Need => {
            // Cut inside a value: not a place to go on from.
            if walker.in_string || walker.in_literal || walker.stack.contains(&b'{') {
                Check::Fail
            } else {
                Check::Pass(walker.stack.len())
            }
        }
    }
}

impl Framer {
    fn new(limits: Limits) -> Self {
        Framer {
            limits,
            state: State::Between,
            depth: 0,
            after_element: false,
            after_comma: false,
            line_first: true,
            base_offset: 0,
            counted_to: 0,
            line: 1,
            line_start: 0,
            summary: FrameSummary::default(),
            saw_array: false,
            ended_damaged: false,
            quiet: false,
            wait_for: 0,
            pending_element: None,
        }
    }

    /// Counts line breaks in `buf` up to `rel`.
    fn count_to(&mut self, buf: &[u8], rel: usize) {
        let abs = self.base_offset + rel as u64;
        if abs <= self.counted_to {
            return;
        }
        let from = (self.counted_to - self.base_offset) as usize;
        let mut last = None;
        for i in memchr::memchr_iter(b'\n', &buf[from..rel]) {
            self.line += 1;
            last = Some(i);
        }
        if let Some(i) = last {
            self.line_start = self.base_offset + (from + i) as u64 + 1;
        }
        self.counted_to = abs;
    }

    fn position(&mut self, buf: &[u8], rel: usize) -> Position {
        self.count_to(buf, rel);
        let offset = self.base_offset + rel as u64;
        Position {
            line: self.line,
            column: offset.saturating_sub(self.line_start) + 1,
            offset,
        }
    }

    fn rel(&self, abs: u64) -> usize {
        (abs - self.base_offset) as usize
    }

    fn bad<E>(
        &mut self,
        on_frame: &mut impl FnMut(Frame<'_>) -> Result<(), E>,
        at: Position,
        message: String,
    ) -> Result<(), E> {
        self.summary.bad += 1;
        on_frame(Frame::Bad(at, message))
    }

    /// After a value or element: the array (if any) wants `,` or `]`.
    fn element_done(&mut self) {
        self.after_element = self.depth > 0;
        self.line_first = false;
        self.state = State::Between;
    }

    fn resync(&mut self, line_mode: bool) {
        self.state = State::Resync {
            line_mode,
            max_depth: self.depth,
            prev: b'\n',
            pending: None,
        };
    }

    /// The message for a value over the limit.
    fn too_large(&self) -> String {
        format!(
            "the record is larger than the record-size limit of {} (raise it with --max-record-size)",
            crate::size::describe(self.limits.max_record)
        )
    }

    /// Frames what `buf` holds; returns how many bytes are done with.
    // Long because: the framing rule of the module docs (candidates,
    // damage, resync, limits) is one decision table over the walker's
    // outcome; its arms share the cursor and the resync state, and the
    // property tests check it as a whole.
    fn scan<E>(
        &mut self,
        buf: &[u8],
        eof: bool,
        on_frame: &mut impl FnMut(Frame<'_>) -> Result<(), E>,
    ) -> Result<usize, E> {
        let len = buf.len();
        let mut pos = 0usize;
        loop {
            match std::mem::replace(&mut self.state, State::Between) {
                State::Between => {
                    if self.base_offset == 0 && pos == 0 {
                        const BOM: &[u8] = b"\xEF\xBB\xBF";
                        if buf.starts_with(BOM) {
                            pos = 3;
                        } else if !eof && len < 3 && BOM.starts_with(buf) {
                            return Ok(0);
                        }
                    }
                    while pos < len && blank(buf[pos]) {
                        if buf[pos] == b'\n' {
                            self.line_first = true;
                        }
                        pos += 1;
                    }
                    if pos == len {
                        if eof {
                            if let Some((at, message)) = self.pending_element.take() {
                                self.bad(on_frame, at, message)?;
                            }
                            self.finish(buf, on_frame)?;
                        }
                        return Ok(pos);
                    }
                    let b = buf[pos];
                    let trailing_comma = std::mem::take(&mut self.after_comma);
                    if self.depth > 0 && self.after_element {
                        let element = self.pending_element.take();
                        match b {
                            b',' | b']' => {
                                if let Some((at, message)) = element {
                                    self.bad(on_frame, at, message)?;
                                }
                                if b == b']' {
                                    self.depth -= 1;
                                    self.element_done();
                                } else {
                                    self.after_element = false;
                                    self.after_comma = true;
                                    self.line_first = false;
                                }
                                pos += 1;
                            }
                            _ => {
                                // Reported once the resync shows whether
                                // anything was lost.
                                let (at, message) = match element {
                                    Some((at, message)) => (
                                        at,
                                        format!("{message}, and the array does not go on after it"),
                                    ),
                                    None => (
                                        self.position(buf, pos),
                                        format!(
                                            "expected ',' or ']' after an array element, found `{}`",
                                            preview(&buf[pos..(pos + 1).min(len)])
                                        ),
                                    ),
                                };
                                self.resync(self.line_first);
                                if let State::Resync { pending, .. } = &mut self.state {
                                    *pending = Some((at, message));
                                }
                            }
                        }
                        continue;
                    }
                    let start = self.base_offset + pos as u64;
                    let text = if b == b'"' {
                        match holds_json_text(&buf[pos + 1..]) {
                            Some(text) => text,
                            None if eof => false,
                            None => return Ok(pos), // more of the string first
                        }
                    } else {
                        false
                    };
                    match b {
                        b']' if self.depth > 0 => {
                            if trailing_comma {
                                let at = self.position(buf, pos);
                                self.summary.bad += 1;
                                on_frame(Frame::Flaw(
                                    at,
                                    "a trailing comma before ']' (JSON has none; the file was \
                                     written by hand or cut and rejoined); no record lost"
                                        .to_string(),
                                ))?;
                            }
                            self.depth -= 1;
                            self.element_done();
                            pos += 1;
                        }
                        b'[' if self.depth < MAX_ARRAY_NESTING => {
                            self.depth += 1;
                            self.saw_array = true;
                            self.after_element = false;
                            self.line_first = false;
                            pos += 1;
                        }
                        b'{' if self.depth == 0 && self.line_first => {
                            let at = self.position(buf, pos);
                            self.state = State::Line {
                                start,
                                at,
                                scanned: start,
                            };
                        }
                        _ if b == b'{' || b == b'[' || self.depth > 0 || text => {
                            let at = self.position(buf, pos);
                            let kind = match b {
                                b'{' => Kind::Object,
                                b'"' if text => Kind::Object,
                                b'[' => Kind::TooDeep,
                                _ => Kind::NotObject,
                            };
                            self.state = State::Walk {
                                start,
                                at,
                                line_first: self.line_first,
                                scanned: start,
                                walker: Walker::value(),
                                kind,
                            };
                        }
                        _ => {
                            let rest = &buf[pos..];
                            let end = match memchr(b'\n', rest) {
                                Some(end) => end,
                                None if eof || rest.len() > 40 => rest.len(),
                                None => return Ok(pos), // the whole line for the message
                            };
                            let at = self.position(buf, pos);
                            let snippet = preview(&rest[..end]);
                            self.bad(on_frame, at, format!(
                                "the input is not a JSON object: found `{snippet}` (expected a LogEvent or an event-hook delivery)"
                            ))?;
                            if self.line_first && end < rest.len() {
                                // A whole line that is no value, between
                                // top-level values (NDJSON). A resync
                                // would want the values after it
                                // confirmed, and a second stray line soon
                                // after cost the good lines between the
                                // two, unreported.
                                pos += end + 1;
                                self.line_first = true;
                                self.state = State::StrayLines;
                                continue;
                            }
                            // Not a value at all: go on at the next '{' or '['.
                            self.resync(false);
                            pos += 1;
                        }
                    }
                }
                State::Line { start, at, scanned } => {
                    let s = self.rel(start);
                    let from = self.rel(scanned).max(s);
                    let end = match memchr(b'\n', &buf[from..]) {
                        Some(i) => from + i,
                        None if eof => len,
                        None => {
                            self.summary.scanned += (len - from) as u64;
                            if len - s > self.limits.max_record {
                                self.state = State::Skip {
                                    walker: Walker::value(),
                                    scanned: start,
                                    line_first: true,
                                    column: at.column,
                                };
                                let message = self.too_large();
                                self.bad(on_frame, at, message)?;
                                continue;
                            }
                            self.state = State::Line {
                                start,
                                at,
                                scanned: self.base_offset + len as u64,
                            };
                            return Ok(s);
                        }
                    };
                    self.summary.scanned += (end - from) as u64;
                    let mut e = end;
                    while e > s && blank(buf[e - 1]) {
                        e -= 1;
                    }
                    if e - s > self.limits.max_record {
                        let message = self.too_large();
                        self.bad(on_frame, at, message)?;
                        self.element_done();
                        pos = end;
                    } else if buf[e - 1] == b'}' && CONCATENATED.find(&buf[s..e]).is_none() {
                        // NDJSON: the line is the value; the JSON parser
                        // that follows checks it is one whole object.
                        self.summary.values += 1;
                        on_frame(Frame::Value(&buf[s..e], at))?;
                        self.element_done();
                        pos = e;
                    } else {
                        // Not closed on its line (pretty-printed, or cut),
                        // or several objects on one line: check it.
                        self.state = State::Walk {
                            start,
                            at,
                            line_first: true,
                            scanned: start,
                            walker: Walker::value(),
                            kind: Kind::Object,
                        };
                    }
                }
                State::Walk {
                    start,
                    at,
                    line_first,
                    scanned,
                    mut walker,
                    kind,
                } => {
                    let s = self.rel(start);
                    let from = self.rel(scanned);
                    // Nothing walked yet: the fast check first, which only
                    // ever answers where a whole well-formed value ends.
                    let fast = if from == s {
                        super::fastwalk::value_end(buf, s)
                    } else {
                        None
                    };
                    let step = match fast {
                        Some(end) => Walk::Done(end),
                        None => walker.feed(buf, from),
                    };
                    let step = match step {
                        Walk::Need if eof && walker.complete_at_end() => Walk::Done(len),
                        other => other,
                    };
                    match step {
                        Walk::Done(end) => {
                            self.summary.scanned += (end - from) as u64;
                            if end - s > self.limits.max_record {
                                let message = self.too_large();
                                self.bad(on_frame, at, message)?;
                            } else {
                                match kind {
                                    Kind::Object => {
                                        self.summary.values += 1;
                                        on_frame(Frame::Value(&buf[s..end], at))?;
                                    }
                                    Kind::NotObject => {
                                        // Reported with what follows it: a
                                        // flipped '[' makes a record's first
                                        // key an "element", then a ':' comes.
                                        let snippet = preview(&buf[s..end]);
                                        self.pending_element = Some((
                                            at,
                                            format!(
                                                "an array element is not a JSON object: found `{snippet}` (expected a LogEvent or an event-hook delivery)"
                                            ),
                                        ));
                                    }
                                    Kind::TooDeep => {
                                        self.bad(on_frame, at, format!(
                                            "arrays nested more than {MAX_ARRAY_NESTING} deep are not read"
                                        ))?;
                                    }
                                }
                            }
                            self.element_done();
                            pos = end;
                        }
                        Walk::Need if eof => {
                            self.summary.scanned += (len - from) as u64;
                            if !self.quiet {
                                self.bad(
                                    on_frame,
                                    at,
                                    "truncated: the input ends inside this record".into(),
                                )?;
                            }
                            self.ended_damaged = true;
                            if self.quiet {
                                return Ok(len);
                            }
                            // A record cut short may have taken the values
                            // after it as its own insides.
                            self.resync(line_first);
                            pos = s + 1;
                        }
                        Walk::Need => {
                            self.summary.scanned += (len - from) as u64;
                            if len - s > self.limits.max_record {
                                let message = self.too_large();
                                self.bad(on_frame, at, message)?;
                                self.state = State::Skip {
                                    walker,
                                    scanned: self.base_offset + len as u64,
                                    line_first,
                                    column: at.column,
                                };
                                pos = len;
                                continue;
                            }
                            self.state = State::Walk {
                                start,
                                at,
                                line_first,
                                scanned: self.base_offset + len as u64,
                                walker,
                                kind,
                            };
                            return Ok(s);
                        }
                        Walk::Error(err, reason) => {
                            self.summary.scanned += (err - from) as u64;
                            let (line, column) = locate(at, &buf[s..err]);
                            self.bad(
                                on_frame,
                                at,
                                format!("malformed record: {reason} (at {line}:{column})"),
                            )?;
                            self.resync(line_first);
                            pos = s + 1;
                        }
                    }
                }
                State::Skip {
                    mut walker,
                    scanned,
                    line_first,
                    column,
                } => {
                    let from = self.rel(scanned.max(self.base_offset));
                    match walker.feed(buf, from) {
                        Walk::Done(end) => {
                            self.element_done();
                            pos = end;
                        }
                        Walk::Need => {
                            if eof {
                                self.ended_damaged = true;
                            } else {
                                self.state = State::Skip {
                                    walker,
                                    scanned: self.base_offset + len as u64,
                                    line_first,
                                    column,
                                };
                            }
                            return Ok(len);
                        }
                        Walk::Error(err, _) => {
                            // Damaged as well: go on where values start again.
                            self.resync(line_first);
                            pos = err;
                        }
                    }
                }
                State::StrayLines => {
                    let rest = &buf[pos..];
                    let line_end = match memchr(b'\n', rest) {
                        Some(i) => i,
                        None if eof => rest.len(),
                        None if rest.len() > self.limits.max_record => {
                            // No line end in sight: the usual resync.
                            self.resync(false);
                            continue;
                        }
                        None => {
                            self.state = State::StrayLines;
                            return Ok(pos); // the whole line first
                        }
                    };
                    let line = &rest[..line_end];
                    let first = line.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r'));
                    match first {
                        Some(i) if line[i] == b'{' => {
                            let whole = super::fastwalk::value_end(line, i).is_some_and(|end| {
                                line[end..]
                                    .iter()
                                    .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
                            });
                            if whole {
                                // The next record: values go on here.
                                self.line_first = true;
                            } else {
                                // Something longer than a line (pretty
                                // JSON): find where values go on again.
                                self.resync(false);
                            }
                        }
                        _ if line_end == rest.len() => {
                            // The input ends in the same damage.
                            pos = len;
                        }
                        _ => {
                            // Part of the same damage, already reported.
                            pos += line_end + 1;
                            self.state = State::StrayLines;
                        }
                    }
                    continue;
                }
                State::Resync {
                    line_mode,
                    max_depth,
                    mut prev,
                    pending,
                } => {
                    let mut found = None;
                    while let Some(i) = memchr2(b'{', b'[', &buf[pos..]) {
                        let c = pos + i;
                        pos = c + 1;
                        if line_mode {
                            // What precedes the candidate on its line.
                            let mut k = c;
                            while k > 0 && matches!(buf[k - 1], b' ' | b'\t' | b'\r') {
                                k -= 1;
                            }
                            let before = if k == 0 { prev } else { buf[k - 1] };
                            if !matches!(before, b'\n' | b'}' | b']' | b',') {
                                continue;
                            }
                        }
                        match self.try_candidate(buf, c, max_depth, eof) {
                            Some(Ok(())) => {
                                found = Some(c);
                                break;
                            }
                            Some(Err(())) => {
                                // Look further once more input is here;
                                // remember what precedes the candidate.
                                let mut k = c;
                                while k > 0 && matches!(buf[k - 1], b' ' | b'\t' | b'\r') {
                                    k -= 1;
                                }
                                let prev = if k == 0 { prev } else { buf[k - 1] };
                                self.state = State::Resync {
                                    line_mode,
                                    max_depth,
                                    prev,
                                    pending,
                                };
                                self.wait_for = RESYNC_CONFIRM + 1;
                                return Ok(c);
                            }
                            None => {}
                        }
                    }
                    if let Some(c) = found {
                        if let Some((at, message)) = pending {
                            self.summary.bad += 1;
                            if c as u64 + self.base_offset == at.offset {
                                on_frame(Frame::Flaw(at, format!("{message}; no record lost")))?;
                            } else {
                                on_frame(Frame::Bad(at, message))?;
                            }
                        }
                        // Not known to begin its line: the next value is
                        // walked, not taken as an NDJSON line.
                        self.line_first = false;
                        pos = c;
                        continue;
                    }
                    if eof {
                        if let Some((at, message)) = pending {
                            self.bad(on_frame, at, message)?;
                        }
                        self.depth = 0;
                        self.after_element = false;
                        self.ended_damaged = true;
                        return Ok(len);
                    }
                    // Nothing here: remember how the buffer ends.
                    let trailing = buf
                        .iter()
                        .rev()
                        .take_while(|b| matches!(b, b' ' | b'\t' | b'\r'))
                        .count();
                    if trailing < len {
                        prev = buf[len - trailing - 1];
                    }
                    self.state = State::Resync {
                        line_mode,
                        max_depth,
                        prev,
                        pending,
                    };
                    return Ok(len);
                }
            }
        }
    }

    /// Tries a resync candidate at `buf[c]` at `max_depth`, every shallower
    /// depth, then the deeper ones, taking the first that checks out: `Some(Ok)` taken (depth set), `Some(Err)` more input
    /// needed, `None` rejected.
    fn try_candidate(
        &mut self,
        buf: &[u8],
        c: usize,
        max_depth: usize,
        eof: bool,
    ) -> Option<Result<(), ()>> {
        let mut best: Option<(usize, usize)> = None;
        // Deeper levels last: the damage may have taken (or closed) arrays
        // that are still open.
        let deeper = max_depth.min(MAX_ARRAY_NESTING) + 1..=MAX_ARRAY_NESTING;
        for depth in (0..=max_depth).rev().chain(deeper) {
            match check(buf, c, depth, eof) {
                Check::Fail => {}
                Check::Need => return Some(Err(())),
                Check::Pass(open) => {
                    if best.is_none_or(|(o, _)| open < o) {
                        best = Some((open, depth));
                    }
                    if open == 0 {
                        break;
                    }
                }
            }
        }
        let (_, depth) = best?;
        self.depth = depth;
        self.after_element = false;
        self.state = State::Between;
        Some(Ok(()))
    }

    /// The end of the input between values.
    fn finish<E>(
        &mut self,
        buf: &[u8],
        on_frame: &mut impl FnMut(Frame<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.quiet || self.ended_damaged {
            return Ok(());
        }
        let at = self.position(buf, buf.len());
        if self.depth > 0 {
            self.bad(
                on_frame,
                at,
                "truncated: the input ends before the JSON array is closed with ']'".into(),
            )?;
        } else if self.summary.values == 0 && self.summary.bad == 0 && !self.saw_array {
            let what = if self.summary.bytes == 0 {
                "the input is empty"
            } else {
                "the input holds only white space"
            };
            self.bad(
                on_frame,
                at,
                format!("{what}: expected a JSON array, NDJSON or an Okta event-hook delivery"),
            )?;
        }
        Ok(())
    }
}

/// A short, printable preview of some bytes for an error message.
pub fn preview(bytes: &[u8]) -> String {
    // Credentials are redacted on a longer stretch first, so one cut at the
    // 40th byte cannot show half a token.
    let line_end = memchr(b'\n', bytes).unwrap_or(bytes.len()).min(512);
    let wide = String::from_utf8_lossy(&bytes[..line_end]);
    let safe = crate::secret::redact_text(&wide);
    let mut out: String = safe.chars().take(40).flat_map(char::escape_debug).collect();
    if bytes.len() > 40 && safe.chars().count() > 40 || line_end < bytes.len() {
        out.push('…');
    }
    out
}

/// Where the `Walker` says the value at the start of `buf` ends, if it
/// does (for the fast path's tests).
#[cfg(test)]
pub(super) fn walk_value(buf: &[u8]) -> Option<usize> {
    match Walker::value().feed(buf, 0) {
        Walk::Done(end) => Some(end),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames_with(input: &[u8], limits: Limits) -> Vec<String> {
        let mut out = Vec::new();
        frame_stream::<_, io::Error>(input, limits, |f| {
            out.push(match f {
                Frame::Value(v, p) => {
                    format!("{}:{} {}", p.line, p.column, String::from_utf8_lossy(v))
                }
                Frame::Bad(p, m) => format!("{}:{} BAD {m}", p.line, p.column),
                Frame::Flaw(p, m) => format!("{}:{} FLAW {m}", p.line, p.column),
            });
            Ok(())
        })
        .unwrap();
        out
    }

    /// Frames `input` with the default limits, and checks that every read
    /// chunk size from 1 to 9 bytes frames it the same way.
    fn frames(input: &str) -> Vec<String> {
        let got = frames_with(input.as_bytes(), Limits::default());
        for read_chunk in 1..10 {
            let limits = Limits {
                read_chunk,
                ..Limits::default()
            };
            assert_eq!(
                frames_with(input.as_bytes(), limits),
                got,
                "read chunk {read_chunk}"
            );
        }
        got
    }

    fn values(got: &[String]) -> Vec<&str> {
        got.iter()
            .filter(|f| !f.contains(" BAD ") && !f.contains(" FLAW "))
            .map(|f| f.split_once(' ').map_or("", |(_, v)| v))
            .collect()
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
        // Firehose writes objects with no separator at all.
        let got = frames("{\"a\":{\"x\":1}}{\"b\":2}{\"c\":\"}{\"}\n");
        assert_eq!(
            got,
            [
                "1:1 {\"a\":{\"x\":1}}",
                "1:14 {\"b\":2}",
                "1:21 {\"c\":\"}{\"}"
            ]
        );
    }

    #[test]
    fn pretty_objects_mixed_into_ndjson_are_one_value_each() {
        let input = "{\"a\":1}\n{\n  \"b\": {\"c\": [1, {\"d\": \"}\"}]\n  }\n}\n{\"e\":3}\n  {\"f\":\n4}\n";
        let got = frames(input);
        assert_eq!(
            got,
            [
                "1:1 {\"a\":1}",
                "2:1 {\n  \"b\": {\"c\": [1, {\"d\": \"}\"}]\n  }\n}",
                "6:1 {\"e\":3}",
                "7:3 {\"f\":\n4}"
            ]
        );
    }

    #[test]
    fn arrays_of_arrays_are_flattened() {
        let got = frames("[[{\"a\":1},{\"b\":2}], [{\"c\":3}], []]");
        assert_eq!(values(&got), ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"]);
        assert_eq!(got.len(), 3, "{got:?}");
        // pages one per line, and concatenated
        let got = frames("[{\"a\":1},{\"b\":2}]\n[{\"c\":3}]\n[[{\"d\":4}]][[{\"e\":5}]]\n");
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(values(&got).len(), 5);
        // the documented depth limit
        let deep = |n: usize| format!("{}{{\"a\":1}}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(frames(&deep(MAX_ARRAY_NESTING)), ["1:9 {\"a\":1}"]);
        let got = frames(&deep(MAX_ARRAY_NESTING + 1));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("BAD arrays nested more than 8"), "{got:?}");
    }

    #[test]
    fn a_broken_ndjson_line_costs_only_itself() {
        // The first line lacks its '}' (it used to swallow the whole file).
        let got = frames("{\"a\":1\n{\"b\":2}\n{\"c\":3}\n");
        assert!(got[0].starts_with("1:1 BAD malformed record"), "{got:?}");
        assert_eq!(values(&got), ["{\"b\":2}", "{\"c\":3}"]);
        // A line starting with '[' (one flipped byte) used to drop every
        // record after it.
        let got = frames("[\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
        assert_eq!(values(&got), ["{\"b\":2}", "{\"c\":3}"], "{got:?}");
        assert_eq!(got.len(), 3, "one message: {got:?}");
        // a string broken by a line break ends the value
        let got = frames("{\n\"a\":1}\n{\"b\":\"x\n}\n{\"d\":4}\n");
        assert!(
            got[1].starts_with("3:1 BAD malformed record: a string"),
            "{got:?}"
        );
        assert_eq!(got.last().unwrap(), "5:1 {\"d\":4}");
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn a_damaged_array_element_costs_only_itself() {
        // compact: used to cost every later element
        let got = frames("[{\"a\":1},{\"b\":\"x,\"t\":[{\"u\":1},{\"v\":2}]},{\"c\":3},{\"d\":4}]");
        assert_eq!(
            values(&got),
            ["{\"a\":1}", "{\"c\":3}", "{\"d\":4}"],
            "{got:?}"
        );
        assert_eq!(got.len(), 4, "{got:?}");
        // pretty: used to cost the next element
        let input = "[\n  {\n    \"a\": 1\n  },\n  {\n    \"b\": \"x,\n    \"t\": [\n      {\n        \"u\": 1\n      }\n    ]\n  },\n  {\n    \"c\": 3\n  }\n]\n";
        let got = frames(input);
        assert_eq!(
            values(&got),
            ["{\n    \"a\": 1\n  }", "{\n    \"c\": 3\n  }"],
            "{got:?}"
        );
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn strings_holding_json_text_are_values_and_other_strings_are_not() {
        let got = frames("\"{\\\"a\\\":1}\"\n[\" [1]\",\n \"x\", \"{\"]\n\"hi\"\n");
        assert_eq!(got[0], "1:1 \"{\\\"a\\\":1}\"", "{got:?}");
        assert_eq!(got[1], "2:2 \" [1]\"", "{got:?}");
        assert!(
            got[2].starts_with("3:2 BAD an array element is not a JSON object: found `\\\"x\\\"`"),
            "{got:?}"
        );
        assert_eq!(got[3], "3:7 \"{\"", "{got:?}");
        assert!(
            got[4].starts_with("4:1 BAD the input is not a JSON object: found `\\\"hi\\\"`"),
            "{got:?}"
        );
        assert_eq!(got.len(), 5, "{got:?}");
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
        assert_eq!(frames("\u{feff}{\"a\":1}"), ["1:4 {\"a\":1}"]);
    }

    #[test]
    fn values_larger_than_the_read_chunk_are_reassembled() {
        let big = "x".repeat(READ_CHUNK * 3);
        let input = format!("{{\"a\":\"{big}\"}}\n{{\"b\":1}}\n");
        let got = frames_with(input.as_bytes(), Limits::default());
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], "2:1 {\"b\":1}");
    }

    #[test]
    fn a_value_over_the_record_limit_is_skipped_and_reading_goes_on() {
        let big = "x".repeat(100);
        for input in [
            format!("{{\"a\":1}}\n{{\"big\":\"{big}\"}}\n{{\"c\":3}}\n"),
            format!("[{{\"a\":1}},\n{{\"big\":\"{big}\"}},{{\"c\":3}}]"),
            format!("{{\"a\":1}}\n{{\n\"big\":\"{big}\"\n}}\n{{\"c\":3}}\n"),
        ] {
            for read_chunk in [1, 7, 64, 4096] {
                let limits = Limits {
                    max_record: 64,
                    read_chunk,
                };
                let got = frames_with(input.as_bytes(), limits);
                assert_eq!(values(&got), ["{\"a\":1}", "{\"c\":3}"], "{got:?}");
                assert_eq!(got.len(), 3, "{got:?}");
                assert!(
                    got[1].contains(
                        "BAD the record is larger than the record-size limit of 64 bytes (raise it with --max-record-size)"
                    ),
                    "{got:?}"
                );
            }
        }
    }

    /// Hands out at most `step` bytes per read, like a pipe.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.data.len().min(self.step).min(out.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_large_value_from_a_pipe_is_scanned_once_with_bounded_growth() {
        // 40 MiB in one value, arriving 64 KiB at a time: each byte is
        // looked at once (it was rescanned on every read, quadratic) and
        // the buffer doubles a bounded number of times.
        let size = 40 << 20;
        let mut input = b"{\"a\":\"".to_vec();
        input.resize(size, b'x');
        input.extend_from_slice(b"\"}\n{\"b\":1}\n");
        let limits = Limits::with_max_record(64 << 20);
        let mut n = 0;
        let summary = frame_stream::<_, io::Error>(
            Trickle {
                data: &input,
                step: 64 << 10,
            },
            limits,
            |f| {
                assert!(matches!(f, Frame::Value(..)));
                n += 1;
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(n, 2);
        assert!(
            summary.scanned <= 2 * input.len() as u64,
            "scanned {} bytes of {}",
            summary.scanned,
            input.len()
        );
        assert!(summary.grows <= 7, "{} buffer growths", summary.grows);
    }

    /// Gives its data, then fails (a cut gzip stream).
    struct FailsAtEnd<'a>(&'a [u8]);

    impl Read for FailsAtEnd<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "cut"));
            }
            let n = self.0.len().min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_keeps_the_complete_values_before_it() {
        let mut got = Vec::new();
        let result = frame_stream::<_, io::Error>(
            FailsAtEnd(b"{\"a\":1}\n[{\"b\":2},{\"c\":3},{\"d\":"),
            Limits::default(),
            |f| {
                got.push(format!("{f:?}"));
                Ok(())
            },
        );
        assert!(result.is_err());
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.iter().all(|f| f.starts_with("Value")), "{got:?}");
    }

    #[test]
    fn a_trailing_comma_is_reported_and_costs_nothing() {
        let got = frames("[{\"a\":1},{\"b\":2},]");
        assert_eq!(values(&got), ["{\"a\":1}", "{\"b\":2}"], "{got:?}");
        assert!(
            got.iter().any(|f| f.contains("FLAW a trailing comma")),
            "{got:?}"
        );
    }

    #[test]
    fn missing_comma_in_array_is_reported() {
        let got = frames("[{\"a\":1} {\"b\":2}, {\"c\":3}]");
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(
            got[1],
            "1:10 FLAW expected ',' or ']' after an array element, found `{`; no record lost"
        );
        assert_eq!(values(&got), ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"]);
        // junk instead of the comma loses nothing either
        let got = frames("[{\"a\":1}x{\"b\":2}]");
        assert_eq!(values(&got), ["{\"a\":1}", "{\"b\":2}"]);
        assert!(got[1].contains(" BAD expected ',' or ']'"), "{got:?}");
    }
}

/// Property: one corruption (a flipped, deleted or inserted byte, or a
/// record cut short) costs at most the records it touches, in NDJSON,
/// compact and pretty arrays and concatenated pretty objects, whatever the
/// read boundaries.
#[cfg(test)]
mod resync_property {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn text() -> impl Strategy<Value = String> {
        let chars = vec![
            'a', 'b', '{', '}', '[', ']', '"', '\\', ',', ':', ' ', '\n', 'é', '1',
        ];
        proptest::collection::vec(proptest::sample::select(chars), 0..10)
            .prop_map(|c| c.into_iter().collect())
    }

    fn record(id: usize) -> impl Strategy<Value = Value> {
        (
            text(),
            text(),
            proptest::collection::vec((0u32..100, text()), 0..3),
        )
            .prop_map(move |(a, b, list)| {
                let list: Vec<Value> = list
                    .into_iter()
                    .map(|(n, t)| json!({"n": n, "t": t}))
                    .collect();
                json!({"id": id, "a": a, "nested": {"b": b, "list": list, "ok": true}})
            })
    }

    fn records() -> impl Strategy<Value = Vec<Value>> {
        (1usize..7).prop_flat_map(|n| (0..n).map(record).collect::<Vec<_>>())
    }

    /// The input and each record's byte range in it. Styles: NDJSON,
    /// compact array, pretty array (`jq .`), concatenated pretty objects,
    /// compact pages (`[[r0,r1],[r2,r3]]`), NDJSON with CRLF, NDJSON with
    /// every other record pretty-printed.
    fn layout(records: &[Value], style: u8) -> (Vec<u8>, Vec<(usize, usize)>) {
        let mut out = Vec::new();
        let mut spans = Vec::new();
        let (open, sep, close): (&[u8], &[u8], &[u8]) = match style {
            1 => (b"[", b",", b"]"),
            2 => (b"[\n  ", b",\n  ", b"\n]\n"),
            4 => (b"[[", b",", b"]]"),
            5 => (b"", b"\r\n", b"\r\n"),
            _ => (b"", b"\n", b"\n"),
        };
        out.extend_from_slice(open);
        for (i, r) in records.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(if style == 4 && i % 2 == 0 {
                    b"],["
                } else {
                    sep
                });
            }
            let text = match style {
                2 => serde_json::to_string_pretty(r)
                    .unwrap()
                    .replace('\n', "\n  "),
                3 => serde_json::to_string_pretty(r).unwrap(),
                6 if i % 2 == 1 => serde_json::to_string_pretty(r).unwrap(),
                _ => serde_json::to_string(r).unwrap(),
            };
            spans.push((out.len(), out.len() + text.len()));
            out.extend_from_slice(text.as_bytes());
        }
        out.extend_from_slice(close);
        (out, spans)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 10000, ..ProptestConfig::default() })]

        #[test]
        fn one_corruption_costs_only_the_records_it_touches(
            recs in records(),
            style in 0u8..7,
            kind in 0u8..4,
            at in any::<prop::sample::Index>(),
            byte in prop::sample::select(b"{}[]\",:\\\n x0\x80".to_vec()),
            read_chunk in prop::sample::select(vec![1usize, 2, 3, 5, 8, 13, 64, 4096]),
        ) {
            let (clean, spans) = layout(&recs, style);
            let mut input = clean.clone();
            let o = at.index(clean.len());
            // which records the corruption touches: a record with the
            // separators on both sides of it
            let mut touched: Vec<usize> = Vec::new();
            if kind == 3 {
                let k = at.index(spans.len());
                let (s, e) = spans[k];
                let cut = s + (e - s) * (o % 97) / 97;
                input.drain(cut.max(s + 1)..e);
                touched.push(k);
            } else {
                match kind {
                    0 => {
                        prop_assume!(input[o] != byte);
                        input[o] = byte;
                    }
                    1 => {
                        input.remove(o);
                    }
                    _ => input.insert(o, byte),
                }
                for (k, _) in spans.iter().enumerate() {
                    let lo = if k == 0 { 0 } else { spans[k - 1].1 };
                    let hi = spans.get(k + 1).map_or(clean.len(), |s| s.0);
                    if lo <= o && o <= hi {
                        touched.push(k);
                    }
                }
            }
            let mut got: Vec<Vec<u8>> = Vec::new();
            let mut bad = 0;
            let limits = Limits { read_chunk, ..Limits::default() };
            frame_stream::<_, io::Error>(&input[..], limits, |f| {
                match f {
                    Frame::Value(v, _) => got.push(v.to_vec()),
                    Frame::Bad(..) | Frame::Flaw(..) => bad += 1,
                }
                Ok(())
            }).unwrap();
            for (k, (s, e)) in spans.iter().enumerate() {
                if touched.contains(&k) {
                    continue;
                }
                let want = &clean[*s..*e];
                prop_assert!(
                    got.iter().any(|g| g == want),
                    "record {} lost; touched {:?}; input {:?}; frames {:?}",
                    k, touched, String::from_utf8_lossy(&input),
                    got.iter().map(|g| String::from_utf8_lossy(g).into_owned()).collect::<Vec<_>>()
                );
            }
            prop_assert!(bad <= 3, "{} errors for one corruption", bad);
        }
    }
}
