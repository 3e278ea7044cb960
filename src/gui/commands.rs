//! Every action of the app as one [`Command`]: its name, shortcut and when it is enabled. The
//! menus, the keyboard handling and the help overlay (F1) are all generated from this table, as
//! rerun's `UICommand` does.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::document_view::ScrollJump;

/// An action the user can take. Drawing code records commands; the app runs them after the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Open a project file (dialog).
    OpenProject,
    /// Import articles into the project, or start a project from one (dialog).
    ImportArticle,
    /// Save to the project's path.
    Save,
    /// Save under another name (dialog).
    SaveAs,
    /// Export the project as a training corpus (window).
    Export,
    /// Close the window (asks about unsaved changes).
    Quit,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Open the find bar.
    Find,
    /// Select the next match of the find bar.
    FindNext,
    /// Move the selection's free end by a grapheme (or to a word's edge), forwards or backwards.
    ExtendSelection {
        /// Towards the end of the text.
        forward: bool,
        /// By a word rather than a grapheme.
        word: bool,
    },
    /// Select the previous match of the find bar.
    FindPrevious,
    /// Label every match of the find bar with the selected palette label, as one step.
    LabelAllMatches(usize),
    /// Label the selection (or relabel the selected span) with the label at this schema index.
    ApplyLabel(usize),
    /// Remove the selected link, else the selected span and its links.
    DeleteSpan,
    /// Start linking the selected span to another (the next click on a span picks the target).
    StartLink,
    /// Link the span linking started from to span `id` (asks for the type when several fit).
    LinkTo(u64),
    /// Add a link of this relation type between two spans of the current document.
    AddRelation {
        /// Source span.
        from: u64,
        /// Target span.
        to: u64,
        /// Relation type.
        label: String,
    },
    /// Select link `id` of the current document.
    SelectRelation(u64),
    /// Remove link `id` of the current document.
    DeleteRelation(u64),
    /// Clear the selection, close the find bar.
    Escape,
    /// Scroll the document: a page down or up, to its start or its end.
    Scroll(super::document_view::ScrollJump),
    /// Go to the next document.
    NextDocument,
    /// Go to the previous document.
    PreviousDocument,
    /// Go to the document at this position.
    GoToDocument(usize),
    /// Mark the current document done (or back to in progress).
    ToggleDone,
    /// Move the current document's doc label at this schema index to its next value (after the
    /// last: unset). Bound to the doc label's hotkey.
    CycleDocLabel(usize),
    /// Set (or with `None` unset) a doc label of the current document.
    SetDocLabel {
        /// Doc label name.
        name: String,
        /// New value.
        value: Option<String>,
    },
    /// Select span `id` of the current document and scroll to it.
    SelectSpan(u64),
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Show or hide the settings window.
    ToggleSettings,
    /// Show or hide the schema editor.
    EditSchema,
    /// Switch between light and dark themes.
    ToggleTheme,
    /// Larger text.
    ZoomIn,
    /// Smaller text.
    ZoomOut,
    /// Show or hide the side panels.
    TogglePanels,
    /// Open (or leave) review mode: the conflicts a merge left, one key per decision.
    ReviewConflicts,
    /// Open a path without a dialog (recent list, typed path, dropped file).
    OpenPath(std::path::PathBuf),
    /// Import these files into the open project.
    ImportPaths(Vec<std::path::PathBuf>),
    /// Show or hide the statistics window.
    Statistics,
    /// Show or hide the agreement window.
    Agreement,
    /// Go to document `doc` and show the range `start..end` (select the span there, if any).
    ShowRange {
        /// Document position.
        doc: usize,
        /// First code point.
        start: usize,
        /// Code point past the end.
        end: usize,
    },
    /// Open the window that runs a gazetteer over the project (pre-annotation).
    Suggest,
    /// Accept the selected suggestion as a span, then select the next one.
    AcceptSuggestion,
    /// Reject (drop) the selected suggestion, then select the next one.
    RejectSuggestion,
    /// Select the next suggestion after the selection, the caret or the top of the screen.
    NextSuggestion,
    /// Select the previous suggestion.
    PreviousSuggestion,
    /// Accept every suggestion of the current document, as one step.
    AcceptAllSuggestions,
    /// Reject every suggestion of the current document, as one step.
    RejectAllSuggestions,
    /// Select suggestion `id` of the current document and scroll to it.
    SelectSuggestion(u64),
}

/// The state commands are enabled by.
#[derive(Clone, Copy, Debug, Default)]
pub struct Enabled {
    /// A project is open.
    pub project: bool,
    /// There is something to undo.
    pub undo: bool,
    /// There is something to redo.
    pub redo: bool,
    /// Text is selected.
    pub selection: bool,
    /// A span is selected.
    pub span: bool,
    /// The find bar has matches.
    pub matches: bool,
    /// A link (relation) is selected.
    pub relation: bool,
    /// The project may be edited (not opened read-only).
    pub editable: bool,
    /// There is more than one document.
    pub several_documents: bool,
    /// A suggestion is selected.
    pub suggestion: bool,
    /// The current document has suggestions.
    pub suggestions: bool,
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

impl Command {
    /// The commands listed in menus and help, in order, each group a menu.
    pub const MENUS: &'static [(&'static str, &'static [Command])] = &[
        (
            "File",
            &[
                Command::OpenProject,
                Command::ImportArticle,
                Command::Save,
                Command::SaveAs,
                Command::Export,
                Command::Quit,
            ],
        ),
        (
            "Edit",
            &[
                Command::Undo,
                Command::Redo,
                Command::Find,
                Command::FindNext,
                Command::FindPrevious,
                Command::StartLink,
                Command::DeleteSpan,
                Command::Escape,
                Command::EditSchema,
                Command::ToggleSettings,
            ],
        ),
        (
            "Select",
            &[
                Command::ExtendSelection { forward: true, word: false },
                Command::ExtendSelection { forward: false, word: false },
                Command::ExtendSelection { forward: true, word: true },
                Command::ExtendSelection { forward: false, word: true },
            ],
        ),
        (
            "Document",
            &[
                Command::NextDocument,
                Command::PreviousDocument,
                Command::ToggleDone,
                Command::ReviewConflicts,
                Command::Scroll(ScrollJump::PageDown),
                Command::Scroll(ScrollJump::PageUp),
                Command::Scroll(ScrollJump::Start),
                Command::Scroll(ScrollJump::End),
            ],
        ),
        (
            "Suggestions",
            &[
                Command::Suggest,
                Command::AcceptSuggestion,
                Command::RejectSuggestion,
                Command::NextSuggestion,
                Command::PreviousSuggestion,
                Command::AcceptAllSuggestions,
                Command::RejectAllSuggestions,
            ],
        ),
        ("View", &[Command::ZoomIn, Command::ZoomOut, Command::ToggleTheme, Command::TogglePanels]),
        ("Analysis", &[Command::Statistics, Command::Agreement]),
        ("Help", &[Command::ToggleHelp]),
    ];

    /// Name shown in menus and help.
    pub fn name(&self) -> String {
        match self {
            Command::OpenProject => "Open project…".into(),
            Command::ImportArticle => "Import articles…".into(),
            Command::Save => "Save".into(),
            Command::SaveAs => "Save as…".into(),
            Command::Export => "Export…".into(),
            Command::Quit => "Quit".into(),
            Command::Undo => "Undo".into(),
            Command::Redo => "Redo".into(),
            Command::Find => "Find…".into(),
            Command::FindNext => "Find next".into(),
            Command::ExtendSelection { forward: true, word: false } => "Extend selection by a character".into(),
            Command::ExtendSelection { forward: false, word: false } => "Shrink or extend back by a character".into(),
            Command::ExtendSelection { forward: true, word: true } => "Extend selection to the next word".into(),
            Command::ExtendSelection { forward: false, word: true } => "Shrink or extend back by a word".into(),
            Command::FindPrevious => "Find previous".into(),
            Command::LabelAllMatches(_) => "Label all matches".into(),
            Command::ApplyLabel(i) => format!("Apply label {}", i + 1),
            Command::DeleteSpan => "Delete span or link".into(),
            Command::StartLink => "Link to…".into(),
            Command::LinkTo(id) => format!("Link to span {id}"),
            Command::AddRelation { label, .. } => format!("Add “{label}” link"),
            Command::SelectRelation(id) => format!("Select link {id}"),
            Command::DeleteRelation(id) => format!("Delete link {id}"),
            Command::Escape => "Close window, else clear selection".into(),
            Command::NextDocument => "Next document".into(),
            Command::Scroll(ScrollJump::PageDown) => "Page down".into(),
            Command::Scroll(ScrollJump::PageUp) => "Page up".into(),
            Command::Scroll(ScrollJump::Start) => "Go to the start".into(),
            Command::Scroll(ScrollJump::End) => "Go to the end".into(),
            Command::PreviousDocument => "Previous document".into(),
            Command::GoToDocument(i) => format!("Go to document {}", i + 1),
            Command::ToggleDone => "Mark done".into(),
            Command::CycleDocLabel(_) => "Next value, then unset".into(),
            Command::SetDocLabel { name, value: Some(value) } => format!("Set {name} = {value}"),
            Command::SetDocLabel { name, value: None } => format!("Unset {name}"),
            Command::SelectSpan(id) => format!("Select span {id}"),
            Command::ToggleHelp => "Keyboard shortcuts".into(),
            Command::ToggleSettings => "Settings…".into(),
            Command::EditSchema => "Edit labels…".into(),
            Command::ToggleTheme => "Light / dark theme".into(),
            Command::ZoomIn => "Larger text".into(),
            Command::ZoomOut => "Smaller text".into(),
            Command::TogglePanels => "Side panels".into(),
            Command::ReviewConflicts => "Review conflicts".into(),
            Command::OpenPath(p) => format!("Open {}", p.display()),
            Command::ImportPaths(_) => "Import files".into(),
            Command::Statistics => "Statistics…".into(),
            Command::Agreement => "Agreement with other annotators…".into(),
            Command::ShowRange { start, end, .. } => format!("Show {start}–{end}"),
            Command::Suggest => "Suggest from a gazetteer…".into(),
            Command::AcceptSuggestion => "Accept suggestion".into(),
            Command::RejectSuggestion => "Reject suggestion".into(),
            Command::NextSuggestion => "Next suggestion".into(),
            Command::PreviousSuggestion => "Previous suggestion".into(),
            Command::AcceptAllSuggestions => "Accept all in this document".into(),
            Command::RejectAllSuggestions => "Reject all in this document".into(),
            Command::SelectSuggestion(id) => format!("Select suggestion {id}"),
        }
    }

    /// The keyboard shortcut, if it has one. Label hotkeys come from the schema instead.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let s = |m, k| Some(KeyboardShortcut::new(m, k));
        match self {
            Command::OpenProject => s(CTRL, Key::O),
            Command::ImportArticle => s(CTRL, Key::I),
            Command::Save => s(CTRL, Key::S),
            Command::SaveAs => s(CTRL_SHIFT, Key::S),
            Command::Export => s(CTRL, Key::E),
            Command::Quit => s(CTRL, Key::Q),
            Command::Undo => s(CTRL, Key::Z),
            Command::Redo => s(CTRL_SHIFT, Key::Z),
            Command::Find => s(CTRL, Key::F),
            Command::FindNext => s(Modifiers::NONE, Key::F3),
            Command::ExtendSelection { forward, word } => {
                let modifiers = if *word { CTRL_SHIFT } else { Modifiers::SHIFT };
                s(modifiers, if *forward { Key::ArrowRight } else { Key::ArrowLeft })
            }
            Command::FindPrevious => s(Modifiers::SHIFT, Key::F3),
            Command::DeleteSpan => s(Modifiers::NONE, Key::Delete),
            Command::StartLink => s(Modifiers::NONE, Key::R),
            Command::Escape => s(Modifiers::NONE, Key::Escape),
            Command::NextDocument => s(CTRL, Key::PageDown),
            Command::Scroll(ScrollJump::PageDown) => s(Modifiers::NONE, Key::PageDown),
            Command::Scroll(ScrollJump::PageUp) => s(Modifiers::NONE, Key::PageUp),
            Command::Scroll(ScrollJump::Start) => s(CTRL, Key::Home),
            Command::Scroll(ScrollJump::End) => s(CTRL, Key::End),
            Command::PreviousDocument => s(CTRL, Key::PageUp),
            Command::ToggleDone => s(CTRL, Key::D),
            Command::ToggleHelp => s(Modifiers::NONE, Key::F1),
            Command::ToggleSettings => s(CTRL, Key::Comma),
            Command::EditSchema => s(CTRL, Key::L),
            Command::ZoomIn => s(CTRL, Key::Plus),
            Command::ZoomOut => s(CTRL, Key::Minus),
            Command::TogglePanels => s(CTRL, Key::B),
            Command::Statistics => s(CTRL_SHIFT, Key::T),
            Command::Agreement => s(CTRL_SHIFT, Key::G),
            Command::Suggest => s(CTRL, Key::G),
            Command::AcceptSuggestion => s(Modifiers::NONE, Key::Enter),
            Command::RejectSuggestion => s(Modifiers::SHIFT, Key::Delete),
            Command::NextSuggestion => s(Modifiers::NONE, Key::F8),
            Command::PreviousSuggestion => s(Modifiers::SHIFT, Key::F8),
            Command::AcceptAllSuggestions => s(CTRL_SHIFT, Key::Enter),
            Command::RejectAllSuggestions => s(CTRL_SHIFT, Key::Delete),
            Command::ReviewConflicts => s(CTRL, Key::R),
            _ => None,
        }
    }

    /// Other shortcuts that do the same (Ctrl+Y for redo, Backspace for delete, Ctrl+= for zoom).
    /// Delete and Backspace also reject a selected suggestion: see [`Command::DeleteSpan`]'s
    /// handling in the app.
    pub fn alternative_shortcuts(&self) -> &'static [KeyboardShortcut] {
        const REDO: &[KeyboardShortcut] = &[KeyboardShortcut::new(CTRL, Key::Y)];
        const DELETE: &[KeyboardShortcut] = &[KeyboardShortcut::new(Modifiers::NONE, Key::Backspace)];
        const ZOOM: &[KeyboardShortcut] = &[KeyboardShortcut::new(CTRL, Key::Equals)];
        match self {
            Command::Redo => REDO,
            Command::DeleteSpan => DELETE,
            Command::ZoomIn => ZOOM,
            _ => &[],
        }
    }

    /// True when the shortcut must not fire while a text field has the keyboard (plain keys, and
    /// Ctrl+Z which the text field uses for its own undo).
    fn yields_to_text_fields(&self) -> bool {
        self.shortcut().is_some_and(|s| s.modifiers.is_none() && s.logical_key != Key::F1 && s.logical_key != Key::F3)
            || matches!(
                self,
                Command::Undo
                    | Command::Redo
                    | Command::ExtendSelection { .. }
                    | Command::Scroll(_)
                    | Command::RejectSuggestion
                    | Command::AcceptAllSuggestions
                    | Command::RejectAllSuggestions
            )
    }

    /// True when the shortcut is a key without Ctrl or Alt (F1 and F3 apart): review mode takes
    /// those keys for its decisions.
    fn plain_key(&self) -> bool {
        let plain = |s: &KeyboardShortcut| {
            !s.modifiers.command && !s.modifiers.ctrl && !s.modifiers.alt && !matches!(s.logical_key, Key::F1 | Key::F3)
        };
        self.shortcut().iter().chain(self.alternative_shortcuts()).any(plain)
    }

    /// True when the command can run now.
    pub fn enabled(&self, e: &Enabled) -> bool {
        match self {
            Command::OpenProject | Command::ImportArticle | Command::Quit | Command::ToggleHelp => true,
            Command::ToggleSettings | Command::ToggleTheme | Command::ZoomIn | Command::ZoomOut => true,
            Command::OpenPath(_) | Command::Escape | Command::TogglePanels => true,
            Command::SaveAs
            | Command::Export
            | Command::Find
            | Command::ExtendSelection { .. }
            | Command::Scroll(_) => e.project,
            Command::GoToDocument(_) | Command::SelectSpan(_) | Command::SelectRelation(_) => e.project,
            Command::Statistics | Command::Agreement | Command::ShowRange { .. } => e.project,
            Command::Save
            | Command::EditSchema
            | Command::ToggleDone
            | Command::ImportPaths(_)
            | Command::ReviewConflicts => e.project && e.editable,
            Command::Undo => e.undo && e.editable,
            Command::Redo => e.redo && e.editable,
            Command::FindNext | Command::FindPrevious => e.matches,
            Command::LabelAllMatches(_) => e.matches && e.editable,
            Command::ApplyLabel(_) => (e.selection || e.span || e.suggestion) && e.editable,
            Command::DeleteSpan => (e.span || e.relation || e.suggestion) && e.editable,
            Command::StartLink => e.span && e.editable,
            Command::LinkTo(_) | Command::AddRelation { .. } | Command::DeleteRelation(_) => e.project && e.editable,
            Command::CycleDocLabel(_) | Command::SetDocLabel { .. } => e.project && e.editable,
            Command::NextDocument | Command::PreviousDocument => e.several_documents,
            Command::Suggest => e.project && e.editable,
            Command::AcceptSuggestion | Command::RejectSuggestion => e.suggestion && e.editable,
            Command::NextSuggestion | Command::PreviousSuggestion | Command::SelectSuggestion(_) => e.suggestions,
            Command::AcceptAllSuggestions | Command::RejectAllSuggestions => e.suggestions && e.editable,
        }
    }
}

/// The commands whose shortcuts were pressed this frame, consumed from the input so that no
/// widget also acts on them. `text_focus` is true when a text field has the keyboard; `review`
/// when something else owns the plain keys (letters, Enter, arrows, Escape): review mode, or an
/// editing window.
pub fn pressed(ctx: &egui::Context, text_focus: bool, review: bool) -> Vec<Command> {
    let mut all: Vec<(KeyboardShortcut, Command)> = Vec::new();
    for (_, group) in Command::MENUS {
        for command in group.iter() {
            if text_focus && command.yields_to_text_fields() {
                continue;
            }
            if review && command.plain_key() {
                continue;
            }
            if let Some(shortcut) = command.shortcut() {
                all.push((shortcut, command.clone()));
            }
            for alt in command.alternative_shortcuts() {
                all.push((*alt, command.clone()));
            }
        }
    }
    // Match Ctrl+Shift+Z before Ctrl+Z: egui's logical matching lets Shift through.
    all.sort_by_key(|(s, _)| std::cmp::Reverse(modifier_count(s.modifiers)));
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        for (shortcut, command) in all {
            if input.consume_shortcut(&shortcut) && !out.contains(&command) {
                out.push(command);
            }
        }
    });
    out
}

/// Label hotkeys (from the schema) pressed this frame, as schema indices.
pub fn label_keys_pressed(ctx: &egui::Context, keys: &[Option<char>]) -> Vec<Command> {
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        for (i, key) in keys.iter().enumerate() {
            let Some(key) = key.and_then(|c| Key::from_name(&c.to_ascii_uppercase().to_string())) else {
                continue;
            };
            if input.consume_key(Modifiers::NONE, key) {
                out.push(Command::ApplyLabel(i));
            }
        }
    });
    out
}

/// Doc label hotkeys (from the schema) pressed this frame, as [`Command::CycleDocLabel`].
pub fn doc_label_keys_pressed(ctx: &egui::Context, keys: &[Option<char>]) -> Vec<Command> {
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        for (i, key) in keys.iter().enumerate() {
            let Some(key) = key.and_then(|c| Key::from_name(&c.to_ascii_uppercase().to_string())) else {
                continue;
            };
            if input.consume_key(Modifiers::NONE, key) {
                out.push(Command::CycleDocLabel(i));
            }
        }
    });
    out
}

/// True when `key` is a hotkey the app can listen for: a letter or digit with a key of its own.
pub fn is_bindable_key(key: char) -> bool {
    key.is_ascii_alphanumeric() && Key::from_name(&key.to_ascii_uppercase().to_string()).is_some()
}

/// Plain keys (no modifier) the app's own commands use, which a label or doc label must not take.
pub fn reserved_plain_keys() -> Vec<char> {
    Command::MENUS
        .iter()
        .flat_map(|(_, group)| group.iter())
        .filter_map(Command::shortcut)
        .filter(|s| s.modifiers.is_none())
        .filter_map(|s| {
            let name = s.logical_key.name();
            let mut chars = name.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
                _ => None,
            }
        })
        .collect()
}

fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.alt) + u8::from(m.ctrl) + u8::from(m.shift) + u8::from(m.command) + u8::from(m.mac_cmd)
}

/// Menu entry for a command: greyed out when disabled, with its shortcut.
pub fn menu_item(ui: &mut egui::Ui, command: &Command, enabled: &Enabled, out: &mut Vec<Command>) {
    let mut button = egui::Button::new(command.name());
    if let Some(shortcut) = command.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    if ui.add_enabled(command.enabled(enabled), button).clicked() {
        out.push(command.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique() {
        let mut seen = Vec::new();
        for (_, group) in Command::MENUS {
            for command in group.iter() {
                for s in command.shortcut().into_iter().chain(command.alternative_shortcuts().iter().copied()) {
                    assert!(!seen.contains(&s), "{command:?} reuses {s:?}");
                    seen.push(s);
                }
            }
        }
    }

    #[test]
    fn review_takes_plain_keys_but_not_undo_help_or_its_own_shortcut() {
        assert!(Command::StartLink.plain_key() && Command::Escape.plain_key() && Command::DeleteSpan.plain_key());
        assert!(Command::ExtendSelection { forward: true, word: false }.plain_key(), "Shift+→ is review's →");
        for kept in [Command::Undo, Command::Redo, Command::ToggleHelp, Command::Save, Command::ReviewConflicts] {
            assert!(!kept.plain_key(), "{kept:?}");
        }
    }

    #[test]
    fn digit_names_map_to_keys() {
        assert_eq!(Key::from_name("3"), Some(Key::Num3));
    }

    #[test]
    fn r_is_reserved_and_the_doc_label_key_candidates_avoid_it() {
        assert_eq!(reserved_plain_keys(), ['r']);
        let mut schema = crate::model::Schema::default_news();
        for _ in 0..30 {
            let Some(key) = schema.next_doc_label_key() else { break };
            assert!(!reserved_plain_keys().contains(&key) && is_bindable_key(key), "{key}");
            schema.doc_labels.push(crate::model::DocLabelDef {
                name: format!("d{key}"),
                values: vec!["v".into()],
                key: Some(key),
                description: String::new(),
            });
        }
        assert_eq!(schema.doc_labels.len(), 25, "every letter but r");
        assert!(!is_bindable_key('ü') && is_bindable_key('e') && is_bindable_key('7'));
    }
}
