//! Use cases: one function per thing a caller wants done, whoever the caller is (a manager over
//! REST, a bot over the Bot API, an integration over the transport API). Each looks up what the
//! decision needs, runs the command through `App::execute`, and answers in application terms;
//! the edge parses, authorises and presents.

pub mod changes;
pub mod dialogs;
pub mod inbound;
pub mod notes;
pub mod privacy;
pub mod sessions;
pub mod statuses;
pub mod timing;
pub mod typing;
pub mod users;

use chatd_domain::{Attachment, FileId, Principal};
use chatd_projections::ReadModel;
use uuid::Uuid;

/// The attachments a message names: files `by` may read (R32: its own unattached uploads, or
/// files in dialogs it sees, which is how an attachment is re-sent). Anything else is unknown.
pub fn attachments(
    m: &ReadModel,
    by: &Principal,
    ids: &[Uuid],
) -> Result<Vec<Attachment>, crate::AppError> {
    ids.iter()
        .map(|id| {
            m.readable_file(by, FileId::from(*id))
                .map(|f| f.meta.attachment())
                .ok_or(crate::AppError::UnknownFile(*id))
        })
        .collect()
}
