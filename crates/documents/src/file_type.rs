//! What a file really is, told from its first bytes (never from its name),
//! and the checks a file passes before it is kept.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest document the desk keeps: 20 MB.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The kinds of file the desk accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    Webp,
}

impl FileType {
    /// Every accepted type.
    pub const ALL: [FileType; 4] = [FileType::Pdf, FileType::Jpeg, FileType::Png, FileType::Webp];

    /// Tells the type from the first bytes, or `None` when it is none of ours.
    pub fn sniff(bytes: &[u8]) -> Option<FileType> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileType::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(FileType::Webp)
        } else {
            None
        }
    }

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpeg",
            FileType::Png => "png",
            FileType::Webp => "webp",
        }
    }

    /// The type with this code, if any.
    pub fn parse(code: &str) -> Option<FileType> {
        FileType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The name people read: "PDF", "JPEG", "PNG", "WebP".
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Jpeg => "JPEG",
            FileType::Png => "PNG",
            FileType::Webp => "WebP",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
        }
    }

    /// Whether `ext` (without the dot, any case) is an extension of this type.
    pub fn has_extension(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            FileType::Pdf => ext == "pdf",
            FileType::Jpeg => matches!(ext.as_str(), "jpg" | "jpeg" | "jpe" | "jfif"),
            FileType::Png => ext == "png",
            FileType::Webp => ext == "webp",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
        }
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a file was not taken. Each message names the file and says why in
/// plain words, for the person at the desk.
#[derive(Debug, thiserror::Error)]
pub enum RefusedFile {
    #[error("{name} is empty")]
    Empty { name: String },
    #[error("{name} is {} MB; the limit is {} MB", megabytes(*size), MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge { name: String, size: u64 },
    #[error("{name} is not a PDF, JPEG, PNG or WebP file{}", looks_like.map(|l| format!(" (it looks like {l})")).unwrap_or_default())]
    NotAccepted {
        name: String,
        /// What the file seems to be instead, when we can tell.
        looks_like: Option<&'static str>,
    },
    #[error("{name} is a folder, not a file")]
    NotAFile { name: String },
    #[error("{name} could not be read: {source}")]
    Unreadable {
        name: String,
        #[source]
        source: std::io::Error,
    },
}

impl RefusedFile {
    /// The name of the refused file, as given.
    pub fn file_name(&self) -> &str {
        match self {
            RefusedFile::Empty { name }
            | RefusedFile::TooLarge { name, .. }
            | RefusedFile::NotAccepted { name, .. }
            | RefusedFile::NotAFile { name }
            | RefusedFile::Unreadable { name, .. } => name,
        }
    }
}

fn megabytes(size: u64) -> String {
    format!("{:.1}", size as f64 / (1024.0 * 1024.0))
}

/// What some common files we refuse are, for a kinder message.
fn looks_like(bytes: &[u8]) -> Option<&'static str> {
    const KNOWN: &[(&[u8], &str)] = &[
        (b"MZ", "a Windows program"),
        (b"\x7fELF", "a Linux program"),
        (b"\xCF\xFA\xED\xFE", "a Mac program"),
        (b"PK\x03\x04", "a ZIP archive, or a Word or Excel file"),
        (b"\xD0\xCF\x11\xE0", "an old Word or Excel file"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"BM", "a BMP image"),
        (b"{\\rtf", "an RTF document"),
        (b"#!", "a script"),
    ];
    if let Some((_, what)) = KNOWN.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(what);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some(match &bytes[8..12] {
            b"heic" | b"heix" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                "a HEIC photo from a phone"
            }
            b"avif" => "an AVIF image",
            _ => "a video",
        });
    }
    let head = &bytes[..bytes.len().min(512)];
    if !head.is_empty() && std::str::from_utf8(head).is_ok() && !head.contains(&0) {
        return Some("a text file");
    }
    None
}

/// Checks a file that is about to be kept: not empty, not over
/// [`MAX_FILE_BYTES`], and a PDF, JPEG, PNG or WebP by its content.
pub fn check_file(name: &str, bytes: &[u8]) -> Result<FileType, RefusedFile> {
    let name = name.to_string();
    if bytes.is_empty() {
        return Err(RefusedFile::Empty { name });
    }
    let size = bytes.len() as u64;
    if size > MAX_FILE_BYTES {
        return Err(RefusedFile::TooLarge { name, size });
    }
    FileType::sniff(bytes).ok_or_else(|| RefusedFile::NotAccepted {
        name,
        looks_like: looks_like(bytes),
    })
}

/// Reads a file the person picked, refusing it before reading when its size
/// is wrong (a 2 GB file is never loaded into memory). Returns its name and
/// its bytes; call [`check_file`] on them for the type.
pub fn read_candidate(path: &Path) -> Result<(String, Vec<u8>), RefusedFile> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let unreadable = |source| RefusedFile::Unreadable {
        name: name.clone(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(RefusedFile::NotAFile { name });
    }
    let size = metadata.len();
    if size == 0 {
        return Err(RefusedFile::Empty { name });
    }
    if size > MAX_FILE_BYTES {
        return Err(RefusedFile::TooLarge { name, size });
    }
    let file = File::open(path).map_err(unreadable)?;
    // The file may grow between the look and the read: read at most one byte
    // past the limit, so the check below still sees it too large.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.is_empty() {
        return Err(RefusedFile::Empty { name });
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(RefusedFile::TooLarge {
            name,
            size: bytes.len() as u64,
        });
    }
    Ok((name, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_content() {
        assert_eq!(FileType::sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(
            FileType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            FileType::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(FileType::Webp)
        );
        assert_eq!(FileType::sniff(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(FileType::sniff(b"%PD"), None);
        for t in FileType::ALL {
            assert_eq!(FileType::parse(t.code()), Some(t));
            assert!(t.has_extension(t.extension()));
        }
    }

    #[test]
    fn messages_name_the_file_and_the_reason() {
        let err = check_file("agreement.pdf", b"MZ\x90\0\x03").unwrap_err();
        assert_eq!(
            err.to_string(),
            "agreement.pdf is not a PDF, JPEG, PNG or WebP file (it looks like a Windows program)"
        );
        let err = check_file("blob.bin", &[0u8, 1, 2, 3]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "blob.bin is not a PDF, JPEG, PNG or WebP file"
        );
        let err = check_file("notes.pdf", b"hello there").unwrap_err();
        assert!(
            err.to_string().ends_with("(it looks like a text file)"),
            "{err}"
        );
        let err = check_file("photo.jpg", b"").unwrap_err();
        assert_eq!(err.to_string(), "photo.jpg is empty");
        let err = RefusedFile::TooLarge {
            name: "scan.pdf".into(),
            size: 21 * 1024 * 1024,
        };
        assert_eq!(err.to_string(), "scan.pdf is 21.0 MB; the limit is 20 MB");
    }
}
