//! The seller's logo: a PNG decoded to plain RGB (transparency composited on
//! white, as it would show on paper).

use std::io::Cursor;

use png::{ColorType, Decoder, Limits, Transformations};

use crate::error::RenderError;

/// The largest logo side, in pixels, accepted.
const MAX_SIDE: u32 = 4096;

/// A decoded image: width, height and RGB bytes.
pub(crate) struct RgbImage {
    /// Pixels across.
    pub width: usize,
    /// Pixels down.
    pub height: usize,
    /// `width * height * 3` bytes.
    pub rgb: Vec<u8>,
}

/// Decodes a PNG of any colour type and bit depth.
pub(crate) fn decode_png(bytes: &[u8]) -> Result<RgbImage, RenderError> {
    let bad = |e: &dyn std::fmt::Display| RenderError::Logo(e.to_string());
    let mut decoder = Decoder::new_with_limits(
        Cursor::new(bytes),
        Limits {
            bytes: 64 * 1024 * 1024,
        },
    );
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| bad(&e))?;
    let (width, height) = {
        let info = reader.info();
        (info.width, info.height)
    };
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(RenderError::Logo(format!(
            "{width}×{height} pixels; a logo must be at most {MAX_SIDE} pixels a side"
        )));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| RenderError::Logo("the image is too large".into()))?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).map_err(|e| bad(&e))?;
    let channels = match frame.color_type {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => {
            return Err(RenderError::Logo(
                "indexed colours were not expanded".into(),
            ))
        }
    };
    let (w, h) = (frame.width as usize, frame.height as usize);
    let mut rgb = Vec::with_capacity(w * h * 3);
    for row in buf.chunks(frame.line_size.max(1)).take(h) {
        for px in row.chunks_exact(channels).take(w) {
            let (r, g, b, a) = match *px {
                [v] => (v, v, v, 255),
                [v, a] => (v, v, v, a),
                [r, g, b] => (r, g, b, 255),
                [r, g, b, a] => (r, g, b, a),
                _ => (255, 255, 255, 0),
            };
            rgb.extend([over_white(r, a), over_white(g, a), over_white(b, a)]);
        }
    }
    if rgb.len() != w * h * 3 {
        return Err(RenderError::Logo("the image data is incomplete".into()));
    }
    Ok(RgbImage {
        width: w,
        height: h,
        rgb,
    })
}

/// A channel composited over white paper.
fn over_white(value: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(value), u32::from(alpha));
    ((v * a + 255 * (255 - a) + 127) / 255) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG made with the png encoder.
    pub(crate) fn png(width: u32, height: u32, color: ColorType, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, width, height);
            enc.set_color(color);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header().unwrap();
            w.write_image_data(data).unwrap();
        }
        out
    }

    #[test]
    fn decodes_rgba_over_white() {
        let bytes = png(2, 1, ColorType::Rgba, &[255, 0, 0, 255, 0, 0, 0, 0]);
        let img = decode_png(&bytes).unwrap();
        assert_eq!((img.width, img.height), (2, 1));
        assert_eq!(img.rgb, [255, 0, 0, 255, 255, 255]);
    }

    #[test]
    fn decodes_grey() {
        let img = decode_png(&png(1, 1, ColorType::Grayscale, &[7])).unwrap();
        assert_eq!(img.rgb, [7, 7, 7]);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(matches!(
            decode_png(b"not a png"),
            Err(RenderError::Logo(_))
        ));
        assert!(matches!(decode_png(&[]), Err(RenderError::Logo(_))));
    }
}
