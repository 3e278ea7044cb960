//! `gloss import`: creating and extending projects, refusing bad files without touching the
//! project on disk.

use gloss::store;

use crate::util::Sandbox;

const ARTICLE: &str = "Minister Ayşe Demir said the bridge “will reopen in May”.\r\nCritics in Gdańsk disagree 😀.\r\n";

#[test]
fn import_creates_a_project_with_the_default_schema() {
    let sb = Sandbox::new();
    sb.write("bridge.txt", ARTICLE);
    let run = sb.gloss(&["import", "--into", "news.gloss.ron", "bridge.txt"]);
    run.expect_status(0);
    assert!(run.stdout.contains("added d0001"), "{}", run.stdout);
    assert!(run.stdout.contains("created news.gloss.ron"), "{}", run.stdout);
    let project = store::load(&sb.join("news.gloss.ron")).expect("project");
    assert_eq!(project.name, "news");
    assert_eq!(project.schema, gloss::model::Schema::default_news());
    let doc = &project.documents[0];
    // Line endings become \n; nothing else changes.
    assert!(
        doc.text
            .as_str()
            .starts_with("Minister Ayşe Demir said the bridge “will reopen in May”.\nCritics in Gdańsk disagree 😀.")
    );
    assert!(!doc.text.as_str().contains('\r'));
    assert_eq!(doc.source.as_deref(), Some("bridge.txt"));
    assert_eq!(doc.meta.get("sha256").map(String::len), Some(64));
}

#[test]
fn importing_the_same_file_twice_is_skipped_and_leaves_the_file_alone() {
    let sb = Sandbox::new();
    sb.write("a.txt", ARTICLE);
    sb.gloss(&["import", "--into", "p.gloss.ron", "a.txt"]).expect_status(0);
    let before = std::fs::read(sb.join("p.gloss.ron")).expect("read");
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "a.txt"]);
    run.expect_status(0);
    assert!(run.stderr.contains("skipped a.txt") && run.stderr.contains("d0001"), "{}", run.stderr);
    assert_eq!(std::fs::read(sb.join("p.gloss.ron")).expect("read"), before);
}

#[test]
fn a_folder_imports_each_file_and_the_project_is_written_once() {
    let sb = Sandbox::new();
    sb.write("in/one.txt", "First article about Lahore.");
    sb.write("in/two.md", "# Second\n\nAbout *Peshawar*.");
    sb.write("in/three.html", "<html><head><title>Third</title></head><body><p>About Kabul.</p></body></html>");
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "in"]);
    run.expect_status(0);
    let project = store::load(&sb.join("p.gloss.ron")).expect("project");
    assert_eq!(project.documents.len(), 3);
    let texts: Vec<&str> = project.documents.iter().map(|d| d.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.contains("About Peshawar.") && !t.contains('*')), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("About Kabul.") && !t.contains('<')), "{texts:?}");
    let ids: Vec<&str> = project.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["d0001", "d0002", "d0003"]);
}

#[test]
fn a_binary_file_fails_with_status_2_and_an_untouched_project() {
    let sb = Sandbox::new();
    sb.write("good.txt", ARTICLE);
    sb.gloss(&["import", "--into", "p.gloss.ron", "good.txt"]).expect_status(0);
    let before = std::fs::read(sb.join("p.gloss.ron")).expect("read");
    sb.write("photo.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xdb\0C\0\x08\x06\x06");
    sb.write("second.txt", "Another article.");
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "second.txt", "photo.jpg"]);
    run.expect_status(2);
    assert!(run.stderr.contains("photo.jpg"), "{}", run.stderr);
    // Reported once: the cause is not repeated after the message that already holds it.
    assert_eq!(run.stderr.matches("binary").count(), 1, "{}", run.stderr);
    assert_eq!(std::fs::read(sb.join("p.gloss.ron")).expect("read"), before, "project changed");
}

#[test]
fn missing_files_empty_files_and_bad_options_exit_2() {
    let sb = Sandbox::new();
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "nope.txt"]);
    run.expect_status(2);
    assert!(run.stderr.contains("nope.txt"), "{}", run.stderr);
    assert!(!sb.join("p.gloss.ron").exists(), "a project was created for nothing");

    sb.write("empty.txt", "");
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "empty.txt"]);
    run.expect_status(2);
    assert!(run.stderr.contains("empty.txt"), "{}", run.stderr);
    assert!(!sb.join("p.gloss.ron").exists());

    sb.write("a.txt", "text");
    sb.gloss(&["import", "--into", "p.gloss.ron", "--encoding", "klingon", "a.txt"]).expect_status(2);
    sb.gloss(&["import", "--into", "p.gloss.ron", "--format", "pdf", "a.txt"]).expect_status(2);
    sb.gloss(&["import", "a.txt"]).expect_status(2);
    assert!(!sb.join("p.gloss.ron").exists());
}

#[test]
fn importing_into_a_corrupt_project_refuses_and_keeps_it() {
    let sb = Sandbox::new();
    let corrupt =
        b"(format: \"gloss-project\", version: 1, documents: [(id: \"d1\", text: \"abc\", spans: [(id: 1, start: 0";
    sb.write("p.gloss.ron", corrupt);
    sb.write("a.txt", ARTICLE);
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "a.txt"]);
    run.expect_status(2);
    assert!(run.stderr.contains("p.gloss.ron:"), "{}", run.stderr);
    assert_eq!(std::fs::read(sb.join("p.gloss.ron")).expect("read"), corrupt);
}

#[test]
fn encoding_override_decodes_legacy_text() {
    let sb = Sandbox::new();
    // "Müller’s café" in Windows-1252.
    sb.write("legacy.txt", b"M\xfcller\x92s caf\xe9");
    sb.gloss(&["import", "--into", "p.gloss.ron", "--encoding", "windows-1252", "legacy.txt"]).expect_status(0);
    let project = store::load(&sb.join("p.gloss.ron")).expect("project");
    assert_eq!(project.documents[0].text.as_str(), "Müller’s café");
}

#[test]
fn help_and_version_succeed_and_bad_usage_exits_2() {
    let sb = Sandbox::new();
    let run = sb.gloss(&["--help"]);
    run.expect_status(0);
    for sub in ["import", "validate", "stats"] {
        assert!(run.stdout.contains(sub), "{}", run.stdout);
    }
    sb.gloss(&["import", "--help"]).expect_status(0);
    let run = sb.gloss(&["--version"]);
    run.expect_status(0);
    assert!(run.stdout.contains(env!("CARGO_PKG_VERSION")));
    sb.gloss(&["frobnicate", "x", "y"]).expect_status(2);
    sb.gloss(&["stats"]).expect_status(2);
}

#[test]
fn a_project_held_by_another_gloss_is_not_written() {
    let sb = Sandbox::new();
    sb.write("a.txt", ARTICLE);
    let lock = gloss::store::ProjectLock::acquire(&sb.join("p.gloss.ron"), "gloss (desktop app)").expect("lock");
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "a.txt"]);
    run.expect_status(2);
    assert!(run.stderr.contains("gloss (desktop app) (pid"), "{}", run.stderr);
    assert!(!sb.join("p.gloss.ron").exists());
    drop(lock);
    sb.gloss(&["import", "--into", "p.gloss.ron", "a.txt"]).expect_status(0);
    assert!(!gloss::store::lock_path(&sb.join("p.gloss.ron")).exists(), "lock left behind");
}

#[test]
fn one_article_in_five_encodings_imports_to_one_text_with_python_offsets() {
    let sb = Sandbox::new();
    let names = [
        "article-utf8.txt",
        "article-utf8-bom.txt",
        "article-utf16le-bom.txt",
        "article-utf16be-bom.txt",
        "article-utf16le-nobom.txt",
    ];
    for name in names {
        sb.fixture(&format!("articles/{name}"));
    }
    let mut args = vec!["import", "--into", "p.gloss.ron"];
    args.extend(names);
    let run = sb.gloss(&args);
    run.expect_status(0);
    // Same text, other bytes: imported, with a warning naming the first document.
    assert!(run.stderr.contains("d0001"), "{}", run.stderr);
    let expected =
        std::fs::read_to_string(crate::util::fixture_path("articles/article-utf8.txt")).expect("utf-8 fixture");
    let project = store::load(&sb.join("p.gloss.ron")).expect("project");
    assert_eq!(project.documents.len(), names.len());
    for doc in &project.documents {
        assert_eq!(doc.text.as_str(), expected, "{}", doc.id);
        // Code point offsets address what Python's str slicing addresses.
        let n = expected.chars().count();
        assert_eq!(doc.text.len_chars(), n);
        let (a, b) = (n / 3, n / 3 + 25);
        assert_eq!(doc.text.slice(a..b), Some(crate::util::py_slice(&expected, a, b).as_str()));
    }
    let encodings: Vec<&str> =
        project.documents.iter().filter_map(|d| d.meta.get("encoding").map(String::as_str)).collect();
    assert_eq!(encodings, ["UTF-8", "UTF-8", "UTF-16LE", "UTF-16BE", "UTF-16LE"]);
}

#[test]
fn every_command_that_writes_a_project_respects_its_lock() {
    // Regression (outside audit): merge --force, split --force and merge-driver wrote a project
    // the app held, and a symbolic link to the project got past its lock.
    let sb = Sandbox::new();
    sb.write("a.txt", ARTICLE);
    sb.gloss(&["import", "--into", "p.gloss.ron", "a.txt"]).expect_status(0);
    sb.gloss(&["import", "--into", "q.gloss.ron", "a.txt"]).expect_status(0);
    std::fs::create_dir(sb.join("parts")).expect("folder");
    sb.gloss(&["split", "--annotators", "ana,ben", "--out", "parts", "q.gloss.ron"]).expect_status(0);
    let before = |name: &str| std::fs::read(sb.join(name)).expect("read");
    let (p, ana) = (before("p.gloss.ron"), before("parts/ana.gloss.ron"));

    let held = store::ProjectLock::acquire(&sb.join("p.gloss.ron"), "gloss (desktop app)").expect("lock");
    let held_ana = store::ProjectLock::acquire(&sb.join("parts/ana.gloss.ron"), "gloss (desktop app)").expect("lock");
    #[cfg(unix)]
    std::os::unix::fs::symlink(sb.join("p.gloss.ron"), sb.join("link.gloss.ron")).expect("link");
    let writers: Vec<Vec<&str>> = vec![
        vec!["merge", "--force", "--out", "p.gloss.ron", "q.gloss.ron", "q.gloss.ron"],
        vec!["merge-driver", "q.gloss.ron", "p.gloss.ron", "q.gloss.ron"],
        vec!["split", "--annotators", "ana,ben", "--force", "--out", "parts", "q.gloss.ron"],
        #[cfg(unix)]
        vec!["import", "--into", "link.gloss.ron", "a.txt"],
    ];
    for args in writers {
        let run = sb.gloss(&args);
        run.expect_status(2);
        assert!(run.stderr.contains("gloss (desktop app) (pid"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(before("p.gloss.ron"), p, "the held project is unchanged");
    assert_eq!(before("parts/ana.gloss.ron"), ana, "the held part is unchanged");
    assert!(!sb.join("parts/ben.gloss.ron.lock").exists(), "split let go of the locks it took");
    drop((held, held_ana));
    sb.gloss(&["merge", "--force", "--out", "p.gloss.ron", "q.gloss.ron", "q.gloss.ron"]).expect_status(0);
}

#[test]
fn a_utf16_byte_order_mark_on_utf8_text_is_ignored_with_a_warning() {
    let sb = Sandbox::new();
    let text = "Hello world. Alice met Bob in Paris.\n".repeat(50);
    for (bom, name) in [([0xff, 0xfe], "UTF-16LE"), ([0xfe, 0xff], "UTF-16BE")] {
        sb.write("b.txt", [&bom[..], text.as_bytes()].concat());
        let project = format!("{name}.gloss.ron");
        let run = sb.gloss(&["import", "--into", &project, "b.txt"]);
        run.expect_status(0);
        assert!(run.stdout.contains("(1850 characters, text, UTF-8)"), "{}", run.stdout);
        let warning = format!(
            "gloss: warning: b.txt: the file starts with a {name} byte order mark but holds UTF-8 text; the mark was ignored"
        );
        assert!(run.stderr.contains(&warning), "{}", run.stderr);
        let loaded = store::load(&sb.join(&project)).expect("project");
        assert_eq!(loaded.documents[0].text.as_str(), text);
        // An explicit encoding still wins.
        let run = sb.gloss(&["import", "--into", "forced.gloss.ron", "--encoding", name, "b.txt"]);
        run.expect_status(0);
        assert!(run.stdout.contains(&format!("text, {name})")), "{}", run.stdout);
        std::fs::remove_file(sb.join("forced.gloss.ron")).expect("remove");
    }
}

#[test]
fn labels_with_control_characters_are_refused_at_import_and_by_validate() {
    let sb = Sandbox::new();
    let line = r#"{"text": "Alice met Bob.", "spans": [{"start": 0, "end": 5, "label": "a\u0000\n\u001b[31m"}, {"start": 10, "end": 13, "label": "person"}]}"#;
    sb.write("bad.jsonl", format!("{line}\n"));
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "bad.jsonl"]);
    run.expect_status(2);
    assert!(run.stderr.contains(r#"the label "a\0\n\u{1b}[31m" has a control character"#), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "the label is printed escaped: {}", run.stderr);
    assert!(!sb.join("p.gloss.ron").exists(), "nothing written");
    // Leniently, the span is left out and said so; the rest is imported.
    let run = sb.gloss(&["import", "--into", "p.gloss.ron", "--lenient", "bad.jsonl"]);
    run.expect_status(0);
    assert!(run.stderr.contains("gloss: skipped (--lenient): bad.jsonl:1, span 1"), "{}", run.stderr);
    let project = store::load(&sb.join("p.gloss.ron")).expect("project");
    assert!(project.schema.label("person").is_some());
    assert!(project.schema.labels.iter().all(|l| gloss::model::name_fault(&l.name).is_none()));
    assert_eq!(project.documents[0].spans.len(), 1);
    // A project file edited by hand to hold one is invalid.
    let text = std::fs::read_to_string(sb.join("p.gloss.ron")).expect("read");
    sb.write("edited.gloss.ron", text.replace("\"person\"", "\"person\\u{1b}[31m\""));
    let run = sb.gloss(&["validate", "edited.gloss.ron"]);
    run.expect_status(1);
    assert!(run.stdout.contains(r#"label "person\u{1b}[31m" has a control character"#), "{}", run.stdout);
}
