//! The summary procedure (当场处罚, 行政处罚法 第五十一条、第五十二条).

use super::*;

/// What the summary procedure decides on the spot (行政处罚法 第五十一条、第五十二条).
#[derive(Debug, Clone)]
pub struct NewSummary {
    /// The case.
    pub case: NewCase,
    /// Warning and/or fine.
    pub penalty: Penalty,
    /// The second officer present (the actor is the first).
    pub second_officer: i64,
    /// What the party stated in defence on the spot, heard before the decision (第四十四条、
    /// 第四十五条、第五十二条), or that the party had nothing to state.
    pub statement: String,
}

/// Decides a case on the spot under the summary procedure: within the art. 51 thresholds only,
/// by two certified officers, after hearing the party's statement and defence, the decision
/// handed over at once and its filing with the organ tracked (art. 52).
pub fn decide_summary(
    tx: &mut dyn Tx,
    actor: &Actor,
    s: &NewSummary,
    env: Env<'_>,
) -> Result<CaseId, StoreError> {
    let today = env.clock.today;
    enforcement::check_summary_procedure(
        s.case.party_kind,
        &enforcement::ProposedPenalty {
            warning: s.penalty.warning,
            fine: s.penalty.fine,
            other: s.penalty.confiscation > 0 || !s.penalty.other.trim().is_empty(),
        },
    )?;
    let statement = validate::text(
        "statement",
        "当事人的陈述、申辩（当场听取；当事人没有陈述、申辩的，写明）",
        &s.statement,
        2,
        4000,
    )?;
    if actor.user_id == s.second_officer {
        return Err(refused(
            "certificate.team_too_small",
            "当场作出行政处罚决定的，执法人员也不得少于两人，请选择另一名在场的执法人员。".into(),
            "行政处罚法 第四十二条、第五十二条",
        ));
    }
    // The transaction rolls back if a certificate does not cover the case: nothing half-saved.
    let id = insert_case(tx, actor, &s.case, env, true)?;
    let c = get(tx, id)?;
    let mut certs_of = Vec::new();
    for uid in [actor.user_id, s.second_officer] {
        let u = crate::org::get_user(tx, uid)?;
        let certs = crate::certificate::of_holder(tx, uid)?;
        let cert = enforcement::certificate::check_assignable(
            &u.display_name,
            &certs,
            &c.org_path,
            today,
        )?;
        certs_of.push((uid, cert.number.clone()));
    }
    let decided = serde_json::to_string(&s.penalty).map_err(|e| StoreError::Db(e.to_string()))?;
    tx.exec(
        "UPDATE penalty_cases SET summary_procedure = 1, stage = ?, opened_on = ?, decided_on = ?,
            outcome = 'penalty', decided = ?, notified = ?, proposed = ?, fine = ?, delivered_on = ?,
            delivery_method = '当场交付', report = ?, decision_text = ?, statement = ?,
            notified_on = ?, notice_served_on = ?, notice_service = '当场告知',
            version = version + 1
         WHERE id = ?",
        vals![
            if s.penalty.fine > 0 { "executing" } else { "executed" },
            fmt_date(today),
            fmt_date(today),
            &decided,
            &decided,
            &decided,
            s.penalty.fine,
            fmt_date(today),
            &c.facts,
            "当场作出",
            &statement,
            fmt_date(today),
            fmt_date(today),
            id
        ],
    )?;
    for (uid, cert) in &certs_of {
        tx.exec(
            "INSERT INTO case_officers (case_id, user_id, certificate_no, assigned_at) VALUES (?, ?, ?, ?)",
            vals![id, *uid, cert, now_ms()],
        )?;
    }
    let c = get(tx, id)?;
    let bases = item_bases(tx, &c, today)?;
    let remedy = remedy_of(tx, &c, env.rules)?;
    let cited = wording::articles(&bases);
    let cited = if cited.is_empty() {
        String::new()
    } else {
        format!("{cited}和")
    };
    let mut ps = vec![
        c.party().line(),
        format!("违法事实：{}", enforcement::decision::end(&c.facts)),
        format!(
            "执法人员：{}（当场出示执法证件）。",
            certs_of
                .iter()
                .map(|(_, n)| n.clone())
                .collect::<Vec<_>>()
                .join("、")
        ),
        format!(
            "执法人员已当场告知当事人拟作出的处罚内容及事实、理由、依据和依法享有的陈述、申辩权利（《中华人民共和国行政处罚法》第四十四条）。当事人陈述、申辩：{}",
            enforcement::decision::end(&statement)
        ),
        format!(
            "依据{cited}《中华人民共和国行政处罚法》第五十一条、第五十二条的规定，当场作出如下行政处罚决定：{}。",
            wording::penalty_words(&s.penalty)
        ),
    ];
    if s.penalty.fine > 0 {
        ps.push(format!(
            "当事人应当自收到本决定书之日起十五日内，{}；依法可以当场收缴的，由执法人员当场收缴并出具专用票据（《中华人民共和国行政处罚法》第六十七条、第六十八条）。",
            remedy.payment
        ));
    }
    ps.push(wording::remedies("行政处罚决定", &remedy));
    let number = issue(tx, &c, "decision", ps, today, None)?;
    serve(tx, &number, today)?;
    let who = Who::from(actor);
    audit::append(
        tx,
        &who,
        Some(c.org_id),
        "case.decide_summary",
        SUBJECT,
        &id.to_string(),
        json!({ "action": "简易程序当场处罚", "decided": s.penalty.describe(), "document": number,
                "statement": statement,
                "officers": certs_of.iter().map(|x| x.1.clone()).collect::<Vec<_>>() }),
    )?;
    // 第五十二条第三款: filed with the organ within the organ's own period.
    limits::start(
        tx,
        &who,
        StartLimit {
            subject: (SUBJECT, id.0),
            key: "summary_filing",
            title: "当场处罚决定报所属行政机关备案期限",
            org_id: c.org_id,
            responsible_user_id: Some(actor.user_id),
            spec: TimeLimit::new(
                today,
                env.rules.summary_filing_days,
                Count::Working,
                &env.rules.summary_filing_basis,
                None,
            ),
        },
        env.clock,
    )?;
    if s.penalty.fine > 0 {
        start_court_application(tx, (&who, actor.user_id), &c, today, env.clock)?;
        let p = env
            .reg
            .get(PROCEDURE, c.procedure_version)
            .ok_or_else(|| StoreError::Db("procedure".into()))?;
        let (t, spec) = limit_of(p, "payment", today)?;
        limits::start(
            tx,
            &who,
            StartLimit {
                subject: (SUBJECT, id.0),
                key: "payment",
                title: &t,
                org_id: c.org_id,
                responsible_user_id: Some(actor.user_id),
                spec,
            },
            env.clock,
        )?;
    }
    Ok(id)
}
