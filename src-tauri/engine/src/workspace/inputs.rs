//! What each export was made from: the template's text (and fields file) and the tenant's
//! answers, kept under `history/inputs/<inputs_sha256>.json` beside the history. Keyed by the
//! inputs hash the history records, so the same inputs are stored once. It lets legal see what
//! changed between what the customer last received and what they would receive now.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::staging::Staging;
use crate::error::{EngineError, read_text};
use crate::template::{MAX_TEMPLATE_BYTES, NoticeTemplate, sidecar_path};
use crate::values::TenantValues;

/// The folder, inside a workspace.
pub const INPUTS_DIR: &str = "history/inputs";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    /// The template's path when exported (display only).
    template: String,
    source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fields: Option<String>,
    values: TenantValues,
}

fn file(root: &Path, inputs_sha256: &str) -> PathBuf {
    root.join(INPUTS_DIR).join(format!("{inputs_sha256}.json"))
}

/// Stages the inputs of an export in `staging` (once per inputs hash: a hash already kept is
/// not written again).
pub fn stage(
    root: &Path,
    inputs_sha256: &str,
    t: &NoticeTemplate,
    values: &TenantValues,
    staging: &Staging,
) -> Result<(), EngineError> {
    let path = file(root, inputs_sha256);
    if path.is_file() {
        return Ok(());
    }
    let dir = root.join(INPUTS_DIR);
    std::fs::create_dir_all(&dir).map_err(|source| EngineError::Write {
        path: dir.clone(),
        source,
    })?;
    let stored = Stored {
        template: t.path.display().to_string(),
        source: t.source.clone(),
        fields: std::fs::read_to_string(sidecar_path(&t.path)).ok(),
        values: values.clone(),
    };
    let json = serde_json::to_string_pretty(&stored).unwrap_or_default() + "\n";
    staging.file(&path, json.as_bytes())
}

/// The template and answers of an export, as they were; `None` when they were not kept (an
/// export made before inputs were kept, or a history from elsewhere).
pub fn load(
    root: &Path,
    inputs_sha256: &str,
) -> Result<Option<(NoticeTemplate, TenantValues)>, EngineError> {
    let path = file(root, inputs_sha256);
    if !path.is_file() {
        return Ok(None);
    }
    let text = read_text(&path, 4 * MAX_TEMPLATE_BYTES)?;
    let stored: Stored = serde_json::from_str(&text).map_err(|e| EngineError::Json {
        path: path.clone(),
        line: e.line() as u32,
        column: (e.column() as u32).max(1),
        message: e.to_string(),
    })?;
    let template_path = PathBuf::from(&stored.template);
    let include_dir = template_path.parent().map(Path::to_path_buf);
    let t = NoticeTemplate::from_parts(
        &template_path,
        &stored.source,
        stored.fields.map(|f| (sidecar_path(&template_path), f)),
        include_dir,
    );
    Ok(Some((t, stored.values)))
}
