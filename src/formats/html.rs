//! HTML articles (saved news pages): the main content, found by dom_smoothie's port of Mozilla's
//! Readability, as title + headings and paragraphs; the visible body text when Readability
//! finds no article.

use dom_smoothie::{Config, Readability};

use super::article::{Article, ArticleError, ArticleFormat};
use super::blocks::{Block, BlockKind, join_blocks};
use super::decode::Decoded;
use super::html_nesting::limit_nesting;
use super::html_text::{DomEvent, blocks_from_events};

/// Stack for the extraction thread: html5ever and Readability recurse in places, and the
/// thread that calls an import (a test's, a GUI worker's) may have a small stack.
const EXTRACTION_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Tags nested deeper than this are dropped before parsing (real pages stay well under 100),
/// and such a page skips Readability: both take time proportional to the depth per element.
const MAX_NESTING: usize = 256;

/// Pages with more elements than this skip Readability (its scoring is too slow on them).
const MAX_READABILITY_ELEMENTS: usize = 100_000;

/// Elements whose content is never article text.
const NOT_TEXT: &str = "script, style, noscript, template, iframe, object, embed, svg, canvas, video, \
    audio, map, nav, aside, footer, button, input, select, textarea, dialog, [hidden], [aria-hidden=true], \
    [role=navigation], [role=banner], [role=contentinfo], [role=complementary], [role=search], \
    [role=dialog], [role=alertdialog], [role=menu], [role=menubar]";

/// Words that, as the first or last word of a class or id, mark page furniture ("share-bar",
/// "top-ad", "comment-list"). Ambiguous words inside a name ("has-share-icons") do not count.
#[rustfmt::skip]
const CLUTTER_EDGE_WORDS: &[&str] = &[
    "ad", "ads", "breadcrumb", "breadcrumbs", "comment", "comments", "footer", "menu", "modal", "nav",
    "navbar", "navigation", "popup", "promo", "promos", "recommended", "related", "share", "sharing",
    "sidebar", "social", "subscribe", "toolbar", "trending",
];

/// Words that mark page furniture wherever they appear in a class or id.
#[rustfmt::skip]
const CLUTTER_WORDS: &[&str] = &[
    "adsense", "adslot", "advert", "advertisement", "advertising", "adverts", "consent", "cookie",
    "cookies", "disqus", "gdpr", "newsletter", "outbrain", "sponsored", "taboola",
];

/// Reads an HTML article from its decoded text.
pub(crate) fn read_html(decoded: Decoded, fallback_title: &str) -> Result<Article, ArticleError> {
    if decoded.text.trim().is_empty() {
        return Err(ArticleError::Empty);
    }
    let Decoded { text: html, encoding, mut warnings } = decoded;
    let extracted = on_big_stack(move || extract(html))?;
    warnings.extend(extracted.warnings);
    let mut blocks = extracted.blocks;
    if blocks.is_empty() {
        // Only a <title>, or nothing visible at all.
        return Err(ArticleError::Empty);
    }
    let mut title = extracted.title;
    let headline = blocks.first().filter(|b| b.kind == BlockKind::Heading).map(|b| b.text.clone());
    if let Some(headline) = headline {
        // The article opens with its own headline: that is its title. The page's <title> often
        // carries the site's name or a shorter wording, and would repeat the headline.
        title = headline;
    } else if title.is_empty() {
        title = blocks
            .iter()
            .find(|b| b.kind == BlockKind::Heading)
            .map_or_else(|| fallback_title.to_owned(), |b| b.text.clone());
    } else if blocks.first().is_some_and(|b| b.text != title) {
        // The text starts with the page's title, once: Readability usually drops the matching <h1>.
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
    let limited = limit_nesting(&html, MAX_NESTING);
    let too_deep = limited.is_some();
    let html = limited.unwrap_or(html);
    let config = Config { max_elements_to_parse: MAX_READABILITY_ELEMENTS, ..Config::default() };
    let mut readability = Readability::from(html);
    readability.config = config;
    // Before the clutter goes: the title may come from JSON-LD in a <script>.
    let title = page_title(&readability);
    remove_clutter(&readability);
    let body = blocks_from_events(dom_events(&readability, "body"));
    if too_deep {
        warnings.push(format!(
            "elements are nested more than {MAX_NESTING} deep: the deeper tags were ignored and \
             the visible text of the page was taken without looking for the article"
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

/// Words joined by single spaces, without a byte order mark at either edge: a title can start the
/// article's text, and a stray mark pasted into a CMS field would otherwise start it too.
fn collapse_spaces(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').to_owned()
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

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::formats::{ReadOptions, read_article};

    fn html(page: &str) -> Result<Article, ArticleError> {
        read_article("page.html", page.as_bytes(), &ReadOptions::default())
    }

    #[test]
    fn a_short_page_falls_back_to_its_visible_text() {
        let page = "<html><head><title>Ferry delayed</title><style>p{}</style></head><body>\
            <nav><a href='/'>Home</a> <a href='/news'>News</a></nav>\
            <div class='cookie-notice'>We use cookies.</div>\
            <h1>Ferry delayed</h1><p>The 9:15 ferry to Hel is delayed by fog.</p>\
            <div class='share'>Share</div><footer>© Ledger</footer></body></html>";
        let article = html(page).unwrap();
        assert_eq!(article.title, "Ferry delayed");
        assert_eq!(article.text, "Ferry delayed\n\nThe 9:15 ferry to Hel is delayed by fog.");
    }

    #[test]
    fn a_byte_order_mark_in_the_title_does_not_start_the_text() {
        // Found by fuzzing (`article_html`): the <title> becomes the first heading of the text.
        let page = "<html><head><title>\u{feff} Harbour talks stall\u{feff}</title></head><body>\
            <p>Dockers walked out on Tuesday night after the talks broke down.</p></body></html>";
        let article = html(page).unwrap();
        assert_eq!(article.title, "Harbour talks stall");
        assert!(article.text.starts_with("Harbour talks stall\n\nDockers walked out"), "{:?}", article.text);
    }

    #[test]
    fn a_carriage_return_from_a_character_reference_becomes_a_line_break() {
        // Found by fuzzing (`article_html`): `&#xd` inside <pre> kept a CR in the text.
        let page = "<html><body><p>Dockers walked out on Tuesday night after the talks broke down.</p>\
            <pre>ship: &#xd a verdict&#13;&#10;end</pre></body></html>";
        let article = html(page).unwrap();
        assert!(!article.text.contains('\r'), "{:?}", article.text);
        assert!(article.text.contains("ship: \n a verdict\nend"), "{:?}", article.text);
    }

    #[test]
    fn pages_without_body_or_markup() {
        assert_eq!(html("<p>Just a fragment &uuml;ber &amp; more</p>").unwrap().text, "Just a fragment über & more");
        assert_eq!(html("<html><head><title>Only a title</title></head></html>"), Err(ArticleError::Empty));
        assert_eq!(
            html("<html><body><script>var x = 1;</script><style>b{}</style></body></html>"),
            Err(ArticleError::Empty)
        );
        assert_eq!(html("<!doctype html>"), Err(ArticleError::Empty));
        let article = html("Plain words in an .html file").unwrap();
        assert_eq!((article.text.as_str(), article.title.as_str()), ("Plain words in an .html file", "page"));
    }

    #[test]
    fn the_declared_charset_decodes_the_page() {
        let mut page = b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-2'>\
            <title>Gda\xf1sk</title></head><body><p>Ratusz w Gda\xf1sku, \xb3\xf3d\xbc.</p></body></html>"
            .to_vec();
        let article = read_article("p.html", &page, &ReadOptions::default()).unwrap();
        assert_eq!(article.encoding, "ISO-8859-2");
        assert_eq!(article.text, "Gdańsk\n\nRatusz w Gdańsku, łódź.");
        page.truncate(0);
    }

    #[test]
    fn an_article_headline_is_the_title_and_the_page_title_is_not_repeated() {
        let page = "<html><head><title>Bridge reopens | The Daily Tide</title></head><body>\
            <article><h1>Bridge reopens after M&uuml;ller&rsquo;s review</h1>\
            <p>The old bridge in Gda&#324;sk reopened on Monday, officials said, after a review of \
            the cracks found in March by the city&rsquo;s engineers and an outside firm.</p>\
            <p>Traffic is expected to return to normal by the weekend, the transport office said \
            in a statement on its website, thanking residents for their patience.</p></article></body></html>";
        let article = html(page).unwrap();
        assert_eq!(article.title, "Bridge reopens after Müller’s review");
        assert!(
            article.text.starts_with("Bridge reopens after Müller’s review\n\nThe old bridge in Gdańsk"),
            "{}",
            article.text
        );
        assert!(!article.text.contains("Daily Tide"), "{}", article.text);
    }

    #[test]
    fn a_site_name_suffix_is_cut_from_the_title() {
        let page = "<html><head><title>Dockers walk out at dawn | The Baltic Ledger</title>\
            <meta property='og:site_name' content='The Baltic Ledger'></head>\
            <body><p>Dockers walked out at dawn.</p></body></html>";
        assert_eq!(html(page).unwrap().title, "Dockers walk out at dawn");
        let page = "<html><head><meta property='og:title' content='Dockers walk out - The Baltic Ledger'>\
            <meta property='og:site_name' content='The Baltic Ledger'></head><body><p>Text.</p></body></html>";
        assert_eq!(html(page).unwrap().title, "Dockers walk out");
    }

    #[test]
    fn a_hundred_thousand_nested_divs() {
        let n = 100_000;
        let page =
            format!("<html><body>{}deep text{}<p>after</p></body></html>", "<div>".repeat(n), "</div>".repeat(n));
        let started = Instant::now();
        let article = html(&page).unwrap();
        assert_eq!(article.text, "deep text\n\nafter");
        assert_eq!(article.warnings.len(), 1, "{:?}", article.warnings);
        assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
        // Unclosed, and nested inline elements, too.
        let page = format!("{}x", "<span><b><div>".repeat(n / 3));
        assert_eq!(html(&page).unwrap().text, "x");
    }

    #[test]
    fn nesting_just_under_the_limit_still_uses_readability() {
        let depth = MAX_NESTING - 10;
        let paragraph = "<p>The harbour master confirmed that every berth would stay closed until the \
            dispute is settled, and that ships would be sent on to Gdynia.</p>";
        let page = format!(
            "<html><body><nav>Menu</nav>{}{}{}</body></html>",
            "<div>".repeat(depth),
            paragraph.repeat(6),
            "</div>".repeat(depth)
        );
        let started = Instant::now();
        let article = html(&page).unwrap();
        assert!(article.warnings.is_empty(), "{:?}", article.warnings);
        assert!(article.text.starts_with("The harbour master confirmed"), "{}", article.text);
        assert_eq!(article.text.matches("Gdynia.").count(), 6);
        assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    }

    #[test]
    fn every_cut_of_the_news_page_reads_without_panicking() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles/news-page.html");
        let bytes = std::fs::read(path).unwrap();
        for end in (0..bytes.len()).step_by(61).chain([bytes.len() - 1]) {
            let _ = read_article("cut.html", &bytes[..end], &ReadOptions::default());
        }
    }

    #[test]
    fn a_big_page_is_read_in_reasonable_time() {
        let paragraph = "<p>Dockers in Gdańsk said on Tuesday that the strike would go on &mdash; \
            <a href='/x'>the union</a> had <b>not</b> received an offer.</p>\n";
        let page = format!(
            "<html><head><title>Big</title></head><body><nav>Menu</nav><article>{}</article></body></html>",
            paragraph.repeat(5_000)
        );
        let started = Instant::now();
        let article = html(&page).unwrap();
        assert_eq!(article.text.matches("received an offer.").count(), 5_000);
        assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
        println!("{} KB page in {:?}", page.len() / 1000, started.elapsed());
    }

    #[test]
    fn clutter_names() {
        assert_eq!(name_words("cookieBanner__close-btn"), ["cookie", "banner", "close", "btn"]);
        for name in [
            "ad-slot",
            "top-ad",
            "share-buttons",
            "comment-list",
            "comments",
            "related",
            "cookie_consent",
            "gdprNotice",
            "main-nav",
            "sidebar",
            "newsletter-signup",
        ] {
            assert!(is_clutter_name(name), "{name}");
        }
        for name in
            ["article-body", "lead", "head", "has-share-icons", "commentary", "story", "shadow", "content", "advice"]
        {
            assert!(!is_clutter_name(name), "{name}");
        }
    }
}
