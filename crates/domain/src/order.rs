//! Orders (`order-<uuid>`) created from dialogs by the distribution bot (R18), carrying the
//! customer's source (R1).

use crate::actor::Principal;
use crate::customer::Source;
use crate::error::DomainError;
use crate::event::{Command, DomainEvent, Recorded};
use crate::ids::{CustomerId, DialogId, OrderId, UserId};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    New,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum OrderEvent {
    OrderCreated {
        order_id: OrderId,
        dialog_id: DialogId,
        customer_id: Option<CustomerId>,
        manager_id: Option<UserId>,
        status: OrderStatus,
        source: Option<Source>,
    },
}

impl DomainEvent for OrderEvent {
    const CATEGORY: &'static str = "order";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Order {
    pub id: Option<OrderId>,
    pub dialog_id: Option<DialogId>,
    pub customer_id: Option<CustomerId>,
    pub manager_id: Option<UserId>,
    pub status: Option<OrderStatus>,
    pub source: Option<Source>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderCommand {
    Create {
        order_id: OrderId,
        dialog_id: DialogId,
        customer_id: Option<CustomerId>,
        manager_id: Option<UserId>,
        source: Option<Source>,
    },
}

pub fn decide_order(
    state: &Order,
    cmd: &Command<OrderCommand>,
) -> Result<Vec<OrderEvent>, DomainError> {
    if !matches!(cmd.by, Principal::Bot { .. } | Principal::System) {
        return Err(DomainError::Forbidden);
    }
    let OrderCommand::Create {
        order_id,
        dialog_id,
        customer_id,
        manager_id,
        source,
    } = &cmd.body;
    if state.id.is_some() {
        return Ok(vec![]);
    }
    Ok(vec![OrderEvent::OrderCreated {
        order_id: *order_id,
        dialog_id: *dialog_id,
        customer_id: *customer_id,
        manager_id: *manager_id,
        status: OrderStatus::New,
        source: source.clone(),
    }])
}

pub fn evolve_order(mut state: Order, recorded: &Recorded<OrderEvent>) -> Order {
    let OrderEvent::OrderCreated {
        order_id,
        dialog_id,
        customer_id,
        manager_id,
        status,
        source,
    } = &recorded.event;
    state.id = Some(*order_id);
    state.dialog_id = Some(*dialog_id);
    state.customer_id = *customer_id;
    state.manager_id = *manager_id;
    state.status = Some(*status);
    state.source.clone_from(source);
    state
}

crate::aggregate::aggregate!(Order, OrderEvent, OrderCommand, decide_order, evolve_order);
