//! Unicode case folding that keeps track of where each folded byte came from.
//!
//! Folding can change lengths ("ß" folds to "ss", "İ" to "i"), so a match found in folded text is
//! mapped back to the original through [`Folded::original`]: a match counts only when it starts
//! and ends on the edges of original characters, so offsets stay exact code points of the
//! original text.

use std::ops::Range;

/// Appends the case fold of `c` to `out`.
///
/// Upper-casing then lower-casing approximates Unicode full case folding with the standard
/// library: "ß" → "ss", final "ς" → "σ", "ﬁ" → "fi". Turkish dotted "İ" folds to plain "i" (the
/// Turkic mapping), so "İstanbul" matches "istanbul"; the default mapping would give "i̇" and
/// match nothing a person types.
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if c == 'İ' {
        out.push('i');
    } else {
        for upper in c.to_uppercase() {
            out.extend(upper.to_lowercase());
        }
    }
}

/// The case fold of a whole string (see [`fold_char`]).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// A folded copy of a text with, for every folded byte, the original character it came from.
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// `origin[b]` is the byte offset, in the original, of the character folded byte `b` comes from.
    origin: Vec<u32>,
    /// Length of the original in bytes.
    original_len: usize,
}

impl Folded {
    /// Folds `original`; `None` when it is too long to index with 32 bits (4 GB).
    pub fn new(original: &str) -> Option<Self> {
        u32::try_from(original.len()).ok()?;
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (at, c) in original.char_indices() {
            let before = text.len();
            fold_char(c, &mut text);
            // Checked above: every byte offset fits in 32 bits.
            origin.resize(text.len(), at as u32);
            debug_assert!(text.len() > before, "a fold is never empty");
        }
        Some(Self { text, origin, original_len: original.len() })
    }

    /// The original byte range of folded bytes `folded`, when both ends fall on the edges of
    /// original characters; `None` when the match would cut a character's fold in two (an "s"
    /// matching half of the "ss" of "ß").
    pub fn original(&self, folded: Range<usize>) -> Option<Range<usize>> {
        if folded.start >= folded.end || folded.end > self.origin.len() {
            return None;
        }
        let at = |b: usize| self.origin.get(b).map(|&o| o as usize);
        let start = at(folded.start)?;
        if folded.start > 0 && at(folded.start - 1)? == start {
            return None;
        }
        let end = match at(folded.end) {
            None => self.original_len,
            Some(next) if next == at(folded.end - 1)? => return None,
            Some(next) => next,
        };
        Some(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_change_lengths_and_map_back() {
        let s = "Straße İzmir ΚΌΣΜΟΣ";
        let f = Folded::new(s).expect("small");
        assert_eq!(f.text, "strasse izmir κόσμοσ");
        // "ss" in the fold is the whole "ß" of the original.
        let ss = f.text.find("ss").expect("ss");
        assert_eq!(f.original(ss..ss + 2).map(|r| &s[r]), Some("ß"));
        // Half of "ss" is not a match.
        assert_eq!(f.original(ss..ss + 1), None);
        assert_eq!(f.original(ss + 1..ss + 2), None);
        let izmir = f.text.find("izmir").expect("izmir");
        assert_eq!(f.original(izmir..izmir + 5).map(|r| &s[r]), Some("İzmir"));
        let end = f.text.len();
        let kosmos = f.text.find("κόσμοσ").expect("kosmos");
        assert_eq!(f.original(kosmos..end).map(|r| &s[r]), Some("ΚΌΣΜΟΣ"));
        assert_eq!(f.original(3..3), None, "empty");
        assert_eq!(f.original(0..end + 1), None, "past the end");
    }

    #[test]
    fn final_sigma_and_capital_sigma_fold_alike() {
        assert_eq!(fold("κόσμος"), fold("ΚΌΣΜΟΣ"));
        assert_eq!(fold("STRASSE"), fold("straße"));
        assert_eq!(fold("İSTANBUL"), fold("istanbul"));
    }
}
