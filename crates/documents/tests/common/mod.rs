//! Real small files of each accepted type, made here, and a vault in a
//! temporary folder.
#![allow(dead_code)]

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use multipms_documents::{DocumentKey, Vault};

/// A one-page PDF with a blue square, its cross-reference table exact.
pub fn sample_pdf() -> Vec<u8> {
    let content = b"0 0 1 rg 40 60 120 180 re f\n0 0 0 rg 20 20 10 10 re f\n";
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 300] /Contents 4 0 R /Resources << >> >>"
            .to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).into_bytes(),
            content.to_vec(),
            b"endstream".to_vec(),
        ]
        .concat(),
    ];
    let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            ((x * 7 + y * 13) % 256) as u8,
        ])
    })
}

fn encode(image: image::DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode test image");
    out.into_inner()
}

/// A 640×480 photo-like JPEG.
pub fn sample_jpeg() -> Vec<u8> {
    encode(picture(640, 480).into(), ImageFormat::Jpeg)
}

/// A 300×500 PNG (portrait, so the height is the long side).
pub fn sample_png() -> Vec<u8> {
    encode(picture(300, 500).into(), ImageFormat::Png)
}

/// A 400×200 WebP with transparency (lossless, as the encoder writes).
pub fn sample_webp() -> Vec<u8> {
    let rgba = RgbaImage::from_fn(400, 200, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, 90, 200])
    });
    encode(rgba.into(), ImageFormat::WebP)
}

/// A vault in a fresh temporary folder, with a fixed test key.
pub fn vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(&dir.path().join("documents"), test_key()).expect("open vault");
    (dir, vault)
}

pub fn test_key() -> DocumentKey {
    DocumentKey::from_bytes([7u8; 32])
}
