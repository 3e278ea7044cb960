//! GUI tests of Analysis ▸ Statistics and Analysis ▸ Agreement: the windows open by keyboard,
//! show the figures of the fixture projects, export their tables as CSV, and a click on a
//! document or a disagreement shows it. The expected figures are counted by hand from the spans
//! in `tests/fixtures/agreement/make_fixtures.py` (derivations in the comments), not by the code
//! under test.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::gui::{AgreementTab, GlossApp, StatsTab};

use crate::gui_util::{CTRL_SHIFT, open_path, press};

/// The two annotators' projects copied to a fresh folder.
struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["ana.gloss.ron", "ben.gloss.ron"] {
            let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agreement").join(name);
            std::fs::copy(&from, dir.path().join(name)).expect("copy fixture");
        }
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn open(&self, name: &str) -> Harness<'static, GlossApp> {
        open_path(&self.path(name))
    }
}

fn click(h: &mut Harness<'_, GlossApp>, label: &str) {
    h.get_by_label(label).click();
    // Not `run`: while a project loads or figures are computed a spinner repaints every frame.
    h.run_ok();
}

/// Runs frames until `done` holds (background threads), at most 10 s.
fn wait_until(h: &mut Harness<'_, GlossApp>, done: impl Fn(&GlossApp) -> bool) {
    for _ in 0..1000 {
        h.run_ok();
        if done(h.state()) {
            // A window that just received its figures resizes over the next frames: let it settle
            // before a test clicks where a widget was drawn.
            for _ in 0..3 {
                h.run();
            }
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("timed out waiting for background work");
}

/// Clicks the `nth` "Export CSV…" button, saves at the proposed path and returns the CSV read
/// back from the file, split into rows of fields (the fixtures put no line break in a field).
fn export_csv(h: &mut Harness<'_, GlossApp>, nth: usize, expected_file: &Path) -> Vec<Vec<String>> {
    h.get_all_by_label("Export CSV…").nth(nth).expect("an Export CSV… button").click();
    h.run();
    let field = h.get_by_role_and_label(Role::TextInput, "File");
    assert_eq!(field.value().as_deref(), Some(expected_file.display().to_string().as_str()), "proposed path");
    click(h, "Save");
    wait_until(h, |_| expected_file.exists());
    // Let the window take in the finished write (and its notification).
    wait_until(h, |app| app.notifications.list().iter().any(|n| n.text.contains("Saved the table")));
    let text = std::fs::read_to_string(expected_file).expect("exported CSV");
    assert!(text.ends_with("\r\n"), "RFC 4180 rows end with CRLF");
    text.trim_end_matches("\r\n").split("\r\n").map(split_csv_line).collect()
}

/// Fields of one CSV line (RFC 4180 quoting), written here rather than taken from the crate.
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("field").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().expect("field").push(c),
        }
    }
    fields
}

fn row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter().find(|r| r.first().map(String::as_str) == Some(first)).unwrap_or_else(|| panic!("no row {first}"))
}

fn number(field: &str) -> f64 {
    field.parse().unwrap_or_else(|_| panic!("not a number: {field:?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn statistics_open_by_keyboard_export_each_table_and_open_a_document() {
    let desk = Desk::new();
    let mut h = desk.open("ana.gloss.ron");
    press(&mut h, CTRL_SHIFT, Key::T);
    assert!(h.state().stats_view.is_some(), "Ctrl+Shift+T opens the statistics");
    h.state_mut().stats_view.as_mut().expect("open").export.native_dialog = false;
    h.get_by_label("3 documents");
    h.get_by_label("1 done (33.3%)");

    // Ana's spans: a1 speaker, claim, location; a2 speaker, threat, location; a3 none (6 spans).
    let rows = export_csv(&mut h, 0, &desk.path("ana-labels.csv"));
    assert_eq!(rows[0], ["label", "spans", "share of spans", "documents", "suggestions waiting"]);
    let labels: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(labels, ["claim", "threat", "speaker", "location"], "schema order");
    for (label, spans, docs) in [("claim", 1, 1), ("threat", 1, 1), ("speaker", 2, 2), ("location", 2, 2)] {
        let r = row(&rows, label);
        assert_eq!(number(&r[1]), spans as f64, "{label}");
        assert!(close(number(&r[2]), spans as f64 / 6.0), "{label} share {}", r[2]);
        assert_eq!(number(&r[3]), docs as f64, "{label} documents");
    }

    click(&mut h, "Per document");
    assert_eq!(h.state().stats_view.as_ref().expect("open").tab, StatsTab::Documents);
    let rows = export_csv(&mut h, 0, &desk.path("ana-documents.csv"));
    assert_eq!(
        rows[0],
        [
            "#",
            "document",
            "id",
            "status",
            "spans",
            "claim",
            "threat",
            "speaker",
            "location",
            "suggestions waiting",
            "links",
            "characters"
        ]
    );
    // The title with a comma and quotes comes back whole through the quoting.
    assert_eq!(rows[1], ["1", "Bridge", "a1", "done", "3", "1", "0", "1", "1", "0", "1", "75"]);
    assert_eq!(rows[2], ["2", "Port, \"closed\"", "a2", "in progress", "3", "0", "1", "1", "1", "0", "0", "60"]);
    assert_eq!(rows[3], ["3", "Only Ana", "a3", "todo", "0", "0", "0", "0", "0", "0", "0", "20"]);
    // A click on a document's title opens it.
    click(&mut h, "Only Ana");
    assert_eq!(h.state().open.as_ref().expect("open").doc, 2);

    click(&mut h, "Progress");
    let rows = export_csv(&mut h, 0, &desk.path("ana-progress.csv"));
    assert_eq!(rows[0], ["status", "documents", "share of documents"]);
    for (status, n) in [("todo", 1), ("in progress", 1), ("done", 1), ("skipped", 0)] {
        let r = row(&rows, status);
        assert_eq!(number(&r[1]), n as f64, "{status}");
        assert!(close(number(&r[2]), n as f64 / 3.0), "{status}");
    }
}

#[test]
fn statistics_are_counted_on_open_and_again_only_after_an_edit() {
    let desk = Desk::new();
    let mut h = desk.open("ana.gloss.ron");
    press(&mut h, CTRL_SHIFT, Key::T);
    for _ in 0..5 {
        h.step();
    }
    h.run();
    let view = h.state().stats_view.as_ref().expect("open");
    assert_eq!(view.counts_made, 1, "counted once, not every frame");
    assert_eq!(view.tables().expect("counted").stats.labels["claim"], 1);

    // Label "Police" (50..56 in a1, the document on screen) as a claim: one edit, one recount.
    h.state_mut().view.selection = Some(50..56);
    h.run();
    press(&mut h, Modifiers::NONE, Key::Num1);
    let view = h.state().stats_view.as_ref().expect("open");
    assert_eq!(view.counts_made, 2);
    assert_eq!(view.tables().expect("counted").stats.labels["claim"], 2);
    // Undo is a new revision too.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    let view = h.state().stats_view.as_ref().expect("open");
    assert_eq!((view.counts_made, view.tables().expect("counted").stats.labels["claim"]), (3, 1));
    press(&mut h, CTRL_SHIFT, Key::T);
    assert!(h.state().stats_view.is_none(), "the shortcut closes it again");
}

#[test]
fn statistics_show_the_suggestions_waiting_per_label_and_document() {
    let desk = Desk::new();
    // Three suggestions: a claim in a1, two locations in a3 (which has no spans).
    let path = desk.path("ana.gloss.ron");
    let mut p = gloss::store::load(&path).expect("load");
    p.documents[0].suggestions.push(gloss::model::Span::new(1, 0, 5, "claim"));
    p.documents[2].suggestions.push(gloss::model::Span::new(1, 0, 4, "location"));
    p.documents[2].suggestions.push(gloss::model::Span::new(2, 5, 9, "location"));
    gloss::store::save(&path, &p).expect("save");
    let mut h = desk.open("ana.gloss.ron");
    press(&mut h, CTRL_SHIFT, Key::T);
    h.state_mut().stats_view.as_mut().expect("open").export.native_dialog = false;
    h.get_by_label("3 suggestions waiting in 2 documents");

    let rows = export_csv(&mut h, 0, &desk.path("ana-labels.csv"));
    assert_eq!(rows[0][4], "suggestions waiting");
    let waiting: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[0].as_str(), r[4].as_str())).collect();
    assert_eq!(waiting, [("claim", "1"), ("threat", "0"), ("speaker", "0"), ("location", "2")]);
    // Suggestions are not spans: a3 still has none, location still 2 spans.
    assert_eq!(row(&rows, "location")[1], "2");

    click(&mut h, "Per document");
    let rows = export_csv(&mut h, 0, &desk.path("ana-documents.csv"));
    let waiting: Vec<(&str, &str, &str)> =
        rows[1..].iter().map(|r| (r[2].as_str(), r[4].as_str(), r[9].as_str())).collect();
    assert_eq!(waiting, [("a1", "3", "1"), ("a2", "3", "0"), ("a3", "0", "2")]);
}

/// Opens the agreement window on Ana's project and adds `other` by typing its path.
fn agreement_with(desk: &Desk, other: &Path) -> Harness<'static, GlossApp> {
    let mut h = desk.open("ana.gloss.ron");
    press(&mut h, CTRL_SHIFT, Key::G);
    assert!(h.state().show_agreement, "Ctrl+Shift+G opens the agreement window");
    let view = h.state_mut().agreement_view.as_mut().expect("agreement view");
    view.native_dialog = false;
    view.export.native_dialog = false;
    click(&mut h, "Add projects…");
    let field = h.get_by_role_and_label(Role::TextInput, "Project file");
    let folder = format!("{}/", desk.dir.path().display());
    assert_eq!(field.value().as_deref(), Some(folder.as_str()), "starts in the project's folder");
    field.click();
    h.run();
    let rest = other.strip_prefix(desk.dir.path()).map(|p| p.display().to_string());
    match rest {
        Ok(name) => h.event(egui::Event::Text(name)),
        Err(_) => {
            // Replace the folder with the whole path.
            h.key_press_modifiers(Modifiers::COMMAND, Key::A);
            h.event(egui::Event::Text(other.display().to_string()));
        }
    }
    h.run();
    click(&mut h, "Add");
    // Read (or failed), and compared when it could be read.
    wait_until(&mut h, |app| app.agreement_view.as_ref().is_some_and(|v| !v.others.is_empty() && !v.busy()));
    h
}

#[test]
fn agreement_with_a_typed_project_shows_and_exports_the_hand_counted_figures() {
    let desk = Desk::new();
    let mut h = agreement_with(&desk, &desk.path("ben.gloss.ron"));
    let tables = h.state().agreement_view.as_ref().and_then(|v| v.tables()).expect("figures");
    // Shared by text: a1 = b1, a2 = b2 (ids and order differ); a3 and b9 are left out.
    assert_eq!(tables.report.shared_documents, 2);
    h.get_by_label("2 documents compared");
    h.get_by_label("Left out (text not in every project): ana: 1, ben: 1");

    // Exact: a1 claim and Lyon, a2 "The governor" = 3 of Ana's 6 and Ben's 6 spans.
    // Overlap adds "Mayor Ana Ruiz" ~ "Ana Ruiz" (both speaker) = 4.
    let rows = export_csv(&mut h, 0, &desk.path("ana-agreement.csv"));
    assert_eq!(rows[0], ["matching", "precision", "recall", "F1", "matched", "reference spans", "other spans"]);
    let exact = row(&rows, "exact");
    assert!(close(number(&exact[1]), 0.5) && close(number(&exact[2]), 0.5) && close(number(&exact[3]), 0.5));
    assert_eq!(&exact[4..], ["3", "6", "6"]);
    let overlap = row(&rows, "overlap");
    assert!(close(number(&overlap[3]), 4.0 / 6.0), "overlap F1 {}", overlap[3]);

    // Tokens (26 words). Ana: speaker 5, claim 6, location 1, threat 7, O 7; Ben: speaker 4,
    // claim 15, location 1, threat 0, O 6; they agree on 16 (Mayor, denied, it and the 7 words
    // of "shut the port of Brest by Friday" differ).
    // Cohen: po = 16/26, pe = (5·4 + 6·15 + 1·1 + 7·0 + 7·6)/26² = 153/676 → κ = 263/523.
    // Fleiss: P̄ = 16/26, Pe = (9² + 21² + 2² + 7² + 13²)/52² = 744/2704 → κ = 920/1960.
    let rows = export_csv(&mut h, 1, &desk.path("ana-kappa.csv"));
    assert!(close(number(&row(&rows, "Cohen's kappa")[1]), 263.0 / 523.0), "{rows:?}");
    assert!(close(number(&row(&rows, "Fleiss' kappa")[1]), 920.0 / 1960.0), "{rows:?}");

    click(&mut h, "Per label");
    assert_eq!(h.state().agreement_view.as_ref().expect("view").tab, AgreementTab::PerLabel);
    let rows = export_csv(&mut h, 0, &desk.path("ana-agreement-labels.csv"));
    // claim: Ana 1, Ben 3 (a1 twice, a2 once), 1 exact match → P 1/3, R 1, F1 2/4.
    let claim = row(&rows, "claim");
    assert!(close(number(&claim[1]), 1.0 / 3.0) && close(number(&claim[2]), 1.0) && close(number(&claim[3]), 0.5));
    // threat: Ana 1, Ben 0 → precision undefined (empty field), recall 0, F1 0.
    let threat = row(&rows, "threat");
    assert_eq!((threat[1].as_str(), number(&threat[2]), number(&threat[3])), ("", 0.0, 0.0));
    // speaker: exact 1 of 2 and 2; by overlap both match.
    let speaker = row(&rows, "speaker");
    assert!(close(number(&speaker[3]), 0.5) && close(number(&speaker[6]), 1.0));
    // location: Ana 2, Ben 1, Lyon matches → F1 2/3.
    assert!(close(number(&row(&rows, "location")[3]), 2.0 / 3.0));

    click(&mut h, "Confusion matrix");
    let rows = export_csv(&mut h, 0, &desk.path("ana-confusion.csv"));
    assert_eq!(rows[0], ["reference \\ other", "claim", "threat", "speaker", "location", "none"]);
    // Matched by overlap: speaker 2, claim 1, location 1. Left: Ana's threat meets Ben's claim
    // over the same words; Ana's "Brest" and Ben's "denied it" meet nothing.
    assert_eq!(row(&rows, "claim")[1..], ["1", "0", "0", "0", "0"]);
    assert_eq!(row(&rows, "threat")[1..], ["1", "0", "0", "0", "0"]);
    assert_eq!(row(&rows, "speaker")[1..], ["0", "0", "2", "0", "0"]);
    assert_eq!(row(&rows, "location")[1..], ["0", "0", "0", "1", "1"]);
    assert_eq!(row(&rows, "none")[1..], ["1", "0", "0", "0", "0"]);
}

#[test]
fn a_click_on_a_disagreement_shows_it_in_the_open_project() {
    let desk = Desk::new();
    let mut h = agreement_with(&desk, &desk.path("ben.gloss.ron"));
    click(&mut h, "Disagreements (5)");
    let rows = export_csv(&mut h, 0, &desk.path("ana-disagreements.csv"));
    assert_eq!(rows[0], ["document", "start", "end", "text", "ana", "ben"]);
    assert_eq!(
        rows[1..],
        [
            ["a1", "0", "14", "Mayor Ana Ruiz", "speaker", ""],
            ["a1", "6", "14", "Ana Ruiz", "", "speaker"],
            ["a1", "65", "74", "denied it", "", "claim"],
            ["a2", "27", "59", "shut the port of Brest by Friday", "threat", "claim"],
            ["a2", "44", "49", "Brest", "location", ""],
        ]
    );

    // Ana has a span there: it is selected, in her second document.
    click(&mut h, "shut the port of Brest by Friday");
    let app = h.state();
    assert_eq!(app.open.as_ref().expect("open").doc, 1);
    assert_eq!((app.view.selected_span, app.view.selection.clone()), (Some(2), None));
    // Only Ben has a span there: the range is selected, ready to label.
    click(&mut h, "Ana Ruiz");
    let app = h.state();
    assert_eq!(app.open.as_ref().expect("open").doc, 0);
    assert_eq!((app.view.selected_span, app.view.selection.clone()), (None, Some(6..14)));
}

#[test]
fn the_disagreements_show_each_label_in_its_colour() {
    let desk = Desk::new();
    let mut h = agreement_with(&desk, &desk.path("ben.gloss.ron"));
    click(&mut h, "Disagreements (5)");
    h.run();
    let schema = h.state().open.as_ref().expect("open").project.schema.clone();
    let color = |name: &str| {
        let [r, g, b] = schema.label(name).expect("label").color.0;
        egui::Color32::from_rgb(r, g, b)
    };
    // The swatches painted on one row of the table, by colour, left to right.
    let swatches_in_row = |h: &Harness<'_, GlossApp>, text: &str| -> Vec<egui::Color32> {
        let row = h.get_by_label(text).rect();
        let mut found: Vec<(f32, egui::Color32)> = Vec::new();
        for clipped in &h.output().shapes {
            let egui::Shape::Rect(rect) = &clipped.shape else { continue };
            let small = rect.rect.width() < 16.0 && rect.rect.height() < 16.0;
            let beside = rect.rect.center().y > row.top() && rect.rect.center().y < row.bottom();
            if small && beside && rect.rect.left() > row.right() {
                found.push((rect.rect.left(), rect.fill));
            }
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
        found.into_iter().map(|(_, c)| c).collect()
    };
    // Ana: threat, Ben: claim.
    assert_eq!(swatches_in_row(&h, "shut the port of Brest by Friday"), [color("threat"), color("claim")]);
    // Only Ana has a span on "Brest": one swatch, none for Ben's empty cell.
    assert_eq!(swatches_in_row(&h, "Brest"), [color("location")]);
}

#[test]
fn the_open_project_is_copied_once_per_revision_for_the_agreement() {
    let desk = Desk::new();
    std::fs::copy(desk.path("ben.gloss.ron"), desk.path("cleo.gloss.ron")).expect("copy");
    let mut h = agreement_with(&desk, &desk.path("ben.gloss.ron"));
    let taken = |h: &Harness<'_, GlossApp>| h.state().agreement_view.as_ref().expect("view").snapshots_taken;
    assert_eq!(taken(&h), 1);
    // A third annotator: computed again, from the same copy of the open project.
    click(&mut h, "Add projects…");
    h.get_by_role_and_label(Role::TextInput, "Project file").click();
    h.run();
    h.event(egui::Event::Text("cleo.gloss.ron".into()));
    h.run();
    click(&mut h, "Add");
    wait_until(&mut h, |app| app.agreement_view.as_ref().is_some_and(|v| v.others.len() == 2 && !v.busy()));
    wait_until(&mut h, |app| {
        app.agreement_view.as_ref().and_then(|v| v.tables()).is_some_and(|t| t.report.annotators.len() == 3)
    });
    assert_eq!(taken(&h), 1, "the project did not change: no new copy");
    // An edit is a new revision: one new copy, and the figures follow it.
    h.state_mut().view.selection = Some(50..56);
    h.run();
    press(&mut h, Modifiers::NONE, Key::Num1);
    wait_until(&mut h, |app| app.agreement_view.as_ref().is_some_and(|v| !v.busy()));
    for _ in 0..5 {
        h.run();
    }
    assert_eq!(taken(&h), 2);
}

#[test]
fn agreement_reports_unreadable_and_unrelated_projects_clearly() {
    let desk = Desk::new();
    // A file that is not a project.
    std::fs::write(desk.path("notes.gloss.ron"), "this is not RON (").expect("write");
    let mut h = agreement_with(&desk, &desk.path("notes.gloss.ron"));
    let view = h.state().agreement_view.as_ref().expect("view");
    assert!(view.others[0].project.is_err());
    assert!(view.result.is_none(), "no figures without a readable project");
    assert!(
        h.state().notifications.list().iter().any(|n| n.text.starts_with("Could not read") && n.text.contains("notes")),
        "{:?}",
        h.state().notifications.list().iter().map(|n| &n.text).collect::<Vec<_>>()
    );
    // Removing it leaves the window as it was.
    click(&mut h, "Remove");
    assert!(h.state().agreement_view.as_ref().expect("view").others.is_empty());

    // A missing file (the previous window goes first: it holds the project's lock).
    drop(h);
    let mut h = agreement_with(&desk, &desk.path("missing.gloss.ron"));
    assert!(h.state().agreement_view.as_ref().expect("view").others[0].project.is_err());
    h.run();

    // A project of other articles: nothing to compare, said so.
    let mut other = gloss::store::load(&desk.path("ben.gloss.ron")).expect("load");
    other.documents.retain(|d| d.id == "b9");
    gloss::store::save(&desk.path("carl.gloss.ron"), &other).expect("save");
    drop(h);
    let mut h = agreement_with(&desk, &desk.path("carl.gloss.ron"));
    match &h.state().agreement_view.as_ref().expect("view").result {
        Some(Err(err)) => assert!(err.contains("no document has the same text"), "{err}"),
        _ => panic!("expected an error"),
    }
    h.get_by_label_contains("No agreement figures");
    h.run();
}
