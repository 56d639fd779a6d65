//! The status cache never changes a status: over random sequences of template edits, answer
//! edits, exports and damaged cache files, the cached status equals one rendered from scratch.

use std::path::Path;

use notice_engine::TenantFile;
use notice_engine::export::ExportFormat;
use notice_engine::workspace::Workspace;
use notice_engine::workspace::publish::export_tenant;
use notice_engine::workspace::status::{TenantStatus, fresh_status, status};
use notice_engine::workspace::status_cache::{CACHE_FILE, NOTICE_DIR};
use proptest::prelude::*;
use time::macros::datetime;

use crate::common::values;

const DOCS: [&str; 2] = ["notice", "terms"];
const TENANTS: [&str; 3] = ["tenant-1", "tenant-2", "tenant-10"];
const KEYS: [&str; 3] = ["entity", "email", "domain"];

#[derive(Debug, Clone)]
enum Edit {
    /// Rewrites document `doc` at `version` with a body reading `reads` of [`KEYS`].
    Template {
        doc: usize,
        version: u8,
        reads: Vec<usize>,
        typo: bool,
    },
    /// Sets (or, with `None`, removes) one answer of one tenant.
    Value {
        tenant: usize,
        key: usize,
        value: Option<String>,
    },
    Export {
        tenant: usize,
    },
    /// Damages the cache file in one of several ways.
    Corrupt(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (
            0..DOCS.len(),
            1u8..4,
            prop::collection::vec(0..KEYS.len(), 0..4),
            any::<bool>()
        )
            .prop_map(|(doc, version, reads, typo)| Edit::Template {
                doc,
                version,
                reads,
                typo
            }),
        (
            0..TENANTS.len(),
            0..KEYS.len(),
            prop::option::of("[a-z]{1,6}(@example\\.org)?")
        )
            .prop_map(|(tenant, key, value)| Edit::Value { tenant, key, value }),
        (0..TENANTS.len()).prop_map(|tenant| Edit::Export { tenant }),
        (0u8..4).prop_map(Edit::Corrupt),
    ]
}

fn write_template(root: &Path, doc: usize, version: u8, reads: &[usize], typo: bool) {
    let mut body = format!(
        "---\ntitle: {}\nversion: {version}.0.0\n---\n# Terms\n\n",
        DOCS[doc]
    );
    for &k in reads {
        body.push_str(&format!("The {} is {{{{ {} }}}}.\n\n", KEYS[k], KEYS[k]));
    }
    if typo {
        // A placeholder the tenant files never answer: an error until a value appears.
        body.push_str("Contact {{ contcat }}.\n");
    }
    let family = root.join("templates/fam");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::write(family.join(format!("{}.md", DOCS[doc])), body).unwrap();
}

fn set_value(root: &Path, tenant: usize, key: usize, value: Option<&str>) {
    let path = root
        .join("tenants")
        .join(format!("{}.json", TENANTS[tenant]));
    let mut file = match TenantFile::load(&path) {
        Ok((f, _)) => f,
        Err(_) => TenantFile::new(format!("Tenant {}", tenant + 1)),
    };
    match value {
        Some(v) => {
            file.values.extend(values(&[(KEYS[key], v)]));
        }
        None => {
            file.values.remove(KEYS[key]);
        }
    }
    file.save(&path).unwrap();
}

fn cells(rows: &[TenantStatus]) -> Vec<(String, String, String)> {
    rows.iter()
        .flat_map(|r| {
            r.documents
                .iter()
                .map(|(d, s)| (r.tenant.clone(), d.clone(), format!("{s:?}")))
        })
        .collect()
}

fn apply(root: &Path, e: &Edit) {
    match e {
        Edit::Template {
            doc,
            version,
            reads,
            typo,
        } => write_template(root, *doc, *version, reads, *typo),
        Edit::Value { tenant, key, value } => set_value(root, *tenant, *key, value.as_deref()),
        Edit::Export { tenant } => {
            let ws = Workspace::open(root).unwrap();
            let t = ws.tenant(TENANTS[*tenant]).unwrap();
            let at = datetime!(2026-12-01 12:00 UTC);
            export_tenant(&ws, t, &root.join("exports"), &[ExportFormat::Html], at);
        }
        Edit::Corrupt(kind) => {
            std::fs::create_dir_all(root.join(NOTICE_DIR)).unwrap();
            let file = root.join(NOTICE_DIR).join(CACHE_FILE);
            match kind {
                0 => std::fs::write(&file, b"{\"format\":1,\"engi").unwrap(),
                1 => std::fs::write(&file, b"\xff\xfe not json").unwrap(),
                2 => std::fs::write(&file, b"[]").unwrap(),
                _ => {
                    let _ = std::fs::remove_file(&file);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn cached_and_fresh_statuses_are_identical(edits in prop::collection::vec(edit(), 1..14)) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for doc in 0..DOCS.len() {
            write_template(root, doc, 1, &[0, 1], false);
        }
        std::fs::create_dir_all(root.join("tenants")).unwrap();
        for t in 0..TENANTS.len() {
            set_value(root, t, 0, Some("Acme"));
        }
        for e in &edits {
            apply(root, e);
            let ws = Workspace::open(root).unwrap();
            let cached = status(&ws).unwrap();
            let fresh = fresh_status(&ws).unwrap();
            prop_assert_eq!(cells(&cached), cells(&fresh), "after {:?}", e);
            // The cache was written back whole, so the next status reads it.
            let text = std::fs::read_to_string(root.join(NOTICE_DIR).join(CACHE_FILE)).unwrap();
            prop_assert!(text.contains("\"verdicts\""), "{}", text);
        }
    }
}
