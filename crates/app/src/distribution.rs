//! The distribution bot (R18), driven from the log: a dialog that has a customer message and no
//! responsible, in a channel one active bot has a rule for, goes to one of the rule's managers;
//! a manager who stops being available (work status no longer `free` under `require_free`, last
//! socket closed under `require_online`, or deactivated) has their waiting dialogs handed on (`all_unanswered`, or `only_new`: never
//! answered). Every action is an ordinary event with the bot as author: `reassigned`, and with
//! `create_order` an `order_created` carrying the manager and the customer's source (R1).
//!
//! Choosing: managers of the rule who are active, `free` when `require_free`, online when
//! `require_online`, and below `max_open_per_manager` open dialogs; `least_loaded` takes the one
//! with the fewest open dialogs (ties in the rule's order), `round_robin` the next after the
//! last one this node chose for that rule. No eligible manager: the dialog stays unassigned until
//! the next customer message or availability change brings it back.

use crate::{App, Work};
use chatd_domain::dialog::Dialog;
use chatd_domain::dialog::{DialogCommand, DialogStatus};
use chatd_domain::distribution::Candidate;
use chatd_domain::identity;
use chatd_domain::order::Order;
use chatd_domain::order::OrderCommand;
use chatd_domain::people::DistributionRule;
use chatd_domain::{Assignee, BotId, Command, DialogId, Principal, UserId};
use chatd_projections::model::dialogs::Bucket;
use chatd_projections::ReadModel;
use std::collections::HashMap;
use std::sync::Arc;

/// What to do for one dialog: who distributes it to whom, and the order to create.
struct Plan {
    bot: BotId,
    dialog: DialogId,
    from: Option<UserId>,
    to: UserId,
    order: Option<OrderCommand>,
}

pub fn start(app: &Arc<App>) {
    let Some(mut feed) = app.take_distribution_feed() else {
        return;
    };
    let mut stopping = app.stopping();
    let worker = app.clone();
    app.spawn(async move {
        let app = worker;
        let mut turns: HashMap<(BotId, usize), usize> = HashMap::new();
        // Dialogs waiting unassigned when this node starts are distributed first.
        let backlog: Vec<DialogId> = {
            let m = app.model();
            m.dialogs
                .buckets
                .get(&Bucket {
                    responsible: None,
                    status: DialogStatus::Open,
                })
                .map(|i| i.activity.iter().rev().map(|(_, _, id)| *id).collect())
                .unwrap_or_default()
        };
        for d in backlog {
            distribute(&app, d, None, &mut turns).await;
        }
        loop {
            let work = tokio::select! {
                w = feed.recv() => match w { Some(w) => w, None => return },
                _ = stopping.wait_for(|s| *s) => return,
            };
            match work {
                Work::Unassigned(d) => distribute(&app, d, None, &mut turns).await,
                Work::Unavailable(user) => {
                    let dialogs = handed_on(&app, &app.model(), user);
                    for d in dialogs {
                        distribute(&app, d, Some(user), &mut turns).await;
                    }
                }
            }
        }
    });
}

/// The dialogs `user` holds that their rules hand on while they are unavailable.
fn handed_on(app: &App, m: &ReadModel, user: UserId) -> Vec<DialogId> {
    let Some(index) = m.dialogs.buckets.get(&Bucket {
        responsible: Some(Assignee::User { id: user }),
        status: DialogStatus::Open,
    }) else {
        return Vec::new();
    };
    index
        .activity
        .iter()
        .filter_map(|(_, _, id)| m.dialogs.get(id))
        .filter(|row| row.waiting_since.is_some())
        .filter(|row| {
            rule_for(m, row.channel_id).is_some_and(|(_, _, r)| {
                r.manager_ids.contains(&user)
                    && !candidate(app, m, user).is_some_and(|c| r.takes(&c, true))
                    && r.hands_on(row.answered)
            })
        })
        .map(|row| row.id)
        .collect()
}

/// The first active bot with a rule for `channel`: the bot, the rule's index, the rule.
fn rule_for(
    m: &ReadModel,
    channel: chatd_domain::ChannelId,
) -> Option<(BotId, usize, &DistributionRule)> {
    let mut bots: Vec<_> = m.people.bots.values().filter(|b| b.active).collect();
    bots.sort_by_key(|b| b.id.0);
    bots.into_iter().find_map(|b| {
        b.distribution
            .iter()
            .enumerate()
            .find(|(_, r)| r.channel_id == channel)
            .map(|(i, r)| (b.id, i, r))
    })
}

fn open_count(m: &ReadModel, user: UserId) -> usize {
    m.dialogs
        .buckets
        .get(&Bucket {
            responsible: Some(Assignee::User { id: user }),
            status: DialogStatus::Open,
        })
        .map_or(0, |i| i.activity.len())
}

/// What the bot knows of `user` for R18's choice (`None`: no such user).
fn candidate(app: &App, m: &ReadModel, user: UserId) -> Option<Candidate> {
    let u = m.people.users.get(&user)?;
    Some(Candidate {
        active: u.active,
        role: u.role,
        work_status: u.work_status,
        online: app.is_online(user),
        open: open_count(m, user),
    })
}

fn plan(
    app: &App,
    dialog: DialogId,
    from: Option<UserId>,
    turns: &mut HashMap<(BotId, usize), usize>,
) -> Option<Plan> {
    let m = app.model();
    let row = m.dialogs.get(&dialog)?;
    if row.deleted || row.status != DialogStatus::Open || row.inbound_count == 0 {
        return None;
    }
    match (from, row.responsible) {
        (None, None) => {}
        (Some(u), Some(Assignee::User { id })) if u == id => {}
        _ => return None, // someone took it meanwhile
    }
    let (bot, index, rule) = rule_for(&m, row.channel_id)?;
    let last = turns.get(&(bot, index)).copied();
    let (turn, to) = rule.choose(|u| candidate(app, &m, u), from, last)?;
    turns.insert((bot, index), turn);
    // An order when the dialog is first given out, not when it is handed on.
    let order = (rule.create_order && from.is_none()).then(|| {
        let customer = row.customer_id.and_then(|c| m.customers.get(&c));
        OrderCommand::Create {
            order_id: identity::order_of(dialog),
            dialog_id: dialog,
            customer_id: row.customer_id,
            manager_id: Some(to),
            source: customer.map(|c| c.source.clone()),
        }
    });
    Some(Plan {
        bot,
        dialog,
        from,
        to,
        order,
    })
}

async fn distribute(
    app: &App,
    dialog: DialogId,
    from: Option<UserId>,
    turns: &mut HashMap<(BotId, usize), usize>,
) {
    let Some(p) = plan(app, dialog, from, turns) else {
        return;
    };
    let by = Principal::Bot { id: p.bot };
    let at = time::OffsetDateTime::now_utc();
    let cmd = Command {
        by,
        at,
        body: DialogCommand::Distribute {
            to: p.to,
            from: p.from,
            target_active: true,
        },
    };
    match app.execute::<Dialog>(p.dialog, &cmd).await {
        // Wait until the read models show it, so the next plan sees this one.
        Ok(out) if !out.events.is_empty() => {
            let _ = app.wait_for(out.position, crate::MIN_POSITION_WAIT).await;
        }
        Ok(_) => return,
        Err(e) => {
            tracing::warn!(error = %e, dialog = %p.dialog, "distribution failed");
            return;
        }
    }
    if let Some(order) = p.order {
        let order_id = match &order {
            OrderCommand::Create { order_id, .. } => *order_id,
        };
        let cmd = Command {
            by,
            at,
            body: order,
        };
        if let Err(e) = app.execute::<Order>(order_id.0, &cmd).await {
            tracing::warn!(error = %e, dialog = %p.dialog, "order creation failed");
        }
    }
}
