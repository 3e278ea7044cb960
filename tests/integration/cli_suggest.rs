//! `gloss suggest`: a gazetteer and regex rules pre-annotate a small multilingual corpus (curly
//! quotes, accents, emoji, Urdu, Hindi, Greek, Turkish İ, German ß). Expected offsets are found
//! here with `str::find` and character counts, not with Gloss's offset index.

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::{Sandbox, py_slice};

/// `(document title, phrase, occurrence, label)` of every suggestion the fixture gazetteer and
/// rules should make with --ignore-case --whole-word.
const EXPECTED: &[(&str, &str, usize, &str)] = &[
    ("harbour", "Karachi", 0, "location"),
    ("harbour", "Lee", 0, "speaker"),
    ("harbour", "2025", 0, "date"),
    ("harbour", "New York", 0, "location"),
    ("harbour", "Karachi", 1, "location"), // Karachi’s: a possessive ends the name
    ("harbour", "Leeds", 0, "location"),
    ("harbour", "KARACHI", 0, "location"),
    ("harbour", "Zoë", 0, "speaker"),
    ("harbour", "Lee", 2, "speaker"), // Lee-Anne (occurrence 1 is inside Leeds)
    ("harbour", "1999", 0, "date"),
    ("urdu", "کراچی", 0, "location"),
    ("urdu", "لاہور", 0, "location"),
    ("urdu", "کراچی", 2, "location"), // occurrence 1 is inside کراچیوں
    ("mixed", "Straße", 0, "location"),
    ("mixed", "İSTANBUL", 0, "location"),
    ("mixed", "STRASSE", 0, "location"),
    ("mixed", "Αθήνα", 0, "location"),
    ("mixed", "ΚΌΣΜΟΣ", 0, "person"),
    ("mixed", "κόσμος", 0, "person"),
    ("mixed", "दिल्ली", 0, "location"),
    ("mixed", "मुंबई", 0, "location"),
];

/// Code point range of occurrence `nth` of `needle` in `hay`.
fn find_chars(hay: &str, needle: &str, nth: usize) -> (usize, usize) {
    let mut from = 0;
    let mut byte = 0;
    for _ in 0..=nth {
        byte = from + hay[from..].find(needle).unwrap_or_else(|| panic!("{needle:?} #{nth} not in {hay:?}"));
        from = byte + needle.len();
    }
    let start = hay[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn corpus(sb: &Sandbox) {
    for name in ["harbour.txt", "urdu.txt", "mixed.txt", "places.tsv", "rules.tsv", "bad.tsv"] {
        sb.fixture(&format!("suggest/{name}"));
    }
    sb.gloss(&["import", "--into", "p.gloss.ron", "harbour.txt", "urdu.txt", "mixed.txt"]).expect_status(0);
}

fn load(path: &Path) -> gloss::model::Project {
    gloss::store::load(path).expect("loads")
}

fn suggestions(project: &gloss::model::Project) -> BTreeSet<(String, usize, usize, String)> {
    project
        .documents
        .iter()
        .flat_map(|d| d.suggestions.iter().map(move |s| (d.title.clone(), s.start, s.end, s.label.clone())))
        .collect()
}

#[test]
fn a_gazetteer_pre_annotates_a_multilingual_corpus_with_exact_offsets() {
    let sb = Sandbox::new();
    corpus(&sb);
    let before = load(&sb.join("p.gloss.ron"));
    let run = sb.gloss(&[
        "suggest",
        "p.gloss.ron",
        "--gazetteer",
        "places.tsv",
        "--regex-file",
        "rules.tsv",
        "--ignore-case",
        "--whole-word",
    ]);
    run.expect_status(0);
    assert!(run.stderr.contains("label \"person\" is not in the schema"), "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("added {} suggestions in 3 of 3 documents", EXPECTED.len())),
        "{}",
        run.stdout
    );

    let project = load(&sb.join("p.gloss.ron"));
    assert!(project.schema.label("person").is_some(), "a new label is added");
    let text_of = |title: &str| {
        project.documents.iter().find(|d| d.title == title).map(|d| d.text.as_str().to_owned()).expect("document")
    };
    let expected: BTreeSet<(String, usize, usize, String)> = EXPECTED
        .iter()
        .map(|&(title, phrase, nth, label)| {
            let (start, end) = find_chars(&text_of(title), phrase, nth);
            (title.to_owned(), start, end, label.to_owned())
        })
        .collect();
    assert_eq!(suggestions(&project), expected);
    for d in &project.documents {
        assert!(d.spans.is_empty(), "suggestions are not spans");
        for s in &d.suggestions {
            let covered = py_slice(d.text.as_str(), s.start, s.end);
            let origin = s.annotator.as_deref().unwrap_or("");
            assert!(origin == "gazetteer:places.tsv" || origin == r"regex:\b(19|20)\d\d\b", "{origin}");
            if s.label == "date" {
                assert!(covered.parse::<u32>().is_ok(), "{covered:?}");
            }
        }
    }
    assert_eq!(project.documents.len(), before.documents.len());

    // Running again adds nothing: every match is already there.
    let run = sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-i", "-w"]);
    run.expect_status(0);
    assert!(run.stdout.contains("added 0 suggestions"), "{}", run.stdout);
    assert_eq!(suggestions(&load(&sb.join("p.gloss.ron"))), expected);

    // Stats count them apart from spans.
    let run = sb.gloss(&["stats", "--json", "p.gloss.ron"]);
    run.expect_status(0);
    let stats: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(stats["suggestions"], EXPECTED.len());
    assert_eq!(stats["spans"], 0);
    let run = sb.gloss(&["stats", "p.gloss.ron"]);
    assert!(run.stdout.contains(&format!("{} suggestions waiting in 3 documents", EXPECTED.len())), "{}", run.stdout);
}

#[test]
fn case_and_word_options_change_what_is_found() {
    let sb = Sandbox::new();
    corpus(&sb);
    let run = sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "--dry-run", "--json"]);
    run.expect_status(0);
    let plain: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert!(load(&sb.join("p.gloss.ron")).documents.iter().all(|d| d.suggestions.is_empty()), "dry run writes nothing");
    // Case-sensitive, any position: "New York" inside "New Yorkers" counts, "Lee" inside "Leeds"
    // loses to the longer "Leeds", KARACHI and the folded forms are not found.
    let labels = &plain["labels"];
    let harbour = &plain["documents"][0];
    assert_eq!(harbour["labels"]["speaker"], 3, "Lee, Lee(-Anne), Zoë: {plain}");
    assert_eq!(harbour["labels"]["location"], 5, "Karachi ×2, New York ×2, Leeds: {plain}");
    assert_eq!(plain["documents"][1]["labels"]["location"], 4, "کراچی ×3 (one inside کراچیوں), لاہور: {plain}");
    assert!(labels.get("person").is_some(), "κόσμος matches itself: {plain}");
    assert_eq!(plain["documents"][2]["labels"]["location"], 4, "Αθήνα, दिल्ली ×2, मुंबई: {plain}");
}

#[test]
fn map_only_todo_and_accept_all() {
    let sb = Sandbox::new();
    corpus(&sb);
    // Mark the first document done through the model, as the app would.
    let path = sb.join("p.gloss.ron");
    let mut project = load(&path);
    project.documents[0].status = gloss::model::Status::Done;
    gloss::store::save(&path, &project).expect("save");
    let run = sb.gloss(&[
        "suggest",
        "p.gloss.ron",
        "--gazetteer",
        "places.tsv",
        "-i",
        "-w",
        "--only-todo",
        "--map",
        "person=speaker",
        "--accept-all",
    ]);
    run.expect_status(0);
    assert!(!run.stderr.contains("not in the schema"), "{}", run.stderr);
    let project = load(&path);
    assert!(project.schema.label("person").is_none());
    assert!(project.documents[0].spans.is_empty() && project.documents[0].suggestions.is_empty(), "done: untouched");
    let mixed = &project.documents[2];
    assert!(mixed.suggestions.is_empty(), "all accepted");
    let speakers: Vec<String> = mixed
        .spans
        .iter()
        .filter(|s| s.label == "speaker")
        .map(|s| py_slice(mixed.text.as_str(), s.start, s.end))
        .collect();
    assert_eq!(speakers, vec!["ΚΌΣΜΟΣ", "κόσμος"]);
    let accepted: usize = project.documents.iter().map(|d| d.spans.len()).sum();
    let said = format!("accepted {accepted} as spans ({accepted} new, 0 already waiting)");
    assert!(run.stdout.contains(&said), "{}", run.stdout);
}

#[test]
fn bad_input_is_reported_once_and_leaves_the_project_alone() {
    let sb = Sandbox::new();
    corpus(&sb);
    let original = std::fs::read(sb.join("p.gloss.ron")).expect("read");
    let cases: &[(&[&str], &str)] = &[
        (&["suggest", "p.gloss.ron"], "nothing to suggest from"),
        (&["suggest", "p.gloss.ron", "--gazetteer", "bad.tsv"], "bad.tsv: line 2: no tab"),
        (&["suggest", "p.gloss.ron", "--gazetteer", "missing.tsv"], "cannot read missing.tsv"),
        (&["suggest", "p.gloss.ron", "--regex", "date=(\\d"], "bad pattern"),
        (&["suggest", "p.gloss.ron", "--regex", "nolabel"], "is not LABEL=PATTERN"),
        (&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "--map", "x"], "is not OLD=NEW"),
        (&["suggest", "missing.gloss.ron", "--gazetteer", "places.tsv"], "missing.gloss.ron"),
    ];
    for (args, message) in cases {
        let run = sb.gloss(args);
        run.expect_status(2);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.matches("gloss: error").count(), 1, "reported once: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    let bad = sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "bad.tsv"]);
    assert!(bad.stderr.contains("line 3: empty phrase"), "every bad line: {}", bad.stderr);
    assert_eq!(std::fs::read(sb.join("p.gloss.ron")).expect("read"), original);
    assert!(!sb.join("missing.gloss.ron").exists());
}

#[test]
fn the_project_lock_is_respected() {
    let sb = Sandbox::new();
    corpus(&sb);
    let path = sb.join("p.gloss.ron");
    let _held = gloss::store::ProjectLock::acquire(&path, "another gloss").expect("lock");
    let run = sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv"]);
    run.expect_status(2);
    assert!(run.stderr.contains("another gloss"), "{}", run.stderr);
    // A dry run only reads.
    sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "--dry-run"]).expect_status(0);
}

/// Suggestions never leave the project: every export format writes the same bytes with and
/// without them.
#[test]
fn suggestions_are_never_exported_in_any_format() {
    let sb = Sandbox::new();
    corpus(&sb);
    let path = sb.join("p.gloss.ron");
    // Some accepted spans too, so the exports are not empty.
    sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w", "--accept-all"]).expect_status(0);
    sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "--regex-file", "rules.tsv", "-i", "-w"])
        .expect_status(0);
    let with = load(&path);
    assert!(with.span_count() > 0);
    assert!(with.documents.iter().map(|d| d.suggestions.len()).sum::<usize>() >= 5);
    // The same project, schema included, without its suggestions.
    let mut plain = with.clone();
    for d in &mut plain.documents {
        d.suggestions.clear();
    }
    gloss::store::save(&sb.join("plain.gloss.ron"), &plain).expect("save");
    for format in ["jsonl", "conll", "brat", "hf", "csv"] {
        for (project, out) in [("plain.gloss.ron", "out-plain"), ("p.gloss.ron", "out-with")] {
            let out = format!("{out}.{format}");
            sb.gloss(&["export", project, "--format", format, "--out", &out]).expect_status(0);
        }
        let a = tree(&sb.join(&format!("out-plain.{format}")));
        let b = tree(&sb.join(&format!("out-with.{format}")));
        assert!(!a.is_empty(), "{format}: something was written");
        assert_eq!(a, b, "{format}: suggestions changed the export");
    }
}

/// Every file under `path` (or `path` itself) with its bytes, by relative path.
fn tree(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if path.is_file() {
        out.push((String::new(), std::fs::read(path).expect("read")));
        return out;
    }
    let mut stack = vec![path.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(path).expect("inside").to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}
