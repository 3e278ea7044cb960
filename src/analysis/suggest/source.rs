//! The sources of suggestions, read from their files: gazetteers (`phrase<TAB>label`) and regex
//! rules (`label<TAB>pattern`, or `label=pattern` on the command line).
//!
//! Both files are UTF-8 (a byte order mark is tolerated), one entry a line; blank lines and
//! lines starting with `#` are skipped. Every malformed line is reported with its number.

use std::path::Path;

/// Why a gazetteer or rule file could not be used. Lists every bad line, not just the first.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file could not be read.
    #[error("cannot read {name}: {source}")]
    Io {
        /// File name as given.
        name: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not UTF-8.
    #[error("{name} is not UTF-8 text (first bad byte at offset {at}); save it as UTF-8")]
    NotUtf8 {
        /// File name as given.
        name: String,
        /// Byte offset of the first invalid byte.
        at: usize,
    },
    /// Lines that do not follow the format.
    #[error("{name}: {}", .lines.join("; "))]
    BadLines {
        /// File name as given.
        name: String,
        /// One message per bad line, "line N: ...".
        lines: Vec<String>,
    },
    /// The file has no entry at all.
    #[error("{name} has no entries (expected lines of {format})")]
    Empty {
        /// File name as given.
        name: String,
        /// The expected line format.
        format: &'static str,
    },
}

/// One gazetteer entry: a phrase and the label it gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GazetteerEntry {
    /// The phrase to find, with surrounding whitespace trimmed.
    pub phrase: String,
    /// The label of what it finds.
    pub label: String,
}

/// A list of phrases with labels, named after its file (`places.tsv`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gazetteer {
    /// Name shown as the origin of its suggestions (`gazetteer:NAME`).
    pub name: String,
    /// Entries in file order.
    pub entries: Vec<GazetteerEntry>,
}

/// One regex rule: matches of `pattern` get `label`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegexRule {
    /// The label of what it finds.
    pub label: String,
    /// The pattern, in the syntax of the `regex` crate.
    pub pattern: String,
    /// Where it was given ("rules.tsv line 3" or "--regex"), for error messages.
    pub place: String,
}

const GAZETTEER_FORMAT: &str = "PHRASE<TAB>LABEL";
const RULE_FORMAT: &str = "LABEL<TAB>PATTERN";
/// At most this many bad lines are listed; the rest are counted.
const MAX_LISTED: usize = 20;

impl Gazetteer {
    /// Parses gazetteer text; `name` names it in messages and as the origin of its suggestions.
    pub fn parse(name: &str, text: &str) -> Result<Self, SourceError> {
        let mut entries = Vec::new();
        let mut bad = BadLines::default();
        for (number, line) in lines(text) {
            let mut fields = line.split('\t');
            let (Some(phrase), Some(label), extra) = (fields.next(), fields.next(), fields.next()) else {
                bad.push(number, format!("no tab; expected {GAZETTEER_FORMAT}, found {:?}", shorten(line)));
                continue;
            };
            let (phrase, label) = (phrase.trim(), label.trim());
            if extra.is_some() {
                bad.push(number, format!("more than one tab; expected {GAZETTEER_FORMAT}"));
            } else if phrase.is_empty() {
                bad.push(number, "empty phrase".to_owned());
            } else if label.is_empty() {
                bad.push(number, format!("no label for {phrase:?}"));
            } else {
                entries.push(GazetteerEntry { phrase: phrase.to_owned(), label: label.to_owned() });
            }
        }
        bad.into_result(name)?;
        if entries.is_empty() {
            return Err(SourceError::Empty { name: name.to_owned(), format: GAZETTEER_FORMAT });
        }
        Ok(Self { name: name.to_owned(), entries })
    }

    /// Reads and parses a gazetteer file, named after the file's name.
    pub fn read(path: &Path) -> Result<Self, SourceError> {
        let name = file_name(path);
        Self::parse(&name, &read_utf8(path, &name)?)
    }
}

impl RegexRule {
    /// Parses a rules file (`LABEL<TAB>PATTERN` lines). Patterns are compiled later, by
    /// [`super::Matcher::new`], which reports a bad one with its place.
    pub fn parse_file_text(name: &str, text: &str) -> Result<Vec<Self>, SourceError> {
        let mut rules = Vec::new();
        let mut bad = BadLines::default();
        for (number, line) in lines(text) {
            let Some((label, pattern)) = line.split_once('\t') else {
                bad.push(number, format!("no tab; expected {RULE_FORMAT}, found {:?}", shorten(line)));
                continue;
            };
            let label = label.trim();
            if label.is_empty() {
                bad.push(number, "empty label".to_owned());
            } else if pattern.is_empty() {
                bad.push(number, format!("no pattern for label {label:?}"));
            } else {
                let place = format!("{name} line {number}");
                rules.push(Self { label: label.to_owned(), pattern: pattern.to_owned(), place });
            }
        }
        bad.into_result(name)?;
        if rules.is_empty() {
            return Err(SourceError::Empty { name: name.to_owned(), format: RULE_FORMAT });
        }
        Ok(rules)
    }

    /// Reads a rules file.
    pub fn read_file(path: &Path) -> Result<Vec<Self>, SourceError> {
        let name = file_name(path);
        Self::parse_file_text(&name, &read_utf8(path, &name)?)
    }

    /// Parses one `LABEL=PATTERN` rule given on the command line.
    pub fn parse_arg(arg: &str) -> Result<Self, String> {
        let (label, pattern) = arg.split_once('=').ok_or_else(|| format!("--regex {arg:?} is not LABEL=PATTERN"))?;
        let label = label.trim();
        if label.is_empty() || pattern.is_empty() {
            return Err(format!("--regex {arg:?}: both the label and the pattern must be non-empty"));
        }
        Ok(Self { label: label.to_owned(), pattern: pattern.to_owned(), place: format!("--regex {label}=...") })
    }
}

/// Bad lines collected while parsing.
#[derive(Default)]
struct BadLines {
    listed: Vec<String>,
    more: usize,
}

impl BadLines {
    fn push(&mut self, number: usize, message: String) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(format!("line {number}: {message}"));
        } else {
            self.more += 1;
        }
    }

    fn into_result(mut self, name: &str) -> Result<(), SourceError> {
        if self.listed.is_empty() {
            return Ok(());
        }
        if self.more > 0 {
            self.listed.push(format!("and {} more bad lines", self.more));
        }
        Err(SourceError::BadLines { name: name.to_owned(), lines: self.listed })
    }
}

/// The lines that hold entries, numbered from 1: no BOM, no line ending, no blank or `#` lines.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

fn shorten(line: &str) -> String {
    const MAX: usize = 40;
    if line.chars().count() <= MAX { line.to_owned() } else { line.chars().take(MAX).collect::<String>() + "…" }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// The text of a UTF-8 regular file; a named pipe or a device is refused before it is opened.
fn read_utf8(path: &Path, name: &str) -> Result<String, SourceError> {
    let io_error = |source| SourceError::Io { name: path.display().to_string(), source };
    crate::store::regular_file(path).map_err(io_error)?;
    let bytes = std::fs::read(path).map_err(io_error)?;
    String::from_utf8(bytes)
        .map_err(|e| SourceError::NotUtf8 { name: name.to_owned(), at: e.utf8_error().valid_up_to() })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A named pipe given as a gazetteer is refused before it is opened (opening it would block).
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_before_it_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("places.tsv");
        crate::store::special::make_fifo(&fifo);
        let err = Gazetteer::read(&fifo).unwrap_err();
        assert_eq!(err.to_string(), format!("cannot read {}: a named pipe (FIFO), not a regular file", fifo.display()));
    }

    #[test]
    fn gazetteer_skips_comments_blank_lines_bom_and_crlf() {
        let text =
            "\u{feff}# places\r\nKarachi\tlocation\r\n\r\n  New York \tlocation\n  # indented comment\nLee\tspeaker";
        let g = Gazetteer::parse("places.tsv", text).expect("valid");
        let got: Vec<(&str, &str)> = g.entries.iter().map(|e| (e.phrase.as_str(), e.label.as_str())).collect();
        assert_eq!(got, vec![("Karachi", "location"), ("New York", "location"), ("Lee", "speaker")]);
        assert_eq!(g.name, "places.tsv");
    }

    #[test]
    fn gazetteer_lists_every_bad_line_with_its_number() {
        let text = "Karachi\tlocation\nno tab here\n\tlocation\nLahore\t\nA\tB\tC\nfine\tlabel\n";
        let err = Gazetteer::parse("g.tsv", text).expect_err("bad lines");
        let SourceError::BadLines { lines, .. } = &err else { panic!("{err:?}") };
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[0].starts_with("line 2: no tab"), "{lines:?}");
        assert!(lines[1].starts_with("line 3: empty phrase"), "{lines:?}");
        assert!(lines[2].starts_with("line 4: no label"), "{lines:?}");
        assert!(lines[3].starts_with("line 5: more than one tab"), "{lines:?}");
        assert!(err.to_string().starts_with("g.tsv: line 2:"), "{err}");
    }

    #[test]
    fn many_bad_lines_are_counted_not_all_listed() {
        let text = "bad\n".repeat(50);
        let err = Gazetteer::parse("g.tsv", &text).expect_err("bad");
        let SourceError::BadLines { lines, .. } = &err else { panic!("{err:?}") };
        assert_eq!(lines.len(), MAX_LISTED + 1);
        assert_eq!(lines.last().map(String::as_str), Some("and 30 more bad lines"));
    }

    #[test]
    fn empty_files_are_refused() {
        assert!(matches!(Gazetteer::parse("g.tsv", "# only a comment\n\n"), Err(SourceError::Empty { .. })));
        assert!(matches!(RegexRule::parse_file_text("r.tsv", ""), Err(SourceError::Empty { .. })));
    }

    #[test]
    fn rules_keep_tabs_inside_patterns_and_know_their_place() {
        let rules =
            RegexRule::parse_file_text("r.tsv", "# rules\nyear\t\\b(19|20)\\d\\d\\b\ntab\ta\tb\n").expect("valid");
        assert_eq!(rules[0].label, "year");
        assert_eq!(rules[0].pattern, "\\b(19|20)\\d\\d\\b");
        assert_eq!(rules[0].place, "r.tsv line 2");
        assert_eq!(rules[1].pattern, "a\tb");
        let err = RegexRule::parse_file_text("r.tsv", "year\nx\t\n").expect_err("bad");
        assert!(err.to_string().contains("line 1: no tab"), "{err}");
        assert!(err.to_string().contains("line 2: no pattern"), "{err}");
    }

    #[test]
    fn rule_arguments_split_at_the_first_equals_sign() {
        let rule = RegexRule::parse_arg("money=[$€]\\d+(=\\d)?").expect("valid");
        assert_eq!((rule.label.as_str(), rule.pattern.as_str()), ("money", "[$€]\\d+(=\\d)?"));
        assert!(RegexRule::parse_arg("nolabel").is_err());
        assert!(RegexRule::parse_arg("=x").is_err());
        assert!(RegexRule::parse_arg("x=").is_err());
    }

    #[test]
    fn unreadable_and_non_utf8_files_say_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("missing.tsv");
        assert!(matches!(Gazetteer::read(&missing), Err(SourceError::Io { .. })));
        let latin1 = dir.path().join("latin1.tsv");
        std::fs::write(&latin1, b"K\xf6ln\tlocation\n").expect("write");
        let err = Gazetteer::read(&latin1).expect_err("not utf-8");
        assert!(matches!(err, SourceError::NotUtf8 { at: 1, .. }), "{err:?}");
    }
}
