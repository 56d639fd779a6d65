//! Workspaces: a plain folder (usually a git repository) holding template families, one file per
//! tenant and the export history:
//!
//! ```text
//! templates/<family>/*.md      the documents of each family (with optional .fields.yaml sidecars)
//! tenants/*.json               one tenant each, values for every field of its documents
//! tenants/*.approvals.json     legal approvals, beside the tenant they approve
//! history.jsonl                every export, appended
//! exports/                     the default place exports go
//! trusted-reviewers.txt        whose approvals count (`ed25519:<key> Name <email>` per line)
//! settings.json                workspace settings, such as `require_approval` (`approval::settings`)
//! .notice/                     rebuildable per-machine files (the status cache), ignored by git
//! ```
//!
//! Everything is diffable text; every write is atomic ([`crate::atomic`]) or an append
//! ([`history`]).

pub mod consent;
pub mod export;
pub mod family;
pub mod history;
pub mod inputs;
pub mod migrate;
pub mod order;
pub mod publish;
pub mod redline;
pub mod staging;
pub mod status;
pub mod status_cache;
pub mod tenants;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::EngineError;
use crate::template::NoticeTemplate;
use crate::template::answers::sibling_keys;
use crate::tenant::TenantFile;

pub use history::{ExportRecord, History};

/// One document of a family.
#[derive(Debug)]
pub struct Document {
    /// `<family>/<stem>`, the id used in the history.
    pub id: String,
    /// The family (the folder under `templates/`).
    pub family: String,
    /// The file stem, such as `privacy_notice`.
    pub name: String,
    /// The loaded template.
    pub template: NoticeTemplate,
}

/// One tenant file.
#[derive(Debug, Clone)]
pub struct Tenant {
    /// The file stem: stable, used in export paths and the history.
    pub id: String,
    /// The tenant file.
    pub path: PathBuf,
    /// What it holds.
    pub file: TenantFile,
}

/// A workspace, read from disk.
#[derive(Debug)]
pub struct Workspace {
    /// The workspace folder.
    pub root: PathBuf,
    /// Every document, by family and file name.
    pub documents: Vec<Document>,
    /// Every tenant that could be read, in natural order of their ids.
    pub tenants: Vec<Tenant>,
    /// Tenant files and history lines that could not be read, with why (shown, never fatal;
    /// the files are left as they are).
    pub unreadable: Vec<EngineError>,
}

impl Workspace {
    /// Reads the workspace at `root`. Fails only when `templates/` cannot be listed.
    pub fn open(root: &Path) -> Result<Self, EngineError> {
        let mut documents = Vec::new();
        let templates = root.join("templates");
        for family_dir in sorted_entries(&templates)? {
            if !family_dir.is_dir() {
                continue;
            }
            let family = file_stem(&family_dir);
            for md in sorted_entries(&family_dir)? {
                if md.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let name = file_stem(&md);
                documents.push(Document {
                    id: format!("{family}/{name}"),
                    family: family.clone(),
                    name,
                    template: NoticeTemplate::load(&md)?,
                });
            }
        }
        let mut tenants = Vec::new();
        let mut unreadable = Vec::new();
        let tenants_dir = root.join("tenants");
        if tenants_dir.is_dir() {
            let files: Vec<PathBuf> = sorted_entries(&tenants_dir)?
                .into_iter()
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "json")
                        && !crate::approval::store::is_approvals_file(p)
                })
                .collect();
            // Read on every core: a fleet's workspace is thousands of small files.
            let read: Vec<_> = files
                .into_par_iter()
                .map(|p| TenantFile::load(&p).map(|(file, _)| (p, file)))
                .collect();
            for r in read {
                match r {
                    Ok((p, file)) => tenants.push(Tenant {
                        id: crate::tenant::tenant_id(&p),
                        path: p,
                        file,
                    }),
                    Err(e) => unreadable.push(e),
                }
            }
        }
        // File names sort as text (tenant-10 before tenant-2); people count.
        tenants.sort_by(|a, b| order::natural_cmp(&a.id, &b.id));
        match History::at(root).read() {
            Ok((_, bad_lines)) => unreadable.extend(bad_lines),
            Err(e) => unreadable.push(e),
        }
        Ok(Self {
            root: root.to_owned(),
            documents,
            tenants,
            unreadable,
        })
    }

    /// The workspace's export history.
    pub fn history(&self) -> History {
        History::at(&self.root)
    }

    /// The tenant with id `id`.
    pub fn tenant(&self, id: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }

    /// The answer keys only `doc`'s siblings (the other documents of its family) read.
    pub fn sibling_keys(&self, doc: &Document) -> BTreeSet<String> {
        let family = self
            .documents
            .iter()
            .filter(|d| d.family == doc.family)
            .map(|d| &d.template);
        sibling_keys(&doc.template, family)
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
    let rd = std::fs::read_dir(dir).map_err(|source| EngineError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut v: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    v.sort();
    Ok(v)
}

fn file_stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
