//! What an upload is: its digest, its MIME type sniffed from the bytes, its attachment kind, and
//! for a decodable image its dimensions and a preview thumbnail.

use chatd_domain::channel::AttachmentKind;
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// Longest side of a preview thumbnail, in pixels.
pub const PREVIEW_SIDE: u32 = 256;

#[derive(Debug, Clone)]
pub struct Inspected {
    pub sha256: String,
    pub mime: String,
    pub kind: AttachmentKind,
    pub size: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub preview: Option<bytes::Bytes>,
}

/// Inspect `bytes`; `declared` is the client's Content-Type, used only when the bytes say nothing.
/// CPU-bound (hashing, decoding): call from a blocking thread.
pub fn inspect(bytes: &[u8], declared: Option<&str>) -> Inspected {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let mime = infer::get(bytes)
        .map(|t| t.mime_type().to_owned())
        .or_else(|| {
            declared
                .map(|d| {
                    d.split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase()
                })
                .filter(|d| d.contains('/') && !d.starts_with("image/"))
        })
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let kind = match mime.split('/').next() {
        Some("image") => AttachmentKind::Image,
        Some("audio") => AttachmentKind::Audio,
        Some("video") => AttachmentKind::Video,
        _ => AttachmentKind::File,
    };
    let mut out = Inspected {
        sha256,
        mime,
        kind,
        size: bytes.len() as u64,
        width: None,
        height: None,
        preview: None,
    };
    if kind == AttachmentKind::Image {
        if let Some((w, h, preview)) = picture(bytes) {
            out.width = Some(w);
            out.height = Some(h);
            out.preview = preview;
        }
    }
    out
}

/// Dimensions, and a JPEG thumbnail when the image decodes within the limits.
fn picture(bytes: &[u8]) -> Option<(u32, u32, Option<bytes::Bytes>)> {
    let reader = || {
        let mut r = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .ok()?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(16_384);
        limits.max_image_height = Some(16_384);
        limits.max_alloc = Some(256 * 1024 * 1024);
        r.limits(limits);
        Some(r)
    };
    let (w, h) = reader()?.into_dimensions().ok()?;
    let preview = reader()?.decode().ok().and_then(|img| {
        let thumb = image::DynamicImage::from(img.thumbnail(PREVIEW_SIDE, PREVIEW_SIDE).to_rgb8());
        let mut out = Cursor::new(Vec::new());
        thumb
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .ok()
            .map(|_| bytes::Bytes::from(out.into_inner()))
    });
    Some((w, h, preview))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn an_image_is_sniffed_measured_and_previewed() {
        let i = inspect(&png(640, 320), Some("application/octet-stream"));
        assert_eq!(i.mime, "image/png");
        assert_eq!(i.kind, AttachmentKind::Image);
        assert_eq!((i.width, i.height), (Some(640), Some(320)));
        let preview = image::load_from_memory(&i.preview.unwrap()).unwrap();
        assert_eq!((preview.width(), preview.height()), (256, 128));
    }

    #[test]
    fn the_bytes_win_over_the_declared_type() {
        let i = inspect(b"%PDF-1.7 hello", Some("image/png"));
        assert_eq!(i.mime, "application/pdf");
        assert_eq!(i.kind, AttachmentKind::File);
        // Nothing to sniff: the declared type stands, unless it claims to be an image.
        assert_eq!(inspect(b"a,b\n1,2\n", Some("text/csv")).mime, "text/csv");
        let fake = inspect(b"plain text", Some("image/png"));
        assert_eq!(
            (fake.mime.as_str(), fake.kind),
            ("application/octet-stream", AttachmentKind::File)
        );
    }

    #[test]
    fn a_damaged_image_keeps_its_kind_without_a_size() {
        let mut bytes = png(4, 4);
        bytes.truncate(40);
        let i = inspect(&bytes, None);
        assert_eq!(i.kind, AttachmentKind::Image);
        assert_eq!(
            (i.width, i.height, i.preview.is_some()),
            (None, None, false)
        );
    }
}
