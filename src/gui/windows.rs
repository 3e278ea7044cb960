//! The app's closable windows, and the two rules they share with the keyboard:
//! - Escape closes the window on top (the one used last), and nothing else: not the find bar, not
//!   the selection in the text. A text field keeps its Escape (it gives up the keyboard first), and
//!   with no window open Escape does what it does in the document (cancel linking, close the find
//!   bar, clear the selection; in review mode, leave it).
//! - A window where the user edits something (labels, export, gazetteer suggestions) takes the
//!   plain keys while it is open: label, doc label and review keys do not reach the document, as
//!   when a text field has the keyboard. The read-only windows (statistics, agreement, shortcuts,
//!   settings) leave them to the document, so one can label while watching the figures.

use super::app::GlossApp;

/// A window Escape can close.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppWindow {
    /// The keyboard shortcuts (F1).
    Help,
    /// The settings.
    Settings,
    /// The schema editor.
    Labels,
    /// A typed path (open, import, save as).
    PathEntry,
    /// The corpus export.
    Export,
    /// Analysis ▸ Statistics.
    Statistics,
    /// Analysis ▸ Agreement.
    Agreement,
    /// Suggest from a gazetteer.
    Suggest,
}

impl AppWindow {
    /// True for the windows that take the plain keys from the document while open.
    pub fn takes_keyboard(self) -> bool {
        matches!(self, AppWindow::Labels | AppWindow::PathEntry | AppWindow::Export | AppWindow::Suggest)
    }
}

impl GlossApp {
    /// The open windows, each with its title (which is its egui id).
    fn open_windows(&self) -> Vec<(AppWindow, &'static str)> {
        let mut out = Vec::new();
        let mut add = |open: bool, window, title| {
            if open {
                out.push((window, title));
            }
        };
        add(self.show_help, AppWindow::Help, "Keyboard shortcuts");
        add(self.show_settings, AppWindow::Settings, "Settings");
        let project = self.open.is_some();
        add(project && self.schema_editor.is_some(), AppWindow::Labels, "Labels");
        let path_title = self.path_entry.as_ref().map(|e| e.purpose.title()).unwrap_or_default();
        add(self.path_entry.is_some(), AppWindow::PathEntry, path_title);
        add(project && self.export.is_some(), AppWindow::Export, "Export corpus");
        add(project && self.stats_view.is_some(), AppWindow::Statistics, "Statistics");
        add(project && self.show_agreement && self.agreement_view.is_some(), AppWindow::Agreement, "Agreement");
        add(self.suggest_dialog.is_some(), AppWindow::Suggest, "Suggest from a gazetteer");
        out
    }

    /// The open window on top: the one used (or opened) last.
    pub fn top_window(&self, ctx: &egui::Context) -> Option<AppWindow> {
        let order: Vec<egui::LayerId> = ctx.memory(|m| m.layer_ids().collect());
        self.open_windows()
            .into_iter()
            .max_by_key(|(_, title)| {
                // As `egui::Window::new` names its area: after its title's text.
                let layer = egui::LayerId::new(egui::Order::Middle, egui::Id::unique(Some(*title)));
                // A window opened this frame is not drawn yet: it will be on top.
                order.iter().position(|l| *l == layer).unwrap_or(usize::MAX)
            })
            .map(|(window, _)| window)
    }

    /// True when an open window takes the plain keys from the document.
    pub fn window_takes_keyboard(&self) -> bool {
        self.open_windows().iter().any(|(w, _)| w.takes_keyboard())
    }

    /// Closes `window` (a draft in the schema editor is dropped, as with its ×).
    pub fn close_window(&mut self, window: AppWindow) {
        match window {
            AppWindow::Help => self.show_help = false,
            AppWindow::Settings => self.show_settings = false,
            AppWindow::Labels => self.schema_editor = None,
            AppWindow::PathEntry => self.path_entry = None,
            AppWindow::Export => self.export = None,
            AppWindow::Statistics => self.stats_view = None,
            AppWindow::Agreement => self.show_agreement = false,
            AppWindow::Suggest => self.suggest_dialog = None,
        }
    }

    /// Escape pressed outside a text field, with a window open: closes the window on top and
    /// takes the key, so the document does not also act on it. True when it did.
    pub(super) fn escape_closes_window(&mut self, ctx: &egui::Context) -> bool {
        // egui takes the focus from a text field on Escape before the frame starts: look at
        // where the keyboard was at the end of the last frame.
        if text_field_had_keyboard(ctx) {
            return false;
        }
        let Some(window) = self.top_window(ctx) else { return false };
        if !ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            return false;
        }
        self.close_window(window);
        ctx.request_repaint();
        true
    }
}

/// Where [`note_keyboard`] keeps whether a text field had the keyboard at the end of a frame.
fn keyboard_memory() -> egui::Id {
    egui::Id::unique("gloss-text-field-had-keyboard")
}

/// Remembers, at the end of a frame, whether a text field has the keyboard.
pub(super) fn note_keyboard(ctx: &egui::Context) {
    let taken = ctx.text_edit_focused();
    ctx.data_mut(|d| d.insert_temp(keyboard_memory(), taken));
}

/// True when a text field had the keyboard at the end of the last frame.
pub(super) fn text_field_had_keyboard(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp(keyboard_memory())).unwrap_or(false)
}
