//! How a draft comes to be: registered by its drafting unit with what it concerns (market
//! entities, the public, complexity), which decides the steps it must pass.

use super::*;

/// What the drafter registers.
#[derive(Debug, Clone)]
pub struct NewDoc {
    /// Drafting unit.
    pub org_id: i64,
    /// Title.
    pub title: String,
    /// Concerns the economic activity of market entities (公平竞争审查条例 第二条).
    pub concerns_market: bool,
    /// Affects the rights and duties of the public (public comment).
    pub affects_public: bool,
    /// Closely concerns market entities' business (优化营商环境条例 第六十二条: 30 days).
    pub closely_market: bool,
    /// Complex (legality review up to 15 working days).
    pub complex: bool,
}

/// Checks a registration; every message names its field.
pub fn validate(new: &NewDoc) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = match fazhi_domain::validate::text("title", "文件名称", &new.title, 5, 100) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if new.closely_market && !(new.concerns_market && new.affects_public) {
        errors.push(FieldError::new(
            "closely_market",
            "与经营主体生产经营活动密切相关",
            "的文件必然涉及经营者经济活动并需公开征求意见，请同时勾选这两项",
        ));
    }
    match (title, errors.is_empty()) {
        (Some(t), true) => Ok(t),
        _ => Err(errors),
    }
}

/// Registers a draft in its drafting unit; returns its id. The actor must draft in that unit.
pub fn open(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewDoc,
    reg: &Registry,
    today: Date,
) -> Result<i64, StoreError> {
    let title = validate(new).map_err(StoreError::Invalid)?;
    let p = reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("normative procedure not loaded".into()))?;
    let org = crate::org::get_org(tx, new.org_id)?;
    fazhi_domain::org::may(actor, fazhi_domain::org::OrgAction::View, &org.path)
        .map_err(|_| StoreError::NotFound("该单位"))?;
    let roles = actor.roles_over(&org.path);
    if !roles.iter().any(|r| {
        matches!(
            r,
            fazhi_domain::org::Role::Officer | fazhi_domain::org::Role::DivisionHead
        )
    }) {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "normative.not_drafter",
            "起草规范性文件需要在起草单位担任工作人员（执法人员）或处室负责人。",
        )));
    }
    let now = now_ms();
    let kind = DocKind::of_title(&title);
    let id = tx
        .query_opt(
            "INSERT INTO normative_docs (ref_no, org_id, title, kind, procedure_name, procedure_version,
                stage, concerns_market, affects_public, closely_market, complex, handler_id,
                created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                format!("pending-{now}-{}", actor.user_id),
                new.org_id,
                &title,
                kind.as_str(),
                PROCEDURE,
                i64::from(p.version),
                &p.initial,
                i64::from(new.concerns_market),
                i64::from(new.affects_public),
                i64::from(new.closely_market),
                i64::from(new.complex),
                actor.user_id,
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let ref_no = format!("GF{}{:06}", today.year(), id);
    tx.exec(
        "UPDATE normative_docs SET ref_no = ? WHERE id = ?",
        vals![&ref_no, id],
    )?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(org.id),
        "normative.open_draft",
        SUBJECT,
        &id.to_string(),
        json!({
            "ref_no": ref_no, "title": title, "org_name": org.name, "kind": kind.label_zh(),
            "concerns_market": new.concerns_market, "affects_public": new.affects_public,
            "closely_market": new.closely_market, "complex": new.complex,
        }),
    )?;
    crate::search::enqueue(tx, fazhi_domain::search::Kind::Normative, id)?;
    Ok(id)
}
