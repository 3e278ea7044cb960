//! Every input the fuzzers (`fuzz/`) ever crashed on, replayed through the same checks: the
//! files under `tests/fixtures/fuzz-regressions/<target>/`.

use std::path::Path;

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
