//! The audit chain browser: the whole chain, newest first, filtered by record (its number, or
//! its type and id), person, action and date range, a page at a time, each entry linked to its
//! record's page; verification and the signed checkpoints. Only those who supervise the whole
//! tree read it (`policy::audit`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_domain::calendar::parse_date;
use fazhi_domain::policy::{self, audit::AuditAction};
use fazhi_store::audit::{self, ChainFilter};
use fazhi_store::publication;
use time::Date;

use super::{ACTIONS, TimelineRow, timeline_rows};
use crate::AppState;
use crate::capability::{CAPABILITIES, subject_page};
use crate::ctx::Staff;
use crate::error::AppError;
use crate::form::percent;
use crate::i18n::Tr;
use crate::layout::{Chrome, fmt_ms, render};

/// Entries per page.
const PAGE: i64 = 50;

/// The kinds of record on the chain, by subject type, as the filter offers them.
const SUBJECTS: &[(&str, &str)] = &[
    ("penalty_case", "行政处罚案件"),
    ("lead", "案件线索"),
    ("disclosure_request", "政府信息公开申请"),
    ("application", "行政许可申请"),
    ("certificate", "执法证件"),
    ("power_item", "权责清单事项"),
    ("org", "单位"),
    ("user", "人员"),
    ("file_evaluation", "案卷评查"),
    ("major_filing", "重大行政处罚备案"),
    ("calendar_notice", "节假日安排"),
    ("benchmark", "裁量基准"),
    ("api_key", "接口密钥"),
];

/// The page of a record on the chain, where one exists.
fn record_link(subject_type: &str, id: &str) -> Option<String> {
    if let Some(p) = id
        .parse::<i64>()
        .ok()
        .and_then(|n| subject_page(subject_type, n))
    {
        return Some(p);
    }
    let numbered = |base: &str| id.parse::<i64>().ok().map(|n| format!("{base}{n}"));
    match subject_type {
        "certificate" => numbered("/app/certificates/"),
        "file_evaluation" => numbered("/app/cases/evaluations/"),
        "power_item" => Some(format!("/app/powers/{}", percent(id))),
        "benchmark" => Some(format!("/app/discretion/{}", percent(id))),
        "major_filing" => Some("/app/cases/filings".into()),
        "calendar_notice" => Some("/app/calendar".into()),
        _ => None,
    }
}

/// One entry as the chain page shows it: the timeline line and its record.
struct ChainRow {
    line: TimelineRow,
    record: String,
    link: Option<String>,
}

struct CheckpointRow {
    seq: i64,
    at: String,
    head_hash: String,
    public_key: String,
    signature: String,
}

/// What the filter form was filled with, to show it again and to carry it to the next page.
#[derive(Default)]
struct Filled {
    no: String,
    subject: String,
    id: String,
    person: String,
    action: String,
    from: String,
    to: String,
}

impl Filled {
    fn read(q: &HashMap<String, String>) -> Self {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        Self {
            no: get("no"),
            subject: get("subject"),
            id: get("id"),
            person: get("person"),
            action: get("action"),
            from: get("from"),
            to: get("to"),
        }
    }

    /// The filter as a query string (without `before`), empty when nothing is filtered.
    fn query(&self) -> String {
        crate::form::query_string(&[
            ("no", &self.no),
            ("subject", &self.subject),
            ("id", &self.id),
            ("person", &self.person),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ])
    }
}

/// Milliseconds at the start of a Beijing day.
fn day_start_ms(d: Date) -> i64 {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    d.midnight().assume_offset(offset).unix_timestamp() * 1000
}

/// The store's filter for what was filled (but the record number, which the store resolves), or
/// every field error.
fn filter_of(f: &Filled) -> Result<ChainFilter, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut day = |k: &str, label: &str, v: &str| -> Option<Date> {
        if v.is_empty() {
            return None;
        }
        let d = parse_date(v);
        if d.is_none() {
            errors.push(FieldError::new(
                k,
                label,
                "请填写有效日期，格式为 2026-09-28",
            ));
        }
        d
    };
    let from = day("from", "起始日期", &f.from);
    let to = day("to", "截止日期", &f.to);
    let subject = match (f.subject.is_empty(), f.id.is_empty()) {
        (true, true) => None,
        (false, false) if SUBJECTS.iter().any(|(t, _)| *t == f.subject) => {
            Some((f.subject.clone(), f.id.clone()))
        }
        (false, false) => {
            errors.push(FieldError::new("subject", "记录类型", "请选择"));
            None
        }
        (true, false) => {
            errors.push(FieldError::new("subject", "记录类型", "请选择记录类型"));
            None
        }
        (false, true) => {
            errors.push(FieldError::new("id", "记录内部编号", "请填写"));
            None
        }
    };
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        errors.push(FieldError::new("to", "截止日期", "不得早于起始日期"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ChainFilter {
        subject,
        person: (!f.person.is_empty()).then(|| f.person.clone()),
        action: (!f.action.is_empty()).then(|| f.action.clone()),
        from_ms: from.map(day_start_ms),
        to_ms: to.map(|d| day_start_ms(d.next_day().unwrap_or(d))),
    })
}

/// The actions the filter offers: every action of each procedure (and all of them at once),
/// then every action recorded outside a procedure.
fn action_options(t: Tr, st: &AppState) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for p in CAPABILITIES.iter().filter_map(|c| c.procedure.as_ref()) {
        let Some(proc_) = st.procedures.current(p.procedure) else {
            continue;
        };
        v.push((
            format!("{}.", p.audit_prefix),
            format!("{}{}", t.s(&proc_.title), t.s("：全部操作")),
        ));
        for a in &proc_.actions {
            v.push((
                format!("{}.{}", p.audit_prefix, a.id),
                format!("{}：{}", t.s(&proc_.title), t.s(&a.title)),
            ));
        }
    }
    for (code, zh, en) in ACTIONS.iter() {
        if !v.iter().any(|(c, _)| c == code) {
            v.push((
                (*code).to_string(),
                (if t.is_en() { *en } else { *zh }).to_string(),
            ));
        }
    }
    v
}

#[derive(Template)]
#[template(path = "audit/chain.html")]
struct ChainPage {
    c: Chrome,
    rows: Vec<ChainRow>,
    older: Option<String>,
    newest: Option<String>,
    verified: Option<Result<(i64, String), String>>,
    checkpoints: Vec<CheckpointRow>,
    form: Filled,
    subjects: Vec<(&'static str, &'static str)>,
    actions: Vec<(String, String)>,
    errors: Vec<FieldError>,
    filtered: bool,
}

pub(super) async fn audit_page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    policy::audit::may(&s.actor, AuditAction::ReadChain).map_err(AppError::Forbidden)?;
    let before = q.get("before").and_then(|b| b.parse::<i64>().ok());
    let form = Filled::read(&q);
    let (filter, mut errors) = match filter_of(&form) {
        Ok(f) => (Some(f), Vec::new()),
        Err(e) => (None, e),
    };
    let no = form.no.clone();
    let (entries, cps, unknown) = st
        .db(move |store| {
            store.read(|tx| {
                let cps = publication::list(tx, publication::KIND_AUDIT_CHECKPOINT, 10)?;
                let Some(mut filter) = filter else {
                    return Ok((Vec::new(), cps, false));
                };
                if !no.is_empty() {
                    match audit::subject_by_number(tx, &no)? {
                        Some(subject) => filter.subject = Some(subject),
                        None => return Ok((Vec::new(), cps, true)),
                    }
                }
                Ok((audit::search(tx, &filter, before, PAGE)?, cps, false))
            })
        })
        .await?;
    if unknown {
        errors.push(FieldError::new(
            "no",
            "记录编号",
            "未找到该编号的案件、线索、政府信息公开申请或行政许可申请",
        ));
    }
    let verified = if q.contains_key("verify") {
        Some(match st.db(audit::verify).await? {
            Ok(v) => Ok((v.count, v.head)),
            Err(b) => Err(b.to_string()),
        })
    } else {
        None
    };
    let t = Tr(ctx.lang);
    let qs = form.query();
    let base = if qs.is_empty() {
        "/app/audit?".to_string()
    } else {
        format!("/app/audit?{qs}&")
    };
    let older = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| format!("{base}before={}", e.seq)))
        .flatten();
    let lines = timeline_rows(t, &st.procedures, &entries);
    let rows = entries
        .iter()
        .zip(lines)
        .map(|(e, line)| ChainRow {
            line,
            record: format!(
                "{} {}",
                SUBJECTS
                    .iter()
                    .find(|(k, _)| *k == e.subject_type)
                    .map_or(e.subject_type.as_str(), |(_, l)| t.s(l)),
                e.subject_id
            ),
            link: record_link(&e.subject_type, &e.subject_id),
        })
        .collect();
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let page = ChainPage {
        c: Chrome::staff(&ctx, "审计链"),
        rows,
        older,
        newest: before.map(|_| base.trim_end_matches(['&', '?']).to_string()),
        verified,
        checkpoints: cps
            .iter()
            .map(|p| CheckpointRow {
                seq: p.body["seq"].as_i64().unwrap_or_default(),
                at: fmt_ms(p.body["at_ms"].as_i64().unwrap_or_default()),
                head_hash: text(&p.body, "head_hash"),
                public_key: text(&p.body, "public_key"),
                signature: text(&p.body, "signature"),
            })
            .collect(),
        actions: action_options(t, &st),
        subjects: SUBJECTS.to_vec(),
        filtered: !qs.is_empty(),
        form,
        errors,
    };
    Ok(render(&page))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record on the chain links to its page where one exists, and nowhere otherwise.
    #[test]
    fn every_record_kind_with_a_page_links_to_it() {
        assert_eq!(
            record_link("penalty_case", "7").as_deref(),
            Some("/app/cases/7")
        );
        assert_eq!(
            record_link("lead", "3").as_deref(),
            Some("/app/cases/leads/3")
        );
        assert_eq!(
            record_link("disclosure_request", "2").as_deref(),
            Some("/app/disclosure/2")
        );
        assert_eq!(
            record_link("application", "5").as_deref(),
            Some("/app/applications/5")
        );
        assert_eq!(
            record_link("power_item", "ZZSW-CF-008").as_deref(),
            Some("/app/powers/ZZSW-CF-008")
        );
        assert_eq!(record_link("org", "4").as_deref(), Some("/app/orgs/4"));
        assert_eq!(record_link("api_key", "4"), None);
    }

    /// A filter is read as typed; a bad date or half a record is refused naming the field.
    #[test]
    fn a_filter_with_a_bad_date_or_half_a_record_names_the_field() {
        let filled = |pairs: &[(&str, &str)]| {
            Filled::read(
                &pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
            )
        };
        let e = filter_of(&filled(&[("from", "2026-13-01")])).unwrap_err();
        assert_eq!(e[0].field, "from");
        let e = filter_of(&filled(&[("id", "3")])).unwrap_err();
        assert_eq!(e[0].field, "subject");
        let e = filter_of(&filled(&[("from", "2026-06-02"), ("to", "2026-06-01")])).unwrap_err();
        assert_eq!(e[0].field, "to");
        let f = filter_of(&filled(&[
            ("subject", "penalty_case"),
            ("id", "3"),
            ("person", "蒋涛"),
            ("action", "case."),
            ("from", "2026-06-01"),
            ("to", "2026-06-01"),
        ]))
        .unwrap();
        assert_eq!(f.subject, Some(("penalty_case".into(), "3".into())));
        assert_eq!(
            f.to_ms.unwrap() - f.from_ms.unwrap(),
            86_400_000,
            "the whole last day"
        );
        assert_eq!(
            filled(&[("person", "蒋涛"), ("action", "case.")]).query(),
            "person=%E8%92%8B%E6%B6%9B&action=case."
        );
    }
}
