//! The command line: argument definitions and the headless subcommands.
//!
//! Conventions (DESIGN.md): results on stdout, diagnostics on stderr; exit 0 on success, 1 when
//! the work itself fails (an invalid project), 2 on bad usage or unreadable input, in which case
//! the project on disk is untouched.

mod agree;
mod export;
mod import;
mod merge;
mod merge_driver;
mod split;
mod stats;
mod suggest;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `gloss`: label spans in article text and turn them into training data.
#[derive(Debug, Parser)]
#[command(
    name = "gloss",
    version,
    about = "Label spans in article text and turn them into training data.",
    long_about = "Label spans in article text and turn them into training data.\n\n\
        With no arguments, opens the desktop app on the last project (or an example article).\n\
        With PATH, opens that project (.ron) or article (text, HTML, Markdown) in the app.\n\
        The subcommands work without a display.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Headless command to run.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project (.ron) or an article to open in the app.
    pub path: Option<PathBuf>,
    /// With an article PATH: add it to this project instead of a new one beside the article.
    #[arg(long, value_name = "PROJECT.ron")]
    pub project: Option<PathBuf>,
}

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import articles (text, HTML, Markdown) into a project, creating it if needed.
    Import(import::ImportArgs),
    /// Export a project as a training corpus: jsonl, conll, brat, hf (Hugging Face) or csv.
    Export(export::ExportArgs),
    /// Check a project file and print every problem.
    Validate(validate::ValidateArgs),
    /// Count documents by status, spans per label and relations.
    Stats(stats::StatsArgs),
    /// Inter-annotator agreement between projects over the same articles.
    Agree(agree::AgreeArgs),
    /// Merge annotators' projects into a gold project; disputed spans become suggestions to review.
    Merge(merge::MergeArgs),
    /// Git merge driver: three-way semantic merge of a project (%O %A %B); exit 1 on true conflicts.
    MergeDriver(merge_driver::MergeDriverArgs),
    /// Assign documents to annotators: one project each, with a shared overlap, reproducible by seed.
    Split(split::SplitArgs),
    /// Pre-annotate: add suggestions from gazetteers (PHRASE<TAB>LABEL) and regex rules.
    Suggest(suggest::SuggestArgs),
}

/// A failure to report once on stderr, with the exit status it leads to.
#[derive(Debug)]
pub struct Failure {
    /// Exit status: 1 for a failure of the work, 2 for bad usage or unreadable input.
    pub status: u8,
    /// What went wrong.
    pub error: anyhow::Error,
}

impl Failure {
    /// Bad usage or unreadable input (exit 2).
    pub fn input(error: impl Into<anyhow::Error>) -> Self {
        Self { status: 2, error: error.into() }
    }

    /// The work failed (exit 1).
    pub fn work(error: impl Into<anyhow::Error>) -> Self {
        Self { status: 1, error: error.into() }
    }
}

/// Runs a headless subcommand and returns the exit status; errors are printed here, once.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Agree(args) => agree::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::MergeDriver(args) => merge_driver::run(&args),
        Command::Split(args) => split::run(&args),
        Command::Suggest(args) => suggest::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("gloss: error: {}", failure.error);
            ExitCode::from(failure.status)
        }
    }
}

/// "1 document", "2 documents": a count with its noun, for messages.
pub(crate) fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 { format!("1 {singular}") } else { format!("{n} {plural}") }
}
