//! Startup: the default template and tenant, and any work a crash left unsaved.

use std::path::PathBuf;

use notice_engine::{TenantFile, TenantReport};
use tauri::State;

use crate::error::AppError;
use crate::model::{OpenedTenant, Startup};
use crate::state::AppState;

/// Everything the window needs to show its first state. `NOTICE_STUDIO_TEMPLATE` and
/// `NOTICE_STUDIO_TENANT` choose what opens; by default the bundled privacy notice and its example
/// tenant (opened as a new, unsaved tenant so the bundled file is never overwritten).
#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> Result<Startup, AppError> {
    let family = state.templates_dir.join("hosted-homeserver");
    let template_path = std::env::var_os("NOTICE_STUDIO_TEMPLATE")
        .map(PathBuf::from)
        .unwrap_or_else(|| family.join("privacy_notice.md"));
    let template = super::templates::load(&state, template_path).await?;
    let tenant = match std::env::var_os("NOTICE_STUDIO_TENANT") {
        Some(p) => super::tenants::load(&state, PathBuf::from(p)).await?,
        None => match super::tenants::load(&state, family.join("example-tenant.json")).await {
            Ok(mut opened) => {
                opened.path = None;
                opened
            }
            Err(_) => blank(),
        },
    };
    let recovery = super::autosave::pending(&state);
    let templates = super::templates::entries(&state.templates_dir, &state.recent().templates);
    Ok(Startup {
        templates,
        template,
        tenant,
        recovery,
        recent: state.recent(),
        stylesheet: notice_engine::export::STYLESHEET.to_owned(),
        launch: std::env::current_dir()
            .ok()
            .and_then(|cwd| crate::launch::requested(std::env::args_os(), &cwd)),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// An empty tenant, when nothing else can be opened.
pub fn blank() -> OpenedTenant {
    OpenedTenant {
        path: None,
        tenant: TenantFile::new("New tenant"),
        report: TenantReport::default(),
    }
}
