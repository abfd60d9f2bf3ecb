//! R35: erasing a customer (GDPR Art. 17) and exporting what chatd holds about them (Art. 15).
//!
//! Erasure appends `customer_erased` (the read models of every node then wipe the customer's
//! strings and forget the keys, see `follower`; `follow_erasures` drops the node's cached
//! aggregates and rewrites its snapshot), destroys the keys of the customer and of the files
//! that go with them in the key store, and names the file bytes no other file uses, for the
//! edge to delete from the file store. It is idempotent: erasing again appends nothing and
//! finishes whatever an interrupted erasure left.

use crate::follower::Erased;
use crate::{App, AppError, MIN_POSITION_WAIT};
use chatd_domain::customer::{may_erase, Customer, CustomerCommand};
use chatd_domain::dialog::Dialog;
use chatd_domain::file::File;
use chatd_domain::{CustomerId, DialogId, DomainError, Principal};
use chatd_projections::codec::subject_of;
use chatd_projections::model::customers::CustomerView;
use chatd_projections::model::dialogs::DialogRow;
use chatd_projections::model::files::FileView;
use chatd_store::{Direction, Position};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::mpsc;

/// What an erasure did.
pub struct Erasure {
    /// `false`: the customer was erased before; nothing new was appended.
    pub changed: bool,
    pub position: Option<Position>,
    /// SHA-256 addresses of file bytes that went with the customer and that no other file
    /// uses: the edge deletes them (and their previews) from the file store.
    pub blobs: Vec<String>,
}

/// R35: erase `customer`'s personal data. Admins only; a customer the caller cannot reach is
/// 404 (R32). A customer registered before chatd sealed personal data is refused
/// (`erasure_unsealed`, see DECISIONS): destroying a key would not reach their data.
pub async fn erase(
    app: &App,
    by: Principal,
    customer: CustomerId,
    reason: &str,
) -> Result<Erasure, AppError> {
    if app.model().visible_customer(&by, &customer).is_none() {
        return Err(DomainError::NotFound.into());
    }
    may_erase(&by)?;
    let state = app.current::<Customer>(customer).await?;
    if !state.erased && !registration_sealed(app, customer).await? {
        return Err(DomainError::ErasureUnsealed.into());
    }
    let cmd = app.command(
        by,
        CustomerCommand::Erase {
            reason: reason.to_owned(),
        },
    );
    let out = app.execute::<Customer>(customer, &cmd).await?;
    // The read models apply the erasure (and forget the keys) before the rest is decided.
    app.wait_for(out.position, MIN_POSITION_WAIT).await?;
    let (files, blobs) = {
        let m = app.model();
        let files = m.files_of(customer);
        let gone: HashSet<_> = files.iter().collect();
        let kept: HashSet<&str> = m
            .files
            .by_id
            .values()
            .filter(|f| !gone.contains(&f.meta.file_id))
            .map(|f| f.meta.sha256.as_str())
            .collect();
        let mut blobs: Vec<String> = files
            .iter()
            .filter_map(|f| m.files.by_id.get(f))
            .map(|f| f.meta.sha256.clone())
            .filter(|sha| !kept.contains(sha.as_str()))
            .collect();
        blobs.sort_unstable();
        blobs.dedup();
        (files, blobs)
    };
    // Destroyed before the answer, so the erasure is durable when the admin hears of it. The
    // node's caches and snapshot follow in `follow_erasures`, as on every other node.
    for s in std::iter::once(customer.0).chain(files.iter().map(|f| f.0)) {
        app.keys.destroy(app.store.as_ref(), s).await?;
    }
    Ok(Erasure {
        changed: !out.events.is_empty(),
        position: out.position,
        blobs,
    })
}

/// Whether the customer's registration was written sealed (by a chatd with R35).
async fn registration_sealed(app: &App, customer: CustomerId) -> Result<bool, AppError> {
    let first = app
        .store
        .read_stream(
            &<Customer as chatd_domain::Aggregate>::stream(customer),
            0,
            Direction::Forwards,
            1,
        )
        .await?;
    Ok(first.first().is_some_and(|e| subject_of(e).is_some()))
}

fn forget_streams(
    app: &App,
    customer: CustomerId,
    dialogs: &[DialogId],
    files: &[chatd_domain::FileId],
) {
    app.forget::<Customer>(customer);
    for d in dialogs {
        app.forget::<Dialog>(d);
    }
    for f in files {
        app.forget::<File>(f);
    }
}

/// Every node: what the follower saw erased leaves this node's caches, the store's copies of
/// keys still live here are destroyed, and the snapshot is written again, so that no file of
/// this node keeps the customer's data in clear.
pub(crate) fn follow_erasures(app: &Arc<App>, mut erased: mpsc::UnboundedReceiver<Erased>) {
    let weak = Arc::downgrade(app);
    let mut stopping = app.stopping();
    app.spawn(async move {
        loop {
            let first = tokio::select! {
                e = erased.recv() => e,
                _ = stopping.wait_for(|s| *s) => return,
            };
            let Some(first) = first else { return };
            let Some(app) = weak.upgrade() else { return };
            let mut batch = vec![first];
            while let Ok(more) = erased.try_recv() {
                batch.push(more);
            }
            for e in &batch {
                for s in &e.live {
                    if let Err(err) = app.keys.destroy(app.store.as_ref(), *s).await {
                        tracing::error!(error = %err, subject = %s, "could not destroy a data key");
                    }
                }
                forget_streams(&app, e.customer, &e.dialogs, &e.files);
            }
            if app.is_ready() {
                app.save_snapshot().await;
            }
        }
    });
}

/// What chatd holds about a customer (R35, Art. 15) in its read models: the card, their
/// dialogs, and the files sent or received in them or carried by their refused messages. The
/// edge adds each stream's history from the log.
pub struct Export {
    pub customer: CustomerView,
    pub dialogs: Vec<DialogRow>,
    pub files: Vec<FileView>,
}

/// R35: admins only; a customer the caller cannot reach is 404.
pub fn export(app: &App, by: &Principal, customer: CustomerId) -> Result<Export, AppError> {
    let m = app.model();
    let card = m
        .visible_customer(by, &customer)
        .cloned()
        .ok_or(DomainError::NotFound)?;
    may_erase(by)?;
    let dialogs: Vec<DialogRow> = m
        .dialogs_of(customer)
        .iter()
        .filter_map(|d| m.dialogs.get(d).cloned())
        .collect();
    let theirs: HashSet<DialogId> = dialogs.iter().map(|r| r.id).collect();
    let mut files: Vec<FileView> = m
        .files
        .by_id
        .values()
        .filter(|f| {
            f.dialogs.iter().any(|d| theirs.contains(d))
                || card.refused_files.contains(&f.meta.file_id)
        })
        .cloned()
        .collect();
    files.sort_by_key(|f| (f.uploaded_at, f.meta.file_id));
    Ok(Export {
        customer: card,
        dialogs,
        files,
    })
}
