//! 工作日历: the holiday notices loaded, a year's rest and working days, a due-date calculator
//! that explains itself, and (for the city administrator) loading or correcting a notice.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use fazhi_domain::FieldError;
use fazhi_domain::calendar::{Calendar, fmt_date, parse_date, working_days_between};
use fazhi_domain::policy::{self, calendar::CalendarAction};
use fazhi_domain::time_limit::{Count, TimeLimit};
use fazhi_store::calendar as store_cal;
use fazhi_store::org::By;
use time::{Date, Month};

use crate::capability::{Capability, Nav};
use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render_status};
use crate::{AppState, today};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/calendar", get(calendar_page).post(load_notice))
        .route("/api/v1/calendar/due", get(api_due))
        .route("/api/v1/calendar/days", get(api_days))
}

/// 工作日历 and the time limits counted on it, as the web layer registers it.
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/calendar",
        label: "工作日历",
        shown: crate::capability::everyone,
    }],
    audit: &[
        (
            "calendar.load_notice",
            "载入放假安排",
            "Holiday notice loaded",
        ),
        (
            "calendar.correct_notice",
            "更正放假安排",
            "Holiday notice corrected",
        ),
        ("time_limit.start_limit", "期限起算", "Time limit started"),
        (
            "time_limit.suspend_limit",
            "期限中止",
            "Time limit suspended",
        ),
        (
            "time_limit.resume_limit",
            "期限恢复计算",
            "Time limit resumed",
        ),
        ("time_limit.extend_limit", "期限延长", "Time limit extended"),
        ("time_limit.meet_limit", "期限办结", "Time limit met"),
        (
            "time_limit.recompute_limit",
            "到期日重新计算",
            "Due date recomputed",
        ),
        ("time_limit.remind_due", "到期提醒", "Due-soon reminder"),
        ("time_limit.alert_overdue", "逾期预警", "Overdue alert"),
    ],
    ..Capability::new("calendar", routes)
};

fn query_date(
    q: &HashMap<String, String>,
    key: &'static str,
    label: &str,
) -> Result<Date, FieldError> {
    q.get(key)
        .and_then(|v| parse_date(v.trim()))
        .ok_or_else(|| FieldError::new(key, label, "应为有效日期，格式如 2026-09-28"))
}

/// `GET /api/v1/calendar/due?from=&days=&count=working|calendar`: the due date, whether it is
/// provisional, and how it was worked out.
async fn api_due(
    State(st): State<AppState>,
    Staff(_, _): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let mut errors = Vec::new();
    let from = query_date(&q, "from", "起算日")
        .map_err(|e| errors.push(e))
        .ok();
    let days = q
        .get("days")
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|d| *d <= 3650);
    if days.is_none() {
        errors.push(FieldError::new(
            "days",
            "期限天数",
            "应为 0 到 3650 之间的整数",
        ));
    }
    let count = match q.get("count").map(String::as_str) {
        Some("working") | None => Some(Count::Working),
        Some("calendar") => Some(Count::Calendar),
        Some(_) => {
            errors.push(FieldError::new(
                "count",
                "计算方式",
                "应为 working 或 calendar",
            ));
            None
        }
    };
    let (Some(from), Some(days), Some(count), true) = (from, days, count, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let d = TimeLimit::new(from, days, count, "按所选规则计算", None).compute(&st.calendar());
    Ok(axum::Json(serde_json::json!({
        "due": d.due.map(fmt_date), "provisional": d.provisional, "explanation": d.explanation,
    })))
}

/// `GET /api/v1/calendar/days?from=&to=`: each day, working or not, provisional or not (at most
/// 800 days per request).
async fn api_days(
    State(st): State<AppState>,
    Staff(_, _): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let mut errors = Vec::new();
    let from = query_date(&q, "from", "开始日期")
        .map_err(|e| errors.push(e))
        .ok();
    let to = query_date(&q, "to", "结束日期")
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(from), Some(to), true) = (from, to, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    if to < from || (to - from).whole_days() > 800 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "to",
            "结束日期",
            "不能早于开始日期，且跨度不超过 800 天",
        )]));
    }
    let cal = st.calendar();
    let mut items = Vec::new();
    let mut d = from;
    loop {
        let info = cal.day(d);
        items.push(serde_json::json!({
            "date": fmt_date(d), "working": info.working, "provisional": info.provisional, "label": info.label,
        }));
        match d.next_day() {
            Some(n) if n <= to => d = n,
            _ => break,
        }
    }
    Ok(axum::Json(serde_json::json!({ "items": items })))
}

struct NoticeLine {
    year: i32,
    number: String,
    published: String,
    note: String,
}

struct PeriodLine {
    name: String,
    range: String,
    days: usize,
}

struct DueResult {
    due: String,
    provisional: bool,
    lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "calendar/calendar.html")]
struct CalendarPage {
    c: Chrome,
    notices: Vec<NoticeLine>,
    year: i32,
    year_loaded: bool,
    working_days: i64,
    periods: Vec<PeriodLine>,
    workdays: Vec<String>,
    from: String,
    days: String,
    count: String,
    due: Option<DueResult>,
    errors: Vec<FieldError>,
    can_load: bool,
    loaded: Option<String>,
    notice_text: String,
}

fn can_load(s: &crate::ctx::Session) -> bool {
    policy::calendar::may(&s.actor, CalendarAction::LoadNotice).is_ok()
}

fn working_days_in(cal: &Calendar, year: i32) -> i64 {
    match (
        Date::from_calendar_date(year - 1, Month::December, 31),
        Date::from_calendar_date(year, Month::December, 31),
    ) {
        (Ok(before), Ok(last)) => working_days_between(cal, before, last),
        _ => 0,
    }
}

fn page(
    s: &crate::ctx::Session,
    ctx: &crate::ctx::Ctx,
    cal: &Calendar,
    q: &HashMap<String, String>,
    errors: Vec<FieldError>,
    loaded: Option<String>,
    notice_text: String,
) -> CalendarPage {
    let year = q
        .get("year")
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| today().year());
    let notice = cal.notice(year);
    let from = q.get("from").cloned().unwrap_or_default();
    let days = q.get("days").cloned().unwrap_or_default();
    let count = q.get("count").cloned().unwrap_or_else(|| "working".into());
    let mut errors = errors;
    let due = if from.is_empty() && days.is_empty() {
        None
    } else {
        let start = parse_date(from.trim());
        if start.is_none() {
            errors.push(FieldError::new(
                "from",
                "起算日",
                "应为有效日期，格式如 2026-09-28",
            ));
        }
        let n = days.trim().parse::<u32>().ok().filter(|n| *n <= 3650);
        if n.is_none() {
            errors.push(FieldError::new(
                "days",
                "期限天数",
                "应为 0 到 3650 之间的整数",
            ));
        }
        let cnt = if count == "calendar" {
            Count::Calendar
        } else {
            Count::Working
        };
        match (start, n) {
            (Some(start), Some(n)) => {
                let d = TimeLimit::new(start, n, cnt, "按所选规则计算", None).compute(cal);
                Some(DueResult {
                    due: d.due.map(fmt_date).unwrap_or_default(),
                    provisional: d.provisional,
                    lines: d.explanation,
                })
            }
            _ => None,
        }
    };
    CalendarPage {
        c: Chrome::staff(ctx, "工作日历"),
        notices: cal
            .notices()
            .map(|n| NoticeLine {
                year: n.year,
                number: n.number.clone(),
                published: n.published.clone(),
                note: n.note.clone().unwrap_or_default(),
            })
            .collect(),
        year,
        year_loaded: notice.is_some(),
        working_days: working_days_in(cal, year),
        periods: notice
            .map(|n| {
                n.holidays
                    .iter()
                    .map(|h| PeriodLine {
                        name: h.name.clone(),
                        range: match (h.dates.first(), h.dates.last()) {
                            (Some(a), Some(b)) if a != b => format!("{a} 至 {b}"),
                            (Some(a), _) => a.clone(),
                            _ => String::new(),
                        },
                        days: h.dates.len(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        workdays: notice.map(|n| n.workdays.clone()).unwrap_or_default(),
        from,
        days,
        count,
        due,
        errors,
        can_load: can_load(s),
        loaded,
        notice_text,
    }
}

async fn calendar_page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let cal = st.calendar();
    let p = page(&s, &ctx, &cal, &q, Vec::new(), None, String::new());
    let status = if p.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(status, &p)
}

async fn load_notice(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let text = f.get("notice").cloned().unwrap_or_default();
    let actor = s.actor.clone();
    let warn = st.settings.due_soon_working_days;
    let t = text.clone();
    let result = st
        .db(move |store| {
            let notices = store_cal::parse_file(&t)?;
            store.write(|tx| {
                let out = store_cal::load_notices(tx, By::Actor(&actor), &notices, today(), warn)?;
                Ok((out, store_cal::load(tx)?))
            })
        })
        .await;
    match result {
        Ok(((years, recomputed), cal)) => {
            st.reload_calendar(cal);
            let msg = if years.is_empty() {
                "内容与已载入的通知相同，没有变化。".to_string()
            } else {
                let ys: Vec<String> = years.iter().map(ToString::to_string).collect();
                format!(
                    "已载入 {} 年的放假安排；重新计算了 {recomputed} 个未办结期限的到期日。",
                    ys.join("、")
                )
            };
            let cal = st.calendar();
            let q = HashMap::from([(
                "year".to_string(),
                years
                    .first()
                    .map_or_else(|| today().year().to_string(), ToString::to_string),
            )]);
            Ok(render_status(
                StatusCode::OK,
                &page(&s, &ctx, &cal, &q, Vec::new(), Some(msg), String::new()),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let cal = st.calendar();
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&s, &ctx, &cal, &HashMap::new(), errors, None, text),
            ))
        }
        Err(e) => Err(e),
    }
}
