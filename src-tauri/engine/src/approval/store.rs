//! Approvals on disk: `<tenant>.approvals.json` beside the tenant file `<tenant>.json`, one
//! approval per document of the tenant's family. Plain, diffable JSON, written atomically; the
//! workspace reader does not take it for a tenant.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Approval, FORMAT};
use crate::atomic::write_atomic;
use crate::error::{EngineError, read_text};

/// The suffix that marks an approvals file (and keeps it out of the tenant list).
pub const SUFFIX: &str = ".approvals.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ApprovalsFile {
    format: u32,
    approvals: Vec<Approval>,
}

/// `<dir>/<stem>.approvals.json` for the tenant file `<dir>/<stem>.json`.
pub fn approvals_path(tenant_path: &Path) -> PathBuf {
    let stem = tenant_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    tenant_path.with_file_name(format!("{stem}{SUFFIX}"))
}

/// Whether `path` is an approvals file rather than a tenant.
pub fn is_approvals_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(SUFFIX))
}

/// The approvals kept for the tenant at `tenant_path`; none when there is no file.
pub fn load(tenant_path: &Path) -> Result<Vec<Approval>, EngineError> {
    let path = approvals_path(tenant_path);
    if !path.exists() {
        return Ok(vec![]);
    }
    let text = read_text(&path, 4 * 1024 * 1024)?;
    let file: ApprovalsFile =
        serde_json::from_str(&text).map_err(|e| EngineError::json(&path, &e))?;
    Ok(file.approvals)
}

/// The approval of `template` among `approvals`.
pub fn find<'a>(approvals: &'a [Approval], template: &str) -> Option<&'a Approval> {
    approvals.iter().find(|a| a.template == template)
}

/// Adds `approval` for the tenant at `tenant_path`, replacing an earlier one of the same
/// template. Returns the file written.
pub fn save(tenant_path: &Path, approval: &Approval) -> Result<PathBuf, EngineError> {
    let path = approvals_path(tenant_path);
    let mut approvals = load(tenant_path)?;
    approvals.retain(|a| a.template != approval.template);
    approvals.push(approval.clone());
    approvals.sort_by(|a, b| a.template.cmp(&b.template));
    let file = ApprovalsFile {
        format: FORMAT,
        approvals,
    };
    let json = serde_json::to_string_pretty(&file).unwrap_or_default() + "\n";
    write_atomic(&path, json.as_bytes())?;
    Ok(path)
}
