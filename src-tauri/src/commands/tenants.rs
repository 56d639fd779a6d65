//! Tenant files: new, open, save (atomic), recent.

use std::path::PathBuf;

use notice_engine::{TenantFile, TenantReport};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use crate::dialogs::{self, Ask};
use crate::error::AppError;
use crate::model::{OpenedTenant, RecentFiles};
use crate::state::AppState;

/// A new tenant with every field of the open template, or of its whole family (defaults filled
/// in).
#[tauri::command]
pub async fn new_tenant(state: State<'_, AppState>) -> Result<OpenedTenant, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let t = &open.current;
    let mut tenant = TenantFile::skeleton(t, "New tenant");
    for sibling in &open.family {
        for (k, v) in TenantFile::skeleton(sibling, "").values {
            tenant.values.entry(k).or_insert(v);
        }
    }
    let report = tenant.report_against(t, TenantReport::default());
    Ok(OpenedTenant {
        path: None,
        tenant,
        report,
    })
}

/// Opens a tenant file (a native dialog when `path` is none); `None` when the user cancelled.
#[tauri::command]
pub async fn open_tenant<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: Option<String>,
) -> Result<Option<OpenedTenant>, AppError> {
    let path = match path {
        Some(p) => PathBuf::from(p),
        None => match dialogs::ask(&app, Ask::OpenTenant).await? {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let opened = load(&state, path.clone()).await?;
    state.remember(&path, true);
    Ok(Some(opened))
}

pub(crate) async fn load(state: &AppState, path: PathBuf) -> Result<OpenedTenant, AppError> {
    let open = state.open();
    let p = path.clone();
    let (tenant, report) = blocking(move || Ok(TenantFile::load(&p)?)).await?;
    let report = match open {
        Some(o) => {
            let mut r = tenant.report_against(&o.current, report);
            // In a family, an answer a sibling document uses is not unknown.
            let used = |k: &String| o.family.iter().any(|t| t.field(k).is_some());
            r.unknown.retain(|k| !used(k));
            r
        }
        None => report,
    };
    Ok(OpenedTenant {
        path: Some(path.display().to_string()),
        tenant,
        report,
    })
}

/// Saves atomically to `path`, or where the user chooses when `path` is none (Save As). Returns
/// the path saved to; `None` when the user cancelled.
#[tauri::command]
pub async fn save_tenant<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    tenant: TenantFile,
    path: Option<String>,
) -> Result<Option<String>, AppError> {
    let path = match path {
        Some(p) => PathBuf::from(p),
        None => {
            let suggested = format!(
                "{}.json",
                notice_engine::workspace::tenants::slug(&tenant.tenant)
            );
            match dialogs::ask(&app, Ask::SaveTenant { suggested }).await? {
                Some(p) => p,
                None => return Ok(None),
            }
        }
    };
    let p = path.clone();
    blocking(move || Ok(tenant.save(&p)?)).await?;
    state.remember(&path, true);
    Ok(Some(path.display().to_string()))
}

/// Recently used templates and tenants.
#[tauri::command]
pub async fn recent_files(state: State<'_, AppState>) -> Result<RecentFiles, AppError> {
    Ok(state.recent())
}
