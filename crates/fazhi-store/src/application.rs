//! Online applications for application-based items in the database (SPEC C2): submission on the
//! portal (the item must be in force and open for online handling — 法无授权不可为), every action
//! of the procedure with its time limits (行政许可法 arts. 32, 42, 44, 45), the materials, the
//! status the applicant reads by tracking number and code, the published results and figures.

use std::collections::BTreeMap;

use fazhi_domain::application::{PROCEDURE, facts};
use fazhi_domain::calendar::{Calendar, fmt_date, parse_date};
use fazhi_domain::identity::mask_person_name;
use fazhi_domain::org::{Actor, OrgAction, may};
use fazhi_domain::power::PowerItem;
use fazhi_domain::procedure::{Facts, Procedure, Registry};
use fazhi_domain::time_limit::{LimitState, TimeLimit};
use fazhi_domain::{FieldError, Refusal};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Date;

use crate::audit::{self, Who};
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord, StartLimit};
use crate::{Row, StoreError, Tx, now_ms, power, publication, vals};

/// The subject type on the audit chain and of time limits.
pub const SUBJECT: &str = "application";
/// Kind of the portal snapshot of an application's status.
pub const KIND_STATUS: &str = "application_status";
/// Kind of a published result (准予 or 不予许可).
pub const KIND_RESULT: &str = "licensing_result";

/// One application, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    /// Id.
    pub id: i64,
    /// Tracking number.
    pub tracking_no: String,
    /// The item applied for.
    pub item_code: String,
    /// Its name.
    pub item_name: String,
    /// The responsible org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path.
    #[serde(skip)]
    pub org_path: String,
    /// Procedure version.
    pub procedure_version: u32,
    /// Stage.
    pub stage: String,
    /// `online` (portal) or `counter`.
    pub channel: String,
    /// `person` or `org`.
    pub applicant_kind: String,
    /// Name.
    pub applicant_name: String,
    /// ID number or credit code.
    pub applicant_id_no: String,
    /// Contact.
    pub contact: String,
    /// What is applied for, in the applicant's words.
    pub statement: String,
    /// Day received.
    pub received_on: Date,
    /// Day accepted.
    pub accepted_on: Option<Date>,
    /// Day decided.
    pub decided_on: Option<Date>,
    /// `approve` or `deny`.
    pub decision: Option<String>,
    /// The decision's text.
    pub decision_text: Option<String>,
    /// Certificate number.
    pub certificate_no: Option<String>,
    /// What was asked to supplement: materials and a note.
    pub supplement_request: Option<serde_json::Value>,
    /// The reviewer's opinion.
    pub review_opinion: Option<String>,
    /// Working days for the decision (shorter of statutory and promised).
    pub decision_days: u32,
    /// Whether the decision limit was extended.
    pub extended: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

const COLUMNS: &str = "a.id, a.tracking_no, a.item_code, a.item_name, a.org_id, o.name, o.path, \
    a.procedure_version, a.stage, a.channel, a.applicant_kind, a.applicant_name, a.applicant_id_no, \
    a.contact, a.statement, a.received_on, a.accepted_on, a.decided_on, a.decision, a.decision_text, \
    a.certificate_no, a.supplement_request, a.review_opinion, a.decision_days, a.extended, a.version";

fn row(r: &Row) -> Result<Application, StoreError> {
    let date = |s: Option<String>| s.as_deref().and_then(parse_date);
    Ok(Application {
        id: r.i64(0)?,
        tracking_no: r.text(1)?,
        item_code: r.text(2)?,
        item_name: r.text(3)?,
        org_id: r.i64(4)?,
        org_name: r.text(5)?,
        org_path: r.text(6)?,
        procedure_version: u32::try_from(r.i64(7)?).unwrap_or(1),
        stage: r.text(8)?,
        channel: r.text(9)?,
        applicant_kind: r.text(10)?,
        applicant_name: r.text(11)?,
        applicant_id_no: r.text(12)?,
        contact: r.text(13)?,
        statement: r.text(14)?,
        received_on: date(Some(r.text(15)?)).ok_or_else(|| StoreError::Db("bad date".into()))?,
        accepted_on: date(r.opt_text(16)?),
        decided_on: date(r.opt_text(17)?),
        decision: r.opt_text(18)?,
        decision_text: r.opt_text(19)?,
        certificate_no: r.opt_text(20)?,
        supplement_request: r.opt_text(21)?.and_then(|s| serde_json::from_str(&s).ok()),
        review_opinion: r.opt_text(22)?,
        decision_days: u32::try_from(r.i64(23)?).unwrap_or(20),
        extended: r.bool(24)?,
        version: r.i64(25)?,
    })
}

/// Loads one application.
pub fn get(tx: &mut dyn Tx, id: i64) -> Result<Application, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM applications a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?"
        ),
        vals![id],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该申请"))
}

/// The applications of the given subtrees, newest first.
pub fn list(
    tx: &mut dyn Tx,
    scopes: &[String],
    limit: i64,
) -> Result<Vec<Application>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    tx.query(
        &format!("SELECT {COLUMNS} FROM applications a JOIN orgs o ON o.id = a.org_id WHERE {filter} ORDER BY a.id DESC LIMIT ?"),
        &params,
    )?
    .iter()
    .map(row)
    .collect()
}

/// One uploaded material.
#[derive(Debug, Clone, Serialize)]
pub struct StoredFile {
    /// Id.
    pub id: i64,
    /// Which material.
    pub material: String,
    /// Original file name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, the file's name in the file store.
    pub sha256: String,
    /// When (ms).
    pub uploaded_at: i64,
}

/// A file already written to the file store, to be recorded.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// Which material.
    pub material: String,
    /// Original file name.
    pub file_name: String,
    /// Content type (checked).
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256.
    pub sha256: String,
}

/// The materials of one application.
pub fn files(tx: &mut dyn Tx, id: i64) -> Result<Vec<StoredFile>, StoreError> {
    tx.query(
        "SELECT id, material, file_name, content_type, size, sha256, uploaded_at FROM application_files
         WHERE application_id = ? ORDER BY id",
        vals![id],
    )?
    .iter()
    .map(|r| {
        Ok(StoredFile {
            id: r.i64(0)?,
            material: r.text(1)?,
            file_name: r.text(2)?,
            content_type: r.text(3)?,
            size: r.i64(4)?,
            sha256: r.text(5)?,
            uploaded_at: r.i64(6)?,
        })
    })
    .collect()
}

fn add_files(
    tx: &mut dyn Tx,
    id: i64,
    item: &PowerItem,
    new: &[NewFile],
) -> Result<(), StoreError> {
    let names: Vec<&str> = item
        .application
        .as_ref()
        .map(|a| a.materials.iter().map(|m| m.name.as_str()).collect())
        .unwrap_or_default();
    for f in new {
        if !names.contains(&f.material.as_str()) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "material",
                &f.material,
                "不是该事项的申请材料",
            )]));
        }
        tx.exec(
            "INSERT INTO application_files (application_id, material, file_name, content_type, size, sha256, uploaded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vals![id, &f.material, &f.file_name, &f.content_type, f.size, &f.sha256, now_ms()],
        )?;
    }
    Ok(())
}

/// What an applicant submits (identity already checked, files already stored).
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// The item.
    pub item_code: String,
    /// `person` or `org`.
    pub applicant_kind: String,
    /// Name.
    pub applicant_name: String,
    /// ID number or credit code.
    pub applicant_id_no: String,
    /// Contact.
    pub contact: String,
    /// What is applied for.
    pub statement: String,
    /// The materials uploaded.
    pub files: Vec<NewFile>,
    /// `online` (the portal) or `counter` (registered by a clerk at the service counter).
    pub channel: String,
}

fn code_hash(tracking_no: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{tracking_no}:{code}").as_bytes()))
}

/// A new query code for the public (8 characters without look-alikes).
pub(crate) fn query_code() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|e| StoreError::Db(e.to_string()))?;
    Ok(b.iter()
        .map(|x| ALPHABET[usize::from(*x) % ALPHABET.len()] as char)
        .collect())
}

fn limit_of(
    p: &Procedure,
    key: &str,
    start: Date,
    days: Option<u32>,
    basis_note: &str,
) -> Result<(String, TimeLimit), StoreError> {
    let d = p
        .limit(key)
        .ok_or_else(|| StoreError::Db(format!("procedure has no limit {key}")))?;
    let basis = if basis_note.is_empty() {
        d.basis.clone()
    } else {
        format!("{}（{basis_note}）", d.basis)
    };
    Ok((
        d.title.clone(),
        TimeLimit::new(
            start,
            days.unwrap_or(d.days),
            d.count,
            &basis,
            d.max_extension_days,
        ),
    ))
}

/// The item an application cites, in force today and open for online handling.
pub fn item_for_online(tx: &mut dyn Tx, code: &str, today: Date) -> Result<PowerItem, StoreError> {
    let item = power::require_in_force(tx, code, today)?;
    match &item.application {
        Some(a) if a.online_depth.accepts_online() => Ok(item),
        Some(a) => Err(StoreError::Refused(Refusal::new(
            "application.not_online",
            format!(
                "事项「{}」的网上办理深度为“{}”，尚不能在网上提交申请，请到窗口办理。",
                item.name,
                a.online_depth.label_zh()
            ),
        ))),
        None => Err(StoreError::Refused(Refusal::new(
            "application.not_application_based",
            format!("事项「{}」不是依申请办理的事项。", item.name),
        ))),
    }
}

/// Registers an application — submitted on the portal (channel `online`: the item must be open
/// for online handling) or registered at the counter by a clerk (channel `counter`: any
/// application-based item in force). Returns (id, tracking number, query code).
pub fn submit(
    tx: &mut dyn Tx,
    by: Option<&Actor>,
    new: &NewApplication,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<(i64, String, String), StoreError> {
    let p = reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("application procedure not loaded".into()))?;
    let counter = new.channel == "counter";
    let item = if counter {
        let item = power::require_in_force(tx, &new.item_code, clock.today)?;
        if item.application.is_none() {
            return Err(StoreError::Refused(Refusal::new(
                "application.not_application_based",
                format!("事项「{}」不是依申请办理的事项。", item.name),
            )));
        }
        item
    } else {
        item_for_online(tx, &new.item_code, clock.today)?
    };
    let org = crate::org::get_org_by_code(tx, &item.responsible_org)?
        .ok_or(StoreError::NotFound("责任单位"))?;
    if let Some(a) = by {
        // A clerk registers applications only for items of the orgs they work for.
        may(a, OrgAction::View, &org.path).map_err(|_| {
            StoreError::Forbidden(Refusal::new(
                "application.not_our_item",
                format!("事项「{}」由{}办理，您不能登记。", item.name, org.name),
            ))
        })?;
    }
    let app = item
        .application
        .as_ref()
        .ok_or_else(|| StoreError::Db("not application-based".into()))?;
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO applications (tracking_no, query_code_hash, item_code, item_name, org_id, procedure_name,
                procedure_version, stage, channel, applicant_kind, applicant_name, applicant_id_no, contact,
                statement, received_on, decision_days, created_at, updated_at)
             VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                &item.code,
                &item.name,
                org.id,
                PROCEDURE,
                i64::from(p.version),
                &p.initial,
                if counter { "counter" } else { "online" },
                &new.applicant_kind,
                &new.applicant_name,
                &new.applicant_id_no,
                &new.contact,
                &new.statement,
                fmt_date(clock.today),
                i64::from(app.decision_days()),
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let tracking_no = format!("WSB{}{:06}", clock.today.year(), id);
    let code = query_code()?;
    tx.exec(
        "UPDATE applications SET tracking_no = ?, query_code_hash = ? WHERE id = ?",
        vals![&tracking_no, code_hash(&tracking_no, &code), id],
    )?;
    add_files(tx, id, &item, &new.files)?;
    let who = by.map_or_else(
        || Who {
            user_id: None,
            name: format!("申请人（{tracking_no}）"),
        },
        Who::from,
    );
    audit::append(
        tx,
        &who,
        Some(org.id),
        "application.submit_application",
        SUBJECT,
        &id.to_string(),
        json!({ "tracking_no": tracking_no, "item": format!("{}（{}）", item.name, item.code),
                "received_on": fmt_date(clock.today),
                "channel": if counter { "窗口登记" } else { "网上申请" } }),
    )?;
    let (title, spec) = limit_of(p, "acceptance", clock.today, None, "")?;
    limits::start(
        tx,
        &who,
        StartLimit {
            subject: (SUBJECT, id),
            key: "acceptance",
            title: &title,
            org_id: org.id,
            responsible_user_id: by.map(|a| a.user_id),
            spec,
        },
        clock,
    )?;
    publish_status(tx, id, reg, clock.cal)?;
    Ok((id, tracking_no, code))
}

/// The facts the guards read.
pub fn facts_of(
    tx: &mut dyn Tx,
    a: &Application,
    lims: &[LimitRecord],
    clock: Clock<'_>,
) -> Result<Facts, StoreError> {
    let mut f = Facts::default();
    f.numbers.insert(
        facts::SUPPLEMENTS,
        i64::from(a.supplement_request.is_some()),
    );
    f.numbers.insert(facts::EXTENDED, i64::from(a.extended));
    let decision = lims.iter().find(|l| l.key == "decision");
    let overdue = decision.is_some_and(|l| {
        l.spec.state(clock.cal, clock.today, l.met_on, clock.warn) == LimitState::Overdue
    });
    f.numbers
        .insert(facts::DECISION_OVERDUE, i64::from(overdue));
    let uploaded: Vec<String> = files(tx, a.id)?.into_iter().map(|x| x.material).collect();
    let item = power::versions(tx, &a.item_code)?
        .into_iter()
        .find(|v| v.valid_from <= a.received_on && v.valid_to.is_none_or(|t| t > a.received_on))
        .map(|v| v.item);
    let missing = item.and_then(|i| i.application).map_or(0, |s| {
        s.materials
            .iter()
            .filter(|m| m.required && !uploaded.contains(&m.name))
            .count()
    });
    f.numbers
        .insert(facts::MISSING_REQUIRED, i64::try_from(missing).unwrap_or(0));
    if a.review_opinion.is_some() {
        f.records.insert("review_opinion".into());
    }
    Ok(f)
}

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    /// Free text: note, reasons, opinion, decision, certificate number.
    pub text: String,
    /// For a supplement request: the materials asked for.
    pub materials: Vec<String>,
    /// For the applicant's supplement: the new files.
    pub files: Vec<NewFile>,
}

fn need_text(input: &ActionInput, label: &str) -> Result<String, StoreError> {
    Ok(fazhi_domain::validate::text(
        "text",
        label,
        &input.text,
        2,
        4000,
    )?)
}

/// Takes one action of the procedure on an application: the shared start
/// (`procedure::begin`), the action's effect from `EFFECTS`, the shared end.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (Option<&Actor>, &Who),
    (id, expected_version): (i64, i64),
    (action_id, input): (&str, &ActionInput),
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<Application, StoreError> {
    let a = get(tx, id)?;
    let p = reg
        .get(PROCEDURE, a.procedure_version)
        .ok_or_else(|| StoreError::Db("procedure version missing".into()))?;
    let lims = limits::for_subject(tx, SUBJECT, id)?;
    let f = facts_of(tx, &a, &lims, clock)?;
    let attempt = crate::procedure::Attempt {
        actor,
        org_path: &a.org_path,
        stage: &a.stage,
        version: a.version,
        expected_version,
        subject_type: SUBJECT,
        id,
        // The applicant on the portal may only supply the materials asked for.
        public_action: "supply_materials",
        record: "申请",
    };
    let action = crate::procedure::begin(tx, p, attempt, &f, action_id)?;
    let to = action.target(&a.stage).to_string();
    let title = action.title.clone();
    let (cal, today) = (clock.cal, clock.today);
    let title_of = |s: &str| p.stage(s).map_or(s.to_string(), |x| x.title.clone());
    let effect = crate::procedure::effect(EFFECTS, action_id)?;
    let mut x = Ctx {
        who,
        actor,
        record: &a,
        table: "applications",
        subject: (SUBJECT, id),
        org_id: a.org_id,
        p,
        clock,
        limits: &lims,
        summary: json!({ "stage_from": title_of(&a.stage), "stage_to": title_of(&to) }),
    };
    effect(tx, &mut x, input)?;
    let mut summary = x.summary;
    summary["action"] = json!(title);
    crate::procedure::complete(
        tx,
        who,
        crate::procedure::Transition {
            table: "applications",
            subject_type: SUBJECT,
            id,
            expected_version,
            to: &to,
            org_id: a.org_id,
            audit_action: format!("application.{action_id}"),
            summary,
        },
    )?;
    if to == "certified" || to == "denied" {
        publish_result(tx, id)?;
    }
    if matches!(
        to.as_str(),
        "approved" | "denied" | "rejected" | "withdrawn" | "certified"
    ) {
        publish_figures(tx, cal, today.year())?;
    }
    publish_status(tx, id, reg, cal)?;
    get(tx, id)
}

/// What an action's effect works with.
type Ctx<'a> = crate::procedure::Ctx<'a, Application>;

/// Every action of `procedures/licensing-application.toml` and its effect: the only place
/// action ids of the licensing procedure appear in code.
const EFFECTS: &[(&str, crate::procedure::Effect<Application, ActionInput>)] = &[
    ("request_supplement", request_supplement),
    ("supply_materials", supply_materials),
    ("accept", accept),
    ("reject", reject),
    ("start_excluded", start_excluded),
    ("end_excluded", end_excluded),
    ("extend", extend),
    ("record_review", record_review),
    ("approve", approve),
    ("deny", deny),
    ("issue_certificate", issue_certificate),
    ("withdraw", withdraw),
];

/// The action ids of the licensing procedure that have an effect in code.
pub(crate) fn action_ids() -> impl Iterator<Item = &'static str> {
    crate::procedure::action_ids(EFFECTS)
}

fn request_supplement(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    if input.materials.is_empty() && input.text.trim().is_empty() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "materials",
            "需要补正的材料",
            "请至少选择一项材料或写明需要补正的内容",
        )]));
    }
    let req = json!({ "materials": input.materials, "note": input.text.trim() });
    x.set(tx, "supplement_request = ?", vals![req.to_string()])?;
    x.meet(tx, "acceptance")?;
    x.summary["materials"] = json!(input.materials);
    x.summary["text"] = json!(input.text.trim());
    Ok(())
}

fn supply_materials(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let item = power::versions(tx, &x.record.item_code)?
        .into_iter()
        .next_back()
        .map(|v| v.item)
        .ok_or(StoreError::NotFound("事项"))?;
    if input.files.is_empty() && input.text.trim().is_empty() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "files",
            "补正材料",
            "请上传补正的材料",
        )]));
    }
    add_files(tx, x.record.id, &item, &input.files)?;
    // 第三十二条: once everything asked for is in, the application is to be accepted.
    let limit = limit_of(x.p, "acceptance", x.clock.today, None, "补正材料收到之日起")?;
    x.start(tx, "acceptance", limit, x.responsible())?;
    x.summary["materials"] = json!(
        input
            .files
            .iter()
            .map(|f| f.material.clone())
            .collect::<Vec<_>>()
    );
    Ok(())
}

fn accept(tx: &mut dyn Tx, x: &mut Ctx<'_>, _input: &ActionInput) -> Result<(), StoreError> {
    let today = x.clock.today;
    x.set(tx, "accepted_on = ?", vals![fmt_date(today)])?;
    x.meet(tx, "acceptance")?;
    let days = x.record.decision_days;
    let note = format!("本事项取法定时限和承诺时限中较短者 {days} 个工作日");
    let limit = limit_of(x.p, "decision", today, Some(days), &note)?;
    x.start(tx, "decision", limit, x.responsible())?;
    Ok(())
}

fn reject(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let text = need_text(input, "不予受理的理由")?;
    x.set(
        tx,
        "decision = 'reject', decision_text = ?, decided_on = ?",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.meet(tx, "acceptance")?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn start_excluded(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let text = need_text(input, "听证、检验检测或专家评审事项")?;
    x.suspend(
        tx,
        "decision",
        &format!("{text}（行政许可法第四十五条：所需时间不计算在期限内）"),
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn end_excluded(tx: &mut dyn Tx, x: &mut Ctx<'_>, _input: &ActionInput) -> Result<(), StoreError> {
    x.resume(tx, "decision")
}

fn extend(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let text = need_text(input, "延长理由")?;
    x.extend(tx, "decision", &text)?;
    x.set(tx, "extended = 1", &[])?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn record_review(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let text = need_text(input, "审查意见")?;
    x.set(tx, "review_opinion = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// The decision on an accepted application (行政许可法 第三十四条, 第三十八条).
fn approve(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    decide(tx, x, input, true)
}

/// The refusal of an accepted application, with its reasons (行政许可法 第三十八条第二款).
fn deny(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    decide(tx, x, input, false)
}

fn decide(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
    approve: bool,
) -> Result<(), StoreError> {
    let today = x.clock.today;
    let label = if approve {
        "决定内容"
    } else {
        "不予许可的理由"
    };
    let text = need_text(input, label)?;
    let decision = if approve { "approve" } else { "deny" };
    x.set(
        tx,
        "decision = ?, decision_text = ?, decided_on = ?",
        vals![decision, &text, fmt_date(today)],
    )?;
    x.meet(tx, "decision")?;
    if approve {
        let limit = limit_of(x.p, "certificate", today, None, "")?;
        x.start(tx, "certificate", limit, x.responsible())?;
    }
    x.summary["text"] = json!(text);
    Ok(())
}

fn issue_certificate(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let no = fazhi_domain::validate::text("text", "证件编号", &input.text, 2, 100)?;
    x.set(tx, "certificate_no = ?", vals![&no])?;
    x.meet(tx, "certificate")?;
    x.summary["certificate_no"] = json!(no);
    Ok(())
}

fn withdraw(tx: &mut dyn Tx, x: &mut Ctx<'_>, _input: &ActionInput) -> Result<(), StoreError> {
    for l in x.limits {
        x.meet(tx, &l.key)?;
    }
    Ok(())
}

/// The applicant supplies the materials asked for, on the portal, with tracking number and code.
pub fn supply_from_portal(
    tx: &mut dyn Tx,
    tracking_no: &str,
    code: &str,
    files: Vec<NewFile>,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<(), StoreError> {
    let r = tx.query_opt(
        "SELECT id, query_code_hash, version FROM applications WHERE tracking_no = ?",
        vals![tracking_no],
    )?;
    let Some(r) = r.filter(|r| {
        r.text(1).ok().as_deref() == Some(code_hash(tracking_no, code.trim()).as_str())
    }) else {
        return Err(StoreError::NotFound("该申请（请核对申请编号和查询码）"));
    };
    let who = Who {
        user_id: None,
        name: format!("申请人（{tracking_no}）"),
    };
    let input = ActionInput {
        files,
        ..ActionInput::default()
    };
    act(
        tx,
        (None, &who),
        (r.i64(0)?, r.i64(2)?),
        ("supply_materials", &input),
        reg,
        clock,
    )
    .map(|_| ())
}

fn masked_applicant(a: &Application) -> String {
    if a.applicant_kind == "org" {
        a.applicant_name.clone()
    } else {
        mask_person_name(&a.applicant_name)
    }
}

/// Publishes the result of a decided application: organisations in full, persons' names masked,
/// no identity number.
pub fn publish_result(tx: &mut dyn Tx, id: i64) -> Result<(), StoreError> {
    let a = get(tx, id)?;
    let body = json!({
        "tracking_no": a.tracking_no, "item_code": a.item_code, "item_name": a.item_name,
        "org_name": a.org_name, "applicant": masked_applicant(&a),
        "decision": if a.decision.as_deref() == Some("approve") { "准予许可" } else { "不予许可" },
        "decided_on": a.decided_on.map(fmt_date), "certificate_no": a.certificate_no,
        "received_on": fmt_date(a.received_on),
    });
    publication::publish(
        tx,
        KIND_RESULT,
        &a.tracking_no,
        &format!("{}：{}", a.item_name, masked_applicant(&a)),
        &body,
    )
}

/// Rewrites the portal snapshot of an application's status.
pub fn publish_status(
    tx: &mut dyn Tx,
    id: i64,
    reg: &Registry,
    cal: &Calendar,
) -> Result<(), StoreError> {
    let a = get(tx, id)?;
    let p = reg.get(PROCEDURE, a.procedure_version);
    let stage_title = p
        .and_then(|p| p.stage(&a.stage))
        .map_or(a.stage.clone(), |s| s.title.clone());
    let steps: Vec<serde_json::Value> = audit::timeline(tx, SUBJECT, &id.to_string())?
        .iter()
        .filter(|e| e.action.starts_with("application."))
        .map(|e| {
            let s: serde_json::Value = serde_json::from_str(&e.summary).unwrap_or_default();
            json!({ "at_ms": e.at_ms, "title": s["action"].as_str().unwrap_or("提交申请"), "text": s["text"], "materials": s["materials"] })
        })
        .collect();
    let lims = limits::for_subject(tx, SUBJECT, id)?;
    let open = lims.iter().rev().find(|l| l.state != LimitState::Met);
    let due = open.map(|l| l.spec.compute(cal));
    let hash = tx
        .query_opt(
            "SELECT query_code_hash FROM applications WHERE id = ?",
            vals![id],
        )?
        .map(|r| r.text(0))
        .transpose()?;
    let body = json!({
        "tracking_no": a.tracking_no, "code_hash": hash, "item_name": a.item_name, "org_name": a.org_name,
        "received_on": fmt_date(a.received_on), "stage": a.stage, "stage_title": stage_title,
        "due_title": open.map(|l| l.title.clone()),
        "due": due.as_ref().and_then(|d| d.due).map(fmt_date),
        "due_provisional": due.as_ref().is_some_and(|d| d.provisional),
        "supplement_request": a.supplement_request,
        "decision": a.decision, "decision_text": a.decision_text, "decided_on": a.decided_on.map(fmt_date),
        "certificate_no": a.certificate_no, "steps": steps,
    });
    publication::publish(
        tx,
        KIND_STATUS,
        &a.tracking_no,
        &format!("网上办理 {}", a.tracking_no),
        &body,
    )
}

/// The status snapshot, if tracking number and code match.
pub fn status(
    tx: &mut dyn Tx,
    tracking_no: &str,
    code: &str,
) -> Result<Option<serde_json::Value>, StoreError> {
    let Some(p) = publication::get(tx, KIND_STATUS, tracking_no)? else {
        return Ok(None);
    };
    Ok(
        (p.body["code_hash"].as_str() == Some(code_hash(tracking_no, code.trim()).as_str()))
            .then_some(p.body),
    )
}

/// Kind of the published yearly figures.
pub const KIND_FIGURES: &str = "application_figures";

/// Publishes the year's figures per item and per org (what the portal shows).
pub fn publish_figures(tx: &mut dyn Tx, cal: &Calendar, year: i32) -> Result<(), StoreError> {
    let (Ok(from), Ok(to)) = (
        Date::from_calendar_date(year, time::Month::January, 1),
        Date::from_calendar_date(year, time::Month::December, 31),
    ) else {
        return Ok(());
    };
    let (items, orgs) = figures(tx, cal, from, to)?;
    let row = |f: &Figures| {
        json!({ "name": f.name, "received": f.received, "decided": f.decided, "on_time_rate": f.on_time_rate(),
                "average_days": f.average_days(), "online_share": f.online_share() })
    };
    let body = json!({ "year": year, "items": items.iter().map(row).collect::<Vec<_>>(), "orgs": orgs.iter().map(row).collect::<Vec<_>>() });
    publication::publish(
        tx,
        KIND_FIGURES,
        &year.to_string(),
        &format!("{year} 年依申请事项办理情况"),
        &body,
    )
}

/// Figures of one item or org.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    /// Item code or org name.
    pub key: String,
    /// Name shown.
    pub name: String,
    /// Applications received.
    pub received: u32,
    /// Decided (准予 or 不予).
    pub decided: u32,
    /// Decided within the limit.
    pub on_time: u32,
    /// Sum of working days from receipt to decision, over the decided.
    pub working_days: u32,
    /// Received through the portal.
    pub online: u32,
}

impl Figures {
    /// Share decided on time, in percent.
    pub fn on_time_rate(&self) -> f64 {
        if self.decided == 0 {
            0.0
        } else {
            f64::from(self.on_time) * 100.0 / f64::from(self.decided)
        }
    }
    /// Average working days to a decision.
    pub fn average_days(&self) -> f64 {
        if self.decided == 0 {
            0.0
        } else {
            f64::from(self.working_days) / f64::from(self.decided)
        }
    }
    /// Share received online, in percent.
    pub fn online_share(&self) -> f64 {
        if self.received == 0 {
            0.0
        } else {
            f64::from(self.online) * 100.0 / f64::from(self.received)
        }
    }
}

fn working_days_between(cal: &Calendar, from: Date, to: Date) -> u32 {
    let mut d = from;
    let mut n = 0;
    while d < to {
        match d.next_day() {
            Some(x) => d = x,
            None => break,
        }
        n += u32::from(cal.is_working(d));
    }
    n
}

/// Figures per item and per org for applications received in `[from, to]`.
pub fn figures(
    tx: &mut dyn Tx,
    cal: &Calendar,
    from: Date,
    to: Date,
) -> Result<(Vec<Figures>, Vec<Figures>), StoreError> {
    let rows = tx.query(
        "SELECT a.id, a.item_code, a.item_name, o.name, a.channel, a.received_on, a.decided_on, a.decision
         FROM applications a JOIN orgs o ON o.id = a.org_id WHERE a.received_on >= ? AND a.received_on <= ?",
        vals![fmt_date(from), fmt_date(to)],
    )?;
    let mut by_item: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_org: BTreeMap<String, Figures> = BTreeMap::new();
    for r in rows {
        let id = r.i64(0)?;
        let (code, item, org) = (r.text(1)?, r.text(2)?, r.text(3)?);
        let received = parse_date(&r.text(5)?).ok_or_else(|| StoreError::Db("bad date".into()))?;
        let decided = r.opt_text(6)?.as_deref().and_then(parse_date).filter(|_| {
            matches!(
                r.opt_text(7).ok().flatten().as_deref(),
                Some("approve" | "deny")
            )
        });
        let on_time = match decided {
            Some(d) => limits::for_subject(tx, SUBJECT, id)?
                .iter()
                .find(|l| l.key == "decision")
                .is_some_and(|l| l.spec.compute(cal).due.is_none_or(|due| d <= due)),
            None => false,
        };
        for (map, key, name) in [
            (&mut by_item, code.clone(), item.clone()),
            (&mut by_org, org.clone(), org.clone()),
        ] {
            let f = map.entry(key.clone()).or_insert_with(|| Figures {
                key,
                name,
                ..Figures::default()
            });
            f.received += 1;
            f.online += u32::from(r.text(4)? == "online");
            if let Some(d) = decided {
                f.decided += 1;
                f.on_time += u32::from(on_time);
                f.working_days += working_days_between(cal, received, d);
            }
        }
    }
    Ok((
        by_item.into_values().collect(),
        by_org.into_values().collect(),
    ))
}
