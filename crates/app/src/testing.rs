//! What the crate's own tests share: an app on an embedded store, and a customer's message.

use crate::{App, Listener};
use chatd_domain::channel::{ChannelProfile, ChannelType};
use chatd_domain::dialog::{DialogCommand, Inbound};
use chatd_domain::{ChannelId, Command, Principal};
use chatd_store::{SqliteConfig, SqliteStore};
use std::sync::Arc;
use uuid::Uuid;

/// A store in a file of `dir`.
pub fn store_in(dir: &tempfile::TempDir) -> Arc<SqliteStore> {
    SqliteStore::open(SqliteConfig::new(dir.path().join("e.db"))).unwrap()
}

/// An app on `store`, caught up, telling `listeners`: no snapshot, nobody online, personal
/// data in clear.
pub async fn app_on(store: &Arc<SqliteStore>, listeners: Vec<Arc<dyn Listener>>) -> Arc<App> {
    App::start(
        store.clone(),
        None,
        listeners,
        Arc::new(crate::Nobody),
        crate::privacy::Keys::off(),
    )
    .await
    .unwrap()
}

/// `body` by `by`, now.
pub fn cmd(by: Principal, body: DialogCommand) -> Command<DialogCommand> {
    Command {
        by,
        at: time::OffsetDateTime::now_utc(),
        body,
    }
}

/// A customer writes `ext` (its external id and its text) through `channel` into dialog
/// `dialog_id`; the message's id follows from both, as a retry's would.
pub fn receive(channel: ChannelId, dialog_id: Uuid, ext: &str) -> DialogCommand {
    DialogCommand::Receive(Box::new(Inbound {
        dialog_id: dialog_id.into(),
        channel_id: channel,
        external_chat_id: "c".into(),
        customer_id: None,
        message_id: Uuid::new_v5(&dialog_id, ext.as_bytes()).into(),
        external_id: ext.into(),
        text: ext.into(),
        attachments: vec![],
        quote_external_id: None,
        sent_at: None,
        customer_blocked: false,
        channel: ChannelProfile::default_for(ChannelType::Custom),
        erased_customers: vec![],
        away: None,
    }))
}
