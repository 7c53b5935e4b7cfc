//! The documents that may wait for a person in 我的工作 (`work::queue`): the candidates and their
//! limits in one round trip, the facts computed as for an action.

use super::*;
use crate::work::{Candidate, Records, Selection, limits_by_record, limits_query};

/// How documents are stored, for 我的工作 and its notices.
pub const RECORDS: Records = Records {
    subject_type: SUBJECT,
    table: TABLE,
    number: "ref_no",
    party: "title",
    officers: None,
};

/// The documents of the selection with their facts, handler and limits.
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
                "SELECT {COLUMNS},
                    (SELECT COUNT(*) FROM normative_comments c WHERE c.doc_id = r.id AND c.source = 'public' AND c.adopted IS NULL)
                 FROM normative_docs r JOIN orgs o ON o.id = r.org_id
                 WHERE {cond} ORDER BY r.id DESC LIMIT {}",
                crate::work::CANDIDATES
            ),
            &params,
        ),
        limits_query(SUBJECT, &ids),
    ])?;
    let [records, lims] = rows.as_slice() else {
        return Err(StoreError::Db(
            "queue of normative documents: two results expected".into(),
        ));
    };
    let mut lims = limits_by_record(lims)?;
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let doc = row(r)?;
        let limits = lims.remove(&doc.id).unwrap_or_default();
        // Validity events matter only to published documents, whose actions queue nobody.
        let facts = facts_of(&doc, &limits, r.i64(COLUMN_COUNT)?, &[], clock);
        out.push(Candidate {
            id: doc.id,
            people: fazhi_domain::procedure::People {
                officers: Vec::new(),
                handler: doc.handler_id,
            },
            facts,
            limits,
            number: doc.number.clone().unwrap_or_else(|| doc.ref_no.clone()),
            party: doc.title,
            org_name: doc.org_name,
            org_path: doc.org_path,
            stage: doc.stage,
            procedure_version: doc.procedure_version,
        });
    }
    Ok(out)
}
