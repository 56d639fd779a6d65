//! Workspace settings: `settings.json` at the workspace root. Absent means the defaults.
//!
//! ```json
//! { "require_approval": true }
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, read_text};

/// The settings file's name at the workspace root.
pub const SETTINGS_FILE: &str = "settings.json";

/// The settings of one workspace (`settings.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WorkspaceSettings {
    /// A non-draft export needs a valid, trusted approval of exactly what is exported.
    pub require_approval: bool,
}

impl WorkspaceSettings {
    /// Reads `<root>/settings.json`; a missing file gives the defaults, a malformed one an
    /// error naming its line (never silently the defaults: that would drop a requirement).
    pub fn load(root: &Path) -> Result<Self, EngineError> {
        let path = root.join(SETTINGS_FILE);
        if !path.exists() {
            return Ok(Self::default());
        }
        let text = read_text(&path, 1024 * 1024)?;
        serde_json::from_str(&text).map_err(|e| EngineError::json(&path, &e))
    }

    /// The settings governing a tenant file: those of the workspace it sits in
    /// (`<root>/tenants/<id>.json`), else the defaults.
    pub fn for_tenant(tenant_path: &Path) -> Result<Self, EngineError> {
        match workspace_root_of(tenant_path) {
            Some(root) => Self::load(&root),
            None => Ok(Self::default()),
        }
    }
}

/// `<root>` for `<root>/tenants/<file>` when `<root>/templates` exists.
pub fn workspace_root_of(tenant_path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(tenant_path).ok()?;
    let dir = abs.parent()?;
    if dir.file_name()? != "tenants" {
        return None;
    }
    let root = dir.parent()?;
    root.join("templates").is_dir().then(|| root.to_owned())
}
