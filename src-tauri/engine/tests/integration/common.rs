//! Paths and small builders shared by the integration tests.

use std::path::PathBuf;

use notice_engine::{FieldValue, NoticeTemplate, TenantValues};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/corpus/element-policies` beside the checkout.
pub fn corpus() -> PathBuf {
    repo().join("../shared/corpus/element-policies")
}

/// The shipped seed template (with its sidecar).
pub fn seed() -> NoticeTemplate {
    NoticeTemplate::load(&repo().join("templates/hosted-homeserver/privacy_notice.md")).unwrap()
}

/// Every seed field filled.
pub fn full_values() -> TenantValues {
    values(&[
        ("hhs_entity_name", "Acme Corporation Ltd"),
        ("hhs_admin_email", "dpo@acme.example.org"),
        ("hhs_name", "acme"),
        ("hhs_server_domain", "ems.host"),
        ("our_server_fqdn", "acme.ems.host"),
        ("their_server_name", "acme.example.org"),
    ])
}

pub fn values(pairs: &[(&str, &str)]) -> TenantValues {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), FieldValue::Text((*v).to_owned())))
        .collect()
}

/// An in-memory template with no include folder.
pub fn template(src: &str) -> NoticeTemplate {
    NoticeTemplate::from_source(std::path::Path::new("test.md"), src, None)
}

/// A workspace holding `files` of the seed family (templates and sidecars, copied from
/// `templates/hosted-homeserver`) and an empty `tenants` folder.
pub fn seed_workspace(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let family = dir.path().join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(dir.path().join("tenants")).unwrap();
    let seed = repo().join("templates/hosted-homeserver");
    for f in files {
        std::fs::copy(seed.join(f), family.join(f)).unwrap();
    }
    dir
}
