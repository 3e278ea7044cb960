//! Errors of reading and writing project files. Each names the file and, where it applies, the
//! line and column, or the document and span.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::model::Problem;

/// Why the text of a project file could not become a project.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The file is not valid UTF-8.
    #[error("{line}:{column}: the file is not valid UTF-8 text (a project file is always UTF-8)")]
    NotUtf8 {
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column of the first bad byte.
        column: usize,
    },
    /// RON syntax error, or a field of the wrong shape.
    #[error("{line}:{column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected or found.
        message: String,
    },
    /// The `format` field is not `"gloss-project"`.
    #[error("this is not a Gloss project (format is {0:?}, expected \"gloss-project\")")]
    NotAProject(String),
    /// Written by a newer Gloss.
    #[error(
        "this project was written by a newer Gloss (file format version {found}); this Gloss reads \
         versions up to {supported}. Update Gloss to open it; the file was not changed."
    )]
    NewerVersion {
        /// Version in the file.
        found: u64,
        /// Newest version this build reads.
        supported: u64,
    },
    /// The file parsed, but breaks rules of the model.
    #[error("{}", ProblemList(.0))]
    Invalid(Vec<Problem>),
}

impl ParseError {
    /// The individual problems, one per line of a report.
    pub fn problems(&self) -> Vec<String> {
        match self {
            ParseError::Invalid(problems) => problems.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        }
    }
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "{n} problem{}:", if n == 1 { "" } else { "s" })?;
        for problem in self.0 {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// Why a project file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file was read but is not a valid project.
    #[error("{}: {source}", .path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: ParseError,
    },
}

/// Why a project could not be saved. The previous file, if any, is unchanged.
#[derive(Debug, thiserror::Error)]
#[error("could not save {}: {step}: {source}; the previous file is unchanged", .path.display())]
pub struct SaveError {
    /// The file that was being saved.
    pub path: PathBuf,
    /// What was being done when it failed.
    pub step: &'static str,
    /// What the system said (e.g. "No space left on device").
    pub source: io::Error,
}
