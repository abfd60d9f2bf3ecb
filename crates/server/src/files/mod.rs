//! The file store (R7): uploaded bytes kept content-addressed through `object_store`, in a local
//! directory under the data dir by default or in an S3-compatible bucket by configuration.
//! An upload is sniffed for its MIME type (the bytes decide, not the client's header), and an
//! image gets its width and height and a JPEG preview thumbnail stored beside it.

mod inspect;

pub use inspect::{inspect, Inspected};

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
}

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
        Ok(Blobs { store })
    }

    /// Store bytes (and their preview) under their digest; storing the same bytes again is free.
    pub async fn put(&self, file: &Inspected, bytes: Bytes) -> Result<(), BlobError> {
        let path = blob_path(&file.sha256);
        if self.store.head(&path).await.is_err() {
            self.store.put(&path, bytes.into()).await?;
        }
        if let Some(preview) = &file.preview {
            self.store
                .put(&preview_path(&file.sha256), preview.clone().into())
                .await?;
        }
        Ok(())
    }

    pub async fn get(&self, sha256: &str) -> Result<Bytes, BlobError> {
        Ok(self.store.get(&blob_path(sha256)).await?.bytes().await?)
    }

    pub async fn preview(&self, sha256: &str) -> Result<Bytes, BlobError> {
        Ok(self.store.get(&preview_path(sha256)).await?.bytes().await?)
    }
}
