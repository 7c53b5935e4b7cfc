//! The State Council holiday notices in the database. The shipped notices are loaded on first
//! start; an administrator loads or corrects a year's notice, on the audit chain, and every open
//! due date is then recomputed.

use fazhi_domain::Refusal;
use fazhi_domain::calendar::{Calendar, Notice, NoticeFile};
use fazhi_domain::org::Role;
use serde_json::json;

use crate::org::By;
use crate::{StoreError, Tx, audit, now_ms, vals};

/// Reads every notice into a calendar.
pub fn load(tx: &mut dyn Tx) -> Result<Calendar, StoreError> {
    let rows = tx.query("SELECT body FROM calendar_notices ORDER BY year", &[])?;
    let mut notices = Vec::with_capacity(rows.len());
    for r in rows {
        notices.push(
            serde_json::from_str::<Notice>(&r.text(0)?)
                .map_err(|e| StoreError::Db(format!("calendar notice: {e}")))?,
        );
    }
    Ok(Calendar::new(notices))
}

/// Only an administrator of a whole tree (a root org) may change the calendar everyone uses.
fn require_root_admin(by: By<'_>) -> Result<(), StoreError> {
    match by {
        By::System => Ok(()),
        By::Actor(a)
            if a.scopes_with(Role::Admin)
                .iter()
                .any(|s| s.matches('/').count() == 2) =>
        {
            Ok(())
        }
        By::Actor(_) => Err(StoreError::Forbidden(Refusal::new(
            "calendar.not_root_admin",
            "放假安排影响全市所有期限，只有市局系统管理员可以载入或更正。",
        ))),
    }
}

/// Parses a notice file (one or more years), refusing it whole with every reason.
pub fn parse_file(text: &str) -> Result<Vec<Notice>, StoreError> {
    let file: NoticeFile = toml::from_str(text).map_err(|e| {
        StoreError::Invalid(vec![fazhi_domain::FieldError {
            field: "notice".into(),
            message: format!("放假安排文件格式有误：{}", e.message()),
        }])
    })?;
    if file.notices.is_empty() {
        return Err(StoreError::Invalid(vec![fazhi_domain::FieldError {
            field: "notice".into(),
            message: "放假安排文件中没有任何年份的通知（[[notices]]）".into(),
        }]));
    }
    let mut errors = Vec::new();
    for n in &file.notices {
        if let Err(e) = n.check() {
            errors.extend(e.into_iter().map(|message| fazhi_domain::FieldError {
                field: "notice".into(),
                message: format!("{} 年：{message}", n.year),
            }));
        }
    }
    if errors.is_empty() {
        Ok(file.notices)
    } else {
        Err(StoreError::Invalid(errors))
    }
}

/// Loads or corrects one year's notice. Returns whether anything changed.
pub fn put_notice(tx: &mut dyn Tx, by: By<'_>, notice: &Notice) -> Result<bool, StoreError> {
    require_root_admin(by)?;
    notice.check().map_err(|errors| {
        StoreError::Invalid(
            errors
                .into_iter()
                .map(|message| fazhi_domain::FieldError {
                    field: "notice".into(),
                    message,
                })
                .collect(),
        )
    })?;
    let body = serde_json::to_string(notice).map_err(|e| StoreError::Db(e.to_string()))?;
    let existing = tx.query_opt(
        "SELECT body FROM calendar_notices WHERE year = ?",
        vals![i64::from(notice.year)],
    )?;
    let action = match existing {
        Some(r) if r.text(0)? == body => return Ok(false),
        Some(_) => {
            tx.exec(
                "UPDATE calendar_notices SET number = ?, published = ?, body = ?, version = version + 1,
                    updated_at = ? WHERE year = ?",
                vals![&notice.number, &notice.published, &body, now_ms(), i64::from(notice.year)],
            )?;
            "calendar.correct_notice"
        }
        None => {
            tx.exec(
                "INSERT INTO calendar_notices (year, number, published, body, updated_at)
                 VALUES (?, ?, ?, ?, ?)",
                vals![
                    i64::from(notice.year),
                    &notice.number,
                    &notice.published,
                    &body,
                    now_ms()
                ],
            )?;
            "calendar.load_notice"
        }
    };
    let rest: usize = notice.holidays.iter().map(|h| h.dates.len()).sum();
    audit::append(
        tx,
        &by.who(),
        None,
        action,
        "calendar_notice",
        &notice.year.to_string(),
        json!({ "year": notice.year, "number": notice.number, "published": notice.published,
                "rest_days": rest, "workdays": notice.workdays }),
    )?;
    Ok(true)
}

/// Loads the shipped notices for the years not yet in the database (an administrator's
/// corrections are never overwritten). Returns the years loaded.
pub fn seed(store: &crate::Store, shipped: &str) -> Result<Vec<i32>, StoreError> {
    let notices = parse_file(shipped)?;
    let mut loaded = Vec::new();
    for n in notices {
        let added = store.write(|tx| {
            if tx
                .query_opt(
                    "SELECT year FROM calendar_notices WHERE year = ?",
                    vals![i64::from(n.year)],
                )?
                .is_some()
            {
                return Ok(false);
            }
            put_notice(tx, By::System, &n)
        })?;
        if added {
            loaded.push(n.year);
        }
    }
    Ok(loaded)
}

/// Loads or corrects notices (one transaction), then recomputes every open due date the changed
/// years touch; each change is on the chain. Returns (years changed, due dates changed).
pub fn load_notices(
    tx: &mut dyn Tx,
    by: By<'_>,
    notices: &[Notice],
    today: time::Date,
    warn: u32,
) -> Result<(Vec<i32>, usize), StoreError> {
    let mut years = Vec::new();
    for n in notices {
        if put_notice(tx, by, n)? {
            years.push(n.year);
        }
    }
    let cal = load(tx)?;
    let mut recomputed = 0;
    for y in &years {
        recomputed += crate::time_limit::recompute_for_year(tx, &by.who(), &cal, *y, today, warn)?;
    }
    Ok((years, recomputed))
}
