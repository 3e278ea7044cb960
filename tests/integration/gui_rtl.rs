//! Right-to-left text in the document view: the mouse lands on the Urdu word it is over.
//!
//! Where a word is on screen is worked out here from egui's own measure of the words, laid out
//! alone, and the view's documented layout (an Urdu paragraph reads from the right edge of the
//! text column, words right to left), not from the view's map, so that a wrong map fails.

use std::path::Path;

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, Key, Modifiers, pos2};
use egui_kittest::Harness;
use gloss::gui::{GlossApp, Launch, Persisted};

use crate::gui_util::{click_at, drag_between, harness, press};

/// The view's default font size (`Settings::default`).
const FONT_SIZE: f32 = 17.0;

fn open(dir: &Path) -> Harness<'static, GlossApp> {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gui/rtl-mixed.txt");
    let path = dir.join("rtl-mixed.txt");
    std::fs::copy(from, &path).expect("copy fixture");
    let mut h = harness(GlossApp::new(Launch { path: Some(path), project: None }, Persisted::default()), false);
    h.run();
    h
}

fn doc<'a>(h: &'a Harness<'_, GlossApp>) -> &'a gloss::model::Document {
    let open = h.state().open.as_ref().expect("a project is open");
    &open.project.documents[open.doc]
}

/// egui's width of `s` laid out alone in the view's font.
fn width(h: &Harness<'_, GlossApp>, s: &str) -> f32 {
    let format = TextFormat { font_id: FontId::proportional(FONT_SIZE), ..Default::default() };
    let galley = h.ctx.fonts_mut(|f| f.layout_job(LayoutJob::single_section(s.to_owned(), format)));
    galley.rows.iter().flat_map(|r| r.glyphs.iter()).map(|g| g.advance_width).sum()
}

/// The left and right screen edges of the second word of the first (Urdu) line, and the line's
/// middle height.
fn second_word(h: &Harness<'_, GlossApp>) -> (f32, f32, f32) {
    let rect = h.state().view.last_text_rect.expect("the text is shown");
    let right = rect.max.x - width(h, "کراچی") - width(h, " ");
    let left = right - width(h, "میں");
    let y = rect.min.y + (FONT_SIZE * 1.6).round() * 0.5;
    (left, right, y)
}

#[test]
fn dragging_over_an_urdu_word_labels_exactly_that_word() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = open(dir.path());
    let (left, right, y) = second_word(&h);
    // From just inside its right edge (its logical start) to just inside its left edge.
    drag_between(&mut h, pos2(right - 2.0, y), pos2(left + 2.0, y));
    press(&mut h, Modifiers::NONE, Key::Num3);
    let d = doc(&h);
    assert_eq!(d.spans.len(), 1, "one span");
    let span = &d.spans[0];
    assert_eq!((span.start, span.end), (6, 9), "the code points of میں");
    assert_eq!(d.covered_text(span), Some("میں"));
}

#[test]
fn dragging_over_an_urdu_name_in_an_english_line_labels_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = open(dir.path());
    let rect = h.state().view.last_text_rect.expect("the text is shown");
    // The third paragraph: one blank line (half a gap) below the first; its rows are found
    // through the English words before the name, which read left to right from the left edge.
    let text = doc(&h).text.as_str().to_owned();
    let byte = text.find("احمد رضا").expect("the name");
    let name_start = text[..byte].chars().count();
    let english = "The union leader ";
    let x0 = rect.min.x + width(&h, english);
    // In reading order the name is "احمد رضا": احمد is its right half.
    let x1 = x0 + width(&h, "احمد رضا");
    let y = h.state().view.screen_pos_of(name_start - 2).expect("the line is on screen").y;
    drag_between(&mut h, pos2(x1 - 2.0, y), pos2(x0 + 2.0, y));
    press(&mut h, Modifiers::NONE, Key::Num3);
    let d = doc(&h);
    assert_eq!(d.spans.len(), 1, "one span");
    assert_eq!(d.covered_text(&d.spans[0]), Some("احمد رضا"));
    assert_eq!(d.spans[0].start, name_start);
}

#[test]
fn clicking_an_urdu_span_selects_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = open(dir.path());
    // A span on the first word and one on the second; the click goes to the second one's middle.
    for range in [0..5, 6..9] {
        h.state_mut().view.selection = Some(range);
        h.run();
        press(&mut h, Modifiers::NONE, Key::Num4);
    }
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert_eq!(h.state().view.selected_span, None);
    let (left, right, y) = second_word(&h);
    click_at(&mut h, pos2((left + right) / 2.0, y));
    let d = doc(&h);
    let second = d.spans.iter().find(|s| s.start == 6).expect("the span on میں");
    assert_eq!(h.state().view.selected_span, Some(second.id));
    // And a click near the line's right edge picks the first word's span.
    let rect = h.state().view.last_text_rect.expect("the text is shown");
    click_at(&mut h, pos2(rect.max.x - 3.0, y));
    let first = doc(&h).spans.iter().find(|s| s.start == 0).expect("the span on کراچی").id;
    assert_eq!(h.state().view.selected_span, Some(first));
}
