//! The example project in `projects/` is a golden file: it must load, mean what it says, and be
//! written back byte for byte, so the format cannot drift unnoticed.

use gloss::model::Status;
use gloss::store;

use crate::util::{py_slice, repo_path};

const GOLDEN: &str = "projects/border-talks.gloss.ron";

#[test]
fn golden_project_loads_with_every_feature_of_the_format() {
    let project = store::load(&repo_path(GOLDEN)).expect("golden project loads");
    assert_eq!(project.name, "Border talks");
    let labels: Vec<&str> = project.schema.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(labels, ["claim", "threat", "speaker", "location"]);
    let keys: Vec<Option<char>> = project.schema.labels.iter().map(|l| l.key).collect();
    assert_eq!(keys, [Some('1'), Some('2'), Some('3'), Some('4')]);
    let doc = &project.documents[0];
    assert_eq!(doc.status, Status::InProgress);
    assert_eq!(doc.meta.get("outlet").map(String::as_str), Some("The Averne Tide"));
    assert_eq!(doc.spans.len(), 14);
    assert_eq!(doc.relations.len(), 4);
    // Every label is used.
    for label in &labels {
        assert!(doc.spans.iter().any(|s| s.label == *label), "no {label} span");
    }
    // The threat nests inside the claim: overlapping spans survive.
    let threat = doc.span(3).expect("span 3");
    let claim = doc.span(4).expect("span 4");
    assert!(claim.start < threat.start && threat.end < claim.end);
    assert_eq!(threat.note.as_deref(), Some("Conditional: only if the union stays away."));
    // Offsets are code points: after "—", "’", "É" and the emoji, they still match Python slicing.
    for span in &doc.spans {
        assert_eq!(
            Some(py_slice(doc.text.as_str(), span.start, span.end).as_str()),
            doc.covered_text(span),
            "span {}",
            span.id
        );
    }
    assert_eq!(doc.covered_text(doc.span(12).expect("span 12")), Some("Saint-Malin"));
}

#[test]
fn golden_project_is_written_back_byte_for_byte() {
    let on_disk = std::fs::read_to_string(repo_path(GOLDEN)).expect("read golden");
    let project = store::parse(&on_disk).expect("parse golden");
    let written = store::to_string(&project);
    if written != on_disk {
        let first = on_disk.lines().zip(written.lines()).position(|(a, b)| a != b);
        panic!("the writer drifted from the golden file, first at line {:?}", first.map(|l| l + 1));
    }
}
