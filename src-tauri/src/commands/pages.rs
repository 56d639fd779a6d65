//! The "Pages" view: the notice typeset as the PDF will be, one SVG per page. Typesetting takes
//! tens of milliseconds, so it runs off the async threads and the UI calls it debounced.

use notice_engine::{PagePreview, PdfSettings, TenantFile, page_preview as typeset_pages};
use tauri::State;

use super::blocking;
use crate::error::AppError;
use crate::state::AppState;

/// Typesets the open template with `tenant`'s values; pages carry a DRAFT watermark while errors
/// remain, exactly as a draft export would.
#[tauri::command]
pub async fn page_preview(
    state: State<'_, AppState>,
    tenant: TenantFile,
    settings: PdfSettings,
) -> Result<PagePreview, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    blocking(move || {
        Ok(typeset_pages(
            &open.current,
            &open.answers(&tenant.values),
            &settings,
            super::export::export_time(),
        )?)
    })
    .await
}
