//! Customer tags (`tag-<uuid>`, R19).

use super::*;

/// R19: one of twelve colours.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagColor {
    Red,
    Orange,
    Yellow,
    Lime,
    Green,
    Teal,
    Cyan,
    Blue,
    Indigo,
    Purple,
    Pink,
    Grey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum TagEvent {
    TagCreated {
        tag_id: TagId,
        name: String,
        color: TagColor,
    },
    TagUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        color: Option<TagColor>,
    },
    /// The tag is gone from the catalogue and from every customer (R39: admins edit what they
    /// create); the events that tagged customers stay in the log.
    TagDeleted {},
}

impl DomainEvent for TagEvent {
    const CATEGORY: &'static str = "tag";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tag {
    pub id: Option<TagId>,
    pub name: String,
    pub color: Option<TagColor>,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagCommand {
    Create {
        tag_id: TagId,
        name: String,
        color: TagColor,
    },
    Update {
        name: Option<String>,
        color: Option<TagColor>,
    },
    /// Needs `settings.manage` (as renaming does); deleting a deleted tag changes nothing.
    Delete,
}

pub fn decide_tag(state: &Tag, cmd: &Command<TagCommand>) -> Result<Vec<TagEvent>, DomainError> {
    require_staff(&cmd.by)?;
    match &cmd.body {
        TagCommand::Create {
            tag_id,
            name,
            color,
        } => {
            if state.id.is_some() {
                return Err(DomainError::AlreadyExists);
            }
            check_name("name", name, 100)?;
            Ok(vec![TagEvent::TagCreated {
                tag_id: *tag_id,
                name: name.clone(),
                color: *color,
            }])
        }
        TagCommand::Delete => {
            require_right(&cmd.by, Right::SettingsManage)?;
            state.id.ok_or(DomainError::NotFound)?;
            Ok(if state.deleted {
                vec![]
            } else {
                vec![TagEvent::TagDeleted {}]
            })
        }
        TagCommand::Update { name, color } => {
            // Every user may create a tag; renaming the shop's catalogue is settings' work.
            require_right(&cmd.by, Right::SettingsManage)?;
            state
                .id
                .filter(|_| !state.deleted)
                .ok_or(DomainError::NotFound)?;
            if let Some(n) = name {
                check_name("name", n, 100)?;
            }
            Ok(vec![TagEvent::TagUpdated {
                name: name.clone(),
                color: *color,
            }])
        }
    }
}

pub fn evolve_tag(mut state: Tag, recorded: &Recorded<TagEvent>) -> Tag {
    match &recorded.event {
        TagEvent::TagCreated {
            tag_id,
            name,
            color,
        } => {
            state = Tag {
                id: Some(*tag_id),
                name: name.clone(),
                color: Some(*color),
                deleted: false,
            }
        }
        TagEvent::TagUpdated { name, color } => {
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if color.is_some() {
                state.color = *color;
            }
        }
        TagEvent::TagDeleted {} => state.deleted = true,
    }
    state
}

crate::aggregate::aggregate!(Tag, TagEvent, TagCommand, decide_tag, evolve_tag);
