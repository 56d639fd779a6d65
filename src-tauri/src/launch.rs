//! What a launch asks to open: `notice-studio FILE`, where FILE is a template (`.md`), a tenant
//! file or a workspace folder; from this instance's own command line, or handed over by a second
//! instance (the file manager opening another file), which then exits.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::model::{OpenKind, OpenRequest};

/// The event the window receives with an [`OpenRequest`] handed over by a second instance.
pub const OPEN_REQUESTED: &str = "open-requested";

/// The file or folder named on a command line (`argv[0]` is the program), relative to `cwd`.
/// Options (`-…`) are skipped: GTK and WebDriver may pass their own.
pub fn requested(argv: impl IntoIterator<Item = OsString>, cwd: &Path) -> Option<OpenRequest> {
    let arg = argv
        .into_iter()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))?;
    let path = cwd.join(PathBuf::from(arg));
    let kind = if path.is_dir() {
        OpenKind::Workspace
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
    {
        OpenKind::Template
    } else {
        OpenKind::Tenant
    };
    Some(OpenRequest {
        kind,
        path: path.display().to_string(),
    })
}

/// A second instance was started: bring the window forward and pass on what it was asked to open.
pub fn second_instance<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: String) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let argv = argv.into_iter().map(OsString::from);
    if let Some(request) = requested(argv, Path::new(&cwd)) {
        let _ = app.emit_to("main", OPEN_REQUESTED, request);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_file_or_folder_is_classified_and_made_absolute() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("ws")).unwrap();
        let r = |a: &[&str]| requested(args(a), dir.path()).unwrap();
        assert_eq!(r(&["notice-studio", "t.md"]).kind, OpenKind::Template);
        assert_eq!(r(&["notice-studio", "acme.json"]).kind, OpenKind::Tenant);
        let ws = r(&["notice-studio", "--some-gtk-flag", "ws"]);
        assert_eq!(ws.kind, OpenKind::Workspace);
        assert_eq!(ws.path, dir.path().join("ws").display().to_string());
        assert_eq!(r(&["x", "/abs/T.MD"]).path, "/abs/T.MD");
        assert!(requested(args(&["notice-studio"]), dir.path()).is_none());
    }
}
