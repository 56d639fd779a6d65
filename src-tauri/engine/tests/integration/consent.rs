//! The bundled consent page (`templates/hosted-homeserver/consent.md`) with the example tenant:
//! it checks clean, its Synapse export holds the tenant's text, the runtime's tags and the form,
//! the page as Synapse serves it in each state (public, not yet accepted, accepted), and the
//! corpus page it replaces shows why the runtime matters (its runtime names used to be form
//! fields).

use notice_engine::export::synapse::{ConsentOptions, export_consent};
use notice_engine::{NoticeTemplate, Severity, TenantFile};
use notice_engine::{RenderMode, render_notice};

use crate::common;

fn consent() -> NoticeTemplate {
    NoticeTemplate::load(&common::repo().join("templates/hosted-homeserver/consent.md")).unwrap()
}

fn example_tenant() -> TenantFile {
    TenantFile::load(&common::repo().join("templates/hosted-homeserver/example-tenant.json"))
        .unwrap()
        .0
}

#[test]
fn the_bundled_consent_page_checks_clean_with_the_example_tenant() {
    let t = consent();
    let r = render_notice(&t, &example_tenant().values, RenderMode::Preview);
    let shown: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    assert!(shown.is_empty(), "{shown:#?}");
    for runtime_name in [
        "user",
        "userhmac",
        "version",
        "has_consented",
        "public_version",
    ] {
        assert!(t.field(runtime_name).is_none(), "{runtime_name} is a field");
    }
}

#[test]
fn its_synapse_export_holds_the_tenant_text_and_the_form() {
    let e = export_consent(
        &consent(),
        &example_tenant().values,
        ConsentOptions {
            template_dir: "/srv/consent",
            rendered_at: time::OffsetDateTime::UNIX_EPOCH,
        },
    )
    .unwrap();
    assert_eq!(e.version, "1.0");
    let page = &e.files[0].contents;
    assert!(page.contains("on behalf of its owner, Acme Corporation Ltd"));
    assert!(
        page.contains("href=\"https://acme.ems.host/privacy_policy/en/terms_and_conditions.html\"")
    );
    assert!(page.contains("{% if not public_version and not has_consented %}"));
    assert!(page.contains("<input type=\"hidden\" name=\"h\" value=\"{{ userhmac }}\">"));
    assert_eq!(page.matches(" required> ").count(), 3);
    assert!(
        e.user_consent_yaml
            .contains("policy_name: \"Privacy notice, terms and code of conduct\"")
    );
}

#[test]
fn without_the_runtime_the_corpus_page_asks_for_synapse_names() {
    // The page the issue starts from: without `runtime:`, its Synapse names are yes/no fields.
    let t =
        NoticeTemplate::load(&common::corpus().join("hosted-homeserver/synapse_privacy_policy.md"))
            .unwrap();
    assert!(t.field("has_consented").is_some());
    assert!(t.field("public_version").is_some());
}

#[test]
fn publish_writes_the_synapse_folder_and_a_major_bump_asks_users_again() {
    use notice_engine::export::ExportFormat;
    use notice_engine::workspace::Workspace;
    use notice_engine::workspace::publish::export_tenant;
    use notice_engine::workspace::status::{DocStatus, document_status};

    let dir = common::seed_workspace(&["consent.md", "consent.fields.yaml"]);
    let root = dir.path();
    let family = root.join("templates/hosted-homeserver");
    std::fs::copy(
        common::repo().join("templates/hosted-homeserver/example-tenant.json"),
        root.join("tenants/acme.json"),
    )
    .unwrap();
    let at = time::OffsetDateTime::UNIX_EPOCH;
    let out = root.join("exports");
    let ws = Workspace::open(root).unwrap();
    let r = export_tenant(&ws, &ws.tenants[0], &out, &[ExportFormat::Html], at);
    assert!(r.ok(), "{r:?}");
    let synapse = out.join("acme/synapse");
    for f in ["en/1.0.html", "en/success.html", "user_consent.yaml"] {
        assert!(synapse.join(f).is_file(), "{f} missing");
    }
    // Not also published as an ordinary document: the page is Synapse's to serve.
    assert!(!out.join("acme/privacy_policy/en/consent.html").exists());
    let manifest = std::fs::read_to_string(out.join("acme/manifest.json")).unwrap();
    assert!(manifest.contains("\"synapse/en/1.0.html\""));
    let history = ws.history().load().unwrap();
    assert_eq!(history.len(), 3);
    assert!(history.iter().all(|h| h.format == "synapse"));
    let doc = &ws.documents[0];
    assert!(matches!(
        document_status(&ws, doc, &ws.tenants[0], &history),
        DocStatus::UpToDate { .. }
    ));

    let text = std::fs::read_to_string(family.join("consent.md")).unwrap();
    std::fs::write(
        family.join("consent.md"),
        text.replacen("version: 1.0.0", "version: 2.0.0", 1),
    )
    .unwrap();
    let ws = Workspace::open(root).unwrap();
    assert_eq!(
        document_status(&ws, &ws.documents[0], &ws.tenants[0], &history),
        DocStatus::Outdated {
            exported: "1.0.0".into(),
            current: "2.0.0".into(),
            must_accept: true
        }
    );
    let r = export_tenant(&ws, &ws.tenants[0], &out, &[ExportFormat::Html], at);
    assert!(r.ok(), "{r:?}");
    assert!(synapse.join("en/2.0.html").is_file());
    assert!(synapse.join("en/1.0.html").is_file());
    let yaml = std::fs::read_to_string(synapse.join("user_consent.yaml")).unwrap();
    assert!(yaml.contains("version: \"2.0\""), "{yaml}");
}

#[test]
fn served_in_each_state_the_page_shows_what_synapse_would() {
    use notice_engine::export::synapse::{ConsentState, PREVIEW_USER, preview_as, serve_as};

    let t = consent();
    let values = example_tenant().values;
    let at = time::OffsetDateTime::UNIX_EPOCH;
    let show = |s| preview_as(&t, &values, s, at).unwrap();

    let public = show(ConsentState::Public);
    assert!(public.starts_with("<div class=\"consent-served\" data-state=\"public\">"));
    assert!(public.contains("on behalf of its owner, Acme Corporation Ltd"));
    assert!(!public.contains("<form"), "{public}");
    assert!(!public.contains("type=\"checkbox\""));
    assert!(!public.contains("You have accepted"));
    assert!(public.contains("To accept, open the link your Matrix client"));
    assert!(!public.contains("Hello "));

    let pending = show(ConsentState::NotAccepted);
    assert!(pending.contains("<form class=\"consent\" method=\"post\" action=\"consent\">"));
    assert_eq!(pending.matches("type=\"checkbox\" id=\"ack-").count(), 3);
    assert!(pending.contains("<input type=\"hidden\" name=\"v\" value=\"1.0\">"));
    assert!(pending.contains(&format!("name=\"u\" value=\"{PREVIEW_USER}\"")));
    assert!(pending.contains("<button type=\"submit\">I accept</button>"));
    assert!(pending.contains(&format!("Hello {PREVIEW_USER}.")));
    assert!(!pending.contains("You have accepted"));
    assert!(!pending.contains("To accept, open the link"));

    let accepted = show(ConsentState::Accepted);
    assert!(accepted.contains("You have accepted these terms for acme.example.org."));
    assert!(accepted.contains("(version 1.0)"));
    assert!(!accepted.contains("<form"));
    assert!(!accepted.contains("Hello "));

    // No Jinja left in any state, and what the tenant wrote is shown, not evaluated.
    for page in [&public, &pending, &accepted] {
        assert!(!page.contains("{%") && !page.contains("{{"), "{page}");
    }
    // Synapse autoescapes the page (select_autoescape on .html): so does serving it here.
    let served = serve_as("<p>{{ user }}</p>", "1.0", ConsentState::NotAccepted).unwrap();
    assert_eq!(served, format!("<p>{PREVIEW_USER}</p>"));
    let err = serve_as("{% if %}", "1.0", ConsentState::Public).unwrap_err();
    assert_eq!(err.kind(), "unrenderable");
}

#[test]
fn a_page_with_errors_is_not_served() {
    use notice_engine::export::synapse::{ConsentState, preview_as};

    let mut values = example_tenant().values;
    values.remove("hhs_entity_name");
    let e = preview_as(
        &consent(),
        &values,
        ConsentState::Public,
        time::OffsetDateTime::UNIX_EPOCH,
    )
    .unwrap_err();
    assert_eq!(e.kind(), "refused");
    assert!(!e.diagnostics().is_empty());
}
