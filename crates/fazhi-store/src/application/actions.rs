//! The effects of the licensing procedure's actions on an application, one function each, and
//! the one table that ties each action id to its effect.

use super::*;

/// What an action's effect works with.
pub(super) type Ctx<'a> = crate::procedure::Ctx<'a, Application>;

/// The one action the public may take on the portal: the applicant supplies the materials
/// asked for.
pub(super) const PUBLIC_ACTION: &str = "supply_materials";

/// Every action of `procedures/licensing-application.toml` and its effect: the only place
/// action ids of the licensing procedure appear in code.
pub(super) const EFFECTS: &[(&str, crate::procedure::Effect<Application, ActionInput>)] = &[
    ("request_supplement", request_supplement),
    (PUBLIC_ACTION, supply_materials),
    ("accept", accept),
    ("reject", reject),
    ("start_excluded", start_excluded),
    ("end_excluded", end_excluded),
    ("extend", extend),
    ("record_review", record_review),
    ("approve", approve),
    ("deny", deny),
    ("issue_certificate", issue_certificate),
    ("withdraw", withdraw),
];

pub(super) fn request_supplement(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    if input.materials.is_empty() && input.text.trim().is_empty() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "materials",
            "需要补正的材料",
            "请至少选择一项材料或写明需要补正的内容",
        )]));
    }
    let req = json!({ "materials": input.materials, "note": input.text.trim() });
    x.set(tx, "supplement_request = ?", vals![req.to_string()])?;
    x.meet(tx, "acceptance")?;
    x.summary["materials"] = json!(input.materials);
    x.summary["text"] = json!(input.text.trim());
    Ok(())
}

pub(super) fn supply_materials(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let item = power::versions(tx, &x.record.item_code)?
        .into_iter()
        .next_back()
        .map(|v| v.item)
        .ok_or(StoreError::NotFound("事项"))?;
    if input.files.is_empty() && input.text.trim().is_empty() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "files",
            "补正材料",
            "请上传补正的材料",
        )]));
    }
    add_files(tx, x.record.id, &item, &input.files)?;
    // 第三十二条: once everything asked for is in, the application is to be accepted.
    let limit = limit_of(x.p, "acceptance", x.clock.today, None, "补正材料收到之日起")?;
    x.start(tx, "acceptance", limit, x.responsible())?;
    x.summary["materials"] = json!(
        input
            .files
            .iter()
            .map(|f| f.material.clone())
            .collect::<Vec<_>>()
    );
    Ok(())
}

pub(super) fn accept(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &ActionInput,
) -> Result<(), StoreError> {
    let days = x.record.decision_days;
    let mut note = format!("本事项取法定时限和承诺时限中较短者 {days} 个工作日");
    // 第三十二条第一款第四项: not told within five working days what to supplement, the
    // application was accepted on the day the materials were received; the decision period
    // (第四十二条) runs from that day, not from today.
    let by_law = accepted_by_law(x.record, x.limits, x.clock);
    let accepted_on = if by_law {
        note.push_str("；五日内未告知补正，自收到申请材料之日起即为受理（第三十二条第一款第四项）");
        x.summary["text"] = json!(format!(
            "视为受理：五日内未告知补正，自收到申请材料之日（{}）起即为受理（行政许可法第三十二条第一款第四项）",
            fmt_date(x.record.received_on)
        ));
        x.record.received_on
    } else {
        x.clock.today
    };
    x.set(
        tx,
        "accepted_on = ?, accepted_by_law = ?",
        vals![fmt_date(accepted_on), i64::from(by_law)],
    )?;
    x.meet(tx, "acceptance")?;
    let limit = limit_of(x.p, "decision", accepted_on, Some(days), &note)?;
    x.start(tx, "decision", limit, x.responsible())?;
    Ok(())
}

pub(super) fn reject(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "不予受理的理由")?;
    x.set(
        tx,
        "decision = 'reject', decision_text = ?, decided_on = ?",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.meet(tx, "acceptance")?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn start_excluded(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "听证、检验检测或专家评审事项")?;
    x.suspend(
        tx,
        "decision",
        &format!("{text}（行政许可法第四十五条：所需时间不计算在期限内）"),
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn end_excluded(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &ActionInput,
) -> Result<(), StoreError> {
    x.resume(tx, "decision")
}

pub(super) fn extend(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "延长理由")?;
    x.extend(tx, "decision", &text)?;
    x.set(tx, "extended = 1", &[])?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn record_review(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "审查意见")?;
    x.set(tx, "review_opinion = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

/// The decision on an accepted application (行政许可法 第三十四条, 第三十八条).
pub(super) fn approve(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    decide(tx, x, input, true)
}

/// The refusal of an accepted application, with its reasons (行政许可法 第三十八条第二款).
pub(super) fn deny(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    decide(tx, x, input, false)
}

pub(super) fn decide(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
    approve: bool,
) -> Result<(), StoreError> {
    let today = x.clock.today;
    let label = if approve {
        "决定内容"
    } else {
        "不予许可的理由"
    };
    let text = need_text(input, label)?;
    let decision = if approve { "approve" } else { "deny" };
    x.set(
        tx,
        "decision = ?, decision_text = ?, decided_on = ?",
        vals![decision, &text, fmt_date(today)],
    )?;
    x.meet(tx, "decision")?;
    if approve {
        let limit = limit_of(x.p, "certificate", today, None, "")?;
        x.start(tx, "certificate", limit, x.responsible())?;
    }
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn issue_certificate(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let no = fazhi_domain::validate::text("text", "证件编号", &input.text, 2, 100)?;
    x.set(tx, "certificate_no = ?", vals![&no])?;
    x.meet(tx, "certificate")?;
    x.summary["certificate_no"] = json!(no);
    Ok(())
}

pub(super) fn withdraw(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &ActionInput,
) -> Result<(), StoreError> {
    for l in x.limits {
        x.meet(tx, &l.key)?;
    }
    Ok(())
}
