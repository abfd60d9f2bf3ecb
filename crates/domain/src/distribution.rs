//! R18: the distribution bot's choices, as pure functions of a channel's rule and what the
//! caller looked up about its managers. The bot worker gathers the facts (work status, sockets,
//! open dialogs) and appends what these decide.

use crate::actor::Role;
use crate::ids::UserId;
use crate::people::{DistributionRule, ReassignWhenUnavailable, Strategy, WorkStatus};

/// A manager of a rule as the bot sees them now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub active: bool,
    pub role: Role,
    pub work_status: WorkStatus,
    /// Holds a WebSocket (on the bot's node).
    pub online: bool,
    /// Open dialogs they are responsible for.
    pub open: usize,
}

impl DistributionRule {
    /// Whether a manager takes dialogs under this rule: active, never an auditor, `free` under
    /// `require_free`, online under `require_online`, and (unless `ignore_load`, judging
    /// availability alone) below `max_open_per_manager`.
    pub fn takes(&self, c: &Candidate, ignore_load: bool) -> bool {
        c.active
            && c.role.can_be_responsible()
            && (!self.require_free || c.work_status == WorkStatus::Free)
            && (!self.require_online || c.online)
            && (ignore_load
                || self
                    .max_open_per_manager
                    .is_none_or(|max| c.open < max as usize))
    }

    /// Who gets the next dialog: among the rule's managers but `except`, those who take
    /// dialogs; `least_loaded` picks the fewest open dialogs (ties in the rule's order),
    /// `round_robin` the first after the rule position `last` (wrapping). Returns the rule
    /// position chosen (the next `last`) and the manager; `None` when nobody can take it.
    pub fn choose(
        &self,
        candidate: impl Fn(UserId) -> Option<Candidate>,
        except: Option<UserId>,
        last: Option<usize>,
    ) -> Option<(usize, UserId)> {
        let eligible: Vec<(usize, UserId, usize)> = self
            .manager_ids
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, u)| Some(*u) != except)
            .filter_map(|(i, u)| {
                let c = candidate(u)?;
                self.takes(&c, false).then_some((i, u, c.open))
            })
            .collect();
        let chosen = match self.strategy {
            Strategy::LeastLoaded => eligible.iter().min_by_key(|(i, _, open)| (*open, *i)),
            Strategy::RoundRobin => eligible
                .iter()
                .find(|(i, _, _)| last.is_none_or(|l| *i > l))
                .or_else(|| eligible.first()),
        };
        chosen.map(|(i, u, _)| (*i, *u))
    }

    /// R31: who takes which of the queued dialogs now, in queue order. Each goes to the manager
    /// [`choose`](Self::choose) picks, counting what this round already handed out; the round
    /// stops at the first dialog nobody can take (nobody can take the later ones either).
    /// Returns the hand-outs and the rule position chosen last (the next `last`).
    pub fn hand_out<D: Copy>(
        &self,
        candidate: impl Fn(UserId) -> Option<Candidate>,
        queue: &[D],
        mut last: Option<usize>,
    ) -> (Vec<(D, UserId)>, Option<usize>) {
        let mut given: Vec<(D, UserId)> = Vec::new();
        for d in queue {
            let with_round = |u: UserId| {
                candidate(u).map(|mut c| {
                    c.open += given.iter().filter(|(_, to)| *to == u).count();
                    c
                })
            };
            let Some((turn, to)) = self.choose(with_round, None, last) else {
                break;
            };
            last = Some(turn);
            given.push((*d, to));
        }
        (given, last)
    }

    /// Whether a waiting dialog of a manager who became unavailable is handed on:
    /// `all_unanswered`, or `only_new` for a dialog no manager or bot has answered yet.
    pub fn hands_on(&self, answered: bool) -> bool {
        match self.reassign_when_unavailable {
            None => false,
            Some(ReassignWhenUnavailable::AllUnanswered) => true,
            Some(ReassignWhenUnavailable::OnlyNew) => !answered,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ChannelId;
    use uuid::Uuid;

    fn user(n: u128) -> UserId {
        Uuid::from_u128(n).into()
    }

    fn rule(strategy: Strategy) -> DistributionRule {
        DistributionRule {
            channel_id: ChannelId::from(Uuid::nil()),
            manager_ids: vec![user(1), user(2), user(3)],
            max_open_per_manager: Some(2),
            require_free: true,
            require_online: false,
            strategy,
            reassign_when_unavailable: Some(ReassignWhenUnavailable::OnlyNew),
            create_customer: true,
            create_order: true,
        }
    }

    fn free(open: usize) -> Candidate {
        Candidate {
            active: true,
            role: Role::Manager,
            work_status: WorkStatus::Free,
            online: true,
            open,
        }
    }

    /// Given the managers' loads and states (by user number), when the bot chooses, then whom.
    fn given(states: &[(u128, Candidate)]) -> impl Fn(UserId) -> Option<Candidate> + '_ {
        move |u| states.iter().find(|(n, _)| user(*n) == u).map(|(_, c)| *c)
    }

    #[test]
    fn r31_a_queue_is_handed_out_in_order_until_nobody_can_take_more() {
        // Round robin, at most two open each: m1 has one, m2 none, m3 is at lunch.
        let r = rule(Strategy::RoundRobin);
        let mut lunch = free(0);
        lunch.work_status = WorkStatus::Lunch;
        let loads = [(1, free(1)), (2, free(0)), (3, lunch)];
        let (out, last) = r.hand_out(given(&loads), &["q1", "q2", "q3", "q4"], Some(0));
        // Fair turns from after m1 (position 0): m2, m1, m2; then everyone is full.
        assert_eq!(out, vec![("q1", user(2)), ("q2", user(1)), ("q3", user(2))]);
        assert_eq!(last, Some(1));
        // Least loaded: the emptiest first, counting this round's hand-outs.
        let r = rule(Strategy::LeastLoaded);
        let loads = [(1, free(1)), (2, free(0)), (3, free(0))];
        let (out, _) = r.hand_out(given(&loads), &["a", "b", "c", "d", "e", "f"], None);
        assert_eq!(
            out,
            vec![
                ("a", user(2)),
                ("b", user(3)),
                ("c", user(1)),
                ("d", user(2)),
                ("e", user(3))
            ]
        );
        // Nobody free: nothing, and the turn stays.
        let (out, last) = r.hand_out(given(&[(3, lunch)]), &["a"], Some(2));
        assert!(out.is_empty());
        assert_eq!(last, Some(2));
    }

    #[test]
    fn r18_least_loaded_takes_the_fewest_open_dialogs_ties_in_rule_order() {
        let r = rule(Strategy::LeastLoaded);
        let loads = [(1, free(1)), (2, free(0)), (3, free(0))];
        assert_eq!(r.choose(given(&loads), None, None), Some((1, user(2))));
        let even = [(1, free(1)), (2, free(1)), (3, free(1))];
        assert_eq!(r.choose(given(&even), None, None), Some((0, user(1))));
    }

    #[test]
    fn r18_round_robin_takes_the_next_after_the_last_and_wraps() {
        let r = rule(Strategy::RoundRobin);
        let all = [(1, free(0)), (2, free(1)), (3, free(0))];
        assert_eq!(r.choose(given(&all), None, None), Some((0, user(1))));
        assert_eq!(r.choose(given(&all), None, Some(0)), Some((1, user(2))));
        assert_eq!(r.choose(given(&all), None, Some(1)), Some((2, user(3))));
        assert_eq!(r.choose(given(&all), None, Some(2)), Some((0, user(1))));
        // Fair over a run: each of the three once in three turns.
        let mut last = None;
        let mut got = vec![];
        for _ in 0..3 {
            let (i, u) = r.choose(given(&all), None, last).unwrap();
            last = Some(i);
            got.push(u);
        }
        assert_eq!(got, vec![user(1), user(2), user(3)]);
    }

    #[test]
    fn r18_busy_full_offline_inactive_and_auditors_are_passed_over() {
        let mut r = rule(Strategy::LeastLoaded);
        let lunch = Candidate {
            work_status: WorkStatus::Lunch,
            ..free(0)
        };
        let full = free(2);
        let gone = Candidate {
            active: false,
            ..free(0)
        };
        assert_eq!(
            r.choose(given(&[(1, lunch), (2, full), (3, gone)]), None, None),
            None
        );
        let auditor = Candidate {
            role: Role::Auditor,
            ..free(0)
        };
        assert_eq!(
            r.choose(given(&[(1, auditor), (2, full), (3, free(1))]), None, None),
            Some((2, user(3)))
        );
        // The manager a dialog is taken from is never chosen again for it.
        assert_eq!(
            r.choose(given(&[(1, free(0)), (2, full)]), Some(user(1)), None),
            None
        );
        // Unknown users are nobody; online counts only under require_online.
        let offline = Candidate {
            online: false,
            ..free(0)
        };
        assert_eq!(
            r.choose(given(&[(2, offline)]), None, None),
            Some((1, user(2)))
        );
        r.require_online = true;
        assert_eq!(r.choose(given(&[(2, offline)]), None, None), None);
        // Availability alone ignores the load.
        assert!(r.takes(&free(5), true) && !r.takes(&free(5), false));
    }

    #[test]
    fn r18_handing_on_follows_the_rule() {
        let mut r = rule(Strategy::LeastLoaded);
        assert!(r.hands_on(false) && !r.hands_on(true));
        r.reassign_when_unavailable = Some(ReassignWhenUnavailable::AllUnanswered);
        assert!(r.hands_on(true));
        r.reassign_when_unavailable = None;
        assert!(!r.hands_on(false));
    }
}
