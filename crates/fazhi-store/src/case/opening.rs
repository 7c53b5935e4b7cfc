//! Opening a case (立案): what it needs, its number, the penalty items and the benchmark it may
//! cite.

use super::*;

/// What a case is opened with.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The lead it comes from, if any.
    pub lead_id: Option<LeadId>,
    /// The unit handling it.
    pub org_id: i64,
    /// The penalty item (must be in force).
    pub item_code: String,
    /// Person or organisation.
    pub party_kind: PartyKind,
    /// Name.
    pub party_name: String,
    /// ID number or credit code.
    pub party_id_no: String,
    /// Address.
    pub party_address: String,
    /// The facts as known.
    pub facts: String,
    /// The day the act ended.
    pub act_ended_on: Date,
    /// The day it was discovered.
    pub discovered_on: Date,
    /// Five-year limitation applies (art. 36).
    pub long_limitation: bool,
    /// A recorded basis for opening past the limitation.
    pub limitation_basis: String,
}

/// Checks what every new case needs: roles over the unit, the item a penalty item in force, the
/// party, the dates and the limitation period (art. 36). Returns the unit's path and the item name.
pub(super) fn check_new(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewCase,
    today: Date,
) -> Result<(String, String), StoreError> {
    let org = crate::org::get_org(tx, new.org_id)?;
    require_roles(
        actor,
        &org.path,
        &[Role::Officer, Role::DivisionHead, Role::Leader],
        "立案",
    )?;
    let mut errors = party::check_case_party(
        new.party_kind,
        &new.party_name,
        &new.party_id_no,
        &new.party_address,
    );
    if let Err(e) = validate::text("facts", "案情", &new.facts, 5, 8000) {
        errors.push(e);
    }
    if new.discovered_on > today {
        errors.push(FieldError::new("discovered_on", "发现日期", "不能晚于今天"));
    }
    if new.act_ended_on > new.discovered_on {
        errors.push(FieldError::new(
            "act_ended_on",
            "违法行为终了日期",
            "不能晚于发现日期",
        ));
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let item = power::require_in_force(tx, &new.item_code, today)?;
    if item.kind != PowerKind::Penalty {
        return Err(StoreError::Refused(Refusal::by_law(
            "case.not_penalty_item",
            format!("事项「{}」不是行政处罚事项，不能据此立案。", item.name),
            "行政处罚法 第四条（法无授权不可为）",
        )));
    }
    check_limitation(
        new.act_ended_on,
        new.discovered_on,
        new.long_limitation,
        Some(new.limitation_basis.as_str()),
    )?;
    Ok((org.path, item.name))
}

/// Proposes opening a case (立案审批表): stage `pending_approval`, with its case number.
pub fn open_case(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewCase,
    env: Env<'_>,
) -> Result<CaseId, StoreError> {
    let id = insert_case(tx, actor, new, env, false)?;
    // The heads of the unit who approve opening are told it waits for them (行政处罚法
    // 第五十四条第二款: 符合立案标准的，行政机关应当及时立案).
    let c = get(tx, id)?;
    let records = crate::work::records_of(SUBJECT)
        .ok_or_else(|| StoreError::Db("penalty_case records".into()))?;
    let rec = crate::work::Noticed {
        records,
        id: id.0,
        org_id: c.org_id,
        org_path: &c.org_path,
    };
    let message = format!(
        "{}提请立案，待审批：{}（{}）",
        actor.display_name, c.case_no, c.party_name
    );
    crate::work::notify_role(
        tx,
        &rec,
        Role::DivisionHead,
        ("case.open_case", actor.user_id, &message),
    )?;
    Ok(id)
}

pub(super) fn insert_case(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewCase,
    env: Env<'_>,
    summary: bool,
) -> Result<CaseId, StoreError> {
    let today = env.clock.today;
    let p = env
        .reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("penalty procedure not loaded".into()))?;
    let (path, item_name) = check_new(tx, actor, new, today)?;
    if let Some(l) = new.lead_id {
        let lead = get_lead(tx, l)?;
        may(actor, OrgAction::View, &lead.org_path).map_err(|_| StoreError::NotFound("该线索"))?;
        if lead.state != "registered" {
            return Err(StoreError::Refused(Refusal::new(
                "case.lead_done",
                "该线索已经处理完毕。",
            )));
        }
    }
    let (bureau_id, bureau) = bureau_of(tx, &path)?;
    let n = next_number(tx, bureau_id, "立", today.year())?;
    let case_no = document_number(&bureau_abbreviation(&bureau), "立", today.year(), n);
    let now = now_ms();
    let basis = Some(new.limitation_basis.trim()).filter(|b| !b.is_empty());
    let id = tx
        .query_opt(
            "INSERT INTO penalty_cases (case_no, query_code_hash, org_id, lead_id, procedure_name,
                procedure_version, stage, item_code, item_name, party_kind, party_name, party_id_no,
                party_address, facts, act_ended_on, discovered_on, long_limitation, limitation_basis,
                created_at, updated_at, handler_id)
             VALUES (?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                &case_no,
                new.org_id,
                new.lead_id,
                PROCEDURE,
                i64::from(p.version),
                &p.initial,
                &new.item_code,
                &item_name,
                party::kind_str(new.party_kind),
                new.party_name.trim(),
                new.party_id_no.trim().to_uppercase(),
                new.party_address.trim(),
                new.facts.trim(),
                fmt_date(new.act_ended_on),
                fmt_date(new.discovered_on),
                i64::from(new.long_limitation),
                basis,
                now,
                now,
                actor.user_id
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    crate::search::enqueue(tx, SearchKind::Case, id)?;
    let who = Who::from(actor);
    if let Some(l) = new.lead_id {
        tx.exec(
            "UPDATE leads SET state = 'opened', case_id = ?, assessment = ?, version = version + 1, updated_at = ? WHERE id = ?",
            vals![id, format!("已提请立案：{case_no}"), now, l],
        )?;
        limits::meet(
            tx,
            &who,
            (LEAD_SUBJECT, l.0),
            "assessment",
            today,
            env.clock.cal,
        )?;
    }
    let c = get(tx, CaseId(id))?;
    if summary {
        return Ok(CaseId(id));
    }
    let source = match new.lead_id {
        Some(l) => {
            let lead = get_lead(tx, l)?;
            format!(
                "{}（{}收到）",
                lead_source_label(&lead.source).unwrap_or("案件线索"),
                fmt_date_zh(lead.received_on)
            )
        }
        None => "执法人员发现".to_string(),
    };
    let bases = item_bases(tx, &c, today)?;
    let cited = wording::articles(&bases);
    issue_form(
        tx,
        &c,
        "opening_approval",
        opening_rows(&c, (&source, &cited), &actor.display_name, today),
        today,
        Some(case_no.clone()),
    )?;
    audit::append(
        tx,
        &who,
        Some(c.org_id),
        "case.open_case",
        SUBJECT,
        &id.to_string(),
        json!({ "case_no": case_no, "item": format!("{}（{}）", c.item_name, c.item_code),
                "party": c.party_name, "stage_to": p.stage(&p.initial).map(|s| s.title.clone()) }),
    )?;
    Ok(CaseId(id))
}

/// The rows of the 立案审批表 (the model form 立案/不予立案审批表): the case, the officer's
/// proposal signed, and the approver's row left to be signed on approval.
fn opening_rows(
    c: &PenaltyCase,
    (source, cited): (&str, &str),
    proposer: &str,
    today: Date,
) -> Vec<FormRow> {
    let party = c.party().line();
    let party = party.strip_prefix("当事人：").unwrap_or(&party).to_string();
    let mut dates = format!(
        "违法行为终了日期：{}；发现日期：{}。",
        fmt_date_zh(c.act_ended_on),
        fmt_date_zh(c.discovered_on)
    );
    if let Some(b) = &c.limitation_basis {
        dates.push_str(&format!("超过二年追责时效立案的依据：{b}"));
    }
    let basis = if cited.is_empty() {
        "《中华人民共和国行政处罚法》第五十四条第二款".to_string()
    } else {
        format!("{cited}；《中华人民共和国行政处罚法》第五十四条第二款")
    };
    vec![
        FormRow::new("案由", format!("涉嫌{}", wording::violation(&c.item_name))),
        FormRow::new("案件来源", source),
        FormRow::new("当事人", party),
        FormRow::new("简要案情", enforcement::decision::end(&c.facts)),
        FormRow::new("时效", dates),
        FormRow::new("立案依据", basis),
        FormRow::new("承办机构", c.org_name.clone()),
        FormRow {
            label: "承办人意见".into(),
            value: "经初步核查，有证据初步证明当事人存在违反行政管理秩序的行为，依法应当给予行政处罚，属于本机关管辖，且在给予行政处罚的法定期限内，建议立案。".into(),
            signed: signed(proposer, today),
        },
        FormRow::new(OPENING_OPINION, ""),
    ]
}

/// The approver's row of the 立案审批表.
pub(super) const OPENING_OPINION: &str = "行政机关负责人审批意见";

/// The penalty items in force on `on` (what a case may cite: 法无授权不可为).
pub fn penalty_items(
    tx: &mut dyn Tx,
    on: Date,
) -> Result<Vec<fazhi_domain::power::PowerItem>, StoreError> {
    Ok(power::items_as_of(tx, on)?
        .into_iter()
        .filter(|i| i.kind == PowerKind::Penalty)
        .collect())
}

/// The benchmark a case uses or would use (the version in force on the day it was opened).
pub fn benchmark_for(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    today: Date,
) -> Result<Option<crate::discretion::Published>, StoreError> {
    if let Some((code, v)) = &c.benchmark {
        return Ok(crate::discretion::versions(tx, code)?
            .into_iter()
            .find(|b| b.version == *v));
    }
    Ok(
        crate::discretion::in_force(tx, c.opened_on.unwrap_or(today))?
            .into_iter()
            .find(|b| b.benchmark.power_code == c.item_code),
    )
}
