//! `gloss stats`: documents by status, spans per label, relations; per document and in total.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::analysis::stats::ProjectStats;
use crate::store;

use super::Failure;

/// Arguments of `gloss stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The project file.
    #[arg(value_name = "PROJECT.ron")]
    pub project: PathBuf,
    /// Print the statistics as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Prints the statistics of a project.
pub fn run(args: &StatsArgs) -> Result<ExitCode, Failure> {
    let project = store::load(&args.project).map_err(Failure::input)?;
    let stats = ProjectStats::of(&project);
    if args.json {
        let json = serde_json::to_string_pretty(&stats).map_err(Failure::work)?;
        println!("{json}");
    } else {
        print!("{}", render(&stats));
    }
    Ok(ExitCode::SUCCESS)
}

/// The statistics as an aligned plain-text report.
fn render(s: &ProjectStats) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "Project {:?}", s.name);
    let _ = writeln!(
        out,
        "  {}, {}, {}, {}",
        super::count(s.documents, "document", "documents"),
        super::count(s.chars, "character", "characters"),
        super::count(s.spans, "span", "spans"),
        super::count(s.relations, "relation", "relations")
    );
    let statuses: Vec<String> = ["todo", "in progress", "done", "skipped"]
        .iter()
        .map(|k| format!("{k} {}", s.by_status.get(k).copied().unwrap_or(0)))
        .collect();
    let _ = writeln!(out, "  documents by status: {}", statuses.join(", "));
    if s.suggestions > 0 {
        let _ = writeln!(
            out,
            "  {} waiting in {} (not exported until accepted)",
            super::count(s.suggestions, "suggestion", "suggestions"),
            super::count(s.documents_with_suggestions, "document", "documents")
        );
    }
    let width = s.label_order.iter().map(|l| l.chars().count()).max().unwrap_or(5).max(5);
    let _ = writeln!(out, "\nSpans per label");
    if s.suggestions > 0 {
        let _ = writeln!(out, "  {:<width$}  {:>7}  {:>9}", "", "spans", "suggested");
    }
    for label in &s.label_order {
        let n = s.labels.get(label).copied().unwrap_or(0);
        if s.suggestions > 0 {
            let waiting = s.suggested.get(label).copied().unwrap_or(0);
            let _ = writeln!(out, "  {label:<width$}  {n:>7}  {waiting:>9}");
        } else {
            let _ = writeln!(out, "  {label:<width$}  {n:>7}");
        }
    }
    if !s.relation_types.is_empty() {
        let _ = writeln!(out, "\nRelations per type");
        for (kind, n) in &s.relation_types {
            let _ = writeln!(out, "  {kind:<width$}  {n:>7}");
        }
    }
    if !s.doc_label_order.is_empty() {
        let _ = writeln!(out, "\nDocuments per document label");
        let width = s.doc_label_order.iter().map(|l| l.chars().count()).max().unwrap_or(5).max(5);
        for name in &s.doc_label_order {
            let Some(counts) = s.doc_labels.get(name) else { continue };
            let mut parts: Vec<String> = counts
                .value_order
                .iter()
                .map(|v| format!("{v} {}", counts.values.get(v).copied().unwrap_or(0)))
                .collect();
            parts.push(format!("unset {}", counts.unset));
            let _ = writeln!(out, "  {name:<width$}  {}", parts.join(", "));
        }
    }
    let _ = writeln!(out, "\nPer document");
    let id_w = s.per_document.iter().map(|d| d.id.chars().count()).max().unwrap_or(2).max(2);
    let labels: Vec<&String> = s.label_order.iter().collect();
    let mut header = format!("  {:<id_w$}  {:<11}  {:>9}  {:>6}  {:>9}", "id", "status", "chars", "spans", "relations");
    for l in &labels {
        let _ = write!(header, "  {l:>w$}", w = l.chars().count().max(3));
    }
    if s.suggestions > 0 {
        let _ = write!(header, "  {:>9}", "suggested");
    }
    let _ = writeln!(out, "{header}  title");
    for d in &s.per_document {
        let mut row =
            format!("  {:<id_w$}  {:<11}  {:>9}  {:>6}  {:>9}", d.id, d.status, d.chars, d.spans, d.relations);
        for l in &labels {
            let n = d.labels.get(*l).copied().unwrap_or(0);
            let _ = write!(row, "  {n:>w$}", w = l.chars().count().max(3));
        }
        if s.suggestions > 0 {
            let _ = write!(row, "  {:>9}", d.suggestions);
        }
        let _ = writeln!(out, "{row}  {}", d.title);
    }
    out
}
