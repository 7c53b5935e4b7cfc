//! Laws and articles as stored, and their reads as of a day.

use super::*;

/// One law.
#[derive(Debug, Clone, Serialize)]
pub struct Law {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: LawKind,
    /// Full title.
    pub title: String,
    /// Short title.
    pub short_title: String,
    /// Issuing organ.
    pub issuer: String,
    /// Document number.
    pub number: String,
    /// Promulgated.
    pub promulgated_on: Option<Date>,
    /// First in force.
    pub effective_from: Date,
    /// No longer in force from.
    pub ended_on: Option<Date>,
    /// How it ended.
    pub ended_as: Option<String>,
    /// Last amended (in force from).
    pub amended_on: Option<Date>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Law {
    /// Whether it is in force on a day.
    pub fn in_force(&self, day: Date) -> bool {
        self.effective_from <= day && self.ended_on.is_none_or(|e| day < e)
    }
    /// Its state on a day, in Chinese.
    pub fn state_zh(&self, day: Date) -> String {
        if day < self.effective_from {
            "尚未施行".into()
        } else if let Some(e) = self.ended_on.filter(|e| day >= *e) {
            let _ = e;
            self.ended_as.clone().unwrap_or_else(|| "已失效".into())
        } else if self.amended_on.is_some_and(|a| a <= day) {
            "现行有效（已修改）".into()
        } else {
            "现行有效".into()
        }
    }
}

const COLUMNS: &str = "id, kind, title, short_title, issuer, number, promulgated_on, effective_from, ended_on, ended_as, amended_on, version";

fn date_col(r: &crate::Row, i: usize, col: &str) -> Result<Option<Date>, StoreError> {
    r.opt_text(i)?
        .map(|s| parse_date(&s).ok_or_else(|| StoreError::Db(format!("laws.{col}: {s}"))))
        .transpose()
}

fn row(r: &crate::Row) -> Result<Law, StoreError> {
    Ok(Law {
        id: r.i64(0)?,
        kind: kind_of(&r.text(1)?)?,
        title: r.text(2)?,
        short_title: r.text(3)?,
        issuer: r.text(4)?,
        number: r.text(5)?,
        promulgated_on: date_col(r, 6, "promulgated_on")?,
        effective_from: date_col(r, 7, "effective_from")?
            .ok_or_else(|| StoreError::Db("laws.effective_from: NULL".into()))?,
        ended_on: date_col(r, 8, "ended_on")?,
        ended_as: r.opt_text(9)?,
        amended_on: date_col(r, 10, "amended_on")?,
        version: r.i64(11)?,
    })
}

/// One law.
pub fn get(tx: &mut dyn Tx, id: i64) -> Result<Law, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM laws WHERE id = ?"),
        vals![id],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该法律法规"))
}

/// What the list asks.
#[derive(Debug, Clone, Default)]
pub struct LawFilter {
    /// Only this kind.
    pub kind: Option<LawKind>,
    /// Title contains.
    pub text: Option<String>,
    /// Only laws in force on this day.
    pub in_force_on: Option<Date>,
}

/// The laws, by kind and title.
pub fn list(tx: &mut dyn Tx, f: &LawFilter) -> Result<Vec<Law>, StoreError> {
    let mut sql = format!("SELECT {COLUMNS} FROM laws WHERE 1 = 1");
    let mut params: Vec<crate::Value> = Vec::new();
    if let Some(k) = f.kind {
        sql.push_str(" AND kind = ?");
        params.push(k.as_str().into());
    }
    if let Some(t) = f.text.as_ref().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        sql.push_str(&format!(" AND {}(title, ?) > 0", tx.engine().position_fn()));
        params.push(t.to_string().into());
    }
    if let Some(d) = f.in_force_on {
        sql.push_str(" AND effective_from <= ? AND (ended_on IS NULL OR ended_on > ?)");
        params.push(fmt_date(d).into());
        params.push(fmt_date(d).into());
    }
    sql.push_str(" ORDER BY kind, title");
    tx.query(&sql, &params)?.iter().map(row).collect()
}

/// One article version.
#[derive(Debug, Clone, Serialize)]
pub struct LawArticle {
    /// Row id.
    pub id: i64,
    /// Stable id (`art_58`).
    pub eid: String,
    /// Number as written (第五十八条).
    pub num: String,
    /// Text.
    pub body: String,
    /// In force from.
    pub valid_from: Date,
    /// No longer from.
    pub valid_to: Option<Date>,
    /// `amended` or `deleted` once closed.
    pub changed_as: Option<String>,
    /// `full` or `summary`.
    pub text_source: String,
}

/// The articles of a law: as on `day`, or the current ones (`None`), in order.
pub fn articles(
    tx: &mut dyn Tx,
    law_id: i64,
    day: Option<Date>,
) -> Result<Vec<LawArticle>, StoreError> {
    let (cond, params): (&str, Vec<crate::Value>) = match day {
        Some(d) => (
            "AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
            vec![law_id.into(), fmt_date(d).into(), fmt_date(d).into()],
        ),
        None => ("AND valid_to IS NULL", vec![law_id.into()]),
    };
    let mut out = tx
        .query(
            &format!(
                "SELECT id, eid, num, body, valid_from, valid_to, changed_as, text_source
                 FROM law_articles WHERE law_id = ? {cond}"
            ),
            &params,
        )?
        .iter()
        .map(|r| {
            let d = |i: usize| -> Result<Option<Date>, StoreError> {
                r.opt_text(i)?
                    .map(|s| {
                        parse_date(&s)
                            .ok_or_else(|| StoreError::Db(format!("law_articles date: {s}")))
                    })
                    .transpose()
            };
            Ok(LawArticle {
                id: r.i64(0)?,
                eid: r.text(1)?,
                num: r.text(2)?,
                body: r.text(3)?,
                valid_from: d(4)?
                    .ok_or_else(|| StoreError::Db("law_articles.valid_from".into()))?,
                valid_to: d(5)?,
                changed_as: r.opt_text(6)?,
                text_source: r.text(7)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    out.sort_by_key(|a| {
        a.eid
            .strip_prefix("art_")
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    });
    Ok(out)
}
