//! Writes a project as RON, laid out for diffs: one span, relation or label per line, spans in
//! (start, end, id) order, relations in id order.
//!
//! Written by hand rather than with `ron::ser`: the layout is ours to fix, and strings stay
//! readable (ron's serializer escapes every combining mark, which would bury Hindi or Urdu text
//! under `\u{94d}` escapes).

use std::io::{self, Write};

use crate::model::{Document, Project, Relation, Schema, Snapshot, Span};

use super::file::{FORMAT, VERSION};

/// Writes `project` in the project file format to `w`.
pub fn write_project<W: Write>(w: &mut W, project: &Project) -> io::Result<()> {
    write_parts(w, &project.name, &project.schema, project.documents.iter())
}

/// Writes a [`Snapshot`] of a project: the same bytes as [`write_project`] on the project.
pub fn write_snapshot<W: Write>(w: &mut W, snapshot: &Snapshot) -> io::Result<()> {
    write_parts(w, &snapshot.name, &snapshot.schema, snapshot.documents.iter().map(|d| &**d))
}

fn write_parts<'a, W: Write>(
    w: &mut W,
    name: &str,
    schema_: &Schema,
    documents: impl Iterator<Item = &'a Document>,
) -> io::Result<()> {
    w.write_all(b"(\n")?;
    w.write_all(b"    format: ")?;
    string(w, FORMAT)?;
    writeln!(w, ",\n    version: {VERSION},")?;
    w.write_all(b"    name: ")?;
    string(w, name)?;
    w.write_all(b",\n")?;
    schema(w, schema_)?;
    w.write_all(b"    documents: [\n")?;
    for doc in documents {
        document(w, doc)?;
    }
    w.write_all(b"    ],\n)\n")
}

/// Writes `project` into a new string.
pub fn to_string(project: &Project) -> String {
    let mut out = Vec::with_capacity(project.documents.iter().map(|d| d.text.len_bytes() * 2).sum());
    // Writing into a Vec cannot fail, and what is written is UTF-8 by construction.
    let _infallible = write_project(&mut out, project);
    String::from_utf8(out).unwrap_or_default()
}

fn schema<W: Write>(w: &mut W, schema: &Schema) -> io::Result<()> {
    w.write_all(b"    schema: (\n        labels: [\n")?;
    for label in &schema.labels {
        w.write_all(b"            (name: ")?;
        string(w, &label.name)?;
        write!(w, ", color: \"{}\"", label.color)?;
        if let Some(key) = label.key {
            w.write_all(b", key: ")?;
            string(w, key.encode_utf8(&mut [0; 4]))?;
        }
        w.write_all(b", description: ")?;
        string(w, &label.description)?;
        w.write_all(b"),\n")?;
    }
    w.write_all(b"        ],\n        relations: [\n")?;
    for kind in &schema.relations {
        w.write_all(b"            (name: ")?;
        string(w, &kind.name)?;
        w.write_all(b", from: ")?;
        string_list(w, &kind.from)?;
        w.write_all(b", to: ")?;
        string_list(w, &kind.to)?;
        w.write_all(b"),\n")?;
    }
    w.write_all(b"        ],\n")?;
    // Written only when there are some, so projects without doc labels keep their old bytes.
    if !schema.doc_labels.is_empty() {
        w.write_all(b"        doc_labels: [\n")?;
        for def in &schema.doc_labels {
            w.write_all(b"            (name: ")?;
            string(w, &def.name)?;
            w.write_all(b", values: ")?;
            string_list(w, &def.values)?;
            if let Some(key) = def.key {
                w.write_all(b", key: ")?;
                string(w, key.encode_utf8(&mut [0; 4]))?;
            }
            w.write_all(b", description: ")?;
            string(w, &def.description)?;
            w.write_all(b"),\n")?;
        }
        w.write_all(b"        ],\n")?;
    }
    w.write_all(b"    ),\n")
}

fn document<W: Write>(w: &mut W, doc: &Document) -> io::Result<()> {
    w.write_all(b"        (\n            id: ")?;
    string(w, &doc.id)?;
    w.write_all(b",\n            title: ")?;
    string(w, &doc.title)?;
    w.write_all(b",\n")?;
    if let Some(source) = &doc.source {
        w.write_all(b"            source: Some(")?;
        string(w, source)?;
        w.write_all(b"),\n")?;
    }
    writeln!(w, "            status: {:?},", doc.status)?;
    if let Some(note) = &doc.note {
        w.write_all(b"            note: Some(")?;
        string(w, note)?;
        w.write_all(b"),\n")?;
    }
    if !doc.meta.is_empty() {
        w.write_all(b"            meta: {\n")?;
        for (key, value) in &doc.meta {
            w.write_all(b"                ")?;
            string(w, key)?;
            w.write_all(b": ")?;
            string(w, value)?;
            w.write_all(b",\n")?;
        }
        w.write_all(b"            },\n")?;
    }
    if !doc.doc_labels.is_empty() {
        // On one line: a document has a handful at most, and a changed value is a one-line diff.
        w.write_all(b"            doc_labels: {")?;
        for (i, (name, value)) in doc.doc_labels.iter().enumerate() {
            if i > 0 {
                w.write_all(b", ")?;
            }
            string(w, name)?;
            w.write_all(b": ")?;
            string(w, value)?;
        }
        w.write_all(b"},\n")?;
    }
    w.write_all(b"            text: ")?;
    string(w, doc.text.as_str())?;
    w.write_all(b",\n            spans: [\n")?;
    for s in &doc.spans {
        span(w, doc, s)?;
    }
    w.write_all(b"            ],\n            relations: [\n")?;
    let mut relations: Vec<&Relation> = doc.relations.iter().collect();
    relations.sort_by_key(|r| r.id);
    for r in relations {
        write!(w, "                (id: {}, label: ", r.id)?;
        string(w, &r.label)?;
        writeln!(w, ", from: {}, to: {}),", r.from, r.to)?;
    }
    w.write_all(b"            ],\n")?;
    // Written only when there are some, so files without suggestions keep their layout.
    if !doc.suggestions.is_empty() {
        w.write_all(b"            suggestions: [\n")?;
        for s in &doc.suggestions {
            span(w, doc, s)?;
        }
        w.write_all(b"            ],\n")?;
    }
    // The same for the memory of rejected suggestions: one (start, end, label) per line.
    if !doc.rejected.is_empty() {
        w.write_all(b"            rejected: [\n")?;
        for r in &doc.rejected {
            write!(w, "                ({}, {}, ", r.start, r.end)?;
            string(w, &r.label)?;
            w.write_all(b"),\n")?;
        }
        w.write_all(b"            ],\n")?;
    }
    w.write_all(b"        ),\n")
}

fn span<W: Write>(w: &mut W, doc: &Document, s: &Span) -> io::Result<()> {
    write!(w, "                (id: {}, start: {}, end: {}, label: ", s.id, s.start, s.end)?;
    string(w, &s.label)?;
    if let Some(text) = doc.covered_text(s) {
        w.write_all(b", text: ")?;
        string(w, text)?;
    }
    if let Some(note) = &s.note {
        w.write_all(b", note: Some(")?;
        string(w, note)?;
        w.write_all(b")")?;
    }
    if let Some(annotator) = &s.annotator {
        w.write_all(b", annotator: Some(")?;
        string(w, annotator)?;
        w.write_all(b")")?;
    }
    w.write_all(b"),\n")
}

fn string_list<W: Write>(w: &mut W, items: &[String]) -> io::Result<()> {
    w.write_all(b"[")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            w.write_all(b", ")?;
        }
        string(w, item)?;
    }
    w.write_all(b"]")
}

/// Writes a RON string literal. Only `"`, `\` and control characters are escaped; every other
/// character is written as itself, so text in any script stays readable in the file.
fn string<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    w.write_all(b"\"")?;
    let mut clean_from = 0;
    for (i, ch) in s.char_indices() {
        let escape: Option<&[u8]> = match ch {
            '"' => Some(b"\\\""),
            '\\' => Some(b"\\\\"),
            '\n' => Some(b"\\n"),
            '\r' => Some(b"\\r"),
            '\t' => Some(b"\\t"),
            c if c.is_control() => None,
            _ => continue,
        };
        w.write_all(s.get(clean_from..i).unwrap_or_default().as_bytes())?;
        match escape {
            Some(e) => w.write_all(e)?,
            None => write!(w, "\\u{{{:x}}}", ch as u32)?,
        }
        clean_from = i + ch.len_utf8();
    }
    w.write_all(s.get(clean_from..).unwrap_or_default().as_bytes())?;
    w.write_all(b"\"")
}
