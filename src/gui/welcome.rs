//! The welcome screen: open a project, import an article, recent projects, or type a path.

use std::path::PathBuf;

use super::commands::Command;

/// Shows the welcome screen.
pub fn ui(ui: &mut egui::Ui, recent: &[PathBuf], path: &mut String, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.15);
        ui.heading(egui::RichText::new("Gloss").size(36.0));
        ui.label("Label spans in articles and export training data.");
        ui.add_space(24.0);
        if ui.add(egui::Button::new("Open project…").min_size(egui::vec2(220.0, 32.0))).clicked() {
            out.push(Command::OpenProject);
        }
        if ui.add(egui::Button::new("Import article…").min_size(egui::vec2(220.0, 32.0))).clicked() {
            out.push(Command::ImportArticle);
        }
        let example = super::example_article();
        if example.exists()
            && ui.add(egui::Button::new("Open the example article").min_size(egui::vec2(220.0, 32.0))).clicked()
        {
            out.push(Command::OpenPath(example));
        }
        ui.add_space(16.0);
        ui.horizontal(|ui| {
            ui.add_space((ui.available_width() - 520.0).max(0.0) / 2.0);
            let label = ui.label("Path");
            let field = ui
                .add(egui::TextEdit::singleline(path).hint_text("a project (.ron) or an article").desired_width(360.0))
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Open").clicked() || enter) && !path.trim().is_empty() {
                out.push(Command::OpenPath(PathBuf::from(path.trim())));
            }
        });
        if !recent.is_empty() {
            ui.add_space(24.0);
            ui.strong("Recent projects");
            for p in recent {
                if ui.link(p.display().to_string()).clicked() {
                    out.push(Command::OpenPath(p.clone()));
                }
            }
        }
    });
}
