//! Approve, then tamper: every change to what was approved is detected and named.

use std::path::Path;

use time::macros::datetime;

use super::*;
use crate::values::FieldValue;

const SRC: &str = "---\ntitle: Notice for {{ entity }}\nversion: 1.2.0\n---\n# Notice for {{ entity }}\n\nContact {{ email }} at **{{ host }}**.\n";

fn template(src: &str) -> NoticeTemplate {
    NoticeTemplate::from_source(Path::new("hosting/notice.md"), src, None)
}

fn values(entity: &str) -> TenantValues {
    [
        ("entity", entity),
        ("email", "dpo@acme.example"),
        ("host", "acme.example"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), FieldValue::Text(v.to_owned())))
    .collect()
}

fn key(name: &str) -> ReviewerKey {
    ReviewerKey::generate(Reviewer {
        name: name.into(),
        email: format!("{}@example.org", name.to_lowercase()),
    })
    .unwrap()
}

fn trusting(keys: &[&ReviewerKey]) -> TrustedReviewers {
    let text: String = keys.iter().map(|k| k.public_line() + "\n").collect();
    TrustedReviewers::parse(&text, None)
}

fn subject<'a>(tenant: &'a str, t: &'a NoticeTemplate, v: &'a TenantValues) -> Subject<'a> {
    Subject {
        tenant,
        template: t,
        values: v,
    }
}

fn status_of(a: &Approval, trusted: &TrustedReviewers, s: Subject<'_>) -> ApprovalStatus {
    status(Some((a, &Seal::of(a, trusted))), s)
}

const AT: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

#[test]
fn an_untouched_approval_holds() {
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let a = approve(&jane, subject("acme", &t, &v), AT).unwrap();
    assert_eq!(a.version, "1.2.0");
    assert_eq!(a.approved_at, "2026-11-27T10:00:00Z");
    let st = status_of(&a, &trusting(&[&jane]), subject("acme", &t, &v));
    assert!(st.is_approved(), "{st:?}");
    assert_eq!(
        st.summary(),
        "approved by Jane <jane@example.org> on 2026-11-27T10:00:00Z"
    );
    assert_eq!(
        status(None, subject("acme", &t, &v)),
        ApprovalStatus::NotApproved
    );
}

#[test]
fn one_changed_value_is_named() {
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let a = approve(&jane, subject("acme", &t, &v), AT).unwrap();
    let changed = values("Acme Holdings Ltd");
    match status_of(&a, &trusting(&[&jane]), subject("acme", &t, &changed)) {
        ApprovalStatus::Changed {
            reasons, fields, ..
        } => {
            assert_eq!(fields, ["entity"]);
            assert_eq!(reasons, ["the value of `entity` changed"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_value_only_a_sibling_reads_changes_nothing() {
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let a = approve(&jane, subject("acme", &t, &v), AT).unwrap();
    let mut more = v.clone();
    more.insert("terms_only_field".into(), FieldValue::Text("x".into()));
    let siblings = std::collections::BTreeSet::from(["terms_only_field".to_owned()]);
    let mine = crate::template::answers::answers(&more, &siblings);
    assert!(status_of(&a, &trusting(&[&jane]), subject("acme", &t, &mine)).is_approved());
}

#[test]
fn one_changed_byte_of_the_template_is_detected() {
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let a = approve(&jane, subject("acme", &t, &v), AT).unwrap();
    let edited = template(&SRC.replace("Contact", "contact"));
    match status_of(&a, &trusting(&[&jane]), subject("acme", &edited, &v)) {
        ApprovalStatus::Changed { reasons, .. } => {
            assert_eq!(
                reasons,
                ["the template's text changed (version 1.2.0 both times)"]
            );
        }
        other => panic!("{other:?}"),
    }
    let bumped = template(&SRC.replace("1.2.0", "1.3.0"));
    let st = status_of(&a, &trusting(&[&jane]), subject("acme", &bumped, &v));
    assert!(
        st.summary().contains("from version 1.2.0 to 1.3.0"),
        "{}",
        st.summary()
    );
}

#[test]
fn an_approval_copied_onto_another_tenant_is_invalid() {
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let a = approve(&jane, subject("acme", &t, &v), AT).unwrap();
    // Same values, other tenant: still not its approval.
    match status_of(&a, &trusting(&[&jane]), subject("globex", &t, &v)) {
        ApprovalStatus::Invalid { reason } => {
            assert!(reason.contains("tenant `acme`, not `globex`"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // Rewriting the tenant inside the approval breaks the signature.
    let mut forged = a.clone();
    forged.tenant = "globex".into();
    match status_of(&forged, &trusting(&[&jane]), subject("globex", &t, &v)) {
        ApprovalStatus::Invalid { reason } => {
            assert!(reason.contains("signature does not match"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_signature_by_an_untrusted_key_is_named() {
    let (t, v, jane, mallory) = (
        template(SRC),
        values("Acme Ltd"),
        key("Jane"),
        key("Mallory"),
    );
    let a = approve(&mallory, subject("acme", &t, &v), AT).unwrap();
    match status_of(&a, &trusting(&[&jane]), subject("acme", &t, &v)) {
        ApprovalStatus::Untrusted {
            reviewer,
            fingerprint: fp,
            ..
        } => {
            assert_eq!(reviewer.name, "Mallory");
            assert_eq!(fp, fingerprint(&mallory.public_key()));
        }
        other => panic!("{other:?}"),
    }
    // Claiming to be Jane with Mallory's key changes nothing: trust is by key.
    let mut claim = a.clone();
    claim.reviewer = jane.reviewer.clone();
    claim.signature = mallory.sign(&digest::approval_digest(&claim));
    assert!(matches!(
        status_of(&claim, &trusting(&[&jane]), subject("acme", &t, &v)),
        ApprovalStatus::Untrusted { .. }
    ));
}

#[test]
fn edited_approved_values_break_the_signature() {
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let mut a = approve(&jane, subject("acme", &t, &v), AT).unwrap();
    a.approved_at = "2026-01-01T00:00:00Z".into();
    assert!(matches!(
        status_of(&a, &trusting(&[&jane]), subject("acme", &t, &v)),
        ApprovalStatus::Invalid { .. }
    ));
}

#[test]
fn a_document_with_errors_cannot_be_approved() {
    let (t, jane) = (template(SRC), key("Jane"));
    let mut v = values("Acme Ltd");
    v.remove("host");
    let e = approve(&jane, subject("acme", &t, &v), AT).unwrap_err();
    assert_eq!(e.kind(), "refused");
}

#[test]
fn approvals_are_kept_beside_the_tenant_one_per_template() {
    let dir = tempfile::tempdir().unwrap();
    let tenant = dir.path().join("acme.json");
    assert_eq!(
        store::approvals_path(&tenant),
        dir.path().join("acme.approvals.json")
    );
    assert!(store::load(&tenant).unwrap().is_empty());
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let first = approve(&jane, subject("acme", &t, &v), AT).unwrap();
    store::save(&tenant, &first).unwrap();
    let other_doc = NoticeTemplate::from_source(
        Path::new("hosting/terms.md"),
        &SRC.replace("Notice", "Terms"),
        None,
    );
    let terms = approve(&jane, subject("acme", &other_doc, &v), AT).unwrap();
    store::save(&tenant, &terms).unwrap();
    let again = approve(&jane, subject("acme", &t, &values("Acme plc")), AT).unwrap();
    store::save(&tenant, &again).unwrap();
    let all = store::load(&tenant).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(store::find(&all, &t.id), Some(&again));
    std::fs::write(
        store::approvals_path(&tenant),
        "{\n  \"format\": 1,\n  oops\n}",
    )
    .unwrap();
    let e = store::load(&tenant).unwrap_err();
    assert_eq!((e.kind(), e.line()), ("json", Some(3)));
    assert!(e.to_string().contains("acme.approvals.json:3:"), "{e}");
}

#[test]
fn a_workspace_requiring_approval_refuses_export_until_one_holds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("templates/hosting")).unwrap();
    std::fs::create_dir_all(root.join("tenants")).unwrap();
    let tenant = root.join("tenants/acme.json");
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let s = subject("acme", &t, &v);
    // Not required: exports without an approval.
    assert_eq!(for_export(Some(&tenant), s).unwrap(), None);
    std::fs::write(root.join("settings.json"), "{\"require_approval\": true}").unwrap();
    let e = for_export(Some(&tenant), s).unwrap_err();
    assert_eq!(e.kind(), "approval-required");
    assert!(e.to_string().contains("not approved"), "{e}");
    let a = approve(&jane, s, AT).unwrap();
    store::save(&tenant, &a).unwrap();
    let e = for_export(Some(&tenant), s).unwrap_err();
    assert!(e.to_string().contains("not trusted"), "{e}");
    std::fs::write(
        root.join("trusted-reviewers.txt"),
        jane.public_line() + "\n",
    )
    .unwrap();
    assert_eq!(for_export(Some(&tenant), s).unwrap(), Some(a));
    let changed = values("Acme plc");
    let e = for_export(Some(&tenant), subject("acme", &t, &changed)).unwrap_err();
    assert!(e.to_string().contains("changed since"), "{e}");
    std::fs::write(root.join("settings.json"), "{\"require_aproval\": true}").unwrap();
    let book = book::ApprovalBook::load(&tenant);
    assert_eq!(
        book.problem.as_ref().map(EngineError::kind),
        Some("json"),
        "a misspelt setting is an error, not a silent default"
    );
    assert!(matches!(book.status(s), ApprovalStatus::Invalid { .. }));
    let e = for_export(Some(&tenant), s).unwrap_err();
    assert_eq!(e.kind(), "approval-required");
    assert!(
        e.to_string().contains("settings.json:1:"),
        "names the file: {e}"
    );
}

#[test]
fn the_book_notices_approvals_and_trust_changing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let tenant = dir.path().join("acme.json");
    std::fs::write(&tenant, "{}").unwrap();
    let (t, v, jane) = (template(SRC), values("Acme Ltd"), key("Jane"));
    let s = subject("acme", &t, &v);
    let book = book::ApprovalBook::load(&tenant);
    assert_eq!(book.status(s), ApprovalStatus::NotApproved);
    assert!(book.is_current());
    store::save(&tenant, &approve(&jane, s, AT).unwrap()).unwrap();
    assert!(!book.is_current(), "a new approvals file is noticed");
    let book = book::ApprovalBook::load(&tenant);
    assert!(matches!(book.status(s), ApprovalStatus::Untrusted { .. }));
    std::fs::write(dir.path().join("trusted-reviewers.txt"), jane.public_line()).unwrap();
    assert!(
        !book.is_current(),
        "a new trusted-reviewers file is noticed"
    );
    let book = book::ApprovalBook::load(&tenant);
    assert!(book.status(s).is_approved());
    assert!(book.is_current());
}
