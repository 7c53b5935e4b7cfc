//! Submission: on the portal or at the counter, the item in force and open for it (法无授权不可为),
//! the tracking number and query code, the first limits; and the facts the guards read.

use super::*;

/// What an applicant submits (identity already checked, files already stored).
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// The item.
    pub item_code: String,
    /// `person` or `org`.
    pub applicant_kind: String,
    /// Name.
    pub applicant_name: String,
    /// ID number or credit code.
    pub applicant_id_no: String,
    /// Contact.
    pub contact: String,
    /// What is applied for.
    pub statement: String,
    /// The materials uploaded.
    pub files: Vec<NewFile>,
    /// `online` (the portal) or `counter` (registered by a clerk at the service counter).
    pub channel: String,
}

pub(super) fn limit_of(
    p: &Procedure,
    key: &str,
    start: Date,
    days: Option<u32>,
    basis_note: &str,
) -> Result<(String, TimeLimit), StoreError> {
    let d = p
        .limit(key)
        .ok_or_else(|| StoreError::Db(format!("procedure has no limit {key}")))?;
    let basis = if basis_note.is_empty() {
        d.basis.clone()
    } else {
        format!("{}（{basis_note}）", d.basis)
    };
    Ok((
        d.title.clone(),
        TimeLimit::new(
            start,
            days.unwrap_or(d.days),
            d.count,
            &basis,
            d.max_extension_days,
        ),
    ))
}

/// The item an application cites, in force today and open for online handling.
pub fn item_for_online(tx: &mut dyn Tx, code: &str, today: Date) -> Result<PowerItem, StoreError> {
    let item = power::require_in_force(tx, code, today)?;
    match &item.application {
        Some(a) if a.online_depth.accepts_online() => Ok(item),
        Some(a) => Err(StoreError::Refused(Refusal::new(
            "application.not_online",
            format!(
                "事项「{}」的网上办理深度为“{}”，尚不能在网上提交申请，请到窗口办理。",
                item.name,
                a.online_depth.label_zh()
            ),
        ))),
        None => Err(StoreError::Refused(Refusal::new(
            "application.not_application_based",
            format!("事项「{}」不是依申请办理的事项。", item.name),
        ))),
    }
}

/// Registers an application — submitted on the portal (channel `online`: the item must be open
/// for online handling) or registered at the counter by a clerk (channel `counter`: any
/// application-based item in force). Returns (id, tracking number, query code).
pub fn submit(
    tx: &mut dyn Tx,
    by: Option<&Actor>,
    new: &NewApplication,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<(i64, String, String), StoreError> {
    let p = reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("application procedure not loaded".into()))?;
    let counter = new.channel == "counter";
    let item = if counter {
        let item = power::require_in_force(tx, &new.item_code, clock.today)?;
        if item.application.is_none() {
            return Err(StoreError::Refused(Refusal::new(
                "application.not_application_based",
                format!("事项「{}」不是依申请办理的事项。", item.name),
            )));
        }
        item
    } else {
        item_for_online(tx, &new.item_code, clock.today)?
    };
    let org = crate::org::get_org_by_code(tx, &item.responsible_org)?
        .ok_or(StoreError::NotFound("责任单位"))?;
    if let Some(a) = by {
        // A clerk registers applications only for items of the orgs they work for.
        may(a, OrgAction::View, &org.path).map_err(|_| {
            StoreError::Forbidden(Refusal::new(
                "application.not_our_item",
                format!("事项「{}」由{}办理，您不能登记。", item.name, org.name),
            ))
        })?;
    }
    let app = item
        .application
        .as_ref()
        .ok_or_else(|| StoreError::Db("not application-based".into()))?;
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO applications (tracking_no, query_code_hash, item_code, item_name, org_id, procedure_name,
                procedure_version, stage, channel, applicant_kind, applicant_name, applicant_id_no, contact,
                statement, received_on, decision_days, created_at, updated_at)
             VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                &item.code,
                &item.name,
                org.id,
                PROCEDURE,
                i64::from(p.version),
                &p.initial,
                if counter { "counter" } else { "online" },
                &new.applicant_kind,
                &new.applicant_name,
                &new.applicant_id_no,
                &new.contact,
                &new.statement,
                fmt_date(clock.today),
                i64::from(app.decision_days()),
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let tracking_no = format!("WSB{}{:06}", clock.today.year(), id);
    let code = query_code()?;
    tx.exec(
        "UPDATE applications SET tracking_no = ?, query_code_hash = ? WHERE id = ?",
        vals![&tracking_no, code_hash(&tracking_no, &code), id],
    )?;
    add_files(tx, id, &item, &new.files)?;
    let who = by.map_or_else(
        || Who {
            user_id: None,
            name: format!("申请人（{tracking_no}）"),
        },
        Who::from,
    );
    audit::append(
        tx,
        &who,
        Some(org.id),
        "application.submit_application",
        SUBJECT,
        &id.to_string(),
        json!({ "tracking_no": tracking_no, "item": format!("{}（{}）", item.name, item.code),
                "received_on": fmt_date(clock.today),
                "channel": if counter { "窗口登记" } else { "网上申请" } }),
    )?;
    let (title, spec) = limit_of(p, "acceptance", clock.today, None, "")?;
    limits::start(
        tx,
        &who,
        StartLimit {
            subject: (SUBJECT, id),
            key: "acceptance",
            title: &title,
            org_id: org.id,
            responsible_user_id: by.map(|a| a.user_id),
            spec,
        },
        clock,
    )?;
    publish_status(tx, id, reg, clock.cal)?;
    Ok((id, tracking_no, code))
}

/// Whether the application counts as accepted on the day of receipt (行政许可法
/// 第三十二条第一款第四项): no supplement was asked for and the acceptance period has passed.
pub fn accepted_by_law(a: &Application, lims: &[LimitRecord], clock: Clock<'_>) -> bool {
    let overdue = lims
        .iter()
        .find(|l| l.key == "acceptance")
        .is_some_and(|l| {
            l.spec.state(clock.cal, clock.today, l.met_on, clock.warn) == LimitState::Overdue
        });
    fazhi_domain::application::accepted_by_law(a.supplement_request.is_some(), overdue)
}

/// The facts the guards read.
pub fn facts_of(
    tx: &mut dyn Tx,
    a: &Application,
    lims: &[LimitRecord],
    clock: Clock<'_>,
) -> Result<Facts, StoreError> {
    let uploaded: Vec<String> = files(tx, a.id)?.into_iter().map(|x| x.material).collect();
    let item = item_on(&power::versions(tx, &a.item_code)?, a.received_on);
    Ok(facts_with(a, lims, (&uploaded, item.as_ref()), clock))
}

/// The version of the item in force on the day an application was received.
pub(crate) fn item_on(versions: &[fazhi_domain::power::Version], on: Date) -> Option<PowerItem> {
    versions
        .iter()
        .find(|v| v.valid_from <= on && v.valid_to.is_none_or(|t| t > on))
        .map(|v| v.item.clone())
}

/// The facts the guards read, given the materials uploaded and the item applied for as it
/// was on the day of receipt.
pub(crate) fn facts_with(
    a: &Application,
    lims: &[LimitRecord],
    (uploaded, item): (&[String], Option<&PowerItem>),
    clock: Clock<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.numbers.insert(
        facts::SUPPLEMENTS,
        i64::from(a.supplement_request.is_some()),
    );
    f.numbers.insert(facts::EXTENDED, i64::from(a.extended));
    let decision = lims.iter().find(|l| l.key == "decision");
    let overdue = decision.is_some_and(|l| {
        l.spec.state(clock.cal, clock.today, l.met_on, clock.warn) == LimitState::Overdue
    });
    f.numbers
        .insert(facts::DECISION_OVERDUE, i64::from(overdue));
    f.numbers.insert(
        facts::ACCEPTED_BY_LAW,
        i64::from(accepted_by_law(a, lims, clock)),
    );
    let missing = item.and_then(|i| i.application.as_ref()).map_or(0, |s| {
        s.materials
            .iter()
            .filter(|m| m.required && !uploaded.contains(&m.name))
            .count()
    });
    f.numbers
        .insert(facts::MISSING_REQUIRED, i64::try_from(missing).unwrap_or(0));
    if a.review_opinion.is_some() {
        f.records.insert("review_opinion".into());
    }
    f
}
