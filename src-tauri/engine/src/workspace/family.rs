//! A template family edited as one: the documents of `templates/<family>/` share one tenant
//! file, so the form asks each field once (the union of the documents' fields) and each document
//! is rendered and checked with the answers meant for it.

use std::path::{Path, PathBuf};

use crate::error::EngineError;
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
