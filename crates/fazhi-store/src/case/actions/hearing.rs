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
    let host = hearing_host(tx, x, input.user)?;
    let place = need_text(input, "听证地点", 2)?;
    x.set(
        tx,
        "hearing_on = ?, hearing_host_id = ?",
        vals![fmt_date(date), host.0],
    )?;
    let number = issue(
        tx,
        c,
        "hearing_notice",
        vec![
            c.party().line(),
            format!(
                "根据你（单位）的听证申请，依据《中华人民共和国行政处罚法》第六十四条的规定，本机关定于{}在{place}对你（单位）涉嫌{}一案举行听证，由{}主持。",
                fmt_date_zh(date),
                wording::violation(&c.item_name),
                host.1
            ),
            "你（单位）可以亲自参加听证，也可以委托一至二人代理；委托代理人参加听证的，应当提交授权委托书。认为主持人与本案有直接利害关系的，有权申请回避。无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。".into(),
        ],
        today,
        None,
    )?;
    serve(tx, &number, today)?;
    x.summary["hearing_on"] = json!(fmt_date(date));
    x.summary["host"] = json!(host.1);
    x.summary["document"] = json!(number);
    Ok(())
}

/// The host the organ designates (第六十四条第四项: 听证由行政机关指定的非本案调查人员主持): a
/// user of the case's bureau, never one of the case's officers or anyone who registered its
/// evidence. Returns the host's id and name.
fn hearing_host(
    tx: &mut dyn Tx,
    x: &Ctx<'_>,
    host: Option<i64>,
) -> Result<(i64, String), StoreError> {
    let id = host.ok_or_else(|| invalid("user", "听证主持人", "请选择听证主持人"))?;
    let u = crate::org::get_user(tx, id)?;
    let (_, bureau, bureau_path) = bureau_row(tx, &x.c.org_path)?;
    if !u.active || !u.org_path.starts_with(bureau_path.as_str()) {
        return Err(refused(
            "case.host_not_of_organ",
            format!(
                "{}不是{bureau}的工作人员，不能由本机关指定主持听证。",
                u.display_name
            ),
            "行政处罚法 第六十四条第四项",
        ));
    }
    let registered_evidence = tx
        .query_opt(
            "SELECT 1 FROM case_evidence WHERE case_id = ? AND added_by = ?",
            vals![x.c.id, id],
        )?
        .is_some();
    let investigated = registered_evidence
        || crate::case::officers(tx, x.c.id)?
            .iter()
            .any(|o| o.user_id == id);
    if investigated {
        return Err(refused(
            "case.host_investigated",
            format!(
                "{}参与了本案调查（承办本案或者登记了本案证据），不能主持听证：听证由非本案调查人员主持。",
                u.display_name
            ),
            "行政处罚法 第六十四条第四项",
        ));
    }
    Ok((id, u.display_name))
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
    // 第五十七条第二款: the heads of the organ discuss; others attend and are recorded but do
    // not make the quorum, which the organ's own rule sets (the host included).
    let mut heads: Vec<&str> = c
        .collective_views
        .iter()
        .filter(|v| v.head != Some(false))
        .filter(|v| {
            v.user_id
                .map_or(v.name != actor.display_name, |u| u != actor.user_id)
        })
        .map(|v| v.name.as_str())
        .collect();
    heads.sort_unstable();
    heads.dedup();
    let needed = usize::try_from(x.env.rules.collective_quorum.saturating_sub(1)).unwrap_or(0);
    if heads.len() < needed {
        return Err(refused(
            "case.collective_too_few",
            format!(
                "集体讨论由行政机关负责人逐一发表意见后主持人最后表态：本机关规定参加的负责人（含主持人）不少于 {} 人，目前只记录了 {} 名其他负责人的意见；列席人员的意见予以记录，但不计入人数。",
                x.env.rules.collective_quorum,
                heads.len()
            ),
            &fazhi_domain::enforcement::rules::for_users(&x.env.rules.collective_quorum_basis),
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
    // A head of this organ: a leader of the case's own bureau, not of the city above it.
    let (bureau, _) = bureau_of(tx, &x.c.org_path)?;
    let head = x
        .actor
        .grants
        .iter()
        .any(|g| g.role == Role::Leader && g.org_id == bureau);
    let mut views = x.c.collective_views.clone();
    views.push(View {
        name: x.actor.display_name.clone(),
        opinion: text.clone(),
        at_ms: now_ms(),
        concluding,
        head: Some(head),
        user_id: Some(x.actor.user_id),
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
