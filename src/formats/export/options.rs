//! What an export writes: offset unit, document and label filters, tag scheme, train/dev/test split.

use std::fmt;
use std::str::FromStr;

use crate::model::{Document, Project, Span, Status};

/// The unit offsets are written in. Code points are the default everywhere (Python `str` slicing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OffsetUnit {
    /// Unicode scalar values: Python, spaCy, Prodigy, brat.
    #[default]
    Chars,
    /// UTF-8 bytes.
    Bytes,
    /// UTF-16 code units: JavaScript, Java, .NET, doccano, Label Studio.
    Utf16,
}

impl OffsetUnit {
    /// Lower-case name, as accepted on the command line and written in JSONL's `offsets` field.
    pub fn name(self) -> &'static str {
        match self {
            OffsetUnit::Chars => "chars",
            OffsetUnit::Bytes => "bytes",
            OffsetUnit::Utf16 => "utf16",
        }
    }
}

impl FromStr for OffsetUnit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "chars" | "char" | "codepoints" => Ok(OffsetUnit::Chars),
            "bytes" | "utf8" | "utf-8" => Ok(OffsetUnit::Bytes),
            "utf16" | "utf-16" => Ok(OffsetUnit::Utf16),
            other => Err(format!("unknown offset unit {other:?} (expected chars, bytes or utf16)")),
        }
    }
}

/// How token tags mark a span: BIO (IOB2) or BILOU.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TagScheme {
    /// `B-x` on the first token, `I-x` on the others, `O` outside.
    #[default]
    Bio,
    /// `U-x` on a one-token span, else `B-x`, `I-x`..., `L-x`.
    Bilou,
}

impl FromStr for TagScheme {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bio" | "iob2" | "iob" => Ok(TagScheme::Bio),
            "bilou" | "bioes" => Ok(TagScheme::Bilou),
            other => Err(format!("unknown tag scheme {other:?} (expected bio or bilou)")),
        }
    }
}

/// A train/dev/test split by document: names with fractions that add up to 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// Part names (letters, digits, `-`, `_`) and their fractions, in the order given.
    pub parts: Vec<(String, f64)>,
}

impl FromStr for Split {
    type Err = String;

    /// Parses `train=0.8,dev=0.1,test=0.1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts: Vec<(String, f64)> = Vec::new();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (name, fraction) =
                item.split_once('=').ok_or_else(|| format!("{item:?} is not NAME=FRACTION (e.g. train=0.8)"))?;
            let name = name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(format!("split name {name:?} must be letters, digits, '-' or '_'"));
            }
            if parts.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                return Err(format!("split name {name:?} is given twice"));
            }
            let fraction: f64 =
                fraction.trim().parse().map_err(|_| format!("{:?} is not a number (in {item:?})", fraction.trim()))?;
            if !(fraction.is_finite() && (0.0..=1.0).contains(&fraction)) {
                return Err(format!("fraction {fraction} of {name:?} must be between 0 and 1"));
            }
            parts.push((name.to_owned(), fraction));
        }
        if parts.is_empty() {
            return Err("empty split; write e.g. train=0.8,dev=0.1,test=0.1".to_owned());
        }
        let sum: f64 = parts.iter().map(|(_, f)| f).sum();
        if (sum - 1.0).abs() > 1e-6 {
            return Err(format!("the fractions add up to {sum}, not 1"));
        }
        Ok(Split { parts })
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = self.parts.iter().map(|(n, x)| format!("{n}={x}")).collect();
        f.write_str(&items.join(","))
    }
}

/// Everything that steers an export besides the format and the output path.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// Offset unit (jsonl, brat, csv); conll and hf have no offsets.
    pub offsets: OffsetUnit,
    /// Only documents whose status is Done.
    pub only_done: bool,
    /// Only spans with these labels (all when `None`); relations lose spans left out.
    pub labels: Option<Vec<String>>,
    /// Tag scheme of conll and hf.
    pub scheme: TagScheme,
    /// Split by document into parts, each written to its own file or folder.
    pub split: Option<Split>,
    /// Seed of the split.
    pub seed: u64,
    /// Replace an existing output.
    pub force: bool,
}

impl ExportOptions {
    /// True when spans with `label` are exported.
    pub fn keeps_label(&self, label: &str) -> bool {
        self.labels.as_ref().is_none_or(|ls| ls.iter().any(|l| l == label))
    }

    /// The spans of `doc` that are exported, in document order.
    pub fn spans<'s, 'd>(&'s self, doc: &'d Document) -> impl Iterator<Item = &'d Span> + use<'s, 'd> {
        doc.spans.iter().filter(|s| self.keeps_label(&s.label))
    }

    /// The documents exported, grouped into parts: `[(None, all)]` without a split, else one
    /// `(Some(name), documents)` per part, each in project order.
    ///
    /// The split is by document and reproducible: each document is ranked by a hash of the seed and
    /// its id (so adding documents later moves no other document between parts as long as the
    /// counts allow), and the ranked list is cut by the fractions, rounding to whole documents with
    /// any remainder going to the last part.
    pub fn parts<'p>(&self, project: &'p Project) -> Vec<(Option<String>, Vec<&'p Document>)> {
        let part_of = self.part_of(project.documents.iter().map(|d| (d.id.as_str(), d.status)));
        let names: Vec<Option<String>> = match &self.split {
            None => vec![None],
            Some(split) => split.parts.iter().map(|(name, _)| Some(name.clone())).collect(),
        };
        let mut out: Vec<(Option<String>, Vec<&Document>)> = names.into_iter().map(|n| (n, Vec::new())).collect();
        for (doc, part) in project.documents.iter().zip(part_of) {
            if let Some((_, docs)) = part.and_then(|k| out.get_mut(k)) {
                docs.push(doc);
            }
        }
        out
    }

    /// The part (an index into the split's parts; 0 without a split) of each document, given
    /// every document's id and status in project order; `None` for a document not exported.
    /// See [`ExportOptions::parts`] for how the split is made.
    pub fn part_of<'i>(&self, documents: impl Iterator<Item = (&'i str, Status)>) -> Vec<Option<usize>> {
        let mut out: Vec<Option<usize>> = Vec::new();
        let mut ranked: Vec<(u64, usize)> = Vec::new();
        for (i, (id, status)) in documents.enumerate() {
            let kept = !self.only_done || status == Status::Done;
            out.push(kept.then_some(0));
            if kept && self.split.is_some() {
                ranked.push((rank(self.seed, id), i));
            }
        }
        let Some(split) = &self.split else {
            return out;
        };
        ranked.sort_unstable();
        let n = ranked.len();
        let mut taken = 0usize;
        let mut cumulative = 0.0;
        for (k, (_, fraction)) in split.parts.iter().enumerate() {
            cumulative += fraction;
            let upto = if k + 1 == split.parts.len() { n } else { ((cumulative * n as f64).round() as usize).min(n) };
            for &(_, i) in ranked.get(taken..upto.max(taken)).unwrap_or_default() {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(k);
                }
            }
            taken = upto.max(taken);
        }
        out
    }
}

/// A stable 64-bit rank of a document id under a seed (FNV-1a, then a SplitMix64 finaliser), so
/// that splits do not depend on the Rust version or platform.
fn rank(seed: u64, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_parses_and_rejects() {
        let s: Split = "train=0.8, dev=0.1,test=0.1".parse().unwrap();
        assert_eq!(s.parts.len(), 3);
        for bad in ["", "train", "train=0.5", "a/b=1", "train=x", "train=0.5,train=0.5", "a=-1,b=2", "a=NaN"] {
            assert!(bad.parse::<Split>().is_err(), "{bad}");
        }
    }

    #[test]
    fn split_is_reproducible_and_complete() {
        let mut p = Project::new("p");
        for i in 0..103 {
            p.documents.push(Document::new(format!("d{i}"), "t", "x"));
        }
        let opts =
            ExportOptions { split: Some("train=0.8,dev=0.1,test=0.1".parse().unwrap()), seed: 4, ..Default::default() };
        let a = opts.parts(&p);
        let b = opts.parts(&p);
        let ids = |parts: &[(Option<String>, Vec<&Document>)]| -> Vec<Vec<String>> {
            parts.iter().map(|(_, ds)| ds.iter().map(|d| d.id.clone()).collect()).collect()
        };
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(a.iter().map(|(_, d)| d.len()).collect::<Vec<_>>(), [82, 11, 10]);
        let other = ExportOptions { seed: 5, ..opts }.parts(&p);
        assert_ne!(ids(&a), ids(&other));
    }
}
