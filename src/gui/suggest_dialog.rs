//! Suggestions ▸ Suggest from a gazetteer…: the window that picks a gazetteer (and optionally a
//! file of regex rules), the matching options and the documents to run on.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::analysis::suggest::{DocumentMatches, Matcher};
use crate::model::Text;

/// Which documents a run covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The document on screen.
    Current,
    /// Documents whose status is "todo".
    Todo,
    /// Every document.
    All,
}

/// The window's choices.
pub struct SuggestDialog {
    /// Gazetteer file (PHRASE<TAB>LABEL), as typed or picked.
    pub gazetteer: String,
    /// Optional rules file (LABEL<TAB>PATTERN).
    pub rules: String,
    /// Ignore case.
    pub ignore_case: bool,
    /// Whole words only.
    pub whole_word: bool,
    /// Documents to run on.
    pub scope: Scope,
    /// A native file dialog running on another thread, and which field it fills.
    browse: Option<(Field, JoinHandle<Option<PathBuf>>)>,
}

/// Matching running on another thread over copies of the documents' texts, so that a long
/// corpus never freezes the window. The app keeps it when the window is closed and applies its
/// result when it is done; dropping it abandons the result.
pub struct SuggestJob {
    handle: JoinHandle<Vec<DocumentMatches>>,
    done: Arc<AtomicUsize>,
    total: usize,
    /// The project generation it was started for: a result for another project is dropped.
    pub generation: u64,
    /// What it runs, for messages ("places.tsv").
    pub origin: String,
}

impl SuggestJob {
    /// Starts matching `texts` (document id and text) with `matcher`.
    pub fn start(
        matcher: Matcher,
        texts: Vec<(String, Text)>,
        generation: u64,
        origin: String,
        ctx: Option<egui::Context>,
    ) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let total = texts.len();
        let counter = Arc::clone(&done);
        let handle = std::thread::spawn(move || {
            let mut out = Vec::with_capacity(texts.len());
            for (id, text) in texts {
                out.push(DocumentMatches { id, found: matcher.find(&text) });
                counter.fetch_add(1, Ordering::Relaxed);
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
            }
            out
        });
        Self { handle, done, total, generation, origin }
    }

    /// Documents done and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total)
    }

    /// How far it is, for the status bar ("Suggesting from places.tsv: 3 of 10 documents").
    pub fn status(&self) -> String {
        let (done, total) = self.progress();
        format!("Suggesting from {}: {done} of {total} documents", self.origin)
    }

    /// True when the thread has finished.
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the result; `None` if the thread panicked.
    pub fn join(self) -> Option<Vec<DocumentMatches>> {
        self.handle.join().ok()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Gazetteer,
    Rules,
}

/// What the window asks the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestAction {
    /// Run the gazetteer and rules now.
    Run,
    /// Close the window.
    Close,
}

impl SuggestDialog {
    /// The window for a project saved at `project_path`: paths start in its folder.
    pub fn new(project_path: &Path) -> Self {
        let folder = super::folder_prefix(project_path);
        Self {
            gazetteer: folder,
            rules: String::new(),
            ignore_case: false,
            whole_word: true,
            scope: Scope::Current,
            browse: None,
        }
    }

    /// The gazetteer path, if one is typed (not just a folder).
    pub fn gazetteer_path(&self) -> Option<PathBuf> {
        let t = self.gazetteer.trim();
        (!t.is_empty() && !t.ends_with('/') && !t.ends_with('\\')).then(|| PathBuf::from(t))
    }

    /// The rules path, if one is typed.
    pub fn rules_path(&self) -> Option<PathBuf> {
        let t = self.rules.trim();
        (!t.is_empty() && !t.ends_with('/') && !t.ends_with('\\')).then(|| PathBuf::from(t))
    }

    /// The window's contents; `job` is a run under way, whose progress it shows.
    pub fn ui(&mut self, ui: &mut egui::Ui, job: Option<&SuggestJob>) -> Option<SuggestAction> {
        self.poll_browse();
        let dialogs = std::env::var_os("GLOSS_NO_DIALOGS").is_none();
        let mut action = None;
        ui.set_min_width(560.0);
        ui.label("Matches become suggestions: dashed in the text until you accept (Enter) or reject (Delete) them.");
        ui.add_space(4.0);
        egui::Grid::new("suggest-grid").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
            let label = ui.label("Gazetteer");
            ui.add(
                egui::TextEdit::singleline(&mut self.gazetteer)
                    .min_size(egui::vec2(360.0, 0.0))
                    .hint_text("places.tsv"),
            )
            .labelled_by(label.id)
            .on_hover_text("A UTF-8 file of PHRASE<TAB>LABEL lines; # starts a comment");
            if dialogs && ui.add_enabled(self.browse.is_none(), egui::Button::new("Browse…")).clicked() {
                self.start_browse(Field::Gazetteer, ui.ctx().clone());
            }
            ui.end_row();
            let label = ui.label("Rules (optional)");
            ui.add(egui::TextEdit::singleline(&mut self.rules).min_size(egui::vec2(360.0, 0.0)).hint_text("rules.tsv"))
                .labelled_by(label.id)
                .on_hover_text("A UTF-8 file of LABEL<TAB>REGEX lines");
            if dialogs && ui.add_enabled(self.browse.is_none(), egui::Button::new("Browse… ")).clicked() {
                self.start_browse(Field::Rules, ui.ctx().clone());
            }
            ui.end_row();
        });
        ui.checkbox(&mut self.whole_word, "Whole words only (never inside a word)");
        ui.checkbox(&mut self.ignore_case, "Ignore case");
        ui.horizontal(|ui| {
            ui.label("Run on");
            ui.radio_value(&mut self.scope, Scope::Current, "this document");
            ui.radio_value(&mut self.scope, Scope::Todo, "to-do documents");
            ui.radio_value(&mut self.scope, Scope::All, "all documents");
        });
        ui.add_space(6.0);
        // The buttons first: the progress shown below them never moves them under the pointer.
        ui.horizontal(|ui| {
            let ready = (self.gazetteer_path().is_some() || self.rules_path().is_some()) && job.is_none();
            if ui.add_enabled(ready, egui::Button::new("Suggest")).clicked() {
                action = Some(SuggestAction::Run);
            }
            if ui.button("Close").clicked() {
                action = Some(SuggestAction::Close);
            }
        });
        if let Some(job) = job {
            let (done, total) = job.progress();
            let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
            ui.add(egui::ProgressBar::new(fraction).text(format!("Matching: {done} of {total} documents")));
            ui.weak("You can close this window: matching goes on, and its suggestions are added when it is done.");
        }
        action
    }

    fn start_browse(&mut self, field: Field, ctx: egui::Context) {
        let current = match field {
            Field::Gazetteer => &self.gazetteer,
            Field::Rules => &self.rules,
        };
        let dir = Path::new(current.trim()).parent().filter(|p| p.is_dir()).map(Path::to_owned);
        // Native dialogs block: run them off the UI thread so the window keeps painting.
        let handle = std::thread::spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            if let Some(dir) = dir {
                dialog = dialog.set_directory(dir);
            }
            let picked =
                dialog.add_filter("Tab-separated", &["tsv", "txt"]).add_filter("All files", &["*"]).pick_file();
            ctx.request_repaint();
            picked
        });
        self.browse = Some((field, handle));
    }

    fn poll_browse(&mut self) {
        if !self.browse.as_ref().is_some_and(|(_, h)| h.is_finished()) {
            return;
        }
        let Some((field, handle)) = self.browse.take() else { return };
        if let Ok(Some(path)) = handle.join() {
            let text = path.display().to_string();
            match field {
                Field::Gazetteer => self.gazetteer = text,
                Field::Rules => self.rules = text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_not_a_gazetteer() {
        let mut d = SuggestDialog::new(Path::new("/data/p.gloss.ron"));
        assert_eq!(d.gazetteer, "/data/");
        assert_eq!(d.gazetteer_path(), None);
        d.gazetteer = " /data/places.tsv ".into();
        assert_eq!(d.gazetteer_path(), Some(PathBuf::from("/data/places.tsv")));
        assert_eq!(d.rules_path(), None);
    }
}
