//! 网上办理: the public applies for an application-based item on the portal with its materials
//! and follows it by tracking number; staff accept, ask once for every missing material, review,
//! decide within the limit and issue the certificate; results and figures are published.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fazhi_domain::FieldError;
use fazhi_domain::application::{PROCEDURE, check_party, check_upload};
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::identity::mask_id_number;
use fazhi_domain::org::{OrgAction, may};
use fazhi_domain::power::PowerItem;
use fazhi_store::application::{self as store, ActionInput, NewApplication, NewFile, SUBJECT};
use fazhi_store::audit::{self, Who};
use fazhi_store::time_limit as limits;
use fazhi_store::{StoreError, files, publication};
use time::Date;

use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Session, Staff};
use crate::disclosure::{LimitView, handles_requests, limit_views};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, fmt_ms, render, render_status};
use crate::{AppState, today};

/// Largest upload request: six materials of 5 MiB and the form.
const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    let uploads = Router::new()
        .route("/apply/{code}", get(apply_form).post(apply))
        .route("/apply/supplement", post(supplement))
        .route_layer(DefaultBodyLimit::max(UPLOAD_LIMIT));
    Router::new()
        .merge(uploads)
        .route("/apply/status", get(status))
        .route("/results", get(results))
        .route("/app/applications", get(staff_list))
        .route("/app/applications/stats", get(staff_stats))
        .route(
            "/app/applications/new",
            get(counter_form)
                .post(counter_register)
                .route_layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/app/applications/{id}", get(staff_record))
        .route("/app/applications/{id}/act", post(staff_act))
        .route("/app/applications/{id}/files/{file}", get(download))
}

fn require_handler(s: &Session) -> Result<(), AppError> {
    if handles_requests(&s.actor) {
        return Ok(());
    }
    Err(AppError::Forbidden(fazhi_domain::Refusal::new(
        "application.not_handler",
        "法律顾问不办理依申请事项。",
    )))
}

// ---------- portal ----------

#[derive(Default, Clone)]
struct ApplyForm {
    requester_kind: String,
    requester_name: String,
    requester_id_no: String,
    contact: String,
    statement: String,
}

#[derive(Template)]
#[template(path = "application/apply.html")]
struct ApplyPage {
    c: Chrome,
    item: PowerItem,
    form: ApplyForm,
    errors: Vec<FieldError>,
}

async fn online_item(st: &AppState, code: &str) -> Result<PowerItem, AppError> {
    let code = code.to_string();
    st.db(move |s| s.read(|tx| store::item_for_online(tx, &code, today())))
        .await
}

async fn apply_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let item = online_item(&st, &code).await?;
    let form = ApplyForm {
        requester_kind: "org".into(),
        ..ApplyForm::default()
    };
    Ok(render(&ApplyPage {
        c: Chrome::portal(&ctx, "网上申请"),
        item,
        form,
        errors: Vec::new(),
    }))
}

/// Reads a multipart form: text fields, and files by field name (file name, bytes).
pub(crate) async fn read_multipart(
    mut mp: Multipart,
) -> Result<(HashMap<String, String>, Vec<(String, String, Vec<u8>)>), AppError> {
    let mut fields = HashMap::new();
    let mut uploads = Vec::new();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| AppError::Status(StatusCode::PAYLOAD_TOO_LARGE))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::Status(StatusCode::PAYLOAD_TOO_LARGE))?;
                if !file_name.is_empty() && !bytes.is_empty() {
                    uploads.push((name, file_name, bytes.to_vec()));
                }
            }
            None => {
                fields.insert(name, field.text().await.unwrap_or_default());
            }
        }
    }
    Ok((fields, uploads))
}

/// Checks every upload against the item's materials (`m0`, `m1`… by position) and stores the
/// good ones by content; the errors name the material.
fn store_uploads(
    dir: &std::path::Path,
    item: &PowerItem,
    uploads: &[(String, String, Vec<u8>)],
) -> Result<Vec<NewFile>, Vec<FieldError>> {
    let materials = item
        .application
        .as_ref()
        .map(|a| a.materials.clone())
        .unwrap_or_default();
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for (field, file_name, bytes) in uploads {
        let Some(m) = field
            .strip_prefix('m')
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| materials.get(i))
        else {
            errors.push(FieldError {
                field: field.clone(),
                message: format!("「{field}」不是该事项的申请材料"),
            });
            continue;
        };
        match check_upload(field, &m.name, file_name, bytes) {
            Ok(ct) => checked.push((m.name.clone(), file_name.clone(), ct, bytes)),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    checked
        .into_iter()
        .map(|(material, file_name, ct, bytes)| {
            let sha256 = files::save(dir, bytes).map_err(|e| {
                vec![FieldError {
                    field: "file".into(),
                    message: format!("文件保存失败：{e}"),
                }]
            })?;
            Ok(NewFile {
                material,
                file_name,
                content_type: ct.into(),
                size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                sha256,
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "application/submitted.html")]
struct SubmittedPage {
    c: Chrome,
    tracking_no: String,
    code: String,
}

async fn apply(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let item = online_item(&st, &code).await?;
    let (f, uploads) = read_multipart(mp).await?;
    let g = |k: &str| f.get(k).cloned().unwrap_or_default();
    let form = ApplyForm {
        requester_kind: g("requester_kind"),
        requester_name: g("requester_name"),
        requester_id_no: g("requester_id_no"),
        contact: g("contact"),
        statement: g("statement"),
    };
    let mut errors = Vec::new();
    let party = check_party(
        &form.requester_kind,
        &form.requester_name,
        &form.requester_id_no,
        &form.contact,
    )
    .map_err(|e| errors.extend(e))
    .ok();
    let statement =
        fazhi_domain::validate::text("statement", "申请事项说明", &form.statement, 2, 2000)
            .map_err(|e| errors.push(e))
            .ok();
    // Files are checked even when other fields are wrong, so every message comes at once; they
    // are stored only when everything is right.
    let files_ok = if errors.is_empty() {
        store_uploads(&st.settings.files_dir, &item, &uploads)
            .map_err(|e| errors.extend(e))
            .ok()
    } else {
        let materials = item
            .application
            .as_ref()
            .map(|a| a.materials.clone())
            .unwrap_or_default();
        for (field, file_name, bytes) in &uploads {
            let name = field
                .strip_prefix('m')
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| materials.get(i))
                .map_or("申请材料".to_string(), |m| m.name.clone());
            if let Err(e) = check_upload(field, &name, file_name, bytes) {
                errors.push(e);
            }
        }
        None
    };
    let (Some((kind, name, id_no, contact)), Some(statement), Some(files), true) =
        (party, statement, files_ok, errors.is_empty())
    else {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ApplyPage {
                c: Chrome::portal(&ctx, "网上申请"),
                item,
                form,
                errors,
            },
        ));
    };
    let new = NewApplication {
        item_code: item.code.clone(),
        applicant_kind: kind,
        applicant_name: name,
        applicant_id_no: id_no,
        contact,
        statement,
        files,
        channel: "online".into(),
    };
    let (_, tracking_no, code) = st
        .with_clock(move |s, clock, reg| s.write(|tx| store::submit(tx, None, &new, reg, clock)))
        .await?;
    Ok(render(&SubmittedPage {
        c: Chrome::portal(&ctx, "申请已提交"),
        tracking_no,
        code,
    }))
}

struct Step {
    at: String,
    title: String,
    text: String,
}

#[derive(Template)]
#[template(path = "application/status.html")]
struct StatusPage {
    c: Chrome,
    no: String,
    code: String,
    found: Option<serde_json::Value>,
    steps: Vec<Step>,
    asked: bool,
    requested: Vec<(usize, String)>,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
}

async fn status_page(
    st: &AppState,
    ctx: &Ctx,
    no: String,
    code: String,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let (n, c) = (no.clone(), code.clone());
    let found = st
        .db(move |s| s.read(|tx| store::status(tx, &n, &c)))
        .await?;
    let steps = found
        .as_ref()
        .and_then(|b| b["steps"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let mut text = s["text"].as_str().unwrap_or_default().to_string();
            if let Some(m) = s["materials"].as_array().filter(|m| !m.is_empty()) {
                let names: Vec<&str> = m.iter().filter_map(|x| x.as_str()).collect();
                text = format!(
                    "{}{}材料：{}",
                    text,
                    if text.is_empty() { "" } else { "；" },
                    names.join("、")
                );
            }
            Step {
                at: fmt_ms(s["at_ms"].as_i64().unwrap_or_default()),
                title: s["title"].as_str().unwrap_or_default().to_string(),
                text,
            }
        })
        .collect();
    // The materials asked for, with their position in the item (the upload field names).
    let mut requested = Vec::new();
    if let Some(b) = found
        .as_ref()
        .filter(|b| b["stage"] == "awaiting_supplement")
    {
        let asked: Vec<String> = b["supplement_request"]["materials"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let item_name = b["item_name"].as_str().unwrap_or_default().to_string();
        let _ = item_name;
        let tracking = no.clone();
        let materials = st
            .db(move |s| {
                s.read(|tx| {
                    let r = tx.query_opt(
                        "SELECT item_code FROM applications WHERE tracking_no = ?",
                        fazhi_store::vals![tracking],
                    )?;
                    let Some(code) = r.map(|r| r.text(0)).transpose()? else {
                        return Ok(Vec::new());
                    };
                    Ok(fazhi_store::power::versions(tx, &code)?
                        .into_iter()
                        .next_back()
                        .and_then(|v| v.item.application)
                        .map(|a| a.materials)
                        .unwrap_or_default())
                })
            })
            .await?;
        for (i, m) in materials.iter().enumerate() {
            if asked.contains(&m.name) || asked.is_empty() {
                requested.push((i, m.name.clone()));
            }
        }
    }
    let status = if found.is_some() || no.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let status = if errors.is_empty() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &StatusPage {
            c: Chrome::portal(ctx, "办理进度查询"),
            asked: !no.is_empty(),
            no,
            code,
            found,
            steps,
            requested,
            errors,
            done,
        },
    ))
}

async fn status(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let no = q
        .get("no")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    let code = q
        .get("code")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    status_page(&st, &ctx, no, code, Vec::new(), None).await
}

async fn supplement(
    State(st): State<AppState>,
    ctx: Ctx,
    mp: Multipart,
) -> Result<Response, AppError> {
    let (f, uploads) = read_multipart(mp).await?;
    let no = f
        .get("no")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    let code = f
        .get("code")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    let tracking = no.clone();
    let item = st
        .db(move |s| {
            s.read(|tx| {
                let r = tx.query_opt(
                    "SELECT item_code FROM applications WHERE tracking_no = ?",
                    fazhi_store::vals![tracking],
                )?;
                let code = r
                    .map(|r| r.text(0))
                    .transpose()?
                    .ok_or(StoreError::NotFound("该申请"))?;
                fazhi_store::power::versions(tx, &code)?
                    .into_iter()
                    .next_back()
                    .map(|v| v.item)
                    .ok_or(StoreError::NotFound("该事项"))
            })
        })
        .await?;
    let stored = match store_uploads(&st.settings.files_dir, &item, &uploads) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            return status_page(
                &st,
                &ctx,
                no,
                code,
                vec![FieldError::new("files", "补正材料", "请选择要上传的文件")],
                None,
            )
            .await;
        }
        Err(e) => return status_page(&st, &ctx, no, code, e, None).await,
    };
    let (n, c) = (no.clone(), code.clone());
    let r = st
        .with_clock(move |s, clock, reg| {
            s.write(|tx| store::supply_from_portal(tx, &n, &c, stored, reg, clock))
        })
        .await;
    match r {
        Ok(()) => status_page(&st, &ctx, no, code, Vec::new(), Some("补正材料已提交。")).await,
        Err(AppError::Invalid(e)) => status_page(&st, &ctx, no, code, e, None).await,
        Err(AppError::Refused(r)) => {
            status_page(
                &st,
                &ctx,
                no,
                code,
                vec![FieldError {
                    field: "files".into(),
                    message: r.message,
                }],
                None,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

struct ResultLine {
    item_name: String,
    org_name: String,
    applicant: String,
    decision: String,
    decided_on: String,
    certificate_no: String,
}

#[derive(Template)]
#[template(path = "application/results.html")]
struct ResultsPage {
    c: Chrome,
    items: Vec<ResultLine>,
    year: i32,
    by_item: Vec<store::Figures>,
    by_org: Vec<store::Figures>,
    chart: String,
}

/// Figures back from their publication (the portal reads only publications).
fn published_figures(v: &serde_json::Value) -> Vec<store::Figures> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    let n = |k: &str| u32::try_from(f[k].as_u64().unwrap_or(0)).unwrap_or(0);
                    let decided = n("decided");
                    let rate = f["on_time_rate"].as_f64().unwrap_or(0.0);
                    let avg = f["average_days"].as_f64().unwrap_or(0.0);
                    let share = f["online_share"].as_f64().unwrap_or(0.0);
                    store::Figures {
                        key: f["name"].as_str().unwrap_or_default().to_string(),
                        name: f["name"].as_str().unwrap_or_default().to_string(),
                        received: n("received"),
                        decided,
                        on_time: (rate * f64::from(decided) / 100.0).round() as u32,
                        working_days: (avg * f64::from(decided)).round() as u32,
                        online: (share * f64::from(n("received")) / 100.0).round() as u32,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn results(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let year = today().year();
    let figs = st
        .db(move |s| s.read(|tx| publication::get(tx, store::KIND_FIGURES, &year.to_string())))
        .await?;
    let (by_item, by_org) = figs.map_or((Vec::new(), Vec::new()), |p| {
        (
            published_figures(&p.body["items"]),
            published_figures(&p.body["orgs"]),
        )
    });
    let pubs = st
        .db(|s| s.read(|tx| publication::list(tx, store::KIND_RESULT, 200)))
        .await?;
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let items = pubs
        .iter()
        .map(|p| ResultLine {
            item_name: text(&p.body, "item_name"),
            org_name: text(&p.body, "org_name"),
            applicant: text(&p.body, "applicant"),
            decision: text(&p.body, "decision"),
            decided_on: text(&p.body, "decided_on"),
            certificate_no: text(&p.body, "certificate_no"),
        })
        .collect();
    Ok(render(&ResultsPage {
        c: Chrome::portal(&ctx, "办理结果公开"),
        items,
        year,
        chart: chart(&by_item),
        by_item,
        by_org,
    }))
}

// ---------- staff ----------

struct ListLine {
    id: i64,
    tracking_no: String,
    item_name: String,
    applicant: String,
    stage: String,
    received_on: String,
    due: String,
    state: &'static str,
    state_class: &'static str,
}

#[derive(Template)]
#[template(path = "application/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<ListLine>,
}

async fn staff_list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let scopes = s.actor.view_scopes();
    let rows = st
        .db(move |store| {
            store.read(|tx| {
                let apps = store::list(tx, &scopes, 200)?;
                let mut out = Vec::with_capacity(apps.len());
                for a in apps {
                    let l = limits::for_subject(tx, SUBJECT, a.id)?;
                    out.push((a, l));
                }
                Ok(out)
            })
        })
        .await?;
    let cal = st.calendar();
    let (today, warn) = (today(), st.settings.due_soon_working_days);
    let items = rows
        .into_iter()
        .map(|(a, lims)| {
            let open: Vec<_> = lims
                .into_iter()
                .filter(|l| l.state != fazhi_domain::time_limit::LimitState::Met)
                .collect();
            let views = limit_views(&cal, today, warn, &open);
            let v = views.last();
            let p = st.procedures.get(PROCEDURE, a.procedure_version);
            ListLine {
                id: a.id,
                stage: p
                    .and_then(|p| p.stage(&a.stage))
                    .map_or(a.stage.clone(), |s| s.title.clone()),
                tracking_no: a.tracking_no,
                item_name: a.item_name,
                applicant: a.applicant_name,
                received_on: fmt_date(a.received_on),
                due: v.map_or(String::new(), |v| format!("{}：{}", v.title, v.due)),
                state: v.map_or("", |v| v.state),
                state_class: v.map_or("", |v| v.state_class),
            }
        })
        .collect();
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "网上办理"),
        items,
    }))
}

fn text_label(action: &str) -> &'static str {
    match action {
        "request_supplement" => "补正说明（一次告知全部需要补正的内容）",
        "reject" => "不予受理的理由",
        "start_excluded" => "听证、检验检测或专家评审事项",
        "extend" => "延长理由",
        "record_review" => "审查意见",
        "approve" => "决定内容（准予许可）",
        "deny" => "不予许可的理由（并告知申请复议、提起诉讼的权利）",
        "issue_certificate" => "证件编号",
        "supply_materials" => "补正说明",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "application/record.html")]
struct RecordPage {
    c: Chrome,
    a: store::Application,
    id_masked: String,
    stage: String,
    materials: Vec<(String, bool, Vec<store::StoredFile>)>,
    limits: Vec<LimitView>,
    actions: Vec<crate::procedure::ActionView>,
    act_url: String,
    record_version: i64,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

async fn record(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    status: StatusCode,
    errors: Vec<FieldError>,
    refusal: Option<String>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let actor = s.actor.clone();
    let cal = st.calendar();
    let (today, warn) = (today(), st.settings.due_soon_working_days);
    let c2 = cal.clone();
    let (a, lims, fs, timeline, facts, item) = st
        .db(move |store| {
            store.read(|tx| {
                let a = store::get(tx, id)?;
                may(&actor, OrgAction::View, &a.org_path)
                    .map_err(|_| StoreError::NotFound("该申请"))?;
                let lims = limits::for_subject(tx, SUBJECT, id)?;
                let clock = fazhi_store::time_limit::Clock {
                    cal: &c2,
                    today,
                    warn,
                };
                let facts = store::facts_of(tx, &a, &lims, clock)?;
                let item = fazhi_store::power::versions(tx, &a.item_code)?
                    .into_iter()
                    .next_back()
                    .map(|v| v.item);
                Ok((
                    a.clone(),
                    lims,
                    store::files(tx, id)?,
                    audit::timeline(tx, SUBJECT, &id.to_string())?,
                    facts,
                    item,
                ))
            })
        })
        .await?;
    let p = st
        .procedures
        .get(PROCEDURE, a.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let roles = s.actor.roles_over(&a.org_path);
    let mut actions = crate::procedure::action_views(p, &a.stage, &roles, &facts, text_label);
    let materials: Vec<(String, bool, Vec<store::StoredFile>)> = item
        .and_then(|i| i.application)
        .map(|spec| {
            spec.materials
                .into_iter()
                .map(|m| {
                    let mine: Vec<store::StoredFile> = fs
                        .iter()
                        .filter(|f| f.material == m.name)
                        .cloned()
                        .collect();
                    (m.name, m.required, mine)
                })
                .collect()
        })
        .unwrap_or_default();
    for x in actions.iter_mut().filter(|x| x.id == "request_supplement") {
        x.picks = materials
            .iter()
            .map(|(name, required, files)| (name.clone(), *required && files.is_empty()))
            .collect();
        x.pick_label = "需要补正的材料";
    }
    let t = Tr(ctx.lang);
    let page = RecordPage {
        c: Chrome::staff(ctx, "网上办理"),
        act_url: format!("/app/applications/{}/act", a.id),
        record_version: a.version,
        id_masked: if a.applicant_kind == "org" {
            a.applicant_id_no.clone()
        } else {
            mask_id_number(&a.applicant_id_no)
        },
        stage: p
            .stage(&a.stage)
            .map_or(a.stage.clone(), |x| x.title.clone()),
        materials,
        limits: limit_views(&cal, today, warn, &lims),
        actions,
        rows: timeline_rows(t, &timeline),
        errors,
        refusal,
        a,
    };
    Ok(render_status(status, &page))
}

async fn staff_record(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    record(&st, &s, &ctx, id, StatusCode::OK, Vec::new(), None).await
}

async fn staff_act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let get = |k: &str| {
        f.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let action = get("action");
    let version = match fazhi_domain::validate::version("version", &get("version")) {
        Ok(v) => v,
        Err(e) => {
            return record(
                &st,
                &s,
                &ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![e],
                None,
            )
            .await;
        }
    };
    let input = ActionInput {
        text: get("text"),
        materials: f
            .iter()
            .filter(|(n, _)| n == "pick")
            .map(|(_, v)| v.clone())
            .collect(),
        files: Vec::new(),
    };
    let actor = s.actor.clone();
    let r = st
        .with_clock(move |store, clock, reg| {
            store.write(|tx| {
                store::act(
                    tx,
                    (Some(&actor), &Who::from(&actor)),
                    (id, version),
                    (&action, &input),
                    reg,
                    clock,
                )
            })
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok(_) => Ok(Redirect::to(&format!("/app/applications/{id}")).into_response()),
        Err((status, errors, refusal)) => record(&st, &s, &ctx, id, status, errors, refusal).await,
    }
}

async fn download(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let f = st
        .db(move |store| {
            store.read(|tx| {
                let a = store::get(tx, id)?;
                may(&actor, OrgAction::View, &a.org_path)
                    .map_err(|_| StoreError::NotFound("该申请"))?;
                store::files(tx, id)?
                    .into_iter()
                    .find(|f| f.id == file)
                    .ok_or(StoreError::NotFound("该文件"))
            })
        })
        .await?;
    let bytes = files::load(&st.settings.files_dir, &f.sha256).map_err(AppError::from)?;
    let name: String = f
        .file_name
        .chars()
        .filter(|c| !matches!(c, '"' | '\\' | '\r' | '\n'))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", percent(&name)),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "application/stats.html")]
struct StatsPage {
    c: Chrome,
    from: String,
    to: String,
    by_item: Vec<store::Figures>,
    by_org: Vec<store::Figures>,
    chart: String,
}

/// Horizontal bars: on-time rate per item.
fn chart(figs: &[store::Figures]) -> String {
    let (w, bar, gap, label) = (760.0, 18.0, 10.0, 300.0);
    let h = (figs.len() as f64) * (bar + gap) + 30.0;
    let mut svg = format!(
        r##"<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" role="img" aria-label="按期办结率">"##
    );
    for (i, f) in figs.iter().enumerate() {
        let y = 10.0 + i as f64 * (bar + gap);
        let len = (w - label - 80.0) * f.on_time_rate() / 100.0;
        let name: String = f
            .name
            .chars()
            .take(20)
            .collect::<String>()
            .replace('&', "&amp;")
            .replace('<', "&lt;");
        svg.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1f2328">{name}</text><rect x="{label}" y="{y}" width="{len:.1}" height="{bar}" fill="#1a7f37"/><text x="{}" y="{}" font-size="12" fill="#1f2328">{:.0}%</text>"##,
            label - 8.0,
            y + 13.0,
            label + len + 6.0,
            y + 13.0,
            f.on_time_rate()
        ));
    }
    svg.push_str("</svg>");
    svg
}

async fn staff_stats(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let today = today();
    let start_of_year =
        Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today);
    let from = q
        .get("from")
        .and_then(|d| fazhi_domain::calendar::parse_date(d))
        .unwrap_or(start_of_year);
    let to = q
        .get("to")
        .and_then(|d| fazhi_domain::calendar::parse_date(d))
        .unwrap_or(today);
    let cal = st.calendar();
    let (by_item, by_org) = st
        .db(move |s| s.read(|tx| store::figures(tx, &cal, from, to)))
        .await?;
    Ok(render(&StatsPage {
        c: Chrome::staff(&ctx, "网上办理"),
        from: fmt_date(from),
        to: fmt_date(to),
        chart: chart(&by_item),
        by_item,
        by_org,
    }))
}

#[derive(Template)]
#[template(path = "application/counter.html")]
struct CounterPage {
    c: Chrome,
    items: Vec<(String, String)>,
    item: String,
    form: ApplyForm,
    errors: Vec<FieldError>,
}

async fn counter_page(
    st: &AppState,
    ctx: &Ctx,
    item: String,
    form: ApplyForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let filter = fazhi_store::power::Filter {
        application_based: true,
        ..fazhi_store::power::Filter::default()
    };
    let (items, _) = st
        .db(move |s| s.read(|tx| fazhi_store::power::list_as_of(tx, today(), &filter, 1000, 0)))
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &CounterPage {
            c: Chrome::staff(ctx, "网上办理"),
            items: items.into_iter().map(|i| (i.code, i.name)).collect(),
            item,
            form,
            errors,
        },
    ))
}

async fn counter_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form = ApplyForm {
        requester_kind: "org".into(),
        ..ApplyForm::default()
    };
    counter_page(
        &st,
        &ctx,
        q.get("item").cloned().unwrap_or_default(),
        form,
        Vec::new(),
    )
    .await
}

/// A clerk registers an application received at the service counter (paper materials are
/// scanned and uploaded, or handed in and checked at acceptance).
async fn counter_register(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    mp: Multipart,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let (f, uploads) = read_multipart(mp).await?;
    let g = |k: &str| f.get(k).cloned().unwrap_or_default();
    let item_code = g("item");
    let form = ApplyForm {
        requester_kind: g("requester_kind"),
        requester_name: g("requester_name"),
        requester_id_no: g("requester_id_no"),
        contact: g("contact"),
        statement: g("statement"),
    };
    let mut errors = Vec::new();
    let code = item_code.clone();
    let item = st
        .db(move |s| s.read(|tx| fazhi_store::power::require_in_force(tx, &code, today())))
        .await;
    let item = match item {
        Ok(i) => Some(i),
        Err(AppError::Refused(r)) => {
            errors.push(FieldError {
                field: "item".into(),
                message: format!("「申请事项」{}", r.message),
            });
            None
        }
        Err(e) => return Err(e),
    };
    let party = check_party(
        &form.requester_kind,
        &form.requester_name,
        &form.requester_id_no,
        &form.contact,
    )
    .map_err(|e| errors.extend(e))
    .ok();
    let statement =
        fazhi_domain::validate::text("statement", "申请事项说明", &form.statement, 2, 2000)
            .map_err(|e| errors.push(e))
            .ok();
    let files = match (&item, errors.is_empty()) {
        (Some(i), true) => store_uploads(&st.settings.files_dir, i, &uploads)
            .map_err(|e| errors.extend(e))
            .ok(),
        _ => None,
    };
    let (Some(item), Some((kind, name, id_no, contact)), Some(statement), Some(files), true) =
        (item, party, statement, files, errors.is_empty())
    else {
        return counter_page(&st, &ctx, item_code, form, errors).await;
    };
    let new = NewApplication {
        item_code: item.code,
        applicant_kind: kind,
        applicant_name: name,
        applicant_id_no: id_no,
        contact,
        statement,
        files,
        channel: "counter".into(),
    };
    let actor = s.actor.clone();
    let r = st
        .with_clock(move |store, clock, reg| {
            store.write(|tx| store::submit(tx, Some(&actor), &new, reg, clock))
        })
        .await;
    match r {
        Ok((id, _, _)) => Ok(Redirect::to(&format!("/app/applications/{id}")).into_response()),
        Err(AppError::Refused(r) | AppError::Forbidden(r)) => {
            counter_page(
                &st,
                &ctx,
                item_code,
                form,
                vec![FieldError {
                    field: "item".into(),
                    message: r.message,
                }],
            )
            .await
        }
        Err(AppError::Invalid(e)) => counter_page(&st, &ctx, item_code, form, e).await,
        Err(e) => Err(e),
    }
}
