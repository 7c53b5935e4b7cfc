//! Benchmarks of the time engine (BENCHMARKS.md):
//! 1. due-date computations per second (with their explanations), on the shipped calendar;
//! 2. the reminder sweep with 1,000,000 open limits in SQLite (or PostgreSQL with `--postgres URL`):
//!    the catch-up sweep of a first run and the sweep of the next day.
//!
//! `cargo run --release -p fazhi --example bench_time -- [--limits N] [--postgres URL]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails loudly

use std::time::Instant;

use fazhi_domain::calendar::fmt_date;
use fazhi_domain::org::OrgKind;
use fazhi_domain::time_limit::{Count, TimeLimit};
use fazhi_store::org::{self, By, NewOrg};
use fazhi_store::{Store, calendar, time_limit, vals};
use time::Duration;
use time::macros::date;

const SHIPPED: &str = include_str!("../../../data/calendar/holidays.toml");

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: usize = arg("--limits").map_or(1_000_000, |s| s.parse().unwrap());

    // 1. Due dates.
    let notices = calendar::parse_file(SHIPPED).unwrap();
    let cal = fazhi_domain::calendar::Calendar::new(notices);
    let lengths = [5u32, 7, 15, 20, 60, 90];
    let t = Instant::now();
    let mut checksum = 0i64;
    let count = 1_000_000;
    for i in 0..count {
        let start = date!(2018 - 01 - 01) + Duration::days((i % 3000) as i64);
        let c = if i % 2 == 0 {
            Count::Working
        } else {
            Count::Calendar
        };
        let d = TimeLimit::new(start, lengths[i % 6], c, "基准", None).compute(&cal);
        checksum += i64::from(d.due.map_or(0, |d| d.ordinal()));
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "due dates: {count} computations in {secs:.2} s = {:.0} per second (checksum {checksum})",
        count as f64 / secs
    );

    // 2. The sweep.
    let dir = std::env::temp_dir().join(format!("fazhi-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = match arg("--postgres") {
        Some(url) => {
            Store::open_postgres(&url, Some(&format!("bench_{}", std::process::id()))).unwrap()
        }
        None => Store::open_sqlite(&dir.join("fazhi.db")).unwrap(),
    };
    store.migrate().unwrap();
    calendar::seed(&store, SHIPPED).unwrap();
    let org_id = store
        .write(|tx| {
            org::create_org(
                tx,
                By::System,
                &NewOrg {
                    parent_id: None,
                    code: "bench".into(),
                    name: "基准单位".into(),
                    kind: OrgKind::Bureau,
                    sort_order: 0,
                },
            )
        })
        .unwrap();
    let today = date!(2026 - 11 - 27);
    let t = Instant::now();
    let batch = 50_000;
    for chunk_start in (0..n).step_by(batch) {
        store
            .write(|tx| {
                for i in chunk_start..(chunk_start + batch).min(n) {
                    // Open limits whose due dates spread over the next ~1,000 days.
                    let start = today + Duration::days((i % 1000) as i64 - 25);
                    let spec = TimeLimit::new(start, 20, Count::Working, "政府信息公开条例 第三十三条", Some(20));
                    let due = spec.compute(&cal);
                    tx.exec(
                        "INSERT INTO time_limits (subject_type, subject_id, limit_key, title, org_id, spec,
                            due_date, provisional, state, created_at, updated_at)
                         VALUES ('bench', ?, 'answer', '答复期限', ?, ?, ?, ?, 'running', 0, 0)",
                        vals![i as i64, org_id, serde_json::to_string(&spec).unwrap(), due.due.map(fmt_date), due.provisional],
                    )?;
                }
                Ok(())
            })
            .unwrap();
    }
    println!(
        "inserted {n} open limits in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let link = |_: &time_limit::LimitRecord| "/app/work".to_string();
    let t = Instant::now();
    let first = time_limit::sweep(&store, &cal, today, 3, link).unwrap();
    println!(
        "first sweep (catch-up) with {n} open limits: {:.2} s — examined {}, reminders {}, alerts {}",
        t.elapsed().as_secs_f64(),
        first.examined,
        first.reminded,
        first.alerted
    );
    let t = Instant::now();
    // 2026-11-27 is a Friday: the next working day is Monday 2026-11-30.
    let next = time_limit::sweep(&store, &cal, today + Duration::days(3), 3, link).unwrap();
    println!(
        "next working day's sweep with {n} open limits: {:.2} s — examined {}, reminders {}, alerts {}",
        t.elapsed().as_secs_f64(),
        next.examined,
        next.reminded,
        next.alerted
    );
    if arg("--postgres").is_some() {
        let schema = format!("bench_{}", std::process::id());
        store
            .write(|tx| tx.batch(&format!("DROP SCHEMA {schema} CASCADE")))
            .unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
