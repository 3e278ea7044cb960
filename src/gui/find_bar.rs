//! The find bar (Ctrl+F): typing highlights every match; Enter selects the next one and gives the
//! keyboard back to the document; "Label all matches" labels them in one undoable step.

use std::ops::Range;

use super::commands::Command;
use super::document_view::label_color;
use crate::model::{Document, Schema};

/// Most matches kept (and highlighted) for one query.
const MAX_MATCHES: usize = 100_000;

/// Id of the find field, so it can be focused.
pub fn field_id() -> egui::Id {
    egui::Id::unique("gloss-find-field")
}

/// The find bar's state.
#[derive(Default)]
pub struct FindBar {
    /// The bar is shown.
    pub open: bool,
    /// The text searched for.
    pub query: String,
    focus: bool,
    matches: Vec<Range<usize>>,
    key: Option<(u64, String, String)>,
}

impl FindBar {
    /// Focuses the field on the next frame.
    pub fn request_focus(&mut self) {
        self.focus = true;
    }

    /// The matches in the current document, in code points, sorted.
    pub fn matches(&self) -> &[Range<usize>] {
        &self.matches
    }

    /// Recomputes the matches when the query or the document changed.
    pub fn refresh(&mut self, doc: &Document, generation: u64) {
        let key = (generation, doc.id.clone(), self.query.clone());
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.matches = find_all(doc, &self.query);
        self.key = Some(key);
    }

    /// The next (or previous) match after code point `from`, wrapping around.
    pub fn step(&self, from: Option<usize>, forward: bool) -> Option<Range<usize>> {
        if self.matches.is_empty() {
            return None;
        }
        let at = match (from, forward) {
            (None, true) => 0,
            (None, false) => self.matches.len() - 1,
            (Some(from), true) => {
                let i = self.matches.partition_point(|m| m.start < from);
                if i == self.matches.len() { 0 } else { i }
            }
            (Some(from), false) => {
                let i = self.matches.partition_point(|m| m.start < from);
                if i == 0 { self.matches.len() - 1 } else { i - 1 }
            }
        };
        self.matches.get(at).cloned()
    }

    /// The bar: field, match count, next/previous, label-all.
    pub fn ui(&mut self, ui: &mut egui::Ui, schema: &Schema, bulk_label: &mut usize, out: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            let label = ui.label("Find");
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .id(field_id())
                    .hint_text("a name, a word…")
                    .desired_width(260.0),
            );
            let field = field.labelled_by(label.id);
            if self.focus {
                field.request_focus();
                // Select the old query, so that typing replaces it, as in editors.
                let mut state = egui::text_edit::TextEditState::load(ui.ctx(), field.id).unwrap_or_default();
                state.cursor.set_char_range(Some(egui::text_selection::CCursorRange::select_all_str(&self.query)));
                state.store(ui.ctx(), field.id);
                self.focus = false;
            }
            if field.lost_focus() {
                let (enter, shift, escape) = ui
                    .input(|i| (i.key_pressed(egui::Key::Enter), i.modifiers.shift, i.key_pressed(egui::Key::Escape)));
                if enter {
                    out.push(if shift { Command::FindPrevious } else { Command::FindNext });
                } else if escape {
                    out.push(Command::Escape);
                }
            }
            let count = self.matches.len();
            let text = match count {
                0 if self.query.is_empty() => String::new(),
                0 => "no matches".to_owned(),
                1 => "1 match".to_owned(),
                n if n >= MAX_MATCHES => format!("{n}+ matches"),
                n => format!("{n} matches"),
            };
            ui.weak(text);
            if ui
                .add_enabled(count > 0, egui::Button::new("‹").small())
                .on_hover_text("Previous match (Shift+Enter)")
                .clicked()
            {
                out.push(Command::FindPrevious);
            }
            if ui.add_enabled(count > 0, egui::Button::new("›").small()).on_hover_text("Next match (Enter)").clicked()
            {
                out.push(Command::FindNext);
            }
            ui.separator();
            if schema.labels.is_empty() {
                return;
            }
            *bulk_label = (*bulk_label).min(schema.labels.len() - 1);
            let Some(current) = schema.labels.get(*bulk_label) else { return };
            let combo_label = ui.label("as");
            egui::ComboBox::from_id_salt("bulk-label")
                .selected_text(egui::RichText::new(&current.name).color(label_color(current.color)))
                .show_ui(ui, |ui| {
                    for (i, l) in schema.labels.iter().enumerate() {
                        ui.selectable_value(bulk_label, i, egui::RichText::new(&l.name).color(label_color(l.color)));
                    }
                })
                .response
                .labelled_by(combo_label.id);
            if ui.add_enabled(count > 0, egui::Button::new("Label all matches")).clicked() {
                out.push(Command::LabelAllMatches(*bulk_label));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("×").on_hover_text("Close the find bar (Esc)").clicked() {
                    out.push(Command::Escape);
                }
            });
        });
    }
}

/// Every occurrence of `query` in the document, in code points. Case-insensitive when the query
/// is all lower case ("smart case"), as in editors.
pub fn find_all(doc: &Document, query: &str) -> Vec<Range<usize>> {
    if query.is_empty() {
        return Vec::new();
    }
    let text = doc.text.as_str();
    let fold = !query.chars().any(char::is_uppercase);
    let lowered;
    let (haystack, needle) = if fold {
        lowered = text.to_lowercase();
        // Lower-casing may change byte lengths (e.g. 'İ'); then offsets would not map back.
        if lowered.len() == text.len() { (lowered.as_str(), query.to_lowercase()) } else { (text, query.to_owned()) }
    } else {
        (text, query.to_owned())
    };
    let mut out = Vec::new();
    for (byte, m) in haystack.match_indices(needle.as_str()) {
        let range = doc.text.char_range(byte..byte + m.len());
        if let Some(range) = range {
            out.push(range);
        }
        if out.len() >= MAX_MATCHES {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_code_points_and_smart_case() {
        let doc = Document::new("d1", "t", "😀 Amina met amina. AMINA left.");
        assert_eq!(find_all(&doc, "Amina"), vec![2..7]);
        assert_eq!(find_all(&doc, "amina"), vec![2..7, 12..17, 19..24]);
        let mut bar = FindBar { query: "amina".into(), ..Default::default() };
        bar.refresh(&doc, 0);
        assert_eq!(bar.step(None, true), Some(2..7));
        assert_eq!(bar.step(Some(3), true), Some(12..17));
        assert_eq!(bar.step(Some(20), true), Some(2..7), "wraps around");
        assert_eq!(bar.step(Some(2), false), Some(19..24));
    }
}
