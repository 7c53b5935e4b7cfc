//! Leads (案件线索): registered, assessed within the lead limit, closed or opened as a case.

use super::*;

/// One lead.
#[derive(Debug, Clone, Serialize)]
pub struct Lead {
    /// Id.
    pub id: LeadId,
    /// Number shown.
    pub lead_no: String,
    /// Org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path.
    #[serde(skip)]
    pub org_path: String,
    /// complaint, report, inspection, referral, superior.
    pub source: String,
    /// Day received.
    pub received_on: Date,
    /// Who reported or referred it.
    pub reporter: String,
    /// `person` or `org`.
    pub party_kind: String,
    /// The party named.
    pub party_name: String,
    /// What was reported.
    pub description: String,
    /// registered, opened, closed.
    pub state: String,
    /// Why it was closed, or the assessment.
    pub assessment: Option<String>,
    /// The case opened from it.
    pub case_id: Option<CaseId>,
    /// Version.
    pub version: i64,
}

crate::db::columns! {
    table "leads"; const LEAD_COLUMNS, LEAD_COLUMN_COUNT; fn lead_row -> Lead {
        id: "l.id" => id,
        lead_no: "l.lead_no" => text,
        org_id: "l.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        source: "l.source" => text,
        received_on: "l.received_on" => date,
        reporter: "l.reporter" => text,
        party_kind: "l.party_kind" => text,
        party_name: "l.party_name" => text,
        description: "l.description" => text,
        state: "l.state" => text,
        assessment: "l.assessment" => opt_text,
        case_id: "l.case_id" => opt_id,
        version: "l.version" => i64,
    }
}

/// One lead.
pub fn get_lead(tx: &mut dyn Tx, id: LeadId) -> Result<Lead, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {LEAD_COLUMNS} FROM leads l JOIN orgs o ON o.id = l.org_id WHERE l.id = ?"
        ),
        vals![id],
    )?
    .as_ref()
    .map(lead_row)
    .transpose()?
    .ok_or(StoreError::NotFound("该线索"))
}

/// The leads of these subtrees, newest first.
pub fn list_leads(tx: &mut dyn Tx, scopes: &[String], limit: i64) -> Result<Vec<Lead>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    tx.query(
        &format!("SELECT {LEAD_COLUMNS} FROM leads l JOIN orgs o ON o.id = l.org_id WHERE {filter} ORDER BY l.id DESC LIMIT ?"),
        &params,
    )?
    .iter()
    .map(lead_row)
    .collect()
}

/// A lead as registered.
#[derive(Debug, Clone)]
pub struct NewLead {
    /// The unit that handles it.
    pub org_id: i64,
    /// Source (`LEAD_SOURCES`).
    pub source: String,
    /// Day received.
    pub received_on: Date,
    /// Reporter or referring body.
    pub reporter: String,
    /// `person` or `org`.
    pub party_kind: String,
    /// The party named.
    pub party_name: String,
    /// What was reported.
    pub description: String,
}

pub(super) const HANDLERS: [Role; 4] =
    [Role::Officer, Role::DivisionHead, Role::Leader, Role::Clerk];

pub(super) fn require_roles(
    actor: &Actor,
    path: &str,
    roles: &[Role],
    what: &str,
) -> Result<(), StoreError> {
    may(actor, OrgAction::View, path).map_err(StoreError::Forbidden)?;
    let mine = actor.roles_over(path);
    if roles.iter().any(|r| mine.contains(r)) {
        return Ok(());
    }
    let names: Vec<&str> = roles.iter().map(|r| r.label_zh()).collect();
    Err(StoreError::Forbidden(Refusal::new(
        "case.role",
        format!("{what}需要以下角色之一：{}", names.join("、")),
    )))
}

/// Registers a lead and starts its assessment limit.
pub fn register_lead(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewLead,
    env: Env<'_>,
) -> Result<(LeadId, String), StoreError> {
    let org = crate::org::get_org(tx, new.org_id)?;
    require_roles(actor, &org.path, &HANDLERS, "登记案件线索")?;
    let mut errors = Vec::new();
    if lead_source_label(&new.source).is_none() {
        errors.push(FieldError::new("source", "线索来源", "请选择线索来源"));
    }
    if !matches!(new.party_kind.as_str(), "person" | "org") {
        errors.push(FieldError::new(
            "party_kind",
            "当事人类型",
            "请选择公民或法人/其他组织",
        ));
    }
    if new.received_on > env.clock.today {
        errors.push(FieldError::new("received_on", "收到日期", "不能晚于今天"));
    }
    let reporter = validate::text("reporter", "来源单位或反映人", &new.reporter, 1, 100)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let party = validate::text("party_name", "涉及的当事人", &new.party_name, 2, 100)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let description = validate::text("description", "线索内容", &new.description, 5, 4000)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO leads (lead_no, org_id, source, received_on, reporter, party_kind, party_name,
                description, state, created_at, updated_at)
             VALUES ('', ?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?) RETURNING id",
            vals![
                org.id,
                &new.source,
                fmt_date(new.received_on),
                &reporter,
                &new.party_kind,
                &party,
                &description,
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let lead_no = format!("XS{}{:06}", new.received_on.year(), id);
    tx.exec(
        "UPDATE leads SET lead_no = ? WHERE id = ?",
        vals![&lead_no, id],
    )?;
    let who = Who::from(actor);
    audit::append(
        tx,
        &who,
        Some(org.id),
        "case.register_lead",
        LEAD_SUBJECT,
        &id.to_string(),
        json!({ "lead_no": lead_no, "source": lead_source_label(&new.source), "party": party,
                "received_on": fmt_date(new.received_on) }),
    )?;
    limits::start(
        tx,
        &who,
        StartLimit {
            subject: (LEAD_SUBJECT, id),
            key: "assessment",
            title: "线索核查期限",
            org_id: org.id,
            responsible_user_id: Some(actor.user_id),
            spec: TimeLimit::new(
                new.received_on,
                env.rules.lead_assessment_days,
                Count::Working,
                &env.rules.lead_assessment_basis,
                None,
            ),
        },
        env.clock,
    )?;
    Ok((LeadId(id), lead_no))
}

/// Closes a lead without a case, with the reasons.
pub fn close_lead(
    tx: &mut dyn Tx,
    actor: &Actor,
    (id, expected_version): (LeadId, i64),
    reasons: &str,
    env: Env<'_>,
) -> Result<(), StoreError> {
    let l = get_lead(tx, id)?;
    may(actor, OrgAction::View, &l.org_path).map_err(|_| StoreError::NotFound("该线索"))?;
    require_roles(
        actor,
        &l.org_path,
        &[Role::DivisionHead, Role::Leader],
        "决定线索不予立案",
    )?;
    if l.version != expected_version {
        return Err(StoreError::Conflict { current: l.version });
    }
    if l.state != "registered" {
        return Err(StoreError::Refused(Refusal::new(
            "case.lead_done",
            "该线索已经处理完毕。",
        )));
    }
    let reasons = validate::text("text", "不予立案的理由", reasons, 5, 2000)?;
    tx.exec(
        "UPDATE leads SET state = 'closed', assessment = ?, version = version + 1, updated_at = ? WHERE id = ?",
        vals![&reasons, now_ms(), id],
    )?;
    let who = Who::from(actor);
    limits::meet(
        tx,
        &who,
        (LEAD_SUBJECT, id.0),
        "assessment",
        env.clock.today,
        env.clock.cal,
    )?;
    audit::append(
        tx,
        &who,
        Some(l.org_id),
        "case.close_lead",
        LEAD_SUBJECT,
        &id.to_string(),
        json!({ "lead_no": l.lead_no, "text": reasons }),
    )?;
    Ok(())
}
