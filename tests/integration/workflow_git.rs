//! `gloss merge-driver` under real git (issue 6): two branches of one project merge semantically.

use std::path::Path;
use std::process::Command;

use gloss::model::{Edit, Project, Span};

use crate::util::Sandbox;
use crate::workflow::{TEXT1, TEXT2, project};

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run git")
}

#[track_caller]
fn ok(out: std::process::Output) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "git failed: {text}");
    text
}

fn add(p: &mut Project, doc: usize, id: u64, start: usize, end: usize, label: &str) {
    Edit::AddSpan { doc, span: Span::new(id, start, end, label) }.apply(p).expect("span");
}

/// A repository with the driver configured and a base commit of p.gloss.ron on `main`.
fn repo(base: &Project) -> Sandbox {
    let sb = Sandbox::new();
    let dir = sb.path();
    ok(git(dir, &["init", "-q", "-b", "main"]));
    sb.write(".gitattributes", "*.gloss.ron merge=gloss\n");
    let driver = format!("{} merge-driver %O %A %B", env!("CARGO_BIN_EXE_gloss"));
    ok(git(dir, &["config", "merge.gloss.driver", &driver]));
    gloss::store::save(&sb.join("p.gloss.ron"), base).expect("save");
    ok(git(dir, &["add", "."]));
    ok(git(dir, &["commit", "-q", "-m", "base"]));
    sb
}

fn commit_on(sb: &Sandbox, branch: &str, from: &str, project: &Project) {
    ok(git(sb.path(), &["checkout", "-q", "-b", branch, from]));
    gloss::store::save(&sb.join("p.gloss.ron"), project).expect("save");
    ok(git(sb.path(), &["commit", "-q", "-am", branch]));
}

#[test]
fn two_branches_labelling_different_documents_merge_cleanly() {
    let base = project("P", &[("d1", TEXT1, &[]), ("d2", TEXT2, &[])]);
    let sb = repo(&base);
    let mut ana = base.clone();
    add(&mut ana, 0, 1, 0, 14, "speaker");
    add(&mut ana, 0, 2, 20, 56, "claim");
    // Both also label the start of d2 under the same new id 1 (a textual merge would conflict here).
    add(&mut ana, 1, 1, 0, 6, "speaker");
    let mut ben = base.clone();
    add(&mut ben, 1, 1, 7, 31, "threat");
    add(&mut ben, 1, 2, 26, 31, "location");
    commit_on(&sb, "ana", "main", &ana);
    commit_on(&sb, "ben", "main", &ben);
    ok(git(sb.path(), &["checkout", "-q", "ana"]));
    let out = ok(git(sb.path(), &["merge", "--no-edit", "ben"]));
    assert!(!out.contains("CONFLICT"), "{out}");
    let merged = gloss::store::load(&sb.join("p.gloss.ron")).expect("merged project loads");
    let d1 = &merged.documents[0];
    assert_eq!(d1.spans.len(), 2);
    let d2 = &merged.documents[1];
    let spans: Vec<(u64, usize, usize, &str)> =
        d2.spans.iter().map(|s| (s.id, s.start, s.end, s.label.as_str())).collect();
    // Ours keeps id 1; theirs' colliding 1 and 2 → 3 and 2 (2 is free on our side).
    assert_eq!(spans, vec![(1, 0, 6, "speaker"), (3, 7, 31, "threat"), (2, 26, 31, "location")]);
    let status = ok(git(sb.path(), &["status", "--porcelain"]));
    assert!(status.trim().is_empty(), "{status}");
}

#[test]
fn the_same_span_changed_two_ways_is_reported_as_a_conflict() {
    let mut base = project("P", &[("d1", TEXT1, &[(0, 14, "speaker")]), ("d2", TEXT2, &[])]);
    base.documents[0].title = "base".into();
    let sb = repo(&base);
    let mut ana = base.clone();
    ana.documents[0].spans[0].end = 10;
    add(&mut ana, 1, 1, 0, 6, "speaker");
    let mut ben = base.clone();
    ben.documents[0].spans[0].label = "claim".into();
    commit_on(&sb, "ana", "main", &ana);
    commit_on(&sb, "ben", "main", &ben);
    ok(git(sb.path(), &["checkout", "-q", "ana"]));
    let out = git(sb.path(), &["merge", "--no-edit", "ben"]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("CONFLICT"), "{text}");
    assert!(text.contains("span 1: changed on both sides"), "{text}");
    let merged = gloss::store::load(&sb.join("p.gloss.ron")).expect("the conflicted file still loads");
    let d1 = &merged.documents[0];
    assert_eq!(d1.find_exact(0, 10, "speaker").map(|s| s.id), Some(1));
    let theirs = d1.find_exact(0, 14, "claim").expect("theirs' version kept");
    assert_eq!(theirs.id, 2);
    assert!(theirs.note.as_deref().is_some_and(|n| n.starts_with("conflict:")), "{:?}", theirs.note);
    assert_eq!(merged.documents[1].spans.len(), 1, "the clean part of the merge is kept");
}

#[test]
fn unreadable_input_exits_2() {
    let sb = Sandbox::new();
    gloss::store::save(&sb.join("o.ron"), &project("P", &[("d1", TEXT1, &[])])).expect("save");
    sb.write("a.ron", "garbage");
    let run = sb.gloss(&["merge-driver", "o.ron", "a.ron", "o.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("a.ron"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(sb.join("a.ron")).expect("read"), "garbage");
}

#[test]
fn a_gold_reviewed_on_two_branches_merges_its_decisions() {
    // The gold of a merge: three conflicts left as suggestions (two in d1, one in d2).
    let a =
        project("A", &[("d1", TEXT1, &[(0, 14, "speaker"), (20, 56, "claim")]), ("d2", TEXT2, &[(7, 31, "threat")])]);
    let b = project("B", &[("d1", TEXT1, &[(6, 14, "speaker")]), ("d2", TEXT2, &[(7, 31, "claim")])]);
    let (base, _) = gloss::analysis::merge::merge(&[("a", &a), ("b", &b)]);
    let sb = repo(&base);
    // Ana decides d1 (accepts a's speaker); Ben decides d2 (neither).
    use gloss::analysis::conflicts::{Decision, decision_edit, document_conflicts};
    let decide = |p: &Project, doc: usize, decision: Decision| {
        let mut p = p.clone();
        let conflict = document_conflicts(&p, doc).remove(0);
        decision_edit(&p, &conflict, decision).expect("edit").apply(&mut p).expect("applies");
        p
    };
    commit_on(&sb, "ana", "main", &decide(&base, 0, Decision::Accept(0)));
    commit_on(&sb, "ben", "main", &decide(&base, 1, Decision::Neither));
    ok(git(sb.path(), &["checkout", "-q", "ana"]));
    let out = ok(git(sb.path(), &["merge", "--no-edit", "ben"]));
    assert!(!out.contains("CONFLICT"), "{out}");
    let merged = gloss::store::load(&sb.join("p.gloss.ron")).expect("merged project loads");
    let left: Vec<(usize, usize, &str)> =
        merged.documents[0].suggestions.iter().map(|s| (s.start, s.end, s.label.as_str())).collect();
    assert_eq!(left, [(20, 56, "claim")], "the conflict nobody decided stays");
    assert!(merged.documents[1].suggestions.is_empty(), "ben's decision kept");
    assert!(merged.documents[0].find_exact(0, 14, "speaker").is_some(), "ana's accept arrives as a span");
    assert!(merged.documents[0].find_exact(6, 14, "speaker").is_none());
    assert!(merged.documents[1].spans.is_empty());
}
