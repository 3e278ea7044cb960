//! `store::parse` on arbitrary text: an error or a valid project that saves and loads back to
//! the same project, never a panic.
#![no_main]

include!("../../tests/integration/hostile_fuzz_checks.rs");
include!("coverage_symbols.rs");

libfuzzer_sys::fuzz_target!(|text: &str| check_project_parse(text));
