//! Field migration between template versions: which fields are new, which were dropped, which
//! were renamed (`renamed_from`), and a suggested mapping of dropped onto new fields by name, so a
//! tenant's old answers can be carried over instead of typed again.

use serde::{Deserialize, Serialize};

use crate::template::NoticeTemplate;
use crate::values::{FieldValue, TenantValues};

/// How the fields changed from one template version to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldChanges {
    /// In the new version only (renamed ones excluded).
    pub added: Vec<String>,
    /// In the old version only (renamed ones excluded).
    pub dropped: Vec<String>,
    /// `(old, new)` declared by the new version's `renamed_from`.
    pub renamed: Vec<(String, String)>,
    /// `(dropped, added)` pairs whose names look alike: a starting point for the user's mapping.
    pub suggested: Vec<(String, String)>,
}

/// A tenant's answers against one template: the answers it no longer uses, each with the field
/// it most likely moved to, and the fields still without an answer (where they could go).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MigrationPlan {
    /// Answers no field of the new version reads.
    pub orphans: Vec<Orphan>,
    /// Fields of the template with no answer yet, in form order.
    pub open_fields: Vec<String>,
}

/// An answer for a field the template does not use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Orphan {
    /// The answer's key.
    pub name: String,
    /// The answer.
    pub value: FieldValue,
    /// An open field whose name looks alike: where the answer most likely moved (the user
    /// decides).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub suggested: Option<String>,
}

/// The plan for carrying `values` over to `t`. Answers `t` takes under a `renamed_from` name are
/// not orphans: the template reads them already.
pub fn plan_migration(t: &NoticeTemplate, values: &TenantValues) -> MigrationPlan {
    let open_fields: Vec<String> = t
        .fields
        .iter()
        .filter(|f| values.get(&f.name).is_none_or(FieldValue::is_blank))
        .filter(|f| {
            !f.renamed_from
                .iter()
                .any(|r| values.get(r).is_some_and(|v| !v.is_blank()))
        })
        .map(|f| f.name.clone())
        .collect();
    let mut taken: Vec<&String> = Vec::new();
    let mut orphans = Vec::new();
    for (k, v) in values {
        if t.reads(k) || v.is_blank() {
            continue;
        }
        let suggested = open_fields
            .iter()
            .filter(|a| !taken.contains(a))
            .map(|a| (strsim::normalized_levenshtein(k, a), a))
            .max_by(|x, y| x.0.total_cmp(&y.0))
            .filter(|(score, _)| *score >= 0.6)
            .map(|(_, a)| a);
        taken.extend(suggested);
        orphans.push(Orphan {
            name: k.clone(),
            value: v.clone(),
            suggested: suggested.cloned(),
        });
    }
    MigrationPlan {
        orphans,
        open_fields,
    }
}

/// Compares the fields of two versions of a template.
pub fn field_changes(old: &NoticeTemplate, new: &NoticeTemplate) -> FieldChanges {
    let old_names: Vec<&str> = old.fields.iter().map(|f| f.name.as_str()).collect();
    let new_names: Vec<&str> = new.fields.iter().map(|f| f.name.as_str()).collect();
    let mut c = FieldChanges::default();
    for f in &new.fields {
        for r in &f.renamed_from {
            if old_names.contains(&r.as_str()) && !new_names.contains(&r.as_str()) {
                c.renamed.push((r.clone(), f.name.clone()));
            }
        }
    }
    let renamed_old = |n: &str| c.renamed.iter().any(|(o, _)| o == n);
    let renamed_new = |n: &str| c.renamed.iter().any(|(_, m)| m == n);
    c.dropped = old_names
        .iter()
        .filter(|n| !new_names.contains(n) && !renamed_old(n))
        .map(|n| (*n).to_owned())
        .collect();
    c.added = new_names
        .iter()
        .filter(|n| !old_names.contains(n) && !renamed_new(n))
        .map(|n| (*n).to_owned())
        .collect();
    let mut taken: Vec<&str> = Vec::new();
    for d in &c.dropped {
        let best = c
            .added
            .iter()
            .filter(|a| !taken.contains(&a.as_str()))
            .map(|a| (strsim::normalized_levenshtein(d, a), a))
            .max_by(|x, y| x.0.total_cmp(&y.0));
        if let Some((score, a)) = best
            && score >= 0.6
        {
            taken.push(a);
            c.suggested.push((d.clone(), a.clone()));
        }
    }
    c
}

/// Carries values over: each `(old, new)` pair moves the old field's value to the new field
/// (unless the tenant already has one there). Values of other fields are kept as they are.
pub fn migrate(values: &TenantValues, mapping: &[(String, String)]) -> TenantValues {
    let mut out = values.clone();
    for (old, new) in mapping {
        if let Some(v) = values.get(old) {
            let has_new = out.get(new).is_some_and(|x| !x.is_blank());
            if !has_new {
                out.insert(new.clone(), v.clone());
            }
            out.remove(old);
        }
    }
    out
}
