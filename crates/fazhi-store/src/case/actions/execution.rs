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

pub(super) fn apply_court_enforcement(
    _tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (today, env, lims) = (x.env.clock.today, x.env, x.limits);
    let overdue = lims.iter().any(|l| {
        l.key == "payment"
            && l.state != LimitState::Met
            && l.spec.compute(env.clock.cal).due.is_some_and(|d| today > d)
    });
    if !overdue {
        return Err(refused(
            "case.not_yet_overdue",
            "当事人缴纳罚款的期限尚未届满，不能申请强制执行。".into(),
            "行政处罚法 第七十二条；行政强制法 第五十三条",
        ));
    }
    let text = need_text(input, "申请情况（催告情况、受理法院）", 5)?;
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

pub(super) fn close(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today) = (x.c, x.env.clock.today);
    x.set(tx, "closed_on = ?", vals![fmt_date(today)])?;
    let number = issue(
        tx,
        c,
        "closing_report",
        vec![
            c.party().line(),
            format!(
                "处罚决定：{}（{}）",
                c.decided.clone().unwrap_or_default().describe(),
                c.decided_on.map(fmt_date).unwrap_or_default()
            ),
            format!(
                "执行情况：{}",
                if c.fine > 0 {
                    format!(
                        "已缴纳 {}（其中加处罚款 {}），缴纳日期 {}",
                        yuan(c.paid),
                        yuan(c.surcharge),
                        c.paid_on.map(fmt_date).unwrap_or_default()
                    )
                } else {
                    "已履行完毕".into()
                }
            ),
            "本案执行完毕，建议结案。".into(),
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
