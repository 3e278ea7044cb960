//! `gloss export` reads the project one document at a time (issue 4: "large exports stream to
//! disk; memory stays within 2× the project's size"): the output is byte for byte that of an
//! export of the loaded project, an invalid document fails the export with nothing written, and
//! the peak memory of the command stays within twice the project file.

use std::collections::BTreeMap;
use std::path::Path;

use gloss::formats::export::{self, ExportFormat, ExportOptions};
use gloss::model::{Document, Project, Relation, Span, Status};
use gloss::store;

use crate::interchange_cli::sample_project;
use crate::util::Sandbox;

const FORMATS: [ExportFormat; 5] =
    [ExportFormat::Jsonl, ExportFormat::Conll, ExportFormat::Brat, ExportFormat::Hf, ExportFormat::Csv];

/// Words of several scripts, with punctuation glued on, for generated documents.
const WORDS: &[&str] = &[
    "the",
    "governor",
    "said",
    "could“completely",
    "close”.",
    "Zoë",
    "Müller",
    "Gdańsk",
    "کراچی",
    "نے",
    "कहा।",
    "😀",
    "👩\u{200d}💻",
    "e\u{301}te\u{301}",
    "U.S.",
    "3,000",
    "don't",
    "(Reuters)",
    "—",
    "?",
    "\n",
    "\n\n",
];

/// `docs` generated documents after the hand-made sample: overlapping spans, notes, relations,
/// metadata, statuses, and a few awkward ids.
fn project(docs: usize, words_per_doc: usize) -> Project {
    let mut p = sample_project();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let labels = ["claim", "threat", "speaker", "location"];
    for i in 0..docs {
        let mut text = String::new();
        let mut starts = Vec::new();
        for _ in 0..words_per_doc {
            let word = WORDS[next(WORDS.len())];
            let at = text.chars().count();
            starts.push((at, at + word.chars().count()));
            text.push_str(word);
            text.push(' ');
        }
        let id = if i % 97 == 5 { format!("../d {i}") } else { format!("g{i:05}") };
        let mut d = Document::new(id, format!("Generated, \"{i}\""), text);
        d.status = if i % 3 == 0 { Status::Done } else { Status::InProgress };
        d.meta.insert("outlet".into(), format!("Outlet {}", i % 7));
        let mut spans: Vec<Span> = Vec::new();
        for k in 0..(words_per_doc / 8).max(1) {
            let first = next(starts.len());
            let last = (first + next(3)).min(starts.len() - 1);
            let (start, end) = (starts[first].0, starts[last].1);
            if spans.iter().any(|s| (s.start, s.end) == (start, end)) {
                continue;
            }
            let mut span = Span::new(k as u64 + 1, start, end, labels[next(labels.len())]);
            if k % 5 == 0 {
                span.note = Some(format!("note, \"{k}\"\nsecond line"));
            }
            spans.push(span);
        }
        spans.sort_by_key(Span::sort_key);
        let speaker = spans.iter().find(|s| s.label == "speaker");
        let said = spans.iter().find(|s| s.label == "claim" || s.label == "threat");
        if let (Some(from), Some(to)) = (speaker, said) {
            d.relations.push(Relation { id: 1, label: "said".into(), from: from.id, to: to.id });
        }
        d.spans = spans;
        p.documents.push(d);
    }
    p
}

/// Every file under `dir` (or `dir` itself when it is a file), by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if dir.is_file() {
        out.insert(String::new(), std::fs::read(dir).expect("read output"));
        return out;
    }
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&path).expect("read output"));
            }
        }
    }
    out
}

#[test]
fn streaming_export_is_byte_for_byte_the_loaded_export() {
    let sb = Sandbox::new();
    let p = project(240, 60);
    let path = sb.join("p.gloss.ron");
    store::save(&path, &p).expect("save");
    // The same project by hand: a comment part way makes the fast reader give up after some
    // documents were already written, and the rest come from the full parser.
    let text = store::to_string(&p);
    let at = text.find("id: \"g00100\"").expect("document 100");
    sb.write("hand.gloss.ron", format!("{}/* edited by hand */ {}", &text[..at], &text[at..]));
    let loaded = store::load(&path).expect("load");
    let options: [(&[&str], ExportOptions); 4] = [
        (&[], ExportOptions::default()),
        (
            &["--split", "train=0.7,dev=0.2,test=0.1", "--seed", "3"],
            ExportOptions { split: Some("train=0.7,dev=0.2,test=0.1".parse().unwrap()), seed: 3, ..Default::default() },
        ),
        (
            &["--only-done", "--labels", "claim,speaker"],
            ExportOptions {
                only_done: true,
                labels: Some(vec!["claim".into(), "speaker".into()]),
                ..Default::default()
            },
        ),
        (&["--only-done", "--split", "a=0.5,b=0.5"], {
            ExportOptions { only_done: true, split: Some("a=0.5,b=0.5".parse().unwrap()), ..Default::default() }
        }),
    ];
    let mut compared = 0;
    for format in FORMATS {
        for (project_file, (args, opts)) in
            ["p.gloss.ron", "hand.gloss.ron"].iter().flat_map(|f| options.iter().map(move |o| (f, o)))
        {
            let name = format!("{format}-{}-{compared}", project_file.len());
            let expected = sb.join(&format!("expected-{name}"));
            let report = export::export(&loaded, format, &expected, opts).expect("export of the loaded project");
            let out = format!("streamed-{name}");
            let mut cli = vec!["export", project_file, "--format", format.name(), "--out", &out];
            cli.extend_from_slice(args);
            let run = sb.gloss(&cli);
            run.expect_status(0);
            assert!(
                run.stdout.contains(&format!("exported {} documents and {} spans", report.documents, report.spans)),
                "{format} {args:?}: {}",
                run.stdout
            );
            let (got, want) = (tree(&sb.join(&out)), tree(&expected));
            assert!(!want.is_empty() && want.values().any(|b| !b.is_empty()), "{format} {args:?} wrote nothing");
            assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{format} {args:?}");
            for (file, bytes) in &want {
                assert!(got[file] == *bytes, "{format} {args:?} {project_file}: {file} differs");
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 40);
}

#[test]
fn an_invalid_document_fails_the_export_naming_it_and_leaves_no_output() {
    let sb = Sandbox::new();
    let mut p = project(200, 30);
    let bad = p.documents.iter().position(|d| d.id == "g00150").expect("document g00150");
    p.documents[bad].spans.push(Span::new(99, 0, 3, "weather"));
    store::save(&sb.join("p.gloss.ron"), &p).expect("save");
    sb.write("old.jsonl", "the previous export\n");
    for format in FORMATS {
        let out = format!("out-{format}");
        let run = sb.gloss(&["export", "p.gloss.ron", "--format", format.name(), "--out", &out]);
        run.expect_status(2);
        assert!(run.stderr.contains("document \"g00150\", span 99: unknown label \"weather\""), "{}", run.stderr);
        assert!(!sb.join(&out).exists(), "{format}: output left behind");
        // With --force over an existing output, the old output stays as it was.
        let run = sb.gloss(&["export", "p.gloss.ron", "--format", format.name(), "--out", "old.jsonl", "--force"]);
        run.expect_status(2);
        assert_eq!(std::fs::read_to_string(sb.join("old.jsonl")).expect("old output"), "the previous export\n");
    }
    // Nothing else was left in the folder: no staging folder, no partial file.
    let mut names: Vec<String> =
        std::fs::read_dir(sb.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["old.jsonl", "p.gloss.ron"]);
}

/// Peak resident memory (KiB) of one run of `gloss args` in `sb`, and its exit status.
///
/// Linux counts into a process's peak the peak of the process that started it (the memory a
/// fork copies), so `gloss` is not started from this test process, which holds a large project
/// and shares its memory with the other tests: a fresh, small copy of this test binary starts it
/// ([`peak_memory_helper`]) and reports what `wait4` says.
#[cfg(target_os = "linux")]
fn peak_memory_kib(sb: &Sandbox, args: &[&str]) -> (i32, u64) {
    let exe = std::env::current_exe().expect("test binary");
    let out = std::process::Command::new(exe)
        .args(["--exact", "export_stream::peak_memory_helper", "--ignored", "--nocapture", "--test-threads", "1"])
        .env("GLOSS_PEAK_MEMORY_DIR", sb.path())
        .env("GLOSS_PEAK_MEMORY_ARGS", args.join("\u{1f}"))
        .output()
        .expect("run the helper");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line =
        stdout.lines().find_map(|l| l.split_once("peak-memory ").map(|(_, n)| n)).unwrap_or_else(|| panic!("{stdout}"));
    let (code, kib) = line.split_once(' ').expect("two numbers");
    (code.parse().expect("status"), kib.trim().parse().expect("KiB"))
}

/// Runs `gloss` with the arguments in `GLOSS_PEAK_MEMORY_ARGS` and prints its exit status and
/// peak memory; run by [`peak_memory_kib`] in a process of its own.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "a helper that export_memory_stays_within_twice_the_project_file runs in its own process"]
fn peak_memory_helper() {
    let (Ok(dir), Ok(args)) = (std::env::var("GLOSS_PEAK_MEMORY_DIR"), std::env::var("GLOSS_PEAK_MEMORY_ARGS")) else {
        return;
    };
    #[allow(clippy::zombie_processes, reason = "waited for with wait4 below, which also gives its rusage")]
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args.split('\u{1f}'))
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run gloss");
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; the child is ours and not waited yet.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    // Linux reports ru_maxrss in KiB.
    println!("peak-memory {code} {}", usage.ru_maxrss);
}

#[cfg(target_os = "linux")]
#[test]
fn export_memory_stays_within_twice_the_project_file() {
    let sb = Sandbox::new();
    // About 27 MB: 700 documents of 2,000 words.
    let path = sb.join("big.gloss.ron");
    store::save(&path, &project(700, 2_000)).expect("save");
    let size_kib = std::fs::metadata(&path).expect("size").len() / 1024;
    assert!(size_kib > 16 * 1024, "the project is only {size_kib} KiB");
    // The binary's own footprint (code, allocator, threads), measured rather than guessed.
    let (code, baseline) = peak_memory_kib(&sb, &["--version"]);
    assert_eq!(code, 0);
    for format in FORMATS {
        let out = format!("out-{format}");
        let (code, peak) = peak_memory_kib(&sb, &["export", "big.gloss.ron", "--format", format.name(), "--out", &out]);
        assert_eq!(code, 0, "{format} failed");
        eprintln!(
            "{format}: peak {peak} KiB for a {size_kib} KiB project ({:.2}x; the binary alone {baseline} KiB)",
            peak as f64 / size_kib as f64
        );
        assert!(
            peak <= 2 * size_kib + baseline,
            "{format}: peak memory {peak} KiB is over twice the project ({size_kib} KiB) plus the binary ({baseline} KiB)"
        );
    }
}
