//! Blocks of article text (paragraphs, headings, list items) and how they are joined, shared by
//! the HTML and Markdown readers.

/// What kind of block a stretch of text is, which decides how it is joined to its neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// A paragraph or any other block: a blank line before and after.
    Paragraph,
    /// A heading: a blank line before and after.
    Heading,
    /// A list item or a table row: on its own line, next to other lines without a blank line.
    Line,
    /// Preformatted text: whitespace kept as it is.
    Preformatted,
}

/// A paragraph, heading, list item... of the article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    /// How it joins its neighbours.
    pub kind: BlockKind,
    /// The text, trimmed, with single spaces and `\n` for `<br>`.
    pub text: String,
    /// Which list or table a line belongs to: lines of one list are joined by `\n`, two lists
    /// in a row are separated by a blank line like any blocks.
    pub group: usize,
}

impl Block {
    /// A block outside any list or table.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Self { kind, text: text.into(), group: 0 }
    }

    /// A block from text gathered by a reader: trimmed (preformatted text only loses its
    /// surrounding line breaks); `None` when nothing is left.
    /// A byte order mark at either edge (two files joined, a pasted fragment) goes too: it is
    /// invisible, and would otherwise start the article's text.
    pub fn trimmed(kind: BlockKind, raw: &str, group: usize) -> Option<Self> {
        let text = if kind == BlockKind::Preformatted {
            raw.trim_matches(['\n', '\u{feff}'])
        } else {
            raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        };
        (!text.is_empty()).then(|| Self { kind, text: text.to_owned(), group })
    }
}

/// Joins blocks: a blank line between blocks, a single line break between consecutive lines
/// of the same list or table.
pub(crate) fn join_blocks(blocks: &[Block]) -> String {
    let mut out = String::with_capacity(blocks.iter().map(|b| b.text.len() + 2).sum());
    let mut previous: Option<&Block> = None;
    for block in blocks {
        if let Some(previous) = previous {
            let lines =
                previous.kind == BlockKind::Line && block.kind == BlockKind::Line && previous.group == block.group;
            out.push_str(if lines { "\n" } else { "\n\n" });
        }
        out.push_str(&block.text);
        previous = Some(block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_takes_whitespace_and_byte_order_marks_off_the_edges() {
        let block = Block::trimmed(BlockKind::Paragraph, " \u{feff}Talks\u{feff} resumed \n", 0);
        assert_eq!(block.map(|b| b.text).as_deref(), Some("Talks\u{feff} resumed"));
        let block = Block::trimmed(BlockKind::Preformatted, "\n\u{feff}  code\n", 0);
        assert_eq!(block.map(|b| b.text).as_deref(), Some("  code"));
        assert_eq!(Block::trimmed(BlockKind::Heading, "\u{feff} \u{feff}", 0), None);
    }
}
