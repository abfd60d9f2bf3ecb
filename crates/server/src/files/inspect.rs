//! What an upload is: its digest, its MIME type sniffed from the bytes, its attachment kind, and
//! for a decodable image its dimensions and a preview thumbnail.

use super::spool::Spooled;
use chatd_domain::channel::AttachmentKind;
use std::io::Cursor;
use std::path::Path;

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

/// Images decoded at once by default (R32: with the cap below, about 128 MiB at worst).
pub const DEFAULT_IMAGE_DECODES: usize = 2;
/// The most one decode may allocate by default: a 4096 × 4096 RGBA image, or a 48-megapixel
/// RGB photo. Larger images are stored and measured but get no preview.
pub const DEFAULT_IMAGE_DECODE_BYTES: u64 = 64 * 1024 * 1024;

/// The gate every image decode passes (R32): a bounded number at a time, each under a memory
/// cap, so the worst case is set by configuration and not by how many people upload at once.
pub struct Decoding {
    permits: tokio::sync::Semaphore,
    max_alloc: u64,
}

impl Decoding {
    pub fn new(at_once: usize, max_alloc: u64) -> Decoding {
        Decoding {
            permits: tokio::sync::Semaphore::new(at_once.max(1)),
            max_alloc,
        }
    }

    /// Inspect a spooled upload: sniffed at once, and, for an image, measured and previewed on
    /// a blocking thread once a decode permit is free.
    pub async fn inspect(
        &self,
        file: Spooled,
        declared: Option<&str>,
    ) -> Result<(Spooled, Inspected), tokio::task::JoinError> {
        let mut out = sniff(&file, declared);
        if out.kind != AttachmentKind::Image {
            return Ok((file, out));
        }
        let _permit = self.permits.acquire().await.expect("never closed");
        let max_alloc = self.max_alloc;
        let (file, picture) = tokio::task::spawn_blocking(move || {
            let p = picture(&file.path, max_alloc);
            (file, p)
        })
        .await?;
        if let Some((w, h, preview)) = picture {
            out.width = Some(w);
            out.height = Some(h);
            out.preview = preview;
        }
        Ok((file, out))
    }
}

/// Inspect a spooled upload under the default memory cap; `declared` is the client's
/// Content-Type, used only when the bytes say nothing. CPU-bound (decoding): call from a
/// blocking thread. The server goes through [`Decoding`], which also bounds decodes at once.
pub fn inspect(file: &Spooled, declared: Option<&str>) -> Inspected {
    let mut out = sniff(file, declared);
    if out.kind == AttachmentKind::Image {
        if let Some((w, h, preview)) = picture(&file.path, DEFAULT_IMAGE_DECODE_BYTES) {
            out.width = Some(w);
            out.height = Some(h);
            out.preview = preview;
        }
    }
    out
}

/// The MIME type from the bytes (or the declared type), and the attachment kind; no decoding.
fn sniff(file: &Spooled, declared: Option<&str>) -> Inspected {
    let mime = infer::get(&file.head)
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
    Inspected {
        sha256: file.sha256.clone(),
        mime,
        kind,
        size: file.size,
        width: None,
        height: None,
        preview: None,
    }
}

/// Dimensions, and a JPEG thumbnail when the image decodes within `max_alloc` bytes (the
/// dimensions come from the header alone, without decoding).
fn picture(path: &Path, max_alloc: u64) -> Option<(u32, u32, Option<bytes::Bytes>)> {
    let reader = || {
        let mut r = image::ImageReader::open(path)
            .ok()?
            .with_guessed_format()
            .ok()?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(16_384);
        limits.max_image_height = Some(16_384);
        limits.max_alloc = Some(max_alloc);
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

    fn spooled(bytes: &[u8]) -> Spooled {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dir = std::env::temp_dir().join("chatd-inspect-tests");
        let chunks = futures_util::stream::iter(
            bytes
                .chunks(4096)
                .map(|c| Ok::<_, std::io::Error>(bytes::Bytes::copy_from_slice(c)))
                .collect::<Vec<_>>(),
        );
        rt.block_on(super::super::spool::spool(&dir, chunks, u64::MAX))
            .unwrap()
    }

    fn inspect_bytes(bytes: &[u8], declared: Option<&str>) -> Inspected {
        inspect(&spooled(bytes), declared)
    }

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn an_image_is_sniffed_measured_and_previewed() {
        let i = inspect_bytes(&png(640, 320), Some("application/octet-stream"));
        assert_eq!(i.mime, "image/png");
        assert_eq!(i.kind, AttachmentKind::Image);
        assert_eq!((i.width, i.height), (Some(640), Some(320)));
        let preview = image::load_from_memory(&i.preview.unwrap()).unwrap();
        assert_eq!((preview.width(), preview.height()), (256, 128));
    }

    #[test]
    fn the_bytes_win_over_the_declared_type() {
        let i = inspect_bytes(b"%PDF-1.7 hello", Some("image/png"));
        assert_eq!(i.mime, "application/pdf");
        assert_eq!(i.kind, AttachmentKind::File);
        // Nothing to sniff: the declared type stands, unless it claims to be an image.
        assert_eq!(
            inspect_bytes(b"a,b\n1,2\n", Some("text/csv")).mime,
            "text/csv"
        );
        let fake = inspect_bytes(b"plain text", Some("image/png"));
        assert_eq!(
            (fake.mime.as_str(), fake.kind),
            ("application/octet-stream", AttachmentKind::File)
        );
    }

    #[test]
    fn a_damaged_image_keeps_its_kind_without_a_size() {
        let mut bytes = png(4, 4);
        bytes.truncate(40);
        let i = inspect_bytes(&bytes, None);
        assert_eq!(i.kind, AttachmentKind::Image);
        assert_eq!(
            (i.width, i.height, i.preview.is_some()),
            (None, None, false)
        );
    }
}
