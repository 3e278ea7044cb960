//! Document text with a code point index, and Unicode word and grapheme boundaries.
//!
//! Every position in Gloss is a **code point index** (a Unicode scalar value index), end-exclusive:
//! the unit Python's `str` slicing, spaCy and brat use. Rust strings are indexed by bytes, so
//! [`Text`] keeps a sparse index (the byte offset of every [`CHECKPOINT`]-th code point) that turns
//! a code point offset into a byte offset, and back, in time bounded by [`CHECKPOINT`] and not by
//! the length of the text.
//!
//! ```text
//! text:        "né à Paris"
//! code points:  0123456789    (10 code points)
//! bytes:        0 1 3 4 5 ... (é and à take two bytes each)
//! ```

use std::ops::Range;
use std::sync::Arc;

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation as _};

/// Distance, in code points, between two entries of the offset index.
pub const CHECKPOINT: usize = 64;

/// How far (in bytes) word segmentation looks around a position for context.
const WORD_WINDOW: usize = 1024;

/// The text of a document plus an index for code point ↔ byte conversion.
///
/// A text never changes once made, so it is shared: cloning a document (the snapshot of the
/// project that a save or an autosave writes off the UI thread) copies a pointer, not megabytes.
#[derive(Clone, Default)]
pub struct Text {
    shared: Arc<Indexed>,
}

/// What a [`Text`] shares between its clones.
#[derive(Default)]
struct Indexed {
    string: String,
    /// Number of code points in `string`.
    len_chars: usize,
    /// `checkpoints[i]` is the byte offset of code point `i * CHECKPOINT`.
    /// Empty when the text is ASCII, where bytes and code points coincide.
    checkpoints: Vec<usize>,
}

/// The number of code points of `bytes` (valid UTF-8) and the byte offset of every
/// [`CHECKPOINT`]-th one. Eight bytes at a time: a block holding no checkpoint is only counted.
fn index(bytes: &[u8]) -> (usize, Vec<usize>) {
    let mut checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
    let mut count = 0usize;
    let mut blocks = bytes.chunks_exact(8);
    let mut at = 0usize;
    for block in &mut blocks {
        let mut word = [0u8; 8];
        word.copy_from_slice(block);
        let w = u64::from_le_bytes(word);
        // A continuation byte is 0b10xx_xxxx: its top bit set and the next one clear.
        let continuation = continuation_bytes(w);
        let starts = 8 - continuation;
        let into = count % CHECKPOINT;
        if starts > 0 && (into == 0 || into + starts > CHECKPOINT) {
            count = count_bytes(block, at, count, &mut checkpoints);
        } else {
            count += starts;
        }
        at += 8;
    }
    let count = count_bytes(blocks.remainder(), at, count, &mut checkpoints);
    (count, checkpoints)
}

/// Continuation bytes (`0b10xx_xxxx`) in the eight bytes of `w`: one bit per such byte moved to
/// the byte's low bit, then all eight summed into the top byte by one multiplication.
fn continuation_bytes(w: u64) -> usize {
    let marks = (w & !(w << 1) & 0x8080_8080_8080_8080) >> 7;
    (marks.wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

/// The byte offset of the code point `n` code points after byte `at` (which starts one) in
/// `bytes` (valid UTF-8); the end of `bytes` when there are not that many.
fn advance(bytes: &[u8], mut at: usize, mut n: usize) -> usize {
    // Eight bytes at a time while at least eight code points are left: a block starts at most
    // eight, so the one looked for is never passed.
    while n >= 8 {
        let Some(block) = bytes.get(at..at + 8) else { break };
        let mut word = [0u8; 8];
        word.copy_from_slice(block);
        n -= 8 - continuation_bytes(u64::from_le_bytes(word));
        at += 8;
    }
    for (i, &byte) in bytes.iter().enumerate().skip(at) {
        if (byte as i8) >= -0x40 {
            if n == 0 {
                return i;
            }
            n -= 1;
        }
    }
    bytes.len()
}

/// Counts the code points starting in `bytes` (at byte `at` of the text) one byte at a time,
/// from `count`, noting checkpoints; returns the new count.
fn count_bytes(bytes: &[u8], at: usize, mut count: usize, checkpoints: &mut Vec<usize>) -> usize {
    for (i, &byte) in bytes.iter().enumerate() {
        // A byte that is not a UTF-8 continuation byte starts a code point.
        if (byte as i8) >= -0x40 {
            if count % CHECKPOINT == 0 {
                checkpoints.push(at + i);
            }
            count += 1;
        }
    }
    count
}

impl Text {
    /// Wraps a string and builds its offset index (one pass over the bytes).
    pub fn new(string: String) -> Self {
        let indexed = if string.is_ascii() {
            let len_chars = string.len();
            Indexed { string, len_chars, checkpoints: Vec::new() }
        } else {
            let (len_chars, checkpoints) = index(string.as_bytes());
            Indexed { string, len_chars, checkpoints }
        };
        Self { shared: Arc::new(indexed) }
    }

    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        &self.shared.string
    }

    /// Takes the string back out.
    pub fn into_string(self) -> String {
        Arc::try_unwrap(self.shared).map_or_else(|shared| shared.string.clone(), |indexed| indexed.string)
    }

    /// Length in code points.
    pub fn len_chars(&self) -> usize {
        self.shared.len_chars
    }

    /// Length in bytes (UTF-8).
    pub fn len_bytes(&self) -> usize {
        self.shared.string.len()
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.shared.string.is_empty()
    }

    /// True when every code point is ASCII, so that bytes and code points coincide.
    pub fn is_ascii(&self) -> bool {
        self.shared.checkpoints.is_empty()
    }

    /// Byte offset of code point `char_idx`; `None` past the end. `len_chars()` maps to `len_bytes()`.
    pub fn char_to_byte(&self, char_idx: usize) -> Option<usize> {
        if char_idx > self.shared.len_chars {
            return None;
        }
        if self.is_ascii() || char_idx == self.shared.len_chars {
            return Some(if char_idx == self.shared.len_chars { self.shared.string.len() } else { char_idx });
        }
        let base = *self.shared.checkpoints.get(char_idx / CHECKPOINT)?;
        Some(advance(self.shared.string.as_bytes(), base, char_idx % CHECKPOINT))
    }

    /// Code point index of byte offset `byte_idx`; `None` past the end or inside a code point.
    pub fn byte_to_char(&self, byte_idx: usize) -> Option<usize> {
        if byte_idx > self.shared.string.len() || !self.shared.string.is_char_boundary(byte_idx) {
            return None;
        }
        if self.is_ascii() {
            return Some(byte_idx);
        }
        // The last checkpoint at or before `byte_idx`.
        let slot = self.shared.checkpoints.partition_point(|&b| b <= byte_idx).saturating_sub(1);
        let base = *self.shared.checkpoints.get(slot)?;
        let counted =
            self.shared.string.as_bytes().get(base..byte_idx)?.iter().filter(|&&byte| (byte as i8) >= -0x40).count();
        Some(slot * CHECKPOINT + counted)
    }

    /// Byte range of a code point range; `None` when it is reversed or reaches past the end.
    pub fn byte_range(&self, chars: Range<usize>) -> Option<Range<usize>> {
        if chars.start > chars.end {
            return None;
        }
        let start = self.char_to_byte(chars.start)?;
        let end = if chars.end == chars.start {
            start
        } else if chars.end - chars.start <= CHECKPOINT {
            // Walk forward from `start` rather than from a checkpoint: short spans are the norm.
            if chars.end > self.shared.len_chars {
                return None;
            }
            advance(self.shared.string.as_bytes(), start, chars.end - chars.start)
        } else {
            self.char_to_byte(chars.end)?
        };
        Some(start..end)
    }

    /// Code point range of a byte range; `None` when an end is not on a char boundary.
    pub fn char_range(&self, bytes: Range<usize>) -> Option<Range<usize>> {
        Some(self.byte_to_char(bytes.start)?..self.byte_to_char(bytes.end)?)
    }

    /// The text between two code point offsets; `None` when out of range.
    pub fn slice(&self, chars: Range<usize>) -> Option<&str> {
        let bytes = self.byte_range(chars)?;
        self.shared.string.get(bytes)
    }

    /// True when `char_idx` lies on a grapheme cluster boundary (or at either end).
    pub fn is_grapheme_boundary(&self, char_idx: usize) -> bool {
        match self.char_to_byte(char_idx) {
            Some(byte) => grapheme_boundary(&self.shared.string, byte),
            None => false,
        }
    }

    /// Widens a code point range outwards so both ends lie on grapheme boundaries: a span never
    /// splits a letter from its combining mark or an emoji sequence.
    pub fn snap_to_graphemes(&self, chars: Range<usize>) -> Option<Range<usize>> {
        let bytes = self.byte_range(chars)?;
        let start = grapheme_floor(&self.shared.string, bytes.start);
        let end = grapheme_ceil(&self.shared.string, bytes.end);
        self.char_range(start..end)
    }

    /// Snaps a selection to whole words: whitespace at either edge is dropped, and an end that
    /// falls inside a word moves outwards to that word's edge. `None` when only whitespace is left.
    pub fn snap_to_words(&self, chars: Range<usize>) -> Option<Range<usize>> {
        let bytes = self.byte_range(chars)?;
        let inner = trim_whitespace(&self.shared.string, bytes);
        if inner.is_empty() {
            return None;
        }
        let start = word_floor(&self.shared.string, inner.start);
        let end = word_ceil(&self.shared.string, inner.end);
        self.char_range(start..end)
    }

    /// The word (or the single grapheme that is not part of a word) at a code point offset, as
    /// a double-click selects it. `None` past the end.
    pub fn word_at(&self, char_idx: usize) -> Option<Range<usize>> {
        if char_idx >= self.shared.len_chars {
            return None;
        }
        let byte = self.char_to_byte(char_idx)?;
        let window = window_around(&self.shared.string, byte, byte + 1);
        let segment = self
            .shared
            .string
            .get(window.clone())?
            .split_word_bound_indices()
            .map(|(i, w)| window.start + i..window.start + i + w.len())
            .find(|r| r.contains(&byte))?;
        self.char_range(segment)
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Text").field(&self.shared.string).finish()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared) || self.shared.string == other.shared.string
    }
}

impl Eq for Text {}

impl From<String> for Text {
    fn from(string: String) -> Self {
        Self::new(string)
    }
}

impl From<&str> for Text {
    fn from(string: &str) -> Self {
        Self::new(string.to_owned())
    }
}

fn grapheme_boundary(s: &str, byte: usize) -> bool {
    GraphemeCursor::new(byte, s.len(), true).is_boundary(s, 0).unwrap_or(true)
}

fn grapheme_floor(s: &str, byte: usize) -> usize {
    if grapheme_boundary(s, byte) {
        return byte;
    }
    let mut cursor = GraphemeCursor::new(byte, s.len(), true);
    cursor.prev_boundary(s, 0).ok().flatten().unwrap_or(0)
}

fn grapheme_ceil(s: &str, byte: usize) -> usize {
    if grapheme_boundary(s, byte) {
        return byte;
    }
    let mut cursor = GraphemeCursor::new(byte, s.len(), true);
    cursor.next_boundary(s, 0).ok().flatten().unwrap_or(s.len())
}

fn trim_whitespace(s: &str, bytes: Range<usize>) -> Range<usize> {
    let Some(piece) = s.get(bytes.clone()) else { return bytes };
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead == piece.len() {
        return bytes.start..bytes.start;
    }
    bytes.start + lead..bytes.end - trail
}

/// A byte range around `start..end`, widened by up to [`WORD_WINDOW`] bytes on each side and cut
/// at whitespace where possible, so that word segmentation sees the context it needs without
/// scanning a 5 MB text.
fn window_around(s: &str, start: usize, end: usize) -> Range<usize> {
    let mut lo = floor_char_boundary(s, start.saturating_sub(WORD_WINDOW));
    if let Some(ws) = s.get(lo..start).and_then(|before| before.rfind(char::is_whitespace)) {
        // `ws` counts from `lo`.
        lo += ws;
    }
    let mut hi = ceil_char_boundary(s, (end + WORD_WINDOW).min(s.len()));
    let end = ceil_char_boundary(s, end.min(s.len()));
    if let Some(ws) = s.get(end..hi).and_then(|after| after.find(char::is_whitespace)) {
        hi = end + ws;
    }
    lo..hi
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Start of the word segment that contains byte `byte`, or `byte` if it is a segment boundary.
fn word_floor(s: &str, byte: usize) -> usize {
    let window = window_around(s, byte, byte);
    let mut floor = byte;
    for (i, w) in s.get(window.clone()).unwrap_or_default().split_word_bound_indices() {
        let seg = window.start + i..window.start + i + w.len();
        if seg.start < byte && byte < seg.end {
            floor = seg.start;
            break;
        }
    }
    grapheme_floor(s, floor)
}

/// End of the word segment that contains the byte just before `byte`, or `byte` at a boundary.
fn word_ceil(s: &str, byte: usize) -> usize {
    let window = window_around(s, byte, byte);
    let mut ceil = byte;
    for (i, w) in s.get(window.clone()).unwrap_or_default().split_word_bound_indices() {
        let seg = window.start + i..window.start + i + w.len();
        if seg.start < byte && byte < seg.end {
            ceil = seg.end;
            break;
        }
    }
    grapheme_ceil(s, ceil)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn python_slice(s: &str, r: Range<usize>) -> String {
        s.chars().skip(r.start).take(r.end - r.start).collect()
    }

    #[test]
    fn ascii_offsets_are_bytes() {
        let t = Text::from("hello world");
        assert!(t.is_ascii());
        assert_eq!(t.char_to_byte(6), Some(6));
        assert_eq!(t.slice(6..11), Some("world"));
        assert_eq!(t.slice(6..12), None);
        assert_eq!(t.char_to_byte(12), None);
    }

    #[test]
    fn emoji_and_urdu_offsets_count_code_points() {
        // 😀 is one code point but two UTF-16 units and four bytes.
        let t = Text::from("😀 کراچی میں");
        assert_eq!(t.len_chars(), 11);
        assert_eq!(t.slice(2..7), Some("کراچی"));
        assert_eq!(t.byte_to_char(4), Some(1));
        assert_eq!(t.byte_to_char(1), None, "inside the emoji");
    }

    proptest::proptest! {
        #[test]
        fn the_index_counts_like_one_byte_at_a_time(s in "(\\PC|[a-z ]{1,30}){0,300}") {
            let mut expected = Vec::new();
            let mut count = 0;
            for (i, _) in s.char_indices() {
                if count % CHECKPOINT == 0 {
                    expected.push(i);
                }
                count += 1;
            }
            proptest::prop_assert_eq!(index(s.as_bytes()), (count, expected));
        }

        #[test]
        fn offsets_convert_like_char_indices(s in "(\\PC|[a-z ]{1,30}){0,200}", a in 0usize..400, b in 0usize..400) {
            let t = Text::new(s.clone());
            let bytes: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let (a, b) = (a.min(bytes.len() + 2), b.min(bytes.len() + 2));
            proptest::prop_assert_eq!(t.char_to_byte(a), bytes.get(a).copied());
            let expected = if a <= b && b < bytes.len() { Some(bytes[a]..bytes[b]) } else { None };
            proptest::prop_assert_eq!(t.byte_range(a..b), expected);
        }
    }

    #[test]
    fn long_text_crosses_checkpoints() {
        let s = "é".repeat(1000) + "x" + &"ü".repeat(1000);
        let t = Text::new(s.clone());
        assert_eq!(t.slice(1000..1001), Some("x"));
        assert_eq!(t.char_to_byte(1000), Some(2000));
        assert_eq!(t.byte_to_char(2001), Some(1001));
        assert_eq!(t.char_to_byte(2001), Some(s.len()));
    }

    #[test]
    fn graphemes_keep_marks_and_emoji_sequences_whole() {
        // "e" + combining acute, then a family emoji joined by ZWJs.
        let t = Text::from("ae\u{301}b 👨\u{200d}👩\u{200d}👧!");
        assert!(!t.is_grapheme_boundary(2));
        assert_eq!(t.snap_to_graphemes(1..2), Some(1..3));
        assert_eq!(t.snap_to_graphemes(6..7), Some(5..10));
    }

    #[test]
    fn words_snap_outwards_and_trim_space() {
        let t = Text::from("The port's governor said it.");
        // "ort's gov" → "port's governor"
        assert_eq!(t.slice(t.snap_to_words(5..13).unwrap()), Some("port's governor"));
        // An apostrophe between letters belongs to the word (UAX #29).
        assert_eq!(t.slice(t.snap_to_words(3..8).unwrap()), Some("port's"));
        assert_eq!(t.snap_to_words(3..4), None, "only a space");
        assert_eq!(t.slice(t.word_at(21).unwrap()), Some("said"));
    }

    #[test]
    fn words_snap_in_devanagari_without_splitting_marks() {
        let t = Text::from("नमस्ते दुनिया");
        let r = t.snap_to_words(1..2).unwrap();
        assert_eq!(t.slice(r), Some("नमस्ते"));
    }

    #[test]
    fn selection_may_cross_lines() {
        let t = Text::from("first line\nsecond line");
        assert_eq!(t.slice(t.snap_to_words(7..14).unwrap()), Some("line\nsecond"));
    }

    #[test]
    fn word_snapping_far_into_a_long_non_ascii_text() {
        // Regression: the look-behind window was taken from byte 0, slow on big texts and able
        // to cut inside a character.
        let unit = "Zoë läuft 😀 کراچی نمستے ";
        let t = Text::new(unit.repeat(20_000));
        let n = t.len_chars();
        let per = unit.chars().count();
        let at = n - 3 * per + 1;
        let w = t.snap_to_words(at..at + 1).expect("a word");
        assert_eq!(t.slice(w), Some("Zoë"));
        let w = t.word_at(at + 5).expect("a word");
        assert_eq!(t.slice(w), Some("läuft"));
    }

    proptest! {
        #[test]
        fn snapping_in_long_texts_matches_a_local_segmentation(
            words in proptest::collection::vec("[a-zéü😀ک]{1,6}", 300..600),
            pick in 0usize..1000,
        ) {
            let s = words.join(" ");
            let t = Text::new(s.clone());
            let n = t.len_chars();
            let at = pick * n / 1000;
            if let Some(w) = t.word_at(at) {
                prop_assert!(w.start <= at && at < w.end);
                let text = t.slice(w.clone()).unwrap();
                prop_assert!(text == " " || words.iter().any(|x| x == text) || text.chars().all(|c| !c.is_whitespace()),
                    "{:?}", text);
            }
            if let Some(w) = t.snap_to_words(at..(at + 1).min(n)) {
                prop_assert!(t.is_grapheme_boundary(w.start) && t.is_grapheme_boundary(w.end));
            }
        }

        #[test]
        fn offsets_match_python_slicing(s in "\\PC{0,300}", a in 0usize..320, b in 0usize..320) {
            let t = Text::new(s.clone());
            let n = s.chars().count();
            prop_assert_eq!(t.len_chars(), n);
            let (lo, hi) = (a.min(b), a.max(b));
            if hi <= n {
                prop_assert_eq!(t.slice(lo..hi).map(str::to_owned), Some(python_slice(&s, lo..hi)));
                let bytes = t.byte_range(lo..hi).unwrap();
                prop_assert_eq!(t.char_range(bytes), Some(lo..hi));
            } else {
                prop_assert_eq!(t.slice(lo..hi), None);
            }
        }

        #[test]
        fn snapping_only_widens_and_lands_on_graphemes(s in "[a-zé \u{301}😀\u{200d}ک\n]{1,80}", a in 0usize..80, b in 0usize..80) {
            let t = Text::new(s.clone());
            let n = t.len_chars();
            let (lo, hi) = (a.min(b).min(n), a.max(b).min(n));
            let g = t.snap_to_graphemes(lo..hi).unwrap();
            prop_assert!(g.start <= lo && g.end >= hi);
            prop_assert!(t.is_grapheme_boundary(g.start) && t.is_grapheme_boundary(g.end));
            if let Some(w) = t.snap_to_words(lo..hi) {
                prop_assert!(w.start < w.end);
                prop_assert!(t.is_grapheme_boundary(w.start) && t.is_grapheme_boundary(w.end));
                let picked = t.slice(lo..hi).unwrap();
                let lead = picked.chars().take_while(|c| c.is_whitespace()).count();
                let trail = picked.chars().rev().take_while(|c| c.is_whitespace()).count();
                prop_assert!(w.start <= lo + lead && w.end >= hi - trail);
            }
        }
    }
}
