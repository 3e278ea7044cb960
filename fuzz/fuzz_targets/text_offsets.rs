//! The offset helpers of `model::Text` on arbitrary strings and positions: never a panic, and
//! the conversions agree with a plain `chars()` walk.
#![no_main]

include!("../../tests/integration/hostile_fuzz_checks.rs");
include!("coverage_symbols.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let (string, positions) = text_offsets_input(bytes);
    check_text_offsets(&string, positions);
});
