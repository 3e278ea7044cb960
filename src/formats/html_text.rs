//! From a walk over an HTML tree to the blocks of an article (paragraphs, headings, list items),
//! with their whitespace collapsed. Pure: the tree walk itself lives in `html.rs`.

use super::blocks::{Block, BlockKind};

/// One step of a depth-first walk over the elements and text of an HTML tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DomEvent {
    /// An element starts (lower-case tag name).
    Open(String),
    /// An element ends (lower-case tag name).
    Close(String),
    /// A text node, entities already decoded.
    Text(String),
}

/// Elements that start and end a block of text.
#[rustfmt::skip]
const BLOCK_ELEMENTS: &[&str] = &[
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "html", "legend", "li", "listing", "main",
    "menu", "nav", "ol", "p", "plaintext", "pre", "section", "summary", "table", "tbody", "tfoot",
    "thead", "tr", "ul", "xmp",
];

/// HTML's own whitespace (not U+00A0, which a page writes on purpose).
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// Turns a walk into blocks, in reading order.
pub(crate) fn blocks_from_events(events: impl IntoIterator<Item = DomEvent>) -> Vec<Block> {
    let mut builder = BlockBuilder::default();
    for event in events {
        match event {
            DomEvent::Open(name) => builder.open(&name),
            DomEvent::Close(name) => builder.close(&name),
            DomEvent::Text(text) => builder.text(&text),
        }
    }
    builder.flush();
    builder.blocks
}

/// Collects the text of the current block and closes it at block boundaries.
#[derive(Default)]
struct BlockBuilder {
    blocks: Vec<Block>,
    current: String,
    /// Whitespace was seen since the last character written.
    pending_space: bool,
    /// Kinds of the open block elements, innermost last.
    kinds: Vec<BlockKind>,
    /// How many `<pre>`-like elements are open.
    pre: usize,
    /// Number of the current top-level list or table (see [`Block::group`]).
    group: usize,
}

impl BlockBuilder {
    fn kind(&self) -> BlockKind {
        if self.pre > 0 {
            return BlockKind::Preformatted;
        }
        self.kinds.last().copied().unwrap_or(BlockKind::Paragraph)
    }

    fn open(&mut self, name: &str) {
        match name {
            "br" => self.line_break(),
            "hr" => self.flush(),
            "td" | "th" => self.pending_space = true,
            _ if BLOCK_ELEMENTS.contains(&name) => {
                self.flush();
                let kind = match name {
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading,
                    "li" | "dt" | "dd" | "tr" => BlockKind::Line,
                    // Paragraphs inside a list item stay lines of that item.
                    _ => match self.kinds.last() {
                        Some(BlockKind::Line) => BlockKind::Line,
                        _ => BlockKind::Paragraph,
                    },
                };
                if matches!(name, "pre" | "listing" | "plaintext" | "xmp") {
                    self.pre += 1;
                }
                // A nested list continues the lines of its item's list.
                if matches!(name, "ul" | "ol" | "dl" | "table" | "menu" | "dir")
                    && !self.kinds.contains(&BlockKind::Line)
                {
                    self.group += 1;
                }
                self.kinds.push(kind);
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "td" | "th" => self.pending_space = true,
            _ if BLOCK_ELEMENTS.contains(&name) => {
                self.flush();
                self.kinds.pop();
                if matches!(name, "pre" | "listing" | "plaintext" | "xmp") {
                    self.pre = self.pre.saturating_sub(1);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            self.current.push_str(text);
            return;
        }
        for c in text.chars() {
            if is_html_space(c) {
                self.pending_space = true;
                continue;
            }
            if self.pending_space && !self.current.is_empty() && !self.current.ends_with('\n') {
                self.current.push(' ');
            }
            self.pending_space = false;
            self.current.push(c);
        }
    }

    fn line_break(&mut self) {
        self.pending_space = false;
        // Outside <pre>, a run of <br>s gives at most one blank line, and none at the start.
        let keep = self.pre > 0 || (!self.current.is_empty() && !self.current.ends_with("\n\n"));
        if keep {
            self.current.push('\n');
        }
    }

    fn flush(&mut self) {
        let kind = self.kind();
        self.blocks.extend(Block::trimmed(kind, &self.current, self.group));
        self.current.clear();
        self.pending_space = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::blocks::join_blocks;

    /// A walk written as a tiny notation: `<p>` opens, `</p>` closes, anything else is text.
    fn walk(notation: &[&str]) -> Vec<DomEvent> {
        notation
            .iter()
            .map(|s| {
                if let Some(name) = s.strip_prefix("</") {
                    DomEvent::Close(name.trim_end_matches('>').to_owned())
                } else if let Some(name) = s.strip_prefix('<') {
                    DomEvent::Open(name.trim_end_matches('>').to_owned())
                } else {
                    DomEvent::Text((*s).to_owned())
                }
            })
            .collect()
    }

    fn text_of(notation: &[&str]) -> String {
        join_blocks(&blocks_from_events(walk(notation)))
    }

    #[test]
    fn paragraphs_and_headings_are_separated_by_blank_lines() {
        let text = text_of(&[
            "<h2>",
            " Talks ",
            "</h2>",
            "<p>",
            "One\n  two ",
            "<b>",
            "three",
            "</b>",
            "</p>",
            "<p>",
            "Four",
            "</p>",
        ]);
        assert_eq!(text, "Talks\n\nOne two three\n\nFour");
    }

    #[test]
    fn br_is_a_line_break_without_spaces_around_it() {
        let text = text_of(&["<p>", "Line one ", "<br>", "</br>", "\n line two", "<br>", "</br>", "</p>"]);
        assert_eq!(text, "Line one\nline two");
    }

    #[test]
    fn list_items_are_lines() {
        let text = text_of(&[
            "<p>", "Before", "</p>", "<ul>", "<li>", "a", "</li>", "<li>", "<p>", "b", "</p>", "</li>", "</ul>", "<p>",
            "After", "</p>",
        ]);
        assert_eq!(text, "Before\n\na\nb\n\nAfter");
    }

    #[test]
    fn inline_text_between_blocks_is_a_block() {
        let text = text_of(&["<div>", "loose ", "<p>", "inner", "</p>", " tail", "</div>"]);
        assert_eq!(text, "loose\n\ninner\n\ntail");
    }

    #[test]
    fn preformatted_text_keeps_its_spaces() {
        let text = text_of(&["<pre>", "a  b\n  c\n", "</pre>"]);
        assert_eq!(text, "a  b\n  c");
    }

    #[test]
    fn table_cells_are_spaced_and_rows_are_lines() {
        let text = text_of(&[
            "<table>", "<tr>", "<td>", "a", "</td>", "<td>", "b", "</td>", "</tr>", "<tr>", "<td>", "c", "</td>",
            "</tr>", "</table>",
        ]);
        assert_eq!(text, "a b\nc");
    }

    #[test]
    fn no_break_spaces_are_kept_inside_and_trimmed_at_the_edges() {
        let text = text_of(&["<p>", "\u{a0}", "</p>", "<p>", "10\u{a0}km ", "away\u{a0}", "</p>"]);
        assert_eq!(text, "10\u{a0}km away");
    }
}
