//! Converting code point offsets to bytes or UTF-16 units and back, once per document.

use crate::model::Text;

use super::options::OffsetUnit;

/// Code point ↔ UTF-16 conversion for one text: the code point index of every character outside
/// the Basic Multilingual Plane (emoji, some CJK), which count as two UTF-16 units. Most texts have
/// none, and the list stays short.
#[derive(Clone, Debug, Default)]
pub struct Utf16Index {
    astral: Vec<usize>,
}

/// A UTF-16 offset that falls between the two halves of a surrogate pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("UTF-16 offset {0} splits a character in two (the middle of a surrogate pair)")]
pub struct SplitsSurrogate(pub usize);

impl Utf16Index {
    /// Indexes `text` (one pass, skipped entirely for ASCII).
    pub fn new(text: &Text) -> Self {
        if text.is_ascii() {
            return Self::default();
        }
        let astral = text.as_str().chars().enumerate().filter(|(_, c)| c.len_utf16() == 2).map(|(i, _)| i).collect();
        Self { astral }
    }

    /// UTF-16 offset of code point offset `chars`.
    pub fn to_utf16(&self, chars: usize) -> usize {
        chars + self.astral.partition_point(|&a| a < chars)
    }

    /// Code point offset of UTF-16 offset `units`; an error when it splits a surrogate pair.
    pub fn from_utf16(&self, units: usize) -> Result<usize, SplitsSurrogate> {
        // The i-th astral character (0-based) starts at UTF-16 offset astral[i] + i, which grows
        // with i: a binary search, so that a file with many spans over many emoji stays fast.
        let (mut low, mut high) = (0, self.astral.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if self.astral.get(mid).is_some_and(|&a| a + mid < units) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        let before = low;
        if let Some(last) = before.checked_sub(1) {
            if self.astral.get(last).is_some_and(|&a| a + last + 1 == units) {
                return Err(SplitsSurrogate(units));
            }
        }
        Ok(units - before)
    }
}

/// Writes a document's code point offsets in the unit asked for.
pub struct OffsetWriter<'t> {
    unit: OffsetUnit,
    text: &'t Text,
    utf16: Utf16Index,
}

impl<'t> OffsetWriter<'t> {
    /// A converter for `text`; indexes it only when the unit is UTF-16.
    pub fn new(unit: OffsetUnit, text: &'t Text) -> Self {
        let utf16 = if unit == OffsetUnit::Utf16 { Utf16Index::new(text) } else { Utf16Index::default() };
        Self { unit, text, utf16 }
    }

    /// The offset `chars` in the unit of this writer.
    pub fn convert(&self, chars: usize) -> usize {
        match self.unit {
            OffsetUnit::Chars => chars,
            OffsetUnit::Bytes => self.text.char_to_byte(chars).unwrap_or(self.text.len_bytes()),
            OffsetUnit::Utf16 => self.utf16.to_utf16(chars),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_round_trip_and_surrogates() {
        // "a😀b😀": code points a0 😀1 b2 😀3 end4; UTF-16 a0 😀1-2 b3 😀4-5 end6.
        let text = Text::from("a😀b😀");
        let ix = Utf16Index::new(&text);
        assert_eq!((0..=4).map(|c| ix.to_utf16(c)).collect::<Vec<_>>(), [0, 1, 3, 4, 6]);
        assert_eq!(ix.from_utf16(3), Ok(2));
        assert_eq!(ix.from_utf16(6), Ok(4));
        assert_eq!(ix.from_utf16(2), Err(SplitsSurrogate(2)));
        assert_eq!(ix.from_utf16(5), Err(SplitsSurrogate(5)));
        assert_eq!(ix.from_utf16(usize::MAX), Ok(usize::MAX - 2));
        assert_eq!(Utf16Index::new(&Text::from("ab")).from_utf16(1), Ok(1));
        let w = OffsetWriter::new(OffsetUnit::Bytes, &text);
        assert_eq!(w.convert(2), 5);
    }
}
