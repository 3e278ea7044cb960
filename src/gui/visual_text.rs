//! A paragraph laid out for reading, and the exact map between its code points and the screen.
//!
//! What egui 0.37 does with right-to-left text (read in `epaint::text::text_layout`): it splits a
//! paragraph into runs of one font face and shapes each run with harfrust, letting the shaper guess
//! the direction from the run's script. An Arabic-script run is therefore joined correctly and its
//! glyphs come out in visual (right-to-left) order, but egui never reorders runs (no bidi), places
//! them left to right in logical order, and, for a reversed run, pads the glyph list with zero-width
//! "continuation" glyphs at the wrong place: after such a run a row has more glyphs than code
//! points, so `Galley::pos_from_cursor`, `cursor_from_pos` and every "glyph i is code point i"
//! shortcut drift further with every Urdu word.
//!
//! So a paragraph that holds right-to-left text is laid out here instead:
//! 1. the Unicode Bidirectional Algorithm (`unicode-bidi`) gives each code point its level;
//! 2. the text is cut into atoms: word-boundary pieces (UAX #29) of one level;
//! 3. each atom is shaped alone by egui (it is one run, so joining and mirroring are egui's), and
//!    its glyphs give the place of each of its graphemes;
//! 4. atoms are broken into lines, each line reordered visually (rule L2), and one galley is laid
//!    out with one section per atom in visual order, right-aligned for a right-to-left paragraph.
//!
//! [`LaidOut`] then answers every question of the view from that one map: rectangles of a code
//! point range (several per row when the range crosses a direction change), the code point under a
//! point, the caret place of a code point. Paragraphs without right-to-left text (and whose glyphs
//! are one per code point, as egui guarantees for them) keep egui's galley as it is, with no map:
//! left-to-right text costs what it always cost.

#![allow(
    clippy::indexing_slicing,
    reason = "indices run over vectors built here for one paragraph: one slot per grapheme, atom or measured atom, with the bounds checked by the loops"
)]

use std::ops::Range;
use std::sync::Arc;

use egui::text::{ByteIndex, CCursor, CharIndex, LayoutJob, LayoutSection, TextFormat};
use egui::{Galley, Pos2, Rect, pos2};
use unicode_bidi::{BidiClass, ParagraphBidiInfo, bidi_class};
use unicode_segmentation::UnicodeSegmentation as _;

/// A laid-out paragraph: the galley to paint and, when egui's own cursor maths cannot be trusted
/// (right-to-left text), the map from code points to places.
#[derive(Clone)]
pub struct LaidOut {
    /// What is painted.
    pub galley: Arc<Galley>,
    map: Option<Arc<VisualMap>>,
}

/// One grapheme (or a part of a ligature) on screen: its code points, relative to the paragraph,
/// and its horizontal extent in galley coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CharBox {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Right-to-left: its logical start is its right edge.
    pub rtl: bool,
}

impl CharBox {
    /// Where the caret before code point `start` goes.
    fn leading_x(&self) -> f32 {
        if self.rtl { self.x1 } else { self.x0 }
    }

    /// Where the caret after code point `end - 1` goes.
    fn trailing_x(&self) -> f32 {
        if self.rtl { self.x0 } else { self.x1 }
    }
}

/// One row of a mapped paragraph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VisualRow {
    /// Top and bottom, in galley coordinates.
    pub y: (f32, f32),
    /// The code points of the row (a line is always a contiguous logical range).
    pub chars: Range<usize>,
    /// Its graphemes in visual order, left to right.
    pub boxes: Vec<CharBox>,
}

/// The code point ↔ place map of a paragraph laid out by [`lay_out`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VisualMap {
    /// Rows, top to bottom.
    pub rows: Vec<VisualRow>,
    /// The paragraph's base direction is right to left.
    pub rtl: bool,
}

impl VisualMap {
    /// Rectangles covering code points `range` (paragraph-relative), `font_height` tall and
    /// centred in their row: one per visually contiguous piece, so a range that crosses a change of
    /// direction gives several on one row.
    pub fn range_rects(&self, range: &Range<usize>, font_height: f32) -> Vec<Rect> {
        let mut out = Vec::new();
        if range.is_empty() {
            return out;
        }
        for row in &self.rows {
            if row.chars.end <= range.start || row.chars.start >= range.end {
                continue;
            }
            let top = row.y.0 + ((row.y.1 - row.y.0) - font_height) * 0.5;
            let mut open: Option<(f32, f32)> = None;
            for b in &row.boxes {
                let covered = b.start < range.end && b.end > range.start;
                match (covered, open) {
                    (true, Some((x0, _))) => open = Some((x0, b.x1)),
                    (true, None) => open = Some((b.x0, b.x1)),
                    (false, Some((x0, x1))) => {
                        push_rect(&mut out, x0, x1, top, font_height);
                        open = None;
                    }
                    (false, None) => {}
                }
            }
            if let Some((x0, x1)) = open {
                push_rect(&mut out, x0, x1, top, font_height);
            }
        }
        out
    }

    /// The row at height `y`: the one containing it, else the nearest.
    fn row_at(&self, y: f32) -> Option<&VisualRow> {
        self.rows.iter().find(|r| y < r.y.1).or(self.rows.last())
    }

    /// The caret position (code point boundary) nearest to `pos`: inside a grapheme, the half
    /// nearer its logical start gives its start, the other half its end.
    pub fn hit(&self, pos: Pos2) -> usize {
        let Some(row) = self.row_at(pos.y) else { return 0 };
        let (Some(first), Some(last)) = (row.boxes.first(), row.boxes.last()) else { return row.chars.start };
        let b = row.boxes.iter().find(|b| pos.x < b.x1).unwrap_or(last);
        let b = if pos.x < first.x0 { first } else { b };
        let mid = (b.x0 + b.x1) * 0.5;
        let in_leading_half = if b.rtl { pos.x >= mid } else { pos.x < mid };
        if in_leading_half { b.start } else { b.end }
    }

    /// The code point whose grapheme is under `pos`, if any.
    pub fn hit_exact(&self, pos: Pos2) -> Option<usize> {
        let row = self.rows.iter().find(|r| r.y.0 <= pos.y && pos.y < r.y.1)?;
        row.boxes.iter().find(|b| b.x0 <= pos.x && pos.x < b.x1).map(|b| b.start)
    }

    /// The grapheme box holding code point `at`, with its row.
    fn box_of(&self, at: usize) -> Option<(&VisualRow, &CharBox)> {
        let row = self.rows.iter().find(|r| r.chars.start <= at && at < r.chars.end)?;
        row.boxes.iter().find(|b| b.start <= at && at < b.end).map(|b| (row, b))
    }

    /// A zero-width rectangle, as tall as the row, where the caret before code point `at` goes
    /// (after the last one for the paragraph's end).
    pub fn caret_rect(&self, at: usize) -> Option<Rect> {
        if let Some((row, b)) = self.box_of(at) {
            let x = b.leading_x();
            return Some(Rect::from_min_max(pos2(x, row.y.0), pos2(x, row.y.1)));
        }
        let row = self.rows.iter().rev().find(|r| r.chars.start <= at)?;
        let b = row.boxes.iter().find(|b| b.end == at).or(row.boxes.last());
        let x = b.map_or(if self.rtl { f32::MAX } else { 0.0 }, CharBox::trailing_x);
        Some(Rect::from_min_max(pos2(x, row.y.0), pos2(x, row.y.1)))
    }

    /// Where a tag for a range ending at `end` goes: the visual end of its last grapheme (a
    /// zero-width, row-tall rectangle) and whether that end is its left side (right to left).
    pub fn end_anchor(&self, end: usize) -> Option<(Rect, bool)> {
        let (row, b) = self.box_of(end.checked_sub(1)?)?;
        let x = b.trailing_x();
        Some((Rect::from_min_max(pos2(x, row.y.0), pos2(x, row.y.1)), b.rtl))
    }

    /// A point inside code point `at`'s grapheme, near its logical start: pressing there puts the
    /// caret before `at`.
    pub fn point_in(&self, at: usize) -> Option<Pos2> {
        let (row, b) = self.box_of(at)?;
        let inset = ((b.x1 - b.x0) * 0.25).min(1.0);
        let x = if b.rtl { b.x1 - inset } else { b.x0 + inset };
        Some(pos2(x, (row.y.0 + row.y.1) * 0.5))
    }
}

fn push_rect(out: &mut Vec<Rect>, x0: f32, x1: f32, top: f32, h: f32) {
    if x1 > x0 {
        out.push(Rect::from_min_max(pos2(x0, top), pos2(x1, top + h)));
    }
}

impl LaidOut {
    /// A galley laid out by egui alone (left-to-right text, one glyph per code point).
    pub fn plain(galley: Arc<Galley>) -> Self {
        Self { galley, map: None }
    }

    /// The code point ↔ place map, when the paragraph needed one.
    #[cfg(test)]
    pub fn map(&self) -> Option<&VisualMap> {
        self.map.as_deref()
    }

    /// See [`VisualMap::range_rects`]; for egui's own layout, one rectangle per row.
    pub fn range_rects(&self, range: Range<usize>, font_height: f32) -> Vec<Rect> {
        match &self.map {
            Some(map) => map.range_rects(&range, font_height),
            None => galley_range_rects(&self.galley, range, font_height),
        }
    }

    /// See [`VisualMap::hit`] (`pos` in galley coordinates); at most `len`.
    pub fn hit(&self, pos: Pos2, len: usize) -> usize {
        match &self.map {
            Some(map) => map.hit(pos).min(len),
            None => self.galley.cursor_from_pos(pos.to_vec2()).index.0.min(len),
        }
    }

    /// See [`VisualMap::hit_exact`].
    pub fn hit_exact(&self, pos: Pos2) -> Option<usize> {
        if !self.galley.rect.expand(1.0).contains(pos) {
            return None;
        }
        if let Some(map) = &self.map {
            return map.hit_exact(pos);
        }
        let mut index = 0usize;
        for row in &self.galley.rows {
            let n = row.char_count_including_newline().0;
            if pos.y >= row.min_y() && pos.y < row.max_y() {
                let x = pos.x - row.pos.x;
                let col = row.glyphs.iter().position(|g| x >= g.pos.x && x < g.pos.x + g.advance_width)?;
                return Some(index + col);
            }
            index += n;
        }
        None
    }

    /// See [`VisualMap::caret_rect`].
    pub fn caret_rect(&self, at: usize) -> Rect {
        match self.map.as_ref().and_then(|m| m.caret_rect(at)) {
            Some(r) => r,
            None => self.galley.pos_from_cursor(CCursor::new(at)),
        }
    }

    /// See [`VisualMap::end_anchor`]; egui's layout is always left to right.
    pub fn end_anchor(&self, end: usize) -> (Rect, bool) {
        match &self.map {
            Some(map) => map.end_anchor(end).unwrap_or_else(|| (self.caret_rect(end), map.rtl)),
            None => (self.galley.pos_from_cursor(CCursor::new(end)), false),
        }
    }

    /// Whether code point `at` is drawn right to left.
    pub fn rtl_at(&self, at: usize) -> bool {
        self.map.as_ref().and_then(|m| m.box_of(at)).is_some_and(|(_, b)| b.rtl)
    }

    /// See [`VisualMap::point_in`].
    pub fn point_in(&self, at: usize) -> Pos2 {
        match self.map.as_ref().and_then(|m| m.point_in(at)) {
            Some(p) => p,
            None => {
                let r = self.galley.pos_from_cursor(CCursor::new(at));
                pos2(r.min.x + 1.0, r.center().y)
            }
        }
    }
}

/// Rectangles covering chars `range` of a galley laid out by egui (one glyph per code point), one
/// per row, each as tall as the font (not the whole, spaced row).
fn galley_range_rects(galley: &Galley, range: Range<usize>, font_height: f32) -> Vec<Rect> {
    let mut out = Vec::new();
    if range.is_empty() {
        return out;
    }
    let mut row_start = 0usize;
    for row in &galley.rows {
        let n = row.glyphs.len();
        let row_end = row_start + n;
        if range.start < row_end.max(row_start + 1) && range.end > row_start {
            let a = range.start.max(row_start) - row_start;
            let b = range.end.min(row_end) - row_start;
            let x0 = row.pos.x + row.x_offset(CharIndex(a));
            let x1 = row.pos.x + row.x_offset(CharIndex(b));
            if x1 > x0 {
                let top = row.min_y() + (row.height() - font_height) * 0.5;
                out.push(Rect::from_min_max(pos2(x0, top), pos2(x1, top + font_height)));
            }
        }
        row_start += row.char_count_including_newline().0;
        if row_start >= range.end {
            break;
        }
    }
    out
}

/// True when `text` has right-to-left characters (or controls that may make some), so that egui's
/// left-to-right layout would misplace it.
pub fn needs_bidi(text: &str) -> bool {
    text.chars().any(|c| {
        c >= '\u{590}'
            && matches!(
                bidi_class(c),
                BidiClass::R
                    | BidiClass::AL
                    | BidiClass::AN
                    | BidiClass::RLE
                    | BidiClass::RLO
                    | BidiClass::RLI
                    | BidiClass::FSI
            )
    })
}

/// Lays out paragraph `text` (no `\n`) in `format`, wrapped at `width`: egui's layout for plain
/// left-to-right text, the bidi layout of this module otherwise.
pub fn lay_out(ctx: &egui::Context, text: &str, format: &TextFormat, width: f32) -> LaidOut {
    if !needs_bidi(text) {
        let mut job = LayoutJob::single_section(text.to_owned(), format.clone());
        job.wrap.max_width = width;
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        // egui keeps one glyph per code point for left-to-right runs; if a font broke that
        // (a cluster with more glyphs than code points), the map below is exact where it is not.
        let glyphs: usize = galley.rows.iter().map(|r| r.glyphs.len()).sum();
        if glyphs == text.chars().count() {
            return LaidOut::plain(galley);
        }
    }
    let (galley, map) = lay_out_mapped(ctx, text, format, width);
    LaidOut { galley, map: Some(Arc::new(map)) }
}

/// An atom: a word-boundary piece of one bidi level, shaped alone.
#[derive(Clone, Debug, PartialEq)]
struct Atom {
    bytes: Range<usize>,
    chars: Range<usize>,
    level: u8,
    rtl: bool,
    space: bool,
}

/// Cuts `text` into atoms: UAX #29 word-boundary pieces, cut again where the level changes.
fn atoms(text: &str, levels: &[unicode_bidi::Level]) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    let mut chars = 0usize;
    for (start, piece) in text.split_word_bound_indices() {
        let mut cur: Option<Atom> = None;
        for (i, c) in piece.char_indices() {
            let b = start + i;
            let level = levels.get(b).map_or(0, |l| l.number());
            let rtl = level % 2 == 1;
            match cur.as_mut() {
                Some(a) if a.level == level => {
                    a.bytes.end = b + c.len_utf8();
                    a.chars.end += 1;
                    a.space &= c.is_whitespace();
                }
                _ => {
                    out.extend(cur.take());
                    cur = Some(Atom {
                        bytes: b..b + c.len_utf8(),
                        chars: chars..chars + 1,
                        level,
                        rtl,
                        space: c.is_whitespace(),
                    });
                }
            }
            chars += 1;
        }
        out.extend(cur);
    }
    out
}

/// Whether harfrust shapes `s` right to left: it guesses from the first character of a specific
/// script (not Common, not Inherited), which for the scripts written right to left is a letter of
/// class R or AL, or a digit of the Arabic blocks.
fn shaper_reverses(s: &str) -> bool {
    for c in s.chars() {
        match bidi_class(c) {
            BidiClass::L => return false,
            BidiClass::R | BidiClass::AL => return true,
            BidiClass::EN | BidiClass::AN if is_rtl_block(c) => return true,
            _ => {}
        }
    }
    false
}

fn is_rtl_block(c: char) -> bool {
    matches!(c, '\u{590}'..='\u{8FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
}

/// The mirrored form of a paired punctuation mark, for one drawn right to left by us (the shaper
/// mirrors those it shapes right to left itself).
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => c,
    }
}

/// The text egui is given for an atom, such that the shaped result reads in the atom's direction,
/// and whether its graphemes are in reverse order of the model's.
fn display_text(text: &str, rtl: bool) -> (String, bool) {
    if shaper_reverses(text) == rtl {
        return (text.to_owned(), false);
    }
    // Shaped the other way (digits of the Arabic blocks between left-to-right text, or neutral
    // marks inside right-to-left text): give the shaper the graphemes in visual order.
    let mut out: String = text.graphemes(true).rev().collect();
    if rtl {
        out = out.chars().map(mirrored).collect();
    }
    (out, true)
}

/// One shaped glyph, as far as the map needs it: the first code point of its cluster, its left
/// edge and its advance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShapedGlyph {
    /// First character of the glyph's cluster.
    pub chr: char,
    /// Left edge, relative to the atom's start.
    pub x: f32,
    /// Advance width.
    pub advance: f32,
}

/// The horizontal extent of each grapheme of `graphemes` (first characters, in order) given its
/// glyphs in visual order, left to right, `reversed` when the shaper laid them out right to left.
/// Glyphs carry the first character of their cluster: each positive-width glyph goes to the next
/// grapheme starting with that character (zero-width ones, marks and egui's padding, are
/// skipped); graphemes a ligature swallowed share its glyphs' extent evenly. Never fails: when
/// the glyphs do not match, the atom's width is shared evenly.
pub fn grapheme_extents(graphemes: &[char], glyphs: &[ShapedGlyph], reversed: bool, width: f32) -> Vec<(f32, f32)> {
    let n = graphemes.len();
    let mut ext: Vec<Option<(f32, f32)>> = vec![None; n];
    let mut k = 0usize;
    let mut matched = true;
    let ordered: Vec<ShapedGlyph> = if reversed { glyphs.iter().rev().copied().collect() } else { glyphs.to_vec() };
    for g in ordered.iter().filter(|g| g.advance > 0.0) {
        let next = (k + usize::from(ext.get(k).is_some_and(Option::is_some))..n).find(|&j| graphemes[j] == g.chr);
        let j = match next {
            Some(j) => j,
            None if graphemes.get(k) == Some(&g.chr) => k,
            None => {
                matched = false;
                break;
            }
        };
        k = j;
        let (a, b) = (g.x, g.x + g.advance);
        ext[j] = Some(ext[j].map_or((a, b), |(x0, x1)| (x0.min(a), x1.max(b))));
    }
    if !matched || n == 0 || ext.iter().all(Option::is_none) {
        let w = width / n.max(1) as f32;
        return (0..n)
            .map(|i| {
                let i = if reversed { n - 1 - i } else { i };
                (i as f32 * w, (i + 1) as f32 * w)
            })
            .collect();
    }
    // Graphemes with no glyph of their own share the extent of the cluster they joined (the one
    // before, or the first one after for leading ones).
    let mut out = vec![(0.0, 0.0); n];
    let mut i = 0usize;
    while i < n {
        let owner = if ext[i].is_some() { i } else { (i..n).find(|&j| ext[j].is_some()).unwrap_or(i) };
        let mut end = owner + 1;
        while end < n && ext[end].is_none() {
            end += 1;
        }
        let (x0, x1) = ext[owner].unwrap_or((0.0, 0.0));
        let count = (end - i) as f32;
        let w = (x1 - x0) / count;
        for (m, slot) in out[i..end].iter_mut().enumerate() {
            let m = m as f32;
            *slot = if reversed { (x1 - (m + 1.0) * w, x1 - m * w) } else { (x0 + m * w, x0 + (m + 1.0) * w) };
        }
        i = end;
    }
    out
}

/// A measured atom: its width and its graphemes' boxes relative to its left edge.
struct Measured {
    display: String,
    width: f32,
    /// (code points relative to the paragraph, x0, x1), in logical order.
    boxes: Vec<(Range<usize>, f32, f32)>,
}

fn measure(ctx: &egui::Context, text: &str, atom: &Atom, format: &TextFormat) -> Measured {
    let source = text.get(atom.bytes.clone()).unwrap_or("");
    let (display, flipped) = display_text(source, atom.rtl);
    let job = LayoutJob::single_section(display.clone(), format.clone());
    let galley = ctx.fonts_mut(|f| f.layout_job(job));
    // Places from the sum of the advances (the shaper's unrounded pen), not from the glyphs'
    // pixel-snapped positions, so that neighbouring graphemes meet exactly.
    let mut pen = 0.0f32;
    let glyphs: Vec<ShapedGlyph> = galley
        .rows
        .iter()
        .flat_map(|r| r.glyphs.iter())
        .map(|g| {
            let x = pen;
            pen += g.advance_width;
            ShapedGlyph { chr: g.chr, x, advance: g.advance_width }
        })
        .collect();
    let width: f32 = glyphs.iter().map(|g| g.advance).sum();
    let display_graphemes: Vec<&str> = display.graphemes(true).collect();
    let firsts: Vec<char> = display_graphemes.iter().filter_map(|g| g.chars().next()).collect();
    let reversed = shaper_reverses(&display);
    let mut ext = grapheme_extents(&firsts, &glyphs, reversed, width);
    if flipped {
        ext.reverse();
    }
    // The model's graphemes, in logical order, with their code points.
    let mut boxes = Vec::with_capacity(ext.len());
    let mut at = atom.chars.start;
    for (g, (x0, x1)) in source.graphemes(true).zip(ext) {
        let n = g.chars().count();
        boxes.push((at..at + n, x0, x1));
        at += n;
    }
    Measured { display, width, boxes }
}

/// Breaks atoms into lines no wider than `width` where possible: after spaces, or anywhere in a
/// line with no space. Returns atom index ranges.
fn break_lines(atoms: &[Atom], widths: &[f32], width: f32) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0usize;
    let mut used = 0.0f32;
    let mut has_space = false;
    for (i, (atom, w)) in atoms.iter().zip(widths).enumerate() {
        if i > start && !atom.space && used + w > width && (atoms[i - 1].space || !has_space) {
            lines.push(start..i);
            start = i;
            used = 0.0;
            has_space = false;
        }
        used += w;
        has_space |= atom.space;
    }
    if start < atoms.len() || lines.is_empty() {
        lines.push(start..atoms.len());
    }
    lines
}

fn lay_out_mapped(ctx: &egui::Context, text: &str, format: &TextFormat, width: f32) -> (Arc<Galley>, VisualMap) {
    let info = ParagraphBidiInfo::new(text, None);
    let base_rtl = info.paragraph_level.is_rtl();
    let atoms = atoms(text, &info.levels);
    let measured: Vec<Measured> = atoms.iter().map(|a| measure(ctx, text, a, format)).collect();
    let widths: Vec<f32> = measured.iter().map(|m| m.width).collect();
    let lines = break_lines(&atoms, &widths, width);

    let mut job = LayoutJob { wrap: egui::text::TextWrapping::no_max_width(), ..Default::default() };
    let mut rows = Vec::with_capacity(lines.len());
    for (li, line) in lines.iter().enumerate() {
        let order = visual_order(&info, &atoms, line.clone());
        let total: f32 = line.clone().map(|i| widths[i]).sum();
        let lead = if base_rtl { (width - total).max(0.0) } else { 0.0 };
        let mut x = lead;
        let mut boxes = Vec::new();
        for (n, &i) in order.iter().enumerate() {
            let m = &measured[i];
            let mut piece = m.display.clone();
            if n + 1 == order.len() && li + 1 < lines.len() {
                piece.push('\n');
            }
            let start = job.text.len();
            job.text.push_str(&piece);
            job.sections.push(LayoutSection {
                leading_space: if n == 0 { lead } else { 0.0 },
                byte_range: ByteIndex(start)..ByteIndex(job.text.len()),
                format: format.clone(),
            });
            let mut atom_boxes: Vec<CharBox> = m
                .boxes
                .iter()
                .map(|(r, x0, x1)| CharBox { start: r.start, end: r.end, x0: x + x0, x1: x + x1, rtl: atoms[i].rtl })
                .collect();
            atom_boxes.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            boxes.extend(atom_boxes);
            x += m.width;
        }
        let chars = atoms.get(line.start).map_or(0, |a| a.chars.start)
            ..line.end.checked_sub(1).and_then(|i| atoms.get(i)).map_or(0, |a| a.chars.end);
        rows.push(VisualRow { y: (0.0, 0.0), chars, boxes });
    }
    if job.sections.is_empty() {
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range: ByteIndex(0)..ByteIndex(0),
            format: format.clone(),
        });
    }
    let galley = ctx.fonts_mut(|f| f.layout_job(job));
    for (row, placed) in rows.iter_mut().zip(&galley.rows) {
        row.y = (placed.min_y(), placed.max_y());
    }
    (galley, VisualMap { rows, rtl: base_rtl })
}

/// The atoms of `line` in visual order, left to right (rules L1 and L2, from `unicode-bidi`).
fn visual_order(info: &ParagraphBidiInfo<'_>, atoms: &[Atom], line: Range<usize>) -> Vec<usize> {
    let (Some(first), Some(last)) = (atoms.get(line.start), line.end.checked_sub(1).and_then(|i| atoms.get(i))) else {
        return Vec::new();
    };
    let bytes = first.bytes.start..last.bytes.end;
    let (levels, runs) = info.visual_runs(bytes);
    let mut out = Vec::with_capacity(line.len());
    for run in runs {
        let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
        let inside: Vec<usize> =
            line.clone().filter(|&i| atoms[i].bytes.start >= run.start && atoms[i].bytes.end <= run.end).collect();
        if rtl {
            out.extend(inside.into_iter().rev());
        } else {
            out.extend(inside);
        }
    }
    // An atom a run boundary cut (cannot happen: atoms have one level, and L1 only resets
    // whitespace, which is its own atom) would be lost: keep every atom whatever happens.
    if out.len() != line.len() {
        return line.collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::FontId;

    const SIZE: f32 = 20.0;

    /// A context with the app's bundled fonts (no system fonts: the same on every machine).
    fn ctx() -> egui::Context {
        let ctx = egui::Context::default();
        ctx.set_fonts(super::super::fonts::definitions(false));
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        ctx
    }

    fn format() -> TextFormat {
        TextFormat { font_id: FontId::proportional(SIZE), line_height: Some(32.0), ..Default::default() }
    }

    /// egui's width of `s` laid out alone: an independent measure of where words must go.
    fn width_alone(ctx: &egui::Context, s: &str) -> f32 {
        let g = ctx.fonts_mut(|f| f.layout_job(LayoutJob::single_section(s.to_owned(), format())));
        g.rows.iter().flat_map(|r| r.glyphs.iter()).map(|g| g.advance_width).sum()
    }

    /// Code point range of `needle` in `text`.
    fn find(text: &str, needle: &str) -> Range<usize> {
        let byte = text.find(needle).expect("needle");
        let start = text[..byte].chars().count();
        start..start + needle.chars().count()
    }

    /// The one rectangle of `range` (it must be visually contiguous).
    fn rect(laid: &LaidOut, range: Range<usize>) -> Rect {
        let rects = laid.range_rects(range.clone(), SIZE);
        assert_eq!(rects.len(), 1, "{range:?}: {rects:?}");
        rects[0]
    }

    /// Every code point is in exactly one box, rows cover the text in order, boxes do not overlap.
    fn assert_partition(text: &str, laid: &LaidOut) {
        let map = laid.map().expect("a mapped layout");
        let n = text.chars().count();
        let mut seen = vec![0u8; n];
        let mut next = 0usize;
        for row in &map.rows {
            assert_eq!(row.chars.start, next, "rows are contiguous");
            next = row.chars.end;
            for w in row.boxes.windows(2) {
                assert!(w[0].x1 <= w[1].x0 + 0.5, "boxes overlap: {w:?}");
            }
            for b in &row.boxes {
                assert!(b.start < b.end && b.x0 <= b.x1, "{b:?}");
                for count in &mut seen[b.start..b.end] {
                    *count += 1;
                }
            }
        }
        assert_eq!(next, n, "rows reach the end");
        assert!(seen.iter().all(|&s| s == 1), "every code point once: {seen:?}");
    }

    #[test]
    fn egui_alone_gives_more_glyphs_than_code_points_after_an_urdu_word() {
        // The finding this module exists for: if egui ever keeps one glyph per code point for
        // right-to-left runs, this fails, and its own cursor maths may be worth a new look.
        let ctx = ctx();
        let text = "کراچی میں";
        let g = ctx.fonts_mut(|f| f.layout_job(LayoutJob::single_section(text.to_owned(), format())));
        let glyphs: usize = g.rows.iter().map(|r| r.glyphs.len()).sum();
        assert_ne!(glyphs, text.chars().count());
    }

    #[test]
    fn an_urdu_line_reads_from_the_right_edge_word_by_word() {
        let ctx = ctx();
        let text = "کراچی میں ہڑتال";
        let laid = lay_out(&ctx, text, &format(), 600.0);
        assert_partition(text, &laid);
        let (w1, w2, w3, space) =
            (width_alone(&ctx, "کراچی"), width_alone(&ctx, "میں"), width_alone(&ctx, "ہڑتال"), width_alone(&ctx, " "));
        let first = rect(&laid, find(text, "کراچی"));
        let second = rect(&laid, find(text, "میں"));
        let third = rect(&laid, find(text, "ہڑتال"));
        assert!((first.max.x - 600.0).abs() < 1.0, "right-aligned: {first:?}");
        assert!((first.width() - w1).abs() < 1.0);
        assert!((second.max.x - (600.0 - w1 - space)).abs() < 1.0, "{second:?}");
        assert!((second.width() - w2).abs() < 1.0);
        assert!((third.max.x - (600.0 - w1 - w2 - 2.0 * space)).abs() < 1.0, "{third:?}");
        assert!((third.width() - w3).abs() < 1.0);
        // A range over two words is one piece; the two words' range without the space still is.
        assert_eq!(laid.range_rects(0..9, SIZE).len(), 1);
        // Hit-testing: just inside a word's right edge is its start, inside its left edge its end.
        let y = first.center().y;
        assert_eq!(laid.hit(pos2(second.max.x - 1.0, y), text.chars().count()), 6);
        assert_eq!(laid.hit(pos2(second.min.x + 1.0, y), text.chars().count()), 9);
        assert_eq!(laid.hit(pos2(599.0, y), 15), 0);
        assert_eq!(laid.hit(pos2(-50.0, y), 15), 15);
        let inside = laid.hit_exact(second.center()).expect("a code point");
        assert!((6..9).contains(&inside), "{inside}");
        assert_eq!(laid.hit_exact(pos2(first.min.x - space * 0.5, y)), Some(5), "the space between");
        // The caret before the second word is at its right edge; tags go at a word's left end.
        assert!((laid.caret_rect(6).min.x - second.max.x).abs() < 0.5);
        let (anchor, rtl) = laid.end_anchor(9);
        assert!(rtl && (anchor.min.x - second.min.x).abs() < 0.5);
        let p = laid.point_in(6);
        assert_eq!(laid.hit(p, 15), 6);
    }

    #[test]
    fn an_urdu_name_in_an_english_sentence_reads_right_to_left_in_place() {
        let ctx = ctx();
        let text = "The leader Ahmed Raza (احمد رضا) spoke.";
        let laid = lay_out(&ctx, text, &format(), 2000.0);
        assert_partition(text, &laid);
        let the = rect(&laid, find(text, "The"));
        assert!(the.min.x.abs() < 0.5, "left-aligned: {the:?}");
        let open = rect(&laid, find(text, "("));
        let close = rect(&laid, find(text, ")"));
        let ahmed = rect(&laid, find(text, "احمد"));
        let raza = rect(&laid, find(text, "رضا"));
        assert!(open.max.x <= raza.min.x + 0.5 && raza.max.x <= ahmed.min.x + 0.5 && ahmed.max.x <= close.min.x + 0.5);
        assert!((ahmed.min.x - (open.max.x + width_alone(&ctx, "رضا") + width_alone(&ctx, " "))).abs() < 1.0);
        // The whole name is one piece; the name with the parenthesis before it is one too.
        assert_eq!(laid.range_rects(find(text, "احمد رضا"), SIZE).len(), 1);
        // "leader Ahmed Raza (احمد" is the English part plus احمد, which sits at the far end of the
        // Urdu run: two pieces on the row.
        assert_eq!(laid.range_rects(find(text, "leader Ahmed Raza (احمد"), SIZE).len(), 2);
        // The English after the name is placed after the closing parenthesis.
        assert!(rect(&laid, find(text, "spoke")).min.x > close.max.x);
    }

    #[test]
    fn digits_and_a_latin_word_in_an_urdu_sentence_keep_their_own_direction() {
        let ctx = ctx();
        let text = "سال 2024 میں Karachi گئے";
        let laid = lay_out(&ctx, text, &format(), 2000.0);
        assert_partition(text, &laid);
        let sal = rect(&laid, find(text, "سال"));
        let year = rect(&laid, find(text, "2024"));
        let mein = rect(&laid, find(text, "میں"));
        let karachi = rect(&laid, find(text, "Karachi"));
        let gaye = rect(&laid, find(text, "گئے"));
        // Right to left: سال, 2024, میں, Karachi, گئے.
        assert!(sal.min.x >= year.max.x - 0.5);
        assert!(year.min.x >= mein.max.x - 0.5);
        assert!(mein.min.x >= karachi.max.x - 0.5);
        assert!(karachi.min.x >= gaye.max.x - 0.5);
        // Inside the number and the Latin word, code points go left to right.
        let two = rect(&laid, find(text, "2024").start..find(text, "2024").start + 1);
        assert!((two.min.x - year.min.x).abs() < 0.5, "the 2 is at the left of 2024");
        let k = find(text, "Karachi").start;
        assert!((rect(&laid, k..k + 1).min.x - karachi.min.x).abs() < 0.5);
        let y = year.center().y;
        assert_eq!(laid.hit(pos2(year.min.x + 1.0, y), 24), find(text, "2024").start);
        assert_eq!(laid.hit(pos2(karachi.max.x - 1.0, y), 24), find(text, "Karachi").end);
    }

    #[test]
    fn urdu_digits_are_shaped_left_to_right() {
        let ctx = ctx();
        let text = "سال ۲۰۲۴ میں";
        let laid = lay_out(&ctx, text, &format(), 2000.0);
        assert_partition(text, &laid);
        let year = find(text, "۲۰۲۴");
        let first = rect(&laid, year.start..year.start + 1);
        let last = rect(&laid, year.end - 1..year.end);
        assert!(first.max.x <= last.min.x + 0.5, "۲ left of ۴: {first:?} {last:?}");
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        let ctx = ctx();
        // Arabic with harakat (each letter and its marks one grapheme), then Latin with a
        // combining accent.
        let text = "بِسْمِ اللّٰہ";
        let laid = lay_out(&ctx, text, &format(), 2000.0);
        assert_partition(text, &laid);
        let map = laid.map().expect("mapped");
        for b in &map.rows[0].boxes {
            let g: String = text.chars().skip(b.start).take(b.end - b.start).collect();
            assert_eq!(g.graphemes(true).count(), 1, "a box is one grapheme: {g:?}");
        }
        let word = rect(&laid, find(text, "بِسْمِ"));
        assert!((word.width() - width_alone(&ctx, "بِسْمِ")).abs() < 1.0);
        // The first grapheme (ب and its kasra) is the rightmost of the word.
        let ba = rect(&laid, 0..2);
        assert!((ba.max.x - word.max.x).abs() < 0.5 && ba.width() > 1.0);

        let latin = "Cafe\u{301} ok";
        let laid = lay_out(&ctx, latin, &format(), 2000.0);
        let e = laid.range_rects(3..5, SIZE);
        assert_eq!(e.len(), 1);
        let at = laid.hit_exact(e[0].center()).expect("on the e");
        assert!((3..5).contains(&at));
    }

    #[test]
    fn a_long_urdu_paragraph_wraps_into_right_aligned_rows() {
        let ctx = ctx();
        let text = "کراچی میں بندرگاہ کے مزدوروں کی ہڑتال جاری ہے اور یونین کے رہنما احمد رضا نے کہا";
        let laid = lay_out(&ctx, text, &format(), 200.0);
        assert_partition(text, &laid);
        let map = laid.map().expect("mapped");
        assert!(map.rows.len() >= 3, "{}", map.rows.len());
        for row in &map.rows {
            let right = row.boxes.iter().filter(|b| !text.chars().nth(b.start).is_some_and(char::is_whitespace));
            let max = right.map(|b| b.x1).fold(f32::MIN, f32::max);
            assert!(max <= 200.5, "inside the column: {max}");
        }
        // A range across a row break gives one piece per row.
        let range = find(text, "کی ہڑتال جاری ہے اور یونین");
        let rows_touched = map.rows.iter().filter(|r| r.chars.start < range.end && r.chars.end > range.start).count();
        assert!(rows_touched >= 2);
        assert_eq!(laid.range_rects(range, SIZE).len(), rows_touched);
        // Hitting each row's rightmost point gives the row's first code point.
        for row in &map.rows {
            let y = (row.y.0 + row.y.1) * 0.5;
            assert_eq!(laid.hit(pos2(199.0, y), text.chars().count()), row.chars.start);
        }
    }

    #[test]
    fn left_to_right_text_keeps_eguis_layout() {
        let ctx = ctx();
        let laid = lay_out(&ctx, "Plain English, é and ü.", &format(), 300.0);
        assert!(laid.map().is_none());
    }

    #[test]
    fn glyphs_map_to_graphemes_through_marks_and_ligatures() {
        let g = |chr, x, advance| ShapedGlyph { chr, x, advance };
        // Right to left: "لا" as a lam-alef ligature (one glyph for two graphemes) then "ب".
        let firsts = ['ل', 'ا', 'ب'];
        let glyphs = [g('ب', 0.0, 10.0), g('ل', 10.0, 12.0)];
        let ext = grapheme_extents(&firsts, &glyphs, true, 22.0);
        assert_eq!(ext, vec![(16.0, 22.0), (10.0, 16.0), (0.0, 10.0)]);
        // A zero-width mark glyph carrying its base's character does not start a grapheme, and a
        // doubled letter does.
        let firsts = ['ل', 'ل'];
        let glyphs = [g('ل', 0.0, 8.0), g('ل', 8.0, 0.0), g('ل', 8.0, 9.0)];
        let ext = grapheme_extents(&firsts, &glyphs, true, 17.0);
        assert_eq!(ext, vec![(8.0, 17.0), (0.0, 8.0)]);
        // Glyphs that match nothing: the width is shared evenly, in the right direction.
        let ext = grapheme_extents(&['a', 'b'], &[g('z', 0.0, 10.0)], false, 10.0);
        assert_eq!(ext, vec![(0.0, 5.0), (5.0, 10.0)]);
    }
}
