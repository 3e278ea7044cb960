//! Analysis ▸ Statistics: spans and suggestions waiting per label (chart and table), the documents
//! with their spans per label, suggestions and status (a click opens one), and progress over the
//! project. The figures are those of
//! [`crate::analysis::stats`], counted when the window opens and again only when the project
//! changes (a new revision), never every frame. Each table is exportable as CSV.

use super::app::OpenProject;
use super::charts::{self, Series};
use super::commands::Command;
use super::document_view::label_color;
use super::notifications::Notifications;
use super::table::{Cell, Table};
use super::table_export::{self, ExportNews, TableExport};
use crate::analysis::stats::ProjectStats;
use crate::model::{Project, Status};

/// The window's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatsTab {
    /// Spans per label.
    #[default]
    Labels,
    /// One row per document.
    Documents,
    /// Documents per status.
    Progress,
}

/// The tables of one count.
pub struct StatsTables {
    /// The counts they come from.
    pub stats: ProjectStats,
    /// Label, spans, share of all spans, documents using it, suggestions waiting.
    pub labels: Table,
    /// One row per document: title, id, status, spans, spans per label, suggestions waiting,
    /// links, characters.
    pub documents: Table,
    /// Status, documents, share.
    pub progress: Table,
    label_colors: Vec<egui::Color32>,
}

/// The statistics window.
#[derive(Default)]
pub struct StatsView {
    /// The page shown.
    pub tab: StatsTab,
    /// CSV export of a table.
    pub export: TableExport,
    /// The (generation, revision) the tables were counted at.
    counted_at: Option<(u64, u64)>,
    tables: Option<StatsTables>,
    /// How many times the project was counted (tests: not every frame).
    pub counts_made: usize,
}

impl StatsView {
    /// The tables, as last counted.
    pub fn tables(&self) -> Option<&StatsTables> {
        self.tables.as_ref()
    }

    /// Counts the project again if it changed since the last count.
    pub fn refresh(&mut self, open: &OpenProject) {
        let key = (open.generation, open.history.revision());
        if self.counted_at != Some(key) {
            self.tables = Some(StatsTables::of(&open.project));
            self.counted_at = Some(key);
            self.counts_made += 1;
        }
    }

    /// The window's contents; a click on a document becomes [`Command::GoToDocument`].
    pub fn ui(&mut self, ui: &mut egui::Ui, open: &OpenProject, notes: &mut Notifications, out: &mut Vec<Command>) {
        self.refresh(open);
        match self.export.poll(ui.ctx()) {
            Some(ExportNews::Saved(text)) => notes.info(text),
            Some(ExportNews::Failed(text)) => notes.error(text),
            None => {}
        }
        let Some(t) = &self.tables else { return };
        summary(ui, &t.stats);
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, StatsTab::Labels, "Spans per label");
            ui.selectable_value(&mut self.tab, StatsTab::Documents, "Per document");
            ui.selectable_value(&mut self.tab, StatsTab::Progress, "Progress");
        });
        ui.separator();
        let table = match self.tab {
            StatsTab::Labels => &t.labels,
            StatsTab::Documents => &t.documents,
            StatsTab::Progress => &t.progress,
        };
        table_export::heading(ui, table, &mut self.export, &open.path);
        self.export.ui(ui);
        let chart_height = (ui.available_height() * 0.45).clamp(140.0, 260.0);
        match self.tab {
            StatsTab::Labels => {
                let names: Vec<String> = t.stats.label_order.clone();
                let values = names.iter().map(|l| t.stats.labels.get(l).map(|&n| n as f64)).collect();
                let mut series = vec![Series { name: "spans".into(), values, colors: t.label_colors.clone() }];
                if t.stats.suggestions > 0 {
                    // Waiting suggestions beside the spans, in a paler shade of the label's colour.
                    let values = names.iter().map(|l| t.stats.suggested.get(l).map(|&n| n as f64)).collect();
                    let colors = t.label_colors.iter().map(|c| c.gamma_multiply(0.4)).collect();
                    series.push(Series { name: "suggestions waiting".into(), values, colors });
                }
                charts::bars(ui, "stats-labels-chart", &names, &series, chart_height, &|v| format!("{v}"));
                ui.add_space(6.0);
                let colors = |r: usize, c: usize| if c == 0 { t.label_colors.get(r).copied() } else { None };
                t.labels.ui(ui, "stats-labels-table", None, &colors, ui.available_height());
            }
            StatsTab::Documents => {
                let none = |_, _| None;
                if let Some(row) = t.documents.ui(ui, "stats-documents-table", Some(1), &none, ui.available_height()) {
                    out.push(Command::GoToDocument(row));
                }
            }
            StatsTab::Progress => {
                let names: Vec<String> = Status::ALL.iter().map(|s| s.name().to_owned()).collect();
                let values = Status::ALL.iter().map(|s| t.stats.by_status.get(s.name()).map(|&n| n as f64)).collect();
                let colors = Status::ALL.iter().map(|&s| status_color(s)).collect();
                let series = [Series { name: "documents".into(), values, colors }];
                charts::bars(ui, "stats-progress-chart", &names, &series, chart_height, &|v| format!("{v}"));
                ui.add_space(6.0);
                let colors =
                    |r: usize, c: usize| if c == 0 { Status::ALL.get(r).map(|&s| status_color(s)) } else { None };
                t.progress.ui(ui, "stats-progress-table", None, &colors, ui.available_height());
            }
        }
    }
}

impl StatsTables {
    /// Counts `project` and lays the counts out as tables.
    pub fn of(project: &Project) -> Self {
        let stats = ProjectStats::of(project);
        let label_colors = stats
            .label_order
            .iter()
            .map(|l| project.schema.label(l).map_or(egui::Color32::GRAY, |d| label_color(d.color)))
            .collect();

        let header = ["label", "spans", "share of spans", "documents", "suggestions waiting"];
        let mut labels = Table::new("Spans per label", "labels", &header);
        let count = |map: &std::collections::BTreeMap<String, usize>, label: &str| map.get(label).copied().unwrap_or(0);
        for label in &stats.label_order {
            let n = count(&stats.labels, label);
            let share = (stats.spans > 0).then(|| n as f64 / stats.spans as f64);
            labels.rows.push(vec![
                Cell::Text(label.clone()),
                Cell::Count(n),
                Cell::Ratio(share),
                Cell::Count(count(&stats.label_documents, label)),
                Cell::Count(count(&stats.suggested, label)),
            ]);
        }

        let mut header: Vec<&str> = vec!["#", "document", "id", "status", "spans"];
        header.extend(stats.label_order.iter().map(String::as_str));
        header.extend(["suggestions waiting", "links", "characters"]);
        let mut documents = Table::new("Documents", "documents", &header);
        for (i, d) in stats.per_document.iter().enumerate() {
            let title = if d.title.trim().is_empty() { d.id.clone() } else { d.title.clone() };
            let mut row =
                vec![Cell::Count(i + 1), Cell::Text(title), Cell::Text(d.id.clone()), Cell::Text(d.status.into())];
            row.push(Cell::Count(d.spans));
            row.extend(stats.label_order.iter().map(|l| Cell::Count(d.labels.get(l).copied().unwrap_or(0))));
            row.extend([Cell::Count(d.suggestions), Cell::Count(d.relations), Cell::Count(d.chars)]);
            documents.rows.push(row);
        }

        let mut progress = Table::new("Progress", "progress", &["status", "documents", "share of documents"]);
        for status in Status::ALL {
            let n = stats.by_status.get(status.name()).copied().unwrap_or(0);
            let share = (stats.documents > 0).then(|| n as f64 / stats.documents as f64);
            progress.rows.push(vec![Cell::Text(status.name().into()), Cell::Count(n), Cell::Ratio(share)]);
        }
        Self { stats, labels, documents, progress, label_colors }
    }
}

/// "12 documents · 7 done (58.3%) · 340 spans · 25 links" and a progress bar.
fn summary(ui: &mut egui::Ui, stats: &ProjectStats) {
    let done = stats.by_status.get(Status::Done.name()).copied().unwrap_or(0);
    let fraction = if stats.documents == 0 { 0.0 } else { done as f32 / stats.documents as f32 };
    ui.horizontal_wrapped(|ui| {
        ui.label(super::count(stats.documents, "document", "documents"));
        ui.weak("·");
        ui.label(format!("{done} done ({:.1}%)", fraction * 100.0));
        ui.weak("·");
        ui.label(super::count(stats.spans, "span", "spans"));
        ui.weak("·");
        ui.label(super::count(stats.relations, "link", "links"));
        if stats.suggestions > 0 {
            ui.weak("·");
            let waiting = format!(
                "{} waiting in {}",
                super::count(stats.suggestions, "suggestion", "suggestions"),
                super::count(stats.documents_with_suggestions, "document", "documents")
            );
            ui.colored_label(ui.visuals().warn_fg_color, waiting).on_hover_text(
                "Not exported until accepted. A document lists its suggestions in the side panel (F8: next).",
            );
        }
        ui.weak("·");
        ui.label(format!("{} characters", stats.chars));
    });
    ui.add(
        egui::ProgressBar::new(fraction)
            .fill(status_color(Status::Done))
            .text(format!("{done} of {} done", stats.documents)),
    );
}

/// The colour of a status, as the documents panel marks it.
fn status_color(status: Status) -> egui::Color32 {
    match status {
        Status::Todo => egui::Color32::from_gray(150),
        Status::InProgress => egui::Color32::from_rgb(242, 142, 43),
        Status::Done => egui::Color32::from_rgb(89, 161, 79),
        Status::Skipped => egui::Color32::from_gray(100),
    }
}
