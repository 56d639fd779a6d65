//! Redlines for legal: the open document against another version of its template, or against
//! what the tenant last received (the workspace keeps each export's inputs), shown in the app and
//! saved as one HTML page. The comparison is the engine's (`workspace::redline`).

use std::path::Path;

use notice_engine::atomic::write_atomic;
use notice_engine::workspace::History;
use notice_engine::workspace::redline::{
    Redline, SinceExport, redline, redline_document, redline_title, since_last_export,
};
use notice_engine::{NoticeTemplate, TenantFile};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use crate::dialogs::{self, Ask};
use crate::error::AppError;
use crate::state::{AppState, OpenTemplate};

/// What the open document is compared with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RedlineAgainst {
    /// Another version of the template, with the same answers.
    Template { path: String },
    /// The last export recorded for the tenant saved at `tenant_path`, inside the open workspace.
    LastExport { tenant_path: String },
}

/// A redline and what it compared.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RedlineView {
    pub against: RedlineAgainst,
    /// The older side: a template file, or the exported file.
    pub old_path: String,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub old_version: Option<String>,
    /// When the older side was exported (RFC 3339), for a last-export redline.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub exported_at: Option<String>,
    /// "the clause text changed", "only the tenant's values changed", …
    pub summary: String,
    pub redline: Redline,
}

/// The open template against another version of it (asked for when `old_template` is not
/// given), both with `tenant`'s values. `None` when the user cancelled the dialog.
#[tauri::command]
pub async fn redline_template<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    tenant: TenantFile,
    old_template: Option<String>,
) -> Result<Option<RedlineView>, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let path = match old_template {
        Some(p) => p,
        None => match dialogs::ask(&app, Ask::CompareTemplate).await? {
            Some(p) => p.display().to_string(),
            None => return Ok(None),
        },
    };
    let against = RedlineAgainst::Template { path };
    let root = state.workspace();
    blocking(move || Ok(Some(compare(&open, root.as_deref(), &tenant, against)?.0))).await
}

/// The open document now (with `tenant`'s answers, saved or not) against what the tenant last
/// received of it.
#[tauri::command]
pub async fn redline_last_export(
    state: State<'_, AppState>,
    tenant: TenantFile,
    tenant_path: String,
) -> Result<RedlineView, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let root = state.workspace();
    let against = RedlineAgainst::LastExport { tenant_path };
    blocking(move || Ok(compare(&open, root.as_deref(), &tenant, against)?.0)).await
}

/// Saves a redline as a self-contained HTML page for legal, where the user chooses. Computed
/// again here, so the file is the engine's comparison, not a copy of what the UI holds. Returns
/// the path written; `None` when the user cancelled.
#[tauri::command]
pub async fn save_redline<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    tenant: TenantFile,
    against: RedlineAgainst,
) -> Result<Option<String>, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let root = state.workspace();
    let (view, title) = blocking(move || compare(&open, root.as_deref(), &tenant, against)).await?;
    let page = redline_document(&title, &view.redline);
    let suggested = format!(
        "{}.html",
        notice_engine::workspace::tenants::slug(&format!("redline {title}"))
    );
    let Some(path) = dialogs::ask(
        &app,
        Ask::Export {
            suggested,
            extension: "html",
        },
    )
    .await?
    else {
        return Ok(None);
    };
    let p = path.clone();
    blocking(move || Ok(write_atomic(&p, page.as_bytes())?)).await?;
    Ok(Some(path.display().to_string()))
}

/// The redline and a title for it.
fn compare(
    open: &OpenTemplate,
    root: Option<&Path>,
    tenant: &TenantFile,
    against: RedlineAgainst,
) -> Result<(RedlineView, String), AppError> {
    let current = &open.current;
    let values = open.answers(&tenant.values);
    match &against {
        RedlineAgainst::Template { path } => {
            let old = NoticeTemplate::load(Path::new(path))?;
            // The same answers on both sides: what differs is the clause text (values a version
            // does not use are simply not printed by it).
            let r = redline(&old, &values, current, &values);
            let title = redline_title(&old, current, &tenant.tenant);
            Ok((
                RedlineView {
                    old_path: path.clone(),
                    old_version: old.version.as_ref().map(ToString::to_string),
                    exported_at: None,
                    summary: r.summary().to_owned(),
                    redline: r,
                    against,
                },
                title,
            ))
        }
        RedlineAgainst::LastExport { tenant_path } => {
            let root = root.ok_or(AppError::NoWorkspace)?;
            let tenant_id = stem(Path::new(tenant_path));
            let document = document_id(root, &current.path).ok_or_else(|| {
                AppError::NoExport(format!(
                    "{} is not a template of the open workspace",
                    current.path.display()
                ))
            })?;
            let history = History::at(root).load()?;
            let since = since_last_export(root, &history, &tenant_id, &document, current, &values)?;
            let (rec, r) = match since {
                SinceExport::Redline(rec, r) => (rec, r),
                SinceExport::NeverExported => {
                    return Err(AppError::NoExport(format!(
                        "{tenant_id} has no recorded export of {document} yet"
                    )));
                }
                SinceExport::InputsNotKept(rec) => {
                    return Err(AppError::NoExport(format!(
                        "the last export of {document} for {tenant_id} ({}) was made before \
                         Notice Studio kept what exports are made from; export it again to \
                         compare from then on",
                        rec.time
                    )));
                }
            };
            let title = format!(
                "{} since the export of {} (version {}), for {}",
                stem(&current.path),
                rec.time,
                rec.version,
                tenant.tenant.trim()
            );
            Ok((
                RedlineView {
                    old_path: root.join(&rec.path).display().to_string(),
                    old_version: Some(rec.version.clone()).filter(|v| !v.is_empty()),
                    exported_at: Some(rec.time.clone()),
                    summary: r.summary().to_owned(),
                    redline: r,
                    against,
                },
                title,
            ))
        }
    }
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `<family>/<document>` of a template inside `<root>/templates/<family>/`.
fn document_id(root: &Path, template: &Path) -> Option<String> {
    let dir = template.parent()?;
    if dir.parent()? != root.join("templates") {
        return None;
    }
    Some(format!("{}/{}", stem(dir), stem(template)))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn document_ids_only_inside_the_workspace() {
        let root = PathBuf::from("/ws");
        assert_eq!(
            document_id(&root, Path::new("/ws/templates/hh/privacy_notice.md")).as_deref(),
            Some("hh/privacy_notice")
        );
        assert_eq!(document_id(&root, Path::new("/elsewhere/hh/p.md")), None);
    }
}
