//! R36: one row per dialog with its figures in a period.

use super::{DialogFigures, ReportQuery, Stat};
use crate::model::ReadModel;
use chatd_domain::reports::Measure;
use std::collections::HashMap;
use time::OffsetDateTime;

impl ReadModel {
    /// R36: one row per dialog with a fact in `q`'s period, in the order of its first.
    pub fn report_dialogs(&self, q: &ReportQuery) -> Vec<DialogFigures> {
        let r = &self.reports;
        let mut rows: HashMap<u32, (DialogFigures, Vec<i32>)> = HashMap::new();
        for f in self.report_facts(q) {
            let (row, responses) = rows.entry(f.dialog).or_insert_with(|| {
                let d = &r.dialogs[f.dialog as usize];
                (
                    DialogFigures {
                        dialog_id: Some(d.id),
                        channel_id: r.channels.get(d.channel as usize).copied(),
                        customer_id: self.customer_of(d.id),
                        ..Default::default()
                    },
                    Vec::new(),
                )
            });
            let at = OffsetDateTime::from_unix_timestamp(f.unix()).ok();
            row.first_fact_at = row.first_fact_at.min(at).or(at);
            let s = i64::from(f.seconds);
            match f.measure {
                Measure::Opened | Measure::Reopened => row.openings += 1,
                Measure::Closed => row.closed += 1,
                Measure::MessageIn => row.messages_in += 1,
                Measure::MessageByPerson | Measure::MessageByBot | Measure::MessageTemplate => {
                    row.messages_out += 1
                }
                Measure::AwayReply => {}
                Measure::FirstResponse => {
                    row.first_response.get_or_insert(s);
                }
                Measure::FirstResponseInclBot => {
                    row.first_response_incl_bot.get_or_insert(s);
                }
                Measure::Resolution => row.resolution = Some(row.resolution.unwrap_or(0) + s),
                Measure::Response => responses.push(f.seconds),
            }
        }
        let mut out: Vec<DialogFigures> = rows
            .into_values()
            .map(|(mut row, responses)| {
                row.responses = Stat::of(responses);
                row
            })
            .collect();
        out.sort_by_key(|d| (d.first_fact_at, d.dialog_id));
        out
    }
}
