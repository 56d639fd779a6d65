//! Value checks: defaults applied, values validated by type, unknown and unused fields, unfilled
//! placeholders and template syntax typed into values.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::render::HitInfo;
use crate::render::Placer;
use crate::render::markdown::Pos;
use crate::template::fields::suggest;
use crate::template::{FieldOrigin, FieldType, NoticeTemplate};
use crate::values::{self, FieldValue, TenantValues};

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
            let has_else = t
                .registry
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .looped_with_else
                .contains(&f.name);
            if f.kind == crate::FieldType::List && f.required && f.default.is_none() && !has_else {
                let mut d = Diagnostic::error(
                    Code::UnfilledPlaceholder,
                    format!(
                        "{} is an empty list: the document would list nothing",
                        f.label
                    ),
                )
                .with_field(&f.name)
                .with_hint(format!("add a row to {}", f.label));
                if let Some(s) = first_use(&f.name) {
                    d = placer.at(d, s.1);
                }
                diags.push(d);
            }
            continue;
        }
        for (path, label, field, why, shown) in validate_deep(f, v, f.name.clone(), f.label.clone())
        {
            let mut d = Diagnostic::error(Code::InvalidValue, format!("{label} {why}: {shown:?}"))
                .with_field(&f.name)
                .with_hint(match &field.example {
                    Some(e) => format!("expected a {}, for example {e}", field.kind.describe()),
                    None => format!("expected a {}", field.kind.describe()),
                });
            if path != f.name {
                d = d.with_field_path(path);
            }
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

/// Every problem of a value against its field, also inside lists (each row by the item's field)
/// and records (each attribute by its sub-field): (path, label, field, why, the text shown).
fn validate_deep<'f>(
    f: &'f crate::template::Field,
    v: &FieldValue,
    path: String,
    label: String,
) -> Vec<(String, String, &'f crate::template::Field, String, String)> {
    use crate::FieldType;
    let mut out = Vec::new();
    match (f.kind, v) {
        (FieldType::List, FieldValue::List(items)) => {
            let Some(item) = f.item.as_deref() else {
                return out;
            };
            for (i, it) in items.iter().enumerate() {
                if it.is_blank() && item.kind != FieldType::Group {
                    out.push((
                        format!("{path}[{i}]"),
                        format!("{label}, row {}", i + 1),
                        item,
                        "is empty".to_owned(),
                        String::new(),
                    ));
                    continue;
                }
                out.extend(validate_deep(
                    item,
                    it,
                    format!("{path}[{i}]"),
                    format!("{label}, row {}", i + 1),
                ));
            }
        }
        (FieldType::Group, FieldValue::Record(r)) => {
            for sub in &f.fields {
                let here = format!("{path}.{}", sub.name);
                let sub_label = format!("{label}: {}", sub.label.to_lowercase());
                match r.get(&sub.name) {
                    Some(x) if !x.is_blank() => out.extend(validate_deep(sub, x, here, sub_label)),
                    _ if sub.required && sub.default.is_none() => {
                        out.push((here, sub_label, sub, "is empty".to_owned(), String::new()))
                    }
                    _ => {}
                }
            }
        }
        (FieldType::Number, _) => {
            let n = match v {
                FieldValue::Number(n) => n.as_f64(),
                FieldValue::Text(s) => values::parse_number(s).ok().and_then(|n| n.as_f64()),
                _ => None,
            };
            match n {
                None => out.push((
                    path,
                    label,
                    f,
                    values::validate(f.kind, &f.options, v)
                        .err()
                        .unwrap_or_else(|| "is not a number".into()),
                    v.as_text().into_owned(),
                )),
                Some(n) => {
                    let unit = f
                        .unit
                        .as_deref()
                        .map(|u| format!(" {u}"))
                        .unwrap_or_default();
                    if let Some(min) = f.min.filter(|m| n < *m) {
                        out.push((
                            path.clone(),
                            label.clone(),
                            f,
                            format!("must be at least {min}{unit}"),
                            v.as_text().into_owned(),
                        ));
                    }
                    if let Some(max) = f.max.filter(|m| n > *m) {
                        out.push((
                            path,
                            label,
                            f,
                            format!("must be at most {max}{unit}"),
                            v.as_text().into_owned(),
                        ));
                    }
                }
            }
        }
        // A type the engine only guessed from how the template uses a name gives way to the
        // tenant's data: a yes/no or a number printed where text was guessed is what Jinja
        // prints. Only text is checked against a guessed type.
        _ if f.origin == crate::template::FieldOrigin::Inferred
            && !matches!(v, FieldValue::Text(_)) => {}
        _ => {
            if let Err(why) = values::validate(f.kind, &f.options, v) {
                out.push((path, label, f, why, v.as_text().into_owned()));
            }
        }
    }
    out
}

/// Record attributes nobody defined (`company.nmae`): neither a declared sub-field nor a key of
/// the tenant's record. Reported as unknown, with the likely name, instead of only "no value".
pub(crate) fn attribute_checks(
    t: &NoticeTemplate,
    values: &TenantValues,
    hits: &[HitInfo],
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen = BTreeSet::new();
    for h in hits.iter().filter(|h| h.unfilled && h.printed) {
        let (Some(field), Some(path)) = (&h.field, &h.path) else {
            continue;
        };
        let Some((parent, attr)) = path.rsplit_once('.') else {
            continue;
        };
        if !seen.insert(path.clone()) {
            continue;
        }
        let Some(f) = t.field(field) else { continue };
        let declared: Vec<&str> = declared_attrs(f, &parent[field.len()..]);
        let given: Vec<String> = match lookup_path(values, parent) {
            Some(FieldValue::Record(r)) => r.keys().cloned().collect(),
            _ => vec![],
        };
        let known: Vec<&str> = if f.origin == FieldOrigin::Declared {
            declared
        } else {
            given.iter().map(String::as_str).collect()
        };
        if known.is_empty() || known.contains(&attr) {
            continue;
        }
        let mut d = Diagnostic::error(
            Code::UnknownField,
            format!("`{parent}` has no field `{attr}`"),
        )
        .with_field(field)
        .with_field_path(path);
        d = match suggest(attr, known.iter().copied()) {
            Some(s) => d.with_hint(format!("did you mean `{parent}.{s}`?")),
            None => d.with_hint(format!("its fields are: {}", known.join(", "))),
        };
        let pos = Pos {
            file: h.span.file,
            line: h.span.line,
            col: h.span.column,
        };
        diags.push(placer.at(d, pos));
    }
}

/// The declared sub-fields below `rest` (`""`, `[0]`, `.address`) of a field.
fn declared_attrs<'f>(f: &'f crate::template::Field, rest: &str) -> Vec<&'f str> {
    let mut field = f;
    for part in rest.split(['.', '[']).filter(|p| !p.is_empty()) {
        field = if part.ends_with(']') {
            match field.item.as_deref() {
                Some(i) => i,
                None => return vec![],
            }
        } else {
            match field.sub_field(part) {
                Some(s) => s,
                None => return vec![],
            }
        };
    }
    let group = match field.kind {
        crate::FieldType::List => field.item.as_deref().unwrap_or(field),
        _ => field,
    };
    group.fields.iter().map(|f| f.name.as_str()).collect()
}

/// The value at a path such as `subprocessors[1].address`.
fn lookup_path<'v>(values: &'v TenantValues, path: &str) -> Option<&'v FieldValue> {
    let mut parts = path.split(['.', '[']).filter(|p| !p.is_empty());
    let mut v = values.get(parts.next()?)?;
    for part in parts {
        v = match (part.strip_suffix(']'), v) {
            (Some(i), FieldValue::List(items)) => items.get(i.parse::<usize>().ok()?)?,
            (None, FieldValue::Record(r)) => r.get(part)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Unfilled placeholders, and template syntax pasted into values.
pub(crate) fn hit_checks(hits: &[HitInfo], placer: &Placer, diags: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for h in hits {
        if !h.printed || !seen.insert(h.slot) {
            continue;
        }
        let pos = Pos {
            file: h.span.file,
            line: h.span.line,
            col: h.span.column,
        };
        let field = h.field.clone().unwrap_or_default();
        if h.unfilled {
            let shown = h.path.clone().unwrap_or_else(|| field.clone());
            let mut d = Diagnostic::error(
                Code::UnfilledPlaceholder,
                format!("{} (`{shown}`) has no value", h.label),
            )
            .with_field(&field)
            .with_hint(format!("fill in {}", h.label))
            .spanning(h.span.end_column.saturating_sub(h.span.column));
            if shown != field {
                d = d.with_field_path(shown);
            }
            diags.push(placer.at(d, pos));
        } else if h.compound {
            diags.push(
                placer.at(
                    Diagnostic::warning(
                        Code::InvalidValue,
                        format!(
                            "{} is printed whole, as {:?}",
                            h.label,
                            h.text.as_deref().unwrap_or_default()
                        ),
                    )
                    .with_field(&field)
                    .with_hint("loop over it (`{% for x in … %}`) or join it (`| join(\", \")`)")
                    .spanning(h.span.end_column.saturating_sub(h.span.column)),
                    pos,
                ),
            );
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
