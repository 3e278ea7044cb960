//! The desktop app: an eframe window over the model, the project file and article import.
//!
//! The GUI never edits the model directly. Drawing code records [`Command`]s; [`GlossApp`] runs
//! them after the frame, turning each into an [`crate::model::Edit`] applied through the
//! project's [`crate::model::History`], which gives undo/redo and the unsaved-changes marker.

mod agreement_view;
mod app;
mod charts;
mod commands;
mod doc_labels_panel;
mod document_view;
mod documents_panel;
mod export;
mod find_bar;
mod fonts;
mod help;
mod io;
mod layout;
mod notifications;
mod palette;
mod prompts;
mod review;
mod schema_editor;
mod settings;
mod signals;
mod span_list;
mod stats_view;
mod status_bar;
mod suggest_dialog;
mod suggestion_marks;
mod suggestions;
mod table;
mod table_export;
mod visual_text;
mod welcome;
mod windows;

use std::path::PathBuf;

pub use agreement_view::{AgreementTab, AgreementView};
pub use app::GlossApp;
pub use commands::Command;
pub use settings::{Persisted, Settings};
pub use stats_view::{StatsTab, StatsView};
pub use table::{Cell, Table};
pub use windows::AppWindow;

/// What the app was started with, from the command line.
#[derive(Clone, Debug, Default)]
pub struct Launch {
    /// A project (`.ron`) or an article in any importable format.
    pub path: Option<PathBuf>,
    /// `--project P.ron`: add the article at `path` to this project instead of starting one.
    pub project: Option<PathBuf>,
}

/// Opens the main window and runs until it is closed.
pub fn run(launch: Launch) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let viewport = egui::ViewportBuilder::default()
        .with_title("Gloss")
        .with_app_id("gloss")
        .with_inner_size([1280.0, 820.0])
        .with_min_inner_size([640.0, 420.0])
        .with_drag_and_drop(true);
    let options = eframe::NativeOptions { viewport, ..Default::default() };
    eframe::run_native(
        "Gloss",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx, true);
            let persisted = cc.storage.map(settings::load).unwrap_or_default();
            let mut app = GlossApp::new(launch, persisted);
            signals::watch(cc.egui_ctx.clone(), app.termination.clone());
            app.fonts_installed = true;
            app.started = Some(started);
            Ok(Box::new(app))
        }),
    )
    .map_err(|err| anyhow::anyhow!("could not open the window: {err}"))
}

/// "1 span", "2 spans": a count and its noun, singular or plural.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    crate::cli::count(n, singular, plural)
}

/// The folder of `path` with a trailing separator, to start a typed path from; empty for a bare
/// file name (whose folder is the working directory), never "/".
pub fn folder_prefix(path: &std::path::Path) -> String {
    let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) else { return String::new() };
    let folder = folder.display().to_string();
    if folder.ends_with('/') { folder } else { folder + "/" }
}

/// The folder of example articles shipped with Gloss.
pub fn assets_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")
}

/// The example article opened when Gloss starts with nothing else to open.
pub fn example_article() -> PathBuf {
    assets_dir().join("harbour-talks.txt")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn a_typed_path_starts_in_the_project_folder_and_never_at_the_root() {
        assert_eq!(super::folder_prefix(Path::new("p.gloss.ron")), "");
        assert_eq!(super::folder_prefix(Path::new("work/p.gloss.ron")), "work/");
        assert_eq!(super::folder_prefix(Path::new("/home/ana/p.gloss.ron")), "/home/ana/");
        assert_eq!(super::folder_prefix(Path::new("/p.gloss.ron")), "/");
    }
}
