use std::path::Path;

use super::*;
use crate::check::render_notice;
use crate::render::RenderMode;

const HEAD: &str = "---\ntitle: \"{{ hhs_entity_name }} terms\"\nversion: 1.4.2\nruntime: synapse-consent\nconsent:\n  acknowledgements:\n    - I have read the terms of {{ their_server_name }}.\n    - I am at least 16 years old.\n  success: \"Thank you. {{ hhs_entity_name }} has recorded your acceptance.\"\n---\n";

fn template(body: &str) -> NoticeTemplate {
    NoticeTemplate::from_source(
        Path::new("hosted-homeserver/consent.md"),
        &format!("{HEAD}{body}"),
        None,
    )
}

fn values(pairs: &[(&str, &str)]) -> TenantValues {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), FieldValue::Text((*v).to_owned())))
        .collect()
}

fn acme() -> TenantValues {
    values(&[
        ("hhs_entity_name", "Acme Ltd"),
        ("their_server_name", "acme.example.org"),
    ])
}

fn opts() -> ConsentOptions<'static> {
    ConsentOptions {
        template_dir: "/srv/consent",
        rendered_at: OffsetDateTime::UNIX_EPOCH,
    }
}

fn policy_page(e: &ConsentExport) -> &str {
    &e.files[0].contents
}

const BODY: &str = "# {{ hhs_entity_name }} terms\n\n\
{% if not public_version %}\n\n\
Hello {{ user }}, this is version {{ version | upper }}.\n\n\
{% if has_consented %}You accepted already.{% else %}Please read this, {{ hhs_entity_name }} asks.{% endif %}\n\n\
{% endif %}\n\n\
Served by {{ their_server_name }}.\n";

#[test]
fn runtime_names_are_not_fields() {
    let t = template(BODY);
    let names: Vec<&str> = t.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["hhs_entity_name", "their_server_name"]);
    assert!(
        t.load_diagnostics().is_empty(),
        "{:?}",
        t.load_diagnostics()
    );
}

#[test]
fn runtime_tags_pass_through_verbatim_and_placeholders_are_filled() {
    let e = export_consent(&template(BODY), &acme(), opts()).unwrap();
    assert_eq!(e.version, "1.0");
    assert_eq!(e.files[0].path, "en/1.0.html");
    let page = policy_page(&e);
    for tag in [
        "{% if not public_version %}",
        "{{ user }}",
        "{{ version | upper }}",
        "{% if has_consented %}You accepted already.{% else %}Please read this, Acme Ltd asks.{% endif %}",
        "{% endif %}",
    ] {
        assert!(page.contains(tag), "{tag} missing from\n{page}");
    }
    // A paragraph holding only a runtime tag is unwrapped.
    assert!(
        !page.contains("<p>{% if not public_version %}</p>"),
        "{page}"
    );
    assert!(page.contains("Served by acme.example.org."));
    assert!(page.contains("name=\"u\" value=\"{{ user }}\""));
    assert!(page.contains(
        "required> <label for=\"ack-1\">I have read the terms of acme.example.org.</label>"
    ));
    assert!(e.user_consent_yaml.contains("version: \"1.0\""));
    assert!(
        e.user_consent_yaml
            .contains("template_dir: \"/srv/consent\"")
    );
    assert!(
        e.files[1]
            .contents
            .contains("Acme Ltd has recorded your acceptance.")
    );
}

#[test]
fn the_page_renders_in_each_state() {
    let e = export_consent(&template(BODY), &acme(), opts()).unwrap();
    let env = minijinja::Environment::new();
    let tmpl = env.template_from_str(policy_page(&e)).unwrap();
    let public = tmpl
        .render(minijinja::context! { public_version => true, has_consented => false, version => "1.0", user => "" })
        .unwrap();
    assert!(!public.contains("<form"));
    assert!(!public.contains("Hello"));
    let pending = tmpl
        .render(minijinja::context! { public_version => false, has_consented => false, version => "1.0", user => "alice", userhmac => "ab" })
        .unwrap();
    assert!(pending.contains("<form class=\"consent\" method=\"post\" action=\"consent\">"));
    assert!(pending.contains("Hello alice, this is version 1.0."));
    assert!(pending.contains("Please read this, Acme Ltd asks."));
    let accepted = tmpl
        .render(minijinja::context! { public_version => false, has_consented => true, version => "1.0", user => "alice", userhmac => "ab" })
        .unwrap();
    assert!(!accepted.contains("<form"));
    assert!(accepted.contains("You accepted already."));
    assert!(accepted.contains("You have accepted these terms. (version 1.0)"));
}

#[test]
fn a_value_holding_jinja_prints_literally() {
    let evil = "{{ user }} {% if true %}x{% endif %} {# note #} {{ 7*7 }}";
    let v = values(&[
        ("hhs_entity_name", evil),
        ("their_server_name", "acme.example.org"),
    ]);
    let t = template(BODY);
    // The engine says so (as for any value holding template syntax)…
    let r = render_notice(&t, &v, RenderMode::Preview);
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == Code::LeftoverPlaceholder)
    );
    // …and even a draft-like forced render cannot make Synapse evaluate it.
    let body = for_jinja(&format!("<p>{evil}</p>"));
    let env = minijinja::Environment::new();
    let out = env
        .render_str(&body, minijinja::context! { user => "@mallory:x" })
        .unwrap();
    assert!(!out.contains("@mallory"));
    assert!(!out.contains("49"));
    assert_eq!(
        out.replace("&#123;", "{").replace("&#125;", "}"),
        format!("<p>{evil}</p>")
    );
}

#[test]
fn a_tenant_file_cannot_fill_a_runtime_name() {
    let mut v = acme();
    v.insert("has_consented".into(), FieldValue::Bool(true));
    v.insert(
        "user".into(),
        FieldValue::Text("@admin:acme.example.org".into()),
    );
    let t = template(BODY);
    let r = render_notice(&t, &v, RenderMode::Preview);
    let errs: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs[0].message.contains("cannot set it"));
    // Not used either: the preview shows the tags, not the tenant's answer.
    assert!(!r.blocks.concat().contains("@admin"));
    assert!(export_consent(&t, &v, opts()).is_err());
}

#[test]
fn the_preview_shows_runtime_tags_as_code() {
    let r = render_notice(&template(BODY), &acme(), RenderMode::Preview);
    let html = r.blocks.concat();
    assert!(html.contains(">{% if has_consented %}</code>"), "{html}");
    assert!(html.contains(">{{ user }}</code>"), "{html}");
    assert!(!html.contains(RUNTIME_OPEN));
}

#[test]
fn a_misspelled_runtime_name_is_an_error_with_a_suggestion() {
    let t = template("# T\n\n{% if has_consentd %}yes{% endif %}\n");
    let d = t
        .load_diagnostics()
        .iter()
        .find(|d| d.code == Code::UnknownField)
        .expect("a diagnostic");
    assert_eq!(d.severity, Severity::Error);
    assert!(
        d.hint.as_deref().unwrap_or("").contains("has_consented"),
        "{d:?}"
    );
    assert_eq!(d.line, Some(13));
    assert!(!t.fields.iter().any(|f| f.name == "has_consentd"));
}

#[test]
fn an_unknown_runtime_is_an_error() {
    let t = NoticeTemplate::from_source(
        Path::new("t.md"),
        "---\ntitle: T\nversion: 1.0.0\nruntime: synapse-consnt\n---\n# T\n",
        None,
    );
    let d = &t.load_diagnostics()[0];
    assert!(d.message.contains("unknown runtime"));
    assert!(d.hint.as_deref().unwrap_or("").contains("synapse-consent"));
    assert!(export_consent(&t, &TenantValues::new(), opts()).is_err());
}

#[test]
fn an_unfilled_placeholder_refuses_the_export() {
    let e = export_consent(
        &template(BODY),
        &values(&[("hhs_entity_name", "Acme")]),
        opts(),
    );
    match e {
        Err(EngineError::Refused { diagnostics }) => {
            assert!(
                diagnostics
                    .iter()
                    .any(|d| d.code == Code::UnfilledPlaceholder)
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn consent_versions_follow_the_major_version() {
    let v = |s: &str| consent_version(&semver::Version::parse(s).unwrap());
    assert_eq!(v("1.0.0"), "1.0");
    assert_eq!(v("1.9.3"), "1.0");
    assert_eq!(v("2.0.0"), "2.0");
    assert_eq!(v("10.2.0"), "10.0");
}

#[test]
fn percent_signs_from_values_survive_synapse_formatting() {
    let t = NoticeTemplate::from_source(
        Path::new("c.md"),
        "---\ntitle: T\nversion: 1.0.0\nruntime: synapse-consent\nconsent:\n  block_events_error: \"{{ hhs_entity_name }}: accept at %(consent_uri)s\"\n---\n# T {{ hhs_entity_name }}\n",
        None,
    );
    let e = export_consent(&t, &values(&[("hhs_entity_name", "100% Ltd")]), opts()).unwrap();
    assert!(
        e.user_consent_yaml
            .contains("block_events_error: \"100%% Ltd: accept at %(consent_uri)s\""),
        "{}",
        e.user_consent_yaml
    );
}

#[test]
fn the_bundled_consent_page_exports_for_the_example_tenant() {
    let family = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates/hosted-homeserver");
    let t = NoticeTemplate::load(&family.join("consent.md")).unwrap();
    let (tenant, _) = crate::TenantFile::load(&family.join("example-tenant.json")).unwrap();
    let e = export_consent(&t, &tenant.values, opts()).unwrap();
    let shown: Vec<_> = e
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    assert!(shown.is_empty(), "{shown:#?}");
    assert!(policy_page(&e).contains("on behalf of its owner, Acme Corporation Ltd"));
}
