//! Gloss JSONL (what `gloss export --format jsonl` writes) and the Prodigy/spaCy shape
//! `{"text": …, "spans": [{"start", "end", "label"}]}`: one document per line, code point offsets
//! unless the line says `"offsets": "bytes"` or `"utf16"`. A span's `text`, when present, is checked.
//! `doc_labels` (`{"escalation": "yes"}`) sets document-level labels. spaCy's text categories
//! (`"cats": {"ESCALATION": 1.0, "CALM": 0.0}`) become one yes/no document label per category:
//! `yes` for a score of 0.5 or more (or `true`), `no` below; `doc_labels` wins where both name one.

use super::incoming::{Fields, Incoming, IncomingRelation, IncomingSpan, kind, meta_from, read_lines, status_from};
use super::json::{Json, Keep};
use crate::formats::export::OffsetUnit;

/// The fields this reader uses; every other one is skipped while parsing.
const KEEP: Keep = Keep {
    keys: &[
        "offsets",
        "status",
        "id",
        "title",
        "note",
        "text",
        "spans",
        "relations",
        "start",
        "end",
        "label",
        "annotator",
        "from",
        "to",
    ],
    whole: &["meta", "doc_labels", "cats"],
};

/// Reads every non-blank line of `text` (the file `name`) as one document.
pub fn read(name: &str, text: &str) -> Result<Vec<Incoming>, String> {
    read_lines(name, text, crate::store::MAX_PROJECT_SPANS, KEEP, document)
}

/// One document object of Gloss JSONL or the Prodigy/spaCy shape.
fn document(place: String, value: Json) -> Result<Incoming, String> {
    let mut f = Fields::new(place.clone(), value)?;
    let unit = match f.opt_string("offsets")? {
        None => OffsetUnit::Chars,
        Some(u) => u.parse().map_err(|e| format!("{place}: \"offsets\": {e}"))?,
    };
    let status = match f.opt_string("status")? {
        None => None,
        Some(s) => Some(
            status_from(&s)
                .ok_or_else(|| format!("{place}: unknown status {s:?} (todo, in progress, done, skipped)"))?,
        ),
    };
    let mut doc = Incoming {
        id: f.opt_string("id")?,
        title: f.opt_string("title")?,
        status,
        note: f.opt_string("note")?,
        text: f.string("text")?,
        meta: meta_from(f.get("meta")),
        doc_labels: cats(&f)?.into_iter().chain(f.string_map("doc_labels")?).collect(),
        unit,
        ..Incoming::default()
    };
    let spans = f.array("spans")?;
    doc.spans.reserve_exact(spans.len());
    for (i, span) in spans.into_iter().enumerate() {
        let mut s = Fields::new(format!("{place}, span {}", i + 1), span)?;
        let id = match s.get("id") {
            Some(v) => v.as_u64(),
            None => None,
        };
        doc.spans.push(IncomingSpan {
            key: s.opt_string("id")?,
            id,
            start: s.offset("start")?,
            end: s.offset("end")?,
            label: s.string("label")?,
            text: s.opt_string("text")?,
            note: s.opt_string("note")?,
            annotator: s.opt_string("annotator")?,
            ..IncomingSpan::default()
        });
    }
    for (i, rel) in f.array("relations")?.into_iter().enumerate() {
        let mut r = Fields::new(format!("{place}, relation {}", i + 1), rel)?;
        // Prodigy's relations name tokens ("head", "child"), not spans: they cannot be mapped.
        let (Some(from), Some(to)) = (r.opt_string("from")?, r.opt_string("to")?) else {
            return Err(format!("{}: a relation needs \"from\" and \"to\" span ids", r.place));
        };
        doc.relations.push(IncomingRelation { label: r.string("label")?, from, to });
    }
    doc.place = place;
    Ok(doc)
}

/// spaCy's `cats` as yes/no doc labels.
fn cats(f: &Fields) -> Result<Vec<(String, String)>, String> {
    let Some(value) = f.get("cats") else { return Ok(Vec::new()) };
    let Json::Object(_) = value else {
        return Err(format!("{}: \"cats\" must be an object of scores, found {}", f.place, kind(value)));
    };
    value
        .entries()
        .into_iter()
        .map(|(name, score)| {
            let yes = match score {
                Json::Bool(b) => *b,
                Json::Number(n) => n.as_f64().is_some_and(|s| s >= 0.5),
                other => {
                    return Err(format!(
                        "{}: \"cats\".{name:?} must be a score or true/false, found {}",
                        f.place,
                        kind(other)
                    ));
                }
            };
            Ok((name.to_owned(), if yes { "yes" } else { "no" }.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::annotated::mapping::{LabelMap, plan};
    use crate::model::{CONTROL_CHARACTER, DocLabelDef, Project};

    #[test]
    fn doc_labels_are_read_and_unknown_ones_added_to_the_schema() {
        let line = r#"{"text": "Calm.", "doc_labels": {"escalation": "maybe", "stance": "pro"}}"#;
        let docs = read("a.jsonl", line).unwrap();
        let mut project = Project::new("p");
        project.schema.doc_labels.push(DocLabelDef {
            name: "escalation".into(),
            values: vec!["yes".into(), "no".into()],
            key: Some('e'),
            description: String::new(),
        });
        let plan = plan(&project, docs, &LabelMap::default(), false).unwrap();
        assert_eq!(plan.schema.doc_label("escalation").unwrap().values, ["yes", "no", "maybe"]);
        let stance = plan.schema.doc_label("stance").unwrap();
        assert_eq!((stance.values.as_slice(), stance.key), (&["pro".to_owned()][..], Some('q')));
        assert!(
            plan.notices.contains(&"document label \"escalation\" has no value \"maybe\" in the schema; added".into())
        );
        assert!(
            plan.notices.contains(&"document label \"stance\" is not in the schema; added with value \"pro\"".into())
        );
        assert_eq!(plan.documents[0].doc_label("escalation"), Some("maybe"));
    }

    #[test]
    fn spacy_cats_become_yes_no_doc_labels() {
        let line = r#"{"text": "Calm.", "cats": {"ESCALATION": 0.2, "CALM": 1, "SPORT": true}, "doc_labels": {"SPORT": "maybe"}}"#;
        let docs = read("a.jsonl", line).unwrap();
        let got: Vec<(&str, &str)> = docs[0].doc_labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("CALM", "yes"), ("ESCALATION", "no"), ("SPORT", "maybe")]);
        let err = read("a.jsonl", r#"{"text": "x", "cats": {"A": "high"}}"#).unwrap_err();
        assert_eq!(err, "a.jsonl:1: \"cats\".\"A\" must be a score or true/false, found a string");
        let err = read("a.jsonl", r#"{"text": "x", "cats": ["A"]}"#).unwrap_err();
        assert_eq!(err, "a.jsonl:1: \"cats\" must be an object of scores, found a list");
    }

    #[test]
    fn repeated_spans_are_merged_named_once_and_counted() {
        let span = |id: &str| format!(r#"{{"id": "{id}", "start": 0, "end": 5, "label": "speaker"}}"#);
        let spans: Vec<String> = ["a", "b", "c", "d"].iter().map(|id| span(id)).collect();
        let line = format!(
            r#"{{"text": "Alice met Bob.", "spans": [{}, {{"id": "e", "start": 10, "end": 13, "label": "speaker"}}],
                "relations": [{{"from": "d", "to": "e", "label": "met"}}], "unused": [[0, 0], {{"start": "x"}}]}}"#,
            spans.join(", ")
        );
        let docs = read("a.jsonl", &line.replace('\n', " ")).unwrap();
        let plan = plan(&Project::new("p"), docs, &LabelMap::default(), false).unwrap();
        let merges: Vec<&String> = plan.notices.iter().filter(|n| n.contains("same offsets and label")).collect();
        assert_eq!(
            merges,
            [
                "a.jsonl:1, span 2 (\"speaker\" at 0..5): same offsets and label as an earlier span; merged with it",
                "a.jsonl:1: 2 more span(s) with the same offsets and label as an earlier one; merged",
            ]
        );
        let doc = &plan.documents[0];
        assert_eq!(doc.spans.len(), 2);
        // The relation from the last copy reaches the one span kept.
        let from = doc.spans.iter().find(|s| s.start == 0).unwrap().id;
        assert_eq!(doc.relations.iter().map(|r| r.from).collect::<Vec<_>>(), [from]);
    }

    #[test]
    fn an_id_that_names_two_places_is_refused() {
        let line = r#"{"text": "Alice met Bob.", "spans": [{"id": "s1", "start": 0, "end": 5, "label": "speaker"},
            {"id": "s1", "start": 10, "end": 13, "label": "speaker"}, {"id": "s1", "start": 0, "end": 5, "label": "claim"},
            {"id": "s2", "start": 6, "end": 9, "label": "claim"}], "relations": [{"from": "s1", "to": "s2", "label": "says"}]}"#;
        let docs = read("a.jsonl", &line.replace('\n', " ")).unwrap();
        let expected = [
            "a.jsonl:1, span 2 (\"speaker\" at 10..13): the id \"s1\" is span 1's already, at 0..5; ids must name one place",
        ];
        assert_eq!(plan(&Project::new("p"), docs.clone(), &LabelMap::default(), false).unwrap_err(), expected);
        let plan = plan(&Project::new("p"), docs, &LabelMap::default(), true).unwrap();
        assert_eq!(plan.skipped, expected);
        let doc = &plan.documents[0];
        // The same id on the same place with another label (a Label Studio region) is kept.
        let kept: Vec<(usize, &str)> = doc.spans.iter().map(|s| (s.start, s.label.as_str())).collect();
        assert_eq!(kept, [(0, "speaker"), (0, "claim"), (6, "claim")]);
        let from = doc.spans.iter().find(|s| s.start == 0 && s.label == "claim").unwrap().id;
        assert_eq!(doc.relations.iter().map(|r| r.from).collect::<Vec<_>>(), [from]);
    }

    #[test]
    fn wrong_values_are_quoted_briefly() {
        let line =
            format!(r#"{{"text": "x", "spans": [{{"start": [{}0], "end": 1, "label": "a"}}]}}"#, "0,".repeat(10_000));
        let err = read("a.jsonl", &line).unwrap_err();
        assert!(
            err.starts_with("a.jsonl:1, span 1: \"start\" must be a non-negative integer offset, found [0,0,"),
            "{err}"
        );
        assert!(err.ends_with('…') && err.chars().count() < 140, "{err}");
    }

    #[test]
    fn bad_doc_labels_name_the_line() {
        let err = read("a.jsonl", "\n{\"text\": \"x\", \"doc_labels\": {\"escalation\": true}}").unwrap_err();
        assert_eq!(err, "a.jsonl:2: \"doc_labels\".\"escalation\" must be a string, found true/false");
        let err = read("a.jsonl", "{\"text\": \"x\", \"doc_labels\": [\"yes\"]}").unwrap_err();
        assert_eq!(err, "a.jsonl:1: \"doc_labels\" must be an object, found a list");
        let docs = read("a.jsonl", "{\"text\": \"x\", \"doc_labels\": {\" \": \"yes\"}}").unwrap();
        let problems = plan(&Project::new("p"), docs, &LabelMap::default(), false).unwrap_err();
        assert_eq!(problems, ["a.jsonl:1: document label \"\" = \"yes\": both must be non-empty"]);
    }

    #[test]
    fn names_with_control_characters_are_refused_or_skipped() {
        let line = r#"{"text": "Alice met Bob.", "doc_labels": {"tone\u001b": "calm", "mood": "ok\u0007"},
            "spans": [{"id": "s1", "start": 0, "end": 5, "label": "a\u0000\n\u001b[31m"},
                      {"id": "s2", "start": 0, "end": 5, "label": "person"},
                      {"id": "s3", "start": 10, "end": 13, "label": "person"}],
            "relations": [{"from": "s2", "to": "s3", "label": "met\tby"}, {"from": "s2", "to": "s3", "label": "met"}]}"#;
        let docs = read("a.jsonl", &line.replace('\n', " ")).unwrap();
        let expected = [
            format!("a.jsonl:1: document label \"mood\" = \"ok\\u{{7}}\": {CONTROL_CHARACTER}"),
            format!("a.jsonl:1: document label \"tone\\u{{1b}}\" = \"calm\": {CONTROL_CHARACTER}"),
            format!(
                "a.jsonl:1, span 1 (\"a\\0\\n\\u{{1b}}[31m\" at 0..5): the label \"a\\0\\n\\u{{1b}}[31m\" {CONTROL_CHARACTER}"
            ),
            format!("a.jsonl:1, relation 1 (\"met\\tby\"): the relation type \"met\\tby\" {CONTROL_CHARACTER}"),
        ];
        let problems = plan(&Project::new("p"), docs.clone(), &LabelMap::default(), false).unwrap_err();
        assert_eq!(problems, expected);
        // Leniently, the rest comes in and what was left out is listed.
        let plan = plan(&Project::new("p"), docs, &LabelMap::default(), true).unwrap();
        assert_eq!(plan.skipped, expected);
        assert!(plan.schema.problems().is_empty(), "{:?}", plan.schema.problems());
        let names: Vec<&str> = plan.schema.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["claim", "threat", "speaker", "location", "person"]);
        let doc = &plan.documents[0];
        assert_eq!((doc.spans.len(), doc.relations.len(), doc.doc_labels.len()), (2, 1, 0));
    }
}
