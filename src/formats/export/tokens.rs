//! Tokens and tags for CoNLL and Hugging Face: Unicode words, cut at every span edge, in sentences.
//!
//! - **Spans.** Token tags cannot show overlapping spans, so one set of non-overlapping spans is
//!   chosen: longest first, then earliest start, then lowest id; a span that overlaps one already
//!   chosen is left out and counted. (`--labels` narrows the candidates first.) A span that
//!   covers only whitespace has no token and is left out and counted too.
//! - **Sentences.** A simple, fast splitter: a sentence ends at a line break, or after a token of
//!   sentence-final punctuation (`. ! ? … 。 ؟ ۔ ।`, optionally followed by closing quotes or
//!   brackets) that is followed by whitespace; never inside a chosen span, so that a span is never
//!   cut in two. ("Dr. Smith" is split after "Dr.": a known limit of such a rule.)
//! - **Tokens.** Unicode word boundaries (UAX #29), whitespace dropped, and cut again at every
//!   span edge, so that a span glued to punctuation (`could“completely`) keeps exactly its
//!   characters: spaCy's `offsets_to_biluo_tags` would lose it. The words come from
//!   [`super::words`], which cuts ASCII itself and gives the rest to `unicode-segmentation`.

use std::collections::BTreeMap;

use super::brat::is_line_break;
use super::options::{ExportOptions, TagScheme};
use super::words::words;
use crate::model::Document;

/// Where a token sits in its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// Outside every span.
    Outside,
    /// First token of a span of several.
    Begin,
    /// Inside a span, neither first nor last.
    Inside,
    /// Last token of a span of several.
    Last,
    /// The only token of a span.
    Unit,
}

/// One token with its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'d> {
    /// The token's text (never empty, never containing whitespace).
    pub text: &'d str,
    /// Byte offset of the token in the document text.
    pub byte: usize,
    /// The span label, if the token is in a span.
    pub label: Option<&'d str>,
    /// Its place in the span.
    pub position: Position,
}

impl<'d> Token<'d> {
    /// The tag in `scheme`: `O`, `B-claim`, `I-claim`, and for BILOU `L-claim`, `U-claim`.
    pub fn tag(&self, scheme: TagScheme) -> String {
        let (prefix, label) = self.tag_parts(scheme);
        [prefix, label].concat()
    }

    /// The tag in `scheme` as its two parts, without allocating: `("O", "")`, `("B-", "claim")`.
    pub fn tag_parts(&self, scheme: TagScheme) -> (&'static str, &'d str) {
        let Some(label) = self.label else {
            return ("O", "");
        };
        let prefix = match (scheme, self.position) {
            (_, Position::Outside) => return ("O", ""),
            (TagScheme::Bio, Position::Begin | Position::Unit) => "B-",
            (TagScheme::Bio, Position::Inside | Position::Last) => "I-",
            (TagScheme::Bilou, Position::Begin) => "B-",
            (TagScheme::Bilou, Position::Inside) => "I-",
            (TagScheme::Bilou, Position::Last) => "L-",
            (TagScheme::Bilou, Position::Unit) => "U-",
        };
        (prefix, label)
    }
}

/// Spans of one document that the tags could not carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Spans left out because they overlap a chosen span.
    pub overlapping: usize,
    /// Spans left out because they cover only whitespace.
    pub blank: usize,
}

/// A chosen span in bytes: `start..end` with whitespace trimmed off both ends.
#[derive(Clone, Copy, Debug)]
struct Chosen<'d> {
    start: usize,
    end: usize,
    label: &'d str,
}

/// Splits `doc` into sentences of tagged tokens and calls `sentence` with each non-empty one.
pub fn tag_document<'d, E>(
    doc: &'d Document,
    opts: &ExportOptions,
    mut sentence: impl FnMut(&[Token<'d>]) -> Result<(), E>,
) -> Result<LeftOut, E> {
    let text = doc.text.as_str();
    let (spans, left_out) = choose_spans(doc, opts);
    // Every span edge, in order: tokens are cut there.
    let mut edges: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    edges.dedup();
    let mut edge_at = 0usize;
    let mut span_at = 0usize;
    let mut tokens: Vec<Token<'d>> = Vec::with_capacity(64);
    // One pass of word segmentation over the whole text ([`words`]); sentences are cut on the way
    // (see the module docs): a line break, or sentence-final punctuation (and closing quotes) then
    // a space.
    let mut last_end = 0usize;
    let mut ended = false;
    for (word_from, part_end) in words(text) {
        let mut from = word_from;
        let gap = text.get(last_end.min(from)..from).unwrap_or_default();
        let boundary = !gap.is_empty() && (ended || has_line_break(gap));
        while edges.get(edge_at).is_some_and(|&edge| edge <= from) {
            edge_at += 1;
        }
        // Cut the word at every span edge inside it.
        let mut cut = edge_at;
        let mut first = true;
        loop {
            let to = edges.get(cut).copied().filter(|&edge| edge < part_end).unwrap_or(part_end);
            if to > from {
                while spans.get(span_at).is_some_and(|span| span.end <= from) {
                    span_at += 1;
                }
                let token = make_token(text, from, to, spans.get(span_at));
                let inside = matches!(token.position, Position::Inside | Position::Last);
                if first && boundary && !inside && !tokens.is_empty() {
                    sentence(&tokens)?;
                    tokens.clear();
                }
                first = false;
                ended = ends_sentence(token.text, ended);
                tokens.push(token);
            }
            if to == part_end {
                break;
            }
            from = to;
            cut += 1;
        }
        last_end = part_end;
    }
    if !tokens.is_empty() {
        sentence(&tokens)?;
    }
    Ok(left_out)
}

/// Whether a sentence has ended after `token`: sentence-final punctuation ends it, closing quotes
/// and brackets keep what came before (`ended`), anything else does not.
fn ends_sentence(token: &str, ended: bool) -> bool {
    // Every token below is at most three bytes: longer ones (most words) are decided at once.
    if token.len() > 3 {
        return false;
    }
    match token {
        "." | "!" | "?" | "…" | "。" | "！" | "？" | "؟" | "۔" | "।" | "॥" => true,
        "”" | "’" | "\"" | "'" | ")" | "]" | "»" | "›" => ended,
        _ => false,
    }
}

/// Whether the whitespace between two words holds a line break ([`is_line_break`]).
fn has_line_break(gap: &str) -> bool {
    if gap.is_ascii() {
        gap.bytes().any(|b| matches!(b, b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1e))
    } else {
        gap.contains(is_line_break)
    }
}

fn make_token<'d>(text: &'d str, from: usize, to: usize, span: Option<&Chosen<'d>>) -> Token<'d> {
    let (label, position) = match span {
        Some(s) if s.start <= from && to <= s.end => {
            let position = match (from == s.start, to == s.end) {
                (true, true) => Position::Unit,
                (true, false) => Position::Begin,
                (false, true) => Position::Last,
                (false, false) => Position::Inside,
            };
            (Some(s.label), position)
        }
        _ => (None, Position::Outside),
    };
    Token { text: text.get(from..to).unwrap_or_default(), byte: from, label, position }
}

/// The non-overlapping spans to tag, in bytes and sorted by start, and what was left out.
fn choose_spans<'d>(doc: &'d Document, opts: &ExportOptions) -> (Vec<Chosen<'d>>, LeftOut) {
    let text = doc.text.as_str();
    let mut left_out = LeftOut::default();
    let mut candidates: Vec<(Chosen<'d>, usize, u64)> = Vec::new();
    for span in opts.spans(doc) {
        let Some(bytes) = doc.text.byte_range(span.start..span.end) else { continue };
        let Some(covered) = text.get(bytes.clone()) else { continue };
        let trimmed_start = covered.len() - covered.trim_start().len();
        let trimmed = covered.trim();
        if trimmed.is_empty() {
            left_out.blank += 1;
            continue;
        }
        let start = bytes.start + trimmed_start;
        candidates.push((Chosen { start, end: start + trimmed.len(), label: &span.label }, span.len(), span.id));
    }
    // Longest first, then earliest, then lowest id.
    candidates.sort_by_key(|(c, len, id)| (std::cmp::Reverse(*len), c.start, *id));
    let mut taken: BTreeMap<usize, Chosen<'d>> = BTreeMap::new();
    for (c, _, _) in candidates {
        let before = taken.range(..c.end).next_back().is_some_and(|(_, t)| t.end > c.start);
        if before {
            left_out.overlapping += 1;
        } else {
            taken.insert(c.start, c);
        }
    }
    (taken.into_values().collect(), left_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn tagged(doc: &Document, opts: &ExportOptions) -> (Vec<Vec<(String, String)>>, LeftOut) {
        let mut out = Vec::new();
        let left = tag_document(doc, opts, |s| {
            out.push(s.iter().map(|t| (t.text.to_owned(), t.tag(opts.scheme))).collect());
            Ok::<_, ()>(())
        })
        .unwrap();
        (out, left)
    }

    fn line(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    }

    #[test]
    fn glued_curly_quote_is_cut_and_kept() {
        // "He could“completely end it.” Then Zoë left." Span "completely end it" = 9..26.
        let mut doc = Document::new("d", "t", "He could“completely end it.” Then Zoë left.");
        doc.spans = vec![Span::new(1, 9, 26, "claim"), Span::new(2, 34, 37, "speaker")];
        let (sentences, left) = tagged(&doc, &ExportOptions::default());
        assert_eq!(left, LeftOut::default());
        assert_eq!(
            sentences,
            vec![
                line(&[
                    ("He", "O"),
                    ("could", "O"),
                    ("“", "O"),
                    ("completely", "B-claim"),
                    ("end", "I-claim"),
                    ("it", "I-claim"),
                    (".", "O"),
                    ("”", "O")
                ]),
                line(&[("Then", "O"), ("Zoë", "B-speaker"), ("left", "O"), (".", "O")]),
            ]
        );
        let bilou = ExportOptions { scheme: TagScheme::Bilou, ..Default::default() };
        let (sentences, _) = tagged(&doc, &bilou);
        assert_eq!(sentences[0][5].1, "L-claim");
        assert_eq!(sentences[1][1].1, "U-speaker");
    }

    #[test]
    fn a_span_inside_a_word_cuts_it_and_a_span_over_a_sentence_end_joins_sentences() {
        // "کراچیwala. Next" with span on کراچی (0..5); "Go. Now" with span "Go. Now" (0..7).
        let mut doc = Document::new("d", "t", "کراچیwala. Next");
        doc.spans = vec![Span::new(1, 0, 5, "location")];
        let (s, _) = tagged(&doc, &ExportOptions::default());
        assert_eq!(s, vec![line(&[("کراچی", "B-location"), ("wala", "O"), (".", "O")]), line(&[("Next", "O")])]);
        let mut doc = Document::new("d", "t", "Go. Now. Later.");
        doc.spans = vec![Span::new(1, 0, 7, "claim")];
        let (s, _) = tagged(&doc, &ExportOptions::default());
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0][..4], line(&[("Go", "B-claim"), (".", "I-claim"), ("Now", "I-claim"), (".", "O")])[..]);
    }

    #[test]
    fn overlaps_keep_the_longest_and_are_counted() {
        let mut doc = Document::new("d", "t", "the port governor said");
        doc.spans = vec![
            Span::new(1, 4, 8, "location"),
            Span::new(2, 0, 17, "speaker"),
            Span::new(3, 9, 17, "claim"),
            Span::new(4, 17, 18, "claim"),
        ];
        let (s, left) = tagged(&doc, &ExportOptions::default());
        assert_eq!(left, LeftOut { overlapping: 2, blank: 1 });
        assert_eq!(
            s[0],
            line(&[("the", "B-speaker"), ("port", "I-speaker"), ("governor", "I-speaker"), ("said", "O")])
        );
        let only = ExportOptions { labels: Some(vec!["location".into()]), ..Default::default() };
        let (s, left) = tagged(&doc, &only);
        assert_eq!(left, LeftOut::default());
        assert_eq!(s[0][1], ("port".to_owned(), "B-location".to_owned()));
    }
}
