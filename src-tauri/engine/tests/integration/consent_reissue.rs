//! Versions tied to consent, through re-issue: a minor bump of the bundled consent page replaces
//! the same `en/<version>.html` in place (users keep their acceptance), a major bump writes a
//! new version file and a new `user_consent.version` (the old file is kept), each recorded in the
//! manifest and the history; after the major bump the status drafts the server notice.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use notice_engine::export::ExportFormat;
use notice_engine::workspace::Workspace;
use notice_engine::workspace::consent::{
    CONSENT_URL_PLACEHOLDER, draft_server_notice, server_notices,
};
use notice_engine::workspace::publish::{export_tenant, reissue};
use notice_engine::workspace::status::{DocStatus, status};
use time::macros::datetime;

use crate::common;

/// A workspace holding the bundled consent page at 1.0.0 and the example tenant as `acme`.
fn workspace() -> tempfile::TempDir {
    let dir = common::seed_workspace(&["consent.md", "consent.fields.yaml"]);
    std::fs::copy(
        common::repo().join("templates/hosted-homeserver/example-tenant.json"),
        dir.path().join("tenants/acme.json"),
    )
    .unwrap();
    dir
}

/// Sets the consent page's version, and changes its text so the re-issued page differs.
fn bump(root: &Path, from: &str, to: &str, sentence: &str) {
    let path = root.join("templates/hosted-homeserver/consent.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(&format!("version: {from}"), &format!("version: {to}"), 1);
    std::fs::write(&path, format!("{text}\n{sentence}\n")).unwrap();
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn manifest(root: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str(&read(&root.join("exports/acme/manifest.json"))).unwrap()
}

/// The manifest's version for `file`.
fn listed(root: &Path, file: &str) -> Option<String> {
    manifest(root)
        .iter()
        .find(|m| m["file"] == file)
        .map(|m| m["version"].as_str().unwrap().to_owned())
}

#[test]
fn reissue_replaces_the_version_file_on_a_minor_bump_and_adds_one_on_a_major_bump() {
    let dir = workspace();
    let root = dir.path();
    let out = root.join("exports");
    let synapse = out.join("acme/synapse");
    let never = AtomicBool::new(false);

    let ws = Workspace::open(root).unwrap();
    let r = export_tenant(
        &ws,
        &ws.tenants[0],
        &out,
        &[ExportFormat::Html],
        datetime!(2026-01-01 0:00 UTC),
    );
    assert!(r.ok(), "{r:?}");
    let first = read(&synapse.join("en/1.0.html"));

    // Minor: the same file, replaced; no new version, no re-acceptance, no notice.
    bump(root, "1.0.0", "1.1.0", "A clarified sentence.");
    let ws = Workspace::open(root).unwrap();
    let table = status(&ws).unwrap();
    assert_eq!(
        table[0].documents[0].1,
        DocStatus::Outdated {
            exported: "1.0.0".into(),
            current: "1.1.0".into(),
            must_accept: false
        }
    );
    assert!(server_notices(&ws, &table).is_empty());
    let results = reissue(
        &ws,
        &out,
        &[ExportFormat::Html],
        datetime!(2026-02-01 0:00 UTC),
        &never,
        |_, _, _| {},
    )
    .unwrap();
    assert_eq!(results.len(), 1);
    assert!(results[0].ok(), "{:?}", results[0]);
    let minor = read(&synapse.join("en/1.0.html"));
    assert_ne!(minor, first);
    assert!(minor.contains("A clarified sentence."));
    assert!(!synapse.join("en/1.1.html").exists());
    let files: Vec<_> = std::fs::read_dir(synapse.join("en"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(read(&synapse.join("user_consent.yaml")).contains("version: \"1.0\""));
    assert_eq!(
        listed(root, "synapse/en/1.0.html").as_deref(),
        Some("1.1.0")
    );
    let history = ws.history().load().unwrap();
    let page_records: Vec<_> = history
        .iter()
        .filter(|h| h.path.ends_with("synapse/en/1.0.html"))
        .map(|h| h.version.as_str())
        .collect();
    assert_eq!(page_records, vec!["1.0.0", "1.1.0"]);
    let ws = Workspace::open(root).unwrap();
    assert!(matches!(
        status(&ws).unwrap()[0].documents[0].1,
        DocStatus::UpToDate { .. }
    ));

    // Major: a new file and a new user_consent.version; the old file stays as it was.
    bump(root, "1.1.0", "2.0.0", "A new obligation.");
    let ws = Workspace::open(root).unwrap();
    let table = status(&ws).unwrap();
    assert_eq!(
        table[0].documents[0].1,
        DocStatus::Outdated {
            exported: "1.1.0".into(),
            current: "2.0.0".into(),
            must_accept: true
        }
    );
    let notices = server_notices(&ws, &table);
    assert_eq!(notices.len(), 1);
    assert_eq!(
        (notices[0].tenant.as_str(), notices[0].document.as_str()),
        ("acme", "hosted-homeserver/consent")
    );
    assert_eq!(notices[0].consent_version, "2.0");
    let results = reissue(
        &ws,
        &out,
        &[ExportFormat::Html],
        datetime!(2026-03-01 0:00 UTC),
        &never,
        |_, _, _| {},
    )
    .unwrap();
    assert!(results[0].ok(), "{:?}", results[0]);
    let major = read(&synapse.join("en/2.0.html"));
    assert!(major.contains("A new obligation."));
    assert_eq!(read(&synapse.join("en/1.0.html")), minor);
    assert!(read(&synapse.join("user_consent.yaml")).contains("version: \"2.0\""));
    assert_eq!(
        listed(root, "synapse/en/2.0.html").as_deref(),
        Some("2.0.0")
    );
    assert_eq!(
        listed(root, "synapse/en/1.0.html").as_deref(),
        Some("1.1.0")
    );
    let history = ws.history().load().unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.path.ends_with("synapse/en/2.0.html") && h.version == "2.0.0")
    );
    assert!(history.iter().all(|h| h.format == "synapse"));
    let ws = Workspace::open(root).unwrap();
    let table = status(&ws).unwrap();
    assert!(matches!(
        table[0].documents[0].1,
        DocStatus::UpToDate { .. }
    ));
    assert!(server_notices(&ws, &table).is_empty());
}

#[test]
fn the_server_notice_draft_names_the_versions_and_the_consent_page() {
    let dir = workspace();
    let ws = Workspace::open(dir.path()).unwrap();
    let (doc, tenant) = (&ws.documents[0], &ws.tenants[0]);
    let d = draft_server_notice(doc, tenant, "1.4.0", "2.0.0");
    assert_eq!(d.consent_version, "2.0");
    assert!(d.url_known);
    assert_eq!(d.consent_url, "https://acme.ems.host/_matrix/consent");
    assert_eq!(
        d.body,
        "The Privacy notice, terms and code of conduct of acme.example.org have changed: \
         version 2.0 replaces version 1.0. What changed: [describe the changes since version \
         1.4.0]. To keep using acme.example.org, please review and accept the new version: \
         %(consent_uri)s"
    );

    // Without the homeserver's host the link is a placeholder to fill in.
    let mut unknown = tenant.clone();
    unknown.file.values.remove("our_server_fqdn");
    let d = draft_server_notice(doc, &unknown, "1.0.0", "2.0.0");
    assert!(!d.url_known);
    assert_eq!(d.consent_url, CONSENT_URL_PLACEHOLDER);
}
