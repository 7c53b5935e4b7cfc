//! The case record: its columns and row mapping, one case, a case with its parts, the case
//! file the case page shows, and the case list.

use super::*;

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
    /// Given by a head of the organ (行政机关负责人: a leader of the case's own bureau), who alone
    /// make the quorum of a collective discussion (行政处罚法 第五十七条第二款); others attend and
    /// are recorded. `None` for a view recorded before heads were told apart: it counts, as it
    /// did when it was recorded.
    #[serde(default)]
    pub head: Option<bool>,
    /// Who gave it.
    #[serde(default)]
    pub user_id: Option<i64>,
}

/// One case, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct PenaltyCase {
    /// Id.
    pub id: CaseId,
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
    pub lead_id: Option<LeadId>,
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
    /// The review of the current report failed: nothing is notified or decided until the report
    /// is resubmitted and reviewed again (行政处罚法 第五十八条).
    pub review_failed: bool,
    /// The reviewer's opinion.
    pub review_opinion: Option<String>,
    /// Why the party has the hearing right (none: no right).
    pub hearing_right: Option<String>,
    /// Day of the pre-decision notice.
    pub notified_on: Option<Date>,
    /// The penalty notified.
    pub notified: Option<Penalty>,
    /// Day the notice was served on the party: the party's period runs from it (第四十四条、
    /// 第六十四条第一项).
    pub notice_served_on: Option<Date>,
    /// How it was served, with the proof.
    pub notice_service: Option<String>,
    /// The party's statement and defence.
    pub statement: Option<String>,
    /// The party waived the rest of the period.
    pub statement_waived: bool,
    /// Day of the hearing.
    pub hearing_on: Option<Date>,
    /// The hearing host designated by the organ (第六十四条第四项).
    pub hearing_host_id: Option<i64>,
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
    /// Day the written reminder (催告书) was served (行政强制法 第五十四条).
    pub reminder_served_on: Option<Date>,
    /// Day the summary decision was filed with the organ (行政处罚法 第五十二条第三款).
    pub summary_filed_on: Option<Date>,
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

crate::db::columns! {
    table "penalty_cases"; const COLUMNS, COLUMN_COUNT; fn row -> PenaltyCase {
        id: "c.id" => id,
        case_no: "c.case_no" => text,
        org_id: "c.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        lead_id: "c.lead_id" => opt_id,
        procedure_version: "c.procedure_version" => u32,
        stage: "c.stage" => text,
        summary_procedure: "c.summary_procedure" => bool,
        item_code: "c.item_code" => text,
        item_name: "c.item_name" => text,
        benchmark: "c.benchmark_code", "c.benchmark_version" => opt_text_i64,
        party_kind: "c.party_kind" => parse(party::parse_kind),
        party_name: "c.party_name" => text,
        party_id_no: "c.party_id_no" => text,
        party_address: "c.party_address" => text,
        facts: "c.facts" => text,
        act_ended_on: "c.act_ended_on" => date,
        discovered_on: "c.discovered_on" => date,
        long_limitation: "c.long_limitation" => bool,
        limitation_basis: "c.limitation_basis" => opt_text,
        opened_on: "c.opened_on" => opt_date,
        report: "c.report" => opt_text,
        proposed: "c.proposed" => json,
        band: "c.band" => json,
        outside_band_reasons: "c.outside_band_reasons" => opt_text,
        review_reasons: "c.review_reasons" => json_or_default,
        review_passed: "c.review_passed" => bool,
        review_failed: "c.review_failed" => bool,
        review_opinion: "c.review_opinion" => opt_text,
        hearing_right: "c.hearing_right" => opt_text,
        notified_on: "c.notified_on" => opt_date,
        notified: "c.notified" => json,
        notice_served_on: "c.notice_served_on" => opt_date,
        notice_service: "c.notice_service" => opt_text,
        statement: "c.statement" => opt_text,
        statement_waived: "c.statement_waived" => bool,
        hearing_on: "c.hearing_on" => opt_date,
        hearing_host_id: "c.hearing_host_id" => opt_i64,
        hearing_record: "c.hearing_record" => opt_text,
        collective_reason: "c.collective_reason" => opt_text,
        collective_views: "c.collective_views" => json_or_default,
        collective_concluded: "c.collective_concluded" => bool,
        decided_on: "c.decided_on" => opt_date,
        outcome: "c.outcome" => opt_text,
        decided: "c.decided" => json,
        fine: "c.fine" => i64,
        decision_text: "c.decision_text" => opt_text,
        delivered_on: "c.delivered_on" => opt_date,
        delivery_method: "c.delivery_method" => opt_text,
        paid_on: "c.paid_on" => opt_date,
        paid: "c.paid" => i64,
        surcharge: "c.surcharge" => i64,
        deferral: "c.deferral" => opt_text,
        reminder_served_on: "c.reminder_served_on" => opt_date,
        summary_filed_on: "c.summary_filed_on" => opt_date,
        published_on: "c.published_on" => opt_date,
        revoked_on: "c.revoked_on" => opt_date,
        revoke_reason: "c.revoke_reason" => opt_text,
        closed_on: "c.closed_on" => opt_date,
        archived_on: "c.archived_on" => opt_date,
        extended: "c.extended" => bool,
        version: "c.version" => i64,
    }
}

impl PenaltyCase {
    /// The party, as the rules about parties read it.
    pub(crate) fn party(&self) -> party::Party<'_> {
        party::Party {
            kind: self.party_kind,
            name: &self.party_name,
            id_no: &self.party_id_no,
            address: &self.party_address,
        }
    }

    /// What the decision document states besides the penalty.
    pub(crate) fn grounds<'a>(
        &'a self,
        bases: &'a [fazhi_domain::power::LegalBasis],
        remedy: &'a fazhi_domain::enforcement::rules::Remedy,
    ) -> decision::Grounds<'a> {
        decision::Grounds {
            party: self.party(),
            report: self.report.as_deref().unwrap_or_default(),
            band: self.band.as_ref(),
            outside_band_reasons: self.outside_band_reasons.as_deref(),
            statement: self.statement.as_deref(),
            item_name: &self.item_name,
            bases,
            remedy,
        }
    }
}

/// One case.
pub fn get(tx: &mut dyn Tx, id: CaseId) -> Result<PenaltyCase, StoreError> {
    let q = get_query(id.0);
    case_from(&tx.query(&q.sql, &q.params)?)
}

pub(super) fn get_query(id: i64) -> Query {
    Query::new(
        format!(
            "SELECT {COLUMNS} FROM penalty_cases c JOIN orgs o ON o.id = c.org_id WHERE c.id = ?"
        ),
        vals![id],
    )
}

pub(super) fn case_from(rows: &[Row]) -> Result<PenaltyCase, StoreError> {
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

pub(super) fn parts_queries(id: i64) -> [Query; 4] {
    [
        limits::for_subject_query(SUBJECT, id),
        officers_with_certificates_query(id),
        evidence_query(id),
        documents_query(id),
    ]
}

pub(super) fn parts_from(rows: &[Vec<Row>]) -> Result<Parts, StoreError> {
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
pub(super) fn officers_with_certificates_query(id: i64) -> Query {
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

pub(super) fn officers_with_certificates(
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
pub fn with_parts(tx: &mut dyn Tx, id: CaseId) -> Result<(PenaltyCase, Parts), StoreError> {
    let mut queries = vec![get_query(id.0)];
    queries.extend(parts_queries(id.0));
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
pub fn file(tx: &mut dyn Tx, actor: &Actor, id: CaseId) -> Result<CaseFile, StoreError> {
    let mut queries = vec![Query::new(
        format!(
            "SELECT {COLUMNS}, f.id, f.reason, f.decided_on, f.due_on, f.filed_on
             FROM penalty_cases c JOIN orgs o ON o.id = c.org_id
             LEFT JOIN major_filings f ON f.case_id = c.id WHERE c.id = ?"
        ),
        vals![id],
    )];
    queries.extend(parts_queries(id.0));
    queries.push(audit::timeline_query(SUBJECT, &id.to_string()));
    let rows = tx.query_all(&queries)?;
    let [first, middle @ .., timeline_rows] = rows.as_slice() else {
        return Err(StoreError::Db("case file: results missing".into()));
    };
    let case = case_from(first)?;
    may(actor, OrgAction::View, &case.org_path).map_err(|_| StoreError::NotFound("该案件"))?;
    // The major-penalty filing, in the columns after the case's.
    const FILING: usize = COLUMN_COUNT;
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
pub fn get_visible(tx: &mut dyn Tx, actor: &Actor, id: CaseId) -> Result<PenaltyCase, StoreError> {
    let c = get(tx, id)?;
    may(actor, OrgAction::View, &c.org_path).map_err(|_| StoreError::NotFound("该案件"))?;
    Ok(c)
}
