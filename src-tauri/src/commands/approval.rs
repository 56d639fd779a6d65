//! Legal sign-off in the app: the reviewer this app signs as (the key stays in the OS keychain;
//! `reviewer.json` in the data folder holds only the public facts), the open document's approval
//! status on every keystroke, and "Approve".

use std::path::{Path, PathBuf};

use notice_engine::approval::book::ApprovalBook;
use notice_engine::approval::{self, ApprovalStatus, Reviewer, ReviewerKey, Subject, keychain};
use notice_engine::atomic::write_atomic;
use notice_engine::tenant::tenant_id;
use notice_engine::{EngineError, TenantFile};
use serde::{Deserialize, Serialize};
use tauri::State;

use super::blocking;
use crate::error::AppError;
use crate::state::AppState;

/// The reviewer this app signs as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReviewerInfo {
    pub name: String,
    pub email: String,
    /// `ed25519:<base64>`.
    pub public_key: String,
    /// The line to add to the workspace's trusted-reviewers.txt.
    pub public_line: String,
    pub fingerprint: String,
}

impl ReviewerInfo {
    fn of(key: &ReviewerKey) -> Self {
        ReviewerInfo {
            name: key.reviewer.name.clone(),
            email: key.reviewer.email.clone(),
            public_key: key.public_key(),
            public_line: key.public_line(),
            fingerprint: approval::fingerprint(&key.public_key()),
        }
    }
}

/// What the UI shows about the open document's approval.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ApprovalView {
    pub status: ApprovalStatus,
    /// The workspace requires an approval before a non-draft export.
    pub required: bool,
}

fn reviewer_path(state: &AppState) -> PathBuf {
    state.data_dir.join("reviewer.json")
}

fn read_reviewer(state: &AppState) -> Option<ReviewerInfo> {
    std::fs::read_to_string(reviewer_path(state))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
}

/// The reviewer this app signs as, if one is set up. Reads no keychain (a locked keychain must
/// not prompt at start-up).
#[tauri::command]
pub async fn reviewer(state: State<'_, AppState>) -> Result<Option<ReviewerInfo>, AppError> {
    Ok(read_reviewer(&state))
}

/// Sets up the reviewer this app signs as: the key already in the keychain under `name`, or a
/// new one stored there.
#[tauri::command]
pub async fn set_reviewer(
    state: State<'_, AppState>,
    name: String,
    email: String,
) -> Result<ReviewerInfo, AppError> {
    let (name, email) = (name.trim().to_owned(), email.trim().to_owned());
    if name.is_empty() || !email.contains('@') {
        return Err(AppError::Invalid(
            "a reviewer needs a name and an email address".into(),
        ));
    }
    let key = blocking(move || {
        Ok(match keychain::load_key(&name)? {
            Some(k) => k,
            None => {
                let k = ReviewerKey::generate(Reviewer { name, email })?;
                keychain::store_key(&k)?;
                k
            }
        })
    })
    .await?;
    let info = ReviewerInfo::of(&key);
    std::fs::create_dir_all(&state.data_dir).map_err(|source| EngineError::Write {
        path: state.data_dir.clone(),
        source,
    })?;
    let json = serde_json::to_string_pretty(&info).unwrap_or_default() + "\n";
    write_atomic(&reviewer_path(&state), json.as_bytes())?;
    Ok(info)
}

/// The approval status of the open document with `tenant`'s values as typed (unsaved edits
/// included). `tenant_path`: the tenant's file; none for a tenant never saved.
#[tauri::command]
pub async fn approval_status(
    state: State<'_, AppState>,
    tenant: TenantFile,
    tenant_path: Option<String>,
) -> Result<ApprovalView, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let Some(path) = tenant_path else {
        return Ok(ApprovalView {
            status: ApprovalStatus::NotApproved,
            required: false,
        });
    };
    let values = open.answers(&tenant.values);
    Ok(state.with_approvals(Path::new(&path), |book| {
        view(book, book.status(subject(book, &open.current, &values)))
    }))
}

/// Approves the open document for the tenant saved at `tenant_path`, as saved (the UI saves
/// first), signed with the reviewer's key from the keychain.
#[tauri::command]
pub async fn approve_document(
    state: State<'_, AppState>,
    tenant_path: String,
) -> Result<ApprovalView, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let me = read_reviewer(&state).ok_or(AppError::NoReviewer)?;
    let path = PathBuf::from(&tenant_path);
    let p = path.clone();
    let t = open.clone();
    let values = blocking(move || {
        let key = keychain::load_key(&me.name)?.ok_or(EngineError::NoReviewerKey {
            reviewer: me.name.clone(),
        })?;
        let (file, _) = TenantFile::load(&p)?;
        let values = t.answers(&file.values);
        let subject = Subject {
            tenant: &tenant_id(&p),
            template: &t.current,
            values: &values,
        };
        let a = approval::approve(&key, subject, crate::commands::export::export_time())?;
        approval::store::save(&p, &a)?;
        Ok(values)
    })
    .await?;
    Ok(state.with_approvals(&path, |book| {
        view(book, book.status(subject(book, &open.current, &values)))
    }))
}

fn subject<'a>(
    book: &'a ApprovalBook,
    t: &'a notice_engine::NoticeTemplate,
    values: &'a notice_engine::TenantValues,
) -> Subject<'a> {
    Subject {
        tenant: &book.tenant,
        template: t,
        values,
    }
}

fn view(book: &ApprovalBook, status: ApprovalStatus) -> ApprovalView {
    ApprovalView {
        status,
        required: book.required,
    }
}
