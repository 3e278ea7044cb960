//! HTML articles (saved news pages): the main content, found by dom_smoothie's port of Mozilla's
//! Readability, as title + headings and paragraphs; the visible body text when Readability
//! finds no article.

use dom_smoothie::{Config, Readability};

use super::article::{Article, ArticleError, ArticleFormat};
use super::decode::Decoded;
use super::blocks::{Block, BlockKind, join_blocks};
use super::html_text::{DomEvent, blocks_from_events};

/// Stack for the extraction thread. html5ever and Readability walk the tree with recursion in
/// places, and a page may nest elements absurdly deep; see [`MAX_NESTING`].
const EXTRACTION_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Pages nested deeper than this (real pages stay under a few hundred) skip Readability and get
/// the plain visible-text walk, which is iterative.
const MAX_NESTING: usize = 2_000;

/// Pages with more elements than this skip Readability (its scoring is too slow on them).
const MAX_READABILITY_ELEMENTS: usize = 200_000;

/// Elements whose content is never article text.
const NOT_TEXT: &str = "head, script, style, noscript, template, iframe, object, embed, svg, canvas, video, \
    audio, map, nav, aside, footer, button, input, select, textarea, dialog, [hidden], [aria-hidden=true], \
    [role=navigation], [role=banner], [role=contentinfo], [role=complementary], [role=search], \
    [role=dialog], [role=alertdialog], [role=menu], [role=menubar]";

/// Words that, as the first or last word of a class or id, mark page furniture ("share-bar",
/// "top-ad", "comment-list"). Ambiguous words inside a name ("has-share-icons") do not count.
const CLUTTER_EDGE_WORDS: &[&str] = &[
    "ad", "ads", "banner-ad", "breadcrumb", "breadcrumbs", "comment", "comments", "footer", "menu", "modal", "nav",
    "navbar", "navigation", "popup", "promo", "promos", "related", "share", "sharing", "sidebar", "social",
    "subscribe", "toolbar", "trending", "recommended",
];

/// Words that mark page furniture wherever they appear in a class or id.
const CLUTTER_WORDS: &[&str] = &[
    "advert", "adverts", "advertisement", "advertising", "adsense", "adslot", "consent", "cookie", "cookies",
    "disqus", "gdpr", "newsletter", "outbrain", "sponsored", "taboola",
];

/// Reads an HTML article from its decoded text.
pub(crate) fn read_html(decoded: Decoded, fallback_title: &str) -> Result<Article, ArticleError> {
    if decoded.text.trim().is_empty() {
        return Err(ArticleError::Empty);
    }
    let Decoded { text: html, encoding, mut warnings } = decoded;
    let extracted = on_big_stack(move || extract(html))?;
    warnings.extend(extracted.warnings);
    let mut title = extracted.title;
    if title.is_empty() {
        title = extracted
            .blocks
            .iter()
            .find(|b| b.kind == BlockKind::Heading)
            .map_or_else(|| fallback_title.to_owned(), |b| b.text.clone());
    }
    let mut blocks = extracted.blocks;
    // The text starts with the title, once: Readability usually drops the matching <h1>.
    if !title.is_empty() && blocks.first().is_none_or(|b| b.text != title) {
        blocks.insert(0, Block::new(BlockKind::Heading, title.clone()));
    }
    let text = join_blocks(&blocks);
    if text.trim().is_empty() {
        return Err(ArticleError::Empty);
    }
    Ok(Article { title, text, format: ArticleFormat::Html, encoding: encoding.name(), warnings })
}

/// What extraction found.
struct Extracted {
    title: String,
    blocks: Vec<Block>,
    warnings: Vec<String>,
}

/// Runs `work` on a thread with a large stack, and turns a panic inside the HTML libraries into
/// an error instead of taking the app down.
fn on_big_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ArticleError> {
    let handle = std::thread::Builder::new()
        .name("gloss-html-extract".into())
        .stack_size(EXTRACTION_STACK_BYTES)
        .spawn(work)
        .map_err(|e| ArticleError::Html { reason: format!("cannot start the extraction thread: {e}") })?;
    handle.join().map_err(|_| ArticleError::Html {
        reason: "the HTML parser failed on this page (please report it with the file)".into(),
    })
}

/// Parses the page, removes clutter, and takes the article (or, failing that, the body text).
fn extract(html: String) -> Extracted {
    let mut warnings = Vec::new();
    let too_deep = nesting_depth(&html) > MAX_NESTING;
    let config = Config { max_elements_to_parse: MAX_READABILITY_ELEMENTS, ..Config::default() };
    let mut readability = Readability::from(html);
    readability.config = config;
    remove_clutter(&readability);
    let title = page_title(&readability);
    let body = blocks_from_events(dom_events(&readability, "body"));
    if too_deep {
        warnings.push(format!(
            "elements are nested more than {MAX_NESTING} deep: took the visible text of the page \
             without looking for the article"
        ));
        return Extracted { title, blocks: body, warnings };
    }
    let article = match readability.parse() {
        Ok(_) => blocks_from_events(dom_events(&readability, "#readability-page-1")),
        Err(dom_smoothie::ReadabilityError::TooManyElements(found, limit)) => {
            warnings.push(format!(
                "the page has {found} elements (more than {limit}): took its visible text without \
                 looking for the article"
            ));
            Vec::new()
        }
        Err(_) => Vec::new(),
    };
    let blocks = if article.is_empty() { body } else { article };
    Extracted { title, blocks, warnings }
}

/// The page's title: JSON-LD headline, `og:title` and similar, else `<title>` with a site-name
/// part cut off; " | Site" suffixes naming the site are cut from all of them.
fn page_title(readability: &Readability) -> String {
    let metadata = readability.get_article_metadata(readability.parse_json_ld());
    let mut title = collapse_spaces(&metadata.title);
    if let Some(site) = metadata.site_name.as_deref().map(collapse_spaces).filter(|s| !s.is_empty()) {
        for separator in [" | ", " - ", " – ", " — ", " :: ", " · ", " » "] {
            if let Some(head) = title.strip_suffix(&format!("{separator}{site}")) {
                if !head.trim().is_empty() {
                    title = head.trim().to_owned();
                    break;
                }
            }
        }
    }
    title
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes what is never article text: scripts and styles, navigation, asides, footers, forms'
/// controls, hidden elements, a site header outside the article, and elements whose class or id
/// names cookie banners, ads, share buttons, comment threads, related links... An element that
/// holds the page's `<h1>`, and the page's main containers, are always kept.
fn remove_clutter(readability: &Readability) {
    let doc = &readability.doc;
    doc.select(NOT_TEXT).remove();
    for header in doc.select("header").nodes() {
        if !header.ancestors_it(None).any(|a| a.has_name("article") || a.has_name("main")) {
            header.remove_from_parent();
        }
    }
    for node in doc.select("[class], [id]").nodes() {
        if node.has_name("html") || node.has_name("body") || node.has_name("main") || node.has_name("article") {
            continue;
        }
        let class = node.attr("class").unwrap_or_default();
        let id = node.attr("id").unwrap_or_default();
        let clutter = class.split_ascii_whitespace().chain(std::iter::once(&*id)).any(is_clutter_name);
        if clutter && node.find(&["h1"]).is_empty() {
            node.remove_from_parent();
        }
    }
}

/// Whether a class or id names page furniture (see [`CLUTTER_EDGE_WORDS`], [`CLUTTER_WORDS`]).
fn is_clutter_name(name: &str) -> bool {
    let words = name_words(name);
    if words.iter().any(|w| CLUTTER_WORDS.contains(&w.as_str())) {
        return true;
    }
    let edge = |w: Option<&String>| w.is_some_and(|w| CLUTTER_EDGE_WORDS.contains(&w.as_str()));
    edge(words.first()) || edge(words.last())
}

/// "cookieBanner__close-btn" → ["cookie", "banner", "close", "btn"].
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The elements and text under the first element matching `selector`, in document order,
/// walked without recursion (a page may nest elements hundreds of thousands deep).
fn dom_events(readability: &Readability, selector: &str) -> Vec<DomEvent> {
    let selection = readability.doc.select_single(selector);
    let Some(root) = selection.nodes().first() else {
        return Vec::new();
    };
    let mut events = Vec::new();
    let mut open = stack_of(root);
    let mut next = root.first_child();
    loop {
        let Some(node) = next else {
            // The last child of the innermost open element is done: close it.
            let Some((element, name)) = open.pop() else {
                break;
            };
            events.push(DomEvent::Close(name));
            next = element.next_sibling();
            continue;
        };
        if node.is_text() {
            events.push(DomEvent::Text(node.text().to_string()));
        } else if node.is_element() {
            let name = node.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
            if !matches!(name.as_str(), "script" | "style" | "noscript" | "template" | "head" | "title") {
                events.push(DomEvent::Open(name.clone()));
                if let Some(child) = node.first_child() {
                    next = Some(child);
                    open.push((node, name));
                    continue;
                }
                events.push(DomEvent::Close(name));
            }
        }
        next = node.next_sibling();
    }
    events
}

/// An empty stack of (node, tag name) for nodes like `_node`: dom_query is not a direct
/// dependency, so its node type can only be inferred, not named.
fn stack_of<N>(_node: &N) -> Vec<(N, String)> {
    Vec::new()
}

/// An upper bound on how deep elements nest, from the tags alone (void elements and
/// self-closing tags do not nest; a missing end tag only makes the bound higher). Linear, and
/// run before parsing, so that absurd nesting never reaches recursive code.
fn nesting_depth(html: &str) -> usize {
    const VOID: &[&[u8]] = &[
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param", b"source",
        b"track", b"wbr", b"p", b"li", b"option", b"td", b"tr", b"th",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        at += offset + 1;
        let closing = bytes.get(at) == Some(&b'/');
        let name_start = at + usize::from(closing);
        let name_len = bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            continue;
        }
        let name = bytes[name_start..name_start + name_len].to_ascii_lowercase();
        // Tags whose end is implied (p, li, td...) are counted as void: they do not nest.
        if VOID.contains(&name.as_slice()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let end = bytes[at..].iter().position(|&b| b == b'>').map_or(bytes.len(), |e| at + e);
            if end > at && bytes[end - 1] == b'/' {
                continue;
            }
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}
