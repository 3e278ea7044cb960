//! Questions that stop the work until answered: unsaved changes, recovery after a crash, a
//! project changed on disk by someone else, a project another program is writing.

use std::path::PathBuf;

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterConfirm {
    /// Close the window.
    Quit,
    /// Open this path.
    Open(PathBuf),
    /// Show the open dialog.
    OpenDialog,
}

/// A question for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// There are unsaved changes: save, discard or cancel before `then`.
    UnsavedChanges {
        /// What was asked for.
        then: AfterConfirm,
    },
    /// A recovery file newer than the project was found.
    Recover {
        /// The recovery file.
        recovery: PathBuf,
    },
    /// The project file changed on disk since it was opened.
    ChangedOnDisk,
    /// A save failed (a full disk, a read-only or vanished folder): the work is only in memory.
    SaveFailed {
        /// Where it was being written.
        path: PathBuf,
        /// What went wrong, as the store says it.
        reason: String,
        /// What was to follow the save (closing, opening another project), kept for a retry.
        then: Option<AfterConfirm>,
    },
    /// Another live process holds the project's lock.
    Locked {
        /// The project.
        path: PathBuf,
        /// Who holds it: program, pid, host and since when.
        holder: String,
    },
}

/// The answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptChoice {
    /// Save first.
    Save,
    /// Throw the changes (or the recovery file) away.
    Discard,
    /// Do nothing.
    Cancel,
    /// Take the recovered work.
    Recover,
    /// Read the file again from disk.
    Reload,
    /// Save under another name.
    SaveAs,
    /// Open without writing.
    ReadOnly,
}

/// Shows the prompt as a modal; returns the choice once made.
pub fn ui(ctx: &egui::Context, prompt: &Prompt) -> Option<PromptChoice> {
    let mut choice = None;
    let modal = egui::Modal::new(egui::Id::unique("gloss-prompt")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        match prompt {
            Prompt::UnsavedChanges { then } => {
                ui.heading("Save changes?");
                let what = match then {
                    AfterConfirm::Quit => "before closing",
                    _ => "before opening another project",
                };
                ui.label(format!("The project has changes that are not saved. Save them {what}?"));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        choice = Some(PromptChoice::Save);
                    }
                    if ui.button("Discard").clicked() {
                        choice = Some(PromptChoice::Discard);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(PromptChoice::Cancel);
                    }
                });
            }
            Prompt::Recover { recovery } => {
                ui.heading("Recover unsaved work?");
                ui.label(format!(
                    "Gloss was closed without saving. Work autosaved in {} is newer than the project.",
                    recovery.display()
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Recover").clicked() {
                        choice = Some(PromptChoice::Recover);
                    }
                    if ui.button("Discard").clicked() {
                        choice = Some(PromptChoice::Discard);
                    }
                });
            }
            Prompt::Locked { path, holder } => {
                ui.heading("This project is open elsewhere");
                ui.label(format!("{} is open for writing in {holder}.", path.display()));
                ui.label("Only one program may write a project at a time. You can read it here, and Save as… a copy.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Open read-only").clicked() {
                        choice = Some(PromptChoice::ReadOnly);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(PromptChoice::Cancel);
                    }
                });
            }
            Prompt::SaveFailed { path, reason, .. } => {
                ui.heading("Not saved");
                let mut chars = reason.chars();
                ui.label(chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect()));
                ui.add_space(4.0);
                let file =
                    path.file_name().map_or_else(|| path.display().to_string(), |f| f.to_string_lossy().into_owned());
                ui.label(format!(
                    "Your work is safe in memory, and {file} on disk still holds your last save. Save a copy \
                     somewhere else (another folder or disk), or free some space and try again; keep Gloss \
                     open until it is saved."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save as…").clicked() {
                        choice = Some(PromptChoice::SaveAs);
                    }
                    if ui.button("Try again").clicked() {
                        choice = Some(PromptChoice::Save);
                    }
                    if ui.button("Not now").clicked() {
                        choice = Some(PromptChoice::Cancel);
                    }
                });
            }
            Prompt::ChangedOnDisk => {
                ui.heading("The project changed on disk");
                ui.label("Someone else saved this project since you opened it. Saving now would overwrite their work.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Overwrite").clicked() {
                        choice = Some(PromptChoice::Save);
                    }
                    if ui.button("Reload").on_hover_text("Drop your changes and read theirs").clicked() {
                        choice = Some(PromptChoice::Reload);
                    }
                    if ui.button("Save as…").clicked() {
                        choice = Some(PromptChoice::SaveAs);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(PromptChoice::Cancel);
                    }
                });
            }
        }
    });
    if choice.is_none() && modal.should_close() && !matches!(prompt, Prompt::Recover { .. }) {
        choice = Some(PromptChoice::Cancel);
    }
    choice
}
