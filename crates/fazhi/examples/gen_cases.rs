//! Synthetic penalty cases for the benchmarks of issue 5 (BENCHMARKS.md, `bench/cases.sh`).
//!
//! Run after `fazhi demo`: every synthetic case is a copy of one of the demo's cases (its unit,
//! item, party kind, facts, report, penalty, fine, decision text, officers; not its documents,
//! evidence, limits or audit entries), moved in time so that the cases are opened evenly from
//! 2024-01-01 to today, with new case numbers and party names. Old cases are mostly archived,
//! recent ones in every stage; about 10 % are summary-procedure cases (closed once paid). Each
//! case gets the officers of the case it copies (`case_officers`). Ids grow with the day opened;
//! the demo's own cases keep their (lower) ids.
//!
//! `cargo run --release -p fazhi --example gen_cases -- (--data-dir DIR | --postgres URL) [--cases N]
//! [--today YYYY-MM-DD] [--no-analyze]`
//!
//! Ends with `ANALYZE` (on SQLite too, although fazhi itself never runs it there; `--no-analyze`
//! leaves SQLite as fazhi leaves it). Prints the timings, the number of the oldest synthetic case
//! (`oldest synthetic case: …`, a search that scans the whole table) and, last,
//! `first synthetic id: N` (the demo's cases have lower ids).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails loudly

use std::collections::HashMap;
use std::time::Instant;

use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_store::{Engine, Row, Store, Value, vals};
use time::macros::date;
use time::{Date, Duration};

/// Every column of `penalty_cases` but `id`, in the order the templates are read and written.
const COLUMNS: &str = "case_no, query_code_hash, org_id, lead_id, procedure_name, procedure_version, \
    stage, summary_procedure, item_code, item_name, benchmark_code, benchmark_version, party_kind, \
    party_name, party_id_no, party_address, facts, act_ended_on, discovered_on, long_limitation, \
    limitation_basis, opened_on, report, proposed, band, outside_band_reasons, review_reasons, \
    review_passed, review_opinion, hearing_right, notified_on, notified, statement, \
    statement_waived, hearing_on, hearing_record, collective_reason, collective_views, \
    collective_concluded, decided_on, outcome, decided, fine, decision_text, delivered_on, \
    delivery_method, paid_on, paid, surcharge, deferral, published_on, revoked_on, revoke_reason, \
    closed_on, archived_on, extended, handler_id, version, created_at, updated_at";

const DATES: [&str; 12] = [
    "act_ended_on",
    "discovered_on",
    "opened_on",
    "notified_on",
    "hearing_on",
    "decided_on",
    "delivered_on",
    "paid_on",
    "published_on",
    "revoked_on",
    "closed_on",
    "archived_on",
];

/// Cases per transaction.
const BATCH: usize = 50_000;
/// Cases per INSERT statement (61 parameters each: below SQLite's 32,766).
const ROWS_PER_STATEMENT: usize = 500;

const BRANDS: [&str; 24] = [
    "惠民", "金鼎", "华联", "百盛", "鑫源", "安达", "顺通", "绿城", "恒信", "嘉禾", "宏图", "博雅",
    "天润", "瑞丰", "聚福", "永兴", "德胜", "新港", "中联", "盛世", "佳美", "合众", "万象", "东方",
];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 16] = [
    "建华", "秀英", "志强", "丽娟", "海涛", "春梅", "国栋", "晓燕", "文博", "玉兰", "振宇", "桂芳",
    "明", "静", "伟", "芳",
];

/// A small deterministic generator, so every run makes the same cases.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.next(v.len() as u64) as usize]
    }
}

/// One demo case to copy.
struct Template {
    values: Vec<Value>,
    /// (user, certificate number, assigned at).
    officers: Vec<(i64, String, i64)>,
    /// The bureau's abbreviation in the case number (`金水` of `金水商务立〔2026〕12号`).
    abbr: String,
    /// The day the case was opened (or discovered, when not opened yet).
    anchor: Date,
    /// Its latest date: a copy never moves it past today.
    last: Date,
}

/// A column read back whatever its type (the schema has only BIGINT and TEXT).
fn value(r: &Row, i: usize) -> Value {
    match r.opt_i64(i) {
        Ok(v) => v.into(),
        Err(_) => r.opt_text(i).unwrap().into(),
    }
}

fn text(v: &Value) -> Option<&str> {
    match v {
        Value::Text(s) => Some(s),
        _ => None,
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

/// `INSERT INTO table (columns) VALUES (?, …), …` for `rows` rows.
fn insert_sql(table: &str, columns: &str, rows: usize) -> String {
    let n = columns.split(',').count();
    let one = format!("({})", vec!["?"; n].join(", "));
    format!(
        "INSERT INTO {table} ({columns}) VALUES {}",
        vec![one; rows].join(", ")
    )
}

/// A party name of the same kind and trade as the template's, from a larger set of names.
fn party_name(rng: &mut Lcg, template: &str, kind: &str) -> String {
    if kind == "person" {
        return format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
    }
    // 郑州 + brand (two characters) + trade.
    let trade: String = template
        .strip_prefix("郑州")
        .map_or(template, |rest| {
            rest.char_indices().nth(2).map_or(rest, |(i, _)| &rest[i..])
        })
        .to_string();
    format!("郑州{}{}{trade}", rng.pick(&BRANDS), rng.pick(&BRANDS))
}

#[allow(clippy::too_many_lines)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: usize = arg("--cases").map_or(1_000_000, |s| s.parse().unwrap());
    // Today in China, as the demo counts it.
    let today = arg("--today").map_or_else(
        || {
            time::OffsetDateTime::now_utc()
                .to_offset(time::macros::offset!(+8))
                .date()
        },
        |s| parse_date(&s).expect("--today YYYY-MM-DD"),
    );
    let first_day = date!(2024 - 01 - 01);
    let store = match (arg("--postgres"), arg("--data-dir")) {
        (Some(url), _) => Store::open_postgres(&url, None).unwrap(),
        (None, Some(dir)) => {
            Store::open_sqlite(&std::path::Path::new(&dir).join("fazhi.db")).unwrap()
        }
        (None, None) => {
            eprintln!(
                "usage: gen_cases (--data-dir DIR | --postgres URL) [--cases N] [--today YYYY-MM-DD] [--no-analyze]"
            );
            std::process::exit(2);
        }
    };
    store.migrate().unwrap();
    let engine = store.engine();
    let names: Vec<&str> = COLUMNS.split(',').map(str::trim).collect();
    let col = |name: &str| names.iter().position(|c| *c == name).unwrap();
    let dates: Vec<usize> = DATES.iter().map(|d| col(d)).collect();
    let (c_no, c_lead, c_kind, c_party) = (
        col("case_no"),
        col("lead_id"),
        col("party_kind"),
        col("party_name"),
    );
    let (c_stage, c_summary, c_created, c_updated) = (
        col("stage"),
        col("summary_procedure"),
        col("created_at"),
        col("updated_at"),
    );
    let (c_decided_on, c_fine, c_paid_on, c_paid, c_closed_on) = (
        col("decided_on"),
        col("fine"),
        col("paid_on"),
        col("paid"),
        col("closed_on"),
    );

    // The demo's cases and their officers.
    let (rows, officer_rows, max_id) = store
        .read(|tx| {
            let rows = tx.query(
                &format!("SELECT {COLUMNS} FROM penalty_cases ORDER BY id"),
                &[],
            )?;
            let officers = tx.query(
                "SELECT case_id, user_id, certificate_no, assigned_at, c.case_no
                 FROM case_officers JOIN penalty_cases c ON c.id = case_id",
                &[],
            )?;
            let max = tx
                .query_opt("SELECT MAX(id) FROM penalty_cases", &[])?
                .and_then(|r| r.opt_i64(0).ok().flatten())
                .unwrap_or(0);
            Ok((rows, officers, max))
        })
        .unwrap();
    if rows.is_empty() {
        eprintln!("no cases to copy: run `fazhi demo` first");
        std::process::exit(1);
    }
    if rows.len() > 10_000 {
        eprintln!(
            "{} cases already: synthetic cases were generated before",
            rows.len()
        );
        std::process::exit(1);
    }
    let mut by_case: HashMap<String, Vec<(i64, String, i64)>> = HashMap::new();
    for r in &officer_rows {
        by_case.entry(r.text(4).unwrap()).or_default().push((
            r.i64(1).unwrap(),
            r.text(2).unwrap(),
            r.i64(3).unwrap(),
        ));
    }
    let templates: Vec<Template> = rows
        .iter()
        .map(|r| {
            let values: Vec<Value> = (0..names.len()).map(|i| value(r, i)).collect();
            let no = text(&values[c_no]).unwrap().to_string();
            let day = |c: &str| text(&values[col(c)]).and_then(parse_date);
            let all: Vec<Date> = dates
                .iter()
                .filter_map(|&i| text(&values[i]).and_then(parse_date))
                .collect();
            Template {
                officers: by_case.remove(&no).unwrap_or_default(),
                abbr: no.split("商务").next().unwrap_or("基准").to_string(),
                anchor: day("opened_on")
                    .or_else(|| day("discovered_on"))
                    .unwrap_or(today),
                last: all.iter().copied().max().unwrap_or(today),
                values,
            }
        })
        .collect();

    // Pools: summary-procedure cases, and general-procedure cases by stage.
    let mut summary = Vec::new();
    let mut general = Vec::new();
    let mut by_stage: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in templates.iter().enumerate() {
        if int(&t.values[c_summary]) == 1 {
            summary.push(i);
        } else {
            general.push(i);
            by_stage
                .entry(text(&t.values[c_stage]).unwrap().to_string())
                .or_default()
                .push(i);
        }
    }
    let mut stages: Vec<_> = by_stage
        .iter()
        .map(|(s, v)| format!("{s} {}", v.len()))
        .collect();
    stages.sort();
    println!(
        "templates: {} demo cases ({} summary procedure; general by stage: {})",
        templates.len(),
        summary.len(),
        stages.join(", ")
    );
    // Older cases are mostly finished: (stage, weight) by age of the case in days.
    let old: &[(&str, u64)] = &[
        ("archived", 88),
        ("closed", 6),
        ("executed", 2),
        ("executing", 3),
        ("revoked", 1),
    ];
    let middle: &[(&str, u64)] = &[
        ("archived", 45),
        ("closed", 20),
        ("executed", 15),
        ("executing", 12),
        ("decided", 5),
        ("notified", 3),
    ];
    let mut rng = Lcg(2026_1126);
    let choose = |rng: &mut Lcg, age: i64| -> usize {
        if rng.next(100) < 10 && !summary.is_empty() {
            return *rng.pick(&summary);
        }
        let weights = match age {
            a if a > 180 => old,
            a if a > 60 => middle,
            _ => &[][..],
        };
        let total: u64 = weights.iter().map(|w| w.1).sum();
        let mut x = rng.next(total);
        for (stage, w) in weights {
            if x < *w {
                if let Some(pool) = by_stage.get(*stage) {
                    return *rng.pick(pool);
                }
                break;
            }
            x -= w;
        }
        *rng.pick(&general)
    };

    let span = (today - first_day).whole_days();
    let mut counters: HashMap<(String, i32), i64> = HashMap::new();
    let case_sql = insert_sql(
        "penalty_cases",
        &format!("id, {COLUMNS}"),
        ROWS_PER_STATEMENT,
    );
    let officer_columns = "case_id, user_id, certificate_no, assigned_at";
    let first_id = max_id + 1;
    let mut officers_total = 0usize;
    let t_all = Instant::now();
    let mut t_batch = Instant::now();
    for batch_start in (0..n).step_by(BATCH) {
        let batch_end = (batch_start + BATCH).min(n);
        let mut cases: Vec<Value> = Vec::with_capacity((batch_end - batch_start) * 61);
        let mut officers: Vec<Value> = Vec::new();
        for i in batch_start..batch_end {
            // Opened evenly from 2024-01-01 to today, in id order.
            let opened = first_day + Duration::days(span * i as i64 / n as i64);
            let t = &templates[choose(&mut rng, (today - opened).whole_days())];
            // Move the copy so it opens on `opened`, never later than today.
            let shift = (opened - t.anchor).min(today - t.last).whole_days();
            let id = first_id + i as i64;
            let mut v = t.values.clone();
            for &c in &dates {
                if let Some(d) = text(&v[c]).and_then(parse_date) {
                    v[c] = fmt_date(d + Duration::days(shift)).into();
                }
            }
            let year = text(&v[col("opened_on")])
                .or_else(|| text(&v[col("discovered_on")]))
                .and_then(parse_date)
                .map_or(today.year(), Date::year);
            let k = counters.entry((t.abbr.clone(), year)).or_insert(1000);
            *k += 1;
            v[c_no] = format!("{}商务立〔{year}〕{k}号", t.abbr).into();
            v[c_lead] = Value::Null;
            // A summary-procedure fine is paid within 15 days (art. 67): older ones are closed.
            if int(&v[c_summary]) == 1
                && (today - opened).whole_days() > 15
                && let Some(d) = text(&v[c_decided_on]).and_then(parse_date)
            {
                let paid = fmt_date(d + Duration::days(rng.next(15) as i64));
                v[c_stage] = "closed".into();
                v[c_paid_on] = paid.clone().into();
                v[c_closed_on] = paid.into();
                v[c_paid] = v[c_fine].clone();
            }
            let kind = text(&v[c_kind]).unwrap_or("org").to_string();
            let party = text(&v[c_party]).unwrap_or_default().to_string();
            v[c_party] = party_name(&mut rng, &party, &kind).into();
            let ms = shift * 86_400_000;
            v[c_created] = (int(&v[c_created]) + ms).into();
            v[c_updated] = (int(&v[c_updated]) + ms).into();
            cases.push(id.into());
            cases.extend(v);
            for (user, cert, at) in &t.officers {
                officers.extend([
                    id.into(),
                    (*user).into(),
                    cert.clone().into(),
                    (at + ms).into(),
                ]);
            }
        }
        officers_total += officers.len() / 4;
        store
            .write(|tx| {
                for chunk in cases.chunks(61 * ROWS_PER_STATEMENT) {
                    if chunk.len() == 61 * ROWS_PER_STATEMENT {
                        tx.exec(&case_sql, chunk)?;
                    } else {
                        let sql = insert_sql(
                            "penalty_cases",
                            &format!("id, {COLUMNS}"),
                            chunk.len() / 61,
                        );
                        tx.exec(&sql, chunk)?;
                    }
                }
                for chunk in officers.chunks(4 * 2 * ROWS_PER_STATEMENT) {
                    let sql = insert_sql("case_officers", officer_columns, chunk.len() / 4);
                    tx.exec(&sql, chunk)?;
                }
                Ok(())
            })
            .unwrap();
        if batch_end.is_multiple_of(200_000) || batch_end == n {
            println!(
                "  {batch_end} cases inserted ({:.1} s since the previous line)",
                t_batch.elapsed().as_secs_f64(),
            );
            t_batch = Instant::now();
        }
    }
    let insert_secs = t_all.elapsed().as_secs_f64();
    println!(
        "inserted {n} cases and {officers_total} case officers in {insert_secs:.1} s ({:.0} cases/s, {BATCH} per transaction, {ROWS_PER_STATEMENT} per statement)",
        n as f64 / insert_secs
    );
    if engine == Engine::Postgres {
        // Explicit ids: move the identity past them.
        store
            .write(|tx| {
                tx.query(
                    "SELECT setval(pg_get_serial_sequence('penalty_cases', 'id'), (SELECT MAX(id) FROM penalty_cases))",
                    &[],
                )
                .map(|_| ())
            })
            .unwrap();
    }
    if args.iter().any(|a| a == "--no-analyze") {
        println!("ANALYZE: not run");
    } else {
        let t = Instant::now();
        store
            .write(|tx| {
                if engine == Engine::Postgres {
                    tx.batch("ANALYZE penalty_cases; ANALYZE case_officers; ANALYZE orgs")
                } else {
                    tx.batch("ANALYZE")
                }
            })
            .unwrap();
        println!("ANALYZE: {:.1} s", t.elapsed().as_secs_f64());
    }
    let (total, y2026, oldest) = store
        .read(|tx| {
            let total = tx
                .query_opt("SELECT COUNT(*) FROM penalty_cases", &[])?
                .unwrap()
                .i64(0)?;
            let y = tx
                .query_opt(
                    "SELECT COUNT(*) FROM penalty_cases WHERE opened_on >= ? AND opened_on <= ?",
                    vals!["2026-01-01", "2026-12-31"],
                )?
                .unwrap()
                .i64(0)?;
            let oldest = tx
                .query_opt(
                    "SELECT case_no FROM penalty_cases WHERE id = ?",
                    vals![first_id],
                )?
                .map(|r| r.text(0))
                .transpose()?
                .unwrap_or_default();
            Ok((total, y, oldest))
        })
        .unwrap();
    println!("cases now: {total} ({y2026} opened in 2026)");
    println!("oldest synthetic case: {oldest}");
    println!("first synthetic id: {first_id}");
}
