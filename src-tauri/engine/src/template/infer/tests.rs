//! Field inference from placeholders and conditions.

use super::*;

fn infer(template: &str) -> Vec<Field> {
    let scan = super::super::source::scan(
        template,
        0,
        super::super::source::Origin { line: 1, column: 1 },
        0,
    );
    let env = minijinja::Environment::new();
    let globals = env
        .template_from_str(template)
        .map(|t| t.undeclared_variables(false))
        .unwrap_or_default()
        .into_iter()
        .collect();
    shapes(&scan.tags, &globals)
        .iter()
        .map(|(n, s)| to_field(n, s))
        .collect()
}

fn kinds(template: &str) -> Vec<(String, FieldType)> {
    infer(template)
        .into_iter()
        .map(|f| (f.name, f.kind))
        .collect()
}

#[test]
fn lists_records_and_numbers() {
    let f = infer(
        "{% for p in subprocessors %}{{ loop.index }}. {{ p.name }} ({{ p.location }}){% endfor %}",
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FieldType::List);
    let item = f[0].item.as_deref().unwrap();
    assert_eq!(item.kind, FieldType::Group);
    let names: Vec<&str> = item.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["location", "name"]);
    assert_eq!(kinds("{{ company.name }}")[0].1, FieldType::Group);
    assert_eq!(
        kinds("{{ backup_days }} days.{% if backup_days > 90 %} long{% endif %}")[0].1,
        FieldType::Number
    );
    let l = infer("{% for b in bridges %}{{ b | capitalize }}{% endfor %}");
    assert_eq!(l[0].kind, FieldType::List);
    assert_eq!(l[0].item.as_deref().unwrap().kind, FieldType::Text);
}

#[test]
fn yes_no_only_for_bare_conditions() {
    assert_eq!(
        kinds(r#"{% if region == "eu" %}x{% endif %}"#)[0].1,
        FieldType::Text
    );
    let k = kinds(r#"{% set host = hhs_name ~ "." ~ domain %}{{ host }}"#);
    assert_eq!(k[0], ("hhs_name".into(), FieldType::Text));
    assert_eq!(k[1], ("domain".into(), FieldType::Hostname));
    assert_eq!(
        kinds("{% macro c(a) %}{{ a }}{% endmacro %}{{ c(admin_email) }}"),
        vec![("admin_email".into(), FieldType::Email)]
    );
    assert_eq!(
        kinds("{% if bridges_enabled %}x{% endif %}")[0].1,
        FieldType::Bool
    );
    assert_eq!(
        kinds("{% if not is_eu and has_dpo %}x{% endif %}")[1].1,
        FieldType::Bool
    );
    assert_eq!(kinds("{{ x | upper }}")[0].1, FieldType::Text);
    let opt = infer(r#"{{ dpo_name | default("our DPO") }}"#);
    assert!(!opt[0].required);
}
