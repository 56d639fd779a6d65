#![no_main]
//! See `notice_engine_fuzz::render_check`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| notice_engine_fuzz::render_check(data));
