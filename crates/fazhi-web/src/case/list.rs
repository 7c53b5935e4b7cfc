//! The cases list: the cases in the officer's scope, by stage and text, the person's own cases,
//! sorted, a numbered page at a time, each with its 承办人 and nearest limit.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use fazhi_domain::enforcement::case::PROCEDURE;
use fazhi_domain::enforcement::yuan;
use fazhi_domain::ids::CaseId;
use fazhi_store::case as store;

use super::require_handler;
use crate::AppState;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render};

struct Line {
    id: CaseId,
    case_no: String,
    org: String,
    item: String,
    party: String,
    stage: String,
    procedure: &'static str,
    opened: String,
    fine: String,
    handlers: String,
    due: String,
}

#[derive(Template)]
#[template(path = "case/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Line>,
    stages: Vec<(String, String)>,
    stage: String,
    q: String,
    mine: bool,
    sort: &'static str,
    sorts: [(&'static str, &'static str); 5],
    page: u32,
    more: bool,
    /// The query string of the filter, for the page links.
    query: String,
    /// The list is narrowed to the cases behind a figure of the statistics.
    narrowed: bool,
}

/// The filters the statistics link with (unit, item, procedure, outcome, period).
const NARROWING: [&str; 8] = [
    "org",
    "item_name",
    "summary",
    "outcome",
    "opened_from",
    "opened_to",
    "decided_from",
    "decided_to",
];

/// The orders the list offers (query name, label).
const SORTS: [(&str, &str); 5] = [
    ("newest", "最近提请"),
    ("case_no", "案号"),
    ("opened", "立案日期"),
    ("stage", "阶段"),
    ("due", "最近期限"),
];

/// The filter of the list and the API from the query string: stage, item, text, 我的案件
/// (`mine=1`), the order, the page or the cursor.
pub(super) fn filter_of(
    q: &HashMap<String, String>,
    user_id: i64,
    stages: Vec<String>,
) -> store::Filter {
    store::Filter {
        stage: q.get("stage").cloned().filter(|x| !x.is_empty()),
        item_code: q.get("item").cloned().filter(|x| !x.is_empty()),
        q: q.get("q").cloned(),
        ids: None,
        before_id: q.get("before").and_then(|b| b.parse().ok()),
        mine: (q.get("mine").map(String::as_str) == Some("1")).then_some(user_id),
        sort: store::Sort::parse(q.get("sort").map_or("", String::as_str)),
        stage_order: stages,
        page: q
            .get("page")
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1),
        org_id: q.get("org").and_then(|o| o.parse().ok()),
        item_name: q.get("item_name").cloned().filter(|x| !x.is_empty()),
        summary: q.get("summary").map(|s| s == "1"),
        outcome: q.get("outcome").cloned().filter(|x| !x.is_empty()),
        opened: period(q, "opened"),
        decided: period(q, "decided"),
    }
}

/// A period `<name>_from` … `<name>_to` of the query, both real days.
fn period(q: &HashMap<String, String>, name: &str) -> Option<(String, String)> {
    let day = |k: String| {
        q.get(&k)
            .and_then(|d| fazhi_domain::calendar::parse_date(d))
            .map(fazhi_domain::calendar::fmt_date)
    };
    Some((day(format!("{name}_from"))?, day(format!("{name}_to"))?))
}

pub(super) async fn list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let stage = q.get("stage").cloned().unwrap_or_default();
    let text = q.get("q").cloned().unwrap_or_default();
    let p = st.procedures.current(PROCEDURE);
    let order = p
        .map(|p| p.stages.iter().map(|s| s.id.clone()).collect())
        .unwrap_or_default();
    // `before` (a cursor, newest first) is still read, for links made before pages had numbers.
    let mut filter = filter_of(&q, s.actor.user_id, order);
    filter.ids = crate::search::case_ids(&st, &s.actor, filter.q.as_deref()).await?;
    let (mine, sort, page) = (filter.mine.is_some(), filter.sort.as_str(), filter.page);
    let scopes = s.actor.view_scopes();
    const PAGE: i64 = 50;
    // One more than a page tells whether a next page exists, without counting them all.
    let mut rows = st
        .db(move |db| db.read_one(|tx| store::list(tx, &scopes, &filter, PAGE + 1)))
        .await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(usize::try_from(PAGE).unwrap_or(50));
    let items = rows
        .into_iter()
        .map(|l| Line {
            id: l.id,
            case_no: l.case_no,
            org: l.org_name,
            item: l.item_name,
            party: l.party_name,
            stage: p
                .and_then(|p| p.stage(&l.stage))
                .map_or(l.stage.clone(), |x| x.title.clone()),
            procedure: if l.summary_procedure {
                "简易程序"
            } else {
                "普通程序"
            },
            opened: l.opened_on.unwrap_or_default(),
            fine: if l.fine > 0 {
                yuan(l.fine)
            } else {
                String::new()
            },
            handlers: l.handlers.join("、"),
            due: l.due.unwrap_or_default(),
        })
        .collect();
    let stages = p
        .map(|p| {
            p.stages
                .iter()
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "行政处罚"),
        items,
        stages,
        narrowed: NARROWING.iter().any(|k| q.contains_key(*k)),
        query: {
            let get = |k: &str| q.get(k).map_or("", String::as_str);
            let mut pairs = vec![
                ("stage", stage.as_str()),
                ("q", text.as_str()),
                ("mine", if mine { "1" } else { "" }),
                ("sort", sort),
            ];
            pairs.extend(NARROWING.iter().map(|k| (*k, get(k))));
            crate::form::query_string(&pairs)
        },
        stage,
        q: text,
        mine,
        sort,
        sorts: SORTS,
        page,
        more,
    }))
}
