//! "Export all" says how far it is: a step per document and format (one for a consent page's
//! set of files), in order, then the end.

use crate::common;

use notice_engine::TenantFile;
use notice_engine::export::ExportFormat;
use notice_engine::workspace::Workspace;
use notice_engine::workspace::publish::export_tenant_reporting;

#[test]
fn export_all_reports_each_file_then_the_end() {
    let dir = common::seed_workspace(&[
        "privacy_notice.md",
        "privacy_notice.fields.yaml",
        "subprocessors.md",
        "consent.md",
        "consent.fields.yaml",
    ]);
    let root = dir.path();
    let seed = common::repo().join("templates/hosted-homeserver");
    let mut tenant = TenantFile::load(&seed.join("example-tenant.json"))
        .unwrap()
        .0;
    let extra = TenantFile::load(&seed.join("subprocessors.example-tenant.json"))
        .unwrap()
        .0;
    tenant.values.extend(extra.values);
    tenant.save(&root.join("tenants/acme.json")).unwrap();
    let ws = Workspace::open(root).unwrap();
    let formats = [ExportFormat::Html, ExportFormat::Md];
    let mut steps = Vec::new();
    let result = export_tenant_reporting(
        &ws,
        &ws.tenants[0],
        &root.join("exports"),
        &formats,
        time::OffsetDateTime::UNIX_EPOCH,
        |done, total, file| steps.push((done, total, file.to_owned())),
    );
    assert!(result.ok(), "{result:?}");

    let mut expected = Vec::new();
    for doc in &ws.documents {
        if doc.template.runtime.is_some() {
            expected.push(format!("{} (synapse)", doc.name));
        } else {
            for f in formats {
                expected.push(format!("{}.{}", doc.name, f.extension()));
            }
        }
    }
    let total = expected.len();
    assert_eq!(total, 5, "two documents in two formats, one consent page");
    let mut want: Vec<(usize, usize, String)> = expected
        .into_iter()
        .enumerate()
        .map(|(i, file)| (i, total, file))
        .collect();
    want.push((total, total, String::new()));
    assert_eq!(steps, want);
}
