//! `gloss validate`: exit 0 valid, 1 invalid (every problem printed), 2 unreadable.

use crate::util::{Sandbox, repo_path};

fn golden() -> String {
    std::fs::read_to_string(repo_path("projects/border-talks.gloss.ron")).expect("golden")
}

#[test]
fn the_example_project_is_valid() {
    let sb = Sandbox::new();
    let path = repo_path("projects/border-talks.gloss.ron");
    let run = sb.gloss(&["validate", path.to_str().expect("utf-8 path")]);
    run.expect_status(0);
    assert!(run.stdout.contains("valid (1 document, 14 spans, 4 relations)"), "{}", run.stdout);
}

#[test]
fn a_hand_edited_wrong_span_fails_with_status_1_and_names_the_span() {
    let sb = Sandbox::new();
    sb.write("p.gloss.ron", golden().replace("(id: 6, start: 372, end: 385", "(id: 6, start: 373, end: 386"));
    let before = std::fs::read(sb.join("p.gloss.ron")).expect("read");
    let run = sb.gloss(&["validate", "p.gloss.ron"]);
    run.expect_status(1);
    assert!(run.stdout.contains("document \"d0001\", span 6: text does not match offsets 373..386"), "{}", run.stdout);
    assert!(run.stdout.contains("\"Customs House\""), "{}", run.stdout);
    assert_eq!(std::fs::read(sb.join("p.gloss.ron")).expect("read"), before);

    let run = sb.gloss(&["validate", "--json", "p.gloss.ron"]);
    run.expect_status(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["valid"], false);
    assert_eq!(json["problems"].as_array().map(Vec::len), Some(1));
}

#[test]
fn syntax_errors_are_invalid_with_a_position() {
    let sb = Sandbox::new();
    let text = golden().replace("status: InProgress,", "status: InProgres,");
    let line = text.lines().position(|l| l.contains("InProgres,")).expect("line") + 1;
    sb.write("p.gloss.ron", &text);
    let run = sb.gloss(&["validate", "p.gloss.ron"]);
    run.expect_status(1);
    assert!(run.stdout.contains(&format!("p.gloss.ron: {line}:")), "{}", run.stdout);
    assert!(run.stdout.contains("expected one of `Todo`, `InProgress`"), "{}", run.stdout);
}

#[test]
fn unreadable_files_exit_2() {
    let sb = Sandbox::new();
    let run = sb.gloss(&["validate", "missing.gloss.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("missing.gloss.ron"), "{}", run.stderr);
    sb.write("bin.ron", [0u8, 159, 146, 150, 0xff, 0xfe]);
    sb.gloss(&["validate", "bin.ron"]).expect_status(2);
    sb.write("new.ron", golden().replace("version: 1,", "version: 9,"));
    let run = sb.gloss(&["validate", "new.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("newer Gloss"), "{}", run.stderr);
}
