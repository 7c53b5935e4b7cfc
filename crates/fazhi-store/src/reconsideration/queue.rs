//! The reconsiderations that may wait for a person in 我的工作 (`work::queue`).

use super::*;
use crate::work::{Candidate, Records, Selection, limits_by_record, limits_query};

/// How reconsiderations are stored, for 我的工作 and its notices.
pub const RECORDS: Records = Records {
    subject_type: SUBJECT,
    table: TABLE,
    number: "number",
    party: "applicant",
    officers: None,
};

/// The reconsiderations of the selection with their facts, handler and limits.
pub fn queue_candidates(
    tx: &mut dyn Tx,
    sel: &Selection<'_>,
    _clock: Clock<'_>,
) -> Result<Vec<Candidate>, StoreError> {
    let engine = tx.engine();
    let ids = sel.ids(engine, "r", &RECORDS);
    let (cond, params) = sel.condition(engine, "r", &RECORDS);
    let rows = tx.query_all(&[
        crate::Query::new(
            format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE {cond} ORDER BY r.id DESC LIMIT {}",
                crate::work::CANDIDATES
            ),
            &params,
        ),
        limits_query(SUBJECT, &ids),
    ])?;
    let [records, lims] = rows.as_slice() else {
        return Err(StoreError::Db(
            "queue of reconsiderations: two results expected".into(),
        ));
    };
    let mut lims = limits_by_record(lims)?;
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let x = row(r)?;
        let limits: Vec<LimitRecord> = lims.remove(&x.id.0).unwrap_or_default();
        out.push(Candidate {
            id: x.id.0,
            people: fazhi_domain::procedure::People {
                officers: Vec::new(),
                handler: x.handler_id,
            },
            facts: facts_of(&x),
            limits,
            number: x.number,
            party: x.applicant,
            org_name: x.org_name,
            org_path: x.org_path,
            stage: x.stage,
            procedure_version: x.procedure_version,
        });
    }
    Ok(out)
}
