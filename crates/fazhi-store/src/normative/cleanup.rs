//! Validity management: documents whose validity period is about to lapse, and the yearly
//! clean-up (清理) — every document in force, with a decision (keep, amend, repeal) and its
//! reason, recorded by the legal division or a leader.

use super::*;

/// A clean-up decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CleanupDecision {
    /// 继续有效.
    Keep,
    /// 修改.
    Amend,
    /// 废止.
    Repeal,
}

impl CleanupDecision {
    /// Every decision, in form order.
    pub const ALL: [CleanupDecision; 3] = [Self::Keep, Self::Amend, Self::Repeal];
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keep => "keep",
            Self::Amend => "amend",
            Self::Repeal => "repeal",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
    /// Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Keep => "继续有效",
            Self::Amend => "拟修改",
            Self::Repeal => "拟废止",
        }
    }
}

/// A document on the clean-up list.
#[derive(Debug, Clone, Serialize)]
pub struct CleanupLine {
    /// The document.
    pub doc: NormativeDoc,
    /// Its validity today.
    pub validity: Validity,
    /// The decision recorded for the year, if any: (decision, reason, by).
    pub decision: Option<(CleanupDecision, String, String)>,
}

/// The published documents of the subtrees in force on `day` (the clean-up list of `year`), with
/// the decision recorded for the year.
pub fn cleanup_list(
    tx: &mut dyn Tx,
    scopes: &[String],
    year: i32,
    day: Date,
) -> Result<Vec<CleanupLine>, StoreError> {
    let docs = list(tx, scopes, &Filter::default(), 10_000)?;
    let mut decided = std::collections::HashMap::new();
    for r in tx.query(
        "SELECT doc_id, decision, reason, decided_by FROM normative_cleanups WHERE year = ?",
        vals![i64::from(year)],
    )? {
        let d = r.text(1)?;
        let decision = CleanupDecision::parse(&d)
            .ok_or_else(|| StoreError::Db(format!("normative_cleanups.decision: {d}")))?;
        decided.insert(r.i64(0)?, (decision, r.text(2)?, r.text(3)?));
    }
    Ok(docs
        .into_iter()
        .filter_map(|(doc, events)| {
            let v = doc.validity(&events, day)?;
            v.in_force().then(|| CleanupLine {
                decision: decided.remove(&doc.id),
                validity: v,
                doc,
            })
        })
        .collect())
}

/// Records (or changes) the clean-up decision of `year` for a document in force.
pub fn decide_cleanup(
    tx: &mut dyn Tx,
    actor: &Actor,
    (year, doc_id): (i32, i64),
    decision: CleanupDecision,
    reason: &str,
    today: Date,
) -> Result<(), StoreError> {
    fazhi_domain::policy::normative::may(
        actor,
        fazhi_domain::policy::normative::NormativeAction::CleanUp,
    )
    .map_err(StoreError::Refused)?;
    let doc = get(tx, doc_id)?;
    fazhi_domain::org::may(actor, fazhi_domain::org::OrgAction::View, &doc.org_path)
        .map_err(|_| StoreError::NotFound("该规范性文件"))?;
    let events = events_of(tx, &[doc_id])?
        .remove(&doc_id)
        .unwrap_or_default();
    if !doc.validity(&events, today).is_some_and(Validity::in_force) {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "normative.cleanup_not_in_force",
            "只有现行有效的规范性文件列入清理。",
        )));
    }
    let min = if decision == CleanupDecision::Keep {
        2
    } else {
        5
    };
    let reason = fazhi_domain::validate::text("reason", "清理理由", reason, min, 1000)
        .map_err(|e| StoreError::Invalid(vec![e]))?;
    let (bureau_id, _, _) = crate::numbering::bureau_of_path(tx, &doc.org_path)?;
    tx.exec(
        "DELETE FROM normative_cleanups WHERE year = ? AND doc_id = ?",
        vals![i64::from(year), doc_id],
    )?;
    tx.exec(
        "INSERT INTO normative_cleanups (bureau_id, year, doc_id, decision, reason, decided_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        vals![bureau_id, i64::from(year), doc_id, decision.as_str(), &reason, &actor.display_name, now_ms()],
    )?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(doc.org_id),
        "normative.decide_cleanup",
        SUBJECT,
        &doc_id.to_string(),
        json!({ "year": year, "decision": decision.label_zh(), "text": reason }),
    )?;
    Ok(())
}

/// Documents in force whose validity period ends within `days` of `today` (soonest first).
pub fn lapsing(
    tx: &mut dyn Tx,
    scopes: &[String],
    today: Date,
    days: u32,
) -> Result<Vec<(NormativeDoc, Validity)>, StoreError> {
    let horizon = today.saturating_add(time::Duration::days(i64::from(days)));
    let mut out: Vec<(NormativeDoc, Validity)> = list(tx, scopes, &Filter::default(), 10_000)?
        .into_iter()
        .filter_map(|(doc, events)| {
            let v = doc.validity(&events, today)?;
            let until = doc.valid_until?;
            (v.in_force() && until <= horizon).then_some((doc, v))
        })
        .collect();
    out.sort_by_key(|(d, _)| d.valid_until);
    Ok(out)
}
