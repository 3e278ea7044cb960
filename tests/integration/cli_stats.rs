//! `gloss stats`: counts per status, label and document, as text and JSON.

use crate::util::{Sandbox, repo_path};

#[test]
fn stats_of_the_example_project() {
    let sb = Sandbox::new();
    let path = repo_path("projects/border-talks.gloss.ron");
    let path = path.to_str().expect("utf-8 path");
    let run = sb.gloss(&["stats", "--json", path]);
    run.expect_status(0);
    let s: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(s["documents"], 1);
    assert_eq!(s["spans"], 14);
    assert_eq!(s["relations"], 4);
    assert_eq!(s["labels"]["location"], 7);
    assert_eq!(s["labels"]["speaker"], 3);
    assert_eq!(s["labels"]["claim"], 3);
    assert_eq!(s["labels"]["threat"], 1);
    assert_eq!(s["by_status"]["in progress"], 1);
    assert_eq!(s["by_status"]["done"], 0);
    assert_eq!(s["relation_types"]["said"], 4);
    assert_eq!(s["per_document"][0]["id"], "d0001");
    assert_eq!(s["per_document"][0]["chars"], 693);

    let run = sb.gloss(&["stats", path]);
    run.expect_status(0);
    assert!(run.stdout.contains("1 document, 693 characters, 14 spans, 4 relations"), "{}", run.stdout);
    assert!(run.stdout.contains("location"), "{}", run.stdout);
}

#[test]
fn stats_count_documents_per_doc_label_value() {
    let sb = Sandbox::new();
    gloss::store::save(&sb.join("p.gloss.ron"), &crate::interchange_cli::sample_project()).expect("save");
    let run = sb.gloss(&["stats", "--json", "p.gloss.ron"]);
    run.expect_status(0);
    let s: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(s["doc_labels"]["escalation"], serde_json::json!({"values": {"yes": 1, "no": 0}, "unset": 2}));
    assert_eq!(
        s["doc_labels"]["stance"],
        serde_json::json!({"values": {"pro": 0, "anti": 1, "neutral": 1}, "unset": 1})
    );
    assert_eq!(s["per_document"][0]["doc_labels"], serde_json::json!({"escalation": "yes", "stance": "anti"}));
    let run = sb.gloss(&["stats", "p.gloss.ron"]);
    run.expect_status(0);
    assert!(run.stdout.contains("Documents per document label\n  escalation  yes 1, no 0, unset 2\n  stance      pro 0, anti 1, neutral 1, unset 1\n"), "{}", run.stdout);
}

#[test]
fn stats_of_an_unreadable_project_exits_2() {
    let sb = Sandbox::new();
    sb.write("p.ron", "(format: \"gloss-project\"");
    sb.gloss(&["stats", "p.ron"]).expect_status(2);
}

#[test]
fn stats_count_the_suggestions_waiting_per_label_and_document() {
    let sb = Sandbox::new();
    let mut p = gloss::store::load(&repo_path("projects/border-talks.gloss.ron")).expect("load");
    // "Port Averne" (0..11) as a location twice over, and "Talks" (14..19) as a claim.
    for (id, start, end, label) in [(1, 0, 4, "location"), (2, 0, 11, "location"), (3, 14, 19, "claim")] {
        p.documents[0].suggestions.push(gloss::model::Span::new(id, start, end, label));
    }
    gloss::store::save(&sb.join("p.gloss.ron"), &p).expect("save");
    let run = sb.gloss(&["stats", "--json", "p.gloss.ron"]);
    run.expect_status(0);
    let s: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!((s["suggestions"].clone(), s["documents_with_suggestions"].clone()), (3.into(), 1.into()));
    assert_eq!(s["suggested"], serde_json::json!({"claim": 1, "location": 2, "speaker": 0, "threat": 0}));
    assert_eq!(s["labels"]["location"], 7, "suggestions are not spans");

    let run = sb.gloss(&["stats", "p.gloss.ron"]);
    run.expect_status(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = lines.iter().position(|l| *l == "Spans per label").expect("section");
    assert_eq!(lines[at + 1].split_whitespace().collect::<Vec<_>>(), ["spans", "suggested"], "{}", run.stdout);
    assert_eq!(lines[at + 5].split_whitespace().collect::<Vec<_>>(), ["location", "7", "2"], "{}", run.stdout);
}

/// `gloss stats p.ron | head -1`: the reader goes away after one line; gloss must end quietly
/// (by SIGPIPE, as other Unix tools do), not panic on the failed write.
#[cfg(unix)]
#[test]
fn output_to_a_pipe_closed_early_ends_quietly() {
    use std::io::{BufRead as _, BufReader};
    use std::os::unix::process::ExitStatusExt as _;
    use std::process::{Command, Stdio};

    let sandbox = Sandbox::new();
    // Enough documents that the per-document table outgrows the pipe's buffer.
    let mut project = gloss::model::Project::new("many");
    for i in 0..20_000 {
        project.documents.push(gloss::model::Document::new(format!("d{i:05}"), format!("Doc {i}"), "Some text."));
    }
    let path = sandbox.join("many.gloss.ron");
    gloss::store::save(&path, &project).expect("save");
    for args in [&["stats", "many.gloss.ron"][..], &["stats", "many.gloss.ron", "--json"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(sandbox.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gloss");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("first line");
        // The reader is dropped here: the pipe is closed.
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!first.is_empty(), "{args:?} printed nothing");
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
        assert!(
            out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
            "{args:?} ended with {:?}: {stderr}",
            out.status
        );
    }
}
