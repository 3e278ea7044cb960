//! Review mode: the conflicts a merge left, one at a time, each decided with one key.
//!
//! A panel under the text shows the current conflict (document, the sentence around it, and the
//! annotators' versions side by side); A, B, C… accept a version, Enter or + accepts all, N
//! neither, E closes the review with the conflict selected for a fix by hand, → and ← skip, Esc
//! leaves. The app selects the conflict's range in the text and scrolls to it. The grouping and
//! the edits are [`crate::analysis::conflicts`]'s; this file only shows them and reads keys.

use egui::text::LayoutJob;
use egui::{Key, Modifiers, RichText, TextFormat};
use unicode_segmentation::UnicodeSegmentation as _;

use super::document_view::{label_color, shorten};
use crate::analysis::conflicts::{self, Conflict, Version};
use crate::model::{Document, Project};

/// The keys that accept a version, in version order: the letters without E (edit), N (neither)
/// and R (which the text view keeps for linking).
pub const VERSION_KEYS: [Key; 23] = [
    Key::A,
    Key::B,
    Key::C,
    Key::D,
    Key::F,
    Key::G,
    Key::H,
    Key::I,
    Key::J,
    Key::K,
    Key::L,
    Key::M,
    Key::O,
    Key::P,
    Key::Q,
    Key::S,
    Key::T,
    Key::U,
    Key::V,
    Key::W,
    Key::X,
    Key::Y,
    Key::Z,
];

/// What the reviewer asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    /// Accept the version at this index and drop the others.
    Accept(usize),
    /// Accept every distinct span of the conflict.
    All,
    /// Accept none.
    Neither,
    /// Decide nothing now: leave the review with the conflict selected, to fix it by hand.
    Edit,
    /// Go to the next conflict without deciding.
    Next,
    /// Go to the previous conflict.
    Previous,
    /// Leave the review.
    Close,
}

/// The review's state: where it stands and the project's conflicts (recounted per revision).
#[derive(Debug, Default)]
pub struct Review {
    /// (document, start) of the conflict on screen: the first conflict at or after it is shown.
    at: (usize, usize),
    /// Conflicts there were when the review opened, for the "3 of 17" counter.
    opened_with: usize,
    conflicts: Vec<Conflict>,
    key: Option<(u64, u64)>,
    /// The conflict the text view was last moved to: (document, start, end).
    pub shown: Option<(usize, usize, usize)>,
}

impl Review {
    /// A review starting at the first conflict at or after document `doc`.
    pub fn new(doc: usize) -> Self {
        Self { at: (doc, 0), ..Self::default() }
    }

    /// Recounts the conflicts when the project changed (`key`: its generation and revision).
    pub fn refresh(&mut self, project: &Project, key: (u64, u64)) {
        if self.key != Some(key) {
            self.conflicts = conflicts::project_conflicts(project);
            self.key = Some(key);
            self.opened_with = self.opened_with.max(self.conflicts.len());
        }
    }

    /// Number of conflicts left in the project.
    pub fn remaining(&self) -> usize {
        self.conflicts.len()
    }

    /// Conflicts decided since the review opened (undo gives them back).
    pub fn decided(&self) -> usize {
        self.opened_with.saturating_sub(self.conflicts.len())
    }

    /// Position (from 0) among the remaining conflicts and the conflict on screen.
    pub fn current(&self) -> Option<(usize, &Conflict)> {
        let i = self.conflicts.iter().position(|c| (c.doc, c.start) >= self.at).unwrap_or(0);
        self.conflicts.get(i).map(|c| (i, c))
    }

    /// Moves to the next (or previous) conflict, wrapping around the project.
    pub fn step(&mut self, forward: bool) {
        let Some((i, _)) = self.current() else { return };
        let n = self.conflicts.len();
        let j = if forward { (i + 1) % n } else { (i + n - 1) % n };
        if let Some(c) = self.conflicts.get(j) {
            self.at = (c.doc, c.start);
        }
    }
}

/// Review keys pressed this frame, consumed so that no command or label hotkey also acts on them.
/// `versions` is the number of versions of the conflict on screen.
pub fn keys_pressed(ctx: &egui::Context, versions: usize) -> Option<ReviewAction> {
    const KEYS: [(Key, ReviewAction); 8] = [
        (Key::Escape, ReviewAction::Close),
        (Key::Enter, ReviewAction::All),
        (Key::Plus, ReviewAction::All),
        (Key::N, ReviewAction::Neither),
        (Key::E, ReviewAction::Edit),
        (Key::ArrowRight, ReviewAction::Next),
        (Key::Tab, ReviewAction::Next),
        (Key::ArrowLeft, ReviewAction::Previous),
    ];
    ctx.input_mut(|input| {
        let mut action = None;
        for (key, what) in KEYS {
            if input.consume_key(Modifiers::NONE, key) && action.is_none() {
                action = Some(what);
            }
        }
        // Letters past the last version are swallowed too: a label hotkey must not fire.
        for (i, key) in VERSION_KEYS.iter().enumerate() {
            if input.consume_key(Modifiers::NONE, *key) && i < versions && action.is_none() {
                action = Some(ReviewAction::Accept(i));
            }
        }
        action
    })
}

/// The letter of version `i` ("A", "B", … without E and N).
pub fn version_letter(i: usize) -> String {
    VERSION_KEYS.get(i).map_or_else(|| "?".to_owned(), |k| k.name().to_owned())
}

/// Shows the review panel's contents; clicks become actions.
pub fn ui(ui: &mut egui::Ui, review: &Review, project: &Project) -> Option<ReviewAction> {
    let mut action = None;
    let Some((index, conflict)) = review.current() else {
        ui.horizontal(|ui| {
            ui.strong("Review");
            ui.label("No conflict left to review.");
            if ui.button("Close (Esc)").clicked() {
                action = Some(ReviewAction::Close);
            }
        });
        return action;
    };
    let doc = project.documents.get(conflict.doc)?;
    ui.horizontal(|ui| {
        // Counted over the session: deciding one does not make the next "1 of N-1".
        let total = review.decided() + review.remaining();
        ui.heading(format!("Conflict {} of {total}", review.decided() + index + 1));
        ui.separator();
        // Right to left: the buttons first, so a long title is cut rather than hidden under them.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Close (Esc)").clicked() {
                action = Some(ReviewAction::Close);
            }
            if ui.button("Next (→)").clicked() {
                action = Some(ReviewAction::Next);
            }
            if ui.button("Previous (←)").clicked() {
                action = Some(ReviewAction::Previous);
            }
            ui.separator();
            ui.weak(format!("{} left", review.remaining()));
            ui.separator();
            ui.weak(format!("{} · document {} of {}", doc.id, conflict.doc + 1, project.documents.len()));
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.add(egui::Label::new(RichText::new(&doc.title).strong()).truncate())
                    .on_hover_text(doc.title.as_str());
            });
        });
    });
    ui.add_space(2.0);
    ui.label(sentence_job(ui, doc, conflict.start, conflict.end));
    ui.add_space(6.0);
    let n = conflict.versions.len().max(1);
    ui.columns(n, |columns| {
        for (i, (col, version)) in columns.iter_mut().zip(&conflict.versions).enumerate() {
            if version_column(col, i, version, doc, project) {
                action = Some(ReviewAction::Accept(i));
            }
        }
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui.button("Accept all (Enter)").on_hover_text("Keep every distinct span of this conflict").clicked() {
            action = Some(ReviewAction::All);
        }
        if ui.button("Neither (N)").on_hover_text("Keep none of them").clicked() {
            action = Some(ReviewAction::Neither);
        }
        if ui
            .button("Edit by hand (E)")
            .on_hover_text("Leave the review with the conflict selected in the text; the suggestions stay")
            .clicked()
        {
            action = Some(ReviewAction::Edit);
        }
    });
    let last = version_letter(conflict.versions.len().saturating_sub(1));
    ui.add(
        egui::Label::new(
            RichText::new(format!(
                "Keys: A–{last} accept a version · Enter or + all · N neither · E edit by hand · → ← skip · Esc \
                 leave · Ctrl+Z undo"
            ))
            .weak(),
        )
        .wrap(),
    );
    action
}

/// One version's column: its key and annotators, then each proposed span; true when its
/// accept button was clicked.
fn version_column(ui: &mut egui::Ui, i: usize, version: &Version, doc: &Document, project: &Project) -> bool {
    let frame = egui::Frame::group(ui.style()).inner_margin(8.0);
    frame
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let key = RichText::new(format!(" {} ", version_letter(i))).monospace().strong();
                ui.label(key.background_color(ui.visuals().widgets.inactive.bg_fill));
                ui.strong(version.annotators.join(" + "));
            });
            if version.suggestions.is_empty() {
                ui.label(RichText::new("nothing").italics().weak());
            }
            for id in &version.suggestions {
                let Some(s) = doc.suggestion(*id) else { continue };
                let color = project.schema.label(&s.label).map_or(ui.visuals().text_color(), |l| label_color(l.color));
                let text = doc.covered_text(s).map(|t| shorten(t, 80)).unwrap_or_default();
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("■ {}", s.label)).color(color).strong());
                    ui.label(format!("“{text}”"));
                    ui.weak(format!("{}–{}", s.start, s.end));
                });
                if let Some(note) = &s.note {
                    ui.weak(format!("note: {}", shorten(note, 120)));
                }
            }
            ui.add_space(4.0);
            ui.button(format!("Accept {} ({})", version.annotators.join(" + "), version_letter(i))).clicked()
        })
        .inner
}

/// How far the context of a conflict reaches at most, either side, in code points.
const SENTENCE_REACH: usize = 200;

/// The sentence(s) around `start..end`, with that range highlighted; long contexts are cut.
fn sentence_job(ui: &egui::Ui, doc: &Document, start: usize, end: usize) -> LayoutJob {
    let (from, to) = sentence_bounds(doc, start, end);
    let body = egui::TextStyle::Body.resolve(ui.style());
    let plain = TextFormat { font_id: body.clone(), color: ui.visuals().text_color(), ..TextFormat::default() };
    let marked = TextFormat {
        background: ui.visuals().selection.bg_fill.gamma_multiply(0.6),
        color: ui.visuals().strong_text_color(),
        ..plain.clone()
    };
    let mut job = LayoutJob::default();
    let piece = |a: usize, b: usize| doc.text.slice(a..b).unwrap_or_default().replace('\n', " ");
    // An ellipsis only where the context was cut inside a sentence.
    let cut_before = from > 0 && from + SENTENCE_REACH == start;
    job.append(&format!("{}{}", if cut_before { "…" } else { "" }, piece(from, start)), 0.0, plain.clone());
    job.append(&piece(start, end), 0.0, marked);
    let more = if to < doc.text.len_chars() && to == end + SENTENCE_REACH { "…" } else { "" };
    job.append(&format!("{}{more}", piece(end, to)), 0.0, plain);
    job.wrap.max_width = ui.available_width();
    job
}

/// Code point bounds of the sentences that `start..end` touches, at most 200 code points either
/// side (UAX #29 sentence boundaries, so Urdu "۔" or Hindi "।" end a sentence too).
pub fn sentence_bounds(doc: &Document, start: usize, end: usize) -> (usize, usize) {
    const REACH: usize = SENTENCE_REACH;
    let len = doc.text.len_chars();
    let (lo, hi) = (start.saturating_sub(REACH), (end + REACH).min(len));
    let Some(window) = doc.text.slice(lo..hi) else { return (start, end) };
    // Byte offsets in `window` → code points from `lo`.
    let to_cp = |byte: usize| lo + window.get(..byte).map_or(0, |w| w.chars().count());
    let (mut from, mut to) = (start, end);
    let mut first = true;
    for (byte, sentence) in window.split_sentence_bound_indices() {
        let (a, b) = (to_cp(byte), to_cp(byte + sentence.len()));
        if b > start && a < end {
            if first {
                from = a;
                first = false;
            }
            to = b.max(to);
        }
    }
    // Not past the window: a sentence cut by it starts (or ends) at the window's edge.
    (from.min(start), to.max(end).min(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_around_a_conflict_in_several_scripts() {
        let doc = Document::new("d", "t", "پہلا جملہ۔ وزیر نے کہا کہ پل بند ہوگا۔ تیسرا جملہ۔");
        let text = doc.text.as_str();
        let at = text[..text.find("وزیر").unwrap()].chars().count();
        let (a, b) = sentence_bounds(&doc, at, at + 4);
        let got = doc.text.slice(a..b).unwrap();
        assert!(got.starts_with("وزیر") && got.trim_end().ends_with("ہوگا۔"), "{got:?}");

        let doc = Document::new("d", "t", "First one. Mayor Jane Doe said it. Third.");
        let (a, b) = sentence_bounds(&doc, 11, 25);
        assert_eq!(doc.text.slice(a..b), Some("Mayor Jane Doe said it. "));
        // A conflict across two sentences shows both.
        let (a, b) = sentence_bounds(&doc, 5, 14);
        assert_eq!(doc.text.slice(a..b), Some("First one. Mayor Jane Doe said it. "));
    }

    #[test]
    fn letters_skip_e_and_n() {
        let letters: String = (0..6).map(version_letter).collect();
        assert_eq!(letters, "ABCDFG");
        assert_eq!(version_letter(99), "?");
    }
}
