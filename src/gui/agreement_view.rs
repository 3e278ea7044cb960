//! Analysis ▸ Agreement: the open project against other annotators' projects of the same
//! articles. The other files are read and the figures of [`crate::analysis::agreement`] computed
//! on a thread; they are computed again when the open project changes. The thread reads a shared
//! snapshot of the open project, taken once per revision and holding only what agreement reads
//! (ids, texts, spans, doc labels): adding or removing another project reuses it, and the
//! suggestions, links and notes of a large project are never copied. The open project is the
//! first annotator (the reference with two). Shown: span-level precision, recall and F1 with
//! exact and overlap matching, overall and per label; Cohen's and Fleiss' kappa over tokens;
//! the confusion matrix of labels; the disagreements, where a click shows the place in the text.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::app::OpenProject;
use super::charts::{self, Series};
use super::commands::Command;
use super::document_view::{label_color, shorten};
use super::notifications::Notifications;
use super::table::{Cell, Table};
use super::table_export::{self, ExportNews, TableExport};
use crate::analysis::agreement::{self, Agreement, Annotator, NONE, Scores};
use crate::model::{Project, Schema};

/// The window's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AgreementTab {
    /// Overall figures and kappa.
    #[default]
    Overview,
    /// Precision, recall and F1 per label.
    PerLabel,
    /// The confusion matrix.
    Confusion,
    /// Where the annotators differ.
    Disagreements,
}

/// Another annotator's project, as read.
pub struct OtherProject {
    /// Its file.
    pub path: PathBuf,
    /// The project, or why it could not be read.
    pub project: Result<Arc<Project>, String>,
}

/// The figures of one computation, laid out as tables.
pub struct AgreementTables {
    /// The report they come from.
    pub report: Agreement,
    /// Exact and overlap P/R/F1 over all labels.
    pub overall: Table,
    /// Cohen's and Fleiss' kappa over tokens.
    pub kappa: Table,
    /// Each pair of annotators (three or more).
    pub pairs: Table,
    /// Exact and overlap P/R/F1 per label.
    pub per_label: Table,
    /// Reference label × other label.
    pub confusion: Table,
    /// Document, range, text and each annotator's label.
    pub disagreements: Table,
    /// Label colours, for the labels of `per_label` in order.
    label_colors: Vec<egui::Color32>,
}

type Key = (u64, u64, u64);

/// The first column of the disagreements table holding an annotator's label (after document,
/// start, end and text).
const DISAGREEMENT_LABELS: usize = 4;

/// What a computation thread gives back.
type Computed = Result<AgreementTables, String>;

/// How the other projects are being chosen.
enum Pick {
    /// The native dialog is open.
    Dialog(JoinHandle<Option<Vec<PathBuf>>>),
    /// The user types a path; true until the field has taken the keyboard.
    Typed(String, bool),
}

/// The agreement window.
pub struct AgreementView {
    /// The other annotators' projects, in the order added.
    pub others: Vec<OtherProject>,
    /// The page shown.
    pub tab: AgreementTab,
    /// CSV export of a table.
    pub export: TableExport,
    /// Use the native file dialog to pick projects (off with `GLOSS_NO_DIALOGS`, and in tests).
    pub native_dialog: bool,
    /// The latest figures, or why there are none.
    pub result: Option<Computed>,
    pick: Option<Pick>,
    loading: Option<JoinHandle<Vec<OtherProject>>>,
    computing: Option<(Key, JoinHandle<Computed>)>,
    computed_at: Option<Key>,
    /// Bumped when the list of other projects changes.
    others_version: u64,
    /// What the threads read of the open project, with the (generation, revision) it was taken at.
    snapshot: Option<((u64, u64), Arc<Project>)>,
    /// How many snapshots of the open project were taken (tests: once per revision).
    pub snapshots_taken: usize,
}

impl Default for AgreementView {
    fn default() -> Self {
        Self {
            others: Vec::new(),
            tab: AgreementTab::default(),
            export: TableExport::default(),
            native_dialog: std::env::var_os("GLOSS_NO_DIALOGS").is_none(),
            result: None,
            pick: None,
            loading: None,
            computing: None,
            computed_at: None,
            others_version: 0,
            snapshot: None,
            snapshots_taken: 0,
        }
    }
}

impl AgreementView {
    /// The figures, when computed.
    pub fn tables(&self) -> Option<&AgreementTables> {
        self.result.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// True while files are read or figures computed.
    pub fn busy(&self) -> bool {
        self.loading.is_some() || self.computing.is_some()
    }

    /// Reads `paths` on a thread and adds them as other annotators.
    pub fn add(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        let paths: Vec<PathBuf> = paths.into_iter().filter(|p| !self.others.iter().any(|o| &o.path == p)).collect();
        if paths.is_empty() {
            return;
        }
        let previous = self.loading.take();
        let ctx = ctx.clone();
        self.loading = Some(std::thread::spawn(move || {
            // One batch at a time, in order.
            let mut out = previous.and_then(|h| h.join().ok()).unwrap_or_default();
            for path in paths {
                let project = super::io::load_project(&path).map(Arc::new);
                out.push(OtherProject { path, project });
            }
            ctx.request_repaint();
            out
        }));
    }

    /// Waits for reading and computing under way, and takes in the results (tests).
    pub fn finish(&mut self, open: &OpenProject, notes: &mut Notifications) {
        for _ in 0..3 {
            if let Some(h) = &self.loading {
                while !h.is_finished() {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            }
            if let Some((_, h)) = &self.computing {
                while !h.is_finished() {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            }
            self.poll(open, notes, None);
        }
    }

    /// Takes in finished work and starts a computation when the inputs changed.
    fn poll(&mut self, open: &OpenProject, notes: &mut Notifications, ctx: Option<&egui::Context>) {
        if let Some(Pick::Dialog(handle)) = &self.pick {
            if handle.is_finished() {
                if let Some(Pick::Dialog(handle)) = self.pick.take() {
                    match handle.join().ok().flatten() {
                        Some(paths) if !paths.is_empty() => {
                            if let Some(ctx) = ctx {
                                self.add(paths, ctx);
                            }
                        }
                        // Cancelled, or no dialog could be shown: let the user type the path.
                        _ => self.pick = Some(Pick::Typed(folder_of(&open.path), true)),
                    }
                }
            }
        }
        if self.loading.as_ref().is_some_and(JoinHandle::is_finished) {
            if let Some(handle) = self.loading.take() {
                let loaded = handle.join().unwrap_or_default();
                for other in loaded {
                    if let Err(err) = &other.project {
                        notes.error(format!("Could not read {}: {err}", other.path.display()));
                    }
                    self.others.push(other);
                }
                self.others_version += 1;
            }
        }
        if self.computing.as_ref().is_some_and(|(_, h)| h.is_finished()) {
            if let Some((key, handle)) = self.computing.take() {
                let result = handle.join().unwrap_or_else(|_| Err("The agreement computation stopped.".to_owned()));
                self.result = Some(result);
                self.computed_at = Some(key);
            }
        }
        let key = (open.generation, open.history.revision(), self.others_version);
        let loaded = self.others.iter().any(|o| o.project.is_ok());
        if self.computing.is_none() && self.loading.is_none() && self.computed_at != Some(key) {
            if loaded {
                self.start_computing(open, key, ctx);
            } else {
                self.result = None;
                self.computed_at = Some(key);
            }
        }
        if self.busy() || matches!(self.pick, Some(Pick::Dialog(_))) {
            if let Some(ctx) = ctx {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
    }

    /// The snapshot of the open project at its current revision, taken if it changed since.
    fn snapshot(&mut self, open: &OpenProject) -> Arc<Project> {
        let at = (open.generation, open.history.revision());
        match &self.snapshot {
            Some((taken, project)) if *taken == at => project.clone(),
            _ => {
                let project = Arc::new(agreement_snapshot(&open.project));
                self.snapshot = Some((at, project.clone()));
                self.snapshots_taken += 1;
                project
            }
        }
    }

    fn start_computing(&mut self, open: &OpenProject, key: Key, ctx: Option<&egui::Context>) {
        let mut paths = vec![open.path.clone()];
        let mut projects = vec![self.snapshot(open)];
        for other in &self.others {
            if let Ok(p) = &other.project {
                paths.push(other.path.clone());
                projects.push(p.clone());
            }
        }
        let ctx = ctx.cloned();
        let handle = std::thread::spawn(move || {
            let owned: Vec<&Project> = projects.iter().map(|p| p.as_ref()).collect();
            let names = crate::analysis::naming::annotator_names(&paths, owned.iter().map(|p| p.name.as_str()));
            let annotators: Vec<Annotator<'_>> =
                names.iter().zip(&owned).map(|(name, project)| Annotator { name, project }).collect();
            let result = agreement::measure(&annotators)
                .map(|report| {
                    AgreementTables::of(report, owned.first().map(|p| &p.schema).unwrap_or(&Default::default()))
                })
                .map_err(|err| err.to_string());
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
            result
        });
        self.computing = Some((key, handle));
    }

    /// The window's contents.
    pub fn ui(&mut self, ui: &mut egui::Ui, open: &OpenProject, notes: &mut Notifications, out: &mut Vec<Command>) {
        let ctx = ui.ctx().clone();
        self.poll(open, notes, Some(&ctx));
        match self.export.poll(&ctx) {
            Some(ExportNews::Saved(text)) => notes.info(text),
            Some(ExportNews::Failed(text)) => notes.error(text),
            None => {}
        }
        self.projects_ui(ui, open);
        ui.separator();
        match &self.result {
            None if self.busy() => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading the projects and comparing…");
                });
            }
            None => {
                ui.label(
                    "Add the project of another annotator who labelled the same articles. Documents are \
                     compared when their text is identical; ids and titles may differ.",
                );
            }
            Some(Err(err)) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("No agreement figures: {err}."));
            }
            Some(Ok(_)) => self.report_ui(ui, open, out),
        }
    }

    /// The list of compared projects, with Add and Remove.
    fn projects_ui(&mut self, ui: &mut egui::Ui, open: &OpenProject) {
        let mut remove = None;
        egui::Grid::new("agreement-projects").num_columns(3).spacing([10.0, 4.0]).show(ui, |ui| {
            ui.weak("Reference");
            ui.strong(crate::analysis::naming::file_stem(&open.path));
            ui.weak("(this project)");
            ui.end_row();
            for (i, other) in self.others.iter().enumerate() {
                ui.weak(if i == 0 { "Compared with" } else { "" });
                match &other.project {
                    Ok(p) => {
                        ui.label(crate::analysis::naming::file_stem(&other.path)).on_hover_text(format!(
                            "{}\n{}",
                            other.path.display(),
                            p.name
                        ));
                    }
                    Err(err) => {
                        ui.colored_label(ui.visuals().error_fg_color, format!("✖ {}", other.path.display()))
                            .on_hover_text(err);
                    }
                }
                if ui.small_button("Remove").on_hover_text(other.path.display().to_string()).clicked() {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
        if let Some(i) = remove {
            self.others.remove(i);
            self.others_version += 1;
        }
        for other in &self.others {
            if let Err(err) = &other.project {
                ui.colored_label(ui.visuals().error_fg_color, format!("{}: {err}", other.path.display()));
            }
        }
        let mut chosen = None;
        let mut cancel = false;
        match &mut self.pick {
            Some(Pick::Typed(text, focus)) => {
                ui.horizontal(|ui| {
                    let label = ui.label("Project file");
                    let field = ui
                        .add(egui::TextEdit::singleline(text).desired_width(ui.available_width() - 150.0))
                        .labelled_by(label.id);
                    if std::mem::take(focus) {
                        field.request_focus();
                    }
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if (enter || ui.button("Add").clicked()) && !text.trim().is_empty() {
                        chosen = Some(PathBuf::from(text.trim()));
                    }
                    if ui.button("Cancel").clicked() {
                        cancel = true;
                    }
                });
            }
            Some(Pick::Dialog(_)) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Choosing projects…");
                });
            }
            None => {
                let button = ui.button("Add projects…").on_hover_text("Projects of other annotators (.ron)");
                if button.clicked() {
                    self.start_pick(open, ui.ctx());
                }
            }
        }
        if cancel {
            self.pick = None;
        } else if let Some(path) = chosen {
            self.pick = None;
            self.add(vec![path], ui.ctx());
        }
    }

    fn start_pick(&mut self, open: &OpenProject, ctx: &egui::Context) {
        if !self.native_dialog {
            self.pick = Some(Pick::Typed(folder_of(&open.path), true));
            return;
        }
        let dir = open.path.parent().map(Path::to_owned);
        let ctx = ctx.clone();
        self.pick = Some(Pick::Dialog(std::thread::spawn(move || {
            let mut dialog = rfd::FileDialog::new().add_filter("Gloss project", &["ron"]);
            if let Some(dir) = dir {
                dialog = dialog.set_directory(dir);
            }
            let paths = dialog.pick_files();
            ctx.request_repaint();
            paths
        })));
    }

    fn report_ui(&mut self, ui: &mut egui::Ui, open: &OpenProject, out: &mut Vec<Command>) {
        let Some(Ok(t)) = &self.result else { return };
        let r = &t.report;
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{} compared", super::count(r.shared_documents, "document", "documents")));
            ui.weak("·");
            ui.label(super::count(r.tokens, "token", "tokens"));
            ui.weak("·");
            if let [reference, other] = r.annotators.as_slice() {
                ui.label(format!("precision: share of {other}'s spans found in {reference}'s"));
            } else {
                ui.label(format!("means over {} pairs of annotators", r.pairs.len()));
            }
            if self.busy() {
                ui.spinner();
            }
        });
        let left_out: Vec<String> =
            r.unshared_documents.iter().filter(|(_, n)| **n > 0).map(|(a, n)| format!("{a}: {n}")).collect();
        if !left_out.is_empty() {
            ui.weak(format!("Left out (text not in every project): {}", left_out.join(", ")));
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, AgreementTab::Overview, "Overview");
            ui.selectable_value(&mut self.tab, AgreementTab::PerLabel, "Per label");
            ui.selectable_value(&mut self.tab, AgreementTab::Confusion, "Confusion matrix");
            let n = r.disagreements.len();
            ui.selectable_value(&mut self.tab, AgreementTab::Disagreements, format!("Disagreements ({n})"));
        });
        ui.separator();
        let none = |_, _| None;
        match self.tab {
            AgreementTab::Overview => {
                table_export::heading(ui, &t.overall, &mut self.export, &open.path);
                t.overall.ui(ui, "agreement-overall", None, &none, 120.0);
                ui.add_space(8.0);
                table_export::heading(ui, &t.kappa, &mut self.export, &open.path);
                t.kappa.ui(ui, "agreement-kappa", None, &none, 120.0);
                if r.pairs.len() > 1 {
                    ui.add_space(8.0);
                    table_export::heading(ui, &t.pairs, &mut self.export, &open.path);
                    t.pairs.ui(ui, "agreement-pairs", None, &none, ui.available_height());
                }
                self.export.ui(ui);
            }
            AgreementTab::PerLabel => {
                table_export::heading(ui, &t.per_label, &mut self.export, &open.path);
                self.export.ui(ui);
                let labels: Vec<String> = r.per_label.keys().cloned().collect();
                let f1 = |pick: fn(&agreement::LabelScores) -> Scores| -> Vec<Option<f64>> {
                    r.per_label.values().map(|s| pick(s).f1).collect()
                };
                let series = [
                    Series {
                        name: "exact F1".into(),
                        values: f1(|s| s.exact),
                        colors: vec![egui::Color32::from_rgb(78, 121, 167)],
                    },
                    Series {
                        name: "overlap F1".into(),
                        values: f1(|s| s.overlap),
                        colors: vec![egui::Color32::from_rgb(118, 183, 178)],
                    },
                ];
                let height = (ui.available_height() * 0.45).clamp(140.0, 240.0);
                charts::bars(ui, "agreement-f1-chart", &labels, &series, height, &|v| format!("{v:.2}"));
                ui.add_space(6.0);
                let colors = |row: usize, col: usize| if col == 0 { t.label_colors.get(row).copied() } else { None };
                t.per_label.ui(ui, "agreement-per-label", None, &colors, ui.available_height());
            }
            AgreementTab::Confusion => {
                table_export::heading(ui, &t.confusion, &mut self.export, &open.path);
                self.export.ui(ui);
                let (rows, cols) = if let [reference, other] = r.annotators.as_slice() {
                    (format!("{reference}'s labels"), format!("{other}'s labels"))
                } else {
                    ("the first annotator of each pair".to_owned(), "the second".to_owned())
                };
                ui.weak(format!("Rows: {rows}. Columns: {cols}. Spans matched by overlap; “none”: no span there."));
                ui.add_space(4.0);
                egui::ScrollArea::both().id_salt("agreement-confusion-scroll").show(ui, |ui| {
                    confusion_ui(ui, &t.confusion, &open.project.schema);
                });
            }
            AgreementTab::Disagreements => {
                table_export::heading(ui, &t.disagreements, &mut self.export, &open.path);
                self.export.ui(ui);
                if t.disagreements.rows.is_empty() {
                    ui.label("The annotators agree everywhere on the compared documents.");
                }
                // Each annotator's label in its colour, as the span list shows it.
                let schema = &open.project.schema;
                let colors = |row: usize, col: usize| match t.disagreements.rows.get(row).and_then(|r| r.get(col)) {
                    Some(Cell::Text(label)) if col >= DISAGREEMENT_LABELS => {
                        Some(schema.label(label).map_or(egui::Color32::GRAY, |d| label_color(d.color)))
                    }
                    _ => None,
                };
                if let Some(row) =
                    t.disagreements.ui(ui, "agreement-disagreements", Some(3), &colors, ui.available_height())
                {
                    if let Some(d) = r.disagreements.get(row) {
                        if let Some(doc) = open.project.documents.iter().position(|doc| doc.id == d.document) {
                            out.push(Command::ShowRange { doc, start: d.start, end: d.end });
                        }
                    }
                }
            }
        }
    }
}

impl AgreementTables {
    /// Lays out `report` as tables; label colours come from `schema` (the open project's).
    pub fn of(report: Agreement, schema: &Schema) -> Self {
        let scores_row = |name: &str, s: &Scores| {
            vec![
                Cell::Text(name.to_owned()),
                Cell::Ratio(s.precision),
                Cell::Ratio(s.recall),
                Cell::Ratio(s.f1),
                Cell::Count(s.matched),
                Cell::Count(s.reference_spans),
                Cell::Count(s.other_spans),
            ]
        };
        let header = ["matching", "precision", "recall", "F1", "matched", "reference spans", "other spans"];
        let mut overall = Table::new("Spans, all labels", "agreement", &header);
        overall.rows.push(scores_row("exact", &report.exact));
        overall.rows.push(scores_row("overlap", &report.overlap));

        let mut kappa = Table::new("Tokens: kappa", "kappa", &["measure", "value", "annotators"]);
        let all = Cell::Count(report.annotators.len());
        if report.annotators.len() == 2 {
            kappa.rows.push(vec![Cell::Text("Cohen's kappa".into()), Cell::Figure(report.cohen_kappa), all.clone()]);
        } else {
            let mean = Cell::Figure(report.cohen_kappa_pairwise_mean);
            kappa.rows.push(vec![Cell::Text("Cohen's kappa, mean over pairs".into()), mean, Cell::Count(2)]);
        }
        kappa.rows.push(vec![Cell::Text("Fleiss' kappa".into()), Cell::Figure(report.fleiss_kappa), all]);

        let header = ["reference", "other", "exact F1", "overlap F1", "Cohen's kappa"];
        let mut pairs = Table::new("Pairs of annotators", "pairs", &header);
        for p in &report.pairs {
            pairs.rows.push(vec![
                Cell::Text(p.reference.clone()),
                Cell::Text(p.other.clone()),
                Cell::Ratio(p.exact.f1),
                Cell::Ratio(p.overlap.f1),
                Cell::Figure(p.cohen_kappa),
            ]);
        }

        let header = [
            "label",
            "exact precision",
            "exact recall",
            "exact F1",
            "overlap precision",
            "overlap recall",
            "overlap F1",
            "reference spans",
            "other spans",
        ];
        let mut per_label = Table::new("Per label", "agreement-labels", &header);
        let mut label_colors = Vec::new();
        for (label, s) in &report.per_label {
            per_label.rows.push(vec![
                Cell::Text(label.clone()),
                Cell::Ratio(s.exact.precision),
                Cell::Ratio(s.exact.recall),
                Cell::Ratio(s.exact.f1),
                Cell::Ratio(s.overlap.precision),
                Cell::Ratio(s.overlap.recall),
                Cell::Ratio(s.overlap.f1),
                Cell::Count(s.exact.reference_spans),
                Cell::Count(s.exact.other_spans),
            ]);
            label_colors.push(schema.label(label).map_or(egui::Color32::GRAY, |d| label_color(d.color)));
        }

        // Labels in schema order, then any other, then "none".
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (row, cols) in &report.confusion {
            seen.insert(row);
            seen.extend(cols.keys().map(String::as_str));
        }
        let mut order: Vec<String> =
            schema.labels.iter().map(|l| l.name.clone()).filter(|l| seen.contains(l.as_str())).collect();
        order.extend(seen.iter().filter(|l| **l != NONE && schema.label(l).is_none()).map(|l| (*l).to_owned()));
        order.push(NONE.to_owned());
        let mut header = vec!["reference \\ other"];
        header.extend(order.iter().map(String::as_str));
        let mut confusion = Table::new("Confusion matrix", "confusion", &header);
        for row in &order {
            let cells = report.confusion.get(row);
            let mut out = vec![Cell::Text(row.clone())];
            out.extend(order.iter().map(|col| Cell::Count(cells.and_then(|c| c.get(col)).copied().unwrap_or(0))));
            confusion.rows.push(out);
        }

        let mut header = vec!["document", "start", "end", "text"];
        header.extend(report.annotators.iter().map(String::as_str));
        let mut disagreements = Table::new("Disagreements", "disagreements", &header);
        for d in &report.disagreements {
            let mut row = vec![
                Cell::Text(d.document.clone()),
                Cell::Count(d.start),
                Cell::Count(d.end),
                Cell::Text(shorten(&d.text, 80)),
            ];
            for name in &report.annotators {
                row.push(match d.labels.get(name).cloned().flatten() {
                    Some(label) => Cell::Text(label),
                    None => Cell::Empty,
                });
            }
            disagreements.rows.push(row);
        }
        Self { report, overall, kappa, pairs, per_label, confusion, disagreements, label_colors }
    }
}

/// The confusion matrix as a grid of coloured cells: agreement (the diagonal) in green,
/// confusion in red, stronger for larger counts.
fn confusion_ui(ui: &mut egui::Ui, table: &Table, schema: &Schema) {
    let max = table
        .rows
        .iter()
        .flat_map(|r| r.iter())
        .filter_map(|c| if let Cell::Count(n) = c { Some(*n) } else { None })
        .max()
        .unwrap_or(0)
        .max(1);
    let size = egui::vec2(72.0, ui.text_style_height(&egui::TextStyle::Body) + 14.0);
    let dark = ui.visuals().dark_mode;
    let label = |ui: &mut egui::Ui, name: &str| {
        ui.horizontal(|ui| {
            if let Some(def) = schema.label(name) {
                super::table::swatch(ui, label_color(def.color));
            }
            ui.strong(name);
        });
    };
    egui::Grid::new("agreement-confusion").spacing([3.0, 3.0]).show(ui, |ui| {
        ui.weak("reference ↓  other →");
        for name in table.header.iter().skip(1) {
            label(ui, name);
        }
        ui.end_row();
        for (r, row) in table.rows.iter().enumerate() {
            let Some(Cell::Text(name)) = row.first() else { continue };
            label(ui, name);
            for (c, cell) in row.iter().skip(1).enumerate() {
                let n = if let Cell::Count(n) = cell { *n } else { 0 };
                let strength = n as f32 / max as f32;
                let base =
                    if r == c { egui::Color32::from_rgb(89, 161, 79) } else { egui::Color32::from_rgb(225, 87, 89) };
                let fill =
                    if n == 0 { ui.visuals().faint_bg_color } else { base.gamma_multiply(0.15 + 0.85 * strength) };
                let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
                ui.painter().rect_filled(rect, 3.0, fill);
                let text_color = if n == 0 {
                    ui.visuals().weak_text_color()
                } else if strength > 0.55 || dark {
                    egui::Color32::WHITE
                } else {
                    ui.visuals().strong_text_color()
                };
                ui.painter().text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    n.to_string(),
                    egui::TextStyle::Body.resolve(ui.style()),
                    text_color,
                );
                let col = table.header.get(c + 1).map(String::as_str).unwrap_or_default();
                response.on_hover_text(format!("reference “{name}”, other “{col}”: {n}"));
            }
            ui.end_row();
        }
    });
}

/// What [`agreement::measure`] reads of a project: its name, schema, and each document's id, text,
/// spans and doc labels (no suggestions, links, notes or metadata).
fn agreement_snapshot(project: &Project) -> Project {
    let documents = project
        .documents
        .iter()
        .map(|d| crate::model::Document {
            id: d.id.clone(),
            text: d.text.clone(),
            spans: d.spans.clone(),
            doc_labels: d.doc_labels.clone(),
            ..Default::default()
        })
        .collect();
    Project { name: project.name.clone(), schema: project.schema.clone(), documents }
}

/// The folder of `path` with a trailing separator, to start a typed path from.
fn folder_of(path: &Path) -> String {
    super::folder_prefix(path)
}
