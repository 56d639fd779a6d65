//! Everything that decides a tenant's approval status apart from the values being typed: its
//! approvals (each with its [`Seal`], checked once), the trusted reviewers and whether the
//! workspace requires approval. Loaded once and reused on every keystroke while the files it
//! was read from are unchanged ([`ApprovalBook::is_current`]), so an approval made elsewhere
//! (the CLI, another window, a `git pull`) shows up without a restart.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::identity::TrustedReviewers;
use super::settings::{SETTINGS_FILE, WorkspaceSettings, workspace_root_of};
use super::{Approval, ApprovalStatus, Seal, Subject, status_with, store};
use crate::error::EngineError;

/// A tenant's approvals, read.
#[derive(Debug)]
pub struct ApprovalBook {
    /// The tenant file the book was read for.
    pub tenant_path: PathBuf,
    /// The tenant's id (its file name without `.json`).
    pub tenant: String,
    entries: Vec<(Approval, Seal)>,
    /// Whose keys count.
    pub trusted: TrustedReviewers,
    /// The workspace requires an approval before a non-draft export.
    pub required: bool,
    /// A file that could not be read (the approvals, the trusted list or the settings). While
    /// set, nothing counts as approved.
    pub problem: Option<EngineError>,
    stamps: Vec<(PathBuf, Option<SystemTime>)>,
}

impl ApprovalBook {
    /// Reads what governs the tenant at `tenant_path`. Never fails: a file that cannot be read
    /// is kept as [`Self::problem`].
    pub fn load(tenant_path: &Path) -> Self {
        let tenant = crate::tenant::tenant_id(tenant_path);
        let approvals_path = store::approvals_path(tenant_path);
        let trusted_path = TrustedReviewers::locate(tenant_path);
        let settings_path = workspace_root_of(tenant_path).map(|r| r.join(SETTINGS_FILE));
        let mut book = ApprovalBook {
            tenant_path: tenant_path.to_owned(),
            tenant,
            entries: vec![],
            trusted: TrustedReviewers::default(),
            required: false,
            problem: None,
            stamps: [Some(approvals_path), trusted_path.clone(), settings_path]
                .into_iter()
                .flatten()
                .map(|p| {
                    let m = modified(&p);
                    (p, m)
                })
                .collect(),
        };
        match WorkspaceSettings::for_tenant(tenant_path) {
            Ok(settings) => book.required = settings.require_approval,
            Err(e) => {
                // Settings that cannot be read might require approval: fail closed.
                book.required = true;
                book.problem = Some(e);
                return book;
            }
        }
        let read = (|| -> Result<(), EngineError> {
            if let Some(p) = &trusted_path {
                book.trusted = TrustedReviewers::load(p)?;
            }
            book.entries = store::load(tenant_path)?
                .into_iter()
                .map(|a| {
                    let seal = Seal::of(&a, &book.trusted);
                    (a, seal)
                })
                .collect();
            Ok(())
        })();
        book.problem = read.err();
        book
    }

    /// True while none of the files it was read from changed (or appeared, or went away); a new
    /// trusted-reviewers file nearer the tenant is noticed too.
    pub fn is_current(&self) -> bool {
        let trusted_now = TrustedReviewers::locate(&self.tenant_path);
        let trusted_then = self
            .stamps
            .iter()
            .find(|(p, _)| p.ends_with(super::identity::TRUSTED_REVIEWERS_FILE))
            .map(|(p, _)| p.clone());
        trusted_now == trusted_then && self.stamps.iter().all(|(p, m)| modified(p) == *m)
    }

    /// The approval of `template` and its seal.
    pub fn get(&self, template: &str) -> Option<(&Approval, &Seal)> {
        self.entries
            .iter()
            .find(|(a, _)| a.template == template)
            .map(|(a, s)| (a, s))
    }

    /// The status of `subject` (its `tenant` is taken from the book's file).
    pub fn status(&self, subject: Subject<'_>) -> ApprovalStatus {
        self.status_with(subject, || {
            super::status_body(subject.template, subject.values)
        })
    }

    /// [`Self::status`], with the document body's hash computed by `body`.
    pub(crate) fn status_with(
        &self,
        subject: Subject<'_>,
        body: impl FnOnce() -> String,
    ) -> ApprovalStatus {
        if let Some(e) = &self.problem {
            return ApprovalStatus::Invalid {
                reason: e.to_string(),
            };
        }
        let subject = Subject {
            tenant: &self.tenant,
            ..subject
        };
        status_with(self.get(&subject.template.id), subject, body)
    }
}

fn modified(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}
