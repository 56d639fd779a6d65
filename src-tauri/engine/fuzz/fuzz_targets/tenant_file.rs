#![no_main]
//! See `notice_engine_fuzz::tenant_file`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| notice_engine_fuzz::tenant_file(data));
