#![allow(clippy::unwrap_used)]
use super::*;
use crate::values::FieldValue;
use crate::workspace::History;

fn template(root: &Path) -> NoticeTemplate {
    let path = root.join("templates/family/notice.md");
    NoticeTemplate::from_source(
        &path,
        "---\ntitle: Notice\nversion: 1.0.0\n---\nHello {{ name }}.\n",
        None,
    )
}

fn answers(name: &str) -> TenantValues {
    TenantValues::from([("name".to_owned(), FieldValue::Text(name.to_owned()))])
}

fn record(inputs_sha256: &str, inputs_pack: Option<&str>) -> ExportRecord {
    ExportRecord {
        tenant: "acme".into(),
        document: "family/notice".into(),
        version: "1.0.0".into(),
        format: "html".into(),
        path: "exports/acme/notice.html".into(),
        sha256: "0".repeat(64),
        inputs_sha256: inputs_sha256.into(),
        time: "2026-12-02T00:00:00Z".into(),
        inputs_pack: inputs_pack.map(str::to_owned),
    }
}

/// Stages one export's inputs and its record, as publish does, and commits them.
fn export(root: &Path, staging: &Staging, sha: &str, name: &str) {
    stage(root, sha, &template(root), &answers(name), staging).unwrap();
    staging.record(record(sha, None));
}

#[test]
fn one_template_file_and_one_pack_per_commit_and_every_export_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let staging = Staging::new();
    for (sha, name) in [("a".repeat(64), "Ada"), ("b".repeat(64), "Bob")] {
        export(root, &staging, &sha, name);
    }
    staging.commit(&History::at(root)).unwrap();
    let count = |d: &str| {
        std::fs::read_dir(root.join(INPUTS_DIR).join(d))
            .unwrap()
            .count()
    };
    assert_eq!(
        count(TEMPLATES_DIR),
        1,
        "one template file for both exports"
    );
    assert_eq!(count(PACKS_DIR), 1, "one pack for the commit");
    let history = History::at(root).load().unwrap();
    assert_eq!(history.len(), 2);
    assert!(
        history
            .iter()
            .all(|r| r.inputs_pack == history[0].inputs_pack)
    );
    let (read, values) = load(root, &history[1]).unwrap().unwrap();
    assert_eq!(read.source, template(root).source);
    assert_eq!(read.content_hash, template(root).content_hash);
    assert_eq!(values, answers("Bob"));
    // A later export of the same template writes no template again: only its pack.
    let staging = Staging::new();
    export(root, &staging, &"c".repeat(64), "Cy");
    assert_eq!(staging.files_staged(), 0, "the pack is staged on commit");
    staging.commit(&History::at(root)).unwrap();
    assert_eq!(count(TEMPLATES_DIR), 1);
    assert_eq!(count(PACKS_DIR), 2);
    let last = History::at(root).load().unwrap().pop().unwrap();
    assert_eq!(load(root, &last).unwrap().unwrap().1, answers("Cy"));
}

#[test]
fn inputs_kept_in_a_file_of_their_own_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(INPUTS_DIR)).unwrap();
    let legacy = serde_json::json!({
        "template": "templates/family/notice.md",
        "source": "---\ntitle: Old\nversion: 0.9.0\n---\nHi {{ name }}.\n",
        "values": { "name": "Ada" },
    });
    std::fs::write(file(root, &"d".repeat(64)), legacy.to_string()).unwrap();
    let (t, values) = load(root, &record(&"d".repeat(64), None)).unwrap().unwrap();
    assert!(t.source.contains("Hi {{ name }}."));
    assert_eq!(values, answers("Ada"));
}

#[test]
fn names_that_are_no_hash_name_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(INPUTS_DIR)).unwrap();
    let forged = serde_json::json!({
        "template": "x.md",
        "template_sha256": "../../../../etc/passwd",
        "values": {},
    });
    std::fs::write(file(root, &"e".repeat(64)), forged.to_string()).unwrap();
    assert!(
        load(root, &record(&"e".repeat(64), None))
            .unwrap()
            .is_none()
    );
    let outside = record(&"e".repeat(64), Some("../../../../etc/passwd"));
    assert!(load(root, &outside).unwrap().is_none());
    assert!(load(root, &record("../x", None)).unwrap().is_none());
}

#[test]
fn a_pack_that_lacks_the_line_is_inputs_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let staging = Staging::new();
    export(root, &staging, &"a".repeat(64), "Ada");
    staging.commit(&History::at(root)).unwrap();
    let pack = History::at(root).load().unwrap()[0].inputs_pack.clone();
    let other = record(&"f".repeat(64), pack.as_deref());
    assert!(load(root, &other).unwrap().is_none());
}
