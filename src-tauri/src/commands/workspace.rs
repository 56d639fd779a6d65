//! Workspaces: open a folder of templates and tenants, the tenants × documents table, the tenant
//! list (new, duplicate, rename, delete), "Export all" for a tenant, re-issuing every outdated
//! tenant with progress and cancel, and carrying a tenant's answers over to renamed fields. The
//! work is the engine's (`notice_engine::workspace`); these commands find the folder and carry
//! results to the UI.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use notice_engine::export::ExportFormat;
use notice_engine::workspace::consent::server_notices;
use notice_engine::workspace::migrate::{MigrationPlan, plan_migration};
use notice_engine::workspace::publish::{TenantResult, export_tenant_reporting, reissue};
use notice_engine::workspace::status::status_reporting;
use notice_engine::workspace::{Tenant, Workspace};
use notice_engine::{EngineError, TenantFile};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use crate::dialogs::{self, Ask};
use crate::error::AppError;
use crate::model::{
    ExportProgress, ReissueProgress, StatusProgress, WorkspaceDocument, WorkspaceTenant,
    WorkspaceView,
};
use crate::state::AppState;

/// Opens the workspace at `path`, or asks for a folder. `None` when the user cancelled.
#[tauri::command]
pub async fn open_workspace<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: Option<String>,
    on_progress: Channel<StatusProgress>,
) -> Result<Option<WorkspaceView>, AppError> {
    let root = match path {
        Some(p) => PathBuf::from(p),
        None => match dialogs::ask(&app, Ask::OpenWorkspace).await? {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    if !root.join("templates").is_dir() {
        return Err(AppError::Engine(EngineError::Read {
            path: root.join("templates"),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a workspace: it needs a templates/<family>/ folder (and tenants/)",
            ),
        }));
    }
    let view = load(root.clone(), on_progress).await?;
    state.set_workspace(Some(root));
    Ok(Some(view))
}

/// The table, read again from disk (after a `git pull`, another window's export, …).
#[tauri::command]
pub async fn workspace_status(
    state: State<'_, AppState>,
    on_progress: Channel<StatusProgress>,
) -> Result<WorkspaceView, AppError> {
    let root = state.workspace().ok_or(AppError::NoWorkspace)?;
    load(root, on_progress).await
}

/// A new tenant in the workspace, with a slot for every field of its documents. Returns where
/// it was saved.
#[tauri::command]
pub async fn create_tenant(
    state: State<'_, AppState>,
    name: String,
) -> Result<TenantRef, AppError> {
    let root = state.workspace().ok_or(AppError::NoWorkspace)?;
    blocking(move || Ok(Workspace::open(&root)?.create_tenant(&name)?.into())).await
}

/// A copy of a tenant's answers under a new name.
#[tauri::command]
pub async fn duplicate_tenant(
    state: State<'_, AppState>,
    tenant: String,
    name: String,
) -> Result<TenantRef, AppError> {
    with_tenant(&state, tenant, move |ws, t| {
        Ok(ws.duplicate_tenant(t, &name)?.into())
    })
    .await
}

/// A tenant's new display name (its id, exports and history stay).
#[tauri::command]
pub async fn rename_tenant(
    state: State<'_, AppState>,
    tenant: String,
    name: String,
) -> Result<TenantRef, AppError> {
    with_tenant(&state, tenant, move |ws, t| {
        Ok(ws.rename_tenant(t, &name)?.into())
    })
    .await
}

/// Deletes a tenant's file (the UI has asked first); its exports and history are kept.
#[tauri::command]
pub async fn delete_tenant(state: State<'_, AppState>, tenant: String) -> Result<(), AppError> {
    with_tenant(&state, tenant, |ws, t| Ok(ws.delete_tenant(t)?)).await
}

/// Runs `f` on tenant `id` of the open workspace, read fresh from disk.
async fn with_tenant<T: Send + 'static>(
    state: &AppState,
    id: String,
    f: impl FnOnce(&Workspace, &Tenant) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let root = state.workspace().ok_or(AppError::NoWorkspace)?;
    blocking(move || {
        let ws = Workspace::open(&root)?;
        let t = ws
            .tenant(&id)
            .ok_or_else(|| AppError::NotFound(id.clone()))?;
        f(&ws, t)
    })
    .await
}

/// A tenant a command created or changed: its id and file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TenantRef {
    pub id: String,
    pub name: String,
    pub path: String,
}

impl From<Tenant> for TenantRef {
    fn from(t: Tenant) -> Self {
        TenantRef {
            id: t.id,
            name: t.file.tenant,
            path: t.path.display().to_string(),
        }
    }
}

/// Exports every document for one tenant ("Export all"), reporting each file on `on_progress`.
#[tauri::command]
pub async fn publish_tenant(
    state: State<'_, AppState>,
    tenant: String,
    formats: Vec<ExportFormat>,
    on_progress: Channel<ExportProgress>,
) -> Result<TenantResult, AppError> {
    let root = state.workspace().ok_or(AppError::NoWorkspace)?;
    let out = root.join("exports");
    with_tenant(&state, tenant, move |ws, t| {
        Ok(export_tenant_reporting(
            ws,
            t,
            &out,
            &formats,
            super::export::export_time(),
            |done, total, file| {
                let _ = on_progress.send(ExportProgress {
                    done: done as u32,
                    total: total as u32,
                    file: file.to_owned(),
                });
            },
        ))
    })
    .await
}

/// Re-issues every tenant behind a template's current version, reporting progress on
/// `on_progress`; [`cancel_reissue`] stops it before the next tenant.
#[tauri::command]
pub async fn reissue_outdated(
    state: State<'_, AppState>,
    formats: Vec<ExportFormat>,
    on_progress: Channel<ReissueProgress>,
) -> Result<Vec<TenantResult>, AppError> {
    let root = state.workspace().ok_or(AppError::NoWorkspace)?;
    let cancel = state.reissue_cancel();
    cancel.store(false, Ordering::Relaxed);
    blocking(move || {
        let ws = Workspace::open(&root)?;
        Ok(reissue(
            &ws,
            &root.join("exports"),
            &formats,
            super::export::export_time(),
            &cancel,
            |done, total, tenant| {
                let _ = on_progress.send(ReissueProgress {
                    done: done as u32,
                    total: total as u32,
                    tenant: tenant.to_owned(),
                });
            },
        )?)
    })
    .await
}

#[tauri::command]
pub async fn cancel_reissue(state: State<'_, AppState>) -> Result<(), AppError> {
    state.reissue_cancel().store(true, Ordering::Relaxed);
    Ok(())
}

/// The tenant's answers the open template no longer uses, each with the field it most likely
/// moved to, for the "carry answers over" dialog.
#[tauri::command]
pub async fn migration_plan(
    state: State<'_, AppState>,
    tenant: TenantFile,
) -> Result<MigrationPlan, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    // Answers a sibling document uses are not orphans.
    Ok(plan_migration(&open.current, &open.answers(&tenant.values)))
}

/// Reads the workspace and its status, reporting every hundredth of the tenants done (and the
/// last) on `progress`: a message per tenant would flood the web view at fleet scale.
async fn load(root: PathBuf, progress: Channel<StatusProgress>) -> Result<WorkspaceView, AppError> {
    blocking(move || {
        let ws = Workspace::open(&root)?;
        let step = (ws.tenants.len() / 100).max(1);
        let rows = status_reporting(&ws, &|done, total| {
            if done % step == 0 || done == total {
                let _ = progress.send(StatusProgress {
                    done: done as u32,
                    total: total as u32,
                });
            }
        })?;
        let server_notices = server_notices(&ws, &rows);
        Ok(WorkspaceView {
            root: root.display().to_string(),
            documents: ws
                .documents
                .iter()
                .map(|d| WorkspaceDocument {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    path: d.template.path.display().to_string(),
                    // A title with placeholders means nothing before a tenant fills it in.
                    title: d
                        .template
                        .title_source
                        .clone()
                        .filter(|t| !t.contains("{{") && !t.contains("{%")),
                    version: d.template.version.as_ref().map(ToString::to_string),
                })
                .collect(),
            // One row per tenant, in the workspace's order (a lookup by id would be quadratic).
            tenants: rows
                .into_iter()
                .zip(&ws.tenants)
                .map(|(r, t)| WorkspaceTenant {
                    path: t.path.display().to_string(),
                    status: r,
                })
                .collect(),
            unreadable: ws.unreadable.iter().map(ToString::to_string).collect(),
            server_notices,
        })
    })
    .await
}
