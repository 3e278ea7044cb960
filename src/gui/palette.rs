//! The label palette and legend: each label with its colour, hotkey and count. A click labels
//! the selection (or relabels the selected span).

use super::commands::Command;
use super::document_view::label_color;
use crate::model::Schema;

/// Shows the palette; clicks become [`Command::ApplyLabel`].
/// `counts[i]` is the number of spans with label `i` in the document.
pub fn ui(ui: &mut egui::Ui, schema: &Schema, counts: &[usize], has_target: bool, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.strong("Labels");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.small_button("Edit…").on_hover_text("Add, rename, recolour labels").clicked() {
                out.push(Command::EditSchema);
            }
        });
    });
    for (i, label) in schema.labels.iter().enumerate() {
        let color = label_color(label.color);
        let count = counts.get(i).copied().unwrap_or(0);
        let key = label.key.map(|k| k.to_string()).unwrap_or_else(|| " ".to_owned());
        let text = egui::RichText::new(format!("{key}   {}", label.name)).strong();
        let button = egui::Button::new(text)
            .fill(color.gamma_multiply(if ui.visuals().dark_mode { 0.45 } else { 0.25 }))
            .stroke(egui::Stroke::new(1.0, color))
            .right_text(egui::RichText::new(count.to_string()).weak())
            .min_size(egui::vec2(ui.available_width(), 26.0));
        let hint = if label.description.is_empty() { label.name.clone() } else { label.description.clone() };
        let response = ui.add(button).on_hover_text(if has_target {
            format!("{hint}\nClick or press {key} to label the selection")
        } else {
            format!("{hint}\nSelect text first, then click or press {key}")
        });
        if response.clicked() && has_target {
            out.push(Command::ApplyLabel(i));
        }
    }
}
