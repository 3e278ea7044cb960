//! The F1 overlay: every command with its shortcut, generated from the command table, plus the
//! label and document label hotkeys of the schema and the mouse gestures.

use super::commands::Command;
use super::document_view::label_color;
use crate::model::{DocLabelDef, LabelDef};

/// Shows the shortcut list.
pub fn ui(ui: &mut egui::Ui, labels: &[LabelDef], doc_labels: &[DocLabelDef]) {
    // A small window (or a long schema) must not push the list off screen.
    let max_height = (ui.ctx().content_rect().height() - 120.0).max(200.0);
    egui::ScrollArea::vertical()
        .id_salt("help-scroll")
        .max_height(max_height)
        .min_scrolled_height(max_height)
        .show(ui, |ui| contents(ui, labels, doc_labels));
}

fn contents(ui: &mut egui::Ui, labels: &[LabelDef], doc_labels: &[DocLabelDef]) {
    ui.columns(2, |columns| {
        let (left, right) = Command::MENUS.split_at(2.min(Command::MENUS.len()));
        for (i, (col, groups)) in columns.iter_mut().zip([left, right]).enumerate() {
            for (menu, group) in groups {
                col.strong(*menu);
                egui::Grid::new(("help", *menu)).num_columns(2).spacing([24.0, 4.0]).show(col, |ui| {
                    for command in group.iter() {
                        ui.label(command.name());
                        let shortcut = command.shortcut().map(|s| ui.ctx().format_shortcut(&s)).unwrap_or_default();
                        let alts: Vec<String> =
                            command.alternative_shortcuts().iter().map(|s| ui.ctx().format_shortcut(s)).collect();
                        let all = std::iter::once(shortcut)
                            .chain(alts)
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(", ");
                        ui.monospace(all);
                        ui.end_row();
                    }
                });
                col.add_space(8.0);
            }
            if i == 0 {
                // The label hotkeys fill the shorter first column.
                col.strong("Labels");
                egui::Grid::new("help-labels").num_columns(2).spacing([24.0, 4.0]).show(col, |ui| {
                    for label in labels {
                        ui.colored_label(label_color(label.color), format!("■ {}", label.name));
                        ui.monospace(label.key.map(|k| k.to_string()).unwrap_or_default());
                        ui.end_row();
                    }
                });
            }
            if i == 1 && !doc_labels.is_empty() {
                // The second column is the shorter once the first has the span labels.
                col.strong("Document labels (the key cycles the values, then unset)");
                egui::Grid::new("help-doc-labels").num_columns(2).spacing([24.0, 4.0]).show(col, |ui| {
                    for def in doc_labels {
                        ui.label(format!("{}: {}", def.name, def.values.join(" / ")));
                        ui.monospace(def.key.map(|k| k.to_string()).unwrap_or_default());
                        ui.end_row();
                    }
                });
            }
        }
    });
    ui.separator();
    ui.strong("Mouse");
    ui.label("Drag to select (snaps to words; hold Alt for single characters) · double-click a word · Shift+click extends · click a span to select it · right-click for labels · with a span selected, R then a click on another span links them");
    ui.separator();
    ui.strong("Review mode (Ctrl+R, after gloss merge)");
    ui.label("A, B, C… accept that annotator's version · Enter or + accept all · N neither · E edit by hand (Ctrl+R resumes) · → ← skip · Esc leave · Ctrl+Z undoes a decision");
}
