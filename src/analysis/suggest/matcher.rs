//! Finding suggestions in a text: gazetteer phrases with Aho-Corasick, rules with `regex`.
//!
//! Matches are found on bytes and reported in code points of the original text. A match never
//! splits a grapheme (a letter from its accent, an emoji sequence); with
//! [`MatchOptions::whole_word`] it must also start and end on Unicode word boundaries (UAX #29),
//! so "Lee" is not found inside "Leeds", in any script. One exception to UAX #29, for names: an
//! apostrophe inside a word is a boundary on both of its sides, so "Karachi" is found in
//! "Karachi’s", "İstanbul" in Turkish "İstanbul'da", "Élysée" in French "l'Élysée" and "Italia"
//! in Italian "dell'Italia" (UAX #29 keeps each of these one word).

use crate::model::hashing::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder};
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation as _};

use super::fold::{Folded, fold};
use super::source::{Gazetteer, RegexRule};
use crate::model::Text;

/// How phrases and patterns are matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchOptions {
    /// Ignore case, by Unicode rules ("STRASSE" finds "Straße", "istanbul" finds "İstanbul").
    pub ignore_case: bool,
    /// Keep only matches that start and end on word boundaries.
    pub whole_word: bool,
}

/// One match: a code point range of the text, a label and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// First code point.
    pub start: usize,
    /// Code point just past the match.
    pub end: usize,
    /// Label to suggest.
    pub label: String,
    /// Origin: `gazetteer:NAME` or `regex:PATTERN`.
    pub origin: String,
}

/// A pattern that could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum MatcherError {
    /// A regex rule does not compile.
    #[error("{place}: bad pattern {pattern:?}: {message}")]
    BadPattern {
        /// Where the rule was given.
        place: String,
        /// The pattern.
        pattern: String,
        /// What the regex compiler said.
        message: String,
    },
    /// A gazetteer could not be compiled (far too large).
    #[error("gazetteer {name}: {message}")]
    Gazetteer {
        /// Gazetteer name.
        name: String,
        /// What went wrong.
        message: String,
    },
}

/// Gazetteers and rules compiled for matching, reusable over many documents.
pub struct Matcher {
    gazetteers: Vec<CompiledGazetteer>,
    rules: Vec<CompiledRule>,
    options: MatchOptions,
}

struct CompiledGazetteer {
    origin: String,
    automaton: AhoCorasick,
    /// Labels of each pattern (a phrase listed with several labels gives several suggestions).
    labels: Vec<Vec<String>>,
}

struct CompiledRule {
    origin: String,
    label: String,
    regex: Regex,
}

impl Matcher {
    /// Compiles gazetteers and rules with `options`.
    pub fn new(gazetteers: &[Gazetteer], rules: &[RegexRule], options: MatchOptions) -> Result<Self, MatcherError> {
        let gazetteers = gazetteers.iter().map(|g| compile_gazetteer(g, options)).collect::<Result<_, _>>()?;
        let rules = rules
            .iter()
            .map(|r| {
                let regex = RegexBuilder::new(&r.pattern)
                    .case_insensitive(options.ignore_case)
                    .size_limit(50 << 20)
                    .build()
                    .map_err(|e| MatcherError::BadPattern {
                        place: r.place.clone(),
                        pattern: r.pattern.clone(),
                        message: e.to_string(),
                    })?;
                Ok(CompiledRule { origin: format!("regex:{}", r.pattern), label: r.label.clone(), regex })
            })
            .collect::<Result<_, MatcherError>>()?;
        Ok(Self { gazetteers, rules, options })
    }

    /// The options it matches with.
    pub fn options(&self) -> MatchOptions {
        self.options
    }

    /// The origins its suggestions get (`gazetteer:places.tsv`, `regex:PATTERN`), each once.
    pub fn origins(&self) -> std::collections::BTreeSet<String> {
        self.gazetteers.iter().map(|g| g.origin.clone()).chain(self.rules.iter().map(|r| r.origin.clone())).collect()
    }

    /// Every match in `text`, sorted by (start, end, label, origin), without duplicates.
    pub fn find(&self, text: &Text) -> Vec<Found> {
        let s = text.as_str();
        let mut words = None;
        let mut found = Vec::new();
        let mut keep = |bytes: Range<usize>, label: &str, origin: &str, found: &mut Vec<Found>| {
            if bytes.is_empty() || !grapheme_boundary(s, bytes.start) || !grapheme_boundary(s, bytes.end) {
                return;
            }
            if self.options.whole_word {
                let bounds = words.get_or_insert_with(|| WordBounds::of(s));
                if !bounds.contains(bytes.start) || !bounds.contains(bytes.end) {
                    return;
                }
            }
            if let Some(chars) = text.char_range(bytes) {
                found.push(Found {
                    start: chars.start,
                    end: chars.end,
                    label: label.to_owned(),
                    origin: origin.to_owned(),
                });
            }
        };
        if !self.gazetteers.is_empty() {
            let folded = if self.options.ignore_case { Folded::new(s) } else { None };
            let haystack = folded.as_ref().map_or(s, |f| f.text.as_str());
            for g in &self.gazetteers {
                // All matches, overlapping, so that a shorter phrase still counts where the
                // longest one fails the word or grapheme test; then leftmost-longest among them.
                let mut candidates: Vec<(Range<usize>, usize)> = Vec::new();
                for m in g.automaton.find_overlapping_iter(haystack) {
                    let bytes = match &folded {
                        Some(f) => f.original(m.range()),
                        None => Some(m.range()),
                    };
                    if let Some(bytes) = bytes {
                        candidates.push((bytes, m.pattern().as_usize()));
                    }
                }
                let before = found.len();
                for (bytes, pattern) in &candidates {
                    for label in g.labels.get(*pattern).into_iter().flatten() {
                        keep(bytes.clone(), label, &g.origin, &mut found);
                    }
                }
                leftmost_longest(&mut found, before);
            }
        }
        for rule in &self.rules {
            for m in rule.regex.find_iter(s) {
                keep(m.range(), &rule.label, &rule.origin, &mut found);
            }
        }
        found.sort_by(|a, b| (a.start, a.end, &a.label, &a.origin).cmp(&(b.start, b.end, &b.label, &b.origin)));
        found.dedup_by(|a, b| (a.start, a.end, &a.label) == (b.start, b.end, &b.label));
        found
    }
}

fn compile_gazetteer(g: &Gazetteer, options: MatchOptions) -> Result<CompiledGazetteer, MatcherError> {
    let mut index: HashMap<String, usize> = HashMap::default();
    let mut patterns: Vec<String> = Vec::new();
    let mut labels: Vec<Vec<String>> = Vec::new();
    for entry in &g.entries {
        let key = if options.ignore_case { fold(&entry.phrase) } else { entry.phrase.clone() };
        let at = *index.entry(key.clone()).or_insert_with(|| {
            patterns.push(key);
            labels.push(Vec::new());
            patterns.len() - 1
        });
        if let Some(list) = labels.get_mut(at) {
            if !list.contains(&entry.label) {
                list.push(entry.label.clone());
            }
        }
    }
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .map_err(|e| MatcherError::Gazetteer { name: g.name.clone(), message: e.to_string() })?;
    Ok(CompiledGazetteer { origin: format!("gazetteer:{}", g.name), automaton, labels })
}

/// Keeps, among `found[from..]`, the leftmost-longest matches that do not overlap (all labels of
/// a kept range stay).
fn leftmost_longest(found: &mut Vec<Found>, from: usize) {
    let mut mine = found.split_off(from);
    mine.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut taken_until = 0usize;
    let mut last: Option<(usize, usize)> = None;
    for f in mine {
        if last == Some((f.start, f.end)) || f.start >= taken_until {
            taken_until = f.end;
            last = Some((f.start, f.end));
            found.push(f);
        }
    }
}

fn grapheme_boundary(s: &str, byte: usize) -> bool {
    s.is_char_boundary(byte) && GraphemeCursor::new(byte, s.len(), true).is_boundary(s, 0).unwrap_or(true)
}

/// Apostrophes that join a name to a suffix or an article inside one UAX #29 word: the typewriter
/// one and the typographic right single quotation mark.
const APOSTROPHES: [char; 2] = ['\'', '’'];

/// Word boundaries (UAX #29) of a whole text, one bit per byte, plus both sides of every
/// apostrophe inside a word.
struct WordBounds {
    bits: Vec<u64>,
}

impl WordBounds {
    fn of(s: &str) -> Self {
        let mut bits = vec![0u64; s.len() / 64 + 1];
        let mut set = |b: usize| {
            if let Some(word) = bits.get_mut(b / 64) {
                *word |= 1 << (b % 64);
            }
        };
        for (at, word) in s.split_word_bound_indices() {
            set(at);
            // UAX #29 keeps "Karachi’s", "İstanbul'da" and "l'Élysée" one word each; the name
            // still ends before the apostrophe, or starts after it.
            for (i, apostrophe) in word.char_indices().filter(|(_, c)| APOSTROPHES.contains(c)) {
                set(at + i);
                set(at + i + apostrophe.len_utf8());
            }
        }
        set(s.len());
        Self { bits }
    }

    fn contains(&self, byte: usize) -> bool {
        self.bits.get(byte / 64).is_some_and(|w| w & (1 << (byte % 64)) != 0)
    }
}
