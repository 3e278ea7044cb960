//! `gloss export` and annotated `gloss import` from the command line: outputs, refusals, and
//! hostile input (issue 4).

use gloss::model::{DocLabelDef, Document, Project, Relation, Span, Status};
use gloss::store;

use crate::util::{Sandbox, py_slice};

/// A small project with the hard cases: curly quotes glued to words, accents, emoji, Urdu, a span
/// over a line break, overlapping spans, hostile document ids.
pub fn sample_project() -> Project {
    let mut p = Project::new("interchange");
    let def = |name: &str, values: &[&str], key| DocLabelDef {
        name: name.into(),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        key,
        description: String::new(),
    };
    p.schema.doc_labels =
        vec![def("escalation", &["yes", "no"], Some('e')), def("stance", &["pro", "anti", "neutral"], None)];
    // "Minister Ayşe Demir said the bridge could“completely close”.\n😀 Critics in کراچی disagree."
    let text = "Minister Ayşe Demir said the bridge could“completely close”.\n😀 Critics in کراچی disagree.";
    let mut d = Document::new("d0001", "Bridge", text);
    d.status = Status::Done;
    let at = |needle: &str| {
        let byte = text.find(needle).expect("needle");
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    };
    let (s1, e1) = at("Ayşe Demir");
    let (s2, e2) = at("completely close");
    let (s3, e3) = at("کراچی");
    let (s4, e4) = at("close”.\n😀 Critics");
    d.spans = vec![
        Span::new(1, s1, e1, "speaker"),
        Span { note: Some("hedged".into()), ..Span::new(2, s2, e2, "claim") },
        Span::new(3, s3, e3, "location"),
        Span::new(4, s4, e4, "threat"),
    ];
    d.spans.sort_by_key(Span::sort_key);
    d.relations = vec![Relation { id: 1, label: "said".into(), from: 1, to: 2 }];
    d.doc_labels.insert("escalation".into(), "yes".into());
    d.doc_labels.insert("stance".into(), "anti".into());
    p.documents.push(d);
    let mut d = Document::new("../../etc/CON", "Hostile id", "Zoë met Müller in Gdańsk.");
    d.spans = vec![Span::new(1, 0, 3, "speaker"), Span::new(2, 18, 24, "location")];
    d.doc_labels.insert("stance".into(), "neutral".into());
    p.documents.push(d);
    p.documents.push(Document::new("d0003", "Empty of spans", "Nothing here."));
    p
}

fn sandbox_with_project() -> Sandbox {
    let sb = Sandbox::new();
    store::save(&sb.join("p.gloss.ron"), &sample_project()).expect("save");
    sb
}

#[test]
fn jsonl_export_offsets_are_python_slices_and_existing_output_needs_force() {
    let sb = sandbox_with_project();
    let run = sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "c.jsonl"]);
    run.expect_status(0);
    assert!(run.stdout.contains("exported 3 documents and 6 spans as jsonl"), "{}", run.stdout);
    let out = std::fs::read_to_string(sb.join("c.jsonl")).expect("out");
    assert_eq!(out.lines().count(), 3);
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let text = v["text"].as_str().expect("text");
        for s in v["spans"].as_array().expect("spans") {
            let (start, end) = (s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize);
            assert_eq!(py_slice(text, start, end), s["text"].as_str().unwrap());
        }
    }
    let again = sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "c.jsonl"]);
    again.expect_status(2);
    assert!(again.stderr.contains("c.jsonl exists; give --force"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(sb.join("c.jsonl")).unwrap(), out);
    sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "c.jsonl", "--force", "--only-done"])
        .expect_status(0);
    assert_eq!(std::fs::read_to_string(sb.join("c.jsonl")).unwrap().lines().count(), 1);
    // No temporary files are left beside the output.
    let names: Vec<String> =
        std::fs::read_dir(sb.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains("export-tmp")), "{names:?}");
}

#[test]
fn unreadable_project_and_bad_options_exit_2() {
    let sb = sandbox_with_project();
    sb.write("bad.ron", "(format: \"gloss-project\", version: 1, name: ");
    let run = sb.gloss(&["export", "bad.ron", "--format", "jsonl", "--out", "x.jsonl"]);
    run.expect_status(2);
    assert!(run.stderr.contains("bad.ron"), "{}", run.stderr);
    sb.gloss(&["export", "missing.ron", "--format", "jsonl", "--out", "x.jsonl"]).expect_status(2);
    sb.gloss(&["export", "p.gloss.ron", "--format", "conll", "--out", "x", "--offsets", "utf16"]).expect_status(2);
    sb.gloss(&["export", "p.gloss.ron", "--format", "xml", "--out", "x"]).expect_status(2);
    sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "x", "--split", "train=0.5"]).expect_status(2);
    sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "x", "--labels", "nope"]).expect_status(2);
    assert!(!sb.join("x").exists() && !sb.join("x.jsonl").exists());
}

#[test]
fn split_writes_one_file_per_part_reproducibly() {
    let sb = sandbox_with_project();
    let args = [
        "export",
        "p.gloss.ron",
        "--format",
        "jsonl",
        "--split",
        "train=0.34,dev=0.33,test=0.33",
        "--seed",
        "7",
        "--out",
    ];
    sb.gloss(&[&args[..], &["a"]].concat()).expect_status(0);
    sb.gloss(&[&args[..], &["b"]].concat()).expect_status(0);
    let mut ids = Vec::new();
    for part in ["train", "dev", "test"] {
        let a = std::fs::read_to_string(sb.join(&format!("a/{part}.jsonl"))).expect("part");
        assert_eq!(a, std::fs::read_to_string(sb.join(&format!("b/{part}.jsonl"))).unwrap());
        ids.extend(
            a.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned()),
        );
    }
    ids.sort();
    assert_eq!(ids, ["../../etc/CON", "d0001", "d0003"]);
}

#[test]
fn conll_reports_overlaps_and_keeps_the_glued_span() {
    let sb = sandbox_with_project();
    let run = sb.gloss(&["export", "p.gloss.ron", "--format", "conll", "--out", "c.conll"]);
    run.expect_status(0);
    // The threat span "close”.\n😀 Critics" is the longest; "completely close" overlaps it.
    assert!(run.stderr.contains("1 span(s) left out") && run.stderr.contains("1 overlapping"), "{}", run.stderr);
    let conll = std::fs::read_to_string(sb.join("c.conll")).unwrap();
    assert!(conll.starts_with("-DOCSTART- -X- -X- O\n\nMinister O\nAyşe B-speaker\nDemir I-speaker\n"), "{conll}");
    assert!(conll.contains("could O\n“ O\ncompletely O\nclose B-threat\n” I-threat\n. I-threat\n😀 I-threat\nCritics I-threat\nin O\nکراچی B-location\n"), "{conll}");
    let run = sb.gloss(&[
        "export",
        "p.gloss.ron",
        "--format",
        "conll",
        "--out",
        "l.conll",
        "--labels",
        "claim",
        "--scheme",
        "bilou",
    ]);
    run.expect_status(0);
    assert!(run.stderr.contains("no span left out"), "{}", run.stderr);
    let conll = std::fs::read_to_string(sb.join("l.conll")).unwrap();
    assert!(conll.contains("“ O\ncompletely B-claim\nclose L-claim\n” O\n"), "{conll}");
}

#[test]
fn a_label_with_a_space_gets_a_one_column_tag_and_the_map_that_reads_it_back() {
    let sb = Sandbox::new();
    // "armed group" (a space) and "armed\u{a0}force" (a no-break space, which readers also split at).
    sb.write(
        "in.jsonl",
        "{\"text\": \"Die bewaffnete Gruppe drohte in Köln 🙂, sagte die Truppe.\", \"spans\": [\
         {\"start\": 4, \"end\": 21, \"label\": \"armed group\"}, {\"start\": 32, \"end\": 36, \"label\": \"location\"}, \
         {\"start\": 50, \"end\": 56, \"label\": \"armed\u{a0}force\"}]}\n",
    );
    sb.gloss(&["import", "--into", "p.ron", "in.jsonl"]).expect_status(0);
    let run = sb.gloss(&["export", "p.ron", "--format", "conll", "--out", "c.conll"]);
    run.expect_status(0);
    assert!(
        run.stderr.contains("label \"armed group\" is written as armed_group in the CoNLL tags")
            && run.stderr.contains("gloss import --map 'armed_group=armed group'"),
        "{}",
        run.stderr
    );
    let conll = std::fs::read_to_string(sb.join("c.conll")).unwrap();
    assert!(conll.contains("bewaffnete B-armed_group\nGruppe I-armed_group\n"), "{conll}");
    assert!(conll.contains("Truppe B-armed_force\n"), "{conll}");
    for line in conll.lines().filter(|l| !l.is_empty()) {
        assert!(line.starts_with("-DOCSTART-") || line.split_whitespace().count() == 2, "{line:?}");
    }
    // The maps the messages give bring the labels back.
    let run = sb.gloss(&[
        "import",
        "--into",
        "back.ron",
        "--map",
        "armed_group=armed group",
        "--map",
        "armed_force=armed\u{a0}force",
        "c.conll",
    ]);
    run.expect_status(0);
    let back = store::load(&sb.join("back.ron")).unwrap();
    let labels: Vec<&str> = back.documents[0].spans.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["armed group", "location", "armed\u{a0}force"]);
}

#[test]
fn brat_folder_has_safe_names_confs_and_fragments() {
    let sb = sandbox_with_project();
    sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--out", "brat"]).expect_status(0);
    let mut names: Vec<String> = std::fs::read_dir(sb.join("brat"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "_.._etc_CON.ann",
            "_.._etc_CON.txt",
            "annotation.conf",
            "d0001.ann",
            "d0001.txt",
            "d0003.ann",
            "d0003.txt",
            "visual.conf"
        ]
    );
    let ann = std::fs::read_to_string(sb.join("brat/d0001.ann")).unwrap();
    assert!(ann.contains("\tthreat 53 60;61 70\tclose”. 😀 Critics\n"), "{ann}");
    assert!(ann.contains("#1\tAnnotatorNotes T2\thedged\n") && ann.contains("R1\tsaid Arg1:T1 Arg2:T2\n"), "{ann}");
    let conf = std::fs::read_to_string(sb.join("brat/annotation.conf")).unwrap();
    assert!(
        conf.contains("[entities]\nclaim\nthreat\nspeaker\nlocation\n")
            && conf.contains("said\tArg1:speaker, Arg2:claim|threat\n"),
        "{conf}"
    );
}

#[test]
fn hf_and_csv_exports() {
    let sb = sandbox_with_project();
    sb.gloss(&["export", "p.gloss.ron", "--format", "hf", "--out", "hf"]).expect_status(0);
    let labels = std::fs::read_to_string(sb.join("hf/labels.json")).unwrap();
    assert!(labels.contains("\"B-location\""), "{labels}");
    assert!(std::fs::read_to_string(sb.join("hf/data.jsonl")).unwrap().contains("\"ner_tags\":[\"B-speaker\",\"O\""));
    sb.gloss(&["export", "p.gloss.ron", "--format", "csv", "--out", "s.csv", "--offsets", "utf16"]).expect_status(0);
    let csv = std::fs::read_to_string(sb.join("s.csv")).unwrap();
    assert!(csv.starts_with("document_id,title,span_id,start,end,label,text,note,doc.escalation,doc.stance\r\n"));
    // After the emoji, UTF-16 offsets are one more than code points: کراچی is at 74..79 in code points.
    assert!(csv.contains("d0001,Bridge,3,75,80,location,کراچی,,yes,anti\r\n"), "{csv}");
    // An unset doc label is an empty cell.
    assert!(csv.contains(",Zoë,,,neutral\r\n"), "{csv}");
    // Every hf row carries every doc label, "" when unset; doc_labels.json lists the values.
    let rows = std::fs::read_to_string(sb.join("hf/data.jsonl")).unwrap();
    for row in rows.lines() {
        let v: serde_json::Value = serde_json::from_str(row).expect("json");
        let expected = match v["document"].as_str() {
            Some("d0001") => serde_json::json!({"escalation": "yes", "stance": "anti"}),
            Some("../../etc/CON") => serde_json::json!({"escalation": "", "stance": "neutral"}),
            _ => serde_json::json!({"escalation": "", "stance": ""}),
        };
        assert_eq!(v["doc_labels"], expected, "{row}");
    }
    let names: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.join("hf/doc_labels.json")).unwrap()).unwrap();
    assert_eq!(names, serde_json::json!({"escalation": ["yes", "no"], "stance": ["pro", "anti", "neutral"]}));
    // brat and CoNLL have nowhere to put them, and say so.
    let run = sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--out", "brat"]);
    run.expect_status(0);
    assert!(run.stderr.contains("brat has no place for document labels: those of 2 document(s)"), "{}", run.stderr);
}

#[test]
fn exported_jsonl_and_brat_import_back_into_a_new_project() {
    let sb = sandbox_with_project();
    sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--out", "c.jsonl"]).expect_status(0);
    sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--out", "brat"]).expect_status(0);
    let run = sb.gloss(&["import", "--into", "j.gloss.ron", "c.jsonl"]);
    run.expect_status(0);
    let run = sb.gloss(&["import", "--into", "b.gloss.ron", "brat"]);
    run.expect_status(0);
    let original = sample_project();
    for file in ["j.gloss.ron", "b.gloss.ron"] {
        let back = store::load(&sb.join(file)).expect("load");
        assert_eq!(back.documents.len(), 3);
        for d in &original.documents {
            let stem = gloss::formats::export::sanitize(&d.id);
            let b = back.documents.iter().find(|b| b.id == d.id || b.id == stem).expect("doc");
            assert_eq!(b.text, d.text);
            let key = |d: &Document| {
                let mut v: Vec<_> = d.spans.iter().map(|s| (s.start, s.end, s.label.clone(), s.note.clone())).collect();
                v.sort();
                v
            };
            assert_eq!(key(b), key(d), "{file}");
            assert_eq!(b.relations.len(), d.relations.len());
            // JSONL carries doc labels back; brat has no place for them.
            if file == "j.gloss.ron" {
                assert_eq!(b.doc_labels, d.doc_labels);
            } else {
                assert!(b.doc_labels.is_empty());
            }
        }
    }
}

/// Every file and folder under `dir`, with the bytes of each file, to see that nothing changed.
fn tree(dir: &std::path::Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            let name = path.strip_prefix(dir).expect("inside").display().to_string();
            let kind = std::fs::symlink_metadata(&path).expect("metadata").file_type();
            if kind.is_dir() {
                stack.push(path);
                out.push((name, None));
            } else if kind.is_file() {
                out.push((name, Some(std::fs::read(&path).expect("read"))));
            } else {
                out.push((name, None));
            }
        }
    }
    out.sort();
    out
}

/// Audit: `export --force --out self2 self2/p.gloss.ron` deleted the project and the notes beside
/// it, and `--out p.gloss.ron p.gloss.ron` overwrote the project with JSONL. Refused now, with or
/// without --force, before anything is written: the project itself (by name, through a link, or
/// a hard link), a folder holding it, or a folder above that.
#[test]
fn force_never_replaces_the_project_or_a_folder_holding_it() {
    let sb = sandbox_with_project();
    std::fs::create_dir(sb.join("self2")).expect("mkdir");
    std::fs::copy(sb.join("p.gloss.ron"), sb.join("self2/p.gloss.ron")).expect("copy");
    sb.write("self2/notes.txt", "x\n");
    sb.write("self2/deeper/keep.txt", "y\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("p.gloss.ron", sb.join("link.ron")).expect("symlink");
        std::fs::hard_link(sb.join("p.gloss.ron"), sb.join("hard.ron")).expect("hard link");
    }
    let before = tree(sb.path());
    let is_project = "is the project being exported";
    let holds = "holds the project being exported";
    let cases: &[(&str, &str, &[&str], &str)] = &[
        ("hf", "self2", &[], holds),
        ("brat", "self2", &[], holds),
        ("jsonl", "self2", &["--split", "train=0.5,dev=0.5"], holds),
        ("jsonl", "./self2/", &[], holds),
        ("jsonl", "self2/p.gloss.ron", &[], is_project),
        ("csv", "self2/../self2/p.gloss.ron", &[], is_project),
        ("hf", "self2/p.gloss.ron", &[], is_project),
    ];
    for &(format, out, extra, expected) in cases {
        for force in [true, false] {
            let mut args = vec!["export", "self2/p.gloss.ron", "--format", format, "--out", out];
            args.extend_from_slice(extra);
            if force {
                args.push("--force");
            }
            let run = sb.gloss(&args);
            run.expect_status(2);
            assert!(run.stderr.contains(expected) && run.stderr.contains(out), "{args:?}: {}", run.stderr);
            assert_eq!(tree(sb.path()), before, "{args:?} changed the files");
        }
    }
    let mut same_file = vec!["p.gloss.ron", "./p.gloss.ron"];
    if cfg!(unix) {
        same_file.extend(["link.ron", "hard.ron"]);
    }
    for out in same_file {
        let run = sb.gloss(&["export", "p.gloss.ron", "--format", "jsonl", "--force", "--out", out]);
        run.expect_status(2);
        assert!(run.stderr.contains(is_project), "{out}: {}", run.stderr);
        assert_eq!(tree(sb.path()), before, "{out} changed the files");
    }
    // The project given through a link is protected too.
    #[cfg(unix)]
    {
        let run = sb.gloss(&["export", "self2/../link.ron", "--format", "jsonl", "--force", "--out", "p.gloss.ron"]);
        run.expect_status(2);
        assert!(run.stderr.contains(is_project), "{}", run.stderr);
    }
    assert!(Sandbox::export_leftovers(sb.path()).is_empty());
}

/// Audit: `--format brat --force --out .` failed with "Device or resource busy" and left a
/// `..xxxx.export-tmp/` folder behind. The current folder, and any folder above it, is refused
/// with a clear message, and no staging folder is left on any error.
#[test]
fn force_never_replaces_the_current_folder_or_one_above_it() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.join("project")).expect("mkdir");
    store::save(&sb.join("project/p.gloss.ron"), &sample_project()).expect("save");
    std::fs::create_dir_all(sb.join("work/here")).expect("mkdir");
    sb.write("work/here/notes.txt", "x\n");
    let project = sb.join("project/p.gloss.ron").display().to_string();
    let here = sb.join("work/here");
    let before = tree(sb.path());
    let limit = std::time::Duration::from_secs(60);
    // All inside the sandbox: `..` is `work`, `../..` the sandbox itself (which holds the project).
    let cases = [
        (".", "is the current folder or a folder above it"),
        ("./", "is the current folder or a folder above it"),
        ("..", "is the current folder or a folder above it"),
        ("../here", "is the current folder or a folder above it"),
        ("../..", "holds the project being exported"),
    ];
    for (out, expected) in cases {
        for format in ["brat", "hf", "jsonl"] {
            let args = ["export", project.as_str(), "--format", format, "--force", "--out", out];
            let run = sb.gloss_in_within(&here, &args, limit);
            run.expect_status(2);
            assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
            assert_eq!(tree(sb.path()), before, "{args:?} changed the files");
        }
    }
    for dir in [sb.path(), &sb.join("work"), &here] {
        assert!(Sandbox::export_leftovers(dir).is_empty(), "{}", dir.display());
    }
    // The folder that holds the current one is refused too when named by its full path.
    let work = sb.join("work").display().to_string();
    let run = sb.gloss_in_within(&here, &["export", &project, "--format", "hf", "--force", "--out", &work], limit);
    run.expect_status(2);
    assert!(run.stderr.contains("current folder or a folder above it"), "{}", run.stderr);
    assert_eq!(tree(sb.path()), before);
}

/// `--force` replaces a folder whole, files the export did not write included, as the help says.
#[test]
fn force_replaces_a_folder_whole_and_says_so() {
    let sb = sandbox_with_project();
    sb.write("out/unrelated.txt", "x\n");
    sb.gloss(&["export", "p.gloss.ron", "--format", "hf", "--out", "out", "--force"]).expect_status(0);
    assert!(sb.join("out/labels.json").is_file());
    assert!(!sb.join("out/unrelated.txt").exists());
    let help = sb.gloss(&["export", "--help"]);
    help.expect_status(0);
    let help = help.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("A folder is replaced whole: everything in it is deleted"), "{help}");
    assert!(help.contains("Never replaced, even with --force: the project being exported"), "{help}");
    assert!(Sandbox::export_leftovers(sb.path()).is_empty());
}

/// Audit: `--force --out /dev/null` renamed a regular file over the device node. An existing
/// output that is not a regular file or a folder (a named pipe; a link to a device) is refused,
/// with or without --force, and left as it was. (Never tried on the real /dev/null.)
#[cfg(unix)]
#[test]
fn an_output_that_is_a_pipe_or_a_device_is_never_replaced() {
    use std::os::unix::fs::FileTypeExt as _;
    let sb = sandbox_with_project();
    let fifo = sb.fifo("pipe");
    std::os::unix::fs::symlink("/dev/null", sb.join("null")).expect("symlink");
    let limit = std::time::Duration::from_secs(60);
    for (out, kind) in [("pipe", "is a named pipe (FIFO)"), ("null", "is a character device")] {
        for format in ["jsonl", "hf", "brat"] {
            for force in [true, false] {
                let mut args = vec!["export", "p.gloss.ron", "--format", format, "--out", out];
                if force {
                    args.push("--force");
                }
                let run = sb.gloss_within(&args, limit);
                run.expect_status(2);
                assert!(run.stderr.contains(kind), "{args:?}: {}", run.stderr);
                assert!(run.stderr.contains("an export replaces only a file or a folder"), "{}", run.stderr);
            }
        }
    }
    assert!(std::fs::symlink_metadata(&fifo).expect("fifo").file_type().is_fifo());
    assert_eq!(std::fs::read_link(sb.join("null")).expect("link"), std::path::Path::new("/dev/null"));
    assert!(Sandbox::export_leftovers(sb.path()).is_empty());
}

/// An export that was killed leaves its staging folder (and perhaps the old output, moved aside)
/// beside the output. The next export to the same output removes them once they are an hour old,
/// and says so; a young one may belong to an export running now and is left alone.
#[test]
fn the_next_export_removes_what_a_killed_export_left_and_says_so() {
    let sb = sandbox_with_project();
    sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--out", "corpus"]).expect_status(0);
    let stale = sb.join(".corpus.k1lLd9.export-tmp");
    std::fs::create_dir(&stale).expect("mkdir");
    std::fs::write(stale.join("doc.ann"), "T1\tclaim 0 4\thalf").expect("write");
    let stale_old = sb.write(".corpus.k1lLd9.export-tmp.old", "an old single-file output, moved aside");
    let young = sb.join(".corpus.Run1ng.export-tmp");
    std::fs::create_dir(&young).expect("mkdir");
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    for path in [&stale, &stale_old] {
        std::fs::File::open(path).and_then(|f| f.set_modified(two_hours_ago)).expect("age the leftover");
    }

    let run = sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--force", "--out", "corpus"]);
    run.expect_status(0);
    assert!(run.stderr.contains("removed what an earlier export to corpus left"), "{}", run.stderr);
    assert!(
        run.stderr.contains(".corpus.k1lLd9.export-tmp") && run.stderr.contains(".export-tmp.old"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Run1ng"), "{}", run.stderr);
    assert_eq!(Sandbox::export_leftovers(sb.path()), [".corpus.Run1ng.export-tmp"]);
    assert!(sb.join("corpus/annotation.conf").is_file());
    // Nothing left to clear: no message.
    let again = sb.gloss(&["export", "p.gloss.ron", "--format", "brat", "--force", "--out", "corpus"]);
    again.expect_status(0);
    assert!(!again.stderr.contains("removed"), "{}", again.stderr);
}
