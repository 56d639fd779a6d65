//! Values inside lists and records (every item, every attribute), and values passed through
//! macros, are as inert as top-level ones: whatever they hold, the document keeps its structure
//! and shows them verbatim.

use std::collections::BTreeMap;

use notice_engine::{FieldValue, RenderMode, TenantValues, render_notice};
use proptest::prelude::*;

use crate::common;

const TEMPLATE: &str = "---\ntitle: Sub-processors of {{ company.name }}\nversion: 1.0.0\n---\n\n\
{% macro cell(v) %}_{{ v }}_{% endmacro %}\
# Sub-processors of {{ company.name }}\n\n\
| Name | Purpose |\n|---|---|\n\
{% for p in subs -%}\n| {{ p.name }} | **{{ p.purpose }}** {{ cell(p.where) }} |\n{% endfor %}\n\
{% for x in tags %}- {{ loop.index }}. {{ x }}\n{% endfor %}\n\
Contact: [{{ company.name }}](mailto:{{ company.email }}).\n";

fn record(pairs: &[(&str, &str)]) -> FieldValue {
    FieldValue::Record(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), FieldValue::from(*v)))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn values(a: &str, b: &str) -> TenantValues {
    let mut v = TenantValues::new();
    v.insert(
        "company".into(),
        record(&[("name", a), ("email", "dpo@acme.example.org")]),
    );
    v.insert(
        "subs".into(),
        FieldValue::List(vec![
            record(&[("name", a), ("purpose", b), ("where", a)]),
            record(&[("name", b), ("purpose", a), ("where", b)]),
        ]),
    );
    v.insert(
        "tags".into(),
        FieldValue::List(vec![FieldValue::from(a), FieldValue::from(b)]),
    );
    v
}

fn render(a: &str, b: &str) -> notice_engine::RenderedNotice {
    render_notice(
        &common::template(TEMPLATE),
        &values(a, b),
        RenderMode::Export { draft: true },
    )
}

/// The tags of an HTML fragment, without attributes or text.
fn structure(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|t| {
            t.split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn markup_in_items_attributes_and_macro_arguments_is_literal() {
    let plain = render("Acme", "Hosting");
    assert!(plain.rendered, "{:?}", plain.diagnostics);
    for evil in [
        "**x**",
        "_",
        "| pipe |",
        "<script>alert(1)</script>",
        "[a](javascript:alert(1))",
        "{{ user }}",
        "{% if x %}",
        "Acme\n# H",
    ] {
        let r = render(evil, "Hosting");
        assert_eq!(
            structure(&r.body_html),
            structure(&plain.body_html),
            "structure changed by {evil:?}: {}",
            r.body_html
        );
        assert!(!r.body_html.contains("<script"), "{evil:?}");
        assert!(unescape(&r.body_html).contains(evil), "{evil:?} verbatim");
    }
}

// U+2028 and U+2029 (line and paragraph separators) are left out: the engine writes them as
// spaces, since they are what its line marks are made of (see render::token).
proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_printable_values_in_lists_and_records_keep_the_structure(
        a in "[ -~\u{a0}-\u{2027}\u{202a}-\u{2fff}]{1,30}",
        b in "[ -~\u{a0}-\u{2027}\u{202a}-\u{2fff}]{1,30}",
    ) {
        prop_assume!(!a.trim().is_empty() && !b.trim().is_empty());
        let plain = render("Acme", "Hosting");
        let r = render(&a, &b);
        prop_assert_eq!(structure(&r.body_html), structure(&plain.body_html), "{}", r.body_html);
        let text = unescape(&r.body_html);
        prop_assert!(text.contains(&a) && text.contains(&b), "values not verbatim in {}", r.body_html);
    }
}
