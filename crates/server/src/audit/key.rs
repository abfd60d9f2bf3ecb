//! The Ed25519 key chatd signs audit checkpoints with (R29). Kept as a PKCS#8 PEM file, readable
//! by openssl: in the data directory (created on first need, mode 0600), or wherever the
//! configuration's `audit_key_file` says (then it must exist: a typo never mints a new key).

use chatd_store::hash::hex;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// The key's file name in the data directory.
pub const KEY_FILE: &str = "audit-signing-key.pem";

pub struct AuditKey {
    signing: SigningKey,
}

impl AuditKey {
    /// Read the key at `path`; when it is absent and `create` is set, generate one there.
    pub fn load_or_create(path: &Path, create: bool) -> Result<AuditKey, String> {
        let shown = path.display();
        match std::fs::read_to_string(path) {
            Ok(pem) => SigningKey::from_pkcs8_pem(&pem)
                .map(|signing| AuditKey { signing })
                .map_err(|e| format!("{shown}: not an Ed25519 private key in PKCS#8 PEM: {e}")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let signing = SigningKey::generate(&mut rand_core::OsRng);
                let pem = signing
                    .to_pkcs8_pem(LineEnding::LF)
                    .map_err(|e| format!("encoding the audit key: {e}"))?;
                match new_private_file(path) {
                    Ok(mut f) => {
                        f.write_all(pem.as_bytes())
                            .and_then(|_| f.sync_all())
                            .map_err(|e| format!("{shown}: {e}"))?;
                        Ok(AuditKey { signing })
                    }
                    // Another process made it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        AuditKey::load_or_create(path, false)
                    }
                    Err(e) => Err(format!("{shown}: {e}")),
                }
            }
            Err(e) => Err(format!("audit signing key {shown}: {e}")),
        }
    }

    pub fn sign(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }

    pub fn public(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }
}

fn new_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A short name for a public key: the first 16 hex digits of SHA-256 over its 32 bytes.
pub fn key_id(key: &VerifyingKey) -> String {
    hex(&Sha256::digest(key.as_bytes())[..8])
}

/// The public key as `-----BEGIN PUBLIC KEY-----` (SPKI), what `openssl pkeyutl -pubin` reads.
pub fn public_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(LineEnding::LF)
        .expect("an Ed25519 public key encodes")
}

/// A public key an auditor trusts, from a file holding it as PEM (public, or the private key
/// itself), as `GET /api/audit/v1/key`'s JSON, or as 64 hex digits.
pub fn read_public(text: &str) -> Result<VerifyingKey, String> {
    let text = text.trim();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        return from_hex(
            v["public_key"]
                .as_str()
                .ok_or("a JSON key file needs \"public_key\"")?,
        );
    }
    if text.contains("BEGIN PUBLIC KEY") {
        return VerifyingKey::from_public_key_pem(text).map_err(|e| e.to_string());
    }
    if text.contains("BEGIN PRIVATE KEY") {
        return SigningKey::from_pkcs8_pem(text)
            .map(|k| k.verifying_key())
            .map_err(|e| e.to_string());
    }
    from_hex(text)
}

/// A public key from its 64 hex digits.
pub fn from_hex(s: &str) -> Result<VerifyingKey, String> {
    let bytes: [u8; 32] = hex::decode(s)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("an Ed25519 public key is 64 hex digits")?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| e.to_string())
}
