//! Real readers (issue 4): spaCy, Hugging Face `datasets` and brat-peek read Gloss's exports, via
//! `tests/python/check_exports.py`. Without Python or its packages the test is skipped with a
//! notice, unless the `CI` variable is set, when it fails.

use std::process::Command;

use crate::util::{Sandbox, repo_path};

#[test]
fn spacy_datasets_and_brat_read_the_exports() {
    let sb = Sandbox::new();
    gloss::store::save(&sb.join("p.gloss.ron"), &crate::interchange_cli::sample_project()).expect("save");
    for (format, out) in [("jsonl", "c.jsonl"), ("conll", "c.conll"), ("hf", "hf"), ("brat", "brat")] {
        sb.gloss(&["export", "p.gloss.ron", "--format", format, "--out", out]).expect_status(0);
    }
    let ci = std::env::var_os("CI").is_some();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let output = match Command::new(&python).arg(repo_path("tests/python/check_exports.py")).arg(sb.path()).output() {
        Ok(output) => output,
        Err(err) if !ci => {
            eprintln!("SKIPPED real-reader checks: cannot run {python}: {err}");
            return;
        }
        Err(err) => panic!("CI is set but {python} cannot run: {err}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(77) && !ci {
        eprintln!("SKIPPED real-reader checks: {stderr}");
        return;
    }
    assert!(output.status.success(), "real readers failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    assert!(stdout.contains("all real-reader checks passed"), "{stdout}");
    eprintln!("{stdout}");
}
