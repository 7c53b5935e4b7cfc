//! The text of a document: two versions side by side, the legality review's written opinion as
//! an official document, and the exchange as Akoma Ntoso XML (export, and import as a new draft).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date_zh;
use fazhi_domain::normative::akn::{self, AknDoc};
use fazhi_domain::normative::{ArticleDiff, compare as diff};
use fazhi_domain::org::{OrgAction, may};
use fazhi_store::StoreError;
use fazhi_store::audit::Who;
use fazhi_store::normative::{self as store, ActionInput, NewDoc};

use super::require_staff;
use crate::ctx::{Session, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};
use crate::procedure::confirm::DocView;
use crate::{AppState, today};

/// Loads a document the person may see, with its versions.
async fn load(
    st: &AppState,
    s: &Session,
    id: i64,
) -> Result<(store::NormativeDoc, Vec<store::DraftVersion>, String), AppError> {
    let actor = s.actor.clone();
    st.db(move |db| {
        db.read(|tx| {
            let d = store::get(tx, id)?;
            let acting = store::acting_on(tx, &actor, &d)?;
            may(&acting, OrgAction::View, &d.org_path)
                .map_err(|_| StoreError::NotFound("该规范性文件"))?;
            let (_, bureau, _) = fazhi_store::numbering::bureau_of_path(tx, &d.org_path)?;
            Ok((d, store::versions(tx, id)?, bureau))
        })
    })
    .await
}

#[derive(Template)]
#[template(path = "normative/compare.html")]
struct ComparePage {
    c: Chrome,
    d: store::NormativeDoc,
    a: i64,
    b: i64,
    rows: Vec<ArticleDiff>,
}

/// Two versions side by side, article by article, the changed characters marked.
pub(super) async fn compare(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (d, versions, _) = load(&st, &s, id).await?;
    let n = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let last = versions.last().map_or(0, |v| v.version_no);
    let (a, b) = (n("a").unwrap_or(last - 1), n("b").unwrap_or(last));
    let text = |no: i64| {
        versions
            .iter()
            .find(|v| v.version_no == no)
            .map(|v| v.body.as_str())
    };
    let (Some(ta), Some(tb)) = (text(a), text(b)) else {
        return Err(AppError::NotFound);
    };
    Ok(render(&ComparePage {
        c: Chrome::staff(&ctx, "规范性文件"),
        rows: diff(ta, tb),
        d,
        a,
        b,
    }))
}

#[derive(Template)]
#[template(path = "case/document.html")]
struct DocumentPage {
    c: Chrome,
    d: DocView,
    sha256: String,
}

/// 合法性审核意见书: the legal division's written opinion, as an official document.
pub(super) async fn opinion(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (d, _, bureau) = load(&st, &s, id).await?;
    let (Some(text), Some(on)) = (d.legality_opinion.clone(), d.legality_reviewed_on) else {
        return Err(AppError::NotFound);
    };
    let conclusion = if d.legality_passed == Some(true) {
        "经审核，该文件制定主体适格，未超越法定权限，制定程序符合规定，内容合法，可以提交集体审议。"
    } else {
        "经审核，该文件存在上述问题，不得提交集体审议。请按照审核意见修改后重新报送合法性审核。"
    };
    let paragraphs = vec![
        format!("{}：", d.org_name),
        format!(
            "你单位报送的《{}》（第{}稿）收悉。根据《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》（国办发〔2018〕115号），本机构对该文件的制定主体、制定权限、制定程序和主要内容进行了合法性审核。审核意见如下：",
            d.title, d.draft_version
        ),
        text,
        conclusion.to_string(),
        format!(
            "审核人：{}",
            d.legality_reviewer.clone().unwrap_or_default()
        ),
    ];
    let body = paragraphs.join("\n");
    Ok(render(&DocumentPage {
        c: Chrome::staff(&ctx, "规范性文件"),
        sha256: fazhi_domain::audit::sha256_hex(body.as_bytes()),
        d: DocView {
            kind: "legality_opinion".into(),
            title: format!("关于《{}》的合法性审核意见书", d.title),
            number: format!("合法性审核 {}", d.ref_no),
            issuer: bureau,
            paragraphs,
            rows: Vec::new(),
            issued_on: fmt_date_zh(on),
        },
    }))
}

fn akn_of(d: &store::NormativeDoc, versions: &[store::DraftVersion], issuer: String) -> AknDoc {
    let v = versions.last();
    AknDoc {
        title: d.title.clone(),
        number: d.number.clone(),
        issuer,
        date: d.published_on.or(Some(today())),
        version_no: v.map_or(0, |v| u32::try_from(v.version_no).unwrap_or(0)),
        body: v.map(|v| v.body.clone()).unwrap_or_default(),
    }
}

/// The current text as Akoma Ntoso XML.
pub(super) async fn export(
    State(st): State<AppState>,
    Staff(s, _ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (d, versions, bureau) = load(&st, &s, id).await?;
    if versions.is_empty() {
        return Err(AppError::NotFound);
    }
    let xml = akn::export(&akn_of(&d, &versions, bureau));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/akn+xml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"normative-{}.xml\"", d.ref_no),
            ),
        ],
        xml,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "normative/import.html")]
struct ImportPage {
    c: Chrome,
    units: Vec<(String, String)>,
    xml: String,
    errors: Vec<FieldError>,
}

async fn units(st: &AppState, s: &Session) -> Result<Vec<(String, String)>, AppError> {
    let scopes = s.actor.view_scopes();
    let orgs = st
        .db(move |db| db.read(|tx| fazhi_store::org::list_orgs(tx, &scopes)))
        .await?;
    Ok(orgs
        .into_iter()
        .filter(|o| {
            s.actor.roles_over(&o.path).iter().any(|r| {
                matches!(
                    r,
                    fazhi_domain::org::Role::Officer | fazhi_domain::org::Role::DivisionHead
                )
            })
        })
        .map(|o| (o.id.to_string(), o.name))
        .collect())
}

pub(super) async fn import_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    require_staff(&s)?;
    Ok(render(&ImportPage {
        c: Chrome::staff(&ctx, "规范性文件"),
        units: units(&st, &s).await?,
        xml: String::new(),
        errors: Vec::new(),
    }))
}

/// Registers a new draft from an Akoma Ntoso file: its title and text become the first version.
pub(super) async fn import(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_staff(&s)?;
    let xml = f.get("xml").cloned().unwrap_or_default();
    let units = units(&st, &s).await?;
    let org = f.get("org_id").cloned().unwrap_or_default();
    let mut errors = Vec::new();
    if !units.iter().any(|(id, _)| *id == org) {
        errors.push(FieldError::new("org_id", "起草单位", "请从列表中选择"));
    }
    let parsed = akn::import(&xml).map_err(|e| errors.push(FieldError::new("xml", "文件内容", &e)));
    let (Ok(doc), true) = (parsed, errors.is_empty()) else {
        let page = ImportPage {
            c: Chrome::staff(&ctx, "规范性文件"),
            units,
            xml,
            errors,
        };
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let flag = |k: &str| f.get(k).is_some_and(|v| v == "1");
    let new = NewDoc {
        org_id: org.parse().unwrap_or(0),
        title: doc.title.clone(),
        concerns_market: flag("concerns_market"),
        affects_public: flag("affects_public"),
        closely_market: false,
        complex: false,
    };
    let actor = s.actor.clone();
    let rules = st.normative_rules.clone();
    let id = st
        .with_clock(move |db, clock, reg| {
            db.write(|tx| {
                let id = store::open(tx, &actor, &new, reg, clock.today)?;
                let input = ActionInput {
                    text: doc.body.clone(),
                    choice: Some(format!(
                        "自 Akoma Ntoso 文件导入{}",
                        doc.number
                            .as_deref()
                            .map(|n| format!("（原文号 {n}）"))
                            .unwrap_or_default()
                    )),
                    ..ActionInput::default()
                };
                store::act(
                    tx,
                    (&actor, &Who::from(&actor)),
                    (id, 1),
                    ("save_draft", &input),
                    (reg, &rules),
                    clock,
                )?;
                Ok(id)
            })
        })
        .await?;
    Ok(Redirect::to(&format!("/app/normative/{id}")).into_response())
}
