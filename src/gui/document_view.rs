//! The document: wrapped, readable text with its spans highlighted in their label colours.
//!
//! Only what is on screen is laid out and painted. The text is split into paragraphs
//! ([`super::layout`]); each visible paragraph is laid out once into a galley, cached until the
//! width, font size or theme change; spans, find matches and the selection are painted as
//! rectangles under the text, so an edit repaints without any new layout. Positions are code
//! points at the model's edge and in galleys (egui's `CCursor` counts chars too).

#![allow(
    clippy::indexing_slicing,
    reason = "indices into the view's own caches, rebuilt with the document they describe: a paragraph number comes from the cache's own range, a span position from a map built over the same spans"
)]

use std::collections::HashMap;
use std::ops::Range;

use egui::text::TextFormat;
use egui::{Color32, FontId, Pos2, Rect, Sense, Stroke, pos2, vec2};

use super::commands::Command;
use super::layout::{self, Heights, Paragraph, SpanRef};
use super::settings::Settings;
use super::suggestion_marks::{self, Emphasis};
use super::visual_text::LaidOut;
use crate::model::{Document, RelationId, Schema, SpanId, Text};

/// Widest text column, in multiples of the font size (about 75 characters).
const MAX_WIDTH_EM: f32 = 40.0;
/// Galleys kept in the cache before the farthest ones are dropped.
const MAX_GALLEYS: usize = 600;

/// What the view shows this frame.
pub struct ViewInput<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its project's schema (colours, names).
    pub schema: &'a Schema,
    /// Changes whenever another project or document is loaded in place.
    pub generation: u64,
    /// The history revision: changes whenever spans may have changed.
    pub revision: u64,
    /// Font size, theme, snapping.
    pub settings: &'a Settings,
    /// Find matches to highlight, in code points, sorted.
    pub matches: &'a [Range<usize>],
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct DocKey {
    generation: u64,
    id: String,
    len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct LayoutKey {
    width: f32,
    font_size: f32,
    pixels_per_point: f32,
    text_color: Color32,
}

/// What is kept across frames for the document on screen.
struct DocCache {
    key: DocKey,
    paragraphs: Vec<Paragraph>,
    layout: Option<LayoutKey>,
    heights: Heights,
    galleys: HashMap<usize, LaidOut>,
    revision: Option<u64>,
    spans: Vec<Vec<SpanRef>>,
    /// Suggestions per paragraph (indices into `Document::suggestions`).
    suggestions: Vec<Vec<SpanRef>>,
    relations: Vec<RelationEnds>,
}

/// Where a relation's two spans are, found once per revision (looking spans up by id is linear).
#[derive(Clone, Debug)]
struct RelationEnds {
    id: RelationId,
    from: SpanId,
    to: SpanId,
    from_range: Range<usize>,
    to_range: Range<usize>,
    color: Color32,
}

#[derive(Clone, Copy, Debug)]
struct Drag {
    anchor: usize,
}

/// The document view and its selection state.
#[derive(Default)]
pub struct DocumentView {
    cache: Option<DocCache>,
    /// The selected text, in code points (snapped), if any.
    pub selection: Option<Range<usize>>,
    drag: Option<Drag>,
    /// The selected span, if any.
    pub selected_span: Option<SpanId>,
    /// The selected link (relation), if any.
    pub selected_relation: Option<RelationId>,
    /// The selected suggestion, if any (never at the same time as a span or a selection).
    pub selected_suggestion: Option<SpanId>,
    /// Suggestions drawn with more weight, for a view that walks a set of them (a merge
    /// conflict's versions); empty for none.
    pub highlighted_suggestions: Vec<SpanId>,
    /// Linking mode: the next click on a span links this span to it.
    pub linking_from: Option<SpanId>,
    /// A code point offset to bring into view on the next frame.
    pub scroll_to: Option<usize>,
    /// Where the last frame's text column was, on screen (for tests and the bench).
    pub last_text_rect: Option<Rect>,
    /// How many find matches the last frame highlighted (for tests).
    pub highlighted_matches: usize,
    /// Where the last click in the text landed (code point): keyboard selection starts there.
    pub caret: Option<usize>,
    /// The fixed end of a keyboard-extended selection, with the selection it belongs to.
    key_anchor: Option<(usize, Range<usize>)>,
    /// Code points of the paragraphs on screen last frame.
    visible_chars: Range<usize>,
    /// Where the primary button went down over the text, until it comes up.
    press_pos: Option<Pos2>,
    /// A keyboard scroll to make on the next frame.
    pub scroll_jump: Option<ScrollJump>,
    /// The scroll offset of the last frame.
    scroll_offset: f32,
}

/// A keyboard scroll of the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScrollJump {
    /// One screen down.
    PageDown,
    /// One screen up.
    PageUp,
    /// To the start of the document.
    Start,
    /// To the end of the document.
    End,
}

impl DocumentView {
    /// Extends the selection by one grapheme, or to the next word's end (`word`), forwards or
    /// backwards, moving its head and keeping its anchor. With nothing selected, it starts at
    /// the selected span, else the last click, else the start of the text on screen.
    pub fn extend_selection(&mut self, doc: &Document, forward: bool, word: bool) {
        let text = &doc.text;
        let (anchor, head) = match (&self.selection, self.key_anchor.clone()) {
            (Some(sel), Some((anchor, was))) if was == *sel => {
                (anchor, if anchor == sel.start { sel.end } else { sel.start })
            }
            (Some(sel), _) => {
                if forward {
                    (sel.start, sel.end)
                } else {
                    (sel.end, sel.start)
                }
            }
            (None, _) => match self.selected_span.and_then(|id| doc.span(id)) {
                Some(span) => {
                    if forward {
                        (span.start, span.end)
                    } else {
                        (span.end, span.start)
                    }
                }
                None => {
                    let at = self.caret.unwrap_or(self.visible_chars.start).min(text.len_chars());
                    (at, at)
                }
            },
        };
        let head = if word { next_word_edge(text, head, forward) } else { next_grapheme(text, head, forward) };
        let range = anchor.min(head)..anchor.max(head);
        self.selected_span = None;
        self.selected_relation = None;
        if range.is_empty() {
            self.selection = None;
            self.key_anchor = None;
            self.caret = Some(anchor);
        } else {
            self.selection = Some(range.clone());
            self.key_anchor = Some((anchor, range));
        }
        if !(self.visible_chars.start..self.visible_chars.end.max(self.visible_chars.start + 1)).contains(&head) {
            self.scroll_to = Some(head);
        }
    }

    /// The code points of the paragraphs on screen last frame.
    pub fn visible_chars(&self) -> Range<usize> {
        self.visible_chars.clone()
    }

    /// Forgets the selection (e.g. when switching documents).
    pub fn clear_selection(&mut self) {
        self.selection = None;
        self.selected_span = None;
        self.selected_relation = None;
        self.selected_suggestion = None;
        self.linking_from = None;
        self.drag = None;
        self.caret = None;
        self.key_anchor = None;
    }

    /// Screen position of code point `char_idx` if its paragraph was on screen last frame: inside
    /// its grapheme, near its logical start (the right edge in right-to-left text), in the middle of
    /// its row; pressing there puts the caret before it. For tests and the bench, which drive the
    /// mouse.
    pub fn screen_pos_of(&self, char_idx: usize) -> Option<Pos2> {
        let cache = self.cache.as_ref()?;
        let text_rect = self.last_text_rect?;
        let p = layout::paragraph_at(&cache.paragraphs, char_idx);
        let galley = cache.galleys.get(&p)?;
        let local = char_idx.checked_sub(cache.paragraphs[p].chars.start)?;
        let at = galley.point_in(local);
        Some(pos2(text_rect.min.x + at.x, text_rect.min.y + cache.heights.top(p) + at.y))
    }

    /// Shows the document in the remaining space; commands from its context menu go to `out`.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: &ViewInput<'_>, out: &mut Vec<Command>) {
        let font_size = input.settings.font_size;
        let font_id = FontId::proportional(font_size);
        let row_height = (font_size * 1.6).round();
        let gap = (font_size * 0.75).round();
        let margin = (font_size * 2.0).round();
        let available = ui.available_width();
        let width = (available - 2.0 * margin).clamp(120.0, font_size * MAX_WIDTH_EM);
        let layout_key = LayoutKey {
            width,
            font_size,
            pixels_per_point: ui.ctx().pixels_per_point(),
            text_color: ui.visuals().text_color(),
        };

        self.refresh_cache(input, layout_key, ui, &font_id, row_height, gap);
        let Some(cache) = self.cache.as_mut() else { return };

        let viewport_height = ui.available_height();
        let mut scroll = egui::ScrollArea::vertical().id_salt("document-scroll").auto_shrink(false);
        if let Some(target) = self.scroll_to.take() {
            let p = layout::paragraph_at(&cache.paragraphs, target);
            scroll = scroll.vertical_scroll_offset((cache.heights.top(p) - viewport_height * 0.3).max(0.0));
        } else if let Some(jump) = self.scroll_jump.take() {
            let page = (viewport_height - row_height * 2.0).max(row_height);
            let end = (cache.heights.total() + 2.0 * margin * 0.75 - viewport_height).max(0.0);
            let offset = match jump {
                ScrollJump::PageDown => self.scroll_offset + page,
                ScrollJump::PageUp => self.scroll_offset - page,
                ScrollJump::Start => 0.0,
                ScrollJump::End => end,
            };
            scroll = scroll.vertical_scroll_offset(offset.clamp(0.0, end));
        }

        let mut state = FrameState {
            selection: self.selection.clone(),
            drag: self.drag,
            selected_span: self.selected_span,
            selected_relation: self.selected_relation,
            selected_suggestion: self.selected_suggestion,
            highlighted_suggestions: &self.highlighted_suggestions,
            linking_from: self.linking_from,
            text_rect: Rect::NOTHING,
            caret: self.caret,
            visible_chars: 0..0,
            press_pos: self.press_pos,
        };
        let mut offset = self.scroll_offset;
        scroll.show_viewport(ui, |ui, viewport| {
            offset = viewport.min.y;
            paint_and_interact(
                ui,
                viewport,
                cache,
                input,
                &mut state,
                &Geometry { font_id: font_id.clone(), row_height, width, margin, layout_key },
                out,
            );
        });
        // A new selection or span replaces a selected suggestion.
        let picked_other = (state.selection.is_some() && state.selection != self.selection)
            || (state.selected_span.is_some() && state.selected_span != self.selected_span);
        self.selected_suggestion = if picked_other && state.selected_suggestion == self.selected_suggestion {
            None
        } else {
            state.selected_suggestion
        };
        self.selection = state.selection;
        self.drag = state.drag;
        self.selected_span = state.selected_span;
        self.selected_relation = state.selected_relation;
        self.caret = state.caret;
        self.scroll_offset = offset;
        self.press_pos = state.press_pos;
        self.visible_chars = state.visible_chars;
        self.last_text_rect = Some(state.text_rect);
        self.highlighted_matches = input.matches.len();
        trim_cache(cache);
    }

    fn refresh_cache(
        &mut self,
        input: &ViewInput<'_>,
        key: LayoutKey,
        ui: &egui::Ui,
        font_id: &FontId,
        row_height: f32,
        gap: f32,
    ) {
        let doc_key =
            DocKey { generation: input.generation, id: input.doc.id.clone(), len: input.doc.text.len_bytes() };
        if self.cache.as_ref().is_none_or(|c| c.key != doc_key) {
            self.cache = Some(DocCache {
                key: doc_key,
                paragraphs: layout::split_paragraphs(input.doc.text.as_str()),
                layout: None,
                heights: Heights::default(),
                galleys: HashMap::new(),
                revision: None,
                spans: Vec::new(),
                suggestions: Vec::new(),
                relations: Vec::new(),
            });
        }
        let Some(cache) = self.cache.as_mut() else { return };
        if cache.layout != Some(key) {
            let char_width = ui.fonts_mut(|f| f.glyph_width(font_id, 'e')).max(1.0) * 1.05;
            cache.heights = Heights::estimate(&cache.paragraphs, key.width, char_width, row_height, gap);
            cache.galleys.clear();
            cache.layout = Some(key);
        }
        if cache.revision != Some(input.revision) {
            cache.spans = layout::spans_by_paragraph(input.doc, &cache.paragraphs);
            cache.suggestions = layout::by_paragraph(&input.doc.suggestions, &cache.paragraphs);
            cache.relations = relation_ends(input.doc, input.schema);
            cache.revision = Some(input.revision);
        }
    }
}

/// Selection state carried through one frame.
struct FrameState<'a> {
    selection: Option<Range<usize>>,
    drag: Option<Drag>,
    selected_span: Option<SpanId>,
    selected_relation: Option<RelationId>,
    selected_suggestion: Option<SpanId>,
    highlighted_suggestions: &'a [SpanId],
    linking_from: Option<SpanId>,
    text_rect: Rect,
    caret: Option<usize>,
    visible_chars: Range<usize>,
    press_pos: Option<Pos2>,
}

struct Geometry {
    font_id: FontId,
    row_height: f32,
    width: f32,
    margin: f32,
    layout_key: LayoutKey,
}

fn paint_and_interact(
    ui: &mut egui::Ui,
    viewport: Rect,
    cache: &mut DocCache,
    input: &ViewInput<'_>,
    state: &mut FrameState<'_>,
    geo: &Geometry,
    out: &mut Vec<Command>,
) {
    let origin = ui.max_rect().min;
    let left = origin.x + ((ui.available_width() - geo.width) * 0.5).max(geo.margin.min(ui.available_width() * 0.05));
    let top_pad = geo.margin * 0.75;

    // Lay out what is visible (plus one paragraph of slack), measuring real heights as we go.
    let visible_top = (viewport.min.y - top_pad).max(0.0);
    let first = cache.heights.index_at(visible_top);
    let mut visible = Vec::new();
    let mut p = first;
    while p < cache.paragraphs.len() {
        let galley = galley_for(ui, cache, p, input, geo);
        let next_continues = cache.paragraphs.get(p + 1).is_some_and(|n| n.continues);
        let gap = if next_continues { 0.0 } else { (geo.font_id.size * 0.75).round() };
        // A blank line is a paragraph break, not a whole empty row.
        let height = if cache.paragraphs[p].bytes.is_empty() {
            gap * 0.5
        } else {
            galley.galley.size().y.max(geo.row_height) + gap
        };
        cache.heights.measure(p, height);
        cache.heights.refresh();
        visible.push(p);
        if cache.heights.top(p) + top_pad > viewport.max.y {
            break;
        }
        p += 1;
    }

    // The first paragraph that starts below the top of the viewport begins "the text on screen".
    let first_shown = visible
        .iter()
        .copied()
        .find(|&p| text_origin_y_top(cache, p) + top_pad >= viewport.min.y)
        .or(visible.first().copied());
    if let (Some(a), Some(&b)) = (first_shown, visible.last()) {
        state.visible_chars = cache.paragraphs[a].chars.start..cache.paragraphs[b].chars.end;
    }
    let total = cache.heights.total() + 2.0 * top_pad;
    let content = Rect::from_min_size(origin, vec2(ui.available_width(), total));
    let text_origin = pos2(left, origin.y + top_pad);
    state.text_rect = Rect::from_min_size(text_origin, vec2(geo.width, cache.heights.total()));

    let response = ui.allocate_rect(content, Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, "Document text"));

    // Pointer → code point.
    let hit = |pos: Pos2, cache: &DocCache| -> Option<usize> { hit_test(cache, text_origin, pos) };
    let alt = ui.input(|i| i.modifiers.alt);
    let shift = ui.input(|i| i.modifiers.shift);
    let snap = |range: Range<usize>| -> Option<Range<usize>> {
        snap_range(input.doc, range, input.settings.snap_to_words && !alt)
    };

    // Linking: a click on a span picks the target; a click elsewhere cancels.
    let linking = state.linking_from.is_some();
    if linking {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Alias);
        if response.clicked() || response.drag_stopped() {
            let target = response
                .interact_pointer_pos()
                .and_then(|p| hit_test_exact(cache, text_origin, p))
                .and_then(|at| innermost_span_at(input.doc, at));
            out.push(match target {
                Some(id) => Command::LinkTo(id),
                None => Command::Escape,
            });
        }
    }
    // A press and a release far apart that egui saw as no drag at all (both in one frame, as
    // fast scripted input or a very busy machine gives) still select what lies between.
    let egui_drag = state.drag.is_some() || response.drag_started() || response.dragged() || response.drag_stopped();
    let (pressed_at, released_at) = ui.input(|i| {
        let (mut press, mut release) = (None, None);
        for event in &i.events {
            if let egui::Event::PointerButton { pos, button: egui::PointerButton::Primary, pressed, .. } = event {
                if *pressed {
                    press = Some(*pos);
                    release = None;
                } else {
                    release = Some(*pos);
                }
            }
        }
        (press, release)
    });
    if let Some(p) = pressed_at {
        state.press_pos = (response.rect.contains(p) && ui.clip_rect().contains(p)).then_some(p);
    }
    if let Some(release) = released_at {
        if let Some(press) = state.press_pos.take() {
            if !egui_drag && !linking && press.distance(release) > 6.0 {
                if let (Some(a), Some(b)) = (hit(press, cache), hit(release, cache)) {
                    state.selection = snap(a.min(b)..a.max(b));
                    state.selected_span = None;
                }
            }
        }
    }
    if !linking && response.drag_started_by(egui::PointerButton::Primary) {
        let press = ui.input(|i| i.pointer.press_origin()).or(response.interact_pointer_pos());
        if let Some(anchor) = press.and_then(|p| hit(p, cache)) {
            let anchor = if shift { state.selection.as_ref().map_or(anchor, |s| s.start) } else { anchor };
            state.drag = Some(Drag { anchor });
            state.selected_span = None;
        }
    }
    if let (Some(drag), Some(pos)) = (state.drag, response.interact_pointer_pos()) {
        if response.dragged_by(egui::PointerButton::Primary) || response.drag_stopped() {
            if let Some(head) = hit(pos, cache) {
                let raw = drag.anchor.min(head)..drag.anchor.max(head);
                state.selection = snap(raw);
            }
            // Scroll while dragging past the edges.
            let edge = geo.row_height;
            let clip = ui.clip_rect();
            if pos.y > clip.max.y - edge {
                ui.scroll_with_delta(vec2(0.0, -geo.row_height * 0.5));
                ui.ctx().request_repaint();
            } else if pos.y < clip.min.y + edge {
                ui.scroll_with_delta(vec2(0.0, geo.row_height * 0.5));
                ui.ctx().request_repaint();
            }
        }
    }
    if response.drag_stopped() {
        state.drag = None;
    }
    if response.double_clicked() && !linking {
        if let Some(at) = response.interact_pointer_pos().and_then(|p| hit(p, cache)) {
            state.selection =
                input.doc.text.word_at(at).filter(|w| !input.doc.text.slice(w.clone()).unwrap_or("").trim().is_empty());
            state.selected_span = None;
        }
    } else if response.clicked() && !linking {
        if let Some(at) = response.interact_pointer_pos().and_then(|p| hit(p, cache)) {
            state.selected_relation = None;
            if shift && state.selection.is_some() {
                let sel = state.selection.clone().unwrap_or(at..at);
                state.selection = snap(sel.start.min(at)..sel.end.max(at));
            } else {
                state.selection = None;
                let span = innermost_span_at(input.doc, at);
                let suggestion = innermost_suggestion_at(input.doc, at);
                // A span wins; a second click on it picks the suggestion under it.
                let pick_suggestion = suggestion.is_some() && (span.is_none() || span == state.selected_span);
                if pick_suggestion {
                    state.selected_span = None;
                    state.selected_suggestion = suggestion;
                } else {
                    state.selected_span = span;
                    state.selected_suggestion = None;
                }
                state.caret = Some(at);
            }
        }
    }
    if response.secondary_clicked() {
        if let Some(at) = response.interact_pointer_pos().and_then(|p| hit(p, cache)) {
            let inside_selection = state.selection.as_ref().is_some_and(|s| s.contains(&at));
            if !inside_selection {
                if let Some(id) = innermost_span_at(input.doc, at) {
                    state.selection = None;
                    state.selected_span = Some(id);
                    state.selected_relation = None;
                }
            }
        }
    }

    // Paint, paragraph by paragraph.
    let painter = ui.painter_at(ui.clip_rect());
    let dark = ui.visuals().dark_mode;
    let selection_fill = ui.visuals().selection.bg_fill.gamma_multiply(if dark { 0.7 } else { 0.55 });
    let find_fill = if dark {
        Color32::from_rgba_unmultiplied(230, 190, 40, 60)
    } else {
        Color32::from_rgba_unmultiplied(255, 215, 0, 90)
    };
    let find_stroke = if dark { Color32::from_rgb(230, 190, 40) } else { Color32::from_rgb(214, 160, 0) };
    let selection_stroke = ui.visuals().selection.stroke.color;
    let text_color = ui.visuals().text_color();
    let mut hovered_spans: Vec<usize> = Vec::new();
    let mut hovered_suggestions: Vec<usize> = Vec::new();
    let hover_char = response.hover_pos().and_then(|p| hit_test_exact(cache, text_origin, p));
    for &p in &visible {
        let Some(laid) = cache.galleys.get(&p).cloned() else { continue };
        let galley = &laid.galley;
        let para = &cache.paragraphs[p];
        let pos = pos2(text_origin.x, text_origin.y + cache.heights.top(p));
        let font_height =
            galley.rows.first().and_then(|r| r.glyphs.first()).map_or(geo.font_id.size * 1.2, |g| g.font_height);
        // Under the spans: the selection's and the matches' fills, so that a span's own colour
        // shows through them.
        let sel_rects = state
            .selection
            .as_ref()
            .map_or_else(Vec::new, |sel| selection_rects(&laid, para, sel, font_height, geo.row_height));
        for r in &sel_rects {
            painter.rect_filled(r.translate(pos.to_vec2()), 2.0, selection_fill);
        }
        let first_match = input.matches.partition_point(|m| m.end <= para.chars.start);
        let mut match_rects = Vec::new();
        for m in input.matches[first_match..].iter().take_while(|m| m.start < para.chars.end.max(para.chars.start + 1))
        {
            match_rects.extend(laid.range_rects(clip_to(para, m.clone()), font_height));
        }
        for r in &match_rects {
            painter.rect_filled(r.translate(pos.to_vec2()), 2.0, find_fill);
        }
        // Span backgrounds, then their underlines, one level below the other.
        for span_ref in &cache.spans[p] {
            let Some(span) = input.doc.spans.get(span_ref.index as usize) else { continue };
            let color = input.schema.label(&span.label).map_or(Color32::GRAY, |l| label_color(l.color));
            let local = clip_to(para, span.start..span.end);
            let alpha = if dark { 0.30 } else { 0.22 };
            for r in laid.range_rects(local.clone(), font_height) {
                let r = r.translate(pos.to_vec2());
                painter.rect_filled(r, 2.0, color.gamma_multiply(alpha));
                let y = r.max.y + 1.5 + f32::from(span_ref.level) * 3.5;
                painter.line_segment([pos2(r.min.x, y), pos2(r.max.x, y)], Stroke::new(2.0, color));
                if Some(span.id) == state.selected_span {
                    // Inside the glyphs' own box sideways, so a comma or letter next to the span
                    // is never under the outline; a little room above and below.
                    let outline = r.expand2(egui::vec2(0.0, 1.0));
                    painter.rect_stroke(outline, 3.0, Stroke::new(1.5, color), egui::StrokeKind::Inside);
                }
            }
            if let Some(h) = hover_char {
                if span.start <= h && h < span.end && !hovered_spans.contains(&(span_ref.index as usize)) {
                    hovered_spans.push(span_ref.index as usize);
                }
            }
        }
        // Suggestions: dashed and faint, apart from the solid spans.
        for s_ref in cache.suggestions.get(p).map_or(&[][..], Vec::as_slice) {
            let Some(suggestion) = input.doc.suggestions.get(s_ref.index as usize) else { continue };
            let color = input.schema.label(&suggestion.label).map_or(Color32::GRAY, |l| label_color(l.color));
            let emphasis = if Some(suggestion.id) == state.selected_suggestion {
                Emphasis::Selected
            } else if state.highlighted_suggestions.contains(&suggestion.id) {
                Emphasis::Highlighted
            } else {
                Emphasis::Normal
            };
            let rects: Vec<Rect> = laid
                .range_rects(clip_to(para, suggestion.start..suggestion.end), font_height)
                .into_iter()
                .map(|r| r.translate(pos.to_vec2()))
                .collect();
            let rtl = laid.rtl_at(suggestion.start.saturating_sub(para.chars.start));
            suggestion_marks::paint_directed(&painter, &rects, color, emphasis, dark, rtl);
            if let Some(h) = hover_char {
                if suggestion.start <= h && h < suggestion.end && !hovered_suggestions.contains(&(s_ref.index as usize))
                {
                    hovered_suggestions.push(s_ref.index as usize);
                }
            }
        }
        // Over the spans: outlines of the matches and the selection, which never hide a label.
        for r in &match_rects {
            painter.rect_stroke(
                r.translate(pos.to_vec2()).expand(0.5),
                2.0,
                Stroke::new(1.5, find_stroke),
                egui::StrokeKind::Outside,
            );
        }
        for r in &sel_rects {
            painter.rect_stroke(
                r.translate(pos.to_vec2()).expand(0.5),
                2.0,
                Stroke::new(1.5, selection_stroke),
                egui::StrokeKind::Outside,
            );
        }
        painter.galley(pos, galley.clone(), text_color);
        // Label tags after spans that end in this paragraph.
        if input.settings.show_tags {
            paint_tags(&painter, &laid, pos, para, &cache.spans[p], input, font_height);
            if let Some(refs) = cache.suggestions.get(p) {
                let tags = SuggestionTags { para, refs, spans: &cache.spans[p], font_height };
                paint_suggestion_tags(&painter, &laid, pos, &tags, input);
            }
        }
    }

    paint_relations(&painter, cache, state, text_origin, origin.x, geo);

    if (!hovered_spans.is_empty() || !hovered_suggestions.is_empty()) && state.drag.is_none() {
        response.clone().on_hover_ui_at_pointer(|ui| {
            for &i in &hovered_spans {
                let Some(span) = input.doc.spans.get(i) else { continue };
                let color = input.schema.label(&span.label).map_or(Color32::GRAY, |l| label_color(l.color));
                ui.horizontal(|ui| {
                    let (r, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                    ui.painter().rect_filled(r, 2.0, color);
                    ui.strong(&span.label);
                    if let Some(text) = input.doc.covered_text(span) {
                        ui.weak(shorten(text, 60));
                    }
                });
                if let Some(note) = &span.note {
                    ui.label(format!("    {note}"));
                }
            }
            for &i in &hovered_suggestions {
                let Some(suggestion) = input.doc.suggestions.get(i) else { continue };
                let color = input.schema.label(&suggestion.label).map_or(Color32::GRAY, |l| label_color(l.color));
                ui.horizontal(|ui| {
                    let (r, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                    suggestion_marks::paint(ui.painter(), &[r.shrink(1.0)], color, Emphasis::Normal, dark);
                    ui.strong(suggestion_marks::tag(suggestion));
                    if let Some(text) = input.doc.covered_text(suggestion) {
                        ui.weak(shorten(text, 60));
                    }
                });
                ui.weak(format!("    {}", suggestion_marks::hover_text(suggestion)));
                if let Some(note) = &suggestion.note {
                    ui.label(format!("    {note}"));
                }
            }
        });
    }

    response.context_menu(|ui| {
        let has_target = state.selection.is_some() || state.selected_span.is_some();
        ui.label(if state.selected_span.is_some() { "Relabel span" } else { "Label selection" });
        for (i, label) in input.schema.labels.iter().enumerate() {
            let key = label.key.map(|k| k.to_string()).unwrap_or_default();
            let button =
                egui::Button::new(egui::RichText::new(format!("■ {}", label.name)).color(label_color(label.color)))
                    .shortcut_text(key);
            if ui.add_enabled(has_target, button).clicked() {
                out.push(Command::ApplyLabel(i));
                ui.close();
            }
        }
        ui.separator();
        if ui
            .add_enabled(state.selected_span.is_some(), egui::Button::new("Link to…").shortcut_text("R"))
            .on_hover_text("Then click the span this one points to")
            .clicked()
        {
            out.push(Command::StartLink);
            ui.close();
        }
        if ui
            .add_enabled(state.selected_span.is_some(), egui::Button::new("Delete span").shortcut_text("Del"))
            .clicked()
        {
            out.push(Command::DeleteSpan);
            ui.close();
        }
        if state.selected_suggestion.is_some() {
            ui.separator();
            for command in [Command::AcceptSuggestion, Command::RejectSuggestion] {
                let mut button = egui::Button::new(command.name());
                if let Some(shortcut) = command.shortcut() {
                    button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
                }
                if ui.add(button).clicked() {
                    out.push(command);
                    ui.close();
                }
            }
        }
    });
}

/// Links: a thin arc in the left margin from the source span's row (a dot) to the target's (an
/// arrowhead), and, for the links of the selected span or the selected link, an arc over the text
/// from one span to the other. Nothing is drawn over the glyphs but those thin lines.
fn paint_relations(
    painter: &egui::Painter,
    cache: &DocCache,
    state: &FrameState,
    text_origin: Pos2,
    left_edge: f32,
    geo: &Geometry,
) {
    if cache.relations.is_empty() {
        return;
    }
    let clip = painter.clip_rect();
    let gx = text_origin.x - 10.0;
    let max_bulge = (gx - left_edge - 6.0).max(4.0);
    let font_height = geo.font_id.size * 1.2;
    for rel in &cache.relations {
        let (Some(a), Some(b)) = (
            char_anchor(cache, text_origin, rel.from_range.start, geo.row_height),
            char_anchor(cache, text_origin, rel.to_range.start, geo.row_height),
        ) else {
            continue;
        };
        let (y1, y2) = (a.y, b.y);
        if y1.max(y2) < clip.min.y - 20.0 || y1.min(y2) > clip.max.y + 20.0 {
            continue;
        }
        let highlighted = state.selected_relation == Some(rel.id)
            || state.selected_span.is_some_and(|s| s == rel.from || s == rel.to);
        let color = if highlighted { rel.color } else { rel.color.gamma_multiply(0.75) };
        let stroke = Stroke::new(if highlighted { 2.0 } else { 1.25 }, color);
        let (mut y1, mut y2) = (y1, y2);
        if (y1 - y2).abs() < 2.0 {
            // Both ends on one row: a small loop.
            y1 -= geo.row_height * 0.25;
            y2 += geo.row_height * 0.25;
        }
        let bulge = (6.0 + (y2 - y1).abs().sqrt() * 1.2).min(max_bulge);
        let points = [pos2(gx, y1), pos2(gx - bulge, y1), pos2(gx - bulge, y2), pos2(gx, y2)];
        painter.add(egui::epaint::CubicBezierShape::from_points_stroke(points, false, Color32::TRANSPARENT, stroke));
        painter.circle_filled(pos2(gx, y1), 2.5, color);
        painter.add(egui::Shape::convex_polygon(
            vec![pos2(gx + 2.0, y2), pos2(gx - 4.0, y2 - 3.5), pos2(gx - 4.0, y2 + 3.5)],
            color,
            Stroke::NONE,
        ));
        if highlighted {
            paint_text_arc(painter, cache, text_origin, rel, color, font_height);
        }
    }
}

/// An arc over the text from the top of the source span to the top of the target span, when both
/// are laid out (on screen).
fn paint_text_arc(
    painter: &egui::Painter,
    cache: &DocCache,
    text_origin: Pos2,
    rel: &RelationEnds,
    color: Color32,
    font_height: f32,
) {
    let top_of = |range: &Range<usize>| -> Option<Pos2> {
        let p = layout::paragraph_at(&cache.paragraphs, range.start);
        let galley = cache.galleys.get(&p)?;
        let para = &cache.paragraphs[p];
        let r = galley.range_rects(clip_to(para, range.clone()), font_height).into_iter().next()?;
        Some(pos2(text_origin.x + r.center().x, text_origin.y + cache.heights.top(p) + r.min.y))
    };
    let (Some(a), Some(b)) = (top_of(&rel.from_range), top_of(&rel.to_range)) else { return };
    // Low enough to stay mostly in the gap between rows.
    let rise = (6.0 + (a.x - b.x).abs() * 0.03).min(font_height * 0.6);
    let top = a.y.min(b.y) - rise;
    let points = [a, pos2(a.x, top), pos2(b.x, top), b];
    painter.add(egui::epaint::CubicBezierShape::from_points_stroke(
        points,
        false,
        Color32::TRANSPARENT,
        Stroke::new(1.5, color.gamma_multiply(0.8)),
    ));
    painter.add(egui::Shape::convex_polygon(
        vec![pos2(b.x, b.y + 1.0), pos2(b.x - 3.5, b.y - 5.0), pos2(b.x + 3.5, b.y - 5.0)],
        color,
        Stroke::NONE,
    ));
}

/// The screen position of code point `at`: its left edge and row middle; exact when its
/// paragraph is laid out, the paragraph's first row otherwise.
fn char_anchor(cache: &DocCache, text_origin: Pos2, at: usize, row_height: f32) -> Option<Pos2> {
    if cache.paragraphs.is_empty() {
        return None;
    }
    let p = layout::paragraph_at(&cache.paragraphs, at);
    let top = text_origin.y + cache.heights.top(p);
    match cache.galleys.get(&p) {
        Some(galley) => {
            let local = at.saturating_sub(cache.paragraphs[p].chars.start);
            let r = galley.caret_rect(local);
            Some(pos2(text_origin.x + r.min.x, top + r.center().y))
        }
        None => Some(pos2(text_origin.x, top + row_height * 0.5)),
    }
}

/// Each relation of the document with its spans' places and the source label's colour.
fn relation_ends(doc: &Document, schema: &Schema) -> Vec<RelationEnds> {
    if doc.relations.is_empty() {
        return Vec::new();
    }
    let by_id: HashMap<SpanId, usize> = doc.spans.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    doc.relations
        .iter()
        .filter_map(|r| {
            let a = &doc.spans[*by_id.get(&r.from)?];
            let b = &doc.spans[*by_id.get(&r.to)?];
            let color = schema.label(&a.label).map_or(Color32::GRAY, |l| label_color(l.color));
            Some(RelationEnds {
                id: r.id,
                from: r.from,
                to: r.to,
                from_range: a.start..a.end,
                to_range: b.start..b.end,
                color,
            })
        })
        .collect()
}

fn paint_tags(
    painter: &egui::Painter,
    laid: &LaidOut,
    pos: Pos2,
    para: &Paragraph,
    spans: &[SpanRef],
    input: &ViewInput<'_>,
    font_height: f32,
) {
    let font = FontId::proportional((input.settings.font_size * 0.55).max(8.0));
    for span_ref in spans {
        let Some(span) = input.doc.spans.get(span_ref.index as usize) else { continue };
        if span.end > para.chars.end || span.end <= para.chars.start {
            continue;
        }
        let color = input.schema.label(&span.label).map_or(Color32::GRAY, |l| label_color(l.color));
        // Over the span's visual end: its right edge, or its left edge in right-to-left text.
        let (at, rtl) = laid.end_anchor(span.end - para.chars.start);
        let top =
            at.min.y + (at.height() - font_height) * 0.5 - font.size * 0.5 - f32::from(span_ref.level) * font.size;
        let align = if rtl { egui::Align2::LEFT_TOP } else { egui::Align2::RIGHT_TOP };
        painter.text(pos2(pos.x + at.min.x, pos.y + top), align, &span.label, font.clone(), color);
    }
}

/// What [`paint_suggestion_tags`] needs of a paragraph.
struct SuggestionTags<'a> {
    para: &'a Paragraph,
    /// The paragraph's suggestions.
    refs: &'a [SpanRef],
    /// The paragraph's spans.
    spans: &'a [SpanRef],
    font_height: f32,
}

/// The tags of suggestions that end in this paragraph: "label?" just above the dashed outline at
/// the row's end (one step higher when a span ends at the same place), never over the letters.
fn paint_suggestion_tags(
    painter: &egui::Painter,
    laid: &LaidOut,
    pos: Pos2,
    tags: &SuggestionTags<'_>,
    input: &ViewInput<'_>,
) {
    let SuggestionTags { para, refs, spans, font_height } = *tags;
    let font = FontId::proportional((input.settings.font_size * 0.55).max(8.0));
    for s_ref in refs {
        let Some(suggestion) = input.doc.suggestions.get(s_ref.index as usize) else { continue };
        if suggestion.end > para.chars.end || suggestion.end <= para.chars.start {
            continue;
        }
        let color = input.schema.label(&suggestion.label).map_or(Color32::GRAY, |l| label_color(l.color));
        let (at, rtl) = laid.end_anchor(suggestion.end - para.chars.start);
        let span_ends_here =
            spans.iter().any(|r| input.doc.spans.get(r.index as usize).is_some_and(|s| s.end == suggestion.end));
        let level = f32::from(s_ref.level) + if span_ends_here { 1.0 } else { 0.0 };
        let glyph_top = at.min.y + (at.height() - font_height) * 0.5;
        let bottom = glyph_top - 2.0 - level * font.size;
        painter.text(
            pos2(pos.x + at.min.x, pos.y + bottom),
            if rtl { egui::Align2::LEFT_BOTTOM } else { egui::Align2::RIGHT_BOTTOM },
            suggestion_marks::tag(suggestion),
            font.clone(),
            color,
        );
    }
}

/// The layout of paragraph `p`, made on first use (see [`super::visual_text`]).
fn galley_for(ui: &egui::Ui, cache: &mut DocCache, p: usize, input: &ViewInput<'_>, geo: &Geometry) -> LaidOut {
    if let Some(g) = cache.galleys.get(&p) {
        return g.clone();
    }
    let text = input.doc.text.as_str().get(cache.paragraphs[p].bytes.clone()).unwrap_or("");
    let format = TextFormat {
        font_id: geo.font_id.clone(),
        color: geo.layout_key.text_color,
        line_height: Some(geo.row_height),
        ..Default::default()
    };
    let laid = super::visual_text::lay_out(ui.ctx(), text, &format, geo.width);
    cache.galleys.insert(p, laid.clone());
    laid
}

/// Drops cached galleys when there are too many (after a long scroll).
fn trim_cache(cache: &mut DocCache) {
    if cache.galleys.len() > MAX_GALLEYS {
        cache.galleys.clear();
    }
}

/// The code point under `pos`, clamped into the nearest paragraph.
fn hit_test(cache: &DocCache, text_origin: Pos2, pos: Pos2) -> Option<usize> {
    if cache.paragraphs.is_empty() {
        return None;
    }
    let y = pos.y - text_origin.y;
    let p = cache.heights.index_at(y.max(0.0));
    let para = &cache.paragraphs[p];
    let Some(galley) = cache.galleys.get(&p) else {
        return Some(if y < cache.heights.top(p) + cache.heights.height(p) * 0.5 {
            para.chars.start
        } else {
            para.chars.end
        });
    };
    let local = pos2(pos.x - text_origin.x, y - cache.heights.top(p));
    Some(para.chars.start + galley.hit(local, para.chars.len()))
}

/// The code point whose glyph is under `pos`, or `None` over margins and gaps.
fn hit_test_exact(cache: &DocCache, text_origin: Pos2, pos: Pos2) -> Option<usize> {
    let y = pos.y - text_origin.y;
    if y < 0.0 || pos.x < text_origin.x {
        return None;
    }
    let p = cache.heights.index_at(y);
    let para = &cache.paragraphs[p];
    let galley = cache.galleys.get(&p)?;
    let local = pos2(pos.x - text_origin.x, y - cache.heights.top(p));
    galley.hit_exact(local).map(|at| para.chars.start + at)
}

/// Snaps a dragged range: always to graphemes, and to words when asked. `None` when nothing
/// but whitespace (or nothing at all) is left.
pub fn snap_range(doc: &Document, range: Range<usize>, words: bool) -> Option<Range<usize>> {
    if range.is_empty() {
        return None;
    }
    let snapped = if words { doc.text.snap_to_words(range)? } else { doc.text.snap_to_graphemes(range)? };
    (!snapped.is_empty()).then_some(snapped)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

fn text_origin_y_top(cache: &DocCache, p: usize) -> f32 {
    cache.heights.top(p)
}

/// Bytes of text looked at around a position when moving by a word.
const WORD_WINDOW: usize = 2048;

/// The grapheme boundary after (or before) code point `at`.
fn next_grapheme(text: &Text, at: usize, forward: bool) -> usize {
    use unicode_segmentation::UnicodeSegmentation as _;
    let s = text.as_str();
    let Some(byte) = text.char_to_byte(at) else { return at };
    let grapheme = if forward {
        s.get(byte..).and_then(|after| after.graphemes(true).next())
    } else {
        s.get(..byte).and_then(|before| before.graphemes(true).next_back())
    };
    let n = grapheme.map_or(0, |g| g.chars().count());
    if forward { at + n } else { at - n }
}

/// The end of the next word after `at` (forward), or the start of the word before it.
fn next_word_edge(text: &Text, at: usize, forward: bool) -> usize {
    use unicode_segmentation::UnicodeSegmentation as _;
    let s = text.as_str();
    let Some(byte) = text.char_to_byte(at) else { return at };
    let is_word = |w: &str| w.chars().any(char::is_alphanumeric);
    if forward {
        let window = s.get(byte..ceil_boundary(s, byte + WORD_WINDOW)).unwrap_or_default();
        let end =
            window.split_word_bound_indices().find(|(_, w)| is_word(w)).map_or(window.len(), |(i, w)| i + w.len());
        at + window.get(..end).unwrap_or_default().chars().count()
    } else {
        let lo = floor_boundary(s, byte.saturating_sub(WORD_WINDOW));
        let window = s.get(lo..byte).unwrap_or_default();
        let start = window.split_word_bound_indices().rev().find(|(_, w)| is_word(w)).map_or(0, |(i, _)| i);
        at - window.get(start..).unwrap_or_default().chars().count()
    }
}

/// The shortest suggestion covering code point `at`.
fn innermost_suggestion_at(doc: &Document, at: usize) -> Option<SpanId> {
    doc.suggestions_in(at, at + 1).min_by_key(|s| s.len()).map(|s| s.id)
}

/// The shortest span covering code point `at`.
fn innermost_span_at(doc: &Document, at: usize) -> Option<SpanId> {
    doc.spans_in(at, at + 1).min_by_key(|s| s.len()).map(|s| s.id)
}

/// A range clipped to a paragraph, relative to its start.
fn clip_to(para: &Paragraph, range: Range<usize>) -> Range<usize> {
    let start = range.start.clamp(para.chars.start, para.chars.end) - para.chars.start;
    let end = range.end.clamp(para.chars.start, para.chars.end) - para.chars.start;
    start..end
}

/// The selection's rectangles in a paragraph (galley coordinates); a selection that runs on past
/// the line break shows it with a small tail.
fn selection_rects(
    laid: &LaidOut,
    para: &Paragraph,
    sel: &Range<usize>,
    font_height: f32,
    row_height: f32,
) -> Vec<Rect> {
    if !(sel.start < para.chars.end.max(para.chars.start + 1) && sel.end > para.chars.start) {
        return Vec::new();
    }
    let mut rects = laid.range_rects(clip_to(para, sel.clone()), font_height);
    if sel.end > para.chars.end && rects.is_empty() {
        rects.push(Rect::from_min_size(
            pos2(0.0, (row_height - font_height) * 0.5),
            vec2(font_height * 0.3, font_height),
        ));
    }
    rects
}

/// A label's colour for egui.
pub fn label_color(c: crate::model::Color) -> Color32 {
    let [r, g, b] = c.0;
    Color32::from_rgb(r, g, b)
}

/// At most `max` characters of `s`, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    let one_line: String = s.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(words: &[&str], n: usize) -> Text {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(words[i % words.len()]);
        }
        Text::new(s)
    }

    #[test]
    fn keyboard_moves_by_graphemes_and_words() {
        // "e" + combining acute is one grapheme; the flag is one grapheme of two code points.
        let text = Text::new("Cafe\u{301} 🇫🇷 said: ok".to_owned());
        assert_eq!(next_grapheme(&text, 3, true), 5);
        assert_eq!(next_grapheme(&text, 5, false), 3);
        assert_eq!(next_grapheme(&text, 6, true), 8, "a flag is two code points");
        assert_eq!(next_word_edge(&text, 0, true), 5, "to the end of Café");
        assert_eq!(next_word_edge(&text, 5, true), 13, "past the flag to the end of said");
        assert_eq!(next_word_edge(&text, 13, false), 9);
        assert_eq!(next_word_edge(&text, 9, false), 0);
        assert_eq!(next_word_edge(&text, text.len_chars(), true), text.len_chars());
    }

    #[test]
    fn shift_arrows_extend_from_the_anchor() {
        let doc = Document::new("d", "t", "Amina said no.");
        let mut view = DocumentView { caret: Some(6), ..Default::default() };
        view.extend_selection(&doc, true, false);
        assert_eq!(view.selection, Some(6..7));
        view.extend_selection(&doc, true, true);
        assert_eq!(view.selection, Some(6..10));
        view.extend_selection(&doc, false, false);
        assert_eq!(view.selection, Some(6..9));
        view.extend_selection(&doc, false, true);
        assert_eq!(view.selection, None, "back at the anchor");
        view.extend_selection(&doc, false, true);
        assert_eq!(view.selection, Some(0..6), "then past it, backwards");
    }

    #[test]
    fn snapping_far_into_non_ascii_text_does_not_panic() {
        let text = sample(&["Müller ", "😀 ", "کراچی ", "said.\n"], 3000);
        let n = text.len_chars();
        let mid = n / 2;
        let snapped = text.snap_to_words(mid + 1..mid + 3).expect("a word");
        let word = text.slice(snapped.clone()).expect("slice");
        assert!(["Müller", "😀", "کراچی", "said"].contains(&word), "{word:?}");
        let wide = text.snap_to_words(2..n - 2).expect("words");
        assert_eq!(wide.start, 0, "Müller is taken whole");
        assert!(text.slice(wide).expect("slice").ends_with("said"));
        assert!(text.word_at(mid).is_some());
    }
}
