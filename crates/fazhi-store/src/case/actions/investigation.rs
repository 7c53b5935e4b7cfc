//! Opening and investigation: opening approved or refused, officers, evidence and its preservation,
//! the investigation report, legal review (行政处罚法 第五十四条 to 第五十八条).

use super::*;

pub(super) fn approve_opening(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let today = x.env.clock.today;
    x.set(tx, "opened_on = ?", vals![fmt_date(today)])?;
    x.start(tx, "decision", today)?;
    // The opinion was required and checked on the shared path (`opinion = true`).
    sign_form(
        tx,
        x.c,
        "opening_approval",
        FormRow {
            label: OPENING_OPINION.into(),
            value: format!("同意立案。{}", enforcement::decision::end(&input.opinion)),
            signed: signed(&x.actor.display_name, today),
        },
    )?;
    Ok(())
}

pub(super) fn refuse_opening(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let today = x.env.clock.today;
    let text = need_text(input, "不予立案的理由", 5)?;
    x.set(
        tx,
        "decision_text = ?, closed_on = ?",
        vals![&text, fmt_date(today)],
    )?;
    sign_form(
        tx,
        x.c,
        "opening_approval",
        FormRow {
            label: OPENING_OPINION.into(),
            value: format!("不予立案。理由：{}", enforcement::decision::end(&text)),
            signed: signed(&x.actor.display_name, today),
        },
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn assign_officers(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, id, today) = (x.c, x.c.id, x.env.clock.today);
    if input.officers.is_empty() {
        return Err(invalid("officers", "承办人员", "请至少选择一名执法人员"));
    }
    let mut names = Vec::new();
    for uid in &input.officers {
        let u = crate::org::get_user(tx, *uid)?;
        let holder = crate::org::load_actor(tx, *uid)?.ok_or(StoreError::NotFound("该人员"))?;
        if !holder.roles_over(&c.org_path).contains(&Role::Officer) {
            return Err(refused(
                "case.not_an_officer",
                format!("{}不是本单位的执法人员，不能承办本案。", u.display_name),
                "行政处罚法 第四十二条",
            ));
        }
        let certs = crate::certificate::of_holder(tx, *uid)?;
        let cert = enforcement::certificate::check_assignable(
            &u.display_name,
            &certs,
            &c.org_path,
            today,
        )?;
        tx.exec(
            "INSERT INTO case_officers (case_id, user_id, certificate_no, assigned_at)
             VALUES (?, ?, ?, ?) ON CONFLICT (case_id, user_id) DO NOTHING",
            vals![id, *uid, &cert.number, now_ms()],
        )?;
        names.push(format!("{}（执法证 {}）", u.display_name, cert.number));
    }
    x.summary["officers"] = json!(names);
    Ok(())
}

pub(super) fn add_evidence(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (id, today, actor) = (x.c.id, x.env.clock.today, x.actor);
    let Some(e) = &input.evidence else {
        return Err(invalid("file", "证据文件", "请选择证据文件"));
    };
    let kind = evidence_kind_label(&e.kind).ok_or_else(|| {
        invalid(
            "kind",
            "证据种类",
            "请选择行政处罚法第四十六条规定的证据种类",
        )
    })?;
    let t = validate::text("title", "证据名称", &e.title, 2, 200)?;
    let collected = e.collected_on.unwrap_or(today);
    if collected > today {
        return Err(invalid("date", "取证日期", "不能晚于今天"));
    }
    tx.exec(
        "INSERT INTO case_evidence (case_id, kind, title, file_name, content_type, size, sha256,
            collected_on, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vals![
            id,
            &e.kind,
            &t,
            &e.file_name,
            &e.content_type,
            e.size,
            &e.sha256,
            fmt_date(collected),
            actor.user_id,
            now_ms()
        ],
    )?;
    x.summary["evidence"] = json!(format!(
        "{kind}：{t}（{}，SHA-256 {}）",
        e.file_name, e.sha256
    ));
    Ok(())
}

pub(super) fn preserve_evidence(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today) = (x.c, x.env.clock.today);
    if input.evidence_ids.is_empty() {
        return Err(invalid(
            "evidence",
            "先行登记保存的证据",
            "请选择要先行登记保存的证据",
        ));
    }
    let all = x.evidence;
    let mut titles = Vec::new();
    for eid in &input.evidence_ids {
        let e = all
            .iter()
            .find(|e| e.id == *eid)
            .ok_or(StoreError::NotFound("该证据"))?;
        tx.exec(
            "UPDATE case_evidence SET preserved = 1 WHERE id = ?",
            vals![*eid],
        )?;
        titles.push(e.title.clone());
    }
    let rec = x.start(tx, "preservation", today)?;
    issue(
        tx,
        c,
        "preservation_notice",
        vec![
            c.party().line(),
            format!(
                "因你（单位）涉嫌{}一案的证据可能灭失或者以后难以取得，经本机关负责人批准，依据《中华人民共和国行政处罚法》第五十六条的规定，对下列证据先行登记保存：{}。",
                wording::violation(&c.item_name),
                titles.join("、")
            ),
            format!(
                "本机关将在七个工作日内（{}前）作出处理决定。在此期间，当事人或者有关人员不得损毁、销毁或者转移证据。",
                rec.due.map(fmt_date_zh).unwrap_or_default()
            ),
        ],
        today,
        None,
    )?;
    x.summary["evidence"] = json!(titles);
    Ok(())
}

pub(super) fn decide_preservation(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let id = x.c.id;
    let text = need_text(input, "处理决定（解除保存、没收、移送等）", 2)?;
    tx.exec(
        "UPDATE case_evidence SET preservation_decision = ? WHERE case_id = ? AND preserved = 1
           AND preservation_decision IS NULL",
        vals![&text, id],
    )?;
    x.meet(tx, "preservation")?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn submit_report(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let (c, today, env) = (x.c, x.env.clock.today, x.env);
    let report = need_text(input, "调查终结报告（违法事实、证据、处罚依据和理由）", 10)?;
    x.resume_if_suspended(tx)?;
    let penalty = penalty_of(input)?;
    // The benchmark in force on the day the case was opened, kept with the case (art. 34).
    let on = c.opened_on.unwrap_or(today);
    let bench = crate::discretion::in_force(tx, on)?
        .into_iter()
        .find(|b| b.benchmark.power_code == c.item_code);
    let (band, outside) = match &bench {
        Some(b) => {
            let grade = input
                .grade
                .ok_or_else(|| invalid("grade", "违法情节", "请选择违法情节等级"))?;
            let band = b.benchmark.band(grade, &input.factors)?;
            // 第三十八条: a type the grade does not provide has no basis; reasons cannot cure it.
            enforcement::discretion::check_types(&band, &penalty)?;
            let outside = check_fine(&band, penalty.fine, &input.band_reasons)?;
            (Some(band), outside)
        }
        None => (None, false),
    };
    let no_penalty = penalty == Penalty::default();
    let hearing = if no_penalty {
        None
    } else {
        env.rules.hearing_right(c.party_kind, &penalty)
    };
    let reasons = if no_penalty {
        Vec::new()
    } else {
        env.rules.review_reasons(
            c.party_kind,
            &penalty,
            (outside, c.hearing_record.is_some()),
            &input.marks,
        )
    };
    let collective = if no_penalty {
        None
    } else {
        env.rules
            .collective_reason(c.party_kind, &penalty, &input.marks)
    };
    x.set(
        tx,
        "report = ?, proposed = ?, band = ?, outside_band_reasons = ?, review_reasons = ?,
         review_passed = 0, review_failed = 0, review_opinion = NULL, hearing_right = ?,
         collective_reason = ?,
         benchmark_code = ?, benchmark_version = ?",
        vals![
            &report,
            serde_json::to_string(&penalty).map_err(|e| StoreError::Db(e.to_string()))?,
            band.as_ref().map(|b| json!(b).to_string()),
            outside.then(|| input.band_reasons.trim().to_string()),
            json!(reasons).to_string(),
            hearing.clone(),
            collective.clone(),
            bench.as_ref().map(|b| b.benchmark.code.clone()),
            bench.as_ref().map(|b| b.version)
        ],
    )?;
    x.summary["text"] = json!(report);
    x.summary["proposed"] = json!(penalty.describe());
    x.summary["band"] = json!(band.map(|b| b.trace));
    x.summary["review_reasons"] = json!(reasons);
    x.summary["hearing_right"] = json!(hearing);
    x.summary["collective_reason"] = json!(collective);
    if !input.marks.is_empty() {
        x.summary["marks"] = json!(input.marks.iter().map(|m| m.label_zh()).collect::<Vec<_>>());
    }
    Ok(())
}

/// Back to investigation, also after the notice (a failed review, 第五十八条): the party's
/// period of the notice ends, and a corrected report is notified again.
pub(super) fn return_to_investigation(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "退回补充调查的理由", 5)?;
    x.meet(tx, "statement")?;
    // The corrected report is notified, heard and discussed afresh: the old notice's service,
    // hearing arrangement and collective conclusion do not carry over (第四十四条、第五十七条、
    // 第六十四条). What was recorded stays on the audit chain; the hearing record stays too, so
    // that the review the hearing requires is not lost (第五十八条第一款第二项).
    x.set(
        tx,
        "notice_served_on = NULL, notice_service = NULL, statement_waived = 0, hearing_on = NULL,
         hearing_host_id = NULL, collective_views = NULL, collective_concluded = 0",
        &[],
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

pub(super) fn record_legal_review(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &CaseInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "法制审核意见", 5)?;
    let passed = match input.choice.as_str() {
        "pass" => true,
        "fail" => false,
        _ => return Err(invalid("choice", "审核结论", "请选择“通过”或“不通过”")),
    };
    // 第五十八条: a failed review binds until the report is corrected and resubmitted.
    x.set(
        tx,
        "review_passed = ?, review_failed = ?, review_opinion = ?",
        vals![i64::from(passed), i64::from(!passed), &text],
    )?;
    x.summary["text"] = json!(text);
    x.summary["result"] = json!(if passed { "通过" } else { "不通过" });
    Ok(())
}
