//! The project's documents with their status and span counts; next/previous and "mark done".

use super::app::OpenProject;
use super::commands::Command;
use crate::model::Status;

/// Shows the list of documents.
pub fn ui(ui: &mut egui::Ui, open: &OpenProject, out: &mut Vec<Command>) {
    let docs = &open.project.documents;
    ui.horizontal(|ui| {
        ui.strong("Documents");
        let done = docs.iter().filter(|d| d.status == Status::Done).count();
        ui.weak(format!("{done}/{} done", docs.len()));
    });
    ui.horizontal(|ui| {
        if ui.add_enabled(open.doc > 0, egui::Button::new("‹ Previous")).on_hover_text("Ctrl+PageUp").clicked() {
            out.push(Command::PreviousDocument);
        }
        if ui
            .add_enabled(open.doc + 1 < docs.len(), egui::Button::new("Next ›"))
            .on_hover_text("Ctrl+PageDown")
            .clicked()
        {
            out.push(Command::NextDocument);
        }
    });
    if let Some(doc) = docs.get(open.doc) {
        let done = doc.status == Status::Done;
        let text = if done { "✔ Done · mark not done" } else { "Mark done" };
        if ui
            .add(egui::Button::new(text).min_size(egui::vec2(ui.available_width(), 24.0)))
            .on_hover_text("Ctrl+D")
            .clicked()
        {
            out.push(Command::ToggleDone);
        }
    }
    ui.separator();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 10.0;
    egui::ScrollArea::vertical().id_salt("documents-list").auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        docs.len(),
        |ui, range| {
            for (i, doc) in docs.iter().enumerate().skip(range.start).take(range.len()) {
                let (mark, color) = status_mark(doc.status);
                let mut job = egui::text::LayoutJob::default();
                let body = egui::TextStyle::Body.resolve(ui.style());
                let small = egui::TextStyle::Small.resolve(ui.style());
                job.append(mark, 0.0, egui::TextFormat::simple(body.clone(), color));
                job.append(
                    &format!(" {}\n", if doc.title.is_empty() { &doc.id } else { &doc.title }),
                    0.0,
                    egui::TextFormat::simple(body, ui.visuals().strong_text_color()),
                );
                job.append(
                    &format!("    {} · {}", doc.status.name(), super::count(doc.spans.len(), "span", "spans")),
                    0.0,
                    egui::TextFormat::simple(small, ui.visuals().weak_text_color()),
                );
                let button = egui::Button::selectable(i == open.doc, job)
                    .truncate()
                    .min_size(egui::vec2(ui.available_width(), row_height - 4.0));
                if ui.add(button).clicked() {
                    out.push(Command::GoToDocument(i));
                }
            }
        },
    );
}

fn status_mark(status: Status) -> (&'static str, egui::Color32) {
    match status {
        Status::Todo => ("○", egui::Color32::GRAY),
        Status::InProgress => ("◑", egui::Color32::from_rgb(242, 142, 43)),
        Status::Done => ("✔", egui::Color32::from_rgb(89, 161, 79)),
        Status::Skipped => ("✖", egui::Color32::GRAY),
    }
}
