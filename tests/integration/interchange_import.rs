//! Annotated imports: doccano's UTF-16 offsets, Label Studio, --map, text mismatches, --lenient
//! and hostile files (issue 4).

use gloss::store;

use crate::util::Sandbox;

fn spans_of(sb: &Sandbox, project: &str) -> Vec<(String, usize, usize, String)> {
    let p = store::load(&sb.join(project)).expect("load");
    let mut out = Vec::new();
    for d in &p.documents {
        for s in &d.spans {
            out.push((d.id.clone(), s.start, s.end, d.covered_text(s).unwrap().to_owned()));
        }
    }
    out
}

#[test]
fn doccano_utf16_offsets_become_code_points() {
    let sb = Sandbox::new();
    // "😀 Ali in کراچی": UTF-16 😀0-1 _2 A3 l4 i5 _6 i7 n8 _9 ک10 …ی14; code points one less.
    sb.write("d.jsonl", "{\"id\": 7, \"text\": \"😀 Ali in کراچی\", \"label\": [[3, 6, \"PER\"], [10, 15, \"LOC\"]]}\n\
        {\"text\": \"😀😀 Zoë\", \"entities\": [{\"id\": 1, \"start_offset\": 5, \"end_offset\": 8, \"label\": \"PER\"}]}\n");
    let run =
        sb.gloss(&["import", "--into", "p.gloss.ron", "d.jsonl", "--map", "PER=speaker", "--map", "LOC=location"]);
    run.expect_status(0);
    assert_eq!(
        spans_of(&sb, "p.gloss.ron"),
        [("7".into(), 2, 5, "Ali".into()), ("7".into(), 9, 14, "کراچی".into()), ("d0001".into(), 3, 6, "Zoë".into())]
    );
    let p = store::load(&sb.join("p.gloss.ron")).unwrap();
    assert_eq!(p.schema.labels.len(), 4, "mapped labels add nothing");
}

#[test]
fn doccano_offset_inside_a_surrogate_pair_is_reported() {
    let sb = Sandbox::new();
    sb.write("d.jsonl", "{\"text\": \"😀 Ali\", \"label\": [[1, 6, \"PER\"]]}\n");
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "d.jsonl"]);
    run.expect_status(2);
    assert!(run.stderr.contains("d.jsonl:1, span 1") && run.stderr.contains("splits a character"), "{}", run.stderr);
    assert!(!sb.join("p.gloss.ron").exists());
}

#[test]
fn label_studio_code_points_and_legacy_utf16_both_land_right() {
    let sb = Sandbox::new();
    // Task 1: code points (current Label Studio). Task 2: UTF-16 (old Label Studio, #1347).
    sb.write("ls.json", r#"[
      {"id": 1, "data": {"text": "💩This is an annotation."}, "annotations": [{"completed_by": 3, "result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 12, "end": 22, "text": "annotation", "labels": ["Thing"]}},
        {"id": "b", "type": "labels", "value": {"start": 1, "end": 5, "text": "This", "labels": ["claim"]}},
        {"type": "relation", "from_id": "b", "to_id": "a", "labels": ["about"]}]}]},
      {"id": 2, "data": {"text": "💩This is an annotation."}, "annotations": [{"result": [
        {"id": "c", "type": "labels", "value": {"start": 13, "end": 23, "text": "annotation", "labels": ["Thing"]}}]}]}
    ]"#);
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "ls.json"]);
    run.expect_status(0);
    assert!(run.stderr.contains("label \"Thing\" is not in the schema; added"), "{}", run.stderr);
    assert!(run.stderr.contains("matched their text only as UTF-16"), "{}", run.stderr);
    assert_eq!(
        spans_of(&sb, "p.gloss.ron"),
        [
            ("1".into(), 1, 5, "This".into()),
            ("1".into(), 12, 22, "annotation".into()),
            ("2".into(), 12, 22, "annotation".into())
        ]
    );
    let p = store::load(&sb.join("p.gloss.ron")).unwrap();
    assert_eq!(p.documents[0].relations.len(), 1);
    assert_eq!(p.documents[0].spans[0].annotator.as_deref(), Some("3"));
}

#[test]
fn a_text_mismatch_stops_the_import_unless_lenient() {
    let sb = Sandbox::new();
    sb.write("a.jsonl", "{\"text\": \"Zoë met Müller.\", \"spans\": [{\"start\": 0, \"end\": 3, \"label\": \"speaker\", \"text\": \"Zoë\"}, {\"start\": 8, \"end\": 14, \"label\": \"speaker\", \"text\": \"Mueller\"}]}\n");
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "a.jsonl"]);
    run.expect_status(2);
    assert!(run.stderr.contains("a.jsonl:1, span 2 (\"speaker\" at 8..14): the file says the text is \"Mueller\", but the offsets cover \"Müller\""), "{}", run.stderr);
    assert!(!sb.join("p.gloss.ron").exists());
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "a.jsonl", "--lenient"]);
    run.expect_status(0);
    assert!(run.stderr.contains("skipped (--lenient): a.jsonl:1, span 2"), "{}", run.stderr);
    assert_eq!(spans_of(&sb, "p.gloss.ron"), [("d0001".into(), 0, 3, "Zoë".into())]);
}

#[test]
fn prodigy_shape_and_conll_import() {
    let sb = Sandbox::new();
    sb.write("p.jsonl", "{\"text\": \"Ali said “no”.\", \"spans\": [{\"start\": 0, \"end\": 3, \"label\": \"PERSON\", \"token_start\": 0, \"token_end\": 0}]}\n");
    sb.write("c.conll", "-DOCSTART- -X- -X- O\n\nZoë B-PER\nMüller I-PER\nsaid O\n\nکراچی U-LOC\n");
    let run = sb.gloss(&["import", "--into", "x.gloss.ron", "p.jsonl", "c.conll"]);
    run.expect_status(0);
    assert!(run.stderr.contains("rebuilt from its tokens"), "{}", run.stderr);
    assert_eq!(
        spans_of(&sb, "x.gloss.ron"),
        [
            ("d0001".into(), 0, 3, "Ali".into()),
            ("d0002".into(), 0, 10, "Zoë Müller".into()),
            ("d0002".into(), 16, 21, "کراچی".into())
        ]
    );
}

#[test]
fn hostile_files_fail_cleanly_naming_file_and_line() {
    let sb = Sandbox::new();
    let cases: &[(&str, &[u8], &str)] = &[
        ("trunc.jsonl", b"{\"text\": \"a\", \"spans\": []}\n{\"text\": \"ab\", \"spa", "trunc.jsonl:2:"),
        ("types.jsonl", b"{\"text\": 5}\n", "types.jsonl:1: \"text\" must be a string"),
        ("neg.jsonl", b"{\"text\": \"abc\", \"spans\": [{\"start\": -1, \"end\": 2, \"label\": \"claim\"}]}\n", "neg.jsonl:1, span 1: \"start\" must be a non-negative integer"),
        ("huge.jsonl", b"{\"text\": \"abc\", \"spans\": [{\"start\": 1, \"end\": 99999999999999999999, \"label\": \"claim\"}]}\n", "huge.jsonl:1, span 1"),
        ("past.jsonl", b"{\"text\": \"abc\", \"spans\": [{\"start\": 1, \"end\": 9, \"label\": \"claim\"}]}\n", "reaches past the end"),
        ("bin.jsonl", b"{\"text\": \"\xff\xfe\x00\x01\"}\n", "bin.jsonl:1:11: not UTF-8"),
        ("empty.jsonl", b"", "empty.jsonl: no documents"),
        ("arr.jsonl", b"[1, 2]\n", "arr.jsonl:1: expected a JSON object"),
        ("ls.json", b"[{\"data\": {\"text\": \"abc\"}, \"annotations\": [{\"result\": [{\"type\": \"labels\", \"value\": {\"start\": \"0\", \"end\": 1, \"labels\": [\"x\"]}}]}]}]", "ls.json, task 1, result 1, value: \"start\" must be"),
        ("bad.conll", b"-DOCSTART- -X- -X- O\n\nword\n", "bad.conll:3: expected a token and a tag"),
        ("d.ann", b"T1\tclaim 0 3\tabc\n", "there is no"),
    ];
    for (name, bytes, expected) in cases {
        sb.write(name, bytes);
        let run = sb.gloss(&["import", "--into", "p.gloss.ron", name]);
        run.expect_status(2);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert!(!sb.join("p.gloss.ron").exists(), "{name}");
    }
}
