//! Requests for government information in the database: submission (from the portal or by a
//! clerk), every action of the procedure with its time limits, and the status snapshot the
//! requester reads on the portal by tracking number and query code.

use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::disclosure::{AnswerKind, PROCEDURE, facts};
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::{Facts, Registry};
use fazhi_domain::time_limit::{Count, LimitState};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Date;

use crate::audit::{self, Who};
use crate::procedure::limit_of;
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord, StartLimit};
use crate::{Row, StoreError, Tx, now_ms, publication, vals};

/// Kind of the portal snapshot of a request's status.
pub const KIND_STATUS: &str = "disclosure_status";
/// The subject type on the audit chain and of time limits.
pub const SUBJECT: &str = "disclosure_request";

/// One request, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct DisclosureRequest {
    /// Id.
    pub id: i64,
    /// Tracking number given to the requester.
    pub tracking_no: String,
    /// Handling bureau.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path (policy).
    #[serde(skip)]
    pub org_path: String,
    /// Procedure version it runs under.
    pub procedure_version: u32,
    /// Current stage.
    pub stage: String,
    /// `person` or `org`.
    pub requester_kind: String,
    /// Name of the person or organisation.
    pub requester_name: String,
    /// ID number or credit code.
    pub requester_id_no: String,
    /// Phone, address or e-mail.
    pub contact: String,
    /// The information requested.
    pub description: String,
    /// Day received.
    pub received_on: Date,
    /// What the requester was asked to clarify.
    pub clarification_request: Option<String>,
    /// The requester's clarification.
    pub clarification_reply: Option<String>,
    /// Kind of answer (draft or final).
    pub answer_kind: Option<String>,
    /// Answer text (draft or final).
    pub answer_text: Option<String>,
    /// Day answered.
    pub answered_on: Option<Date>,
    /// Whether the answer limit was extended.
    pub extended: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

const COLUMNS: &str = "r.id, r.tracking_no, r.org_id, o.name, o.path, r.procedure_version, r.stage, \
    r.requester_kind, r.requester_name, r.requester_id_no, r.contact, r.description, r.received_on, \
    r.clarification_request, r.clarification_reply, r.answer_kind, r.answer_text, r.answered_on, \
    r.extended, r.version";

fn row(r: &Row) -> Result<DisclosureRequest, StoreError> {
    let date = |s: String| {
        fazhi_domain::calendar::parse_date(&s)
            .ok_or_else(|| StoreError::Db(format!("bad date {s}")))
    };
    Ok(DisclosureRequest {
        id: r.i64(0)?,
        tracking_no: r.text(1)?,
        org_id: r.i64(2)?,
        org_name: r.text(3)?,
        org_path: r.text(4)?,
        procedure_version: u32::try_from(r.i64(5)?).unwrap_or(1),
        stage: r.text(6)?,
        requester_kind: r.text(7)?,
        requester_name: r.text(8)?,
        requester_id_no: r.text(9)?,
        contact: r.text(10)?,
        description: r.text(11)?,
        received_on: date(r.text(12)?)?,
        clarification_request: r.opt_text(13)?,
        clarification_reply: r.opt_text(14)?,
        answer_kind: r.opt_text(15)?,
        answer_text: r.opt_text(16)?,
        answered_on: r.opt_text(17)?.map(date).transpose()?,
        extended: r.bool(18)?,
        version: r.i64(19)?,
    })
}

/// Loads one request.
pub fn get(tx: &mut dyn Tx, id: i64) -> Result<DisclosureRequest, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM disclosure_requests r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?"),
        vals![id],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该申请"))
}

/// A request in a list, with its answer due date.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// The request.
    pub request: DisclosureRequest,
    /// The answer limit, if running.
    pub answer: Option<LimitRecord>,
}

/// The requests of the given subtrees, newest first.
pub fn list(tx: &mut dyn Tx, scopes: &[String], limit: i64) -> Result<Vec<Listed>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    let reqs = tx
        .query(
            &format!(
                "SELECT {COLUMNS} FROM disclosure_requests r JOIN orgs o ON o.id = r.org_id
                 WHERE {filter} ORDER BY r.id DESC LIMIT ?"
            ),
            &params,
        )?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(reqs.len());
    for r in reqs {
        let answer = limits::for_subject(tx, SUBJECT, r.id)?
            .into_iter()
            .find(|l| l.key == "answer");
        out.push(Listed { request: r, answer });
    }
    Ok(out)
}

/// What the requester submits.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// Handling bureau.
    pub org_id: i64,
    /// `person` or `org`.
    pub requester_kind: String,
    /// Name.
    pub requester_name: String,
    /// ID number (person) or credit code (org), already checked.
    pub requester_id_no: String,
    /// Contact.
    pub contact: String,
    /// The information requested.
    pub description: String,
}

/// Checks a submission; every message names its field.
pub fn validate(
    kind: &str,
    name: &str,
    id_no: &str,
    contact: &str,
    description: &str,
) -> Result<(String, String, String, String, String), Vec<FieldError>> {
    let party = fazhi_domain::application::check_party(kind, name, id_no, contact);
    let description = fazhi_domain::validate::text(
        "description",
        "所需政府信息的名称、文号或便于检索的描述",
        description,
        5,
        2000,
    );
    match (party, description) {
        (Ok((k, n, i, c)), Ok(d)) => Ok((k, n, i, c, d)),
        (p, d) => {
            let mut errors = p.err().unwrap_or_default();
            errors.extend(d.err());
            Err(errors)
        }
    }
}

fn code_hash(tracking_no: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{tracking_no}:{code}").as_bytes()))
}

fn query_code() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|e| StoreError::Db(e.to_string()))?;
    Ok(b.iter()
        .map(|x| ALPHABET[usize::from(*x) % ALPHABET.len()] as char)
        .collect())
}

/// Registers a request; returns (id, tracking number, query code). The query code is shown to
/// the requester once and stored only as a hash.
pub fn submit(
    tx: &mut dyn Tx,
    who: &Who,
    new: &NewRequest,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<(i64, String, String), StoreError> {
    let p = reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("disclosure procedure not loaded".into()))?;
    let org = crate::org::get_org(tx, new.org_id)?;
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO disclosure_requests (tracking_no, query_code_hash, org_id, procedure_name,
                procedure_version, stage, requester_kind, requester_name, requester_id_no, contact,
                description, received_on, created_at, updated_at)
             VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                new.org_id,
                PROCEDURE,
                i64::from(p.version),
                &p.initial,
                &new.requester_kind,
                &new.requester_name,
                &new.requester_id_no,
                &new.contact,
                &new.description,
                fmt_date(clock.today),
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let tracking_no = format!("YSQ{}{:06}", clock.today.year(), id);
    let code = query_code()?;
    tx.exec(
        "UPDATE disclosure_requests SET tracking_no = ?, query_code_hash = ? WHERE id = ?",
        vals![&tracking_no, code_hash(&tracking_no, &code), id],
    )?;
    audit::append(
        tx,
        who,
        Some(org.id),
        "disclosure.submit_request",
        SUBJECT,
        &id.to_string(),
        json!({ "tracking_no": tracking_no, "org_name": org.name, "received_on": fmt_date(clock.today) }),
    )?;
    for key in ["clarification", "answer"] {
        let (title, spec) = limit_of(p, key, clock.today)?;
        limits::start(
            tx,
            who,
            StartLimit {
                subject: (SUBJECT, id),
                key,
                title: &title,
                org_id: org.id,
                responsible_user_id: None,
                spec,
            },
            clock,
        )?;
    }
    publish_status(tx, id, reg)?;
    Ok((id, tracking_no, code))
}

/// The facts the guards read, from the record and its limits.
pub fn facts_of(req: &DisclosureRequest, lims: &[LimitRecord], clock: Clock<'_>) -> Facts {
    let mut f = Facts::default();
    f.numbers.insert(
        facts::CLARIFICATIONS,
        i64::from(req.clarification_request.is_some()),
    );
    f.numbers.insert(facts::EXTENDED, i64::from(req.extended));
    let state = |key: &str| {
        lims.iter()
            .find(|l| l.key == key)
            .map(|l| l.spec.state(clock.cal, clock.today, l.met_on, clock.warn))
    };
    f.numbers.insert(
        facts::ANSWER_OVERDUE,
        i64::from(state("answer") == Some(LimitState::Overdue)),
    );
    f.numbers.insert(
        facts::REQUESTER_DEADLINE_PASSED,
        i64::from(state("requester_clarification") == Some(LimitState::Overdue)),
    );
    if req.answer_kind.is_some() && req.answer_text.is_some() {
        f.records.insert("answer_draft".into());
    }
    f
}

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    /// Free text: what to clarify, the third party, the reason, the answer.
    pub text: String,
    /// The kind of answer (draft_answer).
    pub answer_kind: Option<String>,
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

/// Takes one action of the procedure on a request, as a signed-in person (or, for the
/// requester's own clarification on the portal, as the requester): the shared start
/// (`procedure::begin`), the action's effect from `EFFECTS`, the shared end.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (Option<&Actor>, &Who),
    (id, expected_version): (i64, i64),
    (action_id, input): (&str, &ActionInput),
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<DisclosureRequest, StoreError> {
    let req = get(tx, id)?;
    let p = reg.get(PROCEDURE, req.procedure_version).ok_or_else(|| {
        StoreError::Db(format!(
            "procedure version {} missing",
            req.procedure_version
        ))
    })?;
    let lims = limits::for_subject(tx, SUBJECT, id)?;
    let f = facts_of(&req, &lims, clock);
    let attempt = crate::procedure::Attempt {
        actor,
        org_path: &req.org_path,
        stage: &req.stage,
        version: req.version,
        expected_version,
        subject_type: SUBJECT,
        id,
        // The requester on the portal may only supply the clarification asked for.
        public_action: "supply_clarification",
        record: "申请",
    };
    let action = crate::procedure::begin(tx, p, attempt, &f, action_id)?;
    let to = action.target(&req.stage).to_string();
    let title = action.title.clone();
    let title_of = |id: &str| p.stage(id).map_or(id.to_string(), |s| s.title.clone());
    let effect = crate::procedure::effect(EFFECTS, action_id)?;
    let mut x = Ctx {
        who,
        actor,
        record: &req,
        table: "disclosure_requests",
        subject: (SUBJECT, id),
        org_id: req.org_id,
        p,
        clock,
        limits: &lims,
        summary: json!({ "stage_from": title_of(&req.stage), "stage_to": title_of(&to) }),
    };
    effect(tx, &mut x, input)?;
    let mut summary = x.summary;
    summary["action"] = json!(title);
    crate::procedure::complete(
        tx,
        who,
        crate::procedure::Transition {
            table: "disclosure_requests",
            subject_type: SUBJECT,
            id,
            expected_version,
            to: &to,
            org_id: req.org_id,
            audit_action: format!("disclosure.{action_id}"),
            summary,
        },
    )?;
    publish_status(tx, id, reg)?;
    get(tx, id)
}

/// What an action's effect works with.
type Ctx<'a> = crate::procedure::Ctx<'a, DisclosureRequest>;

/// Every action of `procedures/disclosure-request.toml` and its effect: the only place action
/// ids of the disclosure procedure appear in code.
const EFFECTS: &[(
    &str,
    crate::procedure::Effect<DisclosureRequest, ActionInput>,
)] = &[
    ("request_clarification", request_clarification),
    ("supply_clarification", supply_clarification),
    ("consult_third_party", consult_third_party),
    ("record_third_party_opinion", record_third_party_opinion),
    ("extend", extend),
    ("draft_answer", draft_answer),
    ("answer", answer),
    ("withdraw", end_request),
    ("treat_as_abandoned", end_request),
];

/// The action ids of the disclosure procedure that have an effect in code.
pub(crate) fn action_ids() -> impl Iterator<Item = &'static str> {
    crate::procedure::action_ids(EFFECTS)
}

fn request_clarification(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "需要补正的内容")?;
    x.set(tx, "clarification_request = ?", vals![&text])?;
    x.meet(tx, "clarification")?;
    x.suspend(
        tx,
        "answer",
        "等待申请人补正（第三十条：答复期限自收到补正的申请之日起计算）",
    )?;
    let limit = limit_of(x.p, "requester_clarification", x.clock.today)?;
    x.start(tx, "requester_clarification", limit, None)?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn supply_clarification(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "补正内容")?;
    x.set(tx, "clarification_reply = ?", vals![&text])?;
    x.meet(tx, "requester_clarification")?;
    // 第三十条: the answer period runs from the day the clarified request is received.
    let limit = limit_of(x.p, "answer", x.clock.today)?;
    x.start(tx, "answer", limit, x.responsible())?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn consult_third_party(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "第三方及征求意见事项")?;
    x.suspend(
        tx,
        "answer",
        "征求第三方意见（第三十三条第三款：所需时间不计算在期限内）",
    )?;
    let limit = limit_of(x.p, "third_party", x.clock.today)?;
    x.start(tx, "third_party", limit, x.responsible())?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn record_third_party_opinion(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "第三方意见")?;
    x.meet(tx, "third_party")?;
    x.resume(tx, "answer")?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn extend(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let text = need_text(input, "延长理由")?;
    x.extend(tx, "answer", &text)?;
    x.set(tx, "extended = 1", &[])?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn draft_answer(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let kind = input
        .answer_kind
        .as_deref()
        .and_then(AnswerKind::parse)
        .ok_or_else(|| {
            StoreError::Invalid(vec![FieldError::new("answer_kind", "答复类型", "请选择")])
        })?;
    let text = need_text(input, "答复内容")?;
    x.set(
        tx,
        "answer_kind = ?, answer_text = ?",
        vals![kind.as_str(), &text],
    )?;
    x.summary["answer_kind"] = json!(kind.label_zh());
    Ok(())
}

fn answer(tx: &mut dyn Tx, x: &mut Ctx<'_>, _input: &ActionInput) -> Result<(), StoreError> {
    x.set(tx, "answered_on = ?", vals![fmt_date(x.clock.today)])?;
    for key in ["answer", "clarification"] {
        x.meet(tx, key)?;
    }
    x.summary["answer_kind"] = json!(
        x.record
            .answer_kind
            .as_deref()
            .and_then(AnswerKind::parse)
            .map(AnswerKind::label_zh)
    );
    Ok(())
}

/// Withdrawn, or abandoned by the requester: every open limit is met.
fn end_request(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    for l in x.limits {
        x.meet(tx, &l.key)?;
    }
    if !input.text.trim().is_empty() {
        x.summary["text"] = json!(input.text.trim());
    }
    Ok(())
}

/// The requester supplies the clarification on the portal, with tracking number and code.
pub fn supply_from_portal(
    tx: &mut dyn Tx,
    tracking_no: &str,
    code: &str,
    text: &str,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<(), StoreError> {
    let row = tx.query_opt(
        "SELECT id, query_code_hash, version FROM disclosure_requests WHERE tracking_no = ?",
        vals![tracking_no],
    )?;
    let Some(r) = row.filter(|r| {
        r.text(1).ok().as_deref() == Some(code_hash(tracking_no, code.trim()).as_str())
    }) else {
        return Err(StoreError::NotFound("该申请（请核对申请编号和查询码）"));
    };
    let who = Who {
        user_id: None,
        name: format!("申请人（{tracking_no}）"),
    };
    let input = ActionInput {
        text: text.to_string(),
        answer_kind: None,
    };
    act(
        tx,
        (None, &who),
        (r.i64(0)?, r.i64(2)?),
        ("supply_clarification", &input),
        reg,
        clock,
    )
    .map(|_| ())
}

/// Rewrites the portal snapshot of a request's status: stage, steps with dates, the answer due
/// date. It holds no name or identity number: only the tracking number and the hash of the
/// query code open it.
pub fn publish_status(tx: &mut dyn Tx, id: i64, reg: &Registry) -> Result<(), StoreError> {
    let req = get(tx, id)?;
    let p = reg.get(PROCEDURE, req.procedure_version);
    let stage_title = p
        .and_then(|p| p.stage(&req.stage))
        .map_or(req.stage.clone(), |s| s.title.clone());
    let steps: Vec<serde_json::Value> = audit::timeline(tx, SUBJECT, &id.to_string())?
        .iter()
        .filter(|e| e.action.starts_with("disclosure."))
        .map(|e| {
            let s: serde_json::Value = serde_json::from_str(&e.summary).unwrap_or_default();
            let title = s["action"].as_str().unwrap_or("提交申请").to_string();
            json!({ "at_ms": e.at_ms, "title": title, "text": s["text"] })
        })
        .collect();
    let lims = limits::for_subject(tx, SUBJECT, id)?;
    let answer = lims.iter().find(|l| l.key == "answer");
    let body = json!({
        "tracking_no": req.tracking_no,
        "code_hash": tx.query_opt("SELECT query_code_hash FROM disclosure_requests WHERE id = ?", vals![id])?.map(|r| r.text(0)).transpose()?,
        "org_name": req.org_name,
        "received_on": fmt_date(req.received_on),
        "stage": req.stage,
        "stage_title": stage_title,
        "answer_due": answer.and_then(|a| a.due).map(fmt_date),
        "answer_due_provisional": answer.is_some_and(|a| a.provisional),
        "answer_state": answer.map(|a| a.state.label_zh()),
        "clarification_request": req.clarification_request,
        "answer_kind": if req.answered_on.is_some() { req.answer_kind.as_deref().and_then(AnswerKind::parse).map(AnswerKind::label_zh) } else { None },
        "answer_text": if req.answered_on.is_some() { req.answer_text.clone() } else { None },
        "answered_on": req.answered_on.map(fmt_date),
        "steps": steps,
    });
    publication::publish(
        tx,
        KIND_STATUS,
        &req.tracking_no,
        &format!("依申请公开 {}", req.tracking_no),
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

/// Whether the limit count is in working days (for display).
pub fn is_working(c: Count) -> bool {
    c == Count::Working
}

/// Loads a request outside a transaction (tests and tools).
pub fn get_for_test(store: &crate::Store, id: i64) -> DisclosureRequest {
    store
        .read(|tx| get(tx, id))
        .unwrap_or_else(|e| panic!("request {id}: {e}"))
}
