//! Value checks: defaults applied, values validated by type, unknown and unused fields, unfilled
//! placeholders and template syntax typed into values.

use std::collections::BTreeSet;

use crate::check::Placer;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::HitInfo;
use crate::render::markdown::Pos;
use crate::render::token;
use crate::template::fields::suggest;
use crate::template::{FieldOrigin, FieldType, NoticeTemplate};
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
        .map(|(k, v)| {
            let v = match v {
                FieldValue::Text(s) => FieldValue::Text(token::sanitize(s).into_owned()),
                b => b.clone(),
            };
            (k.clone(), v)
        })
        .collect();
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
            .map(|(k, v)| {
                let v = match v {
                    FieldValue::Bool(b) => minijinja::Value::from(*b),
                    FieldValue::Text(s) => minijinja::Value::from(s.as_str()),
                };
                (k.as_str(), v)
            })
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

/// Type errors, unknown tenant values, undeclared placeholders, unused declarations and legacy
/// placeholders.
pub(crate) fn field_checks(
    t: &NoticeTemplate,
    given: &TenantValues,
    effective: &TenantValues,
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) {
    let sites = t.placeholder_sites_internal();
    let first_use = |name: &str| {
        sites
            .iter()
            .filter(|s| s.0.iter().any(|v| v == name))
            .min_by_key(|s| (s.1.line, s.1.col))
    };
    for f in &t.fields {
        let Some(v) = effective.get(&f.name) else {
            continue;
        };
        if v.is_blank() {
            continue;
        }
        if let Err(why) = values::validate(f.kind, &f.options, v) {
            let mut d = Diagnostic::error(
                Code::InvalidValue,
                format!("{} {why}: {:?}", f.label, v.as_text()),
            )
            .with_field(&f.name)
            .with_hint(match &f.example {
                Some(e) => format!("expected a {}, for example {e}", f.kind.describe()),
                None => format!("expected a {}", f.kind.describe()),
            });
            if let Some(s) = first_use(&f.name) {
                d = placer.at(d, s.1);
            }
            diags.push(d);
        }
    }
    for (key, v) in given {
        let FieldValue::Text(text) = v else { continue };
        if let Err(why) = super::invisible::check(text) {
            let label = t.field(key).map_or(key.as_str(), |f| f.label.as_str());
            let mut d = Diagnostic::error(Code::InvisibleCharacter, format!("{label} {why}"))
                .with_field(key)
                .with_hint("retype the value, or paste it as plain text; invisible characters are never needed in a notice");
            if let Some(s) = first_use(key) {
                d = placer.at(d, s.1);
            }
            diags.push(d);
        }
    }
    for f in &t.fields {
        let Some(FieldValue::Text(text)) = effective.get(&f.name) else {
            continue;
        };
        let text = text.trim();
        let host = match f.kind {
            FieldType::Hostname => Some(text),
            FieldType::MatrixServerName => Some(match text.rsplit_once(':') {
                Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => h,
                _ => text,
            }),
            FieldType::Email => text.rsplit_once('@').map(|(_, h)| h),
            FieldType::Url => text
                .split_once("://")
                .map(|(_, rest)| rest.split(['/', ':', '?', '#']).next().unwrap_or(rest)),
            _ => None,
        };
        if let Some(why) = host.and_then(super::hostnames::confusable) {
            let mut d = Diagnostic::error(
                Code::ConfusableHost,
                format!("{}: the host name {why}", f.label),
            )
            .with_field(&f.name)
            .with_hint("type the name in plain Latin letters, or confirm the punycode form is the intended host");
            if let Some(s) = first_use(&f.name) {
                d = placer.at(d, s.1);
            }
            diags.push(d);
        }
    }
    let known: Vec<&str> = t.fields.iter().map(|f| f.name.as_str()).collect();
    let old_names: BTreeSet<&str> = t
        .fields
        .iter()
        .flat_map(|f| f.renamed_from.iter().map(String::as_str))
        .collect();
    for key in given.keys() {
        if known.contains(&key.as_str()) || old_names.contains(key.as_str()) {
            continue;
        }
        let mut d = Diagnostic::new(
            if t.declares_fields {
                crate::Severity::Error
            } else {
                crate::Severity::Warning
            },
            Code::UnknownField,
            format!("the tenant has a value for `{key}`, which this template does not use"),
        )
        .with_field(key);
        d = match suggest(key, known.iter().copied()) {
            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
            None => d.with_hint("remove it, or check the template is the right one"),
        };
        diags.push(d);
    }
    if t.declares_fields {
        for (vars, pos) in &sites {
            for v in vars {
                if !known.contains(&v.as_str()) {
                    let mut d = Diagnostic::error(
                        Code::UnknownField,
                        format!("placeholder `{v}` is not a declared field"),
                    )
                    .with_field(v);
                    d = match suggest(v, known.iter().copied()) {
                        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                        None => d.with_hint("declare it in the template's fields"),
                    };
                    diags.push(placer.at(d, *pos));
                }
            }
        }
    }
    for f in &t.fields {
        if f.origin == FieldOrigin::Declared && f.uses == 0 {
            diags.push(
                Diagnostic::info(
                    Code::UnusedField,
                    format!("field `{}` is declared but no placeholder uses it", f.name),
                )
                .with_field(&f.name),
            );
        }
    }
    let mut seen = BTreeSet::new();
    for (name, pos) in t.legacy_sites() {
        if seen.insert(name.clone()) {
            diags.push(
                placer.at(
                    Diagnostic::info(
                        Code::LegacyPlaceholder,
                        format!(
                            "legacy placeholder %%{}%% is filled from field `{name}`",
                            name.to_ascii_uppercase()
                        ),
                    )
                    .with_field(&name)
                    .with_hint(format!("write {{{{ {name} }}}} instead")),
                    pos,
                ),
            );
        }
    }
}

/// Unfilled placeholders, and template syntax pasted into values.
pub(crate) fn hit_checks(hits: &[HitInfo], placer: &Placer, diags: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for h in hits {
        if !seen.insert(h.slot) {
            continue;
        }
        let pos = Pos {
            file: h.span.file,
            line: h.span.line,
            col: h.span.column,
        };
        let field = h.field.clone().unwrap_or_default();
        if h.unfilled {
            let d = Diagnostic::error(
                Code::UnfilledPlaceholder,
                format!("{} (`{field}`) has no value", h.label),
            )
            .with_field(&field)
            .with_hint(format!("fill in {}", h.label))
            .spanning(h.span.end_column.saturating_sub(h.span.column));
            diags.push(placer.at(d, pos));
        } else if let Some(text) = &h.text
            && has_template_syntax(text)
        {
            diags.push(
                placer.at(
                    Diagnostic::error(
                        Code::LeftoverPlaceholder,
                        format!("the value of `{field}` holds template syntax: {text:?}"),
                    )
                    .with_field(&field)
                    .with_hint("type the real value, not a placeholder"),
                    pos,
                ),
            );
        }
    }
}

/// `{{`, `}}`, `{%`, `%}` or `%%NAME%%`.
pub(crate) fn has_template_syntax(s: &str) -> bool {
    s.contains("{{")
        || s.contains("}}")
        || s.contains("{%")
        || s.contains("%}")
        || legacy_token(s).is_some()
}

/// The byte offset and length of the first `%%NAME%%` in `s`.
pub(crate) fn legacy_token(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(rel) = s[i..].find("%%") {
        let start = i + rel;
        let mut j = start + 2;
        if j < b.len() && b[j].is_ascii_uppercase() {
            while j < b.len()
                && (b[j].is_ascii_uppercase() || b[j].is_ascii_digit() || b[j] == b'_')
            {
                j += 1;
            }
            if s[j..].starts_with("%%") {
                return Some((start, j + 2 - start));
            }
        }
        i = start + 2;
    }
    None
}
