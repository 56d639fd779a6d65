//! The approval an export carries, as data: who signed what, written into the HTML metadata and
//! the manifest. Signing, verifying and judging it are `approval`'s; this module holds only the
//! record, so an export can carry it without knowing how it was made.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::values::TenantValues;

/// The HTML `<meta>` name carrying the approval (base64 of its JSON).
pub const APPROVAL_META: &str = "notice-studio.approval";

/// One signed approval of one document for one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Approval {
    /// The tenant's id (its file name without `.json`).
    pub tenant: String,
    /// The template's id (`<folder>/<file>`).
    pub template: String,
    /// The template version approved (empty when it has none).
    pub version: String,
    /// SHA-256 of the template text (and its sidecar).
    pub template_sha256: String,
    /// The values approved, as the document reads them; kept so a later change can be named.
    pub values: TenantValues,
    /// SHA-256 of `values` in canonical JSON.
    pub values_sha256: String,
    /// SHA-256 of the rendered document body: what the reviewer read.
    pub document_sha256: String,
    /// Who approved.
    pub reviewer: Reviewer,
    /// `ed25519:<base64>`.
    pub public_key: String,
    /// RFC 3339.
    pub approved_at: String,
    /// Base64 Ed25519 signature over the approval's digest (`approval::digest`).
    pub signature: String,
}

/// Who approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reviewer {
    /// The reviewer's name.
    pub name: String,
    /// The reviewer's email address.
    pub email: String,
}

/// A short, readable fingerprint of a public key (`SHA256:` and 16 hex digits), for dialogs.
pub fn fingerprint(public_key: &str) -> String {
    let digest = Sha256::digest(public_key.as_bytes());
    format!("SHA256:{}", &hex::encode(digest)[..16])
}
