//! Toasts: errors and news for the user, in the bottom-right corner, that fade after a while.

use std::time::{Duration, Instant};

/// How bad a notification is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// News (saved, imported...).
    Info,
    /// Something to know.
    Warning,
    /// Something failed.
    Error,
}

/// One message.
#[derive(Clone, Debug)]
pub struct Notification {
    /// How bad it is.
    pub level: Level,
    /// The message.
    pub text: String,
    shown: Instant,
}

/// The messages being shown.
#[derive(Default)]
pub struct Notifications {
    list: Vec<Notification>,
}

impl Notifications {
    /// Adds news.
    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Level::Info, text.into());
    }

    /// Adds a warning.
    pub fn warn(&mut self, text: impl Into<String>) {
        self.push(Level::Warning, text.into());
    }

    /// Adds an error.
    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Level::Error, text.into());
    }

    fn push(&mut self, level: Level, text: String) {
        self.list.retain(|n| n.text != text);
        self.list.push(Notification { level, text, shown: Instant::now() });
        if self.list.len() > 6 {
            self.list.remove(0);
        }
    }

    /// The messages being shown, oldest first.
    pub fn list(&self) -> &[Notification] {
        &self.list
    }

    /// Shows the toasts and drops the expired ones.
    pub fn ui(&mut self, ctx: &egui::Context) {
        self.list.retain(|n| n.shown.elapsed() < lifetime(n.level));
        if self.list.is_empty() {
            return;
        }
        ctx.request_repaint_after(Duration::from_millis(500));
        let mut close = None;
        egui::Area::new(egui::Id::unique("notifications"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -40.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                for (i, n) in self.list.iter().enumerate() {
                    let (accent, icon) = match n.level {
                        Level::Info => (egui::Color32::from_rgb(89, 161, 79), "ℹ"),
                        Level::Warning => (egui::Color32::from_rgb(242, 142, 43), "⚠"),
                        Level::Error => (egui::Color32::from_rgb(225, 87, 89), "⛔"),
                    };
                    egui::Frame::popup(ui.style()).stroke(egui::Stroke::new(1.5, accent)).show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.colored_label(accent, icon);
                            ui.add(egui::Label::new(&n.text).wrap());
                            if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                                close = Some(i);
                            }
                        });
                    });
                    ui.add_space(4.0);
                }
            });
        if let Some(i) = close {
            self.list.remove(i);
        }
    }
}

fn lifetime(level: Level) -> Duration {
    match level {
        Level::Info => Duration::from_secs(5),
        Level::Warning => Duration::from_secs(10),
        Level::Error => Duration::from_secs(20),
    }
}
