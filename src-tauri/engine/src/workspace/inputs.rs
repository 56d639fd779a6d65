//! What each export was made from: the template's text (and fields file) and the tenant's
//! answers, kept under `history/inputs/` beside the history. It lets legal see what changed
//! between what the customer last received and what they would receive now.
//!
//! - A template is kept once, in `templates/<content hash>.json`, however many tenants it was
//!   exported for.
//! - An export's answers are a line of a pack, `packs/<pack>.jsonl`: one pack per committed
//!   chunk of a publish run, named in each history record it serves ([`ExportRecord`]'s
//!   `inputs_pack`). A file per export made a fleet's publish create a few thousand files (and a
//!   git checkout of the workspace carry them all).
//! - Files kept by earlier versions, `<inputs_sha256>.json` with the template inside or named by
//!   its hash, are read as they are.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::history::ExportRecord;
use super::staging::Staging;
use crate::atomic::Batch;
use crate::error::{EngineError, read_text};
use crate::template::{MAX_TEMPLATE_BYTES, NoticeTemplate, sidecar_path};
use crate::values::TenantValues;

/// The folder, inside a workspace.
pub const INPUTS_DIR: &str = "history/inputs";

/// The folder, inside [`INPUTS_DIR`], of the templates exports were made from.
const TEMPLATES_DIR: &str = "templates";

/// The folder, inside [`INPUTS_DIR`], of the packs of answers.
const PACKS_DIR: &str = "packs";

/// The largest pack read (a chunk of tenants' answers; far below in practice).
const MAX_PACK_BYTES: u64 = 256 * 1024 * 1024;

/// One export's inputs: a pack's line, or (in earlier versions) a file of its own.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    /// Which export's inputs (first in a pack's line, so a line is found by its start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inputs_sha256: Option<String>,
    /// The template's path when exported (display only).
    template: String,
    /// The content hash of the template (its file in [`TEMPLATES_DIR`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    template_sha256: Option<String>,
    /// The template's text, in files kept before templates were kept apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fields: Option<String>,
    values: TenantValues,
}

/// A template as exported.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredTemplate {
    source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fields: Option<String>,
}

/// The answers staged by one [`Staging`], written as one pack when it is committed.
#[derive(Debug, Default)]
pub(crate) struct Pack {
    lines: String,
    kept: HashSet<String>,
}

impl Pack {
    /// Adds `stored` unless its inputs are in the pack already.
    fn add(&mut self, inputs_sha256: &str, stored: &Stored) {
        if self.kept.insert(inputs_sha256.to_owned()) {
            self.lines
                .push_str(&serde_json::to_string(stored).unwrap_or_default());
            self.lines.push('\n');
        }
    }

    /// Stages the pack (named by its content's hash) in `files`, and names it in each of
    /// `records` whose inputs it holds. Nothing to do when it is empty.
    pub(crate) fn stage(
        self,
        root: &Path,
        files: &Batch,
        records: &mut [ExportRecord],
    ) -> Result<(), EngineError> {
        if self.lines.is_empty() {
            return Ok(());
        }
        let name = hex::encode(Sha256::digest(self.lines.as_bytes()));
        let dir = root.join(INPUTS_DIR).join(PACKS_DIR);
        std::fs::create_dir_all(&dir).map_err(|source| EngineError::Write {
            path: dir.clone(),
            source,
        })?;
        files.stage(&dir.join(format!("{name}.jsonl")), self.lines.as_bytes())?;
        for r in records
            .iter_mut()
            .filter(|r| self.kept.contains(&r.inputs_sha256))
        {
            r.inputs_pack = Some(name.clone());
        }
        Ok(())
    }
}

fn file(root: &Path, inputs_sha256: &str) -> PathBuf {
    root.join(INPUTS_DIR).join(format!("{inputs_sha256}.json"))
}

fn template_file(root: &Path, content_hash: &str) -> PathBuf {
    root.join(INPUTS_DIR)
        .join(TEMPLATES_DIR)
        .join(format!("{content_hash}.json"))
}

fn pack_file(root: &Path, pack: &str) -> PathBuf {
    root.join(INPUTS_DIR)
        .join(PACKS_DIR)
        .join(format!("{pack}.jsonl"))
}

/// Stages the inputs of an export in `staging`: its answers in the staging's pack, its template
/// once per content hash (a template kept already, or staged already, is not written again).
pub fn stage(
    root: &Path,
    inputs_sha256: &str,
    t: &NoticeTemplate,
    values: &TenantValues,
    staging: &Staging,
) -> Result<(), EngineError> {
    let kept = template_file(root, &t.content_hash);
    if !kept.is_file() {
        let dir = root.join(INPUTS_DIR).join(TEMPLATES_DIR);
        std::fs::create_dir_all(&dir).map_err(|source| EngineError::Write {
            path: dir.clone(),
            source,
        })?;
        staging.file_once(&kept, || {
            let stored = StoredTemplate {
                source: t.source.clone(),
                // The fields file as it was read with the template, not as it is on disk now.
                fields: t.sidecar_text().map(str::to_owned),
            };
            serde_json::to_string(&stored).unwrap_or_default() + "\n"
        })?;
    }
    let stored = Stored {
        inputs_sha256: Some(inputs_sha256.to_owned()),
        template: t.path.display().to_string(),
        template_sha256: Some(t.content_hash.clone()),
        source: None,
        fields: None,
        values: values.clone(),
    };
    staging.with_pack(|pack| pack.add(inputs_sha256, &stored));
    Ok(())
}

/// The template and answers `record`'s export was made from; `None` when they were not kept
/// (an export made before inputs were kept, or a history from elsewhere).
pub fn load(
    root: &Path,
    record: &ExportRecord,
) -> Result<Option<(NoticeTemplate, TenantValues)>, EngineError> {
    let sha = &record.inputs_sha256;
    let stored = match &record.inputs_pack {
        Some(pack) if is_sha256(pack) && is_sha256(sha) => find_in_pack(root, pack, sha)?,
        Some(_) => None,
        None if is_sha256(sha) => read_json::<Stored>(&file(root, sha))?,
        None => None,
    };
    let Some(stored) = stored else {
        return Ok(None);
    };
    let (source, fields) = match (stored.source, &stored.template_sha256) {
        (Some(source), _) => (source, stored.fields),
        // A hash names a file: anything but a SHA-256 in hex names none.
        (None, Some(hash)) if is_sha256(hash) => {
            match read_json::<StoredTemplate>(&template_file(root, hash))? {
                Some(kept) => (kept.source, kept.fields),
                None => return Ok(None),
            }
        }
        (None, _) => return Ok(None),
    };
    let template_path = PathBuf::from(&stored.template);
    let include_dir = template_path.parent().map(Path::to_path_buf);
    let t = NoticeTemplate::from_parts(
        &template_path,
        &source,
        fields.map(|f| (sidecar_path(&template_path), f)),
        include_dir,
    );
    Ok(Some((t, stored.values)))
}

/// The line of `pack` holding the inputs `inputs_sha256`.
fn find_in_pack(
    root: &Path,
    pack: &str,
    inputs_sha256: &str,
) -> Result<Option<Stored>, EngineError> {
    let path = pack_file(root, pack);
    if !path.is_file() {
        return Ok(None);
    }
    let text = read_text(&path, MAX_PACK_BYTES)?;
    let start = format!("{{\"inputs_sha256\":\"{inputs_sha256}\"");
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with(&start) {
            continue;
        }
        return serde_json::from_str(line)
            .map(Some)
            .map_err(|e| EngineError::Json {
                path: path.clone(),
                line: i as u32 + 1,
                column: (e.column() as u32).max(1),
                message: e.to_string(),
            });
    }
    Ok(None)
}

fn is_sha256(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A kept file, `None` when there is none.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, EngineError> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = read_text(path, 4 * MAX_TEMPLATE_BYTES)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| EngineError::Json {
            path: path.to_owned(),
            line: e.line() as u32,
            column: (e.column() as u32).max(1),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests;
