//! The current document's document-level labels: each doc label of the schema with its values as
//! buttons. A click sets the value (a click on the chosen one unsets it); the doc label's hotkey
//! cycles through the values, then unset. Every change is an undoable edit. After `gloss merge`, a
//! doc label the annotators disagreed on shows who chose what until a value is chosen.

use super::commands::Command;
use crate::analysis::merge::DOC_LABEL_CONFLICT_META;
use crate::model::{Document, Schema};

/// Shows the section; clicks become [`Command::SetDocLabel`]. `editable` is false when the
/// project is open read-only.
pub fn ui(ui: &mut egui::Ui, schema: &Schema, doc: &Document, editable: bool, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.strong("Document labels");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.small_button("Edit…").on_hover_text("Add or change document labels and their values").clicked() {
                out.push(Command::EditSchema);
            }
        });
    });
    for def in &schema.doc_labels {
        let current = doc.doc_label(&def.name);
        ui.horizontal(|ui| {
            // The key first, as in the label palette above.
            let key = def.key.map_or_else(|| " ".to_owned(), |k| k.to_string());
            let name = ui.label(egui::RichText::new(format!("{key}   {}", def.name)).strong());
            let hint = match def.key {
                Some(k) => format!("Press {k} for the next value of {}, then unset", def.name),
                None => "No hotkey: click a value".to_owned(),
            };
            if def.description.is_empty() {
                name.on_hover_text(hint);
            } else {
                name.on_hover_text(format!("{}\n{hint}", def.description));
            }
            if current.is_none() {
                ui.weak("· unset");
            }
        });
        if current.is_none() {
            if let Some(who) = doc.meta.get(&format!("{DOC_LABEL_CONFLICT_META}{}", def.name)) {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ annotators differ: {who}"));
            }
        }
        ui.horizontal_wrapped(|ui| {
            for value in &def.values {
                let chosen = current == Some(value.as_str());
                let hint = if chosen {
                    format!("{} is {value}; click to unset", def.name)
                } else {
                    format!("Set {} to {value}", def.name)
                };
                let response = ui.add_enabled(editable, egui::Button::selectable(chosen, value)).on_hover_text(hint);
                if response.clicked() {
                    let value = (!chosen).then(|| value.clone());
                    out.push(Command::SetDocLabel { name: def.name.clone(), value });
                }
            }
        });
        ui.add_space(2.0);
    }
}
