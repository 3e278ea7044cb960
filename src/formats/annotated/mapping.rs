//! From read documents to project documents: offsets converted and checked against each span's
//! text, labels mapped (`--map old=new`) or added to the schema, ids kept when free. Document-level
//! labels and values the schema lacks are added to it, as span labels are.

use crate::model::hashing::{HashMap, HashSet};

use super::incoming::{Incoming, IncomingSpan};
use crate::formats::export::{OffsetUnit, Utf16Index, is_line_break};
use crate::model::{
    DocLabelDef, Document, LabelDef, Project, Relation, RelationType, Schema, Span, Text, document_problems, name_fault,
};

/// The most labels an import may bring the schema to: a file with more is a wrong file (or needs
/// `--map`), and a schema that large would make every label lookup slow.
pub const MAX_LABELS: usize = 1000;

/// Label renames given with `--map old=new`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelMap(pub HashMap<String, String>);

impl LabelMap {
    /// Parses `old=new` items.
    pub fn parse(items: &[String]) -> Result<Self, String> {
        let mut map = HashMap::default();
        for item in items {
            let (old, new) = item.split_once('=').ok_or_else(|| format!("--map {item:?} is not OLD=NEW"))?;
            let (old, new) = (old.trim(), new.trim());
            if old.is_empty() || new.is_empty() {
                return Err(format!("--map {item:?}: both names must be non-empty"));
            }
            map.insert(old.to_owned(), new.to_owned());
        }
        Ok(Self(map))
    }

    fn apply<'a>(&'a self, label: &'a str) -> &'a str {
        self.0.get(label).map_or(label, String::as_str)
    }
}

/// The checked result of reading annotated files: what will be added to the project.
#[derive(Debug)]
pub struct Plan {
    /// The schema with any new labels and relation types.
    pub schema: Schema,
    /// Documents to append.
    pub documents: Vec<Document>,
    /// Things to tell the user (labels added, ids changed, offsets converted).
    pub notices: Vec<String>,
    /// With `--lenient`: spans and relations left out, each with why.
    pub skipped: Vec<String>,
}

impl Plan {
    /// Adds the planned documents and schema changes to `project`.
    pub fn apply(self, project: &mut Project) {
        project.schema = self.schema;
        project.documents.extend(self.documents);
    }
}

/// Checks every incoming document against `project` and plans the import. Without `lenient`, any
/// span whose offsets or text are wrong makes it fail with every problem listed; with `lenient`,
/// such spans are left out and listed in [`Plan::skipped`].
pub fn plan(project: &Project, incoming: Vec<Incoming>, map: &LabelMap, lenient: bool) -> Result<Plan, Vec<String>> {
    let mut schema = project.schema.clone();
    let mut notices = Vec::new();
    let mut problems = Vec::new();
    let mut used_ids: HashSet<String> = project.documents.iter().map(|d| d.id.clone()).collect();
    let mut documents = Vec::with_capacity(incoming.len());
    let mut next_number = 1u64;
    // Every label the schema has or the import adds, with a number of its own.
    let mut known_labels: HashMap<String, usize> =
        schema.labels.iter().enumerate().map(|(i, l)| (l.name.clone(), i)).collect();
    let mut known_relations: HashSet<String> = schema.relations.iter().map(|r| r.name.clone()).collect();
    for mut doc in incoming {
        let id = match doc.id.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
            Some(id) if !used_ids.contains(id) => id.to_owned(),
            proposed => {
                let fresh = loop {
                    let candidate = format!("d{next_number:04}");
                    next_number += 1;
                    if !used_ids.contains(&candidate) {
                        break candidate;
                    }
                };
                if let Some(p) = proposed {
                    notices.push(format!("{}: document id {p:?} is taken; imported as {fresh}", doc.place));
                }
                fresh
            }
        };
        used_ids.insert(id.clone());
        let title = doc.title.clone().unwrap_or_else(|| doc.place.clone());
        // Moved, not copied: the text may be hundreds of megabytes.
        let mut out = Document::new(id, title, Text::new(std::mem::take(&mut doc.text)));
        out.status = doc.status.unwrap_or_default();
        out.note = doc.note.clone();
        out.meta = doc.meta.clone();
        for (name, value) in &doc.doc_labels {
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() || value.is_empty() {
                problems.push(format!("{}: document label {name:?} = {value:?}: both must be non-empty", doc.place));
                continue;
            }
            if let Some(fault) = name_fault(name).or_else(|| name_fault(value)) {
                problems.push(format!("{}: document label {name:?} = {value:?}: {fault}", doc.place));
                continue;
            }
            add_doc_label_value(&mut schema, name, value, &mut notices);
            out.doc_labels.insert(name.to_owned(), value.to_owned());
        }
        let utf16 = (doc.unit == OffsetUnit::Utf16 || doc.try_utf16).then(|| Utf16Index::new(&out.text));
        let mut keys: HashMap<String, u64> = HashMap::default();
        let mut taken_ids: HashSet<u64> = HashSet::default();
        let mut pending: Vec<(Span, Option<String>)> = Vec::new();
        // Keys of duplicate spans, and the earlier span they stand for.
        let mut aliases: Vec<(String, usize)> = Vec::new();
        // Where each (start, end, label) went in `pending`, the label by its number in
        // `known_labels`: duplicates are found without a scan, and without a copy of each label.
        let mut placed: HashMap<(usize, usize, usize), usize> = HashMap::default();
        let mut converted_utf16 = 0usize;
        let mut merged = 0usize;
        // The first span each key names, with its offsets as the file gives them: a key is one
        // place in the text (Label Studio gives a region with two labels one id, and that is fine);
        // naming two places would send a relation to whichever came last.
        let mut key_places: HashMap<String, (usize, usize, usize)> = HashMap::default();
        // Taken by value: each span's strings move on into the project instead of being copied.
        for (n, span) in std::mem::take(&mut doc.spans).into_iter().enumerate() {
            let place = || format!("{}, span {} ({:?} at {}..{})", doc.place, n + 1, span.label, span.start, span.end);
            if let Some(key) = &span.key {
                match key_places.get(key) {
                    Some(&(start, end, first)) if (start, end) != (span.start, span.end) => {
                        problems.push(format!(
                            "{}: the id {key:?} is span {}'s already, at {start}..{end}; ids must name one place",
                            place(),
                            first + 1
                        ));
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        key_places.insert(key.clone(), (span.start, span.end, n));
                    }
                }
            }
            let (start, end) =
                match locate(&out.text, doc.unit, utf16.as_ref(), (doc.try_utf16, doc.line_breaks_as_spaces), &span) {
                    Ok((range, via_utf16)) => {
                        converted_utf16 += usize::from(via_utf16);
                        range
                    }
                    Err(why) => {
                        problems.push(format!("{}: {why}", place()));
                        continue;
                    }
                };
            let label = map.apply(&span.label).trim().to_owned();
            if label.is_empty() {
                problems.push(format!("{}: the label is empty", place()));
                continue;
            }
            if let Some(fault) = name_fault(&label) {
                problems.push(format!("{}: the label {label:?} {fault}", place()));
                continue;
            }
            let number = match known_labels.get(&label) {
                Some(&number) => number,
                None if known_labels.len() >= MAX_LABELS => {
                    problems.push(format!(
                        "{}: a label more than the {MAX_LABELS} a project can have; map labels together with --map",
                        place()
                    ));
                    continue;
                }
                None => {
                    let number = known_labels.len();
                    known_labels.insert(label.clone(), number);
                    notices.push(format!("label {label:?} is not in the schema; added"));
                    schema.labels.push(LabelDef {
                        name: label.clone(),
                        color: schema.next_color(),
                        key: schema.next_key(),
                        description: String::new(),
                    });
                    number
                }
            };
            if let Some(&earlier) = placed.get(&(start, end, number)) {
                // The first is named; the rest are counted (a file can repeat a span millions of times).
                merged += 1;
                if merged == 1 {
                    notices.push(format!("{}: same offsets and label as an earlier span; merged with it", place()));
                }
                if let Some(key) = span.key {
                    aliases.push((key, earlier));
                }
                continue;
            }
            let proposed = span.id.filter(|i| *i > 0 && !taken_ids.contains(i));
            let id = proposed.unwrap_or(0);
            taken_ids.insert(id);
            placed.insert((start, end, number), pending.len());
            let mut s = Span::new(id, start, end, label);
            s.note = span.note;
            s.annotator = span.annotator;
            pending.push((s, span.key));
        }
        if merged > 1 {
            notices.push(format!(
                "{}: {} more span(s) with the same offsets and label as an earlier one; merged",
                doc.place,
                merged - 1
            ));
        }
        if converted_utf16 > 0 && doc.try_utf16 {
            notices.push(format!(
                "{}: {converted_utf16} span(s) matched their text only as UTF-16 offsets (an older Label Studio); converted",
                doc.place
            ));
        }
        // Spans without a usable id get the next free ones (from 1 again after u64::MAX).
        let mut next = taken_ids.iter().copied().max().unwrap_or(0);
        for (span, key) in &mut pending {
            if span.id == 0 {
                loop {
                    next = next.checked_add(1).unwrap_or(1);
                    if taken_ids.insert(next) {
                        break;
                    }
                }
                span.id = next;
            }
            if let Some(key) = key {
                keys.insert(key.clone(), span.id);
            }
        }
        for (key, earlier) in aliases {
            if let Some((span, _)) = pending.get(earlier) {
                keys.insert(key, span.id);
            }
        }
        out.spans = pending.into_iter().map(|(s, _)| s).collect();
        out.spans.sort_by_key(Span::sort_key);
        for (n, rel) in doc.relations.iter().enumerate() {
            let place = format!("{}, relation {} ({:?})", doc.place, n + 1, rel.label);
            let (Some(&from), Some(&to)) = (keys.get(&rel.from), keys.get(&rel.to)) else {
                problems.push(format!(
                    "{place}: links span {:?} to span {:?}, and one of them is not imported",
                    rel.from, rel.to
                ));
                continue;
            };
            let label = rel.label.trim().to_owned();
            if let Some(fault) = name_fault(&label) {
                problems.push(format!("{place}: the relation type {label:?} {fault}"));
                continue;
            }
            if !known_relations.contains(&label) {
                if known_relations.len() >= MAX_LABELS {
                    problems.push(format!("{place}: a relation type more than the {MAX_LABELS} a project can have"));
                    continue;
                }
                known_relations.insert(label.clone());
                notices.push(format!("relation type {label:?} is not in the schema; added (between any labels)"));
                schema.relations.push(RelationType { name: label.clone(), from: Vec::new(), to: Vec::new() });
            }
            // Relations are numbered 1, 2, 3... in the order read (no scan for the next free id).
            let id = out.relations.len() as u64 + 1;
            out.relations.push(Relation { id, label, from, to });
        }
        // The same rules the model enforces everywhere; anything left here is reported, not added.
        let mut rule_problems = Vec::new();
        document_problems(&schema, &out, &mut rule_problems);
        if !rule_problems.is_empty() {
            let bad_spans: HashSet<u64> = rule_problems.iter().filter_map(|p| p.place.span).collect();
            let bad_relations: HashSet<u64> = rule_problems.iter().filter_map(|p| p.place.relation).collect();
            for p in &rule_problems {
                problems.push(format!("{}: {p}", doc.place));
            }
            out.spans.retain(|s| !bad_spans.contains(&s.id));
            out.relations.retain(|r| {
                !bad_relations.contains(&r.id) && !bad_spans.contains(&r.from) && !bad_spans.contains(&r.to)
            });
        }
        documents.push(out);
    }
    dedup(&mut notices);
    if !problems.is_empty() && !lenient {
        return Err(problems);
    }
    Ok(Plan { schema, documents, notices, skipped: problems })
}

/// Makes sure the schema has doc label `name` with `value`, adding what is missing with a notice.
fn add_doc_label_value(schema: &mut Schema, name: &str, value: &str, notices: &mut Vec<String>) {
    let key = schema.next_doc_label_key();
    match schema.doc_labels.iter_mut().find(|d| d.name == name) {
        Some(def) if def.allows(value) => {}
        Some(def) => {
            notices.push(format!("document label {name:?} has no value {value:?} in the schema; added"));
            def.values.push(value.to_owned());
        }
        None => {
            notices.push(format!("document label {name:?} is not in the schema; added with value {value:?}"));
            schema.doc_labels.push(DocLabelDef {
                name: name.to_owned(),
                values: vec![value.to_owned()],
                key,
                description: String::new(),
            });
        }
    }
}

fn dedup(notices: &mut Vec<String>) {
    let keep: Vec<bool> = {
        let mut seen = HashSet::default();
        notices.iter().map(|n| seen.insert(n.as_str())).collect()
    };
    let mut keep = keep.into_iter();
    notices.retain(|_| keep.next().unwrap_or(true));
}

/// The span's code point range, checked against its text when the file gives one; and whether it
/// was found by reading the offsets as UTF-16.
fn locate(
    text: &Text,
    unit: OffsetUnit,
    utf16: Option<&Utf16Index>,
    (try_utf16, line_breaks_as_spaces): (bool, bool),
    span: &IncomingSpan,
) -> Result<((usize, usize), bool), String> {
    let range = convert(text, unit, utf16, span)?;
    if span.text.is_none() && span.fragments.len() <= 1 {
        // Nothing to check the offsets against (CoNLL, most JSONL): no copy of the text taken.
        return Ok((range, false));
    }
    let found = covered(text, range, span, unit, utf16).map(|f| {
        if line_breaks_as_spaces && f.contains(is_line_break) {
            f.chars().map(|c| if is_line_break(c) { ' ' } else { c }).collect()
        } else {
            f
        }
    });
    match (&span.text, found) {
        (None, Ok(_)) => Ok((range, false)),
        (Some(expected), Ok(found)) if *expected == found => Ok((range, false)),
        (expected, found) => {
            if try_utf16 {
                if let Ok(r) = convert(text, OffsetUnit::Utf16, utf16, span) {
                    if let Ok(f) = covered(text, r, span, OffsetUnit::Utf16, utf16) {
                        if expected.as_deref() == Some(f.as_str()) {
                            return Ok((r, true));
                        }
                    }
                }
            }
            let found = found?;
            Err(format!(
                "the file says the text is {:?}, but the offsets cover {found:?}",
                expected.as_deref().unwrap_or_default()
            ))
        }
    }
}

fn convert(
    text: &Text,
    unit: OffsetUnit,
    utf16: Option<&Utf16Index>,
    span: &IncomingSpan,
) -> Result<(usize, usize), String> {
    let one = |offset: usize| -> Result<usize, String> {
        match unit {
            OffsetUnit::Chars => Ok(offset),
            OffsetUnit::Bytes => text
                .byte_to_char(offset)
                .ok_or_else(|| format!("byte offset {offset} is inside a character or past the end")),
            OffsetUnit::Utf16 => match utf16 {
                Some(ix) => ix.from_utf16(offset).map_err(|e| e.to_string()),
                None => Ok(offset),
            },
        }
    };
    let (start, end) = (one(span.start)?, one(span.end)?);
    if start >= end {
        return Err(format!("the span is empty or reversed ({start}..{end})"));
    }
    if end > text.len_chars() {
        return Err(format!("the span reaches past the end of the text ({} code points)", text.len_chars()));
    }
    Ok((start, end))
}

/// The text at `range`, or for fragments, their texts joined by a space.
fn covered(
    text: &Text,
    range: (usize, usize),
    span: &IncomingSpan,
    unit: OffsetUnit,
    utf16: Option<&Utf16Index>,
) -> Result<String, String> {
    if span.fragments.len() > 1 {
        let mut parts = Vec::with_capacity(span.fragments.len());
        for &(s, e) in &span.fragments {
            let piece = IncomingSpan { start: s, end: e, ..IncomingSpan::default() };
            let (s, e) = convert(text, unit, utf16, &piece)?;
            parts.push(text.slice(s..e).unwrap_or_default().to_owned());
        }
        return Ok(parts.join(" "));
    }
    Ok(text.slice(range.0..range.1).unwrap_or_default().to_owned())
}
