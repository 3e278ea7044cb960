//! The status bar: document position, span counts, the selection's code point offsets, work under
//! way in the background, and whether the work is saved.

use super::app::OpenProject;
use super::document_view::DocumentView;

/// Shows the status bar; `suggesting` says how far a gazetteer run in the background is.
pub fn ui(ui: &mut egui::Ui, open: Option<&OpenProject>, view: &DocumentView, saving: bool, suggesting: Option<&str>) {
    ui.horizontal(|ui| {
        let Some(open) = open else {
            ui.weak("No project open");
            return;
        };
        let docs = &open.project.documents;
        if let Some(doc) = docs.get(open.doc) {
            ui.label(format!("Document {}/{}", open.doc + 1, docs.len()));
            ui.separator();
            ui.label(super::count(doc.spans.len(), "span", "spans"));
            ui.separator();
            if !doc.suggestions.is_empty() {
                ui.label(super::count(doc.suggestions.len(), "suggestion", "suggestions"));
                ui.separator();
            }
            ui.weak(super::count(doc.text.len_chars(), "code point", "code points"));
            ui.separator();
            if let Some(from) = view.linking_from {
                let what = doc.span(from).and_then(|s| doc.covered_text(s)).map(|t| super::document_view::shorten(t, 30)).unwrap_or_default();
                ui.colored_label(ui.visuals().selection.stroke.color, format!("Linking from “{what}”: click the span it points to · Esc cancels"));
            } else if let Some(rel) = view.selected_relation.and_then(|id| doc.relation(id)) {
                ui.label(format!("Link {} · {} · span {} → span {} · Del deletes it", rel.id, rel.label, rel.from, rel.to));
            } else if let Some(sel) = &view.selection {
                ui.label(format!("Selection {}–{} ({})", sel.start, sel.end, super::count(sel.len(), "code point", "code points")));
            } else if let Some(s) = view.selected_suggestion.and_then(|id| doc.suggestion(id)) {
                let origin = super::suggestion_marks::origin(s);
                ui.label(format!("Suggestion · {} · {}–{} · from {origin} · Enter accepts · Del rejects · F8 next", s.label, s.start, s.end));
            } else if let Some(span) = view.selected_span.and_then(|id| doc.span(id)) {
                ui.label(format!("Span {} · {} · {}–{}", span.id, span.label, span.start, span.end));
            } else {
                ui.weak("Drag to select · double-click a word · 1–9 to label");
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if open.read_only {
                egui::Frame::new().fill(egui::Color32::from_rgb(176, 58, 46)).corner_radius(4.0).inner_margin(egui::Margin::symmetric(6, 1)).show(ui, |ui| {
                    ui.label(egui::RichText::new("Read-only").strong().color(egui::Color32::WHITE))
                        .on_hover_text("Another program is writing this project. Editing and Save are off; Save as… writes a copy you can edit.");
                });
                ui.separator();
            }
            let (text, color) = if open.read_only {
                // Nothing is written in read-only mode: claiming "Saved" would mislead.
                let state = if open.is_dirty() { "• Changes not written (read-only)" } else { "Unchanged" };
                (state.to_owned(), ui.visuals().weak_text_color())
            } else if saving {
                ("Saving…".to_owned(), ui.visuals().weak_text_color())
            } else if open.is_dirty() {
                ("• Unsaved changes".to_owned(), egui::Color32::from_rgb(242, 142, 43))
            } else {
                ("✔ Saved".to_owned(), egui::Color32::from_rgb(89, 161, 79))
            };
            ui.colored_label(color, text).on_hover_text(open.path.display().to_string());
            ui.weak(open.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default());
            if let Some(suggesting) = suggesting {
                ui.separator();
                ui.label(suggesting).on_hover_text("Its suggestions are added when it is done (one undo step)");
                ui.spinner();
            }
        });
    });
}
