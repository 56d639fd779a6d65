//! Listing and opening templates.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use notice_engine::check::standalone::PreviewSource;
use notice_engine::template::answers::answers_for;
use notice_engine::workspace::family::{family_paths, union_fields};
use notice_engine::{Fix, NoticeTemplate, Severity, TenantFile, check_notice};
use tauri::{AppHandle, Runtime, State};

use super::blocking;
use crate::dialogs::{self, Ask};
use crate::error::AppError;
use crate::model::{FamilyDocument, FamilyProblems, OpenedTemplate, TemplateEntry};
use crate::state::{AppState, OpenTemplate};

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

/// Loads `path` and makes it the current template; inside the open workspace's
/// `templates/<family>/`, its sibling documents are loaded with it.
pub(crate) async fn load(state: &AppState, path: PathBuf) -> Result<OpenedTemplate, AppError> {
    let root = state.workspace();
    let open = blocking(move || {
        let current = Arc::new(NoticeTemplate::load(&path)?);
        let paths = match &root {
            Some(r) => family_paths(r, &path)?.unwrap_or_default(),
            None => vec![],
        };
        let mut family = Vec::new();
        if paths.len() > 1 {
            for p in paths {
                if p == path {
                    family.push(Arc::clone(&current));
                } else if let Ok(t) = NoticeTemplate::load(&p) {
                    // A sibling that cannot be read is left out of the form; opening it says why.
                    family.push(Arc::new(t));
                }
            }
        }
        Ok(OpenTemplate::new(current, family))
    })
    .await?;
    let mut schema = open.current.schema();
    if open.family.len() > 1 {
        schema.fields = union_fields(open.family.iter().map(AsRef::as_ref));
    }
    let opened = OpenedTemplate {
        schema,
        diagnostics: open.current.load_diagnostics().to_vec(),
        family: open
            .family
            .iter()
            .map(|t| FamilyDocument {
                path: t.path.display().to_string(),
                name: display_name(&t.path).unwrap_or_default(),
                version: t.version.as_ref().map(ToString::to_string),
            })
            .collect(),
        preview: PreviewSource::of(&open.current, open.sibling_keys.clone()),
        consent: open.current.runtime.as_ref().is_some_and(|d| {
            d.runtime == notice_engine::template::runtime::Runtime::SynapseConsent
        }),
    };
    state.set_open(open);
    Ok(opened)
}

/// Applies a diagnostic's fix, which the user has confirmed, to a file of the open template (the
/// template or a sibling of its family), then opens the template again so preview and problems
/// follow. A file changed since it was checked is left alone (`stale`); any other path is refused.
#[tauri::command]
pub async fn apply_fix(
    state: State<'_, AppState>,
    path: String,
    fix: Fix,
) -> Result<OpenedTemplate, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let target = PathBuf::from(&path);
    let ours = open.current.path == target || open.family.iter().any(|t| t.path == target);
    if !ours {
        return Err(AppError::Invalid(format!(
            "{path} is not a file of the open template; nothing was changed"
        )));
    }
    blocking(move || Ok(notice_engine::template::fix::apply_fix(&target, &fix)?)).await?;
    load(&state, open.current.path.clone()).await
}

/// How each document of the open family fares with `tenant`'s answers (the tabs' badges); empty
/// outside a family.
#[tauri::command]
pub async fn family_problems(
    state: State<'_, AppState>,
    tenant: TenantFile,
) -> Result<Vec<FamilyProblems>, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    if open.family.len() < 2 {
        return Ok(vec![]);
    }
    blocking(move || {
        Ok(open
            .family
            .iter()
            .map(|t| {
                let values = answers_for(t, open.family.iter().map(AsRef::as_ref), &tenant.values);
                let diags = check_notice(t, &values);
                let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count() as u32;
                FamilyProblems {
                    path: t.path.display().to_string(),
                    errors: count(Severity::Error),
                    warnings: count(Severity::Warning),
                }
            })
            .collect())
    })
    .await
}
