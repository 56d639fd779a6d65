//! The tenant list of a workspace: new, duplicate, rename and delete.
//!
//! A tenant's id is its file's stem (`tenants/<id>.json`), and its exports
//! (`exports/<id>/…`) and history records are keyed by it. Renaming therefore changes the name a
//! tenant is shown and printed under, never its id: its history and published files stay its own.
//! New files are written with [`write_new`], so a tenant is never created over another one, even
//! by a second window at the same moment.

use std::io;
use std::path::PathBuf;

use crate::atomic::write_new;
use crate::error::EngineError;
use crate::tenant::TenantFile;

use super::{Tenant, Workspace};

/// A file-name-safe id for a display name: lowercase letters and digits joined by `-`
/// ("Acme Corporation Ltd." → `acme-corporation-ltd`); `tenant` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() { "tenant".into() } else { out }
}

impl Workspace {
    /// `tenants/`, where tenant files live.
    pub fn tenants_dir(&self) -> PathBuf {
        self.root.join("tenants")
    }

    /// An id for a new tenant called `name`: its slug, or the slug with `-2`, `-3`, … when a file
    /// already has it (an unreadable file included).
    pub fn free_tenant_id(&self, name: &str) -> String {
        let base = slug(name);
        let dir = self.tenants_dir();
        let taken = |id: &str| dir.join(format!("{id}.json")).exists();
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !taken(id))
            .unwrap_or(base)
    }

    /// A new tenant with an answer slot for every field of every document (declared defaults
    /// filled in), saved as `tenants/<id>.json`.
    pub fn create_tenant(&self, name: &str) -> Result<Tenant, EngineError> {
        let name = display_name(name, &self.tenants_dir())?;
        let mut file = TenantFile::new(name);
        for doc in &self.documents {
            for (k, v) in TenantFile::skeleton(&doc.template, "").values {
                file.values.entry(k).or_insert(v);
            }
        }
        self.add(file)
    }

    /// A copy of `source`'s answers under a new name and id (a new customer like an old one).
    pub fn duplicate_tenant(&self, source: &Tenant, name: &str) -> Result<Tenant, EngineError> {
        let mut file = source.file.clone();
        file.tenant = display_name(name, &source.path)?;
        self.add(file)
    }

    /// Gives `tenant` a new display name; its id, file, exports and history stay.
    pub fn rename_tenant(&self, tenant: &Tenant, name: &str) -> Result<Tenant, EngineError> {
        let mut t = tenant.clone();
        t.file.tenant = display_name(name, &tenant.path)?;
        t.file.save(&t.path)?;
        Ok(t)
    }

    /// Deletes `tenant`'s file. Its exports and history records are kept: they are a record of
    /// what was sent.
    pub fn delete_tenant(&self, tenant: &Tenant) -> Result<(), EngineError> {
        std::fs::remove_file(&tenant.path).map_err(|source| EngineError::Write {
            path: tenant.path.clone(),
            source,
        })?;
        if let Ok(d) = std::fs::File::open(self.tenants_dir()) {
            let _ = d.sync_all(); // the removal survives a crash
        }
        Ok(())
    }

    fn add(&self, file: TenantFile) -> Result<Tenant, EngineError> {
        let dir = self.tenants_dir();
        std::fs::create_dir_all(&dir).map_err(|source| EngineError::Write {
            path: dir.clone(),
            source,
        })?;
        // Another window may take the id between the look and the write: write_new refuses to
        // replace, so look again and retry rather than overwrite its tenant.
        for _ in 0..16 {
            let id = self.free_tenant_id(&file.tenant);
            let path = dir.join(format!("{id}.json"));
            match write_new(&path, file.to_json().as_bytes()) {
                Ok(()) => return Ok(Tenant { id, path, file }),
                Err(EngineError::Write { source, .. })
                    if source.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        Err(EngineError::Write {
            path: dir,
            source: io::Error::new(
                io::ErrorKind::AlreadyExists,
                "no free file name for this tenant; choose another name",
            ),
        })
    }
}

/// The trimmed name, or an error naming `path` when nothing is left of it.
fn display_name(name: &str, path: &std::path::Path) -> Result<String, EngineError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EngineError::Write {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "a tenant needs a name"),
        });
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Acme Corporation Ltd."), "acme-corporation-ltd");
        assert_eq!(slug("  "), "tenant");
        assert_eq!(slug("Ünïcode GmbH"), "ünïcode-gmbh");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
    }
}
