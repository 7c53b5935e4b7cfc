//! The rows of 我的工作, built from what the store read: every row names its record by number
//! and party and links to it; limits carry their light (red: overdue, yellow: due soon).

use std::collections::HashMap;

use fazhi_domain::audit::AuditEntry;
use fazhi_domain::calendar::Calendar;
use fazhi_domain::procedure::Registry;
use fazhi_store::time_limit::LimitRecord;
use fazhi_store::work::{Handled, Label, Notice, Task};
use time::Date;

use super::subject_link;
use crate::i18n::Tr;
use crate::limits::limit_views;

/// What the work page reads, in one unit of work.
pub(super) struct Read {
    pub queue: Vec<(&'static str, Vec<Task>)>,
    pub notices: Vec<Notice>,
    pub limits: Vec<LimitRecord>,
    pub labels: HashMap<(String, i64), Label>,
    pub handled: Vec<Handled>,
    pub done: Vec<Handled>,
    pub recent: Vec<AuditEntry>,
    pub org_names: Vec<String>,
}

/// Calendar, today and the warning period.
pub(super) type Clock<'a> = (&'a Calendar, Date, u32);

pub(super) struct RoleRow {
    pub role: &'static str,
    pub org: String,
}

/// The Chinese name of a kind of record (translated by the template).
fn kind_label(subject_type: &str) -> &'static str {
    match subject_type {
        "penalty_case" => "行政处罚案件",
        "disclosure_request" => "政府信息公开申请",
        "application" => "行政许可申请",
        _ => "记录",
    }
}

/// A limit with its light.
pub(super) struct Light {
    pub title: String,
    pub due: String,
    pub provisional: bool,
    pub state: &'static str,
    pub state_class: &'static str,
    pub countdown: String,
}

fn light(l: &LimitRecord, (cal, today, warn): Clock<'_>) -> Option<Light> {
    limit_views(cal, today, warn, std::slice::from_ref(l))
        .into_iter()
        .next()
        .map(|v| Light {
            title: l.title.clone(),
            due: v.due,
            provisional: v.provisional,
            state: v.state,
            state_class: v.state_class,
            countdown: v.countdown,
        })
}

pub(super) struct TaskRow {
    pub link: String,
    pub number: String,
    pub party: String,
    pub org: String,
    pub stage: String,
    pub actions: String,
    pub limit: Option<Light>,
}

pub(super) struct QueueGroup {
    pub kind: &'static str,
    pub subject_type: &'static str,
    pub tasks: Vec<TaskRow>,
}

/// 待办 by kind (kinds with nothing waiting left out), each already sorted by its limit.
pub(super) fn queue_groups(
    queue: Vec<(&'static str, Vec<Task>)>,
    clock: Clock<'_>,
) -> Vec<QueueGroup> {
    queue
        .into_iter()
        .filter(|(_, tasks)| !tasks.is_empty())
        .map(|(subject_type, tasks)| QueueGroup {
            kind: kind_label(subject_type),
            subject_type,
            tasks: tasks
                .into_iter()
                .map(|t| TaskRow {
                    link: subject_link(t.subject_type, t.id),
                    limit: t.limit.as_ref().and_then(|l| light(l, clock)),
                    number: t.number,
                    party: t.party,
                    org: t.org_name,
                    stage: t.stage,
                    actions: t.actions.join("、"),
                })
                .collect(),
        })
        .collect()
}

pub(super) struct NoticeRow {
    pub id: i64,
    pub kind: &'static str,
    pub kind_class: &'static str,
    pub message: String,
    pub link: String,
    pub at: String,
    pub read: bool,
}

pub(super) fn notice_rows(notices: &[Notice]) -> Vec<NoticeRow> {
    notices
        .iter()
        .map(|n| {
            let (kind, kind_class) = match n.kind.as_str() {
                "alert" => ("逾期预警", "err"),
                "reminder" => ("到期提醒", "warn"),
                _ => ("通知", ""),
            };
            NoticeRow {
                id: n.id,
                kind,
                kind_class,
                message: n.message.clone(),
                link: if n.link.is_empty() {
                    subject_link(&n.subject_type, n.subject_id)
                } else {
                    n.link.clone()
                },
                at: crate::layout::fmt_ms(n.created_at),
                read: n.read_at.is_some(),
            }
        })
        .collect()
}

pub(super) struct Attention {
    pub record: String,
    pub link: String,
    pub light: Light,
}

/// The limits near or past their due date, each naming its record (number and party).
pub(super) fn attention_rows(
    limits: &[LimitRecord],
    labels: &HashMap<(String, i64), Label>,
    clock: Clock<'_>,
) -> Vec<Attention> {
    limits
        .iter()
        .filter_map(|l| {
            let light = light(l, clock).filter(|v| matches!(v.state_class, "err" | "warn"))?;
            let record = labels
                .get(&(l.subject_type.clone(), l.subject_id))
                .map_or_else(String::new, |x| format!("{}（{}）", x.number, x.party));
            Some(Attention {
                record,
                link: subject_link(&l.subject_type, l.subject_id),
                light,
            })
        })
        .collect()
}

pub(super) struct HandledRow {
    pub kind: &'static str,
    pub link: String,
    pub number: String,
    pub party: String,
    pub org: String,
    pub stage: String,
    pub last: String,
    pub at: String,
}

pub(super) fn handled_rows(t: Tr, reg: &Registry, list: Vec<Handled>) -> Vec<HandledRow> {
    list.into_iter()
        .map(|h| {
            let (last, at) = h
                .last
                .as_ref()
                .map_or((String::new(), String::new()), |(a, at)| {
                    (
                        crate::capability::audit_label(t, reg, a).unwrap_or_default(),
                        crate::layout::fmt_ms(*at),
                    )
                });
            HandledRow {
                kind: kind_label(&h.subject_type),
                link: subject_link(&h.subject_type, h.id),
                number: h.number,
                party: h.party,
                org: h.org_name,
                stage: h.stage,
                last,
                at,
            }
        })
        .collect()
}
