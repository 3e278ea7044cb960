//! Inter-annotator agreement between several projects over the same articles.
//!
//! Documents are paired by their text (identical text, whatever the document id), and only the
//! documents whose text is in every project are compared.
//!
//! Rules, chosen once and documented here:
//! - **Reference.** With two annotators the first is the reference: precision is the share of the
//!   second annotator's spans found in the first, recall the share of the first's spans found in
//!   the second. With three or more, every unordered pair (i < j, i as reference) is compared and
//!   the figures are the mean over pairs; precision and recall are averaged over both directions
//!   of each pair, so they are equal, and F1 is the pairs' mean F1.
//! - **Counting** is micro: matches and spans are summed over all shared documents, then divided.
//!   A ratio whose denominator is 0 (no span on either side) is undefined: `null` in JSON.
//! - **Exact matching**: same start, end and label.
//! - **Overlap matching**: same label and overlapping ranges, one-to-one, greedy: all candidate
//!   pairs are taken in order of largest overlap (in code points) first, then earliest reference
//!   span, then earliest other span; a pair is kept when neither span is matched yet.
//! - **Tokens** are the Unicode words of the text (UAX #29, `unicode_word_indices`). A token's
//!   label is that of the longest span overlapping it (ties: earliest start, then label name);
//!   `O` when no span overlaps it. Cohen's kappa is given for two annotators, Fleiss' kappa for
//!   two or more. A kappa whose chance agreement is 1 (everyone used one single label) is `null`.
//! - **Confusion**: per compared pair, spans matched by overlap count on the diagonal; the spans
//!   left are paired across labels by the same greedy overlap rule (a reference label against a
//!   different other label); what is still left counts against `none`. Rows are the reference's
//!   labels, columns the other's.
//! - **Disagreements**: every distinct range (start, end) where some annotator has a span and the
//!   annotators' labels at exactly that range differ; each annotator's label there, or none.
//! - **Document labels**: per doc label (of any project's schema), the shared documents where
//!   every annotator set it are compared (a document someone left unset is counted in `left_out`,
//!   not compared): how many got the same value from everyone, Cohen's kappa (two annotators; with
//!   more, the pairwise mean over the same documents) and Fleiss' kappa over the values. Every
//!   shared document where the annotators' values differ (unset included) is listed.

#![allow(
    clippy::indexing_slicing,
    reason = "every index here is built by this module: a row of `shared` holds, for each project, the position of one of its documents; span positions come from enumerating the same slice; token positions run below the sequences' common length, checked first"
)]

use crate::model::hashing::HashMap;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation as _;

use crate::model::{Document, Project, Span};

/// The label of a token no span covers, and of "no span" in the confusion matrix columns.
pub const OUTSIDE: &str = "O";
/// The row or column of the confusion matrix for "no span here".
pub const NONE: &str = "none";

/// One annotator's project, with the name used in reports.
#[derive(Clone, Copy, Debug)]
pub struct Annotator<'p> {
    /// Name in reports (file stem or project name).
    pub name: &'p str,
    /// The project.
    pub project: &'p Project,
}

/// Precision, recall and F1 with the counts they come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Matched / other's spans; `None` when undefined.
    pub precision: Option<f64>,
    /// Matched / reference's spans; `None` when undefined.
    pub recall: Option<f64>,
    /// 2 · matched / (reference's + other's spans); `None` when both have none.
    pub f1: Option<f64>,
    /// Matched span pairs (summed over pairs with 3+ annotators).
    pub matched: usize,
    /// Spans of the reference.
    pub reference_spans: usize,
    /// Spans of the other annotator.
    pub other_spans: usize,
}

/// Counts of one comparison, before dividing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    matched: usize,
    reference: usize,
    other: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.matched += other.matched;
        self.reference += other.reference;
        self.other += other.other;
    }

    fn scores(self) -> Scores {
        let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
        Scores {
            precision: ratio(self.matched, self.other),
            recall: ratio(self.matched, self.reference),
            f1: ratio(2 * self.matched, self.reference + self.other),
            matched: self.matched,
            reference_spans: self.reference,
            other_spans: self.other,
        }
    }
}

/// Exact and overlap scores.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LabelScores {
    /// Same start, end and label.
    pub exact: Scores,
    /// Same label, overlapping, one-to-one greedy by largest overlap.
    pub overlap: Scores,
}

/// One compared pair of annotators.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pair {
    /// The reference annotator.
    pub reference: String,
    /// The other annotator.
    pub other: String,
    /// Exact matching over all labels.
    pub exact: Scores,
    /// Overlap matching over all labels.
    pub overlap: Scores,
    /// Cohen's kappa of this pair over tokens.
    pub cohen_kappa: Option<f64>,
}

/// One place where the annotators do not all agree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Disagreement {
    /// Document id in the first project.
    pub document: String,
    /// First code point.
    pub start: usize,
    /// Code point past the end.
    pub end: usize,
    /// The text at start..end.
    pub text: String,
    /// Each annotator's label at exactly this range (several joined by "+"), or `None`.
    pub labels: BTreeMap<String, Option<String>>,
}

/// The whole agreement report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// Annotator names, in the order given.
    pub annotators: Vec<String>,
    /// "reference" (two annotators, the first is the reference) or "pairwise mean" (3+).
    pub method: &'static str,
    /// Number of documents compared (text in every project).
    pub shared_documents: usize,
    /// Ids (in the first project) of the compared documents.
    pub documents: Vec<String>,
    /// Documents of each project left out because their text is not in every project.
    pub unshared_documents: BTreeMap<String, usize>,
    /// Number of tokens compared.
    pub tokens: usize,
    /// Exact matching, all labels.
    pub exact: Scores,
    /// Overlap matching, all labels.
    pub overlap: Scores,
    /// Per label.
    pub per_label: BTreeMap<String, LabelScores>,
    /// Cohen's kappa over tokens: two annotators only (else `None`).
    pub cohen_kappa: Option<f64>,
    /// Mean Cohen's kappa over pairs (equal to `cohen_kappa` with two annotators).
    pub cohen_kappa_pairwise_mean: Option<f64>,
    /// Fleiss' kappa over tokens, all annotators.
    pub fleiss_kappa: Option<f64>,
    /// Each compared pair.
    pub pairs: Vec<Pair>,
    /// reference label → other label (or "none") → count, summed over pairs.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Places where the annotators differ.
    pub disagreements: Vec<Disagreement>,
    /// Per document-level label.
    pub doc_labels: BTreeMap<String, DocLabelAgreement>,
    /// Shared documents where the annotators' doc label values differ.
    pub doc_label_disagreements: Vec<DocLabelDisagreement>,
}

/// Agreement on one document-level label.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DocLabelAgreement {
    /// Shared documents where every annotator set it: the ones compared.
    pub compared: usize,
    /// Shared documents where some annotator left it unset: not compared.
    pub left_out: usize,
    /// Compared documents where every annotator chose the same value.
    pub agreed: usize,
    /// `agreed / compared`; `None` when nothing was compared.
    pub observed_agreement: Option<f64>,
    /// Cohen's kappa over the compared documents: two annotators only (else `None`).
    pub cohen_kappa: Option<f64>,
    /// Mean Cohen's kappa over pairs, on the same documents.
    pub cohen_kappa_pairwise_mean: Option<f64>,
    /// Fleiss' kappa over the compared documents, all annotators.
    pub fleiss_kappa: Option<f64>,
}

/// A shared document whose annotators gave a doc label different values (or left it unset).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocLabelDisagreement {
    /// Document id in the first project.
    pub document: String,
    /// The doc label.
    pub name: String,
    /// Each annotator's value, or `None` when unset.
    pub values: BTreeMap<String, Option<String>>,
}

/// Why agreement cannot be measured.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AgreementError {
    /// Fewer than two projects.
    #[error("agreement needs at least two projects, got {0}")]
    TooFew(usize),
    /// No text is in every project.
    #[error("no document has the same text in every project ({0}); nothing to compare")]
    NoSharedDocuments(String),
}

/// For each text found in every project, the index of its document in each project (the first
/// document with that text), in the order of the first project.
pub fn shared_documents(projects: &[&Project]) -> Vec<Vec<usize>> {
    let Some((first, rest)) = projects.split_first() else { return Vec::new() };
    let indexes: Vec<HashMap<&str, usize>> = rest
        .iter()
        .map(|p| {
            let mut by_text = HashMap::with_capacity_and_hasher(p.documents.len(), Default::default());
            for (i, d) in p.documents.iter().enumerate() {
                by_text.entry(d.text.as_str()).or_insert(i);
            }
            by_text
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, doc) in first.documents.iter().enumerate() {
        if !seen.insert(doc.text.as_str()) {
            continue;
        }
        let others: Option<Vec<usize>> = indexes.iter().map(|ix| ix.get(doc.text.as_str()).copied()).collect();
        if let Some(others) = others {
            let mut row = vec![i];
            row.extend(others);
            out.push(row);
        }
    }
    out
}

/// Measures agreement between the annotators' projects.
pub fn measure(annotators: &[Annotator<'_>]) -> Result<Agreement, AgreementError> {
    if annotators.len() < 2 {
        return Err(AgreementError::TooFew(annotators.len()));
    }
    let projects: Vec<&Project> = annotators.iter().map(|a| a.project).collect();
    let shared = shared_documents(&projects);
    if shared.is_empty() {
        let names: Vec<&str> = annotators.iter().map(|a| a.name).collect();
        return Err(AgreementError::NoSharedDocuments(names.join(", ")));
    }
    let n = annotators.len();
    let docs = |row: &[usize]| -> Vec<&Document> { (0..n).map(|k| &projects[k].documents[row[k]]).collect() };

    let mut labels: BTreeSet<String> = BTreeSet::new();
    for p in &projects {
        labels.extend(p.schema.labels.iter().map(|l| l.name.clone()));
    }
    for row in &shared {
        for d in docs(row) {
            labels.extend(d.spans.iter().map(|s| s.label.clone()));
        }
    }

    // Span-level figures per pair, overall and per label; confusion summed over pairs.
    let mut pairs = Vec::new();
    let mut per_label_pairs: BTreeMap<String, Vec<(Counts, Counts)>> = BTreeMap::new();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut pair_counts = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let mut exact = Counts::default();
            let mut overlap = Counts::default();
            let mut by_label: BTreeMap<&str, (Counts, Counts)> =
                labels.iter().map(|l| (l.as_str(), Default::default())).collect();
            for row in &shared {
                let d = docs(row);
                let (r, o) = (&d[i].spans, &d[j].spans);
                exact.add(exact_counts(r, o, None));
                let matched = overlap_matches(r, o, true);
                overlap.add(Counts { matched: matched.len(), reference: r.len(), other: o.len() });
                for (label, (e, v)) in by_label.iter_mut() {
                    e.add(exact_counts(r, o, Some(label)));
                    let rl = r.iter().filter(|s| s.label == *label).count();
                    let ol = o.iter().filter(|s| s.label == *label).count();
                    let ml = matched.iter().filter(|&&(a, _)| r[a].label == *label).count();
                    v.add(Counts { matched: ml, reference: rl, other: ol });
                }
                add_confusion(&mut confusion, r, o, &matched);
            }
            for (label, counts) in by_label {
                per_label_pairs.entry(label.to_owned()).or_default().push(counts);
            }
            pair_counts.push((exact, overlap));
            pairs.push(Pair {
                reference: annotators[i].name.to_owned(),
                other: annotators[j].name.to_owned(),
                exact: exact.scores(),
                overlap: overlap.scores(),
                cohen_kappa: None,
            });
        }
    }

    // Token labels: sequences[k] holds annotator k's label of every token of every shared document.
    let mut sequences: Vec<Vec<&str>> = vec![Vec::new(); n];
    for row in &shared {
        let d = docs(row);
        let tokens = word_tokens(d[0].text.as_str());
        for (k, doc) in d.iter().enumerate() {
            sequences[k].extend(token_labels(&doc.spans, &tokens));
        }
    }
    let mut p = 0;
    for i in 0..n {
        for j in i + 1..n {
            pairs[p].cohen_kappa = cohen_kappa(&sequences[i], &sequences[j]);
            p += 1;
        }
    }
    let kappas: Vec<f64> = pairs.iter().filter_map(|p| p.cohen_kappa).collect();

    let per_label = per_label_pairs
        .into_iter()
        .map(|(label, counts)| {
            let exact: Vec<Counts> = counts.iter().map(|c| c.0).collect();
            let overlap: Vec<Counts> = counts.iter().map(|c| c.1).collect();
            (label, LabelScores { exact: combine(&exact), overlap: combine(&overlap) })
        })
        .collect();
    let exact: Vec<Counts> = pair_counts.iter().map(|c| c.0).collect();
    let overlap: Vec<Counts> = pair_counts.iter().map(|c| c.1).collect();

    let mut unshared = BTreeMap::new();
    for (k, a) in annotators.iter().enumerate() {
        let used: BTreeSet<usize> = shared.iter().map(|row| row[k]).collect();
        unshared.insert(a.name.to_owned(), a.project.documents.len() - used.len());
    }

    Ok(Agreement {
        annotators: annotators.iter().map(|a| a.name.to_owned()).collect(),
        method: if n == 2 { "reference" } else { "pairwise mean" },
        shared_documents: shared.len(),
        documents: shared.iter().map(|row| projects[0].documents[row[0]].id.clone()).collect(),
        unshared_documents: unshared,
        tokens: sequences[0].len(),
        exact: combine(&exact),
        overlap: combine(&overlap),
        per_label,
        cohen_kappa: if n == 2 { pairs[0].cohen_kappa } else { None },
        cohen_kappa_pairwise_mean: (!kappas.is_empty()).then(|| kappas.iter().sum::<f64>() / kappas.len() as f64),
        fleiss_kappa: fleiss_kappa(&sequences),
        pairs,
        confusion,
        disagreements: shared.iter().flat_map(|row| disagreements(annotators, &docs(row))).collect(),
        doc_labels: doc_label_agreement(&projects, &shared),
        doc_label_disagreements: doc_label_disagreements(annotators, &shared),
    })
}

/// Doc label names of every schema, and any set on a shared document, sorted.
fn doc_label_names(projects: &[&Project], shared: &[Vec<usize>]) -> BTreeSet<String> {
    let mut names: BTreeSet<String> =
        projects.iter().flat_map(|p| p.schema.doc_labels.iter().map(|d| d.name.clone())).collect();
    for row in shared {
        for (k, &i) in row.iter().enumerate() {
            names.extend(projects[k].documents[i].doc_labels.keys().cloned());
        }
    }
    names
}

fn doc_label_agreement(projects: &[&Project], shared: &[Vec<usize>]) -> BTreeMap<String, DocLabelAgreement> {
    let n = projects.len();
    doc_label_names(projects, shared)
        .into_iter()
        .map(|name| {
            let mut out = DocLabelAgreement::default();
            let mut sequences: Vec<Vec<&str>> = vec![Vec::new(); n];
            for row in shared {
                let values: Option<Vec<&str>> =
                    row.iter().enumerate().map(|(k, &i)| projects[k].documents[i].doc_label(&name)).collect();
                let Some(values) = values else {
                    out.left_out += 1;
                    continue;
                };
                out.compared += 1;
                out.agreed += usize::from(values.iter().all(|v| *v == values[0]));
                for (k, v) in values.into_iter().enumerate() {
                    sequences[k].push(v);
                }
            }
            out.observed_agreement = (out.compared > 0).then(|| out.agreed as f64 / out.compared as f64);
            let mut kappas = Vec::new();
            for i in 0..n {
                for j in i + 1..n {
                    kappas.extend(cohen_kappa(&sequences[i], &sequences[j]));
                }
            }
            out.cohen_kappa = if n == 2 { kappas.first().copied() } else { None };
            out.cohen_kappa_pairwise_mean =
                (!kappas.is_empty()).then(|| kappas.iter().sum::<f64>() / kappas.len() as f64);
            out.fleiss_kappa = fleiss_kappa(&sequences);
            (name, out)
        })
        .collect()
}

fn doc_label_disagreements(annotators: &[Annotator<'_>], shared: &[Vec<usize>]) -> Vec<DocLabelDisagreement> {
    let projects: Vec<&Project> = annotators.iter().map(|a| a.project).collect();
    let names = doc_label_names(&projects, shared);
    let mut out = Vec::new();
    for row in shared {
        for name in &names {
            let values: Vec<Option<&str>> =
                row.iter().enumerate().map(|(k, &i)| projects[k].documents[i].doc_label(name)).collect();
            if values.iter().all(|v| *v == values[0]) {
                continue;
            }
            out.push(DocLabelDisagreement {
                document: projects[0].documents[row[0]].id.clone(),
                name: name.clone(),
                values: annotators
                    .iter()
                    .zip(&values)
                    .map(|(a, v)| (a.name.to_owned(), v.map(str::to_owned)))
                    .collect(),
            });
        }
    }
    out
}

/// The figures of one pair as they are; of several pairs, the mean over pairs (precision and
/// recall over both directions of each pair). Counts are summed.
fn combine(pairs: &[Counts]) -> Scores {
    if let [one] = pairs {
        return one.scores();
    }
    let mean = |values: Vec<Option<f64>>| {
        let values: Vec<f64> = values.into_iter().flatten().collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    let scores: Vec<Scores> = pairs.iter().map(|c| c.scores()).collect();
    let both_ways: Vec<Option<f64>> = scores.iter().flat_map(|s| [s.precision, s.recall]).collect();
    let mut total = Counts::default();
    for c in pairs {
        total.add(*c);
    }
    Scores {
        precision: mean(both_ways.clone()),
        recall: mean(both_ways),
        f1: mean(scores.iter().map(|s| s.f1).collect()),
        matched: total.matched,
        reference_spans: total.reference,
        other_spans: total.other,
    }
}

/// Exact matches between two span lists (optionally of one label only).
fn exact_counts(reference: &[Span], other: &[Span], label: Option<&str>) -> Counts {
    let keep = |s: &&Span| label.is_none_or(|l| s.label == l);
    let r: BTreeSet<(usize, usize, &str)> =
        reference.iter().filter(keep).map(|s| (s.start, s.end, s.label.as_str())).collect();
    let o: BTreeSet<(usize, usize, &str)> =
        other.iter().filter(keep).map(|s| (s.start, s.end, s.label.as_str())).collect();
    Counts { matched: r.intersection(&o).count(), reference: r.len(), other: o.len() }
}

/// Code points two ranges share.
fn overlap_len(a: &Span, b: &Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// One-to-one greedy matching of overlapping spans, by largest overlap first (then earliest
/// reference span, then earliest other span). With `same_label`, only spans of one label pair up;
/// without, only spans of different labels. Returns (reference index, other index) pairs.
fn overlap_matches(reference: &[Span], other: &[Span], same_label: bool) -> Vec<(usize, usize)> {
    // Only pairs that overlap are looked at: the other spans sorted by start, with the furthest
    // end reached so far, bound the search for each reference span (near-linear for the usual
    // spans that barely overlap, instead of every pair: 50,000 spans took a minute).
    let mut by_start: Vec<usize> = (0..other.len()).collect();
    by_start.sort_unstable_by_key(|&b| (other[b].start, other[b].end));
    let reach: Vec<usize> = by_start
        .iter()
        .scan(0, |furthest, &b| {
            *furthest = other[b].end.max(*furthest);
            Some(*furthest)
        })
        .collect();
    let mut candidates = Vec::new();
    for (a, r) in reference.iter().enumerate() {
        let starts_before_end = by_start.partition_point(|&b| other[b].start < r.end);
        for i in (0..starts_before_end).rev() {
            if reach[i] <= r.start {
                break;
            }
            let b = by_start[i];
            let o = &other[b];
            let overlap = overlap_len(r, o);
            if overlap > 0 && (r.label == o.label) == same_label {
                candidates.push((std::cmp::Reverse(overlap), r.start, r.end, a, o.start, o.end, b));
            }
        }
    }
    pick_greedily(candidates, reference.len(), other.len())
}

/// A pair that could match: (largest overlap first, reference start, reference end, reference
/// index, other start, other end, other index), so that sorting gives the order pairs are taken in.
type Candidate = (std::cmp::Reverse<usize>, usize, usize, usize, usize, usize, usize);

/// Takes the candidates in their order, each whose two spans are both still free.
fn pick_greedily(mut candidates: Vec<Candidate>, references: usize, others: usize) -> Vec<(usize, usize)> {
    candidates.sort_unstable();
    let mut used_r = vec![false; references];
    let mut used_o = vec![false; others];
    let mut out = Vec::new();
    for (_, _, _, a, _, _, b) in candidates {
        if !used_r[a] && !used_o[b] {
            used_r[a] = true;
            used_o[b] = true;
            out.push((a, b));
        }
    }
    out
}

/// Adds one document's pair to the confusion matrix (see the module notes).
fn add_confusion(
    confusion: &mut BTreeMap<String, BTreeMap<String, usize>>,
    reference: &[Span],
    other: &[Span],
    matched: &[(usize, usize)],
) {
    let mut bump = |r: &str, o: &str| *confusion.entry(r.to_owned()).or_default().entry(o.to_owned()).or_insert(0) += 1;
    let mut left_r: Vec<bool> = vec![true; reference.len()];
    let mut left_o: Vec<bool> = vec![true; other.len()];
    for &(a, b) in matched {
        bump(&reference[a].label, &other[b].label);
        left_r[a] = false;
        left_o[b] = false;
    }
    let rest_r: Vec<Span> = reference.iter().zip(&left_r).filter(|(_, l)| **l).map(|(s, _)| s.clone()).collect();
    let rest_o: Vec<Span> = other.iter().zip(&left_o).filter(|(_, l)| **l).map(|(s, _)| s.clone()).collect();
    let crossed = overlap_matches(&rest_r, &rest_o, false);
    let mut done_r = vec![false; rest_r.len()];
    let mut done_o = vec![false; rest_o.len()];
    for &(a, b) in &crossed {
        bump(&rest_r[a].label, &rest_o[b].label);
        done_r[a] = true;
        done_o[b] = true;
    }
    for (s, done) in rest_r.iter().zip(done_r) {
        if !done {
            bump(&s.label, NONE);
        }
    }
    for (s, done) in rest_o.iter().zip(done_o) {
        if !done {
            bump(NONE, &s.label);
        }
    }
}

/// The Unicode words (UAX #29) of `text`, as code point ranges.
pub fn word_tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars_before = 0;
    let mut byte_before = 0;
    for (at, word) in text.unicode_word_indices() {
        chars_before += text.get(byte_before..at).unwrap_or_default().chars().count();
        let len = word.chars().count();
        out.push((chars_before, chars_before + len));
        chars_before += len;
        byte_before = at + word.len();
    }
    out
}

/// Each token's label: the longest overlapping span's (ties: earliest start, then label name), or
/// [`OUTSIDE`]. `spans` are sorted by start, as in a [`Document`].
pub fn token_labels<'s>(spans: &'s [Span], tokens: &[(usize, usize)]) -> Vec<&'s str> {
    // The furthest end reached by the spans up to each one: the spans a token can overlap lie
    // between the last that starts before its end and the last whose reach falls short of its
    // start, so each token looks at its neighbours only, not at every span.
    let reach: Vec<usize> = spans
        .iter()
        .scan(0, |furthest, s| {
            *furthest = s.end.max(*furthest);
            Some(*furthest)
        })
        .collect();
    tokens
        .iter()
        .map(|&(start, end)| {
            let starts_before_end = spans.partition_point(|s| s.start < end);
            let first = reach[..starts_before_end].partition_point(|&furthest| furthest <= start);
            spans[first..starts_before_end]
                .iter()
                .filter(|s| s.start < end && s.end > start)
                .min_by(|a, b| b.len().cmp(&a.len()).then(a.start.cmp(&b.start)).then(a.label.cmp(&b.label)))
                .map_or(OUTSIDE, |s| s.label.as_str())
        })
        .collect()
}

/// Cohen's kappa of two label sequences of equal length; `None` when chance agreement is 1 or
/// there is nothing to compare.
pub fn cohen_kappa(a: &[&str], b: &[&str]) -> Option<f64> {
    let n = a.len();
    if n == 0 || n != b.len() {
        return None;
    }
    let agree = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let mut count_a: HashMap<&str, usize> = HashMap::default();
    let mut count_b: HashMap<&str, usize> = HashMap::default();
    for (x, y) in a.iter().zip(b) {
        *count_a.entry(x).or_insert(0) += 1;
        *count_b.entry(y).or_insert(0) += 1;
    }
    let nf = n as f64;
    let po = agree as f64 / nf;
    let pe: f64 =
        count_a.iter().map(|(k, &ca)| ca as f64 * count_b.get(k).copied().unwrap_or(0) as f64).sum::<f64>() / (nf * nf);
    (pe < 1.0).then(|| (po - pe) / (1.0 - pe))
}

/// Fleiss' kappa of several raters' label sequences (one sequence per rater, equal lengths);
/// `None` when chance agreement is 1, with fewer than two raters or no items.
pub fn fleiss_kappa(sequences: &[Vec<&str>]) -> Option<f64> {
    let raters = sequences.len();
    let items = sequences.first()?.len();
    if raters < 2 || items == 0 || sequences.iter().any(|s| s.len() != items) {
        return None;
    }
    let mut totals: HashMap<&str, usize> = HashMap::default();
    let mut p_bar = 0.0;
    let r = raters as f64;
    for i in 0..items {
        let mut counts: HashMap<&str, usize> = HashMap::default();
        for s in sequences {
            *counts.entry(s[i]).or_insert(0) += 1;
            *totals.entry(s[i]).or_insert(0) += 1;
        }
        let sq: usize = counts.values().map(|c| c * c).sum();
        p_bar += (sq as f64 - r) / (r * (r - 1.0));
    }
    p_bar /= items as f64;
    let all = (items * raters) as f64;
    let pe: f64 = totals.values().map(|&c| (c as f64 / all).powi(2)).sum();
    (pe < 1.0).then(|| (p_bar - pe) / (1.0 - pe))
}

/// The ranges of one shared document where the annotators' labels differ.
fn disagreements(annotators: &[Annotator<'_>], docs: &[&Document]) -> Vec<Disagreement> {
    let ranges: BTreeSet<(usize, usize)> = docs.iter().flat_map(|d| d.spans.iter().map(|s| (s.start, s.end))).collect();
    let mut out = Vec::new();
    for (start, end) in ranges {
        let labels: Vec<Option<String>> = docs
            .iter()
            .map(|d| {
                // Spans are sorted by (start, end, id): the ones on this range sit together.
                let first = d.spans.partition_point(|s| (s.start, s.end) < (start, end));
                let mut here: Vec<&str> = d.spans[first..]
                    .iter()
                    .take_while(|s| (s.start, s.end) == (start, end))
                    .map(|s| s.label.as_str())
                    .collect();
                here.sort_unstable();
                (!here.is_empty()).then(|| here.join("+"))
            })
            .collect();
        if labels.iter().all(|l| *l == labels[0]) {
            continue;
        }
        out.push(Disagreement {
            document: docs[0].id.clone(),
            start,
            end,
            text: docs[0].covered_text(&Span::new(0, start, end, "")).unwrap_or_default().to_owned(),
            labels: annotators.iter().map(|a| a.name.to_owned()).zip(labels).collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every pair, as overlap_matches once did: the reference for its faster search.
    fn every_pair_matches(reference: &[Span], other: &[Span], same_label: bool) -> Vec<(usize, usize)> {
        let mut candidates = Vec::new();
        for (a, r) in reference.iter().enumerate() {
            for (b, o) in other.iter().enumerate() {
                let overlap = overlap_len(r, o);
                if overlap > 0 && (r.label == o.label) == same_label {
                    candidates.push((std::cmp::Reverse(overlap), r.start, r.end, a, o.start, o.end, b));
                }
            }
        }
        // The same greedy choice; only the candidates are found differently.
        pick_greedily(candidates, reference.len(), other.len())
    }

    proptest! {
        #[test]
        fn token_labels_look_only_near_each_token_and_find_what_a_full_scan_finds(
            list in proptest::collection::vec((0usize..80, 1usize..30, 0usize..3), 0..30),
            tokens in proptest::collection::vec((0usize..100, 1usize..6), 0..40),
        ) {
            let labels = ["claim", "speaker", "location"];
            let mut spans: Vec<Span> =
                list.iter().enumerate().map(|(i, &(s, w, l))| Span::new(i as u64 + 1, s, s + w, labels[l])).collect();
            spans.sort_by_key(Span::sort_key);
            let tokens: Vec<(usize, usize)> = tokens.iter().map(|&(s, w)| (s, s + w)).collect();
            let full_scan: Vec<&str> = tokens
                .iter()
                .map(|&(start, end)| {
                    spans
                        .iter()
                        .filter(|s| s.start < end && s.end > start)
                        .min_by(|a, b| b.len().cmp(&a.len()).then(a.start.cmp(&b.start)).then(a.label.cmp(&b.label)))
                        .map_or(OUTSIDE, |s| s.label.as_str())
                })
                .collect();
            prop_assert_eq!(token_labels(&spans, &tokens), full_scan);
        }

        #[test]
        fn the_pruned_search_matches_like_every_pair(
            r in proptest::collection::vec((0usize..60, 1usize..25, 0usize..3), 0..25),
            o in proptest::collection::vec((0usize..60, 1usize..25, 0usize..3), 0..25),
            same_label in any::<bool>(),
        ) {
            let labels = ["claim", "speaker", "location"];
            let make = |list: &[(usize, usize, usize)]| {
                list.iter().enumerate().map(|(i, &(s, w, l))| Span::new(i as u64 + 1, s, s + w, labels[l])).collect::<Vec<_>>()
            };
            let (r, o) = (make(&r), make(&o));
            prop_assert_eq!(overlap_matches(&r, &o, same_label), every_pair_matches(&r, &o, same_label));
        }
    }

    fn spans(list: &[(usize, usize, &str)]) -> Vec<Span> {
        let mut v: Vec<Span> =
            list.iter().enumerate().map(|(i, &(s, e, l))| Span::new(i as u64 + 1, s, e, l)).collect();
        v.sort_by_key(Span::sort_key);
        v
    }

    #[test]
    fn greedy_overlap_takes_the_largest_overlap_first() {
        // r0 = 0..10 overlaps o0 = 8..12 by 2 and o1 = 2..9 by 7; r1 = 7..12 overlaps o0 by 4, o1 by 2.
        let r = spans(&[(0, 10, "claim"), (7, 12, "claim")]);
        let o = spans(&[(2, 9, "claim"), (8, 12, "claim")]);
        let m = overlap_matches(&r, &o, true);
        assert_eq!(m, vec![(0, 0), (1, 1)]);
    }

    #[test]
    fn cohen_by_hand() {
        // 4 tokens: agree on 3 (po = 0.75); a: X X O O, b: X O O O → pe = (2·1 + 2·3)/16 = 0.5.
        let k = cohen_kappa(&["X", "X", "O", "O"], &["X", "O", "O", "O"]).unwrap();
        assert!((k - 0.5).abs() < 1e-12, "{k}");
        assert_eq!(cohen_kappa(&["O", "O"], &["O", "O"]), None);
    }

    #[test]
    fn fleiss_by_hand() {
        // 3 raters, 2 items: item 1 all X (P = 1), item 2 X X O (P = (4+1-3)/6 = 1/3).
        // P̄ = 2/3; p_X = 5/6, p_O = 1/6 → Pe = 26/36; κ = (2/3 - 26/36)/(10/36) = -0.2.
        let seqs = vec![vec!["X", "X"], vec!["X", "X"], vec!["X", "O"]];
        let k = fleiss_kappa(&seqs).unwrap();
        assert!((k + 0.2).abs() < 1e-12, "{k}");
    }

    #[test]
    fn tokens_in_code_points_and_longest_span_wins() {
        let toks = word_tokens("né à Paris, 😀 ok");
        assert_eq!(toks, vec![(0, 2), (3, 4), (5, 10), (14, 16)]);
        let s = spans(&[(0, 4, "claim"), (3, 10, "location")]);
        assert_eq!(token_labels(&s, &toks), vec!["claim", "location", "location", "O"]);
    }

    #[test]
    fn doc_labels_compared_where_everyone_set_them() {
        let project = |values: &[Option<&str>]| {
            let mut p = Project::new("p");
            p.schema.doc_labels.push(crate::model::DocLabelDef {
                name: "escalation".into(),
                values: vec!["yes".into(), "no".into()],
                key: None,
                description: String::new(),
            });
            for (i, v) in values.iter().enumerate() {
                let mut d = Document::new(format!("d{i}"), "t", format!("text {i}"));
                if let Some(v) = v {
                    d.doc_labels.insert("escalation".into(), (*v).to_owned());
                }
                p.documents.push(d);
            }
            p
        };
        let a = project(&[Some("yes"), Some("yes"), Some("no"), None, None]);
        let b = project(&[Some("yes"), Some("no"), Some("no"), Some("yes"), None]);
        let r = measure(&[Annotator { name: "a", project: &a }, Annotator { name: "b", project: &b }]).unwrap();
        let e = &r.doc_labels["escalation"];
        assert_eq!((e.compared, e.left_out, e.agreed), (3, 2, 2));
        assert!((e.observed_agreement.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        // a: yes yes no, b: yes no no → po = 2/3, pe = (2·1 + 1·2)/9 = 4/9, κ = (2/9)/(5/9) = 0.4.
        assert!((e.cohen_kappa.unwrap() - 0.4).abs() < 1e-12, "{e:?}");
        assert_eq!(e.cohen_kappa, e.cohen_kappa_pairwise_mean);
        let d: Vec<(&str, Option<&str>)> =
            r.doc_label_disagreements.iter().map(|d| (d.document.as_str(), d.values["a"].as_deref())).collect();
        assert_eq!(d, [("d1", Some("yes")), ("d3", None)]);
    }
}
