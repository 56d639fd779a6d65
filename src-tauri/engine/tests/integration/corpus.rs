//! Acceptance 2: every real template of the family is checked without a crash, with its front
//! matter and legacy-placeholder problems reported; every historical version renders.

use crate::common;

use notice_engine::{
    Code, NoticeTemplate, RenderMode, Severity, TenantFile, check_notice, render_notice,
};

fn load(name: &str) -> NoticeTemplate {
    NoticeTemplate::load(&common::corpus().join("hosted-homeserver").join(name)).unwrap()
}

#[test]
fn every_family_template_is_checked() {
    let dir = common::corpus().join("hosted-homeserver");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let t = NoticeTemplate::load(&p).unwrap();
        let d = check_notice(&t, &Default::default());
        assert!(t.is_renderable(), "{}: {d:#?}", p.display());
        n += 1;
    }
    assert_eq!(n, 6);
}

#[test]
fn a_list_as_front_matter_is_an_error_at_line_2() {
    let d = check_notice(&load("terms_and_conditions.md"), &Default::default());
    let fm: Vec<_> = d.iter().filter(|x| x.code == Code::FrontMatter).collect();
    assert_eq!(fm.len(), 1);
    assert_eq!((fm[0].severity, fm[0].line), (Severity::Error, Some(2)));
}

#[test]
fn no_front_matter_is_a_warning() {
    for name in ["copyright_notice.md", "synapse_privacy_policy.md"] {
        let d = check_notice(&load(name), &Default::default());
        assert!(
            d.iter()
                .any(|x| x.code == Code::FrontMatter && x.severity == Severity::Warning),
            "{name}"
        );
    }
}

#[test]
fn legacy_placeholders_are_fields_and_never_pass_through() {
    let t = load("synapse_privacy_policy.md");
    for f in ["hhs_entity_name", "federation_enabled", "their_client_fqdn"] {
        assert!(
            t.field(f).is_some(),
            "{f} inferred from %%{}%%",
            f.to_uppercase()
        );
    }
    // Names used only in conditions are yes/no questions.
    assert_eq!(
        t.field("has_consented").unwrap().kind,
        notice_engine::FieldType::Bool
    );
    let empty = check_notice(&t, &Default::default());
    let unfilled: Vec<_> = empty
        .iter()
        .filter(|d| {
            d.code == Code::UnfilledPlaceholder && d.field.as_deref() == Some("their_client_fqdn")
        })
        .collect();
    assert!(!unfilled.is_empty());
    assert!(empty.iter().any(|d| d.code == Code::LegacyPlaceholder));
    let v = common::values(&[
        ("hhs_entity_name", "Acme Corporation Ltd"),
        ("federation_enabled", "enabled"),
        ("their_client_fqdn", "chat.acme.example.org"),
    ]);
    let r = render_notice(&t, &v, RenderMode::Export { draft: false });
    assert!(!r.body_html.contains("%%"));
    assert!(
        r.body_html
            .contains("https://chat.acme.example.org/privacy_policy/en/privacy_notice.html")
    );
    assert!(
        r.body_html
            .contains("on behalf of the Homeserver Owner, Acme Corporation Ltd.")
    );
}

#[test]
fn every_historical_version_renders() {
    let (tenant, report) = TenantFile::load(&common::corpus().join("new_vector.json")).unwrap();
    assert!(report.legacy_format);
    let dir = common::corpus().join("privacy-notice-history");
    let mut versions: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    versions.sort();
    assert_eq!(versions.len(), 11);
    for p in versions {
        let t = NoticeTemplate::load(&p).unwrap();
        let r = render_notice(&t, &tenant.values, RenderMode::Export { draft: true });
        assert!(r.rendered, "{}: {:#?}", p.display(), r.diagnostics);
        assert!(r.body_html.contains("<h2"), "{}", p.display());
        assert!(!r.body_html.contains("{{"), "{}", p.display());
    }
}

#[test]
fn the_2018_tenant_fills_the_2018_template() {
    let (tenant, _) = TenantFile::load(&common::corpus().join("new_vector.json")).unwrap();
    let t = NoticeTemplate::load(
        &common::corpus().join("privacy-notice-history/2018-08-02-3625991.md"),
    )
    .unwrap();
    let r = render_notice(&t, &tenant.values, RenderMode::Export { draft: true });
    assert!(r.body_html.contains("Matrix.org Homeserver Privacy Notice"));
    let unknown: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownField)
        .collect();
    assert!(
        unknown.iter().all(|d| d.severity == Severity::Warning),
        "no declarations: unknown values warn"
    );
}

/// The web view's engine builds each template from its texts (`PreviewSource`); for the seed and
/// every real template, empty, filled and hostile answers preview byte for byte as in the app.
#[test]
fn templates_rebuilt_from_their_texts_preview_alike() {
    use notice_engine::check::render_preview;
    use notice_engine::check::standalone::PreviewSource;
    let mut paths = vec![common::repo().join("templates/hosted-homeserver/privacy_notice.md")];
    for e in std::fs::read_dir(common::corpus().join("hosted-homeserver")).unwrap() {
        paths.push(e.unwrap().path());
    }
    let mut hostile = common::full_values();
    hostile.insert(
        "hhs_entity_name".into(),
        notice_engine::FieldValue::Text("**x** <script>alert(1)</script> {{ y }}".into()),
    );
    for p in &paths {
        let t = NoticeTemplate::load(p).unwrap();
        let local = PreviewSource::of(&t, Default::default())
            .unwrap_or_else(|| panic!("{}: no preview source", p.display()))
            .build();
        for values in [Default::default(), common::full_values(), hostile.clone()] {
            let want = serde_json::to_string(&render_preview(&t, &values)).unwrap();
            let got = serde_json::to_string(&local.render(&values)).unwrap();
            assert_eq!(got, want, "{}", p.display());
        }
    }
    assert_eq!(paths.len(), 7);
}

/// Workspace status counts errors with `export_diagnostics`, which skips the Markdown text: it
/// must report exactly what an export render does, for every template of the family, unfilled and
/// filled.
#[test]
fn export_diagnostics_are_the_export_renders() {
    use notice_engine::check::export_diagnostics;
    let dir = common::corpus().join("hosted-homeserver");
    for e in std::fs::read_dir(dir).unwrap() {
        let t = NoticeTemplate::load(&e.unwrap().path()).unwrap();
        for values in [Default::default(), common::full_values()] {
            let export = render_notice(&t, &values, RenderMode::Export { draft: false });
            assert_eq!(
                export_diagnostics(&t, &values),
                export.diagnostics,
                "{}",
                t.path.display()
            );
        }
    }
}
