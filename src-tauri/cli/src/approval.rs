//! `notice reviewer`, `notice approve` and `notice verify`: legal sign-off from a terminal, for
//! automation and tests. Keys stay in the OS keychain; this module only formats and exits.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::{eprintln, println};
use anstyle::AnsiColor;
use notice_engine::approval::identity::TrustedReviewers;
use notice_engine::approval::verify::verify_export;
use notice_engine::approval::{
    self, ApprovalStatus, Reviewer, ReviewerKey, Seal, Subject, keychain, keyfile, store,
};
use notice_engine::template::answers::answers;
use notice_engine::workspace::family::sibling_keys_at;
use notice_engine::{EngineError, NoticeTemplate, TenantFile};
use zeroize::Zeroizing;

/// Where the signing key comes from.
pub enum Signer {
    Keychain(String),
    KeyFile(PathBuf),
}

impl Signer {
    pub fn from_args(reviewer: Option<String>, key_file: Option<PathBuf>) -> Self {
        match (key_file, reviewer) {
            (Some(f), _) => Signer::KeyFile(f),
            (None, r) => Signer::Keychain(r.unwrap_or_default()),
        }
    }

    fn load(&self) -> Result<ReviewerKey, EngineError> {
        match self {
            Signer::Keychain(name) => {
                keychain::load_key(name)?.ok_or_else(|| EngineError::NoReviewerKey {
                    reviewer: name.clone(),
                })
            }
            Signer::KeyFile(path) => {
                let pass = passphrase(path, false)?;
                keyfile::read_key_file(path, &pass)
            }
        }
    }
}

/// The key file's passphrase: `NOTICE_KEY_PASSPHRASE`, else asked on the terminal (twice for a
/// new file), else the first line of standard input.
fn passphrase(path: &Path, new: bool) -> Result<Zeroizing<String>, EngineError> {
    if let Ok(p) = std::env::var("NOTICE_KEY_PASSPHRASE") {
        return Ok(Zeroizing::new(p));
    }
    let failed = |e: std::io::Error| EngineError::KeyFile {
        path: path.to_owned(),
        message: format!("cannot read the passphrase: {e}"),
    };
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let first = Zeroizing::new(
            rpassword::prompt_password(format!("Passphrase for {}: ", path.display()))
                .map_err(failed)?,
        );
        if new {
            let again = Zeroizing::new(rpassword::prompt_password("Again: ").map_err(failed)?);
            if *again != *first {
                return Err(EngineError::KeyFile {
                    path: path.to_owned(),
                    message: "the two passphrases differ; nothing was written".into(),
                });
            }
        }
        return Ok(first);
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().read_line(&mut line).map_err(failed)?;
    Ok(Zeroizing::new(
        line.trim_end_matches(['\r', '\n']).to_owned(),
    ))
}

/// `notice reviewer new`: a key pair, the secret into the keychain (or, when asked, a
/// passphrase-protected file), the public line printed.
pub fn new_reviewer(
    name: &str,
    email: &str,
    key_file: Option<&Path>,
) -> Result<ExitCode, EngineError> {
    let key = ReviewerKey::generate(Reviewer {
        name: name.trim().to_owned(),
        email: email.trim().to_owned(),
    })?;
    let place = match key_file {
        Some(path) => {
            let pass = passphrase(path, true)?;
            keyfile::write_key_file(path, &key, &pass)?;
            format!("{} (encrypted under your passphrase)", path.display())
        }
        None => {
            keychain::store_key(&key)?;
            "the OS keychain".to_owned()
        }
    };
    eprintln!(
        "stored a new signing key for {} in {place} ({})",
        key.reviewer.name,
        approval::fingerprint(&key.public_key())
    );
    eprintln!("add this line to the workspace's trusted-reviewers.txt:");
    println!("{}", key.public_line());
    Ok(ExitCode::SUCCESS)
}

/// `notice reviewer show`: the public line of a stored key, or of a key file.
pub fn show_reviewer(name: Option<&str>, key_file: Option<&Path>) -> Result<ExitCode, EngineError> {
    let line = match (key_file, name) {
        (Some(path), _) => keyfile::key_file_owner(path)?.1,
        (None, name) => {
            let name = name.unwrap_or_default();
            keychain::load_key(name)?
                .ok_or_else(|| EngineError::NoReviewerKey {
                    reviewer: name.to_owned(),
                })?
                .public_line()
        }
    };
    println!("{line}");
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
    signer: Signer,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let t = NoticeTemplate::load(template)?;
    let (file, _) = TenantFile::load(tenant)?;
    let key = signer.load()?;
    let id = notice_engine::tenant::tenant_id(tenant);
    // The answers for this document, as every export selects them.
    let values = answers(&file.values, &sibling_keys_at(template, &t)?);
    let subject = Subject {
        tenant: &id,
        template: &t,
        values: &values,
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
