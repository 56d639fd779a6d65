//! Hits: each value a placeholder printed, resolved against the template's fields (which field,
//! which row, its label, whether it counts as unfilled).

use super::markdown::SiteSpan;
use crate::template::jinja::Hit;
use crate::template::{Field, FieldType, NoticeTemplate};
use crate::values::{FieldValue, TenantValues};

/// One value a placeholder produced, resolved against the template.
#[derive(Debug, Clone)]
pub(crate) struct HitInfo {
    pub text: Option<String>,
    pub unfilled: bool,
    /// The top-level field the value belongs to.
    pub field: Option<String>,
    /// Where in that field: `subprocessors[1].name` (the field's name alone for a plain value).
    pub path: Option<String>,
    pub label: String,
    pub span: SiteSpan,
    pub slot: u32,
    /// Whether the value reached the document (a captured block may never be printed).
    pub printed: bool,
    /// A list or a record printed whole.
    pub compound: bool,
}

pub(crate) fn resolve_hits(
    t: &NoticeTemplate,
    values: &TenantValues,
    hits: &[Hit],
) -> Vec<HitInfo> {
    let r = t.registry.lock().unwrap_or_else(|e| e.into_inner());
    // By name: a template may have thousands of fields, and every hit looks some up.
    let fields: std::collections::HashMap<&str, &Field> =
        t.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let known_target = |slot: u32, rows: &[u32]| {
        let site = r.sites.get(slot as usize)?;
        let target = site.at.target.as_ref()?;
        fields.contains_key(target.field.as_str()).then(|| {
            let value = target.lookup(values, rows);
            (target.field.clone(), target.path(rows), value)
        })
    };
    hits.iter()
        .map(|h| {
            let site = r.sites.get(h.slot as usize);
            let blank = h.text.as_deref().is_none_or(|s| s.trim().is_empty());
            let vars = site.map(|s| s.vars.as_slice()).unwrap_or(&[]);
            let missing = |v: &String| values.get(v).is_none_or(FieldValue::is_blank);
            // The field to blame: where the scopes say the value comes from (through a loop, or
            // through the placeholder that printed a macro's output), else the first variable
            // without a value, else the first variable.
            let traced = known_target(h.slot, &h.rows).or_else(|| {
                h.via
                    .iter()
                    .find_map(|(slot, rows)| known_target(*slot, rows))
            });
            // Printing nothing is a gap only when a value it reads is missing (`{{ "s" if n != 1
            // }}` prints nothing on purpose) and that value is required.
            let (field, path, input_missing) = match traced {
                Some((f, p, value)) => (Some(f), Some(p), value.is_none_or(FieldValue::is_blank)),
                None => {
                    let f = vars
                        .iter()
                        .find(|v| fields.contains_key(v.as_str()) && missing(v))
                        .or(vars.first())
                        .cloned();
                    (f.clone(), f, !vars.is_empty() && vars.iter().any(missing))
                }
            };
            let required = field
                .as_deref()
                .and_then(|f| fields.get(f))
                .is_none_or(|f| f.required || f.kind == FieldType::Bool);
            let unfilled = blank && input_missing && required;
            let label = field
                .as_deref()
                .and_then(|f| fields.get(f))
                .map(|f| sub_label(f, path.as_deref()))
                .or_else(|| path.clone())
                .unwrap_or_else(|| "value".into());
            let span = site.map_or(
                SiteSpan {
                    file: 0,
                    line: 1,
                    column: 1,
                    end_column: 1,
                },
                |s| SiteSpan {
                    file: s.at.file,
                    line: s.at.line,
                    column: s.at.column,
                    end_column: s.at.end_column,
                },
            );
            HitInfo {
                text: h.text.clone(),
                unfilled,
                field,
                path,
                label,
                span,
                slot: h.slot,
                printed: h.printed,
                compound: h.compound,
            }
        })
        .collect()
}

/// A value's label: the field's, with the row and the sub-field's label for a value inside a
/// list or record ("Subprocessors, row 2: name").
fn sub_label(f: &Field, path: Option<&str>) -> String {
    let Some(rest) = path.and_then(|p| p.strip_prefix(f.name.as_str())) else {
        return f.label.clone();
    };
    if rest.is_empty() {
        return f.label.clone();
    }
    let mut label = f.label.clone();
    let mut field = f;
    for part in rest.split_inclusive(['.', '[']).filter(|p| !p.is_empty()) {
        let part = part.trim_end_matches(['.', '[']);
        if let Some(row) = part.strip_suffix(']') {
            if let Ok(n) = row.parse::<u32>() {
                label.push_str(&format!(", row {}", n + 1));
            }
            if let Some(item) = field.item.as_deref() {
                field = item;
            }
        } else if !part.is_empty() {
            match field.sub_field(part) {
                Some(sub) => {
                    label.push_str(&format!(": {}", sub.label.to_lowercase()));
                    field = sub;
                }
                None => label.push_str(&format!(": {part}")),
            }
        }
    }
    label
}

/// The text a hit shows in plain-text contexts: its value, or `[Label]` when unfilled.
pub(crate) fn display_text(hits: &[HitInfo], i: usize) -> String {
    match hits.get(i) {
        Some(h) if !h.unfilled => h.text.clone().unwrap_or_default(),
        Some(h) => format!("[{}]", h.label),
        None => String::new(),
    }
}
