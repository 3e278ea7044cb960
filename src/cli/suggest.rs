//! `gloss suggest`: pre-annotate a project from gazetteers and regex rules.
//!
//! Matches become suggestions (proposed spans), never spans, unless `--accept-all` is given; the
//! app shows them apart and accepts or rejects them one at a time or all at once.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;

use crate::analysis::suggest::{self, Gazetteer, MatchOptions, Matcher, PlanOptions, RegexRule};
use crate::model::{Document, Edit, Project, SpanId};
use crate::store;

use super::Failure;

/// Arguments of `gloss suggest`.
#[derive(Debug, clap::Args)]
#[command(after_help = "A gazetteer is a UTF-8 file of PHRASE<TAB>LABEL lines; a rules file has \
    LABEL<TAB>PATTERN lines (regex crate syntax). In both, blank lines and lines starting with # are skipped. \
    Matches that repeat a span or suggestion already there (same start, end and label) are left out, so \
    running twice adds nothing. Suggestions someone rejected (in the app or in review) are remembered in \
    the project and left out too, with a count; --include-rejected suggests them again. Deleting an accepted \
    span is not a rejection. Labels not in the schema are added to it (or renamed with --map). \
    Suggestions are never exported; accept them in the app, or here with --accept-all, which accepts every \
    suggestion these gazetteers and rules made in the documents it runs on: the new ones and those still \
    waiting from an earlier run. Suggestions from elsewhere (other files, merge conflicts) are left alone.")]
pub struct SuggestArgs {
    /// The project to add suggestions to.
    #[arg(value_name = "PROJECT.ron")]
    pub project: PathBuf,
    /// A gazetteer: PHRASE<TAB>LABEL lines (repeat for several).
    #[arg(long, value_name = "FILE.tsv")]
    pub gazetteer: Vec<PathBuf>,
    /// A file of regex rules: LABEL<TAB>PATTERN lines (repeat for several).
    #[arg(long, value_name = "FILE.tsv")]
    pub regex_file: Vec<PathBuf>,
    /// One regex rule (repeat for several), e.g. --regex 'date=\b\d{4}\b'.
    #[arg(long = "regex", value_name = "LABEL=PATTERN")]
    pub regex: Vec<String>,
    /// Ignore case (Unicode rules: STRASSE finds Straße).
    #[arg(long, short = 'i')]
    pub ignore_case: bool,
    /// Keep only matches that start and end on word boundaries (never inside a word).
    #[arg(long, short = 'w')]
    pub whole_word: bool,
    /// Only documents whose status is "todo".
    #[arg(long)]
    pub only_todo: bool,
    /// Rename a label on the way in (repeat for several), e.g. --map LOC=location.
    #[arg(long = "map", value_name = "OLD=NEW")]
    pub map: Vec<String>,
    /// Count what would be suggested without writing the project.
    #[arg(long)]
    pub dry_run: bool,
    /// Accept as spans every suggestion from these gazetteers and rules: new, and waiting from earlier runs.
    #[arg(long)]
    pub accept_all: bool,
    /// Suggest again what was rejected before (by default it is left out).
    #[arg(long)]
    pub include_rejected: bool,
    /// Print the counts as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Finds matches, adds them as suggestions and saves the project once (unless `--dry-run`).
pub fn run(args: &SuggestArgs) -> Result<ExitCode, Failure> {
    if args.gazetteer.is_empty() && args.regex_file.is_empty() && args.regex.is_empty() {
        return Err(Failure::input(anyhow!("nothing to suggest from: give --gazetteer, --regex-file or --regex")));
    }
    let gazetteers: Vec<Gazetteer> =
        args.gazetteer.iter().map(|p| Gazetteer::read(p)).collect::<Result<_, _>>().map_err(Failure::input)?;
    let mut rules = Vec::new();
    for path in &args.regex_file {
        rules.extend(RegexRule::read_file(path).map_err(Failure::input)?);
    }
    for arg in &args.regex {
        rules.push(RegexRule::parse_arg(arg).map_err(|e| Failure::input(anyhow!(e)))?);
    }
    // The same `--map OLD=NEW` rules as `gloss import`.
    let map = crate::formats::annotated::LabelMap::parse(&args.map).map_err(|e| Failure::input(anyhow!(e)))?.0;
    let options = MatchOptions { ignore_case: args.ignore_case, whole_word: args.whole_word };
    let matcher = Matcher::new(&gazetteers, &rules, options).map_err(Failure::input)?;

    // Hold the project from before it is read until it is written, so no other Gloss writes between.
    let _lock = if args.dry_run {
        None
    } else {
        Some(store::ProjectLock::acquire(&args.project, "gloss suggest").map_err(Failure::input)?)
    };
    let mut project = store::load(&args.project).map_err(Failure::input)?;
    let options =
        PlanOptions { only_todo: args.only_todo, documents: None, map, include_rejected: args.include_rejected };
    let plan = suggest::plan(&project, &matcher, &options);
    for label in &plan.new_labels {
        eprintln!(
            "gloss: note: label {label:?} is not in the schema; it is added (or rename it with --map {label}=NAME)"
        );
    }
    let mut accepted = Accepted::default();
    if args.accept_all {
        accepted.waiting = waiting(&project, &suggest::chosen_documents(&project, &options), &matcher.origins());
        accepted.new = plan.added();
    }
    if !args.dry_run {
        if let Some(edit) = plan.edit.clone() {
            edit.apply(&mut project).map_err(|e| Failure::work(anyhow!("cannot add the suggestions: {e}")))?;
        }
        if args.accept_all {
            let chosen = suggest::chosen_documents(&project, &options);
            accept(&mut project, &chosen, &matcher.origins())?;
        }
        if plan.edit.is_some() || accepted.total() > 0 {
            store::save(&args.project, &project).map_err(Failure::work)?;
        }
    }
    if args.json {
        println!("{}", json(&plan, args, accepted));
    } else {
        print!("{}", render(&plan, args, accepted));
    }
    Ok(ExitCode::SUCCESS)
}

/// Suggestions `--accept-all` accepts: those this run adds and those already waiting.
#[derive(Clone, Copy, Debug, Default)]
struct Accepted {
    new: usize,
    waiting: usize,
}

impl Accepted {
    fn total(self) -> usize {
        self.new + self.waiting
    }
}

/// The ids of the suggestions of document `d` whose origin is one of `origins`.
fn from_origins(d: &Document, origins: &BTreeSet<String>) -> Vec<SpanId> {
    d.suggestions.iter().filter(|s| s.annotator.as_ref().is_some_and(|o| origins.contains(o))).map(|s| s.id).collect()
}

/// How many suggestions from `origins` wait in the documents `docs`.
fn waiting(project: &Project, docs: &[usize], origins: &BTreeSet<String>) -> usize {
    docs.iter().filter_map(|&doc| project.documents.get(doc)).map(|d| from_origins(d, origins).len()).sum()
}

/// Accepts every suggestion from `origins` in the documents `docs` (the run's new ones and those
/// waiting from earlier runs); suggestions of other origins are left alone.
fn accept(project: &mut Project, docs: &[usize], origins: &BTreeSet<String>) -> Result<(), Failure> {
    for &doc in docs {
        let Some(d) = project.documents.get(doc) else { continue };
        let ids = from_origins(d, origins);
        if let Some(edit) = Edit::accept_suggestions(project, doc, &ids) {
            edit.apply(project).map_err(|e| Failure::work(anyhow!("cannot accept the suggestions: {e}")))?;
        }
    }
    Ok(())
}

fn render(plan: &suggest::SuggestPlan, args: &SuggestArgs, accepted: Accepted) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let labels = plan.labels();
    let width = labels.keys().map(|l| l.chars().count()).max().unwrap_or(5).max(5);
    for d in plan.documents.iter().filter(|d| d.added > 0) {
        let counts: Vec<String> = d.labels.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let _ = writeln!(out, "  {}: {} ({})  {}", d.id, d.added, counts.join(", "), d.title);
    }
    if !labels.is_empty() {
        let _ = writeln!(out, "Suggestions per label");
        for (label, n) in &labels {
            let _ = writeln!(out, "  {label:<width$}  {n:>7}");
        }
    }
    let verb = if args.dry_run { "would add" } else { "added" };
    let with = plan.documents.iter().filter(|d| d.added > 0).count();
    let _ = write!(
        out,
        "{}: {verb} {} suggestions in {with} of {} documents",
        args.project.display(),
        plan.added(),
        plan.documents.len()
    );
    if plan.duplicates() > 0 {
        let _ = write!(out, "; {} matches already there left out", plan.duplicates());
    }
    if plan.rejected() > 0 {
        let _ =
            write!(out, "; {} left out as rejected before (--include-rejected suggests them again)", plan.rejected());
    }
    if args.accept_all {
        let verb = if args.dry_run { "would accept" } else { "accepted" };
        let _ = write!(
            out,
            "; {verb} {} as spans ({} new, {} already waiting)",
            accepted.total(),
            accepted.new,
            accepted.waiting
        );
    }
    let _ = writeln!(out);
    out
}

fn json(plan: &suggest::SuggestPlan, args: &SuggestArgs, accepted: Accepted) -> serde_json::Value {
    let documents: Vec<serde_json::Value> = plan
        .documents
        .iter()
        .map(|d| {
            serde_json::json!({
                "id": d.id,
                "title": d.title,
                "added": d.added,
                "duplicates": d.duplicates,
                "previously_rejected": d.rejected,
                "labels": d.labels,
            })
        })
        .collect();
    serde_json::json!({
        "dry_run": args.dry_run,
        "added": plan.added(),
        "duplicates": plan.duplicates(),
        "previously_rejected": plan.rejected(),
        "accepted": accepted.total(),
        "accepted_new": accepted.new,
        "accepted_waiting": accepted.waiting,
        "new_labels": plan.new_labels,
        "labels": plan.labels(),
        "documents": documents,
    })
}
