//! The fuzz targets' checks, run by `cargo test`: on every input a fuzzer ever failed on (kept
//! in `engine/fuzz/regressions/<target>/` once fixed) and on the seeds the fuzzers start from
//! (the corpus's templates and tenant files, the shipped template, the bad-input files). The
//! target bodies are the fuzz crate's own, included here, not a copy.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/lib.rs"]
mod targets;

use crate::common::{corpus, repo};

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("render_check", targets::render_check),
    ("typst_markup", targets::typst_markup),
    ("front_matter", targets::front_matter),
    ("tenant_file", targets::tenant_file),
];

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p, ext));
        } else if ext.is_empty() || p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn every_kept_fuzz_failure_stays_fixed() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    for (name, target) in TARGETS {
        for input in files(&root.join(name), "") {
            let data = std::fs::read(&input).unwrap();
            let r = std::panic::catch_unwind(|| target(&data));
            assert!(r.is_ok(), "{name} fails again on {}", input.display());
        }
    }
}

#[test]
fn the_fuzz_seeds_pass_every_target_check() {
    let mut templates = files(&corpus(), "md");
    templates.extend(files(&repo().join("templates"), "md"));
    templates.extend(files(&repo().join("tests/bad-input"), "md"));
    assert!(templates.len() >= 18, "the corpus is beside the checkout");
    for t in &templates {
        let data = std::fs::read(t).unwrap();
        targets::render_check(&data);
        targets::typst_markup(&data);
        // Its front matter alone, as the front_matter target's seeds are made.
        let text = String::from_utf8_lossy(&data);
        if let Some(rest) = text.strip_prefix("---\n")
            && let Some((yaml, _)) = rest.split_once("\n---")
        {
            targets::front_matter(yaml.as_bytes());
        }
    }
    let mut tenants = files(&corpus(), "json");
    tenants.extend(files(&repo().join("templates"), "json"));
    tenants.extend(files(&repo().join("tests/bad-input"), "json"));
    for t in &tenants {
        targets::tenant_file(&std::fs::read(t).unwrap());
    }
}
