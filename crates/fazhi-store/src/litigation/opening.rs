//! A lawsuit comes to the bureau as the copy of the complaint (起诉状副本) served by the court:
//! registered with the day it was received, which starts the 15 days for the evidence, the
//! basis and the defence (第六十七条).

use super::*;

/// What the clerk registers from the complaint copy.
#[derive(Debug, Clone, Default)]
pub struct NewLitigation {
    /// The bureau sued.
    pub org_id: i64,
    /// Day the copy was received.
    pub received_on: Option<Date>,
    /// The court.
    pub court: String,
    /// The court's case number.
    pub court_case_no: String,
    /// The plaintiff.
    pub plaintiff: String,
    /// The claims.
    pub claims: String,
    /// The disputed penalty case by its case number, if it is one.
    pub case_no: String,
    /// The disputed act in words (required when no case is named).
    pub disputed: String,
}

/// Registers the complaint copy; returns the new record's id.
pub fn register(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewLitigation,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<LitigationId, StoreError> {
    let p = reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("litigation procedure not loaded".into()))?;
    let org = crate::reconsideration::bureau_for(tx, actor, new.org_id)?;
    let v = fazhi_domain::validate::text;
    let field = crate::reconsideration::field;
    let mut errors = Vec::new();
    let court = field(&mut errors, v("court", "人民法院", &new.court, 2, 200));
    let court_case_no = field(
        &mut errors,
        v("court_case_no", "法院案号", &new.court_case_no, 2, 100),
    );
    let plaintiff = field(&mut errors, v("plaintiff", "原告", &new.plaintiff, 1, 200));
    let claims = field(&mut errors, v("claims", "诉讼请求", &new.claims, 2, 4000));
    let received = new.received_on.filter(|d| *d <= clock.today);
    if received.is_none() {
        errors.push(fazhi_domain::FieldError::new(
            "received_on",
            "收到起诉状副本日期",
            "请填写收到日期（不能晚于今天）",
        ));
    }
    let linked = match crate::reconsideration::case_in(tx, &org.path, &new.case_no) {
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
            v("disputed", "被诉行政行为", &new.disputed, 2, 1000),
        ),
    };
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let received = received.unwrap_or(clock.today);
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO litigations (number, org_id, received_on, court, court_case_no, plaintiff,
                claims, case_id, disputed, procedure_name, procedure_version, stage, handler_id,
                created_at, updated_at)
             VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                org.id,
                fmt_date(received),
                &court,
                &court_case_no,
                &plaintiff,
                &claims,
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
    let number = format!("YS{}-{id:03}", received.year());
    tx.exec(
        "UPDATE litigations SET number = ? WHERE id = ?",
        vals![&number, id],
    )?;
    let who = Who::from(actor);
    // 第六十七条: 15 days from receipt of the complaint copy.
    let (title, spec) = crate::procedure::limit_of(p, "defence", received)?;
    limits::start(
        tx,
        &who,
        limits::StartLimit {
            subject: (SUBJECT, id),
            key: "defence",
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
        "litigation.register",
        SUBJECT,
        &id.to_string(),
        json!({
            "number": number, "received_on": fmt_date(received), "court": court,
            "court_case_no": court_case_no, "plaintiff": plaintiff, "claims": claims,
            "disputed": disputed,
        }),
    )?;
    Ok(LitigationId(id))
}
