//! `gloss merge`: merge annotators' projects into a gold project, keeping agreed spans and
//! marking conflicts.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;

use crate::analysis::merge::{self, CONFLICTS_META, DOC_LABEL_CONFLICT_META};
use crate::store;

use super::Failure;
use super::agree::{annotator_names, load_all};

/// Arguments of `gloss merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Documents are matched by identical text. A span (start, end, label) made by every \
    annotator who has the document is kept once; any other span is kept as a conflict: its annotator is set \
    to who made it (file stem, e.g. a.gloss.ron → a) and its note starts with \"conflict:\". A document with \
    conflicts gets meta gloss.conflicts = N and status \"in progress\" (find them with \
    grep gloss.conflicts GOLD.ron).\n\nA document label set alike by every annotator of the document is kept; \
    any other is left unset, and meta gloss.doc_label_conflict.NAME records each annotator's value.")]
pub struct MergeArgs {
    /// The annotators' projects (one is enough to copy; two or more to merge).
    #[arg(value_name = "PROJECT.ron", num_args = 2.., required = true)]
    pub projects: Vec<PathBuf>,
    /// The gold project to write.
    #[arg(long, value_name = "GOLD.ron")]
    pub out: PathBuf,
    /// Replace --out if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Loads the projects, merges them, writes the gold project and prints a summary.
pub fn run(args: &MergeArgs) -> Result<ExitCode, Failure> {
    if args.out.exists() && !args.force {
        return Err(Failure::input(anyhow!("{} exists; pass --force to replace it", args.out.display())));
    }
    let projects = load_all(&args.projects)?;
    let names = annotator_names(&args.projects, &projects);
    let inputs: Vec<(&str, &crate::model::Project)> = names.iter().map(String::as_str).zip(&projects).collect();
    let (gold, summary) = merge::merge(&inputs);
    if summary.shared_documents == 0 {
        return Err(Failure::input(anyhow!(
            "no document has the same text in every project ({}); nothing to merge",
            names.join(", ")
        )));
    }
    let problems = gold.problems();
    if let Some(first) = problems.first() {
        return Err(Failure::work(anyhow!("the merged project would be invalid: {first}")));
    }
    store::save(&args.out, &gold).map_err(Failure::work)?;
    println!(
        "Merged {} into {}: {} documents ({} in every project), {} agreed spans, {} conflicting spans in {} documents",
        names.join(", "),
        args.out.display(),
        summary.documents,
        summary.shared_documents,
        summary.agreed,
        summary.conflicts,
        summary.documents_with_conflicts
    );
    if summary.doc_labels_agreed + summary.doc_label_conflicts > 0 {
        println!(
            "Document labels: {} agreed, {} conflicting (left unset, marked gloss.doc_label_conflict.NAME)",
            summary.doc_labels_agreed, summary.doc_label_conflicts
        );
    }
    for d in &gold.documents {
        if let Some(n) = d.meta.get(CONFLICTS_META) {
            println!("  {}: {n} conflicts  {}", d.id, d.title);
        }
        for (key, who) in d.meta.range(DOC_LABEL_CONFLICT_META.to_owned()..) {
            let Some(name) = key.strip_prefix(DOC_LABEL_CONFLICT_META) else { break };
            println!("  {}: document label {name:?} differs ({who})  {}", d.id, d.title);
        }
    }
    Ok(ExitCode::SUCCESS)
}
