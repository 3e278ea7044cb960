//! [`GlossApp`]: the open project, its history and the views, and the commands that change them.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use super::commands::{self, Command, Enabled};
use super::document_view::{DocumentView, ViewInput};
use super::find_bar::FindBar;
use super::notifications::Notifications;
use super::prompts::{AfterConfirm, Prompt, PromptChoice};
use super::review::{Review, ReviewAction};
use super::schema_editor::SchemaEditor;
use super::settings::{Persisted, Settings};
use super::span_list::SpanList;
use super::{Launch, io};
use crate::model::{Edit, History, Project, Relation, RelationId, Snapshot, Span, SpanId, Status};

/// How the app names itself in a project's lock, for another process that finds it taken.
const LOCK_PROGRAM: &str = "gloss (desktop app)";

/// How long after the last edit the recovery file is written.
const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);

/// A project being worked on: the model, where it is saved and its undo history.
pub struct OpenProject {
    /// The project.
    pub project: Project,
    /// Where Ctrl+S writes it.
    pub path: PathBuf,
    /// Opened read-only (another process holds the project's lock): no edits, no Save.
    pub read_only: bool,
    /// Our lock on `path` (one writer per project); released when dropped.
    pub lock: Option<crate::store::ProjectLock>,
    /// Undo/redo and the unsaved-changes marker.
    pub history: History,
    /// Position of the document on screen.
    pub doc: usize,
    /// Bumped whenever the project is replaced in place (recovery, reload), so caches drop.
    pub generation: u64,
    /// Modification time of the file when it was loaded or last saved by us.
    disk_time: Option<SystemTime>,
    /// The last copy handed to a save or autosave thread: the next one shares its unchanged
    /// documents, so taking it costs the UI thread a few milliseconds, not a deep copy.
    last_snapshot: Option<Snapshot>,
}

impl OpenProject {
    fn new(project: Project, path: PathBuf, generation: u64) -> Self {
        let disk_time = modified(&path);
        Self {
            project,
            path,
            read_only: false,
            lock: None,
            history: History::new(),
            doc: 0,
            generation,
            disk_time,
            last_snapshot: None,
        }
    }

    /// A copy of the project as it is now, for a thread to write (see [`Snapshot`]).
    fn snapshot(&mut self) -> Snapshot {
        let snapshot = Snapshot::take(&self.project, self.last_snapshot.as_ref());
        self.last_snapshot = Some(snapshot.clone());
        snapshot
    }

    /// True when there are changes not yet saved to `path`.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// Makes the state count as unsaved (a new or recovered project that is not on disk yet).
    fn mark_unsaved(&mut self) {
        // No revision ever reaches u64::MAX, so the project stays dirty until it is saved.
        self.history.mark_saved_at(u64::MAX);
    }
}

/// A save running on another thread.
struct SaveJob {
    handle: JoinHandle<Result<(), String>>,
    revision: u64,
    generation: u64,
    path: PathBuf,
    then: Option<AfterConfirm>,
    /// Save As: the lock taken on the new path, kept once the save succeeds.
    new_lock: Option<crate::store::ProjectLock>,
}

/// A finished save, without its thread.
struct SaveDone {
    revision: u64,
    generation: u64,
    path: PathBuf,
    then: Option<AfterConfirm>,
    new_lock: Option<crate::store::ProjectLock>,
}

impl SaveJob {
    /// Waits for the thread; a panic in it becomes the error `failed`.
    fn join(self, failed: &str) -> (SaveDone, Result<(), String>) {
        let result = self.handle.join().unwrap_or_else(|_| Err(failed.to_owned()));
        let done = SaveDone {
            revision: self.revision,
            generation: self.generation,
            path: self.path,
            then: self.then,
            new_lock: self.new_lock,
        };
        (done, result)
    }
}

/// What a file dialog running on another thread was opened for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    /// Open a project.
    Open,
    /// Import articles.
    Import,
    /// Save the project under another name.
    SaveAs,
}

impl DialogPurpose {
    /// The title of the window that asks for a typed path.
    pub fn title(self) -> &'static str {
        match self {
            DialogPurpose::Open => "Open project",
            DialogPurpose::Import => "Import articles",
            DialogPurpose::SaveAs => "Save project as",
        }
    }
}

/// A typed path, for when no native dialog is available (or it was cancelled).
pub struct PathEntry {
    /// What the path is for.
    pub purpose: DialogPurpose,
    /// The text typed so far.
    pub text: String,
    /// The path field has been given the keyboard (once, when the window opens).
    pub focused: bool,
}

impl PathEntry {
    fn new(purpose: DialogPurpose, text: String) -> Self {
        Self { purpose, text, focused: false }
    }
}

/// Two spans to link, waiting for the user to pick one of several relation types that fit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkChoice {
    /// Source span.
    pub from: SpanId,
    /// Target span.
    pub to: SpanId,
    /// Names of the relation types that allow these labels.
    pub types: Vec<String>,
}

/// The whole app: the open project, the views and the background work.
pub struct GlossApp {
    /// Preferences and recent projects (eframe storage).
    pub persisted: Persisted,
    /// The project being worked on, if any.
    pub open: Option<OpenProject>,
    /// The document view and its selection.
    pub view: DocumentView,
    /// The find bar.
    pub find: FindBar,
    /// Messages for the user.
    pub notifications: Notifications,
    /// A question the user must answer before going on.
    pub prompt: Option<Prompt>,
    /// The F1 overlay is shown.
    pub show_help: bool,
    /// The settings window is shown.
    pub show_settings: bool,
    /// The side panels are shown.
    pub show_panels: bool,
    /// The schema editor, when open.
    pub schema_editor: Option<SchemaEditor>,
    /// The typed-path window, when open.
    pub path_entry: Option<PathEntry>,
    /// The span list's filter and scroll state.
    pub span_list: SpanList,
    /// The label "Label all matches" uses (schema index).
    pub bulk_label: usize,
    /// Several relation types fit a new link: the user picks one.
    pub link_choice: Option<LinkChoice>,
    /// The export window, when open.
    pub export: Option<super::export::ExportDialog>,
    /// The statistics window, when open.
    pub stats_view: Option<super::stats_view::StatsView>,
    /// The agreement window, when open (kept when closed, with the projects it compares).
    pub agreement_view: Option<super::agreement_view::AgreementView>,
    /// The agreement window is shown.
    pub show_agreement: bool,
    /// The "Suggest from a gazetteer" window, when open.
    pub suggest_dialog: Option<super::suggest_dialog::SuggestDialog>,
    /// A gazetteer run under way (it goes on when its window is closed, and applies when done).
    pub suggest_job: Option<super::suggest_dialog::SuggestJob>,
    /// Review mode (the conflicts a merge left), when on.
    pub review: Option<Review>,
    export_job: Option<super::export::ExportJob>,
    /// A project whose lock another process holds, waiting for "Open read-only" or "Cancel".
    pending_open: Option<OpenProject>,
    /// True once the app has asked its window to close.
    pub closing: bool,
    /// Set by a termination signal: save to the recovery file, release the lock, close.
    pub termination: super::signals::Termination,
    /// True when the fonts (with the system's fallbacks) were installed before the first frame;
    /// otherwise the first frame installs egui's and the bundled ones (tests).
    pub fonts_installed: bool,
    /// When the window was asked for: with `GLOSS_TIMING` set, the time to the first page of
    /// text is written to stderr.
    pub started: Option<std::time::Instant>,
    note_draft: Option<(SpanId, String)>,
    commands: Vec<Command>,
    save_job: Option<SaveJob>,
    autosave_job: Option<SaveJob>,
    dialog_job: Option<(DialogPurpose, JoinHandle<Option<Vec<PathBuf>>>)>,
    autosaved: Option<(u64, u64)>,
    last_edit: Option<Instant>,
    next_generation: u64,
    ctx: Option<egui::Context>,
    title: String,
    applied_settings: Option<Settings>,
    welcome_path: String,
    /// Spans per schema label in the current document, for the key it was counted at.
    label_counts: Option<((u64, usize, u64), Vec<usize>)>,
}

impl GlossApp {
    /// The app, opening what `launch` names, else the last project, else the example article,
    /// else the welcome screen.
    pub fn new(launch: Launch, persisted: Persisted) -> Self {
        let mut app = Self::empty(persisted);
        match launch.path {
            Some(path) => app.open_launch(&path, launch.project.as_deref()),
            None => {
                let last = app.persisted.last_project.clone().filter(|p| p.exists());
                match last {
                    Some(last) => app.open_launch(&last, None),
                    None => {
                        let example = super::example_article();
                        if example.exists() {
                            app.open_launch(&example, None);
                        }
                    }
                }
            }
        }
        app
    }

    /// The app with an already loaded project (for tests and benchmarks).
    pub fn with_project(project: Project, path: PathBuf, persisted: Persisted) -> Self {
        let mut app = Self::empty(persisted);
        app.next_generation += 1;
        app.open = Some(OpenProject::new(project, path, app.next_generation));
        app
    }

    /// The app on its welcome screen.
    pub fn empty(persisted: Persisted) -> Self {
        Self {
            persisted,
            open: None,
            view: DocumentView::default(),
            find: FindBar::default(),
            notifications: Notifications::default(),
            prompt: None,
            show_help: false,
            show_settings: false,
            show_panels: true,
            schema_editor: None,
            path_entry: None,
            span_list: SpanList::default(),
            bulk_label: 0,
            link_choice: None,
            pending_open: None,
            export: None,
            stats_view: None,
            agreement_view: None,
            show_agreement: false,
            suggest_dialog: None,
            suggest_job: None,
            review: None,
            export_job: None,
            closing: false,
            termination: super::signals::Termination::default(),
            fonts_installed: false,
            started: None,
            note_draft: None,
            commands: Vec::new(),
            save_job: None,
            autosave_job: None,
            dialog_job: None,
            autosaved: None,
            last_edit: None,
            next_generation: 0,
            ctx: None,
            title: String::new(),
            applied_settings: None,
            welcome_path: String::new(),
            label_counts: None,
        }
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.persisted.settings
    }

    /// The window title: "Gloss — name", with "•" when there are unsaved changes.
    pub fn window_title(&self) -> String {
        match &self.open {
            Some(open) => {
                let mark = if open.is_dirty() { " •" } else { "" };
                let read_only = if open.read_only { " (read-only)" } else { "" };
                format!("Gloss — {}{read_only}{mark}", open.project.name)
            }
            None => "Gloss".to_owned(),
        }
    }

    /// Records a command to run after this frame's drawing.
    pub fn push_command(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Starts the export the export window describes, on a background thread.
    pub fn start_export(&mut self) {
        let (Some(dialog), Some(open)) = (&self.export, &self.open) else { return };
        if self.export_job.is_some() {
            return;
        }
        let out = PathBuf::from(dialog.path.trim());
        let job = super::export::ExportJob::start(
            open.project.clone(),
            Some(open.path.clone()),
            dialog.format,
            out,
            dialog.options(),
            self.ctx.clone(),
        );
        self.export_job = Some(job);
    }

    /// Saves the project to `path` as its new place (Save As without a dialog; tests).
    pub fn save_as(&mut self, path: PathBuf) {
        self.save(Some(path), None);
    }

    /// Waits for saves running in the background and takes in their results (tests, shutdown).
    pub fn finish_background_work(&mut self) {
        if let Some(job) = self.export_job.take() {
            self.export_finished(job);
        }
        if let Some(job) = self.save_job.take() {
            let (job, result) = job.join("the save thread failed");
            self.save_finished(job, result);
        }
        if let Some(job) = self.autosave_job.take() {
            let result = job.handle.join().unwrap_or_else(|_| Err("the autosave thread failed".to_owned()));
            self.autosave_finished(job.revision, job.generation, result);
        }
    }

    /// Writes the recovery file now if there are unsaved changes (tests: a crash right after).
    pub fn autosave_now(&mut self) {
        self.start_autosave();
        self.finish_background_work();
    }

    /// What the commands are enabled by, now.
    pub fn enabled(&self) -> Enabled {
        let Some(open) = &self.open else { return Enabled::default() };
        Enabled {
            project: true,
            undo: open.history.undo_name().is_some(),
            redo: open.history.redo_name().is_some(),
            selection: self.view.selection.is_some(),
            span: self.view.selected_span.is_some(),
            matches: !self.find.matches().is_empty(),
            relation: self.view.selected_relation.is_some(),
            editable: !open.read_only,
            several_documents: open.project.documents.len() > 1,
            suggestion: self
                .view
                .selected_suggestion
                .is_some_and(|id| open.project.documents.get(open.doc).and_then(|d| d.suggestion(id)).is_some()),
            suggestions: open.project.documents.get(open.doc).is_some_and(|d| !d.suggestions.is_empty()),
        }
    }

    // ---------------------------------------------------------------------------------------
    // The frame.

    /// Draws the whole app into `ui` and runs the commands it recorded.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
            super::fonts::install_style(&ctx);
            if !self.fonts_installed {
                super::fonts::install(&ctx, false);
                self.fonts_installed = true;
            }
        }
        self.apply_settings(&ctx);
        self.poll_background_work();
        self.take_dropped_files(&ctx);
        self.handle_close_request(&ctx);

        let mut review_action = None;
        // Escape closes the window on top first (see `windows.rs`); modals answer their own.
        let modal = self.prompt.is_some() || self.link_choice.is_some();
        if !modal && !self.escape_closes_window(&ctx) && self.path_entry.is_none() {
            // A window where the user edits something has the plain keys, as a text field does.
            // (egui takes the keyboard from a text field on Escape before the frame: that Escape
            // was the field's.)
            // Such a window takes only the plain keys: Ctrl+Z, Ctrl+S... still reach the project,
            // which a focused text field keeps for itself.
            let field_focus = ctx.egui_wants_keyboard_input() || super::windows::text_field_had_keyboard(&ctx);
            let window_keys = self.window_takes_keyboard();
            let text_focus = field_focus || window_keys;
            self.refresh_review();
            let versions = self.review.as_ref().map(|r| r.current().map_or(0, |(_, c)| c.versions.len()));
            if let (Some(versions), false) = (versions, text_focus) {
                review_action = super::review::keys_pressed(&ctx, versions);
            }
            let reviewing = versions.is_some() && !text_focus;
            let mut pressed = commands::pressed(&ctx, field_focus, reviewing || window_keys);
            if !text_focus && !reviewing {
                if let Some(open) = &self.open {
                    let keys: Vec<Option<char>> = open.project.schema.labels.iter().map(|l| l.key).collect();
                    pressed.extend(commands::label_keys_pressed(&ctx, &keys));
                    let keys: Vec<Option<char>> = open.project.schema.doc_labels.iter().map(|d| d.key).collect();
                    pressed.extend(commands::doc_label_keys_pressed(&ctx, &keys));
                }
            }
            self.commands.extend(pressed);
        }

        let enabled = self.enabled();
        let mut out = Vec::new();
        self.menu_bar(ui, &enabled, &mut out);
        self.status_bar(ui);
        if self.open.is_some() {
            if self.show_panels {
                self.documents_panel(ui, &mut out);
                self.side_panel(ui, &mut out);
            }
            if self.find.open {
                self.find_panel(ui, &mut out);
            }
            if self.review.is_some() {
                review_action = self.review_panel(ui).or(review_action);
            }
            self.central(ui, &mut out);
        } else {
            let mut path = std::mem::take(&mut self.welcome_path);
            egui::CentralPanel::default_margins().show(ui, |ui| {
                super::welcome::ui(ui, &self.persisted.recent, &mut path, &mut out);
            });
            self.welcome_path = path;
        }
        self.windows(&ctx, &mut out);
        self.notifications.ui(&ctx);
        self.commands.extend(out);

        let commands = std::mem::take(&mut self.commands);
        if !commands.is_empty() {
            // What they change shows on the next frame: ask for it now, not at the next event.
            ctx.request_repaint();
        }
        for command in commands {
            if command.enabled(&self.enabled()) {
                self.run(command);
            }
        }
        if let Some(action) = review_action {
            self.review_action(action);
            ctx.request_repaint();
        }
        self.show_review_conflict();
        if self.review.is_none() && !self.view.highlighted_suggestions.is_empty() {
            self.view.highlighted_suggestions.clear();
        }
        if self.view.last_text_rect.is_some() {
            if let Some(started) = self.started.take() {
                if std::env::var_os("GLOSS_TIMING").is_some() {
                    eprintln!("gloss: first page shown {} ms after start", started.elapsed().as_millis());
                }
            }
        }
        super::windows::note_keyboard(&ctx);
        self.autosave_tick(&ctx);
        if self.termination.requested() && !self.closing {
            self.terminate();
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn apply_settings(&mut self, ctx: &egui::Context) {
        if self.applied_settings.as_ref() == Some(&self.persisted.settings) {
            return;
        }
        let theme = if self.persisted.settings.dark { egui::Theme::Dark } else { egui::Theme::Light };
        ctx.set_theme(theme);
        self.applied_settings = Some(self.persisted.settings.clone());
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui, enabled: &Enabled, out: &mut Vec<Command>) {
        egui::Panel::top("menu-bar").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                for (menu, group) in Command::MENUS {
                    ui.menu_button(*menu, |ui| {
                        for command in group.iter() {
                            commands::menu_item(ui, command, enabled, out);
                        }
                        if *menu == "Edit" {
                            if let Some(open) = &self.open {
                                ui.separator();
                                ui.menu_button("Label selection", |ui| {
                                    for (i, label) in open.project.schema.labels.iter().enumerate() {
                                        let key = label.key.map(|k| k.to_string()).unwrap_or_default();
                                        let button = egui::Button::new(&label.name).shortcut_text(key);
                                        if ui.add_enabled(enabled.selection || enabled.span, button).clicked() {
                                            out.push(Command::ApplyLabel(i));
                                        }
                                    }
                                });
                            }
                        }
                        if *menu == "Document" {
                            if let Some(open) = &self.open {
                                doc_label_menus(ui, open, enabled, out);
                            }
                        }
                        if *menu == "File" && !self.persisted.recent.is_empty() {
                            ui.separator();
                            ui.menu_button("Recent projects", |ui| {
                                for path in &self.persisted.recent {
                                    if ui.button(path.display().to_string()).clicked() {
                                        out.push(Command::OpenPath(path.clone()));
                                    }
                                }
                            });
                        }
                    });
                }
            });
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        let saving = self.save_job.is_some();
        let suggesting = self.suggest_job.as_ref().map(super::suggest_dialog::SuggestJob::status);
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            super::status_bar::ui(ui, self.open.as_ref(), &self.view, saving, suggesting.as_deref());
        });
    }

    fn documents_panel(&mut self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let Some(open) = &self.open else { return };
        egui::Panel::left("documents-panel").resizable(true).default_size(220.0).show(ui, |ui| {
            super::documents_panel::ui(ui, open, out);
        });
    }

    fn side_panel(&mut self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let Some(open) = &mut self.open else { return };
        // Counting 50,000 spans every frame would cost more than drawing: count once per revision.
        let key = (open.generation, open.doc, open.history.revision());
        if self.label_counts.as_ref().is_none_or(|(k, _)| *k != key) {
            let labels = &open.project.schema.labels;
            let mut counts = vec![0usize; labels.len()];
            if let Some(doc) = open.project.documents.get(open.doc) {
                for span in &doc.spans {
                    if let Some(count) =
                        labels.iter().position(|l| l.name == span.label).and_then(|i| counts.get_mut(i))
                    {
                        *count += 1;
                    }
                }
            }
            self.label_counts = Some((key, counts));
        }
        let counts = self.label_counts.as_ref().map(|(_, c)| c.as_slice()).unwrap_or(&[]);
        let view = &self.view;
        let note_draft = &mut self.note_draft;
        let span_list = &mut self.span_list;
        let mut note_edit = None;
        egui::Panel::right("spans-panel").resizable(true).default_size(300.0).show(ui, |ui| {
            let doc = open.project.documents.get(open.doc);
            super::palette::ui(
                ui,
                &open.project.schema,
                counts,
                view.selection.is_some() || view.selected_span.is_some() || view.selected_suggestion.is_some(),
                out,
            );
            ui.separator();
            if let Some(doc) = doc.filter(|_| !open.project.schema.doc_labels.is_empty()) {
                super::doc_labels_panel::ui(ui, &open.project.schema, doc, !open.read_only, out);
                ui.separator();
            }
            if let (Some(doc), Some(id)) = (doc, view.selected_span) {
                if let Some(span) = doc.span(id) {
                    note_edit = super::span_list::selected_span_ui(
                        ui,
                        doc,
                        &open.project.schema,
                        span,
                        note_draft,
                        view.selected_relation,
                        out,
                    );
                    ui.separator();
                }
            }
            if let Some(doc) = doc.filter(|d| !d.suggestions.is_empty()) {
                super::suggestions::panel_ui(ui, doc, &open.project.schema, view.selected_suggestion, out);
                ui.separator();
            }
            if let Some(doc) = doc {
                super::span_list::relations_ui(ui, doc, &open.project.schema, view.selected_relation, out);
                ui.separator();
                span_list.ui(ui, doc, &open.project.schema, view.selected_span, out);
            }
        });
        if let Some((id, note)) = note_edit {
            let doc = open.doc;
            self.apply(Edit::SetSpanNote { doc, id, note }, "Edit note");
        }
    }

    fn find_panel(&mut self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let Some(open) = &self.open else { return };
        let Some(doc) = open.project.documents.get(open.doc) else { return };
        self.find.refresh(doc, open.generation);
        let schema = &open.project.schema;
        let bulk = &mut self.bulk_label;
        let find = &mut self.find;
        egui::Panel::top("find-bar").show(ui, |ui| {
            find.ui(ui, schema, bulk, out);
        });
    }

    fn central(&mut self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let Some(open) = &self.open else { return };
        let fill =
            if ui.visuals().dark_mode { egui::Color32::from_gray(30) } else { egui::Color32::from_rgb(252, 251, 248) };
        let frame = egui::Frame::central_panel(ui.style()).fill(fill).inner_margin(0.0);
        let empty: Vec<std::ops::Range<usize>> = Vec::new();
        egui::CentralPanel::default_margins().frame(frame).show(ui, |ui| {
            let Some(doc) = open.project.documents.get(open.doc) else {
                ui.centered_and_justified(|ui| {
                    ui.label("This project has no documents yet: import an article (Ctrl+I).")
                });
                return;
            };
            // Matches are highlighted while the bar is open; Escape hides them, not the selection.
            let matches = if self.find.open { self.find.matches() } else { &empty };
            let input = ViewInput {
                doc,
                schema: &open.project.schema,
                generation: open.generation,
                revision: open.history.revision(),
                settings: &self.persisted.settings,
                matches,
            };
            self.view.ui(ui, &input, out);
        });
    }

    fn windows(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        if self.show_help {
            let schema = self.open.as_ref().map(|o| o.project.schema.clone()).unwrap_or_default();
            let mut open = true;
            egui::Window::new("Keyboard shortcuts").open(&mut open).collapsible(false).resizable(false).show(
                ctx,
                |ui| {
                    super::help::ui(ui, &schema.labels, &schema.doc_labels);
                },
            );
            self.show_help = open;
        }
        if self.show_settings {
            let mut open = true;
            egui::Window::new("Settings").open(&mut open).collapsible(false).resizable(false).show(ctx, |ui| {
                super::settings::ui(ui, &mut self.persisted.settings);
            });
            self.show_settings = open;
        }
        if let (Some(editor), Some(open)) = (&mut self.schema_editor, &self.open) {
            let mut keep = true;
            let mut apply = None;
            egui::Window::new("Labels").open(&mut keep).collapsible(false).default_width(700.0).show(ctx, |ui| {
                apply = editor.ui(ui, &open.project);
            });
            if let Some(edit) = apply {
                if self.apply(edit, "Edit labels") {
                    self.notifications.info("Labels updated.");
                    // A fresh draft of what is now the schema: the next renames start from it.
                    if let (Some(editor), Some(open)) = (&mut self.schema_editor, &self.open) {
                        *editor = SchemaEditor::new(&open.project.schema);
                    }
                }
            }
            if !keep {
                self.schema_editor = None;
            }
        }
        if let Some(entry) = &mut self.path_entry {
            let mut keep = true;
            let mut chosen = None;
            let title = entry.purpose.title();
            egui::Window::new(title).open(&mut keep).collapsible(false).show(ctx, |ui| {
                ui.label("Type the path of the file:");
                let label = ui.label("Path");
                let field =
                    ui.add(egui::TextEdit::singleline(&mut entry.text).desired_width(420.0)).labelled_by(label.id);
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if !entry.focused {
                    // Opened in place of a dialog: the keyboard goes to the path at once.
                    field.request_focus();
                    entry.focused = true;
                }
                if enter || ui.button("OK").clicked() {
                    chosen = Some(PathBuf::from(entry.text.trim()));
                }
            });
            if let Some(path) = chosen.filter(|p| !p.as_os_str().is_empty()) {
                let purpose = entry.purpose;
                self.path_entry = None;
                self.dialog_result(purpose, vec![path]);
            } else if !keep {
                self.path_entry = None;
            }
        }
        if let (Some(dialog), Some(open)) = (&mut self.export, &self.open) {
            let mut keep = true;
            let running = self.export_job.as_ref().map(super::export::ExportJob::progress);
            let mut action = None;
            egui::Window::new("Export corpus").open(&mut keep).collapsible(false).resizable(false).show(ctx, |ui| {
                action = dialog.ui(ui, &open.path, running);
            });
            match action {
                Some(super::export::ExportAction::Start) => self.start_export(),
                Some(super::export::ExportAction::Close) => self.export = None,
                None if !keep => self.export = None,
                None => {}
            }
        }
        self.analysis_windows(ctx, out);
        if let Some(choice) = &self.link_choice {
            let mut picked = None;
            let mut cancel = false;
            let modal = egui::Modal::new(egui::Id::unique("gloss-link-choice")).show(ctx, |ui| {
                ui.set_max_width(360.0);
                ui.heading("Which link?");
                ui.label("Several relation types fit these two spans:");
                ui.add_space(4.0);
                for name in &choice.types {
                    if ui.button(name).clicked() {
                        picked = Some(name.clone());
                    }
                }
                ui.add_space(4.0);
                if ui.button("Cancel").clicked() {
                    cancel = true;
                }
            });
            if let Some(label) = picked {
                let (from, to) = (choice.from, choice.to);
                self.link_choice = None;
                out.push(Command::AddRelation { from, to, label });
            } else if cancel || modal.should_close() {
                self.link_choice = None;
            }
        }
        self.suggest_window(ctx);
        if let Some(prompt) = &self.prompt {
            if let Some(choice) = super::prompts::ui(ctx, prompt) {
                let prompt = self.prompt.take();
                if let Some(prompt) = prompt {
                    self.answer(prompt, choice);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Commands.

    /// Runs one command now.
    pub fn run(&mut self, command: Command) {
        match command {
            Command::OpenProject => self.confirm_then(AfterConfirm::OpenDialog),
            Command::ImportArticle => self.start_dialog(DialogPurpose::Import),
            Command::Save => self.save(None, None),
            Command::SaveAs => self.start_dialog(DialogPurpose::SaveAs),
            Command::Export => {
                if self.export.is_none() {
                    self.export = self.open.as_ref().map(|o| super::export::ExportDialog::new(&o.path));
                }
            }
            Command::Quit => self.confirm_then(AfterConfirm::Quit),
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::Find => {
                if let (Some(sel), Some(doc)) = (&self.view.selection, self.current_doc()) {
                    if let Some(text) =
                        doc.text.slice(sel.clone()).filter(|t| !t.contains('\n') && t.chars().count() < 80)
                    {
                        self.find.query = text.to_owned();
                    }
                }
                self.find.open = true;
                self.find.request_focus();
            }
            Command::FindNext => self.find_step(true),
            Command::ExtendSelection { forward, word } => {
                if let Some(doc) = self.open.as_ref().and_then(|o| o.project.documents.get(o.doc)) {
                    self.view.extend_selection(doc, forward, word);
                }
            }
            Command::FindPrevious => self.find_step(false),
            Command::LabelAllMatches(label) => self.label_all_matches(label),
            Command::ApplyLabel(label) if self.suggestion_is_the_target() => self.accept_suggestion_as(label),
            Command::ApplyLabel(label) => self.apply_label(label),
            Command::DeleteSpan if self.suggestion_is_the_target() => self.run(Command::RejectSuggestion),
            Command::DeleteSpan => match self.view.selected_relation {
                Some(id) => self.delete_relation(id),
                None => self.delete_span(),
            },
            Command::StartLink => self.start_link(),
            Command::LinkTo(to) => self.link_to(to),
            Command::AddRelation { from, to, label } => self.add_relation(from, to, label),
            Command::SelectRelation(id) => {
                if self.current_doc().and_then(|d| d.relation(id)).is_some() {
                    self.view.selected_relation = Some(id);
                }
            }
            Command::DeleteRelation(id) => self.delete_relation(id),
            Command::Escape => {
                if self.link_choice.is_some() {
                    self.link_choice = None;
                } else if self.view.linking_from.is_some() {
                    self.view.linking_from = None;
                    self.notifications.info("Linking cancelled.");
                } else if self.find.open {
                    self.find.open = false;
                } else if self.show_help {
                    self.show_help = false;
                } else {
                    self.view.clear_selection();
                }
            }
            Command::Scroll(jump) => self.view.scroll_jump = Some(jump),
            Command::NextDocument => self.go_to_document_offset(1),
            Command::PreviousDocument => self.go_to_document_offset(-1),
            Command::GoToDocument(i) => self.go_to_document(i),
            Command::ToggleDone => self.toggle_done(),
            Command::CycleDocLabel(i) => self.cycle_doc_label(i),
            Command::SetDocLabel { name, value } => self.set_doc_label(name, value),
            Command::SelectSpan(id) if self.view.linking_from.is_some() => self.link_to(id),
            Command::SelectSpan(id) => {
                if let Some(span) = self.current_doc().and_then(|d| d.span(id)) {
                    self.view.scroll_to = Some(span.start);
                    self.view.selection = None;
                    self.view.selected_span = Some(id);
                    self.view.selected_relation = None;
                    self.view.selected_suggestion = None;
                }
            }
            Command::ToggleHelp => self.show_help = !self.show_help,
            Command::ToggleSettings => self.show_settings = !self.show_settings,
            Command::EditSchema => {
                self.schema_editor = match (&self.schema_editor, &self.open) {
                    (None, Some(open)) => Some(SchemaEditor::new(&open.project.schema)),
                    _ => None,
                }
            }
            Command::ToggleTheme => self.persisted.settings.dark = !self.persisted.settings.dark,
            Command::ZoomIn => self.persisted.settings.font_size = (self.persisted.settings.font_size + 1.0).min(32.0),
            Command::ZoomOut => self.persisted.settings.font_size = (self.persisted.settings.font_size - 1.0).max(11.0),
            Command::TogglePanels => self.show_panels = !self.show_panels,
            Command::ReviewConflicts => self.toggle_review(),
            Command::OpenPath(path) => self.confirm_then(AfterConfirm::Open(path)),
            Command::ImportPaths(paths) => self.import_into_open(&paths),
            Command::Statistics => {
                self.stats_view = match self.stats_view {
                    None => Some(super::stats_view::StatsView::default()),
                    Some(_) => None,
                }
            }
            Command::Agreement => {
                self.show_agreement = !self.show_agreement;
                self.agreement_view.get_or_insert_with(Default::default);
            }
            Command::ShowRange { doc, start, end } => self.show_range(doc, start..end),
            Command::Suggest
            | Command::AcceptSuggestion
            | Command::RejectSuggestion
            | Command::NextSuggestion
            | Command::PreviousSuggestion
            | Command::AcceptAllSuggestions
            | Command::RejectAllSuggestions
            | Command::SelectSuggestion(_) => self.run_suggestion_command(&command),
        }
    }

    fn show_range(&mut self, doc: usize, range: std::ops::Range<usize>) {
        self.go_to_document(doc);
        let Some(d) = self.current_doc() else { return };
        if self.open.as_ref().is_none_or(|o| o.doc != doc) || range.end > d.text.len_chars() || range.is_empty() {
            return;
        }
        // The open project's own span there, if it has one; else the range as a selection.
        let own = d.spans.iter().find(|s| s.start == range.start && s.end == range.end).map(|s| s.id);
        self.view.scroll_to = Some(range.start);
        self.view.selected_relation = None;
        match own {
            Some(id) => {
                self.view.selection = None;
                self.view.selected_span = Some(id);
            }
            None => {
                self.view.selected_span = None;
                self.view.selection = Some(range);
            }
        }
    }

    /// The statistics and agreement windows.
    fn analysis_windows(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let Some(open) = &self.open else { return };
        let notes = &mut self.notifications;
        // Centred on the window when they first open (the user may move them).
        let center = ctx.content_rect().center();
        if let Some(view) = &mut self.stats_view {
            let mut keep = true;
            egui::Window::new("Statistics")
                .open(&mut keep)
                .default_pos(center - egui::vec2(380.0, 280.0))
                .default_size([760.0, 560.0])
                .min_width(480.0)
                .show(ctx, |ui| view.ui(ui, open, notes, out));
            if !keep {
                self.stats_view = None;
            }
        }
        if let (true, Some(view)) = (self.show_agreement, &mut self.agreement_view) {
            let mut keep = true;
            egui::Window::new("Agreement")
                .open(&mut keep)
                .default_pos(center - egui::vec2(410.0, 300.0))
                .default_size([820.0, 600.0])
                .min_width(520.0)
                .show(ctx, |ui| view.ui(ui, open, notes, out));
            self.show_agreement = keep;
        }
    }

    /// True when a suggestion is selected and no text, span or link: label keys and Delete act on it.
    fn suggestion_is_the_target(&self) -> bool {
        self.view.selected_suggestion.is_some()
            && self.view.selection.is_none()
            && self.view.selected_span.is_none()
            && self.view.selected_relation.is_none()
    }

    /// The egui context, once the first frame has run (for threads that ask for a repaint).
    pub(super) fn ctx_handle(&self) -> Option<egui::Context> {
        self.ctx.clone()
    }

    // ---------------------------------------------------------------------------------------
    // Review mode.

    fn toggle_review(&mut self) {
        if self.review.take().is_some() {
            return;
        }
        let Some(open) = &self.open else { return };
        let mut review = Review::new(open.doc);
        review.refresh(&open.project, (open.generation, open.history.revision()));
        if review.remaining() == 0 {
            self.notifications.info(
                "No conflicts to review. Merge annotators' projects first: gloss merge A.ron B.ron --out GOLD.ron",
            );
            return;
        }
        self.review = Some(review);
    }

    fn refresh_review(&mut self) {
        if let (Some(review), Some(open)) = (&mut self.review, &self.open) {
            review.refresh(&open.project, (open.generation, open.history.revision()));
        }
    }

    fn review_panel(&mut self, ui: &mut egui::Ui) -> Option<ReviewAction> {
        let (Some(review), Some(open)) = (&self.review, &self.open) else { return None };
        let mut action = None;
        egui::Panel::bottom("review-panel").resizable(false).show(ui, |ui| {
            ui.add_space(4.0);
            action = super::review::ui(ui, review, &open.project);
            ui.add_space(2.0);
        });
        action
    }

    /// Carries out a review decision as one undoable edit, or moves, or leaves.
    fn review_action(&mut self, action: ReviewAction) {
        self.refresh_review();
        let Some(review) = &mut self.review else { return };
        let Some(open) = &self.open else { return };
        let decision = match action {
            ReviewAction::Accept(i) => crate::analysis::conflicts::Decision::Accept(i),
            ReviewAction::All => crate::analysis::conflicts::Decision::All,
            ReviewAction::Neither => crate::analysis::conflicts::Decision::Neither,
            ReviewAction::Next | ReviewAction::Previous => {
                review.step(action == ReviewAction::Next);
                return;
            }
            ReviewAction::Close => {
                self.review = None;
                self.view.selection = None;
                return;
            }
            ReviewAction::Edit => {
                if let Some((_, c)) = review.current() {
                    let (doc, range) = (c.doc, c.start..c.end);
                    self.review = None;
                    self.go_to_document(doc);
                    self.view.selected_span = None;
                    self.view.selection = Some(range.clone());
                    self.view.scroll_to = Some(range.start);
                    self.notifications.info("Review paused: fix this place by hand, then Ctrl+R goes on.");
                }
                return;
            }
        };
        let Some((_, conflict)) = review.current() else { return };
        let name = match decision {
            crate::analysis::conflicts::Decision::Accept(i) => conflict
                .versions
                .get(i)
                .map_or_else(|| "Review".to_owned(), |v| format!("Review: accept {}", v.annotators.join(" + "))),
            crate::analysis::conflicts::Decision::All => "Review: accept all".to_owned(),
            crate::analysis::conflicts::Decision::Neither => "Review: accept neither".to_owned(),
        };
        let Some(edit) = crate::analysis::conflicts::decision_edit(&open.project, conflict, decision) else { return };
        if self.apply(edit, &name) {
            self.refresh_review();
            if self.review.as_ref().is_some_and(|r| r.remaining() == 0) {
                self.review = None;
                self.view.selection = None;
                self.notifications.info("Every conflict is decided. Save (Ctrl+S), then export.");
            }
        }
    }

    /// Moves the text view to the conflict on screen when it changed: its document, its range
    /// selected and scrolled to.
    fn show_review_conflict(&mut self) {
        self.refresh_review();
        let Some(review) = &mut self.review else { return };
        let Some((_, c)) = review.current() else { return };
        let place = (c.doc, c.start, c.end);
        if review.shown == Some(place) {
            return;
        }
        // The versions under review stand out from the other suggestions in the text.
        let ids = c.suggestions.clone();
        review.shown = Some(place);
        self.go_to_document(place.0);
        self.view.highlighted_suggestions = ids;
        self.view.selected_span = None;
        self.view.selected_relation = None;
        self.view.selection = Some(place.1..place.2);
        self.view.scroll_to = Some(place.1);
    }

    pub(super) fn current_doc(&self) -> Option<&crate::model::Document> {
        let open = self.open.as_ref()?;
        open.project.documents.get(open.doc)
    }

    /// Applies an edit as one undoable step; a refused edit becomes a notification.
    pub(super) fn apply(&mut self, edit: Edit, name: &str) -> bool {
        let Some(open) = &mut self.open else { return false };
        if open.read_only {
            self.notifications.warn("This project is open read-only: Save as… a copy to edit it.");
            return false;
        }
        match open.history.apply(&mut open.project, edit, name) {
            Ok(()) => {
                self.edited();
                true
            }
            Err(err) => {
                self.notifications.error(format!("{name}: {err}"));
                false
            }
        }
    }

    fn edited(&mut self) {
        self.last_edit = Some(Instant::now());
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint_after(AUTOSAVE_DELAY + Duration::from_millis(100));
        }
    }

    fn apply_label(&mut self, label: usize) {
        let Some(open) = &self.open else { return };
        let Some(def) = open.project.schema.labels.get(label) else { return };
        let name = def.name.clone();
        let doc = open.doc;
        // A fresh selection wins over a span selected before it.
        if let (None, Some(id)) = (&self.view.selection, self.view.selected_span) {
            let same = open.project.documents.get(doc).and_then(|d| d.span(id)).is_some_and(|s| s.label == name);
            if !same {
                self.apply(Edit::SetSpanLabel { doc, id, label: name }, "Relabel span");
            }
            return;
        }
        let Some(sel) = self.view.selection.clone() else { return };
        let Some(d) = open.project.documents.get(doc) else { return };
        let id = d.next_span_id();
        let mut span = Span::new(id, sel.start, sel.end, name);
        let annotator = self.persisted.settings.annotator.trim();
        if !annotator.is_empty() {
            span.annotator = Some(annotator.to_owned());
        }
        if self.apply(Edit::AddSpan { doc, span }, "Label span") {
            self.view.selection = None;
            self.view.selected_span = Some(id);
            self.view.selected_suggestion = None;
        }
    }

    fn delete_span(&mut self) {
        let Some(open) = &self.open else { return };
        let Some(id) = self.view.selected_span else { return };
        let edit = Edit::remove_span_with_relations(&open.project, open.doc, id);
        if self.apply(edit, "Delete span") {
            self.view.selected_span = None;
            self.view.selected_relation = None;
        }
    }

    fn start_link(&mut self) {
        let Some(id) = self.view.selected_span else { return };
        self.view.selection = None;
        self.view.linking_from = Some(id);
    }

    /// Links the span linking started from to `to`, with the one relation type that fits, or
    /// asks which when several do.
    fn link_to(&mut self, to: SpanId) {
        let Some(from) = self.view.linking_from.take() else { return };
        let Some(open) = &self.open else { return };
        let Some(doc) = open.project.documents.get(open.doc) else { return };
        let (Some(a), Some(b)) = (doc.span(from), doc.span(to)) else { return };
        if from == to {
            self.notifications.warn("A span cannot be linked to itself. Press R again and click another span.");
            return;
        }
        let types: Vec<String> = open
            .project
            .schema
            .relations
            .iter()
            .filter(|t| t.allows(&a.label, &b.label))
            .map(|t| t.name.clone())
            .collect();
        match types.as_slice() {
            [] => {
                let (fl, tl) = (a.label.clone(), b.label.clone());
                self.notifications.warn(format!(
                    "No relation type of the schema links a “{fl}” span to a “{tl}” span (e.g. “said” goes from speaker to claim or threat)."
                ));
            }
            [only] => self.add_relation(from, to, only.clone()),
            _ => self.link_choice = Some(LinkChoice { from, to, types }),
        }
    }

    fn add_relation(&mut self, from: SpanId, to: SpanId, label: String) {
        let Some(open) = &self.open else { return };
        let Some(d) = open.project.documents.get(open.doc) else { return };
        if d.relations.iter().any(|r| r.from == from && r.to == to && r.label == label) {
            self.notifications.info(format!("These spans are already linked by “{label}”."));
            return;
        }
        let id = d.next_relation_id();
        let doc = open.doc;
        if self.apply(Edit::AddRelation { doc, relation: Relation { id, label, from, to } }, "Link spans") {
            self.view.selected_span = Some(from);
            self.view.selected_relation = Some(id);
        }
    }

    fn delete_relation(&mut self, id: RelationId) {
        let Some(open) = &self.open else { return };
        let doc = open.doc;
        if self.apply(Edit::RemoveRelation { doc, id }, "Delete link") && self.view.selected_relation == Some(id) {
            self.view.selected_relation = None;
        }
    }

    fn label_all_matches(&mut self, label: usize) {
        let Some(open) = &self.open else { return };
        let Some(def) = open.project.schema.labels.get(label) else { return };
        let Some(d) = open.project.documents.get(open.doc) else { return };
        let mut next = d.next_span_id();
        let annotator = Some(self.persisted.settings.annotator.trim().to_owned()).filter(|a| !a.is_empty());
        let mut edits = Vec::new();
        for m in self.find.matches() {
            if d.find_exact(m.start, m.end, &def.name).is_some() {
                continue;
            }
            let mut span = Span::new(next, m.start, m.end, def.name.clone());
            span.annotator = annotator.clone();
            edits.push(Edit::AddSpan { doc: open.doc, span });
            next += 1;
        }
        let count = edits.len();
        if count == 0 {
            self.notifications.info("Every match already has this label.");
            return;
        }
        let label_name = def.name.clone();
        if self.apply(Edit::Batch(edits), "Label all matches") {
            self.notifications.info(format!("Labelled {} as {label_name}.", super::count(count, "match", "matches")));
        }
    }

    fn find_step(&mut self, forward: bool) {
        let from = self.view.selection.as_ref().map(|s| if forward { s.start + 1 } else { s.start });
        if let Some(m) = self.find.step(from, forward) {
            self.view.selection = Some(m.clone());
            self.view.selected_span = None;
            self.view.scroll_to = Some(m.start);
        }
        // Give the keyboard back to the document, so a label hotkey labels the match.
        if let Some(ctx) = &self.ctx {
            ctx.memory_mut(|m| {
                if let Some(id) = m.focused() {
                    m.surrender_focus(id);
                }
            });
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let Some(open) = &mut self.open else { return };
        let result = if undo { open.history.undo(&mut open.project) } else { open.history.redo(&mut open.project) };
        match result {
            Ok(Some(_)) => {
                let doc = open.project.documents.get(open.doc);
                if let Some(id) = self.view.selected_span {
                    if doc.and_then(|d| d.span(id)).is_none() {
                        self.view.selected_span = None;
                        self.view.linking_from = None;
                    }
                }
                if let Some(id) = self.view.selected_relation {
                    if doc.and_then(|d| d.relation(id)).is_none() {
                        self.view.selected_relation = None;
                    }
                }
                if open.doc >= open.project.documents.len() {
                    open.doc = open.project.documents.len().saturating_sub(1);
                }
                self.edited();
            }
            Ok(None) => {}
            Err(err) => self.notifications.error(format!("Could not {}: {err}", if undo { "undo" } else { "redo" })),
        }
    }

    fn go_to_document_offset(&mut self, delta: isize) {
        let Some(open) = &self.open else { return };
        let n = open.project.documents.len() as isize;
        if n == 0 {
            return;
        }
        let target = (open.doc as isize + delta).clamp(0, n - 1) as usize;
        self.go_to_document(target);
    }

    fn go_to_document(&mut self, index: usize) {
        let Some(open) = &mut self.open else { return };
        if index < open.project.documents.len() && index != open.doc {
            open.doc = index;
            self.view.clear_selection();
            self.note_draft = None;
        }
    }

    /// Moves the current document's doc label `index` to its next value, then to unset.
    fn cycle_doc_label(&mut self, index: usize) {
        let Some(open) = &self.open else { return };
        let (Some(def), Some(d)) = (open.project.schema.doc_labels.get(index), open.project.documents.get(open.doc))
        else {
            return;
        };
        let value = def.next_value(d.doc_label(&def.name)).map(str::to_owned);
        let name = def.name.clone();
        self.set_doc_label(name, value);
    }

    fn set_doc_label(&mut self, name: String, value: Option<String>) {
        let Some(open) = &self.open else { return };
        let what = match &value {
            Some(v) => format!("Set {name} = {v}"),
            None => format!("Unset {name}"),
        };
        let doc = open.doc;
        self.apply(Edit::SetDocLabel { doc, name, value }, &what);
    }

    fn toggle_done(&mut self) {
        let Some(open) = &self.open else { return };
        let Some(d) = open.project.documents.get(open.doc) else { return };
        let status = if d.status == Status::Done { Status::InProgress } else { Status::Done };
        let doc = open.doc;
        self.apply(Edit::SetStatus { doc, status }, if status == Status::Done { "Mark done" } else { "Mark not done" });
    }

    // ---------------------------------------------------------------------------------------
    // Opening.

    /// Asks about unsaved changes before `then`, or does it right away.
    fn confirm_then(&mut self, then: AfterConfirm) {
        if self.open.as_ref().is_some_and(OpenProject::is_dirty) {
            self.prompt = Some(Prompt::UnsavedChanges { then });
        } else {
            self.after_confirm(then);
        }
    }

    fn after_confirm(&mut self, then: AfterConfirm) {
        match then {
            AfterConfirm::Quit => self.close_now(),
            AfterConfirm::Open(path) => self.open_launch(&path, None),
            AfterConfirm::OpenDialog => self.start_dialog(DialogPurpose::Open),
        }
    }

    fn answer(&mut self, prompt: Prompt, choice: PromptChoice) {
        match (prompt, choice) {
            (Prompt::UnsavedChanges { then }, PromptChoice::Save) => self.save(None, Some(then)),
            (Prompt::UnsavedChanges { then }, PromptChoice::Discard) => {
                if let Some(open) = &self.open {
                    // The user chose to drop the changes: do not offer them again on next start.
                    let _ignored = std::fs::remove_file(io::recovery_path(&open.path));
                }
                self.open = self.open.take().map(|mut o| {
                    o.history.mark_saved();
                    o
                });
                self.after_confirm(then);
            }
            (Prompt::Recover { recovery }, PromptChoice::Recover) => self.recover(&recovery),
            (Prompt::Recover { recovery }, PromptChoice::Discard) => {
                if let Err(err) = std::fs::remove_file(&recovery) {
                    self.notifications.error(format!("Could not remove {}: {err}", recovery.display()));
                }
            }
            (Prompt::ChangedOnDisk, PromptChoice::Save) => {
                // The user chose to overwrite: take the file's new time as known.
                if let Some(open) = &mut self.open {
                    open.disk_time = modified(&open.path);
                }
                self.save(None, None);
            }
            (Prompt::ChangedOnDisk, PromptChoice::Reload) => {
                if let Some(path) = self.open.as_ref().map(|o| o.path.clone()) {
                    if let Some(open) = &mut self.open {
                        open.history.mark_saved();
                    }
                    self.open_launch(&path, None);
                }
            }
            (Prompt::ChangedOnDisk, PromptChoice::SaveAs) => self.start_dialog(DialogPurpose::SaveAs),
            (Prompt::SaveFailed { .. }, PromptChoice::SaveAs) => self.start_dialog(DialogPurpose::SaveAs),
            (Prompt::SaveFailed { path, then, .. }, PromptChoice::Save) => {
                let again = self.open.as_ref().filter(|o| o.path != path).map(|_| path);
                self.save(again, then);
            }
            (Prompt::Locked { .. }, PromptChoice::ReadOnly) => {
                if let Some(mut open) = self.pending_open.take() {
                    open.read_only = true;
                    // Nothing to save from a read-only view: opening it changes nothing.
                    open.history.mark_saved();
                    self.show_open(open);
                }
            }
            (Prompt::Locked { .. }, _) => self.pending_open = None,
            _ => {}
        }
    }

    /// Opens a project, or an article (a new project beside it, or the existing one).
    pub fn open_launch(&mut self, path: &Path, into_project: Option<&Path>) {
        let mut open = match self.load_for_launch(path, into_project) {
            Ok(open) => open,
            Err(err) => {
                self.notifications.error(err);
                return;
            }
        };
        // Reopening our own project (reload): keep our lock rather than meet it.
        let ours = self.open.as_mut().filter(|o| o.path == open.path).and_then(|o| o.lock.take());
        let lock = match ours {
            Some(lock) => Ok(lock),
            None => crate::store::ProjectLock::acquire(&open.path, LOCK_PROGRAM),
        };
        match lock {
            Ok(lock) => {
                open.lock = Some(lock);
                self.show_open(open);
            }
            Err(crate::store::LockError::Held { holder, .. }) => {
                self.prompt = Some(Prompt::Locked { path: open.path.clone(), holder: holder.to_string() });
                self.pending_open = Some(open);
            }
            Err(err) => {
                self.notifications.warn(format!("{err}. Opened without a lock: another Gloss could write it too."));
                self.show_open(open);
            }
        }
    }

    /// Makes `open` the project on screen (the previous one, and its lock, are let go).
    fn show_open(&mut self, open: OpenProject) {
        self.persisted.remember(open.path.clone());
        let read_only = open.read_only;
        self.open = Some(open);
        self.view = DocumentView::default();
        self.find = FindBar::default();
        self.schema_editor = None;
        self.note_draft = None;
        self.link_choice = None;
        self.review = None;
        if read_only {
            self.notifications.info("Opened read-only: Save as… writes a copy you can edit.");
        } else {
            self.offer_recovery();
        }
    }

    fn load_for_launch(&mut self, path: &Path, into_project: Option<&Path>) -> Result<OpenProject, String> {
        self.next_generation += 1;
        let generation = self.next_generation;
        if let Some(project_path) = into_project {
            let mut project =
                if project_path.exists() { io::load_project(project_path)? } else { Project::new(stem(project_path)) };
            let before = project.documents.len();
            let summary = io::import_articles(&mut project, &[path.to_owned()])?;
            self.report_import(&summary);
            let mut open = OpenProject::new(project, project_path.to_owned(), generation);
            open.doc = before.min(open.project.documents.len().saturating_sub(1));
            open.mark_unsaved();
            return Ok(open);
        }
        if io::is_project_path(path) {
            let project = io::load_project(path)?;
            return Ok(OpenProject::new(project, path.to_owned(), generation));
        }
        let project_path = io::project_path_for_article(path);
        if project_path.exists() {
            let project = io::load_project(&project_path)?;
            self.notifications.info(format!("Opened the existing project {}", project_path.display()));
            return Ok(OpenProject::new(project, project_path, generation));
        }
        let mut project = Project::new(stem(&project_path));
        let summary = io::import_articles(&mut project, &[path.to_owned()])?;
        self.report_import(&summary);
        let mut open = OpenProject::new(project, project_path, generation);
        open.mark_unsaved();
        Ok(open)
    }

    fn report_import(&mut self, summary: &io::ImportSummary) {
        for skipped in &summary.skipped {
            self.notifications.error(format!("Skipped {skipped}"));
        }
        for warning in &summary.warnings {
            self.notifications.warn(warning.clone());
        }
    }

    /// Imports files into the open project as one undoable step (or opens the first as an
    /// article when no project is open).
    fn import_into_open(&mut self, paths: &[PathBuf]) {
        let Some(open) = &self.open else {
            if let Some(first) = paths.first() {
                self.open_launch(first, None);
            }
            return;
        };
        // Import into a copy, then add what it gained through the history, so it can be undone.
        let mut copy = open.project.clone();
        let before = copy.documents.len();
        match io::import_articles(&mut copy, paths) {
            Ok(summary) => {
                self.report_import(&summary);
                let edits: Vec<Edit> = copy
                    .documents
                    .drain(before..)
                    .enumerate()
                    .map(|(i, d)| Edit::AddDocument { index: before + i, document: Box::new(d) })
                    .collect();
                let count = edits.len();
                if count > 0 && self.apply(Edit::Batch(edits), "Import articles") {
                    self.notifications.info(format!("Imported {}.", summary.added.join(", ")));
                    self.go_to_document(before);
                }
            }
            Err(err) => self.notifications.error(err),
        }
    }

    fn offer_recovery(&mut self) {
        let Some(open) = &self.open else { return };
        let recovery = io::recovery_path(&open.path);
        let Some(recovered_at) = modified(&recovery) else { return };
        let newer = modified(&open.path).is_none_or(|saved| recovered_at > saved);
        if newer {
            self.prompt = Some(Prompt::Recover { recovery });
        }
    }

    fn recover(&mut self, recovery: &Path) {
        match io::load_project(recovery) {
            Ok(project) => {
                self.next_generation += 1;
                if let Some(open) = &mut self.open {
                    let doc = open.doc.min(project.documents.len().saturating_sub(1));
                    let disk_time = open.disk_time;
                    let lock = open.lock.take();
                    *open = OpenProject::new(project, open.path.clone(), self.next_generation);
                    open.doc = doc;
                    open.disk_time = disk_time;
                    open.lock = lock;
                    open.mark_unsaved();
                }
                self.view = DocumentView::default();
                self.notifications.info("Recovered the unsaved work. Save (Ctrl+S) to keep it.");
            }
            Err(err) => self.notifications.error(format!("Could not recover: {err}")),
        }
    }

    // ---------------------------------------------------------------------------------------
    // Dialogs.

    fn start_dialog(&mut self, purpose: DialogPurpose) {
        if self.dialog_job.is_some() {
            return;
        }
        if std::env::var_os("GLOSS_NO_DIALOGS").is_some() {
            self.path_entry = Some(PathEntry::new(purpose, self.default_dialog_text(purpose)));
            return;
        }
        let dir = self.open.as_ref().and_then(|o| o.path.parent().map(Path::to_owned));
        let file_name = self.open.as_ref().and_then(|o| o.path.file_name().map(|f| f.to_string_lossy().into_owned()));
        let ctx = self.ctx.clone();
        // Native dialogs block: run them off the UI thread so the window keeps painting.
        let handle = std::thread::spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            if let Some(dir) = dir {
                dialog = dialog.set_directory(dir);
            }
            let result = match purpose {
                DialogPurpose::Open => dialog.add_filter("Gloss project", &["ron"]).pick_file().map(|p| vec![p]),
                DialogPurpose::Import => dialog
                    .add_filter("Articles", &["txt", "html", "htm", "md", "markdown", "jsonl", "json", "conll", "ann"])
                    .add_filter("All files", &["*"])
                    .pick_files(),
                DialogPurpose::SaveAs => {
                    let dialog = match file_name {
                        Some(name) => dialog.set_file_name(name),
                        None => dialog,
                    };
                    dialog.add_filter("Gloss project", &["ron"]).save_file().map(|p| vec![p])
                }
            };
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
            result
        });
        self.dialog_job = Some((purpose, handle));
    }

    fn default_dialog_text(&self, purpose: DialogPurpose) -> String {
        match (&self.open, purpose) {
            (Some(open), DialogPurpose::SaveAs) => open.path.display().to_string(),
            (Some(open), _) => super::folder_prefix(&open.path),
            (None, _) => String::new(),
        }
    }

    fn dialog_result(&mut self, purpose: DialogPurpose, paths: Vec<PathBuf>) {
        match purpose {
            DialogPurpose::Open => {
                if let Some(path) = paths.into_iter().next() {
                    self.open_launch(&path, None);
                }
            }
            DialogPurpose::Import => self.import_into_open(&paths),
            DialogPurpose::SaveAs => {
                if let Some(path) = paths.into_iter().next() {
                    self.save(Some(path), None);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Saving.

    /// Starts saving to `path` (default: the project's path) in the background; `then` runs
    /// when it succeeds.
    fn save(&mut self, path: Option<PathBuf>, then: Option<AfterConfirm>) {
        let Some(open) = &self.open else { return };
        if self.save_job.is_some() {
            self.notifications.info("A save is already running.");
            return;
        }
        let target = path.clone().unwrap_or_else(|| open.path.clone());
        if open.read_only && target == open.path {
            // Another process is the writer of this file: only a copy can be written.
            self.notifications.warn("This project is open read-only here: choose another file to save a copy.");
            self.start_dialog(DialogPurpose::SaveAs);
            return;
        }
        // Save As: become the writer of the new file before writing it.
        let mut new_lock = None;
        if target != open.path {
            match crate::store::ProjectLock::acquire(&target, LOCK_PROGRAM) {
                Ok(lock) => new_lock = Some(lock),
                Err(err) => {
                    self.notifications.error(format!("Not saved: {err}"));
                    return;
                }
            }
        }
        if path.is_none() {
            // Someone else saved the file since we read or wrote it: do not overwrite silently.
            let on_disk = modified(&open.path);
            if open.disk_time.is_some() && on_disk.is_some() && on_disk != open.disk_time && self.prompt.is_none() {
                self.prompt = Some(Prompt::ChangedOnDisk);
                return;
            }
        }
        let revision = open.history.revision();
        let generation = open.generation;
        let Some(snapshot) = self.open.as_mut().map(OpenProject::snapshot) else { return };
        let ctx = self.ctx.clone();
        let file = target.clone();
        let handle = std::thread::spawn(move || {
            let result = io::save_snapshot(&file, &snapshot);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
            result
        });
        self.save_job = Some(SaveJob { handle, revision, generation, path: target, then, new_lock });
    }

    fn save_finished(&mut self, job: SaveDone, result: Result<(), String>) {
        let SaveDone { revision, generation, path, then, new_lock } = job;
        match result {
            Ok(()) => {
                if let Some(open) = self.open.as_mut().filter(|o| o.generation == generation) {
                    if open.path != path {
                        if !open.read_only {
                            let _ignored = std::fs::remove_file(io::recovery_path(&open.path));
                        }
                        open.path = path.clone();
                        self.persisted.remember(path.clone());
                        // The copy is ours: the old lock (if any) goes, the new one stays.
                        open.lock = new_lock;
                        open.read_only = false;
                    }
                    open.history.mark_saved_at(revision);
                    open.disk_time = modified(&path);
                    if !open.is_dirty() && self.autosave_job.is_none() {
                        let _ignored = std::fs::remove_file(io::recovery_path(&path));
                    }
                }
                if let Some(then) = then {
                    self.after_confirm(then);
                }
            }
            // Nothing on disk changed and the work is only here: say so, and offer a way out
            // that does not need the same disk (Save As), rather than a notification that fades.
            Err(reason) => self.prompt = Some(Prompt::SaveFailed { path, reason, then }),
        }
    }

    fn start_autosave(&mut self) {
        let Some(open) = &self.open else { return };
        if self.autosave_job.is_some() || !open.is_dirty() || open.read_only {
            return;
        }
        let revision = open.history.revision();
        if self.autosaved == Some((open.generation, revision)) {
            return;
        }
        let path = io::recovery_path(&open.path);
        let generation = open.generation;
        let Some(snapshot) = self.open.as_mut().map(OpenProject::snapshot) else { return };
        let file = path.clone();
        let handle = std::thread::spawn(move || io::save_snapshot(&file, &snapshot));
        self.autosave_job = Some(SaveJob { handle, revision, generation, path, then: None, new_lock: None });
    }

    fn autosave_finished(&mut self, revision: u64, generation: u64, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.autosaved = Some((generation, revision));
                if let Some(open) = self.open.as_ref().filter(|o| !o.is_dirty()) {
                    // A manual save finished meanwhile: the recovery file is stale.
                    let _ignored = std::fs::remove_file(io::recovery_path(&open.path));
                }
            }
            Err(err) => self.notifications.error(format!(
                "Autosave failed: {err}. Your work is still here, in memory: save it (Ctrl+S), or Save As elsewhere."
            )),
        }
    }

    fn autosave_tick(&mut self, ctx: &egui::Context) {
        let Some(last) = self.last_edit else { return };
        if last.elapsed() >= AUTOSAVE_DELAY {
            self.start_autosave();
            self.last_edit = None;
        } else {
            ctx.request_repaint_after(AUTOSAVE_DELAY.saturating_sub(last.elapsed()) + Duration::from_millis(50));
        }
    }

    fn export_finished(&mut self, job: super::export::ExportJob) {
        let (ok, text) = job.finish();
        if ok {
            self.notifications.info(text);
            self.export = None;
        } else {
            self.notifications.error(text);
        }
    }

    fn poll_background_work(&mut self) {
        if self.export_job.as_ref().is_some_and(super::export::ExportJob::is_finished) {
            if let Some(job) = self.export_job.take() {
                self.export_finished(job);
            }
        }
        if self.save_job.as_ref().is_some_and(|j| j.handle.is_finished()) {
            if let Some(job) = self.save_job.take() {
                let (job, result) = job.join("the save thread failed");
                self.save_finished(job, result);
            }
        }
        if self.autosave_job.as_ref().is_some_and(|j| j.handle.is_finished()) {
            if let Some(job) = self.autosave_job.take() {
                let result = job.handle.join().unwrap_or_else(|_| Err("the autosave thread failed".to_owned()));
                self.autosave_finished(job.revision, job.generation, result);
            }
        }
        if self.dialog_job.as_ref().is_some_and(|(_, h)| h.is_finished()) {
            if let Some((purpose, handle)) = self.dialog_job.take() {
                match handle.join().ok().flatten() {
                    Some(paths) if !paths.is_empty() => self.dialog_result(purpose, paths),
                    // Cancelled, or no dialog could be shown: let the user type the path.
                    _ => self.path_entry = Some(PathEntry::new(purpose, self.default_dialog_text(purpose))),
                }
            }
        }
        if self.save_job.is_some() || self.autosave_job.is_some() || self.dialog_job.is_some() {
            if let Some(ctx) = &self.ctx {
                ctx.request_repaint_after(Duration::from_millis(100));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Window events.

    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_owned()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        if dropped.is_empty() {
            return;
        }
        let (projects, articles): (Vec<PathBuf>, Vec<PathBuf>) =
            dropped.into_iter().partition(|p| io::is_project_path(p));
        if let Some(project) = projects.into_iter().next() {
            self.commands.push(Command::OpenPath(project));
        } else {
            self.commands.push(Command::ImportPaths(articles));
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.closing {
            return;
        }
        if self.open.as_ref().is_some_and(OpenProject::is_dirty) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.prompt = Some(Prompt::UnsavedChanges { then: AfterConfirm::Quit });
        }
    }

    /// A termination signal arrived: unsaved work goes to the recovery file (offered at the next
    /// open), the lock is released and the window closes without asking.
    fn terminate(&mut self) {
        self.finish_background_work();
        if let Some(open) = self.open.as_ref().filter(|o| o.is_dirty() && !o.read_only) {
            let revision = (open.generation, open.history.revision());
            if self.autosaved != Some(revision) {
                if let Err(err) = io::save_project(&io::recovery_path(&open.path), &open.project) {
                    eprintln!("gloss: could not write the recovery file: {err}");
                }
            }
        }
        self.close_now();
    }

    fn close_now(&mut self) {
        self.closing = true;
        if let Some(open) = &mut self.open {
            open.lock = None;
        }
        if let Some(ctx) = &self.ctx {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// The note being edited for the selected span (tests).
    pub fn note_draft_mut(&mut self) -> &mut Option<(SpanId, String)> {
        &mut self.note_draft
    }
}

impl eframe::App for GlossApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        GlossApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        super::settings::store(storage, &self.persisted);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.finish_background_work();
        // Let the next writer in (the process may end without dropping the app).
        if let Some(open) = &mut self.open {
            open.lock = None;
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// A project name from a file name: `istanbul.gloss.ron` → `istanbul`.
fn stem(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = name.strip_suffix(crate::store::PROJECT_SUFFIX).or_else(|| name.strip_suffix(".ron")).unwrap_or(&name);
    if name.is_empty() { "Untitled".to_owned() } else { name.to_owned() }
}

/// The Document menu's doc label submenus: "Next value" (with the hotkey), each value, "Unset".
fn doc_label_menus(ui: &mut egui::Ui, open: &OpenProject, enabled: &Enabled, out: &mut Vec<Command>) {
    let Some(doc) = open.project.documents.get(open.doc) else { return };
    if open.project.schema.doc_labels.is_empty() {
        return;
    }
    ui.separator();
    for (i, def) in open.project.schema.doc_labels.iter().enumerate() {
        let current = doc.doc_label(&def.name);
        ui.menu_button(format!("{}: {}", def.name, current.unwrap_or("unset")), |ui| {
            let next = Command::CycleDocLabel(i);
            let key = def.key.map(|k| k.to_string()).unwrap_or_default();
            if ui.add_enabled(next.enabled(enabled), egui::Button::new(next.name()).shortcut_text(key)).clicked() {
                out.push(next);
            }
            for value in def.values.iter().map(|v| Some(v.as_str())).chain([None]) {
                let command = Command::SetDocLabel { name: def.name.clone(), value: value.map(str::to_owned) };
                let button = egui::Button::selectable(current == value, command.name());
                if ui.add_enabled(command.enabled(enabled), button).clicked() {
                    out.push(command);
                }
            }
        });
    }
}
