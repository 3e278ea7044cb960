//! Property tests: project → each format → import → project keeps texts and spans (issue 4).
//! CoNLL: on non-overlapping spans, with texts as rebuilt from tokens.

use std::path::Path;

use gloss::formats::annotated::{self, AnnotatedOptions, LabelMap};
use gloss::formats::export::{self, ExportFormat, ExportOptions, OffsetUnit, is_line_break};
use gloss::model::{DocLabelDef, Document, LabelDef, Project, Relation, Span};
use proptest::prelude::*;

/// Pieces texts are made of: the hard cases (curly quotes glued to words, accents, emoji, Urdu,
/// line breaks of several kinds, tabs).
const PIECES: &[&str] = &[
    "the",
    " ",
    " ",
    "governor",
    "“",
    "”",
    "could",
    "é",
    "Zoë",
    "😀",
    "👨‍👩‍👧",
    "کراچی",
    "नमस्ते",
    "\n",
    "\n\n",
    ".",
    ",",
    "\t",
    "\r\n",
    "\u{2028}",
    "'s",
    "14",
    "€",
];
/// The default schema's labels, and one with a space (a CoNLL tag cannot hold one).
const LABELS: [&str; 5] = ["claim", "threat", "speaker", "location", "armed group"];
/// Document-level labels and their values, with quotes, spaces and non-Latin script.
const DOC_LABELS: [(&str, [&str; 3]); 2] =
    [("escalation", ["yes", "no", "unclear “so far”"]), ("stance of کراچی", ["pro", "anti", "نہیں"])];

fn arb_project(overlaps: bool) -> impl Strategy<Value = Project> {
    let doc = (
        proptest::collection::vec(0..PIECES.len(), 1..40),
        proptest::collection::vec(
            (0usize..200, 1usize..25, 0..LABELS.len(), proptest::option::of("[a-z ]{1,6}")),
            0..10,
        ),
        // A value index per doc label; 3 leaves it unset.
        (0usize..4, 0usize..4),
    );
    proptest::collection::vec(doc, 1..4).prop_map(move |docs| {
        let mut p = Project::new("roundtrip");
        p.schema.labels.push(LabelDef {
            name: "armed group".into(),
            color: p.schema.next_color(),
            key: p.schema.next_key(),
            description: String::new(),
        });
        p.schema.doc_labels = DOC_LABELS
            .iter()
            .map(|(name, values)| DocLabelDef {
                name: (*name).to_owned(),
                values: values.iter().map(|v| (*v).to_owned()).collect(),
                key: None,
                description: String::new(),
            })
            .collect();
        for (i, (pieces, spans, (a, b))) in docs.into_iter().enumerate() {
            let text: String = pieces.iter().map(|&k| PIECES[k]).collect();
            let mut d = Document::new(format!("d{i:04}"), format!("Doc {i}"), text);
            for ((name, values), pick) in DOC_LABELS.iter().zip([a, b]) {
                if let Some(value) = values.get(pick) {
                    d.doc_labels.insert((*name).to_owned(), (*value).to_owned());
                }
            }
            let len = d.text.len_chars();
            let mut next_id = 1;
            for (start, width, label, note) in spans {
                let start = start % len;
                let end = (start + width).min(len);
                if start >= end || d.find_exact(start, end, LABELS[label]).is_some() {
                    continue;
                }
                if !overlaps && d.spans.iter().any(|s| s.start < end && start < s.end) {
                    continue;
                }
                d.spans.push(Span { note, ..Span::new(next_id, start, end, LABELS[label]) });
                d.spans.sort_by_key(Span::sort_key);
                next_id += 1;
            }
            let speaker = d.spans.iter().find(|s| s.label == "speaker").map(|s| s.id);
            let claim = d.spans.iter().find(|s| s.label == "claim").map(|s| s.id);
            if let (Some(from), Some(to)) = (speaker, claim) {
                d.relations.push(Relation { id: 1, label: "said".into(), from, to });
            }
            p.documents.push(d);
        }
        p
    })
}

fn export_import(p: &Project, format: ExportFormat, opts: &ExportOptions) -> Project {
    export_import_named(p, format, opts, "out")
}

/// Exports `p` and imports the result into a new project, mapping back the labels the export
/// reports it wrote under other names.
fn export_import_named(p: &Project, format: ExportFormat, opts: &ExportOptions, name: &str) -> Project {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join(name);
    let report = export::export(p, format, &out, opts).expect("export");
    let map = LabelMap(report.renamed_tags.into_iter().map(|(label, tag)| (tag, label)).collect());
    let mut back = Project::new("back");
    annotated::import_annotated(&mut back, &[out], &AnnotatedOptions { map, ..AnnotatedOptions::default() })
        .unwrap_or_else(|e| panic!("import: {e}"));
    back
}

type SpanKey = (usize, usize, String, Option<String>);

fn spans(d: &Document) -> Vec<SpanKey> {
    let mut v: Vec<SpanKey> = d.spans.iter().map(|s| (s.start, s.end, s.label.clone(), s.note.clone())).collect();
    // Ids may be renumbered on the way back: compare by place and label.
    v.sort();
    v
}

fn relations(d: &Document) -> Vec<(String, SpanKey, SpanKey)> {
    let key = |id| d.span(id).map(|s| (s.start, s.end, s.label.clone(), s.note.clone())).expect("span");
    let mut v: Vec<_> = d.relations.iter().map(|r| (r.label.clone(), key(r.from), key(r.to))).collect();
    v.sort();
    v
}

fn same_texts_spans_relations(a: &Project, b: &Project, notes: bool) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.documents.len(), b.documents.len());
    for (x, y) in a.documents.iter().zip(&b.documents) {
        prop_assert_eq!(&x.id, &y.id);
        prop_assert_eq!(x.text.as_str(), y.text.as_str());
        let strip = |mut v: Vec<SpanKey>| {
            if !notes {
                v.iter_mut().for_each(|s| s.3 = None);
            }
            v
        };
        prop_assert_eq!(strip(spans(x)), strip(spans(y)));
        if notes {
            prop_assert_eq!(relations(x), relations(y));
        }
    }
    Ok(())
}

/// What brat can carry: line breaks at a span's edges are left out (unless it is nothing else), and
/// spans that then coincide become one.
fn brat_trimmed(p: &Project) -> Project {
    let mut p = p.clone();
    for d in &mut p.documents {
        let mut kept: Vec<Span> = Vec::new();
        let mut alias = std::collections::HashMap::new();
        for s in &d.spans {
            let chars: Vec<char> = d.text.slice(s.start..s.end).unwrap().chars().collect();
            let lead = chars.iter().take_while(|c| is_line_break(**c)).count();
            let trail = chars.iter().rev().take_while(|c| is_line_break(**c)).count();
            let (start, end) = if lead == chars.len() { (s.start, s.end) } else { (s.start + lead, s.end - trail) };
            match kept.iter().find(|k| (k.start, k.end, &k.label) == (start, end, &s.label)) {
                Some(k) => {
                    alias.insert(s.id, k.id);
                }
                None => kept.push(Span { start, end, ..s.clone() }),
            }
        }
        kept.sort_by_key(Span::sort_key);
        d.spans = kept;
        for r in &mut d.relations {
            r.from = *alias.get(&r.from).unwrap_or(&r.from);
            r.to = *alias.get(&r.to).unwrap_or(&r.to);
        }
    }
    p
}

fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn jsonl_round_trip_is_identity(p in arb_project(true)) {
        let back = export_import(&p, ExportFormat::Jsonl, &ExportOptions::default());
        same_texts_spans_relations(&p, &back, true)?;
        for d in &back.documents {
            let original = &p.documents[p.document_index(&d.id).unwrap()];
            prop_assert_eq!(d.title.as_str(), original.title.as_str());
            // Doc labels come back, and the schema gains the defs and values that were used.
            prop_assert_eq!(&d.doc_labels, &original.doc_labels);
        }
        prop_assert!(back.problems().is_empty(), "{:?}", back.problems());
    }

    #[test]
    fn jsonl_in_utf16_and_bytes_round_trips(p in arb_project(true)) {
        for unit in [OffsetUnit::Utf16, OffsetUnit::Bytes] {
            let back = export_import(&p, ExportFormat::Jsonl, &ExportOptions { offsets: unit, ..Default::default() });
            same_texts_spans_relations(&p, &back, true)?;
        }
    }

    #[test]
    fn brat_round_trip_keeps_texts_spans_and_relations(p in arb_project(true)) {
        let back = export_import(&p, ExportFormat::Brat, &ExportOptions::default());
        same_texts_spans_relations(&brat_trimmed(&p), &back, true)?;
    }

    #[test]
    fn conll_round_trip_keeps_every_non_overlapping_span(p in arb_project(false)) {
        let back = export_import_named(&p, ExportFormat::Conll, &ExportOptions::default(), "out.conll");
        prop_assert_eq!(back.documents.len(), p.documents.len());
        for (x, y) in p.documents.iter().zip(&back.documents) {
            prop_assert_eq!(without_whitespace(x.text.as_str()), without_whitespace(y.text.as_str()));
            let expected: Vec<(String, String)> = x.spans.iter()
                .map(|s| (without_whitespace(x.covered_text(s).unwrap()), s.label.clone()))
                .filter(|(t, _)| !t.is_empty())
                .collect();
            let found: Vec<(String, String)> = y.spans.iter()
                .map(|s| (without_whitespace(y.covered_text(s).unwrap()), s.label.clone()))
                .collect();
            prop_assert_eq!(expected, found);
        }
    }
}

#[test]
fn hf_rows_carry_the_same_tokens_and_tags_as_conll() {
    let mut p = Project::new("p");
    let mut d = Document::new("d1", "t", "He could“completely end it.\nZoë left کراچی.");
    d.spans = vec![Span::new(1, 9, 26, "claim"), Span::new(2, 28, 31, "speaker"), Span::new(3, 37, 42, "location")];
    p.documents.push(d);
    let dir = tempfile::tempdir().expect("temp dir");
    export::export(&p, ExportFormat::Hf, &dir.path().join("hf"), &ExportOptions::default()).expect("hf");
    export::export(&p, ExportFormat::Conll, &dir.path().join("c.conll"), &ExportOptions::default()).expect("conll");
    let rows = std::fs::read_to_string(dir.path().join("hf/data.jsonl")).expect("rows");
    let conll = std::fs::read_to_string(dir.path().join("c.conll")).expect("conll");
    let mut from_hf = Vec::new();
    for row in rows.lines() {
        let v: serde_json::Value = serde_json::from_str(row).expect("json");
        let tokens = v["tokens"].as_array().expect("tokens");
        let tags = v["ner_tags"].as_array().expect("tags");
        assert_eq!(tokens.len(), tags.len());
        for (t, g) in tokens.iter().zip(tags) {
            from_hf.push(format!("{} {}", t.as_str().unwrap(), g.as_str().unwrap()));
        }
    }
    let from_conll: Vec<String> =
        conll.lines().filter(|l| !l.is_empty() && !l.starts_with("-DOCSTART-")).map(str::to_owned).collect();
    assert_eq!(from_hf, from_conll);
    assert!(from_hf.contains(&"completely B-claim".to_owned()) && from_hf.contains(&"کراچی B-location".to_owned()));
    let labels: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("hf/labels.json")).unwrap()).unwrap();
    assert_eq!(labels[..3], ["O", "B-claim", "I-claim"]);
    assert!(Path::new(&dir.path().join("hf/labels.json")).exists());
}
