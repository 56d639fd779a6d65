//! Autosave: the working state in the app's data folder, so a crash or kill loses nothing.

use notice_engine::atomic::write_atomic;
use tauri::State;

use super::blocking;
use crate::error::AppError;
use crate::model::WorkingState;
use crate::state::AppState;

/// Writes the working state atomically (called every few seconds while there are changes).
#[tauri::command]
pub async fn write_autosave(
    app_state: State<'_, AppState>,
    mut state: WorkingState,
) -> Result<(), AppError> {
    state.saved_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let dir = app_state.data_dir.clone();
    let path = app_state.autosave_path();
    let working = state;
    blocking(move || {
        std::fs::create_dir_all(&dir).map_err(|source| notice_engine::EngineError::Write {
            path: dir.clone(),
            source,
        })?;
        let json = serde_json::to_string_pretty(&working).unwrap_or_default();
        Ok(write_atomic(&path, json.as_bytes())?)
    })
    .await
}

/// Forgets the working state (after a save, or when the user declines to restore it).
#[tauri::command]
pub async fn clear_autosave(state: State<'_, AppState>) -> Result<(), AppError> {
    match std::fs::remove_file(state.autosave_path()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(notice_engine::EngineError::Write {
            path: state.autosave_path(),
            source,
        }
        .into()),
    }
}

/// The working state a previous session left, if it is readable.
pub(crate) fn pending(state: &AppState) -> Option<WorkingState> {
    let text = std::fs::read_to_string(state.autosave_path()).ok()?;
    serde_json::from_str(&text).ok()
}
