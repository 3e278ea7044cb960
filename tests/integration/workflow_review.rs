//! Merge and adjudication (issue 6): two annotators' projects (tests/fixtures/review, English with
//! an emoji, Urdu, Hindi) go through `gloss merge`, whose figures are checked against a count made
//! here independently; then the conflicts are decided in the app's review mode by keys, and the
//! saved and exported gold has exactly the decided spans.

use std::collections::BTreeSet;

use gloss::model::{Document, Project};

use crate::util::{Sandbox, fixture_path};

/// A span as the test counts it: (document text, start, end, label).
type SpanKey = (String, usize, usize, String);

fn load(name: &str) -> Project {
    gloss::store::load(&fixture_path(&format!("review/{name}"))).expect("fixture loads")
}

fn keys(doc: &Document) -> BTreeSet<SpanKey> {
    doc.spans.iter().map(|s| (doc.text.as_str().to_owned(), s.start, s.end, s.label.clone())).collect()
}

/// What the merge should report, counted by set arithmetic and a pairwise overlap closure (not the
/// merge's sweep): (shared documents, agreed, disputed, documents with disputes, conflicts).
fn independent_count(a: &Project, b: &Project) -> (usize, usize, usize, usize, usize) {
    let (mut shared, mut agreed, mut disputed, mut with, mut conflicts) = (0, 0, 0, 0, 0);
    let mut only_one = 0;
    for da in &a.documents {
        let Some(db) = b.documents.iter().find(|d| d.text.as_str() == da.text.as_str()) else {
            only_one += keys(da).len();
            continue;
        };
        shared += 1;
        let (ka, kb) = (keys(da), keys(db));
        agreed += ka.intersection(&kb).count();
        let diff: Vec<&SpanKey> = ka.symmetric_difference(&kb).collect();
        disputed += diff.len();
        with += usize::from(!diff.is_empty());
        // Connected components of the "overlaps" graph, by repeated relabelling.
        let mut group: Vec<usize> = (0..diff.len()).collect();
        loop {
            let mut changed = false;
            for i in 0..diff.len() {
                for j in 0..diff.len() {
                    let overlap = diff[i].1 < diff[j].2 && diff[j].1 < diff[i].2;
                    if overlap && group[j] < group[i] {
                        group[i] = group[j];
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        conflicts += group.iter().collect::<BTreeSet<_>>().len();
    }
    (shared, agreed + only_one, disputed, with, conflicts)
}

#[test]
fn merge_figures_match_an_independent_count() {
    let sb = Sandbox::new();
    let run = sb.gloss(&[
        "merge",
        &fixture_path("review/ana.gloss.ron").to_string_lossy(),
        &fixture_path("review/ben.gloss.ron").to_string_lossy(),
        "--out",
        "gold.gloss.ron",
    ]);
    run.expect_status(0);
    let (shared, agreed, disputed, with, conflicts) = independent_count(&load("ana.gloss.ron"), &load("ben.gloss.ron"));
    // The fixtures were written with 6 conflicts in 3 shared documents; make sure of it.
    assert_eq!((shared, agreed, disputed, with, conflicts), (3, 7, 10, 3, 6));
    let expected = format!(
        "4 documents ({shared} in every project), {agreed} agreed spans, {disputed} disputed spans (suggestions) in \
         {with} documents, {conflicts} conflicts to review"
    );
    assert!(run.stdout.contains(&expected), "{expected}\n{}", run.stdout);
    // The two links to the disputed governor speaker are reported, not silently dropped.
    assert!(run.stdout.contains("2 links touch a disputed span"), "{}", run.stdout);
    assert!(run.stdout.contains("said “Élise Marchetti” → “will close every dock by Friday” (ben)"), "{}", run.stdout);

    let gold = gloss::store::load(&sb.join("gold.gloss.ron")).expect("gold loads");
    let in_gold: usize = gold.documents.iter().map(|d| d.spans.len()).sum();
    let suggested: usize = gold.documents.iter().map(|d| d.suggestions.len()).sum();
    assert_eq!((in_gold, suggested), (agreed, disputed));
    assert_eq!(gloss::analysis::conflicts::project_conflicts(&gold).len(), conflicts);
    assert_eq!(gold.documents[0].relations.len(), 1, "the agreed Wójcik → claim link");
    let lisbon = gold.documents[0].suggestions.iter().find(|s| s.label == "location").expect("Lisbon");
    assert_eq!(lisbon.note.as_deref(), Some("the Portuguese city?"), "the annotator's own note");
}

#[cfg(feature = "gui")]
mod review_by_keys {
    use egui::{Key, Modifiers};
    use egui_kittest::Harness;
    use gloss::gui::{GlossApp, Launch, Persisted};

    use super::*;

    const CTRL: Modifiers = Modifiers::COMMAND;
    const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

    fn press(h: &mut Harness<'_, GlossApp>, modifiers: Modifiers, key: Key) {
        h.key_press_modifiers(modifiers, key);
        h.run();
    }

    fn suggestions(h: &Harness<'_, GlossApp>) -> usize {
        h.state().open.as_ref().map_or(0, |o| o.project.documents.iter().map(|d| d.suggestions.len()).sum())
    }

    /// The conflict on screen: (document index, its first suggestion's text).
    fn on_screen(h: &Harness<'_, GlossApp>) -> (usize, usize) {
        let open = h.state().open.as_ref().expect("open");
        let sel = h.state().view.selection.clone().expect("the conflict is selected");
        (open.doc, sel.start)
    }

    fn at(doc: &Document, phrase: &str) -> (usize, usize) {
        let text = doc.text.as_str();
        let byte = text.find(phrase).expect("phrase");
        let start = text[..byte].chars().count();
        (start, start + phrase.chars().count())
    }

    #[test]
    fn conflicts_decided_by_keys_give_exactly_the_decided_gold() {
        let sb = Sandbox::new();
        let ana = fixture_path("review/ana.gloss.ron");
        let ben = fixture_path("review/ben.gloss.ron");
        let args = [&*ana.to_string_lossy(), &*ben.to_string_lossy(), "--out", "gold.gloss.ron"];
        sb.gloss(&[&["merge"][..], &args].concat()).expect_status(0);
        let gold_path = sb.join("gold.gloss.ron");
        let launch = Launch { path: Some(gold_path.clone()), project: None };
        let builder = Harness::builder().with_size([1280.0, 800.0]).with_max_steps(40).allow_missing_glyphs();
        let mut h =
            builder.build_ui_state(|ui, app: &mut GlossApp| app.ui(ui), GlossApp::new(launch, Persisted::default()));
        h.run();
        assert_eq!(suggestions(&h), 10);
        let docs: Vec<Document> = h.state().open.as_ref().expect("open").project.documents.clone();

        press(&mut h, CTRL, Key::R);
        assert!(h.state().review.is_some(), "review mode is on");
        press(&mut h, Modifiers::NONE, Key::Escape);
        assert!(h.state().review.is_none(), "Esc leaves");
        assert_eq!(suggestions(&h), 10, "leaving decides nothing");
        press(&mut h, CTRL, Key::R);
        // 1. d1, the governor: a's "Governor Élise Marchetti" (A).
        assert_eq!(on_screen(&h), (0, 0));
        press(&mut h, Modifiers::NONE, Key::A);
        // 2. d1, Lisbon (a) or nothing (b): all (Enter).
        assert_eq!(on_screen(&h), (0, at(&docs[0], "Lisbon").0));
        press(&mut h, Modifiers::NONE, Key::Enter);
        // 3. d2, b's speaker: the location hotkey must not label the selected conflict; then N.
        assert_eq!(on_screen(&h), (1, 0));
        let spans_before = h.state().open.as_ref().expect("open").project.documents[1].spans.len();
        press(&mut h, Modifiers::NONE, Key::Num4);
        press(&mut h, Modifiers::NONE, Key::R); // "link" outside review: nothing here
        assert_eq!(h.state().open.as_ref().expect("open").project.documents[1].spans.len(), spans_before);
        assert_eq!(on_screen(&h), (1, 0), "still on the same conflict");
        press(&mut h, Modifiers::NONE, Key::N);
        // 4. d2, claim (a) or threat (b): B.
        assert_eq!(on_screen(&h), (1, at(&docs[1], "لاہور میں").0));
        press(&mut h, Modifiers::NONE, Key::B);
        // 5. d3, two claims: E pauses the review with the conflict selected; Ctrl+R comes back.
        let claim_b = at(&docs[2], "दिल्ली में हड़ताल जारी रहेगी");
        assert_eq!(on_screen(&h), (2, claim_b.0));
        press(&mut h, Modifiers::NONE, Key::E);
        assert!(h.state().review.is_none());
        assert_eq!(h.state().view.selection, Some(claim_b.0..claim_b.1));
        assert_eq!(suggestions(&h), 4, "edit decides nothing");
        press(&mut h, CTRL, Key::R);
        assert_eq!(on_screen(&h), (2, claim_b.0));
        press(&mut h, Modifiers::NONE, Key::B);
        // 6. d3, threat (a) or claim (b): → skips (the only one left comes back), then A.
        press(&mut h, Modifiers::NONE, Key::ArrowRight);
        assert_eq!(on_screen(&h), (2, at(&docs[2], "ने चेतावनी").0));
        press(&mut h, Modifiers::NONE, Key::A);
        assert!(h.state().review.is_none(), "the review ends with the last conflict");
        assert_eq!(suggestions(&h), 0);

        // One decision is one undo step.
        press(&mut h, CTRL, Key::Z);
        assert_eq!(suggestions(&h), 2);
        press(&mut h, CTRL_SHIFT, Key::Z);
        assert_eq!(suggestions(&h), 0);
        press(&mut h, CTRL, Key::S);
        h.state_mut().finish_background_work();

        let saved = gloss::store::load(&gold_path).expect("saved gold loads");
        let want: std::collections::BTreeMap<usize, Vec<(&str, &str)>> = std::collections::BTreeMap::from([
            (
                0,
                vec![
                    ("Governor Élise Marchetti", "speaker"),
                    ("will close every dock by Friday", "threat"),
                    ("Tomasz Wójcik", "speaker"),
                    ("it theatre", "claim"),
                    ("Lisbon", "location"),
                ],
            ),
            (1, vec![("لاہور", "location"), ("لاہور میں پل بند ہوگا", "threat")]),
            (
                2,
                vec![
                    ("दिल्ली", "location"),
                    ("दिल्ली में हड़ताल जारी रहेगी", "claim"),
                    ("पुलिस", "speaker"),
                    ("चेतावनी", "threat"),
                ],
            ),
            (3, vec![("Gdańsk", "location")]),
        ]);
        let mut expected: BTreeSet<SpanKey> = BTreeSet::new();
        for (i, spans) in &want {
            let d = &saved.documents[*i];
            for (phrase, label) in spans {
                let (s, e) = at(d, phrase);
                expected.insert((d.text.as_str().to_owned(), s, e, (*label).to_owned()));
            }
        }
        let found: BTreeSet<SpanKey> = saved.documents.iter().flat_map(keys).collect();
        assert_eq!(found, expected);
        assert!(saved.documents.iter().all(|d| d.suggestions.is_empty()));
        let lisbon = saved.documents[0].spans.iter().find(|s| s.label == "location").expect("Lisbon");
        assert_eq!(lisbon.annotator.as_deref(), Some("ana"), "who proposed it");

        // The export has exactly the decided spans.
        sb.gloss(&["export", "gold.gloss.ron", "--format", "jsonl", "--out", "gold.jsonl"]).expect_status(0);
        let jsonl = std::fs::read_to_string(sb.join("gold.jsonl")).expect("export");
        let mut exported: BTreeSet<SpanKey> = BTreeSet::new();
        for line in jsonl.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("json line");
            let text = v["text"].as_str().expect("text").to_owned();
            for s in v["spans"].as_array().expect("spans") {
                let n = |k: &str| s[k].as_u64().expect("offset") as usize;
                let label = s["label"].as_str().expect("label").to_owned();
                exported.insert((text.clone(), n("start"), n("end"), label));
            }
        }
        assert_eq!(exported, expected);
    }
}
