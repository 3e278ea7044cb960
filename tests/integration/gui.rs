//! GUI tests with egui_kittest.
