//! `gloss agree`: inter-annotator agreement between projects over the same articles.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;

use crate::analysis::agreement::{self, Agreement, Annotator, Scores};
use crate::model::Project;
use crate::store;

use super::Failure;

/// A name per project for reports (see [`crate::analysis::naming::annotator_names`]).
pub(super) fn annotator_names(paths: &[PathBuf], projects: &[Project]) -> Vec<String> {
    crate::analysis::naming::annotator_names(paths, projects.iter().map(|p| p.name.as_str()))
}

/// Arguments of `gloss agree`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Documents are compared when their text is identical in every project (ids may differ). \
    With two projects the first is the reference (precision = share of the second's spans found in the first); \
    with three or more, figures are means over all pairs. Exact matching: same start, end and label. Overlap \
    matching: same label, overlapping, one-to-one, greedy by largest overlap. Kappa is over Unicode-word tokens, \
    each labelled with its longest overlapping span (O for none). Annotators are named by file stem.\n\n\
    Exit status: 0; 1 when --min-kappa or --min-f1 is not reached; 2 on unreadable input or no shared document.")]
pub struct AgreeArgs {
    /// Two or more projects by different annotators.
    #[arg(value_name = "PROJECT.ron", num_args = 2.., required = true)]
    pub projects: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) when the token kappa (Cohen's for two, Fleiss' for more) is below X.
    #[arg(long, value_name = "X")]
    pub min_kappa: Option<f64>,
    /// Fail (exit 1) when the exact-match F1 is below X.
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,
}

/// Loads the projects, measures agreement, prints it, and checks the thresholds.
pub fn run(args: &AgreeArgs) -> Result<ExitCode, Failure> {
    let projects = load_all(&args.projects)?;
    let names = annotator_names(&args.projects, &projects);
    let annotators: Vec<Annotator<'_>> =
        names.iter().zip(&projects).map(|(name, project)| Annotator { name, project }).collect();
    let report = agreement::measure(&annotators).map_err(Failure::input)?;
    if args.json {
        let json = serde_json::to_string_pretty(&report).map_err(Failure::work)?;
        println!("{json}");
    } else {
        print!("{}", render(&report));
    }
    let kappa = if report.annotators.len() == 2 { report.cohen_kappa } else { report.fleiss_kappa };
    // An undefined figure (nothing labelled by anyone) is not a disagreement.
    if let (Some(min), Some(k)) = (args.min_kappa, kappa) {
        if k < min {
            return Err(Failure::work(anyhow!("kappa {k:.4} is below --min-kappa {min}")));
        }
    }
    if let (Some(min), Some(f1)) = (args.min_f1, report.exact.f1) {
        if f1 < min {
            return Err(Failure::work(anyhow!("exact-match F1 {f1:.4} is below --min-f1 {min}")));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads every project; the first unreadable one is an input failure (exit 2).
pub(super) fn load_all(paths: &[PathBuf]) -> Result<Vec<Project>, Failure> {
    paths.iter().map(|p| store::load(p).map_err(Failure::input)).collect()
}

fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |x| format!("{x:.4}"))
}

fn fmt_scores(s: &Scores) -> String {
    format!("P {}  R {}  F1 {}", fmt(s.precision), fmt(s.recall), fmt(s.f1))
}

/// The report as plain text.
fn render(r: &Agreement) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "Annotators: {}", r.annotators.join(", "));
    if let [reference, other] = r.annotators.as_slice() {
        let _ = writeln!(out, "Reference: {reference} (precision = share of {other}'s spans found in {reference}'s)");
    } else {
        let _ = writeln!(out, "Figures: mean over {} pairs of annotators", r.pairs.len());
    }
    let _ = writeln!(out, "Shared documents: {}   tokens: {}", r.shared_documents, r.tokens);
    for (name, n) in &r.unshared_documents {
        if *n > 0 {
            let _ = writeln!(out, "  {name}: {n} document(s) not in every project, left out");
        }
    }
    let _ = writeln!(out, "\nSpans        exact: {}   ({} matched)", fmt_scores(&r.exact), r.exact.matched);
    let _ = writeln!(out, "             overlap: {}   ({} matched)", fmt_scores(&r.overlap), r.overlap.matched);
    let width = r.per_label.keys().map(|l| l.chars().count()).max().unwrap_or(5).max(5);
    let _ = writeln!(out, "\nPer label (exact F1, overlap F1)");
    for (label, s) in &r.per_label {
        let _ = writeln!(out, "  {label:<width$}  {:>6}  {:>6}", fmt(s.exact.f1), fmt(s.overlap.f1));
    }
    let _ =
        writeln!(out, "\nTokens       Cohen's kappa: {}   Fleiss' kappa: {}", fmt(r.cohen_kappa), fmt(r.fleiss_kappa));
    if r.pairs.len() > 1 {
        for p in &r.pairs {
            let _ = writeln!(
                out,
                "  {} vs {}: exact F1 {}, overlap F1 {}, Cohen's kappa {}",
                p.reference,
                p.other,
                fmt(p.exact.f1),
                fmt(p.overlap.f1),
                fmt(p.cohen_kappa)
            );
        }
    }
    let _ = writeln!(out, "\nConfusion (rows: reference label, columns: other label)");
    let mut cols: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for row in r.confusion.values() {
        cols.extend(row.keys().map(String::as_str));
    }
    let mut header = format!("  {:<width$}", "");
    for c in &cols {
        let _ = write!(header, "  {c:>w$}", w = c.chars().count().max(4));
    }
    let _ = writeln!(out, "{header}");
    for (label, row) in &r.confusion {
        let mut line = format!("  {label:<width$}");
        for c in &cols {
            let _ = write!(line, "  {:>w$}", row.get(*c).copied().unwrap_or(0), w = c.chars().count().max(4));
        }
        let _ = writeln!(out, "{line}");
    }
    if !r.doc_labels.is_empty() {
        let _ = writeln!(out, "\nDocument labels (over the shared documents where every annotator set them)");
        let width = r.doc_labels.keys().map(|l| l.chars().count()).max().unwrap_or(5).max(5);
        for (name, d) in &r.doc_labels {
            let _ = writeln!(
                out,
                "  {name:<width$}  {}/{} agreed ({} left out)  Cohen's kappa {}  Fleiss' kappa {}",
                d.agreed,
                d.compared,
                d.left_out,
                fmt(d.cohen_kappa.or(d.cohen_kappa_pairwise_mean)),
                fmt(d.fleiss_kappa)
            );
        }
        for d in &r.doc_label_disagreements {
            let values: Vec<String> =
                d.values.iter().map(|(a, v)| format!("{a}: {}", v.as_deref().unwrap_or("unset"))).collect();
            let _ = writeln!(out, "  {} {}: {}", d.document, d.name, values.join(", "));
        }
    }
    let _ = writeln!(out, "\nDisagreements: {}", r.disagreements.len());
    for d in &r.disagreements {
        let labels: Vec<String> =
            d.labels.iter().map(|(a, l)| format!("{a}: {}", l.as_deref().unwrap_or("none"))).collect();
        let _ = writeln!(out, "  {} {}..{} {:?}  {}", d.document, d.start, d.end, d.text, labels.join(", "));
    }
    out
}
