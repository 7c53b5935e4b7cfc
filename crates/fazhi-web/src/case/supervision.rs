//! 执法监督 (SPEC C13): the major penalty filing queue with its deadlines and export, and the
//! enforcement statistics by period, unit, item, procedure and outcome with fine totals, a chart
//! and an XLSX export.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::enforcement::yuan;
use fazhi_domain::ids::CaseId;
use fazhi_domain::org::Role;
use fazhi_store::case::{self as store, Filing, Stat};
use fazhi_store::evaluation::{self as eval, FileEvaluation, Sampled, UnitResult};
use fazhi_store::power_io::write_xlsx;
use time::Date;

use super::require_handler;
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};
use crate::{AppState, today};

/// The routes of supervision.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/cases/filings", get(filings))
        .route("/app/cases/filings/{id}/filed", post(mark_filed))
        .route("/app/cases/stats", get(stats))
        .route(
            "/app/cases/evaluations",
            get(evaluations).post(create_evaluation),
        )
        .route("/app/cases/evaluations/{id}", get(evaluation))
        .route(
            "/app/cases/evaluations/{id}/files/{case_id}",
            get(score_form).post(score),
        )
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn download(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "case/filings.html")]
struct FilingsPage {
    c: Chrome,
    items: Vec<(Filing, &'static str, &'static str)>,
    criteria: Vec<String>,
    period: String,
    basis: String,
}

/// What makes a decision a major penalty to be filed, and within how long, as the local rules
/// (`data/enforcement/rules.toml`) say: the queue states the criteria it applies.
fn filing_criteria(r: &fazhi_domain::enforcement::case::Rules) -> (Vec<String>, String) {
    let a = &r.major_filing.amounts;
    let (person, org) = (yuan(a.person_yuan * 100), yuan(a.org_yuan * 100));
    (
        vec![
            format!("对公民罚款或者没收违法所得 {person} 以上"),
            format!("对法人或者其他组织罚款或者没收违法所得 {org} 以上"),
            "警告、罚款、没收违法所得以外的处罚（如责令停产停业、吊销许可证件）".to_string(),
        ],
        format!(
            "自处罚决定作出之日起 {} 个工作日内报送备案",
            r.major_filing_days
        ),
    )
}

async fn filings(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |db| db.read(|tx| store::filings(tx, &scopes)))
        .await?;
    match q.get("format").map(String::as_str) {
        Some("json") => {
            let text = serde_json::to_string_pretty(&items)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            return Ok(download(
                "major-penalty-filings.json",
                "application/json; charset=utf-8",
                text.into_bytes(),
            ));
        }
        Some("xlsx") => {
            let mut rows = vec![
                [
                    "案号",
                    "办案单位",
                    "当事人",
                    "处罚内容",
                    "重大理由",
                    "决定日期",
                    "备案期限",
                    "备案日期",
                ]
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ];
            rows.extend(items.iter().map(|f| {
                vec![
                    f.case_no.clone(),
                    f.org_name.clone(),
                    f.party_name.clone(),
                    f.penalty.clone(),
                    f.reason.clone(),
                    f.decided_on.clone(),
                    f.due_on.clone(),
                    f.filed_on.clone().unwrap_or_default(),
                ]
            }));
            let bytes = write_xlsx("重大行政处罚备案", &rows).map_err(AppError::Internal)?;
            return Ok(download("major-penalty-filings.xlsx", XLSX, bytes));
        }
        _ => {}
    }
    let now = fmt_date(today());
    let items = items
        .into_iter()
        .map(|f| {
            let (state, class) = match &f.filed_on {
                Some(_) => ("已备案", "ok"),
                None if f.due_on < now => ("逾期未备案", "err"),
                None => ("待备案", "warn"),
            };
            (f, state, class)
        })
        .collect();
    let (criteria, period) = filing_criteria(&st.rules);
    Ok(render(&FilingsPage {
        c: Chrome::staff(&ctx, "重大行政处罚备案"),
        items,
        criteria,
        period,
        basis: fazhi_domain::enforcement::rules::for_users(&st.rules.major_filing.basis),
    }))
}

async fn mark_filed(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    st.with_env(move |db, env| db.write(|tx| store::mark_filed(tx, &actor, id, env)))
        .await?;
    Ok(Redirect::to("/app/cases/filings").into_response())
}

struct Table {
    title: &'static str,
    rows: Vec<(String, i64, i64, String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "case/stats.html")]
struct StatsPage {
    c: Chrome,
    from: String,
    to: String,
    tables: Vec<Table>,
    chart: String,
    total: (i64, i64, String),
    quarters: Vec<(String, String, String)>,
}

const DIMENSIONS: [(&str, &str); 4] = [
    ("org", "按办案单位"),
    ("item", "按处罚事项"),
    ("procedure", "按程序"),
    ("outcome", "按结果"),
];

/// The quarters of a year and the whole year (label, from, to), for the quarterly table.
fn quarters(y: i32) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = [
        ("一", "01-01", "03-31"),
        ("二", "04-01", "06-30"),
        ("三", "07-01", "09-30"),
        ("四", "10-01", "12-31"),
    ]
    .iter()
    .map(|(n, a, b)| {
        (
            format!("{y} 年第{n}季度"),
            format!("{y}-{a}"),
            format!("{y}-{b}"),
        )
    })
    .collect();
    v.push((
        format!("{y} 年全年"),
        format!("{y}-01-01"),
        format!("{y}-12-31"),
    ));
    v
}

/// Vertical bars: decisions per unit.
fn chart(stats: &[Stat]) -> String {
    let columns: Vec<(&str, i64)> = stats.iter().map(|s| (s.key.as_str(), s.decided)).collect();
    crate::charts::count_columns("各单位作出决定数", &columns)
}

async fn stats(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let today = today();
    let start = Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today);
    let from = q.get("from").and_then(|d| parse_date(d)).unwrap_or(start);
    let to = q.get("to").and_then(|d| parse_date(d)).unwrap_or(today);
    let scopes = s.actor.view_scopes();
    let data = st
        .db(move |db| db.read(|tx| store::statistics(tx, &scopes, from, to)))
        .await?;
    if q.get("format").map(String::as_str) == Some("xlsx") {
        let mut rows = vec![
            [
                "分组",
                "项目",
                "立案数",
                "决定数",
                "罚款金额（元）",
                "已缴金额（元）",
            ]
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ];
        for (dim, title) in DIMENSIONS {
            for r in data.get(dim).into_iter().flatten() {
                rows.push(vec![
                    title.to_string(),
                    r.key.clone(),
                    r.opened.to_string(),
                    r.decided.to_string(),
                    format!("{:.2}", r.fines as f64 / 100.0),
                    format!("{:.2}", r.paid as f64 / 100.0),
                ]);
            }
        }
        let bytes = write_xlsx("行政处罚统计", &rows).map_err(AppError::Internal)?;
        return Ok(download(
            &format!(
                "penalty-statistics-{}-{}.xlsx",
                fmt_date(from),
                fmt_date(to)
            ),
            XLSX,
            bytes,
        ));
    }
    let by_org = data.get("org").cloned().unwrap_or_default();
    let total = (
        by_org.iter().map(|r| r.opened).sum(),
        by_org.iter().map(|r| r.decided).sum(),
        yuan(by_org.iter().map(|r| r.fines).sum()),
    );
    let tables = DIMENSIONS
        .iter()
        .map(|(dim, title)| Table {
            title,
            rows: data
                .get(dim)
                .into_iter()
                .flatten()
                .map(|r| {
                    let behind = crate::form::query_string(&[(r.filter.0, &r.filter.1)]);
                    let (f, t) = (fmt_date(from), fmt_date(to));
                    (
                        r.key.clone(),
                        r.opened,
                        r.decided,
                        yuan(r.fines),
                        yuan(r.paid),
                        format!("/app/cases?{behind}&opened_from={f}&opened_to={t}"),
                        format!("/app/cases?{behind}&decided_from={f}&decided_to={t}"),
                    )
                })
                .collect(),
        })
        .collect();
    Ok(render(&StatsPage {
        c: Chrome::staff(&ctx, "行政处罚统计"),
        from: fmt_date(from),
        to: fmt_date(to),
        chart: chart(&by_org),
        tables,
        total,
        quarters: quarters(today.year()),
    }))
}

// ---------------------------------------------------------------- 案卷评查

#[derive(Template)]
#[template(path = "case/evaluations.html")]
struct EvaluationsPage {
    c: Chrome,
    items: Vec<(FileEvaluation, i64, i64)>,
    can_create: bool,
    form: crate::form::FormValues,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

async fn evaluations_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    form: HashMap<String, String>,
    (errors, refusal): (Vec<FieldError>, Option<String>),
) -> Result<Response, AppError> {
    require_handler(s)?;
    let actor = s.actor.clone();
    let items = st
        .db(move |db| db.read(|tx| eval::list(tx, &actor)))
        .await?;
    let status = if errors.is_empty() && refusal.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &EvaluationsPage {
            c: Chrome::staff(ctx, "案卷评查"),
            items,
            can_create: s.actor.has_role(Role::LegalDivision),
            form: form.into(),
            errors,
            refusal,
        },
    ))
}

async fn evaluations(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    let y = today().year();
    let form = HashMap::from([
        ("title".to_string(), format!("{y} 年度行政处罚案卷评查")),
        ("from".to_string(), format!("{y}-01-01")),
        ("to".to_string(), fmt_date(today())),
        ("per_unit".to_string(), "3".to_string()),
    ]);
    evaluations_page(&st, &s, &ctx, form, (Vec::new(), None)).await
}

async fn create_evaluation(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let g = |k: &str| f.get(k).map(|x| x.trim().to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    let mut day = |k: &str, label: &str| {
        parse_date(&g(k)).ok_or_else(|| {
            errors.push(FieldError::new(
                k,
                label,
                "请填写有效日期，格式为 2026-09-28",
            ));
        })
    };
    let from = day("from", "结案日期自");
    let to = day("to", "结案日期至");
    let per_unit = g("per_unit").parse::<i64>().unwrap_or(0);
    let (Ok(from), Ok(to), true) = (from, to, errors.is_empty()) else {
        return evaluations_page(&st, &s, &ctx, f, (errors, None)).await;
    };
    let actor = s.actor.clone();
    let title = g("title");
    let r = st
        .db(move |db| {
            db.write(|tx| {
                eval::create(
                    tx,
                    &actor,
                    (&title, from, to, per_unit),
                    &fazhi_domain::enforcement::evaluation::Sheet::shipped(),
                )
            })
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok((id, _)) => Ok(Redirect::to(&format!("/app/cases/evaluations/{id}")).into_response()),
        Err((_, e, refusal)) => evaluations_page(&st, &s, &ctx, f, (e, refusal)).await,
    }
}

#[derive(Template)]
#[template(path = "case/evaluation.html")]
struct EvaluationPage {
    c: Chrome,
    e: FileEvaluation,
    files: Vec<(Sampled, String)>,
    results: Vec<(UnitResult, String)>,
}

async fn evaluation(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let (e, files) = st
        .db(move |db| db.read(|tx| eval::get(tx, &actor, id)))
        .await?;
    let results = eval::results(&files)
        .into_iter()
        .map(|r| {
            let g = if r.scored > 0 {
                e.sheet.grade(r.average.round() as i64).to_string()
            } else {
                String::new()
            };
            (r, g)
        })
        .collect();
    let files = files
        .into_iter()
        .map(|f| {
            let g = f
                .total
                .map(|t| e.sheet.grade(t).to_string())
                .unwrap_or_default();
            (f, g)
        })
        .collect();
    Ok(render(&EvaluationPage {
        c: Chrome::staff(&ctx, "案卷评查"),
        e,
        files,
        results,
    }))
}

#[derive(Template)]
#[template(path = "case/score.html")]
struct ScorePage {
    c: Chrome,
    e: FileEvaluation,
    f: Sampled,
    values: crate::form::FormValues,
    errors: Vec<FieldError>,
}

async fn score_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    (id, case_id): (i64, CaseId),
    values: Option<HashMap<String, String>>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let actor = s.actor.clone();
    let (e, files) = st
        .db(move |db| db.read(|tx| eval::get(tx, &actor, id)))
        .await?;
    let f = files
        .into_iter()
        .find(|f| f.case_id == case_id)
        .ok_or(AppError::NotFound)?;
    let values = values.unwrap_or_else(|| {
        let mut m: HashMap<String, String> = f
            .scores
            .iter()
            .map(|(k, v)| (format!("score_{k}"), v.to_string()))
            .collect();
        m.insert("findings".into(), f.findings.clone().unwrap_or_default());
        m
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &ScorePage {
            c: Chrome::staff(ctx, "案卷评查"),
            e,
            f,
            values: values.into(),
            errors,
        },
    ))
}

async fn score_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path((id, case_id)): Path<(i64, CaseId)>,
) -> Result<Response, AppError> {
    score_page(&st, &s, &ctx, (id, case_id), None, Vec::new()).await
}

async fn score(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path((id, case_id)): Path<(i64, CaseId)>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let mut scores = std::collections::BTreeMap::new();
    let mut errors = Vec::new();
    for (k, v) in &f {
        if let Some(item) = k.strip_prefix("score_") {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match v.parse::<i64>() {
                Ok(n) => {
                    scores.insert(item.to_string(), n);
                }
                Err(_) => errors.push(FieldError::new(k, item, "请填写整数分值")),
            }
        }
    }
    if !errors.is_empty() {
        return score_page(&st, &s, &ctx, (id, case_id), Some(f), errors).await;
    }
    let findings = f.get("findings").cloned().unwrap_or_default();
    let actor = s.actor.clone();
    let r = st
        .db(move |db| db.write(|tx| eval::score(tx, &actor, (id, case_id), &scores, &findings)))
        .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/app/cases/evaluations/{id}")).into_response()),
        Err(AppError::Invalid(e)) => score_page(&st, &s, &ctx, (id, case_id), Some(f), e).await,
        Err(e) => Err(e),
    }
}
