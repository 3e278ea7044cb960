//! Markdown articles: the text without its markup, parsed with pulldown-cmark.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::article::{Article, ArticleError, ArticleFormat};
use super::blocks::{Block, BlockKind, join_blocks};
use super::decode::Decoded;

/// Reads a Markdown article. Headings, paragraphs, block quotes and code blocks become blocks
/// separated by a blank line; list items and table rows are lines of their own (list markers
/// dropped, table cells separated by a tab); link text and image alt text are kept, URLs
/// dropped; code is kept as text; emphasis markers and raw HTML are removed; a soft line break
/// inside a paragraph becomes a space, a hard one `\n`. The title is the front matter's
/// `title:`, else the first heading, else `fallback_title`.
pub(crate) fn read_markdown(decoded: Decoded, fallback_title: &str) -> Result<Article, ArticleError> {
    let (text, title) = markdown_text(&decoded.text);
    if text.trim().is_empty() {
        return Err(ArticleError::Empty);
    }
    Ok(Article {
        title: title.unwrap_or_else(|| fallback_title.to_owned()),
        text,
        format: ArticleFormat::Markdown,
        encoding: decoded.encoding.name(),
        warnings: decoded.warnings,
    })
}

/// The plain text of a Markdown source, and its title if it has one.
fn markdown_text(source: &str) -> (String, Option<String>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut builder = MarkdownText::default();
    for event in Parser::new_ext(source, options) {
        builder.event(event);
    }
    builder.flush();
    let title = builder.front_matter_title.or(builder.first_heading);
    (join_blocks(&builder.blocks), title)
}

/// Collects blocks of text from parser events.
#[derive(Default)]
struct MarkdownText {
    blocks: Vec<Block>,
    current: String,
    /// Kinds of the open blocks, innermost last.
    kinds: Vec<BlockKind>,
    /// Inside a YAML front matter block.
    in_metadata: bool,
    front_matter_title: Option<String>,
    first_heading: Option<String>,
    /// Number of the current top-level list or table (see [`Block::group`]).
    group: usize,
}

impl MarkdownText {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.in_metadata => {
                if self.front_matter_title.is_none() {
                    self.front_matter_title = front_matter_title(&text);
                }
            }
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.current.push_str(&text);
            }
            Event::SoftBreak => self.current.push(' '),
            Event::HardBreak => self.current.push('\n'),
            Event::Rule => self.flush(),
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::List(_) | Tag::Table(_) | Tag::DefinitionList => {
                // A nested list continues the lines of its item's list.
                if !self.kinds.contains(&BlockKind::Line) {
                    self.group += 1;
                }
                self.open(self.inherited());
            }
            Tag::Paragraph | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => self.open(self.inherited()),
            Tag::Heading { .. } => self.open(BlockKind::Heading),
            Tag::Item | Tag::TableHead | Tag::TableRow | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.open(BlockKind::Line);
            }
            Tag::CodeBlock(_) => self.open(BlockKind::Preformatted),
            Tag::TableCell => {
                if !self.current.is_empty() {
                    self.current.push('\t');
                }
            }
            Tag::MetadataBlock(_) => self.in_metadata = true,
            Tag::HtmlBlock
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. } => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                let heading = self.current.trim();
                if self.first_heading.is_none() && !heading.is_empty() {
                    self.first_heading = Some(heading.to_owned());
                }
                self.close();
            }
            TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::DefinitionList
            | TagEnd::FootnoteDefinition
            | TagEnd::Item
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::CodeBlock => self.close(),
            TagEnd::MetadataBlock(_) => self.in_metadata = false,
            TagEnd::HtmlBlock
            | TagEnd::TableCell
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => {}
        }
    }

    /// The kind a plain block gets where it stands: a paragraph inside a list item is a line.
    fn inherited(&self) -> BlockKind {
        match self.kinds.last() {
            Some(BlockKind::Line) => BlockKind::Line,
            _ => BlockKind::Paragraph,
        }
    }

    fn kind(&self) -> BlockKind {
        self.kinds.last().copied().unwrap_or(BlockKind::Paragraph)
    }

    fn open(&mut self, kind: BlockKind) {
        self.flush();
        self.kinds.push(kind);
    }

    fn close(&mut self) {
        self.flush();
        self.kinds.pop();
    }

    fn flush(&mut self) {
        let kind = self.kind();
        self.blocks.extend(Block::trimmed(kind, &self.current, self.group));
        self.current.clear();
    }
}

/// The `title:` of YAML front matter, without quotes.
fn front_matter_title(yaml: &str) -> Option<String> {
    yaml.lines().find_map(|line| {
        let value = line.strip_prefix("title:")?.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        (!value.is_empty()).then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_lists_links_code() {
        let source = "# Harbour *strike* talks\r\n\
            \r\n\
            The governor said **no** to [the union](https://example.com \"t\")\r\n\
            and left. A `close_all()` call.\r\n\
            \r\n\
            - first item\r\n\
            - second with ![a crane](crane.png)\r\n\
            \x20 - nested\r\n\
            \r\n\
            1. one\r\n\
            2. two\r\n\
            \r\n\
            > Quoted ~~words~~ here.\r\n\
            \r\n\
            ```\r\n\
            let x = 1;\r\n\
            \x20   y\r\n\
            ```\r\n\
            \r\n\
            Line one  \r\n\
            line two\r\n";
        let source = super::super::decode::normalize_newlines(source.to_owned());
        let (text, title) = markdown_text(&source);
        assert_eq!(title.as_deref(), Some("Harbour strike talks"));
        assert_eq!(
            text,
            "Harbour strike talks\n\n\
             The governor said no to the union and left. A close_all() call.\n\n\
             first item\nsecond with a crane\nnested\n\n\
             one\ntwo\n\n\
             Quoted words here.\n\n\
             let x = 1;\n    y\n\n\
             Line one\nline two"
        );
    }

    #[test]
    fn loose_lists_tables_html_and_entities() {
        let source = "Intro &amp; more <span>inline</span>.\n\n<div>\nraw block\n</div>\n\n\
                      * a\n\n  still a\n* b\n\n| Name | City |\n|---|---|\n| Müller | Gdańsk |\n\n---\n\nEnd[^1].\n\n[^1]: A note.\n";
        let (text, title) = markdown_text(source);
        assert_eq!(title, None);
        assert_eq!(text, "Intro & more inline.\n\na\nstill a\nb\n\nName\tCity\nMüller\tGdańsk\n\nEnd.\n\nA note.");
    }

    #[test]
    fn front_matter_gives_the_title_and_no_text() {
        let source = "---\ntitle: \"Ñuñoa votes\"\ndate: 2024-05-01\n---\n\n## Results\n\nCounted.\n";
        let (text, title) = markdown_text(source);
        assert_eq!(title.as_deref(), Some("Ñuñoa votes"));
        assert_eq!(text, "Results\n\nCounted.");
    }

    #[test]
    fn second_level_heading_is_a_title_too() {
        let (text, title) = markdown_text("Text first.\n\n## Later heading\n");
        assert_eq!(title.as_deref(), Some("Later heading"));
        assert_eq!(text, "Text first.\n\nLater heading");
    }

    #[test]
    fn pathological_markdown_is_linear() {
        let n = 100_000;
        let started = std::time::Instant::now();
        for (source, expected) in [
            (format!("{} x", ">".repeat(n)), "x".to_owned()),
            (format!("{} x", "- ".repeat(n)), "x".to_owned()),
            (format!("{}x{}", "*".repeat(n), "*".repeat(n)), "x".to_owned()),
            ((0..2_000).map(|i| format!("{}- x\n", "  ".repeat(i))).collect(), vec!["x"; 2_000].join("\n")),
            ("<div>".repeat(n), String::new()),
            ("word ".repeat(1_000_000), "word ".repeat(1_000_000).trim_end().to_owned()),
        ] {
            assert_eq!(markdown_text(&source).0, expected);
        }
        for source in ["[".repeat(n), "[a](".repeat(n), "`a".repeat(n), "*a _b ".repeat(n)] {
            markdown_text(&source);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "took {:?}", started.elapsed());
    }
}
