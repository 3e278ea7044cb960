//! `gloss split`: one project per annotator, with a shared overlap for measuring agreement.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;

use crate::analysis::split;
use crate::store;

use super::Failure;

/// Arguments of `gloss split`.
#[derive(Debug, clap::Args)]
#[command(after_help = "The documents are shuffled with --seed; the first round(overlap × documents) go to \
    every annotator (to measure agreement with gloss agree), the rest are dealt round-robin, one annotator \
    each. Writes DIR/NAME.gloss.ron per annotator; spans already in the project are kept. The same seed gives \
    the same assignment.")]
pub struct SplitArgs {
    /// The project to split.
    #[arg(value_name = "PROJECT.ron")]
    pub project: PathBuf,
    /// Annotator names, comma-separated; each names its output file.
    #[arg(long, value_name = "A,B,...", value_delimiter = ',', required = true)]
    pub annotators: Vec<String>,
    /// Fraction of the documents every annotator gets, from 0 to 1.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.0)]
    pub overlap: f64,
    /// Seed of the shuffle.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Folder to write the projects into (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace existing annotator projects.
    #[arg(long)]
    pub force: bool,
}

/// Splits the project and writes one file per annotator.
pub fn run(args: &SplitArgs) -> Result<ExitCode, Failure> {
    if !(0.0..=1.0).contains(&args.overlap) {
        return Err(Failure::input(anyhow!("--overlap must be between 0 and 1, got {}", args.overlap)));
    }
    let names: Vec<&str> = args.annotators.iter().map(|a| a.trim()).collect();
    for (i, name) in names.iter().enumerate() {
        let unsafe_name = name.is_empty() || *name == "." || *name == ".." || name.contains(['/', '\\', ':', '\0']);
        if unsafe_name {
            return Err(Failure::input(anyhow!("annotator name {name:?} cannot be a file name")));
        }
        if names.iter().take(i).any(|n| n == name) {
            return Err(Failure::input(anyhow!("annotator {name:?} is named twice")));
        }
    }
    let paths: Vec<PathBuf> = names.iter().map(|n| args.out.join(format!("{n}{}", store::PROJECT_SUFFIX))).collect();
    if !args.force {
        if let Some(existing) = paths.iter().find(|p| p.exists()) {
            return Err(Failure::input(anyhow!("{} exists; pass --force to replace it", existing.display())));
        }
    }
    let project = store::load(&args.project).map_err(Failure::input)?;
    let parts = split::split(&project, &names, args.overlap, args.seed);
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::input(anyhow!("cannot create {}: {e}", args.out.display())))?;
    // An annotator's project may be open already (replaced with --force): every one is locked
    // before any is written, so a refusal leaves them all as they were.
    let _locks = paths
        .iter()
        .map(|path| store::ProjectLock::acquire(path, "gloss split"))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::input)?;
    println!(
        "Split {} documents of {:?} among {} annotators (seed {}):",
        project.documents.len(),
        project.name,
        names.len(),
        args.seed
    );
    for ((name, part), path) in names.iter().zip(&parts).zip(&paths) {
        store::save(path, part).map_err(Failure::work)?;
        println!("  {name}: {} documents → {}", part.documents.len(), path.display());
    }
    let in_all =
        project.documents.iter().filter(|doc| parts.iter().all(|p| p.documents.iter().any(|d| d.id == doc.id))).count();
    println!("  {in_all} documents shared by every annotator");
    Ok(ExitCode::SUCCESS)
}
