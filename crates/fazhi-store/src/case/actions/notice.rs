//! The pre-decision notice, its service, and what the party answers: statement, defence, a
//! hearing request (行政处罚法 第四十四条, 第四十五条, 第六十二条, 第六十四条).

use super::*;

pub(super) fn send_notice(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today) = (x.c, x.env.clock.today);
    let proposed = c.proposed.clone().unwrap_or_default();
    if proposed == Penalty::default() {
        return Err(StoreError::Refused(Refusal::new(
            "case.notice_for_no_penalty",
            "拟不予行政处罚的，无需事先告知，请直接作出不予行政处罚决定。",
        )));
    }
    x.resume_if_suspended(tx)?;
    let code = query_code()?;
    // Version 1 of the procedure has no service step: there the notice counts as served when
    // issued, as it did; from version 2 the party's period runs from the recorded service.
    let served_now = x.p.action("serve_notice").is_none();
    x.set(
        tx,
        "notified_on = ?, notified = ?, query_code_hash = ?, notice_served_on = ?,
         notice_service = NULL, statement_waived = 0",
        vals![
            fmt_date(today),
            serde_json::to_string(&proposed).map_err(|e| StoreError::Db(e.to_string()))?,
            code_hash(&c.case_no, &code),
            served_now.then(|| fmt_date(today))
        ],
    )?;
    let due = if served_now {
        let rec = x.start(tx, "statement", today)?;
        format!("（{}前）", rec.due.map(fmt_date_zh).unwrap_or_default())
    } else {
        String::new()
    };
    let bases = item_bases(tx, c, today)?;
    let what = wording::violation(&c.item_name);
    let mut grounds = format!("本机关认为，你（单位）的上述行为构成{what}。");
    if let Some(circ) = c.band.as_ref().and_then(wording::circumstances) {
        grounds.push_str(&circ.replacen("当事人", "你（单位）", 1));
    }
    let mut ps = vec![
        c.party().line(),
        wording::facts_found(c.report.as_deref().unwrap_or_default()),
        grounds,
        format!(
            "依据{}的规定，本机关拟对你（单位）作出如下行政处罚：{}。",
            wording::articles(&bases),
            wording::penalty_words(&proposed)
        ),
        format!(
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、申辩的权利，可以在收到本告知书之日起五个工作日内{due}向本机关提出陈述、申辩。逾期未提出的，视为放弃上述权利。"
        ),
    ];
    if let Some(h) = &c.hearing_right {
        ps.push(format!(
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证（{}），应当在收到本告知书之日起五个工作日内{due}提出。",
            h.trim_end_matches('。')
        ));
    }
    ps.push(format!(
        "你（单位）可以在行政执法公示平台凭案号{}和查询码{code}查询案件进度和已送达的文书。",
        c.case_no
    ));
    let number = issue(tx, c, "pre_decision_notice", ps, today, None)?;
    if served_now {
        serve(tx, &number, today)?;
    }
    x.summary["document"] = json!(number);
    x.summary["proposed"] = json!(proposed.describe());
    Ok(())
}

/// Records how and when the notice reached the party, with the proof: the five working days for
/// statement, defence and a hearing request run from that day (第四十四条、第六十四条第一项).
pub(super) fn serve_notice(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today) = (x.c, x.env.clock.today);
    let served = input
        .date
        .ok_or_else(|| invalid("date", "送达日期", "请填写送达日期"))?;
    if served > today || c.notified_on.is_some_and(|d| served < d) {
        return Err(invalid("date", "送达日期", "应在告知书制作日期和今天之间"));
    }
    let method = service_method(&input.choice)?;
    let proof = need_text(input, "送达凭证（签收人、邮件单号或者电子送达记录）", 2)?;
    let service = format!("{method}；{proof}");
    x.set(
        tx,
        "notice_served_on = ?, notice_service = ?",
        vals![fmt_date(served), &service],
    )?;
    // The notice of the current report: the latest one (an earlier one was superseded when the
    // case was returned).
    let latest = x
        .documents
        .iter()
        .filter(|d| d.kind == "pre_decision_notice")
        .max_by_key(|d| d.id)
        .ok_or(StoreError::NotFound("行政处罚事先告知书"))?;
    serve(tx, &latest.number, served)?;
    let rec = x.start(tx, "statement", served)?;
    x.summary["served_on"] = json!(fmt_date(served));
    x.summary["method"] = json!(service);
    x.summary["due"] = json!(rec.due.map(fmt_date));
    Ok(())
}

pub(super) fn record_statement(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let c = x.c;
    let text = need_text(input, "当事人陈述、申辩的内容", 2)?;
    let waive = input.choice == "waive";
    let all = match &c.statement {
        Some(s) => format!("{s}\n{text}"),
        None => text.clone(),
    };
    x.set(
        tx,
        "statement = ?, statement_waived = ?",
        vals![&all, i64::from(waive || c.statement_waived)],
    )?;
    if waive {
        x.meet(tx, "statement")?;
    }
    x.summary["text"] = json!(text);
    x.summary["waived"] = json!(waive);
    Ok(())
}

pub(super) fn request_hearing(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (today, env, lims) = (x.env.clock.today, x.env, x.limits);
    let rec = lims.iter().find(|l| l.key == "statement");
    if let Some(due) = rec.and_then(|l| l.spec.compute(env.clock.cal).due)
        && today > due
    {
        return Err(refused(
            "case.hearing_request_late",
            format!(
                "当事人应当在告知后五个工作日内（{} 前）提出听证要求，已经逾期。",
                fmt_date(due)
            ),
            "行政处罚法 第六十四条第一项",
        ));
    }
    let text = need_text(input, "听证申请（提出方式和内容）", 2)?;
    x.meet(tx, "statement")?;
    x.summary["text"] = json!(text);
    Ok(())
}
