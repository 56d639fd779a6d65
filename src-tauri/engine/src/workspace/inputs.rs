//! What each export was made from: the template's text (and fields file) and the tenant's
//! answers, kept under `history/inputs/` beside the history. An export's answers are kept in
//! `<inputs_sha256>.json` (the inputs hash the history records), naming the template they were
//! used with by its content hash; the template itself is kept once, in
//! `templates/<content_hash>.json`, however many tenants it was exported for (kept with every
//! export, it made a fleet's publish write the whole template a few thousand times). It lets
//! legal see what changed between what the customer last received and what they would receive
//! now. Files kept by earlier versions, with the template inside, are read as they are.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::staging::Staging;
use crate::error::{EngineError, read_text};
use crate::template::{MAX_TEMPLATE_BYTES, NoticeTemplate, sidecar_path};
use crate::values::TenantValues;

/// The folder, inside a workspace.
pub const INPUTS_DIR: &str = "history/inputs";

/// The folder, inside [`INPUTS_DIR`], of the templates exports were made from.
const TEMPLATES_DIR: &str = "templates";

/// One export's inputs.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
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

fn file(root: &Path, inputs_sha256: &str) -> PathBuf {
    root.join(INPUTS_DIR).join(format!("{inputs_sha256}.json"))
}

fn template_file(root: &Path, content_hash: &str) -> PathBuf {
    root.join(INPUTS_DIR)
        .join(TEMPLATES_DIR)
        .join(format!("{content_hash}.json"))
}

/// Stages the inputs of an export in `staging`: its answers once per inputs hash, its template
/// once per content hash (what is kept already, or staged already, is not written again).
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
        template: t.path.display().to_string(),
        template_sha256: Some(t.content_hash.clone()),
        source: None,
        fields: None,
        values: values.clone(),
    };
    staging.file_once(&path, || {
        serde_json::to_string_pretty(&stored).unwrap_or_default() + "\n"
    })
}

/// The template and answers of an export, as they were; `None` when they were not kept (an
/// export made before inputs were kept, or a history from elsewhere).
pub fn load(
    root: &Path,
    inputs_sha256: &str,
) -> Result<Option<(NoticeTemplate, TenantValues)>, EngineError> {
    let Some(stored) = read_json::<Stored>(&file(root, inputs_sha256))? else {
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
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::values::FieldValue;
    use crate::workspace::History;

    fn template(root: &Path) -> NoticeTemplate {
        let path = root.join("templates/family/notice.md");
        NoticeTemplate::from_source(
            &path,
            "---\ntitle: Notice\nversion: 1.0.0\n---\nHello {{ name }}.\n",
            None,
        )
    }

    fn answers(name: &str) -> TenantValues {
        TenantValues::from([("name".to_owned(), FieldValue::Text(name.to_owned()))])
    }

    #[test]
    fn the_template_is_kept_once_and_every_export_reads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let t = template(root);
        let staging = Staging::new();
        for (hash, name) in [("a".repeat(64), "Ada"), ("b".repeat(64), "Bob")] {
            stage(root, &hash, &t, &answers(name), &staging).unwrap();
        }
        staging.commit(&History::at(root)).unwrap();
        let kept = std::fs::read_dir(root.join(INPUTS_DIR).join(TEMPLATES_DIR)).unwrap();
        assert_eq!(kept.count(), 1, "one template file for both exports");
        let (read, values) = load(root, &"b".repeat(64)).unwrap().unwrap();
        assert_eq!(read.source, t.source);
        assert_eq!(read.content_hash, t.content_hash);
        assert_eq!(values, answers("Bob"));
        // A later export of the same template writes no template again.
        let staging = Staging::new();
        stage(root, &"c".repeat(64), &t, &answers("Cy"), &staging).unwrap();
        assert_eq!(staging.files_staged(), 1);
    }

    #[test]
    fn inputs_kept_with_the_template_inside_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(INPUTS_DIR)).unwrap();
        let legacy = serde_json::json!({
            "template": "templates/family/notice.md",
            "source": "---\ntitle: Old\nversion: 0.9.0\n---\nHi {{ name }}.\n",
            "values": { "name": "Ada" },
        });
        std::fs::write(file(root, &"d".repeat(64)), legacy.to_string()).unwrap();
        let (t, values) = load(root, &"d".repeat(64)).unwrap().unwrap();
        assert!(t.source.contains("Hi {{ name }}."));
        assert_eq!(values, answers("Ada"));
    }

    #[test]
    fn a_template_hash_that_is_no_hash_names_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(INPUTS_DIR)).unwrap();
        let forged = serde_json::json!({
            "template": "x.md",
            "template_sha256": "../../../../etc/passwd",
            "values": {},
        });
        std::fs::write(file(root, &"e".repeat(64)), forged.to_string()).unwrap();
        assert!(load(root, &"e".repeat(64)).unwrap().is_none());
    }
}
