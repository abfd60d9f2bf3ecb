//! The file store (R7): uploaded bytes kept content-addressed through `object_store`, in a local
//! directory under the data dir by default or in an S3-compatible bucket by configuration.
//! An upload is sniffed for its MIME type (the bytes decide, not the client's header), and an
//! image gets its width and height and a JPEG preview thumbnail stored beside it.

mod inspect;
pub mod spool;

pub use inspect::{
    inspect, Decoding, Inspected, DEFAULT_IMAGE_DECODES, DEFAULT_IMAGE_DECODE_BYTES,
};
pub use spool::{spool, SpoolError, Spooled};

use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use std::sync::Arc;

/// The largest upload any channel carries (WhatsApp's 100 MB files, R7); per-channel limits are
/// checked when a file is attached to a message.
pub const MAX_UPLOAD: usize = 100 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
#[error("file store: {0}")]
pub struct BlobError(String);

impl From<object_store::Error> for BlobError {
    fn from(e: object_store::Error) -> Self {
        BlobError(e.to_string())
    }
}

#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
    /// Where uploads are spooled before they are stored (always local).
    pub spool_dir: std::path::PathBuf,
}

/// Bytes per part when a spooled file is streamed into the store.
const PART: usize = 8 * 1024 * 1024;

fn blob_path(sha256: &str) -> Path {
    Path::from(format!("blobs/{}/{sha256}", &sha256[..2]))
}

fn preview_path(sha256: &str) -> Path {
    Path::from(format!("previews/{}/{sha256}.jpg", &sha256[..2]))
}

impl Blobs {
    /// `location`: `None` for `<data_dir>/files`, or an `s3://bucket/prefix` URL (credentials and
    /// endpoint from the usual `AWS_*` variables, so any S3-compatible service works).
    pub fn open(data_dir: &std::path::Path, location: Option<&str>) -> Result<Blobs, BlobError> {
        let store: Arc<dyn ObjectStore> = match location {
            None => {
                let dir = data_dir.join("files");
                std::fs::create_dir_all(&dir).map_err(|e| BlobError(e.to_string()))?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)
            }
            Some(url) if url.starts_with("s3://") => Arc::new(
                object_store::aws::AmazonS3Builder::from_env()
                    .with_url(url)
                    .build()?,
            ),
            Some(other) => {
                let dir = std::path::PathBuf::from(other);
                std::fs::create_dir_all(&dir).map_err(|e| BlobError(e.to_string()))?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)
            }
        };
        Ok(Blobs {
            store,
            spool_dir: data_dir.join("tmp"),
        })
    }

    /// Store a spooled upload (and its preview) under its digest, streaming it part by part;
    /// storing the same bytes again is free.
    pub async fn put(&self, file: &Spooled, inspected: &Inspected) -> Result<(), BlobError> {
        use tokio::io::AsyncReadExt;
        let path = blob_path(&file.sha256);
        if self.store.head(&path).await.is_err() {
            let upload = self.store.put_multipart(&path).await?;
            let mut writer = object_store::WriteMultipart::new_with_chunk_size(upload, PART);
            let mut src = tokio::fs::File::open(&file.path)
                .await
                .map_err(|e| BlobError(e.to_string()))?;
            let mut buf = vec![0u8; 256 * 1024];
            loop {
                let n = src
                    .read(&mut buf)
                    .await
                    .map_err(|e| BlobError(e.to_string()))?;
                if n == 0 {
                    break;
                }
                writer.wait_for_capacity(2).await?;
                writer.write(&buf[..n]);
            }
            writer.finish().await?;
        }
        if let Some(preview) = &inspected.preview {
            self.store
                .put(&preview_path(&file.sha256), preview.clone().into())
                .await?;
        }
        Ok(())
    }

    pub async fn get(&self, sha256: &str) -> Result<Bytes, BlobError> {
        Ok(self.store.get(&blob_path(sha256)).await?.bytes().await?)
    }

    /// R35: the bytes and their preview are gone (missing ones are no error).
    pub async fn delete(&self, sha256: &str) -> Result<(), BlobError> {
        for path in [blob_path(sha256), preview_path(sha256)] {
            match self.store.delete(&path).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    pub async fn preview(&self, sha256: &str) -> Result<Bytes, BlobError> {
        Ok(self.store.get(&preview_path(sha256)).await?.bytes().await?)
    }
}
