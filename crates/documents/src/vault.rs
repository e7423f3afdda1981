//! The vault: a folder of encrypted documents, each named by the SHA-256 of
//! its content, so the same file kept twice is stored once.
//!
//! A stored file is `MPDOC`, a version byte (1), a random 24-byte nonce, then
//! the XChaCha20-Poly1305 ciphertext with its tag. The associated data is the
//! header and the hash, so a file cannot be swapped for another, nor its
//! header changed, without failing the check.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

use crate::error::{DocumentError, DocumentResult};
use crate::key_store::DocumentKey;

const MAGIC: &[u8; 5] = b"MPDOC";
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = MAGIC.len() + 1 + NONCE_LEN;
const TAG_LEN: usize = 16;
/// A small known file that tells on open whether the key fits the vault.
const KEY_CHECK_FILE: &str = "key-check.bin";
const KEY_CHECK_NAME: &str = "key-check";
const KEY_CHECK_TEXT: &[u8] = b"MultiPMS documents key check";

/// A document as stored: its name (the SHA-256 of its content, lowercase hex)
/// and its size in bytes before encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    pub sha256: String,
    pub size: u64,
}

/// The encrypted, content-addressed document store in one folder.
pub struct Vault {
    dir: PathBuf,
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// The lowercase hex SHA-256 of `bytes`: the name a document is stored under.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Vault {
    /// Opens the vault in `dir` (the app passes `<app-data>/documents`),
    /// creating it when missing. Fails with [`DocumentError::WrongKey`] when
    /// the vault was made with another key.
    pub fn open(dir: &Path, key: DocumentKey) -> DocumentResult<Vault> {
        create_private_dir(dir)?;
        let vault = Vault {
            dir: dir.to_path_buf(),
            cipher: XChaCha20Poly1305::new(key.as_bytes().into()),
        };
        vault.check_key()?;
        Ok(vault)
    }

    /// The vault's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stores `bytes` (once, however often they are put) and returns their name.
    pub fn put(&self, bytes: &[u8]) -> DocumentResult<StoredBlob> {
        let sha256 = sha256_hex(bytes);
        let path = self.blob_path(&sha256);
        let blob = StoredBlob {
            sha256,
            size: bytes.len() as u64,
        };
        if path.exists() {
            // Already kept. A damaged copy is replaced by this good one.
            match self.get(&blob.sha256) {
                Ok(_) => return Ok(blob),
                Err(DocumentError::Tampered { .. } | DocumentError::Corrupt { .. }) => {
                    tracing::warn!(
                        "document {} was damaged on disk; storing it again",
                        blob.sha256
                    );
                }
                Err(other) => return Err(other),
            }
        }
        let sealed = self.seal(&blob.sha256, bytes)?;
        let folder = path.parent().unwrap_or(&self.dir);
        create_private_dir(folder)?;
        write_atomically(folder, &path, &sealed)?;
        Ok(blob)
    }

    /// The content of the document named `sha256`, checked to be exactly what
    /// was stored.
    pub fn get(&self, sha256: &str) -> DocumentResult<Vec<u8>> {
        let sha256 = validate_name(sha256)?;
        let path = self.blob_path(&sha256);
        let sealed = match fs::read(&path) {
            Ok(sealed) => sealed,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DocumentError::NotFound { sha256 })
            }
            Err(e) => return Err(DocumentError::io("read", path, e)),
        };
        let plain = self.open_sealed(&sha256, &sealed)?;
        if sha256_hex(&plain) != sha256 {
            return Err(DocumentError::Corrupt {
                sha256,
                reason: "its content does not match its name".into(),
            });
        }
        Ok(plain)
    }

    /// Whether a document named `sha256` is stored.
    pub fn contains(&self, sha256: &str) -> DocumentResult<bool> {
        let sha256 = validate_name(sha256)?;
        Ok(self.blob_path(&sha256).is_file())
    }

    /// Deletes the document named `sha256`; `false` when it was not there.
    pub fn remove(&self, sha256: &str) -> DocumentResult<bool> {
        let sha256 = validate_name(sha256)?;
        let path = self.blob_path(&sha256);
        match fs::remove_file(&path) {
            Ok(()) => {
                if let Some(folder) = path.parent() {
                    // Only succeeds when the folder is now empty; either way is fine.
                    let _ = fs::remove_dir(folder);
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(DocumentError::io("delete", path, e)),
        }
    }

    /// Where the document named `sha256` (already validated) lives.
    fn blob_path(&self, sha256: &str) -> PathBuf {
        self.dir
            .join(&sha256[..2])
            .join(format!("{}.bin", &sha256[2..]))
    }

    fn seal(&self, name: &str, plain: &[u8]) -> DocumentResult<Vec<u8>> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let header = header(&nonce);
        let aad = associated_data(&header, name);
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .map_err(|_| DocumentError::Encrypt)?;
        let mut sealed = Vec::with_capacity(HEADER_LEN + ciphertext.len());
        sealed.extend_from_slice(&header);
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    fn open_sealed(&self, name: &str, sealed: &[u8]) -> DocumentResult<Vec<u8>> {
        let corrupt = |reason: &str| DocumentError::Corrupt {
            sha256: name.to_string(),
            reason: reason.to_string(),
        };
        if sealed.len() < HEADER_LEN + TAG_LEN {
            return Err(corrupt("the file is too short"));
        }
        if &sealed[..MAGIC.len()] != MAGIC {
            return Err(corrupt("it is not a MultiPMS document file"));
        }
        if sealed[MAGIC.len()] != VERSION {
            return Err(corrupt("it was written by a newer MultiPMS"));
        }
        let header = &sealed[..HEADER_LEN];
        let mut nonce = XNonce::default();
        nonce.copy_from_slice(&header[MAGIC.len() + 1..]);
        let aad = associated_data(header, name);
        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: &sealed[HEADER_LEN..],
                    aad: &aad,
                },
            )
            .map_err(|_| DocumentError::Tampered {
                sha256: name.to_string(),
            })
    }

    /// Writes the key check on first open; afterwards proves the key opens it.
    fn check_key(&self) -> DocumentResult<()> {
        let path = self.dir.join(KEY_CHECK_FILE);
        match fs::read(&path) {
            Ok(sealed) => match self.open_sealed(KEY_CHECK_NAME, &sealed) {
                Ok(text) if text == KEY_CHECK_TEXT => Ok(()),
                _ => Err(DocumentError::WrongKey {
                    dir: self.dir.clone(),
                }),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let sealed = self.seal(KEY_CHECK_NAME, KEY_CHECK_TEXT)?;
                write_atomically(&self.dir, &path, &sealed)
            }
            Err(e) => Err(DocumentError::io("read", path, e)),
        }
    }
}

fn header(nonce: &XNonce) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[..MAGIC.len()].copy_from_slice(MAGIC);
    header[MAGIC.len()] = VERSION;
    header[MAGIC.len() + 1..].copy_from_slice(nonce);
    header
}

fn associated_data(header: &[u8], name: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + name.len());
    aad.extend_from_slice(header);
    aad.extend_from_slice(name.as_bytes());
    aad
}

/// A document name is exactly 64 hex digits: nothing else reaches a path.
fn validate_name(sha256: &str) -> DocumentResult<String> {
    if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(sha256.to_ascii_lowercase())
    } else {
        Err(DocumentError::InvalidName {
            given: sha256.chars().take(80).collect(),
        })
    }
}

fn create_private_dir(dir: &Path) -> DocumentResult<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| DocumentError::io("create the folder", dir, e))
}

/// Writes `bytes` to a temporary file in `folder`, flushes it to disk, then
/// renames it to `path`: a crash leaves either no file or the whole file.
fn write_atomically(folder: &Path, path: &Path, bytes: &[u8]) -> DocumentResult<()> {
    let mut temp = tempfile::Builder::new()
        .prefix(".incoming-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| DocumentError::io("create a file in", folder, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| DocumentError::io("write", temp.path().to_path_buf(), e))?;
    temp.persist(path)
        .map_err(|e| DocumentError::io("save", path, e.error))?;
    sync_dir(folder);
    Ok(())
}

/// Makes the rename itself durable (Unix; Windows has no directory fsync).
fn sync_dir(folder: &Path) {
    #[cfg(unix)]
    if let Err(e) = fs::File::open(folder).and_then(|dir| dir.sync_all()) {
        tracing::warn!("could not flush the folder {}: {e}", folder.display());
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_64_hex_digits_are_refused() {
        for bad in [
            "",
            "../../etc/passwd",
            &"a".repeat(63),
            &"g".repeat(64),
            &format!("{}/..", "a".repeat(61)),
        ] {
            assert!(
                matches!(validate_name(bad), Err(DocumentError::InvalidName { .. })),
                "{bad}"
            );
        }
        assert_eq!(validate_name(&"AB".repeat(32)).unwrap(), "ab".repeat(32));
    }
}
