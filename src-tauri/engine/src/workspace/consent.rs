//! Publishing a page its runtime serves: a document declaring `runtime: synapse-consent` is
//! published as the tenant's Synapse `template_dir`, `<out>/<tenant>/synapse/` (`en/<version>.html`,
//! `en/success.html`, `user_consent.yaml`), recorded in the manifest and the history like every
//! export (format `synapse`). Its status (up to date, outdated, "users must accept again" after
//! a major bump) follows from those records as for any document; after a major bump
//! [`server_notices`] drafts what the tenant's users are told. Writes through
//! [`crate::atomic`] only.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::staging::{ExportedFile, Origin, Staging};
use super::status::{DocStatus, TenantStatus};
use super::{Document, Tenant, Workspace};
use crate::approval::Approval;
use crate::diagnostic::Diagnostic;
use crate::error::EngineError;
use crate::export::inputs_hash;
use crate::export::manifest::ManifestEntry;
use crate::export::synapse::{ConsentOptions, consent_version, export_consent};
use crate::values::TenantValues;

/// The folder, inside the tenant's, that is Synapse's `template_dir`.
pub const SYNAPSE_DIR: &str = "synapse";

/// Why a consent page was not published.
#[derive(Debug)]
pub(crate) enum Unpublished {
    /// Errors in the document: nothing of it was written.
    Problems(Vec<Diagnostic>),
    /// A file could not be written.
    Failure(String),
}

/// Exports `doc` for `tenant` into `<folder>/synapse/`, staging each file and its record in
/// `staging`, and returns what will be written. `user_consent.template_dir` names that folder as an absolute path: where the files
/// are deployed on the homeserver may differ, and the YAML says so.
#[allow(clippy::too_many_arguments)]
pub(crate) fn publish(
    ws: &Workspace,
    tenant: &Tenant,
    doc: &Document,
    values: &TenantValues,
    folder: &Path,
    at: OffsetDateTime,
    approval: Option<&Approval>,
    manifest: &mut Vec<ManifestEntry>,
    staging: &Staging,
) -> Result<Vec<String>, Unpublished> {
    let t = &doc.template;
    let dir = folder.join(SYNAPSE_DIR);
    let dir_text = std::path::absolute(&dir)
        .unwrap_or_else(|_| dir.clone())
        .display()
        .to_string();
    let e = export_consent(
        t,
        values,
        ConsentOptions {
            template_dir: &dir_text,
            rendered_at: at,
        },
    )
    .map_err(|e| match e {
        EngineError::Refused { diagnostics } | EngineError::Unrenderable { diagnostics, .. }
            if !diagnostics.is_empty() =>
        {
            Unpublished::Problems(diagnostics)
        }
        other => Unpublished::Problems(vec![Diagnostic::error(
            crate::Code::RenderError,
            other.to_string(),
        )]),
    })?;
    let fail = |e: EngineError| Unpublished::Failure(e.to_string());
    let inputs = inputs_hash(t, values);
    let when = at.format(&Rfc3339).unwrap_or_default();
    let version = t
        .version
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    super::inputs::stage(&ws.root, &inputs, t, values, staging).map_err(fail)?;
    let origin = Origin {
        root: &ws.root,
        tenant: &tenant.id,
        document: &doc.id,
        version: &version,
        inputs_sha256: &inputs,
        time: &when,
        approval,
    };
    let mut written = Vec::new();
    for f in &e.files {
        let target = dir.join(&f.path);
        let file = ExportedFile {
            target: &target,
            manifest_name: &format!("{SYNAPSE_DIR}/{}", f.path),
            format: "synapse",
            bytes: f.contents.as_bytes(),
            sha256: &hex::encode(Sha256::digest(f.contents.as_bytes())),
        };
        staging.exported(&origin, &file, manifest).map_err(fail)?;
        written.push(target.display().to_string());
    }
    Ok(written)
}

/// Where the draft's link points when the tenant's homeserver host is not known: the provider
/// fills it in.
pub const CONSENT_URL_PLACEHOLDER: &str = "https://<homeserver host>/_matrix/consent";

/// What the tenant's users are told after a major bump: the `server_notice_content` body the
/// provider sets in `homeserver.yaml` (Synapse sends it to each user who has not accepted the
/// new version, with `%(consent_uri)s` replaced by that user's own signed link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ServerNoticeDraft {
    /// The tenant's id.
    pub tenant: String,
    /// The document id (`<family>/<name>`).
    pub document: String,
    /// The template versions: last exported, current.
    pub exported: String,
    /// The consent version now.
    pub current: String,
    /// The new `user_consent.version`.
    pub consent_version: String,
    /// `server_notice_content.body`, to be reviewed: it has a `[…]` for what changed.
    pub body: String,
    /// The consent page users' links open (`https://<host>/_matrix/consent?u=…&h=…`), or
    /// [`CONSENT_URL_PLACEHOLDER`] when the host is not known.
    pub consent_url: String,
    /// Whether `consent_url` came from the tenant's values (else it is the placeholder).
    pub url_known: bool,
}

/// Drafts the server notice for `tenant`'s users after `doc` went from `exported` to `current`.
/// The host is the tenant's `our_server_fqdn` (the homeserver's `public_baseurl` host);
/// the server's name in the text is `their_server_name`.
pub fn draft_server_notice(
    doc: &Document,
    tenant: &Tenant,
    exported: &str,
    current: &str,
) -> ServerNoticeDraft {
    let values = &tenant.file.values;
    let text = |name: &str| {
        values
            .get(name)
            .filter(|v| !v.is_blank())
            .map(|v| v.as_text().trim().to_owned())
    };
    let server = text("their_server_name").unwrap_or_else(|| "this homeserver".into());
    let host = text("our_server_fqdn").filter(|h| !h.contains(['/', ' ', '<', '>']));
    let url_known = host.is_some();
    let consent_url = host.map_or_else(
        || CONSENT_URL_PLACEHOLDER.to_owned(),
        |h| format!("https://{h}/_matrix/consent"),
    );
    let version_of =
        |v: &str| semver::Version::parse(v).map_or_else(|_| v.to_owned(), |v| consent_version(&v));
    let name = doc
        .template
        .runtime
        .as_ref()
        .and_then(|d| d.consent.policy_name.clone())
        .filter(|n| !n.contains("{{") && !n.contains("{%"))
        .unwrap_or_else(|| "terms".into());
    // Synapse formats the body with `%`: a literal `%` is written `%%`.
    let body = format!(
        "The {name} of {server} have changed: version {new} replaces version {old}. \
         What changed: [describe the changes since version {exported}]. \
         To keep using {server}, please review and accept the new version: %(consent_uri)s",
        name = name.replace('%', "%%"),
        server = server.replace('%', "%%"),
        new = version_of(current),
        old = version_of(exported),
    );
    ServerNoticeDraft {
        tenant: tenant.id.clone(),
        document: doc.id.clone(),
        exported: exported.to_owned(),
        current: current.to_owned(),
        consent_version: version_of(current),
        body,
        consent_url,
        url_known,
    }
}

/// A draft for each consent document in `statuses` whose users must accept again, in table
/// order. Reads the statuses as computed; computes none.
pub fn server_notices(ws: &Workspace, statuses: &[TenantStatus]) -> Vec<ServerNoticeDraft> {
    let mut drafts = Vec::new();
    // By id once: a lookup per row was a scan of every tenant (half a second at 10,000).
    let tenants: HashMap<&str, &Tenant> = ws.tenants.iter().map(|t| (t.id.as_str(), t)).collect();
    for row in statuses {
        let Some(&tenant) = tenants.get(row.tenant.as_str()) else {
            continue;
        };
        for (doc_id, status) in &row.documents {
            let DocStatus::Outdated {
                exported,
                current,
                must_accept: true,
            } = status
            else {
                continue;
            };
            let Some(doc) = ws
                .documents
                .iter()
                .find(|d| &d.id == doc_id && d.template.runtime.is_some())
            else {
                continue;
            };
            drafts.push(draft_server_notice(doc, tenant, exported, current));
        }
    }
    drafts
}
