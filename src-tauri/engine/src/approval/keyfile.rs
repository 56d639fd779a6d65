//! The opt-in alternative to the keychain: a reviewer key in a file, encrypted under a
//! passphrase (Argon2id derives the key, XChaCha20-Poly1305 seals the secret). Only ever
//! written when the user explicitly asks for it; the keychain stays the default.
//!
//! The public facts (name, email, public key) are in the clear, so the file can say whose it is
//! without the passphrase, and are bound to the ciphertext as associated data: editing them
//! makes the file undecryptable rather than re-labelling someone else's key.

use std::path::Path;

use argon2::{Algorithm, Argon2, ParamsBuilder, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Reviewer;
use super::identity::ReviewerKey;
use crate::atomic::write_new;
use crate::error::{EngineError, read_text};

const FORMAT: &str = "notice-studio reviewer key v1";
/// Shorter passphrases are refused: the file may be copied anywhere.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
// OWASP's Argon2id baseline (19 MiB, 2 passes) doubled: a fraction of a second per approval.
const M_COST_KIB: u32 = 38 * 1024;
const T_COST: u32 = 2;

#[derive(Serialize, Deserialize)]
struct KeyFile {
    format: String,
    name: String,
    email: String,
    public_key: String,
    kdf: Kdf,
    /// Base64 of the 24-byte nonce.
    nonce: String,
    /// Base64 of the sealed 32-byte secret key.
    ciphertext: String,
}

#[derive(Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
}

/// Writes `key` to a new file at `path`, sealed under `passphrase`. Never replaces a file.
pub fn write_key_file(path: &Path, key: &ReviewerKey, passphrase: &str) -> Result<(), EngineError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(key_file_error(
            path,
            format!("the passphrase must be at least {MIN_PASSPHRASE_CHARS} characters long"),
        ));
    }
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    for buf in [&mut salt[..], &mut nonce[..]] {
        getrandom::fill(buf)
            .map_err(|e| key_file_error(path, format!("the system's random source failed: {e}")))?;
    }
    let mut file = KeyFile {
        format: FORMAT.into(),
        name: key.reviewer.name.clone(),
        email: key.reviewer.email.clone(),
        public_key: key.public_key(),
        kdf: Kdf {
            algorithm: "argon2id".into(),
            m_cost_kib: M_COST_KIB,
            t_cost: T_COST,
            p_cost: 1,
            salt: B64.encode(salt),
        },
        nonce: B64.encode(nonce),
        ciphertext: String::new(),
    };
    let sealing = derive(path, passphrase, &file.kdf, &salt)?;
    let sealed = XChaCha20Poly1305::new(&(*sealing).into())
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &key.secret()[..],
                aad: associated_data(&file).as_bytes(),
            },
        )
        .map_err(|_| key_file_error(path, "encryption failed".into()))?;
    file.ciphertext = B64.encode(sealed);
    let json = serde_json::to_string_pretty(&file).unwrap_or_default() + "\n";
    write_new(path, json.as_bytes())
}

/// Reads the key sealed in the file at `path` with `passphrase`.
pub fn read_key_file(path: &Path, passphrase: &str) -> Result<ReviewerKey, EngineError> {
    let file = parse(path)?;
    let bad = |what: &str| key_file_error(path, format!("not a Notice Studio key file ({what})"));
    if file.kdf.algorithm != "argon2id" {
        return Err(bad("unknown key derivation"));
    }
    let salt = B64.decode(&file.kdf.salt).map_err(|_| bad("salt"))?;
    let nonce: [u8; 24] = B64
        .decode(&file.nonce)
        .ok()
        .and_then(|n| n.try_into().ok())
        .ok_or_else(|| bad("nonce"))?;
    let ciphertext = B64
        .decode(&file.ciphertext)
        .map_err(|_| bad("ciphertext"))?;
    let opening = derive(path, passphrase, &file.kdf, &salt)?;
    let secret = Zeroizing::new(
        XChaCha20Poly1305::new(&(*opening).into())
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &ciphertext,
                    aad: associated_data(&file).as_bytes(),
                },
            )
            .map_err(|_| key_file_error(path, "wrong passphrase, or the file was edited".into()))?,
    );
    let secret: &[u8; 32] = secret
        .as_slice()
        .try_into()
        .map_err(|_| bad("key length"))?;
    let key = ReviewerKey::from_secret(
        Reviewer {
            name: file.name,
            email: file.email,
        },
        secret,
    );
    if key.public_key() != file.public_key {
        return Err(bad("its public key does not match its secret"));
    }
    Ok(key)
}

/// Whose key the file holds (no passphrase needed): the reviewer and the public line.
pub fn key_file_owner(path: &Path) -> Result<(Reviewer, String), EngineError> {
    let f = parse(path)?;
    let line = format!("{} {} <{}>", f.public_key, f.name, f.email);
    Ok((
        Reviewer {
            name: f.name,
            email: f.email,
        },
        line,
    ))
}

fn parse(path: &Path) -> Result<KeyFile, EngineError> {
    let text = read_text(path, 64 * 1024)?;
    let file: KeyFile = serde_json::from_str(&text)
        .map_err(|e| key_file_error(path, format!("not a Notice Studio key file ({e})")))?;
    if file.format != FORMAT {
        return Err(key_file_error(
            path,
            format!("unknown key file format `{}`", file.format),
        ));
    }
    Ok(file)
}

fn derive(
    path: &Path,
    passphrase: &str,
    kdf: &Kdf,
    salt: &[u8],
) -> Result<Zeroizing<[u8; 32]>, EngineError> {
    // Bounds keep a hostile file from asking for gigabytes of memory or hours of work.
    if kdf.m_cost_kib > 1024 * 1024 || kdf.t_cost > 16 || kdf.p_cost > 16 {
        return Err(key_file_error(
            path,
            "key derivation settings out of bounds".into(),
        ));
    }
    let params = ParamsBuilder::new()
        .m_cost(kdf.m_cost_kib)
        .t_cost(kdf.t_cost)
        .p_cost(kdf.p_cost)
        .build()
        .map_err(|e| key_file_error(path, format!("key derivation settings: {e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| key_file_error(path, format!("key derivation failed: {e}")))?;
    Ok(out)
}

fn associated_data(f: &KeyFile) -> String {
    serde_json::to_string(&(&f.format, &f.name, &f.email, &f.public_key)).unwrap_or_default()
}

fn key_file_error(path: &Path, message: String) -> EngineError {
    EngineError::KeyFile {
        path: path.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_opens_only_with_its_passphrase_and_unedited() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jane.key");
        let key = ReviewerKey::generate(Reviewer {
            name: "Jane".into(),
            email: "jane@example.org".into(),
        })
        .unwrap();
        let short = write_key_file(&path, &key, "short").unwrap_err();
        assert!(short.to_string().contains("at least 12"), "{short}");
        assert!(!path.exists());
        write_key_file(&path, &key, "correct horse battery").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let secret_b64 = B64.encode(&key.secret()[..]);
        assert!(
            !text.contains(&secret_b64),
            "the secret is never in the clear"
        );
        assert_eq!(
            read_key_file(&path, "correct horse battery")
                .unwrap()
                .public_key(),
            key.public_key()
        );
        let (owner, line) = key_file_owner(&path).unwrap();
        assert_eq!(owner.name, "Jane");
        assert_eq!(line, key.public_line());
        let wrong = read_key_file(&path, "wrong horse battery").unwrap_err();
        assert!(wrong.to_string().contains("wrong passphrase"), "{wrong}");
        assert!(
            wrong.to_string().contains("jane.key"),
            "names the file: {wrong}"
        );
        // Relabelling the key as someone else's breaks it.
        std::fs::write(&path, text.replace("\"Jane\"", "\"Mallory\"")).unwrap();
        assert!(read_key_file(&path, "correct horse battery").is_err());
        // Never overwritten.
        assert!(write_key_file(&path, &key, "correct horse battery").is_err());
    }
}
