//! `gloss import`: add articles to a project, creating it with the default schema if needed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;

use crate::formats::{self, ArticleFormat, ImportOptions};
use crate::model::Project;
use crate::store;

use super::Failure;

/// Arguments of `gloss import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The project to add to; created with the default schema if it does not exist.
    #[arg(long, value_name = "PROJECT.ron")]
    pub into: PathBuf,
    /// Articles to import; a folder imports the files directly in it.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read every file as this format instead of detecting it: text, html or markdown.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<ArticleFormat>,
    /// Decode text with this encoding instead of detecting it (e.g. utf-8, utf-16le, windows-1252).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
}

/// Imports the files and writes the project once, or not at all if anything fails.
pub fn run(args: &ImportArgs) -> Result<ExitCode, Failure> {
    let encoding = match &args.encoding {
        None => None,
        Some(label) => Some(encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            Failure::input(anyhow!(
                "unknown encoding {label:?} (try utf-8, utf-16le, utf-16be, windows-1252, iso-8859-2, ...)"
            ))
        })?),
    };
    // Hold the project from before it is read until it is written, so no other Gloss writes between.
    let _lock = store::ProjectLock::acquire(&args.into, "gloss import").map_err(Failure::input)?;
    let exists = args.into.exists();
    let mut project = if exists {
        store::load(&args.into).map_err(Failure::input)?
    } else {
        Project::new(project_name(&args.into))
    };
    let options = ImportOptions { format: args.format, encoding };
    let report = formats::import_paths(&mut project, &args.files, &options).map_err(Failure::input)?;
    for warning in &report.warnings {
        eprintln!("gloss: warning: {warning}");
    }
    for skipped in &report.skipped {
        eprintln!("gloss: skipped {}: {}", skipped.path.display(), skipped.reason);
    }
    if report.added.is_empty() {
        println!("nothing new to import; {} left unchanged", args.into.display());
        return Ok(ExitCode::SUCCESS);
    }
    store::save(&args.into, &project).map_err(Failure::input)?;
    for added in &report.added {
        println!(
            "added {} {:?} ({} characters, {}, {}) from {}",
            added.document_id,
            added.title,
            added.chars,
            added.format.name(),
            added.encoding,
            added.path.display()
        );
    }
    println!(
        "{} {}: {} document{} added, {} in all",
        if exists { "updated" } else { "created" },
        args.into.display(),
        report.added.len(),
        if report.added.len() == 1 { "" } else { "s" },
        project.documents.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// A project name from its file name: `border-talks.gloss.ron` → `border-talks`.
fn project_name(path: &std::path::Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = name.strip_suffix(store::PROJECT_SUFFIX).or_else(|| name.strip_suffix(".ron")).unwrap_or(&name);
    name.to_owned()
}
