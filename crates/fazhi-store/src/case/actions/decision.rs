//! The decision period and the decision: extension, suspension, the decision or no penalty,
//! delivery, publicity, revocation (行政处罚法 第四十八条, 第五十九条 to 第六十一条).

use super::*;

pub(super) fn extend_case(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (id, who, env) = (x.c.id, x.who, x.env);
    let max = env.rules.decision_extension_days;
    if max == 0 {
        return Err(refused(
            "case.no_extension_basis",
            "行政处罚法规定九十日内作出决定；本机关适用的法律、法规、规章没有规定可以延长办案期限，不能延长。".into(),
            "行政处罚法 第六十条：法律、法规、规章另有规定的，从其规定",
        ));
    }
    let text = need_text(input, "延长理由", 5)?;
    let basis = env.rules.decision_extension_basis.clone();
    let days = if input.days == 0 { max } else { input.days };
    if days > max {
        return Err(refused(
            "case.extension_too_long",
            format!("延长不能超过 {max} 日。"),
            &env.rules.decision_extension_basis,
        ));
    }
    let approver = who.name.clone();
    limits::change(
        tx,
        who,
        (SUBJECT, id.0),
        ("decision", "time_limit.extend_limit"),
        env.clock,
        |l| {
            l.max_extension_days = Some(max);
            l.extend(Extension {
                days,
                approved_by: approver,
                reason: format!("{text}（延长依据：{basis}）"),
            })
        },
    )?;
    x.set(tx, "extended = 1", &[])?;
    x.summary["basis"] = json!(env.rules.decision_extension_basis);
    x.summary["text"] = json!(text);
    x.summary["days"] = json!(days);
    Ok(())
}

pub(super) fn suspend_case(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "中止理由", 5)?;
    x.suspend(tx, "decision", &text)?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn resume_case(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &CaseInput,
) -> Result<(), StoreError> {
    x.resume(tx, "decision")
}

pub(super) fn decide(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, id, today, actor, who, env) = (x.c, x.c.id, x.env.clock.today, x.actor, x.who, x.env);
    let decided = penalty_of(input)?;
    let notified = c.notified.clone().unwrap_or_default();
    if decided.heavier_than(&notified) {
        return Err(refused(
            "case.heavier_than_notified",
            format!(
                "决定的处罚（{}）重于事先告知的处罚（{}）。不得因当事人陈述、申辩而给予更重的处罚；确需加重的，应当重新告知。",
                decided.describe(),
                notified.describe()
            ),
            "行政处罚法 第四十五条第二款",
        ));
    }
    // 第三十八条: no type the benchmark grade applied in the report does not provide.
    if let Some(band) = &c.band {
        enforcement::discretion::check_types(band, &decided)?;
    }
    if decided == Penalty::default() {
        return Err(invalid(
            "fine",
            "处罚内容",
            "请写明处罚内容；不予处罚的，请选择“作出不予行政处罚决定”",
        ));
    }
    let text = need_text(input, "处罚决定的理由（采纳或不采纳陈述申辩的理由）", 5)?;
    x.resume_if_suspended(tx)?;
    x.set(
        tx,
        "decided_on = ?, outcome = 'penalty', decided = ?, fine = ?, decision_text = ?",
        vals![
            fmt_date(today),
            serde_json::to_string(&decided).map_err(|e| StoreError::Db(e.to_string()))?,
            decided.fine,
            &text
        ],
    )?;
    x.meet(tx, "decision")?;
    x.meet(tx, "statement")?;
    x.start(tx, "delivery", today)?;
    x.start(tx, "publicity", today)?;
    let c2 = get(tx, id)?;
    let bases = item_bases(tx, &c2, today)?;
    let remedy = remedy_of(tx, &c2, env.rules)?;
    let number = issue(
        tx,
        &c2,
        "decision",
        enforcement::decision::paragraphs(&c2.grounds(&bases, &remedy), &decided, &text),
        today,
        None,
    )?;
    if let Some(reason) = env.rules.major_reason(c.party_kind, &decided) {
        let due =
            due_after(env, today, env.rules.major_filing_days, Count::Working).unwrap_or(today);
        tx.exec(
            "INSERT INTO major_filings (case_id, org_id, reason, decided_on, due_on, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
            vals![
                id,
                c.org_id,
                &reason,
                fmt_date(today),
                fmt_date(due),
                now_ms()
            ],
        )?;
        limits::start(
            tx,
            who,
            StartLimit {
                subject: (SUBJECT, id.0),
                key: "major_filing",
                title: "重大行政处罚决定备案期限",
                org_id: c.org_id,
                responsible_user_id: Some(actor.user_id),
                spec: TimeLimit::new(
                    today,
                    env.rules.major_filing_days,
                    Count::Working,
                    &env.rules.major_filing_basis,
                    None,
                ),
            },
            env.clock,
        )?;
        x.summary["major_filing"] = json!(reason);
    }
    x.summary["document"] = json!(number);
    x.summary["decided"] = json!(decided.describe());
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn decide_no_penalty(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today, lims) = (x.c, x.env.clock.today, x.limits);
    let text = need_text(
        input,
        "不予处罚的理由和对当事人的教育（行政处罚法第三十三条）",
        5,
    )?;
    x.resume_if_suspended(tx)?;
    x.set(
        tx,
        "decided_on = ?, outcome = 'no_penalty', decided = ?, fine = 0, decision_text = ?, closed_on = ?",
        vals![fmt_date(today), json!(Penalty::default()).to_string(), &text, fmt_date(today)],
    )?;
    for l in lims {
        x.meet(tx, &l.key)?;
    }
    let remedy = remedy_of(tx, c, x.env.rules)?;
    let what = wording::violation(&c.item_name);
    let number = issue(
        tx,
        c,
        "no_penalty_decision",
        vec![
            c.party().line(),
            format!("当事人涉嫌{what}一案，本机关依法立案调查，现已调查终结。"),
            wording::facts_found(c.report.as_deref().unwrap_or_default()),
            format!(
                "本机关认为，{}",
                enforcement::decision::end(wording::without_opening(&text))
            ),
            "依据《中华人民共和国行政处罚法》第三十三条的规定，本机关决定对当事人不予行政处罚。"
                .into(),
            wording::remedies("不予行政处罚决定", &remedy),
        ],
        today,
        None,
    )?;
    x.summary["document"] = json!(number);
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn deliver(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, id, today, actor, who, env, p, documents_now) = (
        x.c,
        x.c.id,
        x.env.clock.today,
        x.actor,
        x.who,
        x.env,
        x.p,
        x.documents,
    );
    let served = input.date.unwrap_or(today);
    if served > today || c.decided_on.is_some_and(|d| served < d) {
        return Err(invalid("date", "送达日期", "应在决定日期和今天之间"));
    }
    let method = super::service_method(&input.choice)?;
    x.set(
        tx,
        "delivered_on = ?, delivery_method = ?",
        vals![fmt_date(served), method],
    )?;
    limits::meet(tx, who, (SUBJECT, id.0), "delivery", served, env.clock.cal)?;
    tx.exec(
        "UPDATE case_documents SET served_on = ? WHERE case_id = ? AND kind = 'decision'",
        vals![fmt_date(served), id],
    )?;
    let decision_no = documents_now
        .iter()
        .find(|d| d.kind == "decision")
        .map(|d| d.number.clone())
        .unwrap_or_default();
    let number = issue_form(
        tx,
        c,
        "delivery_receipt",
        vec![
            FormRow::new("受送达人", c.party_name.clone()),
            FormRow::new("送达地址", c.party_address.clone()),
            FormRow::new("送达文书", format!("行政处罚决定书（{decision_no}）")),
            FormRow::new("送达方式", method),
            FormRow::new("送达日期", fmt_date_zh(served)),
            FormRow::new(
                "送达依据",
                "《中华人民共和国行政处罚法》第六十一条；《中华人民共和国民事诉讼法》第七章第二节",
            ),
            FormRow {
                label: "送达人".into(),
                value: String::new(),
                signed: signed(&x.actor.display_name, served),
            },
        ],
        today,
        None,
    )?;
    serve(tx, &number, served)?;
    if c.fine > 0 {
        start_court_application(tx, (who, actor.user_id), c, served, env.clock)?;
        let (t, spec) = limit_of(p, "payment", served)?;
        limits::start(
            tx,
            who,
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
    x.summary["method"] = json!(method);
    x.summary["served_on"] = json!(fmt_date(served));
    x.summary["document"] = json!(number);
    Ok(())
}

pub(super) fn publish_decision(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &CaseInput,
) -> Result<(), StoreError> {
    let today = x.env.clock.today;
    x.publish = true;
    x.set(tx, "published_on = ?", vals![fmt_date(today)])?;
    x.meet(tx, "publicity")?;
    Ok(())
}

pub(super) fn revoke_decision(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today) = (x.c, x.env.clock.today);
    let reason = need_text(input, "撤销的理由和依据", 5)?;
    x.set(
        tx,
        "revoked_on = ?, revoke_reason = ?",
        vals![fmt_date(today), &reason],
    )?;
    x.meet(tx, "publicity")?;
    x.meet(tx, "payment")?;
    x.meet(tx, "delivery")?;
    x.meet(tx, "court_application")?;
    x.meet(tx, "summary_filing")?;
    if c.published_on.is_some() {
        // 第四十八条第二款: withdrawn within three working days, with the reason public.
        x.start(tx, "withdrawal", today)?;
        publication::withdraw(tx, KIND_DECISION, &c.case_no, &reason)?;
        crate::search::enqueue(tx, SearchKind::Decision, c.id.0)?;
        x.meet(tx, "withdrawal")?;
        x.summary["withdrawn"] = json!(true);
    }
    x.summary["text"] = json!(reason);
    Ok(())
}
