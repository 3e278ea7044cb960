//! The GUI's gateway to the project file ([`crate::store`]) and article import
//! ([`crate::formats`]): each error becomes one readable message for a notification.

use std::path::{Path, PathBuf};

use crate::model::Project;

/// Loads and validates a project file.
pub fn load_project(path: &Path) -> Result<Project, String> {
    crate::store::load(path).map_err(|err| err.to_string())
}

/// Saves a project atomically.
pub fn save_project(path: &Path, project: &Project) -> Result<(), String> {
    crate::store::save(path, project).map_err(|err| err.to_string())
}

/// Saves a snapshot of the project (what the save and autosave threads write).
pub fn save_snapshot(path: &Path, snapshot: &crate::model::Snapshot) -> Result<(), String> {
    crate::store::save_snapshot(path, snapshot).map_err(|err| err.to_string())
}

/// The autosave file beside a project.
pub fn recovery_path(project: &Path) -> PathBuf {
    crate::store::recovery_path(project)
}

/// The project an article starts: `istanbul.html` → `istanbul.gloss.ron`.
pub fn project_path_for_article(article: &Path) -> PathBuf {
    crate::store::project_path_for_article(article)
}

/// True when `path` is a project file rather than an article.
pub fn is_project_path(path: &Path) -> bool {
    crate::store::is_project_path(path)
}

/// What an import added, for a notification.
#[derive(Debug, Default)]
pub struct ImportSummary {
    /// Titles of the documents added.
    pub added: Vec<String>,
    /// Files left out, with why.
    pub skipped: Vec<String>,
    /// Things the user should know (encoding guessed, text mismatches...).
    pub warnings: Vec<String>,
}

/// Imports articles into `project` (all or nothing).
pub fn import_articles(project: &mut Project, paths: &[PathBuf]) -> Result<ImportSummary, String> {
    let opts = crate::formats::ImportOptions::default();
    let report = crate::formats::import_paths(project, paths, &opts).map_err(|err| err.to_string())?;
    Ok(ImportSummary {
        added: report.added.into_iter().map(|a| a.title).collect(),
        skipped: report.skipped.into_iter().map(|s| format!("{}: {}", s.path.display(), s.reason)).collect(),
        warnings: report.warnings,
    })
}
