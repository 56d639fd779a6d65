//! The live preview: called on every keystroke.

use notice_engine::{RenderMode, RenderedNotice, TenantFile, render_notice};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Renders the open template with `tenant`'s values, in preview mode, with all diagnostics.
#[tauri::command]
pub async fn render_preview(
    state: State<'_, AppState>,
    tenant: TenantFile,
) -> Result<RenderedNotice, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let mut r = render_notice(
        &open.current,
        &open.answers(&tenant.values),
        RenderMode::Preview,
    );
    // The preview patches block by block; sending the joined body too would double every
    // keystroke's payload.
    if !r.blocks.is_empty() {
        r.body_html.clear();
    }
    Ok(r)
}
