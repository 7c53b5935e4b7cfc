//! The cases that may wait for a person in 我的工作 (`work::queue`): the candidates and their
//! parts read in one round trip, and the facts the guards read computed as for an action.

use super::*;
use crate::work::{Candidate, Records, Selection, by_record, limits_by_record, limits_query};

/// How cases are stored, for 我的工作 and its notices.
pub const RECORDS: Records = Records {
    subject_type: SUBJECT,
    table: "penalty_cases",
    number: "case_no",
    party: "party_name",
    officers: Some(("case_officers", "case_id")),
};

/// The cases of the selection with their facts, people and limits: five statements sent
/// together (the cases, and their limits, officers with certificates, evidence and documents).
pub fn queue_candidates(
    tx: &mut dyn Tx,
    sel: &Selection<'_>,
    clock: Clock<'_>,
) -> Result<Vec<Candidate>, StoreError> {
    let engine = tx.engine();
    let ids = sel.ids(engine, "c", &RECORDS);
    let (cond, params) = sel.condition(engine, "c", &RECORDS);
    let with = |sql: String| Query::new(sql, &ids.1);
    let cert = crate::certificate::COLUMNS;
    let cert_from = crate::certificate::FROM;
    let queries = [
        Query::new(
            format!(
                "SELECT {COLUMNS}, c.handler_id FROM penalty_cases c JOIN orgs o ON o.id = c.org_id
                 WHERE {cond} ORDER BY c.id DESC LIMIT {}",
                crate::work::CANDIDATES
            ),
            &params,
        ),
        limits_query(SUBJECT, &ids),
        with(format!(
            "SELECT {cert}, co.user_id, ou.display_name, co.certificate_no, co.case_id
             FROM case_officers co JOIN users ou ON ou.id = co.user_id
             LEFT JOIN ({cert_from}) ON c.holder_id = co.user_id
             WHERE co.case_id IN ({}) ORDER BY co.case_id, co.assigned_at, co.user_id, c.valid_until DESC",
            ids.0
        )),
        with(format!(
            "SELECT id, kind, title, file_name, content_type, size, sha256, collected_on, preserved,
                    preservation_decision, case_id FROM case_evidence WHERE case_id IN ({}) ORDER BY id",
            ids.0
        )),
        with(format!(
            "SELECT id, kind, number, title, '{{}}', sha256, issued_on, served_on, case_id
             FROM case_documents WHERE case_id IN ({}) ORDER BY id",
            ids.0
        )),
    ];
    let rows = tx.query_all(&queries)?;
    let [cases, lims, officers, evidence, documents] = rows.as_slice() else {
        return Err(StoreError::Db(
            "queue of cases: five results expected".into(),
        ));
    };
    let mut lims = limits_by_record(lims)?;
    let officers = by_record(officers, 17)?;
    let evidence = by_record(evidence, 10)?;
    let documents = by_record(documents, 8)?;
    let none = Vec::new();
    let mut out = Vec::with_capacity(cases.len());
    for r in cases {
        let c = row(r)?;
        let handler = r.opt_i64(COLUMN_COUNT)?;
        let (officers, certificates) =
            officers_with_certificates(officers.get(&c.id.0).unwrap_or(&none))?;
        let officer_ids = officers.iter().map(|o| o.user_id).collect();
        let parts = Parts {
            limits: lims.remove(&c.id.0).unwrap_or_default(),
            evidence: evidence_from(evidence.get(&c.id.0).unwrap_or(&none))?,
            documents: documents_from(documents.get(&c.id.0).unwrap_or(&none))?,
            officers,
            certificates,
        };
        let facts = facts_with(&c, &parts, clock);
        out.push(Candidate {
            id: c.id.0,
            people: fazhi_domain::procedure::People {
                officers: officer_ids,
                handler,
            },
            facts,
            limits: parts.limits,
            number: c.case_no,
            party: c.party_name,
            org_name: c.org_name,
            org_path: c.org_path,
            stage: c.stage,
            procedure_version: c.procedure_version,
        });
    }
    Ok(out)
}
