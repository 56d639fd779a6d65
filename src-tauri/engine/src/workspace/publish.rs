//! Exporting a tenant's documents the way hosted homeservers publish them:
//! `<out>/<tenant>/privacy_policy/<lang>/<document>.html` (and `.pdf`), plus a
//! `<out>/<tenant>/manifest.json` saying what each file is. Every file is written atomically and
//! recorded in the history after it is on disk, so the history never names a file that is not.
//! A run's files are made durable together ([`Staging`]), a chunk of tenants at a time: one sync
//! per chunk, not two or three per file.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::export::{ExportRequest, ExportedDocument, export_document};
use super::staging::{ExportedFile, Origin, Staging};
use super::status::{LastExports, is_behind};
use super::{Tenant, Workspace};
use crate::approval::book::ApprovalBook;
use crate::approval::{self, Subject};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::EngineError;
use crate::export::ExportFormat;
use crate::export::manifest::{MANIFEST_FILE, ManifestEntry, manifest_json, read_manifest};
use crate::export::pdf::PdfSettings;
use crate::template::answers::answers;

/// What one tenant's export produced, or what stopped it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TenantResult {
    /// The tenant's id.
    pub tenant: String,
    /// The files written.
    pub written: Vec<String>,
    /// Errors per document that stopped its export (nothing of that document was written).
    pub problems: Vec<(String, Vec<Diagnostic>)>,
    /// A file that could not be written.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

impl TenantResult {
    /// True when nothing stopped an export.
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.failure.is_none()
    }
}

/// Exports every document of the workspace for one tenant into `out`.
pub fn export_tenant(
    ws: &Workspace,
    tenant: &Tenant,
    out: &Path,
    formats: &[ExportFormat],
    at: OffsetDateTime,
) -> TenantResult {
    export_tenant_reporting(ws, tenant, out, formats, at, |_, _, _| {})
}

/// [`export_tenant`], calling `progress(done, total, file)` as each document's file is made
/// (`file` names it, as `privacy_notice.pdf`) and `(total, total, "")` once all are written: a
/// tenant's PDFs take seconds.
pub fn export_tenant_reporting(
    ws: &Workspace,
    tenant: &Tenant,
    out: &Path,
    formats: &[ExportFormat],
    at: OffsetDateTime,
    mut progress: impl FnMut(usize, usize, &str),
) -> TenantResult {
    let staging = Staging::new();
    let steps = export_steps(ws, formats);
    let mut done = 0;
    let mut starting = |file: &str| {
        progress(done, steps, file);
        done += 1;
    };
    let mut result = stage_tenant(ws, tenant, out, formats, at, &staging, &mut starting);
    if let Err(e) = staging.commit(&ws.history()) {
        fail_uncommitted(&mut result, &e);
    }
    progress(steps, steps, "");
    result
}

/// How many files [`stage_tenant`] makes for a tenant with nothing in the way: one per document
/// and format, one set of pages per consent document.
fn export_steps(ws: &Workspace, formats: &[ExportFormat]) -> usize {
    ws.documents
        .iter()
        .map(|d| {
            if d.template.runtime.is_some() {
                1
            } else {
                formats.len()
            }
        })
        .sum()
}

/// A staged tenant whose files or records could not be committed.
fn fail_uncommitted(result: &mut TenantResult, e: &EngineError) {
    if result.failure.is_none() && !result.written.is_empty() {
        result.failure = Some(format!("{e}; publish again once this is fixed"));
    }
}

/// [`export_tenant`]'s work, with every file and record staged in `staging` (nothing is on disk
/// until it is committed); `starting(file)` is called as each file's making starts.
fn stage_tenant(
    ws: &Workspace,
    tenant: &Tenant,
    out: &Path,
    formats: &[ExportFormat],
    at: OffsetDateTime,
    staging: &Staging,
    starting: &mut dyn FnMut(&str),
) -> TenantResult {
    let mut result = TenantResult {
        tenant: tenant.id.clone(),
        written: vec![],
        problems: vec![],
        failure: None,
    };
    let folder = out.join(&tenant.id);
    let when = at.format(&Rfc3339).unwrap_or_default();
    let mut manifest: Vec<ManifestEntry> = match read_manifest(&folder) {
        Ok(m) => m,
        Err(e) => {
            // Never replaced by a fresh one: it holds what earlier exports were.
            let path = folder.join(MANIFEST_FILE);
            result.problems.push((
                MANIFEST_FILE.to_owned(),
                vec![
                    Diagnostic::error(
                        crate::diagnostic::Code::UnreadableFile,
                        format!("the manifest cannot be read: {e}"),
                    )
                    .with_path(path.display().to_string())
                    .with_hint("repair or move it; it was left untouched and nothing was exported for this tenant"),
                ],
            ));
            result.failure = Some(format!(
                "{e}; the manifest was left untouched and nothing was exported for this tenant: repair or move it, then publish again"
            ));
            return result;
        }
    };
    // Read once for the tenant: its approvals, the trusted reviewers and the settings.
    let approvals = ApprovalBook::load(&tenant.path);
    let pdf = PdfSettings {
        tenant: Some(tenant.file.tenant.clone()),
        ..PdfSettings::default()
    };
    for doc in &ws.documents {
        let t = &doc.template;
        let sibling_keys = ws.sibling_keys(doc);
        if t.runtime.is_some() {
            // Served by its runtime (workspace::consent): published as the runtime's files.
            use super::consent::{SYNAPSE_DIR, Unpublished, publish};
            starting(&format!("{} ({SYNAPSE_DIR})", doc.name));
            let values = answers(&tenant.file.values, &sibling_keys);
            let subject = Subject {
                tenant: &tenant.id,
                template: t,
                values: &values,
            };
            let approval = match approval::gate(&approvals, subject) {
                Ok(a) => a,
                Err(e) => {
                    result
                        .problems
                        .push((doc.id.clone(), vec![not_approved(&e)]));
                    continue;
                }
            };
            let made = publish(
                ws,
                tenant,
                doc,
                &values,
                &folder,
                at,
                approval.as_ref(),
                &mut manifest,
                staging,
            );
            match made {
                Ok(mut w) => result.written.append(&mut w),
                Err(Unpublished::Problems(d)) => result.problems.push((doc.id.clone(), d)),
                Err(Unpublished::Failure(e)) => {
                    result.failure = Some(e);
                    return result;
                }
            }
            continue;
        }
        let version = t
            .version
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let rel = PathBuf::from("privacy_policy").join(&t.lang);
        for &format in formats {
            starting(&format!("{}.{}", doc.name, format.extension()));
            let request = ExportRequest {
                tenant: &tenant.id,
                template: t,
                values: &tenant.file.values,
                sibling_keys: &sibling_keys,
                format,
                draft: false,
                at,
                pdf: &pdf,
                approvals: Some(&approvals),
            };
            let ExportedDocument {
                bytes,
                sha256,
                inputs_sha256: inputs,
                values,
                approval,
                ..
            } = match export_document(&request) {
                Ok(e) => e,
                Err(e @ EngineError::ApprovalRequired { .. }) => {
                    result
                        .problems
                        .push((doc.id.clone(), vec![not_approved(&e)]));
                    break;
                }
                Err(e) => {
                    result
                        .problems
                        .push((doc.id.clone(), e.diagnostics().to_vec()));
                    break;
                }
            };
            let file = rel.join(format!("{}.{}", doc.name, format.extension()));
            let target = folder.join(&file);
            // What it was made from, before the record that points at it.
            let staged =
                super::inputs::stage(&ws.root, &inputs, t, &values, staging).and_then(|()| {
                    let origin = Origin {
                        root: &ws.root,
                        tenant: &tenant.id,
                        document: &doc.id,
                        version: &version,
                        inputs_sha256: &inputs,
                        time: &when,
                        approval: approval.as_ref(),
                    };
                    let exported = ExportedFile {
                        target: &target,
                        manifest_name: &file.to_string_lossy().replace('\\', "/"),
                        format: format.extension(),
                        bytes: &bytes,
                        sha256: &sha256,
                    };
                    staging.exported(&origin, &exported, &mut manifest)
                });
            if let Err(e) = staged {
                result.failure = Some(e.to_string());
                return result;
            }
            result.written.push(target.display().to_string());
        }
    }
    if manifest.is_empty() {
        return result;
    }
    let manifest_file = folder.join(MANIFEST_FILE);
    if let Err(e) = staging.file(&manifest_file, manifest_json(manifest).as_bytes()) {
        result.failure = Some(e.to_string());
    }
    result
}

/// A refused approval as the problem publish reports for the document.
fn not_approved(e: &EngineError) -> Diagnostic {
    let d = Diagnostic::error(Code::NotApproved, e.to_string());
    match e.path() {
        Some(p) => d.with_path(p.display().to_string()),
        None => d,
    }
}

/// Tenants with a document behind the current version (read from the history alone: nothing is
/// rendered).
pub fn outdated_tenants(ws: &Workspace) -> Result<Vec<&Tenant>, EngineError> {
    let history = ws.history().load()?;
    let last = LastExports::new(&history);
    Ok(ws
        .tenants
        .iter()
        .filter(|t| {
            ws.documents
                .iter()
                .any(|d| is_behind(d, last.get(&t.id, &d.id)))
        })
        .collect())
}

/// Exports every document for each of `tenants`, tenants in parallel; results in the order of
/// `tenants`. Tenants go in chunks of [`TENANTS_PER_COMMIT`]: a chunk's files are staged by the
/// workers, then committed together, then its history records appended in one locked write,
/// while the workers stage the next chunk.
/// `progress(done, total, tenant)` is called (one call at a time) as each tenant starts; setting
/// `cancel` stops before the next tenant (tenants in progress finish and are committed), and
/// only the tenants that ran have a result.
pub fn export_tenants(
    ws: &Workspace,
    tenants: &[&Tenant],
    out: &Path,
    formats: &[ExportFormat],
    at: OffsetDateTime,
    cancel: &AtomicBool,
    progress: impl FnMut(usize, usize, &str) + Send,
) -> Vec<TenantResult> {
    let total = tenants.len();
    let started = AtomicUsize::new(0);
    let progress = Mutex::new(progress);
    let report = |done: usize, tenant: &str| {
        let mut p = progress.lock().unwrap_or_else(|e| e.into_inner());
        (*p)(done, total, tenant);
    };
    let history = ws.history();
    let mut results: Vec<TenantResult> = Vec::with_capacity(total);
    // A chunk is committed (mostly waiting on the disk) while the workers stage the next one;
    // chunks are committed one at a time and in order, so the history stays in order.
    let uncommitted = std::thread::scope(|scope| {
        let (to_commit, staged) = std::sync::mpsc::sync_channel::<(Range<usize>, Staging)>(1);
        let committer = scope.spawn(|| {
            staged
                .into_iter()
                .filter_map(|(chunk, staging)| staging.commit(&history).err().map(|e| (chunk, e)))
                .collect::<Vec<_>>()
        });
        for chunk in tenants.chunks(TENANTS_PER_COMMIT) {
            let staging = Staging::new();
            let mut done: Vec<TenantResult> = chunk
                .par_iter()
                .filter_map(|tenant| {
                    if cancel.load(Ordering::Relaxed) {
                        return None;
                    }
                    report(started.fetch_add(1, Ordering::Relaxed), &tenant.id);
                    Some(stage_tenant(
                        ws,
                        tenant,
                        out,
                        formats,
                        at,
                        &staging,
                        &mut |_| {},
                    ))
                })
                .collect();
            let first = results.len();
            results.append(&mut done);
            if to_commit.send((first..results.len(), staging)).is_err() {
                break; // the committer is gone: it panicked, and joining it says so
            }
            if cancel.load(Ordering::Relaxed) {
                break;
            }
        }
        drop(to_commit);
        committer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    for (chunk, e) in uncommitted {
        results[chunk]
            .iter_mut()
            .for_each(|r| fail_uncommitted(r, &e));
    }
    report(results.len(), "");
    results
}

/// Tenants per commit of a publish run: enough that the sync is a small share of the time,
/// few enough that a cancel or a crash loses little and progress shows on disk as it goes.
pub const TENANTS_PER_COMMIT: usize = 64;

/// Re-issues every outdated tenant, in parallel ([`export_tenants`]).
pub fn reissue(
    ws: &Workspace,
    out: &Path,
    formats: &[ExportFormat],
    at: OffsetDateTime,
    cancel: &AtomicBool,
    progress: impl FnMut(usize, usize, &str) + Send,
) -> Result<Vec<TenantResult>, EngineError> {
    let todo = outdated_tenants(ws)?;
    Ok(export_tenants(
        ws, &todo, out, formats, at, cancel, progress,
    ))
}
