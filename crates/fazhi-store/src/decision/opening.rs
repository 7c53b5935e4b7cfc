//! A decision is opened from an item of an approved catalogue (第三条、第四条): its draft, the
//! steps the item requires, the sponsoring unit as its org.

use super::*;

/// Opens the decision of a catalogue item; returns its id.
pub fn open_decision(
    tx: &mut dyn Tx,
    actor: &Actor,
    item_id: i64,
    draft: &str,
    reg: &Registry,
) -> Result<DecisionId, StoreError> {
    let p = reg
        .current(PROCEDURE)
        .ok_or_else(|| StoreError::Db("major-decision procedure not loaded".into()))?;
    let item = item(tx, item_id)?;
    let c = get_catalogue(tx, item.catalogue_id)?;
    let sponsor = crate::org::get_org(tx, item.sponsor_org_id)?;
    fazhi_domain::org::may(actor, fazhi_domain::org::OrgAction::View, &sponsor.path)
        .map_err(|_| StoreError::NotFound("该决策事项"))?;
    fazhi_domain::policy::decision::may(
        actor,
        fazhi_domain::policy::decision::DecisionAction::Handle,
    )
    .map_err(StoreError::Forbidden)?;
    if c.state == "draft" {
        return Err(StoreError::Refused(fazhi_domain::Refusal::by_law(
            "decision.item_not_in_catalogue",
            "该事项所在的年度决策事项目录尚未批准，不能启动决策程序。",
            CATALOGUE_BASIS,
        )));
    }
    let opened = tx
        .query_opt(
            "SELECT decision_no FROM major_decisions WHERE item_id = ?",
            vals![item_id],
        )?
        .map(|r| r.text(0))
        .transpose()?;
    if let Some(no) = opened {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "decision.item_opened",
            format!("该事项已经启动决策程序（{no}）。"),
        )));
    }
    let draft = fazhi_domain::validate::text("draft", "决策草案要点", draft, 4, 4000)?;
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO major_decisions (decision_no, item_id, org_id, title, draft, steps,
                procedure_name, procedure_version, stage, created_at, updated_at)
             VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                item_id,
                item.sponsor_org_id,
                &item.title,
                &draft,
                fazhi_domain::decision::steps_to_str(&item.steps),
                PROCEDURE,
                i64::from(p.version),
                &p.initial,
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let no = format!("JC{}-{:03}", c.year, id);
    tx.exec(
        "UPDATE major_decisions SET decision_no = ? WHERE id = ?",
        vals![&no, id],
    )?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(item.sponsor_org_id),
        "decision.open_decision",
        SUBJECT,
        &id.to_string(),
        json!({
            "decision_no": no,
            "title": item.title,
            "steps": item.steps.iter().map(|s| s.label_zh()).collect::<Vec<_>>().join("、"),
        }),
    )?;
    Ok(DecisionId(id))
}
