//! The business's logo for invoices: a picture the person chose, checked by
//! its content like any document, then scaled down and kept as a PNG small
//! enough to print on every page without slowing a month's invoices.

use std::path::Path;

use image::ImageFormat;

use crate::error::{DocumentError, DocumentResult};
use crate::file_type::{check_file, read_candidate, FileType};
use crate::thumbnail::{decode, encode_small_png};

/// The longest side of a kept logo, in pixels: sharp at 3 cm wide on paper.
pub const LOGO_MAX_SIDE: u32 = 600;

/// Reads the picture at `path` and returns it as a PNG at most
/// [`LOGO_MAX_SIDE`] pixels a side. Refuses, naming the file, anything that
/// is not a PNG, JPEG or WebP picture.
pub fn prepare_logo(path: &Path) -> DocumentResult<Vec<u8>> {
    let (name, bytes) = read_candidate(path)?;
    let format = match check_file(&name, &bytes)? {
        FileType::Png => ImageFormat::Png,
        FileType::Jpeg => ImageFormat::Jpeg,
        FileType::Webp => ImageFormat::WebP,
        FileType::Pdf => return Err(DocumentError::LogoNotAPicture { name }),
    };
    let image = decode(&bytes, format).map_err(|_| DocumentError::LogoUnreadable { name })?;
    encode_small_png(image, LOGO_MAX_SIDE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, GenericImageView, Rgb, RgbImage};
    use std::io::Cursor;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, _| Rgb([(x % 255) as u8, 90, 140]));
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_photo_becomes_a_small_png() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "logo.jpg", &jpeg(1800, 900));
        let png = prepare_logo(&path).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let back = image::load_from_memory(&png).unwrap();
        assert_eq!(back.dimensions(), (600, 300));
    }

    #[test]
    fn a_small_picture_keeps_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "logo.jpg", &jpeg(200, 80));
        let back = image::load_from_memory(&prepare_logo(&path).unwrap()).unwrap();
        assert_eq!(back.dimensions(), (200, 80));
    }

    #[test]
    fn a_pdf_or_a_program_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = write(dir.path(), "letterhead.pdf", b"%PDF-1.4\n%%EOF\n");
        assert_eq!(
            prepare_logo(&pdf).unwrap_err().to_string(),
            "letterhead.pdf is a PDF; choose the logo as a PNG, JPEG or WebP picture"
        );
        let exe = write(dir.path(), "logo.png", b"MZ\x90\x00rest");
        assert_eq!(
            prepare_logo(&exe).unwrap_err().to_string(),
            "logo.png is not a PDF, JPEG, PNG or WebP file (it looks like a Windows program)"
        );
        let broken = write(dir.path(), "broken.png", b"\x89PNG\r\n\x1a\nnot really");
        assert_eq!(
            prepare_logo(&broken).unwrap_err().to_string(),
            "broken.png could not be read as a picture; it may be damaged"
        );
    }
}
