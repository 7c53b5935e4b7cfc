//! `fazhi demo`: loads the demo data set idempotently (orgs by code, users by user name, roles
//! as missing), with a progress bar, and prints the demo sign-ins.

use std::collections::HashMap;
use std::io::Write;

use fazhi_domain::calendar::Calendar;
use fazhi_domain::org::{OrgKind, Role};
use fazhi_domain::procedure::Registry;
use fazhi_store::audit::Who;
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, StoreError, auth, disclosure};
use serde::Deserialize;
use time::Date;

const DATA: &str = include_str!("../../../data/demo/zhengzhou.toml");
const POWER_LIST: &str = include_str!("../../../data/demo/power-list.csv");

/// The bureau's power list: imported as published on 2018-01-01, then adjusted as the law
/// changed (典当 supervision moved away in 2018; 对外贸易法 art. 9 deleted on 2022-12-30; a
/// promised time limit shortened in 2023).
fn load_powers(store: &Store) -> Result<usize, String> {
    use fazhi_domain::power::AdjustmentKind;
    use fazhi_store::power::{self, NewAdjustment};
    let e = |e: StoreError| e.to_string();
    let have = store
        .read(|tx| Ok(!power::all_codes(tx)?.is_empty()))
        .map_err(e)?;
    if have {
        return Ok(0);
    }
    let rows = fazhi_store::power_io::parse_csv(POWER_LIST);
    let date = |s: &str| fazhi_domain::calendar::parse_date(s).ok_or(format!("bad date {s}"));
    store
        .write(|tx| {
            let orgs: Vec<String> = org::list_orgs(tx, &["/".into()])?.into_iter().map(|o| o.code).collect();
            let mut items = fazhi_domain::power::import::read_rows(&rows, &orgs, &[]).map_err(|errs| {
                StoreError::Db(errs.iter().map(ToString::to_string).collect::<Vec<_>>().join("；"))
            })?;
            let current = items.iter().find(|i| i.code == "ZZSW-XK-001").cloned();
            if let Some(i) = items.iter_mut().find(|i| i.code == "ZZSW-XK-001")
                && let Some(a) = i.application.as_mut()
            {
                a.promised_days = 20;
            }
            let n = power::import(tx, By::System, &items, "公布 2018 年市级权责清单", "郑州市人民政府公布市级政府部门权责清单", date("2018-01-01").map_err(StoreError::Db)?)?;
            let adjust = |tx: &mut dyn fazhi_store::Tx, kind, code: &str, item, reason: &str, basis: &str, eff: &str| {
                power::adjust(
                    tx,
                    By::System,
                    &NewAdjustment { kind, code: code.into(), item, reason: reason.into(), basis: basis.into(), effective: date(eff).map_err(StoreError::Db)? },
                )
            };
            let basis_pawn = "商务部办公厅关于融资租赁公司、商业保理公司和典当行管理职责调整有关事宜的通知（2018 年）";
            adjust(tx, AdjustmentKind::Cancel, "ZZSW-XK-005", None, "典当行监管职责划转地方金融监管部门", basis_pawn, "2018-05-14")?;
            adjust(tx, AdjustmentKind::Cancel, "ZZSW-CF-021", None, "典当行监管职责划转地方金融监管部门", basis_pawn, "2018-05-14")?;
            adjust(tx, AdjustmentKind::Cancel, "ZZSW-QT-004", None, "《对外贸易法》修正，删去对外贸易经营者备案登记的规定", "全国人民代表大会常务委员会关于修改《中华人民共和国对外贸易法》的决定（2022 年 12 月 30 日）", "2022-12-30")?;
            adjust(tx, AdjustmentKind::Amend, "ZZSW-XK-001", current, "优化营商环境，承诺时限由 20 个工作日压缩为 15 个工作日", "郑州市优化营商环境工作部署", "2023-07-01")?;
            Ok(n)
        })
        .map_err(e)
}

#[derive(Deserialize)]
struct DemoSet {
    password: String,
    orgs: Vec<DemoOrg>,
    users: Vec<DemoUser>,
    #[serde(default)]
    disclosure_requests: Vec<DemoRequest>,
    #[serde(default)]
    certificates: Vec<DemoCertificate>,
    #[serde(default)]
    case_teams: Vec<crate::demo_cases::CaseTeam>,
}

#[derive(Deserialize)]
struct DemoCertificate {
    number: String,
    holder: String,
    scope_org: String,
    scope_text: String,
    valid_from: String,
    #[serde(default)]
    valid_until: Option<String>,
    /// Instead of `valid_until`: expires this many days from today (to show a reminder).
    #[serde(default)]
    days_left: Option<i64>,
}

/// Enforcement certificates of the demo officers (one about to expire, one expired, one held
/// by an officer who moved to another bureau), if none exist.
fn load_certificates(store: &Store, set: &DemoSet, today: Date) -> Result<usize, String> {
    use fazhi_store::certificate::{self, NewCertificate};
    let e = |e: StoreError| e.to_string();
    let any = store
        .read(|tx| {
            Ok(tx
                .query_opt("SELECT id FROM certificates LIMIT 1", &[])?
                .is_some())
        })
        .map_err(e)?;
    if any {
        return Ok(0);
    }
    let date =
        |s: &str| fazhi_domain::calendar::parse_date(s).ok_or(format!("演示证件日期有误：{s}"));
    for c in &set.certificates {
        let valid_until = match (&c.valid_until, c.days_left) {
            (Some(u), _) => date(u)?,
            (None, Some(d)) => today
                .checked_add(time::Duration::days(d))
                .ok_or("日期超出范围")?,
            (None, None) => return Err(format!("演示证件 {} 缺少有效期", c.number)),
        };
        let valid_from = date(&c.valid_from)?;
        store
            .write(|tx| {
                let holder_id = org::user_id_by_username(tx, &c.holder)?
                    .ok_or(StoreError::NotFound("演示持证人"))?;
                let scope_org_id = org::get_org_by_code(tx, &c.scope_org)?
                    .ok_or(StoreError::NotFound("演示单位"))?
                    .id;
                certificate::register(
                    tx,
                    By::System,
                    &NewCertificate {
                        number: c.number.clone(),
                        holder_id,
                        issuer: "河南省人民政府".into(),
                        scope_org_id,
                        scope_text: c.scope_text.clone(),
                        valid_from,
                        valid_until,
                    },
                )
            })
            .map_err(e)?;
    }
    Ok(set.certificates.len())
}

#[derive(Deserialize)]
struct DemoRequest {
    org: String,
    working_days_ago: u32,
    kind: String,
    name: String,
    id_no: String,
    contact: String,
    description: String,
    /// (user name or "" for the requester, working days after receipt, action, text)
    #[serde(default)]
    steps: Vec<(String, u32, String, String)>,
}

#[derive(Deserialize)]
struct DemoOrg {
    code: String,
    parent: Option<String>,
    name: String,
    kind: String,
}

#[derive(Deserialize)]
struct DemoUser {
    username: String,
    name: String,
    org: String,
    roles: Vec<(String, String)>,
}

fn progress(done: usize, total: usize, what: &str) {
    use std::io::IsTerminal;
    // Redraw a bar on a terminal; in logs, one line per phase is enough.
    if !std::io::stderr().is_terminal() {
        if done == total {
            eprintln!("演示数据已载入：{total} 项");
        }
        return;
    }
    let width = 30;
    let filled = (done * width).checked_div(total).unwrap_or(width);
    eprint!(
        "\r[{}{}] {done}/{total} {what}        ",
        "#".repeat(filled),
        " ".repeat(width - filled)
    );
    let _ = std::io::stderr().flush();
}

/// One sign-in to print.
pub struct SignInLine {
    /// User name.
    pub username: String,
    /// Name.
    pub name: String,
    /// Roles, in Chinese.
    pub roles: String,
    /// Home org.
    pub org: String,
}

fn working_days_from(cal: &Calendar, mut d: Date, n: u32, forward: bool) -> Date {
    let mut left = n;
    while left > 0 {
        let next = if forward {
            d.next_day()
        } else {
            d.previous_day()
        };
        let Some(x) = next else { break };
        d = x;
        if cal.is_working(d) {
            left -= 1;
        }
    }
    d
}

/// Requests for government information in every stage, dated back from today, if none exist.
fn load_requests(
    store: &Store,
    set: &DemoSet,
    reg: &Registry,
    cal: &Calendar,
    today: Date,
) -> Result<usize, String> {
    let e = |e: StoreError| e.to_string();
    let any = store
        .read(|tx| {
            Ok(tx
                .query_opt("SELECT id FROM disclosure_requests LIMIT 1", &[])?
                .is_some())
        })
        .map_err(e)?;
    if any {
        return Ok(0);
    }
    for r in &set.disclosure_requests {
        let received = working_days_from(cal, today, r.working_days_ago, false);
        let clock = |d| Clock {
            cal,
            today: d,
            warn: 3,
        };
        let (kind, name, id_no, contact, description) =
            disclosure::validate(&r.kind, &r.name, &r.id_no, &r.contact, &r.description).map_err(
                |errs| {
                    errs.iter()
                        .map(|x| x.message.clone())
                        .collect::<Vec<_>>()
                        .join("；")
                },
            )?;
        let org_id = store
            .read(|tx| org::get_org_by_code(tx, &r.org))
            .map_err(e)?
            .ok_or(format!("演示申请的单位 {} 不存在", r.org))?
            .id;
        let new = disclosure::NewRequest {
            org_id,
            requester_kind: kind,
            requester_name: name,
            requester_id_no: id_no,
            contact,
            description,
        };
        let who = Who {
            user_id: None,
            name: "申请人（公众门户）".into(),
        };
        let (id, no, code) = store
            .write(|tx| disclosure::submit(tx, &who, &new, reg, clock(received)))
            .map_err(e)?;
        for (user, after, action, text) in &r.steps {
            let day = working_days_from(cal, received, *after, true);
            if user.is_empty() {
                store
                    .write(|tx| {
                        disclosure::supply_from_portal(tx, &no, &code, text, reg, clock(day))
                    })
                    .map_err(e)?;
                continue;
            }
            store
                .write(|tx| {
                    let uid = org::user_id_by_username(tx, user)?
                        .ok_or(StoreError::NotFound("演示用户"))?;
                    let actor =
                        org::load_actor(tx, uid)?.ok_or(StoreError::NotFound("演示用户"))?;
                    let version = disclosure::get(tx, id)?.version;
                    let kind = (action == "draft_answer").then(|| "disclose".to_string());
                    let input = disclosure::ActionInput {
                        opinion: String::new(),
                        text: text.clone(),
                        answer_kind: kind,
                    };
                    disclosure::act(
                        tx,
                        (Some(&actor), &Who::from(&actor)),
                        (id, version),
                        (action, &input),
                        reg,
                        clock(day),
                    )
                })
                .map_err(e)?;
        }
    }
    Ok(set.disclosure_requests.len())
}

/// Loads the demo set; returns the password and the sign-ins.
pub fn load(
    store: &Store,
    reg: &Registry,
    cal: &Calendar,
    files_dir: &std::path::Path,
) -> Result<(String, Vec<SignInLine>), String> {
    let set: DemoSet = toml::from_str(DATA).map_err(|e| format!("演示数据有误：{e}"))?;
    let total = set.orgs.len() + set.users.len();
    let mut done = 0;
    let mut ids: HashMap<String, i64> = HashMap::new();
    let e = |e: StoreError| e.to_string();
    for o in &set.orgs {
        let kind = OrgKind::parse(&o.kind).ok_or(format!("未知单位类型 {}", o.kind))?;
        let id = store
            .write(|tx| {
                if let Some(existing) = org::get_org_by_code(tx, &o.code)? {
                    return Ok(existing.id);
                }
                let parent_id = match &o.parent {
                    Some(p) => Some(
                        org::get_org_by_code(tx, p)?
                            .ok_or(StoreError::NotFound("上级单位"))?
                            .id,
                    ),
                    None => None,
                };
                org::create_org(
                    tx,
                    By::System,
                    &NewOrg {
                        parent_id,
                        code: o.code.clone(),
                        name: o.name.clone(),
                        kind,
                        sort_order: done as i64,
                    },
                )
            })
            .map_err(e)?;
        ids.insert(o.code.clone(), id);
        done += 1;
        progress(done, total, "单位");
    }
    let mut lines = Vec::new();
    for u in &set.users {
        let org_id = *ids
            .get(&u.org)
            .ok_or(format!("演示用户 {} 的单位 {} 不存在", u.username, u.org))?;
        let roles: Vec<(Role, i64)> = u
            .roles
            .iter()
            .map(|(r, o)| {
                let role = Role::parse(r).ok_or(format!("未知角色 {r}"))?;
                let oid = *ids.get(o).ok_or(format!("未知单位 {o}"))?;
                Ok((role, oid))
            })
            .collect::<Result<_, String>>()?;
        let exists = store
            .read(|tx| org::user_id_by_username(tx, &u.username))
            .map_err(e)?;
        let hash = match exists {
            Some(_) => String::new(),
            None => auth::hash_password(&set.password).map_err(e)?,
        };
        store
            .write(|tx| {
                let id = match org::user_id_by_username(tx, &u.username)? {
                    Some(id) => id,
                    None => org::create_user(
                        tx,
                        By::System,
                        &NewUser {
                            username: u.username.clone(),
                            display_name: u.name.clone(),
                            org_id,
                            password_hash: hash.clone(),
                        },
                    )?,
                };
                for (role, oid) in &roles {
                    let cur = org::get_user(tx, id)?;
                    if !cur
                        .roles
                        .iter()
                        .any(|r| r.role == *role && r.org_id == *oid)
                    {
                        org::grant_role(tx, By::System, id, cur.version, *oid, *role)?;
                    }
                }
                Ok(())
            })
            .map_err(e)?;
        lines.push(SignInLine {
            username: u.username.clone(),
            name: u.name.clone(),
            roles: roles
                .iter()
                .map(|(r, _)| r.label_zh())
                .collect::<Vec<_>>()
                .join("、"),
            org: set
                .orgs
                .iter()
                .find(|o| o.code == u.org)
                .map_or(String::new(), |o| o.name.clone()),
        });
        done += 1;
        progress(done, total, "人员");
    }
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!();
    }
    let powers = load_powers(store)?;
    if powers > 0 {
        eprintln!("权责清单已载入：{powers} 个事项（含历年调整）");
    }
    let today = fazhi_web::today();
    let certificates = load_certificates(store, &set, today)?;
    if certificates > 0 {
        eprintln!("执法证件已载入：{certificates} 张");
        fazhi_store::certificate::remind_expiring(store, today, 30).map_err(|e| e.to_string())?;
    }
    let requests = load_requests(store, &set, reg, cal, today)?;
    if requests > 0 {
        eprintln!("演示的依申请公开申请已载入：{requests} 件");
        let swept = fazhi_store::time_limit::sweep(store, cal, today, 3, |l| {
            fazhi_web::work::subject_link(&l.subject_type, l.subject_id)
        })
        .map_err(|e| e.to_string())?;
        eprintln!(
            "期限检查：到期提醒 {} 条，逾期预警 {} 条",
            swept.reminded, swept.alerted
        );
    }
    let cases = crate::demo_cases::load(store, (reg, cal), &set.case_teams, files_dir, today)?;
    if cases > 0 {
        eprintln!("演示的行政处罚案件已载入：{cases} 件");
    }
    let docs = crate::demo_normative::load(store, (reg, cal), today)?;
    if docs > 0 {
        eprintln!("演示的规范性文件已载入：{docs} 件");
    }
    let decisions = crate::demo_decisions::load(store, reg, cal)?;
    if decisions > 0 {
        eprintln!(
            "演示的重大行政决策已载入：{decisions} 件（含 2026 年度决策事项目录和 3 名法律顾问）"
        );
    }
    let disputes = crate::demo_disputes::load(store, reg, cal)?;
    if disputes > 0 {
        eprintln!("演示的行政复议和行政应诉案件已载入：{disputes} 件");
    }
    Ok((set.password, lines))
}
