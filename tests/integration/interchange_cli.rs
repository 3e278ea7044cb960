//! `gloss export` and annotated `gloss import` from the command line: outputs, refusals, and
//! hostile input (issue 4).

use gloss::model::{DocLabelDef, Document, Project, Relation, Span, Status};
use gloss::store;

use crate::util::{Sandbox, py_slice};

/// A small project with the hard cases: curly quotes glued to words, accents, emoji, Urdu, a span
/// over a line break, overlapping spans, hostile document ids.
pub fn sample_project() -> Project {
    let mut p = Project::new("interchange");
    let def = |name: &str, values: &[&str], key| DocLabelDef {
        name: name.into(),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        key,
        description: String::new(),
    };
    p.schema.doc_labels =
        vec![def("escalation", &["yes", "no"], Some('e')), def("stance", &["pro", "anti", "neutral"], None)];
    // "Minister Ayşe Demir said the bridge could“completely close”.\n😀 Critics in کراچی disagree."
    let text = "Minister Ayşe Demir said the bridge could“completely close”.\n😀 Critics in کراچی disagree.";
    let mut d = Document::new("d0001", "Bridge", text);
    d.status = Status::Done;
    let at = |needle: &str| {
        let byte = text.find(needle).expect("needle");
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    };
    let (s1, e1) = at("Ayşe Demir");
    let (s2, e2) = at("completely close");
    let (s3, e3) = at("کراچی");
    let (s4, e4) = at("close”.\n😀 Critics");
    d.spans = vec![
        Span::new(1, s1, e1, "speaker"),
        Span { note: Some("hedged".into()), ..Span::new(2, s2, e2, "claim") },
        Span::new(3, s3, e3, "location"),
        Span::new(4, s4, e4, "threat"),
    ];
    d.spans.sort_by_key(Span::sort_key);
    d.relations = vec![Relation { id: 1, label: "said".into(), from: 1, to: 2 }];
    d.doc_labels.insert("escalation".into(), "yes".into());
    d.doc_labels.insert("stance".into(), "anti".into());
    p.documents.push(d);
    let mut d = Document::new("../../etc/CON", "Hostile id", "Zoë met Müller in Gdańsk.");
    d.spans = vec![Span::new(1, 0, 3, "speaker"), Span::new(2, 18, 24, "location")];
    d.doc_labels.insert("stance".into(), "neutral".into());
    p.documents.push(d);
    p.documents.push(Document::new("d0003", "Empty of spans", "Nothing here."));
    p
}

fn sandbox_with_project() -> Sandbox {
    let sb = Sandbox::new();
    store::save(&sb.join("p.gloss.ron"), &sample_project()).expect("save");
    sb
}

#[test]
fn jsonl_export_offsets_are_python_slices_and_existing_output_needs_force() {
    let sb = sandbox_with_project();
    let run = sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "c.jsonl"]);
    run.expect_status(0);
    assert!(run.stdout.contains("exported 3 documents and 6 spans as jsonl"), "{}", run.stdout);
    let out = std::fs::read_to_string(sb.join("c.jsonl")).expect("out");
    assert_eq!(out.lines().count(), 3);
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let text = v["text"].as_str().expect("text");
        for s in v["spans"].as_array().expect("spans") {
            let (start, end) = (s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize);
            assert_eq!(py_slice(text, start, end), s["text"].as_str().unwrap());
        }
    }
    let again = sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "c.jsonl"]);
    again.expect_status(2);
    assert!(again.stderr.contains("c.jsonl exists; give --force"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(sb.join("c.jsonl")).unwrap(), out);
    sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "c.jsonl", "--force", "--only-done"])
        .expect_status(0);
    assert_eq!(std::fs::read_to_string(sb.join("c.jsonl")).unwrap().lines().count(), 1);
    // No temporary files are left beside the output.
    let names: Vec<String> =
        std::fs::read_dir(sb.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains("export-tmp")), "{names:?}");
}

#[test]
fn unreadable_project_and_bad_options_exit_2() {
    let sb = sandbox_with_project();
    sb.write("bad.ron", "(format: \"gloss-project\", version: 1, name: ");
    let run = sb.gloss(&["export", "bad.ron", "--format", "jsonl", "--out", "x.jsonl"]);
    run.expect_status(2);
    assert!(run.stderr.contains("bad.ron"), "{}", run.stderr);
    sb.gloss(&["export", "missing.ron", "--format", "jsonl", "--out", "x.jsonl"]).expect_status(2);
    sb.gloss(&["export", "p.gloss.ron", "--format", "conll", "--out", "x", "--offsets", "utf16"]).expect_status(2);
    sb.gloss(&["export", "p.gloss.ron", "--format", "xml", "--out", "x"]).expect_status(2);
    sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "x", "--split", "train=0.5"]).expect_status(2);
    sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "x", "--labels", "nope"]).expect_status(2);
    assert!(!sb.join("x").exists() && !sb.join("x.jsonl").exists());
}

#[test]
fn split_writes_one_file_per_part_reproducibly() {
    let sb = sandbox_with_project();
    let args = [
        "export",
        "p.gloss.ron",
        "--format",
        "jsonl",
        "--split",
        "train=0.34,dev=0.33,test=0.33",
        "--seed",
        "7",
        "--out",
    ];
    sb.gloss(&[&args[..], &["a"]].concat()).expect_status(0);
    sb.gloss(&[&args[..], &["b"]].concat()).expect_status(0);
    let mut ids = Vec::new();
    for part in ["train", "dev", "test"] {
        let a = std::fs::read_to_string(sb.join(&format!("a/{part}.jsonl"))).expect("part");
        assert_eq!(a, std::fs::read_to_string(sb.join(&format!("b/{part}.jsonl"))).unwrap());
        ids.extend(
            a.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned()),
        );
    }
    ids.sort();
    assert_eq!(ids, ["../../etc/CON", "d0001", "d0003"]);
}

#[test]
fn conll_reports_overlaps_and_keeps_the_glued_span() {
    let sb = sandbox_with_project();
    let run = sb.gloss(&["export", "p.gloss.ron", "--format", "conll", "--out", "c.conll"]);
    run.expect_status(0);
    // The threat span "close”.\n😀 Critics" is the longest; "completely close" overlaps it.
    assert!(run.stderr.contains("1 span(s) left out") && run.stderr.contains("1 overlapping"), "{}", run.stderr);
    let conll = std::fs::read_to_string(sb.join("c.conll")).unwrap();
    assert!(conll.starts_with("-DOCSTART- -X- -X- O\n\nMinister O\nAyşe B-speaker\nDemir I-speaker\n"), "{conll}");
    assert!(conll.contains("could O\n“ O\ncompletely O\nclose B-threat\n” I-threat\n. I-threat\n😀 I-threat\nCritics I-threat\nin O\nکراچی B-location\n"), "{conll}");
    let run = sb.gloss(&[
        "export",
        "p.gloss.ron",
        "--format",
        "conll",
        "--out",
        "l.conll",
        "--labels",
        "claim",
        "--scheme",
        "bilou",
    ]);
    run.expect_status(0);
    assert!(run.stderr.contains("no span left out"), "{}", run.stderr);
    let conll = std::fs::read_to_string(sb.join("l.conll")).unwrap();
    assert!(conll.contains("“ O\ncompletely B-claim\nclose L-claim\n” O\n"), "{conll}");
}

#[test]
fn brat_folder_has_safe_names_confs_and_fragments() {
    let sb = sandbox_with_project();
    sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--out", "brat"]).expect_status(0);
    let mut names: Vec<String> = std::fs::read_dir(sb.join("brat"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "_.._etc_CON.ann",
            "_.._etc_CON.txt",
            "annotation.conf",
            "d0001.ann",
            "d0001.txt",
            "d0003.ann",
            "d0003.txt",
            "visual.conf"
        ]
    );
    let ann = std::fs::read_to_string(sb.join("brat/d0001.ann")).unwrap();
    assert!(ann.contains("\tthreat 53 60;61 70\tclose”. 😀 Critics\n"), "{ann}");
    assert!(ann.contains("#1\tAnnotatorNotes T2\thedged\n") && ann.contains("R1\tsaid Arg1:T1 Arg2:T2\n"), "{ann}");
    let conf = std::fs::read_to_string(sb.join("brat/annotation.conf")).unwrap();
    assert!(
        conf.contains("[entities]\nclaim\nthreat\nspeaker\nlocation\n")
            && conf.contains("said\tArg1:speaker, Arg2:claim|threat\n"),
        "{conf}"
    );
}

#[test]
fn hf_and_csv_exports() {
    let sb = sandbox_with_project();
    sb.gloss(&["export", "p.gloss.ron", "--format", "hf", "--out", "hf"]).expect_status(0);
    let labels = std::fs::read_to_string(sb.join("hf/labels.json")).unwrap();
    assert!(labels.contains("\"B-location\""), "{labels}");
    assert!(std::fs::read_to_string(sb.join("hf/data.jsonl")).unwrap().contains("\"ner_tags\":[\"B-speaker\",\"O\""));
    sb.gloss(&["export", "p.gloss.ron", "--format", "csv", "--out", "s.csv", "--offsets", "utf16"]).expect_status(0);
    let csv = std::fs::read_to_string(sb.join("s.csv")).unwrap();
    assert!(csv.starts_with("document_id,title,span_id,start,end,label,text,note,doc.escalation,doc.stance\r\n"));
    // After the emoji, UTF-16 offsets are one more than code points: کراچی is at 74..79 in code points.
    assert!(csv.contains("d0001,Bridge,3,75,80,location,کراچی,,yes,anti\r\n"), "{csv}");
    // An unset doc label is an empty cell.
    assert!(csv.contains(",Zoë,,,neutral\r\n"), "{csv}");
    // Every hf row carries every doc label, "" when unset; doc_labels.json lists the values.
    let rows = std::fs::read_to_string(sb.join("hf/data.jsonl")).unwrap();
    for row in rows.lines() {
        let v: serde_json::Value = serde_json::from_str(row).expect("json");
        let expected = match v["document"].as_str() {
            Some("d0001") => serde_json::json!({"escalation": "yes", "stance": "anti"}),
            Some("../../etc/CON") => serde_json::json!({"escalation": "", "stance": "neutral"}),
            _ => serde_json::json!({"escalation": "", "stance": ""}),
        };
        assert_eq!(v["doc_labels"], expected, "{row}");
    }
    let names: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.join("hf/doc_labels.json")).unwrap()).unwrap();
    assert_eq!(names, serde_json::json!({"escalation": ["yes", "no"], "stance": ["pro", "anti", "neutral"]}));
    // brat and CoNLL have nowhere to put them, and say so.
    let run = sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--out", "brat"]);
    run.expect_status(0);
    assert!(run.stderr.contains("brat has no place for document labels: those of 2 document(s)"), "{}", run.stderr);
}

#[test]
fn exported_jsonl_and_brat_import_back_into_a_new_project() {
    let sb = sandbox_with_project();
    sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "c.jsonl"]).expect_status(0);
    sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--out", "brat"]).expect_status(0);
    let run = sb.gloss(&["import", "--into", "j.gloss.ron", "c.jsonl"]);
    run.expect_status(0);
    let run = sb.gloss(&["import", "--into", "b.gloss.ron", "brat"]);
    run.expect_status(0);
    let original = sample_project();
    for file in ["j.gloss.ron", "b.gloss.ron"] {
        let back = store::load(&sb.join(file)).expect("load");
        assert_eq!(back.documents.len(), 3);
        for d in &original.documents {
            let stem = gloss::formats::export::sanitize(&d.id);
            let b = back.documents.iter().find(|b| b.id == d.id || b.id == stem).expect("doc");
            assert_eq!(b.text, d.text);
            let key = |d: &Document| {
                let mut v: Vec<_> = d.spans.iter().map(|s| (s.start, s.end, s.label.clone(), s.note.clone())).collect();
                v.sort();
                v
            };
            assert_eq!(key(b), key(d), "{file}");
            assert_eq!(b.relations.len(), d.relations.len());
            // JSONL carries doc labels back; brat has no place for them.
            if file == "j.gloss.ron" {
                assert_eq!(b.doc_labels, d.doc_labels);
            } else {
                assert!(b.doc_labels.is_empty());
            }
        }
    }
}
