//! The effects of the disclosure procedure's actions on a request, one function each, and the
//! one table that ties each action id to its effect.

use super::*;

/// What an action's effect works with.
pub(super) type Ctx<'a> = crate::procedure::Ctx<'a, DisclosureRequest>;

/// The one action the public may take on the portal: the requester supplies the
/// clarification asked for.
pub(super) const PUBLIC_ACTION: &str = "supply_clarification";

/// Every action of `procedures/disclosure-request.toml` and its effect: the only place action
/// ids of the disclosure procedure appear in code.
pub(super) const EFFECTS: &[(
    &str,
    crate::procedure::Effect<DisclosureRequest, ActionInput>,
)] = &[
    ("request_clarification", request_clarification),
    (PUBLIC_ACTION, supply_clarification),
    ("consult_third_party", consult_third_party),
    ("record_third_party_opinion", record_third_party_opinion),
    ("extend", extend),
    ("draft_answer", draft_answer),
    ("answer", answer),
    ("withdraw", end_request),
    ("treat_as_abandoned", end_request),
];

pub(super) fn request_clarification(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "需要补正的内容")?;
    x.set(tx, "clarification_request = ?", vals![&text])?;
    x.meet(tx, "clarification")?;
    x.suspend(
        tx,
        "answer",
        "等待申请人补正（第三十条：答复期限自收到补正的申请之日起计算）",
    )?;
    let limit = limit_of(x.p, "requester_clarification", x.clock.today)?;
    x.start(tx, "requester_clarification", limit, None)?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn supply_clarification(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "补正内容")?;
    x.set(tx, "clarification_reply = ?", vals![&text])?;
    x.meet(tx, "requester_clarification")?;
    // 第三十条: the answer period runs from the day the clarified request is received.
    let limit = limit_of(x.p, "answer", x.clock.today)?;
    x.start(tx, "answer", limit, x.responsible())?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn consult_third_party(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "第三方及征求意见事项")?;
    x.suspend(
        tx,
        "answer",
        "征求第三方意见（第三十三条第三款：所需时间不计算在期限内）",
    )?;
    let limit = limit_of(x.p, "third_party", x.clock.today)?;
    x.start(tx, "third_party", limit, x.responsible())?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn record_third_party_opinion(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "第三方意见")?;
    x.meet(tx, "third_party")?;
    x.resume(tx, "answer")?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn extend(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "延长理由")?;
    // 第三十三条第二款: at most 20 working days more. During a consultation the answer clock
    // stays stopped (第三十三条第三款); the days are added to what is counted once it runs again.
    x.extend(tx, "answer", &text)?;
    x.set(tx, "extended = 1", &[])?;
    if x.record.stage == CONSULTING && x.to != CONSULTING {
        // A version whose `extend` leads out of the consultation (version 1 sent the request
        // back to `received`) ends the consultation here: no opinion can be recorded after it,
        // so the third party's period is closed and the answer clock runs again.
        x.meet(tx, "third_party")?;
        x.resume(tx, "answer")?;
    }
    x.summary["text"] = json!(text);
    Ok(())
}

/// The stage in which a third party is consulted and the answer clock is stopped.
const CONSULTING: &str = "consulting_third_party";

pub(super) fn draft_answer(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let kind = input
        .answer_kind
        .as_deref()
        .and_then(AnswerKind::parse)
        .ok_or_else(|| {
            StoreError::Invalid(vec![FieldError::new("answer_kind", "答复类型", "请选择")])
        })?;
    let text = need_text(input, "答复内容")?;
    x.set(
        tx,
        "answer_kind = ?, answer_text = ?",
        vals![kind.as_str(), &text],
    )?;
    x.summary["answer_kind"] = json!(kind.label_zh());
    Ok(())
}

pub(super) fn answer(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &ActionInput,
) -> Result<(), StoreError> {
    x.set(tx, "answered_on = ?", vals![fmt_date(x.clock.today)])?;
    for key in ["answer", "clarification"] {
        x.meet(tx, key)?;
    }
    x.summary["answer_kind"] = json!(
        x.record
            .answer_kind
            .as_deref()
            .and_then(AnswerKind::parse)
            .map(AnswerKind::label_zh)
    );
    // What is issued to the requester, on the chain and in the preview before it is signed.
    if let Some(t) = &x.record.answer_text {
        x.summary["text"] = json!(t);
    }
    Ok(())
}

/// Withdrawn, or abandoned by the requester: every open limit is met.
pub(super) fn end_request(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    for l in x.limits {
        x.meet(tx, &l.key)?;
    }
    if !input.text.trim().is_empty() {
        x.summary["text"] = json!(input.text.trim());
    }
    Ok(())
}
