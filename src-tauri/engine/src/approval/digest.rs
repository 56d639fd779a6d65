//! The canonical digest an approval signs: every fact the approval vouches for, one per line in
//! a fixed order, each value JSON-encoded (so no value can forge a line break or another key),
//! hashed with SHA-256 under a domain-separation header. Signing the digest rather than a
//! serialisation of the approval file means reformatting the file, or reordering its keys,
//! never breaks a signature, while changing any fact does.

use sha2::{Digest, Sha256};

use super::Approval;
use crate::values::TenantValues;

/// Header of the signed text; a new layout gets a new header, so old signatures cannot be
/// reinterpreted.
const DOMAIN: &str = "notice-studio approval v1\n";

/// SHA-256 of the canonical text of `a` (its signature excluded).
pub fn approval_digest(a: &Approval) -> [u8; 32] {
    let mut text = String::from(DOMAIN);
    let mut line = |key: &str, value: &str| {
        text.push_str(key);
        text.push('=');
        text.push_str(&serde_json::to_string(value).unwrap_or_default());
        text.push('\n');
    };
    line("tenant", &a.tenant);
    line("template", &a.template);
    line("version", &a.version);
    line("template_sha256", &a.template_sha256);
    line("values_sha256", &a.values_sha256);
    line("document_sha256", &a.document_sha256);
    line("reviewer_name", &a.reviewer.name);
    line("reviewer_email", &a.reviewer.email);
    line("public_key", &a.public_key);
    line("approved_at", &a.approved_at);
    Sha256::digest(text.as_bytes()).into()
}

/// SHA-256 of values in canonical JSON (keys sorted: [`TenantValues`] is a sorted map).
pub fn values_sha256(values: &TenantValues) -> String {
    hex::encode(Sha256::digest(
        serde_json::to_string(values).unwrap_or_default().as_bytes(),
    ))
}

/// SHA-256 of a rendered document body.
pub fn document_sha256(body_html: &str) -> String {
    hex::encode(Sha256::digest(body_html.as_bytes()))
}
