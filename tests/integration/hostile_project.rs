//! Broken and hostile project files: each must give a clear error naming its place, never a
//! panic, and never a silently "repaired" project.

use gloss::store::{self, LoadError, ParseError};

use crate::util::{Sandbox, repo_path};

fn golden() -> String {
    std::fs::read_to_string(repo_path("projects/border-talks.gloss.ron")).expect("golden")
}

fn problems_of(text: &str) -> Vec<String> {
    match store::parse(text) {
        Ok(_) => panic!("expected a problem in:\n{text}"),
        Err(err) => err.problems(),
    }
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let text = golden();
    let mut cut = 0;
    while cut < text.len() - 2 {
        if text.is_char_boundary(cut) {
            assert!(store::parse(&text[..cut]).is_err(), "a file cut at byte {cut} loaded");
        }
        cut += 7;
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for opener in ["(", "[", "{", "Some("] {
        let text = format!("(format: \"gloss-project\", version: 1, name: {})", opener.repeat(200_000));
        let err = store::parse(&text).expect_err("deep nesting");
        assert!(matches!(err, ParseError::Syntax { .. }), "{err}");
    }
    let text = golden().replace("spans: [", &format!("spans: [{}", "[".repeat(100_000)));
    assert!(store::parse(&text).is_err());
}

#[test]
fn offsets_near_usize_max_are_reported_not_wrapped() {
    let text = golden().replace("start: 0, end: 11,", "start: 18446744073709551614, end: 18446744073709551615,");
    let problems = problems_of(&text);
    assert!(problems.iter().any(|p| p.contains("span 1") && p.contains("past the end of the text")), "{problems:?}");
    let text = golden().replace("start: 0, end: 11,", "start: 0, end: 18446744073709551615,");
    assert!(problems_of(&text).iter().any(|p| p.contains("span 1")));
    // Beyond u64: a syntax error with a position.
    let text = golden().replace("start: 0, end: 11,", "start: 0, end: 99999999999999999999999,");
    let line = text.lines().position(|l| l.contains("99999999999999999999999")).expect("line") + 1;
    let problems = problems_of(&text);
    assert!(problems[0].starts_with(&format!("{line}:")), "{problems:?}");
}

#[test]
fn every_problem_is_reported_with_its_document_and_span() {
    let text = golden()
        .replace(
            "(id: 9, start: 494, end: 500, label: \"location\", text: \"Quay 7\")",
            "(id: 9, start: 494, end: 500, label: \"place\", text: \"Quay 8\")",
        )
        .replace("(id: 10, start: 544", "(id: 11, start: 544")
        .replace("(id: 4, label: \"said\", from: 14, to: 13)", "(id: 4, label: \"said\", from: 99, to: 13)")
        .replace("(id: 12, start: 613, end: 624", "(id: 12, start: 624, end: 624");
    let problems = problems_of(&text);
    let expect = [
        "document \"d0001\", span 9: unknown label \"place\"",
        "document \"d0001\", span 9: text does not match offsets 494..500",
        "document \"d0001\", span 11: span id is used twice",
        "document \"d0001\", relation 4: from span 99 does not exist",
        "document \"d0001\", span 12: span is empty",
    ];
    for e in expect {
        assert!(problems.iter().any(|p| p.starts_with(e)), "missing {e:?} in {problems:#?}");
    }
}

#[test]
fn duplicate_document_ids_and_relation_to_wrong_label() {
    let text = golden().replace("(id: 1, label: \"said\", from: 2, to: 3)", "(id: 1, label: \"said\", from: 2, to: 1)");
    let problems = problems_of(&text);
    assert!(problems.iter().any(|p| p.contains("relation 1") && p.contains("may not link")), "{problems:?}");
    let doc_start = golden().find("        (\n            id: \"d0001\"").expect("doc");
    let doc_end = golden().rfind("    ],\n)").expect("end");
    let doc = golden()[doc_start..doc_end].to_owned();
    let text = golden().replace(&doc, &format!("{doc}{doc}"));
    assert!(problems_of(&text).iter().any(|p| p.contains("document id is used twice")));
}

#[test]
fn unknown_fields_and_wrong_types_point_at_line_and_column() {
    let text = golden().replace("status: InProgress,", "status: InProgress,\n            colour: \"red\",");
    let p = problems_of(&text);
    let line = text.lines().position(|l| l.contains("colour")).expect("line") + 1;
    assert!(p[0].starts_with(&format!("{line}:")) && p[0].contains("colour"), "{p:?}");
    let text = golden().replace("version: 1,", "version: \"one\",");
    assert!(problems_of(&text)[0].starts_with("3:"));
}

#[test]
fn not_a_project_newer_version_and_binary_files() {
    let err = store::parse(&golden().replace("\"gloss-project\"", "\"inception\"")).expect_err("other format");
    assert!(err.to_string().contains("not a Gloss project"), "{err}");
    let err = store::parse(&golden().replace("version: 1,", "version: 3,")).expect_err("newer");
    assert!(err.to_string().contains("newer Gloss"), "{err}");

    let sandbox = Sandbox::new();
    let png = sandbox.write("image.ron", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe");
    match store::load(&png) {
        Err(LoadError::Parse { source: ParseError::NotUtf8 { line: 1, .. }, .. }) => {}
        other => panic!("{other:?}"),
    }
    let empty = sandbox.write("empty.ron", b"");
    assert!(store::load(&empty).is_err());
    let missing = store::load(&sandbox.join("missing.ron")).expect_err("missing");
    assert!(missing.to_string().contains("missing.ron"), "{missing}");
}

#[test]
fn a_utf8_bom_is_accepted() {
    let text = format!("\u{feff}{}", golden());
    assert!(store::parse(&text).is_ok());
}

/// Every reader takes one byte order mark and refuses a second, with the same error: `export`
/// (which streams the file) once took one off itself and let `parse` take the other.
#[test]
fn validate_stats_and_export_agree_on_byte_order_marks() {
    let sb = Sandbox::new();
    sb.write("one.gloss.ron", format!("\u{feff}{}", golden()));
    sb.write("two.gloss.ron", format!("\u{feff}\u{feff}{}", golden()));
    sb.gloss(&["validate", "one.gloss.ron"]).expect_status(0);
    sb.gloss(&["stats", "one.gloss.ron"]).expect_status(0);
    sb.gloss(&["export", "one.gloss.ron", "--format", "jsonl", "--out", "one.jsonl"]).expect_status(0);
    let runs = [
        sb.gloss(&["validate", "two.gloss.ron"]),
        sb.gloss(&["stats", "two.gloss.ron"]),
        sb.gloss(&["export", "two.gloss.ron", "--format", "jsonl", "--out", "two.jsonl"]),
    ];
    runs[0].expect_status(1);
    runs[1].expect_status(2);
    runs[2].expect_status(2);
    for run in &runs {
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(said.contains("two.gloss.ron") && said.contains("1:1: "), "{said}");
    }
    assert!(!sb.join("two.jsonl").exists());
}

#[test]
fn hand_written_short_forms_load() {
    // `note: "x"` without Some(...), no text on a span, spans out of order: all fine by hand.
    let text = r##"(format: "gloss-project", version: 1, name: "hand",
        schema: (labels: [(name: "who", color: "#abc", key: "w")]),
        documents: [(id: "a", text: "Ana met Bo.", spans: [
            (id: 2, start: 8, end: 10, label: "who", note: "second"),
            (id: 1, start: 0, end: 3, label: "who"),
        ])])"##;
    let p = store::parse(text).expect("hand-written project");
    let spans: Vec<u64> = p.documents[0].spans.iter().map(|s| s.id).collect();
    assert_eq!(spans, [1, 2]);
    assert_eq!(p.documents[0].spans[1].note.as_deref(), Some("second"));
}
