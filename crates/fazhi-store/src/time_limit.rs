//! Time limits in the database: start, suspend, resume, extend, meet; the sweep that raises
//! reminders and overdue alerts (run by one instance at a time under a lease); and the
//! recomputation of open due dates when a year's holiday notice changes.

use fazhi_domain::Refusal;
use fazhi_domain::calendar::{Calendar, fmt_date};
use fazhi_domain::time_limit::{LimitState, TimeLimit};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
use crate::{Query, Row, Store, StoreError, Tx, notification, now_ms, vals};

/// The calendar, today and the warning period a command runs with.
#[derive(Debug, Clone, Copy)]
pub struct Clock<'a> {
    /// The calendar.
    pub cal: &'a Calendar,
    /// Today (Beijing time).
    pub today: Date,
    /// Working days before a due date that count as "due soon" (default 3).
    pub warn: u32,
}

/// One limit as stored.
#[derive(Debug, Clone, Serialize)]
pub struct LimitRecord {
    /// Id.
    pub id: i64,
    /// The record it belongs to.
    pub subject_type: String,
    /// The record's id.
    pub subject_id: i64,
    /// Which limit of the procedure (e.g. `answer`).
    pub key: String,
    /// Chinese name.
    pub title: String,
    /// The record's org.
    pub org_id: i64,
    /// The person responsible, if assigned.
    pub responsible_user_id: Option<i64>,
    /// The limit itself.
    pub spec: TimeLimit,
    /// Due date, `None` while suspended.
    pub due: Option<Date>,
    /// Depends on a year without a notice.
    pub provisional: bool,
    /// State as of the last write or sweep.
    pub state: LimitState,
    /// When it was met.
    pub met_on: Option<Date>,
}

crate::db::columns! {
    table "time_limits"; const COLUMNS, COLUMN_COUNT; fn record -> LimitRecord {
        id: "id" => i64,
        subject_type: "subject_type" => text,
        subject_id: "subject_id" => i64,
        key: "limit_key" => text,
        title: "title" => text,
        org_id: "org_id" => i64,
        responsible_user_id: "responsible_user_id" => opt_i64,
        spec: "spec" => json_required,
        due: "due_date" => opt_date,
        provisional: "provisional" => bool,
        state: "state" => parse(LimitState::parse),
        met_on: "met_on" => opt_date,
    }
}

/// The limits of one record.
pub fn for_subject(
    tx: &mut dyn Tx,
    subject_type: &str,
    subject_id: i64,
) -> Result<Vec<LimitRecord>, StoreError> {
    let q = for_subject_query(subject_type, subject_id);
    records(&tx.query(&q.sql, &q.params)?)
}

/// The query of `for_subject`, to be read together with others (`Tx::query_all`).
pub(crate) fn for_subject_query(subject_type: &str, subject_id: i64) -> Query {
    Query::new(
        format!(
            "SELECT {COLUMNS} FROM time_limits WHERE subject_type = ? AND subject_id = ? ORDER BY id"
        ),
        vals![subject_type, subject_id],
    )
}

/// The limits in the rows of `for_subject_query`.
pub(crate) fn records(rows: &[Row]) -> Result<Vec<LimitRecord>, StoreError> {
    rows.iter().map(record).collect()
}

fn get(
    tx: &mut dyn Tx,
    subject_type: &str,
    subject_id: i64,
    key: &str,
) -> Result<Option<LimitRecord>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM time_limits WHERE subject_type = ? AND subject_id = ? AND limit_key = ?"),
        vals![subject_type, subject_id, key],
    )?
    .as_ref()
    .map(record)
    .transpose()
}

fn write_spec(
    tx: &mut dyn Tx,
    id: i64,
    spec: &TimeLimit,
    cal: &Calendar,
    today: Date,
    warn: u32,
    met_on: Option<Date>,
) -> Result<(Option<Date>, LimitState), StoreError> {
    let due = spec.compute(cal);
    let state = spec.state(cal, today, met_on, warn);
    tx.exec(
        "UPDATE time_limits SET spec = ?, due_date = ?, provisional = ?, state = ?, met_on = ?,
            version = version + 1, updated_at = ? WHERE id = ?",
        vals![
            serde_json::to_string(spec).map_err(|e| StoreError::Db(e.to_string()))?,
            due.due.map(fmt_date),
            due.provisional,
            state.as_str(),
            met_on.map(fmt_date),
            now_ms(),
            id
        ],
    )?;
    Ok((due.due, state))
}

/// What a new (or restarted) limit needs.
#[derive(Debug, Clone)]
pub struct StartLimit<'a> {
    /// The record.
    pub subject: (&'a str, i64),
    /// Which limit.
    pub key: &'a str,
    /// Chinese name.
    pub title: &'a str,
    /// The record's org.
    pub org_id: i64,
    /// Who is responsible.
    pub responsible_user_id: Option<i64>,
    /// The limit.
    pub spec: TimeLimit,
}

/// Starts a limit, or restarts it from a new start date (the old one is superseded, and the
/// chain keeps both).
pub fn start(
    tx: &mut dyn Tx,
    who: &Who,
    s: StartLimit<'_>,
    clock: Clock<'_>,
) -> Result<LimitRecord, StoreError> {
    let (cal, today, warn) = (clock.cal, clock.today, clock.warn);
    let existing = get(tx, s.subject.0, s.subject.1, s.key)?;
    let id = match existing {
        Some(e) => {
            tx.exec(
                "UPDATE time_limits SET reminded = 0, alerted = 0, responsible_user_id = ? WHERE id = ?",
                vals![s.responsible_user_id, e.id],
            )?;
            e.id
        }
        None => tx
            .query_opt(
                "INSERT INTO time_limits (subject_type, subject_id, limit_key, title, org_id,
                    responsible_user_id, spec, state, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, '{}', 'running', ?, ?) RETURNING id",
                vals![
                    s.subject.0,
                    s.subject.1,
                    s.key,
                    s.title,
                    s.org_id,
                    s.responsible_user_id,
                    now_ms(),
                    now_ms()
                ],
            )?
            .ok_or_else(|| StoreError::Db("no id".into()))?
            .i64(0)?,
    };
    let (due, state) = write_spec(tx, id, &s.spec, cal, today, warn, None)?;
    audit::append(
        tx,
        who,
        Some(s.org_id),
        "time_limit.start_limit",
        s.subject.0,
        &s.subject.1.to_string(),
        json!({ "limit": s.title, "start": fmt_date(s.spec.start), "days": s.spec.days,
                "count": s.spec.count, "basis": s.spec.basis, "due": due.map(fmt_date),
                "state": state.as_str() }),
    )?;
    get(tx, s.subject.0, s.subject.1, s.key)?.ok_or(StoreError::NotFound("该期限"))
}

/// Changes a limit (suspend, resume, extend) through the domain rules; audited.
pub fn change(
    tx: &mut dyn Tx,
    who: &Who,
    subject: (&str, i64),
    (key, action): (&str, &str),
    clock: Clock<'_>,
    f: impl FnOnce(&mut TimeLimit) -> Result<(), Refusal>,
) -> Result<LimitRecord, StoreError> {
    let (cal, today, warn) = (clock.cal, clock.today, clock.warn);
    let rec = get(tx, subject.0, subject.1, key)?.ok_or(StoreError::NotFound("该期限"))?;
    let mut spec = rec.spec.clone();
    f(&mut spec)?;
    let (due, state) = write_spec(tx, rec.id, &spec, cal, today, warn, rec.met_on)?;
    audit::append(
        tx,
        who,
        Some(rec.org_id),
        action,
        subject.0,
        &subject.1.to_string(),
        json!({ "limit": rec.title, "due_before": rec.due.map(fmt_date), "due_after": due.map(fmt_date),
                "state": state.as_str() }),
    )?;
    get(tx, subject.0, subject.1, key)?.ok_or(StoreError::NotFound("该期限"))
}

/// Marks a limit met on `on` (if it is open).
pub fn meet(
    tx: &mut dyn Tx,
    who: &Who,
    subject: (&str, i64),
    key: &str,
    on: Date,
    cal: &Calendar,
) -> Result<(), StoreError> {
    let Some(rec) = get(tx, subject.0, subject.1, key)? else {
        return Ok(());
    };
    if rec.state == LimitState::Met {
        return Ok(());
    }
    write_spec(tx, rec.id, &rec.spec, cal, on, 0, Some(on))?;
    let in_time = rec.spec.compute(cal).due.is_none_or(|d| on <= d);
    audit::append(
        tx,
        who,
        Some(rec.org_id),
        "time_limit.meet_limit",
        subject.0,
        &subject.1.to_string(),
        json!({ "limit": rec.title, "met_on": fmt_date(on), "due": rec.due.map(fmt_date), "in_time": in_time }),
    )?;
    Ok(())
}

/// Recomputes every open limit whose counting may touch `year` (after its notice changed);
/// each changed due date is recorded on the chain. Returns how many changed.
pub fn recompute_for_year(
    tx: &mut dyn Tx,
    who: &Who,
    cal: &Calendar,
    year: i32,
    today: Date,
    warn: u32,
) -> Result<usize, StoreError> {
    let from = format!("{:04}-12-01", year - 1);
    let rows = tx.query(
        &format!(
            "SELECT {COLUMNS} FROM time_limits WHERE state <> 'met' AND (due_date IS NULL OR due_date >= ?)"
        ),
        vals![from],
    )?;
    let mut changed = 0;
    for r in rows.iter().map(record) {
        let rec = r?;
        let due = rec.spec.compute(cal);
        if due.due == rec.due && due.provisional == rec.provisional {
            continue;
        }
        write_spec(tx, rec.id, &rec.spec, cal, today, warn, None)?;
        audit::append(
            tx,
            who,
            Some(rec.org_id),
            "time_limit.recompute_limit",
            &rec.subject_type,
            &rec.subject_id.to_string(),
            json!({ "limit": rec.title, "due_before": rec.due.map(fmt_date), "due_after": due.due.map(fmt_date),
                    "reason": format!("{year} 年放假安排变更") }),
        )?;
        changed += 1;
    }
    Ok(changed)
}

/// Takes (or renews) the lease of a background job for `ttl_ms`; false if another holder has it.
pub fn take_lease(store: &Store, job: &str, holder: &str, ttl_ms: i64) -> Result<bool, StoreError> {
    store.write(|tx| {
        let now = now_ms();
        let n = tx.exec(
            "INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE job_leases.expires_at < ? OR job_leases.holder = excluded.holder",
            vals![job, holder, now + ttl_ms, now],
        )?;
        Ok(n == 1)
    })
}

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Limits near or past their due date that were examined.
    pub examined: usize,
    /// Reminders raised (due soon).
    pub reminded: usize,
    /// Alerts raised (overdue).
    pub alerted: usize,
}

/// The people told about a limit: the responsible person and the heads (division heads and
/// leaders) of the record's org tree.
fn recipients(tx: &mut dyn Tx, rec: &LimitRecord) -> Result<Vec<i64>, StoreError> {
    let mut ids: Vec<i64> = rec.responsible_user_id.into_iter().collect();
    let rows = tx.query(
        "SELECT DISTINCT ur.user_id FROM user_roles ur JOIN orgs o ON o.id = ur.org_id
         JOIN orgs rec ON rec.id = ? JOIN users u ON u.id = ur.user_id
         WHERE ur.role IN ('division_head', 'leader') AND u.active = 1
           AND o.path LIKE rec.path || '%'",
        vals![rec.org_id],
    )?;
    for r in rows {
        let id = r.i64(0)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Raises reminders (due within `warn` working days) and overdue alerts, once each per limit.
/// Only limits whose due date is within two weeks are read, so the sweep stays cheap with
/// millions of open limits.
pub fn sweep(
    store: &Store,
    cal: &Calendar,
    today: Date,
    warn: u32,
    link: impl Fn(&LimitRecord) -> String,
) -> Result<SweepReport, StoreError> {
    let horizon = today
        .checked_add(time::Duration::days(14 + i64::from(warn)))
        .unwrap_or(today);
    let rows = store.read(|tx| {
        tx.query(
            &format!(
                "SELECT {COLUMNS}, reminded, alerted FROM time_limits
                 WHERE state IN ('running', 'due_soon', 'overdue') AND due_date <= ?
                   AND (reminded = 0 OR alerted = 0) ORDER BY due_date"
            ),
            vals![fmt_date(horizon)],
        )?
        .iter()
        .map(|r| Ok((record(r)?, r.bool(COLUMN_COUNT)?, r.bool(COLUMN_COUNT + 1)?)))
        .collect::<Result<Vec<_>, StoreError>>()
    })?;
    let mut report = SweepReport {
        examined: rows.len(),
        ..SweepReport::default()
    };
    let mut due: Vec<(LimitRecord, LimitState, &'static str, &'static str, String)> = Vec::new();
    for (rec, reminded, alerted) in rows {
        let state = rec.spec.state(cal, today, None, warn);
        let when = rec.due.map(fmt_date).unwrap_or_default();
        match state {
            LimitState::Overdue if !alerted => {
                let m = format!(
                    "已逾期：{}（{}）的期限已于 {when} 届满。",
                    rec.title, rec.spec.basis
                );
                due.push((rec, state, "alert", "time_limit.alert_overdue", m));
            }
            LimitState::DueSoon if !reminded => {
                let m = format!(
                    "即将到期：{}（{}）将于 {when} 届满。",
                    rec.title, rec.spec.basis
                );
                due.push((rec, state, "reminder", "time_limit.remind_due", m));
            }
            _ => {}
        }
    }
    // Each limit's notice, flag and chain entry are written together; a few hundred limits
    // share one transaction so that a catch-up after downtime is not one fsync per limit.
    for chunk in due.chunks(250) {
        store.write(|tx| {
            let items: Vec<(String, i64)> =
                chunk.iter().map(|(r, ..)| (r.subject_type.clone(), r.subject_id)).collect();
            let names = crate::work::labels(tx, &items)?;
            for (rec, state, kind, action, message) in chunk {
                let href = link(rec);
                let users = recipients(tx, rec)?;
                // Every notice names its record: "已逾期：<number>（<party>）<limit>…".
                let message = match (names.get(&(rec.subject_type.clone(), rec.subject_id)), message.split_once('：')) {
                    (Some(l), Some((word, rest))) => format!("{word}：{}（{}）{rest}", l.number, l.party),
                    _ => message.clone(),
                };
                for u in &users {
                    notification::notify(tx, *u, kind, (&rec.subject_type, rec.subject_id), (Some(rec.org_id), &message), &href)?;
                }
                let flag = if *kind == "alert" { "alerted = 1, reminded = 1" } else { "reminded = 1" };
                tx.exec(
                    &format!("UPDATE time_limits SET {flag}, state = ?, updated_at = ? WHERE id = ?"),
                    vals![state.as_str(), now_ms(), rec.id],
                )?;
                audit::append(
                    tx,
                    &Who::system(),
                    Some(rec.org_id),
                    action,
                    &rec.subject_type,
                    &rec.subject_id.to_string(),
                    json!({ "limit": rec.title, "due": rec.due.map(fmt_date), "notified": users.len() }),
                )?;
            }
            Ok(())
        })?;
        for (_, _, kind, _, _) in chunk {
            if *kind == "alert" {
                report.alerted += 1;
            } else {
                report.reminded += 1;
            }
        }
    }
    Ok(report)
}

/// Open limits of the given subtrees due on or before `horizon`, soonest first: what needs
/// attention on 我的工作.
pub fn attention(
    tx: &mut dyn Tx,
    scopes: &[String],
    horizon: Date,
    limit: i64,
) -> Result<Vec<LimitRecord>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(fmt_date(horizon).into());
    params.push(limit.into());
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("t.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    tx.query(
        &format!(
            "SELECT {cols} FROM time_limits t JOIN orgs o ON o.id = t.org_id
             WHERE {filter} AND t.state <> 'met' AND t.due_date <= ? ORDER BY t.due_date LIMIT ?"
        ),
        &params,
    )?
    .iter()
    .map(record)
    .collect()
}
