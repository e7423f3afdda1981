//! What can go wrong with documents, in words a person can act on.

use std::path::PathBuf;

use crate::file_type::RefusedFile;

/// Every failure of this crate. `Display` is the message for the desk.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The file was not taken (wrong type, empty, too large, unreadable).
    #[error(transparent)]
    Refused(#[from] RefusedFile),
    /// A document name that is not 64 hexadecimal characters.
    #[error("{given:?} is not a document name (expected 64 hexadecimal characters)")]
    InvalidName { given: String },
    /// No stored document has this name.
    #[error("document {sha256} is not in the document store")]
    NotFound { sha256: String },
    /// The stored file failed its authenticity check: it was changed on disk
    /// (or damaged) after it was written.
    #[error("document {sha256} has been changed or damaged on disk and cannot be trusted; restore it from a backup")]
    Tampered { sha256: String },
    /// The stored file is not in the vault's format at all.
    #[error("document {sha256} is damaged ({reason}); restore it from a backup")]
    Corrupt { sha256: String, reason: String },
    /// The documents key does not open this vault.
    #[error("the documents key does not open the document store in {}; was the key store reset, or the key file replaced?", dir.display())]
    WrongKey { dir: PathBuf },
    /// A file or folder could not be used.
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The key store failed.
    #[error("the documents key could not be loaded: {0}")]
    KeyStore(String),
    /// Encryption itself failed (it does not, short of a bug).
    #[error("the document could not be encrypted")]
    Encrypt,
    /// A logo that is a PDF, not a picture.
    #[error("{name} is a PDF; choose the logo as a PNG, JPEG or WebP picture")]
    LogoNotAPicture { name: String },
    /// A logo whose picture could not be decoded.
    #[error("{name} could not be read as a picture; it may be damaged")]
    LogoUnreadable { name: String },
    /// An image could not be turned into a thumbnail.
    #[error("no thumbnail could be made: {0}")]
    Thumbnail(String),
}

impl DocumentError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        DocumentError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

pub type DocumentResult<T> = Result<T, DocumentError>;
