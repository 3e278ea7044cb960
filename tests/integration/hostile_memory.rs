//! Peak memory of `gloss` on big and hostile files, measured on the child process (the kernel's
//! high-water mark of its resident set): each bound is a small multiple of the input's size, so
//! that a reader that copies the input once too often, or reads a refused file anyway, fails
//! here. Figures go to stderr.
//!
//! The binary under test is a debug build: the time bounds are loose, the memory bounds are not
//! (memory does not depend on optimisation).

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::util::{Measured, Sandbox};

const MB: u64 = 1_000_000;

/// A file of `size` bytes whose content is a hole after `head`: nothing is on disk.
fn sparse(path: &Path, size: u64, head: &[u8]) {
    let mut file = fs::File::create(path).expect("create");
    file.write_all(head).expect("head");
    file.set_len(size).expect("set_len");
}

#[track_caller]
fn within(what: &str, m: &Measured, input: u64, factor: u64, time: Duration) {
    let bound = factor * input + 100 * MB;
    eprintln!(
        "{what}: exit {}, peak RSS {} MB for {} MB read ({:.1}x), {:.1?}",
        m.run.status,
        m.peak_rss / MB,
        input / MB,
        m.peak_rss as f64 / input.max(MB) as f64,
        m.elapsed
    );
    assert!(!m.run.stderr.contains("panicked"), "{what}: {}", m.run.stderr);
    assert!(m.peak_rss <= bound, "{what}: peak RSS {} MB, over the bound {} MB", m.peak_rss / MB, bound / MB);
    assert!(m.elapsed < time, "{what}: took {:?}", m.elapsed);
}

/// Writes `content` to `name` in the sandbox, frees it (so the test's own memory stays out of the
/// way), imports it into `p.gloss.ron` and measures that run; also returns the file's size.
fn import_measured(sandbox: &Sandbox, name: &str, content: String) -> (Measured, u64) {
    sandbox.write(name, &content);
    let size = content.len() as u64;
    drop(content);
    (sandbox.gloss_measured(&["import", "--into", "p.gloss.ron", name]), size)
}

#[test]
fn files_over_the_limits_are_refused_in_little_memory() {
    let sandbox = Sandbox::new();
    sparse(&sandbox.join("huge.txt"), 1_000_000_000, b"Talks resumed.");
    sparse(&sandbox.join("huge.jsonl"), 1_000_000_000, b"{\"text\": \"Talks");
    sparse(&sandbox.join("huge.gloss.ron"), 1_000_000_000, b"(format: \"gloss-project\", version: 1, name: \"");
    for (args, name) in [
        (&["import", "--into", "p.gloss.ron", "huge.txt"][..], "huge.txt"),
        (&["import", "--into", "p.gloss.ron", "huge.jsonl"][..], "huge.jsonl"),
        (&["validate", "huge.gloss.ron"][..], "huge.gloss.ron"),
    ] {
        let m = sandbox.gloss_measured(args);
        // Nothing of the 1 GB is read: the process stays at its own size.
        within(&format!("1 GB {name}, refused"), &m, 0, 0, Duration::from_secs(10));
        m.run.expect_status(2);
        assert!(m.run.stderr.contains(name) && m.run.stderr.contains("limit"), "{}", m.run.stderr);
        assert!(!sandbox.join("p.gloss.ron").exists());
    }
}

#[test]
fn a_200_mb_single_line_article_imports_and_validates_in_bounded_memory() {
    let sandbox = Sandbox::new();
    let line = "Gdańsk port talks resumed at dawn; the union said so. ".repeat(200_000_000 / 55);
    let (m, size) = import_measured(&sandbox, "line.txt", line);
    m.run.expect_status(0);
    // The bytes, the decoded text and the project's copy: about twice the file.
    within("200 MB single-line article, imported", &m, size, 3, Duration::from_secs(300));
    let project = fs::metadata(sandbox.join("p.gloss.ron")).expect("project").len();
    let m = sandbox.gloss_measured(&["validate", "p.gloss.ron"]);
    m.run.expect_status(0);
    within("200 MB single-line project, validated", &m, project, 3, Duration::from_secs(300));
}

#[test]
fn a_200_mb_jsonl_line_imports_in_bounded_memory() {
    let sandbox = Sandbox::new();
    let text = "Gdańsk port talks resumed at dawn; the union said so. ".repeat(200_000_000 / 55);
    let line = format!(
        "{{\"id\": \"big\", \"text\": \"{text}\", \"spans\": [{{\"start\": 0, \"end\": 6, \"label\": \"location\", \"text\": \"Gdańsk\"}}]}}\n"
    );
    drop(text);
    let (m, size) = import_measured(&sandbox, "line.jsonl", line);
    m.run.expect_status(0);
    // The file, the parsed JSON value and the document's text.
    within("200 MB JSONL line, imported", &m, size, 4, Duration::from_secs(300));
    // The same line cut short: a placed error, the project untouched.
    let before = fs::read(sandbox.join("p.gloss.ron")).expect("project");
    let cut = fs::read(sandbox.join("line.jsonl")).expect("line");
    sandbox.write("cut.jsonl", &cut[..cut.len() - 40]);
    drop(cut);
    let m = sandbox.gloss_measured(&["import", "--into", "p.gloss.ron", "cut.jsonl"]);
    m.run.expect_status(2);
    within("200 MB JSONL line cut short, refused", &m, size, 4, Duration::from_secs(300));
    assert!(m.run.stderr.contains("cut.jsonl:1:"), "{}", m.run.stderr);
    assert_eq!(fs::read(sandbox.join("p.gloss.ron")).expect("project"), before);
}

/// JSON values a reader never looks at cost no memory, and the ones it keeps are stored compactly:
/// a line of a million and a half small spans beside a field of 30 million zeros took about 16
/// times the file in a `serde_json::Value`; the compact tree keeps it to a few times.
#[test]
fn a_jsonl_line_of_tiny_spans_and_unused_values_imports_in_bounded_memory() {
    let sandbox = Sandbox::new();
    let words = 1_500_000;
    let text = "ab ".repeat(words);
    let spans: Vec<String> =
        (0..words).map(|i| format!("{{\"start\":{},\"end\":{},\"label\":\"x\"}}", 3 * i, 3 * i + 2)).collect();
    let zeros = vec!["0"; 30_000_000].join(",");
    let line = format!("{{\"text\": \"{text}\", \"unused\": [{zeros}], \"spans\": [{}]}}\n", spans.join(","));
    drop((text, spans, zeros));
    let (m, size) = import_measured(&sandbox, "tiny.jsonl", line);
    m.run.expect_status(0);
    within("JSONL line of 1.5 M tiny spans and 30 M unused zeros, imported", &m, size, 6, Duration::from_secs(300));
    let project = gloss::store::load(&sandbox.join("p.gloss.ron")).expect("project");
    assert_eq!(project.documents[0].spans.len(), words);
}
