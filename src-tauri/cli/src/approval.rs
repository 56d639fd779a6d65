//! `notice reviewer`, `notice approve` and `notice verify`: legal sign-off from a terminal, for
//! automation and tests. Keys stay in the OS keychain; this module only formats and exits.

use std::path::Path;
use std::process::ExitCode;

use anstream::{eprintln, println};
use anstyle::AnsiColor;
use notice_engine::approval::identity::TrustedReviewers;
use notice_engine::approval::verify::verify_export;
use notice_engine::approval::{
    self, ApprovalStatus, Reviewer, ReviewerKey, Seal, Subject, keychain, store,
};
use notice_engine::{EngineError, NoticeTemplate, TenantFile};

/// `notice reviewer new`: a key pair, the secret into the keychain, the public line printed.
pub fn new_reviewer(name: &str, email: &str) -> Result<ExitCode, EngineError> {
    let key = ReviewerKey::generate(Reviewer {
        name: name.trim().to_owned(),
        email: email.trim().to_owned(),
    })?;
    keychain::store_key(&key)?;
    eprintln!(
        "stored a new signing key for {} in the OS keychain ({})",
        key.reviewer.name,
        approval::fingerprint(&key.public_key())
    );
    eprintln!("add this line to the workspace's trusted-reviewers.txt:");
    println!("{}", key.public_line());
    Ok(ExitCode::SUCCESS)
}

/// `notice reviewer show`: the public line of a stored key.
pub fn show_reviewer(name: &str) -> Result<ExitCode, EngineError> {
    let key = keychain::load_key(name)?.ok_or_else(|| EngineError::NoReviewerKey {
        reviewer: name.to_owned(),
    })?;
    println!("{}", key.public_line());
    Ok(ExitCode::SUCCESS)
}

/// `notice reviewer delete`.
pub fn delete_reviewer(name: &str) -> Result<ExitCode, EngineError> {
    if keychain::delete_key(name)? {
        eprintln!(
            "deleted the signing key of {name} from the OS keychain; its approvals remain valid only where its public line stays trusted"
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Err(EngineError::NoReviewerKey {
            reviewer: name.to_owned(),
        })
    }
}

/// `notice approve`: signs the document as it renders now and stores the approval beside the
/// tenant file.
pub fn approve(
    template: &Path,
    tenant: &Path,
    reviewer: &str,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let t = NoticeTemplate::load(template)?;
    let (file, _) = TenantFile::load(tenant)?;
    let key = keychain::load_key(reviewer)?.ok_or_else(|| EngineError::NoReviewerKey {
        reviewer: reviewer.to_owned(),
    })?;
    let id = tenant_id(tenant);
    let subject = Subject {
        tenant: &id,
        template: &t,
        values: &file.values,
    };
    let a = match approval::approve(&key, subject, crate::export_time()) {
        Ok(a) => a,
        Err(e @ EngineError::Refused { .. }) => {
            crate::report::diagnostics(&t, e.diagnostics());
            eprintln!(
                "error: not approved: {} error(s) remain; legal approves only what can be exported",
                e.diagnostics().len()
            );
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e),
    };
    let written = store::save(tenant, &a)?;
    let trusted = TrustedReviewers::find(tenant)?;
    let status = approval::status(Some((&a, &Seal::of(&a, &trusted))), subject);
    if json {
        crate::report::json(
            &serde_json::json!({ "approval": a, "file": written, "status": status }),
        );
    } else {
        eprintln!(
            "approved {} {} for {} as {} <{}>; wrote {}",
            t.id,
            a.version,
            file.tenant,
            a.reviewer.name,
            a.reviewer.email,
            written.display()
        );
        if let ApprovalStatus::Untrusted { fingerprint, .. } = &status {
            let yellow = AnsiColor::Yellow.on_default().bold();
            eprintln!(
                "{yellow}warning{yellow:#}: this key ({fingerprint}) is not in trusted-reviewers.txt, so the approval does not count yet; add: {}",
                key.public_line()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `notice verify`: exit 0 when the file is unchanged since export and carries a valid, trusted
/// approval; 1 with every reason when not.
pub fn verify(file: &Path, trusted: Option<&Path>, json: bool) -> Result<ExitCode, EngineError> {
    let trusted = trusted.map(TrustedReviewers::load).transpose()?;
    let v = verify_export(file, trusted.as_ref())?;
    if json {
        crate::report::json(&v);
    } else {
        let (green, red) = (
            AnsiColor::Green.on_default().bold(),
            AnsiColor::Red.on_default().bold(),
        );
        for c in &v.confirmed {
            println!("{green}ok{green:#}   {c}");
        }
        for p in &v.problems {
            println!("{red}FAIL{red:#} {p}");
        }
        if v.ok() {
            println!("{}: verified", v.file);
        } else {
            println!("{}: NOT verified", v.file);
        }
    }
    Ok(if v.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A tenant's id: its file name without `.json`, as in a workspace.
pub fn tenant_id(tenant: &Path) -> String {
    tenant
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
