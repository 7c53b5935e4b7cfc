//! The effects of the normative document procedure's actions, one function each, and the one
//! table that ties each action id to its effect.

use fazhi_domain::normative::{FairConclusion, Standard, parse_articles};

use super::*;
use crate::procedure::limit_of;

/// What an action's effect works with.
pub(super) type Ctx<'a> = crate::procedure::Ctx<'a, NormativeDoc>;

/// Every action of `procedures/normative-document.toml` and its effect: the only place its
/// action ids appear in code.
pub(super) const EFFECTS: &[(&str, crate::procedure::Effect<NormativeDoc, ActionInput>)] = &[
    ("save_draft", save_draft),
    ("comment_draft", comment_draft),
    ("write_interpretation", write_interpretation),
    ("submit_fair_review", submit_fair_review),
    ("hear_stakeholders", hear_stakeholders),
    ("record_fair_review", record_fair_review),
    ("open_comment", open_comment),
    ("publish_feedback", publish_feedback),
    ("close_comment", close_comment),
    ("submit_legality_review", submit_legality_review),
    ("pass_legality_review", pass_legality_review),
    ("return_legality_review", return_legality_review),
    ("approve_in_discussion", approve_in_discussion),
    ("return_in_discussion", return_in_discussion),
    ("assign_number", assign_number),
    ("publish", publish),
    ("file_record", file_record),
    ("amend", amend),
    ("declare_partly_invalid", declare_partly_invalid),
    ("repeal", repeal),
    ("declare_expired", declare_expired),
    ("withdraw", withdraw),
];

fn need_text(input: &ActionInput, label: &str) -> Result<String, StoreError> {
    crate::procedure::need_text(&input.text, label)
}

/// The form's date, required, as `YYYY-MM-DD`.
fn need_date(input: &ActionInput, label: &str) -> Result<time::Date, StoreError> {
    let d = input.date.as_deref().map_or("", str::trim);
    if d.is_empty() {
        return Err(invalid("date", label, "不能为空"));
    }
    fazhi_domain::calendar::parse_date(d)
        .ok_or_else(|| invalid("date", label, "格式应为 2026-12-01"))
}

fn save_draft(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let body = input.text.trim();
    if body.chars().count() < 20 {
        return Err(invalid("text", "文件正文", "不能少于 20 个字"));
    }
    if body.chars().count() > 100_000 {
        return Err(invalid("text", "文件正文", "不能超过 100000 个字"));
    }
    let articles = parse_articles(body);
    if !articles.iter().any(|a| a.eid.starts_with("art_")) {
        return Err(invalid(
            "text",
            "文件正文",
            "没有条文：每一条另起一行，以「第一条」「第二条」……开头",
        ));
    }
    let no = x.record.draft_version + 1;
    let note = input
        .choice
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| format!("第 {no} 稿"));
    tx.exec(
        "INSERT INTO normative_versions (doc_id, version_no, body, note, author_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        vals![x.record.id, no, body, &note, &x.who.name, now_ms()],
    )?;
    x.set(tx, "draft_version = ?", vals![no])?;
    x.summary["version_no"] = json!(no);
    x.summary["articles"] = json!(
        articles
            .iter()
            .filter(|a| a.eid.starts_with("art_"))
            .count()
    );
    Ok(())
}

fn comment_draft(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let text = need_text(input, "意见")?;
    let article = input.choice.clone().unwrap_or_else(|| "whole".into());
    let body = current_body(tx, x.record.id)?;
    check_article(&body, &article)?;
    tx.exec(
        "INSERT INTO normative_comments (doc_id, version_no, article, source, author_name, body, created_at)
         VALUES (?, ?, ?, 'internal', ?, ?, ?)",
        vals![x.record.id, x.record.draft_version, &article, &x.who.name, &text, now_ms()],
    )?;
    x.summary["article"] = json!(article_label(&body, &article));
    x.summary["text"] = json!(text);
    Ok(())
}

fn write_interpretation(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = input.text.trim();
    if text.chars().count() < 50 {
        return Err(invalid(
            "text",
            "政策解读",
            "不能少于 50 个字（写明制定背景、主要内容、适用对象和施行日期）",
        ));
    }
    x.set(tx, "interpretation = ?", vals![text])?;
    x.summary["length"] = json!(text.chars().count());
    Ok(())
}

fn submit_fair_review(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &ActionInput,
) -> Result<(), StoreError> {
    // A new review: what an earlier one heard and concluded is kept on the chain only.
    x.set(
        tx,
        "stakeholders_heard = NULL, fair_review = NULL, fair_review_passed = NULL",
        &[],
    )?;
    x.summary["version_no"] = json!(x.record.draft_version);
    Ok(())
}

fn hear_stakeholders(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "听取意见的对象、方式和意见")?;
    x.set(tx, "stakeholders_heard = ?", vals![&text])?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn record_fair_review(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let conclusion = input
        .choice
        .as_deref()
        .and_then(FairConclusion::parse)
        .ok_or_else(|| invalid("choice", "审查结论", "请选择"))?;
    let mut standards = Vec::new();
    for p in &input.picks {
        standards.push(
            Standard::parse(p)
                .ok_or_else(|| invalid("pick", "涉及的审查标准", "不是审查标准之一"))?,
        );
    }
    let reasons = need_text(input, "审查意见及理由")?;
    match conclusion {
        FairConclusion::Passes if !standards.is_empty() => {
            return Err(invalid(
                "pick",
                "涉及的审查标准",
                "已勾选违反的审查标准，结论不能是「符合」；适用例外的，请选择第十二条例外情形",
            ));
        }
        FairConclusion::Exception | FairConclusion::Fails if standards.is_empty() => {
            return Err(invalid(
                "pick",
                "涉及的审查标准",
                "请勾选涉及的审查标准（第八条至第十一条）",
            ));
        }
        FairConclusion::Exception if !reasons.contains("第十二条") => {
            return Err(invalid(
                "text",
                "审查意见及理由",
                "适用例外情形的，应当写明符合第十二条的哪一项情形，并说明对竞争影响最小、实施期限等",
            ));
        }
        _ => {}
    }
    let labels: Vec<&str> = standards.iter().map(|s| s.label_zh()).collect();
    let review = json!({
        "conclusion": conclusion.as_str(),
        "conclusion_label": conclusion.label_zh(),
        "standards": labels,
        "reasons": reasons,
        "opinion": input.opinion.trim(),
        "by": x.who.name,
        "on": fmt_date(x.clock.today),
        "version_no": x.record.draft_version,
    });
    x.set(
        tx,
        "fair_review = ?, fair_review_passed = ?",
        vals![review.to_string(), i64::from(conclusion.passes())],
    )?;
    x.summary["conclusion"] = json!(conclusion.label_zh());
    x.summary["standards"] = json!(labels);
    x.summary["text"] = json!(reasons);
    Ok(())
}

fn open_comment(tx: &mut dyn Tx, x: &mut Ctx<'_>, _input: &ActionInput) -> Result<(), StoreError> {
    // 优化营商环境条例 第六十二条: 30 days where the document closely concerns market entities.
    let key = if x.record.closely_market {
        "comment_market"
    } else {
        "comment"
    };
    let limit = limit_of(x.p, key, x.clock.today)?;
    x.start(tx, key, limit, x.responsible())?;
    x.set(
        tx,
        "comment_opened_on = ?, comment_version = ?",
        vals![fmt_date(x.clock.today), x.record.draft_version],
    )?;
    x.summary["version_no"] = json!(x.record.draft_version);
    Ok(())
}

fn publish_feedback(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &ActionInput,
) -> Result<(), StoreError> {
    x.set(tx, "feedback_published = 1", &[])?;
    let cs = comments(tx, x.record.id)?;
    let public: Vec<&Comment> = cs.iter().filter(|c| c.source == "public").collect();
    x.summary["received"] = json!(public.len());
    x.summary["adopted"] = json!(public.iter().filter(|c| c.adopted == Some(true)).count());
    Ok(())
}

fn close_comment(tx: &mut dyn Tx, x: &mut Ctx<'_>, _input: &ActionInput) -> Result<(), StoreError> {
    for key in ["comment", "comment_market"] {
        if x.limits.iter().any(|l| l.key == key) {
            x.meet(tx, key)?;
        }
    }
    x.set(tx, "comment_closed_on = ?", vals![fmt_date(x.clock.today)])?;
    Ok(())
}

fn submit_legality_review(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    _input: &ActionInput,
) -> Result<(), StoreError> {
    // 国办发〔2018〕115号: at least 5 working days, at most 15 (data in the procedure file).
    let key = if x.record.complex {
        "legality_review_complex"
    } else {
        "legality_review"
    };
    let limit = limit_of(x.p, key, x.clock.today)?;
    x.start(tx, key, limit, None)?;
    x.set(
        tx,
        "legality_opinion = NULL, legality_passed = NULL, legality_reviewer = NULL, legality_reviewed_on = NULL",
        &[],
    )?;
    x.summary["version_no"] = json!(x.record.draft_version);
    Ok(())
}

fn legality(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
    passed: bool,
) -> Result<(), StoreError> {
    let text = input.text.trim();
    if text.chars().count() < 20 {
        return Err(invalid(
            "text",
            "合法性审核意见",
            "不能少于 20 个字（写明审核的依据、制定主体和权限、程序、内容是否合法及修改意见）",
        ));
    }
    for key in ["legality_review", "legality_review_complex"] {
        if x.limits.iter().any(|l| l.key == key) {
            x.meet(tx, key)?;
        }
    }
    x.set(
        tx,
        "legality_opinion = ?, legality_passed = ?, legality_reviewer = ?, legality_reviewed_on = ?",
        vals![text, i64::from(passed), &x.who.name, fmt_date(x.clock.today)],
    )?;
    x.summary["passed"] = json!(passed);
    x.summary["text"] = json!(text);
    // An advisor's review goes into their work ledger (a staff reviewer has none).
    if let Some(a) = x
        .actor
        .filter(|a| !fazhi_domain::policy::handles_matters(a))
    {
        crate::advisor::record_work(
            tx,
            a.user_id,
            &crate::advisor::NewEntry {
                kind: crate::advisor::EntryKind::DocumentReview,
                subject: format!("《{}》合法性审核", x.record.title),
                subject_ref: Some((SUBJECT.to_string(), x.record.id)),
                minutes: 0,
                outcome: if passed {
                    "合法".into()
                } else {
                    "不合法，退回修改".into()
                },
                on: x.clock.today,
            },
        )?;
    }
    Ok(())
}

fn pass_legality_review(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    legality(tx, x, input, true)
}

fn return_legality_review(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    legality(tx, x, input, false)
}

fn approve_in_discussion(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "会议名称、时间和审议结论")?;
    x.set(
        tx,
        "discussion = ?, discussed_on = ?",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn return_in_discussion(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    let text = need_text(input, "会议名称及退回修改意见")?;
    // Discussed again after it is revised and reviewed again.
    x.set(
        tx,
        "discussion = ?, discussed_on = ?, legality_passed = NULL",
        vals![&text, fmt_date(x.clock.today)],
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn assign_number(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let rules = input
        .rules
        .as_ref()
        .ok_or_else(|| StoreError::Db("normative rules not given".into()))?;
    let (bureau_id, bureau, _) = crate::numbering::bureau_of_path(tx, &x.record.org_path)?;
    let word = rules.word(&bureau);
    let year = x.clock.today.year();
    let seq = crate::numbering::next_number(tx, bureau_id, &word, year)?;
    let number = fazhi_domain::normative::number(&word, year, seq);
    tx.exec(
        "INSERT INTO normative_numbers (bureau_id, word, year, seq, doc_id, number, assigned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        vals![
            bureau_id,
            &word,
            i64::from(year),
            seq,
            x.record.id,
            &number,
            now_ms()
        ],
    )?;
    x.set(
        tx,
        "number = ?, number_year = ?, number_seq = ?",
        vals![&number, i64::from(year), seq],
    )?;
    x.summary["number"] = json!(number);
    Ok(())
}

fn publish(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let rules = input
        .rules
        .as_ref()
        .ok_or_else(|| StoreError::Db("normative rules not given".into()))?;
    let effective = need_date(input, "施行日期")?;
    if effective < x.clock.today {
        return Err(invalid(
            "date",
            "施行日期",
            "不能早于发布日期：未经公开发布的规范性文件不得作为行政管理依据（国办发〔2018〕37号）",
        ));
    }
    let years = rules.validity_years(x.record.doc_kind());
    let until = validity::valid_until(effective, years);
    x.set(
        tx,
        "published_on = ?, effective_from = ?, valid_until = ?",
        vals![
            fmt_date(x.clock.today),
            fmt_date(effective),
            fmt_date(until)
        ],
    )?;
    let limit = limit_of(x.p, "filing", x.clock.today)?;
    x.start(tx, "filing", limit, None)?;
    // The validity period as a limit of its own: 我的工作 shows it and the sweep reminds the
    // drafting unit before it lapses (renew, amend or let it expire).
    let days = u32::try_from((until - effective).whole_days() + 1).unwrap_or(0);
    x.start(
        tx,
        "validity",
        (
            "有效期".to_string(),
            fazhi_domain::time_limit::TimeLimit::new(
                effective.previous_day().unwrap_or(effective),
                days,
                fazhi_domain::time_limit::Count::Calendar,
                &rules.validity_basis,
                None,
            ),
        ),
        x.record.handler_id,
    )?;
    // The articles it cites, linked to the law database (flagged when they change later).
    let body = current_body(tx, x.record.id)?;
    x.summary["cited_articles"] = json!(crate::law::link(
        tx,
        (SUBJECT, &x.record.id.to_string()),
        &body,
        x.clock.today
    )?);
    x.summary["effective_from"] = json!(fmt_date(effective));
    x.summary["valid_until"] = json!(fmt_date(until));
    x.summary["validity_basis"] = json!(rules.validity_basis);
    Ok(())
}

fn file_record(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let text = need_text(input, "备案机关、报送日期和备案登记号")?;
    x.meet(tx, "filing")?;
    x.set(
        tx,
        "filed_on = ?, filing = ?",
        vals![fmt_date(x.clock.today), &text],
    )?;
    x.summary["text"] = json!(text);
    Ok(())
}

fn change_validity(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
    kind: EventKind,
) -> Result<(), StoreError> {
    let by = need_text(input, "作出变更的文件（文号和名称）及说明")?;
    let on = need_date(input, "生效日期")?;
    if let Some(from) = x.record.effective_from
        && on < from
    {
        return Err(invalid(
            "date",
            "生效日期",
            &format!("不能早于本文件的施行日期 {}", fmt_date(from)),
        ));
    }
    tx.exec(
        "INSERT INTO normative_validity (doc_id, kind, on_date, by_document, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        vals![x.record.id, kind.as_str(), fmt_date(on), &by, "", now_ms()],
    )?;
    if matches!(kind, EventKind::Repealed | EventKind::Expired)
        && x.limits
            .iter()
            .any(|l| l.key == "validity" && l.met_on.is_none())
    {
        x.meet(tx, "validity")?;
    }
    x.summary["kind"] = json!(kind.label_zh());
    x.summary["on"] = json!(fmt_date(on));
    x.summary["text"] = json!(by);
    Ok(())
}

fn amend(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    change_validity(tx, x, input, EventKind::Amended)
}

fn declare_partly_invalid(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    change_validity(tx, x, input, EventKind::PartlyInvalid)
}

fn repeal(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    change_validity(tx, x, input, EventKind::Repealed)
}

fn declare_expired(
    tx: &mut dyn Tx,
    x: &mut Ctx<'_>,
    input: &ActionInput,
) -> Result<(), StoreError> {
    change_validity(tx, x, input, EventKind::Expired)
}

fn withdraw(tx: &mut dyn Tx, x: &mut Ctx<'_>, input: &ActionInput) -> Result<(), StoreError> {
    let text = need_text(input, "终止理由")?;
    for l in x.limits {
        if l.met_on.is_none() {
            x.meet(tx, &l.key)?;
        }
    }
    x.summary["text"] = json!(text);
    Ok(())
}

/// Checks that a comment's anchor is an article of the text (or the whole document).
pub(super) fn check_article(body: &str, article: &str) -> Result<(), StoreError> {
    if article == "whole" || parse_articles(body).iter().any(|a| a.eid == article) {
        return Ok(());
    }
    Err(invalid("choice", "针对的条文", "不是本稿的条文"))
}

/// The article as people name it (第三条, 序言, 全文).
pub(super) fn article_label(body: &str, article: &str) -> String {
    match article {
        "whole" => "全文".into(),
        "preamble" => "序言".into(),
        a => parse_articles(body)
            .into_iter()
            .find(|x| x.eid == a)
            .map_or_else(|| a.to_string(), |x| x.num),
    }
}
