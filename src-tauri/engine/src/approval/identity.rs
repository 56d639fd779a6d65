//! Reviewer identities: an Ed25519 key pair with a name and an email, and the workspace's
//! trusted-reviewers file that says whose approvals count.
//!
//! A public key is written `ed25519:<base64>`; a reviewer's public line, the one to add to
//! `trusted-reviewers.txt`, is `ed25519:<base64> Name <email>`, in the spirit of SSH's
//! `allowed_signers`.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{EngineError, read_text};
use crate::export::signed::Reviewer;

/// The trusted-reviewers file's name, at the workspace root.
pub const TRUSTED_REVIEWERS_FILE: &str = "trusted-reviewers.txt";

/// A reviewer's signing key. The secret half never leaves memory except into the OS keychain
/// (or, when the user asks for it, a passphrase-protected key file).
pub struct ReviewerKey {
    /// Whose key it is.
    pub reviewer: Reviewer,
    signing: SigningKey,
}

impl std::fmt::Debug for ReviewerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReviewerKey")
            .field("reviewer", &self.reviewer)
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

impl ReviewerKey {
    /// A new key pair from the operating system's random source.
    pub fn generate(reviewer: Reviewer) -> Result<Self, EngineError> {
        let mut secret = Zeroizing::new([0u8; 32]);
        getrandom::fill(secret.as_mut()).map_err(|e| EngineError::Keychain {
            message: format!("the system's random source failed: {e}"),
        })?;
        Ok(Self::from_secret(reviewer, &secret))
    }

    pub(crate) fn from_secret(reviewer: Reviewer, secret: &[u8; 32]) -> Self {
        Self {
            reviewer,
            signing: SigningKey::from_bytes(secret),
        }
    }

    pub(crate) fn secret(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes())
    }

    /// `ed25519:<base64>`.
    pub fn public_key(&self) -> String {
        encode_public_key(&self.signing.verifying_key())
    }

    /// The line to add to the workspace's trusted-reviewers file.
    pub fn public_line(&self) -> String {
        format!(
            "{} {} <{}>",
            self.public_key(),
            self.reviewer.name,
            self.reviewer.email
        )
    }

    pub(crate) fn sign(&self, digest: &[u8; 32]) -> String {
        B64.encode(self.signing.sign(digest).to_bytes())
    }
}

pub(crate) fn encode_public_key(k: &VerifyingKey) -> String {
    format!("ed25519:{}", B64.encode(k.as_bytes()))
}

/// Checks `signature` (base64) over `digest` with `public_key` (`ed25519:<base64>`), strictly
/// (no malleable or small-order keys).
pub(crate) fn verify_signature(
    public_key: &str,
    digest: &[u8; 32],
    signature: &str,
) -> Result<(), String> {
    let key = parse_public_key(public_key)?;
    let bytes = B64
        .decode(signature.trim())
        .map_err(|_| "the signature is not base64".to_owned())?;
    let bytes: [u8; 64] = bytes
        .try_into()
        .map_err(|_| "the signature is not 64 bytes long".to_owned())?;
    key.verify_strict(digest, &Signature::from_bytes(&bytes))
        .map_err(|_| "the signature does not match the approval's content".to_owned())
}

fn parse_public_key(s: &str) -> Result<VerifyingKey, String> {
    let b64 = s
        .strip_prefix("ed25519:")
        .ok_or_else(|| format!("`{s}` is not an ed25519: key"))?;
    let bytes = B64
        .decode(b64)
        .map_err(|_| "the public key is not base64".to_owned())?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "the public key is not 32 bytes long".to_owned())?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| "the public key is not a valid point".to_owned())
}

/// One reviewer the workspace trusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TrustedReviewer {
    /// The key, `ed25519:<base64>`.
    pub public_key: String,
    /// The name and email the trusted-reviewers file gives it.
    pub reviewer: Reviewer,
    /// The line in the trusted-reviewers file.
    pub line: u32,
}

/// The trusted-reviewers file, read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TrustedReviewers {
    /// Where it was read from; none when there is no such file.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Every trusted key, in file order.
    pub reviewers: Vec<TrustedReviewer>,
    /// Lines that could not be read, with why (`file:line: message`): shown, never fatal.
    pub problems: Vec<String>,
}

impl TrustedReviewers {
    /// Parses the file's text. Blank lines and `#` comments are skipped.
    pub fn parse(text: &str, path: Option<&Path>) -> Self {
        let shown = path.map_or_else(
            || TRUSTED_REVIEWERS_FILE.to_owned(),
            |p| p.display().to_string(),
        );
        let mut out = TrustedReviewers {
            path: path.map(|p| p.display().to_string()),
            ..Self::default()
        };
        for (i, raw) in text.lines().enumerate() {
            let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            match parse_line(l) {
                Ok((public_key, reviewer)) => out.reviewers.push(TrustedReviewer {
                    public_key,
                    reviewer,
                    line,
                }),
                Err(why) => out.problems.push(format!("{shown}:{line}: {why}")),
            }
        }
        out
    }

    /// Reads the trusted-reviewers file that governs `start` (a tenant file or an export): the
    /// first `trusted-reviewers.txt` found in its folder or a parent folder. None found is an
    /// empty list: nobody is trusted.
    pub fn find(start: &Path) -> Result<Self, EngineError> {
        match Self::locate(start) {
            Some(path) => Self::load(&path),
            None => Ok(Self::default()),
        }
    }

    /// The file [`Self::find`] would read.
    pub fn locate(start: &Path) -> Option<PathBuf> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_owned());
        start
            .ancestors()
            .map(|d| d.join(TRUSTED_REVIEWERS_FILE))
            .find(|p| p.is_file())
    }

    /// Reads the trusted-reviewers file at `path`.
    pub fn load(path: &Path) -> Result<Self, EngineError> {
        let text = read_text(path, 1024 * 1024)?;
        Ok(Self::parse(&text, Some(path)))
    }

    /// The trusted reviewer holding `public_key`, if any.
    pub fn get(&self, public_key: &str) -> Option<&TrustedReviewer> {
        self.reviewers.iter().find(|r| r.public_key == public_key)
    }
}

/// `ed25519:<base64> Name Words <email>`.
fn parse_line(l: &str) -> Result<(String, Reviewer), String> {
    let (key, rest) = l
        .split_once(char::is_whitespace)
        .ok_or("expected `ed25519:<key> Name <email>`")?;
    parse_public_key(key)?;
    let rest = rest.trim();
    let (name, email) = match rest.rsplit_once('<') {
        Some((name, email)) if email.ends_with('>') => {
            (name.trim(), email.trim_end_matches('>').trim())
        }
        _ => return Err("expected the reviewer's email in angle brackets: `Name <email>`".into()),
    };
    if name.is_empty() {
        return Err("the reviewer's name is missing".into());
    }
    Ok((
        key.to_owned(),
        Reviewer {
            name: name.to_owned(),
            email: email.to_owned(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jane() -> Reviewer {
        Reviewer {
            name: "Jane Q. Reviewer".into(),
            email: "jane@example.org".into(),
        }
    }

    #[test]
    fn public_line_round_trips_through_the_trusted_file() {
        let k = ReviewerKey::generate(jane()).unwrap();
        let text = format!("# legal team\n\n{}\nnot a key line\n", k.public_line());
        let t = TrustedReviewers::parse(&text, None);
        assert_eq!(t.reviewers.len(), 1);
        assert_eq!(t.reviewers[0].reviewer, jane());
        assert_eq!(t.reviewers[0].line, 3);
        assert!(t.get(&k.public_key()).is_some());
        assert_eq!(t.problems.len(), 1);
        assert!(t.problems[0].starts_with("trusted-reviewers.txt:4: "));
    }

    #[test]
    fn signatures_verify_only_with_the_signing_key_and_digest() {
        let k = ReviewerKey::generate(jane()).unwrap();
        let other = ReviewerKey::generate(jane()).unwrap();
        let d = [7u8; 32];
        let sig = k.sign(&d);
        assert!(verify_signature(&k.public_key(), &d, &sig).is_ok());
        assert!(verify_signature(&other.public_key(), &d, &sig).is_err());
        assert!(verify_signature(&k.public_key(), &[8u8; 32], &sig).is_err());
        assert!(verify_signature(&k.public_key(), &d, "bm90IGEgc2ln").is_err());
        assert!(verify_signature("rsa:abc", &d, &sig).is_err());
    }

    #[test]
    fn key_lines_without_email_or_with_bad_keys_are_problems() {
        let t = TrustedReviewers::parse("ed25519:AAAA Jane <j@x>\ned25519:@@ J <j@x>\n", None);
        assert!(t.reviewers.is_empty());
        assert_eq!(t.problems.len(), 2);
    }
}
