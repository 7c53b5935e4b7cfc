//! What the portal reads of applications: the masked results, the status snapshot, the
//! yearly figures per item and org.

use super::*;

/// The applicant as published: an organisation in full, a person's name masked.
pub(super) fn masked_applicant(a: &Application) -> String {
    let kind = party::parse_kind(&a.applicant_kind).unwrap_or(PartyKind::Person);
    party::masked_name(kind, &a.applicant_name)
}

/// Publishes the result of a decided application: organisations in full, persons' names masked,
/// no identity number.
pub fn publish_result(tx: &mut dyn Tx, id: i64) -> Result<(), StoreError> {
    let a = get(tx, id)?;
    let body = json!({
        "tracking_no": a.tracking_no, "item_code": a.item_code, "item_name": a.item_name,
        "org_name": a.org_name, "applicant": masked_applicant(&a),
        "decision": if a.decision.as_deref() == Some("approve") { "准予许可" } else { "不予许可" },
        "decided_on": a.decided_on.map(fmt_date), "certificate_no": a.certificate_no,
        "received_on": fmt_date(a.received_on),
    });
    publication::publish(
        tx,
        KIND_RESULT,
        &a.tracking_no,
        &format!("{}：{}", a.item_name, masked_applicant(&a)),
        &body,
    )
}

/// Rewrites the portal snapshot of an application's status.
pub fn publish_status(
    tx: &mut dyn Tx,
    id: i64,
    reg: &Registry,
    cal: &Calendar,
) -> Result<(), StoreError> {
    let a = get(tx, id)?;
    let p = reg.get(PROCEDURE, a.procedure_version);
    let stage_title = p
        .and_then(|p| p.stage(&a.stage))
        .map_or(a.stage.clone(), |s| s.title.clone());
    let steps: Vec<serde_json::Value> = audit::timeline(tx, SUBJECT, &id.to_string())?
        .iter()
        .filter(|e| e.action.starts_with("application."))
        .map(|e| {
            let s: serde_json::Value = serde_json::from_str(&e.summary).unwrap_or_default();
            json!({ "at_ms": e.at_ms, "title": s["action"].as_str().unwrap_or("提交申请"), "text": s["text"], "materials": s["materials"] })
        })
        .collect();
    let handed_in: Vec<serde_json::Value> = files(tx, id)?
        .iter()
        .map(|f| json!({ "material": f.material, "file_name": f.file_name }))
        .collect();
    let lims = limits::for_subject(tx, SUBJECT, id)?;
    let open = lims.iter().rev().find(|l| l.state != LimitState::Met);
    let due = open.map(|l| l.spec.compute(cal));
    let hash = tx
        .query_opt(
            "SELECT query_code_hash FROM applications WHERE id = ?",
            vals![id],
        )?
        .map(|r| r.text(0))
        .transpose()?;
    let body = json!({
        "tracking_no": a.tracking_no, "code_hash": hash, "item_name": a.item_name, "org_name": a.org_name,
        "received_on": fmt_date(a.received_on), "stage": a.stage, "stage_title": stage_title,
        "accepted_on": a.accepted_on.map(fmt_date), "accepted_by_law": a.accepted_by_law,
        "due_title": open.map(|l| l.title.clone()),
        "due": due.as_ref().and_then(|d| d.due).map(fmt_date),
        "due_provisional": due.as_ref().is_some_and(|d| d.provisional),
        "supplement_request": a.supplement_request,
        "decision": a.decision, "decision_text": a.decision_text, "decided_on": a.decided_on.map(fmt_date),
        "certificate_no": a.certificate_no, "steps": steps, "files": handed_in,
    });
    publication::publish(
        tx,
        KIND_STATUS,
        &a.tracking_no,
        &format!("网上办理 {}", a.tracking_no),
        &body,
    )
}

/// The status snapshot, if tracking number and code match.
pub fn status(
    tx: &mut dyn Tx,
    tracking_no: &str,
    code: &str,
) -> Result<Option<serde_json::Value>, StoreError> {
    let Some(p) = publication::get(tx, KIND_STATUS, tracking_no)? else {
        return Ok(None);
    };
    Ok(
        (p.body["code_hash"].as_str() == Some(code_hash(tracking_no, code.trim()).as_str()))
            .then_some(p.body),
    )
}

/// Kind of the published yearly figures.
pub const KIND_FIGURES: &str = "application_figures";

/// Publishes the year's figures per item and per org (what the portal shows).
pub fn publish_figures(tx: &mut dyn Tx, cal: &Calendar, year: i32) -> Result<(), StoreError> {
    let (Ok(from), Ok(to)) = (
        Date::from_calendar_date(year, time::Month::January, 1),
        Date::from_calendar_date(year, time::Month::December, 31),
    ) else {
        return Ok(());
    };
    let (items, orgs) = figures(tx, cal, from, to)?;
    let row = |f: &Figures| {
        json!({ "name": f.name, "received": f.received, "decided": f.decided, "on_time_rate": f.on_time_rate(),
                "average_days": f.average_days(), "online_share": f.online_share() })
    };
    let body = json!({ "year": year, "items": items.iter().map(row).collect::<Vec<_>>(), "orgs": orgs.iter().map(row).collect::<Vec<_>>() });
    publication::publish(
        tx,
        KIND_FIGURES,
        &year.to_string(),
        &format!("{year} 年依申请事项办理情况"),
        &body,
    )
}

/// Figures of one item or org.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    /// Item code or org name.
    pub key: String,
    /// Name shown.
    pub name: String,
    /// Applications received.
    pub received: u32,
    /// Decided (准予 or 不予).
    pub decided: u32,
    /// Decided within the limit.
    pub on_time: u32,
    /// Sum of working days from receipt to decision, over the decided.
    pub working_days: u32,
    /// Received through the portal.
    pub online: u32,
}

impl Figures {
    /// Share decided on time, in percent.
    pub fn on_time_rate(&self) -> f64 {
        if self.decided == 0 {
            0.0
        } else {
            f64::from(self.on_time) * 100.0 / f64::from(self.decided)
        }
    }
    /// Average working days to a decision.
    pub fn average_days(&self) -> f64 {
        if self.decided == 0 {
            0.0
        } else {
            f64::from(self.working_days) / f64::from(self.decided)
        }
    }
    /// Share received online, in percent.
    pub fn online_share(&self) -> f64 {
        if self.received == 0 {
            0.0
        } else {
            f64::from(self.online) * 100.0 / f64::from(self.received)
        }
    }
}

/// Figures per item and per org for applications received in `[from, to]`.
pub fn figures(
    tx: &mut dyn Tx,
    cal: &Calendar,
    from: Date,
    to: Date,
) -> Result<(Vec<Figures>, Vec<Figures>), StoreError> {
    let rows = tx.query(
        "SELECT a.id, a.item_code, a.item_name, o.name, a.channel, a.received_on, a.decided_on, a.decision
         FROM applications a JOIN orgs o ON o.id = a.org_id WHERE a.received_on >= ? AND a.received_on <= ?",
        vals![fmt_date(from), fmt_date(to)],
    )?;
    let mut by_item: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_org: BTreeMap<String, Figures> = BTreeMap::new();
    for r in rows {
        let id = r.i64(0)?;
        let (code, item, org) = (r.text(1)?, r.text(2)?, r.text(3)?);
        let received = parse_date(&r.text(5)?).ok_or_else(|| StoreError::Db("bad date".into()))?;
        let decided = r.opt_text(6)?.as_deref().and_then(parse_date).filter(|_| {
            matches!(
                r.opt_text(7).ok().flatten().as_deref(),
                Some("approve" | "deny")
            )
        });
        let on_time = match decided {
            Some(d) => limits::for_subject(tx, SUBJECT, id)?
                .iter()
                .find(|l| l.key == "decision")
                .is_some_and(|l| l.spec.compute(cal).due.is_none_or(|due| d <= due)),
            None => false,
        };
        for (map, key, name) in [
            (&mut by_item, code.clone(), item.clone()),
            (&mut by_org, org.clone(), org.clone()),
        ] {
            let f = map.entry(key.clone()).or_insert_with(|| Figures {
                key,
                name,
                ..Figures::default()
            });
            f.received += 1;
            f.online += u32::from(r.text(4)? == "online");
            if let Some(d) = decided {
                f.decided += 1;
                f.on_time += u32::from(on_time);
                f.working_days += u32::try_from(fazhi_domain::calendar::working_days_between(
                    cal, received, d,
                ))
                .unwrap_or(0);
            }
        }
    }
    Ok((
        by_item.into_values().collect(),
        by_org.into_values().collect(),
    ))
}
