//! Trace-back (责任倒查, 重大行政决策程序暂行条例 第三十八条): everyone who acted on a decision,
//! with what and when, read from the audit chain; the accountability findings linked to it
//! (第三十八条至第四十一条), each noting the person's recorded dissent, if any.

use fazhi_domain::audit::AuditEntry;
use fazhi_domain::decision::accountability::{Article, dissent_of};

use super::*;

/// One accountability finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Id.
    pub id: i64,
    /// The person found responsible.
    pub person: String,
    /// Their user, when they are one.
    pub person_user_id: Option<i64>,
    /// The article.
    pub article: String,
    /// The article in Chinese.
    pub article_zh: &'static str,
    /// The finding.
    pub finding: String,
    /// When recorded (ms).
    pub recorded_at: i64,
    /// Their dissent in the collective discussion, if recorded (第三十八条: 减免责任).
    pub dissent: Option<View>,
}

/// What the trace-back shows.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// Every entry of the decision on the chain, in order.
    pub entries: Vec<AuditEntry>,
    /// Each person who acted, with the number of their entries, in order of first act.
    pub people: Vec<(String, usize)>,
    /// The dissents of the collective discussion.
    pub dissents: Vec<View>,
    /// The accountability findings.
    pub findings: Vec<Finding>,
}

/// The findings of a decision.
pub fn findings(tx: &mut dyn Tx, d: &MajorDecision) -> Result<Vec<Finding>, StoreError> {
    tx.query(
        "SELECT id, person, person_user_id, article, finding, recorded_at FROM decision_findings
         WHERE decision_id = ? ORDER BY id",
        vals![d.id.0],
    )?
    .iter()
    .map(|r| {
        let article = r.text(3)?;
        let person = r.text(1)?;
        let person_user_id = r.opt_i64(2)?;
        Ok(Finding {
            id: r.i64(0)?,
            article_zh: Article::parse(&article).map_or("", Article::label_zh),
            dissent: dissent_of(&d.views, person_user_id, &person).cloned(),
            person,
            person_user_id,
            article,
            finding: r.text(4)?,
            recorded_at: r.i64(5)?,
        })
    })
    .collect()
}

/// The trace-back of a decision.
pub fn trace(tx: &mut dyn Tx, d: &MajorDecision) -> Result<Trace, StoreError> {
    let entries = audit::timeline(tx, SUBJECT, &d.id.0.to_string())?;
    let mut people: Vec<(String, usize)> = Vec::new();
    for e in &entries {
        match people.iter_mut().find(|(n, _)| *n == e.actor_name) {
            Some(p) => p.1 += 1,
            None => people.push((e.actor_name.clone(), 1)),
        }
    }
    Ok(Trace {
        people,
        dissents: fazhi_domain::decision::dissents(&d.views)
            .into_iter()
            .cloned()
            .collect(),
        findings: findings(tx, d)?,
        entries,
    })
}

/// What a finding says.
#[derive(Debug, Clone)]
pub struct NewFinding {
    /// The person found responsible.
    pub person: String,
    /// Their user, when they are one.
    pub person_user_id: Option<i64>,
    /// `art38` … `art41`.
    pub article: String,
    /// The finding.
    pub finding: String,
}

/// Records an accountability finding against a person, linked to the decision and on its chain.
pub fn record_finding(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: DecisionId,
    new: &NewFinding,
) -> Result<i64, StoreError> {
    use fazhi_domain::policy::decision::{DecisionAction, may};
    let d = get_for(tx, actor, id)?;
    may(actor, DecisionAction::RecordFinding).map_err(StoreError::Forbidden)?;
    let mut errors = Vec::new();
    let article = Article::parse(&new.article);
    if article.is_none() {
        errors.push(fazhi_domain::FieldError::new(
            "article",
            "依据条款",
            "请选择第三十八条至第四十一条之一",
        ));
    }
    let person = fazhi_domain::validate::text("person", "责任人", &new.person, 2, 100);
    let finding = fazhi_domain::validate::text("finding", "追究情况", &new.finding, 4, 4000);
    let (Some(article), Ok(person), Ok(finding)) = (article, person.clone(), finding.clone())
    else {
        errors.extend(person.err());
        errors.extend(finding.err());
        return Err(StoreError::Invalid(errors));
    };
    let fid = tx
        .query_opt(
            "INSERT INTO decision_findings (decision_id, person, person_user_id, article, finding,
                recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                id.0,
                &person,
                new.person_user_id,
                article.as_str(),
                &finding,
                actor.user_id,
                now_ms()
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let dissent = dissent_of(&d.views, new.person_user_id, &person);
    audit::append(
        tx,
        &Who::from(actor),
        Some(d.org_id),
        "decision.record_finding",
        SUBJECT,
        &id.0.to_string(),
        json!({
            "person": person,
            "article": article.label_zh(),
            "text": finding,
            "dissent": dissent.map(|v| format!("曾在集体讨论中表示不同意见：{}", v.text)),
        }),
    )?;
    Ok(fid)
}
