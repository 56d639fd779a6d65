//! The checks' fixture corpus (`engine/tests/checks/<code>/{pos,neg}-*.md`, values beside them as
//! `<case>.json`): every fixture's diagnostics as an insta snapshot (`tests/checks/snapshots/`),
//! a positive case must report its folder's code and a negative one must not. Then the precision
//! and recall report: every check over the fixtures and over the shared corpus, printed as a
//! table per code, with the corpus's known defects asserted still reported and no error on its
//! clean documents (`cargo test --test integration check_report -- --nocapture` shows it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common;

use notice_engine::{
    Code, Diagnostic, NoticeTemplate, Severity, TenantFile, TenantValues, check_notice,
};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/checks")
}

/// (folder's code, case name, template path) for every fixture.
fn fixtures() -> Vec<(Code, String, PathBuf)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "snapshots"))
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let code = Code::parse(&name).unwrap_or_else(|| panic!("{name}: not a diagnostic code"));
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        files.sort();
        for f in files {
            let case = f.file_stem().unwrap().to_string_lossy().into_owned();
            out.push((code, case, f));
        }
    }
    out
}

fn values_beside(template: &Path) -> TenantValues {
    let v = template.with_extension("json");
    if v.exists() {
        TenantFile::load(&v).unwrap().0.values
    } else {
        TenantValues::new()
    }
}

fn check_file(path: &Path, values: &TenantValues) -> Vec<Diagnostic> {
    let t = NoticeTemplate::load(path).unwrap();
    check_notice(&t, values)
}

/// One line per diagnostic, without the machine-specific path.
fn describe(diags: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in diags {
        let place = match (d.line, d.column) {
            (Some(l), Some(c)) => format!("{l}:{c}"),
            _ => "-".into(),
        };
        s.push_str(&format!(
            "{place} {}[{}] {}",
            d.severity.as_str(),
            d.code.as_str(),
            d.message
        ));
        if let Some(f) = &d.field {
            s.push_str(&format!(" [{f}]"));
        }
        if let Some(fix) = &d.fix {
            s.push_str(&format!(
                " (fix {}:{}: {:?} → {:?})",
                fix.line, fix.column, fix.old, fix.new
            ));
        }
        s.push('\n');
    }
    s
}

#[test]
fn every_fixture_matches_its_snapshot_and_its_expectation() {
    let mut failures = Vec::new();
    for (code, case, path) in fixtures() {
        let d = check_file(&path, &values_beside(&path));
        let name = format!("{}__{case}", code.as_str());
        insta::with_settings!({
            snapshot_path => fixtures_dir().join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, describe(&d));
        });
        let found = d.iter().any(|x| x.code == code);
        if case.starts_with("pos-") != found {
            failures.push(format!("{}/{case}: {}", code.as_str(), describe(&d)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[derive(Default)]
struct Row {
    hits: u32,
    misses: u32,
    false_alarms: u32,
    corpus: u32,
    corpus_errors: u32,
}

#[test]
fn check_report() {
    let mut rows: BTreeMap<Code, Row> = BTreeMap::new();
    for (code, case, path) in fixtures() {
        let d = check_file(&path, &values_beside(&path));
        let n = d.iter().filter(|x| x.code == code).count() as u32;
        let row = rows.entry(code).or_default();
        if case.starts_with("pos-") {
            if n > 0 {
                row.hits += 1;
            } else {
                row.misses += 1;
            }
        } else {
            row.false_alarms += n;
        }
    }
    // Straight to the process's stderr, not the test harness's capture: `cargo test` (and so
    // `npm test`) always shows the table.
    use std::fmt::Write as _;
    let mut out = String::new();
    let corpus = common::corpus();
    let corpus_found = corpus.is_dir();
    if corpus_found {
        let tenant = TenantFile::load(&corpus.join("new_vector.json"))
            .unwrap()
            .0
            .values;
        for sub in ["hosted-homeserver", "privacy-notice-history"] {
            let mut files: Vec<_> = std::fs::read_dir(corpus.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect();
            files.sort();
            for f in files {
                for d in check_file(&f, &tenant) {
                    let row = rows.entry(d.code).or_default();
                    row.corpus += 1;
                    if d.severity == Severity::Error {
                        row.corpus_errors += 1;
                    }
                }
            }
        }
    } else {
        let _ = writeln!(
            out,
            "check report: no shared corpus at {} — only the fixtures are counted",
            corpus.display()
        );
    }
    let _ = writeln!(
        out,
        "\ncheck report: fixtures (tests/checks) and the shared corpus (with new_vector.json)"
    );
    let _ = writeln!(
        out,
        "{:<24} {:>5} {:>7} {:>12} {:>7} {:>14}",
        "code", "hits", "misses", "false alarms", "corpus", "corpus errors"
    );
    for code in Code::ALL {
        let Some(r) = rows.get(&code) else { continue };
        let _ = writeln!(
            out,
            "{:<24} {:>5} {:>7} {:>12} {:>7} {:>14}",
            code.as_str(),
            r.hits,
            r.misses,
            r.false_alarms,
            r.corpus,
            r.corpus_errors
        );
    }
    let (hits, misses, fa) = rows.values().fold((0, 0, 0), |a, r| {
        (a.0 + r.hits, a.1 + r.misses, a.2 + r.false_alarms)
    });
    let _ = writeln!(
        out,
        "fixtures: recall {hits}/{} positive cases, {fa} false alarms in negative cases",
        hits + misses
    );
    {
        use std::io::Write as _;
        let _ = std::io::stderr().write_all(out.as_bytes());
    }
    assert_eq!(misses, 0, "positive fixtures missed");
    assert_eq!(fa, 0, "false alarms in negative fixtures");
    if corpus_found {
        known_defects_are_still_reported(&corpus);
    }
}

fn errors(d: &[Diagnostic]) -> Vec<&Diagnostic> {
    d.iter().filter(|x| x.severity == Severity::Error).collect()
}

fn known_defects_are_still_reported(corpus: &Path) {
    let hh = corpus.join("hosted-homeserver");
    // Clean documents: no error.
    let coc = check_file(&hh.join("code_of_conduct.md"), &TenantValues::new());
    assert!(errors(&coc).is_empty(), "code_of_conduct.md: {coc:#?}");
    let seed = common::seed();
    let example =
        TenantFile::load(&common::repo().join("templates/hosted-homeserver/example-tenant.json"))
            .unwrap()
            .0
            .values;
    let d = check_notice(&seed, &example);
    assert!(
        errors(&d).is_empty(),
        "seed with its example tenant: {d:#?}"
    );
    // The seed's line 18, both ways.
    assert!(
        d.iter()
            .any(|x| x.code == Code::FragileEmphasis && x.line == Some(18)),
        "{d:#?}"
    );
    let mut no_fqdn = example.clone();
    no_fqdn.remove("our_server_fqdn");
    let d = check_notice(&seed, &no_fqdn);
    assert!(
        d.iter().any(|x| x.code == Code::UnpairedEmphasis
            && x.severity == Severity::Error
            && x.line == Some(18)),
        "{d:#?}"
    );
    // Title drift in the seed, the YAML list of terms_and_conditions.md, the legacy tokens.
    assert!(
        check_notice(&seed, &example)
            .iter()
            .any(|x| x.code == Code::TitleMismatch)
    );
    let terms = check_file(&hh.join("terms_and_conditions.md"), &TenantValues::new());
    assert!(
        terms
            .iter()
            .any(|x| x.code == Code::FrontMatter && x.line == Some(2))
    );
    let synapse = check_file(&hh.join("synapse_privacy_policy.md"), &TenantValues::new());
    assert!(synapse.iter().any(|x| x.code == Code::LegacyPlaceholder));
    // The H1s of exceptional_erasure_policy.md after its title.
    let erasure = check_file(
        &hh.join("exceptional_erasure_policy.md"),
        &TenantValues::new(),
    );
    let h1s: Vec<u32> = erasure
        .iter()
        .filter(|x| x.code == Code::SectionNumbering && x.message.contains("H1"))
        .filter_map(|x| x.line)
        .collect();
    assert!(h1s.len() >= 2, "{erasure:#?}");
}
