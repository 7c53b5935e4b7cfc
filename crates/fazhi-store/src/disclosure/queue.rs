//! The requests that may wait for a person in 我的工作 (`work::queue`): the candidates and their
//! limits in one round trip, the facts computed as for an action.

use super::*;
use crate::work::{Candidate, Records, Selection, limits_by_record, limits_query};

/// How requests are stored, for 我的工作 and its notices.
pub const RECORDS: Records = Records {
    subject_type: SUBJECT,
    table: TABLE,
    number: "tracking_no",
    party: "requester_name",
    officers: None,
};

/// The requests of the selection with their facts, handler and limits.
pub fn queue_candidates(
    tx: &mut dyn Tx,
    sel: &Selection<'_>,
    clock: Clock<'_>,
) -> Result<Vec<Candidate>, StoreError> {
    let engine = tx.engine();
    let ids = sel.ids(engine, "r", &RECORDS);
    let (cond, params) = sel.condition(engine, "r", &RECORDS);
    let rows = tx.query_all(&[
        crate::Query::new(
            format!(
                "SELECT {COLUMNS}, r.handler_id FROM disclosure_requests r JOIN orgs o ON o.id = r.org_id
                 WHERE {cond} ORDER BY r.id DESC LIMIT {}",
                crate::work::CANDIDATES
            ),
            &params,
        ),
        limits_query(SUBJECT, &ids),
    ])?;
    let [records, lims] = rows.as_slice() else {
        return Err(StoreError::Db(
            "queue of requests: two results expected".into(),
        ));
    };
    let mut lims = limits_by_record(lims)?;
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let req = row(r)?;
        let limits = lims.remove(&req.id).unwrap_or_default();
        out.push(Candidate {
            id: req.id,
            people: fazhi_domain::procedure::People {
                officers: Vec::new(),
                handler: r.opt_i64(COLUMN_COUNT)?,
            },
            facts: facts_of(&req, &limits, clock),
            limits,
            number: req.tracking_no,
            party: req.requester_name,
            org_name: req.org_name,
            org_path: req.org_path,
            stage: req.stage,
            procedure_version: req.procedure_version,
        });
    }
    Ok(out)
}
