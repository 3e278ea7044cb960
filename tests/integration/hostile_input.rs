//! Hostile and broken files given to `gloss import` (articles) and `gloss validate` (projects):
//! each ends in a clear message naming the file (and, where it applies, the place), in bounded
//! time, without a panic, and with the project on disk unchanged.
//!
//! The big ones are generated in the test, streamed or sparse: a 1 GB sparse file (refused from
//! its size, never read), a 300 MB file (over the 256 MiB article limit, refused from its size),
//! a 200 MB single-line article and a 200 MB single-line project read in the library (the CLI
//! would also hash and save it, which takes minutes in a debug build; the CLI test uses 20 MB).

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use gloss::formats::{ArticleError, ArticleFormat, ReadOptions, read_article};
use gloss::store::{self, LoadError, ParseError};

use crate::util::{Run, Sandbox};

/// A sandbox with a small valid project `p.gloss.ron`, and its bytes.
fn with_project() -> (Sandbox, Vec<u8>) {
    let sandbox = Sandbox::new();
    sandbox.write("seed.txt", "Talks in Gdańsk resumed at dawn, the union said.\n");
    sandbox.gloss(&["import", "--into", "p.gloss.ron", "seed.txt"]).expect_status(0);
    let bytes = fs::read(sandbox.join("p.gloss.ron")).expect("project");
    (sandbox, bytes)
}

/// Imports `file` into the project; asserts no panic, bounded time, and on failure a message
/// naming the file with the project unchanged.
#[track_caller]
fn import(sandbox: &Sandbox, before: &[u8], file: &str, limit: Duration) -> Run {
    let started = Instant::now();
    let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", file]);
    let took = started.elapsed();
    assert!(took < limit, "importing {file} took {took:?}");
    assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
    assert!(run.status == 0 || run.status == 2, "{file}: exit {}: {}", run.status, run.stderr);
    if run.status == 2 {
        assert!(run.stderr.contains(file), "{file}: the error does not name the file: {}", run.stderr);
        assert_eq!(fs::read(sandbox.join("p.gloss.ron")).expect("project"), before, "{file}: project changed");
    }
    assert!(!sandbox.join("p.gloss.ron.lock").exists(), "{file}: lock left behind");
    // Back to the start, so that the next file is compared with the same project.
    fs::write(sandbox.join("p.gloss.ron"), before).expect("restore");
    run
}

const ARTICLE: &str = "Talks between the port authority and the dockers’ union in Gdańsk broke down on \
    Tuesday night. “We came to negotiate,” said Inés Peña. کراچی کی بندرگاہ بند ہے۔ हड़ताल जारी है। 🚢\n";

fn encodings() -> Vec<(&'static str, Vec<u8>)> {
    let utf16le: Vec<u8> = [0xff, 0xfe].into_iter().chain(ARTICLE.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let utf16be: Vec<u8> = [0xfe, 0xff].into_iter().chain(ARTICLE.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let latin = ARTICLE.split('ک').next().unwrap_or_default().replace('ń', "n");
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(&latin);
    let html = format!("<html><head><title>T</title></head><body><article><p>{ARTICLE}</p></article></body></html>");
    vec![
        ("a.txt", ARTICLE.as_bytes().to_vec()),
        ("bom.txt", [b"\xef\xbb\xbf".as_slice(), ARTICLE.as_bytes()].concat()),
        ("le.txt", utf16le),
        ("be.txt", utf16be),
        ("cp1252.txt", cp1252.into_owned()),
        ("a.html", html.into_bytes()),
        ("a.md", format!("# Title\n\n{ARTICLE}").into_bytes()),
    ]
}

#[test]
fn truncated_articles_in_every_encoding_import_or_fail_cleanly() {
    let (sandbox, before) = with_project();
    for (name, bytes) in encodings() {
        // Every cut for the library, a few through the command line.
        for end in 0..bytes.len() {
            let _ = read_article(name, &bytes[..end], &ReadOptions::default());
        }
        for end in [1, 3, bytes.len() / 2 + 1, bytes.len() - 1] {
            let file = format!("cut{end}-{name}");
            sandbox.write(&file, &bytes[..end]);
            import(&sandbox, &before, &file, Duration::from_secs(10));
        }
    }
}

#[test]
fn binary_files_are_refused_with_the_file_named() {
    let (sandbox, before) = with_project();
    let mut noise = Vec::new();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..100_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        noise.push((state >> 32) as u8);
    }
    let files: [(&str, Vec<u8>); 5] = [
        ("noise.txt", noise.clone()),
        ("noise.html", noise.clone()),
        ("noise.md", noise),
        ("elf.txt", [b"\x7fELF\x02\x01\x01\0".as_slice(), &[0u8; 4000]].concat()),
        ("zip.md", [b"PK\x03\x04\x14\0\0\0".as_slice(), &[7u8; 4000]].concat()),
    ];
    for (name, bytes) in files {
        sandbox.write(name, &bytes);
        let run = import(&sandbox, &before, name, Duration::from_secs(10));
        run.expect_status(2);
        assert!(run.stderr.contains("binary") || run.stderr.contains("decode"), "{name}: {}", run.stderr);
    }
}

#[test]
fn invalid_utf8_in_the_middle_is_replaced_and_its_place_named() {
    let (sandbox, before) = with_project();
    let text = ARTICLE.repeat(20);
    let middle = text.len() / 2;
    let middle = (middle..).find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let bytes = [&text.as_bytes()[..middle], b"\xff\xfe\xc3", &text.as_bytes()[middle..]].concat();
    for name in ["bad.txt", "bad.md", "bad.html"] {
        sandbox.write(name, [name.as_bytes(), b"\n", &bytes].concat());
        let run = import(&sandbox, &before, name, Duration::from_secs(10));
        run.expect_status(0);
        assert!(
            run.stderr.contains(&format!("{name}: "))
                && run.stderr.contains("U+FFFD")
                && run.stderr.contains("line 12"),
            "{name}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_byte_order_mark_in_the_middle_is_kept_with_a_warning() {
    let (sandbox, before) = with_project();
    let bytes = format!("{ARTICLE}\u{feff}{ARTICLE}");
    sandbox.write("joined.txt", &bytes);
    let run = import(&sandbox, &before, "joined.txt", Duration::from_secs(10));
    run.expect_status(0);
    assert!(
        run.stderr.contains("joined.txt: a byte order mark") && run.stderr.contains("line 2, column 1"),
        "{}",
        run.stderr
    );
    // A UTF-16 byte order mark in the middle of a UTF-8 file is two malformed bytes.
    let bytes = [ARTICLE.as_bytes(), b"\xff\xfe", ARTICLE.as_bytes()].concat();
    sandbox.write("utf16-bom-inside.txt", &bytes);
    let run = import(&sandbox, &before, "utf16-bom-inside.txt", Duration::from_secs(10));
    assert!(run.stderr.contains("utf16-bom-inside.txt"), "{}", run.stderr);
    // In a project file: an error with its line and column.
    let project = fs::read_to_string(sandbox.join("p.gloss.ron")).expect("project");
    let cut = project.find("documents").expect("documents");
    sandbox.write("bom.gloss.ron", format!("{}\u{feff}{}", &project[..cut], &project[cut..]));
    let run = sandbox.gloss(&["validate", "bom.gloss.ron"]);
    assert_ne!(run.status, 0);
    let line = project[..cut].lines().count();
    assert!(run.stdout.contains(&format!("bom.gloss.ron: {line}:")), "{}{}", run.stdout, run.stderr);
}

/// A file of `size` bytes whose content is not written (a hole): nothing is on disk, and a
/// reader that looked at it all would take seconds and the memory of its size.
fn sparse(path: &Path, size: u64, head: &[u8]) {
    let mut file = fs::File::create(path).expect("create");
    file.write_all(head).expect("head");
    file.set_len(size).expect("set_len");
}

#[test]
fn files_over_the_size_limits_are_refused_before_they_are_read() {
    let (sandbox, before) = with_project();
    sparse(&sandbox.join("huge.txt"), 1_000_000_000, b"Talks resumed.");
    sparse(&sandbox.join("over.md"), 300_000_000, b"# Talks");
    for name in ["huge.txt", "over.md"] {
        let run = import(&sandbox, &before, name, Duration::from_secs(5));
        run.expect_status(2);
        assert!(run.stderr.contains("too large") && run.stderr.contains("limit"), "{}", run.stderr);
    }
    // A project file of 1 GB: refused from its size.
    sparse(&sandbox.join("huge.gloss.ron"), 1_000_000_000, b"(format: \"gloss-project\", version: 1, name: \"");
    let started = Instant::now();
    let run = sandbox.gloss(&["validate", "huge.gloss.ron"]);
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    run.expect_status(2);
    assert!(run.stderr.contains("huge.gloss.ron") && run.stderr.contains("too large"), "{}", run.stderr);
    // Under the limit but binary: refused from its first bytes, not read to the end.
    sparse(&sandbox.join("zeros.gloss.ron"), 400_000_000, b"(format: ");
    let started = Instant::now();
    let err = store::load(&sandbox.join("zeros.gloss.ron")).expect_err("binary");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert!(err.to_string().contains("zeros.gloss.ron: 1:10: a NUL byte"), "{err}");
}

#[test]
fn a_200_mb_single_line_article_reads_in_bounded_time() {
    let line = "Gdańsk port talks resumed at dawn; the union said so. ".repeat(200_000_000 / 55);
    let started = Instant::now();
    let article = read_article("line.txt", line.as_bytes(), &ReadOptions::default()).expect("text");
    assert_eq!(article.text.len(), line.len());
    drop(article);
    let md = ReadOptions { format: Some(ArticleFormat::Markdown), ..ReadOptions::default() };
    let article = read_article("line.md", line.as_bytes(), &md).expect("markdown");
    assert_eq!(article.text.trim_end(), line.trim_end());
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "took {took:?}");
    eprintln!("200 MB single-line article, as text and as Markdown: {took:?}");
}

#[test]
fn a_20_mb_single_line_article_through_the_command_line() {
    let (sandbox, _) = with_project();
    let line = "Gdańsk port talks resumed at dawn; the union said so. ".repeat(20_000_000 / 55);
    sandbox.write("line.txt", &line);
    let started = Instant::now();
    let run = sandbox.gloss(&["import", "--into", "p.gloss.ron", "line.txt"]);
    run.expect_status(0);
    eprintln!("20 MB single-line article imported in {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn a_200_mb_single_line_project_gives_a_placed_error_or_loads() {
    let sandbox = Sandbox::new();
    let text = "Gdańsk talks resumed. ".repeat(200_000_000 / 23);
    // Valid: one document whose text is a 200 MB line.
    let good = format!(
        "(format: \"gloss-project\", version: 1, name: \"big\", schema: (labels: [(name: \"location\", \
         color: \"#f28e2b\")]), documents: [(id: \"d1\", text: \"{text}\", spans: [(id: 1, start: 0, end: 6, label: \"location\", text: \"Gdańsk\")])])"
    );
    let path = sandbox.write("line.gloss.ron", &good);
    drop(good);
    let started = Instant::now();
    let project = store::load(&path).expect("a long line is no error");
    assert_eq!(project.documents[0].text.len_bytes(), text.len());
    drop(project);
    // Broken at its very end: the error points there.
    let bad = format!(
        "(format: \"gloss-project\", version: 1, name: \"big\", documents: [(id: \"d1\", text: \"{text}\", spans: [(id: 1, start: 0,])])"
    );
    let path = sandbox.write("bad.gloss.ron", &bad);
    let column = bad.chars().count() - 3;
    drop(bad);
    match store::load(&path) {
        Err(LoadError::Parse { source: ParseError::Syntax { line: 1, column: c, .. }, .. }) => {
            assert!(c.abs_diff(column) < 20, "column {c}, expected about {column}");
        }
        other => panic!("{other:?}"),
    }
    let took = started.elapsed();
    eprintln!("200 MB single-line project, loaded and refused: {took:?}");
    assert!(took < Duration::from_secs(90), "took {took:?}");
}

#[test]
fn truncated_and_binary_projects_through_validate() {
    let (sandbox, project) = with_project();
    for end in [0, 1, 10, project.len() / 2, project.len() - 3] {
        let name = format!("cut{end}.gloss.ron");
        sandbox.write(&name, &project[..end]);
        let run = sandbox.gloss(&["validate", &name]);
        assert!(run.status == 1 || run.status == 2, "{name}: {}", run.status);
        assert!(!run.stderr.contains("panicked"));
        assert!(run.stdout.contains(&name) || run.stderr.contains(&name), "{name}: {}{}", run.stdout, run.stderr);
    }
    let mut bad = project.clone();
    let at = bad.len() / 2;
    bad[at] = 0xff;
    sandbox.write("bad-utf8.gloss.ron", &bad);
    let run = sandbox.gloss(&["validate", "bad-utf8.gloss.ron"]);
    run.expect_status(2);
    assert!(run.stderr.contains("bad-utf8.gloss.ron: ") && run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    let err = match store::load(&sandbox.join("bad-utf8.gloss.ron")) {
        Err(LoadError::Parse { source: err @ ParseError::NotUtf8 { .. }, .. }) => err,
        other => panic!("{other:?}"),
    };
    assert!(err.to_string().starts_with(&format!("{}:", project[..at].iter().filter(|&&b| b == b'\n').count() + 1)));
    // Importing into a broken project leaves it as it is.
    let run = sandbox.gloss(&["import", "--into", "bad-utf8.gloss.ron", "seed.txt"]);
    run.expect_status(2);
    assert_eq!(fs::read(sandbox.join("bad-utf8.gloss.ron")).expect("read"), bad);
    let _ = ArticleError::Empty;
}

/// Audit: `gloss import --into x.ron FIFO` and `gloss validate FIFO` blocked for ever on a named
/// pipe nobody writes to. Every command that reads a path refuses one that is not a regular file
/// (or a folder, where folders are taken) before opening it, naming the file, exit 2.
#[cfg(unix)]
#[test]
fn named_pipes_and_devices_are_refused_before_they_are_opened() {
    let (sandbox, before) = with_project();
    let limit = Duration::from_secs(30);
    sandbox.fifo("f");
    sandbox.fifo("pipe.txt");
    sandbox.fifo("pipe.gloss.ron");
    std::os::unix::fs::symlink("/dev/zero", sandbox.join("zero.txt")).expect("symlink");
    let pipe = "a named pipe (FIFO)";
    // Articles: detected, and each format given.
    for (file, kind) in [("f", pipe), ("pipe.txt", pipe), ("zero.txt", "a character device")] {
        sandbox.expect_special_import_refused(
            file,
            kind,
            &[None, Some("text"), Some("html"), Some("markdown")],
            &before,
            limit,
        );
    }
    // A pipe in a folder is not an article: left out, the folder's articles imported.
    fs::create_dir(sandbox.join("folder")).expect("mkdir");
    sandbox.fifo("folder/pipe.txt");
    sandbox.write("folder/a.txt", ARTICLE);
    sandbox.gloss_within(&["import", "--into", "p.gloss.ron", "folder"], limit).expect_status(0);
    fs::write(sandbox.join("p.gloss.ron"), &before).expect("restore");
    // Projects: validate, stats, export, and import into one.
    let refused = "cannot read pipe.gloss.ron: a named pipe (FIFO), not a regular file";
    for args in [
        vec!["validate", "pipe.gloss.ron"],
        vec!["validate", "--json", "pipe.gloss.ron"],
        vec!["stats", "pipe.gloss.ron"],
        vec!["export", "pipe.gloss.ron", "--format", "jsonl", "--out", "out.jsonl"],
        vec!["import", "--into", "pipe.gloss.ron", "seed.txt"],
    ] {
        let run = sandbox.gloss_within(&args, limit);
        run.expect_status(2);
        assert!(run.stderr.contains(refused), "{args:?}: {}", run.stderr);
    }
    assert!(!sandbox.join("out.jsonl").exists());
    // A project that is a folder is refused as such.
    let run = sandbox.gloss_within(&["validate", "folder"], limit);
    run.expect_status(2);
    assert!(run.stderr.contains("cannot read folder: a folder, not a regular file"), "{}", run.stderr);
}
