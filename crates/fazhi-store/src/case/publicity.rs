//! Publicity and the party's view: masked decisions (国办发〔2018〕118号, 行政处罚法 第四十八条),
//! the party's status snapshot, the self-verifying export of the whole file.

use super::*;

/// Publishes a decision as a masked snapshot: organisations in full, persons' names partly
/// masked and their ID numbers masked.
pub fn publish(tx: &mut dyn Tx, id: CaseId) -> Result<(), StoreError> {
    let c = get(tx, id)?;
    let (name, id_no) = c.party().masked();
    let (_, bureau) = bureau_of(tx, &c.org_path)?;
    let number = documents(tx, id)?
        .into_iter()
        .find(|d| d.kind == "decision")
        .map(|d| d.number)
        .unwrap_or_default();
    let item = power::versions(tx, &c.item_code)?
        .into_iter()
        .next_back()
        .map(|v| v.item);
    let basis = item
        .as_ref()
        .map(|i| {
            i.bases
                .iter()
                .map(|b| format!("{}{}", b.law, b.article))
                .collect::<Vec<_>>()
                .join("；")
        })
        .unwrap_or_default();
    let body = json!({
        "case_no": c.case_no, "document_no": number, "party": name, "party_id_no": id_no,
        "party_kind": party::kind_str(c.party_kind), "item_name": c.item_name, "basis": basis,
        "facts": c.report.clone().unwrap_or_else(|| c.facts.clone()),
        "penalty": c.decided.clone().unwrap_or_default().describe(), "decided_on": c.decided_on.map(fmt_date),
        "org_name": bureau, "remedy": "如不服本决定，可以在收到决定书之日起六十日内申请行政复议，或者在六个月内提起行政诉讼。",
    });
    // The party's own name is in full in a published decision only for organisations.
    let body = if c.party_kind == PartyKind::Person {
        mask_text(&body, &c.party_name, &name)
    } else {
        body
    };
    let body = mask_text(&body, &c.party_id_no, &id_no);
    crate::search::enqueue(tx, SearchKind::Decision, id.0)?;
    publication::publish(
        tx,
        KIND_DECISION,
        &c.case_no,
        &format!("{}：{}", c.item_name, name),
        &body,
    )
}

/// Rewrites the party's status snapshot (once the party has a code: from the notice on).
pub fn publish_status(tx: &mut dyn Tx, id: CaseId, env: Env<'_>) -> Result<(), StoreError> {
    let c = get(tx, id)?;
    let hash = tx
        .query_opt(
            "SELECT query_code_hash FROM penalty_cases WHERE id = ?",
            vals![id],
        )?
        .map(|r| r.text(0))
        .transpose()?
        .unwrap_or_default();
    if hash.is_empty() {
        return Ok(());
    }
    let stage = env
        .reg
        .get(PROCEDURE, c.procedure_version)
        .and_then(|p| p.stage(&c.stage))
        .map_or(c.stage.clone(), |s| s.title.clone());
    let docs: Vec<serde_json::Value> = documents(tx, id)?
        .into_iter()
        .filter(|d| d.served_on.is_some())
        .map(|d| {
            json!({ "title": d.title, "number": d.number, "served_on": d.served_on,
                         "issuer": d.issuer, "paragraphs": d.paragraphs })
        })
        .collect();
    let lims = limits::for_subject(tx, SUBJECT, id.0)?;
    let open: Vec<serde_json::Value> = lims
        .iter()
        .filter(|l| l.state != LimitState::Met && matches!(l.key.as_str(), "statement" | "payment"))
        .map(
            |l| json!({ "title": l.title, "due": l.spec.compute(env.clock.cal).due.map(fmt_date) }),
        )
        .collect();
    let body = json!({
        "case_no": c.case_no, "code_hash": hash, "stage": c.stage, "stage_title": stage,
        "item_name": c.item_name, "org_name": c.org_name, "documents": docs, "limits": open,
        "fine": if c.fine > 0 { Some(yuan(c.fine)) } else { None },
        "paid": if c.paid > 0 { Some(yuan(c.paid)) } else { None },
    });
    let body = mask_text(&body, &c.party_id_no, &mask_id_number(&c.party_id_no));
    publication::publish(
        tx,
        KIND_STATUS,
        &c.case_no,
        &format!("案件 {}", c.case_no),
        &body,
    )
}

/// The party's status snapshot, if case number and code match.
pub fn status(
    tx: &mut dyn Tx,
    case_no: &str,
    code: &str,
) -> Result<Option<serde_json::Value>, StoreError> {
    let Some(p) = publication::get(tx, KIND_STATUS, case_no.trim())? else {
        return Ok(None);
    };
    Ok((p.body["code_hash"].as_str()
        == Some(code_hash(case_no.trim(), &code.trim().to_uppercase()).as_str()))
    .then_some(p.body))
}

/// The whole file as a self-verifying JSON document: the case, its documents with their hashes,
/// the evidence list with file hashes, and its audit entries with the canonical encoding each
/// hash covers (行政处罚法 第四十七条). A court or supervisor checks it with any SHA-256 tool.
pub fn export(tx: &mut dyn Tx, id: CaseId) -> Result<serde_json::Value, StoreError> {
    let c = get(tx, id)?;
    let docs: Vec<serde_json::Value> = tx
        .query(
            "SELECT number, title, body, sha256, issued_on, served_on FROM case_documents WHERE case_id = ? ORDER BY id",
            vals![id],
        )?
        .iter()
        .map(|r| {
            Ok(json!({ "number": r.text(0)?, "title": r.text(1)?, "body": r.text(2)?, "sha256": r.text(3)?,
                       "issued_on": r.text(4)?, "served_on": r.opt_text(5)? }))
        })
        .collect::<Result<_, StoreError>>()?;
    let ev: Vec<serde_json::Value> = evidence(tx, id)?
        .into_iter()
        .map(|e| {
            json!({ "kind": evidence_kind_label(&e.kind), "title": e.title, "file_name": e.file_name,
                    "size": e.size, "sha256": e.sha256, "collected_on": e.collected_on,
                    "preserved": e.preserved, "preservation_decision": e.preservation_decision })
        })
        .collect();
    let entries: Vec<serde_json::Value> = audit::timeline(tx, SUBJECT, &id.to_string())?
        .into_iter()
        .map(|e| json!({ "seq": e.seq, "canonical": e.canonical(), "hash": e.hash, "prev_hash": e.prev_hash }))
        .collect();
    Ok(json!({
        "format": "fazhi 行政处罚案卷导出 v1",
        "how_to_verify": [
            "每份文书：sha256(body) 应等于 sha256。",
            "每项证据：对原始文件计算 sha256，应等于清单中的 sha256。",
            "每条审计记录：sha256(canonical) 应等于 hash；canonical 是 JSON 数组 [seq, at_ms, actor_id, actor_name, org_id, action, subject_type, subject_id, summary, prev_hash]，其中 prev_hash 是审计链中上一条记录的哈希，可与本机关公布的签名检查点核对。"
        ],
        "case": {
            "case_no": c.case_no, "org": c.org_name, "item": format!("{}（{}）", c.item_name, c.item_code),
            "party": c.party_name, "party_id_no": c.party_id_no, "stage": c.stage,
            "opened_on": c.opened_on.map(fmt_date), "decided_on": c.decided_on.map(fmt_date),
            "decided": c.decided.map(|d| d.describe()), "closed_on": c.closed_on.map(fmt_date),
            "archived_on": c.archived_on.map(fmt_date),
        },
        "documents": docs,
        "evidence": ev,
        "audit_entries": entries,
    }))
}
