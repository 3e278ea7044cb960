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

#[path = "common/corpus.rs"]
mod corpus;

use corpus::synthetic_project;

const FORMATS: [ExportFormat; 5] =
    [ExportFormat::Jsonl, ExportFormat::Conll, ExportFormat::Brat, ExportFormat::Hf, ExportFormat::Csv];

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
