//! A template family edited as one: the documents of `templates/<family>/` share one tenant
//! file, so the form asks each field once (the union of the documents' fields) and each document
//! is rendered and checked with the answers meant for it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::EngineError;
use crate::template::answers::sibling_keys;
use crate::template::{Field, NoticeTemplate};

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

/// The answer keys only the siblings of the template at `path` read: its family is the folder
/// when that is `<root>/templates/<family>/`; none for a template on its own.
pub fn sibling_keys_at(path: &Path, doc: &NoticeTemplate) -> Result<BTreeSet<String>, EngineError> {
    let Some(root) = path
        .parent()
        .and_then(Path::parent)
        .filter(|t| t.file_name().is_some_and(|n| n == "templates"))
        .and_then(Path::parent)
    else {
        return Ok(BTreeSet::new());
    };
    let Some(paths) = family_paths(root, path)? else {
        return Ok(BTreeSet::new());
    };
    let mut family = Vec::new();
    for p in paths {
        if p != path {
            family.push(NoticeTemplate::load(&p)?);
        }
    }
    Ok(sibling_keys(doc, &family))
}
