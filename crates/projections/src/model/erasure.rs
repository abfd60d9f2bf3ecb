//! R35: what erasing a customer does to the read models. Applied when `customer_erased` is,
//! live and in a replay alike; a replay decodes the erased customer's sealed strings as
//! [`ERASED`] from the start, and this leaves the live models in that same state (an empty
//! string stays empty, as sealing leaves it), so both end equal.

use super::outbox::{event_id, Notice, NoticeKind};
use chatd_domain::event::ERASED;
use chatd_domain::{CustomerId, DialogId, EventMeta, FileId, MessageId};
use chatd_store::Position;
use std::collections::HashSet;
use uuid::Uuid;

/// A personal string once its key is gone.
pub fn wipe(s: &mut String) {
    if !s.is_empty() && s != ERASED {
        *s = ERASED.to_owned();
    }
}

impl super::ReadModel {
    /// The customer's dialogs: those they opened, whose texts their key seals (a dialog of an
    /// older store without an opener: the one pinned to them).
    pub fn dialogs_of(&self, customer: CustomerId) -> Vec<DialogId> {
        let mut out: Vec<DialogId> = self
            .dialogs
            .rows
            .values()
            .filter(|r| r.opener.or(r.customer_id) == Some(customer))
            .map(|r| r.id)
            .collect();
        out.sort_unstable();
        out
    }

    /// The files that go with the customer: sent or received only in their dialogs, or
    /// carried by their refused messages (never a file also sent in someone else's dialog).
    pub fn files_of(&self, customer: CustomerId) -> Vec<FileId> {
        let theirs: HashSet<DialogId> = self.dialogs_of(customer).into_iter().collect();
        let mut out: Vec<FileId> = self
            .files
            .by_id
            .values()
            .filter(|f| !f.dialogs.is_empty() && f.dialogs.iter().all(|d| theirs.contains(d)))
            .map(|f| f.meta.file_id)
            .collect();
        if let Some(c) = self.customers.get(&customer) {
            for f in &c.refused_files {
                let elsewhere = self
                    .files
                    .by_id
                    .get(f)
                    .is_some_and(|v| v.dialogs.iter().any(|d| !theirs.contains(d)));
                if !elsewhere && !out.contains(f) {
                    out.push(*f);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// `customer_erased`: every personal string of the customer leaves the models; their
    /// undelivered webhooks are dropped and each dialog in a channel with a webhook gets one
    /// `customer_erased` notice instead (named by the erasure's place in the log).
    pub(crate) fn erase_customer(
        &mut self,
        customer: CustomerId,
        position: Position,
        meta: &EventMeta,
    ) {
        let files = self.files_of(customer);
        let dialogs = self.dialogs_of(customer);
        for f in files {
            if let Some(v) = self.files.by_id.get_mut(&f) {
                wipe(&mut v.meta.name);
                v.erased = true;
            }
        }
        for d in &dialogs {
            self.dialogs.erase_row(*d);
            self.mentions.erase_dialog(*d);
            // R37: nothing more is sent to an erased customer.
            self.timers.forget_dialog(*d);
        }
        let dialogs: HashSet<DialogId> = dialogs.into_iter().collect();
        self.outbox
            .pending
            .retain(|_, p| !dialogs.contains(&p.dialog_id));
        self.outbox
            .notices
            .retain(|_, n| !dialogs.contains(&n.dialog_id));
        for d in &dialogs {
            let Some(row) = self.dialogs.get(d) else {
                continue;
            };
            let hooked = self
                .catalog
                .channels
                .get(&row.channel_id)
                .is_some_and(|c| c.webhook_url.is_some());
            if row.deleted || !hooked {
                continue;
            }
            let notice = Notice {
                event_id: event_id(*d, position),
                message_id: MessageId::from(Uuid::nil()),
                dialog_id: *d,
                channel_id: row.channel_id,
                external_chat_id: row.external_chat_id.clone(),
                position,
                by: meta.actor,
                kind: NoticeKind::CustomerErased,
                at: meta.at,
            };
            self.outbox.notices.insert(notice.event_id, notice);
        }
        self.customers.erase(customer);
    }
}
