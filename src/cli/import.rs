//! `gloss import`: add articles to a project, creating it with the default schema if needed.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;

use crate::formats::annotated::{self, AnnotatedFormat, AnnotatedOptions, LabelMap};
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
    /// Read every file as this format instead of detecting it. Articles: text, html, markdown.
    /// Annotated corpora: jsonl (Gloss, Prodigy/spaCy), doccano, label-studio, brat, conll.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<ImportFormat>,
    /// Annotated imports: rename a label on the way in (repeat for several), e.g. --map PER=speaker.
    #[arg(long = "map", value_name = "OLD=NEW")]
    pub map: Vec<String>,
    /// Annotated imports: skip (and report) each span whose offsets or text do not fit, instead of
    /// stopping with nothing imported.
    #[arg(long)]
    pub lenient: bool,
    /// Decode text with this encoding instead of detecting it (e.g. utf-8, utf-16le, windows-1252).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
}

/// A format given with `--format`: an article format or an annotated corpus format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// Text, HTML or Markdown.
    Article(ArticleFormat),
    /// A corpus with annotations.
    Annotated(AnnotatedFormat),
}

impl std::str::FromStr for ImportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(f) = s.parse::<ArticleFormat>() {
            return Ok(ImportFormat::Article(f));
        }
        s.parse::<AnnotatedFormat>().map(ImportFormat::Annotated).map_err(|_| {
            format!("unknown format {s:?} (expected text, html, markdown, jsonl, doccano, label-studio, brat or conll)")
        })
    }
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
    let mut project =
        if exists { store::load(&args.into).map_err(Failure::input)? } else { Project::new(project_name(&args.into)) };
    // Annotated corpora are planned first (the project untouched), articles imported next, and
    // the plan applied last: any failure leaves the project as it was.
    let (annotated_files, article_files): (Vec<PathBuf>, Vec<PathBuf>) = match args.format {
        Some(ImportFormat::Annotated(_)) => (args.files.clone(), Vec::new()),
        Some(ImportFormat::Article(_)) => (Vec::new(), args.files.clone()),
        None => args.files.iter().cloned().partition(|p| annotated::detect(p).is_some()),
    };
    let mut planned = None;
    if !annotated_files.is_empty() {
        let map = LabelMap::parse(&args.map).map_err(|e| Failure::input(anyhow!(e)))?;
        let format = match args.format {
            Some(ImportFormat::Annotated(f)) => Some(f),
            _ => None,
        };
        let opts = AnnotatedOptions { format, map, lenient: args.lenient };
        planned = Some(annotated::plan_import(&project, &annotated_files, &opts).map_err(Failure::input)?);
    } else if !args.map.is_empty() || args.lenient {
        return Err(Failure::input(anyhow!("--map and --lenient apply to annotated corpora only")));
    }
    let report = if article_files.is_empty() {
        formats::ImportReport::default()
    } else {
        let format = match args.format {
            Some(ImportFormat::Article(f)) => Some(f),
            _ => None,
        };
        let options = ImportOptions { format, encoding };
        // A progress line on stderr, only for a person watching a terminal.
        let show = std::io::stderr().is_terminal();
        let result =
            formats::import_paths_with_progress(&mut project, &article_files, &options, |done, total, path| {
                if show {
                    eprint!("\r\x1b[2Kimporting {}/{total}: {}", done + 1, path.display());
                }
            });
        if show {
            eprint!("\r\x1b[2K");
        }
        result.map_err(Failure::input)?
    };
    let mut annotated_added = 0usize;
    if let Some((plan, areport)) = planned {
        // One buffered write for what can be millions of lines (a span given a million times).
        let mut err = std::io::BufWriter::new(std::io::stderr().lock());
        for notice in &areport.notices {
            let _ = writeln!(err, "gloss: note: {notice}");
        }
        for skipped in &areport.skipped {
            let _ = writeln!(err, "gloss: skipped (--lenient): {skipped}");
        }
        let _ = err.flush();
        drop(err);
        plan.apply(&mut project);
        for (path, id, title, spans) in &areport.added {
            println!("added {id} {title:?} ({spans} spans) from {}", path.display());
        }
        annotated_added = areport.added.len();
    }
    for warning in &report.warnings {
        eprintln!("gloss: warning: {warning}");
    }
    for skipped in &report.skipped {
        eprintln!("gloss: skipped {}: {}", skipped.path.display(), skipped.reason);
    }
    if report.added.is_empty() && annotated_added == 0 {
        println!("nothing new to import; {} left unchanged", args.into.display());
        return Ok(ExitCode::SUCCESS);
    }
    store::save(&args.into, &project).map_err(Failure::work)?;
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
        report.added.len() + annotated_added,
        if report.added.len() + annotated_added == 1 { "" } else { "s" },
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
