//! Unicode words without whitespace, fast: the same pieces as UAX #29 word segmentation
//! (`unicode-segmentation`) with whitespace dropped, but most of the text never goes through the
//! segmenter.
//!
//! The text is cut into chunks at ASCII whitespace (space, tab, CR, LF, VT, FF). UAX #29 always
//! has a word boundary before such a character (WB3a/b, WB3d and WB999: only Extend, Format and
//! ZWJ attach to what precedes them, and a space only to a space), so no word crosses a chunk
//! edge. A chunk of ASCII is cut here by the rules that apply to ASCII, written out below, in one
//! pass. A chunk with other characters is cut by the same rules when each of them is a letter that
//! behaves exactly like an ASCII letter (Word_Break=ALetter: Latin, Cyrillic, Greek, Arabic,
//! Devanagari...) or a mark that attaches to the character before it (Extend, Format: WB4); which
//! characters those are is not written down here but asked of `unicode-segmentation` itself, in
//! every context the rules look at, once per character and thread. Any other chunk goes to
//! `unicode-segmentation`, from the whitespace character before it, so that it sees the same
//! context as in the whole text. The tests at the foot compare both ways on every character of the
//! Basic Multilingual Plane in the contexts that matter, on real text in many scripts, and on
//! random mixed text.
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
    Words { text, pos: 0, pending: Vec::with_capacity(16), pending_at: 0, bases: Vec::new() }
}

/// Iterator of [`words`].
pub struct Words<'t> {
    text: &'t str,
    /// Next byte to look at.
    pos: usize,
    /// Words of the chunk being handed out, and how many were.
    pending: Vec<(usize, usize)>,
    pending_at: usize,
    /// Scratch for a chunk of letters beyond ASCII: each base character's bytes (with the marks
    /// after it) and class.
    bases: Vec<(usize, usize, Class)>,
}

impl Iterator for Words<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        loop {
            if let Some(&word) = self.pending.get(self.pending_at) {
                self.pending_at += 1;
                return Some(word);
            }
            self.pending.clear();
            self.pending_at = 0;
            if !self.cut_next_chunk() {
                return None;
            }
        }
    }
}

impl Words<'_> {
    /// Cuts the next chunk into `pending`; false at the end of the text. A chunk of ASCII is cut
    /// here in one pass; at the first other byte, the chunk is cut again from its start by
    /// [`Words::cut_mixed_chunk`].
    fn cut_next_chunk(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let class = |i: usize| bytes.get(i).map_or(Class::Space, |&b| ascii_class(b));
        let mut i = self.pos;
        while class(i) == Class::Space && i < bytes.len() {
            i += 1;
        }
        if i >= bytes.len() {
            self.pos = bytes.len();
            return false;
        }
        let chunk_start = i;
        loop {
            // `i` starts a word inside the chunk.
            if bytes.get(i).is_some_and(|b| !b.is_ascii()) {
                self.cut_mixed_chunk(chunk_start);
                return true;
            }
            let word_start = i;
            i += 1;
            if is_word(class(word_start)) {
                loop {
                    while is_word(class(i)) {
                        i += 1;
                    }
                    // Bytes beyond ASCII are `Other` here: no join across them, and the chunk is
                    // cut again anyway when the next word starts on one.
                    if joins(class(i - 1), class(i), class(i + 1)) {
                        i += 2;
                    } else {
                        break;
                    }
                }
            }
            self.pending.push((word_start, i));
            if class(i) == Class::Space {
                self.pos = i;
                return true;
            }
        }
    }

    /// Cuts the chunk starting at `start` that holds characters beyond ASCII: by the same rules
    /// over base characters when [`bases`] can take it, else with the segmenter.
    fn cut_mixed_chunk(&mut self, start: usize) {
        let bytes = self.text.as_bytes();
        let end = bytes.iter().skip(start).position(|&b| is_ascii_space(b)).map_or(bytes.len(), |n| start + n);
        self.pending.clear();
        self.pos = end;
        if bases(self.text.get(start..end).unwrap_or_default(), start, &mut self.bases) {
            let mut at = 0;
            while at < self.bases.len() {
                let next = word_end(&self.bases, at, |b| b.2);
                if let (Some(first), Some(last)) = (self.bases.get(at), self.bases.get(next.saturating_sub(1))) {
                    self.pending.push((first.0, last.1));
                }
                at = next;
            }
            return;
        }
        // Segment from the whitespace before the chunk (a boundary of the whole text too).
        let from = start.saturating_sub(1);
        for (offset, segment) in self.text.get(from..end).unwrap_or_default().split_word_bound_indices() {
            push_pieces(&mut self.pending, from + offset, segment);
        }
    }
}

/// Whitespace that always has a word boundary before it: ends a chunk.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// The UAX #29 word break classes the fast paths handle (see the module docs); anything else goes
/// to the segmenter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// ALetter: ASCII letters, and the letters of other scripts that behave exactly like them.
    Letter,
    /// Numeric (ASCII digits).
    Digit,
    /// ExtendNumLet (`_`).
    Underscore,
    /// MidLetter (`:`).
    MidLetter,
    /// MidNumLet (`.`).
    MidNumLet,
    /// Single_Quote (`'`), a MidNumLetQ.
    Quote,
    /// MidNum (`,` `;`).
    MidNum,
    /// Breaks on both sides.
    Other,
    /// ASCII whitespace (and the end of the text): ends a chunk.
    Space,
}

/// The class of an ASCII byte (of any byte: the rest are [`Class::Other`]), by table.
#[allow(clippy::indexing_slicing, reason = "a u8 is always below 256, the table's length")]
fn ascii_class(b: u8) -> Class {
    ASCII_CLASSES[usize::from(b)]
}

/// [`ascii_class`] for every byte value, built at compile time.
#[allow(clippy::indexing_slicing, reason = "b runs over 0..256, the table's length")]
static ASCII_CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = match byte {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'_' => Class::Underscore,
            b':' => Class::MidLetter,
            b'.' => Class::MidNumLet,
            b'\'' => Class::Quote,
            b',' | b';' => Class::MidNum,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => Class::Space,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

/// Letters, digits and `_`: these always run together (WB5, WB8–WB10, WB13a/b).
fn is_word(class: Class) -> bool {
    matches!(class, Class::Letter | Class::Digit | Class::Underscore)
}

/// WB6/7 and WB11/12: does `mid` join `before` and `after`?
fn joins(before: Class, mid: Class, after: Class) -> bool {
    match (before, after) {
        (Class::Letter, Class::Letter) => matches!(mid, Class::MidLetter | Class::MidNumLet | Class::Quote),
        (Class::Digit, Class::Digit) => matches!(mid, Class::MidNum | Class::MidNumLet | Class::Quote),
        _ => false,
    }
}

/// End (an index into `items`) of the word starting at `start`, by the classes of the items.
fn word_end<T>(items: &[T], start: usize, class: impl Fn(&T) -> Class) -> usize {
    let class_at = |i: usize| items.get(i).map_or(Class::Other, &class);
    if !is_word(class_at(start)) {
        return start + 1;
    }
    let mut i = start + 1;
    loop {
        while i < items.len() && is_word(class_at(i)) {
            i += 1;
        }
        if i + 1 < items.len() && joins(class_at(i - 1), class_at(i), class_at(i + 1)) {
            i += 2;
        } else {
            return i;
        }
    }
}

/// Cuts `chunk` (at byte `base` of the text; no ASCII whitespace in it) into base characters with
/// their classes, each holding the marks that follow it (WB4), into `out`. False when a character
/// needs the segmenter: one that is neither ASCII nor a [`Kind::Letter`] nor a [`Kind::Mark`], or
/// a mark with nothing before it in the chunk.
fn bases(chunk: &str, base: usize, out: &mut Vec<(usize, usize, Class)>) -> bool {
    out.clear();
    KINDS.with(|kinds| {
        let mut kinds = kinds.borrow_mut();
        for (i, c) in chunk.char_indices() {
            let at = base + i;
            let end = at + c.len_utf8();
            if c.is_ascii() {
                out.push((at, end, ascii_class(c as u8)));
                continue;
            }
            match kinds.of(c) {
                Kind::Letter => out.push((at, end, Class::Letter)),
                Kind::Mark => match out.last_mut() {
                    Some(last) => last.1 = end,
                    None => return false,
                },
                Kind::Other => return false,
            }
        }
        true
    })
}

/// How a character beyond ASCII takes part in the fast path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Word_Break=ALetter, not Hebrew: behaves exactly as an ASCII letter.
    Letter,
    /// Extend or Format: attaches to the character before it and is otherwise ignored (WB4).
    Mark,
    /// Anything else: the segmenter decides.
    Other,
}

/// Characters of the Basic Multilingual Plane, classified once per thread on first sight.
struct Kinds {
    /// 0: not looked at yet; else `1 + Kind as u8`.
    table: Vec<u8>,
}

thread_local! {
    static KINDS: std::cell::RefCell<Kinds> = const { std::cell::RefCell::new(Kinds { table: Vec::new() }) };
}

impl Kinds {
    fn of(&mut self, c: char) -> Kind {
        let Ok(i) = usize::try_from(u32::from(c)) else { return Kind::Other };
        if i > 0xFFFF {
            return Kind::Other;
        }
        if self.table.is_empty() {
            self.table = vec![0; 0x1_0000];
        }
        let Some(slot) = self.table.get_mut(i) else { return Kind::Other };
        match *slot {
            1 => Kind::Letter,
            2 => Kind::Mark,
            3 => Kind::Other,
            _ => {
                let kind = kind_of(c);
                *slot = 1 + kind as u8;
                kind
            }
        }
    }
}

/// Classifies `c` by asking the segmenter itself how it treats `c` in every context the fast
/// path relies on, so that the fast path cannot disagree with it (not from a table of our own).
fn kind_of(c: char) -> Kind {
    if c.is_whitespace() || c == '\u{200d}' {
        // Whitespace pieces and ZWJ (emoji sequences, WB3c) are left to the segmenter.
        return Kind::Other;
    }
    let one = |pattern: &str| pattern.replace('X', c.encode_utf8(&mut [0; 4])).split_word_bounds().count() == 1;
    let letter = ["aX", "Xa", "a:X", "X:a", "a.X", "X'a", "1X", "X1", "_X", "X_", "XX"].iter().all(|p| one(p))
        // Hebrew letters join a following quote by themselves (WB7a); ALetter does not.
        && !one("X'")
        && !one("X\"");
    if letter {
        return Kind::Letter;
    }
    let mark = ["aX", ".X", "1X", "_X", ":X", "aXb", "1X1", "aX:b", "a:Xb", "1X,1", "1,X1", "aX'b", "XX"]
        .iter()
        .all(|p| one(p))
        && !one("Xa")
        && !one("X1");
    if mark { Kind::Mark } else { Kind::Other }
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

    /// Every character of the Basic Multilingual Plane (the ones the fast path may take), in the
    /// contexts its rules look at, cut the same way as by the segmenter.
    #[test]
    fn every_bmp_character_in_every_context_matches_the_segmenter() {
        const CONTEXTS: &[&str] = &[
            "aXa",
            "X:a",
            "a:X",
            "a:Xb",
            "1X1",
            "1,X",
            "X'",
            "X'a",
            "X.a",
            "a.X.",
            " X ",
            "X\u{301}a",
            "a\u{301}X",
            "Xé",
            "éX",
            "(X)",
            "X_1",
            "XX",
            "\u{301}X",
            "X\"a",
            "XکX",
            "नX",
        ];
        let mut text = String::new();
        for c in (0x80u32..=0xFFFF).filter_map(char::from_u32) {
            for context in CONTEXTS {
                text.clear();
                text.push_str(&context.replace('X', c.encode_utf8(&mut [0; 4])));
                assert_eq!(words(&text).collect::<Vec<_>>(), words_by_segmenter(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn letters_and_marks_of_other_scripts_take_the_fast_path() {
        for letter in ['ü', 'ł', 'ß', 'İ', 'ک', 'ی', 'ع', 'न', 'ж', 'λ', 'ắ'] {
            assert_eq!(kind_of(letter), Kind::Letter, "{letter:?}");
        }
        for mark in ['\u{301}', '\u{94d}', '\u{947}', '\u{64e}', '\u{ad}'] {
            assert_eq!(kind_of(mark), Kind::Mark, "{mark:?}");
        }
        // Hebrew letters, kana, ideographs, digits of other scripts, ZWJ, spaces, punctuation.
        for other in ['א', 'カ', '日', '۱', '\u{200d}', '\u{a0}', '“', '۔', '٫'] {
            assert_eq!(kind_of(other), Kind::Other, "{other:?}");
        }
        let mut scratch = Vec::new();
        assert!(bases("Müller's", 10, &mut scratch));
        assert_eq!(scratch.len(), 8);
        assert_eq!(scratch[1], (11, 13, Class::Letter));
        assert!(bases("नमस्ते", 0, &mut scratch));
        assert_eq!(scratch.iter().map(|b| (b.0, b.1)).collect::<Vec<_>>(), [(0, 3), (3, 6), (6, 12), (12, 18)]);
        assert!(!bases("\u{301}a", 0, &mut scratch));
        assert!(!bases("could“completely", 0, &mut scratch));
    }

    #[test]
    fn real_multilingual_text_matches_the_segmenter() {
        const SENTENCES: &[&str] = &[
            "The governor said: \"We'll close the port by 5:30 p.m.\" — U.S. officials disagreed (3,000.5 jobs).",
            "Le ministre a déclaré qu'il fermerait l'aéroport d'Orly; « c'est fini », a-t-il dit.",
            "Straße, Übergröße und Öl: Müller's 1.000 Schiffe.",
            "Prezydent Gdańska powiedział, że źródła są wiarygodne.",
            "Bakan Ayşe Yılmaz, İstanbul'da konuştu.",
            "کراچی میں وزیر نے کہا کہ بندرگاہ بند رہے گی۔ کیا یہ سچ ہے؟",
            "قال الوزير إن الميناء سيغلق يوم الجمعة.",
            "मंत्री ने कहा कि बंदरगाह शुक्रवार तक बंद रहेगा। क्या यह सच है?",
            "وزير وويل چې بندر به د جمعې تر ورځې تړل وي.",
            "Губернатор заявил, что порт закроют к пятнице.",
            "Ο υπουργός είπε ότι το λιμάνι θα κλείσει.",
            "השר אמר כי הנמל ייסגר ביום שישי, צה\"ל הגיב.",
            "知事は金曜日までに港を閉鎖すると述べた。カタカナ",
            "州长说，港口将在周五前关闭。",
            "주지사는 금요일까지 항구를 폐쇄하겠다고 말했다.",
            "ผู้ว่าการกล่าวว่าท่าเรือจะปิด",
            "Thống đốc nói rằng cảng sẽ đóng cửa vào thứ Sáu.",
            "Zoë\u{301} said“completely”😀👩\u{200d}💻 🇵🇰 e\u{301}te\u{301} x\u{ad}y a\u{200b}b",
        ];
        let all = SENTENCES.join("\n");
        for text in SENTENCES.iter().copied().chain([all.as_str()]) {
            assert_eq!(words(text).collect::<Vec<_>>(), words_by_segmenter(text), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn same_words_with_any_bmp_letters_and_the_joiners(text in "([a1_:.,;'\" \u{301}]|[\u{80}-\u{ffff}]){0,40}") {
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), words_by_segmenter(&text), "{:?}", text);
        }

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
