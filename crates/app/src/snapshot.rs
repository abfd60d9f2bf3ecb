//! Reading and writing the read models' snapshot file (`readmodels.snapshot` in the data
//! directory; its format is `chatd_projections::model::snapshot::binary`). Written atomically:
//! a temporary file, fsynced, then renamed over the old one. The JSON snapshot of earlier builds
//! (`readmodels.snapshot.json`) is read when no binary one is there, and removed once a binary
//! one is written.

use chatd_projections::model::snapshot::{binary, Snapshot};
use chatd_projections::ReadModel;
use chatd_store::Position;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// Where earlier builds kept the snapshot, as JSON.
pub fn legacy_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".json");
    path.with_file_name(name)
}

/// A snapshot read back.
pub struct Restored {
    pub model: ReadModel,
    /// It came from an earlier build's JSON file, which should be replaced now.
    pub legacy: bool,
}

/// The restored read models, or `None` (said in the log) when the snapshot is missing, damaged,
/// of another format, or ahead of the log (a store restored from an older backup).
pub async fn load(path: &Path, head: Option<Position>) -> Option<Restored> {
    let path = path.to_owned();
    let restored = tokio::task::spawn_blocking(move || read(&path))
        .await
        .ok()
        .flatten()?;
    if restored.model.position > head {
        tracing::warn!("the read-model snapshot is ahead of the log; rebuilding from the log");
        return None;
    }
    Some(restored)
}

fn read(path: &Path) -> Option<Restored> {
    let started = std::time::Instant::now();
    match binary::decode_file(path) {
        Ok(decoded) => match decoded {
            Ok(model) => {
                tracing::info!(
                    position = ?model.position,
                    bytes = std::fs::metadata(path).map_or(0, |m| m.len()),
                    ms = started.elapsed().as_millis() as u64,
                    "read models restored from {}",
                    path.display()
                );
                Some(Restored {
                    model,
                    legacy: false,
                })
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot restore the read-model snapshot; rebuilding from the log");
                None
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => read_legacy(&legacy_path(path)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the read-model snapshot; rebuilding from the log");
            None
        }
    }
}

fn read_legacy(path: &Path) -> Option<Restored> {
    let bytes = std::fs::read(path).ok()?;
    let model = serde_json::from_slice::<Snapshot>(&bytes)
        .ok()
        .and_then(ReadModel::restore);
    if model.is_none() {
        tracing::warn!(
            "the JSON read-model snapshot is damaged or of another format; rebuilding from the log"
        );
    }
    let model = model?;
    tracing::info!(position = ?model.position, "read models restored from an earlier build's {}", path.display());
    Some(Restored {
        model,
        legacy: true,
    })
}

/// Encode the read models under a read lock (no copy of them is made), then write the file
/// with the lock let go. Blocking: run it off the async workers.
pub fn save(path: &Path, model: &RwLock<ReadModel>) -> std::io::Result<()> {
    let raw = binary::encode(&model.read().expect("read model lock"));
    let encoded = raw.compress();
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        encoded.write_to(&mut f)?;
        let f = f.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    // An earlier build's JSON snapshot may hold what was erased since: it goes.
    match std::fs::remove_file(legacy_path(path)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
