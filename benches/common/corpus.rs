//! The synthetic corpus the benchmarks share: articles of about 10 KB in several scripts, with
//! 50 spans each (overlapping), the same every run.

use gloss::model::{Document, Project, Span, Status};

pub const WORDS: &[&str] = &[
    "the",
    "governor",
    "said",
    "harbour",
    "strike",
    "would",
    "close",
    "every",
    "dock",
    "by",
    "Friday",
    "Müller",
    "Gdańsk",
    "union",
    "talks",
    "collapsed",
    "on",
    "Tuesday",
    "night",
    "“theatre”",
    "port",
    "کراچی",
    "नमस्ते",
    "ships",
    "rerouted",
    "14",
    "vessels",
    "😀",
    "authority",
    "claims",
    "cost",
    "€40",
];
pub const LABELS: &[&str] = &["claim", "threat", "speaker", "location"];

/// A tiny deterministic generator: benchmarks must see the same data every run.
pub struct Lcg(u64);

impl Lcg {
    /// A number below `n`.
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// `docs` articles of about 10 KB with up to 50 spans each.
pub fn synthetic_project(docs: usize) -> Project {
    let mut rng = Lcg(7);
    let mut project = Project::new("bench");
    for d in 0..docs {
        let mut text = String::with_capacity(10_400);
        let mut words = Vec::new();
        let mut chars = 0usize;
        while text.len() < 10_000 {
            let word = WORDS[rng.next(WORDS.len())];
            words.push((chars, chars + word.chars().count()));
            text.push_str(word);
            chars += word.chars().count();
            let sep = if rng.next(12) == 0 {
                "\n\n"
            } else if rng.next(9) == 0 {
                ". "
            } else {
                " "
            };
            text.push_str(sep);
            chars += sep.chars().count();
        }
        let mut doc = Document::new(format!("d{:05}", d + 1), format!("Article {d}"), text);
        doc.status = Status::ALL[d % 4];
        let mut spans: Vec<Span> = Vec::with_capacity(50);
        for id in 1..=50u64 {
            let first = rng.next(words.len());
            let last = (first + rng.next(6)).min(words.len() - 1);
            let span = Span::new(id, words[first].0, words[last].1, LABELS[rng.next(LABELS.len())]);
            if !spans.iter().any(|s| (s.start, s.end, &s.label) == (span.start, span.end, &span.label)) {
                spans.push(span);
            }
        }
        spans.sort_by_key(Span::sort_key);
        doc.spans = spans;
        project.documents.push(doc);
    }
    project
}
