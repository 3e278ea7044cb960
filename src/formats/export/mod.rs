//! Exporting a project as a training corpus: Gloss JSONL, CoNLL, brat, Hugging Face, CSV.
//!
//! Offsets are code points unless [`ExportOptions::offsets`] says otherwise, and every span that
//! carries offsets also carries its text. Output goes to a staging folder beside the output and is
//! renamed into place at the end ([`output::Staging`]); documents are written one at a time through
//! buffered writers, so memory stays near the size of the project.
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
mod tokens;
mod words;

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

use crate::model::{Document, Project};

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
    /// An option does not fit the format or the output.
    #[error("{0}")]
    Usage(String),
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
}

/// Writes `project` to `out` as `format`. Refuses an existing `out` unless `opts.force`.
pub fn export(
    project: &Project,
    format: ExportFormat,
    out: &Path,
    opts: &ExportOptions,
) -> Result<ExportReport, ExportError> {
    export_with_progress(project, format, out, opts, |_, _| {})
}

/// [`export`], calling `progress(done, total)` after each document.
pub fn export_with_progress(
    project: &Project,
    format: ExportFormat,
    out: &Path,
    opts: &ExportOptions,
    mut progress: impl FnMut(usize, usize),
) -> Result<ExportReport, ExportError> {
    if opts.offsets != OffsetUnit::Chars && !format.has_offsets() {
        return Err(ExportError::Usage(format!("{format} has no offsets; --offsets applies to jsonl, brat and csv")));
    }
    if let Some(labels) = &opts.labels {
        if let Some(unknown) = labels.iter().find(|l| project.schema.label(l).is_none()) {
            return Err(ExportError::Usage(format!("--labels: the schema has no label {unknown:?}")));
        }
    }
    let staging = output::Staging::new(out, opts.force)?;
    let parts = opts.parts(project);
    let total: usize = parts.iter().map(|(_, d)| d.len()).sum();
    let mut report = ExportReport::default();
    let mut done = 0usize;
    let root = staging.path().to_owned();
    let single_file = opts.split.is_none() && !matches!(format, ExportFormat::Brat | ExportFormat::Hf);
    let types = brat::TypeNames::new(&project.schema);
    for (name, docs) in &parts {
        let part = name.clone().unwrap_or_else(|| "data".to_owned());
        report.parts.push((part.clone(), docs.len()));
        let mut each = |_doc: &Document, written: usize, left: LeftOut| {
            report.documents += 1;
            report.spans += written;
            report.left_out.overlapping += left.overlapping;
            report.left_out.blank += left.blank;
            done += 1;
            progress(done, total);
        };
        if format == ExportFormat::Brat {
            let dir = match name {
                Some(n) => root.join(n),
                None => root.clone(),
            };
            std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
            let mut names = FileNames::default();
            for doc in docs {
                let stem = names.stem_for(&doc.id);
                let txt = dir.join(format!("{stem}.txt"));
                std::fs::write(&txt, doc.text.as_str()).map_err(io_error(&txt))?;
                let ann = dir.join(format!("{stem}.ann"));
                let written = write_file(&ann, |w| brat::write_ann(w, doc, opts, &types))?;
                each(doc, written, LeftOut::default());
            }
            continue;
        }
        let file = root.join(format!("{part}.{}", format.extension()));
        write_file(&file, |w| {
            let defs = &project.schema.doc_labels;
            if format == ExportFormat::Csv {
                csv::write_header(w, defs)?;
            }
            for doc in docs {
                let (written, left) = match format {
                    ExportFormat::Jsonl => (jsonl::write_document(w, doc, opts)?, LeftOut::default()),
                    ExportFormat::Csv => (csv::write_document(w, doc, defs, opts)?, LeftOut::default()),
                    ExportFormat::Conll => tagged_count(doc, opts, conll::write_document(w, doc, opts)?),
                    ExportFormat::Hf => tagged_count(doc, opts, hf::write_document(w, doc, defs, opts)?),
                    ExportFormat::Brat => (0, LeftOut::default()),
                };
                each(doc, written, left);
            }
            Ok(())
        })?;
    }
    match format {
        ExportFormat::Brat => {
            write_text(&root.join("annotation.conf"), &brat::annotation_conf(&project.schema, opts, &types))?;
            write_text(&root.join("visual.conf"), &brat::visual_conf(&project.schema, &types))?;
        }
        ExportFormat::Hf => {
            let tags = hf::tag_names(&project.schema, opts);
            let json = serde_json::to_string_pretty(&tags).map_err(io::Error::other).map_err(io_error(out))?;
            write_text(&root.join("labels.json"), &(json + "\n"))?;
            if let Some(names) = hf::doc_label_names(&project.schema) {
                let json = serde_json::to_string_pretty(&names).map_err(io::Error::other).map_err(io_error(out))?;
                write_text(&root.join("doc_labels.json"), &(json + "\n"))?;
            }
        }
        _ => {}
    }
    let file_name = format!("data.{}", format.extension());
    staging.finish(single_file.then_some(file_name.as_str()))?;
    Ok(report)
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

fn write_file<T>(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> io::Result<T>) -> Result<T, ExportError> {
    let file = File::create(path).map_err(io_error(path))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let value = write(&mut w).map_err(io_error(path))?;
    w.flush().map_err(io_error(path))?;
    Ok(value)
}
