//! One tenant exported by the app's command path, by `notice render` and by `notice publish`:
//! the same bytes and the same inputs hash, because all three are the engine's one export path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use notice_engine::export::ExportFormat;
use notice_engine::workspace::Workspace;
use notice_engine::workspace::publish::export_tenant;
use notice_engine::{NoticeTemplate, PdfSettings, TenantFile};

use super::export_for_tenant;
use crate::state::OpenTemplate;

/// Seconds since the epoch written into every export of the test.
const EPOCH: i64 = 1_700_000_000;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `notice` binary `cargo test --workspace` builds beside this test binary.
fn notice_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let bin = dir.join(format!("notice{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo test --workspace`, which builds the CLI",
        bin.display()
    );
    bin
}

/// `dcterms.identifier` of an exported HTML document: its inputs hash.
fn inputs_of(html: &str) -> String {
    let marker = "<meta name=\"dcterms.identifier\" content=\"sha256:";
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + 64].to_owned()
}

#[test]
fn app_cli_and_publish_export_the_same_bytes_and_inputs_hash() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let family = ws.join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(ws.join("tenants")).unwrap();
    let seed = repo().join("templates/hosted-homeserver");
    for entry in std::fs::read_dir(&seed).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") || name.ends_with(".fields.yaml") {
            std::fs::copy(&p, family.join(&name)).unwrap();
        }
    }
    let tenant_path = ws.join("tenants/acme.json");
    std::fs::copy(seed.join("example-tenant.json"), &tenant_path).unwrap();
    let doc_path = family.join("privacy_notice.md");
    let at = time::OffsetDateTime::from_unix_timestamp(EPOCH).unwrap();

    // The app: the open document with its family, as `open_template` sets it up.
    let current = Arc::new(NoticeTemplate::load(&doc_path).unwrap());
    let siblings: Vec<Arc<NoticeTemplate>> =
        ["consent.md", "privacy_notice.md", "subprocessors.md"]
            .iter()
            .map(|n| Arc::new(NoticeTemplate::load(&family.join(n)).unwrap()))
            .collect();
    let open = OpenTemplate::new(current.clone(), siblings);
    let (tenant, _) = TenantFile::load(&tenant_path).unwrap();
    let pdf = PdfSettings {
        tenant: Some(tenant.tenant.clone()),
        ..PdfSettings::default()
    };
    let app = export_for_tenant(
        &open,
        &tenant,
        ExportFormat::Html,
        false,
        at,
        &pdf,
        Some(tenant_path.to_str().unwrap()),
    )
    .unwrap();

    // The CLI: `notice render`, as a user runs it.
    let cli_out = ws.join("cli.html");
    let run = std::process::Command::new(notice_bin())
        .arg("render")
        .arg(&doc_path)
        .arg("--tenant")
        .arg(&tenant_path)
        .arg("-o")
        .arg(&cli_out)
        .env("SOURCE_DATE_EPOCH", EPOCH.to_string())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "notice render failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let cli = std::fs::read(&cli_out).unwrap();

    // Publish: the workspace's export of every document for the tenant.
    let workspace = Workspace::open(ws).unwrap();
    let acme = workspace.tenant("acme").unwrap();
    let result = export_tenant(
        &workspace,
        acme,
        &ws.join("exports"),
        &[ExportFormat::Html],
        at,
    );
    let published_path = result
        .written
        .iter()
        .find(|p| p.ends_with("privacy_notice.html"))
        .unwrap_or_else(|| panic!("publish wrote no privacy notice: {result:?}"));
    let published = std::fs::read(published_path).unwrap();
    let history = workspace.history().load().unwrap();
    let record = history
        .iter()
        .find(|r| r.document == "hosted-homeserver/privacy_notice")
        .unwrap();

    assert!(app.bytes == cli, "the app's and the CLI's exports differ");
    assert!(
        app.bytes == published,
        "the app's and publish's exports differ"
    );
    let cli_inputs = inputs_of(&String::from_utf8(cli).unwrap());
    assert_eq!(app.inputs_sha256, cli_inputs);
    assert_eq!(app.inputs_sha256, record.inputs_sha256);
    assert_eq!(app.sha256, record.sha256);
}
