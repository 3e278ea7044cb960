//! brat standoff: `NAME.txt` (the text, UTF-8, as it is) and `NAME.ann` per document, plus
//! `annotation.conf` and `visual.conf` made from the schema, so the folder opens in brat as it is.
//!
//! - `T1\tclaim 12 40\tthe covered text` per span, offsets in code points (or `--offsets`).
//! - brat's text field cannot hold a line break, so a span that crosses one is written as brat's
//!   discontinuous fragments, `T2\tclaim 3 10;11 20\tfirst line second line` (the line breaks cut
//!   out, the fragments' texts joined by one space, as brat itself writes them). `gloss import`
//!   joins the fragments back into one span from the first start to the last end.
//!   Line breaks at the very start or end of a span cannot be written this way and are left out
//!   of it (a span of nothing but line breaks keeps its range, its text written with spaces).
//! - `R1\tsaid Arg1:T3 Arg2:T5` per relation, `#1\tAnnotatorNotes T1\tnote` per span note (line
//!   breaks in notes become spaces).
//! - brat type names may hold only letters, digits, `-` and `_`: other characters become `_`
//!   (and a number is added if two labels collide); `visual.conf` maps each type back to the
//!   label's full name, and `gloss import` reads that mapping.

use crate::model::hashing::{HashMap, HashSet};
use std::collections::BTreeMap;
use std::io::{self, Write};

use super::offsets::OffsetWriter;
use super::options::ExportOptions;
use crate::model::{Document, Schema};

/// Characters that end a line for brat or for Python's `str.splitlines`.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// brat type names for the schema's labels and relation types.
#[derive(Clone, Debug, Default)]
pub struct TypeNames {
    names: HashMap<String, String>,
}

impl TypeNames {
    /// Names every label and relation type of `schema`, unique, in brat's alphabet.
    pub fn new(schema: &Schema) -> Self {
        let mut names = HashMap::default();
        let mut used = HashSet::default();
        let all = schema.labels.iter().map(|l| &l.name).chain(schema.relations.iter().map(|r| &r.name));
        for name in all {
            let base: String =
                name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
            let base = if base.is_empty() { "label".to_owned() } else { base };
            let mut candidate = base.clone();
            let mut n = 2;
            while !used.insert(candidate.clone()) {
                candidate = format!("{base}_{n}");
                n += 1;
            }
            names.insert(name.clone(), candidate);
        }
        Self { names }
    }

    /// The brat type of a label or relation type (its own name if the schema does not know it).
    pub fn get<'a>(&'a self, name: &'a str) -> &'a str {
        self.names.get(name).map_or(name, String::as_str)
    }
}

/// Writes one document's `.ann`; returns the number of spans written.
pub fn write_ann(w: &mut impl Write, doc: &Document, opts: &ExportOptions, types: &TypeNames) -> io::Result<usize> {
    let offsets = OffsetWriter::new(opts.offsets, &doc.text);
    let mut t_of: BTreeMap<u64, usize> = BTreeMap::new();
    let mut notes = 0usize;
    for (i, span) in opts.spans(doc).enumerate() {
        let t = i + 1;
        t_of.insert(span.id, t);
        let fragments = fragments(doc, span.start, span.end);
        write!(w, "T{t}\t{}", types.get(&span.label))?;
        let mut texts = Vec::with_capacity(fragments.len());
        for (k, (start, end)) in fragments.iter().enumerate() {
            let sep = if k == 0 { ' ' } else { ';' };
            write!(w, "{sep}{} {}", offsets.convert(*start), offsets.convert(*end))?;
            texts.push(doc.text.slice(*start..*end).unwrap_or_default());
        }
        let joined = texts.join(" ");
        // Only a span of nothing but line breaks still has one here: brat's line cannot hold them.
        let joined = if joined.contains(is_line_break) { joined.replace(is_line_break, " ") } else { joined };
        writeln!(w, "\t{joined}")?;
        if let Some(note) = &span.note {
            notes += 1;
            let note: String = note.chars().map(|c| if is_line_break(c) || c == '\t' { ' ' } else { c }).collect();
            writeln!(w, "#{notes}\tAnnotatorNotes T{t}\t{note}")?;
        }
    }
    let mut r = 0usize;
    for rel in &doc.relations {
        if let (Some(from), Some(to)) = (t_of.get(&rel.from), t_of.get(&rel.to)) {
            r += 1;
            writeln!(w, "R{r}\t{} Arg1:T{from} Arg2:T{to}", types.get(&rel.label))?;
        }
    }
    Ok(t_of.len())
}

/// The span `start..end` (code points) cut at line breaks, each piece without them; pieces left
/// empty are dropped. A span of only line breaks keeps its whole range (brat will show it oddly,
/// but it is not lost).
fn fragments(doc: &Document, start: usize, end: usize) -> Vec<(usize, usize)> {
    let Some(text) = doc.text.slice(start..end) else { return vec![(start, end)] };
    if !text.contains(is_line_break) {
        return vec![(start, end)];
    }
    let mut out = Vec::new();
    let mut piece_start = None;
    for (i, c) in text.chars().enumerate() {
        match (is_line_break(c), piece_start) {
            (true, Some(s)) => {
                out.push((start + s, start + i));
                piece_start = None;
            }
            (false, None) => piece_start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = piece_start {
        out.push((start + s, end));
    }
    if out.is_empty() { vec![(start, end)] } else { out }
}

/// `annotation.conf`: entities, relations (with the labels each end allows; any entity when the
/// schema allows any), and an `<OVERLAP>` rule, since Gloss spans may overlap freely.
pub fn annotation_conf(schema: &Schema, opts: &ExportOptions, types: &TypeNames) -> String {
    let mut s = String::from("# Made by Gloss from the project's schema.\n[entities]\n");
    for label in schema.labels.iter().filter(|l| opts.keeps_label(&l.name)) {
        s.push_str(types.get(&label.name));
        s.push('\n');
    }
    s.push_str("\n[relations]\n");
    let ends = |labels: &[String]| {
        let kept: Vec<&str> = labels.iter().filter(|l| opts.keeps_label(l)).map(|l| types.get(l)).collect();
        if kept.is_empty() { "<ENTITY>".to_owned() } else { kept.join("|") }
    };
    for rel in &schema.relations {
        s.push_str(&format!("{}\tArg1:{}, Arg2:{}\n", types.get(&rel.name), ends(&rel.from), ends(&rel.to)));
    }
    s.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n");
    s
}

/// `visual.conf`: each type's full name and colour.
pub fn visual_conf(schema: &Schema, types: &TypeNames) -> String {
    let mut s = String::from("# Made by Gloss from the project's schema.\n[labels]\n");
    for name in schema.labels.iter().map(|l| &l.name).chain(schema.relations.iter().map(|r| &r.name)) {
        s.push_str(&format!("{} | {}\n", types.get(name), name.replace('|', "/")));
    }
    s.push_str("\n[drawing]\n");
    for label in &schema.labels {
        s.push_str(&format!("{}\tbgColor:{}\n", types.get(&label.name), label.color));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Relation, Span};

    #[test]
    fn ann_by_hand_with_a_span_over_a_line_break() {
        // "Ayşe said:\n“Close it”\n😀 کراچی" — A0 y1 ş2 e3 _4 s5 a6 i7 d8 :9 \n10 “11 C12..t19 ”20
        // \n21 😀22 _23 ک24..ی28.
        let mut doc = Document::new("d1", "t", "Ayşe said:\n“Close it”\n😀 کراچی");
        doc.spans = vec![
            Span::new(1, 0, 4, "speaker"),
            Span { note: Some("two\nlines".into()), ..Span::new(2, 5, 21, "claim") },
            Span::new(3, 24, 29, "location"),
        ];
        doc.relations = vec![Relation { id: 1, label: "said".into(), from: 1, to: 2 }];
        let schema = Schema::default_news();
        let types = TypeNames::new(&schema);
        let mut out = Vec::new();
        write_ann(&mut out, &doc, &ExportOptions::default(), &types).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "T1\tspeaker 0 4\tAyşe\n\
             T2\tclaim 5 10;11 21\tsaid: “Close it”\n\
             #1\tAnnotatorNotes T2\ttwo lines\n\
             T3\tlocation 24 29\tکراچی\n\
             R1\tsaid Arg1:T1 Arg2:T2\n"
        );
    }

    #[test]
    fn labels_with_spaces_get_brat_names() {
        let mut schema = Schema::default_news();
        schema.labels[0].name = "named place".into();
        schema.labels[1].name = "named_place".into();
        let types = TypeNames::new(&schema);
        assert_eq!(types.get("named place"), "named_place");
        assert_eq!(types.get("named_place"), "named_place_2");
        assert!(visual_conf(&schema, &types).contains("named_place | named place\n"));
    }
}
