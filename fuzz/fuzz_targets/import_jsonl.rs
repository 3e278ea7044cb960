//! The jsonl importer on arbitrary bytes as a Gloss/Prodigy JSONL file: a clear error naming the file, or documents
//! that plan into a valid project that saves and loads back unchanged; never a panic.
#![no_main]

include!("../../tests/integration/hostile_fuzz_checks.rs");
include!("coverage_symbols.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| check_annotated(gloss::formats::annotated::AnnotatedFormat::Jsonl, bytes));
