//! Crypto-shredding (R35): personal strings in events are sealed under their data subject's
//! key (AES-256-GCM), so destroying the key erases them while the log, its hash chains and every
//! checkpoint stay as they were (they cover the ciphertext).
//!
//! A sealed string is `pii1:` and the base64url of a random 96-bit nonce and the ciphertext;
//! the subject's id is the associated data, so a sealed string moved to another subject's event
//! does not open. Data keys are random, kept by the store *wrapped* under the master key (same
//! cipher, the subject as associated data) and here unwrapped in memory, one 32-byte key per
//! subject. A subject whose key was destroyed opens to [`ERASED`].
//!
//! The keyring is synchronous and does no I/O: the application layer asks the store for a key
//! the keyring does not know ([`Lookup::Unknown`]) and tells the keyring what it got.

use aes_gcm::aead::{Aead, AeadInPlace, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chatd_domain::event::ERASED;
use chatd_domain::DomainEvent;
use chatd_store::keys::StoredKey;
use rand_core::{OsRng, RngCore};
use std::collections::HashMap;
use std::sync::RwLock;
use thiserror::Error;
use uuid::Uuid;

/// How a sealed string begins.
pub const SEALED: &str = "pii1:";
const NONCE: usize = 12;

/// One subject's data key, unwrapped.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

impl DataKey {
    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&self.0))
    }

    /// Run `f` with this key's cipher. The last cipher used on this thread is kept: a log
    /// holds a dialog's events in bursts, so consecutive events mostly share a key, and
    /// expanding an AES key costs more than opening one short string.
    fn with_cipher<R>(&self, f: impl FnOnce(&Aes256Gcm) -> R) -> R {
        thread_local! {
            static LAST: std::cell::RefCell<Option<([u8; 32], Aes256Gcm)>> =
                const { std::cell::RefCell::new(None) };
        }
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            match &*last {
                Some((k, c)) if *k == self.0 => f(c),
                _ => {
                    let cipher = self.cipher();
                    let out = f(&cipher);
                    *last = Some((self.0, cipher));
                    out
                }
            }
        })
    }
}

/// What the keyring knows of a subject.
#[derive(Clone)]
pub enum Lookup {
    Live(DataKey),
    Destroyed,
    /// Not known here: ask the store (another node may have made it).
    Unknown,
}

#[derive(Debug, Error)]
pub enum KeyError {
    #[error("the data key of {0} does not open under this master key (a different master key?)")]
    Unwrap(Uuid),
}

/// The master key and the data keys known so far.
pub struct Keyring {
    master: Option<Aes256Gcm>,
    keys: RwLock<HashMap<Uuid, Option<DataKey>>>,
}

impl Default for Keyring {
    /// A keyring that seals nothing and leaves sealed strings as they are (tests, tools that
    /// only check the log's shape).
    fn default() -> Self {
        Keyring {
            master: None,
            keys: RwLock::new(HashMap::new()),
        }
    }
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("sealing", &self.sealing())
            .finish_non_exhaustive()
    }
}

fn seal_bytes(cipher: &Aes256Gcm, subject: Uuid, plain: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE];
    OsRng.fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: subject.as_bytes(),
            },
        )
        .expect("AES-GCM seals any length chatd stores");
    let mut out = Vec::with_capacity(NONCE + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

fn open_bytes(cipher: &Aes256Gcm, subject: Uuid, sealed: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < NONCE {
        return None;
    }
    let (nonce, ct) = sealed.split_at(NONCE);
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ct,
                aad: subject.as_bytes(),
            },
        )
        .ok()
}

/// Seal one string in place (an empty one stays empty: it says nothing); whether it was.
fn seal_with(cipher: &Aes256Gcm, subject: Uuid, s: &mut String) -> bool {
    if s.is_empty() {
        return false;
    }
    let sealed = seal_bytes(cipher, subject, s.as_bytes());
    let mut out = String::with_capacity(SEALED.len() + sealed.len() * 4 / 3 + 4);
    out.push_str(SEALED);
    URL_SAFE_NO_PAD.encode_string(sealed, &mut out);
    *s = out;
    true
}

/// The clear text of a sealed string, or `None` if it is not one sealed under `key`.
pub fn open_str(key: &DataKey, subject: Uuid, s: &str) -> Option<String> {
    open_with(&key.cipher(), subject, s)
}

impl Keyring {
    /// A keyring under `master` (32 bytes).
    pub fn new(master: [u8; 32]) -> Keyring {
        Keyring {
            master: Some(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&master))),
            keys: RwLock::new(HashMap::new()),
        }
    }

    /// Whether new personal data is sealed.
    pub fn sealing(&self) -> bool {
        self.master.is_some()
    }

    pub fn lookup(&self, subject: Uuid) -> Lookup {
        match self.keys.read().expect("keyring lock").get(&subject) {
            Some(Some(k)) => Lookup::Live(k.clone()),
            Some(None) => Lookup::Destroyed,
            None => Lookup::Unknown,
        }
    }

    /// A fresh random data key for `subject`, wrapped for the store.
    pub fn fresh_wrapped(&self, subject: Uuid) -> Option<Vec<u8>> {
        let master = self.master.as_ref()?;
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        Some(seal_bytes(master, subject, &key))
    }

    /// Learn what the store holds for `subject`.
    pub fn learn(&self, subject: Uuid, stored: &StoredKey) -> Result<Lookup, KeyError> {
        let Some(master) = &self.master else {
            return Ok(Lookup::Unknown);
        };
        let entry = match stored {
            StoredKey::Absent => return Ok(Lookup::Unknown),
            StoredKey::Destroyed => None,
            StoredKey::Live(wrapped) => {
                let plain =
                    open_bytes(master, subject, wrapped).ok_or(KeyError::Unwrap(subject))?;
                let key: [u8; 32] = plain.try_into().map_err(|_| KeyError::Unwrap(subject))?;
                Some(DataKey(key))
            }
        };
        self.keys
            .write()
            .expect("keyring lock")
            .insert(subject, entry);
        Ok(self.lookup(subject))
    }

    /// `subject`'s key is destroyed: forget it here.
    pub fn forget(&self, subject: Uuid) {
        self.keys
            .write()
            .expect("keyring lock")
            .insert(subject, None);
    }

    /// Open every sealed personal string of `event` (in place), or make it [`ERASED`] when the
    /// subject's key is destroyed. `Err(subject)`: the key is not known here yet.
    pub fn open_event<E: DomainEvent>(&self, subject: Uuid, event: &mut E) -> Result<(), Uuid> {
        if self.master.is_none() {
            return Ok(());
        }
        match self.lookup(subject) {
            Lookup::Live(key) => {
                key.with_cipher(|cipher| {
                    event.personal_mut(&mut |s| {
                        open_in_place(cipher, subject, s);
                    })
                });
                Ok(())
            }
            Lookup::Destroyed => {
                event.personal_mut(&mut |s| {
                    if s.starts_with(SEALED) {
                        *s = ERASED.to_owned();
                    }
                });
                Ok(())
            }
            Lookup::Unknown => Err(subject),
        }
    }

    /// A sealed string as the audit shows it: clear, [`ERASED`], or unchanged when it is not
    /// one of `subject`'s.
    pub fn reveal(&self, subject: Uuid, s: &str) -> Option<String> {
        if !s.starts_with(SEALED) {
            return None;
        }
        match self.lookup(subject) {
            Lookup::Live(key) => open_str(&key, subject, s),
            Lookup::Destroyed => Some(ERASED.to_owned()),
            Lookup::Unknown => None,
        }
    }
}

fn open_with(cipher: &Aes256Gcm, subject: Uuid, s: &str) -> Option<String> {
    let mut out = s.to_owned();
    open_in_place(cipher, subject, &mut out).then_some(out)
}

/// Open a sealed string in place; whether it was one sealed under `cipher` for `subject` (if
/// not, it is left as it was). Decoded and opened in a per-thread buffer, then written over the
/// sealed text, which is always longer: no allocation per string, which a rebuild opening
/// every personal string of the log felt (R35's cost). The buffer is zeroed after each use.
fn open_in_place(cipher: &Aes256Gcm, subject: Uuid, s: &mut String) -> bool {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if !s.starts_with(SEALED) {
        return false;
    }
    SCRATCH.with(|scratch| {
        let buf = &mut *scratch.borrow_mut();
        buf.clear();
        let body = &s[SEALED.len()..];
        if URL_SAFE_NO_PAD.decode_vec(body, buf).is_err() || buf.len() < NONCE {
            return false;
        }
        let mut nonce = [0u8; NONCE];
        nonce.copy_from_slice(&buf[..NONCE]);
        buf.drain(..NONCE);
        let opened = cipher.decrypt_in_place(Nonce::from_slice(&nonce), subject.as_bytes(), buf);
        let done = match opened.ok().and_then(|()| std::str::from_utf8(buf).ok()) {
            Some(plain) => {
                s.clear();
                s.push_str(plain);
                true
            }
            None => false,
        };
        // No clear text stays behind in the buffer (an erasure wipes only the models' copies).
        buf.fill(0);
        done
    })
}

/// Seal every personal string of `event` under `key`; whether any was sealed.
pub fn seal_event<E: DomainEvent>(key: &DataKey, subject: Uuid, event: &mut E) -> bool {
    let mut any = false;
    key.with_cipher(|cipher| event.personal_mut(&mut |s| any |= seal_with(cipher, subject, s)));
    any
}

/// Whether `event` carries any personal string (so sealing it needs its subject's key).
pub fn has_personal<E: DomainEvent + Clone>(event: &E) -> bool {
    let mut e = event.clone();
    let mut any = false;
    e.personal_mut(&mut |s| any |= !s.is_empty());
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_string_opens_under_its_key_and_subject_only() {
        let ring = Keyring::new([7; 32]);
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let wa = ring.fresh_wrapped(a).unwrap();
        let wb = ring.fresh_wrapped(b).unwrap();
        let Lookup::Live(ka) = ring.learn(a, &StoredKey::Live(wa.clone())).unwrap() else {
            panic!("live")
        };
        let Lookup::Live(kb) = ring.learn(b, &StoredKey::Live(wb)).unwrap() else {
            panic!("live")
        };
        let mut s = "Ivan Petrov".to_owned();
        assert!(seal_with(&ka.cipher(), a, &mut s));
        assert!(s.starts_with(SEALED) && !s.contains("Ivan"));
        assert_eq!(open_str(&ka, a, &s).as_deref(), Some("Ivan Petrov"));
        assert_eq!(open_str(&kb, b, &s), None, "another subject's key");
        assert_eq!(open_str(&ka, b, &s), None, "moved to another subject");
        // A wrapped key opens only under its master key and subject.
        let other = Keyring::new([8; 32]);
        assert!(other.learn(a, &StoredKey::Live(wa.clone())).is_err());
        assert!(ring.learn(b, &StoredKey::Live(wa)).is_err());
        // Destroyed: the audit sees the placeholder.
        ring.forget(a);
        assert_eq!(ring.reveal(a, &s).as_deref(), Some(ERASED));
        assert_eq!(ring.reveal(a, "plain"), None);
    }
}
