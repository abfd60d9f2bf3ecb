//! Quick replies (`quickreply-<uuid>`, R10): shared or personal, counted by use.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum QuickReplyEvent {
    QuickReplyCreated {
        quick_reply_id: QuickReplyId,
        /// `None`: shared with everyone; otherwise personal to this user.
        owner: Option<UserId>,
        name: String,
        text: String,
        /// R10 "lightning": created from this message.
        from_message_id: Option<MessageId>,
    },
    QuickReplyUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    QuickReplyUsed {},
    QuickReplyDeleted {},
}

impl DomainEvent for QuickReplyEvent {
    const CATEGORY: &'static str = "quickreply";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickReply {
    pub id: Option<QuickReplyId>,
    pub owner: Option<UserId>,
    pub name: String,
    pub text: String,
    pub uses: u64,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuickReplyCommand {
    Create {
        quick_reply_id: QuickReplyId,
        shared: bool,
        name: String,
        text: String,
        from_message_id: Option<MessageId>,
    },
    Update {
        name: Option<String>,
        text: Option<String>,
    },
    Use,
    Delete,
}

fn check_reply_text(text: &str) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::EmptyMessage);
    }
    let max = crate::channel::MAX_TEXT_CHARS;
    if text.chars().count() > max {
        return Err(DomainError::TextTooLong { max });
    }
    Ok(())
}

/// Shared replies need `quick_replies.manage_shared`; personal ones belong to their owner.
fn require_reply_owner(state: &QuickReply, by: &Principal) -> Result<(), DomainError> {
    match state.owner {
        None => require_right(by, Right::QuickRepliesManageShared),
        Some(owner) if by.user_id() == Some(owner) => Ok(()),
        Some(_) => Err(DomainError::NotFound),
    }
}

pub fn decide_quick_reply(
    state: &QuickReply,
    cmd: &Command<QuickReplyCommand>,
) -> Result<Vec<QuickReplyEvent>, DomainError> {
    require_staff(&cmd.by)?;
    if let QuickReplyCommand::Create {
        quick_reply_id,
        shared,
        name,
        text,
        from_message_id,
    } = &cmd.body
    {
        if state.id.is_some() {
            return Err(DomainError::AlreadyExists);
        }
        let owner = if *shared {
            require_right(&cmd.by, Right::QuickRepliesManageShared)?;
            None
        } else {
            Some(cmd.by.user_id().ok_or(DomainError::Forbidden)?)
        };
        check_name("name", name, 100)?;
        check_reply_text(text)?;
        return Ok(vec![QuickReplyEvent::QuickReplyCreated {
            quick_reply_id: *quick_reply_id,
            owner,
            name: name.clone(),
            text: text.clone(),
            from_message_id: *from_message_id,
        }]);
    }
    if state.id.is_none() || state.deleted {
        return Err(DomainError::NotFound);
    }
    match &cmd.body {
        QuickReplyCommand::Create { .. } => unreachable!("handled above"),
        QuickReplyCommand::Use => match state.owner {
            Some(owner) if cmd.by.user_id() != Some(owner) => Err(DomainError::NotFound),
            _ => Ok(vec![QuickReplyEvent::QuickReplyUsed {}]),
        },
        QuickReplyCommand::Update { name, text } => {
            require_reply_owner(state, &cmd.by)?;
            if let Some(n) = name {
                check_name("name", n, 100)?;
            }
            if let Some(t) = text {
                check_reply_text(t)?;
            }
            Ok(vec![QuickReplyEvent::QuickReplyUpdated {
                name: name.clone(),
                text: text.clone(),
            }])
        }
        QuickReplyCommand::Delete => {
            require_reply_owner(state, &cmd.by)?;
            Ok(vec![QuickReplyEvent::QuickReplyDeleted {}])
        }
    }
}

pub fn evolve_quick_reply(
    mut state: QuickReply,
    recorded: &Recorded<QuickReplyEvent>,
) -> QuickReply {
    match &recorded.event {
        QuickReplyEvent::QuickReplyCreated {
            quick_reply_id,
            owner,
            name,
            text,
            ..
        } => {
            state = QuickReply {
                id: Some(*quick_reply_id),
                owner: *owner,
                name: name.clone(),
                text: text.clone(),
                uses: 0,
                deleted: false,
            }
        }
        QuickReplyEvent::QuickReplyUpdated { name, text } => {
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if let Some(t) = text {
                state.text.clone_from(t);
            }
        }
        QuickReplyEvent::QuickReplyUsed {} => state.uses += 1,
        QuickReplyEvent::QuickReplyDeleted {} => state.deleted = true,
    }
    state
}

crate::aggregate::aggregate!(
    QuickReply,
    QuickReplyEvent,
    QuickReplyCommand,
    decide_quick_reply,
    evolve_quick_reply
);
