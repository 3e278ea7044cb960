//! The RON project file: a versioned format, loading with validation, atomic saving.
//!
//! ```ron
//! (
//!     format: "gloss-project",
//!     version: 1,
//!     name: "Border talks",
//!     schema: (labels: [...], relations: [...]),
//!     documents: [
//!         (
//!             id: "d0001",
//!             title: "Harbour strike talks collapse",
//!             status: Done,
//!             text: "The port's governor said ...",
//!             spans: [
//!                 (id: 1, start: 0, end: 19, label: "speaker", text: "The port's governor"),
//!             ],
//!             relations: [(id: 1, label: "said", from: 1, to: 2)],
//!         ),
//!     ],
//! )
//! ```
//!
//! Offsets are code point indices into `text`, end-exclusive. Each span also carries the `text`
//! it covers, which loading checks against the offsets.

mod atomic;
mod error;
mod fast;
mod file;
mod lock;
mod size;
pub(crate) mod special;
mod stream;
mod write;

use std::path::{Path, PathBuf};

pub use atomic::{Capped, replace_file};
pub use error::{LoadError, ParseError, SaveError};
pub use file::{FORMAT, VERSION};
pub use lock::{Holder, LockError, ProjectLock, lock_path};
pub use size::{human_bytes, over_limit};
pub use special::{file_or_folder, is_special, kind_name, regular_file};
pub use stream::{ProjectStream, stream};
pub use write::{to_string, write_project, write_snapshot};

use crate::model::{Project, Snapshot};

/// File name suffix of project files Gloss creates next to an article.
pub const PROJECT_SUFFIX: &str = ".gloss.ron";

/// Parses and validates the text of a project file.
pub fn parse(text: &str) -> Result<Project, ParseError> {
    parse_unmarked(text.strip_prefix(BOM).unwrap_or(text))
}

/// A byte order mark, which an editor may put at the start of a project file. One is taken off
/// before parsing; a second one is a syntax error, whichever reader meets it.
const BOM: char = '\u{feff}';

/// [`parse`] of a text whose byte order mark, if it had one, is already taken off.
fn parse_unmarked(text: &str) -> Result<Project, ParseError> {
    // Files in Gloss's own layout take the fast reader; anything else, and every error, goes
    // through ron.
    if let Some(parsed) = fast::parse(text).filter(|p| p.format == FORMAT && p.version == VERSION) {
        return parsed.into_project().map_err(ParseError::Invalid);
    }
    // The fast reader takes no NUL byte (the writer escapes control characters): only a file it
    // refused can hold one, and then it is a binary file rather than a syntax error.
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        let (line, column) = line_column(text.as_bytes(), at);
        return Err(binary(line, column));
    }
    parse_with_ron(text)
}

/// Parses with the general RON parser: any layout, and the error messages.
fn parse_with_ron(text: &str) -> Result<Project, ParseError> {
    let options = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let parsed: file::ProjectFile = match options.from_str(text) {
        Ok(parsed) => parsed,
        Err(err) => {
            // A newer format may not fit today's shape at all: say so rather than point at a field.
            if let Some(found) = declared_version(text).filter(|v| *v > VERSION) {
                return Err(ParseError::NewerVersion { found, supported: VERSION });
            }
            return Err(ParseError::Syntax {
                line: err.span.start.line,
                column: err.span.start.col,
                message: err.code.to_string(),
            });
        }
    };
    if parsed.format != FORMAT {
        return Err(ParseError::NotAProject(parsed.format));
    }
    if parsed.version > VERSION {
        return Err(ParseError::NewerVersion { found: parsed.version, supported: VERSION });
    }
    if parsed.version == 0 {
        return Err(ParseError::Syntax {
            line: 1,
            column: 1,
            message: "version 0 does not exist; the first version is 1".to_owned(),
        });
    }
    // Version 1 is the first version: there is nothing older to migrate yet.
    parsed.into_project().map_err(ParseError::Invalid)
}

/// The largest project file Gloss reads: 512 MiB, five times the largest projects it is built
/// for. A larger file is refused before it is read, so a wrong file cannot exhaust memory; a save
/// that would write a larger one fails instead, leaving the previous file as it was.
pub const MAX_PROJECT_BYTES: u64 = 512 * 1024 * 1024;

/// The fewest bytes one span takes in a saved project: its line,
/// `                (id: 1, start: 0, end: 1, label: "x", text: "a"),`, is longer.
pub const MIN_SAVED_SPAN_BYTES: u64 = 60;

/// The most spans a project can hold: more could never be saved within [`MAX_PROJECT_BYTES`].
/// Readers of annotated files stop at this many, so that a file of millions of one-token spans
/// (six bytes each in CoNLL) is refused before it fills memory.
pub const MAX_PROJECT_SPANS: usize = (MAX_PROJECT_BYTES / MIN_SAVED_SPAN_BYTES) as usize;

/// How much of a file is looked at first, to refuse a binary file without reading all of it.
const SNIFF_BYTES: u64 = 64 * 1024;

/// Reads, parses and validates the project file at `path`.
///
/// A file over [`MAX_PROJECT_BYTES`] is refused from its size, and a binary file (NUL bytes or
/// invalid UTF-8 near its start) from its first bytes, before the rest is read. Anything but a
/// regular file (a folder, a named pipe, a device) is refused before it is opened.
pub fn load(path: &Path) -> Result<Project, LoadError> {
    let text = read_project_text(path)?;
    parse(&text).map_err(|source| LoadError::Parse { path: path.to_owned(), source })
}

/// The text of a project file: refused when too large, not UTF-8, or binary.
fn read_project_text(path: &Path) -> Result<String, LoadError> {
    let bytes = read_project_bytes(path)?;
    let parse_error = |source| LoadError::Parse { path: path.to_owned(), source };
    // One UTF-8 check over the whole file, and no copy.
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let (line, column) = line_column(err.as_bytes(), err.utf8_error().valid_up_to());
            return Err(parse_error(ParseError::NotUtf8 { line, column }));
        }
    };
    // A NUL byte further on is found by `parse`, only when the fast reader refuses the file.
    Ok(text)
}

/// A NUL byte: never in a project file, which escapes control characters in its strings.
fn binary(line: usize, column: usize) -> ParseError {
    ParseError::Syntax { line, column, message: "a NUL byte: this is a binary file, not a project file".to_owned() }
}

/// The bytes of a project file, refusing one that is too large or binary before reading it all,
/// and anything but a regular file (a named pipe, a device) before opening it.
fn read_project_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    use std::io::Read as _;
    let read_error = |source| LoadError::Read { path: path.to_owned(), source };
    regular_file(path).map_err(read_error)?;
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    let too_large = |size: u64| {
        read_error(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("the file is too large for a project: {}", over_limit(size, MAX_PROJECT_BYTES, false)),
        ))
    };
    if size > MAX_PROJECT_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(MAX_PROJECT_BYTES)).unwrap_or(0));
    (&mut file).take(SNIFF_BYTES).read_to_end(&mut bytes).map_err(read_error)?;
    let parse_error = |source| LoadError::Parse { path: path.to_owned(), source };
    if let Err(err) = std::str::from_utf8(&bytes) {
        // An error at the very end may only be a character cut by the sniff.
        if err.error_len().is_some() {
            let (line, column) = line_column(&bytes, err.valid_up_to());
            return Err(parse_error(ParseError::NotUtf8 { line, column }));
        }
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = line_column(&bytes, at);
        return Err(parse_error(binary(line, column)));
    }
    // A file that grows while it is read is cut at the limit, never read without end.
    file.take(MAX_PROJECT_BYTES + 1 - bytes.len() as u64).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > MAX_PROJECT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Saves `project` to `path` atomically: the previous file stays intact if anything fails,
/// including a project over [`MAX_PROJECT_BYTES`], which could not be loaded again.
pub fn save(path: &Path, project: &Project) -> Result<(), SaveError> {
    replace_file(path, |w| write_project(w, project))
}

/// Saves a [`Snapshot`] of a project atomically, as [`save`] saves the project itself (the same
/// bytes); what a save off the UI thread writes.
pub fn save_snapshot(path: &Path, snapshot: &Snapshot) -> Result<(), SaveError> {
    replace_file(path, |w| write_snapshot(w, snapshot))
}

/// The autosave file kept beside a project: `p.gloss.ron` → `p.gloss.ron.recovery`.
pub fn recovery_path(project_path: &Path) -> PathBuf {
    let mut name = project_path.file_name().unwrap_or_default().to_os_string();
    name.push(".recovery");
    project_path.with_file_name(name)
}

/// The project an article starts: `istanbul.html` → `istanbul.gloss.ron` beside it.
pub fn project_path_for_article(article: &Path) -> PathBuf {
    let stem = article.file_stem().unwrap_or_default().to_string_lossy();
    article.with_file_name(format!("{stem}{PROJECT_SUFFIX}"))
}

/// True when `path` names a project file rather than an article (by its `.ron` extension).
pub fn is_project_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// The `version: N` a file declares near its start, found without parsing the whole file.
fn declared_version(text: &str) -> Option<u64> {
    // The first 4 KB, cut back to a character boundary (a multi-byte character may straddle it).
    let cut = (0..=text.len().min(4096)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let head = text.get(..cut)?;
    let at = head.find("version")?;
    let rest = head.get(at + "version".len()..)?.trim_start().strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default()).chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocLabelDef, Document, Edit, Relation, Span, Status};
    use proptest::prelude::*;

    fn sample() -> Project {
        let mut p = Project::new("Border talks");
        let mut d = Document::new(
            "d0001",
            "Harbour \"strike\"",
            "The port's governor said he would close every dock by Friday.",
        );
        d.status = Status::Done;
        d.source = Some("articles/harbour.html".into());
        d.meta.insert("outlet".into(), "The Tide".into());
        p.documents.push(d);
        let spans = [
            Span::new(1, 0, 19, "speaker"),
            Span { note: Some("conditional?".into()), annotator: Some("ana".into()), ..Span::new(2, 34, 60, "threat") },
            Span::new(3, 34, 60, "claim"),
        ];
        for span in spans {
            Edit::AddSpan { doc: 0, span }.apply(&mut p).unwrap();
        }
        Edit::AddRelation { doc: 0, relation: Relation { id: 1, label: "said".into(), from: 1, to: 2 } }
            .apply(&mut p)
            .unwrap();
        p
    }

    #[test]
    fn no_span_takes_fewer_saved_bytes_than_the_span_limit_assumes() {
        // The shortest span there can be: one code point, a one-letter label, id 1, nothing else.
        let mut p = Project::new("p");
        p.documents.push(Document::new("d", "t", "ab"));
        let without = to_string(&p).len() as u64;
        p.documents[0].spans.push(Span::new(1, 0, 1, "x"));
        let one = to_string(&p).len() as u64;
        p.documents[0].spans.push(Span::new(2, 1, 2, "x"));
        let two = to_string(&p).len() as u64;
        assert!(one - without >= MIN_SAVED_SPAN_BYTES, "the first span took {} bytes", one - without);
        assert!(two - one >= MIN_SAVED_SPAN_BYTES, "the second span took {} bytes", two - one);
        assert_eq!(
            MAX_PROJECT_SPANS as u64 * MIN_SAVED_SPAN_BYTES,
            MAX_PROJECT_BYTES - MAX_PROJECT_BYTES % MIN_SAVED_SPAN_BYTES
        );
    }

    #[test]
    fn round_trip_keeps_everything() {
        let p = sample();
        let text = to_string(&p);
        assert_eq!(parse(&text).unwrap(), p);
        assert!(text.contains(
            "(id: 2, start: 34, end: 60, label: \"threat\", text: \"close every dock by Friday\", note: Some(\"conditional?\"), annotator: Some(\"ana\")),\n"
        ));
    }

    #[test]
    fn doc_labels_are_written_compactly_and_read_back_by_both_readers() {
        let mut p = sample();
        // Without doc labels, nothing about them is written.
        assert!(!to_string(&p).contains("doc_labels"));
        p.schema.doc_labels.push(DocLabelDef {
            name: "escalation".into(),
            values: vec!["yes".into(), "no".into()],
            key: Some('e'),
            description: "Does the article report an escalation?".into(),
        });
        p.schema.doc_labels.push(DocLabelDef {
            name: "stance".into(),
            values: vec!["pro".into(), "anti".into()],
            key: None,
            description: String::new(),
        });
        p.documents[0].doc_labels.insert("escalation".into(), "yes".into());
        p.documents[0].doc_labels.insert("stance".into(), "anti".into());
        let text = to_string(&p);
        assert!(
            text.contains(
                "        ],\n        doc_labels: [\n            (name: \"escalation\", values: [\"yes\", \"no\"], key: \"e\", \
                 description: \"Does the article report an escalation?\"),\n            (name: \"stance\", values: \
                 [\"pro\", \"anti\"], description: \"\"),\n        ],\n    ),\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "            doc_labels: {\"escalation\": \"yes\", \"stance\": \"anti\"},\n            text: "
            )
        );
        assert!(fast::parse(&text).is_some());
        assert_eq!(parse(&text).unwrap(), p);
        assert_eq!(parse_with_ron(&text).unwrap(), p);
        // A hand-written file may put the field elsewhere: ron reads it.
        let moved =
            text.replace("            doc_labels: {\"escalation\": \"yes\", \"stance\": \"anti\"},\n", "").replace(
                "            status: Done,\n",
                "            doc_labels: {\"stance\": \"anti\", \"escalation\": \"yes\"},\n            status: Done,\n",
            );
        assert!(fast::parse(&moved).is_none());
        assert_eq!(parse(&moved).unwrap(), p);
        // A value the schema does not list is a problem with its document named.
        let bad = text.replace("\"stance\": \"anti\"}", "\"stance\": \"neutral\"}");
        let problems = parse(&bad).unwrap_err().problems();
        assert_eq!(
            problems,
            [
                "document \"d0001\": document label \"stance\" has value \"neutral\", which is not one of [\"pro\", \"anti\"]"
            ]
        );
        let long_key = text.replace("key: \"e\"", "key: \"ee\"");
        let problems = parse(&long_key).unwrap_err().problems();
        assert_eq!(problems, ["project: document label \"escalation\": hotkey \"ee\" must be a single character"]);
    }

    #[test]
    fn rejections_are_written_compactly_and_read_back_by_both_readers() {
        let mut p = sample();
        let plain = to_string(&p);
        assert!(!plain.contains("rejected"), "nothing written without rejections");
        let mut s = Span::new(1, 4, 8, "location");
        s.annotator = Some("gazetteer:places.tsv".into());
        Edit::AddSuggestion { doc: 0, suggestion: s }.apply(&mut p).unwrap();
        Edit::reject_suggestions(&p, 0, &[1]).unwrap().apply(&mut p).unwrap();
        let rejections = vec![crate::model::Rejection { start: 0, end: 3, label: "place \"old\"".into() }];
        Edit::RememberRejections { doc: 0, rejections }.apply(&mut p).unwrap();
        let text = to_string(&p);
        assert!(
            text.contains(
                "            ],\n            rejected: [\n                (0, 3, \"place \\\"old\\\"\"),\n                \
                 (4, 8, \"location\"),\n            ],\n        ),\n"
            ),
            "{text}"
        );
        assert!(fast::parse(&text).is_some(), "the fast reader takes it");
        assert_eq!(parse(&text).unwrap(), p);
        assert_eq!(parse_with_ron(&text).unwrap(), p);
        // Hand-edited: out of order and repeated loads the same set.
        let hand = text.replace(
            "(0, 3, \"place \\\"old\\\"\"),\n                (4, 8, \"location\"),",
            "(4, 8, \"location\"), (0, 3, \"place \\\"old\\\"\"), (4, 8, \"location\"),",
        );
        assert_ne!(hand, text);
        assert_eq!(parse(&hand).unwrap(), p);
        // Offsets past the text are a problem naming the document.
        let bad = text.replace("(4, 8, \"location\")", "(4, 800, \"location\")");
        let problems = parse(&bad).unwrap_err().problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("document \"d0001\": rejected suggestion 4..800"), "{}", problems[0]);
        // A malformed entry is a syntax error with its line, not a panic.
        let broken = text.replace("(4, 8, \"location\")", "(4, \"location\")");
        assert!(matches!(parse(&broken), Err(ParseError::Syntax { .. })));
    }

    #[test]
    fn combining_marks_stay_literal_in_the_file() {
        let mut p = Project::new("x");
        p.documents.push(Document::new("d1", "t", "नमस्ते\tدنیا\u{0}"));
        let text = to_string(&p);
        assert!(text.contains("text: \"नमस्ते\\tدنیا\\u{0}\""), "{text}");
        assert_eq!(parse(&text).unwrap(), p);
    }

    #[test]
    fn a_save_past_the_size_limit_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.gloss.ron");
        let p = sample();
        let limit = to_string(&p).len() as u64;
        // Exactly at the limit is a file the loader takes.
        atomic::replace_file_within(&path, limit, |w| write_project(w, &p)).unwrap();
        assert_eq!(load(&path).unwrap(), p);
        let mut bigger = p.clone();
        bigger.name.push('!');
        let snapshot = Snapshot::take(&bigger, None);
        for err in [
            atomic::replace_file_within(&path, limit, |w| write_project(w, &bigger)).unwrap_err(),
            atomic::replace_file_within(&path, limit, |w| write_snapshot(w, &snapshot)).unwrap_err(),
        ] {
            let message = err.to_string();
            assert!(message.contains(&format!("would be more than {limit} bytes")), "{message}");
            assert!(message.ends_with("the previous file is unchanged"), "{message}");
            assert_eq!(load(&path).unwrap(), p);
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
        }
    }

    #[test]
    fn newer_version_is_refused_even_if_shape_changed() {
        let err = parse("(format: \"gloss-project\", version: 7, everything: \"different\")").unwrap_err();
        assert!(matches!(err, ParseError::NewerVersion { found: 7, supported: 1 }), "{err}");
        let err = parse(&to_string(&sample()).replace("version: 1", "version: 2")).unwrap_err();
        assert!(matches!(err, ParseError::NewerVersion { found: 2, .. }), "{err}");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let text = to_string(&sample()).replace("status: Done", "status: Finished");
        let line = text.lines().position(|l| l.contains("Finished")).unwrap() + 1;
        match parse(&text).unwrap_err() {
            ParseError::Syntax { line: l, message, .. } => {
                assert_eq!(l, line);
                assert!(message.contains("Finished"), "{message}");
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn wrong_span_text_names_document_and_span() {
        let text = to_string(&sample())
            .replace("text: \"close every dock by Friday\", note", "text: \"close every dock by Monday\", note");
        let err = parse(&text).unwrap_err();
        let problems = err.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("document \"d0001\", span 2: text does not match offsets 34..60"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn recovery_and_article_paths() {
        assert_eq!(recovery_path(Path::new("/a/p.gloss.ron")), Path::new("/a/p.gloss.ron.recovery"));
        assert_eq!(project_path_for_article(Path::new("x/istanbul.html")), Path::new("x/istanbul.gloss.ron"));
    }

    #[test]
    fn utf8_error_position() {
        assert_eq!(line_column(b"ab\ncd\xff", 5), (2, 3));
    }

    fn arb_project() -> impl Strategy<Value = Project> {
        let doc = (
            "\\PC{1,60}",
            proptest::collection::vec((0usize..80, 1usize..20, 0usize..4, proptest::option::of("\\PC{0,8}")), 0..12),
            // Doc label values: index into the def's values, past the end for unset.
            (0usize..4, 0usize..3),
        );
        // Doc label defs: none (the old layout), or two with values that need escaping.
        let defs = proptest::option::of(("\\PC{1,8}", proptest::option::of(prop::sample::select(vec!['e', 'ü', 'x']))));
        ("\\PC{0,12}", proptest::collection::vec(doc, 0..4), defs).prop_map(|(name, docs, defs)| {
            let mut p = Project::new(name);
            if let Some((odd_value, key)) = defs {
                p.schema.doc_labels = vec![
                    DocLabelDef {
                        name: "escalation".into(),
                        values: vec!["yes".into(), "no".into(), "unclear \"?\"".into()],
                        key,
                        description: "Does it escalate?\n".into(),
                    },
                    DocLabelDef {
                        name: "stance «?»".into(),
                        values: vec![format!("«{odd_value}»"), "neutral".into()],
                        key: None,
                        description: String::new(),
                    },
                ];
            }
            let labels = ["claim", "threat", "speaker", "location"];
            for (i, (text, spans, (escalation, stance))) in docs.into_iter().enumerate() {
                let index = p.documents.len();
                let mut d = Document::new(format!("d{i}"), format!("title \"{i}\"\n"), text);
                for (def, pick) in p.schema.doc_labels.iter().zip([escalation, stance]) {
                    if let Some(value) = def.values.get(pick) {
                        d.doc_labels.insert(def.name.clone(), value.clone());
                    }
                }
                let len = d.text.len_chars();
                p.documents.push(d);
                for (j, (start, width, label, note)) in spans.into_iter().enumerate() {
                    let start = start % len;
                    let end = (start + width).min(len);
                    let span = Span { note, ..Span::new(j as u64 + 1, start, end, labels[label]) };
                    // Every third one is a suggestion, with where it came from.
                    let edit = if j % 3 == 2 {
                        let suggestion = Span { annotator: Some(format!("gazetteer:g{j}.tsv")), ..span };
                        Edit::AddSuggestion { doc: index, suggestion }
                    } else {
                        Edit::AddSpan { doc: index, span }
                    };
                    let _maybe_duplicate = edit.apply(&mut p);
                    // Every fifth is remembered as rejected too (a label the schema may lack).
                    if j % 5 == 4 {
                        let label = if j % 2 == 0 { "gone «label»".to_owned() } else { labels[label].to_owned() };
                        let rejections = vec![crate::model::Rejection { start, end, label }];
                        let _always = Edit::RememberRejections { doc: index, rejections }.apply(&mut p);
                    }
                }
            }
            p
        })
    }

    fn same_outcome(a: &Result<Project, ParseError>, b: &Result<Project, ParseError>) -> bool {
        match (a, b) {
            (Ok(x), Ok(y)) => x == y,
            (Err(ParseError::Invalid(x)), Err(ParseError::Invalid(y))) => x == y,
            _ => false,
        }
    }

    #[test]
    fn a_doubled_comma_after_relations_is_left_to_ron() {
        // Regression (proptest): the fast reader took `relations: [],,` that ron refuses.
        let text = to_string(&sample());
        let broken = text.replacen("\n            ],\n        ),", "\n            ],,\n        ),", 1);
        assert_ne!(broken, text, "the sample has a relations list to break");
        assert!(fast::parse(&broken).is_none());
        assert!(parse(&broken).is_err());
    }

    #[test]
    fn the_golden_layout_takes_the_fast_reader() {
        let text = to_string(&sample());
        assert!(fast::parse(&text).is_some());
        assert!(same_outcome(&parse(&text), &parse_with_ron(&text)));
        // Hand-written forms fall back to ron and still load.
        let hand = text.replace("note: Some(\"conditional?\")", "note: \"conditional?\"");
        assert!(fast::parse(&hand).is_none());
        assert_eq!(parse(&hand).unwrap(), sample());
        let commented = text.replacen("(\n", "( // a comment\n", 1);
        assert!(fast::parse(&commented).is_none());
        assert_eq!(parse(&commented).unwrap(), sample());
    }

    /// A named pipe (nothing ever writes to it) and a link to a device are refused before they
    /// are opened: opening the pipe would block for ever.
    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_before_they_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p.gloss.ron");
        crate::store::special::make_fifo(&fifo);
        let link = dir.path().join("null.gloss.ron");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        for (path, kind) in [(&fifo, "a named pipe (FIFO)"), (&link, "a character device")] {
            let expected = format!("cannot read {}: {kind}, not a regular file", path.display());
            assert_eq!(load(path).unwrap_err().to_string(), expected);
            assert_eq!(stream(path).err().map(|e| e.to_string()), Some(expected));
        }
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.ends_with(": a folder, not a regular file"), "{err}");
    }

    proptest! {
        #[test]
        fn save_then_load_is_identity(p in arb_project()) {
            let text = to_string(&p);
            prop_assert!(fast::parse(&text).is_some(), "the writer's layout must take the fast path");
            prop_assert_eq!(parse(&text).unwrap(), p.clone());
            prop_assert_eq!(parse_with_ron(&text).unwrap(), p);
        }

        /// A snapshot, fresh or sharing documents with an earlier one, writes the project's bytes.
        #[test]
        fn a_snapshot_writes_what_the_project_writes(p in arb_project(), edited in any::<prop::sample::Index>()) {
            let mut earlier = p.clone();
            if !earlier.documents.is_empty() {
                let i = edited.index(earlier.documents.len());
                earlier.documents[i].spans.clear();
                earlier.documents[i].title.push_str(" (before)");
            }
            let before = Snapshot::take(&earlier, None);
            let mut written = Vec::new();
            write_snapshot(&mut written, &Snapshot::take(&p, Some(&before))).unwrap();
            prop_assert_eq!(String::from_utf8(written).unwrap(), to_string(&p));
        }

        /// Whatever the fast reader accepts, ron accepts too, with the same result: a damaged or
        /// odd file never loads differently because of the shortcut.
        #[test]
        fn the_fast_reader_never_disagrees_with_ron(
            p in arb_project(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..3, prop::sample::select(vec![",", ")", "(", "]", "\"", "\\", " ", "1", "x", "Some(", ":", "\n", "é"])), 1..4),
        ) {
            let mut text = to_string(&p);
            for (at, kind, piece) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) { i -= 1; }
                match kind {
                    0 => text.insert_str(i, piece),
                    1 => { let end = (i + piece.len()).min(text.len()); let mut e = end; while !text.is_char_boundary(e) { e += 1; } text.replace_range(i..e, ""); }
                    _ => { let mut e = (i + 1).min(text.len()); while !text.is_char_boundary(e) { e += 1; } text.replace_range(i..e, piece); }
                }
            }
            if let Some(fast) = fast::parse(&text) {
                if fast.format == FORMAT && fast.version == VERSION {
                    let by_fast = fast.into_project().map_err(ParseError::Invalid);
                    let by_ron = parse_with_ron(&text);
                    prop_assert!(same_outcome(&by_fast, &by_ron), "fast {:?}\nron {:?}\n{}", by_fast.as_ref().err(), by_ron.as_ref().err(), text);
                }
            }
        }
    }
}
