//! The one export path: a document exported for a tenant, the same way from the app, the CLI and
//! `notice publish`. It selects the document's answers once ([`crate::template::answers`]),
//! renders once, checks the approval against that render, and returns the bytes, their hashes and
//! the diagnostics. Writing the file and recording it are the caller's.

use std::collections::BTreeSet;
use std::path::Path;

use time::OffsetDateTime;

use crate::approval::book::ApprovalBook;
use crate::approval::{Approval, Subject, gate_rendered};
use crate::atomic::write_atomic;
use crate::diagnostic::Diagnostic;
use crate::error::EngineError;
use crate::export::manifest::record_in_manifest;
use crate::export::pdf::PdfSettings;
use crate::export::{ExportFormat, ExportOptions, RenderedExport};
use crate::template::NoticeTemplate;
use crate::template::answers::answers;
use crate::values::TenantValues;

/// One document to export for one tenant.
#[derive(Debug, Clone, Copy)]
pub struct ExportRequest<'a> {
    /// The tenant's id (its file name without `.json`): what an approval names.
    pub tenant: &'a str,
    /// The document.
    pub template: &'a NoticeTemplate,
    /// The tenant file's values: answers for the whole family of the document.
    pub values: &'a TenantValues,
    /// The answer keys only the document's siblings read
    /// ([`crate::template::answers::sibling_keys`]); empty for a document on its own.
    pub sibling_keys: &'a BTreeSet<String>,
    /// The format to export in.
    pub format: ExportFormat,
    /// Export despite errors, with a DRAFT banner (and never with an approval).
    pub draft: bool,
    /// The time written into the document.
    pub at: OffsetDateTime,
    /// Paper and standards of a PDF (its `tenant` names the tenant in the PDF's metadata).
    pub pdf: &'a PdfSettings,
    /// The tenant's approvals and whether its workspace requires one; `None` when the values
    /// come from no tenant file, so there is nothing to check.
    pub approvals: Option<&'a ApprovalBook>,
}

/// A document exported for a tenant, ready to be written.
#[derive(Debug, Clone)]
pub struct ExportedDocument {
    /// The file as it is to be written.
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`.
    pub sha256: String,
    /// SHA-256 of template and answers ([`crate::export::inputs_hash`]).
    pub inputs_sha256: String,
    /// Warnings and infos of the render.
    pub diagnostics: Vec<Diagnostic>,
    /// The answers the document was made from.
    pub values: TenantValues,
    /// The approval the document carries (never for a draft).
    pub approval: Option<Approval>,
    /// The format it is in.
    pub format: ExportFormat,
}

/// Writes an export exported on its own (by the app or `notice render -o`) to `path` and, when
/// it carries an approval, lists it with the approval in the manifest beside it, so `notice
/// verify` can check it (a PDF carries no approval of its own; Markdown is never verified).
pub fn write_export(
    path: &Path,
    t: &NoticeTemplate,
    e: &ExportedDocument,
    at: OffsetDateTime,
) -> Result<(), EngineError> {
    write_atomic(path, &e.bytes)?;
    match &e.approval {
        Some(a) if e.format != ExportFormat::Md => {
            record_in_manifest(path, t, &e.values, &e.bytes, at, a)
        }
        _ => Ok(()),
    }
}

/// Exports `req.template` for `req.tenant`. Refused with [`EngineError::ApprovalRequired`] when
/// the workspace requires an approval that does not hold for this very render, and with
/// [`EngineError::Refused`] while errors remain (unless a draft).
pub fn export_document(req: &ExportRequest<'_>) -> Result<ExportedDocument, EngineError> {
    let t = req.template;
    let values = answers(req.values, req.sibling_keys);
    let rendered = RenderedExport::render(t, &values, req.format, req.draft);
    let approval = match (req.draft, req.approvals) {
        (false, Some(book)) => {
            let subject = Subject {
                tenant: req.tenant,
                template: t,
                values: &values,
            };
            gate_rendered(book, subject, rendered.body_html())?
        }
        _ => None,
    };
    let opts = ExportOptions {
        draft: req.draft,
        rendered_at: req.at,
        approval: approval.as_ref(),
    };
    let out = rendered.finish(t, opts, req.pdf)?;
    Ok(ExportedDocument {
        bytes: out.bytes,
        sha256: out.sha256,
        inputs_sha256: out.inputs_sha256,
        diagnostics: out.diagnostics,
        values,
        approval,
        format: req.format,
    })
}
