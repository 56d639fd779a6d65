//! Acceptance 1: the seed's line 18 defect is caught with the FQDN empty and with every field
//! filled, and nothing is exported while errors remain.

use crate::common;

use notice_engine::{
    Code, ExportOptions, RenderMode, Severity, check_notice, export_html, render_notice,
};

fn at(diags: &[notice_engine::Diagnostic], code: Code) -> Vec<u32> {
    diags
        .iter()
        .filter(|d| d.code == code)
        .filter_map(|d| d.line)
        .collect()
}

fn opts(draft: bool) -> ExportOptions<'static> {
    ExportOptions {
        draft,
        rendered_at: time::macros::datetime!(2026-11-27 12:00 UTC),
        approval: None,
    }
}

#[test]
fn missing_fqdn_is_unfilled_at_18_and_21_and_breaks_bold_at_18() {
    let t = common::seed();
    let mut v = common::full_values();
    v.remove("our_server_fqdn");
    let d = check_notice(&t, &v);
    assert_eq!(at(&d, Code::UnfilledPlaceholder), vec![18, 21]);
    assert!(at(&d, Code::UnpairedEmphasis).contains(&18), "{d:#?}");
    assert!(
        d.iter().all(|x| x.code != Code::UnfilledPlaceholder
            || x.field.as_deref() == Some("our_server_fqdn"))
    );
    let unfilled = d
        .iter()
        .find(|x| x.code == Code::UnfilledPlaceholder)
        .unwrap();
    assert_eq!(unfilled.column, Some(127));
    assert!(
        unfilled
            .path
            .as_deref()
            .unwrap()
            .ends_with("privacy_notice.md")
    );
    let refused = export_html(&t, &v, opts(false)).unwrap_err();
    assert_eq!(refused.kind(), "refused");
    assert!(
        refused
            .diagnostics()
            .iter()
            .all(|x| x.severity == Severity::Error)
    );
    let draft = export_html(&t, &v, opts(true)).unwrap();
    assert!(draft.html.contains("DRAFT — not for distribution"));
    assert!(
        !draft.html.contains("data-field"),
        "export never carries preview markers"
    );
}

#[test]
fn every_field_filled_passes_with_fragile_emphasis_and_title_mismatch() {
    let t = common::seed();
    let v = common::full_values();
    let d = check_notice(&t, &v);
    assert!(d.iter().all(|x| x.severity != Severity::Error), "{d:#?}");
    assert_eq!(at(&d, Code::FragileEmphasis), vec![18]);
    let mismatch = d.iter().find(|x| x.code == Code::TitleMismatch).unwrap();
    assert!(
        mismatch.message.contains("acme.ems.host") && mismatch.message.contains("acme.example.org")
    );
    let html = export_html(&t, &v, opts(false)).unwrap().html;
    assert!(!html.contains("**"), "no literal ** in the HTML");
    assert!(html.contains("<strong>acme.ems.host <strong>acme.example.org</strong>"));
    assert!(!html.contains("DRAFT"));
}

#[test]
fn the_default_fills_their_server_name_from_its_parts() {
    let t = common::seed();
    let mut v = common::full_values();
    v.remove("their_server_name");
    let r = render_notice(&t, &v, RenderMode::Export { draft: false });
    assert_eq!(r.derived, vec!["their_server_name".to_string()]);
    assert!(
        r.body_html
            .contains("acme.ems.host) Homeserver Privacy Notice")
    );
    // Title and heading now agree, so no drift is reported.
    assert!(r.diagnostics.iter().all(|d| d.code != Code::TitleMismatch));
}

#[test]
fn preview_marks_unfilled_places_and_carries_template_lines() {
    let t = common::seed();
    let mut v = common::full_values();
    v.remove("our_server_fqdn");
    let r = render_notice(&t, &v, RenderMode::Preview);
    assert_eq!(
        r.body_html
            .matches("<mark class=\"unfilled\" data-field=\"our_server_fqdn\"")
            .count(),
        2
    );
    assert!(
        r.body_html.contains("data-sourcepos=\"18:1-18:"),
        "paragraph of template line 18"
    );
    assert!(
        r.body_html.contains("data-sourcepos=\"6:1-6:"),
        "heading of template line 6"
    );
    assert!(r.body_html.contains(
        "<span class=\"field-value\" data-field=\"hhs_entity_name\">Acme Corporation Ltd</span>"
    ));
    let title = r.title_html.unwrap();
    assert!(title.contains("data-field=\"hhs_name\""));
}

#[test]
fn resolved_section_references_name_their_heading() {
    let t = common::seed();
    let d = check_notice(&t, &common::full_values());
    let r = d.iter().find(|x| x.code == Code::SectionRef).unwrap();
    assert_eq!(r.line, Some(230));
    assert!(r.message.contains("Right to Erasure"));
}

#[test]
fn the_seed_ships_unchanged() {
    let shipped =
        std::fs::read(common::repo().join("templates/hosted-homeserver/privacy_notice.md"))
            .unwrap();
    let seed = std::fs::read(common::repo().join("../shared/seed/privacy_notice.md")).unwrap();
    assert_eq!(shipped, seed);
}

#[test]
fn preview_blocks_are_the_body_one_element_each() {
    let t = common::seed();
    let r = render_notice(&t, &common::full_values(), RenderMode::Preview);
    assert_eq!(r.blocks.concat(), r.body_html);
    assert!(r.blocks.len() > 100);
    for b in &r.blocks {
        assert!(b.starts_with('<') && b.ends_with(">\n"), "{b}");
    }
    let export = render_notice(
        &t,
        &common::full_values(),
        RenderMode::Export { draft: false },
    );
    assert!(export.blocks.is_empty());
}

/// Found by fuzzing: a template saved with Windows line endings used to get every line number
/// doubled (and a warning about control characters), as `\r` became a line of its own.
#[test]
fn a_windows_line_ending_copy_reports_the_same_places_and_hash() {
    let lf = common::seed();
    let crlf = notice_engine::NoticeTemplate::from_source(
        &lf.path,
        &lf.source.replace('\n', "\r\n"),
        None,
    );
    let places = |t: &notice_engine::NoticeTemplate| -> Vec<(String, Option<u32>, Option<u32>)> {
        notice_engine::check_notice(t, &common::full_values())
            .into_iter()
            .map(|d| (d.code.as_str().to_owned(), d.line, d.column))
            .collect()
    };
    let from_lf = notice_engine::NoticeTemplate::from_source(&lf.path, &lf.source, None);
    assert_eq!(places(&crlf), places(&from_lf));
    assert_eq!(crlf.content_hash, from_lf.content_hash);
    assert!(
        crlf.load_diagnostics().is_empty(),
        "{:?}",
        crlf.load_diagnostics()
    );
}
