//! `notice verify`: does an exported file still say what legal approved? Checks the file
//! against the manifest written beside it (an edited export no longer matches its SHA-256), the
//! approval it carries (HTML metadata, or the manifest entry for a PDF), the approval's signature
//! and whether its key is trusted, and, for HTML, re-hashes the document body to compare it with
//! what was approved.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::identity::TrustedReviewers;
use super::{Approval, Seal, digest};
use crate::error::EngineError;
use crate::export::manifest::{MANIFEST_FILE, ManifestEntry, read_manifest};
pub use crate::export::signed::APPROVAL_META;

/// Exports larger than this are not verified (nothing Notice Studio writes comes close).
const MAX_EXPORT_BYTES: u64 = 512 * 1024 * 1024;

/// What `verify` found.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Verification {
    /// The file verified, as given.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The manifest that lists the file, if one was found.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    /// The approval the file carries (HTML) or its manifest entry holds (PDF).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// The trusted-reviewers file used, if any.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_reviewers: Option<String>,
    /// What holds, one sentence each.
    pub confirmed: Vec<String>,
    /// What does not; empty when the file verifies.
    pub problems: Vec<String>,
}

impl Verification {
    /// True when nothing failed and the file carries an approval.
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.approval.is_some()
    }
}

/// Verifies the exported file at `path`. `trusted` overrides the trusted-reviewers file found
/// above the export.
pub fn verify_export(
    path: &Path,
    trusted: Option<&TrustedReviewers>,
) -> Result<Verification, EngineError> {
    let read_err = |source| EngineError::Read {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_EXPORT_BYTES {
        return Err(EngineError::TooLarge {
            path: path.to_owned(),
            size,
            limit: MAX_EXPORT_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let mut v = Verification {
        file: path.display().to_string(),
        sha256: sha256.clone(),
        manifest: None,
        approval: None,
        trusted_reviewers: None,
        confirmed: vec![],
        problems: vec![],
    };

    let listed = find_in_manifest(path);
    if let Some((manifest, entry)) = &listed {
        v.manifest = Some(manifest.display().to_string());
        if entry.sha256 == sha256 {
            v.confirmed
                .push("the file is byte for byte what was exported (manifest SHA-256)".into());
        } else {
            v.problems.push(format!(
                "the file was changed after export: its SHA-256 is {sha256}, the manifest says {}",
                entry.sha256
            ));
        }
    }

    let is_html = bytes.starts_with(b"<!DOCTYPE html>");
    let embedded = if is_html {
        let html = String::from_utf8_lossy(&bytes);
        let embedded = embedded_approval(&html);
        if let Some(a) = &embedded {
            match document_body(&html) {
                Some(body) if digest::document_sha256(body) == a.document_sha256 => v
                    .confirmed
                    .push("the document's text is exactly what was approved".into()),
                _ => v.problems.push(
                    "the document's text differs from what was approved: the file was edited"
                        .into(),
                ),
            }
        }
        embedded
    } else {
        None
    };
    let from_manifest = listed.as_ref().and_then(|(_, e)| e.approval.clone());
    match (&embedded, &from_manifest) {
        (Some(a), Some(b)) if a != b => v
            .problems
            .push("the approval in the file and the one in the manifest differ".into()),
        (None, None) if listed.is_none() && !is_html => v.problems.push(format!(
            "no {MANIFEST_FILE} beside or above the file lists it; a PDF is verified through the manifest exported with it"
        )),
        (None, None) => v
            .problems
            .push("the file carries no approval: it was exported without one".into()),
        _ => {}
    }
    let Some(a) = embedded.or(from_manifest) else {
        return Ok(v);
    };
    if let Some((_, entry)) = &listed
        && entry.template != a.template
        && !a.template.ends_with(&format!("{}.md", entry.template))
    {
        v.problems.push(format!(
            "the manifest lists the file as `{}`, but the approval is for `{}`",
            entry.template, a.template
        ));
    }

    let found;
    let trusted = match trusted {
        Some(t) => t,
        None => {
            found = TrustedReviewers::find(path)?;
            &found
        }
    };
    v.trusted_reviewers = trusted.path.clone();
    match Seal::of(&a, trusted) {
        Seal::Trusted(r) => v.confirmed.push(format!(
            "approved by {} <{}> on {} (trusted: {}:{})",
            a.reviewer.name,
            a.reviewer.email,
            a.approved_at,
            trusted.path.as_deref().unwrap_or("trusted reviewers"),
            r.line
        )),
        Seal::Untrusted => v.problems.push(format!(
            "signed by {} <{}> with a key that is not trusted ({}){}",
            a.reviewer.name,
            a.reviewer.email,
            super::fingerprint(&a.public_key),
            trusted.path.as_deref().map_or_else(
                || " and no trusted-reviewers.txt was found".to_owned(),
                |p| format!(", not listed in {p}")
            )
        )),
        Seal::Invalid(why) => v
            .problems
            .push(format!("the approval's signature is invalid: {why}")),
    }
    v.approval = Some(a);
    Ok(v)
}

/// The approval an exported HTML document carries in its metadata.
pub fn embedded_approval(html: &str) -> Option<Approval> {
    let marker = format!("<meta name=\"{APPROVAL_META}\" content=\"");
    let start = html.find(&marker)? + marker.len();
    let end = start + html[start..].find('"')?;
    let json = B64.decode(&html[start..end]).ok()?;
    serde_json::from_slice(&json).ok()
}

/// The rendered body inside an exported HTML document: between the `<main>` start tag's line and
/// the document footer, exactly as the exporter wrote it.
fn document_body(html: &str) -> Option<&str> {
    let main = html.find("<main class=\"notice\"")?;
    let start = main + html[main..].find(">\n")? + 2;
    let end = html.rfind("<footer class=\"doc-meta\">")?;
    html.get(start..end)
}

/// The manifest entry for `path`: a `manifest.json` in its folder or up to four folders above
/// whose `file` names it.
fn find_in_manifest(path: &Path) -> Option<(PathBuf, ManifestEntry)> {
    let abs = std::path::absolute(path).ok()?;
    for dir in abs.ancestors().skip(1).take(5) {
        let manifest = dir.join(MANIFEST_FILE);
        if !manifest.is_file() {
            continue;
        }
        let Ok(rel) = abs.strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if let Some(e) = read_manifest(dir)
            .unwrap_or_default()
            .into_iter()
            .find(|e| e.file == rel)
        {
            return Some((manifest, e));
        }
    }
    None
}
