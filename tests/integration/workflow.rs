//! The team workflow (issue 6): `gloss agree`, `merge` and `split`, with figures worked out by hand.

use gloss::model::{Document, Edit, Project, Span};

use crate::util::Sandbox;

/// Document 1 (57 code points, 11 words) and document 2 (32 code points, 5 words).
pub const TEXT1: &str = "Mayor Jane Doe said the bridge will close in Lagos today.";
pub const TEXT2: &str = "Rebels threatened to burn Kabul.";

/// A document for [`project`]: id, text and spans as (start, end, label).
pub type DocSpec<'a> = (&'a str, &'a str, &'a [(usize, usize, &'a str)]);

/// A project whose documents have the given texts and spans (start, end, label).
pub fn project(name: &str, docs: &[DocSpec<'_>]) -> Project {
    let mut p = Project::new(name);
    for (i, (id, text, spans)) in docs.iter().enumerate() {
        p.documents.push(Document::new(*id, format!("doc {id}"), *text));
        for (k, &(start, end, label)) in spans.iter().enumerate() {
            Edit::AddSpan { doc: i, span: Span::new(k as u64 + 1, start, end, label) }
                .apply(&mut p)
                .expect("valid span");
        }
    }
    p
}

/// Annotator a: the reference.
pub fn annotator_a() -> Project {
    project(
        "Ana",
        &[
            ("d1", TEXT1, &[(0, 14, "speaker"), (20, 56, "claim"), (45, 50, "location")]),
            ("d2", TEXT2, &[(0, 6, "speaker"), (7, 31, "threat"), (26, 31, "location")]),
        ],
    )
}

/// Annotator b: other ids, one document of its own, speaker boundary and a label differ.
pub fn annotator_b() -> Project {
    project(
        "Ben",
        &[
            ("x9", "A text only b has.", &[(2, 6, "claim")]),
            ("x7", TEXT1, &[(6, 14, "speaker"), (20, 56, "claim"), (45, 50, "location")]),
            ("x8", TEXT2, &[(0, 6, "speaker"), (7, 31, "claim")]),
        ],
    )
}

/// Annotator c: like a, without the location in document 1 (same tokens as a).
pub fn annotator_c() -> Project {
    project(
        "Cy",
        &[
            ("d1", TEXT1, &[(0, 14, "speaker"), (20, 56, "claim")]),
            ("d2", TEXT2, &[(0, 6, "speaker"), (7, 31, "threat"), (26, 31, "location")]),
        ],
    )
}

/// A sandbox with a.gloss.ron, b.gloss.ron and c.gloss.ron.
pub fn three_annotators() -> Sandbox {
    let sb = Sandbox::new();
    gloss::store::save(&sb.join("a.gloss.ron"), &annotator_a()).expect("save");
    gloss::store::save(&sb.join("b.gloss.ron"), &annotator_b()).expect("save");
    gloss::store::save(&sb.join("c.gloss.ron"), &annotator_c()).expect("save");
    sb
}

#[track_caller]
fn close(value: &serde_json::Value, expected: f64) {
    let found = value.as_f64().unwrap_or_else(|| panic!("not a number: {value}"));
    assert!((found - expected).abs() < 1e-12, "expected {expected}, found {found}");
}

fn agree_json(sb: &Sandbox, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["agree", "--json"];
    all.extend_from_slice(args);
    let run = sb.gloss(&all);
    run.expect_status(0);
    serde_json::from_str(&run.stdout).expect("json")
}

#[test]
fn two_annotators_by_hand() {
    let sb = three_annotators();
    let r = agree_json(&sb, &["a.gloss.ron", "b.gloss.ron"]);
    assert_eq!(r["method"], "reference");
    assert_eq!(r["shared_documents"], 2);
    assert_eq!(r["documents"], serde_json::json!(["d1", "d2"]));
    assert_eq!(r["unshared_documents"]["b"], 1);
    assert_eq!(r["tokens"], 16);
    // a has 6 spans, b 5 (in shared documents); exact matches: claim 20..56, location 45..50,
    // speaker 0..6.
    close(&r["exact"]["precision"], 3.0 / 5.0);
    close(&r["exact"]["recall"], 3.0 / 6.0);
    close(&r["exact"]["f1"], 6.0 / 11.0);
    // Overlap adds speaker 0..14 ~ 6..14; threat vs claim never match (labels differ).
    close(&r["overlap"]["precision"], 4.0 / 5.0);
    close(&r["overlap"]["recall"], 4.0 / 6.0);
    close(&r["overlap"]["f1"], 8.0 / 11.0);
    close(&r["per_label"]["speaker"]["exact"]["f1"], 0.5);
    close(&r["per_label"]["speaker"]["overlap"]["f1"], 1.0);
    close(&r["per_label"]["claim"]["exact"]["f1"], 2.0 / 3.0);
    close(&r["per_label"]["threat"]["exact"]["f1"], 0.0);
    close(&r["per_label"]["location"]["exact"]["f1"], 2.0 / 3.0);
    // Tokens a: S S S O C×7 | S T T T T; b: O S S O C×7 | S C C C C.
    // po = 11/16; pe = (4·3 + 1·2 + 7·11 + 4·0)/256 = 91/256; κ = 85/165.
    close(&r["cohen_kappa"], 85.0 / 165.0);
    // Fleiss with two raters: P̄ = 11/16; p = (S 7, O 3, C 18, T 4)/32; Pe = 398/1024.
    close(&r["fleiss_kappa"], 306.0 / 626.0);
    assert_eq!(r["confusion"]["speaker"]["speaker"], 2);
    assert_eq!(r["confusion"]["claim"]["claim"], 1);
    assert_eq!(r["confusion"]["threat"]["claim"], 1);
    assert_eq!(r["confusion"]["location"]["location"], 1);
    assert_eq!(r["confusion"]["location"]["none"], 1);
    let d = r["disagreements"].as_array().expect("list");
    assert_eq!(d.len(), 4, "{d:?}");
    assert_eq!(d[0]["document"], "d1");
    assert_eq!((d[0]["start"].as_u64(), d[0]["end"].as_u64()), (Some(0), Some(14)));
    assert_eq!(d[0]["text"], "Mayor Jane Doe");
    assert_eq!(d[0]["labels"]["a"], "speaker");
    assert_eq!(d[0]["labels"]["b"], serde_json::Value::Null);
    assert_eq!(d[2]["text"], "threatened to burn Kabul");
    assert_eq!(d[2]["labels"]["b"], "claim");

    let text = sb.gloss(&["agree", "a.gloss.ron", "b.gloss.ron"]);
    text.expect_status(0);
    assert!(text.stdout.contains("Reference: a"), "{}", text.stdout);
    assert!(text.stdout.contains("F1 0.5455"), "{}", text.stdout);
    assert!(text.stdout.contains("Cohen's kappa: 0.5152"), "{}", text.stdout);
}

#[test]
fn three_annotators_pairwise_mean_by_hand() {
    let sb = three_annotators();
    let r = agree_json(&sb, &["a.gloss.ron", "b.gloss.ron", "c.gloss.ron"]);
    assert_eq!(r["method"], "pairwise mean");
    assert_eq!(r["pairs"].as_array().map(Vec::len), Some(3));
    // Exact F1: a–b 6/11, a–c 10/11, b–c 4/10; mean 34/55.
    close(&r["exact"]["f1"], 34.0 / 55.0);
    // Precision and recall over both directions: (0.6 + 0.5 + 1 + 5/6 + 0.4 + 0.4)/6 = 28/45.
    close(&r["exact"]["precision"], 28.0 / 45.0);
    close(&r["exact"]["recall"], 28.0 / 45.0);
    assert_eq!(r["cohen_kappa"], serde_json::Value::Null);
    // c's tokens equal a's: pairwise κ 85/165, 1, 85/165.
    close(&r["cohen_kappa_pairwise_mean"], (2.0 * 85.0 / 165.0 + 1.0) / 3.0);
    // Fleiss: P̄ = (5·1/3 + 11)/16 = 19/24; totals S 11, O 4, C 25, T 8 of 48 → Pe = 826/2304.
    close(&r["fleiss_kappa"], 998.0 / 1478.0);
}

#[test]
fn thresholds_exit_1_when_not_reached() {
    let sb = three_annotators();
    sb.gloss(&["agree", "a.gloss.ron", "b.gloss.ron", "--min-kappa", "0.5"]).expect_status(0);
    let run = sb.gloss(&["agree", "a.gloss.ron", "b.gloss.ron", "--min-kappa", "0.6"]);
    run.expect_status(1);
    assert!(run.stderr.contains("below --min-kappa 0.6"), "{}", run.stderr);
    sb.gloss(&["agree", "a.gloss.ron", "b.gloss.ron", "--min-f1", "0.5"]).expect_status(0);
    sb.gloss(&["agree", "a.gloss.ron", "b.gloss.ron", "--min-f1", "0.55"]).expect_status(1);
    sb.gloss(&["agree", "a.gloss.ron", "c.gloss.ron", "--min-f1", "0.9", "--min-kappa", "1"]).expect_status(0);
}

#[test]
fn hostile_input_exits_2_with_a_clear_message() {
    let sb = three_annotators();
    gloss::store::save(&sb.join("other.gloss.ron"), &project("O", &[("d1", "Different text.", &[])])).expect("save");
    gloss::store::save(&sb.join("empty.gloss.ron"), &Project::new("E")).expect("save");
    sb.write("broken.ron", "(format: \"gloss-project\", version: 1, name: ");

    let run = sb.gloss(&["agree", "a.gloss.ron", "other.gloss.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("no document has the same text in every project"), "{}", run.stderr);
    sb.gloss(&["agree", "a.gloss.ron", "empty.gloss.ron"]).expect_status(2);
    sb.gloss(&["agree", "empty.gloss.ron", "empty.gloss.ron"]).expect_status(2);
    let run = sb.gloss(&["agree", "a.gloss.ron"]);
    run.expect_status(2);
    let run = sb.gloss(&["agree", "a.gloss.ron", "broken.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("broken.ron"), "{}", run.stderr);
    let run = sb.gloss(&["agree", "a.gloss.ron", "missing.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("missing.ron"), "{}", run.stderr);
}

#[test]
fn same_file_twice_agrees_perfectly_and_unlabelled_text_has_no_kappa() {
    let sb = three_annotators();
    let r = agree_json(&sb, &["a.gloss.ron", "a.gloss.ron"]);
    close(&r["exact"]["f1"], 1.0);
    close(&r["cohen_kappa"], 1.0);
    assert_eq!(r["disagreements"].as_array().map(Vec::len), Some(0));
    gloss::store::save(&sb.join("e1.gloss.ron"), &project("E1", &[("d1", TEXT1, &[])])).expect("save");
    gloss::store::save(&sb.join("e2.gloss.ron"), &project("E2", &[("d1", TEXT1, &[])])).expect("save");
    let r = agree_json(&sb, &["e1.gloss.ron", "e2.gloss.ron", "--min-kappa", "0.9", "--min-f1", "0.9"]);
    assert_eq!(r["exact"]["f1"], serde_json::Value::Null);
    assert_eq!(r["cohen_kappa"], serde_json::Value::Null);
}

#[test]
fn merge_keeps_agreed_spans_and_leaves_disputed_ones_as_suggestions() {
    let sb = three_annotators();
    let run = sb.gloss(&["merge", "a.gloss.ron", "b.gloss.ron", "--out", "gold.gloss.ron"]);
    run.expect_status(0);
    // d1: claim and location agreed, speaker 0..14 (a) and 6..14 (b) disputed: one conflict;
    // d2: speaker agreed; threat 7..31 (a), claim 7..31 (b) and location 26..31 (a) disputed, all
    // overlapping: one conflict; b's own document: its one span, nobody disagrees.
    assert!(
        run.stdout.contains(
            "3 documents (2 in every project), 4 agreed spans, 5 disputed spans (suggestions) in 2 documents, \
             2 conflicts to review"
        ),
        "{}",
        run.stdout
    );
    let gold = gloss::store::load(&sb.join("gold.gloss.ron")).expect("gold loads");
    assert_eq!(gold.documents.len(), 3);
    let d1 = &gold.documents[0];
    assert_eq!(d1.id, "d1");
    assert_eq!(d1.meta["gloss.annotators"], "a, b");
    assert_eq!(d1.status, gloss::model::Status::InProgress);
    assert_eq!(d1.spans.len(), 2);
    assert!(d1.find_exact(0, 14, "speaker").is_none(), "a disputed span is not a span");
    let origin = |d: &gloss::model::Document, start, end, label: &str| {
        d.suggestions
            .iter()
            .find(|s| (s.start, s.end, s.label.as_str()) == (start, end, label))
            .map(|s| s.annotator.clone())
    };
    assert_eq!(origin(d1, 0, 14, "speaker"), Some(Some("a".into())));
    assert_eq!(origin(d1, 6, 14, "speaker"), Some(Some("b".into())));
    assert_eq!(d1.find_exact(20, 56, "claim").map(|s| s.annotator.clone()), Some(None));
    assert_eq!(gold.documents[1].suggestions.len(), 3);
    assert!(gold.documents[2].suggestions.is_empty());
    assert!(!gold.documents[2].meta.contains_key("gloss.annotators"), "only b has it");
    let file = std::fs::read_to_string(sb.join("gold.gloss.ron")).expect("read");
    assert!(!file.contains("conflict:"), "{file}");

    let again = sb.gloss(&["merge", "a.gloss.ron", "b.gloss.ron", "--out", "gold.gloss.ron"]);
    again.expect_status(2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    sb.gloss(&["merge", "a.gloss.ron", "c.gloss.ron", "--out", "gold.gloss.ron", "--force"]).expect_status(0);
    let gold = gloss::store::load(&sb.join("gold.gloss.ron")).expect("gold loads");
    assert_eq!(gold.documents[0].suggestions.len(), 1);
    assert!(gold.documents[1].suggestions.is_empty());

    // Suggestions are never exported, and agreement compares spans only.
    sb.gloss(&["export", "gold.gloss.ron", "--format", "jsonl", "--out", "gold.jsonl"]).expect_status(0);
    let exported = std::fs::read_to_string(sb.join("gold.jsonl")).expect("read");
    assert!(exported.contains("\"Mayor Jane Doe\""), "the agreed speaker is exported: {exported}");
    assert!(!exported.contains("\"Lagos\""), "the disputed location is not exported: {exported}");
    let r = agree_json(&sb, &["gold.gloss.ron", "c.gloss.ron"]);
    close(&r["exact"]["f1"], 1.0);
}

#[test]
fn merge_of_three_names_everyone_who_made_a_span() {
    let sb = three_annotators();
    sb.gloss(&["merge", "a.gloss.ron", "b.gloss.ron", "c.gloss.ron", "--out", "g.gloss.ron"]).expect_status(0);
    let gold = gloss::store::load(&sb.join("g.gloss.ron")).expect("gold loads");
    let d2 = &gold.documents[1];
    let threat = d2.suggestions.iter().find(|s| (s.start, s.end, s.label.as_str()) == (7, 31, "threat"));
    assert_eq!(threat.and_then(|s| s.annotator.as_deref()), Some("a+c"));
    assert_eq!(threat.and_then(|s| s.note.as_deref()), None);
}

#[test]
fn merge_refuses_hostile_input() {
    let sb = three_annotators();
    gloss::store::save(&sb.join("other.gloss.ron"), &project("O", &[("d1", "Different text.", &[])])).expect("save");
    sb.write("broken.ron", "not ron at all");
    let run = sb.gloss(&["merge", "a.gloss.ron", "other.gloss.ron", "--out", "g.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("no document has the same text"), "{}", run.stderr);
    let run = sb.gloss(&["merge", "a.gloss.ron", "broken.ron", "--out", "g.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("broken.ron"), "{}", run.stderr);
    sb.gloss(&["merge", "a.gloss.ron", "--out", "g.ron"]).expect_status(2);
    assert!(!sb.join("g.ron").exists());
}

/// Ten documents with different texts; d3 has a span.
fn ten_documents() -> Project {
    let mut p = Project::new("Corpus");
    for i in 1..=10 {
        p.documents.push(Document::new(format!("d{i}"), format!("t{i}"), format!("Article number {i} says things.")));
    }
    Edit::AddSpan { doc: 2, span: Span::new(1, 0, 7, "claim") }.apply(&mut p).expect("span");
    p
}

#[test]
fn split_deals_documents_with_a_shared_overlap_reproducibly() {
    let sb = Sandbox::new();
    gloss::store::save(&sb.join("p.gloss.ron"), &ten_documents()).expect("save");
    let args = ["split", "p.gloss.ron", "--annotators", "a,b,c", "--overlap", "0.2", "--seed", "42", "--out", "team"];
    let run = sb.gloss(&args);
    run.expect_status(0);
    // 10 documents: round(0.2 × 10) = 2 to everyone; the other 8 dealt a, b, c, a, b, c, a, b.
    assert!(run.stdout.contains("a: 5 documents"), "{}", run.stdout);
    assert!(run.stdout.contains("b: 5 documents"), "{}", run.stdout);
    assert!(run.stdout.contains("c: 4 documents"), "{}", run.stdout);
    assert!(run.stdout.contains("2 documents shared by every annotator"), "{}", run.stdout);
    let parts: Vec<Project> = ["a", "b", "c"]
        .iter()
        .map(|n| gloss::store::load(&sb.join(&format!("team/{n}.gloss.ron"))).expect("load"))
        .collect();
    let ids = |p: &Project| p.documents.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    for i in 1..=10 {
        let id = format!("d{i}");
        let holders = parts.iter().filter(|p| ids(p).contains(&id)).count();
        assert!(holders == 1 || holders == 3, "{id} held by {holders}");
    }
    // Spans are kept wherever d3 went.
    for p in &parts {
        if let Some(d) = p.documents.iter().find(|d| d.id == "d3") {
            assert_eq!(d.spans.len(), 1);
        }
    }
    // Agreement over the overlap works on the result.
    let r = agree_json(&sb, &["team/a.gloss.ron", "team/b.gloss.ron", "team/c.gloss.ron"]);
    assert_eq!(r["shared_documents"], 2);

    // Same seed, same files; --force needed to overwrite.
    let first = std::fs::read_to_string(sb.join("team/a.gloss.ron")).expect("read");
    let again = sb.gloss(&args);
    again.expect_status(2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let mut forced = args.to_vec();
    forced.push("--force");
    sb.gloss(&forced).expect_status(0);
    assert_eq!(std::fs::read_to_string(sb.join("team/a.gloss.ron")).expect("read"), first);
    // Some other seed deals differently.
    let differs = (0..5).any(|seed| {
        let dir = format!("s{seed}");
        let seed = seed.to_string();
        sb.gloss(&[
            "split",
            "p.gloss.ron",
            "--annotators",
            "a,b,c",
            "--overlap",
            "0.2",
            "--seed",
            &seed,
            "--out",
            &dir,
        ])
        .expect_status(0);
        std::fs::read_to_string(sb.join(&format!("{dir}/a.gloss.ron"))).expect("read") != first
    });
    assert!(differs);
}

#[test]
fn split_refuses_bad_arguments() {
    let sb = Sandbox::new();
    gloss::store::save(&sb.join("p.gloss.ron"), &ten_documents()).expect("save");
    let base = ["split", "p.gloss.ron", "--out", "o", "--annotators"];
    let with = |extra: &[&str]| {
        let mut v = base.to_vec();
        v.extend_from_slice(extra);
        sb.gloss(&v)
    };
    with(&["a,b", "--overlap", "1.5"]).expect_status(2);
    let run = with(&["a,a"]);
    run.expect_status(2);
    assert!(run.stderr.contains("named twice"), "{}", run.stderr);
    with(&["a,../x"]).expect_status(2);
    with(&["a,"]).expect_status(2);
    sb.gloss(&["split", "missing.ron", "--annotators", "a", "--out", "o"]).expect_status(2);
    assert!(!sb.join("o").exists());
    // One annotator, full overlap: a copy.
    with(&["solo", "--overlap", "1"]).expect_status(0);
    let solo = gloss::store::load(&sb.join("o/solo.gloss.ron")).expect("load");
    assert_eq!(solo.documents.len(), 10);
}
