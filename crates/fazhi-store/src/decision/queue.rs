//! The decisions that may wait for a person in 我的工作 (`work::queue`).

use super::*;
use crate::work::{Candidate, Records, Selection, limits_by_record, limits_query};

/// How decisions are stored, for 我的工作 and its notices.
pub const RECORDS: Records = Records {
    subject_type: SUBJECT,
    table: TABLE,
    number: "decision_no",
    party: "title",
    officers: None,
};

/// The decisions of the selection with their facts, handler and limits.
pub fn queue_candidates(
    tx: &mut dyn Tx,
    sel: &Selection<'_>,
    clock: Clock<'_>,
) -> Result<Vec<Candidate>, StoreError> {
    let engine = tx.engine();
    let ids = sel.ids(engine, "d", &RECORDS);
    let (cond, params) = sel.condition(engine, "d", &RECORDS);
    let rows = tx.query_all(&[
        crate::Query::new(
            format!(
                "SELECT {COLUMNS}, d.handler_id FROM major_decisions d JOIN orgs o ON o.id = d.org_id
                 WHERE {cond} ORDER BY d.id DESC LIMIT {}",
                crate::work::CANDIDATES
            ),
            &params,
        ),
        limits_query(SUBJECT, &ids),
    ])?;
    let [records, lims] = rows.as_slice() else {
        return Err(StoreError::Db(
            "queue of decisions: two results expected".into(),
        ));
    };
    let mut lims = limits_by_record(lims)?;
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let d = row(r)?;
        let limits: Vec<LimitRecord> = lims.remove(&d.id.0).unwrap_or_default();
        out.push(Candidate {
            id: d.id.0,
            people: fazhi_domain::procedure::People {
                officers: Vec::new(),
                handler: r.opt_i64(COLUMN_COUNT)?,
            },
            facts: facts_of(&d, clock.today),
            limits,
            number: d.decision_no,
            party: d.title,
            org_name: d.org_name,
            org_path: d.org_path,
            stage: d.stage,
            procedure_version: d.procedure_version,
        });
    }
    Ok(out)
}
