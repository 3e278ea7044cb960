//! brat standoff folders: each `NAME.txt` with its `NAME.ann` (a `.ann` alone is an error; a
//! `.txt` alone is a document without spans). `T` lines become spans, offsets in code points; a
//! discontinuous `T` (`start end;start end`) becomes one span from the first start to the last end
//! (this is how Gloss writes spans that cross line breaks), its text checked fragment by fragment.
//! `R` lines become relations, `#… AnnotatorNotes Tn` notes. Events, attributes and normalisations
//! are not part of the model: they are counted in a notice. `visual.conf` `[labels]` lines map brat
//! type names back to full label names (Gloss writes them for labels with spaces).

use crate::model::hashing::HashMap;

use super::incoming::{Incoming, IncomingRelation, IncomingSpan, check_span_count};

/// Reads one document from the text of `NAME.txt` and `NAME.ann`. `labels` maps brat types to
/// label names (from `visual.conf`). Returns the document and the number of lines left aside.
pub fn read(
    name: &str,
    text: String,
    ann: &str,
    labels: &HashMap<String, String>,
) -> Result<(Incoming, usize), String> {
    let mut doc =
        Incoming { id: None, title: Some(name.to_owned()), text, line_breaks_as_spaces: true, ..Incoming::default() };
    let mut ignored = 0usize;
    let mut notes: Vec<(String, String)> = Vec::new();
    let full = |t: &str| labels.get(t).cloned().unwrap_or_else(|| t.to_owned());
    for (n, line) in ann.lines().enumerate() {
        let place = format!("{name}.ann:{}", n + 1);
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or_default();
        let middle = cols.next().ok_or_else(|| format!("{place}: expected tab-separated fields"))?;
        match id.chars().next() {
            Some('T') => {
                let (label, ranges) =
                    middle.split_once(' ').ok_or_else(|| format!("{place}: expected \"TYPE START END\""))?;
                let mut fragments = Vec::new();
                for range in ranges.split(';') {
                    let mut nums = range.split_whitespace().map(|x| x.parse::<usize>());
                    match (nums.next(), nums.next(), nums.next()) {
                        (Some(Ok(s)), Some(Ok(e)), None) => fragments.push((s, e)),
                        _ => return Err(format!("{place}: {range:?} is not \"START END\" with non-negative integers")),
                    }
                }
                let start = fragments.iter().map(|f| f.0).min().unwrap_or(0);
                let end = fragments.iter().map(|f| f.1).max().unwrap_or(0);
                let span_text = cols.next().map(str::to_owned);
                doc.spans.push(IncomingSpan {
                    key: Some(id.to_owned()),
                    start,
                    end,
                    label: full(label),
                    text: span_text,
                    fragments,
                    ..IncomingSpan::default()
                });
                check_span_count(doc.spans.len(), &place)?;
            }
            Some('R') => {
                let mut parts = middle.split_whitespace();
                let label = parts.next().unwrap_or_default();
                let mut from = None;
                let mut to = None;
                for arg in parts {
                    match arg.split_once(':') {
                        Some(("Arg1", t)) => from = Some(t.to_owned()),
                        Some(("Arg2", t)) => to = Some(t.to_owned()),
                        _ => {}
                    }
                }
                let (Some(from), Some(to)) = (from, to) else {
                    return Err(format!("{place}: a relation needs Arg1:T… and Arg2:T…"));
                };
                doc.relations.push(IncomingRelation { label: full(label), from, to });
            }
            Some('#') => {
                let mut words = middle.split_whitespace();
                if words.next() == Some("AnnotatorNotes") {
                    if let Some(target) = words.next() {
                        notes.push((target.to_owned(), cols.next().unwrap_or_default().to_owned()));
                    }
                } else {
                    ignored += 1;
                }
            }
            Some('E' | 'A' | 'M' | 'N' | '*') => ignored += 1,
            _ => return Err(format!("{place}: unknown annotation {id:?}")),
        }
    }
    // The first span with each key, found without a scan per note.
    let mut by_key: HashMap<String, usize> = HashMap::default();
    for (i, span) in doc.spans.iter().enumerate() {
        if let Some(key) = &span.key {
            by_key.entry(key.clone()).or_insert(i);
        }
    }
    for (target, note) in notes {
        if let Some(span) = by_key.get(&target).and_then(|&i| doc.spans.get_mut(i)) {
            span.note = Some(note);
        }
    }
    doc.place = format!("{name}.ann");
    Ok((doc, ignored))
}

/// The `[labels]` section of a `visual.conf`: brat type → full name (the first alias).
pub fn visual_labels(conf: &str) -> HashMap<String, String> {
    let mut map = HashMap::default();
    let mut in_labels = false;
    for line in conf.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_labels = line == "[labels]";
            continue;
        }
        if !in_labels || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split('|').map(str::trim);
        if let (Some(t), Some(name)) = (parts.next(), parts.next()) {
            if !t.is_empty() && !name.is_empty() {
                map.insert(t.to_owned(), name.to_owned());
            }
        }
    }
    map
}
