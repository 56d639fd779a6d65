//! The remaining checks on small fixtures: unknown fields with suggestions, invalid values,
//! leftovers, dangling section references, positions through front matter and whitespace control.

use crate::common;

use notice_engine::{Code, FieldValue, RenderMode, Severity, check_notice, render_notice};

const DECLARED: &str = "---\ntitle: X for {{ their_server_name }}\nversion: 1.0.0\nfields:\n  - name: their_server_name\n    type: matrix_server_name\n  - name: contact_email\n  - name: notes\n    required: false\n---\n\n# X for {{ their_server_name }}\n\nWrite to {{ contact_email }} at {{ their_sever_name }}.\n";

#[test]
fn undeclared_placeholders_are_errors_with_a_suggestion() {
    let t = common::template(DECLARED);
    let d = check_notice(
        &t,
        &common::values(&[
            ("their_server_name", "acme.org"),
            ("contact_email", "a@acme.org"),
        ]),
    );
    let u = d
        .iter()
        .find(|x| x.code == Code::UnknownField && x.line == Some(14))
        .unwrap();
    assert_eq!(u.severity, Severity::Error);
    assert_eq!(u.hint.as_deref(), Some("did you mean `their_server_name`?"));
    assert!(
        d.iter()
            .any(|x| x.code == Code::UnusedField && x.field.as_deref() == Some("notes"))
    );
}

#[test]
fn unknown_tenant_values_are_reported() {
    let t = common::template(DECLARED);
    let d = check_notice(&t, &common::values(&[("their_sever_name", "acme.org")]));
    let u = d
        .iter()
        .find(|x| x.code == Code::UnknownField && x.line.is_none())
        .unwrap();
    assert_eq!(u.severity, Severity::Error);
    assert!(u.hint.as_deref().unwrap().contains("their_server_name"));
}

#[test]
fn invalid_values_point_at_their_first_use() {
    let t = common::template(DECLARED);
    let d = check_notice(
        &t,
        &common::values(&[
            ("their_server_name", "https://acme.org"),
            ("contact_email", "nope"),
        ]),
    );
    let bad: Vec<_> = d.iter().filter(|x| x.code == Code::InvalidValue).collect();
    assert_eq!(bad.len(), 2, "{d:#?}");
    let server = bad
        .iter()
        .find(|x| x.field.as_deref() == Some("their_server_name"))
        .unwrap();
    assert_eq!(server.line, Some(2), "first use is in the title");
}

#[test]
fn leftover_syntax_in_output_and_in_values() {
    let t = common::template("# T\n\n{% raw %}{{ not_rendered }}{% endraw %} and %%OLD%%\n");
    let d = check_notice(&t, &common::values(&[("old", "{{ oops }}")]));
    let l: Vec<_> = d
        .iter()
        .filter(|x| x.code == Code::LeftoverPlaceholder)
        .collect();
    // `{% raw %}` prints template syntax on purpose; a value holding it is a mistake.
    assert!(l.iter().all(|x| x.field.is_some()), "{l:#?}");
    assert!(l.iter().any(|x| x.field.as_deref() == Some("old")));
    let stray = common::template("# T\n\nA stray }} here\n");
    assert!(
        check_notice(&stray, &Default::default())
            .iter()
            .any(|x| x.code == Code::LeftoverPlaceholder && x.line == Some(3))
    );
}

#[test]
fn dangling_section_references() {
    let t = common::template("# T\n\n## 1. Intro\n\nSee section 1 and section 4.2.\n");
    let d = check_notice(&t, &Default::default());
    let dangling: Vec<_> = d
        .iter()
        .filter(|x| x.code == Code::DanglingSectionRef)
        .collect();
    assert_eq!(dangling.len(), 1);
    assert_eq!((dangling[0].line, dangling[0].column), (Some(5), Some(19)));
    assert!(
        d.iter()
            .any(|x| x.code == Code::SectionRef && x.message.contains("Intro"))
    );
}

#[test]
fn positions_survive_conditionals_and_whitespace_control() {
    let src = "# T\n\n{%- if flag %}\nShown **{{ a }}\n{%- endif %}\n\nAfter {{ b }}.\n";
    let t = common::template(src);
    let mut v = common::values(&[("a", "x")]);
    v.insert("flag".into(), FieldValue::Bool(true));
    let d = check_notice(&t, &v);
    let unfilled = d
        .iter()
        .find(|x| x.code == Code::UnfilledPlaceholder)
        .unwrap();
    assert_eq!((unfilled.line, unfilled.column), (Some(7), Some(7)));
    let stray = d.iter().find(|x| x.code == Code::UnpairedEmphasis).unwrap();
    assert_eq!((stray.line, stray.column), (Some(4), Some(7)));
}

#[test]
fn bools_print_as_jinja2_prints_them_and_drive_conditions() {
    let t = common::template(
        "# T\n\n{% if federation %}Federation is on.{% else %}Federation is off.{% endif %} Public: {{ public }}.\n",
    );
    let mut v = notice_engine::TenantValues::new();
    v.insert("federation".into(), FieldValue::Bool(false));
    v.insert("public".into(), FieldValue::Bool(true));
    let r = render_notice(&t, &v, RenderMode::Export { draft: false });
    assert!(
        r.body_html.contains("Federation is off. Public: True."),
        "{}",
        r.body_html
    );
}
