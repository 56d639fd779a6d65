//! The `notice` command as a user runs it: exit codes, compiler-style output, JSON, nothing
//! written while errors remain.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use assert_cmd::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed() -> PathBuf {
    repo().join("templates/hosted-homeserver/privacy_notice.md")
}

fn example() -> PathBuf {
    repo().join("templates/hosted-homeserver/example-tenant.json")
}

fn notice() -> Command {
    let mut c = Command::cargo_bin("notice").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn tenant_without_fqdn(dir: &std::path::Path) -> PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example()).unwrap()).unwrap();
    v["values"]
        .as_object_mut()
        .unwrap()
        .remove("our_server_fqdn");
    let p = dir.join("acme.json");
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

#[test]
fn check_without_fqdn_exits_1_with_compiler_style_lines() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant_without_fqdn(dir.path());
    let out = notice()
        .args(["check"])
        .arg(seed())
        .arg("--tenant")
        .arg(&t)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("privacy_notice.md:18:127: error[unfilled-placeholder]"),
        "{err}"
    );
    assert!(err.contains("privacy_notice.md:21:"), "{err}");
    assert!(
        err.contains("privacy_notice.md:18:125: error[unpaired-emphasis]"),
        "{err}"
    );
    assert!(err.contains("^^^^"), "a caret under the place");
}

#[test]
fn render_writes_nothing_while_errors_remain_but_a_draft_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant_without_fqdn(dir.path());
    let target = dir.path().join("out.html");
    let out = notice()
        .arg("render")
        .arg(seed())
        .arg("--tenant")
        .arg(&t)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!target.exists());
    let out = notice()
        .arg("render")
        .arg(seed())
        .arg("--tenant")
        .arg(&t)
        .arg("-o")
        .arg(&target)
        .arg("--draft")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("DRAFT — not for distribution")
    );
}

#[test]
fn a_filled_tenant_exits_0_with_warnings_and_1_when_strict() {
    let out = notice()
        .arg("check")
        .arg(seed())
        .arg("--tenant")
        .arg(example())
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"fragile-emphasis") && codes.contains(&"title-mismatch"));
    assert_eq!(v["summary"]["errors"], 0);
    let out = notice()
        .arg("check")
        .arg(seed())
        .arg("--tenant")
        .arg(example())
        .arg("--strict")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn render_to_stdout_and_markdown() {
    let out = notice()
        .arg("render")
        .arg(seed())
        .arg("--tenant")
        .arg(example())
        .arg("--to")
        .arg("md")
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("---\ntitle: \"Acme Corporation Ltd (acme.ems.host) Homeserver Privacy Notice\"\nversion: \"1.0.0\"\n---\n"));
    assert!(md.contains("# Acme Corporation Ltd (acme.example.org) Homeserver Privacy Notice"));
}

#[test]
fn html_is_reproducible_with_source_date_epoch() {
    let run = || {
        notice()
            .arg("render")
            .arg(seed())
            .arg("--tenant")
            .arg(example())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap()
            .stdout
    };
    let a = run();
    assert_eq!(a, run());
    assert!(
        String::from_utf8(a)
            .unwrap()
            .contains("2023-11-14T22:13:20Z")
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = notice()
        .arg("check")
        .arg("/nonexistent/t.md")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/t.md"));
    let out = notice().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n \"a\": 1,\n}").unwrap();
    let out = notice()
        .arg("check")
        .arg(seed())
        .arg("--tenant")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json:3:1: invalid JSON"));
}

#[test]
fn fields_and_new_tenant() {
    let out = notice()
        .arg("fields")
        .arg(seed())
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "hhs_entity_name",
            "hhs_admin_email",
            "hhs_name",
            "hhs_server_domain",
            "our_server_fqdn",
            "their_server_name"
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("new.json");
    let out = notice()
        .arg("new-tenant")
        .arg(seed())
        .arg("-o")
        .arg(&t)
        .arg("--name")
        .arg("Beta")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&t).unwrap()).unwrap();
    assert_eq!(v["format"], 2);
    assert_eq!(v["tenant"], "Beta");
    assert_eq!(v["values"].as_object().unwrap().len(), 6);
    let again = notice()
        .arg("new-tenant")
        .arg(seed())
        .arg("-o")
        .arg(&t)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(2),
        "never overwrites without --force"
    );
}

#[test]
fn batch_renders_every_template_for_every_tenant_and_summarises_failures() {
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants");
    std::fs::create_dir(&tenants).unwrap();
    std::fs::copy(example(), tenants.join("acme.json")).unwrap();
    tenant_without_fqdn(&tenants);
    std::fs::rename(tenants.join("acme.json"), tenants.join("broken.json")).unwrap();
    std::fs::copy(example(), tenants.join("acme.json")).unwrap();
    // The seed alone (with its sidecar): the shipped folder holds other documents too.
    let family = dir.path().join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    for f in ["privacy_notice.md", "privacy_notice.fields.yaml"] {
        std::fs::copy(
            repo().join("templates/hosted-homeserver").join(f),
            family.join(f),
        )
        .unwrap();
    }
    let out_dir = dir.path().join("out");
    let out = notice()
        .arg("render")
        .arg(&family)
        .arg("--tenants")
        .arg(&tenants)
        .arg("-o")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out_dir.join("acme/privacy_notice.html").is_file());
    assert!(!out_dir.join("broken/privacy_notice.html").exists());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 of 2 documents written"), "{err}");
    assert!(
        err.contains("broken × hosted-homeserver/privacy_notice.md"),
        "{err}"
    );
}

#[test]
fn pdf_with_standard_and_paper_is_reproducible_and_refused_while_errors_remain() {
    let dir = tempfile::tempdir().unwrap();
    let render = |out: &std::path::Path, extra: &[&str]| {
        notice()
            .env("SOURCE_DATE_EPOCH", "1800000000")
            .arg("render")
            .arg(seed())
            .arg("--tenant")
            .arg(example())
            .args(["--to", "pdf", "-o"])
            .arg(out)
            .args(extra)
            .assert()
    };
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("b.pdf");
    render(&a, &[]).success();
    render(&b, &[]).success();
    let bytes = std::fs::read(&a).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(bytes, std::fs::read(&b).unwrap(), "same inputs, same bytes");

    let archival = dir.path().join("archival.pdf");
    render(&archival, &["--pdf-standard", "a-2b", "--paper", "letter"]).success();
    let text = String::from_utf8_lossy(&std::fs::read(&archival).unwrap()).into_owned();
    assert!(text.contains("pdfaid:part"), "PDF/A declared in XMP");
    let info = std::process::Command::new("pdfinfo")
        .arg(&archival)
        .output()
        .expect("pdfinfo (poppler-utils; scripts/setup.sh --test installs it)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("612 x 792"), "letter paper: {info}");

    let out = notice()
        .arg("render")
        .arg(seed())
        .arg("--tenant")
        .arg(example())
        .args(["--to", "pdf", "--pdf-standard", "a-9z"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("use ua-1, a-2a or a-2b"), "{err}");

    let refused = dir.path().join("refused.pdf");
    let out = notice()
        .arg("render")
        .arg(seed())
        .arg("--tenant")
        .arg(tenant_without_fqdn(dir.path()))
        .args(["--to", "pdf", "-o"])
        .arg(&refused)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("unfilled-placeholder"), "{err}");
    assert!(!refused.exists(), "nothing written while errors remain");
}

#[test]
fn workspace_status_reissue_and_diff() {
    let corpus = repo().join("../shared/corpus/element-policies/privacy-notice-history");
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    std::fs::create_dir_all(ws.join("templates/hosted-homeserver")).unwrap();
    std::fs::create_dir_all(ws.join("tenants")).unwrap();
    let doc = ws.join("templates/hosted-homeserver/privacy_notice.md");
    std::fs::copy(seed(), &doc).unwrap();
    std::fs::copy(example(), ws.join("tenants/acme.json")).unwrap();

    let status = |expect: &str| {
        let out = notice().arg("status").arg(ws).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(
            text.contains("privacy_notice") && text.contains(expect),
            "{text}"
        );
    };
    status("never exported");
    let out = notice()
        .args(["publish"])
        .arg(ws)
        .args(["--formats", "html,pdf"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("acme: exported 2 file(s)"));
    assert!(
        ws.join("exports/acme/privacy_policy/en/privacy_notice.pdf")
            .is_file()
    );
    assert!(ws.join("exports/acme/manifest.json").is_file());
    status("up to date (1.0.0)");
    // A major bump: acme is behind and must accept again.
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replacen("version: 1.0.0", "version: 2.0.0", 1)).unwrap();
    status("outdated 1.0.0 → 2.0.0 (users must accept again)");
    let out = notice()
        .args(["reissue", "--dry-run"])
        .arg(ws)
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout).trim(),
        "acme"
    );
    notice().arg("reissue").arg(ws).assert().success();
    status("up to date (2.0.0)");
    let history = std::fs::read_to_string(ws.join("history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 3, "{history}");

    let old = corpus.join("2019-09-23-55fb3ff.md");
    let new = corpus.join("2020-08-24-3e76a56.md");
    let out = notice()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("--tenant")
        .arg(example())
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        text.contains("{+") && text.contains("unchanged paragraphs"),
        "{text}"
    );
    assert!(err.contains("the clause text changed"), "{err}");
    let html = dir.path().join("redline.html");
    notice()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("--tenant")
        .arg(example())
        .args(["--to", "html", "-o"])
        .arg(&html)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&html).unwrap().contains("<ins>"));
}

/// `notice publish` killed (SIGKILL) at many moments: every published file is whole, the history
/// stays readable, and every record in it names a file whose hash is the one recorded.
#[test]
fn a_publish_killed_at_any_moment_leaves_whole_files_and_a_readable_history() {
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let family = ws.join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(ws.join("tenants")).unwrap();
    for f in ["privacy_notice.md", "privacy_notice.fields.yaml"] {
        std::fs::copy(
            repo().join("templates/hosted-homeserver").join(f),
            family.join(f),
        )
        .unwrap();
    }
    let example: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example()).unwrap()).unwrap();
    for i in 0..150 {
        let mut t = example.clone();
        t["tenant"] = format!("Tenant {i}").into();
        std::fs::write(ws.join(format!("tenants/t{i:03}.json")), t.to_string()).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("notice");
    let mut interrupted = 0;
    // Kill points spread over a run (a full one takes a few hundred milliseconds here).
    for delay_ms in [5u64, 40, 90, 150, 220, 300, 420] {
        let mut child = std::process::Command::new(&bin)
            .args(["publish", ws.to_str().unwrap(), "--formats", "html"])
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let until = Instant::now() + Duration::from_millis(delay_ms);
        while Instant::now() < until {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        let _ = child.kill(); // SIGKILL: no destructor, no cleanup runs
        let _ = child.wait();

        let history = std::fs::read_to_string(ws.join("history.jsonl")).unwrap_or_default();
        let lines: Vec<&str> = history.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let parsed = serde_json::from_str::<serde_json::Value>(line);
            // Only the very last line may be torn by a kill mid-append (readers skip it).
            if n + 1 < lines.len() || history.ends_with('\n') {
                let rec = parsed.unwrap_or_else(|e| panic!("line {}: {e}: {line}", n + 1));
                let file = ws.join(rec["path"].as_str().unwrap());
                let bytes = std::fs::read(&file).unwrap();
                assert_eq!(
                    rec["sha256"].as_str().unwrap(),
                    sha256_hex(&bytes),
                    "{} is not the file recorded",
                    file.display()
                );
            }
        }
        // Every visible exported file is a whole document (temporary files are dot-files).
        for entry in walk(&ws.join("exports")) {
            let name = entry.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".html") && !name.starts_with('.') {
                let text = std::fs::read_to_string(&entry).unwrap();
                assert!(
                    text.trim_end().ends_with("</html>"),
                    "{} is cut short",
                    entry.display()
                );
            }
        }
    }
    assert!(
        interrupted >= 4,
        "only {interrupted} of 7 kills hit a running publish"
    );
    // A run to the end afterwards completes the set: the kills lost nothing for good.
    notice()
        .args(["publish", ws.to_str().unwrap(), "--formats", "html"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .assert()
        .success();
    let published = walk(&ws.join("exports"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(published, 150);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn check_a_folder_is_one_family_run_with_one_summary() {
    let dir = tempfile::tempdir().unwrap();
    let fam = dir.path().join("family");
    std::fs::create_dir(&fam).unwrap();
    let head = "---\ntitle: T\nversion: 1.0.0\n---\n\n# T\n\n";
    std::fs::write(
        fam.join("a.md"),
        format!("{head}{{{{ hhs_server_domain }}}} {{{{ hhs_server_domain }}}}.\n"),
    )
    .unwrap();
    std::fs::write(
        fam.join("b.md"),
        format!("{head}{{{{ hhs_server_domain }}}} and {{{{ hhs_serve_domain }}}}.\n"),
    )
    .unwrap();
    let out = notice().args(["check"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 templates checked"), "{err}");
    assert!(
        err.contains("warning[likely-typo]: `hhs_serve_domain` is used once in the family"),
        "{err}"
    );
}

#[test]
fn check_fix_applies_the_mechanical_fixes_and_reports_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let fam = dir.path().join("family");
    std::fs::create_dir(&fam).unwrap();
    let head = "---\ntitle: T\nversion: 1.0.0\n---\n\n# T\n\n";
    std::fs::write(
        fam.join("a.md"),
        format!("{head}{{{{ hhs_server_domain }}}} {{{{ hhs_server_domain }}}}.\n"),
    )
    .unwrap();
    // A typo'd name and a front matter whose closing delimiter lost a dash, CRLF line endings.
    let b = "---\r\ntitle: B\r\nversion: 1.0.0\r\n--\r\n\r\n# B\r\n\r\n{{ hhs_server_domain }} and {{ hhs_serve_domain }}.\r\n";
    std::fs::write(fam.join("b.md"), b).unwrap();
    let out = notice()
        .args(["check", "--fix"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fixed "), "{err}");
    assert!(
        !err.contains("likely-typo"),
        "the typo is gone after the fix: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(fam.join("b.md")).unwrap(),
        b.replace("\r\n--\r\n", "\r\n---\r\n")
            .replace("hhs_serve_domain", "hhs_server_domain"),
        "only the two fixes changed the file"
    );
    // Nothing left to fix: a second run changes nothing.
    let again = notice()
        .args(["check", "--fix"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&again.stderr).contains("fixed "));
}

#[test]
fn check_as_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant_without_fqdn(dir.path());
    let out = notice()
        .args(["check", "--format", "sarif"])
        .arg(seed())
        .arg("--tenant")
        .arg(&t)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "unpaired-emphasis")
        .unwrap();
    assert_eq!(r["level"], "error");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 18);
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|x| x["id"] == "unfilled-placeholder"));
}

#[test]
fn consent_writes_a_synapse_template_dir_and_prints_its_section() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("consent");
    let consent = repo().join("templates/hosted-homeserver/consent.md");
    let o = notice()
        .args(["consent"])
        .arg(&consent)
        .arg("--tenant")
        .arg(example())
        .arg("-o")
        .arg(&out)
        .args(["--template-dir", "/etc/matrix-synapse/consent"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.contains(
        "user_consent:\n  version: \"1.0\"\n  template_dir: \"/etc/matrix-synapse/consent\"\n"
    ));
    for f in ["en/1.0.html", "en/success.html", "user_consent.yaml"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("user_consent.yaml")).unwrap(),
        stdout
    );
    // The seed declares no runtime: refused, nothing written.
    let other = dir.path().join("other");
    let o = notice()
        .arg("consent")
        .arg(seed())
        .arg("--tenant")
        .arg(example())
        .arg("-o")
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("runtime: synapse-consent"));
    assert!(!other.exists());
}

#[test]
fn status_drafts_the_server_notice_after_a_major_bump_of_a_consent_page() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let family = ws.join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(ws.join("tenants")).unwrap();
    let seed = repo().join("templates/hosted-homeserver");
    for f in ["consent.md", "consent.fields.yaml"] {
        std::fs::copy(seed.join(f), family.join(f)).unwrap();
    }
    std::fs::copy(example(), ws.join("tenants/acme.json")).unwrap();
    notice().arg("publish").arg(ws).assert().success();
    let status = || {
        let out = notice().arg("status").arg(ws).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let up = status();
    assert!(up.contains("up to date (1.0.0)"), "{up}");
    assert!(!up.contains("server notice"), "{up}");

    let doc = family.join("consent.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replacen("version: 1.0.0", "version: 2.0.0", 1)).unwrap();
    let text = status();
    assert!(
        text.contains("outdated 1.0.0 → 2.0.0 (users must accept again)"),
        "{text}"
    );
    assert!(
        text.contains(
            "acme: users must accept hosted-homeserver/consent version 2.0 again. Draft server notice"
        ),
        "{text}"
    );
    assert!(
        text.contains("version 2.0 replaces version 1.0.") && text.contains("%(consent_uri)s"),
        "{text}"
    );
    assert!(
        text.contains("each user's own link to https://acme.ems.host/_matrix/consent?u=…&h=…"),
        "{text}"
    );
}

/// The example: the seed in a workspace, its example tenant with one key no document
/// reads. `notice render` and `notice publish` export through one path, so they give one verdict
/// (the key is reported as `unknown-field` and nothing is written by either), while a key only
/// a sibling document reads is left out silently by both.
#[test]
fn render_and_publish_give_one_verdict_on_a_tenant_key() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let family = ws.join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(ws.join("tenants")).unwrap();
    for f in ["privacy_notice.md", "privacy_notice.fields.yaml"] {
        std::fs::copy(
            repo().join("templates/hosted-homeserver").join(f),
            family.join(f),
        )
        .unwrap();
    }
    std::fs::write(
        family.join("sibling.md"),
        "---\ntitle: Sibling\nversion: 1.0.0\nfields:\n  - name: sibling_only\n    label: Sibling only\n---\n# Sibling\n\n{{ sibling_only }}\n",
    )
    .unwrap();
    let doc = family.join("privacy_notice.md");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example()).unwrap()).unwrap();
    v["values"]["sibling_only"] = "read by the sibling".into();
    let tenant = ws.join("tenants/acme.json");
    std::fs::write(&tenant, v.to_string()).unwrap();
    let rendered = ws.join("out.html");
    let published = ws.join("exports/acme/privacy_policy/en/privacy_notice.html");

    // A key only the sibling reads: both export.
    notice()
        .args([
            "render",
            doc.to_str().unwrap(),
            "--tenant",
            tenant.to_str().unwrap(),
        ])
        .arg("-o")
        .arg(&rendered)
        .assert()
        .success();
    notice()
        .args(["publish", ws.to_str().unwrap(), "--formats", "html"])
        .assert()
        .success();
    assert!(rendered.exists() && published.exists());

    // A key no document reads: both refuse, with the same code.
    std::fs::remove_file(&rendered).unwrap();
    std::fs::remove_dir_all(ws.join("exports")).unwrap();
    v["values"]["not_a_field"] = "x".into();
    std::fs::write(&tenant, v.to_string()).unwrap();
    let render = notice()
        .args([
            "render",
            doc.to_str().unwrap(),
            "--tenant",
            tenant.to_str().unwrap(),
        ])
        .arg("-o")
        .arg(&rendered)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&render.get_output().stderr).into_owned();
    assert!(stderr.contains("error[unknown-field]"), "{stderr}");
    assert!(stderr.contains("not_a_field"), "{stderr}");
    let publish = notice()
        .args(["publish", ws.to_str().unwrap(), "--formats", "html"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&publish.get_output().stdout).into_owned();
    assert!(stdout.contains("error[unknown-field]"), "{stdout}");
    assert!(stdout.contains("not_a_field"), "{stdout}");
    assert!(!rendered.exists() && !published.exists());
}
