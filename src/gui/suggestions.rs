//! Suggestions in the app: running a gazetteer, accepting and rejecting suggestions one at a
//! time or all at once (each one undo step), moving between them, and their side panel section.

use std::collections::BTreeMap;

use super::app::GlossApp;
use super::commands::Command;
use super::document_view::{label_color, shorten};
use super::suggest_dialog::{Scope, SuggestAction, SuggestDialog, SuggestJob};
use super::suggestion_marks::{self, Emphasis};
use crate::analysis::suggest::{self, Gazetteer, MatchOptions, Matcher, PlanOptions, RegexRule};
use crate::model::{Document, Edit, Rejection, Schema, Span, SpanId};

impl GlossApp {
    /// Runs a suggestion command (see [`Command`]'s suggestion variants).
    pub(super) fn run_suggestion_command(&mut self, command: &Command) {
        match command {
            Command::Suggest if self.suggest_dialog.is_none() => {
                self.suggest_dialog = self.open.as_ref().map(|o| SuggestDialog::new(&o.path));
            }
            Command::AcceptSuggestion => self.decide_suggestion(true),
            Command::RejectSuggestion => self.decide_suggestion(false),
            Command::NextSuggestion => self.step_suggestion(true),
            Command::PreviousSuggestion => self.step_suggestion(false),
            Command::AcceptAllSuggestions => self.decide_all_suggestions(true),
            Command::RejectAllSuggestions => self.decide_all_suggestions(false),
            Command::SelectSuggestion(id) => self.select_suggestion(*id),
            _ => {}
        }
    }

    /// Selects suggestion `id` of the current document, scrolling to it when it is off screen.
    pub fn select_suggestion(&mut self, id: SpanId) {
        let Some(start) = self.current_doc().and_then(|d| d.suggestion(id)).map(|s| s.start) else { return };
        self.view.clear_selection();
        self.view.selected_suggestion = Some(id);
        self.view.caret = Some(start);
        let visible = self.view.visible_chars();
        if !(visible.start <= start && start < visible.end) {
            self.view.scroll_to = Some(start);
        }
    }

    /// Accepts the selected suggestion as a span with the label at schema index `label`
    /// (a label hotkey pressed on a suggestion), then moves to the next one.
    pub(super) fn accept_suggestion_as(&mut self, label: usize) {
        let Some(open) = &self.open else { return };
        let (doc, Some(id)) = (open.doc, self.view.selected_suggestion) else { return };
        let Some(name) = open.project.schema.labels.get(label).map(|l| l.name.clone()) else { return };
        let Some(d) = open.project.documents.get(doc) else { return };
        let Some(suggestion) = d.suggestion(id) else { return };
        let mut edits = vec![Edit::RemoveSuggestion { doc, id }];
        // Taken under another label: the label it proposed is a "no", remembered like a rejection.
        if name != suggestion.label {
            edits.push(Edit::RememberRejections { doc, rejections: vec![Rejection::of(suggestion)] });
        }
        if d.find_exact(suggestion.start, suggestion.end, &name).is_none() {
            let span = Span { id: d.next_span_id(), label: name, ..suggestion.clone() };
            edits.push(Edit::AddSpan { doc, span });
        }
        let next = following(d, id);
        if self.apply(Edit::Batch(edits), "Accept suggestion") {
            self.after_decision(next);
        }
    }

    fn decide_suggestion(&mut self, accept: bool) {
        let Some(open) = &self.open else { return };
        let (doc, Some(id)) = (open.doc, self.view.selected_suggestion) else { return };
        let Some(d) = open.project.documents.get(doc) else { return };
        let next = following(d, id);
        let edit = if accept {
            Edit::accept_suggestions(&open.project, doc, &[id])
        } else {
            Edit::reject_suggestions(&open.project, doc, &[id])
        };
        let Some(edit) = edit else { return };
        if self.apply(edit, if accept { "Accept suggestion" } else { "Reject suggestion" }) {
            self.after_decision(next);
        }
    }

    /// Selects `next` (the suggestion after the one just decided), or clears the selection.
    fn after_decision(&mut self, next: Option<SpanId>) {
        self.view.selected_suggestion = None;
        match next {
            Some(id) => self.select_suggestion(id),
            None => self.notifications.info("No suggestions left in this document."),
        }
    }

    fn decide_all_suggestions(&mut self, accept: bool) {
        let Some(open) = &self.open else { return };
        let doc = open.doc;
        let n = open.project.documents.get(doc).map_or(0, |d| d.suggestions.len());
        let edit = if accept {
            Edit::accept_all_suggestions(&open.project, doc)
        } else {
            Edit::reject_all_suggestions(&open.project, doc)
        };
        let Some(edit) = edit else { return };
        let name = if accept { "Accept all suggestions" } else { "Reject all suggestions" };
        if self.apply(edit, name) {
            self.view.selected_suggestion = None;
            let what = super::count(n, "suggestion", "suggestions");
            self.notifications.info(if accept {
                format!("Accepted {what} as spans (Ctrl+Z undoes).")
            } else {
                format!("Rejected {what} (Ctrl+Z undoes).")
            });
        }
    }

    fn step_suggestion(&mut self, forward: bool) {
        let Some(d) = self.current_doc() else { return };
        if d.suggestions.is_empty() {
            return;
        }
        let selected = self.view.selected_suggestion.and_then(|id| d.suggestions.iter().position(|s| s.id == id));
        let n = d.suggestions.len();
        let index = match selected {
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
            None => {
                let from = self
                    .view
                    .selection
                    .as_ref()
                    .map(|s| s.start)
                    .or(self.view.selected_span.and_then(|id| d.span(id)).map(|s| s.start))
                    .or(self.view.caret)
                    .unwrap_or(self.view.visible_chars().start);
                let first_after = d.suggestions.partition_point(|s| s.start < from);
                if forward { first_after % n } else { (first_after + n - 1) % n }
            }
        };
        if let Some(id) = d.suggestions.get(index).map(|s| s.id) {
            self.select_suggestion(id);
        }
    }

    /// Starts the suggest window's gazetteer and rules over the chosen documents, on another
    /// thread; [`Self::suggest_window`] applies the result as one undo step when it is done.
    pub(super) fn start_suggest(&mut self) {
        let (Some(dialog), Some(open)) = (&self.suggest_dialog, &self.open) else { return };
        if self.suggest_job.is_some() {
            return;
        }
        let mut gazetteers = Vec::new();
        let mut rules = Vec::new();
        let mut origin = Vec::new();
        if let Some(path) = dialog.gazetteer_path() {
            match Gazetteer::read(&path) {
                Ok(g) => {
                    origin.push(g.name.clone());
                    gazetteers.push(g);
                }
                Err(err) => return self.notifications.error(err.to_string()),
            }
        }
        if let Some(path) = dialog.rules_path() {
            match RegexRule::read_file(&path) {
                Ok(r) => {
                    origin.push(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
                    rules = r;
                }
                Err(err) => return self.notifications.error(err.to_string()),
            }
        }
        let options = MatchOptions { ignore_case: dialog.ignore_case, whole_word: dialog.whole_word };
        let matcher = match Matcher::new(&gazetteers, &rules, options) {
            Ok(m) => m,
            Err(err) => return self.notifications.error(err.to_string()),
        };
        let plan_options = PlanOptions {
            only_todo: dialog.scope == Scope::Todo,
            documents: (dialog.scope == Scope::Current).then(|| vec![open.doc]),
            map: Default::default(),
            include_rejected: false,
        };
        let texts: Vec<(String, crate::model::Text)> = suggest::chosen_documents(&open.project, &plan_options)
            .into_iter()
            .filter_map(|doc| open.project.documents.get(doc))
            .map(|d| (d.id.clone(), d.text.clone()))
            .collect();
        let job = SuggestJob::start(matcher, texts, open.generation, origin.join(" and "), self.ctx_handle());
        self.suggest_job = Some(job);
    }

    /// Applies the matches of a finished job as one undo step and says what it did.
    fn finish_suggest(&mut self, job: SuggestJob) {
        let origin = job.origin.clone();
        let generation = job.generation;
        let Some(matches) = job.join() else {
            return self.notifications.error(format!("{origin}: matching failed"));
        };
        let Some(open) = self.open.as_ref().filter(|o| o.generation == generation) else {
            return self.notifications.warn(format!("{origin}: done, but its project was closed; nothing added."));
        };
        let plan = suggest::plan_found(&open.project, matches, &PlanOptions::default());
        let rejected = left_out_as_rejected(plan.rejected());
        let Some(edit) = plan.edit.clone() else {
            let already = plan.duplicates();
            if already + plan.rejected() == 0 {
                // Left open: another file or other options may do better.
                return self.notifications.info(format!("{origin}: no matches."));
            }
            let already = super::count(already, "match is", "matches are");
            self.notifications.info(format!("{origin}: nothing new ({already} already there{rejected})."));
            self.suggest_dialog = None;
            return;
        };
        if !self.apply(edit, &format!("Suggest from {origin}")) {
            return;
        }
        let per_label: Vec<String> = plan.labels().iter().map(|(l, n)| format!("{l} {n}")).collect();
        let documents = plan.documents.iter().filter(|d| d.added > 0).count();
        let mut message = format!(
            "{origin}: {} in {} ({}{rejected}). Enter accepts, Delete rejects, F8 goes to the next.",
            super::count(plan.added(), "suggestion", "suggestions"),
            super::count(documents, "document", "documents"),
            per_label.join(", ")
        );
        if !plan.new_labels.is_empty() {
            message.push_str(&format!(" New labels added: {}.", plan.new_labels.join(", ")));
        }
        self.notifications.info(message);
        self.suggest_dialog = None;
        if self.view.selected_suggestion.is_none() && self.current_doc().is_some_and(|d| !d.suggestions.is_empty()) {
            self.step_suggestion(true);
        }
    }

    /// Waits for a suggest job under way and applies its result (tests).
    pub fn finish_suggest_now(&mut self) {
        if let Some(job) = self.suggest_job.take() {
            self.finish_suggest(job);
        }
    }

    /// Applies a finished gazetteer run (whether its window is open or not), and shows the
    /// suggest window when it is open. Closing the window while a run is under way leaves the run
    /// going: its result is applied when it is done, with a notification.
    pub(super) fn suggest_window(&mut self, ctx: &egui::Context) {
        // Looked at before the window acts, so a run started in this frame is applied in a later one.
        let finished = self.suggest_job.as_ref().is_some_and(SuggestJob::is_finished);
        if let Some(dialog) = &mut self.suggest_dialog {
            let mut keep = true;
            let mut action = None;
            let job = self.suggest_job.as_ref();
            egui::Window::new("Suggest from a gazetteer").open(&mut keep).collapsible(false).resizable(false).show(
                ctx,
                |ui| {
                    action = dialog.ui(ui, job);
                },
            );
            match action {
                Some(SuggestAction::Run) => self.start_suggest(),
                Some(SuggestAction::Close) => self.close_suggest_window(),
                None if !keep => self.close_suggest_window(),
                None => {}
            }
        }
        if finished {
            if let Some(job) = self.suggest_job.take() {
                self.finish_suggest(job);
            }
        }
    }

    /// Closes the suggest window; a run under way goes on in the background.
    fn close_suggest_window(&mut self) {
        self.suggest_dialog = None;
        if let Some(job) = &self.suggest_job {
            self.notifications.info(format!(
                "{}: matching goes on in the background; its suggestions are added when it is done.",
                job.origin
            ));
        }
    }
}

/// "; 3 left out as rejected before", or nothing.
fn left_out_as_rejected(n: usize) -> String {
    if n == 0 { String::new() } else { format!("; {n} left out as rejected before") }
}

/// The suggestion after `id` in document order (wrapping), other than `id` itself.
fn following(doc: &Document, id: SpanId) -> Option<SpanId> {
    let at = doc.suggestions.iter().position(|s| s.id == id)?;
    let n = doc.suggestions.len();
    (n > 1).then(|| doc.suggestions.iter().cycle().nth(at + 1)).flatten().map(|s| s.id)
}

/// The side panel's suggestion section: counts per label, the selected suggestion with its
/// origin, and buttons for the commands. Shows nothing when the document has none.
pub fn panel_ui(ui: &mut egui::Ui, doc: &Document, schema: &Schema, selected: Option<SpanId>, out: &mut Vec<Command>) {
    if doc.suggestions.is_empty() {
        return;
    }
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.strong(super::count(doc.suggestions.len(), "suggestion", "suggestions"));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.small_button("▶").on_hover_text("Next suggestion (F8)").clicked() {
                out.push(Command::NextSuggestion);
            }
            if ui.small_button("◀").on_hover_text("Previous suggestion (Shift+F8)").clicked() {
                out.push(Command::PreviousSuggestion);
            }
        });
    });
    let mut per_label: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &doc.suggestions {
        *per_label.entry(s.label.as_str()).or_insert(0) += 1;
    }
    ui.horizontal_wrapped(|ui| {
        for (label, n) in &per_label {
            let color = schema.label(label).map_or(egui::Color32::GRAY, |l| label_color(l.color));
            let (r, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            suggestion_marks::paint(ui.painter(), &[r.shrink(2.0)], color, Emphasis::Normal, dark);
            ui.label(format!("{label} {n}"));
        }
    });
    if let Some(s) = selected.and_then(|id| doc.suggestion(id)) {
        let color = schema.label(&s.label).map_or(egui::Color32::GRAY, |l| label_color(l.color));
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.colored_label(color, egui::RichText::new(suggestion_marks::tag(s)).strong());
                ui.label(shorten(doc.covered_text(s).unwrap_or(""), 40));
            });
            ui.weak(format!("{}–{} · suggested by {}", s.start, s.end, suggestion_marks::origin(s)));
            if let Some(note) = &s.note {
                ui.label(note);
            }
            ui.horizontal(|ui| {
                if ui
                    .button("✔ Accept")
                    .on_hover_text("Enter · or press a label key to accept it as that label")
                    .clicked()
                {
                    out.push(Command::AcceptSuggestion);
                }
                if ui.button("✖ Reject").on_hover_text("Delete or Backspace").clicked() {
                    out.push(Command::RejectSuggestion);
                }
            });
        });
    }
    ui.horizontal(|ui| {
        if ui
            .button("Accept all")
            .on_hover_text("Every suggestion of this document becomes a span (Ctrl+Shift+Enter)")
            .clicked()
        {
            out.push(Command::AcceptAllSuggestions);
        }
        if ui.button("Reject all").on_hover_text("Drop every suggestion of this document (Ctrl+Shift+Delete)").clicked()
        {
            out.push(Command::RejectAllSuggestions);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn following_wraps_and_skips_itself() {
        let mut d = Document::new("d", "t", "abc def ghi");
        d.suggestions = vec![Span::new(5, 0, 3, "claim"), Span::new(2, 4, 7, "claim"), Span::new(9, 8, 11, "claim")];
        assert_eq!(following(&d, 5), Some(2));
        assert_eq!(following(&d, 9), Some(5));
        d.suggestions.truncate(1);
        assert_eq!(following(&d, 5), None);
    }
}
