//! Exporting a large corpus to each format (issue 4).
//!
//! A synthetic project of 10,000 articles of 10 KB with 50 spans each (about 100 MB of text; set
//! `GLOSS_BENCH_DOCS` for another size), exported to jsonl, conll, brat, hf and csv. Target: jsonl
//! at 100 MB/s of text or more. After criterion's figures, the bench prints each format's MB/s
//! from the median of its own runs. The side-by-side comparison of conll with Python and spaCy is
//! `scripts/conll_vs_spacy.py`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use gloss::formats::export::{self, ExportFormat, ExportOptions};
use gloss::model::{Document, Project, Span, Status};

const WORDS: &[&str] = &[
    "the",
    "governor",
    "said",
    "harbour",
    "strike",
    "would",
    "close",
    "every",
    "dock",
    "by",
    "Friday",
    "Müller",
    "Gdańsk",
    "union",
    "talks",
    "collapsed",
    "on",
    "Tuesday",
    "night",
    "“theatre”",
    "port",
    "کراچی",
    "नमस्ते",
    "ships",
    "rerouted",
    "14",
    "vessels",
    "😀",
    "authority",
    "claims",
    "cost",
    "€40",
];
const LABELS: &[&str] = &["claim", "threat", "speaker", "location"];
const FORMATS: [ExportFormat; 5] =
    [ExportFormat::Jsonl, ExportFormat::Conll, ExportFormat::Brat, ExportFormat::Hf, ExportFormat::Csv];

/// A tiny deterministic generator: benchmarks must see the same data every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn synthetic_project(docs: usize) -> Project {
    let mut rng = Lcg(7);
    let mut project = Project::new("bench");
    for d in 0..docs {
        let mut text = String::with_capacity(10_400);
        let mut words = Vec::new();
        let mut chars = 0usize;
        while text.len() < 10_000 {
            let word = WORDS[rng.next(WORDS.len())];
            words.push((chars, chars + word.chars().count()));
            text.push_str(word);
            chars += word.chars().count();
            let sep = if rng.next(12) == 0 {
                "\n\n"
            } else if rng.next(9) == 0 {
                ". "
            } else {
                " "
            };
            text.push_str(sep);
            chars += sep.chars().count();
        }
        let mut doc = Document::new(format!("d{:05}", d + 1), format!("Article {d}"), text);
        doc.status = Status::ALL[d % 4];
        let mut spans: Vec<Span> = Vec::with_capacity(50);
        for id in 1..=50u64 {
            let first = rng.next(words.len());
            let last = (first + rng.next(6)).min(words.len() - 1);
            let span = Span::new(id, words[first].0, words[last].1, LABELS[rng.next(LABELS.len())]);
            if !spans.iter().any(|s| (s.start, s.end, &s.label) == (span.start, span.end, &span.label)) {
                spans.push(span);
            }
        }
        spans.sort_by_key(Span::sort_key);
        doc.spans = spans;
        project.documents.push(doc);
    }
    project
}

fn bench(c: &mut Criterion) {
    let docs = std::env::var("GLOSS_BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let project = synthetic_project(docs);
    let text_bytes: usize = project.documents.iter().map(|d| d.text.len_bytes()).sum();
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = ExportOptions { force: true, ..ExportOptions::default() };
    let mut group = c.benchmark_group("export");
    group.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Bytes(text_bytes as u64));
    for format in FORMATS {
        let out = dir.path().join(format!("out-{format}"));
        group.bench_function(format.name(), |b| {
            b.iter(|| black_box(export::export(&project, format, &out, &opts).expect("export")));
        });
    }
    group.finish();

    println!("\ncorpus: {docs} documents, {:.1} MB of text", text_bytes as f64 / 1e6);
    for format in FORMATS {
        let out = dir.path().join(format!("own-{format}"));
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let start = Instant::now();
                export::export(&project, format, &out, &opts).expect("export");
                start.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let target = if format == ExportFormat::Jsonl { " (target ≥ 100 MB/s)" } else { "" };
        println!("{format:>5}: {median:.3} s, {:.0} MB/s of text{target}", text_bytes as f64 / 1e6 / median);
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
