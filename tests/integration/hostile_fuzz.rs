//! Every input the fuzzers (`fuzz/`) ever crashed on, replayed through the same checks: the
//! files under `tests/fixtures/fuzz-regressions/<target>/`.

use std::path::Path;

use gloss::formats::ArticleFormat;
use gloss::formats::annotated::AnnotatedFormat;

use crate::util::fixture_path;

include!("hostile_fuzz_checks.rs");

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fixture_path("fuzz-regressions").join(target);
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .map(|p| (name(&p), std::fs::read(&p).expect("read regression input")))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[test]
fn project_parse_regressions() {
    let inputs = inputs("project_parse");
    assert!(!inputs.is_empty(), "no project_parse regression inputs");
    for (name, bytes) in inputs {
        eprintln!("project_parse: {name}");
        // The fuzz target gets `&str`: libFuzzer skips inputs that are not UTF-8.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            check_project_parse(text);
        }
    }
}

#[test]
fn article_read_regressions() {
    for (name, bytes) in inputs("article_read") {
        eprintln!("article_read: {name}");
        check_article_read(&bytes);
    }
}

#[test]
fn text_offsets_regressions() {
    for (name, bytes) in inputs("text_offsets") {
        eprintln!("text_offsets: {name}");
        let (string, positions) = text_offsets_input(&bytes);
        check_text_offsets(&string, positions);
    }
    // Edges that must always hold, fuzzed or not.
    for s in ["", "a", "é", "e\u{301}", "👩‍👩‍👧", " \t\n", "کراچی ", "\u{feff}x"] {
        for p in [0, 1, 2, 7, usize::MAX, usize::MAX - 1] {
            check_text_offsets(s, [p, p / 2, usize::MAX - p]);
        }
    }
}

#[test]
fn article_html_and_markdown_regressions() {
    for (target, format) in [("article_html", ArticleFormat::Html), ("article_markdown", ArticleFormat::Markdown)] {
        for (name, bytes) in inputs(target) {
            eprintln!("{target}: {name}");
            check_article_as(format, &bytes);
        }
    }
}

#[test]
fn annotated_import_regressions() {
    let targets = [
        ("import_jsonl", AnnotatedFormat::Jsonl),
        ("import_doccano", AnnotatedFormat::Doccano),
        ("import_label_studio", AnnotatedFormat::LabelStudio),
        ("import_brat", AnnotatedFormat::Brat),
        ("import_conll", AnnotatedFormat::Conll),
    ];
    let mut replayed = 0;
    for (target, format) in targets {
        for (name, bytes) in inputs(target) {
            eprintln!("{target}: {name}");
            check_annotated(format, &bytes);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no annotated import regression inputs");
    // Edges that must always hold, fuzzed or not: ids and offsets at the top of their range.
    let max = u64::MAX;
    for line in [
        format!(
            r#"{{"text": "abc", "spans": [{{"id": {max}, "start": 0, "end": 1, "label": "x"}}, {{"start": 1, "end": 2, "label": "x"}}]}}"#
        ),
        format!(r#"{{"text": "abc", "spans": [{{"start": {max}, "end": {max}, "label": "x"}}]}}"#),
        format!(r#"{{"text": "a😀c", "offsets": "utf16", "spans": [{{"start": 1, "end": {max}, "label": "x"}}]}}"#),
        format!(
            r#"{{"text": "abc", "offsets": "bytes", "spans": [{{"start": {}, "end": {max}, "label": "x"}}]}}"#,
            max - 1
        ),
    ] {
        check_annotated(AnnotatedFormat::Jsonl, line.as_bytes());
    }
    check_annotated(AnnotatedFormat::Doccano, format!(r#"{{"text": "a😀", "label": [[0, {max}, "x"]]}}"#).as_bytes());
    check_annotated(AnnotatedFormat::Brat, format!("T1\tx 0 {max};{max} {max}\tab\0abc").as_bytes());
}
