// The properties the fuzz targets check (`fuzz/fuzz_targets/*.rs` include this file) and the
// regression test replays on every input the fuzzers ever crashed on (`hostile_fuzz.rs`).
// Only `std` and `gloss` here: it is compiled into both.

/// `store::parse` on any text: an error, or a project that saves and loads back unchanged.
pub fn check_project_parse(text: &str) {
    if let Ok(project) = gloss::store::parse(text) {
        let saved = gloss::store::to_string(&project);
        match gloss::store::parse(&saved) {
            Ok(again) => assert_eq!(again, project, "save then load changed the project"),
            Err(err) => panic!("a loaded project saved as an unloadable file: {err}\n{saved}"),
        }
    }
}

/// `formats::read_article` on any bytes, its format detected (by extension and by content) and
/// forced against the extension, its encoding detected and forced: an error, or an article with text, `\n` line endings and no leading BOM.
pub fn check_article_read(bytes: &[u8]) {
    use gloss::formats::{ArticleFormat, ReadOptions, encoding_for_label, read_article};
    let label = ["utf-8", "utf-16le", "windows-1252", "shift_jis"][usize::from(bytes.first().copied().unwrap_or(0) % 4)];
    let forced_encoding = encoding_for_label(label).ok();
    // Detected by each extension and, for "a", by sniffing the content; then a format forced
    // against the extension. Forcing each format for each name again would only repeat these
    // reads with another title (and the format readers are fuzzed deeper by their own targets).
    let reads = [
        ("a.txt", None),
        ("a.html", None),
        ("a.md", None),
        ("a", None),
        ("a.txt", Some(ArticleFormat::Markdown)),
    ];
    for (name, format) in reads {
        for encoding in [None, forced_encoding] {
            if let Ok(article) = read_article(name, bytes, &ReadOptions { format, encoding }) {
                assert!(!article.text.trim().is_empty(), "an article with no text");
                assert!(!article.text.contains('\r'), "a carriage return left in the text");
                assert!(!article.text.starts_with('\u{feff}'), "a byte order mark left in the text");
            }
        }
    }
}

/// Splits fuzz bytes into three positions (the first 24 bytes, little-endian) and a string (the
/// rest, lossily decoded), so that a saved input replays without the fuzzer's own decoder.
pub fn text_offsets_input(bytes: &[u8]) -> (String, [usize; 3]) {
    let mut positions = [0usize; 3];
    for (i, p) in positions.iter_mut().enumerate() {
        let mut word = [0u8; 8];
        for (j, w) in word.iter_mut().enumerate() {
            *w = bytes.get(i * 8 + j).copied().unwrap_or(0);
        }
        *p = u64::from_le_bytes(word) as usize;
    }
    let rest = bytes.get(24..).unwrap_or_default();
    (String::from_utf8_lossy(rest).into_owned(), positions)
}

/// The offset helpers of `model::Text`: never a panic, and they agree with a `chars()` walk.
pub fn check_text_offsets(string: &str, [a, b, c]: [usize; 3]) {
    use gloss::model::Text;
    let chars: Vec<(usize, char)> = string.char_indices().collect();
    let text = Text::new(string.to_owned());
    let len = chars.len();
    assert_eq!(text.len_chars(), len);
    assert_eq!(text.len_bytes(), string.len());
    // Anywhere, mostly inside the text, sometimes near usize::MAX.
    let positions = [a, b, c, a % (len + 2), b % (len + 2), c % (string.len() + 2), usize::MAX - (a % 3)];
    for &i in &positions {
        let expected = if i < len { Some(chars[i].0) } else if i == len { Some(string.len()) } else { None };
        assert_eq!(text.char_to_byte(i), expected, "char_to_byte({i})");
        if let Some(byte) = expected {
            assert_eq!(text.byte_to_char(byte), Some(i), "byte_to_char({byte})");
        }
        let on_boundary = i <= string.len() && string.is_char_boundary(i);
        assert_eq!(text.byte_to_char(i).is_some(), on_boundary, "byte_to_char({i})");
        let _ = text.is_grapheme_boundary(i);
        match text.word_at(i) {
            Some(word) => assert!(word.start <= i && i < word.end && word.end <= len, "word_at({i}) = {word:?}"),
            None => assert!(i >= len, "no word at {i} < {len}"),
        }
    }
    for &start in &positions {
        for &end in &positions {
            let range = start..end;
            let slice = text.slice(range.clone());
            if start <= end && end <= len {
                let expected: String = string.chars().skip(start).take(end - start).collect();
                assert_eq!(slice, Some(expected.as_str()), "slice({range:?})");
            } else {
                assert_eq!(slice, None, "slice({range:?})");
            }
            if let Some(snapped) = text.snap_to_graphemes(range.clone()) {
                assert!(snapped.start <= start && end <= snapped.end && snapped.end <= len, "{range:?} -> {snapped:?}");
                assert!(text.is_grapheme_boundary(snapped.start) && text.is_grapheme_boundary(snapped.end));
            }
            if let Some(words) = text.snap_to_words(range.clone()) {
                assert!(words.start < words.end && words.end <= len, "snap_to_words({range:?}) = {words:?}");
                assert!(text.is_grapheme_boundary(words.start) && text.is_grapheme_boundary(words.end));
                let covered = text.slice(words.clone()).unwrap_or_default();
                assert!(!covered.trim().is_empty(), "snap_to_words({range:?}) kept only whitespace");
            }
        }
    }
}

/// One article reader forced (`Html` or `Markdown`, detected encoding): an error, or an article
/// with text, `\n` line endings and no leading BOM. Faster than [`check_article_read`], so the
/// fuzzer reaches deeper into one reader.
pub fn check_article_as(format: gloss::formats::ArticleFormat, bytes: &[u8]) {
    use gloss::formats::{ReadOptions, read_article};
    if let Ok(article) = read_article("a", bytes, &ReadOptions { format: Some(format), encoding: None }) {
        assert!(!article.text.trim().is_empty(), "an article with no text");
        assert!(!article.text.contains('\r'), "a carriage return left in the text");
        assert!(!article.text.starts_with('\u{feff}'), "a byte order mark left in the text");
    }
}

/// An annotated reader on any bytes (brat: the `.ann` before the first NUL byte, the `.txt`
/// after it): an error that names the file, or documents that plan, strictly and leniently, into
/// a project with no problem that saves and loads back unchanged.
pub fn check_annotated(format: gloss::formats::annotated::AnnotatedFormat, bytes: &[u8]) {
    use gloss::formats::annotated::{AnnotatedFormat, LabelMap, mapping, read_in_memory};
    let (name, content, brat_text) = match format {
        AnnotatedFormat::Brat => {
            let cut = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
            ("fuzz.ann", &bytes[..cut], bytes.get(cut + 1..).unwrap_or_default())
        }
        AnnotatedFormat::Conll => ("fuzz.conll", bytes, &[][..]),
        AnnotatedFormat::LabelStudio => ("fuzz.json", bytes, &[][..]),
        AnnotatedFormat::Jsonl | AnnotatedFormat::Doccano => ("fuzz.jsonl", bytes, &[][..]),
    };
    let docs = match read_in_memory(format, std::path::Path::new(name), content, brat_text) {
        Ok(docs) => docs,
        Err(err) => {
            let message = err.to_string();
            assert!(message.contains("fuzz."), "the error does not name the file: {message}");
            return;
        }
    };
    let project = gloss::model::Project::new("fuzz");
    for lenient in [false, true] {
        match mapping::plan(&project, docs.clone(), &LabelMap::default(), lenient) {
            Ok(plan) => {
                let mut imported = project.clone();
                plan.apply(&mut imported);
                let problems = imported.problems();
                assert!(problems.is_empty(), "an import planned a project with problems: {problems:?}");
                let saved = gloss::store::to_string(&imported);
                match gloss::store::parse(&saved) {
                    Ok(again) => assert_eq!(again, imported, "save then load changed the imported project"),
                    Err(err) => panic!("an imported project saved as an unloadable file: {err}\n{saved}"),
                }
            }
            Err(problems) => assert!(!lenient && !problems.is_empty(), "lenient planning failed: {problems:?}"),
        }
    }
}
