#![no_main]
//! See `notice_engine_fuzz::typst_markup`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| notice_engine_fuzz::typst_markup(data));
