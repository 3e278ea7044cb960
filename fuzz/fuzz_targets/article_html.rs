//! `formats::read_article` forced to Html on arbitrary bytes: an error or an article with text,
//! never a panic. One read per input, so it runs faster and deeper than `article_read`.
#![no_main]

include!("../../tests/integration/hostile_fuzz_checks.rs");
include!("coverage_symbols.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| check_article_as(gloss::formats::ArticleFormat::Html, bytes));
