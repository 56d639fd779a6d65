//! The engine's integration tests, as one test binary: the engine (and Typst in it) is linked
//! once rather than once per file, which keeps a fresh CI build within its time and disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod check_fixtures;
mod checks;
mod consent;
mod consent_reissue;
mod corpus;
mod crash;
mod export_progress;
mod fuzz_regressions;
mod injection;
mod injection_nested;
mod layers;
mod limits;
mod pdf;
mod seed;
mod status_cache;
mod workspace;
