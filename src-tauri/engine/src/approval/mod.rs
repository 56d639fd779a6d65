//! Legal sign-off bound to the exact content. A reviewer's approval signs (Ed25519) a canonical
//! digest of the tenant, the template (id, version, content hash), the tenant's values and the
//! hash of the rendered document ([`digest`]). It is stored beside the tenant file
//! ([`store`]) and travels into exports (HTML metadata and the manifest), where
//! [`verify`] checks it.
//!
//! Whether an approval still holds is recomputed from what is on screen, so the app can say
//! "Approved by …", "Changed since approval" or "Signed by a key that is not trusted" on every
//! keystroke ([`status`]). Keys live in the OS keychain ([`keychain`]); whose keys count is the
//! workspace's `trusted-reviewers.txt` ([`identity`]).

pub mod book;
pub mod digest;
pub mod identity;
pub mod keychain;
pub mod keyfile;
pub mod settings;
pub mod store;
pub mod verify;

use std::path::Path;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::EngineError;
use crate::export::render_for_export;
pub use crate::export::signed::{Approval, Reviewer, fingerprint};
use crate::render::Output;
use crate::template::NoticeTemplate;
use crate::values::TenantValues;
pub use identity::{ReviewerKey, TrustedReviewer, TrustedReviewers};

/// The approval file format this version writes.
pub const FORMAT: u32 = 1;

/// Whether an approval's signature holds and whose it is: computed once per approval (it does
/// not depend on what is typed), while [`status`] is computed on every keystroke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seal {
    /// Signed by a key in the trusted-reviewers file.
    Trusted(TrustedReviewer),
    /// A valid signature by a key the workspace does not trust.
    Untrusted,
    /// The signature does not match the approval: the file was edited or damaged.
    Invalid(String),
}

impl Seal {
    /// Checks `a`'s signature and whether `trusted` holds its key.
    pub fn of(a: &Approval, trusted: &TrustedReviewers) -> Seal {
        if let Err(why) =
            identity::verify_signature(&a.public_key, &digest::approval_digest(a), &a.signature)
        {
            return Seal::Invalid(why);
        }
        match trusted.get(&a.public_key) {
            Some(r) => Seal::Trusted(r.clone()),
            None => Seal::Untrusted,
        }
    }
}

/// What the app shows about a document's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ApprovalStatus {
    /// No approval for this document.
    NotApproved,
    /// Approved, and nothing changed since.
    Approved {
        /// Who approved.
        reviewer: Reviewer,
        /// When (RFC 3339).
        approved_at: String,
        /// The template version approved.
        version: String,
    },
    /// Approved, but the template, the values or the rendered document differ now.
    Changed {
        /// Who approved.
        reviewer: Reviewer,
        /// When (RFC 3339).
        approved_at: String,
        /// What changed, one sentence each.
        reasons: Vec<String>,
        /// Fields whose values differ from the approved ones.
        fields: Vec<String>,
    },
    /// Validly signed, by a key not in the trusted-reviewers file.
    Untrusted {
        /// Who signed.
        reviewer: Reviewer,
        /// When (RFC 3339).
        approved_at: String,
        /// The signing key's fingerprint ([`fingerprint`]).
        fingerprint: String,
    },
    /// Not an approval of this document for this tenant (edited, or copied from elsewhere).
    Invalid {
        /// Why, one sentence.
        reason: String,
    },
}

impl ApprovalStatus {
    /// True only for [`ApprovalStatus::Approved`].
    pub fn is_approved(&self) -> bool {
        matches!(self, ApprovalStatus::Approved { .. })
    }

    /// One line for a terminal or an error message.
    pub fn summary(&self) -> String {
        match self {
            ApprovalStatus::NotApproved => "not approved".into(),
            ApprovalStatus::Approved {
                reviewer,
                approved_at,
                ..
            } => format!(
                "approved by {} <{}> on {approved_at}",
                reviewer.name, reviewer.email
            ),
            ApprovalStatus::Changed {
                reviewer, reasons, ..
            } => format!(
                "changed since {}'s approval: {}",
                reviewer.name,
                reasons.join("; ")
            ),
            ApprovalStatus::Untrusted {
                reviewer,
                fingerprint,
                ..
            } => format!(
                "signed by {} <{}> with a key that is not trusted ({fingerprint}); add their public line to trusted-reviewers.txt",
                reviewer.name, reviewer.email
            ),
            ApprovalStatus::Invalid { reason } => format!("invalid approval: {reason}"),
        }
    }
}

/// What is being approved: a tenant's values for one template.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The tenant's id (its file name without `.json`).
    pub tenant: &'a str,
    /// The document.
    pub template: &'a NoticeTemplate,
    /// The answers for this document ([`crate::template::answers`]): what is signed, as given.
    pub values: &'a TenantValues,
}

/// Signs an approval of `subject` as it renders now. Refused while the document has errors:
/// what legal approves must be exportable as it is.
pub fn approve(
    key: &ReviewerKey,
    subject: Subject<'_>,
    at: OffsetDateTime,
) -> Result<Approval, EngineError> {
    let t = subject.template;
    let values = subject.values.clone();
    let r = render_for_export(t, &values, false, Output::Html)?;
    let mut a = Approval {
        tenant: subject.tenant.to_owned(),
        template: t.id.clone(),
        version: version_of(t),
        template_sha256: t.content_hash.clone(),
        values_sha256: digest::values_sha256(&values),
        values,
        document_sha256: digest::document_sha256(&r.body_html),
        reviewer: key.reviewer.clone(),
        public_key: key.public_key(),
        approved_at: at.format(&Rfc3339).unwrap_or_default(),
        signature: String::new(),
    };
    a.signature = key.sign(&digest::approval_digest(&a));
    Ok(a)
}

/// The status of `approval` (with its [`Seal`]) against `subject` as it is now. Cheap while the
/// inputs differ from the approved ones (hashes only); renders once when they match, to confirm
/// the document itself is unchanged.
pub fn status(approval: Option<(&Approval, &Seal)>, subject: Subject<'_>) -> ApprovalStatus {
    status_with(approval, subject, || {
        status_body(subject.template, subject.values)
    })
}

/// The hash of the document body `values` render for export: what an approval signed.
fn status_body(t: &NoticeTemplate, values: &TenantValues) -> String {
    render_for_export(t, values, false, Output::Html)
        .map(|r| digest::document_sha256(&r.body_html))
        .unwrap_or_default()
}

/// [`status`], with the document body's hash computed by `body` (only when the inputs match).
pub(crate) fn status_with(
    approval: Option<(&Approval, &Seal)>,
    subject: Subject<'_>,
    body: impl FnOnce() -> String,
) -> ApprovalStatus {
    let Some((a, seal)) = approval else {
        return ApprovalStatus::NotApproved;
    };
    if let Seal::Invalid(why) = seal {
        return ApprovalStatus::Invalid {
            reason: format!("{why}: the approval file was edited or damaged; approve again"),
        };
    }
    let t = subject.template;
    if a.tenant != subject.tenant {
        return ApprovalStatus::Invalid {
            reason: format!(
                "this approval was signed for tenant `{}`, not `{}` (copied from another tenant?)",
                a.tenant, subject.tenant
            ),
        };
    }
    if a.template != t.id {
        return ApprovalStatus::Invalid {
            reason: format!(
                "this approval was signed for template `{}`, not `{}`",
                a.template, t.id
            ),
        };
    }
    if *seal == Seal::Untrusted {
        return ApprovalStatus::Untrusted {
            reviewer: a.reviewer.clone(),
            approved_at: a.approved_at.clone(),
            fingerprint: fingerprint(&a.public_key),
        };
    }
    let values = subject.values;
    let mut reasons = Vec::new();
    let version = version_of(t);
    if a.template_sha256 != t.content_hash {
        reasons.push(if a.version == version {
            format!("the template's text changed (version {version} both times)")
        } else {
            format!(
                "the template changed from version {} to {version}",
                a.version
            )
        });
    }
    let mut fields = Vec::new();
    if a.values_sha256 != digest::values_sha256(values) {
        fields = changed_fields(&a.values, values);
        reasons.push(match fields.as_slice() {
            [] => "the values changed".to_owned(),
            [one] => format!("the value of `{one}` changed"),
            many => format!(
                "the values of {} changed",
                many.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    if reasons.is_empty() && body() != a.document_sha256 {
        reasons.push(
            "the same template and values now render a different document (Notice Studio was updated?); review it again".into(),
        );
    }
    if reasons.is_empty() {
        ApprovalStatus::Approved {
            reviewer: a.reviewer.clone(),
            approved_at: a.approved_at.clone(),
            version: a.version.clone(),
        }
    } else {
        ApprovalStatus::Changed {
            reviewer: a.reviewer.clone(),
            approved_at: a.approved_at.clone(),
            reasons,
            fields,
        }
    }
}

/// The approval a non-draft export of `subject` carries, checked now: `Some` when one holds,
/// `None` when there is none and the workspace does not require one, and
/// [`EngineError::ApprovalRequired`] when it does. `tenant_path` is the tenant's file (its
/// approvals sit beside it; its workspace's settings and trusted reviewers apply).
pub fn for_export(
    tenant_path: Option<&Path>,
    subject: Subject<'_>,
) -> Result<Option<Approval>, EngineError> {
    let Some(tenant_path) = tenant_path else {
        return Ok(None);
    };
    gate(&book::ApprovalBook::load(tenant_path), subject)
}

/// [`for_export`] with a book already read.
pub fn gate(
    book: &book::ApprovalBook,
    subject: Subject<'_>,
) -> Result<Option<Approval>, EngineError> {
    gate_with(book, subject, |s| book.status(s))
}

/// [`gate`] against a document already rendered for export from `subject`'s answers:
/// `body_html` is its body, so the approval is checked against the very render exported.
pub fn gate_rendered(
    book: &book::ApprovalBook,
    subject: Subject<'_>,
    body_html: &str,
) -> Result<Option<Approval>, EngineError> {
    gate_with(book, subject, |s| {
        book.status_with(s, || digest::document_sha256(body_html))
    })
}

fn gate_with(
    book: &book::ApprovalBook,
    subject: Subject<'_>,
    status: impl FnOnce(Subject<'_>) -> ApprovalStatus,
) -> Result<Option<Approval>, EngineError> {
    if let (Some(e), true) = (&book.problem, book.required) {
        // A requirement that cannot be checked is not met; say which file is at fault.
        return Err(EngineError::ApprovalRequired {
            document: subject.template.id.clone(),
            status: format!("not verifiable ({e})"),
        });
    }
    let st = status(subject);
    match (st.is_approved(), book.get(&subject.template.id)) {
        (true, Some((a, _))) => Ok(Some(a.clone())),
        _ if book.required => Err(EngineError::ApprovalRequired {
            document: subject.template.id.clone(),
            status: st.summary(),
        }),
        _ => Ok(None),
    }
}

fn changed_fields(before: &TenantValues, now: &TenantValues) -> Vec<String> {
    let mut names: Vec<String> = before
        .keys()
        .chain(now.keys())
        .filter(|k| before.get(*k) != now.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

fn version_of(t: &NoticeTemplate) -> String {
    t.version
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
