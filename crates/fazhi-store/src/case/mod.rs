//! Administrative penalty cases in the database (SPEC C6, C11, C13): leads, the general procedure
//! of `procedures/penalty-general.toml` with every statutory step and time limit, the summary
//! procedure on the spot (art. 51), the official documents with their numbers, the masked
//! publicity of decisions (国办发〔2018〕118号, art. 48), the party's lookup by case number and
//! code, the whole-file export, the major penalty filing queue and the statistics.

use std::collections::BTreeMap;

use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::enforcement::case::{
    PROCEDURE, Penalty, Rules, bureau_abbreviation, document_kind, document_number,
    evidence_kind_label, facts, lead_source_label,
};
use fazhi_domain::enforcement::discretion::{Band, Grade, check_fine};
use fazhi_domain::enforcement::{self, PartyKind, check_limitation, yuan};
use fazhi_domain::identity::{
    check_credit_code, check_id_number, mask_id_number, mask_person_name,
};
use fazhi_domain::org::{Actor, OrgAction, Role, may};
use fazhi_domain::power::PowerKind;
use fazhi_domain::procedure::{Facts, Procedure, Registry};
use fazhi_domain::time_limit::{Count, Extension, LimitState, TimeLimit};
use fazhi_domain::{FieldError, Refusal, validate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Date;

use crate::audit::{self, Who};
use crate::procedure::limit_of;
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord, StartLimit};
use crate::{Engine, Query, Row, StoreError, Tx, now_ms, power, publication, vals};

mod actions;
use actions::Ctx;

/// The action ids of the penalty procedure that have an effect in code.
pub(crate) fn action_ids() -> impl Iterator<Item = &'static str> {
    crate::procedure::action_ids(actions::EFFECTS)
}

/// The subject type of cases on the audit chain and of their time limits.
pub const SUBJECT: &str = "penalty_case";
/// The subject type of leads.
pub const LEAD_SUBJECT: &str = "lead";
/// Kind of the party's status snapshot (read with case number and code).
pub const KIND_STATUS: &str = "penalty_case_status";
/// Kind of a published penalty decision (行政执法公示).
pub const KIND_DECISION: &str = "penalty_decision";

/// What every case operation needs besides the transaction.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// The procedures.
    pub reg: &'a Registry,
    /// Calendar, today, warning period.
    pub clock: Clock<'a>,
    /// The local rules.
    pub rules: &'a Rules,
}

fn invalid(field: &str, label: &str, problem: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, label, problem)])
}

fn refused(code: &'static str, message: String, basis: &str) -> StoreError {
    StoreError::Refused(Refusal::by_law(code, message, basis))
}

// ---------------------------------------------------------------- leads

/// One lead.
#[derive(Debug, Clone, Serialize)]
pub struct Lead {
    /// Id.
    pub id: i64,
    /// Number shown.
    pub lead_no: String,
    /// Org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path.
    #[serde(skip)]
    pub org_path: String,
    /// complaint, report, inspection, referral, superior.
    pub source: String,
    /// Day received.
    pub received_on: Date,
    /// Who reported or referred it.
    pub reporter: String,
    /// `person` or `org`.
    pub party_kind: String,
    /// The party named.
    pub party_name: String,
    /// What was reported.
    pub description: String,
    /// registered, opened, closed.
    pub state: String,
    /// Why it was closed, or the assessment.
    pub assessment: Option<String>,
    /// The case opened from it.
    pub case_id: Option<i64>,
    /// Version.
    pub version: i64,
}

const LEAD_COLUMNS: &str = "l.id, l.lead_no, l.org_id, o.name, o.path, l.source, l.received_on, \
    l.reporter, l.party_kind, l.party_name, l.description, l.state, l.assessment, l.case_id, l.version";

fn lead_row(r: &Row) -> Result<Lead, StoreError> {
    Ok(Lead {
        id: r.i64(0)?,
        lead_no: r.text(1)?,
        org_id: r.i64(2)?,
        org_name: r.text(3)?,
        org_path: r.text(4)?,
        source: r.text(5)?,
        received_on: parse_date(&r.text(6)?).ok_or_else(|| StoreError::Db("bad date".into()))?,
        reporter: r.text(7)?,
        party_kind: r.text(8)?,
        party_name: r.text(9)?,
        description: r.text(10)?,
        state: r.text(11)?,
        assessment: r.opt_text(12)?,
        case_id: r.opt_i64(13)?,
        version: r.i64(14)?,
    })
}

/// One lead.
pub fn get_lead(tx: &mut dyn Tx, id: i64) -> Result<Lead, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {LEAD_COLUMNS} FROM leads l JOIN orgs o ON o.id = l.org_id WHERE l.id = ?"
        ),
        vals![id],
    )?
    .as_ref()
    .map(lead_row)
    .transpose()?
    .ok_or(StoreError::NotFound("该线索"))
}

/// The leads of these subtrees, newest first.
pub fn list_leads(tx: &mut dyn Tx, scopes: &[String], limit: i64) -> Result<Vec<Lead>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    tx.query(
        &format!("SELECT {LEAD_COLUMNS} FROM leads l JOIN orgs o ON o.id = l.org_id WHERE {filter} ORDER BY l.id DESC LIMIT ?"),
        &params,
    )?
    .iter()
    .map(lead_row)
    .collect()
}

/// A lead as registered.
#[derive(Debug, Clone)]
pub struct NewLead {
    /// The unit that handles it.
    pub org_id: i64,
    /// Source (`LEAD_SOURCES`).
    pub source: String,
    /// Day received.
    pub received_on: Date,
    /// Reporter or referring body.
    pub reporter: String,
    /// `person` or `org`.
    pub party_kind: String,
    /// The party named.
    pub party_name: String,
    /// What was reported.
    pub description: String,
}

const HANDLERS: [Role; 4] = [Role::Officer, Role::DivisionHead, Role::Leader, Role::Clerk];

fn require_roles(actor: &Actor, path: &str, roles: &[Role], what: &str) -> Result<(), StoreError> {
    may(actor, OrgAction::View, path).map_err(StoreError::Forbidden)?;
    let mine = actor.roles_over(path);
    if roles.iter().any(|r| mine.contains(r)) {
        return Ok(());
    }
    let names: Vec<&str> = roles.iter().map(|r| r.label_zh()).collect();
    Err(StoreError::Forbidden(Refusal::new(
        "case.role",
        format!("{what}需要以下角色之一：{}", names.join("、")),
    )))
}

/// Registers a lead and starts its assessment limit.
pub fn register_lead(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewLead,
    env: Env<'_>,
) -> Result<(i64, String), StoreError> {
    let org = crate::org::get_org(tx, new.org_id)?;
    require_roles(actor, &org.path, &HANDLERS, "登记案件线索")?;
    let mut errors = Vec::new();
    if lead_source_label(&new.source).is_none() {
        errors.push(FieldError::new("source", "线索来源", "请选择线索来源"));
    }
    if !matches!(new.party_kind.as_str(), "person" | "org") {
        errors.push(FieldError::new(
            "party_kind",
            "当事人类型",
            "请选择公民或法人/其他组织",
        ));
    }
    if new.received_on > env.clock.today {
        errors.push(FieldError::new("received_on", "收到日期", "不能晚于今天"));
    }
    let reporter = validate::text("reporter", "来源单位或反映人", &new.reporter, 1, 100)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let party = validate::text("party_name", "涉及的当事人", &new.party_name, 2, 100)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let description = validate::text("description", "线索内容", &new.description, 5, 4000)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO leads (lead_no, org_id, source, received_on, reporter, party_kind, party_name,
                description, state, created_at, updated_at)
             VALUES ('', ?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?) RETURNING id",
            vals![
                org.id,
                &new.source,
                fmt_date(new.received_on),
                &reporter,
                &new.party_kind,
                &party,
                &description,
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let lead_no = format!("XS{}{:06}", new.received_on.year(), id);
    tx.exec(
        "UPDATE leads SET lead_no = ? WHERE id = ?",
        vals![&lead_no, id],
    )?;
    let who = Who::from(actor);
    audit::append(
        tx,
        &who,
        Some(org.id),
        "case.register_lead",
        LEAD_SUBJECT,
        &id.to_string(),
        json!({ "lead_no": lead_no, "source": lead_source_label(&new.source), "party": party,
                "received_on": fmt_date(new.received_on) }),
    )?;
    limits::start(
        tx,
        &who,
        StartLimit {
            subject: (LEAD_SUBJECT, id),
            key: "assessment",
            title: "线索核查期限",
            org_id: org.id,
            responsible_user_id: Some(actor.user_id),
            spec: TimeLimit::new(
                new.received_on,
                env.rules.lead_assessment_days,
                Count::Working,
                &env.rules.lead_assessment_basis,
                None,
            ),
        },
        env.clock,
    )?;
    Ok((id, lead_no))
}

/// Closes a lead without a case, with the reasons.
pub fn close_lead(
    tx: &mut dyn Tx,
    actor: &Actor,
    (id, expected_version): (i64, i64),
    reasons: &str,
    env: Env<'_>,
) -> Result<(), StoreError> {
    let l = get_lead(tx, id)?;
    may(actor, OrgAction::View, &l.org_path).map_err(|_| StoreError::NotFound("该线索"))?;
    require_roles(
        actor,
        &l.org_path,
        &[Role::DivisionHead, Role::Leader],
        "决定线索不予立案",
    )?;
    if l.version != expected_version {
        return Err(StoreError::Conflict { current: l.version });
    }
    if l.state != "registered" {
        return Err(StoreError::Refused(Refusal::new(
            "case.lead_done",
            "该线索已经处理完毕。",
        )));
    }
    let reasons = validate::text("text", "不予立案的理由", reasons, 5, 2000)?;
    tx.exec(
        "UPDATE leads SET state = 'closed', assessment = ?, version = version + 1, updated_at = ? WHERE id = ?",
        vals![&reasons, now_ms(), id],
    )?;
    let who = Who::from(actor);
    limits::meet(
        tx,
        &who,
        (LEAD_SUBJECT, id),
        "assessment",
        env.clock.today,
        env.clock.cal,
    )?;
    audit::append(
        tx,
        &who,
        Some(l.org_id),
        "case.close_lead",
        LEAD_SUBJECT,
        &id.to_string(),
        json!({ "lead_no": l.lead_no, "text": reasons }),
    )?;
    Ok(())
}

// ---------------------------------------------------------------- cases

/// A collective-discussion view.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct View {
    /// Who.
    pub name: String,
    /// Their view.
    pub opinion: String,
    /// When (ms).
    pub at_ms: i64,
    /// The head's concluding view.
    #[serde(default)]
    pub concluding: bool,
}

/// One case, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct PenaltyCase {
    /// Id.
    pub id: i64,
    /// Case number (案号).
    pub case_no: String,
    /// Unit.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path.
    #[serde(skip)]
    pub org_path: String,
    /// The lead it came from.
    pub lead_id: Option<i64>,
    /// Procedure version.
    pub procedure_version: u32,
    /// Stage.
    pub stage: String,
    /// Decided on the spot (简易程序, art. 51).
    pub summary_procedure: bool,
    /// The penalty item.
    pub item_code: String,
    /// Its name.
    pub item_name: String,
    /// The discretion benchmark used, and its version.
    pub benchmark: Option<(String, i64)>,
    /// Person or organisation.
    pub party_kind: PartyKind,
    /// Party.
    pub party_name: String,
    /// ID number or credit code.
    pub party_id_no: String,
    /// Address.
    pub party_address: String,
    /// The facts as found so far.
    pub facts: String,
    /// The day the act ended.
    pub act_ended_on: Date,
    /// The day it was discovered.
    pub discovered_on: Date,
    /// Five-year limitation (art. 36).
    pub long_limitation: bool,
    /// A basis recorded for opening past the limitation.
    pub limitation_basis: Option<String>,
    /// Day opened (approved).
    pub opened_on: Option<Date>,
    /// Investigation report.
    pub report: Option<String>,
    /// The proposed penalty.
    pub proposed: Option<Penalty>,
    /// The band and its trace.
    pub band: Option<Band>,
    /// Reasons for a fine outside the band.
    pub outside_band_reasons: Option<String>,
    /// Why legal review is mandatory (empty: not mandatory).
    pub review_reasons: Vec<String>,
    /// Review passed.
    pub review_passed: bool,
    /// The reviewer's opinion.
    pub review_opinion: Option<String>,
    /// Why the party has the hearing right (none: no right).
    pub hearing_right: Option<String>,
    /// Day of the pre-decision notice.
    pub notified_on: Option<Date>,
    /// The penalty notified.
    pub notified: Option<Penalty>,
    /// The party's statement and defence.
    pub statement: Option<String>,
    /// The party waived the rest of the period.
    pub statement_waived: bool,
    /// Day of the hearing.
    pub hearing_on: Option<Date>,
    /// The hearing record.
    pub hearing_record: Option<String>,
    /// Why collective discussion is needed.
    pub collective_reason: Option<String>,
    /// The views.
    pub collective_views: Vec<View>,
    /// The head has concluded.
    pub collective_concluded: bool,
    /// Day decided.
    pub decided_on: Option<Date>,
    /// `penalty` or `no_penalty`.
    pub outcome: Option<String>,
    /// The penalty decided.
    pub decided: Option<Penalty>,
    /// The fine decided, fen.
    pub fine: i64,
    /// The decision's reasons, or the guidance given (art. 33).
    pub decision_text: Option<String>,
    /// Day served.
    pub delivered_on: Option<Date>,
    /// How served.
    pub delivery_method: Option<String>,
    /// Day paid.
    pub paid_on: Option<Date>,
    /// Paid, fen.
    pub paid: i64,
    /// Surcharge, fen.
    pub surcharge: i64,
    /// Deferral or instalments approved.
    pub deferral: Option<String>,
    /// Day published.
    pub published_on: Option<Date>,
    /// Day revoked.
    pub revoked_on: Option<Date>,
    /// Why.
    pub revoke_reason: Option<String>,
    /// Day closed.
    pub closed_on: Option<Date>,
    /// Day archived.
    pub archived_on: Option<Date>,
    /// Decision limit extended.
    pub extended: bool,
    /// Version.
    pub version: i64,
}

const COLUMNS: &str = "c.id, c.case_no, c.org_id, o.name, o.path, c.lead_id, c.procedure_version, c.stage, \
    c.summary_procedure, c.item_code, c.item_name, c.benchmark_code, c.benchmark_version, c.party_kind, \
    c.party_name, c.party_id_no, c.party_address, c.facts, c.act_ended_on, c.discovered_on, c.long_limitation, \
    c.limitation_basis, c.opened_on, c.report, c.proposed, c.band, c.outside_band_reasons, c.review_reasons, \
    c.review_passed, c.review_opinion, c.hearing_right, c.notified_on, c.notified, c.statement, \
    c.statement_waived, c.hearing_on, c.hearing_record, c.collective_reason, c.collective_views, \
    c.collective_concluded, c.decided_on, c.outcome, c.decided, c.fine, c.decision_text, c.delivered_on, \
    c.delivery_method, c.paid_on, c.paid, c.surcharge, c.deferral, c.published_on, c.revoked_on, \
    c.revoke_reason, c.closed_on, c.archived_on, c.extended, c.version";

fn json_of<T: for<'de> Deserialize<'de>>(s: Option<String>) -> Option<T> {
    s.and_then(|x| serde_json::from_str(&x).ok())
}

fn party_kind(s: &str) -> PartyKind {
    if s == "person" {
        PartyKind::Person
    } else {
        PartyKind::Organisation
    }
}

fn party_kind_str(k: PartyKind) -> &'static str {
    match k {
        PartyKind::Person => "person",
        PartyKind::Organisation => "org",
    }
}

fn row(r: &Row) -> Result<PenaltyCase, StoreError> {
    let d = |i: usize| -> Result<Option<Date>, StoreError> {
        Ok(r.opt_text(i)?.as_deref().and_then(parse_date))
    };
    let bad = || StoreError::Db("bad date".into());
    Ok(PenaltyCase {
        id: r.i64(0)?,
        case_no: r.text(1)?,
        org_id: r.i64(2)?,
        org_name: r.text(3)?,
        org_path: r.text(4)?,
        lead_id: r.opt_i64(5)?,
        procedure_version: u32::try_from(r.i64(6)?).unwrap_or(1),
        stage: r.text(7)?,
        summary_procedure: r.bool(8)?,
        item_code: r.text(9)?,
        item_name: r.text(10)?,
        benchmark: match (r.opt_text(11)?, r.opt_i64(12)?) {
            (Some(c), Some(v)) => Some((c, v)),
            _ => None,
        },
        party_kind: party_kind(&r.text(13)?),
        party_name: r.text(14)?,
        party_id_no: r.text(15)?,
        party_address: r.text(16)?,
        facts: r.text(17)?,
        act_ended_on: d(18)?.ok_or_else(bad)?,
        discovered_on: d(19)?.ok_or_else(bad)?,
        long_limitation: r.bool(20)?,
        limitation_basis: r.opt_text(21)?,
        opened_on: d(22)?,
        report: r.opt_text(23)?,
        proposed: json_of(r.opt_text(24)?),
        band: json_of(r.opt_text(25)?),
        outside_band_reasons: r.opt_text(26)?,
        review_reasons: json_of(r.opt_text(27)?).unwrap_or_default(),
        review_passed: r.bool(28)?,
        review_opinion: r.opt_text(29)?,
        hearing_right: r.opt_text(30)?,
        notified_on: d(31)?,
        notified: json_of(r.opt_text(32)?),
        statement: r.opt_text(33)?,
        statement_waived: r.bool(34)?,
        hearing_on: d(35)?,
        hearing_record: r.opt_text(36)?,
        collective_reason: r.opt_text(37)?,
        collective_views: json_of(r.opt_text(38)?).unwrap_or_default(),
        collective_concluded: r.bool(39)?,
        decided_on: d(40)?,
        outcome: r.opt_text(41)?,
        decided: json_of(r.opt_text(42)?),
        fine: r.i64(43)?,
        decision_text: r.opt_text(44)?,
        delivered_on: d(45)?,
        delivery_method: r.opt_text(46)?,
        paid_on: d(47)?,
        paid: r.i64(48)?,
        surcharge: r.i64(49)?,
        deferral: r.opt_text(50)?,
        published_on: d(51)?,
        revoked_on: d(52)?,
        revoke_reason: r.opt_text(53)?,
        closed_on: d(54)?,
        archived_on: d(55)?,
        extended: r.bool(56)?,
        version: r.i64(57)?,
    })
}

/// One case.
pub fn get(tx: &mut dyn Tx, id: i64) -> Result<PenaltyCase, StoreError> {
    let q = get_query(id);
    case_from(&tx.query(&q.sql, &q.params)?)
}

fn get_query(id: i64) -> Query {
    Query::new(
        format!(
            "SELECT {COLUMNS} FROM penalty_cases c JOIN orgs o ON o.id = c.org_id WHERE c.id = ?"
        ),
        vals![id],
    )
}

fn case_from(rows: &[Row]) -> Result<PenaltyCase, StoreError> {
    rows.first()
        .map(row)
        .transpose()?
        .ok_or(StoreError::NotFound("该案件"))
}

/// What the guards of an action and the case page read besides the case itself.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    /// The case's time limits.
    pub limits: Vec<LimitRecord>,
    /// Its officers.
    pub officers: Vec<Officer>,
    /// Its evidence.
    pub evidence: Vec<Evidence>,
    /// Its documents.
    pub documents: Vec<Document>,
    /// The certificates its officers hold (any status; the guards check each).
    pub certificates: Vec<fazhi_domain::enforcement::certificate::Certificate>,
}

fn parts_queries(id: i64) -> [Query; 4] {
    [
        limits::for_subject_query(SUBJECT, id),
        officers_with_certificates_query(id),
        evidence_query(id),
        documents_query(id),
    ]
}

fn parts_from(rows: &[Vec<Row>]) -> Result<Parts, StoreError> {
    let [limits_rows, officer_rows, evidence_rows, document_rows] = rows else {
        return Err(StoreError::Db(
            "parts of a case: four results expected".into(),
        ));
    };
    let (officers, certificates) = officers_with_certificates(officer_rows)?;
    Ok(Parts {
        limits: limits::records(limits_rows)?,
        officers,
        evidence: evidence_from(evidence_rows)?,
        documents: documents_from(document_rows)?,
        certificates,
    })
}

/// The officers of a case, each with every certificate they hold (one row per officer and
/// certificate; certificate columns first, empty for an officer without any).
fn officers_with_certificates_query(id: i64) -> Query {
    use crate::certificate::{COLUMNS, FROM};
    Query::new(
        format!(
            "SELECT {COLUMNS}, co.user_id, ou.display_name, co.certificate_no
             FROM case_officers co JOIN users ou ON ou.id = co.user_id
             LEFT JOIN ({FROM}) ON c.holder_id = co.user_id
             WHERE co.case_id = ? ORDER BY co.assigned_at, co.user_id, c.valid_until DESC"
        ),
        vals![id],
    )
}

fn officers_with_certificates(
    rows: &[Row],
) -> Result<
    (
        Vec<Officer>,
        Vec<fazhi_domain::enforcement::certificate::Certificate>,
    ),
    StoreError,
> {
    const OFFICER: usize = 14; // after the certificate's columns
    let mut officers: Vec<Officer> = Vec::new();
    let mut certificates = Vec::new();
    for r in rows {
        let user_id = r.i64(OFFICER)?;
        if officers.last().map(|o| o.user_id) != Some(user_id) {
            officers.push(Officer {
                user_id,
                name: r.text(OFFICER + 1)?,
                certificate_no: r.text(OFFICER + 2)?,
            });
        }
        if r.opt_i64(0)?.is_some() {
            certificates.push(crate::certificate::certificate(r)?);
        }
    }
    Ok((officers, certificates))
}

/// A case and its parts, read together (one round trip on PostgreSQL).
pub fn with_parts(tx: &mut dyn Tx, id: i64) -> Result<(PenaltyCase, Parts), StoreError> {
    let mut queries = vec![get_query(id)];
    queries.extend(parts_queries(id));
    let rows = tx.query_all(&queries)?;
    let (first, rest) = rows
        .split_first()
        .ok_or_else(|| StoreError::Db("no result".into()))?;
    Ok((case_from(first)?, parts_from(rest)?))
}

/// Everything the case page shows of a case.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// The case.
    pub case: PenaltyCase,
    /// Its parts.
    pub parts: Parts,
    /// Its major-penalty filing, if its decision is major.
    pub filing: Option<Filing>,
    /// Its entries on the audit chain, oldest first.
    pub timeline: Vec<fazhi_domain::audit::AuditEntry>,
}

/// The case file, read together (one round trip on PostgreSQL); "not found" when the actor may
/// not see the case (nothing read is returned then).
pub fn file(tx: &mut dyn Tx, actor: &Actor, id: i64) -> Result<CaseFile, StoreError> {
    let mut queries = vec![Query::new(
        format!(
            "SELECT {COLUMNS}, f.id, f.reason, f.decided_on, f.due_on, f.filed_on
             FROM penalty_cases c JOIN orgs o ON o.id = c.org_id
             LEFT JOIN major_filings f ON f.case_id = c.id WHERE c.id = ?"
        ),
        vals![id],
    )];
    queries.extend(parts_queries(id));
    queries.push(audit::timeline_query(SUBJECT, &id.to_string()));
    let rows = tx.query_all(&queries)?;
    let [first, middle @ .., timeline_rows] = rows.as_slice() else {
        return Err(StoreError::Db("case file: results missing".into()));
    };
    let case = case_from(first)?;
    may(actor, OrgAction::View, &case.org_path).map_err(|_| StoreError::NotFound("该案件"))?;
    // The major-penalty filing, in the columns after the case's.
    const FILING: usize = 58;
    let filing = match first.first() {
        Some(r) if r.opt_i64(FILING)?.is_some() => Some(Filing {
            id: r.i64(FILING)?,
            case_id: case.id,
            case_no: case.case_no.clone(),
            org_name: case.org_name.clone(),
            party_name: case.party_name.clone(),
            penalty: case.decided.clone().unwrap_or_default().describe(),
            reason: r.text(FILING + 1)?,
            decided_on: r.text(FILING + 2)?,
            due_on: r.text(FILING + 3)?,
            filed_on: r.opt_text(FILING + 4)?,
        }),
        _ => None,
    };
    Ok(CaseFile {
        parts: parts_from(middle)?,
        filing,
        timeline: audit::entries(timeline_rows)?,
        case,
    })
}

/// One case the actor may see ("not found" otherwise: a county bureau never learns of another's).
pub fn get_visible(tx: &mut dyn Tx, actor: &Actor, id: i64) -> Result<PenaltyCase, StoreError> {
    let c = get(tx, id)?;
    may(actor, OrgAction::View, &c.org_path).map_err(|_| StoreError::NotFound("该案件"))?;
    Ok(c)
}

/// A line of the case list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// Id.
    pub id: i64,
    /// Case number.
    pub case_no: String,
    /// Unit.
    pub org_name: String,
    /// Item.
    pub item_name: String,
    /// Party.
    pub party_name: String,
    /// Stage.
    pub stage: String,
    /// Summary procedure.
    pub summary_procedure: bool,
    /// Day opened or created.
    pub opened_on: Option<String>,
    /// Fine decided, fen.
    pub fine: i64,
}

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Stage.
    pub stage: Option<String>,
    /// Item code.
    pub item_code: Option<String>,
    /// Case number or party name contains.
    pub q: Option<String>,
    /// Only cases with id below this (paging).
    pub before_id: Option<i64>,
}

/// The cases of these subtrees matching the filter, newest first.
pub fn list(
    tx: &mut dyn Tx,
    scopes: &[String],
    f: &Filter,
    limit: i64,
) -> Result<Vec<Listed>, StoreError> {
    // Cases are found through the orgs in scope (few) and the (org_id, id) index. PostgreSQL
    // would plan `IN (SELECT …)` as a join, again at every execution (with the scope's LIKE,
    // custom plans win over a generic one) — about half of its work for this page; the units
    // as an array computed first (an InitPlan) leave a plan as quick to make as for one unit,
    // and as good (BENCHMARKS.md, issue 5).
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    let units = match tx.engine() {
        Engine::Sqlite => format!("c.org_id IN (SELECT o.id FROM orgs o WHERE {filter})"),
        Engine::Postgres => {
            format!("c.org_id = ANY(ARRAY(SELECT o.id FROM orgs o WHERE {filter}))")
        }
    };
    let mut sql = format!(
        "SELECT c.id, c.case_no, (SELECT o.name FROM orgs o WHERE o.id = c.org_id), c.item_name,
                c.party_name, c.stage, c.summary_procedure, c.opened_on, c.fine
         FROM penalty_cases c WHERE {units}"
    );
    if let Some(s) = &f.stage {
        sql.push_str(" AND c.stage = ?");
        params.push(s.clone().into());
    }
    if let Some(i) = &f.item_code {
        sql.push_str(" AND c.item_code = ?");
        params.push(i.clone().into());
    }
    if let Some(q) = f.q.as_ref().filter(|q| !q.trim().is_empty()) {
        if q.contains('〔') && q.trim_end().ends_with('号') {
            // A whole case number: the unique index answers at once.
            sql.push_str(" AND c.case_no = ?");
            params.push(q.trim().to_string().into());
        } else {
            // The text as typed (`%` and `_` are not wildcards). A function rather than LIKE:
            // PostgreSQL weighs a LIKE pattern against the column statistics at every
            // execution, which cost more than running the query (BENCHMARKS.md, issue 5).
            let contains = match tx.engine() {
                Engine::Sqlite => "instr",
                Engine::Postgres => "strpos",
            };
            sql.push_str(&format!(
                " AND ({contains}(c.case_no, ?) > 0 OR {contains}(c.party_name, ?) > 0)"
            ));
            let text = q.trim().to_string();
            params.push(text.clone().into());
            params.push(text.into());
        }
    }
    if let Some(b) = f.before_id {
        sql.push_str(" AND c.id < ?");
        params.push(b.into());
    }
    sql.push_str(" ORDER BY c.id DESC LIMIT ?");
    params.push(limit.into());
    tx.query(&sql, &params)?
        .iter()
        .map(|r| {
            Ok(Listed {
                id: r.i64(0)?,
                case_no: r.text(1)?,
                org_name: r.text(2)?,
                item_name: r.text(3)?,
                party_name: r.text(4)?,
                stage: r.text(5)?,
                summary_procedure: r.bool(6)?,
                opened_on: r.opt_text(7)?,
                fine: r.i64(8)?,
            })
        })
        .collect()
}

/// An officer on the case.
#[derive(Debug, Clone, Serialize)]
pub struct Officer {
    /// User.
    pub user_id: i64,
    /// Name.
    pub name: String,
    /// Certificate number at assignment.
    pub certificate_no: String,
}

/// The officers of a case.
pub fn officers(tx: &mut dyn Tx, id: i64) -> Result<Vec<Officer>, StoreError> {
    let q = officers_with_certificates_query(id);
    Ok(officers_with_certificates(&tx.query(&q.sql, &q.params)?)?.0)
}

/// One piece of evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Id.
    pub id: i64,
    /// Kind (art. 46).
    pub kind: String,
    /// What it is.
    pub title: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Day collected.
    pub collected_on: String,
    /// 先行登记保存.
    pub preserved: bool,
    /// The decision on preserved evidence.
    pub preservation_decision: Option<String>,
}

/// The evidence of a case.
pub fn evidence(tx: &mut dyn Tx, id: i64) -> Result<Vec<Evidence>, StoreError> {
    let q = evidence_query(id);
    evidence_from(&tx.query(&q.sql, &q.params)?)
}

fn evidence_query(id: i64) -> Query {
    Query::new(
        "SELECT id, kind, title, file_name, content_type, size, sha256, collected_on, preserved,
                preservation_decision FROM case_evidence WHERE case_id = ? ORDER BY id",
        vals![id],
    )
}

fn evidence_from(rows: &[Row]) -> Result<Vec<Evidence>, StoreError> {
    rows.iter()
        .map(|r| {
            Ok(Evidence {
                id: r.i64(0)?,
                kind: r.text(1)?,
                title: r.text(2)?,
                file_name: r.text(3)?,
                content_type: r.text(4)?,
                size: r.i64(5)?,
                sha256: r.text(6)?,
                collected_on: r.text(7)?,
                preserved: r.bool(8)?,
                preservation_decision: r.opt_text(9)?,
            })
        })
        .collect()
}

/// An official document of a case.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Id.
    pub id: i64,
    /// Kind (`DOCUMENT_KINDS`).
    pub kind: String,
    /// Number (文号).
    pub number: String,
    /// Title.
    pub title: String,
    /// Issuing bureau.
    pub issuer: String,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
    /// SHA-256 of the body as stored.
    pub sha256: String,
    /// Day issued.
    pub issued_on: String,
    /// Day served on the party.
    pub served_on: Option<String>,
}

/// The documents of a case.
pub fn documents(tx: &mut dyn Tx, id: i64) -> Result<Vec<Document>, StoreError> {
    let q = documents_query(id);
    documents_from(&tx.query(&q.sql, &q.params)?)
}

fn documents_query(id: i64) -> Query {
    Query::new(
        "SELECT id, kind, number, title, body, sha256, issued_on, served_on FROM case_documents
         WHERE case_id = ? ORDER BY id",
        vals![id],
    )
}

fn documents_from(rows: &[Row]) -> Result<Vec<Document>, StoreError> {
    rows.iter()
        .map(|r| {
            let body: serde_json::Value =
                serde_json::from_str(&r.text(4)?).map_err(|e| StoreError::Db(e.to_string()))?;
            Ok(Document {
                id: r.i64(0)?,
                kind: r.text(1)?,
                number: r.text(2)?,
                title: r.text(3)?,
                issuer: body["issuer"].as_str().unwrap_or_default().to_string(),
                paragraphs: body["paragraphs"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|p| p.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                sha256: r.text(5)?,
                issued_on: r.text(6)?,
                served_on: r.opt_text(7)?,
            })
        })
        .collect()
}

/// The bureau a unit belongs to (nearest county bureau, or the city bureau): its id and name.
fn bureau_of(tx: &mut dyn Tx, org_path: &str) -> Result<(i64, String), StoreError> {
    bureau_row(tx, org_path).map(|(id, name, _)| (id, name))
}

/// The bureau a unit belongs to: its id, name and path.
fn bureau_row(tx: &mut dyn Tx, org_path: &str) -> Result<(i64, String, String), StoreError> {
    let rows = tx.query(
        "SELECT id, name, path FROM orgs WHERE kind IN ('bureau', 'county_bureau') ORDER BY LENGTH(path) DESC",
        &[],
    )?;
    for r in rows {
        let path = r.text(2)?;
        if org_path.starts_with(path.as_str()) {
            return Ok((r.i64(0)?, r.text(1)?, path));
        }
    }
    Err(StoreError::NotFound("所属机关"))
}

/// The next number of a document word for a bureau in a year (one sequence per bureau, word and
/// year; concurrent issuers are serialised by the row).
fn next_number(tx: &mut dyn Tx, bureau: i64, word: &str, year: i32) -> Result<i64, StoreError> {
    // One statement, so two issuers at once never get the same number on either engine.
    tx.query_opt(
        "INSERT INTO document_counters (org_id, word, year, last) VALUES (?, ?, ?, 1)
         ON CONFLICT (org_id, word, year) DO UPDATE SET last = document_counters.last + 1
         RETURNING last",
        vals![bureau, word, i64::from(year)],
    )?
    .ok_or_else(|| StoreError::Db("counter".into()))?
    .i64(0)
}

/// Generates, numbers and stores one document of a case; returns its number.
fn issue(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    kind: &str,
    paragraphs: Vec<String>,
    today: Date,
    number: Option<String>,
) -> Result<String, StoreError> {
    let (title, word) =
        document_kind(kind).ok_or_else(|| StoreError::Db(format!("document kind {kind}")))?;
    let (bureau_id, bureau) = bureau_of(tx, &c.org_path)?;
    let number = match number {
        Some(n) => n,
        None => {
            let n = next_number(tx, bureau_id, word, today.year())?;
            document_number(&bureau_abbreviation(&bureau), word, today.year(), n)
        }
    };
    let body = json!({ "issuer": bureau, "title": title, "number": number, "case_no": c.case_no,
                       "paragraphs": paragraphs, "issued_on": fmt_date(today) });
    let text = body.to_string();
    let sha = hex::encode(Sha256::digest(text.as_bytes()));
    tx.exec(
        "INSERT INTO case_documents (case_id, kind, number, title, body, sha256, issued_on, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vals![c.id, kind, &number, title, &text, &sha, fmt_date(today), now_ms()],
    )?;
    Ok(number)
}

/// Records a document as served on the party on `on`.
fn serve(tx: &mut dyn Tx, number: &str, on: Date) -> Result<(), StoreError> {
    tx.exec(
        "UPDATE case_documents SET served_on = ? WHERE number = ?",
        vals![fmt_date(on), number],
    )?;
    Ok(())
}

fn party_line(c: &PenaltyCase) -> String {
    match c.party_kind {
        PartyKind::Organisation => format!(
            "当事人：{}，统一社会信用代码：{}，住所：{}",
            c.party_name, c.party_id_no, c.party_address
        ),
        PartyKind::Person => format!(
            "当事人：{}，公民身份号码：{}，住址：{}",
            c.party_name, c.party_id_no, c.party_address
        ),
    }
}

/// What a case is opened with.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The lead it comes from, if any.
    pub lead_id: Option<i64>,
    /// The unit handling it.
    pub org_id: i64,
    /// The penalty item (must be in force).
    pub item_code: String,
    /// Person or organisation.
    pub party_kind: PartyKind,
    /// Name.
    pub party_name: String,
    /// ID number or credit code.
    pub party_id_no: String,
    /// Address.
    pub party_address: String,
    /// The facts as known.
    pub facts: String,
    /// The day the act ended.
    pub act_ended_on: Date,
    /// The day it was discovered.
    pub discovered_on: Date,
    /// Five-year limitation applies (art. 36).
    pub long_limitation: bool,
    /// A recorded basis for opening past the limitation.
    pub limitation_basis: String,
}

fn check_party(kind: PartyKind, name: &str, id_no: &str, address: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(e) = validate::text("party_name", "当事人名称", name, 2, 100) {
        errors.push(e);
    }
    let id = id_no.trim().to_uppercase();
    match kind {
        PartyKind::Organisation => {
            if let Err(m) = check_credit_code(&id) {
                errors.push(FieldError::new(
                    "party_id_no",
                    "统一社会信用代码",
                    &format!("有误：{m}"),
                ));
            }
        }
        PartyKind::Person => {
            if let Err(m) = check_id_number(&id) {
                errors.push(FieldError::new(
                    "party_id_no",
                    "公民身份号码",
                    &format!("有误：{m}"),
                ));
            }
        }
    }
    if let Err(e) = validate::text("party_address", "住所（住址）", address, 2, 200) {
        errors.push(e);
    }
    errors
}

/// Checks what every new case needs: roles over the unit, the item a penalty item in force, the
/// party, the dates and the limitation period (art. 36). Returns the unit's path and the item name.
fn check_new(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewCase,
    today: Date,
) -> Result<(String, String), StoreError> {
    let org = crate::org::get_org(tx, new.org_id)?;
    require_roles(
        actor,
        &org.path,
        &[Role::Officer, Role::DivisionHead, Role::Leader],
        "立案",
    )?;
    let mut errors = check_party(
        new.party_kind,
        &new.party_name,
        &new.party_id_no,
        &new.party_address,
    );
    if let Err(e) = validate::text("facts", "案情", &new.facts, 5, 8000) {
        errors.push(e);
    }
    if new.discovered_on > today {
        errors.push(FieldError::new("discovered_on", "发现日期", "不能晚于今天"));
    }
    if new.act_ended_on > new.discovered_on {
        errors.push(FieldError::new(
            "act_ended_on",
            "违法行为终了日期",
            "不能晚于发现日期",
        ));
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let item = power::require_in_force(tx, &new.item_code, today)?;
    if item.kind != PowerKind::Penalty {
        return Err(StoreError::Refused(Refusal::by_law(
            "case.not_penalty_item",
            format!("事项「{}」不是行政处罚事项，不能据此立案。", item.name),
            "行政处罚法 第四条（法无授权不可为）",
        )));
    }
    check_limitation(
        new.act_ended_on,
        new.discovered_on,
        new.long_limitation,
        Some(new.limitation_basis.as_str()),
    )?;
    Ok((org.path, item.name))
}

/// Proposes opening a case (立案审批表): stage `pending_approval`, with its case number.
pub fn open_case(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewCase,
    env: Env<'_>,
) -> Result<i64, StoreError> {
    insert_case(tx, actor, new, env, false)
}

fn insert_case(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewCase,
    env: Env<'_>,
    summary: bool,
) -> Result<i64, StoreError> {
    let today = env.clock.today;
    let p = env
        .reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("penalty procedure not loaded".into()))?;
    let (path, item_name) = check_new(tx, actor, new, today)?;
    if let Some(l) = new.lead_id {
        let lead = get_lead(tx, l)?;
        may(actor, OrgAction::View, &lead.org_path).map_err(|_| StoreError::NotFound("该线索"))?;
        if lead.state != "registered" {
            return Err(StoreError::Refused(Refusal::new(
                "case.lead_done",
                "该线索已经处理完毕。",
            )));
        }
    }
    let (bureau_id, bureau) = bureau_of(tx, &path)?;
    let n = next_number(tx, bureau_id, "立", today.year())?;
    let case_no = document_number(&bureau_abbreviation(&bureau), "立", today.year(), n);
    let now = now_ms();
    let basis = Some(new.limitation_basis.trim()).filter(|b| !b.is_empty());
    let id = tx
        .query_opt(
            "INSERT INTO penalty_cases (case_no, query_code_hash, org_id, lead_id, procedure_name,
                procedure_version, stage, item_code, item_name, party_kind, party_name, party_id_no,
                party_address, facts, act_ended_on, discovered_on, long_limitation, limitation_basis,
                created_at, updated_at)
             VALUES (?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                &case_no,
                new.org_id,
                new.lead_id,
                PROCEDURE,
                i64::from(p.version),
                &p.initial,
                &new.item_code,
                &item_name,
                party_kind_str(new.party_kind),
                new.party_name.trim(),
                new.party_id_no.trim().to_uppercase(),
                new.party_address.trim(),
                new.facts.trim(),
                fmt_date(new.act_ended_on),
                fmt_date(new.discovered_on),
                i64::from(new.long_limitation),
                basis,
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let who = Who::from(actor);
    if let Some(l) = new.lead_id {
        tx.exec(
            "UPDATE leads SET state = 'opened', case_id = ?, assessment = ?, version = version + 1, updated_at = ? WHERE id = ?",
            vals![id, format!("已提请立案：{case_no}"), now, l],
        )?;
        limits::meet(
            tx,
            &who,
            (LEAD_SUBJECT, l),
            "assessment",
            today,
            env.clock.cal,
        )?;
    }
    let c = get(tx, id)?;
    if summary {
        return Ok(id);
    }
    issue(
        tx,
        &c,
        "opening_approval",
        vec![
            party_line(&c),
            format!("案由：{}", c.item_name),
            format!("案情：{}", c.facts),
            format!(
                "违法行为终了日期：{}；发现日期：{}。{}",
                fmt_date(c.act_ended_on),
                fmt_date(c.discovered_on),
                c.limitation_basis
                    .as_ref()
                    .map_or(String::new(), |b| format!("超过追责时效立案的依据：{b}"))
            ),
            format!("承办机构：{}；提请人：{}", c.org_name, actor.display_name),
            "经初步核查，有证据初步证明存在违反行政管理秩序的行为，依法应当给予行政处罚，属于本机关管辖，在给予行政处罚的法定期限内，建议立案。".into(),
        ],
        today,
        Some(case_no.clone()),
    )?;
    audit::append(
        tx,
        &who,
        Some(c.org_id),
        "case.open_case",
        SUBJECT,
        &id.to_string(),
        json!({ "case_no": case_no, "item": format!("{}（{}）", c.item_name, c.item_code),
                "party": c.party_name, "stage_to": p.stage(&p.initial).map(|s| s.title.clone()) }),
    )?;
    Ok(id)
}

/// The facts the guards read, from the case and its parts (read once by the caller, who shows
/// or uses them too).
pub fn facts_with(c: &PenaltyCase, parts: &Parts, clock: Clock<'_>) -> Facts {
    let Parts {
        limits: lims,
        officers,
        evidence,
        documents,
        certificates,
    } = parts;
    let mut f = Facts::default();
    let certified = officers
        .iter()
        .filter(|o| {
            certificates
                .iter()
                .any(|x| x.holder_id == o.user_id && x.covers(&c.org_path, clock.today))
        })
        .count();
    f.numbers.insert(
        facts::CERTIFIED_OFFICERS,
        i64::try_from(certified).unwrap_or(0),
    );
    let undecided = evidence
        .iter()
        .filter(|e| e.preserved && e.preservation_decision.is_none())
        .count();
    f.numbers.insert(
        facts::PRESERVATION_UNDECIDED,
        i64::try_from(undecided).unwrap_or(0),
    );
    f.numbers.insert(
        facts::REVIEW_REQUIRED,
        i64::from(!c.review_reasons.is_empty()),
    );
    f.numbers
        .insert(facts::REVIEW_PASSED, i64::from(c.review_passed));
    f.numbers
        .insert(facts::HEARING_RIGHT, i64::from(c.hearing_right.is_some()));
    let window_open = !c.statement_waived
        && lims.iter().any(|l| {
            l.key == "statement"
                && l.state != LimitState::Met
                && l.spec
                    .compute(clock.cal)
                    .due
                    .is_some_and(|d| clock.today <= d)
        });
    f.numbers
        .insert(facts::NOTICE_WINDOW_OPEN, i64::from(window_open));
    f.numbers.insert(
        facts::COLLECTIVE_REQUIRED,
        i64::from(c.collective_reason.is_some()),
    );
    f.numbers.insert(
        facts::COLLECTIVE_CONCLUDED,
        i64::from(c.collective_concluded),
    );
    f.numbers
        .insert(facts::PUBLISHED, i64::from(c.published_on.is_some()));
    f.numbers.insert(facts::EXTENDED, i64::from(c.extended));
    f.numbers
        .insert(facts::HEARING_SCHEDULED, i64::from(c.hearing_on.is_some()));
    f.numbers
        .insert(facts::DEFERRED, i64::from(c.deferral.is_some()));
    if c.report.is_some() {
        f.records.insert("investigation_report".into());
    }
    for (kind, record) in [
        ("pre_decision_notice", "pre_decision_notice"),
        ("decision", "decision_document"),
        ("delivery_receipt", "delivery_record"),
    ] {
        if documents.iter().any(|d| d.kind == kind) {
            f.records.insert(record.into());
        }
    }
    f
}

/// A new piece of evidence (file already stored by content).
#[derive(Debug, Clone, Default)]
pub struct NewEvidence {
    /// Kind (art. 46).
    pub kind: String,
    /// What it is.
    pub title: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256.
    pub sha256: String,
    /// Day collected.
    pub collected_on: Option<Date>,
}

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct CaseInput {
    /// Free text: reasons, opinion, report, record.
    pub text: String,
    /// A choice (review result, delivery method, waiver…).
    pub choice: String,
    /// A date (hearing, service, payment, deferral).
    pub date: Option<Date>,
    /// Officers to assign (user ids).
    pub officers: Vec<i64>,
    /// Evidence to preserve (ids).
    pub evidence_ids: Vec<i64>,
    /// New evidence.
    pub evidence: Option<NewEvidence>,
    /// The benchmark grade.
    pub grade: Option<Grade>,
    /// Factors found (indices into the benchmark's factors).
    pub factors: Vec<usize>,
    /// The penalty proposed or decided.
    pub penalty: Penalty,
    /// Reasons for a fine outside the band.
    pub band_reasons: String,
    /// An amount (paid), fen.
    pub amount: i64,
    /// Days (extension).
    pub days: u32,
}

fn need_text(input: &CaseInput, label: &str, min: usize) -> Result<String, StoreError> {
    Ok(validate::text("text", label, &input.text, min, 8000)?)
}

/// The due date of a limit that counts `days` from `start`.
fn due_after(env: Env<'_>, start: Date, days: u32, count: Count) -> Option<Date> {
    TimeLimit::new(start, days, count, "", None)
        .compute(env.clock.cal)
        .due
}

fn penalty_of(input: &CaseInput) -> Result<Penalty, StoreError> {
    let p = input.penalty.clone();
    if p.fine < 0 || p.confiscation < 0 {
        return Err(invalid("fine", "罚款数额", "不能为负数"));
    }
    Ok(p)
}

/// Takes one action of the procedure on a case: the shared start (`procedure::begin`), the
/// action's own effect from the one table of effects (`actions::EFFECTS`), the shared end.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (&Actor, &Who),
    (id, expected_version): (i64, i64),
    (action_id, input): (&str, &CaseInput),
    env: Env<'_>,
) -> Result<PenaltyCase, StoreError> {
    let (c, parts) = with_parts(tx, id)?;
    let p = env
        .reg
        .get(PROCEDURE, c.procedure_version)
        .ok_or_else(|| StoreError::Db("procedure version missing".into()))?;
    let f = facts_with(&c, &parts, env.clock);
    let attempt = crate::procedure::Attempt {
        actor: Some(actor),
        org_path: &c.org_path,
        stage: &c.stage,
        version: c.version,
        expected_version,
        subject_type: SUBJECT,
        id,
        public_action: "",
        record: "案件",
    };
    let action = crate::procedure::begin(tx, p, attempt, &f, action_id)?;
    let to = action.target(&c.stage).to_string();
    let title = action.title.clone();
    let title_of = |s: &str| p.stage(s).map_or(s.to_string(), |x| x.title.clone());
    let effect = crate::procedure::effect(actions::EFFECTS, action_id)?;
    let mut x = Ctx {
        who,
        actor,
        c: &c,
        p,
        env,
        limits: &parts.limits,
        evidence: &parts.evidence,
        documents: &parts.documents,
        summary: json!({ "stage_from": title_of(&c.stage), "stage_to": title_of(&to) }),
        publish: false,
    };
    effect(tx, &mut x, input)?;
    let Ctx {
        mut summary,
        publish: publish_decision,
        ..
    } = x;
    summary["action"] = json!(title);
    crate::procedure::complete(
        tx,
        who,
        crate::procedure::Transition {
            table: "penalty_cases",
            subject_type: SUBJECT,
            id,
            expected_version,
            to: &to,
            org_id: c.org_id,
            audit_action: format!("case.{action_id}"),
            summary,
        },
    )?;
    if publish_decision {
        publish(tx, id)?;
    }
    publish_status(tx, id, env)?;
    get(tx, id)
}

fn decision_paragraphs(c: &PenaltyCase, decided: &Penalty, reasons: &str) -> Vec<String> {
    let mut ps = vec![
        party_line(c),
        format!("经查，{}", c.report.clone().unwrap_or_default()),
    ];
    if let Some(b) = &c.band {
        ps.push(format!("裁量理由：{}", b.trace.join("；")));
    }
    if let Some(r) = &c.outside_band_reasons {
        ps.push(format!("超出裁量基准区间的理由：{r}"));
    }
    if let Some(s) = &c.statement {
        ps.push(format!("当事人陈述、申辩：{s}"));
    }
    ps.push(format!("本机关认为：{reasons}"));
    ps.push(format!(
        "依据{}，决定给予如下行政处罚：{}。",
        c.item_name
            .replace("的处罚", "的有关规定")
            .replace('对', "关于"),
        decided.describe()
    ));
    if decided.fine > 0 {
        ps.push(
            "当事人应当自收到本决定书之日起十五日内缴纳罚款。到期不缴纳罚款的，本机关每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（《中华人民共和国行政处罚法》第六十七条、第七十二条）。"
                .to_string(),
        );
    }
    ps.push("如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。".into());
    ps
}

/// What the summary procedure decides on the spot (行政处罚法 第五十一条、第五十二条).
#[derive(Debug, Clone)]
pub struct NewSummary {
    /// The case.
    pub case: NewCase,
    /// Warning and/or fine.
    pub penalty: Penalty,
    /// The second officer present (the actor is the first).
    pub second_officer: i64,
}

/// Decides a case on the spot under the summary procedure: within the art. 51 thresholds only,
/// by two certified officers, the decision handed over at once.
pub fn decide_summary(
    tx: &mut dyn Tx,
    actor: &Actor,
    s: &NewSummary,
    env: Env<'_>,
) -> Result<i64, StoreError> {
    let today = env.clock.today;
    enforcement::check_summary_procedure(
        s.case.party_kind,
        &enforcement::ProposedPenalty {
            warning: s.penalty.warning,
            fine: s.penalty.fine,
            other: s.penalty.confiscation > 0 || !s.penalty.other.trim().is_empty(),
        },
    )?;
    if actor.user_id == s.second_officer {
        return Err(refused(
            "certificate.team_too_small",
            "当场作出行政处罚决定的，执法人员也不得少于两人，请选择另一名在场的执法人员。".into(),
            "行政处罚法 第四十二条、第五十二条",
        ));
    }
    // The transaction rolls back if a certificate does not cover the case: nothing half-saved.
    let id = insert_case(tx, actor, &s.case, env, true)?;
    let c = get(tx, id)?;
    let mut certs_of = Vec::new();
    for uid in [actor.user_id, s.second_officer] {
        let u = crate::org::get_user(tx, uid)?;
        let certs = crate::certificate::of_holder(tx, uid)?;
        let cert = enforcement::certificate::check_assignable(
            &u.display_name,
            &certs,
            &c.org_path,
            today,
        )?;
        certs_of.push((uid, cert.number.clone()));
    }
    let decided = serde_json::to_string(&s.penalty).map_err(|e| StoreError::Db(e.to_string()))?;
    tx.exec(
        "UPDATE penalty_cases SET summary_procedure = 1, stage = ?, opened_on = ?, decided_on = ?,
            outcome = 'penalty', decided = ?, notified = ?, proposed = ?, fine = ?, delivered_on = ?,
            delivery_method = '当场交付', report = ?, decision_text = ?, version = version + 1
         WHERE id = ?",
        vals![
            if s.penalty.fine > 0 { "executing" } else { "executed" },
            fmt_date(today),
            fmt_date(today),
            &decided,
            &decided,
            &decided,
            s.penalty.fine,
            fmt_date(today),
            &c.facts,
            "当场作出",
            id
        ],
    )?;
    for (uid, cert) in &certs_of {
        tx.exec(
            "INSERT INTO case_officers (case_id, user_id, certificate_no, assigned_at) VALUES (?, ?, ?, ?)",
            vals![id, *uid, cert, now_ms()],
        )?;
    }
    let c = get(tx, id)?;
    let number = issue(
        tx,
        &c,
        "decision",
        vec![
            party_line(&c),
            format!("违法事实：{}", c.facts),
            format!(
                "执法人员：{}（当场出示执法证件）",
                certs_of
                    .iter()
                    .map(|(_, n)| n.clone())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            format!(
                "依据《中华人民共和国行政处罚法》第五十一条、第五十二条，当场作出行政处罚决定：{}。",
                s.penalty.describe()
            ),
            "当事人已当场陈述、申辩。如不服本决定，可以在六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。".into(),
        ],
        today,
        None,
    )?;
    serve(tx, &number, today)?;
    let who = Who::from(actor);
    audit::append(
        tx,
        &who,
        Some(c.org_id),
        "case.decide_summary",
        SUBJECT,
        &id.to_string(),
        json!({ "action": "简易程序当场处罚", "decided": s.penalty.describe(), "document": number,
                "officers": certs_of.iter().map(|x| x.1.clone()).collect::<Vec<_>>() }),
    )?;
    if s.penalty.fine > 0 {
        let p = env
            .reg
            .get(PROCEDURE, c.procedure_version)
            .ok_or_else(|| StoreError::Db("procedure".into()))?;
        let (t, spec) = limit_of(p, "payment", today)?;
        limits::start(
            tx,
            &who,
            StartLimit {
                subject: (SUBJECT, id),
                key: "payment",
                title: &t,
                org_id: c.org_id,
                responsible_user_id: Some(actor.user_id),
                spec,
            },
            env.clock,
        )?;
    }
    Ok(id)
}

fn code_hash(case_no: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{case_no}:{code}").as_bytes()))
}

fn masked_party(c: &PenaltyCase) -> (String, String) {
    match c.party_kind {
        PartyKind::Organisation => (c.party_name.clone(), c.party_id_no.clone()),
        PartyKind::Person => (
            mask_person_name(&c.party_name),
            mask_id_number(&c.party_id_no),
        ),
    }
}

/// Publishes a decision as a masked snapshot: organisations in full, persons' names partly
/// masked and their ID numbers masked.
pub fn publish(tx: &mut dyn Tx, id: i64) -> Result<(), StoreError> {
    let c = get(tx, id)?;
    let (name, id_no) = masked_party(&c);
    let (_, bureau) = bureau_of(tx, &c.org_path)?;
    let number = documents(tx, id)?
        .into_iter()
        .find(|d| d.kind == "decision")
        .map(|d| d.number)
        .unwrap_or_default();
    let item = power::versions(tx, &c.item_code)?
        .into_iter()
        .next_back()
        .map(|v| v.item);
    let basis = item
        .as_ref()
        .map(|i| {
            i.bases
                .iter()
                .map(|b| format!("{}{}", b.law, b.article))
                .collect::<Vec<_>>()
                .join("；")
        })
        .unwrap_or_default();
    let body = json!({
        "case_no": c.case_no, "document_no": number, "party": name, "party_id_no": id_no,
        "party_kind": party_kind_str(c.party_kind), "item_name": c.item_name, "basis": basis,
        "facts": c.report.clone().unwrap_or_else(|| c.facts.clone()),
        "penalty": c.decided.clone().unwrap_or_default().describe(), "decided_on": c.decided_on.map(fmt_date),
        "org_name": bureau, "remedy": "如不服本决定，可以在收到决定书之日起六十日内申请行政复议，或者在六个月内提起行政诉讼。",
    });
    // The party's own name is in full in a published decision only for organisations.
    let body = if c.party_kind == PartyKind::Person {
        mask_text(&body, &c.party_name, &name)
    } else {
        body
    };
    let body = mask_text(&body, &c.party_id_no, &id_no);
    publication::publish(
        tx,
        KIND_DECISION,
        &c.case_no,
        &format!("{}：{}", c.item_name, name),
        &body,
    )
}

/// Replaces every occurrence of `secret` in the snapshot's strings.
fn mask_text(v: &serde_json::Value, secret: &str, with: &str) -> serde_json::Value {
    if secret.is_empty() {
        return v.clone();
    }
    match v {
        serde_json::Value::String(s) => serde_json::Value::String(s.replace(secret, with)),
        serde_json::Value::Array(a) => a.iter().map(|x| mask_text(x, secret, with)).collect(),
        serde_json::Value::Object(o) => o
            .iter()
            .map(|(k, x)| (k.clone(), mask_text(x, secret, with)))
            .collect(),
        other => other.clone(),
    }
}

/// Rewrites the party's status snapshot (once the party has a code: from the notice on).
pub fn publish_status(tx: &mut dyn Tx, id: i64, env: Env<'_>) -> Result<(), StoreError> {
    let c = get(tx, id)?;
    let hash = tx
        .query_opt(
            "SELECT query_code_hash FROM penalty_cases WHERE id = ?",
            vals![id],
        )?
        .map(|r| r.text(0))
        .transpose()?
        .unwrap_or_default();
    if hash.is_empty() {
        return Ok(());
    }
    let stage = env
        .reg
        .get(PROCEDURE, c.procedure_version)
        .and_then(|p| p.stage(&c.stage))
        .map_or(c.stage.clone(), |s| s.title.clone());
    let docs: Vec<serde_json::Value> = documents(tx, id)?
        .into_iter()
        .filter(|d| d.served_on.is_some())
        .map(|d| {
            json!({ "title": d.title, "number": d.number, "served_on": d.served_on,
                         "issuer": d.issuer, "paragraphs": d.paragraphs })
        })
        .collect();
    let lims = limits::for_subject(tx, SUBJECT, id)?;
    let open: Vec<serde_json::Value> = lims
        .iter()
        .filter(|l| l.state != LimitState::Met && matches!(l.key.as_str(), "statement" | "payment"))
        .map(
            |l| json!({ "title": l.title, "due": l.spec.compute(env.clock.cal).due.map(fmt_date) }),
        )
        .collect();
    let body = json!({
        "case_no": c.case_no, "code_hash": hash, "stage": c.stage, "stage_title": stage,
        "item_name": c.item_name, "org_name": c.org_name, "documents": docs, "limits": open,
        "fine": if c.fine > 0 { Some(yuan(c.fine)) } else { None },
        "paid": if c.paid > 0 { Some(yuan(c.paid)) } else { None },
    });
    let body = mask_text(&body, &c.party_id_no, &mask_id_number(&c.party_id_no));
    publication::publish(
        tx,
        KIND_STATUS,
        &c.case_no,
        &format!("案件 {}", c.case_no),
        &body,
    )
}

/// The party's status snapshot, if case number and code match.
pub fn status(
    tx: &mut dyn Tx,
    case_no: &str,
    code: &str,
) -> Result<Option<serde_json::Value>, StoreError> {
    let Some(p) = publication::get(tx, KIND_STATUS, case_no.trim())? else {
        return Ok(None);
    };
    Ok((p.body["code_hash"].as_str()
        == Some(code_hash(case_no.trim(), &code.trim().to_uppercase()).as_str()))
    .then_some(p.body))
}

/// The whole file as a self-verifying JSON document: the case, its documents with their hashes,
/// the evidence list with file hashes, and its audit entries with the canonical encoding each
/// hash covers (行政处罚法 第四十七条). A court or supervisor checks it with any SHA-256 tool.
pub fn export(tx: &mut dyn Tx, id: i64) -> Result<serde_json::Value, StoreError> {
    let c = get(tx, id)?;
    let docs: Vec<serde_json::Value> = tx
        .query(
            "SELECT number, title, body, sha256, issued_on, served_on FROM case_documents WHERE case_id = ? ORDER BY id",
            vals![id],
        )?
        .iter()
        .map(|r| {
            Ok(json!({ "number": r.text(0)?, "title": r.text(1)?, "body": r.text(2)?, "sha256": r.text(3)?,
                       "issued_on": r.text(4)?, "served_on": r.opt_text(5)? }))
        })
        .collect::<Result<_, StoreError>>()?;
    let ev: Vec<serde_json::Value> = evidence(tx, id)?
        .into_iter()
        .map(|e| {
            json!({ "kind": evidence_kind_label(&e.kind), "title": e.title, "file_name": e.file_name,
                    "size": e.size, "sha256": e.sha256, "collected_on": e.collected_on,
                    "preserved": e.preserved, "preservation_decision": e.preservation_decision })
        })
        .collect();
    let entries: Vec<serde_json::Value> = audit::timeline(tx, SUBJECT, &id.to_string())?
        .into_iter()
        .map(|e| json!({ "seq": e.seq, "canonical": e.canonical(), "hash": e.hash, "prev_hash": e.prev_hash }))
        .collect();
    Ok(json!({
        "format": "fazhi 行政处罚案卷导出 v1",
        "how_to_verify": [
            "每份文书：sha256(body) 应等于 sha256。",
            "每项证据：对原始文件计算 sha256，应等于清单中的 sha256。",
            "每条审计记录：sha256(canonical) 应等于 hash；canonical 是 JSON 数组 [seq, at_ms, actor_id, actor_name, org_id, action, subject_type, subject_id, summary, prev_hash]，其中 prev_hash 是审计链中上一条记录的哈希，可与本机关公布的签名检查点核对。"
        ],
        "case": {
            "case_no": c.case_no, "org": c.org_name, "item": format!("{}（{}）", c.item_name, c.item_code),
            "party": c.party_name, "party_id_no": c.party_id_no, "stage": c.stage,
            "opened_on": c.opened_on.map(fmt_date), "decided_on": c.decided_on.map(fmt_date),
            "decided": c.decided.map(|d| d.describe()), "closed_on": c.closed_on.map(fmt_date),
            "archived_on": c.archived_on.map(fmt_date),
        },
        "documents": docs,
        "evidence": ev,
        "audit_entries": entries,
    }))
}

// ---------------------------------------------------------------- supervision

/// A major penalty filing (重大行政处罚备案).
#[derive(Debug, Clone, Serialize)]
pub struct Filing {
    /// Id.
    pub id: i64,
    /// Case.
    pub case_id: i64,
    /// Case number.
    pub case_no: String,
    /// Unit.
    pub org_name: String,
    /// Party.
    pub party_name: String,
    /// Penalty.
    pub penalty: String,
    /// Why it is major.
    pub reason: String,
    /// Decided.
    pub decided_on: String,
    /// Due.
    pub due_on: String,
    /// Filed.
    pub filed_on: Option<String>,
}

const FILING_SQL: &str =
    "SELECT f.id, f.case_id, c.case_no, o.name, c.party_name, c.decided, f.reason,
        f.decided_on, f.due_on, f.filed_on
     FROM major_filings f JOIN penalty_cases c ON c.id = f.case_id JOIN orgs o ON o.id = f.org_id";

fn filing_row(r: &Row) -> Result<Filing, StoreError> {
    let p: Penalty = json_of(r.opt_text(5)?).unwrap_or_default();
    Ok(Filing {
        id: r.i64(0)?,
        case_id: r.i64(1)?,
        case_no: r.text(2)?,
        org_name: r.text(3)?,
        party_name: r.text(4)?,
        penalty: p.describe(),
        reason: r.text(6)?,
        decided_on: r.text(7)?,
        due_on: r.text(8)?,
        filed_on: r.opt_text(9)?,
    })
}

/// The filings of these subtrees, open first.
pub fn filings(tx: &mut dyn Tx, scopes: &[String]) -> Result<Vec<Filing>, StoreError> {
    let (filter, params) = crate::org::scope_filter("o.path", scopes);
    tx.query(
        &format!("{FILING_SQL} WHERE {filter} ORDER BY (f.filed_on IS NULL) DESC, f.due_on, f.id"),
        &params,
    )?
    .iter()
    .map(filing_row)
    .collect()
}

/// Records that a major penalty was filed with the supervising body.
pub fn mark_filed(
    tx: &mut dyn Tx,
    actor: &Actor,
    filing_id: i64,
    env: Env<'_>,
) -> Result<(), StoreError> {
    let r = tx
        .query_opt(
            "SELECT f.case_id, o.path, f.filed_on, f.org_id FROM major_filings f JOIN orgs o ON o.id = f.org_id WHERE f.id = ?",
            vals![filing_id],
        )?
        .ok_or(StoreError::NotFound("该备案"))?;
    let (case_id, path) = (r.i64(0)?, r.text(1)?);
    may(actor, OrgAction::View, &path).map_err(|_| StoreError::NotFound("该备案"))?;
    require_roles(
        actor,
        &path,
        &[
            Role::LegalDivision,
            Role::DivisionHead,
            Role::Leader,
            Role::Clerk,
        ],
        "登记备案",
    )?;
    if r.opt_text(2)?.is_some() {
        return Err(StoreError::Refused(Refusal::new(
            "case.already_filed",
            "该决定已经备案。",
        )));
    }
    tx.exec(
        "UPDATE major_filings SET filed_on = ?, filed_by = ? WHERE id = ?",
        vals![fmt_date(env.clock.today), actor.user_id, filing_id],
    )?;
    let who = Who::from(actor);
    limits::meet(
        tx,
        &who,
        (SUBJECT, case_id),
        "major_filing",
        env.clock.today,
        env.clock.cal,
    )?;
    audit::append(
        tx,
        &who,
        Some(r.i64(3)?),
        "case.file_major_penalty",
        SUBJECT,
        &case_id.to_string(),
        json!({ "action": "重大行政处罚决定备案", "filed_on": fmt_date(env.clock.today) }),
    )?;
    Ok(())
}

/// One line of the statistics.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stat {
    /// What is counted (org, item, procedure, outcome).
    pub key: String,
    /// Cases opened in the period.
    pub opened: i64,
    /// Decisions in the period.
    pub decided: i64,
    /// Fines decided, fen.
    pub fines: i64,
    /// Paid (with surcharges), fen.
    pub paid: i64,
}

/// Statistics for decisions and openings in `[from, to]` of these subtrees: by org, item,
/// procedure and outcome. One scan of the covering index `penalty_cases_stats` groups by its
/// leading columns (no sort, no join); names and outcome labels are added here, and the four
/// tables are summed from the few thousand groups.
pub fn statistics(
    tx: &mut dyn Tx,
    scopes: &[String],
    from: Date,
    to: Date,
) -> Result<BTreeMap<&'static str, Vec<Stat>>, StoreError> {
    let (filter, params) = crate::org::scope_filter("path", scopes);
    let units: BTreeMap<i64, String> = tx
        .query(
            &format!("SELECT id, name FROM orgs WHERE {filter}"),
            &params,
        )?
        .iter()
        .map(|r| Ok((r.i64(0)?, r.text(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let (f, t) = (fmt_date(from), fmt_date(to));
    let mut ps: Vec<crate::Value> = Vec::new();
    for _ in 0..4 {
        ps.push(f.clone().into());
        ps.push(t.clone().into());
    }
    ps.extend(params.iter().cloned());
    for _ in 0..2 {
        ps.push(f.clone().into());
        ps.push(t.clone().into());
    }
    let decided = "c.decided_on >= ? AND c.decided_on <= ?";
    // Planned for its period and scope each time: the generic plan PostgreSQL would settle on
    // after five runs took twice as long (BENCHMARKS.md, issue 5).
    let rows = tx.query_replanned(
        &format!(
            "SELECT c.org_id, c.item_name, c.summary_procedure, c.outcome, c.stage, c.revoked_on,
                CAST(SUM(CASE WHEN {decided} THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN {decided} AND c.revoked_on IS NULL THEN c.fine ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN {decided} THEN c.paid ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN c.opened_on >= ? AND c.opened_on <= ? THEN 1 ELSE 0 END) AS BIGINT)
             FROM penalty_cases c
             WHERE c.org_id IN (SELECT id FROM orgs WHERE {filter})
               AND ((c.opened_on >= ? AND c.opened_on <= ?) OR ({decided}))
             GROUP BY c.org_id, c.item_name, c.summary_procedure, c.outcome, c.stage, c.revoked_on"
        ),
        &ps,
    )?;
    let mut maps: [BTreeMap<String, Stat>; 4] = Default::default();
    for r in rows {
        let procedure = if r.bool(2)? {
            "简易程序"
        } else {
            "普通程序"
        };
        let revoked = r.opt_text(5)?.is_some();
        let outcome = match (revoked, r.opt_text(3)?.as_deref(), r.text(4)?.as_str()) {
            (true, _, _) => "决定已撤销",
            (false, Some("no_penalty"), _) => "不予处罚",
            (false, Some("penalty"), _) => "给予处罚",
            (false, _, "not_opened") => "不予立案",
            _ => "办理中",
        };
        let unit = units.get(&r.i64(0)?).cloned().unwrap_or_default();
        let keys = [unit, r.text(1)?, procedure.to_string(), outcome.to_string()];
        let (decided, fines, paid, opened) = (r.i64(6)?, r.i64(7)?, r.i64(8)?, r.i64(9)?);
        for (map, key) in maps.iter_mut().zip(keys) {
            let e = map.entry(key.clone()).or_insert_with(|| Stat {
                key,
                ..Stat::default()
            });
            e.decided += decided;
            e.fines += fines;
            e.paid += paid;
            e.opened += opened;
        }
    }
    let [org, item, procedure, outcome] = maps;
    Ok(BTreeMap::from([
        ("org", org.into_values().collect()),
        ("item", item.into_values().collect()),
        ("procedure", procedure.into_values().collect()),
        ("outcome", outcome.into_values().collect()),
    ]))
}

/// An officer who might be assigned to a case, with whether a certificate covers it today.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// User.
    pub user_id: i64,
    /// Name.
    pub name: String,
    /// The certificate that covers the case, or why none does.
    pub certificate: Result<String, String>,
}

/// The officers of the case's bureau, each with the certificate check for this case.
pub fn candidates(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    today: Date,
) -> Result<Vec<Candidate>, StoreError> {
    let (_, _, path) = bureau_row(tx, &c.org_path)?;
    // The officers of the bureau and all their certificates, read together.
    let officers = "SELECT ur.user_id FROM user_roles ur JOIN orgs o ON o.id = ur.org_id
                    WHERE ur.role = 'officer' AND o.path LIKE ?";
    let like = format!("{path}%");
    let rows = tx.query_all(&[
        Query::new(
            format!(
                "SELECT u.id, u.display_name FROM users u
                 WHERE u.active = 1 AND u.id IN ({officers}) ORDER BY u.id"
            ),
            vals![like.clone()],
        ),
        crate::certificate::of_holders_in(officers, vals![like]),
    ])?;
    let [people, certificate_rows] = rows.as_slice() else {
        return Err(StoreError::Db("candidates: two results expected".into()));
    };
    let certificates = crate::certificate::certificates(certificate_rows)?;
    let mut out = Vec::new();
    for r in people {
        let (id, name) = (r.i64(0)?, r.text(1)?);
        let certs: Vec<_> = certificates
            .iter()
            .filter(|x| x.holder_id == id)
            .cloned()
            .collect();
        let check = enforcement::certificate::check_assignable(&name, &certs, &c.org_path, today)
            .map(|x| x.number.clone())
            .map_err(|r| r.message);
        out.push(Candidate {
            user_id: id,
            name,
            certificate: check,
        });
    }
    Ok(out)
}

/// The penalty items in force on `on` (what a case may cite: 法无授权不可为).
pub fn penalty_items(
    tx: &mut dyn Tx,
    on: Date,
) -> Result<Vec<fazhi_domain::power::PowerItem>, StoreError> {
    Ok(power::items_as_of(tx, on)?
        .into_iter()
        .filter(|i| i.kind == PowerKind::Penalty)
        .collect())
}

/// The benchmark a case uses or would use (the version in force on the day it was opened).
pub fn benchmark_for(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    today: Date,
) -> Result<Option<crate::discretion::Published>, StoreError> {
    if let Some((code, v)) = &c.benchmark {
        return Ok(crate::discretion::versions(tx, code)?
            .into_iter()
            .find(|b| b.version == *v));
    }
    Ok(
        crate::discretion::in_force(tx, c.opened_on.unwrap_or(today))?
            .into_iter()
            .find(|b| b.benchmark.power_code == c.item_code),
    )
}

/// The amount owed if paid on `on`: fine plus surcharge (art. 72), and the days late.
pub fn owed_on(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    on: Date,
    cal: &fazhi_domain::calendar::Calendar,
) -> Result<(i64, i64, i64), StoreError> {
    Ok(owed_with(
        c,
        &limits::for_subject(tx, SUBJECT, c.id)?,
        on,
        cal,
    ))
}

/// `owed_on` with the case's limits already loaded.
pub fn owed_with(
    c: &PenaltyCase,
    lims: &[LimitRecord],
    on: Date,
    cal: &fazhi_domain::calendar::Calendar,
) -> (i64, i64, i64) {
    let due = lims
        .iter()
        .find(|l| l.key == "payment")
        .and_then(|l| l.spec.compute(cal).due);
    let late = due.map_or(0, |d| (on - d).whole_days().max(0));
    let s = enforcement::surcharge(c.fine, late);
    (c.fine + s, s, late)
}
