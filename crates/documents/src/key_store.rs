//! The key that encrypts the documents: 32 random bytes, kept in the OS
//! keyring, or in a key file in the data folder when there is no keyring.

use std::fmt;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{DocumentError, DocumentResult};

/// The keyring service under which the key is kept.
pub const KEYRING_SERVICE: &str = "in.multipms.desk";
/// The keyring user under which the key is kept.
pub const KEYRING_USER: &str = "documents-key";
/// The key file's name in the data folder, when the keyring is not used.
pub const KEY_FILE_NAME: &str = "documents.key";
/// `file` forces the key file, `keyring` forces the OS keyring; unset or
/// `auto` tries the keyring and falls back to the file.
pub const KEY_STORE_ENV: &str = "MULTIPMS_KEY_STORE";
/// How long the keyring may take to answer before it counts as unavailable.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(5);

/// The 32-byte documents key. Wiped from memory when dropped; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DocumentKey([u8; 32]);

impl DocumentKey {
    /// A new random key from the OS's random source.
    pub fn generate() -> DocumentKey {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        DocumentKey(bytes)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> DocumentKey {
        DocumentKey(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as 64 lowercase hex characters (how it is stored).
    fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0))
    }

    fn from_hex(text: &str) -> Option<DocumentKey> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut bytes).ok()?;
        Some(DocumentKey(bytes))
    }
}

impl fmt::Debug for DocumentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DocumentKey(..)")
    }
}

/// Where the documents key is kept, for the app to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// The OS keyring (Keychain, Credential Manager, Secret Service).
    Keyring,
    /// A key file, readable only by this user.
    File(PathBuf),
}

/// Which store to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStoreChoice {
    /// The keyring, or the key file when the keyring is unavailable (or a key
    /// file already holds the key).
    Auto,
    /// The keyring only; an error when it is unavailable.
    Keyring,
    /// The key file only.
    File,
}

impl KeyStoreChoice {
    /// Reads [`KEY_STORE_ENV`]: `file`, `keyring`, `auto` or unset.
    pub fn from_env() -> DocumentResult<KeyStoreChoice> {
        match std::env::var(KEY_STORE_ENV) {
            Err(_) => Ok(KeyStoreChoice::Auto),
            Ok(value) => match value.trim().to_ascii_lowercase().as_str() {
                "" | "auto" => Ok(KeyStoreChoice::Auto),
                "keyring" => Ok(KeyStoreChoice::Keyring),
                "file" => Ok(KeyStoreChoice::File),
                _ => Err(DocumentError::KeyStore(format!(
                    "{KEY_STORE_ENV}={value:?} is not understood; use file, keyring or auto"
                ))),
            },
        }
    }
}

/// Finds (or on first use creates) the documents key.
#[derive(Debug, Clone)]
pub struct KeyStore {
    choice: KeyStoreChoice,
    key_file: PathBuf,
}

impl KeyStore {
    /// The store for the data folder `app_data`, chosen by [`KEY_STORE_ENV`].
    pub fn from_env(app_data: &Path) -> DocumentResult<KeyStore> {
        Ok(KeyStore::new(app_data, KeyStoreChoice::from_env()?))
    }

    pub fn new(app_data: &Path, choice: KeyStoreChoice) -> KeyStore {
        KeyStore {
            choice,
            key_file: app_data.join(KEY_FILE_NAME),
        }
    }

    /// The key file's path (used with `File`, or as the fallback).
    pub fn key_file(&self) -> &Path {
        &self.key_file
    }

    /// The documents key and where it is kept, creating it on first use.
    pub fn load_or_create(&self) -> DocumentResult<(DocumentKey, KeySource)> {
        match self.choice {
            KeyStoreChoice::File => self.use_file(),
            KeyStoreChoice::Keyring => match keyring_key() {
                Ok(key) => Ok((key, KeySource::Keyring)),
                Err(KeyringFailure::Unavailable(why)) | Err(KeyringFailure::Failed(why)) => {
                    Err(DocumentError::KeyStore(format!(
                        "the OS keyring is unavailable ({why}) and {KEY_STORE_ENV}=keyring forbids the key file"
                    )))
                }
            },
            KeyStoreChoice::Auto => {
                // A key file made earlier, when the keyring was unavailable,
                // still holds the key the documents were encrypted with.
                if self.key_file.exists() {
                    return self.use_file();
                }
                match keyring_key() {
                    Ok(key) => Ok((key, KeySource::Keyring)),
                    Err(KeyringFailure::Unavailable(why)) => {
                        tracing::warn!(
                            "OS keyring unavailable ({why}); the documents key is kept in {} \
                             (readable only by this user). Set {KEY_STORE_ENV}=keyring to require the keyring.",
                            self.key_file.display()
                        );
                        self.use_file()
                    }
                    Err(KeyringFailure::Failed(why)) => Err(DocumentError::KeyStore(format!(
                        "the OS keyring failed: {why}"
                    ))),
                }
            }
        }
    }

    fn use_file(&self) -> DocumentResult<(DocumentKey, KeySource)> {
        let key = file_key(&self.key_file)?;
        Ok((key, KeySource::File(self.key_file.clone())))
    }
}

/// Reads the key file at `path`, creating it (mode 0600) with a new key when
/// it does not exist.
pub fn file_key(path: &Path) -> DocumentResult<DocumentKey> {
    match read_key_file(path) {
        Ok(key) => return Ok(key),
        Err(DocumentError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {}
        Err(other) => return Err(other),
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| DocumentError::io("create the folder", parent, e))?;
    }
    let key = DocumentKey::generate();
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        // Another process made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return read_key_file(path),
        Err(e) => return Err(DocumentError::io("create the key file", path, e)),
    };
    let text = key.to_hex();
    file.write_all(text.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all())
        .map_err(|e| DocumentError::io("write the key file", path, e))?;
    Ok(key)
}

fn read_key_file(path: &Path) -> DocumentResult<DocumentKey> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .map_err(|e| DocumentError::io("read the key file", path, e))?,
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(
                    "the documents key file {} was readable by others; making it private (0600)",
                    path.display()
                );
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| DocumentError::io("make private", path, e))?;
            }
        }
    }
    DocumentKey::from_hex(&text).ok_or_else(|| {
        DocumentError::KeyStore(format!(
            "{} does not hold a documents key (expected 64 hexadecimal characters)",
            path.display()
        ))
    })
}

enum KeyringFailure {
    /// No keyring to talk to: fall back to the key file.
    Unavailable(String),
    /// The keyring answered, but wrongly: do not paper over it.
    Failed(String),
}

/// The key from the OS keyring, created there on first use. Runs on its own
/// thread so a keyring that never answers (a D-Bus that hangs) costs at most
/// [`KEYRING_TIMEOUT`].
fn keyring_key() -> Result<DocumentKey, KeyringFailure> {
    let (send, receive) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("documents-keyring".into())
        .spawn(move || {
            // The receiver may have given up; nothing to do then.
            let _ = send.send(keyring_key_blocking());
        });
    if let Err(e) = spawned {
        return Err(KeyringFailure::Unavailable(format!(
            "could not start a thread: {e}"
        )));
    }
    match receive.recv_timeout(KEYRING_TIMEOUT) {
        Ok(result) => result,
        Err(_) => Err(KeyringFailure::Unavailable(format!(
            "it did not answer within {} s",
            KEYRING_TIMEOUT.as_secs()
        ))),
    }
}

fn keyring_key_blocking() -> Result<DocumentKey, KeyringFailure> {
    let entry = keyring::Entry::new(KEYRING_SERVICE, KEYRING_USER).map_err(classify)?;
    match entry.get_password() {
        Ok(secret) => {
            let secret = Zeroizing::new(secret);
            DocumentKey::from_hex(&secret).ok_or_else(|| {
                KeyringFailure::Failed(format!(
                    "the keyring entry {KEYRING_SERVICE}/{KEYRING_USER} does not hold a documents key"
                ))
            })
        }
        Err(keyring::Error::NoEntry) => {
            let key = DocumentKey::generate();
            entry.set_password(&key.to_hex()).map_err(classify)?;
            Ok(key)
        }
        Err(other) => Err(classify(other)),
    }
}

fn classify(error: keyring::Error) -> KeyringFailure {
    match error {
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            KeyringFailure::Unavailable(error.to_string())
        }
        other => KeyringFailure::Failed(other.to_string()),
    }
}
