//! What the GUI test modules share: the app in a kittest harness, opened on a path, and key presses.

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use gloss::gui::{GlossApp, Launch, Persisted};

/// Ctrl (Cmd on macOS).
pub const CTRL: Modifiers = Modifiers::COMMAND;
/// Ctrl+Shift (Cmd+Shift on macOS).
pub const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

/// The app in a harness of a desktop window's size, after its first frames. With `any_script`,
/// glyphs the test machine has no font for are allowed (offsets are what the tests check; glyphs
/// are the system's business, see `gui/fonts.rs`).
pub fn harness(app: GlossApp, any_script: bool) -> Harness<'static, GlossApp> {
    // A slow frame (debug build, busy machine) can turn a delayed repaint (autosave, background
    // save) into an immediate one: allow a few more steps than kittest's default of 4.
    let mut builder = Harness::builder().with_size([1280.0, 800.0]).with_max_steps(40);
    if any_script {
        builder = builder.allow_missing_glyphs();
    }
    let mut h = builder.build_ui_state(|ui, app: &mut GlossApp| app.ui(ui), app);
    h.run();
    h
}

/// The app started on `path` (a project or an article), as `gloss PATH` starts it.
pub fn open_path(path: &Path) -> Harness<'static, GlossApp> {
    let launch = Launch { path: Some(path.to_owned()), project: None };
    harness(GlossApp::new(launch, Persisted::default()), false)
}

/// Presses `key` with `modifiers` and runs the frames that follow.
pub fn press(h: &mut Harness<'_, GlossApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

/// A mouse click at `at` (screen points): hover, press, release, a frame each.
pub fn click_at(h: &mut Harness<'_, GlossApp>, at: egui::Pos2) {
    h.hover_at(at);
    h.run();
    h.drag_at(at);
    h.run();
    h.drop_at(at);
    h.run();
}

/// A mouse drag from `a` to `b` (screen points), passing their midpoint, a frame each step.
pub fn drag_between(h: &mut Harness<'_, GlossApp>, a: egui::Pos2, b: egui::Pos2) {
    h.hover_at(a);
    h.run();
    h.drag_at(a);
    h.run();
    h.hover_at(egui::pos2((a.x + b.x) / 2.0, (a.y + b.y) / 2.0));
    h.run();
    h.hover_at(b);
    h.run();
    h.drop_at(b);
    h.run();
}
