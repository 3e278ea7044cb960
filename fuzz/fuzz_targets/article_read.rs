//! `formats::read_article` on arbitrary bytes, detected and forced to each format: an error or
//! an article with text, never a panic.
#![no_main]

include!("../../tests/integration/hostile_fuzz_checks.rs");
include!("coverage_symbols.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| check_article_read(bytes));
