//! Saving a [`Table`] as a CSV file: the native save dialog on a thread (it blocks), else, when
//! no dialog can be shown or it is cancelled, a typed path under the table. The file is written
//! on a thread too, so a slow disk never stalls the window.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use super::table::Table;

/// Where a table export is.
enum Stage {
    /// The native dialog is open.
    Dialog { title: String, csv: String, default: PathBuf, handle: JoinHandle<Option<PathBuf>> },
    /// The user types the path (`focus`: until the field has taken the keyboard).
    Typed { title: String, csv: String, path: String, focus: bool },
    /// The file is being written.
    Writing { handle: JoinHandle<Result<PathBuf, String>> },
}

/// The result of an export, for a notification.
pub enum ExportNews {
    /// Written: "Saved … to PATH".
    Saved(String),
    /// Failed, with why.
    Failed(String),
}

/// One table export at a time, per window.
pub struct TableExport {
    /// Use the native file dialog (off with `GLOSS_NO_DIALOGS`, and in tests).
    pub native_dialog: bool,
    stage: Option<Stage>,
}

impl Default for TableExport {
    fn default() -> Self {
        Self { native_dialog: std::env::var_os("GLOSS_NO_DIALOGS").is_none(), stage: None }
    }
}

impl TableExport {
    /// True while an export is being chosen or written.
    pub fn busy(&self) -> bool {
        self.stage.is_some()
    }

    /// The path being typed, if the typed-path row is shown.
    pub fn typed_path(&mut self) -> Option<&mut String> {
        match &mut self.stage {
            Some(Stage::Typed { path, .. }) => Some(path),
            _ => None,
        }
    }

    /// Starts exporting `table`, proposing `default` as the file.
    pub fn start(&mut self, table: &Table, default: PathBuf, ctx: &egui::Context) {
        if self.busy() {
            return;
        }
        let (title, csv) = (table.title.clone(), table.to_csv());
        if !self.native_dialog {
            self.stage = Some(Stage::Typed { title, csv, path: default.display().to_string(), focus: true });
            return;
        }
        let (dir, name) = (default.parent().map(Path::to_owned), default.file_name().map(|n| n.to_owned()));
        let ctx = ctx.clone();
        let handle = std::thread::spawn(move || {
            let mut dialog = rfd::FileDialog::new().add_filter("CSV", &["csv"]);
            if let Some(dir) = dir {
                dialog = dialog.set_directory(dir);
            }
            if let Some(name) = name {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
            let path = dialog.save_file();
            ctx.request_repaint();
            path
        });
        self.stage = Some(Stage::Dialog { title, csv, default, handle });
    }

    /// Takes in a finished dialog or write; call every frame.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<ExportNews> {
        let finished = match &self.stage {
            Some(Stage::Dialog { handle, .. }) => handle.is_finished(),
            Some(Stage::Writing { handle }) => handle.is_finished(),
            _ => false,
        };
        if !finished {
            if matches!(self.stage, Some(Stage::Dialog { .. } | Stage::Writing { .. })) {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            return None;
        }
        match self.stage.take() {
            Some(Stage::Dialog { title, csv, default, handle }) => {
                match handle.join().ok().flatten() {
                    Some(path) => self.write(title, csv, path, ctx),
                    // Cancelled, or no dialog could be shown: let the user type the path.
                    None => {
                        self.stage = Some(Stage::Typed { title, csv, path: default.display().to_string(), focus: true })
                    }
                }
                None
            }
            Some(Stage::Writing { handle }) => Some(match handle.join() {
                Ok(Ok(path)) => ExportNews::Saved(format!("Saved the table as {}.", path.display())),
                Ok(Err(err)) => ExportNews::Failed(err),
                Err(_) => ExportNews::Failed("The CSV export stopped unexpectedly.".to_owned()),
            }),
            other => {
                self.stage = other;
                None
            }
        }
    }

    /// Waits for a write under way (tests).
    pub fn finish(&mut self, ctx: &egui::Context) -> Option<ExportNews> {
        if let Some(Stage::Writing { handle }) = &self.stage {
            while !handle.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        self.poll(ctx)
    }

    /// The typed-path row, when no dialog is used: path field, Save and Cancel.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let mut chosen = None;
        let mut cancel = false;
        if let Some(Stage::Typed { title, path, focus, .. }) = &mut self.stage {
            ui.group(|ui| {
                ui.label(format!("Save “{title}” as CSV:"));
                ui.horizontal(|ui| {
                    let label = ui.label("File");
                    let field = ui
                        .add(egui::TextEdit::singleline(path).desired_width(ui.available_width() - 150.0))
                        .labelled_by(label.id);
                    if std::mem::take(focus) {
                        field.request_focus();
                    }
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if (enter || ui.button("Save").clicked()) && !path.trim().is_empty() {
                        chosen = Some(PathBuf::from(path.trim()));
                    }
                    if ui.button("Cancel").clicked() {
                        cancel = true;
                    }
                });
            });
        }
        if cancel {
            self.stage = None;
        } else if let Some(path) = chosen {
            if let Some(Stage::Typed { title, csv, .. }) = self.stage.take() {
                self.write(title, csv, path, ui.ctx());
            }
        }
    }

    fn write(&mut self, title: String, csv: String, path: PathBuf, ctx: &egui::Context) {
        let ctx = ctx.clone();
        let handle = std::thread::spawn(move || {
            let result = std::fs::write(&path, csv)
                .map(|()| path.clone())
                .map_err(|err| format!("Could not save “{title}” to {}: {err}", path.display()));
            ctx.request_repaint();
            result
        });
        self.stage = Some(Stage::Writing { handle });
    }
}

/// `dir/p.gloss.ron` → `dir/p-labels.csv`.
pub fn default_path(project: &Path, suffix: &str) -> PathBuf {
    let stem = crate::analysis::naming::file_stem(project);
    project.with_file_name(format!("{stem}-{suffix}.csv"))
}

/// A table's title with its "Export CSV…" button on the right; a click starts the export.
pub fn heading(ui: &mut egui::Ui, table: &Table, export: &mut TableExport, project: &Path) {
    let mut clicked = false;
    ui.horizontal(|ui| {
        ui.strong(&table.title);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            clicked = ui
                .add_enabled(!export.busy(), egui::Button::new("Export CSV…"))
                .on_hover_text(format!("Save “{}” as a CSV file", table.title))
                .clicked();
        });
    });
    if clicked {
        export.start(table, default_path(project, table.file_suffix), ui.ctx());
    }
}
