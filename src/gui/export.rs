//! File ▸ Export…: the corpus formats of [`crate::formats::export`], written on a background
//! thread from a snapshot of the project, with a progress bar and a notification at the end.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::formats::export::{ExportFormat, ExportOptions, ExportReport};
use crate::model::Project;

/// The formats offered, in menu order.
const FORMATS: [ExportFormat; 5] =
    [ExportFormat::Jsonl, ExportFormat::Conll, ExportFormat::Brat, ExportFormat::Hf, ExportFormat::Csv];

/// The export window's choices.
pub struct ExportDialog {
    /// Format to write.
    pub format: ExportFormat,
    /// Output file (or folder for brat and hf), as typed.
    pub path: String,
    /// Replace an existing output.
    pub force: bool,
    /// Only documents marked done.
    pub only_done: bool,
}

/// What the export window asks the app to do.
pub enum ExportAction {
    /// Start the export.
    Start,
    /// Close the window.
    Close,
}

impl ExportDialog {
    /// The window for a project saved at `project_path`: JSONL beside it.
    pub fn new(project_path: &Path) -> Self {
        let mut dialog = Self { format: ExportFormat::Jsonl, path: String::new(), force: false, only_done: false };
        dialog.path = default_output(project_path, dialog.format).display().to_string();
        dialog
    }

    /// The window's contents; `running` is the progress of an export under way.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project_path: &Path,
        running: Option<(usize, usize)>,
    ) -> Option<ExportAction> {
        let mut action = None;
        ui.add_enabled_ui(running.is_none(), |ui| {
            egui::Grid::new("export-grid").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let label = ui.label("Format");
                let before = self.format;
                egui::ComboBox::from_id_salt("export-format")
                    .selected_text(describe(self.format))
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for f in FORMATS {
                            ui.selectable_value(&mut self.format, f, describe(f));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if self.format != before && self.path == default_output(project_path, before).display().to_string() {
                    self.path = default_output(project_path, self.format).display().to_string();
                }
                ui.end_row();
                let label = ui.label(if matches!(self.format, ExportFormat::Brat | ExportFormat::Hf) {
                    "Folder"
                } else {
                    "File"
                });
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(360.0)).labelled_by(label.id);
                ui.end_row();
            });
            ui.checkbox(&mut self.only_done, "Only documents marked done");
            ui.checkbox(&mut self.force, "Replace the output if it exists");
        });
        ui.add_space(6.0);
        match running {
            Some((done, total)) => {
                let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .text(format!("{done} of {}", super::count(total, "document", "documents"))),
                );
            }
            None => {
                ui.horizontal(|ui| {
                    if ui.add_enabled(!self.path.trim().is_empty(), egui::Button::new("Export")).clicked() {
                        action = Some(ExportAction::Start);
                    }
                    if ui.button("Close").clicked() {
                        action = Some(ExportAction::Close);
                    }
                });
            }
        }
        action
    }

    /// The options the window's choices stand for.
    pub fn options(&self) -> ExportOptions {
        ExportOptions { force: self.force, only_done: self.only_done, ..ExportOptions::default() }
    }
}

/// An export running on another thread.
pub struct ExportJob {
    handle: JoinHandle<Result<ExportReport, String>>,
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    /// Where it writes.
    pub out: PathBuf,
    /// What it writes.
    pub format: ExportFormat,
}

impl ExportJob {
    /// Starts exporting a snapshot of `project` (whose file, `project_file`, the export may never
    /// replace); `ctx` is repainted as documents are written.
    pub fn start(
        project: Project,
        project_file: Option<PathBuf>,
        format: ExportFormat,
        out: PathBuf,
        opts: ExportOptions,
        ctx: Option<egui::Context>,
    ) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(project.documents.len()));
        let (d, t, file) = (done.clone(), total.clone(), out.clone());
        let handle = std::thread::spawn(move || {
            let on_disk = project_file.as_deref();
            let result =
                crate::formats::export::export_with_progress(&project, on_disk, format, &file, &opts, |n, of| {
                    d.store(n, Ordering::Relaxed);
                    t.store(of, Ordering::Relaxed);
                    if let Some(ctx) = &ctx {
                        ctx.request_repaint();
                    }
                });
            if let Some(ctx) = &ctx {
                ctx.request_repaint();
            }
            result.map_err(|err| err.to_string())
        });
        Self { handle, done, total, out, format }
    }

    /// Documents written so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }

    /// True when the thread has finished.
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the result, as one message for a notification: (ok, text).
    pub fn finish(self) -> (bool, String) {
        match self.handle.join() {
            Ok(Ok(report)) => (true, summary(&report, self.format, &self.out)),
            Ok(Err(err)) => (false, format!("Export failed: {err}")),
            Err(_) => (false, "Export failed: the export thread stopped".to_owned()),
        }
    }
}

/// "Exported 3 documents, 41 spans as JSONL to …" plus what was left out.
fn summary(report: &ExportReport, format: ExportFormat, out: &Path) -> String {
    let mut text = format!(
        "Exported {}, {} as {} to {}.",
        super::count(report.documents, "document", "documents"),
        super::count(report.spans, "span", "spans"),
        format.name(),
        out.display()
    );
    if !report.renamed_tags.is_empty() {
        let list: Vec<String> = report.renamed_tags.iter().map(|(l, t)| format!("“{l}” as {t}")).collect();
        text.push_str(&format!(" Tags cannot hold spaces: {}.", list.join(", ")));
    }
    let left = report.left_out.overlapping + report.left_out.blank;
    if left > 0 {
        text.push_str(&format!(
            " {} left out of the tags (overlapping or blank).",
            super::count(left, "span", "spans")
        ));
    }
    if !report.cleared.is_empty() {
        text.push_str(&format!(
            " Removed {} left beside it by an earlier export that was stopped.",
            super::count(report.cleared.len(), "unfinished copy", "unfinished copies")
        ));
    }
    text
}

fn describe(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Jsonl => "JSONL (spans, links, metadata)",
        ExportFormat::Conll => "CoNLL (BIO tags)",
        ExportFormat::Brat => "brat standoff (folder)",
        ExportFormat::Hf => "Hugging Face datasets (folder)",
        ExportFormat::Csv => "CSV (one span per row)",
    }
}

/// `p.gloss.ron` → `p.jsonl`, `p.conll`, `p.csv`, `p-brat/`, `p-hf/`.
fn default_output(project_path: &Path, format: ExportFormat) -> PathBuf {
    let name = project_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = name
        .strip_suffix(crate::store::PROJECT_SUFFIX)
        .or_else(|| name.strip_suffix(".ron"))
        .unwrap_or(&name)
        .to_owned();
    let file = match format {
        ExportFormat::Jsonl => format!("{stem}.jsonl"),
        ExportFormat::Conll => format!("{stem}.conll"),
        ExportFormat::Csv => format!("{stem}.csv"),
        ExportFormat::Brat => format!("{stem}-brat"),
        ExportFormat::Hf => format!("{stem}-hf"),
    };
    project_path.with_file_name(file)
}
