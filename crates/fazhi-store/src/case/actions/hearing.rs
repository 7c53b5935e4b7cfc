//! The hearing and the collective discussion (行政处罚法 第五十七条, 第六十四条, 第六十五条).

use super::*;

pub(super) fn schedule_hearing(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today, env) = (x.c, x.env.clock.today, x.env);
    let date = input
        .date
        .ok_or_else(|| invalid("date", "听证日期", "请填写听证日期"))?;
    // 行政处罚法 第六十四条第二项: notified seven (working, 第八十五条) days before.
    let earliest = due_after(env, today, 7, Count::Working).unwrap_or(today);
    if date < earliest {
        return Err(refused(
            "case.hearing_too_soon",
            format!(
                "应当在举行听证的七个工作日前通知当事人：今天通知的，听证最早安排在 {}。",
                fmt_date(earliest)
            ),
            "行政处罚法 第六十四条第二项、第八十五条",
        ));
    }
    let place = need_text(input, "听证地点和主持人", 2)?;
    x.set(tx, "hearing_on = ?", vals![fmt_date(date)])?;
    let number = issue(
        tx,
        c,
        "hearing_notice",
        vec![
            c.party().line(),
            format!(
                "根据你（单位）的申请，本机关定于 {} 举行听证。{place}",
                fmt_date(date)
            ),
            "你（单位）可以亲自参加听证，也可以委托一至二人代理；认为主持人与本案有直接利害关系的，有权申请回避。无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。".into(),
            "依据：《中华人民共和国行政处罚法》第六十四条。".into(),
        ],
        today,
        None,
    )?;
    serve(tx, &number, today)?;
    x.summary["hearing_on"] = json!(fmt_date(date));
    x.summary["document"] = json!(number);
    Ok(())
}

pub(super) fn hold_hearing(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today) = (x.c, x.env.clock.today);
    if let Some(d) = c.hearing_on
        && today < d
    {
        return Err(StoreError::Refused(Refusal::new(
            "case.hearing_not_yet",
            format!("听证定于 {}，尚未到期。", fmt_date(d)),
        )));
    }
    let text = need_text(input, "听证笔录（要点）", 5)?;
    let mut reasons = c.review_reasons.clone();
    reasons.push("经过听证程序（行政处罚法 第五十八条第一款第二项）".into());
    x.set(
        tx,
        "hearing_record = ?, review_reasons = ?, review_passed = 0",
        vals![&text, json!(reasons).to_string()],
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn record_collective_view(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    still_discussing(x.c)?;
    let text = need_text(input, "讨论意见", 2)?;
    add_view(tx, x, text, false)
}

pub(super) fn conclude_collective(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, actor) = (x.c, x.actor);
    still_discussing(c)?;
    let others = c
        .collective_views
        .iter()
        .filter(|v| v.name != actor.display_name)
        .count();
    if others < 2 {
        return Err(refused(
            "case.collective_too_few",
            format!(
                "集体讨论须由参加人员逐一发表意见后主持人最后表态，目前只记录了 {others} 名其他参加人员的意见（至少两名）。"
            ),
            "行政处罚法 第五十七条第二款",
        ));
    }
    let text = need_text(input, "主持人意见和讨论结论", 2)?;
    add_view(tx, x, text, true)
}

/// No view is recorded once the discussion has concluded.
fn still_discussing(c: &PenaltyCase) -> Result<(), StoreError> {
    if c.collective_concluded {
        return Err(StoreError::Refused(Refusal::new(
            "case.collective_done",
            "集体讨论已形成决定。",
        )));
    }
    Ok(())
}

/// Records the actor's view in the collective discussion; the concluding one ends it.
fn add_view(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    text: String,
    concluding: bool,
) -> Result<(), StoreError> {
    let mut views = x.c.collective_views.clone();
    views.push(View {
        name: x.actor.display_name.clone(),
        opinion: text.clone(),
        at_ms: now_ms(),
        concluding,
    });
    let sql = if concluding {
        "collective_views = ?, collective_concluded = 1"
    } else {
        "collective_views = ?"
    };
    x.set(tx, sql, vals![json!(views).to_string()])?;
    x.summary["text"] = json!(text);
    Ok(())
}
