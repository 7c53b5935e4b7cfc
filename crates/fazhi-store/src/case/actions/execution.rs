//! Execution and closing: deferral, payment, performance, court enforcement, closing and archiving
//! (行政处罚法 第六十六条 to 第七十三条).

use super::*;

pub(super) fn approve_deferral(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (id, today, who, env, lims) = (x.c.id, x.env.clock.today, x.who, x.env, x.limits);
    let text = need_text(input, "延期或分期的理由和安排", 5)?;
    let until = input
        .date
        .ok_or_else(|| invalid("date", "延期至", "请填写缴纳期限延至的日期"))?;
    let pay = lims
        .iter()
        .find(|l| l.key == "payment")
        .ok_or(StoreError::NotFound("缴纳期限"))?;
    let due = pay.spec.compute(env.clock.cal).due.unwrap_or(today);
    if until <= due {
        return Err(invalid("date", "延期至", "应晚于原缴纳期限"));
    }
    let days = u32::try_from((until - due).whole_days()).unwrap_or(0);
    let approver = who.name.clone();
    limits::change(
        tx,
        who,
        (SUBJECT, id.0),
        ("payment", "time_limit.extend_limit"),
        env.clock,
        |l| {
            l.max_extension_days = Some(days);
            l.extend(Extension {
                days,
                approved_by: approver,
                reason: text.clone(),
            })
        },
    )?;
    x.set(
        tx,
        "deferral = ?",
        vals![format!("{text}（缴纳期限延至 {}）", fmt_date(until))],
    )?;
    x.summary["text"] = json!(text);
    x.summary["until"] = json!(fmt_date(until));
    Ok(())
}

pub(super) fn record_payment(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, id, today, who, env) = (x.c, x.c.id, x.env.clock.today, x.who, x.env);
    let paid_on = input
        .date
        .ok_or_else(|| invalid("date", "缴纳日期", "请填写缴纳日期"))?;
    if paid_on > today || c.delivered_on.is_some_and(|d| paid_on < d) {
        return Err(invalid("date", "缴纳日期", "应在送达日期和今天之间"));
    }
    let (owed, surcharge, late) = owed_on(tx, c, paid_on, env.clock.cal)?;
    if input.amount != owed {
        return Err(refused(
            "case.payment_amount",
            format!(
                "应缴 {}（罚款 {}{}），登记的金额为 {}。",
                yuan(owed),
                yuan(c.fine),
                if surcharge > 0 {
                    format!("，逾期 {late} 日加处罚款 {}", yuan(surcharge))
                } else {
                    String::new()
                },
                yuan(input.amount)
            ),
            "行政处罚法 第六十七条、第七十二条第一款第一项",
        ));
    }
    x.set(
        tx,
        "paid_on = ?, paid = ?, surcharge = ?",
        vals![fmt_date(paid_on), input.amount, surcharge],
    )?;
    limits::meet(tx, who, (SUBJECT, id.0), "payment", paid_on, env.clock.cal)?;
    x.meet(tx, "court_application")?;
    x.summary["paid"] = json!(yuan(input.amount));
    x.summary["surcharge"] = json!(yuan(surcharge));
    x.summary["days_late"] = json!(late);
    x.summary["paid_on"] = json!(fmt_date(paid_on));
    Ok(())
}

pub(super) fn record_performance(
    _tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let c = x.c;
    if c.fine > 0 {
        return Err(StoreError::Refused(Refusal::new(
            "case.fine_unpaid",
            "本案有罚款，请登记缴纳罚款。",
        )));
    }
    let text = need_text(input, "履行情况", 2)?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// The payment limit has passed unmet: the reminder and the court may follow.
fn payment_overdue(x: &Ctx<'_>) -> Result<(), StoreError> {
    let (today, cal) = (x.env.clock.today, x.env.clock.cal);
    let overdue = x.limits.iter().any(|l| {
        l.key == "payment"
            && l.state != LimitState::Met
            && l.spec.compute(cal).due.is_some_and(|d| today > d)
    });
    if overdue {
        return Ok(());
    }
    Err(refused(
        "case.not_yet_overdue",
        "当事人缴纳罚款的期限尚未届满，不能催告或者申请强制执行。".into(),
        "行政处罚法 第七十二条；行政强制法 第五十三条、第五十四条",
    ))
}

/// The written reminder (催告书) before applying to the court: a numbered document stating the
/// time, manner and amount due and the party's right to be heard (行政强制法 第三十五条), made and
/// served on a recorded day; the ten working days before the court may be applied to run from
/// it (第五十四条、第六十九条).
pub(super) fn serve_reminder(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today, cal) = (x.c, x.env.clock.today, x.env.clock.cal);
    payment_overdue(x)?;
    if let Some(d) = c.reminder_served_on {
        return Err(refused(
            "case.reminder_already_served",
            format!("催告书已于 {} 送达。", fmt_date(d)),
            "行政强制法 第五十四条",
        ));
    }
    let delivered = c
        .delivered_on
        .ok_or(StoreError::NotFound("处罚决定书送达日期"))?;
    let served = input
        .date
        .ok_or_else(|| invalid("date", "送达日期", "请填写催告书送达日期"))?;
    if served > today || served < delivered {
        return Err(invalid(
            "date",
            "送达日期",
            "应在处罚决定书送达日期和今天之间",
        ));
    }
    let method = super::service_method(&input.choice)?;
    // The reminder is made and served on the same day; the amount is the one owed then.
    let (owed, surcharge, _) = owed_with(c, x.limits, served, cal);
    let decision_no = x
        .documents
        .iter()
        .find(|d| d.kind == "decision")
        .map(|d| d.number.clone())
        .unwrap_or_default();
    let due = x
        .limits
        .iter()
        .find(|l| l.key == "payment")
        .and_then(|l| l.spec.compute(cal).due)
        .map(fmt_date_zh)
        .unwrap_or_default();
    let remedy = remedy_of(tx, c, x.env.rules)?;
    let number = issue(
        tx,
        c,
        "enforcement_reminder",
        vec![
            c.party().line(),
            format!(
                "本机关于{}作出行政处罚决定（{decision_no}），决定对你（单位）{}，该决定书已于{}送达。你（单位）应当于{due}前缴纳罚款，至今未履行。",
                c.decided_on.map(fmt_date_zh).unwrap_or_default(),
                wording::penalty_words(&c.decided.clone().unwrap_or_default()),
                fmt_date_zh(delivered)
            ),
            format!(
                "根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告你（单位）自收到本催告书之日起十个工作日内履行：缴纳罚款{}及截至{}的加处罚款{}，合计{}（加处罚款每日按罚款数额的百分之三计算，不超出罚款数额，《中华人民共和国行政处罚法》第七十二条）。缴纳方式：{}（《中华人民共和国行政处罚法》第六十七条）。",
                wording::rmb(c.fine),
                fmt_date_zh(served),
                wording::rmb(surcharge),
                wording::rmb(owed),
                remedy.payment
            ),
            "你（单位）有权进行陈述和申辩，可以在收到本催告书之日起十个工作日内向本机关提出（《中华人民共和国行政强制法》第三十六条）。逾期仍不履行的，本机关将依法申请人民法院强制执行。".into(),
        ],
        served,
        None,
    )?;
    serve(tx, &number, served)?;
    x.set(tx, "reminder_served_on = ?", vals![fmt_date(served)])?;
    x.summary["document"] = json!(number);
    x.summary["served_on"] = json!(fmt_date(served));
    x.summary["method"] = json!(method);
    x.summary["owed"] = json!(yuan(owed));
    Ok(())
}

/// Applying to the court: only after the party's time for reconsideration and litigation has
/// run out and ten working days after the reminder was served (行政强制法 第五十三条、第五十四条).
pub(super) fn apply_court_enforcement(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today, cal) = (x.c, x.env.clock.today, x.env.clock.cal);
    payment_overdue(x)?;
    let delivered = c
        .delivered_on
        .ok_or(StoreError::NotFound("处罚决定书送达日期"))?;
    enforcement::court::check_remedies_ended(cal, delivered, today)?;
    // Version 1 of the procedure has no reminder step: its reminder is described in the text.
    if x.p.action("serve_reminder").is_some() {
        enforcement::court::check_reminder(cal, c.reminder_served_on, today)?;
    }
    let text = need_text(input, "申请情况（受理法院、申请材料）", 5)?;
    x.meet(tx, "court_application")?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn record_court_result(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "强制执行结果", 2)?;
    x.set(tx, "paid = ?", vals![input.amount.max(0)])?;
    x.meet(tx, "payment")?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// The summary decision filed with the organ (行政处罚法 第五十二条第三款).
pub(super) fn record_summary_filing(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let today = x.env.clock.today;
    let text = need_text(input, "备案意见", 2)?;
    x.set(tx, "summary_filed_on = ?", vals![fmt_date(today)])?;
    x.meet(tx, "summary_filing")?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn close(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today) = (x.c, x.env.clock.today);
    x.set(tx, "closed_on = ?", vals![fmt_date(today)])?;
    let decision_no = x
        .documents
        .iter()
        .find(|d| d.kind == "decision" || d.kind == "no_penalty_decision")
        .map(|d| d.number.clone())
        .unwrap_or_default();
    let party = c.party().line();
    let performed = if c.fine > 0 && c.surcharge > 0 {
        format!(
            "当事人已于{}缴纳罚款{}（其中加处罚款{}）。",
            c.paid_on.map(fmt_date_zh).unwrap_or_default(),
            wording::rmb(c.paid),
            wording::rmb(c.surcharge)
        )
    } else if c.fine > 0 {
        format!(
            "当事人已于{}缴纳罚款{}。",
            c.paid_on.map(fmt_date_zh).unwrap_or_default(),
            wording::rmb(c.paid)
        )
    } else {
        "当事人已履行完毕。".into()
    };
    let number = issue_form(
        tx,
        c,
        "closing_report",
        vec![
            FormRow::new("案由", format!("涉嫌{}", wording::violation(&c.item_name))),
            FormRow::new(
                "当事人",
                party.strip_prefix("当事人：").unwrap_or(&party).to_string(),
            ),
            FormRow::new("立案日期", c.opened_on.map(fmt_date_zh).unwrap_or_default()),
            FormRow::new(
                "处理结果",
                format!(
                    "本机关于{}作出行政处罚决定（{decision_no}）：{}。",
                    c.decided_on.map(fmt_date_zh).unwrap_or_default(),
                    wording::penalty_words(&c.decided.clone().unwrap_or_default())
                ),
            ),
            FormRow::new("执行情况", performed),
            FormRow {
                label: "结案审批意见".into(),
                value: "本案处罚决定已执行完毕，同意结案。".into(),
                signed: signed(&x.actor.display_name, today),
            },
        ],
        today,
        None,
    )?;
    x.summary["document"] = json!(number);
    Ok(())
}

pub(super) fn archive(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &CaseInput,
) -> Result<(), StoreError> {
    let (today, lims) = (x.env.clock.today, x.limits);
    x.set(tx, "archived_on = ?", vals![fmt_date(today)])?;
    for l in lims {
        if l.state != LimitState::Met {
            x.meet(tx, &l.key)?;
        }
    }
    Ok(())
}
