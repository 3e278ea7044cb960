//! Document-level labels through the command line: `merge` keeps what annotators agree on and
//! marks the rest, `agree` reports them, `validate` names a value the schema lacks.

use crate::interchange_cli::sample_project;
use crate::util::Sandbox;

fn two_annotators(sb: &Sandbox) {
    let ana = sample_project();
    let mut ben = sample_project();
    ben.documents[0].doc_labels.insert("escalation".into(), "no".into());
    ben.documents[1].doc_labels.remove("stance");
    gloss::store::save(&sb.join("ana.gloss.ron"), &ana).expect("save");
    gloss::store::save(&sb.join("ben.gloss.ron"), &ben).expect("save");
}

#[test]
fn merge_keeps_agreed_doc_labels_and_marks_the_others() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let run = sb.gloss(&["merge", "ana.gloss.ron", "ben.gloss.ron", "--out", "gold.gloss.ron"]);
    run.expect_status(0);
    assert!(run.stdout.contains("Document labels: 1 agreed, 2 conflicting"), "{}", run.stdout);
    assert!(run.stdout.contains("d0001: document label \"escalation\" differs (ana: yes; ben: no)"), "{}", run.stdout);
    assert!(run.stdout.contains("document label \"stance\" differs (ana: neutral; ben: unset)"), "{}", run.stdout);
    let gold = gloss::store::load(&sb.join("gold.gloss.ron")).expect("gold loads");
    assert_eq!(gold.documents[0].doc_label("stance"), Some("anti"), "agreed: kept");
    assert_eq!(gold.documents[0].doc_label("escalation"), None, "conflict: never picked");
    assert_eq!(gold.documents[0].meta["gloss.doc_label_conflict.escalation"], "ana: yes; ben: no");
}

#[test]
fn agree_reports_doc_labels_and_their_disagreements() {
    let sb = Sandbox::new();
    two_annotators(&sb);
    let run = sb.gloss(&["agree", "--json", "ana.gloss.ron", "ben.gloss.ron"]);
    run.expect_status(0);
    let r: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let e = &r["doc_labels"]["escalation"];
    assert_eq!((e["compared"].as_u64(), e["left_out"].as_u64(), e["agreed"].as_u64()), (Some(1), Some(2), Some(0)));
    let s = &r["doc_labels"]["stance"];
    assert_eq!((s["compared"].as_u64(), s["agreed"].as_u64()), (Some(1), Some(1)));
    assert_eq!(r["doc_label_disagreements"].as_array().map(Vec::len), Some(2));
    let run = sb.gloss(&["agree", "ana.gloss.ron", "ben.gloss.ron"]);
    assert!(run.stdout.contains("  escalation  0/1 agreed (2 left out)"), "{}", run.stdout);
    assert!(run.stdout.contains("  d0001 escalation: ana: yes, ben: no\n"), "{}", run.stdout);
}

#[test]
fn validate_names_a_doc_label_value_the_schema_lacks() {
    let sb = Sandbox::new();
    let text = gloss::store::to_string(&sample_project()).replace("\"stance\": \"anti\"", "\"stance\": \"hostile\"");
    sb.write("p.gloss.ron", text);
    let run = sb.gloss(&["validate", "p.gloss.ron"]);
    run.expect_status(1);
    assert!(
        run.stdout.contains("document \"d0001\": document label \"stance\" has value \"hostile\"")
            || run.stderr.contains("document \"d0001\": document label \"stance\" has value \"hostile\""),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}
