//! Tenant documents (KYC papers, rental agreements, photos) kept safe at rest.
//!
//! - [`check_file`] and [`read_candidate`] let in only PDF, JPEG, PNG and WebP
//!   files of at most 20 MB, told by their content.
//! - [`Vault`] keeps each file once, named by its SHA-256, encrypted with
//!   XChaCha20-Poly1305 under the documents key.
//! - [`KeyStore`] keeps that key in the OS keyring, or in a private key file
//!   when there is no keyring.
//! - [`thumbnail`] draws small previews; [`export_to_private_temp`] makes a
//!   decrypted copy for the system viewer that goes away when dropped.
//!
//! The metadata (which tenant, which kind) lives in `multipms-store`.

mod error;
mod file_type;
mod key_store;
mod kind;
mod logo;
mod temp_copy;
mod thumbnail;
mod vault;

pub use error::{DocumentError, DocumentResult};
pub use file_type::{check_file, read_candidate, FileType, RefusedFile, MAX_FILE_BYTES};
pub use key_store::{
    file_key, DocumentKey, KeySource, KeyStore, KeyStoreChoice, KEYRING_SERVICE, KEYRING_TIMEOUT,
    KEYRING_USER, KEY_FILE_NAME, KEY_STORE_ENV,
};
pub use kind::DocumentKind;
pub use logo::{prepare_logo, LOGO_MAX_SIDE};
pub use temp_copy::{export_to_private_temp, TempDocument};
pub use thumbnail::{pdftoppm_path, thumbnail, THUMBNAIL_MAX_SIDE};
pub use vault::{sha256_hex, StoredBlob, Vault};

/// The vault's folder name inside the app's data folder.
pub const DOCUMENTS_DIR: &str = "documents";
