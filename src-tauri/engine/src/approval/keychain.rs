//! The reviewer's signing key in the OS keychain (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows) through `keyring`. One entry per reviewer, named by the
//! reviewer's name; its secret is the key and the identity it belongs to, so a key can be used
//! from the command line by name alone.
//!
//! When the keychain is missing or locked every function fails with
//! [`EngineError::Keychain`], saying what to do; nothing is ever written anywhere else instead.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Reviewer;
use super::identity::ReviewerKey;
use crate::error::EngineError;

/// The keychain service every Notice Studio reviewer key is stored under.
pub const SERVICE: &str = "Notice Studio reviewer key";

/// What the keychain entry holds.
#[derive(Serialize, Deserialize)]
struct StoredKey {
    name: String,
    email: String,
    /// Base64 of the 32-byte Ed25519 secret key.
    secret_key: String,
}

/// Makes the platform keychain the credential store, unless one (a test's mock) is set already.
fn entry(reviewer_name: &str) -> Result<keyring_core::Entry, EngineError> {
    if keyring_core::get_default_store().is_none() {
        #[cfg(feature = "keychain")]
        keyring::Entry::store_status()
            .as_ref()
            .map_err(unavailable)?;
        #[cfg(not(feature = "keychain"))]
        return Err(EngineError::Keychain {
            message: "this build of Notice Studio has no OS keychain support; use a key file"
                .into(),
        });
    }
    keyring_core::Entry::new(SERVICE, reviewer_name).map_err(|e| unavailable(&e))
}

/// Stores a new key. Refuses to replace an existing key of the same reviewer: a replaced key
/// would silently invalidate every approval the old one made.
pub fn store_key(key: &ReviewerKey) -> Result<(), EngineError> {
    let e = entry(&key.reviewer.name)?;
    match e.get_password() {
        Ok(_) => {
            return Err(EngineError::Keychain {
                message: format!(
                    "the keychain already holds a reviewer key for `{}`; delete it first (its approvals will no longer verify) or choose another name",
                    key.reviewer.name
                ),
            });
        }
        Err(keyring_core::Error::NoEntry) => {}
        Err(err) => return Err(unavailable(&err)),
    }
    let stored = StoredKey {
        name: key.reviewer.name.clone(),
        email: key.reviewer.email.clone(),
        secret_key: B64.encode(&key.secret()[..]),
    };
    let json = Zeroizing::new(serde_json::to_string(&stored).unwrap_or_default());
    e.set_password(&json).map_err(|err| unavailable(&err))
}

/// The key stored for `reviewer_name`, if any.
pub fn load_key(reviewer_name: &str) -> Result<Option<ReviewerKey>, EngineError> {
    let e = entry(reviewer_name)?;
    let json = match e.get_password() {
        Ok(j) => Zeroizing::new(j),
        Err(keyring_core::Error::NoEntry) => return Ok(None),
        Err(err) => return Err(unavailable(&err)),
    };
    let bad = || EngineError::Keychain {
        message: format!(
            "the keychain entry `{SERVICE}` for `{reviewer_name}` is not a Notice Studio key; delete it in your keychain manager and create the key again"
        ),
    };
    let stored: StoredKey = serde_json::from_str(&json).map_err(|_| bad())?;
    let secret = Zeroizing::new(B64.decode(&stored.secret_key).map_err(|_| bad())?);
    let secret: &[u8; 32] = secret.as_slice().try_into().map_err(|_| bad())?;
    Ok(Some(ReviewerKey::from_secret(
        Reviewer {
            name: stored.name,
            email: stored.email,
        },
        secret,
    )))
}

/// Deletes the key stored for `reviewer_name`. True when there was one.
pub fn delete_key(reviewer_name: &str) -> Result<bool, EngineError> {
    match entry(reviewer_name)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring_core::Error::NoEntry) => Ok(false),
        Err(err) => Err(unavailable(&err)),
    }
}

/// Uses an in-memory keychain for this process (tests, and `NOTICE_KEYCHAIN=mock` in the
/// app's end-to-end runs where no Secret Service exists).
pub fn use_mock_keychain() -> Result<(), EngineError> {
    let store = keyring_core::mock::Store::new().map_err(|e| unavailable(&e))?;
    keyring_core::set_default_store(store);
    Ok(())
}

fn unavailable(e: &keyring_core::Error) -> EngineError {
    let what = match e {
        keyring_core::Error::NoStorageAccess(_) => {
            "the OS keychain is locked or refused access; unlock it (on Linux: your login keyring in Passwords and Keys) and try again".to_owned()
        }
        keyring_core::Error::NoDefaultStore | keyring_core::Error::PlatformFailure(_) => {
            "no OS keychain is available; on Linux start a Secret Service (GNOME Keyring or KeePassXC) in your desktop session and try again".to_owned()
        }
        _ => "the OS keychain failed".to_owned(),
    };
    EngineError::Keychain {
        message: format!("{what} ({e}); no key material was written anywhere"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stored_loaded_and_deleted_by_reviewer_name() {
        use_mock_keychain().unwrap();
        let name = "Mock Keychain Reviewer";
        let k = ReviewerKey::generate(Reviewer {
            name: name.into(),
            email: "m@example.org".into(),
        })
        .unwrap();
        assert!(load_key(name).unwrap().is_none());
        store_key(&k).unwrap();
        let back = load_key(name).unwrap().expect("stored");
        assert_eq!(back.public_key(), k.public_key());
        assert_eq!(back.reviewer.email, "m@example.org");
        let again = ReviewerKey::generate(k.reviewer.clone()).unwrap();
        let err = store_key(&again).unwrap_err();
        assert!(err.to_string().contains("already holds"), "{err}");
        assert!(delete_key(name).unwrap());
        assert!(!delete_key(name).unwrap());
        assert!(load_key(name).unwrap().is_none());
    }
}
