//! Importing annotated corpora into a project: Gloss JSONL and the Prodigy/spaCy shape, doccano
//! JSONL, Label Studio JSON, brat standoff folders and CoNLL token files.
//!
//! Each reader turns files into [`incoming::Incoming`] documents; [`mapping::plan`] converts and
//! checks every span against its text (where the format carries one), maps labels and plans the
//! schema additions; nothing touches the project until the whole import has been checked. Every
//! message names the file and, where it applies, the line, document and span.

mod brat;
mod conll;
mod doccano;
pub mod incoming;
mod json;
mod jsonl;
mod label_studio;
pub mod mapping;

use std::fmt;
use std::fs;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use mapping::{LabelMap, Plan};

use crate::model::Project;
use crate::store;
use incoming::Incoming;

/// The largest annotated file read: 512 MiB, the size of the largest project Gloss loads
/// ([`crate::store::MAX_PROJECT_BYTES`]), so that a wrong file cannot exhaust memory (reading
/// takes a few times the file's size).
pub const MAX_ANNOTATED_BYTES: u64 = 512 * 1024 * 1024;

/// An annotated corpus format Gloss imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnnotatedFormat {
    /// Gloss JSONL, or the Prodigy/spaCy `{"text", "spans"}` shape.
    Jsonl,
    /// doccano JSONL (UTF-16 offsets).
    Doccano,
    /// Label Studio JSON export.
    LabelStudio,
    /// brat standoff (`.txt` + `.ann`).
    Brat,
    /// CoNLL tokens with IOB1, IOB2 or BILOU tags.
    Conll,
}

impl AnnotatedFormat {
    /// Name as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            AnnotatedFormat::Jsonl => "jsonl",
            AnnotatedFormat::Doccano => "doccano",
            AnnotatedFormat::LabelStudio => "label-studio",
            AnnotatedFormat::Brat => "brat",
            AnnotatedFormat::Conll => "conll",
        }
    }
}

impl fmt::Display for AnnotatedFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for AnnotatedFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "jsonl" | "prodigy" | "spacy" => Ok(AnnotatedFormat::Jsonl),
            "doccano" => Ok(AnnotatedFormat::Doccano),
            "label-studio" | "labelstudio" | "ls" => Ok(AnnotatedFormat::LabelStudio),
            "brat" => Ok(AnnotatedFormat::Brat),
            "conll" | "iob" | "bio" | "bilou" => Ok(AnnotatedFormat::Conll),
            other => Err(format!("unknown annotated format {other:?}")),
        }
    }
}

/// Why an annotated import failed. The project is unchanged whenever one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum AnnotatedError {
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file is not UTF-8.
    #[error("{}:{line}:{column}: not UTF-8 text (annotated files must be UTF-8)", .path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The file is larger than [`MAX_ANNOTATED_BYTES`].
    #[error("{}: file is too large: {}; split it first", .path.display(), store::over_limit(*.size, *.limit, *.at_least))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes, or (with `at_least`) the bytes read before reading stopped.
        size: u64,
        /// The limit it is over ([`MAX_ANNOTATED_BYTES`] outside tests).
        limit: u64,
        /// Reading stopped at the limit: the file holds `size` bytes or more (it grew while it
        /// was read).
        at_least: bool,
    },
    /// The file is empty or has no document.
    #[error("{}: no documents in it (the file is empty)", .0.display())]
    Empty(PathBuf),
    /// The file's content does not fit the format (the message names file and line).
    #[error("{0}")]
    Invalid(String),
    /// Spans, relations and labels that cannot be imported (wrong offsets or text, a bad label,
    /// an id naming two places), without `--lenient`; the message lists the first
    /// [`MISMATCHES_SHOWN`].
    #[error("{} span(s), relation(s) or label(s) cannot be imported as the file gives them; nothing was imported (give --lenient to skip them):\n  {}", .0.len(), first_lines(.0))]
    Mismatches(Vec<String>),
}

/// How many mismatches an error message lists: a wrong file can have millions.
pub const MISMATCHES_SHOWN: usize = 50;

/// The first [`MISMATCHES_SHOWN`] items, one per line, and how many more there are.
fn first_lines(items: &[String]) -> String {
    let mut out = items.iter().take(MISMATCHES_SHOWN).cloned().collect::<Vec<_>>().join("\n  ");
    if items.len() > MISMATCHES_SHOWN {
        out.push_str(&format!("\n  … and {} more", items.len() - MISMATCHES_SHOWN));
    }
    out
}

/// What an annotated import did.
#[derive(Clone, Debug, Default)]
pub struct AnnotatedReport {
    /// Per added document: file, id, title, span count.
    pub added: Vec<(PathBuf, String, String, usize)>,
    /// Labels added, ids changed, offsets converted, lines ignored.
    pub notices: Vec<String>,
    /// Spans and relations left out under `--lenient`, each with why.
    pub skipped: Vec<String>,
}

/// Options of an annotated import.
#[derive(Clone, Debug, Default)]
pub struct AnnotatedOptions {
    /// The format, or detect it per path.
    pub format: Option<AnnotatedFormat>,
    /// Label renames.
    pub map: LabelMap,
    /// Skip (and report) spans that do not fit instead of failing.
    pub lenient: bool,
}

/// The annotated format of `path` judged from its name and first bytes, or `None` when it looks
/// like an article (text, HTML, Markdown) instead.
pub fn detect(path: &Path) -> Option<AnnotatedFormat> {
    if path.is_dir() {
        let entries = fs::read_dir(path).ok()?;
        let has_ann = entries.flatten().any(|e| {
            let p = e.path();
            // Links to folders are not followed: they could loop.
            extension(&p) == "ann" || (p.is_dir() && !is_link(&p) && detect(&p) == Some(AnnotatedFormat::Brat))
        });
        return has_ann.then_some(AnnotatedFormat::Brat);
    }
    match extension(path).as_str() {
        "ann" => Some(AnnotatedFormat::Brat),
        "conll" | "conll03" | "iob" | "iob1" | "iob2" | "bio" | "bilou" | "bioes" => Some(AnnotatedFormat::Conll),
        // JSONL is always a corpus; a line that does not parse is reported by the reader.
        "jsonl" | "ndjson" => match sniff(path) {
            Some(AnnotatedFormat::Doccano) => Some(AnnotatedFormat::Doccano),
            _ => Some(AnnotatedFormat::Jsonl),
        },
        "json" => {
            let head = read_head(path)?;
            let looks =
                ["\"annotations\"", "\"completions\"", "\"data\"", "\"labels\""].iter().any(|k| head.contains(k));
            looks.then_some(AnnotatedFormat::LabelStudio)
        }
        _ => None,
    }
}

/// For a file whose name says nothing: CoNLL when it starts with `-DOCSTART-`, Label Studio when
/// it is a JSON list, doccano when its first JSON line has doccano's fields.
fn sniff(path: &Path) -> Option<AnnotatedFormat> {
    let head = read_head(path)?;
    let first = head.trim_start_matches('\u{feff}').lines().find(|l| !l.trim().is_empty())?.trim();
    if first.starts_with("-DOCSTART-") {
        Some(AnnotatedFormat::Conll)
    } else if first.starts_with('[') {
        Some(AnnotatedFormat::LabelStudio)
    } else if first.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(first).ok()?;
        let doccano = value.get("entities").is_some() || value.get("label").is_some_and(serde_json::Value::is_array);
        Some(if doccano { AnnotatedFormat::Doccano } else { AnnotatedFormat::Jsonl })
    } else {
        None
    }
}

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

/// The first 64 KiB of a regular file (never opening a named pipe or a device, which could block).
fn read_head(path: &Path) -> Option<String> {
    store::regular_file(path).ok()?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut f = fs::File::open(path).ok()?;
    let n = f.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Reads every path, checks every span, and adds the documents to `project`: all or nothing.
/// A path's format is `opts.format`, or detected by [`detect`] (JSONL without doccano's fields is
/// read as Gloss JSONL).
pub fn import_annotated(
    project: &mut Project,
    paths: &[PathBuf],
    opts: &AnnotatedOptions,
) -> Result<AnnotatedReport, AnnotatedError> {
    let (plan, report) = plan_import(project, paths, opts)?;
    plan.apply(project);
    Ok(report)
}

/// Like [`import_annotated`] but leaves `project` alone and returns the plan, to apply later.
pub fn plan_import(
    project: &Project,
    paths: &[PathBuf],
    opts: &AnnotatedOptions,
) -> Result<(Plan, AnnotatedReport), AnnotatedError> {
    let mut incoming: Vec<(PathBuf, Incoming)> = Vec::new();
    let mut notices = Vec::new();
    let mut tally = incoming::SpanTally::new(project.documents.iter().map(|d| d.spans.len()).sum());
    for path in paths {
        // A named pipe or a device is refused before it is opened (it could block or never end).
        store::file_or_folder(path).map_err(|source| AnnotatedError::Read { path: path.clone(), source })?;
        let format = opts.format.or_else(|| detect(path)).or_else(|| sniff(path)).unwrap_or(AnnotatedFormat::Jsonl);
        let docs = read_path(path, format, &mut notices)?;
        if docs.is_empty() {
            return Err(AnnotatedError::Empty(path.clone()));
        }
        // Every file was checked on its own as it was read; here the files and the project together.
        let spans = docs.iter().map(|d| d.spans.len()).sum();
        tally.add(spans, &path.display().to_string()).map_err(AnnotatedError::Invalid)?;
        if format == AnnotatedFormat::Conll {
            notices.push(format!(
                "{}: CoNLL keeps no text; each document's text is rebuilt from its tokens, one space between tokens and a line break between sentences",
                path.display()
            ));
        }
        incoming.extend(docs.into_iter().map(|d| (path.clone(), d)));
    }
    let paths_of: Vec<PathBuf> = incoming.iter().map(|(p, _)| p.clone()).collect();
    let docs: Vec<Incoming> = incoming.into_iter().map(|(_, d)| d).collect();
    let mut plan = mapping::plan(project, docs, &opts.map, opts.lenient).map_err(AnnotatedError::Mismatches)?;
    notices.append(&mut plan.notices);
    let added =
        plan.documents.iter().zip(paths_of).map(|(d, p)| (p, d.id.clone(), d.title.clone(), d.spans.len())).collect();
    let report = AnnotatedReport { added, notices, skipped: plan.skipped.clone() };
    Ok((plan, report))
}

fn read_path(path: &Path, format: AnnotatedFormat, notices: &mut Vec<String>) -> Result<Vec<Incoming>, AnnotatedError> {
    let name = path.display().to_string();
    match format {
        AnnotatedFormat::Brat => read_brat(path, notices),
        AnnotatedFormat::Jsonl => jsonl::read(&name, &read_text(path)?).map_err(AnnotatedError::Invalid),
        AnnotatedFormat::Doccano => doccano::read(&name, &read_text(path)?).map_err(AnnotatedError::Invalid),
        AnnotatedFormat::LabelStudio => label_studio::read(&name, &read_text(path)?).map_err(AnnotatedError::Invalid),
        AnnotatedFormat::Conll => conll::read(&name, &read_text(path)?).map_err(AnnotatedError::Invalid),
    }
}

/// A brat folder (with its subfolders, sorted by name, hidden ones skipped), or one `.ann`/`.txt`.
/// Nothing outside the folder given (or, for one file, its folder) is read: symbolic links that
/// lead out of it are skipped with a notice, links to folders are not followed (they could loop).
fn read_brat(path: &Path, notices: &mut Vec<String>) -> Result<Vec<Incoming>, AnnotatedError> {
    let mut out = Vec::new();
    let folder = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new(".")) };
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let root = folder.canonicalize().map_err(|source| AnnotatedError::Read { path: folder.to_owned(), source })?;
    if path.is_dir() {
        let mut tally = incoming::SpanTally::new(0);
        brat_folder(path, &root, &crate::model::hashing::HashMap::default(), (&mut out, &mut tally), notices)?;
    } else {
        let stem = path.with_extension("");
        let labels = visual_labels_near(folder, &root, &Default::default())?;
        out.push(brat_pair(&stem, &root, &labels, notices)?);
    }
    Ok(out)
}

/// Whether `path` (following links) is inside the folder `root` (canonical).
fn inside(root: &Path, path: &Path) -> bool {
    path.canonicalize().is_ok_and(|p| p.starts_with(root))
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Refuses a file that a link takes outside the folder being imported.
fn check_inside(root: &Path, path: &Path) -> Result<(), AnnotatedError> {
    if path.exists() && !inside(root, path) {
        return Err(AnnotatedError::Invalid(format!(
            "{}: a link to a file outside the folder {}; not read",
            path.display(),
            root.display()
        )));
    }
    Ok(())
}

fn visual_labels_near(
    dir: &Path,
    root: &Path,
    inherited: &crate::model::hashing::HashMap<String, String>,
) -> Result<crate::model::hashing::HashMap<String, String>, AnnotatedError> {
    let conf = dir.join("visual.conf");
    if conf.is_file() && inside(root, &conf) {
        let mut labels = inherited.clone();
        labels.extend(brat::visual_labels(&read_text(&conf)?));
        Ok(labels)
    } else {
        Ok(inherited.clone())
    }
}

fn brat_folder(
    dir: &Path,
    root: &Path,
    inherited: &crate::model::hashing::HashMap<String, String>,
    (out, tally): (&mut Vec<Incoming>, &mut incoming::SpanTally),
    notices: &mut Vec<String>,
) -> Result<(), AnnotatedError> {
    let labels = visual_labels_near(dir, root, inherited)?;
    let read_err = |source| AnnotatedError::Read { path: dir.to_owned(), source };
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).map_err(read_err)?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for entry in entries {
        let hidden = entry.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        let wanted = entry.is_dir() || matches!(extension(&entry).as_str(), "ann" | "txt");
        if wanted && is_link(&entry) && (entry.is_dir() || !inside(root, &entry)) {
            let what =
                if entry.is_dir() { "a link to a folder; not followed" } else { "a link outside the folder; skipped" };
            notices.push(format!("{}: {what}", entry.display()));
            continue;
        }
        if entry.is_dir() {
            brat_folder(&entry, root, &labels, (&mut *out, &mut *tally), notices)?;
        } else if extension(&entry) == "ann" {
            let doc = brat_pair(&entry.with_extension(""), root, &labels, notices)?;
            tally.add(doc.spans.len(), &entry.display().to_string()).map_err(AnnotatedError::Invalid)?;
            out.push(doc);
        } else if extension(&entry) == "txt" && !entry.with_extension("ann").exists() {
            notices.push(format!("{}: no .ann beside it; imported without spans", entry.display()));
            out.push(brat_pair(&entry.with_extension(""), root, &labels, notices)?);
        }
    }
    Ok(())
}

fn brat_pair(
    stem: &Path,
    root: &Path,
    labels: &crate::model::hashing::HashMap<String, String>,
    notices: &mut Vec<String>,
) -> Result<Incoming, AnnotatedError> {
    // Not `with_extension`: a stem may hold dots of its own ("a.b" + ".txt").
    let with = |ext: &str| {
        let mut name = stem.as_os_str().to_owned();
        name.push(ext);
        PathBuf::from(name)
    };
    let txt = with(".txt");
    let ann = with(".ann");
    if !txt.is_file() {
        return Err(AnnotatedError::Invalid(format!(
            "{}: there is no {} beside it, with the text",
            ann.display(),
            txt.display()
        )));
    }
    check_inside(root, &txt)?;
    check_inside(root, &ann)?;
    // brat reads the text as it is: no BOM stripping, no line-ending changes, or offsets move.
    let text = read_text_raw(&txt)?;
    let ann_text = if ann.is_file() { read_text(&ann)? } else { String::new() };
    let name = stem.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    brat_document(&name, &ann, text, &ann_text, labels, notices)
}

/// One brat document from the texts of `NAME.txt` and `NAME.ann` (the file `ann`, for messages).
fn brat_document(
    name: &str,
    ann: &Path,
    text: String,
    ann_text: &str,
    labels: &crate::model::hashing::HashMap<String, String>,
    notices: &mut Vec<String>,
) -> Result<Incoming, AnnotatedError> {
    let (mut doc, ignored) = brat::read(name, text, ann_text, labels)
        .map_err(|e| AnnotatedError::Invalid(e.replacen(&format!("{name}.ann"), &ann.display().to_string(), 1)))?;
    doc.id = Some(name.to_owned());
    doc.place = ann.display().to_string();
    if ignored > 0 {
        notices.push(format!(
            "{}: {ignored} event, attribute or other line(s) are not spans or relations; left aside",
            ann.display()
        ));
    }
    Ok(doc)
}

/// What the reader of `format` makes of a file's bytes, as if read from the file `name`, without
/// touching the disk: the same checks and messages as an import (the fuzz targets use it). For
/// brat, `bytes` is the `.ann` file and `brat_text` the `.txt` beside it; other formats ignore it.
pub fn read_in_memory(
    format: AnnotatedFormat,
    name: &Path,
    bytes: &[u8],
    brat_text: &[u8],
) -> Result<Vec<Incoming>, AnnotatedError> {
    let content = utf8(name, bytes.to_vec())?;
    let content = content.strip_prefix('\u{feff}').unwrap_or(&content);
    let shown = name.display().to_string();
    match format {
        AnnotatedFormat::Brat => {
            let stem = name.with_extension("");
            let stem = stem.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = utf8(&name.with_extension("txt"), brat_text.to_vec())?;
            let doc = brat_document(&stem, name, text, content, &Default::default(), &mut Vec::new())?;
            Ok(vec![doc])
        }
        AnnotatedFormat::Jsonl => jsonl::read(&shown, content).map_err(AnnotatedError::Invalid),
        AnnotatedFormat::Doccano => doccano::read(&shown, content).map_err(AnnotatedError::Invalid),
        AnnotatedFormat::LabelStudio => label_studio::read(&shown, content).map_err(AnnotatedError::Invalid),
        AnnotatedFormat::Conll => conll::read(&shown, content).map_err(AnnotatedError::Invalid),
    }
}

/// Reads a UTF-8 file, without a leading byte order mark.
fn read_text(path: &Path) -> Result<String, AnnotatedError> {
    let text = read_text_raw(path)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// Reads a UTF-8 file as it is, up to [`MAX_ANNOTATED_BYTES`].
fn read_text_raw(path: &Path) -> Result<String, AnnotatedError> {
    read_text_within(path, MAX_ANNOTATED_BYTES)
}

/// Reads a UTF-8 regular file of at most `limit` bytes. A larger file is refused from its size;
/// one that grows while it is read (or whose size lies, as in `/proc`) is read only up to one byte
/// past the limit, then refused.
fn read_text_within(path: &Path, limit: u64) -> Result<String, AnnotatedError> {
    let read_err = |source| AnnotatedError::Read { path: path.to_owned(), source };
    let size = store::regular_file(path).map_err(read_err)?.len();
    if size > limit {
        return Err(AnnotatedError::TooLarge { path: path.to_owned(), size, limit, at_least: false });
    }
    let file = fs::File::open(path).map_err(read_err)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(read_err)?;
    if bytes.len() as u64 > limit {
        return Err(AnnotatedError::TooLarge {
            path: path.to_owned(),
            size: bytes.len() as u64,
            limit,
            at_least: true,
        });
    }
    utf8(path, bytes)
}

/// The bytes of the file `path` as text, or where they stop being UTF-8.
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, AnnotatedError> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let before = bytes.get(..at).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default()).chars().count() + 1;
        AnnotatedError::NotUtf8 { path: path.to_owned(), line, column }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file whose size says 0 but that holds more (as a file growing while it is read does):
    /// reading stops one byte past the limit, and the message says "more than".
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_larger_than_its_size_is_read_only_up_to_the_limit() {
        let path = Path::new("/proc/self/status");
        assert_eq!(fs::metadata(path).unwrap().len(), 0);
        let err = read_text_within(path, 64).unwrap_err();
        assert!(matches!(err, AnnotatedError::TooLarge { size: 65, at_least: true, .. }), "{err:?}");
        assert_eq!(err.to_string(), "/proc/self/status: file is too large: over the limit of 64 bytes; split it first");
        assert!(read_text_within(path, 1 << 20).is_ok());
    }

    #[test]
    fn a_file_over_the_limit_is_refused_from_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.jsonl");
        fs::write(&path, "x".repeat(2000)).unwrap();
        let err = read_text_within(&path, 1000).unwrap_err();
        assert!(matches!(err, AnnotatedError::TooLarge { size: 2000, at_least: false, .. }), "{err:?}");
        assert!(
            err.to_string()
                .ends_with("big.jsonl: file is too large: 2.0 KiB, over the limit of 1000 bytes; split it first"),
            "{err}"
        );
    }

    /// Named pipes are refused before they are opened, whatever the format, detected or given.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_before_it_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new("p");
        for name in ["corpus.jsonl", "corpus.json", "corpus.conll", "corpus.ann", "corpus"] {
            let fifo = dir.path().join(name);
            crate::store::special::make_fifo(&fifo);
            assert_eq!(sniff(&fifo), None);
            let mut formats = vec![None];
            formats.extend(
                [
                    AnnotatedFormat::Jsonl,
                    AnnotatedFormat::Doccano,
                    AnnotatedFormat::LabelStudio,
                    AnnotatedFormat::Brat,
                    AnnotatedFormat::Conll,
                ]
                .map(Some),
            );
            for format in formats {
                let opts = AnnotatedOptions { format, ..AnnotatedOptions::default() };
                let err = plan_import(&project, std::slice::from_ref(&fifo), &opts).err().unwrap();
                let expected = format!("cannot read {}: a named pipe (FIFO), not a file or a folder", fifo.display());
                assert_eq!(err.to_string(), expected, "{format:?}");
            }
            assert!(matches!(read_text(&fifo), Err(AnnotatedError::Read { .. })));
        }
    }
}
