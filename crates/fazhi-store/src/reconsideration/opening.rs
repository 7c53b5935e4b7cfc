//! A reconsideration comes to the bureau as the copy of the application (申请书副本) sent by the
//! deciding body (第四十八条): registered with the day it was received, which starts the answer
//! limit — 10 working days, 5 in the simplified procedure (第四十八条、第五十四条、第八十八条).

use super::*;

/// What the clerk registers from the application copy.
#[derive(Debug, Clone, Default)]
pub struct NewReconsideration {
    /// The bureau that is the respondent.
    pub org_id: i64,
    /// Day the copy was received.
    pub received_on: Option<Date>,
    /// The deciding body.
    pub deciding_body: String,
    /// The applicant.
    pub applicant: String,
    /// The claims.
    pub claims: String,
    /// Heard in the simplified procedure.
    pub simplified: bool,
    /// The disputed penalty case by its case number, if it is one.
    pub case_no: String,
    /// The disputed act in words (required when no case is named).
    pub disputed: String,
}

/// The penalty case of a bureau's subtree with this number, for a dispute to link to it.
pub(crate) fn case_in(
    tx: &mut dyn Tx,
    org_path: &str,
    case_no: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    let case_no = case_no.trim();
    if case_no.is_empty() {
        return Ok(None);
    }
    let found = tx
        .query_opt(
            "SELECT c.id, c.item_name FROM penalty_cases c JOIN orgs o ON o.id = c.org_id
             WHERE c.case_no = ? AND o.path LIKE ?",
            vals![case_no, format!("{org_path}%")],
        )?
        .map(|r| Ok::<_, StoreError>((r.i64(0)?, r.text(1)?)))
        .transpose()?;
    match found {
        Some(f) => Ok(Some(f)),
        None => Err(StoreError::Invalid(vec![fazhi_domain::FieldError::new(
            "case_no",
            "被复议的处罚案件",
            "本局没有这个案号的处罚案件",
        )])),
    }
}

/// The bureau a dispute is registered for, checked: in the person's scope and handled by them.
pub(crate) fn bureau_for(
    tx: &mut dyn Tx,
    actor: &Actor,
    org_id: i64,
) -> Result<crate::org::OrgRecord, StoreError> {
    let org = crate::org::get_org(tx, org_id)?;
    fazhi_domain::org::may(actor, fazhi_domain::org::OrgAction::View, &org.path)
        .map_err(|_| StoreError::NotFound("该机关"))?;
    if !handles_disputes(actor, &org.path) {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "dispute.not_handler",
            "行政复议、行政应诉案件由本机关的法制机构、负责人或综合内勤登记。",
        )));
    }
    Ok(org)
}

/// The value of a checked field, or empty with its error kept.
pub(crate) fn field(
    errors: &mut Vec<fazhi_domain::FieldError>,
    r: Result<String, fazhi_domain::FieldError>,
) -> String {
    r.map_err(|e| errors.push(e)).unwrap_or_default()
}

/// Registers the application copy; returns the new record's id.
pub fn register(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewReconsideration,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<ReconsiderationId, StoreError> {
    let p = reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("reconsideration procedure not loaded".into()))?;
    let org = bureau_for(tx, actor, new.org_id)?;
    let v = fazhi_domain::validate::text;
    let mut errors = Vec::new();
    let body = field(
        &mut errors,
        v("deciding_body", "行政复议机关", &new.deciding_body, 2, 200),
    );
    let applicant = field(
        &mut errors,
        v("applicant", "申请人", &new.applicant, 1, 200),
    );
    let claims = field(&mut errors, v("claims", "复议请求", &new.claims, 2, 4000));
    let received = new.received_on.filter(|d| *d <= clock.today);
    if received.is_none() {
        errors.push(fazhi_domain::FieldError::new(
            "received_on",
            "收到申请书副本日期",
            "请填写收到日期（不能晚于今天）",
        ));
    }
    let linked = match case_in(tx, &org.path, &new.case_no) {
        Ok(c) => c,
        Err(StoreError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    let disputed = match &linked {
        Some((_, item)) if new.disputed.trim().is_empty() => {
            format!("行政处罚决定（{}，{item}）", new.case_no.trim())
        }
        _ => field(
            &mut errors,
            v("disputed", "被申请复议的行政行为", &new.disputed, 2, 1000),
        ),
    };
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let received = received.unwrap_or(clock.today);
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO reconsiderations (number, org_id, received_on, deciding_body, applicant,
                claims, simplified, case_id, disputed, procedure_name, procedure_version, stage,
                handler_id, created_at, updated_at)
             VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                org.id,
                fmt_date(received),
                &body,
                &applicant,
                &claims,
                i64::from(new.simplified),
                linked.as_ref().map(|(id, _)| *id),
                &disputed,
                PROCEDURE,
                i64::from(p.version),
                &p.initial,
                actor.user_id,
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let number = format!("FY{}-{id:03}", received.year());
    tx.exec(
        "UPDATE reconsiderations SET number = ? WHERE id = ?",
        vals![&number, id],
    )?;
    let who = Who::from(actor);
    // 第四十八条 (10 working days) or 第五十四条 (5 in the simplified procedure); 第八十八条.
    let key = if new.simplified {
        "answer_simplified"
    } else {
        "answer"
    };
    let (title, spec) = crate::procedure::limit_of(p, key, received)?;
    limits::start(
        tx,
        &who,
        limits::StartLimit {
            subject: (SUBJECT, id),
            key: "answer",
            title: &title,
            org_id: org.id,
            responsible_user_id: Some(actor.user_id),
            spec,
        },
        clock,
    )?;
    audit::append(
        tx,
        &who,
        Some(org.id),
        "reconsideration.register",
        SUBJECT,
        &id.to_string(),
        json!({
            "number": number, "received_on": fmt_date(received), "deciding_body": body,
            "applicant": applicant, "claims": claims, "simplified": new.simplified,
            "disputed": disputed,
        }),
    )?;
    Ok(ReconsiderationId(id))
}
