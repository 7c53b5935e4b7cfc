//! The CLI of time and procedures: `fazhi calendar …`, `fazhi procedures check`,
//! `fazhi limits sweep`, and the start-up loading of notices and procedure files.

use std::path::Path;

use fazhi_domain::calendar::{Calendar, fmt_date, parse_date};
use fazhi_domain::procedure::{Procedure, Registry};
use fazhi_domain::time_limit::{Count, TimeLimit};
use fazhi_store::capability::guards as registered_guards;
use fazhi_store::org::By;
use fazhi_store::{Store, calendar, procedure, time_limit};

/// The notices shipped with fazhi, loaded on first start for the years not yet in the database.
pub const SHIPPED_NOTICES: &str = include_str!("../../../data/calendar/holidays.toml");

/// The procedure files built into the binary, used when the procedures directory is absent.
const EMBEDDED_PROCEDURES: &[(&str, &str)] = &[
    (
        "procedures/disclosure-request.toml",
        include_str!("../../../procedures/disclosure-request.toml"),
    ),
    (
        "procedures/licensing-application.toml",
        include_str!("../../../procedures/licensing-application.toml"),
    ),
    (
        "procedures/penalty-general.toml",
        include_str!("../../../procedures/penalty-general.toml"),
    ),
    (
        "procedures/normative-document.toml",
        include_str!("../../../procedures/normative-document.toml"),
    ),
    (
        "procedures/major-decision.toml",
        include_str!("../../../procedures/major-decision.toml"),
    ),
    (
        "procedures/reconsideration-respondent.toml",
        include_str!("../../../procedures/reconsideration-respondent.toml"),
    ),
    (
        "procedures/litigation-defendant.toml",
        include_str!("../../../procedures/litigation-defendant.toml"),
    ),
];

/// The local rules of major decisions from `path`, or the shipped ones when it is absent.
pub fn load_decision_rules(path: &Path) -> Result<fazhi_domain::decision::Rules, String> {
    use fazhi_domain::decision::Rules;
    if !path.exists() {
        tracing::warn!(path = %path.display(), "decision rules file missing; using the shipped rules");
        return Rules::shipped();
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("无法读取重大行政决策规则文件 {}：{e}", path.display()))?;
    Rules::parse(&text)
}

/// The local rules of the penalty procedure from `path`, or the shipped ones when it is absent.
pub fn load_rules(path: &Path) -> Result<fazhi_domain::enforcement::case::Rules, String> {
    use fazhi_domain::enforcement::case::Rules;
    if !path.exists() {
        tracing::warn!(path = %path.display(), "enforcement rules file missing; using the shipped rules");
        return Ok(Rules::shipped());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("无法读取执法规则文件 {}：{e}", path.display()))?;
    Rules::parse(&text).map_err(|e| format!("{}：{e}", path.display()))
}

/// The local rules of normative documents: the file, or the shipped rules when it is absent.
pub fn load_normative_rules(path: &Path) -> Result<fazhi_domain::normative::Rules, String> {
    use fazhi_domain::normative::Rules;
    if !path.exists() {
        tracing::warn!(path = %path.display(), "normative rules file missing; using the shipped rules");
        return Rules::shipped();
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("无法读取规范性文件规则文件 {}：{e}", path.display()))?;
    Rules::parse(&text).map_err(|e| format!("{}：{e}", path.display()))
}

/// Loads the shipped law database into an empty one, then links every record that cites law
/// (power items, benchmarks, normative documents, the steps of the procedures) to its articles.
pub fn prepare_laws(
    store: &Store,
    procedures: &fazhi_domain::procedure::Registry,
) -> Result<(), String> {
    let mut steps = Vec::new();
    for p in procedures.all_current() {
        for a in &p.actions {
            steps.push((
                "procedure_action".to_string(),
                format!("{}:{}", p.name, a.id),
                a.basis.clone(),
            ));
        }
    }
    let (seeded, links) = store
        .write(|tx| {
            let n = fazhi_store::law::seed(tx, fazhi_store::law::SHIPPED)?;
            Ok((
                n,
                fazhi_store::law::relink_all(tx, &steps, fazhi_web::today())?,
            ))
        })
        .map_err(|e| format!("法律法规库：{e}"))?;
    if seeded > 0 {
        tracing::info!(seeded, "law database seeded");
    }
    tracing::info!(links, "records linked to the articles they cite");
    Ok(())
}

/// The discretion benchmarks shipped with fazhi, published on first start.
pub const SHIPPED_BENCHMARKS: &str = include_str!("../../../data/discretion/benchmarks.toml");

/// Publishes the shipped discretion benchmarks if none are published yet.
pub fn prepare_benchmarks(store: &Store) -> Result<(), String> {
    let n = fazhi_store::discretion::seed(store, SHIPPED_BENCHMARKS)
        .map_err(|e| format!("裁量基准数据有误：{e}"))?;
    if n > 0 {
        tracing::info!(n, "discretion benchmarks published");
    }
    Ok(())
}

/// Loads the shipped notices for missing years; returns the calendar.
pub fn prepare_calendar(store: &Store) -> Result<Calendar, String> {
    let loaded =
        calendar::seed(store, SHIPPED_NOTICES).map_err(|e| format!("放假安排数据有误：{e}"))?;
    if !loaded.is_empty() {
        tracing::info!(?loaded, "holiday notices loaded");
    }
    store.read(calendar::load).map_err(|e| e.to_string())
}

/// Reads the procedure files (`*.toml`) of `dir`, or the built-in ones when it does not exist.
pub fn procedure_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
    if !dir.exists() {
        tracing::warn!(dir = %dir.display(), "procedures directory missing; using the built-in procedures");
        return Ok(EMBEDDED_PROCEDURES
            .iter()
            .map(|(f, t)| (f.to_string(), t.to_string()))
            .collect());
    }
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("无法读取程序目录 {}：{e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("toml") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
            files.push((path.display().to_string(), text));
        }
    }
    files.sort();
    Ok(files)
}

/// The procedure names of the files (their stems).
fn procedure_names(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .map(|(f, _)| {
            Path::new(f)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(f)
                .to_string()
        })
        .collect()
}

/// Loads and registers the procedures; start-up stops on any error, with file and line: in a
/// file, an action without code, or a procedure with code but no file.
pub fn prepare_procedures(store: &Store, dir: &Path) -> Result<Registry, String> {
    let files = procedure_files(dir)?;
    let names = procedure_names(&files);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut errors = fazhi_store::capability::check_directory(&names);
    match procedure::load_registry(store, &files) {
        Ok(reg) if errors.is_empty() => return Ok(reg),
        Ok(_) => {}
        Err(es) => errors.extend(es),
    }
    Err(format!("程序文件有误，无法启动：\n{}", errors.join("\n")))
}

/// `fazhi procedures check`: the start-up check, without writing anything.
pub fn check_procedures(store: Option<&Store>, dir: &Path) -> Result<String, String> {
    let guards = registered_guards();
    let names: Vec<&str> = guards.keys().copied().collect();
    let effects = fazhi_store::capability::effects();
    let mut out = Vec::new();
    let files = procedure_files(dir)?;
    let loaded = procedure_names(&files);
    let loaded: Vec<&str> = loaded.iter().map(String::as_str).collect();
    let mut errors = fazhi_store::capability::check_directory(&loaded);
    let mut current = Vec::new();
    for (file, text) in files {
        match Procedure::load(&file, &text, &names) {
            Ok(p) => {
                current.push((p.name.clone(), p.version));
                let unrun = p.check_effects(&file, &effects);
                if !unrun.is_empty() {
                    errors.extend(unrun.iter().map(ToString::to_string));
                    continue;
                }
                if let Some(store) = store {
                    let stored = store
                        .read(|tx| procedure::source(tx, &p.name, p.version))
                        .map_err(|e| e.to_string())?;
                    if stored.is_some_and(|s| s != text) {
                        errors.push(format!(
                            "{file}：内容已改变但 version 仍为 {}，请提高版本号。",
                            p.version
                        ));
                        continue;
                    }
                }
                out.push(format!(
                    "{file}：通过（{}，第 {} 版；{} 个阶段、{} 个操作、{} 个期限）",
                    p.title,
                    p.version,
                    p.stages.len(),
                    p.actions.len(),
                    p.limits.len()
                ));
            }
            Err(es) => errors.extend(es.iter().map(ToString::to_string)),
        }
    }
    if let Some(store) = store {
        let (_, unrun) = procedure::older_versions(store, &current).map_err(|e| e.to_string())?;
        errors.extend(unrun);
    }
    if errors.is_empty() {
        Ok(out.join("\n"))
    } else {
        Err(errors.join("\n"))
    }
}

fn date_arg(s: &str, what: &str) -> Result<time::Date, String> {
    parse_date(s).ok_or_else(|| format!("{what}「{s}」不是有效日期（格式如 2026-09-28）"))
}

/// `fazhi calendar list`: one line per day, `YYYY-MM-DD<TAB>work|rest[<TAB>provisional]`.
pub fn list(cal: &Calendar, from: &str, to: &str) -> Result<String, String> {
    let (from, to) = (date_arg(from, "--from")?, date_arg(to, "--to")?);
    if to < from {
        return Err("--to 不能早于 --from".into());
    }
    let mut out = String::new();
    let mut d = from;
    loop {
        let info = cal.day(d);
        out.push_str(&fmt_date(d));
        out.push('\t');
        out.push_str(if info.working { "work" } else { "rest" });
        if info.provisional {
            out.push_str("\tprovisional");
        }
        out.push('\n');
        if d >= to {
            break;
        }
        d = d.next_day().ok_or("日期超出范围")?;
    }
    Ok(out)
}

/// `fazhi calendar due`: the due date, then how it was worked out.
pub fn due(cal: &Calendar, from: &str, days: u32, count: Count) -> Result<String, String> {
    let start = date_arg(from, "--from")?;
    let d = TimeLimit::new(start, days, count, "命令行计算", None).compute(cal);
    let due = d.due.map(fmt_date).unwrap_or_default();
    let mut out = format!(
        "{due}{}\n",
        if d.provisional { "\tprovisional" } else { "" }
    );
    for l in d.explanation {
        out.push_str("  ");
        out.push_str(&l);
        out.push('\n');
    }
    Ok(out)
}

/// `fazhi calendar load FILE`.
pub fn load(store: &Store, file: &Path, warn: u32) -> Result<String, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
    let notices = calendar::parse_file(&text).map_err(|e| match e {
        fazhi_store::StoreError::Invalid(f) => f
            .iter()
            .map(|x| x.message.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        e => e.to_string(),
    })?;
    let (years, recomputed) = store
        .write(|tx| calendar::load_notices(tx, By::System, &notices, fazhi_web::today(), warn))
        .map_err(|e| e.to_string())?;
    if years.is_empty() {
        return Ok("内容与已载入的通知相同，没有变化。".into());
    }
    let ys: Vec<String> = years.iter().map(ToString::to_string).collect();
    Ok(format!(
        "已载入 {} 年的放假安排；重新计算了 {recomputed} 个未办结期限的到期日。",
        ys.join("、")
    ))
}

/// One sweep of the time limits as of `today`.
pub fn sweep(
    store: &Store,
    today: time::Date,
    warn: u32,
) -> Result<time_limit::SweepReport, String> {
    let cal = store.read(calendar::load).map_err(|e| e.to_string())?;
    let certs =
        fazhi_store::certificate::remind_expiring(store, today, 30).map_err(|e| e.to_string())?;
    if certs > 0 {
        println!("执法证件到期提醒 {certs} 条。");
    }
    time_limit::sweep(store, &cal, today, warn, |l| {
        fazhi_web::work::subject_link(&l.subject_type, l.subject_id)
    })
    .map_err(|e| e.to_string())
}

/// Parses `--today`, defaulting to today in Beijing.
pub fn today_arg(s: Option<&str>) -> Result<time::Date, String> {
    s.map_or_else(|| Ok(fazhi_web::today()), |s| date_arg(s, "--today"))
}
