//! The distribution bot (R18), driven from the log: a dialog that has a customer message and no
//! responsible, in a channel one active bot has a rule for, goes to one of the rule's managers;
//! a manager who stops being available (work status no longer `free` under `require_free`, last
//! socket closed under `require_online`, or deactivated) has their waiting dialogs handed on (`all_unanswered`, or `only_new`: never
//! answered). Every action is an ordinary event with the bot as author: `reassigned`, and with
//! `create_order` an `order_created` carrying the manager and the customer's source (R1).
//!
//! R34: the bot runs on the node holding its duty (`cluster::DISTRIBUTION`), so several nodes
//! give out each dialog once, with one order of turns (a new holder, or a restarted node, takes
//! them on from the log); its appends carry the duty's fence.
//!
//! Choosing: managers of the rule who are active, `free` when `require_free`, online when
//! `require_online`, and below `max_open_per_manager` open dialogs; `least_loaded` takes the one
//! with the fewest open dialogs (ties in the rule's order), `round_robin` the next after the
//! last one the bot gave a dialog of that channel to.
//!
//! R31, the queue: a dialog nobody could take stays unassigned, and so waits in its channel's
//! queue, which is derived from the read models (the open unassigned dialogs of a channel with
//! a rule, in processing order: R15 deadline first, else arrival) and never stored apart. When
//! capacity may have appeared (`Work::Capacity`, an availability change, start-up) the worker
//! walks the queue in order and gives out what it can, once per channel until nobody can take
//! more. Each hand-out is a `Distribute` guarded by the responsible the worker saw: a dialog
//! taken meanwhile (by hand, by another trigger, by another node) is left alone, so each queued
//! dialog is given out exactly once and its order created once.

use crate::cluster::Duty;
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
use chatd_store::cluster::Fence;
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

/// Run the bot while this node holds its duty (R34: one node gives out dialogs, with one
/// order of turns); every hand-out is appended with the duty's fence.
pub fn start(app: &Arc<App>, mut duty: Duty) {
    let Some(mut feed) = app.take_distribution_feed() else {
        return;
    };
    let mut stopping = app.stopping();
    let worker = app.clone();
    app.spawn(async move {
        let app = worker;
        let mut turns: HashMap<(BotId, usize), usize> = HashMap::new();
        loop {
            enum Next {
                Work(Work),
                Duty,
                Stop,
            }
            let next = tokio::select! {
                w = feed.recv() => w.map_or(Next::Stop, Next::Work),
                changed = duty.changed() => if changed.is_ok() { Next::Duty } else { Next::Stop },
                _ = stopping.wait_for(|s| *s) => Next::Stop,
            };
            let fence = duty.borrow().clone();
            match (next, fence) {
                (Next::Stop, _) => return,
                // Not this node's to do: the holder hears of the same work from the log.
                (_, None) => {}
                // Just taken (at start, or from a node that stopped): the queue as it is now is
                // given out first, the turns going on from the last hand-outs in the log.
                (Next::Duty, Some(fence)) => {
                    turns = turns_from_log(&app.model());
                    drain_queue(&app, &mut turns, &fence).await;
                }
                // A new dialog joins the queue in its place: older ones go first.
                (Next::Work(Work::Unassigned(_) | Work::Capacity), Some(fence)) => {
                    drain_queue(&app, &mut turns, &fence).await
                }
                (Next::Work(Work::Unavailable(user)), Some(fence)) => {
                    let dialogs = handed_on(&app, &app.model(), user);
                    for d in dialogs {
                        distribute(&app, d, Some(user), &mut turns, &fence).await;
                    }
                    // A work status that changed may have become `free`.
                    drain_queue(&app, &mut turns, &fence).await;
                }
            }
        }
    });
}

/// R18 across restarts and nodes (R34): each rule's turn is the place in it of the manager its
/// bot last gave a dialog of its channel to, as the log says.
fn turns_from_log(m: &ReadModel) -> HashMap<(BotId, usize), usize> {
    let mut turns = HashMap::new();
    for bot in m.people.bots.values() {
        for (index, rule) in bot.distribution.iter().enumerate() {
            let last = m.people.given.get(&(bot.id, rule.channel_id));
            if let Some(place) = last.and_then(|u| rule.manager_ids.iter().position(|m| m == u)) {
                turns.insert((bot.id, index), place);
            }
        }
    }
    turns
}

/// R31: the queue, every channel's together: open unassigned dialogs a customer wrote in, of
/// channels an active bot has a rule for, in processing order (R15 deadline first, else
/// arrival).
pub fn queue(m: &ReadModel) -> Vec<&chatd_projections::model::dialogs::DialogRow> {
    // The channels some active bot has a rule for: without any there is no queue, and nothing
    // is walked (the facets ask on every call).
    let ruled: std::collections::HashSet<chatd_domain::ChannelId> = m
        .people
        .bots
        .values()
        .filter(|b| b.active)
        .flat_map(|b| b.distribution.iter().map(|r| r.channel_id))
        .collect();
    if ruled.is_empty() {
        return Vec::new();
    }
    // R37: a snoozed dialog waits out of the queue until it wakes.
    let Some(index) = m.dialogs.buckets.get(&Bucket {
        responsible: None,
        status: DialogStatus::Open,
        snoozed: false,
    }) else {
        return Vec::new();
    };
    let mut rows: Vec<_> = index
        .processing
        .iter()
        .filter_map(|(_, _, id)| m.dialogs.get(id))
        .filter(|row| row.inbound_count > 0 && ruled.contains(&row.channel_id))
        .collect();
    // Deadline first (dialogs with one before those without), then arrival, oldest first.
    rows.sort_by_key(|row| {
        let deadline = m.dialogs.waiting.clock(row).map(|c| c.deadline());
        let arrival = row.waiting_since.unwrap_or(row.opened_at);
        (deadline.is_none(), deadline, arrival, row.id)
    });
    rows
}

/// Give out queued dialogs as `DistributionRule::hand_out` decides for each channel's queue,
/// with the managers' loads as the read models show them now.
async fn drain_queue(app: &App, turns: &mut HashMap<(BotId, usize), usize>, fence: &Fence) {
    let plans: Vec<Plan> = {
        let m = app.model();
        let mut by_channel: Vec<(chatd_domain::ChannelId, Vec<DialogId>)> = Vec::new();
        for row in queue(&m) {
            match by_channel.iter_mut().find(|(c, _)| *c == row.channel_id) {
                Some((_, q)) => q.push(row.id),
                None => by_channel.push((row.channel_id, vec![row.id])),
            }
        }
        let mut plans = Vec::new();
        for (channel, queued) in by_channel {
            let Some((bot, index, rule)) = rule_for(&m, channel) else {
                continue;
            };
            let last = turns.get(&(bot, index)).copied();
            let (given, last) = rule.hand_out(|u| candidate(app, &m, u), &queued, last);
            if let Some(last) = last {
                turns.insert((bot, index), last);
            }
            for (dialog, to) in given {
                let order = rule
                    .create_order
                    .then(|| order_for(&m, dialog, to))
                    .flatten();
                plans.push(Plan {
                    bot,
                    dialog,
                    from: None,
                    to,
                    order,
                });
            }
        }
        plans
    };
    for p in plans {
        carry_out(app, p, fence).await;
    }
}

/// The dialogs `user` holds that their rules hand on while they are unavailable.
fn handed_on(app: &App, m: &ReadModel, user: UserId) -> Vec<DialogId> {
    // R37: a snoozed dialog stays with its manager; it is parked, not waiting.
    let Some(index) = m.dialogs.buckets.get(&Bucket {
        responsible: Some(Assignee::User { id: user }),
        status: DialogStatus::Open,
        snoozed: false,
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

/// A manager's open dialogs, snoozed ones included (R37: still theirs to answer).
fn open_count(m: &ReadModel, user: UserId) -> usize {
    [false, true]
        .into_iter()
        .filter_map(|snoozed| {
            m.dialogs.buckets.get(&Bucket {
                responsible: Some(Assignee::User { id: user }),
                status: DialogStatus::Open,
                snoozed,
            })
        })
        .map(|i| i.activity.len())
        .sum()
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
    let order = (rule.create_order && from.is_none())
        .then(|| order_for(&m, dialog, to))
        .flatten();
    Some(Plan {
        bot,
        dialog,
        from,
        to,
        order,
    })
}

/// The order R18 creates when `dialog` is first given to `to` (R1: the customer's source).
fn order_for(m: &ReadModel, dialog: DialogId, to: UserId) -> Option<OrderCommand> {
    let row = m.dialogs.get(&dialog)?;
    let customer = row.customer_id.and_then(|c| m.customers.get(&c));
    Some(OrderCommand::Create {
        order_id: identity::order_of(dialog),
        dialog_id: dialog,
        customer_id: row.customer_id,
        manager_id: Some(to),
        source: customer.map(|c| c.source.to_source()),
    })
}

async fn distribute(
    app: &App,
    dialog: DialogId,
    from: Option<UserId>,
    turns: &mut HashMap<(BotId, usize), usize>,
    fence: &Fence,
) {
    if let Some(p) = plan(app, dialog, from, turns) {
        carry_out(app, p, fence).await;
    }
}

/// Append a plan: the `Distribute` (guarded by the responsible the plan saw), then its order.
async fn carry_out(app: &App, p: Plan, fence: &Fence) {
    let by = Principal::Bot { id: p.bot };
    let at = app.now();
    let cmd = Command {
        by,
        at,
        body: DialogCommand::Distribute {
            to: p.to,
            from: p.from,
            target_active: true,
        },
    };
    match app.execute_fenced::<Dialog>(p.dialog, &cmd, fence).await {
        // Wait until the read models show it, so the next plan sees this one.
        Ok(out) if !out.events.is_empty() => {
            let _ = app.wait_for(out.position, crate::MIN_POSITION_WAIT).await;
        }
        // Taken meanwhile (by hand, another trigger, another node): nothing to do.
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
        if let Err(e) = app.execute_fenced::<Order>(order_id.0, &cmd, fence).await {
            tracing::warn!(error = %e, dialog = %p.dialog, "order creation failed");
        }
    }
}
