//! Export: refused while errors remain (the UI lists them), else written atomically where the user
//! chooses.

use notice_engine::approval::{Approval, Subject, gate};
use notice_engine::atomic::write_atomic;
use notice_engine::export::manifest::record_in_manifest;
use notice_engine::{
    ExportOptions, NoticeTemplate, PdfSettings, Severity, TenantFile, TenantValues, export_html,
    export_markdown, export_pdf,
};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use crate::dialogs::{self, Ask};
use crate::error::AppError;
use crate::model::{ExportDone, ExportFormat};
use crate::state::AppState;

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
    // In a family, the answers meant for this document (siblings' fields are not "unknown").
    let values = open.answers(&tenant.values);
    // The approval it carries; refused here when the workspace requires one that does not hold.
    let approval = match (&tenant_path, draft) {
        (Some(p), false) => approval_gate(&state, p, &t, &values)?,
        _ => None,
    };
    let at = export_time();
    let opts = ExportOptions {
        draft,
        rendered_at: at,
        approval: approval.as_ref(),
    };
    // Render first: a refused export never asks where to write.
    let (bytes, sha256, diags) = match format {
        ExportFormat::Html => {
            let e = export_html(&t, &values, opts)?;
            (e.html.into_bytes(), e.sha256, e.diagnostics)
        }
        ExportFormat::Md => {
            let e = export_markdown(&t, &values, opts)?;
            (e.markdown.into_bytes(), e.sha256, e.diagnostics)
        }
        ExportFormat::Pdf => {
            let settings = PdfSettings {
                tenant: Some(tenant.tenant.clone()),
                ..pdf.unwrap_or_default()
            };
            let t = t.clone();
            let values = values.clone();
            let approval = approval.clone();
            // Typesetting is CPU work: keep it off the async threads.
            let e = blocking(move || {
                let opts = ExportOptions {
                    approval: approval.as_ref(),
                    ..opts
                };
                Ok(export_pdf(&t, &values, opts, &settings)?)
            })
            .await?;
            (e.pdf, e.sha256, e.diagnostics)
        }
    };
    let ext = match format {
        ExportFormat::Html => "html",
        ExportFormat::Md => "md",
        ExportFormat::Pdf => "pdf",
    };
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
        notice_engine::workspace::tenants::slug(&tenant.tenant),
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
    let signed = approval.clone().filter(|_| ext != "md");
    blocking(move || {
        write_atomic(&p, &bytes)?;
        if let Some(a) = &signed {
            // Listed with its approval, so `notice verify` can check the file (a PDF carries
            // no approval of its own).
            record_in_manifest(&p, &t, &values, &bytes, at, a)?;
        }
        Ok(())
    })
    .await?;
    Ok(Some(ExportDone {
        path: path.display().to_string(),
        sha256,
        approved_by: approval.map(|a| a.reviewer.name),
        draft,
        warnings: diags
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count() as u32,
    }))
}
