//! Acceptance 3: values can never change a document's structure, inject HTML or script, or build
//! unsafe links. Includes the property test over arbitrary printable values.

use crate::common;

use notice_engine::{Code, RenderMode, render_notice};
use proptest::prelude::*;

const TEMPLATE: &str = "---\ntitle: Notice for {{ name }}\nversion: 1.0.0\n---\n\n# Notice for {{ name }}\n\nProvided by **{{ name }}** at _{{ name }}_.\n\n- item {{ name }}\n\n| a | b |\n|---|---|\n| {{ name }} | x |\n\nContact: [{{ name }}](mailto:{{ email }}) or [site]({{ site }}).\n";

fn render(name: &str, email: &str, site: &str) -> notice_engine::RenderedNotice {
    let t = common::template(TEMPLATE);
    let v = common::values(&[("name", name), ("email", email), ("site", site)]);
    render_notice(&t, &v, RenderMode::Export { draft: true })
}

/// The block structure of an HTML fragment: its tags, without attributes or text.
fn structure(html: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag = rest[i + 1..end]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_owned();
        tags.push(tag);
        rest = &rest[(end + 1).min(rest.len())..];
    }
    tags
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn markdown_html_and_script_in_values_are_literal_text() {
    let plain = render("Acme", "dpo@acme.example.org", "https://acme.example.org");
    for evil in [
        "**x**",
        "_",
        "<script>alert(1)</script>",
        "[a](javascript:alert(1))",
        "Acme\n# H",
        "`code`",
        "| pipe |",
        "<img src=x onerror=alert(1)>",
        "&amp;",
        "\\*",
    ] {
        let r = render(evil, "dpo@acme.example.org", "https://acme.example.org");
        assert_eq!(
            structure(&r.body_html),
            structure(&plain.body_html),
            "structure changed by {evil:?}"
        );
        assert!(!r.body_html.contains("<script"), "{evil:?}");
        assert!(!r.body_html.contains("href=\"javascript:"), "{evil:?}");
        assert!(
            unescape(&r.body_html).contains(evil),
            "{evil:?} appears literally"
        );
    }
}

#[test]
fn link_destinations_from_values_are_checked() {
    let r = render("Acme", "not an email", "javascript:alert(1)");
    assert!(!r.body_html.contains("javascript:"));
    assert!(!r.body_html.contains("mailto:not"));
    let unsafe_links: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnsafeLink)
        .collect();
    assert_eq!(unsafe_links.len(), 2, "{:#?}", r.diagnostics);
    assert!(
        unsafe_links
            .iter()
            .any(|d| d.field.as_deref() == Some("email"))
    );
    let ok = render(
        "Acme",
        "dpo@acme.example.org",
        "https://acme.example.org/legal",
    );
    assert!(
        ok.body_html
            .contains("href=\"mailto:dpo@acme.example.org\"")
    );
    assert!(
        ok.body_html
            .contains("href=\"https://acme.example.org/legal\"")
    );
}

#[test]
fn template_authored_unsafe_links_and_raw_html_are_removed() {
    let t = common::template(
        "# T\n\n[x](javascript:alert(1)) <b onclick=x>hi</b>\n\n<script>alert(1)</script>\n",
    );
    let r = render_notice(&t, &Default::default(), RenderMode::Export { draft: true });
    assert!(!r.body_html.contains("javascript:"));
    assert!(!r.body_html.contains("<script"));
    assert!(!r.body_html.contains("<b "));
    assert!(r.diagnostics.iter().any(|d| d.code == Code::RawHtml));
    assert!(r.diagnostics.iter().any(|d| d.code == Code::UnsafeLink));
}

// U+2028 and U+2029 (line and paragraph separators) are left out: the engine writes them as
// spaces, since they are what its line marks are made of (see render::token).
proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_printable_value_appears_verbatim_with_the_same_structure(value in "[ -~\u{a0}-\u{2027}\u{202a}-\u{2fff}]{1,40}") {
        prop_assume!(!value.trim().is_empty());
        let plain = render("Acme", "dpo@acme.example.org", "https://acme.example.org");
        let r = render(&value, "dpo@acme.example.org", "https://acme.example.org");
        prop_assert_eq!(structure(&r.body_html), structure(&plain.body_html));
        let text = unescape(&r.body_html);
        prop_assert!(text.contains(&value), "value {:?} not verbatim in {}", value, r.body_html);
    }
}

#[test]
fn values_named_like_the_instrumentation_cannot_break_a_render() {
    let t = common::seed();
    assert!(
        t.fields.iter().all(|f| !f.name.starts_with("__")),
        "internal names are not fields"
    );
    let inferred = common::template("# {{ name }}\n\n{% if show %}{{ other }}{% endif %}\n");
    let names: Vec<&str> = inferred.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["name", "show", "other"], "in order of first use");
    let mut v = common::full_values();
    v.extend(common::values(&[
        ("__slot", "x"),
        ("__nl", "y"),
        ("__notice_recorder", "z"),
    ]));
    let r = render_notice(&t, &v, RenderMode::Preview);
    assert!(r.rendered, "{:?}", r.diagnostics);
    assert!(r.body_html.contains("Acme Corporation Ltd"));
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownField && d.field.as_deref() == Some("__slot"))
    );
}
