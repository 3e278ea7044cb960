//! `gloss merge`: merge annotators' projects into a gold project: agreed spans become spans, the
//! disputed ones suggestions to review.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;

use crate::analysis::conflicts;
use crate::analysis::merge::{self, DOC_LABEL_CONFLICT_META};
use crate::store;

use super::Failure;
use super::agree::{annotator_names, load_all};

/// Arguments of `gloss merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Documents are matched by identical text. A span (start, end, label) made by every \
    annotator who has the document becomes a span of the gold project. Any other span becomes a suggestion: \
    its annotator is set to who made it (file stem, e.g. a.gloss.ron → a; several joined by \"+\"), it keeps \
    the annotator's note, and it is never exported until accepted. Open the gold project in the app and use \
    Review conflicts (Ctrl+R) to decide each conflict with one key. A document with suggestions gets the \
    status \"in progress\"; meta gloss.annotators names whose versions it holds. Links between agreed spans \
    are kept; links touching a disputed span are listed on stdout and not kept.\n\nSuggestions still waiting in \
    the annotators' projects (from gloss suggest: a gazetteer or a rule) are kept with their origin, once per \
    start, end and label; one that repeats a gold span or a disputed span, or that an annotator rejected, is \
    left out and counted. Review (Ctrl+R) walks the disputes only; the waiting ones are accepted or rejected \
    as usual. The annotators' memories of rejected suggestions are joined.\n\nA document label set alike by every annotator of the document is kept; \
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
    // The gold project may be open elsewhere (the app, another merge): one writer at a time.
    let _lock = store::ProjectLock::acquire(&args.out, "gloss merge").map_err(Failure::input)?;
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
        "Merged {} into {}: {} documents ({} in every project), {} agreed spans, {} disputed spans (suggestions) \
         in {} documents, {} conflicts to review",
        names.join(", "),
        args.out.display(),
        summary.documents,
        summary.shared_documents,
        summary.agreed,
        summary.disputed,
        summary.documents_with_disputes,
        conflicts::project_conflicts(&gold).len()
    );
    let carried = summary.carried_suggestions + summary.carried_duplicates + summary.carried_rejected;
    if carried > 0 {
        println!(
            "Waiting suggestions from the annotators' projects: {} kept, {} repeats left out, {} left out as \
             rejected by an annotator",
            summary.carried_suggestions, summary.carried_duplicates, summary.carried_rejected
        );
    }
    if summary.doc_labels_agreed + summary.doc_label_conflicts > 0 {
        println!(
            "Document labels: {} agreed, {} conflicting (left unset, marked gloss.doc_label_conflict.NAME)",
            summary.doc_labels_agreed, summary.doc_label_conflicts
        );
    }
    for (i, d) in gold.documents.iter().enumerate() {
        let found = conflicts::document_conflicts(&gold, i);
        let disputed: usize = found.iter().map(|c| c.suggestions.len()).sum();
        if disputed > 0 {
            println!("  {}: {disputed} disputed spans, {} conflicts  {}", d.id, found.len(), d.title);
        }
        for (key, who) in d.meta.range(DOC_LABEL_CONFLICT_META.to_owned()..) {
            let Some(name) = key.strip_prefix(DOC_LABEL_CONFLICT_META) else { break };
            println!("  {}: document label {name:?} differs ({who})  {}", d.id, d.title);
        }
    }
    if !summary.dropped_relations.is_empty() {
        println!(
            "{} links touch a disputed span and were not kept (add them again after the review):",
            summary.dropped_relations.len()
        );
        for r in &summary.dropped_relations {
            println!(
                "  {}: {} \u{201c}{}\u{201d} → \u{201c}{}\u{201d} ({})",
                r.document, r.label, r.from, r.to, r.annotator
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
