//! The yearly catalogue of decision items (决策事项目录, 重大行政决策程序暂行条例 第三条、第四条):
//! drafted with its items (each naming its sponsoring unit and the statutory steps it requires),
//! approved by a leader, published on the portal as a snapshot.

use super::*;
use fazhi_domain::FieldError;
use fazhi_domain::org::OrgAction;

/// The basis of the catalogue.
pub const CATALOGUE_BASIS: &str = "重大行政决策程序暂行条例 第三条、第四条";

/// One item of a catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Id.
    pub id: i64,
    /// The catalogue.
    pub catalogue_id: i64,
    /// The decision item.
    pub title: String,
    /// The sponsoring unit (决策承办单位).
    pub sponsor_org_id: i64,
    /// Its name.
    pub sponsor_name: String,
    /// What it is about.
    pub description: String,
    /// The steps it requires.
    pub steps: Vec<Step>,
    /// When it is planned (e.g. 第二季度).
    pub planned: String,
}

/// A yearly catalogue with its items.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    /// Id.
    pub id: i64,
    /// The bureau.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path.
    #[serde(skip)]
    pub org_path: String,
    /// The year.
    pub year: i32,
    /// `draft`, `approved` or `published`.
    pub state: String,
    /// The approver's opinion.
    pub approval_opinion: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// Its items.
    pub items: Vec<Item>,
}

impl Catalogue {
    /// The state in Chinese.
    pub fn state_zh(&self) -> &'static str {
        match self.state.as_str() {
            "draft" => "草拟中",
            "approved" => "已批准",
            "published" => "已公布",
            _ => "未知",
        }
    }
}

/// What a new item says.
#[derive(Debug, Clone)]
pub struct NewItem {
    /// The decision item.
    pub title: String,
    /// The sponsoring unit.
    pub sponsor_org_id: i64,
    /// What it is about.
    pub description: String,
    /// The steps it requires besides those every decision requires.
    pub steps: Vec<Step>,
    /// When it is planned.
    pub planned: String,
}

fn item_row(r: &crate::Row) -> Result<Item, StoreError> {
    let steps = r.text(5)?;
    Ok(Item {
        id: r.i64(0)?,
        catalogue_id: r.i64(1)?,
        title: r.text(2)?,
        sponsor_org_id: r.i64(3)?,
        sponsor_name: r.text(4)?,
        steps: fazhi_domain::decision::steps_from_str(&steps).ok_or_else(|| {
            StoreError::Db(format!("decision_items.steps: 未知的步骤「{steps}」"))
        })?,
        description: r.text(6)?,
        planned: r.text(7)?,
    })
}

const ITEM_COLUMNS: &str = "i.id, i.catalogue_id, i.title, i.sponsor_org_id, o.name, i.steps,
        i.description, i.planned";
const ITEM_FROM: &str = "decision_items i JOIN orgs o ON o.id = i.sponsor_org_id";
const ITEM_SELECT: &str = "SELECT i.id, i.catalogue_id, i.title, i.sponsor_org_id, o.name, i.steps,
        i.description, i.planned FROM decision_items i JOIN orgs o ON o.id = i.sponsor_org_id";

fn catalogue_row(tx: &mut dyn Tx, r: &crate::Row) -> Result<Catalogue, StoreError> {
    let id = r.i64(0)?;
    let items = tx
        .query(
            &format!("{ITEM_SELECT} WHERE i.catalogue_id = ? ORDER BY i.id"),
            vals![id],
        )?
        .iter()
        .map(item_row)
        .collect::<Result<_, _>>()?;
    Ok(Catalogue {
        id,
        org_id: r.i64(1)?,
        org_name: r.text(2)?,
        org_path: r.text(3)?,
        year: i32::try_from(r.i64(4)?).unwrap_or(0),
        state: r.text(5)?,
        approval_opinion: r.opt_text(6)?,
        version: r.i64(7)?,
        items,
    })
}

const CATALOGUE_SELECT: &str = "SELECT c.id, c.org_id, o.name, o.path, c.year, c.state,
        c.approval_opinion, c.version FROM decision_catalogues c JOIN orgs o ON o.id = c.org_id";

/// One catalogue with its items.
pub fn get_catalogue(tx: &mut dyn Tx, id: i64) -> Result<Catalogue, StoreError> {
    let r = tx
        .query_opt(&format!("{CATALOGUE_SELECT} WHERE c.id = ?"), vals![id])?
        .ok_or(StoreError::NotFound("该目录"))?;
    catalogue_row(tx, &r)
}

/// The catalogues of the given subtrees, newest year first.
pub fn catalogues(tx: &mut dyn Tx, scopes: &[String]) -> Result<Vec<Catalogue>, StoreError> {
    let (filter, params) = crate::org::scope_filter("o.path", scopes);
    let rows = tx.query(
        &format!("{CATALOGUE_SELECT} WHERE {filter} ORDER BY c.year DESC, c.id DESC"),
        &params,
    )?;
    rows.iter().map(|r| catalogue_row(tx, r)).collect()
}

/// One item with its catalogue.
pub fn item(tx: &mut dyn Tx, id: i64) -> Result<Item, StoreError> {
    tx.query_opt(&format!("{ITEM_SELECT} WHERE i.id = ?"), vals![id])?
        .as_ref()
        .map(item_row)
        .transpose()?
        .ok_or(StoreError::NotFound("该决策事项"))
}

/// Who keeps the catalogue: a leader, a division head or the legal division over its bureau.
fn keeper(actor: &Actor, path: &str) -> Result<(), StoreError> {
    fazhi_domain::org::may(actor, OrgAction::View, path)
        .map_err(|_| StoreError::NotFound("该目录"))?;
    let roles = actor.roles_over(path);
    if roles
        .iter()
        .any(|r| matches!(r, Role::Leader | Role::LegalDivision | Role::Admin))
    {
        return Ok(());
    }
    Err(StoreError::Forbidden(fazhi_domain::Refusal::new(
        "decision.not_catalogue",
        "只有局领导和法制机构编制决策事项目录。",
    )))
}

fn bump(
    tx: &mut dyn Tx,
    id: i64,
    expected: i64,
    set: &str,
    params: &[crate::Value],
) -> Result<(), StoreError> {
    let mut ps = params.to_vec();
    ps.extend([now_ms().into(), id.into(), expected.into()]);
    let n = tx.exec(
        &format!(
            "UPDATE decision_catalogues SET {set}, version = version + 1, updated_at = ?
             WHERE id = ? AND version = ?"
        ),
        &ps,
    )?;
    if n == 0 {
        let current = get_catalogue(tx, id)?.version;
        return Err(StoreError::Conflict { current });
    }
    Ok(())
}

/// Starts the catalogue of a bureau for a year (草拟); returns its id.
pub fn create_catalogue(
    tx: &mut dyn Tx,
    actor: &Actor,
    org_id: i64,
    year: i32,
) -> Result<i64, StoreError> {
    let org = crate::org::get_org(tx, org_id)?;
    keeper(actor, &org.path)?;
    let exists = tx
        .query_opt(
            "SELECT id FROM decision_catalogues WHERE org_id = ? AND year = ?",
            vals![org_id, i64::from(year)],
        )?
        .is_some();
    if exists {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "decision.catalogue_exists",
            format!("{}已有 {year} 年度的决策事项目录。", org.name),
        )));
    }
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO decision_catalogues (org_id, year, state, created_at, updated_at)
             VALUES (?, ?, 'draft', ?, ?) RETURNING id",
            vals![org_id, i64::from(year), now, now],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(org_id),
        "decision.create_catalogue",
        "decision_catalogue",
        &id.to_string(),
        json!({ "year": year, "org_name": org.name }),
    )?;
    Ok(id)
}

/// Adds an item to a catalogue still being drafted; returns its id.
pub fn add_item(
    tx: &mut dyn Tx,
    actor: &Actor,
    (catalogue_id, expected_version): (i64, i64),
    new: &NewItem,
) -> Result<i64, StoreError> {
    let c = get_catalogue(tx, catalogue_id)?;
    keeper(actor, &c.org_path)?;
    if c.state != "draft" {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "decision.catalogue_not_draft",
            "目录已经批准，不能再增加事项；需要调整的，请重新报批。",
        )));
    }
    let title = fazhi_domain::validate::text("title", "决策事项名称", &new.title, 4, 200);
    let description =
        fazhi_domain::validate::text("description", "事项说明", &new.description, 4, 2000);
    let planned = fazhi_domain::validate::text("planned", "计划完成时间", &new.planned, 2, 50);
    let sponsor = crate::org::get_org(tx, new.sponsor_org_id).ok();
    let mut errors: Vec<FieldError> = Vec::new();
    if !sponsor
        .as_ref()
        .is_some_and(|o| o.path.starts_with(&c.org_path))
    {
        errors.push(FieldError::new(
            "sponsor_org_id",
            "承办单位",
            "请选择本局的处室或单位",
        ));
    }
    let (title, description, planned) = match (title, description, planned) {
        (Ok(t), Ok(d), Ok(p)) if errors.is_empty() => (t, d, p),
        (t, d, p) => {
            errors.extend(t.err());
            errors.extend(d.err());
            errors.extend(p.err());
            return Err(StoreError::Invalid(errors));
        }
    };
    let steps = fazhi_domain::decision::steps_with_mandatory(&new.steps);
    let id = tx
        .query_opt(
            "INSERT INTO decision_items (catalogue_id, title, sponsor_org_id, description, steps, planned, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                catalogue_id,
                &title,
                new.sponsor_org_id,
                &description,
                fazhi_domain::decision::steps_to_str(&steps),
                &planned,
                now_ms()
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    bump(tx, catalogue_id, expected_version, "state = state", &[])?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(c.org_id),
        "decision.add_item",
        "decision_catalogue",
        &catalogue_id.to_string(),
        json!({
            "title": title,
            "steps": steps.iter().map(|s| s.label_zh()).collect::<Vec<_>>().join("、"),
        }),
    )?;
    Ok(id)
}

/// A leader approves the catalogue, with an opinion (审批意见).
pub fn approve_catalogue(
    tx: &mut dyn Tx,
    actor: &Actor,
    (id, expected_version): (i64, i64),
    opinion: &str,
) -> Result<(), StoreError> {
    let c = get_catalogue(tx, id)?;
    keeper(actor, &c.org_path)?;
    if !actor.roles_over(&c.org_path).contains(&Role::Leader) {
        return Err(StoreError::Refused(fazhi_domain::Refusal::by_law(
            "decision.catalogue_needs_leader",
            "决策事项目录须经局领导批准后公布。",
            CATALOGUE_BASIS,
        )));
    }
    if c.state != "draft" {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "decision.catalogue_not_draft",
            "目录已经批准。",
        )));
    }
    if c.items.is_empty() {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "decision.catalogue_empty",
            "目录中还没有决策事项。",
        )));
    }
    let opinion = fazhi_domain::validate::text("opinion", "审批意见", opinion, 2, 2000)?;
    bump(
        tx,
        id,
        expected_version,
        "state = 'approved', approved_by = ?, approval_opinion = ?, approved_at = ?",
        vals![actor.user_id, &opinion, now_ms()],
    )?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(c.org_id),
        "decision.approve_catalogue",
        "decision_catalogue",
        &id.to_string(),
        json!({ "year": c.year, "opinion": opinion }),
    )?;
    Ok(())
}

/// Publishes an approved catalogue on the portal: a snapshot of its items and the steps each
/// requires, nothing else.
pub fn publish_catalogue(
    tx: &mut dyn Tx,
    actor: &Actor,
    (id, expected_version): (i64, i64),
) -> Result<(), StoreError> {
    let c = get_catalogue(tx, id)?;
    keeper(actor, &c.org_path)?;
    if c.state != "approved" {
        return Err(StoreError::Refused(fazhi_domain::Refusal::by_law(
            "decision.catalogue_not_approved",
            "目录须经批准后才能向社会公布。",
            CATALOGUE_BASIS,
        )));
    }
    bump(
        tx,
        id,
        expected_version,
        "state = 'published', published_at = ?",
        vals![now_ms()],
    )?;
    let body = json!({
        "org_name": c.org_name,
        "year": c.year,
        "items": c.items.iter().map(|i| json!({
            "title": i.title,
            "sponsor": i.sponsor_name,
            "description": i.description,
            "planned": i.planned,
            "steps": i.steps.iter().map(|s| s.label_zh()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    crate::publication::publish(
        tx,
        KIND_CATALOGUE,
        &format!("{}-{}", c.org_id, c.year),
        &format!("{}{}年度重大行政决策事项目录", c.org_name, c.year),
        &body,
    )?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(c.org_id),
        "decision.publish_catalogue",
        "decision_catalogue",
        &id.to_string(),
        json!({ "year": c.year, "items": c.items.len() }),
    )?;
    Ok(())
}

/// The published catalogues, for the portal (read from the publications only).
pub fn published_catalogues(
    tx: &mut dyn Tx,
) -> Result<Vec<crate::publication::Publication>, StoreError> {
    crate::publication::list(tx, KIND_CATALOGUE, 50)
}

/// The items of approved or published catalogues whose sponsoring unit is within the given
/// subtrees and whose decision is not opened yet, with their catalogue's year.
pub fn openable_items(tx: &mut dyn Tx, scopes: &[String]) -> Result<Vec<(Item, i32)>, StoreError> {
    let (filter, params) = crate::org::scope_filter("o.path", scopes);
    tx.query(
        &format!(
            "SELECT {ITEM_COLUMNS}, c.year FROM {ITEM_FROM}
             JOIN decision_catalogues c ON c.id = i.catalogue_id
             WHERE c.state <> 'draft' AND {filter}
               AND NOT EXISTS (SELECT 1 FROM major_decisions d WHERE d.item_id = i.id)
             ORDER BY c.year DESC, i.id"
        ),
        &params,
    )?
    .iter()
    .map(|r| Ok((item_row(r)?, i32::try_from(r.i64(8)?).unwrap_or(0))))
    .collect()
}
