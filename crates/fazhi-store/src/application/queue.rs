//! The applications that may wait for a person in 我的工作 (`work::queue`): the candidates,
//! their limits and their uploaded materials in one round trip, the facts computed as for an
//! action (the materials each item requires read once per item).

use std::collections::HashMap;

use super::*;
use crate::work::{Candidate, Records, Selection, by_record, limits_by_record, limits_query};

/// How applications are stored, for 我的工作 and its notices.
pub const RECORDS: Records = Records {
    subject_type: SUBJECT,
    table: TABLE,
    number: "tracking_no",
    party: "applicant_name",
    officers: None,
};

/// The applications of the selection with their facts, handler and limits.
pub fn queue_candidates(
    tx: &mut dyn Tx,
    sel: &Selection<'_>,
    clock: Clock<'_>,
) -> Result<Vec<Candidate>, StoreError> {
    let engine = tx.engine();
    let ids = sel.ids(engine, "a", &RECORDS);
    let (cond, params) = sel.condition(engine, "a", &RECORDS);
    let rows = tx.query_all(&[
        crate::Query::new(
            format!(
                "SELECT {COLUMNS}, a.handler_id FROM applications a JOIN orgs o ON o.id = a.org_id
                 WHERE {cond} ORDER BY a.id DESC LIMIT {}",
                crate::work::CANDIDATES
            ),
            &params,
        ),
        limits_query(SUBJECT, &ids),
        crate::Query::new(
            format!(
                "SELECT material, application_id FROM application_files WHERE application_id IN ({})",
                ids.0
            ),
            &ids.1,
        ),
    ])?;
    let [records, lims, files] = rows.as_slice() else {
        return Err(StoreError::Db(
            "queue of applications: three results expected".into(),
        ));
    };
    let mut lims = limits_by_record(lims)?;
    let files = by_record(files, 1)?;
    let mut items: HashMap<String, Vec<fazhi_domain::power::Version>> = HashMap::new();
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let a = row(r)?;
        let limits = lims.remove(&a.id).unwrap_or_default();
        let uploaded = files
            .get(&a.id)
            .map(|fs| fs.iter().map(|f| f.text(0)).collect::<Result<Vec<_>, _>>())
            .transpose()?
            .unwrap_or_default();
        if !items.contains_key(&a.item_code) {
            items.insert(a.item_code.clone(), power::versions(tx, &a.item_code)?);
        }
        let item = item_on(&items[&a.item_code], a.received_on);
        out.push(Candidate {
            id: a.id,
            people: fazhi_domain::procedure::People {
                officers: Vec::new(),
                handler: r.opt_i64(COLUMN_COUNT)?,
            },
            facts: facts_with(&a, &limits, (&uploaded, item.as_ref()), clock),
            limits,
            number: a.tracking_no,
            party: a.applicant_name,
            org_name: a.org_name,
            org_path: a.org_path,
            stage: a.stage,
            procedure_version: a.procedure_version,
        });
    }
    Ok(out)
}

/// Bytes of the materials of applications neither accepted nor decided: what strangers have
/// uploaded that staff have not yet dealt with (the portal's quota counts against it).
pub fn pending_upload_bytes(tx: &mut dyn Tx) -> Result<i64, StoreError> {
    tx.query_opt(
        "SELECT COALESCE(SUM(f.size), 0) FROM application_files f
         JOIN applications a ON a.id = f.application_id
         WHERE a.accepted_on IS NULL AND a.decided_on IS NULL",
        &[],
    )?
    .map_or(Ok(0), |r| r.i64(0))
}
