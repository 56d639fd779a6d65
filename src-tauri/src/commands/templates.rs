//! Listing and opening templates.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use notice_engine::NoticeTemplate;
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use crate::dialogs::{self, Ask};
use crate::error::AppError;
use crate::model::{OpenedTemplate, TemplateEntry};
use crate::state::AppState;

/// The bundled templates, then recently opened ones.
#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> Result<Vec<TemplateEntry>, AppError> {
    let dir = state.templates_dir.clone();
    let recent = state.recent().templates;
    blocking(move || Ok(entries(&dir, &recent))).await
}

pub(crate) fn entries(dir: &Path, recent: &[String]) -> Vec<TemplateEntry> {
    let mut found = Vec::new();
    collect(dir, 0, &mut found);
    found.sort();
    let mut out: Vec<TemplateEntry> = found.iter().map(|p| entry(p, true)).collect();
    for r in recent {
        let p = PathBuf::from(r);
        if p.is_file() && !found.contains(&p) {
            out.push(entry(&p, false));
        }
    }
    out
}

fn collect(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
    // Two levels: `templates/<family>/<document>.md`; deeper trees and link loops are ignored.
    if depth > 2 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            collect(&p, depth + 1, out);
        } else if ft.is_file() && p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

/// A name for lists: the file name in words ("privacy_notice.md" → "Privacy notice"); front-matter
/// titles hold placeholders and only make sense rendered.
fn display_name(p: &Path) -> Option<String> {
    p.file_stem()
        .map(|s| notice_engine::template::fields::label_from_name(&s.to_string_lossy()))
}

fn entry(p: &Path, bundled: bool) -> TemplateEntry {
    match NoticeTemplate::load(p) {
        Ok(t) => TemplateEntry {
            id: t.id.clone(),
            path: p.display().to_string(),
            title: display_name(p),
            version: t.version.as_ref().map(ToString::to_string),
            bundled,
        },
        Err(_) => TemplateEntry {
            id: notice_engine::template::template_id(p),
            path: p.display().to_string(),
            title: display_name(p),
            version: None,
            bundled,
        },
    }
}

/// Opens a template (a native dialog when `path` is none); `None` when the user cancelled.
#[tauri::command]
pub async fn open_template<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: Option<String>,
) -> Result<Option<OpenedTemplate>, AppError> {
    let path = match path {
        Some(p) => PathBuf::from(p),
        None => match dialogs::ask(&app, Ask::OpenTemplate).await? {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let opened = load(&state, path.clone()).await?;
    state.remember(&path, false);
    Ok(Some(opened))
}

/// Loads `path` and makes it the current template.
pub(crate) async fn load(state: &AppState, path: PathBuf) -> Result<OpenedTemplate, AppError> {
    let t = blocking(move || Ok(NoticeTemplate::load(&path)?)).await?;
    let opened = OpenedTemplate {
        schema: t.schema(),
        diagnostics: t.load_diagnostics().to_vec(),
    };
    state.set_current(Arc::new(t));
    Ok(opened)
}
