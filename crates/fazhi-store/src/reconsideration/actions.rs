//! The effects of the reconsideration procedure's actions, one function each, and the one table
//! that ties each action id to its effect.

use super::*;

/// What an action's effect works with.
pub(super) type Ctx<'a> = crate::procedure::Ctx<'a, Reconsideration>;

type Effect = crate::procedure::Effect<Reconsideration, ActionInput>;

/// Every action of `procedures/reconsideration-respondent.toml` and its effect: the only place
/// its action ids appear in code.
pub(super) const EFFECTS: &[(&str, Effect)] = &[
    ("record_evidence", record_evidence),
    ("submit_answer", submit_answer),
    ("record_session", record_session),
    ("receive_decision", receive_decision),
    ("perform", perform),
    ("receive_opinion", receive_opinion),
    ("answer_opinion", answer_opinion),
    ("archive", archive),
];

fn need(i: &ActionInput, label: &str) -> Result<String, StoreError> {
    crate::procedure::need_text(&i.text, label)
}

/// The evidence list, one item a line; a later list replaces the earlier one.
fn record_evidence(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = crate::reconsideration::evidence_list(&i.text)?;
    x.set(tx, "evidence = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// The written answer (第四十八条), which meets the answer limit.
fn submit_answer(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = need(i, "书面答复要点")?;
    x.set(
        tx,
        "answer_text = ?, answered_on = ?",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.meet(tx, "answer")?;
    x.summary["text"] = json!(text);
    x.summary["evidence"] = json!(x.record.evidence_items());
    Ok(())
}

fn record_session(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let kind = i
        .choice
        .as_deref()
        .filter(|k| {
            fazhi_domain::reconsideration::SESSIONS
                .iter()
                .any(|(s, _)| s == k)
        })
        .ok_or_else(|| {
            StoreError::Invalid(vec![fazhi_domain::FieldError::new(
                "choice",
                "方式",
                "请选择听取意见、听证或调解",
            )])
        })?;
    let text = need(i, "情况")?;
    let mut sessions = x.record.sessions.clone();
    sessions.push(Session {
        kind: kind.to_string(),
        on: fmt_date(x.clock.today),
        text: text.clone(),
    });
    x.set(tx, "sessions = ?", vals![json!(sessions).to_string()])?;
    x.summary["kind"] = json!(fazhi_domain::reconsideration::session_label(kind));
    x.summary["text"] = json!(text);
    Ok(())
}

/// The decision received. One that revokes, changes or voids a penalty decision withdraws the
/// case's published decision from the portal at once, with the reason (行政处罚法 第四十八条第二款:
/// within three working days).
fn receive_decision(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let outcome = i
        .choice
        .as_deref()
        .and_then(Outcome::parse)
        .ok_or_else(|| {
            StoreError::Invalid(vec![fazhi_domain::FieldError::new(
                "choice",
                "复议决定",
                "请选择复议决定的种类",
            )])
        })?;
    let text = need(i, "复议决定书文号及要点")?;
    x.set(
        tx,
        "outcome = ?, decision_text = ?, decided_on = ?",
        vals![outcome.as_str(), &text, fmt_date(x.clock.today)],
    )?;
    x.summary["outcome"] = json!(outcome.label_zh());
    x.summary["text"] = json!(text);
    if outcome.lost() {
        x.summary["lost"] = json!(true);
    }
    if outcome.unsettles_penalty()
        && let Some(case_no) = x.record.case_no.clone()
    {
        let reason = format!(
            "{}作出行政复议决定（{}）：{}。依照《中华人民共和国行政处罚法》第四十八条第二款撤回公示。",
            x.record.deciding_body,
            outcome.label_zh(),
            text
        );
        let published = tx
            .query_opt(
                "SELECT 1 FROM publications WHERE kind = ? AND ref = ? AND withdrawn_at IS NULL",
                vals![crate::case::KIND_DECISION, &case_no],
            )?
            .is_some();
        if published {
            crate::publication::withdraw(tx, crate::case::KIND_DECISION, &case_no, &reason)?;
            x.summary["withdrawn"] = json!(reason);
        }
    }
    Ok(())
}

/// Carried out, with its receipt (第七十七条).
fn perform(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = need(i, "履行情况及回执")?;
    x.set(
        tx,
        "performed_text = ?, performed_on = ?",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// The opinion received starts the 60 days of 第七十六条.
fn receive_opinion(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = need(i, "意见书文号及要点")?;
    let today = x.clock.today;
    let limit = crate::procedure::limit_of(x.p, "opinion", today)?;
    x.start(tx, "opinion", limit, x.record.handler_id)?;
    x.set(
        tx,
        "opinion_text = ?, opinion_received_on = ?",
        vals![&text, fmt_date(today)],
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn answer_opinion(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    let text = need(i, "纠正情况")?;
    x.set(
        tx,
        "opinion_reply = ?, opinion_answered_on = ?",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.meet(tx, "opinion")?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn archive(tx: &mut dyn Tx, x: &mut Ctx<'_>, i: &ActionInput) -> Result<(), StoreError> {
    x.set(tx, "archived_on = ?", vals![fmt_date(x.clock.today)])?;
    if !i.text.trim().is_empty() {
        x.summary["text"] = json!(i.text.trim());
    }
    Ok(())
}
