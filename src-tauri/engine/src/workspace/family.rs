//! A template family edited as one: the documents of `templates/<family>/` share one tenant
//! file, so the form asks each field once (the union of the documents' fields) and each document
//! is rendered and checked with the answers meant for it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::EngineError;
use crate::template::{Field, NoticeTemplate};
use crate::values::TenantValues;

/// The family of the template at `path`, when it lies in `<root>/templates/<family>/`: every
/// `.md` file of that folder, sorted. `None` outside a workspace's templates.
pub fn family_paths(root: &Path, path: &Path) -> Result<Option<Vec<PathBuf>>, EngineError> {
    let Some(dir) = path.parent() else {
        return Ok(None);
    };
    let in_workspace = dir.parent().is_some_and(|t| t == root.join("templates"));
    if !in_workspace {
        return Ok(None);
    }
    let rd = std::fs::read_dir(dir).map_err(|source| EngineError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    Ok(Some(paths))
}

/// Every field of the family once. Documents that declare their fields come first, so a field
/// keeps its declared label, type and help over a name-inferred one; after that, document order.
pub fn union_fields<'a>(docs: impl IntoIterator<Item = &'a NoticeTemplate>) -> Vec<Field> {
    let mut docs: Vec<&NoticeTemplate> = docs.into_iter().collect();
    docs.sort_by_key(|d| !d.declares_fields); // stable: declared first, folder order kept
    let mut out: Vec<Field> = Vec::new();
    for d in docs {
        for f in &d.fields {
            if !out.iter().any(|o| o.name == f.name) {
                out.push(f.clone());
            }
        }
    }
    out
}

/// The answers for `doc` out of the family's tenant file: answers for a sibling's fields are
/// left out (they are not "unknown" here), while answers no document of the family uses are
/// kept, so `doc`'s checks still report them.
pub fn values_for<'a>(
    doc: &NoticeTemplate,
    family: impl IntoIterator<Item = &'a NoticeTemplate>,
    values: &TenantValues,
) -> TenantValues {
    values_without(values, &sibling_keys(doc, family))
}

/// The answer keys `doc`'s siblings read and `doc` does not: what [`values_for`] leaves out. Kept
/// as a list so a caller holding only `doc` (the web view's engine) can filter the same way.
pub fn sibling_keys<'a>(
    doc: &NoticeTemplate,
    family: impl IntoIterator<Item = &'a NoticeTemplate>,
) -> BTreeSet<String> {
    family
        .into_iter()
        .flat_map(|s| {
            s.fields
                .iter()
                .flat_map(|f| std::iter::once(&f.name).chain(&f.renamed_from))
        })
        .filter(|k| !doc.reads(k))
        .cloned()
        .collect()
}

/// `values` without the answers under `keys`.
pub fn values_without(values: &TenantValues, keys: &BTreeSet<String>) -> TenantValues {
    values
        .iter()
        .filter(|(k, _)| !keys.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
