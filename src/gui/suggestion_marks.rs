//! How a suggestion looks in the text: a dashed outline and a faint fill in its label's colour,
//! never the solid fill and underline of an accepted span, so the two cannot be confused.
//!
//! The document view calls [`paint`] for every visible suggestion; other views (the review of
//! merge conflicts) choose which suggestions stand out through [`Emphasis`], by setting
//! [`super::document_view::DocumentView::highlighted_suggestions`].

use egui::{Color32, Painter, Rect, Shape, Stroke, pos2};

use crate::model::Span;

/// How strongly a suggestion is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emphasis {
    /// One suggestion among others.
    Normal,
    /// Part of a set another view points at (e.g. the versions of one merge conflict).
    Highlighted,
    /// The selected suggestion: Enter accepts it, Delete rejects it.
    Selected,
}

/// Paints one suggestion over `rects` (one per row it covers, in screen coordinates), in
/// left-to-right text.
pub fn paint(painter: &Painter, rects: &[Rect], color: Color32, emphasis: Emphasis, dark: bool) {
    paint_directed(painter, rects, color, emphasis, dark, false);
}

/// Like [`paint`]; `rtl` when the suggestion starts in right-to-left text, where its start (and
/// the selected one's solid mark) is the right edge of its first rectangle.
pub fn paint_directed(painter: &Painter, rects: &[Rect], color: Color32, emphasis: Emphasis, dark: bool, rtl: bool) {
    let (fill, width, dash) = match emphasis {
        Emphasis::Normal => (if dark { 0.14 } else { 0.09 }, 1.5, 4.0),
        Emphasis::Highlighted => (if dark { 0.24 } else { 0.18 }, 2.0, 5.0),
        Emphasis::Selected => (if dark { 0.30 } else { 0.24 }, 2.5, 6.0),
    };
    let stroke = Stroke::new(width, color);
    for r in rects {
        let r = r.expand(1.0);
        painter.rect_filled(r, 2.0, color.gamma_multiply(fill));
        let corners = [r.left_top(), r.right_top(), r.right_bottom(), r.left_bottom(), r.left_top()];
        painter.extend(Shape::dashed_line(&corners, stroke, dash, dash * 0.6));
        if emphasis == Emphasis::Selected {
            // A solid corner mark at the start, so the selected one stands out among many dashes.
            let x = if rtl { r.right() } else { r.left() };
            painter.line_segment([pos2(x, r.top()), pos2(x, r.bottom())], Stroke::new(3.0, color));
        }
    }
}

/// The tag written after a suggestion: its label and a question mark ("location?").
pub fn tag(span: &Span) -> String {
    format!("{}?", span.label)
}

/// A short description of where a suggestion came from: `gazetteer:places.tsv` → "gazetteer places.tsv".
pub fn origin(span: &Span) -> String {
    match span.annotator.as_deref() {
        Some(origin) => match origin.split_once(':') {
            Some((kind, name)) if kind == "gazetteer" || kind == "regex" => format!("{kind} {name}"),
            _ => origin.to_owned(),
        },
        None => "an unknown source".to_owned(),
    }
}

/// The hover text of a suggestion.
pub fn hover_text(span: &Span) -> String {
    format!("suggested by {} — Enter accepts, Delete rejects, F8 goes to the next", origin(span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_read_well() {
        let mut s = Span::new(1, 0, 3, "location");
        assert_eq!(origin(&s), "an unknown source");
        s.annotator = Some("gazetteer:places.tsv".into());
        assert_eq!(origin(&s), "gazetteer places.tsv");
        s.annotator = Some("amina".into());
        assert_eq!(origin(&s), "amina");
        assert_eq!(tag(&s), "location?");
        assert!(hover_text(&s).contains("Enter accepts"));
    }
}
