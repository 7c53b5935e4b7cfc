//! 行政裁量权基准 in the staff UI and on the portal (行政处罚法 第三十四条: published): each
//! violation's grades and factors, a calculator that shows the band a penalty must fall in and
//! why, the versions, and (for the legal division) publishing a new version.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::enforcement::case::Rules;
use fazhi_domain::enforcement::discretion::{Band, Grade, check_fine};
use fazhi_domain::enforcement::rules::for_users;
use fazhi_domain::enforcement::yuan;
use fazhi_domain::org::Role;
use fazhi_store::discretion::{self as store, Published};
use fazhi_store::org::By;

use crate::capability::{Capability, Nav};
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};
use crate::{AppState, today};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/discretion", get(staff_list).post(publish))
        .route("/app/discretion/{code}", get(staff_item))
        .route("/discretion", get(portal_list))
        .route("/discretion/{code}", get(portal_item))
}

/// 裁量基准, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/discretion",
        label: "裁量基准",
        shown: crate::capability::everyone,
    }],
    audit: &[(
        "discretion.publish_benchmark",
        "公布裁量基准",
        "Benchmark published",
    )],
    strings: &[
        ("执法规则（本机关配置）", "Enforcement rules (configured)"),
        (
            "以下数额和期限由执法规则文件配置，案件页面和公开平台只显示依据，不显示配置说明。",
            "These amounts and periods come from the rules file; case pages and the portal show the basis without the configuration notes.",
        ),
        ("规则", "Rule"),
        ("配置值", "Value"),
        ("依据及配置说明", "Basis and notes"),
        ("听证告知的较大数额", "Hearing threshold"),
        ("法制审核的数额", "Legal review threshold"),
        ("集体讨论的数额", "Collective discussion threshold"),
        ("重大行政处罚备案的数额", "Major penalty filing threshold"),
        ("重大行政处罚备案期限", "Major penalty filing period"),
        ("集体讨论的负责人人数", "Heads for a collective discussion"),
        ("当场处罚决定备案期限", "On-the-spot decision filing period"),
        ("九十日办案期限可延长的日数", "Extension of the ninety days"),
    ],
    ..Capability::new("discretion", routes)
};

#[derive(Template)]
#[template(path = "discretion/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Published>,
    base: &'static str,
    can_publish: bool,
    errors: Vec<FieldError>,
    published: Option<String>,
    text: String,
    rules: Vec<(&'static str, String, String)>,
    rules_note: String,
}

/// The local rules of the penalty procedure as configured (`data/enforcement/rules.toml`), with
/// their notes, for the legal division that maintains them: (rule, value, basis as written).
fn rules_rows(r: &Rules) -> Vec<(&'static str, String, String)> {
    let amounts = |t: &fazhi_domain::enforcement::rules::Threshold| {
        format!(
            "公民 {}，法人或者其他组织 {}",
            yuan(t.amounts.person_yuan * 100),
            yuan(t.amounts.org_yuan * 100)
        )
    };
    let days = |n: u32| format!("{n} 个工作日");
    vec![
        (
            "听证告知的较大数额",
            amounts(&r.hearing),
            r.hearing.basis.clone(),
        ),
        (
            "法制审核的数额",
            amounts(&r.legal_review),
            r.legal_review.basis.clone(),
        ),
        (
            "集体讨论的数额",
            amounts(&r.collective),
            r.collective.basis.clone(),
        ),
        (
            "重大行政处罚备案的数额",
            amounts(&r.major_filing),
            r.major_filing.basis.clone(),
        ),
        (
            "重大行政处罚备案期限",
            days(r.major_filing_days),
            r.major_filing_basis.clone(),
        ),
        (
            "线索核查期限",
            days(r.lead_assessment_days),
            r.lead_assessment_basis.clone(),
        ),
        (
            "集体讨论的负责人人数",
            format!("{} 人", r.collective_quorum),
            r.collective_quorum_basis.clone(),
        ),
        (
            "当场处罚决定备案期限",
            days(r.summary_filing_days),
            r.summary_filing_basis.clone(),
        ),
        (
            "九十日办案期限可延长的日数",
            format!("{} 日", r.decision_extension_days),
            r.decision_extension_basis.clone(),
        ),
    ]
}

/// Whether this person maintains the configuration (the legal division).
fn configures(ctx: &Ctx, staff: bool) -> bool {
    staff
        && ctx
            .session
            .as_deref()
            .is_some_and(|s| s.actor.has_role(Role::LegalDivision))
}

/// Whether this person publishes the benchmarks: the legal division whose role reaches the
/// whole tree (the city's), as the store checks; a county's legal unit reads them.
fn publishes(ctx: &Ctx, staff: bool) -> bool {
    staff
        && ctx
            .session
            .as_deref()
            .is_some_and(|s| s.actor.holds_over_root(Role::LegalDivision))
}

async fn list_page(
    st: &AppState,
    ctx: &Ctx,
    staff: bool,
    errors: Vec<FieldError>,
    published: Option<String>,
    text: String,
) -> Result<Response, AppError> {
    let items = st.db(|s| s.read(|tx| store::in_force(tx, today()))).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &ListPage {
            c: if staff {
                Chrome::staff(ctx, "裁量基准")
            } else {
                Chrome::portal(ctx, "裁量基准")
            },
            items,
            base: if staff {
                "/app/discretion"
            } else {
                "/discretion"
            },
            can_publish: publishes(ctx, staff),
            errors,
            published,
            text,
            rules: if configures(ctx, staff) {
                rules_rows(&st.rules)
            } else {
                Vec::new()
            },
            rules_note: st.rules.note.clone(),
        },
    ))
}

async fn staff_list(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
) -> Result<Response, AppError> {
    list_page(&st, &ctx, true, Vec::new(), None, String::new()).await
}

async fn portal_list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    list_page(&st, &ctx, false, Vec::new(), None, String::new()).await
}

async fn publish(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let text = f.get("benchmarks").cloned().unwrap_or_default();
    let t = text.clone();
    let actor = s.actor.clone();
    let r = st
        .db(move |store| {
            let items = store::parse_file(&t)?;
            store.write(|tx| store::publish(tx, By::Actor(&actor), &items))
        })
        .await;
    match r {
        Ok(v) if v.is_empty() => {
            list_page(
                &st,
                &ctx,
                true,
                Vec::new(),
                Some("内容与现行版本相同，没有变化。".into()),
                String::new(),
            )
            .await
        }
        Ok(v) => {
            let msg = v
                .iter()
                .map(|(c, n)| format!("{c} 第 {n} 版"))
                .collect::<Vec<_>>()
                .join("、");
            list_page(
                &st,
                &ctx,
                true,
                Vec::new(),
                Some(format!("已公布：{msg}。")),
                String::new(),
            )
            .await
        }
        Err(AppError::Invalid(e)) => list_page(&st, &ctx, true, e, None, text).await,
        Err(AppError::Refused(r)) => {
            list_page(
                &st,
                &ctx,
                true,
                vec![FieldError {
                    field: "benchmarks".into(),
                    message: r.message,
                }],
                None,
                text,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

struct GradeLine {
    key: &'static str,
    label: &'static str,
    description: String,
    penalty: String,
}

#[derive(Template)]
#[template(path = "discretion/item.html")]
struct ItemPage {
    c: Chrome,
    p: Published,
    from: String,
    grades: Vec<GradeLine>,
    factors: Vec<(usize, &'static str, String, String, bool)>,
    versions: Vec<(i64, String)>,
    base: &'static str,
    grade: String,
    fine: String,
    reasons: String,
    band: Option<Band>,
    verdict: Option<Result<bool, String>>,
}

fn grade_key(g: Grade) -> &'static str {
    match g {
        Grade::Minor => "minor",
        Grade::Ordinary => "ordinary",
        Grade::Serious => "serious",
        Grade::Grave => "grave",
    }
}

async fn item(
    st: &AppState,
    ctx: &Ctx,
    code: String,
    q: &HashMap<String, String>,
    staff: bool,
) -> Result<Response, AppError> {
    let c = code.clone();
    let all = st.db(move |s| s.read(|tx| store::versions(tx, &c))).await?;
    let wanted = q.get("version").and_then(|v| v.parse::<i64>().ok());
    let today = today();
    let p = match wanted {
        Some(v) => all.iter().find(|x| x.version == v),
        None => all
            .iter()
            .rfind(|x| x.effective_from <= today)
            .or_else(|| all.last()),
    }
    .cloned()
    .ok_or(AppError::NotFound)?;
    let mut p = p;
    if !configures(ctx, staff) {
        // The data's notes to its maintainers are for the legal division's page only.
        p.benchmark.note = for_users(&p.benchmark.note);
    }
    let b = &p.benchmark;
    let picked: Vec<usize> = q
        .iter()
        .filter(|(k, _)| k.starts_with('f'))
        .filter_map(|(k, _)| k[1..].parse().ok())
        .collect();
    let grade = q.get("grade").cloned().unwrap_or_default();
    let g = b
        .grades
        .iter()
        .map(|x| x.grade)
        .find(|x| grade_key(*x) == grade);
    let band = g.and_then(|g| b.band(g, &picked).ok());
    let fine = q.get("fine").cloned().unwrap_or_default();
    let reasons = q.get("reasons").cloned().unwrap_or_default();
    let verdict = match (&band, fine.trim().parse::<f64>()) {
        (Some(band), Ok(y)) if y >= 0.0 => {
            Some(check_fine(band, (y * 100.0).round() as i64, &reasons).map_err(|r| r.to_string()))
        }
        _ => None,
    };
    let page = ItemPage {
        c: if staff {
            Chrome::staff(ctx, "裁量基准")
        } else {
            Chrome::portal(ctx, "裁量基准")
        },
        from: fmt_date(p.effective_from),
        grades: b
            .grades
            .iter()
            .map(|x| GradeLine {
                key: grade_key(x.grade),
                label: x.grade.label_zh(),
                description: x.description.clone(),
                penalty: [
                    if x.warning {
                        "警告".to_string()
                    } else {
                        String::new()
                    },
                    x.fine_yuan.map_or(String::new(), |(a, b)| {
                        format!("罚款 {}–{}", yuan(a * 100), yuan(b * 100))
                    }),
                    x.other.clone(),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("；"),
            })
            .collect(),
        factors: b
            .factors
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    i,
                    f.effect.label_zh(),
                    f.text.clone(),
                    f.basis.clone(),
                    picked.contains(&i),
                )
            })
            .collect(),
        versions: all
            .iter()
            .map(|v| (v.version, fmt_date(v.effective_from)))
            .collect(),
        base: if staff {
            "/app/discretion"
        } else {
            "/discretion"
        },
        grade,
        fine,
        reasons,
        band,
        verdict,
        p,
    };
    Ok(render(&page))
}

async fn staff_item(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    item(&st, &ctx, code, &q, true).await
}

async fn portal_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    item(&st, &ctx, code, &q, false).await
}
