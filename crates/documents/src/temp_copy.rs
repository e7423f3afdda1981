//! Opening a document in the system viewer: a decrypted copy in a private
//! temporary folder, removed when the app lets go of it.

use std::path::{Path, PathBuf};

use crate::error::{DocumentError, DocumentResult};
use crate::file_type::FileType;
use crate::thumbnail::write_private;
use crate::vault::Vault;

/// A decrypted copy on disk (folder 0700, file 0600 on Unix). Dropping it
/// deletes the file and its folder.
#[derive(Debug)]
pub struct TempDocument {
    path: PathBuf,
    file_type: FileType,
    _dir: tempfile::TempDir,
}

impl TempDocument {
    /// The copy, to hand to the system viewer.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The copy's type, told from its content.
    pub fn file_type(&self) -> FileType {
        self.file_type
    }
}

/// Decrypts the document `sha256` into a private temporary folder under a
/// name like `original_name`, whose extension always matches the content (a
/// PDF stored as "x.exe" comes out as "x.exe.pdf") so the viewer opens it and
/// nothing runs it.
pub fn export_to_private_temp(
    vault: &Vault,
    sha256: &str,
    original_name: &str,
) -> DocumentResult<TempDocument> {
    let bytes = vault.get(sha256)?;
    let file_type = FileType::sniff(&bytes).ok_or_else(|| DocumentError::Corrupt {
        sha256: sha256.to_string(),
        reason: "it is not a PDF, JPEG, PNG or WebP file".into(),
    })?;
    let dir = tempfile::Builder::new()
        .prefix("multipms-doc-")
        .tempdir()
        .map_err(|e| DocumentError::io("create a temporary folder in", std::env::temp_dir(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .map_err(|e| DocumentError::io("make private", dir.path(), e))?;
    }
    let path = dir.path().join(safe_file_name(original_name, file_type));
    write_private(&path, &bytes)?;
    Ok(TempDocument {
        path,
        file_type,
        _dir: dir,
    })
}

/// The last part of `name`, without characters no file system takes, not too
/// long, ending in an extension of `file_type`.
fn safe_file_name(name: &str, file_type: FileType) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .collect();
    clean = clean.trim().trim_matches('.').to_string();
    if clean.chars().count() > 100 {
        clean = clean.chars().take(100).collect();
    }
    if clean.is_empty() {
        clean = "document".to_string();
    }
    let ext_ok = Path::new(&clean)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| file_type.has_extension(e));
    if ext_ok {
        clean
    } else {
        format!("{clean}.{}", file_type.extension())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_and_end_in_the_right_extension() {
        assert_eq!(
            safe_file_name("Agreement 2026.pdf", FileType::Pdf),
            "Agreement 2026.pdf"
        );
        assert_eq!(
            safe_file_name("../../etc/passwd", FileType::Pdf),
            "passwd.pdf"
        );
        assert_eq!(
            safe_file_name("C:\\Users\\x\\scan.JPEG", FileType::Jpeg),
            "scan.JPEG"
        );
        assert_eq!(safe_file_name("run.exe", FileType::Pdf), "run.exe.pdf");
        assert_eq!(safe_file_name("", FileType::Png), "document.png");
        assert_eq!(safe_file_name("..", FileType::Webp), "document.webp");
    }
}
