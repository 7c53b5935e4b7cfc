//! The effects of the litigation procedure's actions, one function each, and the one table that
//! ties each action id to its effect.

use super::*;

/// What an action's effect works with.
pub(super) type Ctx<'a> = crate::procedure::Ctx<'a, Litigation>;

type Effect = crate::procedure::Effect<Litigation, ActionInput>;

/// Every action of `procedures/litigation-defendant.toml` and its effect: the only place its
/// action ids appear in code.
pub(super) const EFFECTS: &[(&str, Effect)] = &[
    ("record_evidence", record_evidence),
    ("submit_defence", submit_defence),
    ("record_hearing", record_hearing),
    ("receive_judgment", receive_judgment),
    ("decide_appeal", decide_appeal),
    ("perform", perform),
    ("fault_review", fault_review),
    ("archive", archive),
];

fn need(i: &ActionInput, label: &str) -> Result<String, StoreError> {
    crate::procedure::need_text(&i.text, label)
}

fn invalid(field: &'static str, label: &'static str, message: &'static str) -> StoreError {
    StoreError::Invalid(vec![fazhi_domain::FieldError::new(field, label, message)])
}

fn record_evidence(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = crate::reconsideration::evidence_list(&i.text)?;
    x.set(tx, "evidence = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// The evidence, basis and defence submitted (第六十七条), which meets the defence limit.
fn submit_defence(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = need(i, "答辩要点")?;
    x.set(
        tx,
        "defence_text = ?, defended_on = ?",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.meet(tx, "defence")?;
    x.summary["text"] = json!(text);
    x.summary["evidence"] = json!(x.record.evidence_items());
    Ok(())
}

/// One hearing: whether the head appeared, and who did (第三条第三款).
fn record_hearing(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let head_appeared = match i.choice.as_deref() {
        Some("head") => true,
        Some("delegate") => false,
        _ => {
            return Err(invalid(
                "choice",
                "出庭情况",
                "请选择负责人出庭或者委托工作人员出庭",
            ));
        }
    };
    let who = need(i, "出庭人员及职务")?;
    let mut hearings = x.record.hearings.clone();
    hearings.push(Hearing {
        on: fmt_date(x.clock.today),
        head_appeared,
        who: who.clone(),
    });
    x.set(tx, "hearings = ?", vals![json!(hearings).to_string()])?;
    x.summary["head_appeared"] = json!(head_appeared);
    x.summary["text"] = json!(who);
    Ok(())
}

/// A judgment or ruling served today starts its appeal period (第八十五条: 15 days for a
/// judgment, 10 for a ruling).
fn receive_judgment(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let kind = i
        .choice
        .as_deref()
        .and_then(Judgment::parse)
        .ok_or_else(|| invalid("choice", "裁判结果", "请选择裁判结果"))?;
    let text = need(i, "裁判文书文号及要点")?;
    let today = x.clock.today;
    let mut judgments = x.record.judgments.clone();
    judgments.push(Received {
        kind: kind.as_str().to_string(),
        on: fmt_date(today),
        text: text.clone(),
    });
    x.set(
        tx,
        "judgments = ?, last_judgment = ?, appealed = 0",
        vals![json!(judgments).to_string(), kind.as_str()],
    )?;
    let key = kind.appeal_limit();
    let limit = crate::procedure::limit_of(x.p, key, today)?;
    x.start(tx, key, limit, x.record.handler_id)?;
    x.summary["judgment"] = json!(kind.label_zh());
    x.summary["text"] = json!(text);
    if kind.lost() {
        x.summary["lost"] = json!(true);
    }
    Ok(())
}

/// The leader's decision on appeal within the period, which meets the appeal limit.
fn decide_appeal(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let appeal = match i.choice.as_deref() {
        Some("appeal") => true,
        Some("accept") => false,
        _ => {
            return Err(invalid("choice", "是否上诉", "请选择提起上诉或者不上诉"));
        }
    };
    let text = need(i, "理由")?;
    let decision = format!(
        "{}：{}{text}",
        fmt_date(x.clock.today),
        if appeal {
            "提起上诉。"
        } else {
            "不上诉。"
        }
    );
    let all = match &x.record.appeal_text {
        Some(t) => format!("{t}\n{decision}"),
        None => decision,
    };
    x.set(
        tx,
        "appealed = ?, appeal_text = ?",
        vals![i64::from(appeal), &all],
    )?;
    for key in ["appeal_judgment", "appeal_ruling"] {
        if x.limits.iter().any(|l| l.key == key) {
            x.meet(tx, key)?;
        }
    }
    x.summary["appeal"] = json!(appeal);
    x.summary["text"] = json!(text);
    Ok(())
}

fn perform(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = need(i, "履行情况")?;
    x.set(tx, "performed_text = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// The fault review of a lost case: the findings, naming the acts and people concerned.
fn fault_review(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = need(i, "过错审查结论（所涉行政行为、原因、责任）")?;
    x.set(tx, "fault_review = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    if let Some(no) = &x.record.case_no {
        x.summary["case_no"] = json!(no);
    }
    Ok(())
}

fn archive(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    x.set(tx, "archived_on = ?", vals![fmt_date(x.clock.today)])?;
    if !i.text.trim().is_empty() {
        x.summary["text"] = json!(i.text.trim());
    }
    Ok(())
}
