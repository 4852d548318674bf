#![no_main]
//! The body lives in survlit::fuzz_harness, which `cargo test` replays.

libfuzzer_sys::fuzz_target!(|data: &[u8]| survlit::fuzz_harness::fuzz_project_toml(data));
