//! Publishing a page its runtime serves: a document declaring `runtime: synapse-consent` is
//! published as the tenant's Synapse `template_dir`, `<out>/<tenant>/synapse/` (`en/<version>.html`,
//! `en/success.html`, `user_consent.yaml`), recorded in the manifest and the history like every
//! export (format `synapse`). Its status (up to date, outdated, "users must accept again" after
//! a major bump) follows from those records as for any document. Writes through
//! [`crate::atomic`] only.

use std::path::Path;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::publish::ManifestEntry;
use super::{Document, ExportRecord, Tenant, Workspace};
use crate::approval::Approval;
use crate::atomic::write_atomic;
use crate::diagnostic::Diagnostic;
use crate::error::EngineError;
use crate::export::inputs_hash;
use crate::export::synapse::{ConsentOptions, export_consent};
use crate::values::TenantValues;

/// The folder, inside the tenant's, that is Synapse's `template_dir`.
pub const SYNAPSE_DIR: &str = "synapse";

/// Why a consent page was not published.
#[derive(Debug)]
pub(crate) enum Unpublished {
    /// Errors in the document: nothing of it was written.
    Problems(Vec<Diagnostic>),
    /// A file could not be written.
    Failure(String),
}

/// Exports `doc` for `tenant` into `<folder>/synapse/`, records each file, and returns what was
/// written. `user_consent.template_dir` names that folder as an absolute path: where the files
/// are deployed on the homeserver may differ, and the YAML says so.
#[allow(clippy::too_many_arguments)]
pub(crate) fn publish(
    ws: &Workspace,
    tenant: &Tenant,
    doc: &Document,
    values: &TenantValues,
    folder: &Path,
    at: OffsetDateTime,
    approval: Option<&Approval>,
    manifest: &mut Vec<ManifestEntry>,
) -> Result<Vec<String>, Unpublished> {
    let t = &doc.template;
    let dir = folder.join(SYNAPSE_DIR);
    let dir_text = std::path::absolute(&dir)
        .unwrap_or_else(|_| dir.clone())
        .display()
        .to_string();
    let e = export_consent(
        t,
        values,
        ConsentOptions {
            template_dir: &dir_text,
            rendered_at: at,
        },
    )
    .map_err(|e| match e {
        EngineError::Refused { diagnostics } | EngineError::Unrenderable { diagnostics, .. }
            if !diagnostics.is_empty() =>
        {
            Unpublished::Problems(diagnostics)
        }
        other => Unpublished::Problems(vec![Diagnostic::error(
            crate::Code::RenderError,
            other.to_string(),
        )]),
    })?;
    let fail = |e: EngineError| Unpublished::Failure(e.to_string());
    let inputs = inputs_hash(t, values);
    let when = at.format(&Rfc3339).unwrap_or_default();
    let version = t
        .version
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    super::inputs::save(&ws.root, &inputs, t, values).map_err(fail)?;
    let history = ws.history();
    let mut written = Vec::new();
    for f in &e.files {
        let target = dir.join(&f.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|source| EngineError::Write {
                    path: parent.to_owned(),
                    source,
                })
                .map_err(fail)?;
        }
        write_atomic(&target, f.contents.as_bytes()).map_err(fail)?;
        let sha256 = hex::encode(Sha256::digest(f.contents.as_bytes()));
        history
            .append(&ExportRecord {
                tenant: tenant.id.clone(),
                document: doc.id.clone(),
                version: version.clone(),
                format: "synapse".into(),
                path: target
                    .strip_prefix(&ws.root)
                    .unwrap_or(&target)
                    .to_string_lossy()
                    .into_owned(),
                sha256: sha256.clone(),
                inputs_sha256: inputs.clone(),
                time: when.clone(),
            })
            .map_err(fail)?;
        let file = format!("{SYNAPSE_DIR}/{}", f.path);
        manifest.retain(|m| m.file != file);
        manifest.push(ManifestEntry {
            file,
            template: doc.id.clone(),
            version: version.clone(),
            sha256,
            values_sha256: inputs.clone(),
            time: when.clone(),
            approval: approval.cloned(),
        });
        written.push(target.display().to_string());
    }
    Ok(written)
}
