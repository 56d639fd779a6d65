#![no_main]
//! See `notice_engine_fuzz::front_matter`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| notice_engine_fuzz::front_matter(data));
