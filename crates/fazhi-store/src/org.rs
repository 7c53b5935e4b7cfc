//! Orgs, users and their roles in the database. Every command checks the org policy on the
//! record it loaded, inside the same transaction as the write and its audit entry.

use fazhi_domain::org::{Actor, Grant, OrgAction, OrgKind, Role, may};
use fazhi_domain::{FieldError, Refusal};
use serde::Serialize;
use serde_json::json;

use crate::audit::{Who, append};
use crate::{Row, StoreError, Tx, Value, now_ms, vals};

/// On whose authority a command runs: a signed-in person (the policy applies) or the system
/// itself (CLI and demo load, run by whoever holds the server).
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    /// The operator at the command line.
    System,
    /// A signed-in person.
    Actor(&'a Actor),
}

impl By<'_> {
    /// Applies the org policy (the system may do anything).
    pub fn may(&self, action: OrgAction, path: &str) -> Result<(), StoreError> {
        match self {
            By::System => Ok(()),
            By::Actor(a) => may(a, action, path).map_err(StoreError::Forbidden),
        }
    }

    /// Who is written into the audit chain.
    pub fn who(&self) -> Who {
        match self {
            By::System => Who::system(),
            By::Actor(a) => Who::from(*a),
        }
    }
}

/// An org as stored.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrgRecord {
    /// Id.
    pub id: i64,
    /// Parent org; `None` for the root.
    pub parent_id: Option<i64>,
    /// Materialised path, e.g. `/1/17/`.
    pub path: String,
    /// Short code, unique.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Order among siblings.
    pub sort_order: i64,
    /// Whether the org is in use.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

const ORG_COLUMNS: &str = "id, parent_id, path, code, name, kind, sort_order, active, version";

fn org_row(r: &Row) -> Result<OrgRecord, StoreError> {
    Ok(OrgRecord {
        id: r.i64(0)?,
        parent_id: r.opt_i64(1)?,
        path: r.text(2)?,
        code: r.text(3)?,
        name: r.text(4)?,
        kind: OrgKind::parse(&r.text(5)?).ok_or_else(|| StoreError::Db("bad org kind".into()))?,
        sort_order: r.i64(6)?,
        active: r.bool(7)?,
        version: r.i64(8)?,
    })
}

/// `(path LIKE ? OR …)` over the given subtree scopes, with its parameters.
pub fn scope_filter(column: &str, scopes: &[String]) -> (String, Vec<Value>) {
    if scopes.is_empty() {
        return ("1 = 0".into(), Vec::new());
    }
    let sql = scopes
        .iter()
        .map(|_| format!("{column} LIKE ?"))
        .collect::<Vec<_>>()
        .join(" OR ");
    (
        format!("({sql})"),
        scopes
            .iter()
            .map(|s| Value::Text(format!("{s}%")))
            .collect(),
    )
}

/// Loads one org.
pub fn get_org(tx: &mut dyn Tx, id: i64) -> Result<OrgRecord, StoreError> {
    tx.query_opt(
        &format!("SELECT {ORG_COLUMNS} FROM orgs WHERE id = ?"),
        vals![id],
    )?
    .as_ref()
    .map(org_row)
    .transpose()?
    .ok_or(StoreError::NotFound("该单位"))
}

/// Loads one org by its code.
pub fn get_org_by_code(tx: &mut dyn Tx, code: &str) -> Result<Option<OrgRecord>, StoreError> {
    tx.query_opt(
        &format!("SELECT {ORG_COLUMNS} FROM orgs WHERE code = ?"),
        vals![code],
    )?
    .as_ref()
    .map(org_row)
    .transpose()
}

/// The orgs inside the given subtrees, in tree order.
pub fn list_orgs(tx: &mut dyn Tx, scopes: &[String]) -> Result<Vec<OrgRecord>, StoreError> {
    let (filter, params) = scope_filter("path", scopes);
    let rows = tx.query(
        &format!("SELECT {ORG_COLUMNS} FROM orgs WHERE {filter} ORDER BY sort_order, id"),
        &params,
    )?;
    let all = rows.iter().map(org_row).collect::<Result<Vec<_>, _>>()?;
    Ok(tree_order(all))
}

/// Orders orgs depth-first, children after their parent, siblings by `sort_order`.
fn tree_order(all: Vec<OrgRecord>) -> Vec<OrgRecord> {
    let ids: std::collections::HashSet<i64> = all.iter().map(|o| o.id).collect();
    let mut out = Vec::with_capacity(all.len());
    let mut stack: Vec<&OrgRecord> = all
        .iter()
        .filter(|o| o.parent_id.is_none_or(|p| !ids.contains(&p)))
        .rev()
        .collect();
    while let Some(o) = stack.pop() {
        out.push(o.clone());
        stack.extend(all.iter().filter(|c| c.parent_id == Some(o.id)).rev());
    }
    out
}

/// What a new org needs.
#[derive(Debug, Clone)]
pub struct NewOrg {
    /// Parent; `None` only for the root.
    pub parent_id: Option<i64>,
    /// Short unique code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Order among siblings.
    pub sort_order: i64,
}

fn duplicate_code(e: StoreError) -> StoreError {
    match e {
        StoreError::Duplicate => StoreError::Invalid(vec![FieldError::new(
            "code",
            "单位代码",
            "已被其他单位使用",
        )]),
        e => e,
    }
}

/// Creates an org under its parent.
pub fn create_org(tx: &mut dyn Tx, by: By<'_>, new: &NewOrg) -> Result<i64, StoreError> {
    let parent = match new.parent_id {
        Some(p) => Some(get_org(tx, p)?),
        None => None,
    };
    match &parent {
        Some(p) => by.may(OrgAction::Manage, &p.path)?,
        None => by.may(OrgAction::Manage, "/")?,
    }
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO orgs (parent_id, code, name, kind, sort_order, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                new.parent_id,
                &new.code,
                &new.name,
                new.kind.as_str(),
                new.sort_order,
                now,
                now
            ],
        )
        .map_err(duplicate_code)?
        .ok_or_else(|| StoreError::Db("no id returned".into()))?
        .i64(0)?;
    let path = format!("{}{id}/", parent.as_ref().map_or("/", |p| p.path.as_str()));
    tx.exec("UPDATE orgs SET path = ? WHERE id = ?", vals![&path, id])?;
    append(
        tx,
        &by.who(),
        Some(id),
        "org.create_org",
        "org",
        &id.to_string(),
        json!({ "code": new.code, "name": new.name, "kind": new.kind.as_str(),
                "parent_id": new.parent_id }),
    )?;
    publish_bureaus(tx)?;
    Ok(id)
}

/// The fields of an org that can be edited.
#[derive(Debug, Clone)]
pub struct OrgEdit {
    /// Name.
    pub name: String,
    /// Short unique code.
    pub code: String,
    /// Order among siblings.
    pub sort_order: i64,
    /// In use or not.
    pub active: bool,
}

/// The portal's directory of bureaus (the city bureau and the county bureaus), to which the
/// public can address requests. Republished whenever an org changes: the portal reads only this.
pub fn publish_bureaus(tx: &mut dyn Tx) -> Result<(), StoreError> {
    let rows = tx.query(
        "SELECT id, name FROM orgs WHERE kind IN ('bureau', 'county_bureau') AND active = 1
         ORDER BY sort_order, id",
        &[],
    )?;
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| Ok(json!({ "id": r.i64(0)?, "name": r.text(1)? })))
        .collect::<Result<_, StoreError>>()?;
    crate::publication::publish(
        tx,
        KIND_BUREAUS,
        "all",
        "受理单位",
        &json!({ "items": items }),
    )
}

/// Kind of the portal's bureau directory.
pub const KIND_BUREAUS: &str = "bureau_directory";

/// Edits an org if it is still at `expected_version`; otherwise `Conflict` with the current one.
pub fn update_org(
    tx: &mut dyn Tx,
    by: By<'_>,
    id: i64,
    expected_version: i64,
    edit: &OrgEdit,
) -> Result<OrgRecord, StoreError> {
    let before = get_org(tx, id)?;
    by.may(OrgAction::View, &before.path)
        .map_err(|_| StoreError::NotFound("该单位"))?;
    by.may(OrgAction::Manage, &before.path)?;
    if before.version != expected_version {
        return Err(StoreError::Conflict {
            current: before.version,
        });
    }
    let n = tx
        .exec(
            "UPDATE orgs SET name = ?, code = ?, sort_order = ?, active = ?, updated_at = ?,
                version = version + 1 WHERE id = ? AND version = ?",
            vals![
                &edit.name,
                &edit.code,
                edit.sort_order,
                edit.active,
                now_ms(),
                id,
                expected_version
            ],
        )
        .map_err(duplicate_code)?;
    if n == 0 {
        return Err(StoreError::Conflict {
            current: get_org(tx, id)?.version,
        });
    }
    let after = get_org(tx, id)?;
    append(
        tx,
        &by.who(),
        Some(id),
        "org.update_org",
        "org",
        &id.to_string(),
        json!({
            "from": { "name": before.name, "code": before.code, "sort_order": before.sort_order,
                      "active": before.active },
            "to": { "name": after.name, "code": after.code, "sort_order": after.sort_order,
                    "active": after.active },
            "version": after.version,
        }),
    )?;
    publish_bureaus(tx)?;
    Ok(after)
}

/// A user as stored, with their org.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UserRecord {
    /// Id.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// Name as shown.
    pub display_name: String,
    /// Home org.
    pub org_id: i64,
    /// Home org's name.
    pub org_name: String,
    /// Home org's path (for the policy).
    #[serde(skip)]
    pub org_path: String,
    /// Whether the user may sign in.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// The roles held: (org id, org name, role).
    pub roles: Vec<UserRole>,
}

/// One role of a user, for display.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UserRole {
    /// The org the role is held in.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The role.
    pub role: Role,
}

const USER_COLUMNS: &str =
    "u.id, u.username, u.display_name, u.org_id, o.name, o.path, u.active, u.version";

fn user_row(r: &Row) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        id: r.i64(0)?,
        username: r.text(1)?,
        display_name: r.text(2)?,
        org_id: r.i64(3)?,
        org_name: r.text(4)?,
        org_path: r.text(5)?,
        active: r.bool(6)?,
        version: r.i64(7)?,
        roles: Vec::new(),
    })
}

fn roles_of(tx: &mut dyn Tx, user_id: i64) -> Result<Vec<UserRole>, StoreError> {
    tx.query(
        "SELECT ur.org_id, o.name, ur.role FROM user_roles ur JOIN orgs o ON o.id = ur.org_id
         WHERE ur.user_id = ? ORDER BY o.path, ur.role",
        vals![user_id],
    )?
    .iter()
    .map(|r| {
        Ok(UserRole {
            org_id: r.i64(0)?,
            org_name: r.text(1)?,
            role: Role::parse(&r.text(2)?).ok_or_else(|| StoreError::Db("bad role".into()))?,
        })
    })
    .collect()
}

/// Loads one user with their roles.
pub fn get_user(tx: &mut dyn Tx, id: i64) -> Result<UserRecord, StoreError> {
    let mut u = tx
        .query_opt(
            &format!(
                "SELECT {USER_COLUMNS} FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?"
            ),
            vals![id],
        )?
        .as_ref()
        .map(user_row)
        .transpose()?
        .ok_or(StoreError::NotFound("该人员"))?;
    u.roles = roles_of(tx, id)?;
    Ok(u)
}

/// Finds a user id by sign-in name.
pub fn user_id_by_username(tx: &mut dyn Tx, username: &str) -> Result<Option<i64>, StoreError> {
    tx.query_opt("SELECT id FROM users WHERE username = ?", vals![username])?
        .map(|r| r.i64(0))
        .transpose()
}

/// The users whose home org lies inside the given subtrees (optionally one org only).
pub fn list_users(
    tx: &mut dyn Tx,
    scopes: &[String],
    org_id: Option<i64>,
) -> Result<Vec<UserRecord>, StoreError> {
    let (filter, mut params) = scope_filter("o.path", scopes);
    let org_filter = match org_id {
        Some(id) => {
            params.push(Value::Int(id));
            " AND u.org_id = ?"
        }
        None => "",
    };
    let rows = tx.query(
        &format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN orgs o ON o.id = u.org_id
             WHERE {filter}{org_filter} ORDER BY o.path, u.username LIMIT 1000"
        ),
        &params,
    )?;
    rows.iter().map(user_row).collect()
}

/// What a new user needs. The password is hashed before the transaction starts.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Sign-in name.
    pub username: String,
    /// Name as shown.
    pub display_name: String,
    /// Home org.
    pub org_id: i64,
    /// argon2id hash of the initial password.
    pub password_hash: String,
}

/// Creates a user in an org the actor manages.
pub fn create_user(tx: &mut dyn Tx, by: By<'_>, new: &NewUser) -> Result<i64, StoreError> {
    let org = get_org(tx, new.org_id)?;
    by.may(OrgAction::Manage, &org.path)?;
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO users (username, display_name, org_id, password_hash, created_at,
                updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                &new.username,
                &new.display_name,
                new.org_id,
                &new.password_hash,
                now,
                now
            ],
        )
        .map_err(|e| match e {
            StoreError::Duplicate => {
                StoreError::Invalid(vec![FieldError::new("username", "用户名", "已被使用")])
            }
            e => e,
        })?
        .ok_or_else(|| StoreError::Db("no id returned".into()))?
        .i64(0)?;
    append(
        tx,
        &by.who(),
        Some(new.org_id),
        "org.create_user",
        "user",
        &id.to_string(),
        json!({ "username": new.username, "display_name": new.display_name,
                "org_id": new.org_id }),
    )?;
    Ok(id)
}

/// The fields of a user that an administrator can edit.
#[derive(Debug, Clone)]
pub struct UserEdit {
    /// Name as shown.
    pub display_name: String,
    /// Home org.
    pub org_id: i64,
    /// Whether the user may sign in.
    pub active: bool,
}

fn bump_user(tx: &mut dyn Tx, id: i64, expected_version: i64) -> Result<(), StoreError> {
    let n = tx.exec(
        "UPDATE users SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        vals![now_ms(), id, expected_version],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict {
            current: get_user(tx, id)?.version,
        });
    }
    Ok(())
}

fn load_managed_user(
    tx: &mut dyn Tx,
    by: By<'_>,
    id: i64,
    expected_version: i64,
) -> Result<UserRecord, StoreError> {
    let u = get_user(tx, id)?;
    by.may(OrgAction::View, &u.org_path)
        .map_err(|_| StoreError::NotFound("该人员"))?;
    by.may(OrgAction::Manage, &u.org_path)?;
    if u.version != expected_version {
        return Err(StoreError::Conflict { current: u.version });
    }
    Ok(u)
}

/// Edits a user if still at `expected_version`. Deactivating ends their sessions.
pub fn update_user(
    tx: &mut dyn Tx,
    by: By<'_>,
    id: i64,
    expected_version: i64,
    edit: &UserEdit,
) -> Result<UserRecord, StoreError> {
    let before = load_managed_user(tx, by, id, expected_version)?;
    if edit.org_id != before.org_id {
        let to = get_org(tx, edit.org_id)?;
        by.may(OrgAction::Manage, &to.path)?;
    }
    bump_user(tx, id, expected_version)?;
    tx.exec(
        "UPDATE users SET display_name = ?, org_id = ?, active = ? WHERE id = ?",
        vals![&edit.display_name, edit.org_id, edit.active, id],
    )?;
    if !edit.active {
        tx.exec("DELETE FROM sessions WHERE user_id = ?", vals![id])?;
    }
    let after = get_user(tx, id)?;
    append(
        tx,
        &by.who(),
        Some(after.org_id),
        "org.update_user",
        "user",
        &id.to_string(),
        json!({
            "from": { "display_name": before.display_name, "org_id": before.org_id,
                      "active": before.active },
            "to": { "display_name": after.display_name, "org_id": after.org_id,
                    "active": after.active },
            "version": after.version,
        }),
    )?;
    Ok(after)
}

/// Gives a user a role in an org the actor manages.
pub fn grant_role(
    tx: &mut dyn Tx,
    by: By<'_>,
    user_id: i64,
    expected_version: i64,
    org_id: i64,
    role: Role,
) -> Result<UserRecord, StoreError> {
    let u = load_managed_user(tx, by, user_id, expected_version)?;
    let org = get_org(tx, org_id)?;
    by.may(OrgAction::Manage, &org.path)?;
    if u.roles.iter().any(|r| r.org_id == org_id && r.role == role) {
        return Err(StoreError::Refused(Refusal::new(
            "org.role_held",
            format!(
                "{}已在{}担任{}。",
                u.display_name,
                org.name,
                role.label_zh()
            ),
        )));
    }
    bump_user(tx, user_id, expected_version)?;
    tx.exec(
        "INSERT INTO user_roles (user_id, org_id, role, created_at) VALUES (?, ?, ?, ?)",
        vals![user_id, org_id, role.as_str(), now_ms()],
    )?;
    append(
        tx,
        &by.who(),
        Some(org_id),
        "org.grant_role",
        "user",
        &user_id.to_string(),
        json!({ "org_id": org_id, "org_name": org.name, "role": role.as_str() }),
    )?;
    get_user(tx, user_id)
}

/// Takes a role away.
pub fn revoke_role(
    tx: &mut dyn Tx,
    by: By<'_>,
    user_id: i64,
    expected_version: i64,
    org_id: i64,
    role: Role,
) -> Result<UserRecord, StoreError> {
    load_managed_user(tx, by, user_id, expected_version)?;
    let org = get_org(tx, org_id)?;
    by.may(OrgAction::Manage, &org.path)?;
    let n = tx.exec(
        "DELETE FROM user_roles WHERE user_id = ? AND org_id = ? AND role = ?",
        vals![user_id, org_id, role.as_str()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound("该角色"));
    }
    bump_user(tx, user_id, expected_version)?;
    append(
        tx,
        &by.who(),
        Some(org_id),
        "org.revoke_role",
        "user",
        &user_id.to_string(),
        json!({ "org_id": org_id, "org_name": org.name, "role": role.as_str() }),
    )?;
    get_user(tx, user_id)
}

/// The columns of a person with one of their roles (`actor_from` reads them): one row per role
/// in an active unit, or one row with empty role columns for a person without roles.
pub(crate) const ACTOR_COLUMNS: &str = "u.id, u.username, u.display_name, u.org_id, o.name, ur.org_id, ur.role, ro.kind, ro.path, rp.path";

/// The joins from `users u` that `ACTOR_COLUMNS` reads.
pub(crate) const ACTOR_JOINS: &str = "JOIN orgs o ON o.id = u.org_id
     LEFT JOIN (user_roles ur JOIN orgs ro ON ro.id = ur.org_id AND ro.active = 1)
       ON ur.user_id = u.id
     LEFT JOIN orgs rp ON rp.id = ro.parent_id";

/// The person described by rows of `ACTOR_COLUMNS` (one per role), if any.
pub(crate) fn actor_from(rows: &[Row]) -> Result<Option<Actor>, StoreError> {
    let Some(u) = rows.first() else {
        return Ok(None);
    };
    let mut grants = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(org_id) = r.opt_i64(5)? else {
            continue;
        };
        let role = Role::parse(&r.text(6)?).ok_or_else(|| StoreError::Db("bad role".into()))?;
        let kind = OrgKind::parse(&r.text(7)?).ok_or_else(|| StoreError::Db("bad kind".into()))?;
        let path = r.text(8)?;
        let parent = r.opt_text(9)?;
        grants.push(Grant {
            org_id,
            role,
            scope_path: Grant::scope_for(role, kind, &path, parent.as_deref()),
        });
    }
    Ok(Some(Actor {
        user_id: u.i64(0)?,
        username: u.text(1)?,
        display_name: u.text(2)?,
        org_id: u.i64(3)?,
        org_name: u.text(4)?,
        grants,
    }))
}

/// Builds the policy's view of a user: who they are and every role with its reach.
pub fn load_actor(tx: &mut dyn Tx, user_id: i64) -> Result<Option<Actor>, StoreError> {
    let rows = tx.query(
        &format!(
            "SELECT {ACTOR_COLUMNS} FROM users u {ACTOR_JOINS} WHERE u.id = ? AND u.active = 1"
        ),
        vals![user_id],
    )?;
    actor_from(&rows)
}
