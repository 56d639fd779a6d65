//! Where each tenant stands with each document: up to date, never exported, exported at an older
//! version (a major bump means its users must accept again), changed since, or blocked by problems.

use std::collections::BTreeSet;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::status_cache::{StatusCache, Verdict};
use super::{Document, ExportRecord, Tenant, Workspace};
use crate::check::export_diagnostics;
use crate::diagnostic::Severity;
use crate::error::EngineError;
use crate::export::inputs_hash;
use crate::template::answers::answers;
use crate::values::TenantValues;

/// One tenant × document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DocStatus {
    /// Exported at the current version with the current answers.
    UpToDate {
        /// The version exported.
        version: String,
    },
    /// Exported at the current version, but the answers or the template text changed since.
    Changed {
        /// The version exported.
        version: String,
    },
    /// No export of it is recorded for the tenant.
    NeverExported,
    /// Last exported at an older version. `must_accept`: the major version changed.
    Outdated {
        /// The version last exported.
        exported: String,
        /// The version now.
        current: String,
        /// Whether users must accept the document again.
        must_accept: bool,
    },
    /// Errors stop an export now.
    Problems {
        /// How many errors.
        errors: u32,
    },
}

impl DocStatus {
    /// Short text for tables.
    pub fn label(&self) -> String {
        match self {
            DocStatus::UpToDate { version } => format!("up to date ({version})"),
            DocStatus::Changed { version } => format!("changed since {version}"),
            DocStatus::NeverExported => "never exported".into(),
            DocStatus::Outdated {
                exported,
                current,
                must_accept,
            } => format!(
                "outdated {exported} → {current}{}",
                if *must_accept {
                    " (users must accept again)"
                } else {
                    ""
                }
            ),
            DocStatus::Problems { errors } => format!("{errors} error(s)"),
        }
    }

    /// Needs a re-issue: behind the current version.
    pub fn is_outdated(&self) -> bool {
        matches!(self, DocStatus::Outdated { .. })
    }
}

/// A row of the status table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TenantStatus {
    /// The tenant's id.
    pub tenant: String,
    /// The tenant's display name.
    pub name: String,
    /// Per document id, in the workspace's document order.
    pub documents: Vec<(String, DocStatus)>,
}

/// The last export of `document` for `tenant`, if any.
pub fn last_export<'h>(
    history: &'h [ExportRecord],
    tenant: &str,
    document: &str,
) -> Option<&'h ExportRecord> {
    history
        .iter()
        .rev()
        .find(|r| r.tenant == tenant && r.document == document)
}

/// The last export of each tenant × document, read once: a lookup per cell instead of a scan of
/// the whole history per cell.
pub struct LastExports<'h>(HashMap<(&'h str, &'h str), &'h ExportRecord>);

impl<'h> LastExports<'h> {
    /// Indexes `history` by tenant and document.
    pub fn new(history: &'h [ExportRecord]) -> Self {
        Self(
            history
                .iter()
                .map(|r| ((r.tenant.as_str(), r.document.as_str()), r))
                .collect(),
        )
    }

    /// The last export of `document` for `tenant`.
    pub fn get(&self, tenant: &str, document: &str) -> Option<&'h ExportRecord> {
        self.0.get(&(tenant, document)).copied()
    }
}

/// The template's version as the history records it (empty when it has none).
fn current_version(doc: &Document) -> String {
    doc.template
        .version
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Renders and checks `doc` with `values` (the answers it reads).
fn render_verdict(doc: &Document, values: &TenantValues) -> Verdict {
    let errors = export_diagnostics(&doc.template, values)
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count() as u32;
    Verdict { errors }
}

/// Whether `doc` was last exported at another version than its current one: true needs no render.
pub fn is_behind(doc: &Document, last: Option<&ExportRecord>) -> bool {
    last.is_some_and(|rec| rec.version != current_version(doc))
}

/// The status of one document of `ws` for one tenant.
pub fn document_status(
    ws: &Workspace,
    doc: &Document,
    tenant: &Tenant,
    history: &[ExportRecord],
) -> DocStatus {
    cell_status(
        doc,
        &ws.sibling_keys(doc),
        tenant,
        last_export(history, &tenant.id, &doc.id),
        &StatusCache::disabled(),
    )
}

/// The status of one cell, its verdict taken from `cache` when the inputs are unchanged. A
/// template that reads other files at render time (`{% include %}`) is always rendered: what it
/// includes is not in its content hash.
fn cell_status(
    doc: &Document,
    sibling_keys: &BTreeSet<String>,
    tenant: &Tenant,
    last: Option<&ExportRecord>,
    cache: &StatusCache,
) -> DocStatus {
    let t = &doc.template;
    let current = current_version(doc);
    let values = answers(&tenant.file.values, sibling_keys);
    let inputs = inputs_hash(t, &values);
    let fresh = || render_verdict(doc, &values);
    let Verdict { errors } = if t.includes_files() {
        fresh()
    } else {
        cache.verdict(&inputs, fresh)
    };
    match last {
        Some(rec) if rec.version != current => {
            let major = |v: &str| semver::Version::parse(v).ok().map(|v| v.major);
            DocStatus::Outdated {
                must_accept: major(&rec.version) != major(&current),
                exported: rec.version.clone(),
                current,
            }
        }
        _ if errors > 0 => DocStatus::Problems { errors },
        None => DocStatus::NeverExported,
        Some(rec) if rec.inputs_sha256 != inputs => DocStatus::Changed { version: current },
        Some(_) => DocStatus::UpToDate { version: current },
    }
}

/// The whole table, in tenant then document order, recomputing only the cells whose inputs
/// changed since the last status ([`StatusCache`], written back best effort) and those in
/// parallel.
pub fn status(ws: &Workspace) -> Result<Vec<TenantStatus>, EngineError> {
    status_reporting(ws, &|_, _| {})
}

/// [`status`], calling `progress(done, total)` as each tenant's row is done (from the worker
/// threads, in no particular order of tenants), so a cold status of a large workspace can show
/// how far it is.
pub fn status_reporting(
    ws: &Workspace,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<TenantStatus>, EngineError> {
    let cache = StatusCache::load(&ws.root);
    let rows = status_with(ws, &cache, progress)?;
    // A workspace that cannot be written to still has a status; the next one recomputes.
    let _ = cache.save();
    Ok(rows)
}

/// The whole table with every cell rendered again: what [`status`] must always equal.
pub fn fresh_status(ws: &Workspace) -> Result<Vec<TenantStatus>, EngineError> {
    status_with(ws, &StatusCache::disabled(), &|_, _| {})
}

fn status_with(
    ws: &Workspace,
    cache: &StatusCache,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<TenantStatus>, EngineError> {
    let history = ws.history().load()?;
    let last = LastExports::new(&history);
    let total = ws.tenants.len();
    let done = AtomicUsize::new(0);
    let siblings: Vec<BTreeSet<String>> = ws.documents.iter().map(|d| ws.sibling_keys(d)).collect();
    Ok(ws
        .tenants
        .par_iter()
        .map(|tenant| {
            let row = TenantStatus {
                tenant: tenant.id.clone(),
                name: tenant.file.tenant.clone(),
                documents: ws
                    .documents
                    .iter()
                    .zip(&siblings)
                    .map(|(d, keys)| {
                        let s = cell_status(d, keys, tenant, last.get(&tenant.id, &d.id), cache);
                        (d.id.clone(), s)
                    })
                    .collect(),
            };
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            row
        })
        .collect())
}
