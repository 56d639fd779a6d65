//! The manifest written beside exported files (`manifest.json`): what each file is, what it was
//! made from and the approval it was exported under, so `notice verify` can check a file later.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::inputs_hash;
use super::signed::Approval;
use crate::atomic::write_atomic;
use crate::error::EngineError;
use crate::template::NoticeTemplate;
use crate::values::TenantValues;

/// The manifest's file name.
pub const MANIFEST_FILE: &str = "manifest.json";

/// One file in a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ManifestEntry {
    /// Relative to the tenant's folder.
    pub file: String,
    /// The document's id (`<family>/<stem>`).
    pub template: String,
    /// The template version exported (empty when it has none).
    pub version: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// SHA-256 of template and values.
    pub values_sha256: String,
    /// When it was exported (RFC 3339).
    pub time: String,
    /// The legal approval the file was exported under, if any.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
}

/// Writes `<folder>/manifest.json` ([`manifest_json`]), atomically.
pub(crate) fn write_manifest(
    folder: &Path,
    manifest: Vec<ManifestEntry>,
) -> Result<(), EngineError> {
    write_atomic(
        &folder.join(MANIFEST_FILE),
        manifest_json(manifest).as_bytes(),
    )
}

/// A manifest's file content: its entries sorted by file, as pretty JSON.
pub(crate) fn manifest_json(mut manifest: Vec<ManifestEntry>) -> String {
    manifest.sort_by(|a, b| a.file.cmp(&b.file));
    serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"
}

/// Records one approved file exported on its own (from the app or `notice render -o`) in the
/// manifest of its folder, with its approval, replacing an earlier entry for the same file name:
/// a PDF carries no approval of its own, and `notice verify` finds it there. `values` are those
/// the export was made from.
pub fn record_in_manifest(
    exported: &Path,
    t: &NoticeTemplate,
    values: &TenantValues,
    bytes: &[u8],
    at: OffsetDateTime,
    approval: &Approval,
) -> Result<(), EngineError> {
    let folder = exported.parent().unwrap_or(Path::new("."));
    let entry = ManifestEntry {
        file: exported
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        template: t.id.clone(),
        version: approval.version.clone(),
        sha256: hex::encode(Sha256::digest(bytes)),
        values_sha256: inputs_hash(t, values),
        time: at.format(&Rfc3339).unwrap_or_default(),
        approval: Some(approval.clone()),
    };
    let mut manifest = read_manifest(folder)?;
    manifest.retain(|m| m.file != entry.file);
    manifest.push(entry);
    write_manifest(folder, manifest)
}

/// The manifest in `folder`; empty when there is none. One that cannot be read or parsed is an
/// error, so that no caller replaces it with an empty one.
pub(crate) fn read_manifest(folder: &Path) -> Result<Vec<ManifestEntry>, EngineError> {
    let path = folder.join(MANIFEST_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(source) => return Err(EngineError::Read { path, source }),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    serde_json::from_str(text).map_err(|e| EngineError::json(&path, &e))
}
