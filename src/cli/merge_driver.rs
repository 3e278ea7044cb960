//! `gloss merge-driver %O %A %B`: a git merge driver that merges project files semantically.
//!
//! Configure it with `.gitattributes`: `*.gloss.ron merge=gloss`, and
//! `git config merge.gloss.driver "gloss merge-driver %O %A %B"`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::analysis::merge3;
use crate::store;

use super::Failure;

/// Arguments of `gloss merge-driver`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Git calls this with the common ancestor (%O), ours (%A) and theirs (%B). The merge \
    is written to %A. Documents are matched by id, spans and relations by id within their document; a change \
    on one side only is taken. Suggestions merge by id too: one accepted or rejected on one side is gone (an \
    accepted one arrives as that side's new span); remembered rejections merge entry by entry. The same span changed two ways is a conflict: both versions are kept (theirs \
    with a fresh id and a note starting \"conflict:\"), and the exit status is 1, so git reports a conflict \
    for you to resolve in Gloss. Otherwise the exit status is 0.\n\nSetup: in .gitattributes, \
    `*.gloss.ron merge=gloss`; then `git config merge.gloss.driver \"gloss merge-driver %O %A %B\"`.")]
pub struct MergeDriverArgs {
    /// The common ancestor (git's %O).
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// Ours (git's %A); the merge is written here.
    #[arg(value_name = "OURS")]
    pub ours: PathBuf,
    /// Theirs (git's %B).
    #[arg(value_name = "THEIRS")]
    pub theirs: PathBuf,
}

/// Merges the three versions into `ours`; exit 1 on true conflicts.
pub fn run(args: &MergeDriverArgs) -> Result<ExitCode, Failure> {
    // Run by hand on a project that the app holds, the merge would overwrite its file.
    let _lock = store::ProjectLock::acquire(&args.ours, "gloss merge-driver").map_err(Failure::input)?;
    let base = store::load(&args.base).map_err(Failure::input)?;
    let ours = store::load(&args.ours).map_err(Failure::input)?;
    let theirs = store::load(&args.theirs).map_err(Failure::input)?;
    let (merged, conflicts) = merge3::merge3(&base, &ours, &theirs);
    store::save(&args.ours, &merged).map_err(Failure::work)?;
    if conflicts.is_empty() {
        eprintln!("gloss merge-driver: merged cleanly");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "gloss merge-driver: {} conflict(s), both versions kept (notes start with \"conflict:\"):",
        conflicts.len()
    );
    for c in &conflicts {
        eprintln!("  {c}");
    }
    Ok(ExitCode::from(1))
}
