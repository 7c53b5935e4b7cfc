//! Discretion benchmarks in the database: versions published with their effective dates (never
//! changed afterwards), the version in force on a date, and each benchmark's history.

use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::enforcement::discretion::{Benchmark, BenchmarkFile};
use fazhi_domain::org::Role;
use fazhi_domain::{FieldError, Refusal};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit;
use crate::org::By;
use crate::{Row, Store, StoreError, Tx, now_ms, vals};

/// One published version.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    /// The benchmark.
    pub benchmark: Benchmark,
    /// Its version number.
    pub version: i64,
    /// In force from.
    pub effective_from: Date,
}

fn row(r: &Row) -> Result<Published, StoreError> {
    Ok(Published {
        benchmark: serde_json::from_str(&r.text(0)?).map_err(|e| StoreError::Db(e.to_string()))?,
        version: r.i64(1)?,
        effective_from: parse_date(&r.text(2)?).ok_or_else(|| StoreError::Db("bad date".into()))?,
    })
}

/// Parses a benchmark file, refusing it whole with every reason.
pub fn parse_file(text: &str) -> Result<Vec<(Benchmark, Date)>, StoreError> {
    let invalid = |m: String| {
        StoreError::Invalid(vec![FieldError {
            field: "benchmarks".into(),
            message: m,
        }])
    };
    let file: BenchmarkFile = toml::from_str(text)
        .map_err(|e| invalid(format!("裁量基准文件格式有误：{}", e.message())))?;
    if file.benchmarks.is_empty() {
        return Err(invalid("文件中没有任何裁量基准（[[benchmarks]]）".into()));
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for d in file.benchmarks {
        if let Err(e) = d.benchmark.check() {
            errors.extend(e);
        }
        match parse_date(&d.effective_from) {
            Some(date) => out.push((d.benchmark, date)),
            None => errors.push(format!(
                "{}：生效日期「{}」不是有效日期",
                d.benchmark.code, d.effective_from
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(StoreError::Invalid(
            errors
                .into_iter()
                .map(|message| FieldError {
                    field: "benchmarks".into(),
                    message,
                })
                .collect(),
        ))
    }
}

/// Publishes the benchmarks that changed as new versions. The benchmarks apply city-wide, so the
/// city's legal division publishes them (its role reaching the whole tree), not a county's legal
/// unit. Returns (code, version) of each new version.
pub fn publish(
    tx: &mut dyn Tx,
    by: By<'_>,
    items: &[(Benchmark, Date)],
) -> Result<Vec<(String, i64)>, StoreError> {
    if let By::Actor(a) = by
        && !a.holds_over_root(Role::LegalDivision)
    {
        return Err(StoreError::Forbidden(Refusal::new(
            "discretion.not_legal_division",
            "裁量基准在全市统一适用，由市局法制机构制定、公布；县（市、区）法制机构不能发布。",
        )));
    }
    let mut out = Vec::new();
    for (b, from) in items {
        let latest = versions(tx, &b.code)?.into_iter().next_back();
        if latest.as_ref().is_some_and(|l| l.benchmark == *b) {
            continue;
        }
        if let Some(l) = &latest
            && *from < l.effective_from
        {
            return Err(StoreError::Refused(Refusal::new(
                "discretion.before_latest",
                format!(
                    "{} 的新版本生效日期不能早于现行版本的生效日期 {}。",
                    b.code,
                    fmt_date(l.effective_from)
                ),
            )));
        }
        let version = latest.map_or(1, |l| l.version + 1);
        tx.exec(
            "INSERT INTO published_benchmarks (code, version, effective_from, violation, power_code, body, published_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vals![&b.code, version, fmt_date(*from), &b.violation, &b.power_code,
                  serde_json::to_string(b).map_err(|e| StoreError::Db(e.to_string()))?, now_ms()],
        )?;
        audit::append(
            tx,
            &by.who(),
            None,
            "discretion.publish_benchmark",
            "benchmark",
            &b.code,
            json!({ "name": b.violation, "version": version, "effective_date": fmt_date(*from) }),
        )?;
        out.push((b.code.clone(), version));
    }
    Ok(out)
}

/// Every version of one benchmark, oldest first.
pub fn versions(tx: &mut dyn Tx, code: &str) -> Result<Vec<Published>, StoreError> {
    tx.query(
        "SELECT body, version, effective_from FROM published_benchmarks WHERE code = ? ORDER BY version",
        vals![code],
    )?
    .iter()
    .map(row)
    .collect()
}

/// The version of each benchmark in force on `on`.
pub fn in_force(tx: &mut dyn Tx, on: Date) -> Result<Vec<Published>, StoreError> {
    let rows = tx.query(
        "SELECT body, version, effective_from FROM published_benchmarks b WHERE effective_from <= ?
           AND version = (SELECT MAX(version) FROM published_benchmarks x WHERE x.code = b.code AND x.effective_from <= ?)
         ORDER BY code",
        vals![fmt_date(on), fmt_date(on)],
    )?;
    rows.iter().map(row).collect()
}

/// Loads the shipped benchmarks when none are published yet.
pub fn seed(store: &Store, shipped: &str) -> Result<usize, StoreError> {
    let any = store.read(|tx| {
        Ok(tx
            .query_opt("SELECT id FROM published_benchmarks LIMIT 1", &[])?
            .is_some())
    })?;
    if any {
        return Ok(0);
    }
    let items = parse_file(shipped)?;
    store
        .write(|tx| publish(tx, By::System, &items))
        .map(|v| v.len())
}
