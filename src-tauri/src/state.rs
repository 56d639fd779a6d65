//! The app's one explicit state: the open template, where data lives, recent files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use notice_engine::approval::book::ApprovalBook;
use notice_engine::atomic::write_atomic;
use notice_engine::template::answers::{answers, sibling_keys};
use notice_engine::{NoticeTemplate, TenantValues};
use tauri::Manager;

use crate::commands::preview::RecentBlocks;
use crate::model::RecentFiles;

const RECENT_LIMIT: usize = 10;

/// The open template and, when it belongs to a family of a workspace, every document of that
/// family (itself included, in folder order); one tenant file answers them all.
#[derive(Clone)]
pub struct OpenTemplate {
    pub current: Arc<NoticeTemplate>,
    /// Empty outside a family.
    pub family: Vec<Arc<NoticeTemplate>>,
    /// The answer keys only the siblings read (see [`sibling_keys`]), found once when opened:
    /// every keystroke leaves them out, and the web view's engine gets them too.
    pub sibling_keys: BTreeSet<String>,
}

impl OpenTemplate {
    pub fn new(current: Arc<NoticeTemplate>, family: Vec<Arc<NoticeTemplate>>) -> Self {
        let sibling_keys = sibling_keys(&current, family.iter().map(AsRef::as_ref));
        Self {
            current,
            family,
            sibling_keys,
        }
    }

    /// The answers for the current document out of a tenant file: in a family, answers for a
    /// sibling's fields are left out, so they are not "unknown" here.
    pub fn answers(&self, values: &TenantValues) -> TenantValues {
        answers(values, &self.sibling_keys)
    }
}

/// Managed with `app.manage`: commands reach it through `tauri::State`.
pub struct AppState {
    /// The open template. Replaced whole when another is opened.
    template: Mutex<Option<OpenTemplate>>,
    /// Autosave, recent files.
    pub data_dir: PathBuf,
    /// The bundled templates.
    pub templates_dir: PathBuf,
    /// The open workspace folder, if any.
    workspace: Mutex<Option<PathBuf>>,
    /// Set to stop a running re-issue before its next tenant.
    reissue_cancel: Arc<AtomicBool>,
    /// Recent preview renders, so a keystroke's answer carries only the blocks that changed.
    preview_blocks: Mutex<RecentBlocks>,
    /// The open tenant's approvals, read once and kept while their files are unchanged.
    approvals: Mutex<Option<ApprovalBook>>,
}

impl AppState {
    pub fn new(data_dir: PathBuf, templates_dir: PathBuf) -> Self {
        AppState {
            template: Mutex::new(None),
            data_dir,
            templates_dir,
            workspace: Mutex::new(None),
            reissue_cancel: Arc::new(AtomicBool::new(false)),
            preview_blocks: Mutex::new(RecentBlocks::default()),
            approvals: Mutex::new(None),
        }
    }

    /// Runs `f` with the approvals of the tenant at `tenant_path`, read again only when another
    /// tenant is asked for or their files changed on disk.
    pub fn with_approvals<T>(&self, tenant_path: &Path, f: impl FnOnce(&ApprovalBook) -> T) -> T {
        let mut cached = self.approvals.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = cached
            .as_ref()
            .is_some_and(|b| b.tenant_path == tenant_path && b.is_current());
        if !fresh {
            *cached = None;
        }
        f(cached.get_or_insert_with(|| ApprovalBook::load(tenant_path)))
    }

    /// The open template, if any.
    pub fn current(&self) -> Option<Arc<NoticeTemplate>> {
        self.open().map(|o| o.current)
    }

    /// The open template with its family, if any.
    pub fn open(&self) -> Option<OpenTemplate> {
        self.template
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Makes `open` the open template.
    pub fn set_open(&self, open: OpenTemplate) {
        *self.template.lock().unwrap_or_else(|e| e.into_inner()) = Some(open);
    }

    /// The open workspace folder.
    pub fn workspace(&self) -> Option<PathBuf> {
        self.workspace
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Opens (or closes) a workspace and remembers it for the next start.
    pub fn set_workspace(&self, root: Option<PathBuf>) {
        let mut recent = self.recent();
        recent.workspace = root.as_ref().map(|p| p.display().to_string());
        self.save_recent(&recent);
        *self.workspace.lock().unwrap_or_else(|e| e.into_inner()) = root;
    }

    pub fn preview_blocks(&self) -> &Mutex<RecentBlocks> {
        &self.preview_blocks
    }

    pub fn reissue_cancel(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.reissue_cancel)
    }

    pub fn autosave_path(&self) -> PathBuf {
        self.data_dir.join("autosave.json")
    }

    fn recent_path(&self) -> PathBuf {
        self.data_dir.join("recent.json")
    }

    /// Recently used files; an unreadable list is an empty one.
    pub fn recent(&self) -> RecentFiles {
        std::fs::read_to_string(self.recent_path())
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    /// Records a used file at the top of its list.
    pub fn remember(&self, path: &Path, tenant: bool) {
        let mut r = self.recent();
        let list = if tenant {
            &mut r.tenants
        } else {
            &mut r.templates
        };
        let p = path.display().to_string();
        list.retain(|x| x != &p);
        list.insert(0, p);
        list.truncate(RECENT_LIMIT);
        self.save_recent(&r);
    }

    fn save_recent(&self, r: &RecentFiles) {
        if std::fs::create_dir_all(&self.data_dir).is_ok()
            && let Ok(json) = serde_json::to_string_pretty(r)
        {
            // Losing the recent list is harmless; never fail a command over it.
            let _ = write_atomic(&self.recent_path(), json.as_bytes());
        }
    }
}

/// The app's data folder (`NOTICE_STUDIO_DATA_DIR` overrides it, for tests).
pub fn data_dir<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> PathBuf {
    if let Some(d) = std::env::var_os("NOTICE_STUDIO_DATA_DIR") {
        return PathBuf::from(d);
    }
    app.path()
        .app_data_dir()
        .unwrap_or_else(|_| std::env::temp_dir().join("notice-studio"))
}

/// Where the bundled templates are: `NOTICE_STUDIO_TEMPLATES_DIR`, the bundle's resources
/// (`/usr/lib/Notice Studio/templates` when installed), or, in debug builds only, the source tree.
/// A release build never falls back to the source tree, so the installed-package test proves the
/// package's own templates are found.
pub fn templates_dir<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> PathBuf {
    if let Some(d) = std::env::var_os("NOTICE_STUDIO_TEMPLATES_DIR") {
        return PathBuf::from(d);
    }
    let bundled = app.path().resource_dir().map(|res| res.join("templates"));
    match bundled {
        Ok(t) if t.is_dir() || !cfg!(debug_assertions) => t,
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../templates")),
    }
}
