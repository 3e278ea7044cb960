//! Unicode words without whitespace, fast: the same pieces as UAX #29 word segmentation
//! (`unicode-segmentation`) with whitespace dropped, but most of the text never goes through the
//! segmenter.
//!
//! The text is cut into chunks at ASCII whitespace (space, tab, CR, LF, VT, FF). UAX #29 always
//! has a word boundary before such a character (WB3a/b, WB3d and WB999: only Extend, Format and
//! ZWJ attach to what precedes them, and a space only to a space), so no word crosses a chunk
//! edge. A chunk of ASCII is cut here by the rules that apply to ASCII, written out below; a chunk
//! with any other character goes to `unicode-segmentation`, from the whitespace character before
//! it, so that it sees the same context as in the whole text. The proptests at the foot compare
//! both ways on random mixed text.
//!
//! UAX #29 word break classes of ASCII: letters are ALetter, digits Numeric, `_` ExtendNumLet,
//! `:` MidLetter, `.` MidNumLet, `'` Single_Quote (MidNumLetQ), `,` and `;` MidNum; the rest
//! (`"` included: its rules need Hebrew letters) break on both sides. Letters, digits and `_` run
//! together (WB5, WB8–WB10, WB13a/b); `:` `.` `'` between two letters (WB6/7) and `,` `;` `.` `'`
//! between two digits (WB11/12) join their neighbours.

use unicode_segmentation::UnicodeSegmentation as _;

/// The byte ranges `start..end` of the words of `text` (UAX #29 segments with whitespace taken
/// out; a segment holding whitespace inside is cut there), in order.
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0, chunk_end: 0, pending: Vec::new(), pending_at: 0 }
}

/// Iterator of [`words`].
pub struct Words<'t> {
    text: &'t str,
    /// Next byte to look at.
    pos: usize,
    /// End of the ASCII chunk being cut, when `pos < chunk_end`.
    chunk_end: usize,
    /// Words of a chunk that went through the segmenter, and how many were handed out.
    pending: Vec<(usize, usize)>,
    pending_at: usize,
}

impl Iterator for Words<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        loop {
            if let Some(&word) = self.pending.get(self.pending_at) {
                self.pending_at += 1;
                return Some(word);
            }
            if self.pos < self.chunk_end {
                let start = self.pos;
                self.pos = ascii_word_end(&bytes[..self.chunk_end], start);
                return Some((start, self.pos));
            }
            let mut start = self.pos;
            while start < bytes.len() && is_ascii_space(bytes[start]) {
                start += 1;
            }
            if start == bytes.len() {
                self.pos = start;
                return None;
            }
            let mut end = start;
            let mut ascii = true;
            while end < bytes.len() && !is_ascii_space(bytes[end]) {
                ascii &= bytes[end].is_ascii();
                end += 1;
            }
            if ascii {
                self.pos = start;
                self.chunk_end = end;
                continue;
            }
            // Segment from the whitespace before the chunk (a boundary of the whole text too).
            let from = start.saturating_sub(1);
            self.pending.clear();
            self.pending_at = 0;
            for (offset, segment) in self.text[from..end].split_word_bound_indices() {
                push_pieces(&mut self.pending, from + offset, segment);
            }
            self.pos = end;
            self.chunk_end = end;
        }
    }
}

/// Whitespace that always has a word boundary before it: ends a chunk.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// Letters, digits and `_`: these always run together.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// End of the word starting at `start` in a chunk of ASCII without whitespace (`chunk` ends with
/// the chunk).
fn ascii_word_end(chunk: &[u8], start: usize) -> usize {
    if !is_word_byte(chunk[start]) {
        return start + 1;
    }
    let mut i = start + 1;
    loop {
        while i < chunk.len() && is_word_byte(chunk[i]) {
            i += 1;
        }
        if i + 1 < chunk.len() && joins(chunk[i - 1], chunk[i], chunk[i + 1]) {
            i += 2;
        } else {
            return i;
        }
    }
}

/// WB6/7 and WB11/12 for ASCII: does `mid` join `before` and `after`?
fn joins(before: u8, mid: u8, after: u8) -> bool {
    (before.is_ascii_alphabetic() && after.is_ascii_alphabetic() && matches!(mid, b':' | b'.' | b'\''))
        || (before.is_ascii_digit() && after.is_ascii_digit() && matches!(mid, b',' | b';' | b'.' | b'\''))
}

/// Adds the whitespace-free pieces of `segment` (at byte `base`). Segmentation keeps runs of
/// whitespace together, so a segment is nearly always all whitespace or none.
fn push_pieces(out: &mut Vec<(usize, usize)>, base: usize, segment: &str) {
    let mut piece_start = None;
    for (i, c) in segment.char_indices() {
        match (c.is_whitespace(), piece_start) {
            (true, Some(s)) => {
                out.push((base + s, base + i));
                piece_start = None;
            }
            (false, None) => piece_start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = piece_start {
        out.push((base + s, base + segment.len()));
    }
}

/// The reference: every segment of `unicode-segmentation`, whitespace taken out.
#[cfg(test)]
pub fn words_by_segmenter(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (offset, segment) in text.split_word_bound_indices() {
        push_pieces(&mut out, offset, segment);
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        words(text).map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn ascii_rules_by_hand() {
        assert_eq!(
            texts("can't 3.14 1,000;2 a:b a.b. U.S. x_1 _a 'q' \"z\" a'1 1'a e.g.,"),
            [
                "can't", "3.14", "1,000;2", "a:b", "a.b", ".", "U.S", ".", "x_1", "_a", "'", "q", "'", "\"", "z", "\"",
                "a", "'", "1", "1", "'", "a", "e.g", ".", ","
            ]
        );
        assert_eq!(texts("a\t\tb\r\nc\x0Bd  "), ["a", "b", "c", "d"]);
        assert_eq!(texts(""), Vec::<&str>::new());
    }

    #[test]
    fn other_scripts_go_through_the_segmenter() {
        assert_eq!(
            texts("could“completely Zoë 😀 کراچی,wala a \u{301}b a\u{a0}b"),
            ["could", "“", "completely", "Zoë", "😀", "کراچی", ",", "wala", "a", "\u{301}", "b", "a", "b"]
        );
    }

    /// Pieces that hit the contextual rules: letters and digits around the middle characters,
    /// quotes, whitespace of every kind, combining marks, ZWJ emoji, flags, other scripts.
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "word",
        "7",
        "42",
        "_",
        "'",
        ".",
        ",",
        ";",
        ":",
        "\"",
        "-",
        "!",
        "?",
        "(",
        ")",
        "/",
        "$",
        "%",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\x0B",
        "\x0C",
        "\u{a0}",
        "\u{3000}",
        "\u{2009}",
        "\u{85}",
        "“",
        "”",
        "‘",
        "’",
        "«",
        "»",
        "…",
        "—",
        "é",
        "e\u{301}",
        "\u{301}",
        "\u{200d}",
        "\u{200b}",
        "\u{ad}",
        "😀",
        "👍🏽",
        "👩\u{200d}💻",
        "🇵🇰",
        "🇮🇳",
        "€",
        "٫",
        "٬",
        "·",
        "Zoë",
        "Müller",
        "کراچی",
        "۔",
        "؟",
        "۱۲",
        "नमस्ते",
        "।",
        "क़",
        "日本",
        "カタカナ",
        "ｶﾀ",
        "שָׁלוֹם",
        "א\"ב",
        "א'",
        "1.5",
        "3,000",
        "don't",
        "U.S.",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn same_words_as_the_segmenter(picks in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), words_by_segmenter(&text), "{:?}", text);
        }

        #[test]
        fn same_words_around_the_middle_characters(text in "[a1_:.,;'\"“’ \u{a0}\u{301}\u{200d}é٫۱ک😀🇵\n-]{0,40}") {
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), words_by_segmenter(&text), "{:?}", text);
        }

        #[test]
        fn same_words_on_any_text(text in "\\PC{0,80}") {
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), words_by_segmenter(&text), "{:?}", text);
        }

        #[test]
        fn same_words_on_ascii(text in "[ -~\t\n\r]{0,80}") {
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), words_by_segmenter(&text), "{:?}", text);
        }
    }
}
