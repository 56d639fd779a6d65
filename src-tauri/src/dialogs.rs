//! Native file dialogs (rfd), behind one seam. Environment variables answer them instead when set,
//! so end-to-end tests never wait on a dialog: `NOTICE_STUDIO_OPEN_TENANT`,
//! `NOTICE_STUDIO_OPEN_TEMPLATE`, `NOTICE_STUDIO_SAVE_PATH`, `NOTICE_STUDIO_EXPORT_DIR` (a file export's
//! folder, or the folder itself for "Export for Synapse…").

use std::path::PathBuf;
use std::sync::mpsc;

use crate::error::AppError;

/// What to ask.
pub enum Ask {
    OpenTenant,
    OpenTemplate,
    /// A folder holding templates/ and tenants/.
    OpenWorkspace,
    /// Another version of the open template, for a redline.
    CompareTemplate,
    SaveTenant {
        suggested: String,
    },
    Export {
        suggested: String,
        extension: &'static str,
    },
    /// A folder to export several files into (Synapse's `template_dir`).
    ExportFolder,
}

/// Shows the dialog for `ask` (on the main thread, as GTK requires) and returns the chosen path,
/// or `None` when the user cancelled.
pub async fn ask<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    ask: Ask,
) -> Result<Option<PathBuf>, AppError> {
    let env = |k: &str| std::env::var_os(k).map(PathBuf::from);
    match &ask {
        Ask::OpenTenant => {
            if let Some(p) = env("NOTICE_STUDIO_OPEN_TENANT") {
                return Ok(Some(p));
            }
        }
        Ask::OpenTemplate => {
            if let Some(p) = env("NOTICE_STUDIO_OPEN_TEMPLATE") {
                return Ok(Some(p));
            }
        }
        Ask::OpenWorkspace => {
            if let Some(p) = env("NOTICE_STUDIO_OPEN_WORKSPACE") {
                return Ok(Some(p));
            }
        }
        Ask::CompareTemplate => {
            if let Some(p) = env("NOTICE_STUDIO_COMPARE_TEMPLATE") {
                return Ok(Some(p));
            }
        }
        Ask::SaveTenant { .. } => {
            if let Some(p) = env("NOTICE_STUDIO_SAVE_PATH") {
                return Ok(Some(p));
            }
        }
        Ask::Export { suggested, .. } => {
            if let Some(d) = env("NOTICE_STUDIO_EXPORT_DIR") {
                return Ok(Some(d.join(suggested)));
            }
        }
        Ask::ExportFolder => {
            if let Some(d) = env("NOTICE_STUDIO_EXPORT_DIR") {
                return Ok(Some(d));
            }
        }
    }
    let (tx, rx) = mpsc::channel();
    app.run_on_main_thread(move || {
        let d = rfd::FileDialog::new();
        let chosen = match ask {
            Ask::OpenTenant => d
                .set_title("Open tenant")
                .add_filter("Tenant files", &["json"])
                .pick_file(),
            Ask::OpenTemplate => d
                .set_title("Open template")
                .add_filter("Notice templates", &["md", "markdown"])
                .pick_file(),
            Ask::OpenWorkspace => d.set_title("Open workspace").pick_folder(),
            Ask::CompareTemplate => d
                .set_title("Compare with another version of the template")
                .add_filter("Notice templates", &["md", "markdown"])
                .pick_file(),
            Ask::SaveTenant { suggested } => d
                .set_title("Save tenant")
                .add_filter("Tenant files", &["json"])
                .set_file_name(suggested)
                .save_file(),
            Ask::Export {
                suggested,
                extension,
            } => d
                .set_title("Export")
                .add_filter(extension.to_uppercase(), &[extension])
                .set_file_name(suggested)
                .save_file(),
            Ask::ExportFolder => d
                .set_title("Export for Synapse: choose the template_dir folder")
                .pick_folder(),
        };
        let _ = tx.send(chosen);
    })
    .map_err(|e| AppError::Dialog(e.to_string()))?;
    tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .map_err(|e| AppError::Dialog(e.to_string()))
}
