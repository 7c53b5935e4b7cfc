//! Comments from the public during the comment period (on the portal), and the drafting unit's
//! answer to each — adopted, or not adopted with the reason — that makes the feedback report.

use super::actions::{article_label, check_article};
use super::*;

/// A comment submitted on the portal.
#[derive(Debug, Clone)]
pub struct PublicComment {
    /// The commenter's name (published masked).
    pub name: String,
    /// The commenter's phone or e-mail (never published).
    pub contact: String,
    /// The article (`art_3`) or `whole`.
    pub article: String,
    /// The comment.
    pub body: String,
}

/// Records a comment from the portal on a draft open for comment; refused when the document is
/// not open or its period is over.
pub fn comment_from_portal(
    tx: &mut dyn Tx,
    doc_id: i64,
    c: &PublicComment,
    clock: Clock<'_>,
) -> Result<i64, StoreError> {
    let doc = get(tx, doc_id).map_err(|_| StoreError::NotFound("该征求意见稿"))?;
    if doc.stage != "public_comment" {
        return Err(StoreError::NotFound("该征求意见稿"));
    }
    let lims = limits::for_subject(tx, SUBJECT, doc_id)?;
    let due = lims
        .iter()
        .filter(|l| l.key.starts_with("comment"))
        .find_map(|l| l.spec.compute(clock.cal).due);
    if due.is_some_and(|d| clock.today > d) {
        return Err(StoreError::Refused(fazhi_domain::Refusal::by_law(
            "normative.comment_closed",
            "公开征求意见期限已经届满，不再接收意见。",
            "国办发〔2018〕37号",
        )));
    }
    let mut errors = Vec::new();
    let name = fazhi_domain::validate::text("name", "姓名或单位名称", &c.name, 2, 50)
        .map_err(|e| errors.push(e))
        .ok();
    let contact = fazhi_domain::validate::text("contact", "联系方式", &c.contact, 5, 60)
        .map_err(|e| errors.push(e))
        .ok();
    let body = fazhi_domain::validate::text("body", "意见内容", &c.body, 5, 2000)
        .map_err(|e| errors.push(e))
        .ok();
    let text = current_body(tx, doc_id)?;
    if check_article(&text, &c.article).is_err() {
        errors.push(FieldError::new("article", "针对的条文", "请从列表中选择"));
    }
    let (Some(name), Some(contact), Some(body), true) = (name, contact, body, errors.is_empty())
    else {
        return Err(StoreError::Invalid(errors));
    };
    let id = tx
        .query_opt(
            "INSERT INTO normative_comments (doc_id, version_no, article, source, author_name, body, created_at)
             VALUES (?, ?, ?, 'public', ?, ?, ?) RETURNING id",
            vals![doc_id, doc.draft_version, &c.article, &name, &body, now_ms()],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let who = Who {
        user_id: None,
        name: format!(
            "公众（{}）",
            fazhi_domain::identity::mask_person_name(&name)
        ),
    };
    audit::append(
        tx,
        &who,
        Some(doc.org_id),
        "normative.public_comment",
        SUBJECT,
        &doc_id.to_string(),
        json!({ "comment_id": id, "article": article_label(&text, &c.article), "contact": contact.chars().count() }),
    )?;
    refresh_publications(tx, doc_id)?;
    Ok(id)
}

/// The drafting unit's answer to one public comment: adopted (how), or not adopted (why).
pub fn answer_comment(
    tx: &mut dyn Tx,
    actor: &Actor,
    (doc_id, comment_id): (i64, i64),
    adopted: bool,
    reply: &str,
) -> Result<(), StoreError> {
    let doc = get(tx, doc_id)?;
    fazhi_domain::org::may(actor, fazhi_domain::org::OrgAction::View, &doc.org_path)
        .map_err(|_| StoreError::NotFound("该规范性文件"))?;
    let roles = actor.roles_over(&doc.org_path);
    if !roles.iter().any(|r| {
        matches!(
            r,
            fazhi_domain::org::Role::Officer
                | fazhi_domain::org::Role::DivisionHead
                | fazhi_domain::org::Role::Leader
        )
    }) {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "normative.not_drafting_unit",
            "意见采纳情况由起草单位的工作人员或负责人填写。",
        )));
    }
    if doc.stage != "public_comment" || doc.feedback_published {
        return Err(StoreError::Refused(fazhi_domain::Refusal::by_law(
            "normative.feedback_closed",
            "只能在公开征求意见期间、反馈意见采纳情况之前填写采纳情况。",
            "优化营商环境条例 第六十二条",
        )));
    }
    let min = if adopted { 2 } else { 5 };
    let reply = fazhi_domain::validate::text(
        "reply",
        if adopted {
            "采纳情况"
        } else {
            "不予采纳的理由"
        },
        reply,
        min,
        1000,
    )
    .map_err(|e| StoreError::Invalid(vec![e]))?;
    let n = tx.exec(
        "UPDATE normative_comments SET adopted = ?, reply = ? WHERE id = ? AND doc_id = ? AND source = 'public'",
        vals![i64::from(adopted), &reply, comment_id, doc_id],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound("该意见"));
    }
    audit::append(
        tx,
        &Who::from(actor),
        Some(doc.org_id),
        "normative.answer_comment",
        SUBJECT,
        &doc_id.to_string(),
        json!({ "comment_id": comment_id, "adopted": if adopted { "采纳" } else { "不予采纳" }, "text": reply }),
    )?;
    refresh_publications(tx, doc_id)
}
