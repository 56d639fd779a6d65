//! Workspaces built at test time from the corpus's privacy-notice history (read from
//! `../shared/corpus`, never copied into the project): statuses, export-all, re-issue after a
//! version bump, field migration from the 2018 fields to the 2020 fields, and redlines.

use crate::common;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use common::values;
use notice_engine::export::ExportFormat;
use notice_engine::workspace::migrate::{field_changes, migrate, plan_migration};
use notice_engine::workspace::publish::{export_tenant, reissue};
use notice_engine::workspace::redline::redline;
use notice_engine::workspace::status::{DocStatus, status};
use notice_engine::workspace::{History, Workspace};
use notice_engine::{NoticeTemplate, TenantFile};
use time::macros::datetime;

fn history_file(name: &str) -> String {
    std::fs::read_to_string(common::corpus().join("privacy-notice-history").join(name)).unwrap()
}

fn history_template(name: &str) -> NoticeTemplate {
    NoticeTemplate::load(&common::corpus().join("privacy-notice-history").join(name)).unwrap()
}

/// A workspace whose privacy notice is the 2019 text at `version`, with three tenants.
fn workspace(version: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let family = dir.path().join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(dir.path().join("tenants")).unwrap();
    set_template(dir.path(), "2019-09-23-55fb3ff.md", version);
    let tenant = |id: &str, name: &str, pairs: &[(&str, &str)]| {
        let mut t = TenantFile::new(name);
        t.values = values(pairs);
        t.save(&dir.path().join("tenants").join(format!("{id}.json")))
            .unwrap();
    };
    let base = |entity: &'static str, name: &'static str| {
        vec![
            ("hhs_entity_name", entity),
            ("hhs_admin_email", "dpo@example.org"),
            ("hhs_name", name),
            ("hhs_server_domain", "ems.host"),
        ]
    };
    tenant("acme", "Acme", &base("Acme Corporation Ltd", "acme"));
    tenant("globex", "Globex", &base("Globex Corporation", "globex"));
    tenant("initech", "Initech", &[("hhs_entity_name", "Initech")]);
    dir
}

fn set_template(root: &Path, history_name: &str, version: &str) {
    let text = history_file(history_name);
    let text = if text.starts_with("---\n") {
        text.replacen("version: 1.0.0", &format!("version: {version}"), 1)
    } else {
        format!("---\ntitle: Privacy Notice\nversion: {version}\n---\n{text}")
    };
    std::fs::write(
        root.join("templates/hosted-homeserver/privacy_notice.md"),
        text,
    )
    .unwrap();
}

fn state(ws: &Workspace, tenant: &str) -> DocStatus {
    status(ws)
        .unwrap()
        .into_iter()
        .find(|r| r.tenant == tenant)
        .unwrap()
        .documents[0]
        .1
        .clone()
}

#[test]
fn statuses_export_all_and_reissue_after_a_major_bump() {
    let dir = workspace("1.0.0");
    let root = dir.path();
    let out = root.join("exports");
    let ws = Workspace::open(root).unwrap();
    assert_eq!(ws.documents.len(), 1);
    assert_eq!(ws.tenants.len(), 3);
    assert_eq!(state(&ws, "acme"), DocStatus::NeverExported);
    assert!(matches!(state(&ws, "initech"), DocStatus::Problems { errors } if errors > 0));

    let at = datetime!(2026-11-27 10:00 UTC);
    for id in ["acme", "globex"] {
        let r = export_tenant(
            &ws,
            ws.tenant(id).unwrap(),
            &out,
            &[ExportFormat::Html, ExportFormat::Pdf],
            at,
        );
        assert!(r.ok(), "{r:?}");
        assert_eq!(r.written.len(), 2);
    }
    let html = out.join("acme/privacy_policy/en/privacy_notice.html");
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("Acme Corporation Ltd")
    );
    assert!(
        out.join("acme/privacy_policy/en/privacy_notice.pdf")
            .is_file()
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("acme/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest.as_array().unwrap().len(), 2);
    assert_eq!(manifest[0]["file"], "privacy_policy/en/privacy_notice.html");
    assert_eq!(manifest[0]["version"], "1.0.0");
    assert_eq!(manifest[0]["template"], "hosted-homeserver/privacy_notice");
    let on_disk = std::fs::read(&html).unwrap();
    assert_eq!(
        manifest[0]["sha256"].as_str().unwrap(),
        hex_sha256(&on_disk),
        "the manifest's hash is the file's"
    );
    let records = History::at(root).load().unwrap();
    assert_eq!(records.len(), 4);
    assert_eq!(
        records[0].path,
        "exports/acme/privacy_policy/en/privacy_notice.html"
    );
    assert_eq!(
        state(&ws, "acme"),
        DocStatus::UpToDate {
            version: "1.0.0".into()
        }
    );

    // The tenant's answers change: exported at this version, but changed since.
    let mut acme = ws.tenant("acme").unwrap().file.clone();
    acme.values = values(&[
        ("hhs_entity_name", "Acme Holdings plc"),
        ("hhs_admin_email", "dpo@example.org"),
        ("hhs_name", "acme"),
        ("hhs_server_domain", "ems.host"),
    ]);
    acme.save(&root.join("tenants/acme.json")).unwrap();
    let ws = Workspace::open(root).unwrap();
    assert!(matches!(state(&ws, "acme"), DocStatus::Changed { .. }));

    // A minor bump: outdated, no re-acceptance.
    set_template(root, "2019-09-23-55fb3ff.md", "1.1.0");
    let ws = Workspace::open(root).unwrap();
    assert_eq!(
        state(&ws, "globex"),
        DocStatus::Outdated {
            exported: "1.0.0".into(),
            current: "1.1.0".into(),
            must_accept: false
        }
    );
    // The 2020 text at 2.0.0: a major bump, users must accept again.
    set_template(root, "2020-08-24-3e76a56.md", "2.0.0");
    let ws = Workspace::open(root).unwrap();
    assert!(matches!(
        state(&ws, "globex"),
        DocStatus::Outdated {
            must_accept: true,
            ..
        }
    ));

    // Give acme the 2020 fields; globex lacks them, so its re-issue reports the problems.
    let mut acme = ws.tenant("acme").unwrap().file.clone();
    acme.values.extend(values(&[
        ("our_server_fqdn", "acme.ems.host"),
        ("their_server_name", "acme.example.org"),
    ]));
    acme.save(&root.join("tenants/acme.json")).unwrap();
    let ws = Workspace::open(root).unwrap();
    let mut seen = Vec::new();
    let results = reissue(
        &ws,
        &out,
        &[ExportFormat::Html],
        at,
        &AtomicBool::new(false),
        |done, total, t| seen.push((done, total, t.to_owned())),
    )
    .unwrap();
    assert_eq!(
        results.len(),
        2,
        "initech was never exported, so not outdated"
    );
    let acme = results.iter().find(|r| r.tenant == "acme").unwrap();
    assert!(acme.ok(), "{acme:?}");
    let globex = results.iter().find(|r| r.tenant == "globex").unwrap();
    assert!(!globex.ok());
    assert!(
        globex.problems[0]
            .1
            .iter()
            .any(|d| d.field.as_deref() == Some("our_server_fqdn"))
    );
    assert_eq!(seen.last().unwrap().0, 2);
    let ws = Workspace::open(root).unwrap();
    assert_eq!(
        state(&ws, "acme"),
        DocStatus::UpToDate {
            version: "2.0.0".into()
        }
    );

    // Cancelled before the first tenant: nothing happens.
    let none = reissue(
        &ws,
        &out,
        &[ExportFormat::Html],
        at,
        &AtomicBool::new(true),
        |_, _, _| {},
    )
    .unwrap();
    assert!(none.is_empty());
}

#[test]
fn a_failed_write_records_nothing_and_keeps_the_history() {
    let dir = workspace("1.0.0");
    let root = dir.path();
    let ws = Workspace::open(root).unwrap();
    let out = root.join("exports");
    let at = datetime!(2026-11-27 10:00 UTC);
    assert!(
        export_tenant(
            &ws,
            ws.tenant("acme").unwrap(),
            &out,
            &[ExportFormat::Html],
            at
        )
        .ok()
    );
    let before = std::fs::read(History::at(root).path()).unwrap();
    // A file where globex's folder should go: the export cannot be written.
    std::fs::write(out.join("globex"), "in the way").unwrap();
    let r = export_tenant(
        &ws,
        ws.tenant("globex").unwrap(),
        &out,
        &[ExportFormat::Html],
        at,
    );
    assert!(r.failure.is_some());
    assert_eq!(std::fs::read(History::at(root).path()).unwrap(), before);
}

#[test]
fn migrating_a_tenant_from_the_2018_fields_to_the_2020_fields() {
    let old = history_template("2018-08-02-3625991.md");
    let new = history_template("2020-08-24-3e76a56.md");
    let c = field_changes(&old, &new);
    for f in [
        "policy_homeserver",
        "policy_owner_name",
        "policy_owner_contact_details",
    ] {
        assert!(c.dropped.iter().any(|d| d == f), "{f} dropped: {c:?}");
    }
    for f in ["hhs_entity_name", "our_server_fqdn", "their_server_name"] {
        assert!(c.added.iter().any(|a| a == f), "{f} added: {c:?}");
    }
    let tenant_2018 = values(&[
        ("policy_homeserver", "acme.ems.host"),
        ("policy_owner_name", "Acme Corporation Ltd"),
        ("policy_owner_contact_details", "dpo@acme.example.org"),
    ]);
    let mapping: Vec<(String, String)> = [
        ("policy_owner_name", "hhs_entity_name"),
        ("policy_owner_contact_details", "hhs_admin_email"),
        ("policy_homeserver", "our_server_fqdn"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    let mut migrated = migrate(&tenant_2018, &mapping);
    assert!(!migrated.contains_key("policy_owner_name"));
    assert_eq!(
        migrated.get("hhs_entity_name").unwrap().as_text(),
        "Acme Corporation Ltd"
    );
    migrated.extend(values(&[
        ("hhs_name", "acme"),
        ("hhs_server_domain", "ems.host"),
        ("their_server_name", "acme.example.org"),
    ]));
    let html = notice_engine::export_html(
        &new,
        &migrated,
        notice_engine::ExportOptions {
            draft: false,
            rendered_at: datetime!(2026-11-27 10:00 UTC),
            approval: None,
        },
    )
    .unwrap()
    .html;
    assert!(html.contains("Acme Corporation Ltd") && html.contains("dpo@acme.example.org"));

    // Between two 2018 revisions the domain field was renamed: the names alone suggest it.
    let a = history_template("2018-08-23-6c451a9.md");
    let b = history_template("2018-08-29-4820f8a.md");
    let c = field_changes(&a, &b);
    assert!(
        c.suggested.contains(&(
            "hhs_client_domain".to_owned(),
            "hhs_server_domain".to_owned()
        )),
        "{c:?}"
    );

    // A tenant file from 2018-08-23 opened on the 2018-08-29 template: its domain answer is an
    // orphan, and the plan points it at the renamed field, which is still open.
    let old_answers = values(&[
        ("hhs_entity_name", "Acme Corporation Ltd"),
        ("hhs_client_domain", "acme.example.org"),
    ]);
    let plan = plan_migration(&b, &old_answers);
    assert_eq!(plan.orphans.len(), 1, "{plan:?}");
    assert_eq!(plan.orphans[0].name, "hhs_client_domain");
    assert_eq!(
        plan.orphans[0].suggested.as_deref(),
        Some("hhs_server_domain")
    );
    assert!(plan.open_fields.contains(&"hhs_server_domain".to_owned()));
    assert!(!plan.open_fields.contains(&"hhs_entity_name".to_owned()));
    let moved = migrate(
        &old_answers,
        &[("hhs_client_domain".into(), "hhs_server_domain".into())],
    );
    assert!(plan_migration(&b, &moved).orphans.is_empty());
}

#[test]
fn redline_between_versions_and_between_values() {
    let old = history_template("2019-09-23-55fb3ff.md");
    let new = history_template("2020-08-24-ff15412.md");
    let v = values(&[
        ("hhs_entity_name", "Acme Corporation Ltd"),
        ("hhs_admin_email", "dpo@example.org"),
        ("hhs_name", "acme"),
        ("hhs_server_domain", "ems.host"),
        ("our_server_fqdn", "acme.ems.host"),
        ("their_server_name", "acme.example.org"),
    ]);
    let r = redline(&old, &v, &new, &v);
    assert!(r.clause_changed && !r.values_changed, "{}", r.summary());
    assert!(r.inserted_words > 0);
    assert!(r.html.contains("<ins>") && r.html.contains("<details class=\"folded\">"));
    assert!(r.text.contains("{+"));
    assert!(
        !r.text.contains("\n# ") && !r.text.contains("\\!") && !r.text.starts_with('#'),
        "a redline shows what the customer reads, not Markdown syntax"
    );

    let mut v2 = v.clone();
    v2.extend(values(&[("hhs_entity_name", "Acme Holdings plc")]));
    let r = redline(&new, &v, &new, &v2);
    assert!(!r.clause_changed && r.values_changed);
    assert_eq!(r.summary(), "only the tenant's values changed");
    assert!(
        r.html.contains("<del>Corporation Ltd</del>") || r.html.contains("<del>Corporation</del>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<ins>Holdings plc</ins>") || r.html.contains("<ins>Holdings</ins>"),
        "{}",
        r.html
    );

    let same = redline(&new, &v, &new, &v);
    assert_eq!(same.summary(), "no change");
    assert_eq!(same.inserted_words + same.deleted_words, 0);
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn new_duplicate_rename_and_delete_tenants() {
    let dir = workspace("1.0.0");
    let root = dir.path();
    let ws = Workspace::open(root).unwrap();
    let at = datetime!(2026-11-27 10:00 UTC);
    assert!(
        export_tenant(
            &ws,
            ws.tenant("acme").unwrap(),
            &root.join("exports"),
            &[ExportFormat::Html],
            at
        )
        .ok()
    );

    // New: an answer slot for every field of the family, under a free id.
    let hooli = ws.create_tenant("  Hooli XYZ ").unwrap();
    assert_eq!(hooli.id, "hooli-xyz");
    assert_eq!(hooli.file.tenant, "Hooli XYZ");
    let fields: Vec<&str> = ws.documents[0]
        .template
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    let mut keys: Vec<&str> = hooli.file.values.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut want = fields.clone();
    want.sort_unstable();
    assert_eq!(keys, want);
    assert_eq!(ws.create_tenant("Hooli XYZ").unwrap().id, "hooli-xyz-2");
    assert!(ws.create_tenant(" \t").is_err(), "a tenant needs a name");

    // Duplicate: the answers, under a new name and id; the source untouched.
    let acme_before = std::fs::read(root.join("tenants/acme.json")).unwrap();
    let copy = ws
        .duplicate_tenant(ws.tenant("acme").unwrap(), "Acme")
        .unwrap();
    assert_eq!(copy.id, "acme-2");
    assert_eq!(copy.file.values, ws.tenant("acme").unwrap().file.values);
    assert_eq!(
        std::fs::read(root.join("tenants/acme.json")).unwrap(),
        acme_before
    );

    // Rename: the name changes; the id, file and export history stay attached.
    let renamed = ws
        .rename_tenant(ws.tenant("acme").unwrap(), "Acme Holdings")
        .unwrap();
    assert_eq!(renamed.id, "acme");
    let ws = Workspace::open(root).unwrap();
    assert_eq!(ws.tenant("acme").unwrap().file.tenant, "Acme Holdings");
    assert!(matches!(state(&ws, "acme"), DocStatus::UpToDate { .. }));

    // Delete: the file goes; exports and history stay, other tenants are untouched.
    ws.delete_tenant(ws.tenant("globex").unwrap()).unwrap();
    let ws = Workspace::open(root).unwrap();
    assert!(ws.tenant("globex").is_none());
    assert_eq!(ws.tenants.len(), 5);
    assert!(
        root.join("exports/acme/privacy_policy/en/privacy_notice.html")
            .is_file()
    );
    assert_eq!(History::at(root).load().unwrap().len(), 1);
}

#[test]
fn two_windows_appending_to_one_history_lose_no_record() {
    let dir = workspace("1.0.0");
    let root = dir.path().to_owned();
    let record = |tenant: &str, i: usize| notice_engine::workspace::ExportRecord {
        tenant: tenant.to_owned(),
        ..sample_record(i)
    };
    // Two writers, as two app windows on one workspace would be, each with its own handle.
    std::thread::scope(|s| {
        for tenant in ["acme", "globex"] {
            let root = &root;
            s.spawn(move || {
                let h = History::at(root);
                for i in 0..200 {
                    h.append(&record(tenant, i)).unwrap();
                }
            });
        }
    });
    let records = History::at(&root).load().unwrap();
    assert_eq!(records.len(), 400, "every record, none torn");
    for tenant in ["acme", "globex"] {
        let seq: Vec<String> = records
            .iter()
            .filter(|r| r.tenant == tenant)
            .map(|r| r.sha256.clone())
            .collect();
        let want: Vec<String> = (0..200).map(|i| format!("{i:064x}")).collect();
        assert_eq!(seq, want, "{tenant}'s records in order");
    }
}

fn sample_record(i: usize) -> notice_engine::workspace::ExportRecord {
    notice_engine::workspace::ExportRecord {
        tenant: String::new(),
        document: "hosted-homeserver/privacy_notice".into(),
        version: "1.0.0".into(),
        format: "html".into(),
        path: format!("exports/{i}.html"),
        sha256: format!("{i:064x}"),
        inputs_sha256: String::new(),
        time: "2026-11-27T10:00:00Z".into(),
        inputs_pack: None,
    }
}

#[test]
fn a_family_asks_each_field_once_and_checks_each_document_with_its_own_answers() {
    use notice_engine::template::answers::answers_for;
    use notice_engine::workspace::family::{family_paths, union_fields};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let family = root.join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    let corpus = common::corpus().join("hosted-homeserver");
    // The seed, whose fields file declares its fields, beside two siblings that declare none.
    let seed = common::repo().join("templates/hosted-homeserver");
    for f in ["privacy_notice.md", "privacy_notice.fields.yaml"] {
        std::fs::copy(seed.join(f), family.join(f)).unwrap();
    }
    for doc in ["exceptional_erasure_policy", "terms_and_conditions"] {
        // Copied at test time into a temporary workspace, never into the project.
        std::fs::copy(
            corpus.join(format!("{doc}.md")),
            family.join(format!("{doc}.md")),
        )
        .unwrap();
    }
    let privacy_path = family.join("privacy_notice.md");
    let paths = family_paths(root, &privacy_path).unwrap().unwrap();
    assert_eq!(paths.len(), 3);
    assert!(
        family_paths(root, &corpus.join("privacy_notice.md"))
            .unwrap()
            .is_none(),
        "a template outside the workspace's templates/ has no family"
    );

    let docs: Vec<NoticeTemplate> = paths
        .iter()
        .map(|p| NoticeTemplate::load(p).unwrap())
        .collect();
    let union = union_fields(&docs);
    let names: Vec<&str> = union.iter().map(|f| f.name.as_str()).collect();
    for shared_or_own in [
        "hhs_entity_name",
        "their_server_name",
        "their_client_fqdn",
        "code_of_conduct_uri",
    ] {
        assert_eq!(
            names.iter().filter(|n| **n == shared_or_own).count(),
            1,
            "{shared_or_own} once in {names:?}"
        );
    }

    // The seed's fields file declares hhs_entity_name; a sibling only infers it from its name.
    let declared = privacy_field(&docs, &privacy_path, "hhs_entity_name");
    let entity = union.iter().find(|f| f.name == "hhs_entity_name").unwrap();
    assert_eq!(entity.label, declared.label, "the declared label wins");
    assert_ne!(
        entity.label, "HHS entity name",
        "not the label inferred from the name"
    );

    let answers = values(&[
        ("hhs_entity_name", "Acme Corporation Ltd"),
        ("their_client_fqdn", "chat.acme.example.org"),
        ("code_of_conduct_uri", "https://acme.example.org/coc"),
        ("hhs_entity_nmae", "typo"),
    ]);
    let privacy = docs.iter().find(|d| d.path == privacy_path).unwrap();
    let mine = answers_for(privacy, &docs, &answers);
    assert!(mine.contains_key("hhs_entity_name"));
    assert!(
        !mine.contains_key("their_client_fqdn") && !mine.contains_key("code_of_conduct_uri"),
        "a sibling's answers are not the privacy notice's"
    );
    let unknown: Vec<String> = notice_engine::check_notice(privacy, &mine)
        .into_iter()
        .filter(|d| d.code == notice_engine::Code::UnknownField)
        .filter_map(|d| d.field)
        .collect();
    assert_eq!(
        unknown,
        vec!["hhs_entity_nmae".to_owned()],
        "only the typo is unknown"
    );
}

fn privacy_field(docs: &[NoticeTemplate], path: &Path, name: &str) -> notice_engine::Field {
    docs.iter()
        .find(|d| d.path == path)
        .and_then(|d| d.field(name))
        .cloned()
        .unwrap()
}

#[test]
fn a_redline_since_the_last_export_compares_what_the_customer_received() {
    use notice_engine::workspace::redline::{SinceExport, since_last_export};
    let dir = workspace("1.0.0");
    let root = dir.path();
    let ws = Workspace::open(root).unwrap();
    let at = datetime!(2026-11-27 10:00 UTC);
    let acme = ws.tenant("acme").unwrap();
    assert!(export_tenant(&ws, acme, &root.join("exports"), &[ExportFormat::Html], at).ok());
    let history = History::at(root).load().unwrap();
    let doc = &ws.documents[0];

    // Only the tenant's answers changed since.
    let mut now = acme.file.values.clone();
    now.extend(values(&[("hhs_entity_name", "Acme Holdings plc")]));
    match since_last_export(root, &history, "acme", &doc.id, &doc.template, &now).unwrap() {
        SinceExport::Redline(rec, r) => {
            assert_eq!(rec.version, "1.0.0");
            assert!(r.values_changed && !r.clause_changed, "{}", r.text);
            assert!(r.text.contains("{+Holdings+}"), "{}", r.text);
        }
        other => panic!("expected a redline, got {other:?}"),
    }

    // A new version of the template on disk: its clause text changed since the export.
    set_template(root, "2020-08-24-ff15412.md", "2.0.0");
    let ws2 = Workspace::open(root).unwrap();
    let doc2 = &ws2.documents[0];
    match since_last_export(
        root,
        &history,
        "acme",
        &doc2.id,
        &doc2.template,
        &acme.file.values,
    )
    .unwrap()
    {
        SinceExport::Redline(_, r) => assert!(r.clause_changed),
        other => panic!("expected a redline, got {other:?}"),
    }

    assert!(matches!(
        since_last_export(root, &history, "globex", &doc.id, &doc.template, &now).unwrap(),
        SinceExport::NeverExported
    ));
    std::fs::remove_dir_all(root.join(notice_engine::workspace::inputs::INPUTS_DIR)).unwrap();
    assert!(matches!(
        since_last_export(root, &history, "acme", &doc.id, &doc.template, &now).unwrap(),
        SinceExport::InputsNotKept(_)
    ));
}

#[test]
fn a_status_reports_its_progress_once_per_tenant_up_to_the_total() {
    let dir = workspace("1.0.0");
    let ws = Workspace::open(dir.path()).unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let rows = notice_engine::workspace::status::status_reporting(&ws, &|done, total| {
        seen.lock().unwrap().push((done, total));
    })
    .unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    let total = ws.tenants.len();
    assert!(total >= 2);
    assert_eq!(seen, (1..=total).map(|d| (d, total)).collect::<Vec<_>>());
    let again = status(&ws).unwrap();
    let cells = |r: &[notice_engine::workspace::status::TenantStatus]| {
        r.iter()
            .map(|t| (t.tenant.clone(), t.documents.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        cells(&rows),
        cells(&again),
        "the same table as without progress"
    );
}
