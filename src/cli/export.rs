//! `gloss export`: write a project as a training corpus (jsonl, conll, brat, hf, csv).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;

use crate::formats::export::{self, ExportError, ExportFormat, ExportOptions, OffsetUnit, Split, TagScheme};

use super::Failure;

/// Arguments of `gloss export`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Output: jsonl, conll and csv write the file PATH (with --split, a folder PATH with \
    train.jsonl, dev.jsonl...); hf writes a folder with data.jsonl (or one file per part) and labels.json; \
    brat writes a folder with NAME.txt + NAME.ann per document and annotation.conf + visual.conf (with \
    --split, one subfolder per part).\n\nOffsets are code points (Python str indices) unless --offsets says \
    otherwise. conll and hf cannot show overlapping spans: the longest span is kept first, then the \
    earliest; how many were left out is reported on stderr.")]
pub struct ExportArgs {
    /// The project to export.
    #[arg(value_name = "PROJECT.ron")]
    pub project: PathBuf,
    /// Corpus format: jsonl, conll, brat, hf or csv.
    #[arg(long, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// Where to write (a file or a folder, by format; see below).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Offset unit for jsonl, brat and csv: chars (code points, default), bytes (UTF-8) or utf16.
    #[arg(long, value_name = "UNIT", default_value = "chars")]
    pub offsets: OffsetUnit,
    /// Only documents marked done.
    #[arg(long)]
    pub only_done: bool,
    /// Only spans with these labels (comma-separated).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub labels: Option<Vec<String>>,
    /// Split by document, e.g. train=0.8,dev=0.1,test=0.1.
    #[arg(long, value_name = "NAME=FRACTION,...")]
    pub split: Option<Split>,
    /// Seed of --split: the same seed gives the same split.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Tag scheme for conll and hf: bio (IOB2) or bilou.
    #[arg(long, value_name = "SCHEME", default_value = "bio")]
    pub scheme: TagScheme,
    /// Replace an existing output. A folder is replaced whole: everything in it is deleted, files
    /// this export did not write included. Never replaced, even with --force: the project being
    /// exported or a folder holding it, the current folder or one above it, and anything that is
    /// not a file or a folder (a named pipe, a device).
    #[arg(long)]
    pub force: bool,
}

/// Exports the project (read one document at a time), and prints what was written.
pub fn run(args: &ExportArgs) -> Result<ExitCode, Failure> {
    if args.seed != 0 && args.split.is_none() {
        return Err(Failure::input(anyhow!("--seed only applies with --split")));
    }
    if args.scheme != TagScheme::Bio && !args.format.has_tags() {
        return Err(Failure::input(anyhow!("--scheme applies to conll and hf only")));
    }
    let labels =
        args.labels.as_ref().map(|ls| ls.iter().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect());
    let opts = ExportOptions {
        offsets: args.offsets,
        only_done: args.only_done,
        labels,
        scheme: args.scheme,
        split: args.split.clone(),
        seed: args.seed,
        force: args.force,
    };
    // The project is read one document at a time: memory stays near the size of the file.
    let report = export::export_file(&args.project, args.format, &args.out, &opts).map_err(|e| match e {
        ExportError::Io { .. } => Failure::work(e),
        other => Failure::input(other),
    })?;
    if !report.cleared.is_empty() {
        let list: Vec<String> = report.cleared.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "gloss: removed what an earlier export to {} left when it was stopped before it finished: {}",
            args.out.display(),
            list.join(", ")
        );
    }
    let with_doc_labels = report.documents_with_doc_labels;
    if with_doc_labels > 0 && !args.format.holds_doc_labels() {
        eprintln!(
            "gloss: {} has no place for document labels: those of {with_doc_labels} document(s) are not in this \
             export (jsonl, hf and csv carry them)",
            args.format
        );
    }
    for (label, tag) in &report.renamed_tags {
        eprintln!(
            "gloss: label {label:?} is written as {tag} in the CoNLL tags (a tag cannot hold a space); \
             `gloss import --map {}` reads it back",
            shell_quoted(&format!("{tag}={label}"))
        );
    }
    if args.format.has_tags() {
        let left = report.left_out;
        if left.overlapping + left.blank > 0 {
            eprintln!(
                "gloss: {} span(s) left out of the {} tags: {} overlapping a longer (or earlier) span, {} covering only whitespace",
                left.overlapping + left.blank,
                args.format,
                left.overlapping,
                left.blank
            );
        } else {
            eprintln!("gloss: no span left out of the {} tags (no overlaps)", args.format);
        }
    }
    let parts = if report.parts.len() > 1 || opts.split.is_some() {
        let list: Vec<String> = report.parts.iter().map(|(n, c)| format!("{n}: {c}")).collect();
        format!(" ({})", list.join(", "))
    } else {
        String::new()
    };
    println!(
        "exported {} document{} and {} span{} as {} to {}{parts}",
        report.documents,
        if report.documents == 1 { "" } else { "s" },
        report.spans,
        if report.spans == 1 { "" } else { "s" },
        args.format,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `arg` as one shell word: in single quotes, each `'` in it closed, escaped and reopened.
/// (Labels hold no control characters, so nothing else needs care.)
fn shell_quoted(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::shell_quoted;

    #[test]
    fn a_label_is_quoted_as_one_shell_word() {
        assert_eq!(shell_quoted("armed_group=armed group"), "'armed_group=armed group'");
        assert_eq!(shell_quoted("o_r=o'r $HOME"), r"'o_r=o'\''r $HOME'");
    }
}
