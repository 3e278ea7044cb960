//! Loading and saving a large project, against bare `ron` on the same data.
//!
//! A synthetic project of 10,000 articles of 10 KB with 50 spans each (about 100 MB; set
//! `GLOSS_BENCH_DOCS` for another size). Targets (issue 2): loading at most 1.2× a bare
//! `ron::from_str` of the same file into plain structs; saving at most 1.5× a
//! `ron::ser::to_string_pretty` plus the write. After criterion's figures, the bench prints both
//! ratios from medians of its own runs.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::Criterion;
use gloss::model::{Edit, Project, Snapshot, Status};
use gloss::store;
use serde::{Deserialize, Serialize};

#[path = "common/corpus.rs"]
mod corpus;

/// The shared corpus, plus a content hash in each document's metadata as imports record it.
fn synthetic_project(docs: usize) -> Project {
    let mut project = corpus::synthetic_project(docs);
    for (d, doc) in project.documents.iter_mut().enumerate() {
        doc.meta.insert("sha256".into(), format!("{d:064x}"));
    }
    project
}

// The same data as plain structs, the baseline a bare `ron` parse produces.
#[derive(Serialize, Deserialize)]
struct PlainProject {
    format: String,
    version: u64,
    name: String,
    schema: PlainSchema,
    documents: Vec<PlainDocument>,
}

#[derive(Serialize, Deserialize)]
struct PlainSchema {
    labels: Vec<PlainLabel>,
    relations: Vec<PlainRelationType>,
}

#[derive(Serialize, Deserialize)]
struct PlainLabel {
    name: String,
    color: String,
    #[serde(default)]
    key: Option<String>,
    description: String,
}

#[derive(Serialize, Deserialize)]
struct PlainRelationType {
    name: String,
    from: Vec<String>,
    to: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct PlainDocument {
    id: String,
    title: String,
    #[serde(default)]
    source: Option<String>,
    status: Status,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    meta: BTreeMap<String, String>,
    text: String,
    spans: Vec<PlainSpan>,
    relations: Vec<PlainRelation>,
}

#[derive(Serialize, Deserialize)]
struct PlainSpan {
    id: u64,
    start: u64,
    end: u64,
    label: String,
    text: String,
}

#[derive(Serialize, Deserialize)]
struct PlainRelation {
    id: u64,
    label: String,
    from: u64,
    to: u64,
}

fn parse_plain(text: &str) -> PlainProject {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .expect("plain parse")
}

fn write_plain(plain: &PlainProject, path: &Path) {
    let text = ron::ser::to_string_pretty(plain, ron::ser::PrettyConfig::default()).expect("serialize");
    let mut f = std::fs::File::create(path).expect("create");
    f.write_all(text.as_bytes()).expect("write");
    f.sync_all().expect("sync");
}

fn docs() -> usize {
    std::env::var("GLOSS_BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

/// Median times of `a` and `b`, run alternately so that load from other processes on a shared
/// machine falls on both alike.
fn paired_medians(mut a: impl FnMut(), mut b: impl FnMut(), runs: usize) -> (Duration, Duration) {
    let mut ta = Vec::with_capacity(runs);
    let mut tb = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        a();
        ta.push(t.elapsed());
        let t = Instant::now();
        b();
        tb.push(t.elapsed());
    }
    ta.sort();
    tb.sort();
    (ta[runs / 2], tb[runs / 2])
}

fn bench_project_io(c: &mut Criterion) {
    let project = synthetic_project(docs());
    let text = store::to_string(&project);
    let plain = parse_plain(&text);
    let dir = tempfile::tempdir().expect("tempdir");
    let ours = dir.path().join("ours.gloss.ron");
    let theirs = dir.path().join("plain.ron");
    let mb = text.len() as f64 / 1e6;

    let mut group = c.benchmark_group(format!("project_io_{}docs_{mb:.0}MB", docs()));
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("load/gloss_parse", |b| b.iter(|| black_box(store::parse(&text).expect("parse"))));
    group.bench_function("load/bare_ron_from_str", |b| b.iter(|| black_box(parse_plain(&text))));
    group.bench_function("save/gloss_save", |b| b.iter(|| store::save(&ours, &project).expect("save")));
    group.bench_function("save/ron_to_string_pretty_and_write", |b| b.iter(|| write_plain(&plain, &theirs)));
    // The only part of a save (or an autosave) on the UI thread: the snapshot the writer takes.
    // The copy is dropped on the writer thread, so its drop is not timed. The first snapshot of
    // a session copies every document; the next ones only the documents edited since.
    group.bench_function("save/first_snapshot_on_ui_thread", |b| {
        b.iter_with_large_drop(|| Snapshot::take(&project, None))
    });
    let (edited, earlier) = edited_once(&project);
    group.bench_function("save/next_snapshot_on_ui_thread", |b| {
        b.iter_with_large_drop(|| Snapshot::take(&edited, Some(&earlier)))
    });
    group.finish();

    let runs = 7;
    let (load, bare) = paired_medians(
        || drop(black_box(store::parse(&text).expect("parse"))),
        || drop(black_box(parse_plain(&text))),
        runs,
    );
    let (save, pretty) =
        paired_medians(|| store::save(&ours, &project).expect("save"), || write_plain(&plain, &theirs), runs);
    let median_of = |take: &dyn Fn() -> Snapshot| {
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let copy = black_box(take());
                let taken = t.elapsed();
                drop(copy);
                taken
            })
            .collect();
        times.sort();
        times[runs / 2]
    };
    let first = median_of(&|| Snapshot::take(&project, None));
    let next = median_of(&|| Snapshot::take(&edited, Some(&earlier)));
    println!("\nproject_io: {} documents, {mb:.1} MB of RON, medians of {runs} runs", docs());
    println!(
        "  load: gloss {:.3} s vs bare ron {:.3} s → ratio {:.2} (target ≤ 1.20)",
        load.as_secs_f64(),
        bare.as_secs_f64(),
        load.as_secs_f64() / bare.as_secs_f64()
    );
    println!(
        "  save: gloss {:.3} s vs ron pretty + write {:.3} s → ratio {:.2} (target ≤ 1.50; both fsync)",
        save.as_secs_f64(),
        pretty.as_secs_f64(),
        save.as_secs_f64() / pretty.as_secs_f64()
    );
    println!(
        "  save: the copy taken on the UI thread (the rest runs on a writer thread): first {:.1} ms, \
         after one edit {:.1} ms",
        first.as_secs_f64() * 1e3,
        next.as_secs_f64() * 1e3
    );
}

/// The project with one span more in one document, and a snapshot of it from before the edit:
/// what a save after labelling one span starts from.
fn edited_once(project: &Project) -> (Project, Snapshot) {
    let earlier = Snapshot::take(project, None);
    let mut edited = project.clone();
    let doc = edited.documents.len() / 2;
    if let Some(d) = edited.documents.get_mut(doc) {
        let id = d.spans.iter().map(|s| s.id).max().unwrap_or(0) + 1;
        let end = d.text.len_chars().min(3);
        let span = gloss::model::Span::new(id, 0, end, "claim");
        let _maybe_duplicate = Edit::AddSpan { doc, span }.apply(&mut edited);
    }
    (edited, earlier)
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_project_io(&mut c);
    c.final_summary();
}
