//! A researcher's gazetteer workflow over several runs: `--accept-all` on a second run takes the
//! suggestions still waiting, rejections are remembered (and undone), `--include-rejected`
//! brings them back, exports never carry them, and `gloss merge` keeps the annotators' waiting
//! suggestions and joins their rejections.

use std::path::Path;

use gloss::model::{Edit, Project, Rejection, Span};

use crate::util::{Sandbox, py_slice};

fn corpus(sb: &Sandbox) {
    for name in ["harbour.txt", "urdu.txt", "mixed.txt", "places.tsv"] {
        sb.fixture(&format!("suggest/{name}"));
    }
    sb.gloss(&["import", "--into", "p.gloss.ron", "harbour.txt", "urdu.txt", "mixed.txt"]).expect_status(0);
}

fn load(path: &Path) -> Project {
    gloss::store::load(path).expect("loads")
}

fn waiting(p: &Project) -> usize {
    p.documents.iter().map(|d| d.suggestions.len()).sum()
}

/// The document and suggestion id of the first suggestion covering `phrase`.
fn find(p: &Project, phrase: &str) -> (usize, u64, Span) {
    for (i, d) in p.documents.iter().enumerate() {
        for s in &d.suggestions {
            if d.covered_text(s) == Some(phrase) {
                return (i, s.id, s.clone());
            }
        }
    }
    panic!("no suggestion on {phrase:?}")
}

#[test]
fn accept_all_on_a_second_run_takes_the_waiting_suggestions_of_the_same_gazetteer_only() {
    let sb = Sandbox::new();
    corpus(&sb);
    let path = sb.join("p.gloss.ron");
    sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w"]).expect_status(0);
    let first = load(&path);
    let n = waiting(&first);
    assert!(n >= 5, "the fixture gives several suggestions: {n}");
    // Someone else's suggestion (a merge conflict version) waits in the first document too.
    let mut project = first.clone();
    let mut other = Span::new(99, 0, 3, "claim");
    other.annotator = Some("ana".into());
    Edit::AddSuggestion { doc: 0, suggestion: other }.apply(&mut project).expect("adds");
    gloss::store::save(&path, &project).expect("saves");

    let dry = sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w", "--accept-all", "--dry-run"]);
    dry.expect_status(0);
    assert!(dry.stdout.contains(&format!("would accept {n} as spans (0 new, {n} already waiting)")), "{}", dry.stdout);
    assert_eq!(load(&path), project, "a dry run writes nothing");

    let run = sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w", "--accept-all", "--json"]);
    run.expect_status(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!((json["accepted"].as_u64(), json["accepted_new"].as_u64()), (Some(n as u64), Some(0)));
    assert_eq!(json["accepted_waiting"].as_u64(), Some(n as u64));
    let after = load(&path);
    assert_eq!(waiting(&after), 1, "only the other origin's suggestion waits");
    assert_eq!(after.documents[0].suggestions[0].annotator.as_deref(), Some("ana"));
    assert_eq!(after.span_count(), n);
    for d in &after.documents {
        for s in &d.spans {
            assert_eq!(s.annotator.as_deref(), Some("gazetteer:places.tsv"));
        }
    }
}

#[test]
fn rejections_are_remembered_skipped_reported_undone_and_never_exported() {
    let sb = Sandbox::new();
    corpus(&sb);
    let path = sb.join("p.gloss.ron");
    sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w"]).expect_status(0);
    let mut project = load(&path);
    let n = waiting(&project);
    // Reject the Urdu Karachi and Zoë, as the app does (one undoable edit each).
    let (doc, id, karachi) = find(&project, "کراچی");
    let undo_karachi = Edit::reject_suggestions(&project, doc, &[id]).expect("edit").apply(&mut project).expect("ok");
    let (doc, id, _) = find(&project, "Zoë");
    Edit::reject_suggestions(&project, doc, &[id]).expect("edit").apply(&mut project).expect("ok");
    assert!(project.documents[doc].rejected.iter().any(|r| py_slice(
        project.documents[doc].text.as_str(),
        r.start,
        r.end
    ) == "Zoë"));
    gloss::store::save(&path, &project).expect("saves");
    let text = std::fs::read_to_string(&path).expect("reads");
    assert!(text.contains("            rejected: [\n"), "{text}");

    // The same gazetteer again: nothing comes back, and the run says why.
    let run = sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w"]);
    run.expect_status(0);
    assert!(run.stdout.contains("added 0 suggestions"), "{}", run.stdout);
    assert!(
        run.stdout.contains("2 left out as rejected before (--include-rejected suggests them again)"),
        "{}",
        run.stdout
    );
    assert_eq!(waiting(&load(&path)), n - 2);

    // Exports never carry rejections (nor suggestions): same bytes with and without the memory.
    let mut forgotten = load(&path);
    for d in &mut forgotten.documents {
        d.rejected.clear();
    }
    gloss::store::save(&sb.join("forgotten.gloss.ron"), &forgotten).expect("saves");
    for format in ["jsonl", "conll", "brat", "hf", "csv"] {
        for project in ["p.gloss.ron", "forgotten.gloss.ron"] {
            let out = format!("{project}.{format}.out");
            sb.gloss(&["export", project, "--format", format, "--out", &out]).expect_status(0);
        }
        let a = tree(&sb.join(&format!("p.gloss.ron.{format}.out")));
        let b = tree(&sb.join(&format!("forgotten.gloss.ron.{format}.out")));
        assert_eq!(a, b, "{format}: rejections leak into the export");
    }

    // Undoing a rejection forgets it: the next run suggests it again.
    let mut project = load(&path);
    undo_karachi.apply(&mut project).expect("undo applies");
    let karachi_back =
        project.documents[doc_of(&project, &karachi)].suggestions.iter().any(|s| s.start == karachi.start);
    assert!(karachi_back, "undo brings the suggestion back");
    assert!(!project.documents.iter().any(|d| d.rejected.contains(&Rejection::of(&karachi))));
    gloss::store::save(&path, &project).expect("saves");

    // --include-rejected suggests Zoë again; --accept-all then takes it and forgets the "no".
    let run =
        sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w", "--include-rejected", "--accept-all"]);
    run.expect_status(0);
    assert!(run.stdout.contains("added 1 suggestions"), "{}", run.stdout);
    let after = load(&path);
    assert!(after.documents.iter().all(|d| d.rejected.is_empty()), "accepting forgets the rejection");
    assert_eq!(waiting(&after), 0);
}

fn doc_of(p: &Project, s: &Span) -> usize {
    p.documents
        .iter()
        .position(|d| d.rejected.contains(&Rejection::of(s)) || d.suggestions.iter().any(|x| x.start == s.start))
        .unwrap_or(0)
}

fn tree(path: &Path) -> Vec<(String, Vec<u8>)> {
    if path.is_file() {
        return vec![(String::new(), std::fs::read(path).expect("read"))];
    }
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(path)
        .expect("dir")
        .flatten()
        .flat_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            tree(&e.path()).into_iter().map(move |(sub, bytes)| (format!("{name}/{sub}"), bytes))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_file_without_rejections_keeps_its_bytes_and_an_older_layout_loads() {
    let sb = Sandbox::new();
    corpus(&sb);
    let path = sb.join("p.gloss.ron");
    sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w"]).expect_status(0);
    let before = std::fs::read(&path).expect("reads");
    assert!(!String::from_utf8_lossy(&before).contains("rejected"));
    let project = load(&path);
    gloss::store::save(&path, &project).expect("saves");
    assert_eq!(std::fs::read(&path).expect("reads"), before, "load then save changes no byte");
}

#[test]
fn merge_keeps_the_annotators_waiting_suggestions_and_joins_their_rejections() {
    let sb = Sandbox::new();
    corpus(&sb);
    sb.gloss(&["suggest", "p.gloss.ron", "--gazetteer", "places.tsv", "-w"]).expect_status(0);
    let base = load(&sb.join("p.gloss.ron"));
    let n = waiting(&base);
    // Ana accepts the Urdu Karachi and rejects Zoë; Ben labels a claim and leaves the rest waiting.
    let mut ana = base.clone();
    let (doc, id, karachi) = find(&ana, "کراچی");
    Edit::accept_suggestions(&ana, doc, &[id]).expect("edit").apply(&mut ana).expect("ok");
    let (zdoc, zid, zoe) = find(&ana, "Zoë");
    Edit::reject_suggestions(&ana, zdoc, &[zid]).expect("edit").apply(&mut ana).expect("ok");
    let mut ben = base.clone();
    Edit::AddSpan { doc: 2, span: Span::new(1, 0, 2, "claim") }.apply(&mut ben).expect("ok");
    gloss::store::save(&sb.join("ana.gloss.ron"), &ana).expect("saves");
    gloss::store::save(&sb.join("ben.gloss.ron"), &ben).expect("saves");

    let run = sb.gloss(&["merge", "ana.gloss.ron", "ben.gloss.ron", "--out", "gold.gloss.ron"]);
    run.expect_status(0);
    assert!(
        run.stdout.contains(&format!(
            "Waiting suggestions from the annotators' projects: {} kept, {} repeats left out, 1 left out as rejected \
             by an annotator",
            n - 2,
            n - 1 // each of ben's waiting ones repeats ana's, and his Karachi repeats the disputed span
        )),
        "{}",
        run.stdout
    );
    let gold = load(&sb.join("gold.gloss.ron"));
    let gazetteer: Vec<&Span> = gold
        .documents
        .iter()
        .flat_map(|d| &d.suggestions)
        .filter(|s| s.annotator.as_deref() == Some("gazetteer:places.tsv"))
        .collect();
    assert_eq!(gazetteer.len(), n - 2, "every waiting one once, minus Karachi (disputed) and Zoë (rejected)");
    assert!(gold.documents[zdoc].rejected.contains(&Rejection::of(&zoe)));
    // Karachi: ana's span, not ben's: a dispute, its version named by annotator.
    let disputed: Vec<&Span> =
        gold.documents[doc].suggestions.iter().filter(|s| Rejection::of(s) == Rejection::of(&karachi)).collect();
    assert_eq!(disputed.len(), 1);
    assert_eq!(disputed[0].annotator.as_deref(), Some("ana"));
    // Review walks only the disputes (Karachi and ben's claim), not the gazetteer's suggestions.
    let conflicts = gloss::analysis::conflicts::project_conflicts(&gold);
    assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    assert!(run.stdout.contains("2 conflicts to review"), "{}", run.stdout);
}
