//! Reading and writing the read models' snapshot file (`readmodels.snapshot.json` in the data
//! directory). Written atomically: a temporary file, fsynced, then renamed over the old one.

use chatd_projections::model::snapshot::Snapshot;
use chatd_projections::ReadModel;
use chatd_store::Position;
use std::io::Write;
use std::path::Path;

/// The restored read models, or `None` (said in the log) when the snapshot is missing, damaged,
/// of another format, or ahead of the log (a store restored from an older backup).
pub async fn load(path: &Path, head: Option<Position>) -> Option<ReadModel> {
    let path = path.to_owned();
    let read = tokio::task::spawn_blocking(move || std::fs::read(&path).map(|b| (b, path)))
        .await
        .ok()?;
    let (bytes, path) = match read {
        Ok(found) => found,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the read-model snapshot; rebuilding from the log");
            return None;
        }
    };
    let restored = tokio::task::spawn_blocking(move || {
        serde_json::from_slice::<Snapshot>(&bytes)
            .ok()
            .and_then(ReadModel::restore)
    })
    .await
    .ok()
    .flatten();
    match restored {
        Some(m) if m.position <= head => {
            tracing::info!(position = ?m.position, "read models restored from {}", path.display());
            Some(m)
        }
        Some(_) => {
            tracing::warn!("the read-model snapshot is ahead of the log; rebuilding from the log");
            None
        }
        None => {
            tracing::warn!(
                "the read-model snapshot is damaged or of another format; rebuilding from the log"
            );
            None
        }
    }
}

pub fn save(path: &Path, snapshot: &Snapshot) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        serde_json::to_writer(&mut f, snapshot)?;
        f.flush()?;
        f.get_ref().sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
