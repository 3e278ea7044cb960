//! Exporting a project as a training corpus: Gloss JSONL, CoNLL, brat, Hugging Face, CSV.
//!
//! Offsets are code points unless [`ExportOptions::offsets`] says otherwise, and every span that
//! carries offsets also carries its text. Output goes to a staging folder beside the output and is
//! renamed into place at the end ([`output::Staging`]), so a failed export leaves nothing behind.
//! Documents are rendered on worker threads and written strictly in document order
//! ([`pipeline`]), so the output is the same bytes whatever the threads do. [`export_file`] reads
//! the project file one document at a time ([`store::stream`]): `gloss export` needs memory for
//! the file plus a few documents, not for the whole loaded project.
//!
//! Output layout (`--out PATH`):
//!
//! | format | without `--split`            | with `--split train=…,dev=…`                     |
//! |--------|------------------------------|--------------------------------------------------|
//! | jsonl  | the file PATH                | folder PATH with `train.jsonl`, `dev.jsonl`, …   |
//! | conll  | the file PATH                | folder PATH with `train.conll`, …                |
//! | csv    | the file PATH                | folder PATH with `train.csv`, …                  |
//! | hf     | folder: `data.jsonl`, `labels.json` | folder: `train.jsonl`, …, `labels.json`   |
//! | brat   | folder: `NAME.txt` + `NAME.ann` per document, `annotation.conf`, `visual.conf` | the same, one subfolder per part, confs at the top (brat looks upwards) |
//!
//! Document-level labels go into jsonl (`doc_labels` object), hf (`doc_labels` struct column and
//! `doc_labels.json`) and csv (a `doc.NAME` column each); brat and CoNLL cannot hold them
//! ([`ExportFormat::holds_doc_labels`]).

mod brat;
mod conll;
mod csv;
mod hf;
mod jsonl;
mod names;
mod offsets;
mod options;
mod output;
mod pipeline;
mod tokens;
mod words;

use std::borrow::Borrow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use brat::is_line_break;
pub use conll::DOCSTART;
pub use csv::write_record as write_csv_record;
pub use names::{FileNames, sanitize};
pub use offsets::{OffsetWriter, SplitsSurrogate, Utf16Index};
pub use options::{ExportOptions, OffsetUnit, Split, TagScheme};
pub use tokens::{LeftOut, Position, Token, tag_document};

use crate::model::{DocLabelDef, Document, Project, Schema, Status};
use crate::store::{self, LoadError};

/// A corpus format Gloss writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Gloss JSONL: one document per line, with spans, relations and metadata.
    Jsonl,
    /// CoNLL: token per line with a BIO or BILOU tag.
    Conll,
    /// brat standoff folder.
    Brat,
    /// Hugging Face token classification JSONL plus `labels.json`.
    Hf,
    /// One CSV row per span.
    Csv,
}

impl ExportFormat {
    /// Lower-case name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Conll => "conll",
            ExportFormat::Brat => "brat",
            ExportFormat::Hf => "hf",
            ExportFormat::Csv => "csv",
        }
    }

    /// True when the format writes offsets (and so takes `--offsets`).
    pub fn has_offsets(self) -> bool {
        matches!(self, ExportFormat::Jsonl | ExportFormat::Brat | ExportFormat::Csv)
    }

    /// True when the format can carry document-level labels. brat standoff and CoNLL have no
    /// document-level slot that their readers accept, so they leave doc labels out.
    pub fn holds_doc_labels(self) -> bool {
        matches!(self, ExportFormat::Jsonl | ExportFormat::Hf | ExportFormat::Csv)
    }

    /// True when the format writes token tags (and so takes `--scheme` and drops overlaps).
    pub fn has_tags(self) -> bool {
        matches!(self, ExportFormat::Conll | ExportFormat::Hf)
    }

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Jsonl | ExportFormat::Hf => "jsonl",
            ExportFormat::Conll => "conll",
            ExportFormat::Csv => "csv",
            ExportFormat::Brat => "",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "jsonl" => Ok(ExportFormat::Jsonl),
            "conll" => Ok(ExportFormat::Conll),
            "brat" => Ok(ExportFormat::Brat),
            "hf" | "huggingface" => Ok(ExportFormat::Hf),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(format!("unknown export format {other:?} (expected jsonl, conll, brat, hf or csv)")),
        }
    }
}

/// Why an export failed. Any previous output is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The output exists and `force` was not given.
    #[error("{} exists; give --force to replace it", .0.display())]
    OutputExists(PathBuf),
    /// The output is the project file being exported (with or without `force`).
    #[error("{} is the project being exported; give another output path", .0.display())]
    OutputIsProject(PathBuf),
    /// The output is a folder that holds the project file being exported: replacing it would
    /// delete the project (with or without `force`).
    #[error(
        "{} holds the project being exported ({}); replacing it would delete the project, so give another output path",
        .out.display(),
        .project.display()
    )]
    OutputHoldsProject {
        /// The output folder.
        out: PathBuf,
        /// The project file, as given.
        project: PathBuf,
    },
    /// The output is the current folder or a folder above it, which cannot be replaced.
    #[error("{} is the current folder or a folder above it; give another output path", .0.display())]
    OutputHoldsWorkingFolder(PathBuf),
    /// The output exists and is neither a regular file nor a folder (with or without `force`).
    #[error("{} is {kind}; an export replaces only a file or a folder", .out.display())]
    OutputNotReplaceable {
        /// The output.
        out: PathBuf,
        /// What it is: "a named pipe (FIFO)", "a character device"...
        kind: &'static str,
    },
    /// An option does not fit the format or the output.
    #[error("{0}")]
    Usage(String),
    /// The project could not be read, or is not valid (every problem is named).
    #[error(transparent)]
    Project(#[from] LoadError),
    /// Writing failed.
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// Documents written.
    pub documents: usize,
    /// Spans written (for conll and hf: spans the tags carry).
    pub spans: usize,
    /// Documents per part (one unnamed part without a split).
    pub parts: Vec<(String, usize)>,
    /// Spans left out of conll or hf tags (overlapping, or only whitespace).
    pub left_out: LeftOut,
    /// Documents written that have document labels set.
    pub documents_with_doc_labels: usize,
    /// conll: labels whose tags carry another name (a space cannot be in a tag), with that name.
    pub renamed_tags: Vec<(String, String)>,
    /// What earlier exports to the same output left beside it when they were killed (staging
    /// folders, old outputs moved aside), removed by this one.
    pub cleared: Vec<PathBuf>,
}

/// Writes `project` to `out` as `format`. Refuses an existing `out` unless `opts.force`, which
/// replaces it whole (a folder with everything in it); refuses, whatever `force` says, a named
/// pipe, device or socket, and the current folder or a folder above it.
pub fn export(
    project: &Project,
    format: ExportFormat,
    out: &Path,
    opts: &ExportOptions,
) -> Result<ExportReport, ExportError> {
    export_with_progress(project, None, format, out, opts, |_, _| {})
}

/// [`export`], calling `progress(done, total)` after each document. `project_file` is where the
/// project lives on disk, if it does (the app's open project): an `out` that is that file or a
/// folder holding it is refused as [`export_file`] refuses it.
pub fn export_with_progress(
    project: &Project,
    project_file: Option<&Path>,
    format: ExportFormat,
    out: &Path,
    opts: &ExportOptions,
    progress: impl FnMut(usize, usize),
) -> Result<ExportReport, ExportError> {
    let part_of = opts.part_of(project.documents.iter().map(|d| (d.id.as_str(), d.status)));
    let documents = project.documents.iter().map(Ok::<_, ExportError>);
    let output = Output { path: out, project: project_file };
    write_documents(&project.schema, format, output, opts, Parts::Known(part_of), documents, progress)
}

/// Exports the project file at `project` without loading it whole: its documents are read,
/// checked and written one at a time ([`store::stream`]), so memory stays near the size of the
/// file. The output is the same as [`export`] of the loaded project, and an invalid project fails
/// the same way, naming every problem, with nothing written to `out`. Besides what [`export`]
/// refuses, an `out` that is the project file or a folder holding it is refused, before anything
/// is written.
pub fn export_file(
    project: &Path,
    format: ExportFormat,
    out: &Path,
    opts: &ExportOptions,
) -> Result<ExportReport, ExportError> {
    let mut stream = store::stream(project)?;
    check_options(stream.schema(), format, opts)?;
    // A split ranks every document first; otherwise each document's part is known as it comes.
    let parts = match opts.split {
        Some(_) => {
            let keys = stream.document_keys()?;
            Parts::Known(opts.part_of(keys.iter().map(|(id, status)| (id.as_str(), *status))))
        }
        None => Parts::Whole,
    };
    let schema = stream.schema().clone();
    let documents = std::iter::from_fn(|| stream.next_document().map_err(ExportError::from).transpose());
    let output = Output { path: out, project: Some(project) };
    write_documents(&schema, format, output, opts, parts, documents, |_, _| {})
}

/// Where an export writes, and the project file it must not replace.
#[derive(Clone, Copy)]
struct Output<'a> {
    /// `--out`.
    path: &'a Path,
    /// The project file being exported, when it is on disk.
    project: Option<&'a Path>,
}

/// Which part each document goes to.
enum Parts {
    /// Index `i` is the part of the `i`-th document (`None`: not exported).
    Known(Vec<Option<usize>>),
    /// No split: every document the options keep goes to the one part.
    Whole,
}

fn check_options(schema: &Schema, format: ExportFormat, opts: &ExportOptions) -> Result<(), ExportError> {
    if opts.offsets != OffsetUnit::Chars && !format.has_offsets() {
        return Err(ExportError::Usage(format!("{format} has no offsets; --offsets applies to jsonl, brat and csv")));
    }
    if let Some(labels) = &opts.labels {
        if let Some(unknown) = labels.iter().find(|l| schema.label(l).is_none()) {
            return Err(ExportError::Usage(format!("--labels: the schema has no label {unknown:?}")));
        }
    }
    Ok(())
}

/// One document made ready on a worker thread: its output, and what it carried.
struct Rendered {
    bytes: io::Result<Vec<u8>>,
    written: usize,
    left: LeftOut,
}

/// Where each part is written.
enum PartOut {
    /// jsonl, conll, csv and hf: one file per part.
    File(PathBuf, BufWriter<File>),
    /// brat: one folder per part, with the file names handed out in it so far.
    Folder(PathBuf, FileNames),
}

/// The heart of every export: documents in, output out, through [`pipeline::run_ordered`].
fn write_documents<D: Borrow<Document> + Send>(
    schema: &Schema,
    format: ExportFormat,
    output: Output<'_>,
    opts: &ExportOptions,
    parts: Parts,
    documents: impl Iterator<Item = Result<D, ExportError>> + Send,
    mut progress: impl FnMut(usize, usize),
) -> Result<ExportReport, ExportError> {
    check_options(schema, format, opts)?;
    let out = output.path;
    let staging = output::Staging::new(out, opts.force, output.project)?;
    let root = staging.path().to_owned();
    let names: Vec<String> = match &opts.split {
        Some(split) => split.parts.iter().map(|(name, _)| name.clone()).collect(),
        None => vec!["data".to_owned()],
    };
    let mut outs = Vec::with_capacity(names.len());
    for name in &names {
        if format == ExportFormat::Brat {
            let dir = if opts.split.is_some() { root.join(name) } else { root.clone() };
            std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
            outs.push(PartOut::Folder(dir, FileNames::default()));
        } else {
            let path = root.join(format!("{name}.{}", format.extension()));
            let file = File::create(&path).map_err(io_error(&path))?;
            let mut w = BufWriter::with_capacity(1 << 20, file);
            if format == ExportFormat::Csv {
                csv::write_header(&mut w, &schema.doc_labels).map_err(io_error(&path))?;
            }
            outs.push(PartOut::File(path, w));
        }
    }
    let (part_of, total) = match &parts {
        Parts::Known(part_of) => (Some(part_of), part_of.iter().flatten().count()),
        Parts::Whole => (None, 0),
    };
    let mut counts = vec![0usize; names.len()];
    let mut report = ExportReport { cleared: staging.cleared().to_vec(), ..ExportReport::default() };
    let types = brat::TypeNames::new(schema);
    let tags = conll::TagNames::new(schema);
    if format == ExportFormat::Conll {
        report.renamed_tags = tags.renamed().iter().filter(|(label, _)| opts.keeps_label(label)).cloned().collect();
    }
    // Documents the options leave out never reach the workers.
    let mut index = 0usize;
    let chosen = documents.filter_map(|doc| {
        let i = index;
        index += 1;
        let part = match doc {
            Err(err) => return Some(Err(err)),
            Ok(doc) => match part_of {
                Some(part_of) => part_of.get(i).copied().flatten().map(|k| (k, doc)),
                None => (!opts.only_done || doc.borrow().status == Status::Done).then_some((0, doc)),
            },
        };
        part.map(Ok)
    });
    pipeline::run_ordered(
        chosen,
        |(_, doc)| doc.borrow().text.len_bytes(),
        |(_, doc)| render(format, doc.borrow(), &schema.doc_labels, opts, (&types, &tags)),
        |(part, doc), rendered| {
            let doc = doc.borrow();
            let Some(out) = outs.get_mut(part) else { return Ok(()) };
            match out {
                PartOut::File(path, w) => {
                    let bytes = rendered.bytes.map_err(io_error(path))?;
                    w.write_all(&bytes).map_err(io_error(path))?;
                }
                PartOut::Folder(dir, names) => {
                    let stem = names.stem_for(&doc.id);
                    let txt = dir.join(format!("{stem}.txt"));
                    std::fs::write(&txt, doc.text.as_str()).map_err(io_error(&txt))?;
                    let ann = dir.join(format!("{stem}.ann"));
                    let bytes = rendered.bytes.map_err(io_error(&ann))?;
                    std::fs::write(&ann, bytes).map_err(io_error(&ann))?;
                }
            }
            if let Some(count) = counts.get_mut(part) {
                *count += 1;
            }
            report.documents += 1;
            report.documents_with_doc_labels += usize::from(!doc.doc_labels.is_empty());
            report.spans += rendered.written;
            report.left_out.overlapping += rendered.left.overlapping;
            report.left_out.blank += rendered.left.blank;
            progress(report.documents, total.max(report.documents));
            Ok(())
        },
    )?;
    for out in outs {
        if let PartOut::File(path, mut w) = out {
            w.flush().map_err(io_error(&path))?;
        }
    }
    report.parts = names.into_iter().zip(counts).collect();
    match format {
        ExportFormat::Brat => {
            write_text(&root.join("annotation.conf"), &brat::annotation_conf(schema, opts, &types))?;
            write_text(&root.join("visual.conf"), &brat::visual_conf(schema, &types))?;
        }
        ExportFormat::Hf => {
            let tags = hf::tag_names(schema, opts);
            let json = serde_json::to_string_pretty(&tags).map_err(io::Error::other).map_err(io_error(out))?;
            write_text(&root.join("labels.json"), &(json + "\n"))?;
            if let Some(names) = hf::doc_label_names(schema) {
                let json = serde_json::to_string_pretty(&names).map_err(io::Error::other).map_err(io_error(out))?;
                write_text(&root.join("doc_labels.json"), &(json + "\n"))?;
            }
        }
        _ => {}
    }
    let single_file = opts.split.is_none() && !matches!(format, ExportFormat::Brat | ExportFormat::Hf);
    let file_name = format!("data.{}", format.extension());
    staging.finish(single_file.then_some(file_name.as_str()))?;
    Ok(report)
}

/// One document's output in `format`, and the spans it carried.
fn render(
    format: ExportFormat,
    doc: &Document,
    defs: &[DocLabelDef],
    opts: &ExportOptions,
    (types, tags): (&brat::TypeNames, &conll::TagNames),
) -> Rendered {
    let mut w = Vec::with_capacity(doc.text.len_bytes() * 2 + 256);
    let result = match format {
        ExportFormat::Jsonl => jsonl::write_document(&mut w, doc, opts).map(|n| (n, LeftOut::default())),
        ExportFormat::Csv => csv::write_document(&mut w, doc, defs, opts).map(|n| (n, LeftOut::default())),
        ExportFormat::Conll => conll::write_document(&mut w, doc, opts, tags).map(|left| tagged_count(doc, opts, left)),
        ExportFormat::Hf => hf::write_document(&mut w, doc, defs, opts).map(|left| tagged_count(doc, opts, left)),
        ExportFormat::Brat => brat::write_ann(&mut w, doc, opts, types).map(|n| (n, LeftOut::default())),
    };
    match result {
        Ok((written, left)) => Rendered { bytes: Ok(w), written, left },
        Err(err) => Rendered { bytes: Err(err), written: 0, left: LeftOut::default() },
    }
}

/// Spans a tagged export carried: those exported minus those left out.
fn tagged_count(doc: &Document, opts: &ExportOptions, left: LeftOut) -> (usize, LeftOut) {
    let candidates = opts.spans(doc).count();
    (candidates - left.overlapping - left.blank, left)
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ExportError + '_ {
    move |source| ExportError::Io { path: path.to_owned(), source }
}

fn write_text(path: &Path, text: &str) -> Result<(), ExportError> {
    std::fs::write(path, text).map_err(io_error(path))
}
