//! Reading one article from its bytes: size check, format detection, decoding, extraction.

use std::path::Path;

use super::article::{Article, ArticleError, ArticleFormat, MAX_ARTICLE_BYTES, ReadOptions};
use super::decode::{decode, normalize_newlines};
use super::detect::detect_format;
use super::html::read_html;
use super::html_charset::declared_charset;
use super::markdown::read_markdown;
use super::text::read_text;

/// Reads one article from its bytes. `name` (the file name or path) picks the format by its
/// extension when `opts.format` is `None`, and its stem is the title when the content has none.
///
/// Refuses files over [`MAX_ARTICLE_BYTES`], binary files, undecodable bytes, and files with no
/// text ([`ArticleError::Empty`], which an import reports as skipped rather than failed).
pub fn read_article(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Article, ArticleError> {
    let size = bytes.len() as u64;
    if size > MAX_ARTICLE_BYTES {
        return Err(ArticleError::TooLarge { size, limit: MAX_ARTICLE_BYTES, at_least: false });
    }
    let format = opts.format.unwrap_or_else(|| detect_format(name, bytes));
    let declared = if format == ArticleFormat::Html { declared_charset(bytes) } else { None };
    let decoded = decode(bytes, opts.encoding, declared)?;
    let stem = file_stem(name);
    let mut article = match format {
        // Its line endings were unified as it was decoded.
        ArticleFormat::Text => return read_text(decoded, &stem),
        ArticleFormat::Html => read_html(decoded, &stem)?,
        ArticleFormat::Markdown => read_markdown(decoded, &stem)?,
    };
    // The source's line endings were unified before parsing, but a character reference or entity
    // (`&#13;`, `&#xd`) can still bring a carriage return: every text has `\n` line endings only.
    article.text = normalize_newlines(article.text);
    Ok(article)
}

/// "articles/harbour.html" → "harbour"; the whole name when it has no stem.
pub(crate) fn file_stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .filter(|stem| !stem.trim().is_empty())
        .unwrap_or_else(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Text;

    /// The fixture article, as `tests/fixtures/articles/make_fixtures.py` writes it.
    const ARTICLE: &str = "Harbour talks in Gdańsk stall over “final offer”\n\
        \n\
        GDAŃSK — Talks between the port authority and the dockers’ union broke down on Tuesday \
        night, after Mayor Jörg Müller called the employers’ proposal a “final offer” and left the room.\n\
        \n\
        “We came to negotiate, not to be handed a verdict,” said Inés Peña, a union delegate from \
        Ñuñoa who has worked on the quays for twenty years. Her message to members ended with a ship: 🚢\n";

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
    }

    fn read(name: &str) -> Result<Article, ArticleError> {
        read_article(name, &fixture(name), &ReadOptions::default())
    }

    /// Asserts the code point offsets Python gives for the fixture article.
    fn assert_article_offsets(text: &str) {
        let text = Text::from(text);
        assert_eq!(text.len_chars(), 421);
        assert_eq!(text.slice(161..167), Some("Müller"));
        assert_eq!(text.slice(325..330), Some("Ñuñoa"));
        assert_eq!(text.slice(419..420), Some("🚢"));
    }

    #[test]
    fn the_article_in_every_unicode_encoding() {
        for (name, encoding) in [
            ("article-utf8.txt", "UTF-8"),
            ("article-utf8-bom.txt", "UTF-8"),
            ("article-utf16le-bom.txt", "UTF-16LE"),
            ("article-utf16be-bom.txt", "UTF-16BE"),
            ("article-utf16le-nobom.txt", "UTF-16LE"),
        ] {
            let article = read(name).unwrap();
            assert_eq!(article.text, ARTICLE, "{name}");
            assert_eq!(article.encoding, encoding, "{name}");
            assert_eq!(article.format, ArticleFormat::Text, "{name}");
            assert_eq!(article.title, name.trim_end_matches(".txt"), "{name}");
            assert!(article.warnings.is_empty(), "{name}: {:?}", article.warnings);
            assert_article_offsets(&article.text);
        }
    }

    #[test]
    fn windows_1252_with_crlf() {
        let article = read("article-windows-1252-crlf.txt").unwrap();
        let expected = ARTICLE.replace('ń', "n").replace('Ń', "N").replace('🚢', "*");
        assert_eq!(article.text, expected);
        assert_eq!(article.encoding, "windows-1252");
        // Forcing the encoding gives the same; forcing a wrong one gives a warning.
        let bytes = fixture("article-windows-1252-crlf.txt");
        let forced = ReadOptions { encoding: Some(encoding_rs::WINDOWS_1252), ..ReadOptions::default() };
        assert_eq!(read_article("a.txt", &bytes, &forced).unwrap().text, expected);
        let wrong = ReadOptions { encoding: Some(encoding_rs::UTF_8), ..ReadOptions::default() };
        let article = read_article("a.txt", &bytes, &wrong).unwrap();
        assert_eq!(article.encoding, "UTF-8");
        assert_eq!(article.warnings.len(), 1);
        assert!(article.warnings[0].contains("U+FFFD"), "{:?}", article.warnings);
    }

    #[test]
    fn urdu_and_hindi_keep_every_code_point() {
        let urdu = read("urdu.txt").unwrap();
        assert_eq!(urdu.text.chars().count(), 116);
        assert_eq!(Text::from(urdu.text.as_str()).slice(95..99), Some("جمعہ"));
        let hindi = read("hindi.txt").unwrap();
        assert_eq!(hindi.text.chars().count(), 111);
        assert_eq!(Text::from(hindi.text.as_str()).slice(93..101), Some("शुक्रवार"));
        // No normalisation: the precomposed U+095C (which NFC would split) is still there.
        assert!(hindi.text.contains("ह\u{95c}ताल"));
        assert_eq!(hindi.encoding, "UTF-8");
    }

    #[test]
    fn binary_files_are_refused() {
        let err = read("tiny.png").unwrap_err();
        assert_eq!(err.to_string(), "looks like a binary file (a PNG image), not an article");
        // Even when forced to be text.
        let text = ReadOptions { format: Some(ArticleFormat::Text), encoding: Some(encoding_rs::WINDOWS_1252) };
        assert!(matches!(read_article("x", &fixture("tiny.png"), &text), Err(ArticleError::Binary { .. })));
    }

    #[test]
    fn empty_files() {
        for bytes in [&b""[..], b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"  \r\n\t\n", b"\xef\xbb\xbf \n"] {
            for name in ["e.txt", "e.html", "e.md"] {
                assert_eq!(
                    read_article(name, bytes, &ReadOptions::default()),
                    Err(ArticleError::Empty),
                    "{name} {bytes:?}"
                );
            }
        }
        assert_eq!(read_article("e.html", b"<html></html>", &ReadOptions::default()), Err(ArticleError::Empty));
        assert_eq!(read_article("e.md", b"<!-- only a comment -->", &ReadOptions::default()), Err(ArticleError::Empty));
    }

    #[test]
    fn text_is_kept_as_is_apart_from_line_endings() {
        let article = read_article("n.txt", b"  indented\r\n\r\n\ttab  end  \r\r\n", &ReadOptions::default()).unwrap();
        assert_eq!(article.text, "  indented\n\n\ttab  end  \n\n");
    }

    #[test]
    fn the_cluttered_news_page() {
        let article = read("news-page.html").unwrap();
        assert_eq!(article.title, "Harbour talks in Gdańsk stall over “final offer”");
        assert_eq!(article.format, ArticleFormat::Html);
        assert_eq!(article.encoding, "UTF-8");
        assert!(article.warnings.is_empty(), "{:?}", article.warnings);
        let expected = "Harbour talks in Gdańsk stall over “final offer”\n\
            \n\
            GDAŃSK — Talks between the port authority and the dockers’ union broke down on Tuesday night, \
            after Mayor Jörg Müller called the employers’ proposal a “final offer” and left the room.\n\
            \n\
            “We came to negotiate, not to be handed a verdict,” said Inés Peña, a union delegate from Ñuñoa \
            who has worked on the quays for twenty years. Her message to members ended with a ship: 🚢\n\
            \n\
            Strike vote on Friday\n\
            \n\
            Members of the union will vote on strike action by Friday, when the current contract with \
            Procter & Sons Shipping expires. A walkout of 48\u{a0}hours would halt container traffic\n\
            across the whole eastern quay.\n\
            \n\
            The port authority’s spokesman, François Lefèvre, said the offer “remains on the table” but \
            only until midnight on Thursday, and that the authority had already spoken to contractors in \
            Gdynia and Szczecin.";
        assert_eq!(article.text, expected);
        for clutter in [
            "cookies",
            "Accept",
            "Privacy",
            "World",
            "Business",
            "Subscribe",
            "Search",
            "Advertisement",
            "Share",
            "Email",
            "Cranes",
            "Sponsored",
            "Related",
            "Port traffic",
            "Comments",
            "sailor77",
            "spring",
            "Post",
            "Most read",
            "Ferry",
            "inbox",
            "rights reserved",
            "Contact",
            "Terms",
            "dataLayer",
            "gtag",
            "NewsArticle",
            "Kowalska",
            "font-family",
            "loadAd",
            "trackRead",
            "Baltic Ledger",
        ] {
            assert!(!article.text.contains(clutter), "clutter {clutter:?} in the text");
        }
    }

    #[test]
    fn the_markdown_article() {
        let article = read("article.md").unwrap();
        assert_eq!(article.title, "Harbour talks in Gdańsk stall over “final offer”");
        assert_eq!(article.format, ArticleFormat::Markdown);
        let expected = "Harbour talks in Gdańsk stall over “final offer”\n\
            \n\
            GDAŃSK — Talks between the port authority and the dockers’ union broke down on Tuesday night, \
            after Mayor Jörg Müller called the employers’ proposal a “final offer” and left the room.\n\
            \n\
            Cranes at the port\n\
            \n\
            What the union wants\n\
            \n\
            a contract for three years\n\
            overtime paid at 1.5× the hourly rate\n\
            no new shifts before 06:00\n\
            \n\
            “We came to negotiate, not to be handed a verdict,” said Inés Peña, from Ñuñoa. 🚢";
        assert_eq!(article.text, expected);
        let text = Text::from(article.text.as_str());
        assert_eq!(text.len_chars(), 451);
        assert_eq!(text.slice(161..167), Some("Müller"));
        assert_eq!(text.slice(443..448), Some("Ñuñoa"));
        assert_eq!(text.slice(450..451), Some("🚢"));
    }

    #[test]
    fn format_can_be_forced() {
        let md = ReadOptions { format: Some(ArticleFormat::Text), ..ReadOptions::default() };
        let article = read_article("article.md", &fixture("article.md"), &md).unwrap();
        assert!(article.text.starts_with("# Harbour"));
        assert_eq!(article.title, "article");
    }

    #[test]
    fn too_large() {
        // Only the length matters: a zeroed buffer is cheap to allocate.
        let bytes = vec![0u8; (MAX_ARTICLE_BYTES + 1) as usize];
        assert_eq!(
            read_article("big.txt", &bytes, &ReadOptions::default()),
            Err(ArticleError::TooLarge { size: MAX_ARTICLE_BYTES + 1, limit: MAX_ARTICLE_BYTES, at_least: false })
        );
    }

    /// Deterministic pseudo-random bytes (xorshift), so a failure can be replayed.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn random_bytes_are_refused_never_a_panic() {
        for seed in 0..200 {
            for len in [1, 7, 64, 500, 4096] {
                let bytes = noise(seed, len);
                // Without NUL bytes too: the control characters must give them away.
                let no_nul: Vec<u8> = bytes.iter().map(|&b| b.max(1)).collect();
                for name in ["r.txt", "r.html", "r.md", "r"] {
                    let result = read_article(name, &bytes, &ReadOptions::default());
                    let no_nul_result = read_article(name, &no_nul, &ReadOptions::default());
                    // A few dozen random bytes can pass for text by chance; hundreds cannot.
                    if len >= 500 {
                        assert!(result.is_err(), "seed {seed} len {len} {name}: {result:?}");
                        assert!(no_nul_result.is_err(), "seed {seed} len {len} {name}: {no_nul_result:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_truncation_of_the_fixtures_reads_without_panicking() {
        for name in [
            "article-utf8.txt",
            "article-utf8-bom.txt",
            "article-utf16le-bom.txt",
            "article-utf16be-bom.txt",
            "article-utf16le-nobom.txt",
            "hindi.txt",
            "article.md",
        ] {
            let bytes = fixture(name);
            for end in 0..bytes.len() {
                match read_article(name, &bytes[..end], &ReadOptions::default()) {
                    Ok(article) => assert!(!article.text.is_empty()),
                    Err(ArticleError::Empty | ArticleError::Undecodable { .. } | ArticleError::Binary { .. }) => {}
                    Err(other) => panic!("{name} cut at {end}: {other}"),
                }
            }
        }
        // A UTF-8 file cut inside its last character keeps everything before it.
        let bytes = fixture("article-utf8.txt");
        let article = read_article("a.txt", &bytes[..bytes.len() - 2], &ReadOptions::default()).unwrap();
        assert_eq!(article.text, ARTICLE.trim_end_matches("🚢\n"));
        assert_eq!(article.warnings.len(), 1);
    }

    #[test]
    fn lone_surrogates_in_utf16() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Port talks ".encode_utf16().chain([0xdc00]).chain("resume today.".encode_utf16()) {
            bytes.extend(unit.to_le_bytes());
        }
        let article = read_article("s.txt", &bytes, &ReadOptions::default()).unwrap();
        assert_eq!(article.text, "Port talks \u{fffd}resume today.");
        assert_eq!(article.warnings.len(), 1);
    }

    #[test]
    fn a_huge_single_line() {
        let line = "Gdańsk ".repeat(1_000_000);
        for name in ["line.txt", "line.md", "line.html"] {
            let started = std::time::Instant::now();
            let article = read_article(name, line.as_bytes(), &ReadOptions::default()).unwrap();
            assert_eq!(article.text.trim_end(), line.trim_end(), "{name}");
            assert!(started.elapsed() < std::time::Duration::from_secs(30), "{name} took {:?}", started.elapsed());
        }
    }

    #[test]
    fn fifty_megabytes_of_text() {
        let paragraph = "The mayor of Ñuñoa said the “harbour” talks — held in Gdańsk — would resume. 🚢\r\n";
        let text = paragraph.repeat(50_000_000 / paragraph.len() + 1);
        let started = std::time::Instant::now();
        let article = read_article("big.txt", text.as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(article.text.len(), text.len() - text.matches('\r').count());
        let latin = text.replace(['ń', '🚢'], "n");
        let (legacy, _, _) = encoding_rs::WINDOWS_1252.encode(&latin);
        let article = read_article("big-1252.txt", &legacy, &ReadOptions::default()).unwrap();
        assert_eq!(article.encoding, "windows-1252");
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "took {:?}", started.elapsed());
    }
}
