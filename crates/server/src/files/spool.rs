//! An upload streamed to a temporary file while it is hashed, so that memory stays bounded
//! whatever the size (up to the limit) and however many uploads run at once.

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Bytes kept in memory from the start of an upload, for sniffing its type.
pub const HEAD: usize = 16 * 1024;

/// An upload on disk; the file is removed when this is dropped.
#[derive(Debug)]
pub struct Spooled {
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// The first `HEAD` bytes.
    pub head: Vec<u8>,
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    #[error("the upload is larger than {0} bytes")]
    TooLarge(u64),
    #[error("reading the upload: {0}")]
    Body(String),
    #[error("spooling the upload: {0}")]
    Io(#[from] std::io::Error),
}

/// Write `body` to a new file in `dir`, hashing it; refuse it past `limit` bytes.
pub async fn spool<S, E>(dir: &Path, mut body: S, limit: u64) -> Result<Spooled, SpoolError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    tokio::fs::create_dir_all(dir).await?;
    let path = dir.join(format!("upload-{}", uuid::Uuid::new_v4()));
    let mut file = tokio::fs::File::create(&path).await?;
    // From here on, dropping `out` removes the file, on every error path too.
    let mut out = Spooled {
        path,
        sha256: String::new(),
        size: 0,
        head: Vec::new(),
    };
    let mut hasher = Sha256::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| SpoolError::Body(e.to_string()))?;
        out.size += chunk.len() as u64;
        if out.size > limit {
            return Err(SpoolError::TooLarge(limit));
        }
        if out.head.len() < HEAD {
            let take = (HEAD - out.head.len()).min(chunk.len());
            out.head.extend_from_slice(&chunk[..take]);
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    out.sha256 = hex::encode(hasher.finalize());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(n: usize, size: usize) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
        futures_util::stream::iter((0..n).map(move |i| Ok(Bytes::from(vec![i as u8; size]))))
    }

    #[tokio::test]
    async fn an_upload_is_hashed_kept_on_disk_and_removed_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let s = spool(dir.path(), chunks(5, 10_000), 1_000_000)
            .await
            .unwrap();
        assert_eq!(s.size, 50_000);
        assert_eq!(s.head.len(), HEAD);
        let bytes = std::fs::read(&s.path).unwrap();
        assert_eq!(s.sha256, hex::encode(Sha256::digest(&bytes)));
        let path = s.path.clone();
        drop(s);
        assert!(!path.exists());
    }

    #[tokio::test]
    async fn past_the_limit_it_is_refused_and_nothing_is_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let e = spool(dir.path(), chunks(5, 10_000), 25_000)
            .await
            .unwrap_err();
        assert!(matches!(e, SpoolError::TooLarge(25_000)), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
