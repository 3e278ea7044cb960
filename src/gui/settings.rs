//! Preferences kept in eframe's storage: font size, theme, snapping, annotator name, recent
//! projects. Projects themselves never go there: they live in their own files.

use std::path::PathBuf;

/// Key of [`Persisted`] in eframe's storage.
const STORAGE_KEY: &str = "gloss.persisted";

/// How many recent projects the welcome screen lists.
const MAX_RECENT: usize = 10;

/// User preferences.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Size of the document text, in points.
    pub font_size: f32,
    /// Dark theme instead of light.
    pub dark: bool,
    /// Snap selections to whole words (Alt gives character precision).
    pub snap_to_words: bool,
    /// Written on new spans as their annotator.
    pub annotator: String,
    /// Show the label name as a small tag after each span.
    pub show_tags: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { font_size: 17.0, dark: false, snap_to_words: true, annotator: String::new(), show_tags: false }
    }
}

/// Everything the app keeps between runs.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Persisted {
    /// User preferences.
    pub settings: Settings,
    /// The project open when the app last closed.
    pub last_project: Option<PathBuf>,
    /// Recently opened projects, newest first.
    pub recent: Vec<PathBuf>,
}

impl Persisted {
    /// Records `path` as the newest recent project and the one to reopen.
    pub fn remember(&mut self, path: PathBuf) {
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path.clone());
        self.recent.truncate(MAX_RECENT);
        self.last_project = Some(path);
    }
}

/// Reads the preferences; defaults when there are none or they do not parse.
pub fn load(storage: &dyn eframe::Storage) -> Persisted {
    eframe::get_value(storage, STORAGE_KEY).unwrap_or_default()
}

/// Writes the preferences.
pub fn store(storage: &mut dyn eframe::Storage, persisted: &Persisted) {
    eframe::set_value(storage, STORAGE_KEY, persisted);
}

/// The settings window: font size, theme, snapping, annotator name.
pub fn ui(ui: &mut egui::Ui, settings: &mut Settings) {
    egui::Grid::new("settings-grid").num_columns(2).spacing([16.0, 10.0]).show(ui, |ui| {
        let label = ui.label("Text size");
        ui.add(egui::Slider::new(&mut settings.font_size, 11.0..=32.0).suffix(" pt")).labelled_by(label.id);
        ui.end_row();

        ui.label("Theme");
        ui.horizontal(|ui| {
            ui.radio_value(&mut settings.dark, false, "Light");
            ui.radio_value(&mut settings.dark, true, "Dark");
        });
        ui.end_row();

        ui.label("Selection");
        ui.checkbox(&mut settings.snap_to_words, "Snap to whole words (hold Alt for characters)");
        ui.end_row();

        ui.label("Labels");
        ui.checkbox(&mut settings.show_tags, "Show label tags after spans");
        ui.end_row();

        let label = ui.label("Annotator name");
        ui.add(egui::TextEdit::singleline(&mut settings.annotator).hint_text("written on new spans"))
            .labelled_by(label.id);
        ui.end_row();
    });
}
