//! The effects of the decision procedure's actions, one function each, and the one table that
//! ties each action id to its effect.

use fazhi_domain::time_limit::{Count, TimeLimit};

use super::*;

/// What an action's effect works with.
pub(super) type Ctx<'a> = crate::procedure::Ctx<'a, MajorDecision>;

type Effect = crate::procedure::Effect<MajorDecision, Given>;

/// Every action of `procedures/major-decision.toml` and its effect: the only place action ids
/// of the decision procedure appear in code.
pub(super) const EFFECTS: &[(&str, Effect)] = &[
    ("open_participation", open_participation),
    ("record_participation", record_participation),
    ("record_expert_argument", record_expert_argument),
    ("record_risk_assessment", record_risk_assessment),
    ("submit_legality_review", submit_legality_review),
    ("record_legality_review", record_legality_review),
    ("return_for_revision", note_only),
    ("submit_to_meeting", note_only),
    ("record_view", record_view),
    ("head_concludes", head_concludes),
    ("decide", decide),
    ("start_implementation", start_implementation),
    ("record_progress", record_progress),
    ("evaluate", evaluate),
    ("archive", archive),
    ("withdraw", withdraw),
];

fn need(g: &Given, label: &str) -> Result<String, StoreError> {
    crate::procedure::need_text(&g.input.text, label)
}

/// Opens the public comment period: its length (calendar days) is chosen on the form and must
/// be at least the local rule's (第十五条: 一般不少于30日).
fn open_participation(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let days: u32 = g
        .input
        .choice
        .as_deref()
        .and_then(|c| c.trim().parse().ok())
        .ok_or_else(|| {
            StoreError::Invalid(vec![fazhi_domain::FieldError::new(
                "choice",
                "征求意见期限",
                "请选择征求意见的天数",
            )])
        })?;
    if days < g.rules.comment_min_days {
        return Err(StoreError::Refused(fazhi_domain::Refusal::by_law(
            "decision.comment_period_short",
            format!(
                "公开征求意见的期限为 {days} 日，少于本机关规定的 {} 日。",
                g.rules.comment_min_days
            ),
            g.rules.comment_basis.clone(),
        )));
    }
    let text = need(g, "征求意见的途径和草案说明")?;
    let today = x.clock.today;
    let spec = TimeLimit::new(today, days, Count::Calendar, &g.rules.comment_basis, None);
    let ends = spec.compute(x.clock.cal).due.unwrap_or(today);
    x.start(
        tx,
        "comment",
        ("公开征求意见期限".to_string(), spec),
        x.responsible(),
    )?;
    x.set(
        tx,
        "participation_opened_on = ?, participation_ends_on = ?, participation_text = ?",
        vals![fmt_date(today), fmt_date(ends), &text],
    )?;
    x.summary["text"] = json!(text);
    x.summary["result"] = json!(format!("征求意见至 {}（{days} 日）", fmt_date(ends)));
    Ok(())
}

fn record_participation(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let text = need(g, "公众意见及采纳情况")?;
    x.set(tx, "participation_result = ?", vals![&text])?;
    x.meet(tx, "comment")?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn record_expert_argument(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let text = need(g, "专家论证意见")?;
    x.set(tx, "expert_opinion = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn record_risk_assessment(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let text = need(g, "风险评估结论")?;
    x.set(tx, "risk_assessment = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// Sends the draft for legality review and starts the reviewer's time (the local rule's
/// working days, 第二十五条至第二十八条). A draft sent again after revision is reviewed anew.
fn submit_legality_review(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let spec = TimeLimit::new(
        x.clock.today,
        g.rules.legality_review_days,
        Count::Working,
        &g.rules.legality_review_basis,
        None,
    );
    x.start(
        tx,
        "legality_review",
        ("合法性审查期限".to_string(), spec),
        None,
    )?;
    x.set(
        tx,
        "legality_opinion = NULL, legality_lawful = NULL, legality_reviewer = NULL",
        &[],
    )?;
    if !g.input.text.trim().is_empty() {
        x.summary["text"] = json!(g.input.text.trim());
    }
    Ok(())
}

/// The review's opinion; an advisor who gives it has it entered in their work ledger.
fn record_legality_review(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let lawful = match g.input.choice.as_deref() {
        Some("lawful") => true,
        Some("unlawful") => false,
        _ => {
            return Err(StoreError::Invalid(vec![fazhi_domain::FieldError::new(
                "choice",
                "审查结论",
                "请选择合法或者不合法",
            )]));
        }
    };
    let text = need(g, "合法性审查意见")?;
    let reviewer = x
        .actor
        .map_or(x.who.name.clone(), |a| a.display_name.clone());
    x.set(
        tx,
        "legality_opinion = ?, legality_lawful = ?, legality_reviewer = ?",
        vals![&text, i64::from(lawful), &reviewer],
    )?;
    x.meet(tx, "legality_review")?;
    if let Some(user_id) = x.responsible() {
        crate::advisor::record_work(
            tx,
            user_id,
            &crate::advisor::NewEntry {
                kind: crate::advisor::EntryKind::DecisionReview,
                subject: format!("{}（{}）", x.record.title, x.record.decision_no),
                subject_ref: Some((SUBJECT.to_string(), x.record.id.0)),
                minutes: 0,
                outcome: format!("{}：{text}", if lawful { "合法" } else { "不合法" }),
                on: x.clock.today,
            },
        )?;
    }
    x.summary["text"] = json!(text);
    x.summary["result"] = json!(if lawful { "合法" } else { "不合法" });
    Ok(())
}

/// An action that only records its note (if any) on the chain.
fn note_only(_tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    if !g.input.text.trim().is_empty() {
        x.summary["text"] = json!(g.input.text.trim());
    }
    Ok(())
}

/// The bureau that decides: the nearest bureau or county bureau above the sponsoring unit.
fn deciding_bureau(tx: &mut dyn Tx, org_path: &str) -> Result<i64, StoreError> {
    tx.query_opt(
        "SELECT id FROM orgs WHERE kind IN ('bureau', 'county_bureau') AND ? LIKE path || '%'
         ORDER BY LENGTH(path) DESC LIMIT 1",
        vals![org_path],
    )?
    .ok_or(StoreError::NotFound("所属机关"))?
    .i64(0)
}

fn add_view(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given, head: bool) -> Result<(), StoreError> {
    let position = position_of(g.input.choice.as_deref())?;
    let text = need(g, "发表的意见")?;
    let Some(actor) = x.actor else {
        return Err(StoreError::NotFound("该决策"));
    };
    // 第三十条: the meeting is the deciding organ's (常务会议或者全体会议); a leader of another
    // bureau (the city's, over a county bureau) is not one of its members.
    let bureau = deciding_bureau(tx, &x.record.org_path)?;
    if !actor
        .grants
        .iter()
        .any(|g| g.role == Role::Leader && g.org_id == bureau)
    {
        return Err(StoreError::Refused(fazhi_domain::Refusal::by_law(
            "decision.not_member",
            "只有决策机关的负责人是集体讨论的会议组成人员。",
            "重大行政决策程序暂行条例 第三十条",
        )));
    }
    let (user_id, name) = (actor.user_id, actor.display_name.clone());
    let mut views = x.record.views.clone();
    views.push(View {
        user_id,
        name,
        position,
        text: text.clone(),
        at_ms: now_ms(),
        head,
    });
    let sql = if head {
        "views = ?, concluded = 1"
    } else {
        "views = ?"
    };
    x.set(tx, sql, vals![views_json(&views)])?;
    x.summary["position"] = json!(position.label_zh());
    x.summary["text"] = json!(text);
    if position == Position::Disagree {
        x.summary["dissent"] = json!(true);
    }
    if head && fazhi_domain::decision::head_departs_from_majority(&views) {
        x.summary["result"] =
            json!("行政首长的意见与会议组成人员多数人的意见不一致，已在会上说明理由");
    }
    Ok(())
}

fn record_view(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    add_view(tx, x, g, false)
}

fn head_concludes(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    add_view(tx, x, g, true)
}

fn decide(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let text = need(g, "决策内容")?;
    x.set(
        tx,
        "decision_text = ?, decided_on = ?",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.summary["text"] = json!(text);
    let dissents = fazhi_domain::decision::dissents(&x.record.views);
    if !dissents.is_empty() {
        x.summary["dissent"] = json!(
            dissents
                .iter()
                .map(|v| format!("{}：{}", v.name, v.text))
                .collect::<Vec<_>>()
                .join("；")
        );
    }
    Ok(())
}

fn start_implementation(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let text = need(g, "执行单位及公布情况")?;
    x.set(tx, "implementing_unit = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn record_progress(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let text = need(g, "执行情况")?;
    let mut progress = x.record.progress.clone();
    progress.push((fmt_date(x.clock.today), text.clone()));
    x.set(tx, "progress = ?", vals![json!(progress).to_string()])?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn evaluate(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let text = need(g, "评估结论")?;
    x.set(tx, "evaluation = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn archive(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    x.set(tx, "archived_on = ?", vals![fmt_date(x.clock.today)])?;
    for l in x.limits {
        x.meet(tx, &l.key)?;
    }
    note_only(tx, x, g)
}

fn withdraw(tx: &mut dyn Tx, x: &mut Ctx<'_>, g: &Given) -> Result<(), StoreError> {
    let text = need(g, "终止理由")?;
    for l in x.limits {
        x.meet(tx, &l.key)?;
    }
    x.summary["text"] = json!(text);
    Ok(())
}
