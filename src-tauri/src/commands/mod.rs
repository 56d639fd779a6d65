//! The commands the UI invokes, one module per feature. Each is a few lines over the engine; the
//! full list is registered in [`crate::build_app`] and allowed in `permissions/app.toml`.

pub mod approval;
pub mod autosave;
pub mod consent;
pub mod export;
pub mod pages;
pub mod preview;
pub mod redline;
pub mod startup;
pub mod templates;
pub mod tenants;
pub mod workspace;

/// Runs blocking engine work (file reads, template loading) off the async runtime's threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::error::AppError> + Send + 'static,
) -> Result<T, crate::error::AppError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| crate::error::AppError::Dialog(format!("background task failed: {e}")))?
}
