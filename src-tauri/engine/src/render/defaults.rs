//! Defaults: the values a render uses, from the tenant's answers and the fields' defaults.

use crate::diagnostic::{Code, Diagnostic};
use crate::template::{FieldOrigin, NoticeTemplate};
use crate::token;
use crate::values::{self, FieldValue, TenantValues};

/// The values a render uses: the tenant's (sanitized), values under a field's old name moved to
/// the new one, and defaults for fields left empty. Returns them and the fields that were derived.
pub(crate) fn apply_defaults(
    t: &NoticeTemplate,
    given: &TenantValues,
    diags: &mut Vec<Diagnostic>,
) -> (TenantValues, Vec<String>) {
    let mut effective: TenantValues = given
        .iter()
        .map(|(k, v)| (k.clone(), v.map_text(&|s| token::sanitize(s).into_owned())))
        .collect();
    // A number typed into a declared number field arrives as text from a form or an old file:
    // compare and compute with it as a number, as the template means. (Not for a type the engine
    // only guessed: there the data is what Jinja would see.)
    for f in &t.fields {
        if f.kind == crate::FieldType::Number
            && f.origin == FieldOrigin::Declared
            && let Some(FieldValue::Text(s)) = effective.get(&f.name)
            && let Ok(n) = values::parse_number(s)
        {
            effective.insert(f.name.clone(), FieldValue::Number(n));
        }
    }
    for f in &t.fields {
        if effective.get(&f.name).is_none_or(FieldValue::is_blank)
            && let Some(old) = f
                .renamed_from
                .iter()
                .find_map(|o| given.get(o).filter(|v| !v.is_blank()))
        {
            effective.insert(f.name.clone(), old.clone());
        }
    }
    let mut derived = Vec::new();
    for f in &t.fields {
        let Some(default) = &f.default else { continue };
        if !effective.get(&f.name).is_none_or(FieldValue::is_blank) {
            continue;
        }
        if !default.contains("{{") && !default.contains("{%") {
            effective.insert(f.name.clone(), FieldValue::Text(default.clone()));
            derived.push(f.name.clone());
            continue;
        }
        let env = minijinja::Environment::new();
        let tmpl = match env.template_from_str(default) {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        Code::Syntax,
                        format!(
                            "the default of `{}` is not a valid expression: {}",
                            f.name,
                            e.detail().unwrap_or("syntax error")
                        ),
                    )
                    .with_field(&f.name),
                );
                continue;
            }
        };
        // A default built from empty fields would print half a value (".example.org"): skip it.
        let inputs = tmpl.undeclared_variables(false);
        if inputs
            .iter()
            .any(|v| effective.get(v).is_none_or(FieldValue::is_blank))
        {
            continue;
        }
        let ctx: std::collections::BTreeMap<&str, minijinja::Value> = effective
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_jinja()))
            .collect();
        if let Ok(s) = tmpl.render(ctx)
            && !s.trim().is_empty()
        {
            effective.insert(f.name.clone(), FieldValue::Text(s));
            derived.push(f.name.clone());
        }
    }
    (effective, derived)
}
