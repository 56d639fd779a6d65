//! "Export for Synapse…": the open consent page as Synapse's `template_dir`, written into a folder
//! the user chooses by the engine's one consent export (`export::synapse`, as `notice consent`).
//! Gated as every export is: errors and a required approval refuse it before any dialog.

use notice_engine::export::synapse::{ConsentOptions, export_consent};
use notice_engine::{Severity, TenantFile};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use super::export::{approval_gate, export_time};
use crate::dialogs::{self, Ask};
use crate::error::AppError;
use crate::model::ConsentExportDone;
use crate::state::AppState;

/// Exports the open consent page for `tenant` into a chosen folder: `en/<version>.html`,
/// `en/success.html`, `user_consent.yaml` (whose `template_dir` names that folder). Errors
/// (kind `refused`) list what blocks it; `None` when the user cancelled the dialog.
#[tauri::command]
pub async fn export_for_synapse<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    tenant: TenantFile,
    tenant_path: Option<String>,
) -> Result<Option<ConsentExportDone>, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let t = open.current.clone();
    let values = open.answers(&tenant.values);
    let approval = match &tenant_path {
        Some(p) => approval_gate(&state, p, &t, &values)?,
        None => None,
    };
    // Checked before the dialog: a refused export never asks where to write. The YAML then
    // names the folder chosen, so the export is made again with it (the same inputs).
    let at = export_time();
    export_consent(&t, &values, options("", at))?;
    let Some(folder) = dialogs::ask(&app, Ask::ExportFolder).await? else {
        return Ok(None);
    };
    let folder = std::path::absolute(&folder).unwrap_or(folder);
    let dir = folder.display().to_string();
    blocking(move || {
        let e = export_consent(&t, &values, options(&dir, at))?;
        e.write_to(&folder)?;
        Ok(ConsentExportDone {
            folder: dir,
            version: e.version,
            files: e.files.into_iter().map(|f| f.path).collect(),
            user_consent_yaml: e.user_consent_yaml,
            approved_by: approval.map(|a| a.reviewer.name),
            warnings: e
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count() as u32,
        })
    })
    .await
    .map(Some)
}

fn options(template_dir: &str, rendered_at: time::OffsetDateTime) -> ConsentOptions<'_> {
    ConsentOptions {
        template_dir,
        rendered_at,
    }
}
