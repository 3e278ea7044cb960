//! The document split into paragraphs, with their estimated or measured heights and the spans
//! that touch each, so that the view only lays out and paints what is on screen.
//!
//! ```text
//! text:        "Para one.\nPara two is longer.\n\nLast."
//! paragraphs:   [0..9]     [10..29]            [30..30] [31..36]   (bytes and code points)
//! tops:         0          h0                  h0+h1    ...        (points, prefix sums)
//! ```

#![allow(
    clippy::indexing_slicing,
    reason = "indices into vectors this module sizes itself: one slot per paragraph, per nesting level, per measured row"
)]

use std::ops::Range;

use crate::model::{Document, Span};

/// Longest paragraph, in bytes, laid out as one piece; longer ones are cut at a space.
pub const MAX_CHUNK: usize = 3000;

/// One laid-out unit: a line of the text (without its `\n`), or a chunk of a very long one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte range in the document text.
    pub bytes: Range<usize>,
    /// Code point range in the document text.
    pub chars: Range<usize>,
    /// True when it continues the previous paragraph (a cut, not a line break).
    pub continues: bool,
}

/// Splits text at `\n`, and cuts lines longer than [`MAX_CHUNK`] bytes at whitespace.
pub fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut byte = 0usize;
    let mut chars = 0usize;
    for line in text.split('\n') {
        let mut rest = line;
        let mut continues = false;
        loop {
            let cut = if rest.len() <= MAX_CHUNK { rest.len() } else { chunk_end(rest) };
            let (piece, after) = rest.split_at_checked(cut).unwrap_or((rest, ""));
            let n = piece.chars().count();
            out.push(Paragraph { bytes: byte..byte + piece.len(), chars: chars..chars + n, continues });
            byte += piece.len();
            chars += n;
            rest = after;
            continues = true;
            if rest.is_empty() {
                break;
            }
        }
        // The `\n` itself.
        byte += 1;
        chars += 1;
    }
    out
}

/// Where to cut a long line: after the last whitespace before [`MAX_CHUNK`], else at a char
/// boundary.
fn chunk_end(s: &str) -> usize {
    let mut limit = MAX_CHUNK;
    while !s.is_char_boundary(limit) {
        limit -= 1;
    }
    match s.get(..limit).and_then(|head| head.rfind(char::is_whitespace)) {
        Some(at) if at > MAX_CHUNK / 2 => {
            let ws = s.get(at..).and_then(|tail| tail.chars().next()).map_or(1, char::len_utf8);
            at + ws
        }
        _ => limit,
    }
}

/// Index of the paragraph that holds code point `char_idx` (the last one for the very end).
pub fn paragraph_at(paragraphs: &[Paragraph], char_idx: usize) -> usize {
    paragraphs.partition_point(|p| p.chars.end < char_idx).min(paragraphs.len().saturating_sub(1))
}

/// A span's place in a paragraph's list: its position in `doc.spans` (or `doc.suggestions`) and its stacking level
/// (0 for the outermost; overlapping spans get distinct levels so every one stays visible).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpanRef {
    /// Position in `Document::spans`.
    pub index: u32,
    /// Stacking level among overlapping spans.
    pub level: u8,
}

/// For each paragraph, the spans that overlap it.
pub fn spans_by_paragraph(doc: &Document, paragraphs: &[Paragraph]) -> Vec<Vec<SpanRef>> {
    by_paragraph(&doc.spans, paragraphs)
}

/// For each paragraph, the spans of `spans` (sorted by start, as a document keeps its spans and
/// its suggestions) that overlap it; [`SpanRef::index`] is a position in `spans`.
pub fn by_paragraph(spans: &[Span], paragraphs: &[Paragraph]) -> Vec<Vec<SpanRef>> {
    let mut out = vec![Vec::new(); paragraphs.len()];
    // Interval colouring: spans are sorted by start, so a level is free once its span has ended.
    let mut level_ends: Vec<usize> = Vec::new();
    for (index, span) in spans.iter().enumerate() {
        let level = match level_ends.iter().position(|&end| end <= span.start) {
            Some(free) => {
                level_ends[free] = span.end;
                free
            }
            None => {
                level_ends.push(span.end);
                level_ends.len() - 1
            }
        };
        let span_ref = SpanRef { index: index as u32, level: level.min(u8::MAX as usize) as u8 };
        let first = paragraph_at(paragraphs, span.start);
        for (p, para) in paragraphs.iter().enumerate().skip(first) {
            if para.chars.start >= span.end {
                break;
            }
            if para.chars.end > span.start || (para.chars.is_empty() && para.chars.start >= span.start) {
                out[p].push(span_ref);
            }
        }
    }
    out
}

/// Paragraph heights (estimated until measured) and their running sums.
#[derive(Clone, Debug, Default)]
pub struct Heights {
    heights: Vec<f32>,
    measured: Vec<bool>,
    tops: Vec<f32>,
    stale: bool,
}

impl Heights {
    /// Estimates for every paragraph: `chars × char_width` wrapped to `width`, in rows of
    /// `row_height`, plus `gap` after each line break.
    pub fn estimate(paragraphs: &[Paragraph], width: f32, char_width: f32, row_height: f32, gap: f32) -> Self {
        let per_row = (width / char_width.max(1.0)).max(1.0);
        let heights: Vec<f32> = paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if p.bytes.is_empty() {
                    return gap * 0.5;
                }
                let rows = ((p.chars.len() as f32) / per_row).ceil().max(1.0);
                let next_continues = paragraphs.get(i + 1).is_some_and(|n| n.continues);
                rows * row_height + if next_continues { 0.0 } else { gap }
            })
            .collect();
        let mut out = Self { measured: vec![false; heights.len()], heights, tops: Vec::new(), stale: true };
        out.refresh();
        out
    }

    /// Records a measured height; returns true when it differed from what was known.
    pub fn measure(&mut self, index: usize, height: f32) -> bool {
        let Some(h) = self.heights.get_mut(index) else { return false };
        self.measured[index] = true;
        if (*h - height).abs() > 0.1 {
            *h = height;
            self.stale = true;
            return true;
        }
        false
    }

    /// Recomputes the running sums after measurements.
    pub fn refresh(&mut self) {
        if !self.stale {
            return;
        }
        self.tops.clear();
        self.tops.reserve(self.heights.len());
        let mut y = 0.0;
        for h in &self.heights {
            self.tops.push(y);
            y += h;
        }
        self.tops.push(y);
        self.stale = false;
    }

    /// Top of paragraph `index`.
    pub fn top(&self, index: usize) -> f32 {
        self.tops.get(index).copied().unwrap_or(0.0)
    }

    /// Height of paragraph `index`.
    pub fn height(&self, index: usize) -> f32 {
        self.heights.get(index).copied().unwrap_or(0.0)
    }

    /// Height of the whole document.
    pub fn total(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The paragraph at height `y` (clamped).
    pub fn index_at(&self, y: f32) -> usize {
        let n = self.heights.len();
        if n == 0 {
            return 0;
        }
        // tops has n + 1 entries; the paragraph is the last whose top is ≤ y.
        self.tops[..n].partition_point(|&t| t <= y).saturating_sub(1).min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_cover_the_text_without_newlines() {
        let text = "Para one.\nPara two é.\n\nLast.";
        let ps = split_paragraphs(text);
        let got: Vec<&str> = ps.iter().map(|p| &text[p.bytes.clone()]).collect();
        assert_eq!(got, ["Para one.", "Para two é.", "", "Last."]);
        assert_eq!(ps[1].chars, 10..21);
        assert_eq!(ps[3].chars, 23..28);
        assert_eq!(paragraph_at(&ps, 9), 0, "the newline belongs to the line before");
        assert_eq!(paragraph_at(&ps, 10), 1);
        assert_eq!(paragraph_at(&ps, 28), 3);
    }

    #[test]
    fn long_lines_are_cut_at_spaces() {
        let text = "word ".repeat(2000);
        let ps = split_paragraphs(&text);
        assert!(ps.len() > 3);
        assert!(ps.iter().all(|p| p.bytes.len() <= MAX_CHUNK));
        assert!(ps[1].continues && !ps[0].continues);
        let joined: String = ps.iter().map(|p| &text[p.bytes.clone()]).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn overlapping_spans_get_levels_and_cross_paragraphs() {
        let text = "alpha beta\ngamma delta";
        let mut doc = Document::new("d1", "t", text);
        doc.spans.push(crate::model::Span::new(1, 0, 10, "claim"));
        doc.spans.push(crate::model::Span::new(2, 6, 17, "claim"));
        doc.spans.push(crate::model::Span::new(3, 11, 16, "claim"));
        let ps = split_paragraphs(text);
        let by = spans_by_paragraph(&doc, &ps);
        assert_eq!(by[0].iter().map(|r| (r.index, r.level)).collect::<Vec<_>>(), [(0, 0), (1, 1)]);
        assert_eq!(by[1].iter().map(|r| (r.index, r.level)).collect::<Vec<_>>(), [(1, 1), (2, 0)]);
    }

    #[test]
    fn heights_find_paragraphs_by_y() {
        let ps = split_paragraphs("a\nb\nc");
        let mut h = Heights::estimate(&ps, 100.0, 10.0, 20.0, 5.0);
        assert_eq!(h.total(), 75.0);
        assert_eq!(Heights::estimate(&split_paragraphs("a\n\nb"), 100.0, 10.0, 20.0, 6.0).total(), 55.0);
        assert_eq!(h.index_at(30.0), 1);
        h.measure(0, 45.0);
        h.refresh();
        assert_eq!(h.index_at(30.0), 0);
        assert_eq!(h.total(), 95.0);
    }
}
