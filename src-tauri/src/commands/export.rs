//! Export: refused while errors remain (the UI lists them), else written atomically where the user
//! chooses.

use std::path::Path;

use notice_engine::approval::book::ApprovalBook;
use notice_engine::approval::{Approval, Subject, gate};
use notice_engine::export::ExportFormat;
use notice_engine::tenant::tenant_id;
use notice_engine::workspace::export::{ExportRequest, ExportedDocument, write_export};
use notice_engine::{EngineError, NoticeTemplate, PdfSettings, Severity, TenantFile, TenantValues};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use crate::dialogs::{self, Ask};
use crate::error::AppError;
use crate::model::ExportDone;
use crate::state::{AppState, OpenTemplate};

/// The time written into exports: `SOURCE_DATE_EPOCH` when set, which makes exports
/// reproducible as the CLI's are.
pub(crate) fn export_time() -> time::OffsetDateTime {
    notice_engine::export::export_timestamp(
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        time::OffsetDateTime::now_utc(),
    )
}

/// The approval an export of `t` with `values` for the tenant file at `tenant_path` carries;
/// refused (an error) when the workspace requires one that does not hold. Every app export
/// passes through here.
pub(crate) fn approval_gate(
    state: &AppState,
    tenant_path: &str,
    t: &NoticeTemplate,
    values: &TenantValues,
) -> Result<Option<Approval>, AppError> {
    Ok(
        state.with_approvals(std::path::Path::new(tenant_path), |book| {
            gate(
                book,
                Subject {
                    tenant: &book.tenant,
                    template: t,
                    values,
                },
            )
        })?,
    )
}

/// Exports the open template for `tenant`. Errors (kind `refused`) list what blocks it; `None`
/// when the user cancelled the dialog. `pdf` sets paper and standards (default: A4, PDF/UA-1).
#[tauri::command]
pub async fn export_document<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    tenant: TenantFile,
    format: ExportFormat,
    draft: bool,
    pdf: Option<PdfSettings>,
    tenant_path: Option<String>,
) -> Result<Option<ExportDone>, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let t = open.current.clone();
    let pdf = PdfSettings {
        tenant: Some(tenant.tenant.clone()),
        ..pdf.unwrap_or_default()
    };
    let at = export_time();
    // Render first (off the async threads: a PDF is typeset): a refused export never asks where
    // to write.
    let (path, name) = (tenant_path.clone(), tenant.tenant.clone());
    let e = blocking(move || {
        Ok(export_for_tenant(
            &open,
            &tenant,
            format,
            draft,
            at,
            &pdf,
            path.as_deref(),
        )?)
    })
    .await?;
    let ext = format.extension();
    let stem = t
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let version = t
        .version
        .as_ref()
        .map(|v| format!("-{v}"))
        .unwrap_or_default();
    let suggested = format!(
        "{}-{stem}{version}{}.{ext}",
        notice_engine::workspace::tenants::slug(&name),
        if draft { "-draft" } else { "" }
    );
    let Some(path) = dialogs::ask(
        &app,
        Ask::Export {
            suggested,
            extension: ext,
        },
    )
    .await?
    else {
        return Ok(None);
    };
    let p = path.clone();
    let done = ExportDone {
        path: path.display().to_string(),
        sha256: e.sha256.clone(),
        approved_by: e.approval.as_ref().map(|a| a.reviewer.name.clone()),
        draft,
        warnings: e
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count() as u32,
    };
    blocking(move || Ok(write_export(&p, &t, &e, at)?)).await?;
    Ok(Some(done))
}

/// The export of the open document for the tenant in `tenant`, through the engine's one export
/// path; its approval is checked when the tenant was saved to `tenant_path` (never for a draft).
pub(crate) fn export_for_tenant(
    open: &OpenTemplate,
    tenant: &TenantFile,
    format: ExportFormat,
    draft: bool,
    at: time::OffsetDateTime,
    pdf: &PdfSettings,
    tenant_path: Option<&str>,
) -> Result<ExportedDocument, EngineError> {
    let path = tenant_path.map(Path::new);
    let book = path.filter(|_| !draft).map(ApprovalBook::load);
    let id = path.map(tenant_id).unwrap_or_default();
    notice_engine::workspace::export::export_document(&ExportRequest {
        tenant: &id,
        template: &open.current,
        values: &tenant.values,
        sibling_keys: &open.sibling_keys,
        format,
        draft,
        at,
        pdf,
        approvals: book.as_ref(),
    })
}

#[cfg(test)]
mod tests;
