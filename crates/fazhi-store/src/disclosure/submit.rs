//! Submission on the portal: the request checked, its tracking number and query code, the first
//! limits; and the facts the guards read.

use super::*;

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
    let party = fazhi_domain::party::check_requester(kind, name, id_no, contact);
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
    // 第三十条: the 7 working days to ask for clarification, counted from receipt, whether or
    // not the limit has since been met.
    let clarification_passed = lims
        .iter()
        .find(|l| l.key == "clarification")
        .and_then(|l| l.spec.compute(clock.cal).due)
        .is_some_and(|due| clock.today > due);
    f.numbers.insert(
        facts::CLARIFICATION_PERIOD_PASSED,
        i64::from(clarification_passed),
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
