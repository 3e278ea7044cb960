//! Importing article files into a project: one document per file, all or nothing.

use crate::model::hashing::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::article::{ArticleError, ArticleFormat, MAX_ARTICLE_BYTES, ReadOptions};
use super::read::{file_stem, read_article};
use crate::model::{Document, Project, Status};
use crate::store;

/// How to read the imported files; the default detects format and encoding per file.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Read every file as this format instead of detecting it.
    pub format: Option<ArticleFormat>,
    /// Decode every file with this encoding instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The documents added, in import order.
    pub added: Vec<Imported>,
    /// Files left out: duplicates of a document's content, and empty files.
    pub skipped: Vec<Skipped>,
    /// Things to tell the user, each naming its file ("b.txt: same text as document d0001...").
    pub warnings: Vec<String>,
}

/// One file imported as a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The file, as given (or as found in a given folder).
    pub path: PathBuf,
    /// Id of the new document.
    pub document_id: String,
    /// Its title.
    pub title: String,
    /// Length of its text in code points.
    pub chars: usize,
    /// The format it was read as.
    pub format: ArticleFormat,
    /// The encoding it was decoded from ("UTF-8", "windows-1252"...).
    pub encoding: &'static str,
}

/// One file not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why, for people ("empty file, nothing to annotate", "same content as document d0002").
    pub reason: String,
}

/// Why an import failed. The project is unchanged whenever one of these is returned; every
/// message names the file. The message includes its cause, so print it with `{}`.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A file was read but is not an article (binary, too large, undecodable...).
    #[error("{}: {source}", path.display())]
    Article {
        /// The file.
        path: PathBuf,
        /// Why it is not an article.
        source: ArticleError,
    },
    /// A given folder has no regular, non-hidden file directly in it.
    #[error(
        "no files to import in the folder {} (hidden files, subfolders and links leading out of it are not imported)",
        path.display()
    )]
    EmptyFolder {
        /// The folder.
        path: PathBuf,
    },
    /// No document was added and at least one file was empty.
    #[error("nothing to import: {} {} empty", list_paths(empty), if empty.len() == 1 { "is" } else { "are" })]
    NothingToImport {
        /// The empty files.
        empty: Vec<PathBuf>,
    },
}

fn list_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Adds one document per file to `project`. A folder imports the regular files directly in it
/// (not its subfolders), sorted by name, skipping hidden files (names starting with '.') and
/// symbolic links that lead out of the folder (listed in [`ImportReport::skipped`]); a file
/// given by name is imported even if hidden.
///
/// Each document gets the next free id, status Todo, `source` = the path, the article's title,
/// and in `meta`: `source_path`, `sha256` (hex digest of the file's bytes), `format` and
/// `encoding`. A file whose bytes are already in the project (same `sha256`) or earlier in the
/// same import is skipped; a file whose text equals an existing document's text although its
/// bytes differ is imported with a warning. Empty files are skipped, but if nothing at all is
/// added because of them, the import fails with [`ImportError::NothingToImport`].
///
/// All or nothing: on any error, `project` is left exactly as it was.
pub fn import_paths(
    project: &mut Project,
    paths: &[PathBuf],
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    import_paths_with_progress(project, paths, opts, |_, _, _| {})
}

/// [`import_paths`], calling `progress(done, total, path)` before each file is read, so that a
/// front end can show how far a long import has got.
pub fn import_paths_with_progress(
    project: &mut Project,
    paths: &[PathBuf],
    opts: &ImportOptions,
    mut progress: impl FnMut(usize, usize, &Path),
) -> Result<ImportReport, ImportError> {
    let (files, links_left_out) = collect_files(paths)?;
    let read_options = ReadOptions { format: opts.format, encoding: opts.encoding };
    let mut batch = Batch::new(project);
    let mut report = ImportReport { skipped: links_left_out, ..ImportReport::default() };
    let mut empty = Vec::new();
    for (done, path) in files.iter().enumerate() {
        progress(done, files.len(), path);
        let bytes = read_limited(path)?;
        let sha256 = hex_sha256(&bytes);
        if let Some(reason) = batch.duplicate_reason(&sha256) {
            report.skipped.push(Skipped { path: path.clone(), reason });
            continue;
        }
        let name = path.file_name().map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy());
        let article = match read_article(&name, &bytes, &read_options) {
            Ok(article) => article,
            Err(ArticleError::Empty) => {
                report.skipped.push(Skipped { path: path.clone(), reason: ArticleError::Empty.to_string() });
                empty.push(path.clone());
                continue;
            }
            Err(source) => return Err(ImportError::Article { path: path.clone(), source }),
        };
        let shown = path.display();
        report.warnings.extend(article.warnings.iter().map(|w| format!("{shown}: {w}")));
        if let Some(same) = batch.same_text(&article.text) {
            report.warnings.push(format!(
                "{shown}: same text as document {same} although the file differs (another encoding or format?)"
            ));
        }
        let source = path.to_string_lossy().into_owned();
        let id = batch.project.next_document_id();
        let title = if article.title.trim().is_empty() { file_stem(&name) } else { article.title };
        let mut doc = Document::new(id.clone(), title.clone(), article.text);
        doc.status = Status::Todo;
        doc.source = Some(source.clone());
        doc.meta.insert("source_path".into(), source);
        doc.meta.insert("sha256".into(), sha256);
        doc.meta.insert("format".into(), article.format.name().into());
        doc.meta.insert("encoding".into(), article.encoding.into());
        report.added.push(Imported {
            path: path.clone(),
            document_id: id,
            title,
            chars: doc.text.len_chars(),
            format: article.format,
            encoding: article.encoding,
        });
        batch.push(doc);
    }
    if report.added.is_empty() && !empty.is_empty() {
        return Err(ImportError::NothingToImport { empty });
    }
    batch.commit();
    Ok(report)
}

/// The files to import, in order: each given file, and the regular non-hidden files directly
/// in each given folder, sorted by name. Nothing outside a given folder is read: a symbolic link
/// in it that leads out of the folder (or nowhere) is left out and listed in the second vector.
fn collect_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<Skipped>), ImportError> {
    let read_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Read { path, source }
    };
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        // A named pipe or a device is refused before it is opened (it could block or never end).
        let metadata = store::file_or_folder(path).map_err(read_error(path))?;
        if !metadata.is_dir() {
            files.push(path.clone());
            continue;
        }
        let root = path.canonicalize().map_err(read_error(path))?;
        let mut in_folder = Vec::new();
        for entry in fs::read_dir(path).map_err(read_error(path))? {
            let entry = entry.map_err(read_error(path))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let file = entry.path();
            let is_link = entry.file_type().map_err(read_error(&file))?.is_symlink();
            if is_link {
                match file.canonicalize() {
                    Ok(target) if target.starts_with(&root) => {}
                    Ok(target) => {
                        if target.is_file() {
                            let reason = format!(
                                "a link to {}, outside the folder {}; not imported",
                                target.display(),
                                path.display()
                            );
                            skipped.push(Skipped { path: file, reason });
                        }
                        continue;
                    }
                    Err(_) => {
                        skipped.push(Skipped { path: file, reason: "a broken link; not imported".into() });
                        continue;
                    }
                }
            }
            // A link to a file inside the folder is imported, a link to a folder is not.
            if fs::metadata(&file).map_err(read_error(&file))?.is_file() {
                in_folder.push(file);
            }
        }
        if in_folder.is_empty() {
            return Err(ImportError::EmptyFolder { path: path.clone() });
        }
        in_folder.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        files.extend(in_folder);
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, skipped))
}

/// The file's bytes, up to [`MAX_ARTICLE_BYTES`].
fn read_limited(path: &Path) -> Result<Vec<u8>, ImportError> {
    read_within(path, MAX_ARTICLE_BYTES)
}

/// The bytes of a regular file of at most `limit` bytes, refusing anything else before opening
/// it. A file over the limit is refused from its size; one that grows while it is read (or whose
/// size lies, as in `/proc`) is read only up to one byte past the limit, then refused.
fn read_within(path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    let read_error = |source| ImportError::Read { path: path.to_path_buf(), source };
    let size = store::regular_file(path).map_err(read_error)?.len();
    if size > limit {
        return Err(too_large(path, size, limit, false));
    }
    let file = fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit, true));
    }
    Ok(bytes)
}

/// The file is over `limit`: `size` bytes, or (`at_least`) more, when reading stopped there.
fn too_large(path: &Path, size: u64, limit: u64, at_least: bool) -> ImportError {
    ImportError::Article { path: path.to_path_buf(), source: ArticleError::TooLarge { size, limit, at_least } }
}

/// Lower-case hex SHA-256 of `bytes`.
fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Documents being added to a project, with what is needed to spot duplicates; removes them
/// again when dropped without [`Batch::commit`], so an error (or a panic) leaves the project
/// as it was.
struct Batch<'p> {
    project: &'p mut Project,
    /// Number of documents before the import.
    before: usize,
    /// sha256 of each document's file → the document's position.
    hashes: HashMap<String, usize>,
    /// Byte length of each document's text → positions of the documents with that length;
    /// texts are compared only when their lengths match.
    lengths: HashMap<usize, Vec<usize>>,
    committed: bool,
}

impl<'p> Batch<'p> {
    fn new(project: &'p mut Project) -> Self {
        let mut hashes = HashMap::default();
        let mut lengths: HashMap<usize, Vec<usize>> = HashMap::default();
        for (at, doc) in project.documents.iter().enumerate() {
            if let Some(sha) = doc.meta.get("sha256") {
                hashes.entry(sha.to_ascii_lowercase()).or_insert(at);
            }
            lengths.entry(doc.text.len_bytes()).or_default().push(at);
        }
        let before = project.documents.len();
        Self { project, before, hashes, lengths, committed: false }
    }

    /// Why a file with this digest is not imported, if its content is already there.
    fn duplicate_reason(&self, sha256: &str) -> Option<String> {
        let at = *self.hashes.get(sha256)?;
        let doc = self.project.documents.get(at)?;
        Some(if at >= self.before {
            let source = doc.source.as_deref().unwrap_or("another file");
            format!("same content as {source}, imported just now as document {}", doc.id)
        } else {
            format!("same content as document {} ({:?}), already in the project", doc.id, doc.title)
        })
    }

    /// Id of a document whose text is `text`, if there is one.
    fn same_text(&self, text: &str) -> Option<&str> {
        let candidates = self.lengths.get(&text.len())?;
        candidates
            .iter()
            .filter_map(|&at| self.project.documents.get(at))
            .find(|doc| doc.text.as_str() == text)
            .map(|doc| doc.id.as_str())
    }

    fn push(&mut self, doc: Document) {
        let at = self.project.documents.len();
        if let Some(sha) = doc.meta.get("sha256") {
            self.hashes.insert(sha.clone(), at);
        }
        self.lengths.entry(doc.text.len_bytes()).or_default().push(at);
        self.project.documents.push(doc);
    }

    fn commit(mut self) {
        self.committed = true;
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if !self.committed {
            self.project.documents.truncate(self.before);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles")
    }

    /// A temporary folder holding `files` (name, bytes).
    fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            fs::write(dir.path().join(name), bytes).unwrap();
        }
        dir
    }

    fn import(project: &mut Project, paths: &[PathBuf]) -> Result<ImportReport, ImportError> {
        import_paths(project, paths, &ImportOptions::default())
    }

    #[test]
    fn a_file_becomes_a_document() {
        let mut project = Project::new("p");
        let path = fixtures().join("article-utf16le-bom.txt");
        let report = import(&mut project, std::slice::from_ref(&path)).unwrap();
        assert_eq!(report.added.len(), 1);
        let added = &report.added[0];
        assert_eq!(added.document_id, "d0001");
        assert_eq!((added.chars, added.encoding, added.format), (421, "UTF-16LE", ArticleFormat::Text));
        assert_eq!(added.title, "article-utf16le-bom");
        let doc = &project.documents[0];
        assert_eq!(doc.id, "d0001");
        assert_eq!(doc.status, Status::Todo);
        assert_eq!(doc.source.as_deref(), Some(path.to_string_lossy().as_ref()));
        assert_eq!(doc.text.slice(161..167), Some("Müller"));
        assert_eq!(doc.meta["source_path"], path.to_string_lossy());
        assert_eq!(doc.meta["format"], "text");
        assert_eq!(doc.meta["encoding"], "UTF-16LE");
        let sha = doc.meta["sha256"].clone();
        assert_eq!(sha.len(), 64);
        assert_eq!(sha, hex_sha256(&fs::read(&path).unwrap()));
        assert!(project.problems().is_empty());
    }

    #[test]
    fn sha256_is_the_standard_digest() {
        assert_eq!(hex_sha256(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn a_folder_imports_its_files_sorted_skipping_hidden_ones() {
        let dir = folder(&[
            ("b.md", b"# Bee\n\nText b."),
            ("a.txt", b"Text a."),
            (".hidden.txt", b"secret"),
            ("c.html", b"<title>Sea</title><p>Text c.</p>"),
        ]);
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/d.txt"), b"nested").unwrap();
        let mut project = Project::new("p");
        let report = import(&mut project, &[dir.path().to_path_buf()]).unwrap();
        let titles: Vec<_> =
            project.documents.iter().map(|d| (d.id.as_str(), d.title.as_str(), d.text.as_str())).collect();
        assert_eq!(
            titles,
            [("d0001", "a", "Text a."), ("d0002", "Bee", "Bee\n\nText b."), ("d0003", "Sea", "Sea\n\nText c.")]
        );
        assert!(report.skipped.is_empty() && report.warnings.is_empty());
    }

    #[test]
    fn duplicates_are_skipped_and_same_text_is_reported() {
        let f = fixtures();
        let mut project = Project::new("p");
        import(&mut project, &[f.join("article-utf8.txt")]).unwrap();
        // The same bytes again (twice in one call, and already in the project), and the same
        // text in another encoding.
        let report = import(
            &mut project,
            &[f.join("article-utf8.txt"), f.join("article-utf16be-bom.txt"), f.join("article-utf16be-bom.txt")],
        )
        .unwrap();
        assert_eq!(report.added.len(), 1);
        assert_eq!(report.added[0].document_id, "d0002");
        assert_eq!(report.skipped.len(), 2);
        assert!(report.skipped[0].reason.contains("document d0001"), "{}", report.skipped[0].reason);
        assert!(report.skipped[1].reason.contains("document d0002"), "{}", report.skipped[1].reason);
        assert_eq!(report.warnings.len(), 1);
        assert!(
            report.warnings[0].contains("article-utf16be-bom.txt: same text as document d0001"),
            "{}",
            report.warnings[0]
        );
        assert_eq!(project.documents.len(), 2);
    }

    #[test]
    fn empty_files_are_skipped_but_nothing_at_all_is_an_error() {
        let dir = folder(&[("empty.txt", b""), ("bom.txt", b"\xef\xbb\xbf"), ("full.txt", b"Words.")]);
        let mut project = Project::new("p");
        let report = import(&mut project, &[dir.path().to_path_buf()]).unwrap();
        assert_eq!(report.added.len(), 1);
        assert_eq!(report.skipped.len(), 2);
        assert_eq!(report.skipped[0].reason, "empty file, nothing to annotate");
        let only_empty = [dir.path().join("empty.txt"), dir.path().join("bom.txt")];
        let err = import(&mut project, &only_empty).unwrap_err();
        assert!(matches!(&err, ImportError::NothingToImport { empty } if empty.len() == 2));
        let message = err.to_string();
        assert!(
            message.starts_with("nothing to import: ") && message.contains("empty.txt") && message.contains("bom.txt"),
            "{message}"
        );
        assert_eq!(project.documents.len(), 1);
    }

    #[test]
    fn any_error_leaves_the_project_as_it_was() {
        let dir = folder(&[("1.txt", b"one"), ("2.txt", b"two"), ("3.png", b"\x89PNG\r\n\x1a\n\0\0")]);
        let mut project = Project::new("p");
        import(&mut project, &[fixtures().join("urdu.txt")]).unwrap();
        let before = project.clone();
        let err = import(&mut project, &[dir.path().to_path_buf()]).unwrap_err();
        assert_eq!(project, before);
        let message = err.to_string();
        assert!(message.ends_with("3.png: looks like a binary file (a PNG image), not an article"), "{message}");
        let missing = dir.path().join("missing.txt");
        let err = import(&mut project, &[dir.path().join("1.txt"), missing.clone()]).unwrap_err();
        assert!(matches!(&err, ImportError::Read { path, .. } if *path == missing));
        assert!(err.to_string().starts_with(&format!("cannot read {}: ", missing.display())));
        assert_eq!(project, before);
        let empty_dir = tempfile::tempdir().unwrap();
        let err = import(&mut project, &[empty_dir.path().to_path_buf()]).unwrap_err();
        assert!(matches!(err, ImportError::EmptyFolder { .. }));
        assert_eq!(project, before);
    }

    #[test]
    fn options_apply_to_every_file() {
        let dir = folder(&[("a.txt", b"# Not a heading \xe9")]);
        let mut project = Project::new("p");
        let opts = ImportOptions { format: Some(ArticleFormat::Markdown), encoding: Some(encoding_rs::WINDOWS_1252) };
        let report = import_paths(&mut project, &[dir.path().join("a.txt")], &opts).unwrap();
        assert_eq!(project.documents[0].text.as_str(), "Not a heading é");
        assert_eq!((report.added[0].format, report.added[0].encoding), (ArticleFormat::Markdown, "windows-1252"));
    }

    #[test]
    fn progress_is_reported_per_file() {
        let dir = folder(&[("a.txt", b"a"), ("b.txt", b"b")]);
        let mut seen = Vec::new();
        import_paths_with_progress(
            &mut Project::new("p"),
            &[dir.path().to_path_buf()],
            &ImportOptions::default(),
            |done, total, path| {
                seen.push((done, total, path.file_name().unwrap().to_string_lossy().into_owned()));
            },
        )
        .unwrap();
        assert_eq!(seen, [(0, 2, "a.txt".to_owned()), (1, 2, "b.txt".to_owned())]);
    }

    #[test]
    fn ids_continue_after_existing_documents() {
        let mut project = Project::new("p");
        project.documents.push(Document::new("d0007", "old", "old text"));
        let dir = folder(&[("a.txt", b"new text")]);
        let report = import(&mut project, &[dir.path().join("a.txt")]).unwrap();
        assert_eq!(report.added[0].document_id, "d0008");
    }

    #[test]
    fn a_five_megabyte_text_imports_fast() {
        let line = "Mayor Jörg Müller met the dockers of Gdańsk — “no deal”, he said 🙂.\r\n";
        let text = line.repeat(5_000_000 / line.len() + 1);
        let dir = folder(&[("big.txt", text.as_bytes())]);
        let mut project = Project::new("p");
        let started = Instant::now();
        let report = import(&mut project, &[dir.path().join("big.txt")]).unwrap();
        let took = started.elapsed();
        // Generous for an unoptimised build on a slow machine; quadratic work would take minutes.
        assert!(took < Duration::from_secs(10), "took {took:?}");
        let expected_chars = text.chars().count() - text.matches("\r\n").count();
        assert_eq!(report.added[0].chars, expected_chars);
        assert_eq!(project.documents[0].text.as_str(), text.replace("\r\n", "\n"));
    }

    /// A file whose size says 0 but that holds more (as a file growing while it is read does):
    /// reading stops one byte past the limit, and the message says "more than".
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_larger_than_its_size_is_read_only_up_to_the_limit() {
        let path = Path::new("/proc/self/status");
        assert_eq!(fs::metadata(path).unwrap().len(), 0);
        let err = read_within(path, 64).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::Article { source: ArticleError::TooLarge { size: 65, limit: 64, at_least: true }, .. }
            ),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "/proc/self/status: file is too large: over the limit of 64 bytes");
        assert!(read_within(path, 1 << 20).is_ok());
    }

    /// A named pipe given to import is refused before it is opened (opening it would block).
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_before_it_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("article.txt");
        crate::store::special::make_fifo(&fifo);
        let err = import(&mut Project::new("p"), std::slice::from_ref(&fifo)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("cannot read {}: a named pipe (FIFO), not a file or a folder", fifo.display())
        );
        assert!(matches!(read_limited(&fifo), Err(ImportError::Read { .. })));
    }
}
