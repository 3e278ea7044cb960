//! `gloss validate`: check a project file and print every problem.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::store::{self, LoadError, ParseError};

use super::Failure;

/// Arguments of `gloss validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The project file to check.
    #[arg(value_name = "PROJECT.ron")]
    pub project: PathBuf,
    /// Print the result as JSON: {"valid": bool, "problems": [...]}.
    #[arg(long)]
    pub json: bool,
}

/// Exit 0 when valid, 1 when invalid (problems on stdout), 2 when unreadable.
pub fn run(args: &ValidateArgs) -> Result<ExitCode, Failure> {
    let path = &args.project;
    let problems = match store::load(path) {
        Ok(project) => {
            if args.json {
                println!("{}", serde_json::json!({ "valid": true, "problems": [] }));
            } else {
                println!(
                    "{}: valid ({}, {}, {})",
                    path.display(),
                    super::count(project.documents.len(), "document", "documents"),
                    super::count(project.span_count(), "span", "spans"),
                    super::count(project.documents.iter().map(|d| d.relations.len()).sum(), "relation", "relations"),
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        Err(err @ LoadError::Read { .. }) => return Err(Failure::input(err)),
        Err(LoadError::Parse { source, path }) => match source {
            ParseError::NotUtf8 { .. } | ParseError::NotAProject(_) | ParseError::NewerVersion { .. } => {
                return Err(Failure::input(LoadError::Parse { path, source }));
            }
            ParseError::Syntax { .. } | ParseError::Invalid(_) => source.problems(),
        },
    };
    if args.json {
        println!("{}", serde_json::json!({ "valid": false, "problems": problems }));
    } else {
        for problem in &problems {
            println!("{}: {problem}", path.display());
        }
    }
    let n = problems.len();
    eprintln!("gloss: {} is invalid: {n} problem{}", path.display(), if n == 1 { "" } else { "s" });
    Ok(ExitCode::from(1))
}
