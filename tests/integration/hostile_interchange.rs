//! Hostile and broken files given to the annotated importers (Gloss/Prodigy JSONL, doccano,
//! Label Studio, brat, CoNLL) and hostile document ids given to the exporters: each ends in a
//! clear message naming the file and place, in bounded time, without a panic, the project on disk
//! unchanged, and nothing read or written outside the folders given.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use gloss::formats::annotated::{AnnotatedFormat, AnnotatedOptions, plan_import, read_in_memory};
use gloss::model::Project;

use crate::hostile_fuzz::check_annotated;
use crate::util::{Run, Sandbox};

/// One small valid file per format (brat: the `.ann`, with `BRAT_TEXT` beside it).
const SAMPLES: [(AnnotatedFormat, &str, &str); 5] = [
    (
        AnnotatedFormat::Jsonl,
        "g.jsonl",
        "{\"id\": \"a\", \"text\": \"Zoë said 😀 کراچی\", \"spans\": [{\"id\": 1, \"start\": 0, \"end\": 3, \"label\": \"speaker\", \"text\": \"Zoë\"}, {\"id\": 2, \"start\": 11, \"end\": 16, \"label\": \"claim\"}], \"relations\": [{\"label\": \"said\", \"from\": 1, \"to\": 2}]}\n{\"text\": \"Two\"}\n",
    ),
    (
        AnnotatedFormat::Doccano,
        "d.jsonl",
        "{\"id\": 3, \"text\": \"😀 Ali in کراچی\", \"label\": [[3, 6, \"PER\"], [10, 15, \"LOC\"]]}\n{\"text\": \"Zoë\", \"entities\": [{\"start_offset\": 0, \"end_offset\": 3, \"label\": \"PER\"}]}\n",
    ),
    (
        AnnotatedFormat::LabelStudio,
        "ls.json",
        "[{\"id\": 1, \"data\": {\"text\": \"Zoë in Lahore\"}, \"annotations\": [{\"result\": [{\"id\": \"r1\", \"type\": \"labels\", \"value\": {\"start\": 0, \"end\": 3, \"text\": \"Zoë\", \"labels\": [\"PER\"]}}, {\"id\": \"r2\", \"type\": \"labels\", \"value\": {\"start\": 7, \"end\": 13, \"labels\": [\"LOC\"]}}, {\"type\": \"relation\", \"from_id\": \"r1\", \"to_id\": \"r2\", \"labels\": [\"in\"]}]}]}]",
    ),
    (
        AnnotatedFormat::Brat,
        "b.ann",
        "T1\tspeaker 0 3\tZoë\nT2\tclaim 9 16;17 20\tsaid it was\nR1\tsaid Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\tnote\n",
    ),
    (
        AnnotatedFormat::Conll,
        "c.conll",
        "-DOCSTART- -X- -X- O\n\nZoë B-per\nMüller I-per\nsaw O\nکراچی U-loc\n\nOk O\n",
    ),
];

const BRAT_TEXT: &str = "Zoë says said it\nwas so\n";

/// A sandbox with a small valid project `p.gloss.ron`, and its bytes.
fn with_project() -> (Sandbox, Vec<u8>) {
    let sandbox = Sandbox::new();
    sandbox.write("seed.txt", "Talks in Gdańsk resumed at dawn, the union said.\n");
    sandbox.gloss(&["import", "--into", "p.gloss.ron", "seed.txt"]).expect_status(0);
    let bytes = fs::read(sandbox.join("p.gloss.ron")).expect("project");
    (sandbox, bytes)
}

/// Imports `file` (with `--format`) into the project and expects a refusal naming `place`, in
/// bounded time, with the project unchanged.
#[track_caller]
fn refused(sandbox: &Sandbox, before: &[u8], format: AnnotatedFormat, file: &str, place: &str) -> Run {
    let started = Instant::now();
    let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "--format", format.name(), file]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "{file}: took {took:?}");
    assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
    assert_eq!(run.status, 2, "{file}: exit {}: {}{}", run.status, run.stdout, run.stderr);
    assert!(run.stderr.contains(place), "{file}: the error does not name {place:?}: {}", run.stderr);
    assert_eq!(fs::read(sandbox.join("p.gloss.ron")).expect("project"), before, "{file}: project changed");
    assert!(!sandbox.join("p.gloss.ron.lock").exists(), "{file}: lock left behind");
    run
}

#[test]
fn the_samples_import() {
    let (sandbox, _) = with_project();
    sandbox.write("b.txt", BRAT_TEXT);
    for (format, name, content) in SAMPLES {
        sandbox.write(name, content);
        let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "--format", format.name(), name]);
        run.expect_status(0);
    }
    let project = gloss::store::load(&sandbox.join("p.gloss.ron")).expect("load");
    assert_eq!(project.documents.len(), 1 + 2 + 2 + 1 + 1 + 1);
}

#[test]
fn every_truncation_of_every_format_is_an_error_or_a_valid_import() {
    let (sandbox, before) = with_project();
    sandbox.write("b.txt", BRAT_TEXT);
    for (format, name, content) in SAMPLES {
        let bytes = content.as_bytes();
        // Every cut through the library (the fuzz check: a placed error or a valid project)...
        for end in 0..bytes.len() {
            let mut input = bytes[..end].to_vec();
            if format == AnnotatedFormat::Brat {
                input.push(0);
                input.extend_from_slice(BRAT_TEXT.as_bytes());
            }
            check_annotated(format, &input);
        }
        // ...and a few through the command line.
        for end in [1, bytes.len() / 3, bytes.len() / 2 + 1, bytes.len() - 2] {
            let cut = &bytes[..end];
            let file = format!("cut{end}-{name}");
            sandbox.write(&file, cut);
            if format == AnnotatedFormat::Brat {
                sandbox.write(&file.replace(".ann", ".txt"), BRAT_TEXT);
            }
            let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "--format", format.name(), &file]);
            assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
            assert!(run.status == 0 || run.status == 2, "{file}: {}", run.stderr);
            if run.status == 2 {
                assert!(run.stderr.contains(&file), "{file}: {}", run.stderr);
                assert_eq!(fs::read(sandbox.join("p.gloss.ron")).expect("project"), before);
            }
            fs::write(sandbox.join("p.gloss.ron"), &before).expect("restore");
        }
    }
}

/// xorshift noise, the same every run.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

#[test]
fn binary_files_and_invalid_utf8_name_the_file_and_place() {
    let (sandbox, before) = with_project();
    sandbox.write("b.txt", BRAT_TEXT);
    for (format, name, content) in SAMPLES {
        // Random bytes: not UTF-8 within the first few bytes.
        let file = format!("noise-{name}");
        sandbox.write(&file, noise(100_000));
        if format == AnnotatedFormat::Brat {
            sandbox.write(&file.replace(".ann", ".txt"), BRAT_TEXT);
        }
        refused(&sandbox, &before, format, &file, &format!("{file}:1:"));
        // A valid file with one bad byte on its second line.
        let at = content.find('\n').map_or(content.len() / 2, |n| n + 3).min(content.len());
        let mut bytes = content.as_bytes().to_vec();
        bytes.splice(at..at, [0xff, 0xfe]);
        let file = format!("bad-utf8-{name}");
        sandbox.write(&file, &bytes);
        if format == AnnotatedFormat::Brat {
            sandbox.write(&file.replace(".ann", ".txt"), BRAT_TEXT);
        }
        let line = content[..at].matches('\n').count() + 1;
        let run = refused(&sandbox, &before, format, &file, &format!("{file}:{line}:"));
        assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
    }
    // brat: the text beside the .ann is checked the same way.
    sandbox.write("t.ann", "T1\tclaim 0 3\tabc\n");
    sandbox.write("t.txt", b"abc\n\xc3(\n");
    refused(&sandbox, &before, AnnotatedFormat::Brat, "t.ann", "t.txt:2:1: not UTF-8");
}

#[test]
fn an_id_given_to_two_places_is_refused_not_guessed() {
    let (sandbox, before) = with_project();
    // brat T ids are unique in a file; a relation on a repeated one would reach either span.
    sandbox.write("dup.txt", "Zoë met Ali.\n");
    sandbox.write("dup.ann", "T1\tspeaker 0 3\tZoë\nT1\tspeaker 8 11\tAli\nR1\tmet Arg1:T1 Arg2:T1\n");
    refused(
        &sandbox,
        &before,
        AnnotatedFormat::Brat,
        "dup.ann",
        "dup.ann, span 2 (\"speaker\" at 8..11): the id \"T1\"",
    );
    let ls = "[{\"data\": {\"text\": \"Zoë in Lahore\"}, \"annotations\": [{\"result\": [\
        {\"id\": \"r1\", \"type\": \"labels\", \"value\": {\"start\": 0, \"end\": 3, \"labels\": [\"PER\", \"speaker\"]}},\
        {\"id\": \"r1\", \"type\": \"labels\", \"value\": {\"start\": 7, \"end\": 13, \"labels\": [\"LOC\"]}}]}]}]";
    sandbox.write("dup.json", ls);
    let run = refused(&sandbox, &before, AnnotatedFormat::LabelStudio, "dup.json", "dup.json, task 1, span 3");
    assert!(run.stderr.contains("ids must name one place"), "{}", run.stderr);
    // Leniently, the first place is kept with both its labels, the second left out and listed.
    let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "--lenient", "dup.json"]);
    run.expect_status(0);
    assert!(run.stderr.contains("skipped (--lenient): dup.json, task 1, span 3"), "{}", run.stderr);
    let project = gloss::store::load(&sandbox.join("p.gloss.ron")).expect("project");
    let doc = project.documents.last().expect("imported");
    let spans: Vec<(usize, usize, &str)> = doc.spans.iter().map(|s| (s.start, s.end, s.label.as_str())).collect();
    assert_eq!(spans, [(0, 3, "PER"), (0, 3, "speaker")]);
}

#[test]
fn offsets_near_usize_max_are_refused_with_their_place() {
    let (sandbox, before) = with_project();
    let max = usize::MAX;
    let cases = [
        (
            AnnotatedFormat::Jsonl,
            "max.jsonl",
            format!(
                "{{\"text\": \"abc\", \"spans\": [{{\"start\": {}, \"end\": {max}, \"label\": \"claim\"}}]}}\n",
                max - 1
            ),
            "max.jsonl:1, span 1",
        ),
        (
            AnnotatedFormat::Jsonl,
            "max16.jsonl",
            format!(
                "{{\"text\": \"a😀\", \"offsets\": \"utf16\", \"spans\": [{{\"start\": 0, \"end\": {max}, \"label\": \"claim\"}}]}}\n"
            ),
            "max16.jsonl:1, span 1",
        ),
        (
            AnnotatedFormat::Jsonl,
            "maxb.jsonl",
            format!(
                "{{\"text\": \"a😀\", \"offsets\": \"bytes\", \"spans\": [{{\"start\": {max}, \"end\": 1, \"label\": \"claim\"}}]}}\n"
            ),
            "maxb.jsonl:1, span 1",
        ),
        (
            AnnotatedFormat::Jsonl,
            "over.jsonl",
            "{\"text\": \"abc\", \"spans\": [{\"start\": 0, \"end\": 1e300, \"label\": \"claim\"}]}\n".to_owned(),
            "over.jsonl:1, span 1: \"end\" must be a non-negative integer",
        ),
        (
            AnnotatedFormat::Doccano,
            "max-d.jsonl",
            format!("{{\"text\": \"a😀b\", \"label\": [[{}, {max}, \"X\"]]}}\n", max - 3),
            "max-d.jsonl:1, span 1",
        ),
        (
            AnnotatedFormat::LabelStudio,
            "max.json",
            format!(
                "[{{\"data\": {{\"text\": \"abc\"}}, \"annotations\": [{{\"result\": [{{\"type\": \"labels\", \"value\": {{\"start\": 1, \"end\": {max}, \"text\": \"bc\", \"labels\": [\"x\"]}}}}]}}]}}]"
            ),
            "max.json, task 1, span 1",
        ),
        (AnnotatedFormat::Brat, "max.ann", format!("T1\tclaim 0 {max};{max} {max}\tabc\n"), "max.ann, span 1"),
        (AnnotatedFormat::Brat, "over.ann", "T1\tclaim 0 99999999999999999999999\tabc\n".to_owned(), "over.ann:1:"),
    ];
    sandbox.write("max.txt", "abc\n");
    sandbox.write("over.txt", "abc\n");
    for (format, file, content, place) in cases {
        sandbox.write(file, content);
        refused(&sandbox, &before, format, file, place);
    }
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let (sandbox, before) = with_project();
    let depth = 100_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    for (format, file, content) in [
        (AnnotatedFormat::Jsonl, "deep.jsonl", format!("{{\"text\": \"abc\"}}\n{arrays}\n")),
        (AnnotatedFormat::Doccano, "deep-d.jsonl", format!("{{\"text\": \"abc\", \"meta\": {objects}}}\n")),
        (AnnotatedFormat::LabelStudio, "deep.json", arrays.clone()),
        (
            AnnotatedFormat::LabelStudio,
            "deep-o.json",
            format!("[{{\"data\": {{\"text\": \"abc\", \"meta\": {objects}}}}}]"),
        ),
    ] {
        sandbox.write(file, &content);
        let run = refused(&sandbox, &before, format, file, file);
        assert!(run.stderr.contains("recursion limit"), "{file}: {}", run.stderr);
    }
}

/// Plans an import of `file` into an empty project: asserts it takes under `limit`.
#[track_caller]
fn plan_timed(path: &Path, format: AnnotatedFormat, lenient: bool, limit: Duration) -> Result<usize, String> {
    let started = Instant::now();
    let opts = AnnotatedOptions { format: Some(format), lenient, ..AnnotatedOptions::default() };
    let result = plan_import(&Project::new("p"), &[path.to_owned()], &opts);
    let took = started.elapsed();
    eprintln!("{}: planned in {took:?}", path.display());
    assert!(took < limit, "{}: took {took:?}", path.display());
    result
        .map(|(plan, _)| plan.documents.iter().map(|d| d.spans.len() + d.relations.len()).sum())
        .map_err(|e| e.to_string())
}

#[test]
fn huge_counts_take_bounded_time_and_give_short_errors() {
    let sandbox = Sandbox::new();
    let n = 200_000;
    let limit = Duration::from_secs(60);
    // One JSONL line with 200,000 spans and 100,000 relations.
    let text = "Talks resumed in Gdańsk 😀. ".repeat(n / 10);
    let spans: Vec<String> = (0..n)
        .map(|i| format!("{{\"id\": {}, \"start\": {}, \"end\": {}, \"label\": \"claim\"}}", i + 1, i, i + 1))
        .collect();
    let relations: Vec<String> =
        (0..n / 2).map(|i| format!("{{\"label\": \"linked\", \"from\": {}, \"to\": {}}}", i + 1, i + 2)).collect();
    let line = format!(
        "{{\"text\": {}, \"spans\": [{}], \"relations\": [{}]}}\n",
        serde_json::to_string(&text).expect("json"),
        spans.join(", "),
        relations.join(", ")
    );
    let path = sandbox.write("many.jsonl", &line);
    assert_eq!(plan_timed(&path, AnnotatedFormat::Jsonl, false, limit), Ok(n + n / 2));
    // The same spans, as doccano's UTF-16 offsets over a text full of emoji.
    let triples: Vec<String> = (0..n).map(|i| format!("[{}, {}, \"X\"]", 2 * i, 2 * i + 2)).collect();
    let emoji = "😀".repeat(n);
    let path =
        sandbox.write("many-d.jsonl", format!("{{\"text\": \"{emoji}\", \"label\": [{}]}}\n", triples.join(", ")));
    assert_eq!(plan_timed(&path, AnnotatedFormat::Doccano, false, limit), Ok(n));
    // Metadata of 200,000 keys (some given twice) and doc labels of 200,000 entries over ten names:
    // read in bounded time (each key once, the last value winning).
    let keys = |names: usize, value: &str| {
        (0..n).map(|i| format!("\"k{}\": \"{value}\"", i % names)).collect::<Vec<_>>().join(", ")
    };
    let path = sandbox.write(
        "many-keys.jsonl",
        format!(
            "{{\"text\": \"Talks.\", \"meta\": {{{}}}, \"doc_labels\": {{{}}}}}\n",
            keys(n - 10, "m"),
            keys(10, "yes")
        ),
    );
    assert_eq!(plan_timed(&path, AnnotatedFormat::Jsonl, false, limit), Ok(0));
    // brat: 200,000 T lines, 100,000 R lines, 200,000 notes.
    let mut ann = String::new();
    for i in 0..n {
        ann.push_str(&format!("T{i}\tclaim {i} {}\n#{i}\tAnnotatorNotes T{i}\tnote {i}\n", i + 1));
    }
    for i in 0..n / 2 {
        ann.push_str(&format!("R{i}\tlinked Arg1:T{i} Arg2:T{}\n", i + 1));
    }
    sandbox.write("many.txt", &text);
    let path = sandbox.write("many.ann", &ann);
    assert_eq!(plan_timed(&path, AnnotatedFormat::Brat, false, limit), Ok(n + n / 2));
    // 200,000 spans that all miss their text: the error lists the first few, not all.
    let spans: Vec<String> =
        (0..n).map(|i| format!("{{\"start\": {i}, \"end\": {}, \"label\": \"x\", \"text\": \"no\"}}", i + 1)).collect();
    let path = sandbox.write(
        "wrong.jsonl",
        format!("{{\"text\": {}, \"spans\": [{}]}}\n", serde_json::to_string(&text).expect("json"), spans.join(", ")),
    );
    let err = plan_timed(&path, AnnotatedFormat::Jsonl, false, limit).expect_err("mismatches");
    assert!(err.starts_with("200000 span(s)") && err.ends_with("… and 199950 more"), "{}", &err[..err.len().min(500)]);
    assert!(err.len() < 20_000, "an error of {} bytes", err.len());
    // 5,000 different labels: the first 1,000 are added, the rest refused, with --map suggested.
    let spans: Vec<String> =
        (0..5_000).map(|i| format!("{{\"start\": {i}, \"end\": {}, \"label\": \"L{i}\"}}", i + 1)).collect();
    let path = sandbox.write(
        "labels.jsonl",
        format!("{{\"text\": {}, \"spans\": [{}]}}\n", serde_json::to_string(&text).expect("json"), spans.join(", ")),
    );
    let err = plan_timed(&path, AnnotatedFormat::Jsonl, false, limit).expect_err("too many labels");
    assert!(
        err.contains("more than the 1000 a project can have") && err.contains("--map"),
        "{}",
        &err[..err.len().min(500)]
    );
    // CoNLL: 200,000 tokens in one sentence, each its own span.
    let conll: String = (0..n).map(|i| format!("w{i} U-x\n")).collect();
    let path = sandbox.write("many.conll", conll);
    assert_eq!(plan_timed(&path, AnnotatedFormat::Conll, false, limit), Ok(n));
}

#[test]
fn brat_folders_do_not_follow_links_outside_or_around() {
    let outside = Sandbox::new();
    outside.write("secret.txt", "THE SECRET TEXT\n");
    outside.write("secret.ann", "T1\tclaim 4 10\tSECRET\n");
    outside.write("sub/other.txt", "OTHER SECRET\n");
    outside.write("sub/other.ann", "");
    let sandbox = Sandbox::new();
    sandbox.write("corpus/inside.txt", "Talks resumed.\n");
    sandbox.write("corpus/inside.ann", "T1\tclaim 0 5\tTalks\n");
    let link = |target: &Path, name: &str| std::os::unix::fs::symlink(target, sandbox.join(name)).expect("symlink");
    // A .txt/.ann pair whose files are links out; a link to an outside folder; a link loop.
    link(&outside.join("secret.txt"), "corpus/leak.txt");
    link(&outside.join("secret.ann"), "corpus/leak.ann");
    link(&outside.join("sub"), "corpus/away");
    link(&sandbox.join("corpus"), "corpus/loop");
    let started = Instant::now();
    let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "corpus"]);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    run.expect_status(0);
    let project = gloss::store::load(&sandbox.join("p.gloss.ron")).expect("load");
    let texts: Vec<&str> = project.documents.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["Talks resumed.\n"], "{}", run.stderr);
    for name in ["leak.ann", "away", "loop"] {
        assert!(run.stderr.contains(name), "{name} is not reported: {}", run.stderr);
    }
    // A real .ann whose .txt is a link out: refused, naming the link.
    sandbox.write("pair/doc.ann", "T1\tclaim 4 10\tSECRET\n");
    std::os::unix::fs::symlink(outside.join("secret.txt"), sandbox.join("pair/doc.txt")).expect("symlink");
    let before = fs::read(sandbox.join("p.gloss.ron")).expect("project");
    for path in ["pair", "pair/doc.ann"] {
        let run =
            refused(&sandbox, &before, AnnotatedFormat::Brat, path, "doc.txt: a link to a file outside the folder");
        assert!(!run.stderr.contains("SECRET TEXT"));
    }
    // And the in-memory reader never touches the disk at all.
    assert!(read_in_memory(AnnotatedFormat::Brat, Path::new("/etc/passwd.ann"), b"", b"x").is_ok());
}

#[test]
fn article_folders_do_not_follow_links_outside() {
    let outside = Sandbox::new();
    outside.write("secret.txt", "THE SECRET TEXT\n");
    let sandbox = Sandbox::new();
    sandbox.write("articles/a.txt", "Talks resumed in Pärnu.\n");
    sandbox.write("articles/inner/b.txt", "Not imported: a subfolder.\n");
    let link = |target: &Path, name: &str| std::os::unix::fs::symlink(target, sandbox.join(name)).expect("symlink");
    link(&outside.join("secret.txt"), "articles/leak.txt");
    link(&sandbox.join("articles/a.txt"), "articles/same.txt");
    link(&sandbox.join("articles/gone.txt"), "articles/broken.txt");
    link(&sandbox.join("articles"), "articles/loop");
    let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "articles"]);
    run.expect_status(0);
    let project = gloss::store::load(&sandbox.join("p.gloss.ron")).expect("load");
    let texts: Vec<&str> = project.documents.iter().map(|d| d.text.as_str()).collect();
    // The link inside the folder is read (and skipped as the same content as a.txt).
    assert_eq!(texts, ["Talks resumed in Pärnu.\n"], "{}", run.stderr);
    assert!(!run.stderr.contains("SECRET"), "{}", run.stderr);
    assert!(run.stderr.contains("leak.txt: a link to") && run.stderr.contains("outside the folder"), "{}", run.stderr);
    assert!(run.stderr.contains("broken.txt: a broken link"), "{}", run.stderr);
    assert!(run.stderr.contains("same.txt: same content as"), "{}", run.stderr);
    // A folder with nothing but a link out is refused and the project is untouched.
    let before = fs::read(sandbox.join("p.gloss.ron")).expect("project");
    fs::create_dir(sandbox.join("only-link")).expect("mkdir");
    link(&outside.join("secret.txt"), "only-link/leak.txt");
    let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "only-link"]);
    run.expect_status(2);
    assert!(run.stderr.contains("links leading out of it are not imported"), "{}", run.stderr);
    assert_eq!(fs::read(sandbox.join("p.gloss.ron")).expect("project"), before);
    // Named on the command line, a file is the user's explicit choice and is read.
    let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "articles/leak.txt"]);
    run.expect_status(0);
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).expect("inside").display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn hostile_document_ids_stay_inside_the_export_folder() {
    let sandbox = Sandbox::new();
    let ids = ["../../etc/passwd", "/tmp/abs", "..", ".hidden", "a/../../b", "CON", "x\\..\\y", "nul.txt", "a\u{0}b"];
    let lines: String = ids
        .iter()
        .map(|id| format!("{}\n", serde_json::json!({"id": id, "text": "Talks resumed.", "spans": [{"start": 0, "end": 5, "label": "claim"}]})))
        .collect();
    sandbox.write("hostile.jsonl", lines);
    sandbox.gloss(&["import", "--into", "p.gloss.ron", "hostile.jsonl"]).expect_status(0);
    let project = gloss::store::load(&sandbox.join("p.gloss.ron")).expect("load");
    let kept: Vec<&str> = project.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(kept, ids, "ids are data in the project, kept as they are");
    fs::create_dir(sandbox.join("out")).expect("out");
    let top = files_under(sandbox.path());
    for (format, out) in [
        ("brat", "out/brat"),
        ("hf", "out/hf"),
        ("jsonl", "out/a.jsonl"),
        ("conll", "out/a.conll"),
        ("csv", "out/a.csv"),
    ] {
        sandbox.gloss(&["export", "--format", format, "--out", out, "p.gloss.ron"]).expect_status(0);
        let split = format!("{out}-split");
        sandbox
            .gloss(&["export", "--format", format, "--out", &split, "--split", "train=0.5,test=0.5", "p.gloss.ron"])
            .expect_status(0);
    }
    // Nothing was written anywhere but under out/.
    let now: Vec<String> = files_under(sandbox.path()).into_iter().filter(|f| !f.starts_with("out/")).collect();
    assert_eq!(now, top);
    let brat = files_under(&sandbox.join("out/brat"));
    assert_eq!(brat.iter().filter(|f| f.ends_with(".ann")).count(), ids.len(), "{brat:?}");
    // One folder, no hidden files; ".." inside a name is no path step.
    assert!(brat.iter().all(|f| !f.starts_with('.') && !f.contains('/') && !f.contains('\\')), "{brat:?}");
    assert!(!Path::new("/tmp/abs.txt").exists() && !Path::new("/tmp/abs.ann").exists());
}

/// Audit: an annotated import of a named pipe blocked for ever, and one of `/dev/zero` grew to many
/// GB (the size limit was checked against the file's length, 0, and the read had no cap). Both are
/// refused before they are opened, with the format detected from the name or given.
#[cfg(unix)]
#[test]
fn named_pipes_and_devices_are_refused_before_they_are_opened() {
    let (sandbox, before) = with_project();
    let limit = Duration::from_secs(30);
    // Pipes first: before the fix they block, and the test stops there (never reading /dev/zero).
    let mut cases = Vec::new();
    for name in ["pipe.jsonl", "pipe.json", "pipe.conll", "pipe.ann", "pipe"] {
        sandbox.fifo(name);
        cases.push((name, "a named pipe (FIFO)"));
    }
    std::os::unix::fs::symlink("/dev/zero", sandbox.join("zero.jsonl")).expect("symlink");
    cases.push(("zero.jsonl", "a character device"));
    let formats = [None, Some("jsonl"), Some("doccano"), Some("label-studio"), Some("brat"), Some("conll")];
    for (file, kind) in cases {
        sandbox.expect_special_import_refused(file, kind, &formats, &before, limit);
    }
}
