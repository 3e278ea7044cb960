//! A labelled span of document text.

/// Identifier of a span, unique within its document and stable across saves.
pub type SpanId = u64;

/// A labelled range of a document's text, in code points, end-exclusive.
///
/// ```text
/// text:  "The governor said"
///         ^start      ^end      start = 4, end = 12 → "governor"
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Stable identifier, unique in its document.
    pub id: SpanId,
    /// First code point of the span.
    pub start: usize,
    /// Code point just past the span.
    pub end: usize,
    /// Name of a label in the project's schema.
    pub label: String,
    /// Free-text note by the annotator.
    pub note: Option<String>,
    /// Who made the span, when known.
    pub annotator: Option<String>,
}

impl Span {
    /// A span without note or annotator.
    pub fn new(id: SpanId, start: usize, end: usize, label: impl Into<String>) -> Self {
        Self { id, start, end, label: label.into(), note: None, annotator: None }
    }

    /// The key spans are kept sorted by: (start, end, id).
    pub fn sort_key(&self) -> (usize, usize, SpanId) {
        (self.start, self.end, self.id)
    }

    /// Length in code points.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers nothing (never true of a span in a valid document).
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}
