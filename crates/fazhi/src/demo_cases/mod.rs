//! About 200 demo penalty cases across the county bureaus, in every stage, on the bureau's real
//! penalty items, with parties whose credit codes and ID numbers are valid. Every case is driven
//! through the store's own actions on dates in the past, so its documents, limits and audit
//! entries are what a real case would have.

use std::path::Path;

use fazhi_domain::calendar::Calendar;
use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::enforcement::case::Rules;
use fazhi_domain::identity::{credit_code_with_check, id_number_with_check};
use fazhi_domain::org::{Actor, Role};
use fazhi_domain::procedure::Registry;
use fazhi_store::audit::Who;
use fazhi_store::case::{self, CaseId, CaseInput, Env, NewLead};
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, StoreError, org};
use serde::Deserialize;
use time::{Date, Duration};

mod general;
mod more;

/// A team that handles the demo cases of one unit.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseTeam {
    /// The unit's code.
    pub org: String,
    /// Two certified officers.
    pub officers: Vec<String>,
    /// Approves opening.
    pub head: String,
    /// Decides.
    pub leader: String,
    /// The other heads of the organ who discuss with the leader (第五十七条第二款), if any.
    #[serde(default)]
    pub deputies: Vec<String>,
    /// Legal reviewer, if the bureau has one.
    #[serde(default)]
    pub reviewer: Option<String>,
    /// Clerk (delivery), if any.
    #[serde(default)]
    pub clerk: Option<String>,
    /// Area code for the parties' identifiers.
    pub area: String,
}

struct Team {
    org_id: i64,
    archivist: Actor,
    officer: Actor,
    second: Actor,
    head: Actor,
    leader: Actor,
    deputies: Vec<Actor>,
    reviewer: Option<Actor>,
    clerk: Actor,
    area: String,
}

/// Penalty items of the demo and the parties and fines they come with: (item, trade, fine range
/// in yuan for an organisation, whether individuals are also parties).
const ITEMS: [(&str, &str, (i64, i64), bool); 9] = [
    ("ZZSW-CF-001", "餐饮管理有限公司", (10_000, 20_000), false),
    ("ZZSW-CF-004", "健身服务有限公司", (10_000, 20_000), false),
    ("ZZSW-CF-004", "美容美发有限公司", (10_000, 20_000), false),
    (
        "ZZSW-CF-008",
        "再生资源回收有限公司",
        // 报废机动车回收管理办法 第十九条: 没收, and 5万元以上10万元以下 where the gains are
        // under ¥50,000.
        (50_000, 100_000),
        false,
    ),
    (
        "ZZSW-CF-010",
        "报废机动车回收拆解有限公司",
        // 第二十三条: 1万元以上5万元以下.
        (10_000, 20_000),
        false,
    ),
    ("ZZSW-CF-015", "便利店", (1_000, 4_000), true),
    ("ZZSW-CF-020", "拍卖有限公司", (10_000, 30_000), false),
    (
        "ZZSW-CF-018",
        "二手车交易市场有限公司",
        (5_000, 30_000),
        false,
    ),
    ("ZZSW-CF-012", "国际贸易有限公司", (100_000, 150_000), false),
];

const NAMES: [&str; 24] = [
    "惠民", "金鼎", "华联", "百盛", "鑫源", "安达", "顺通", "绿城", "恒信", "嘉禾", "宏图", "博雅",
    "天润", "瑞丰", "聚福", "永兴", "德胜", "新港", "中联", "盛世", "佳美", "合众", "万象", "东方",
];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "建华", "秀英", "志强", "丽娟", "海涛", "春梅", "国栋", "晓燕", "文博", "玉兰", "振宇", "桂芳",
];
const STREETS: [&str; 8] = [
    "花园路",
    "农业路",
    "金水路",
    "建设路",
    "中原路",
    "大学路",
    "经三路",
    "商都路",
];
const CREDIT: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A small deterministic generator, so the demo is the same every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.next(v.len() as u64) as usize]
    }
}

fn party(rng: &mut Lcg, area: &str, trade: &str, person: bool) -> (PartyKind, String, String) {
    if person {
        let name = format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
        let birth = format!(
            "19{}{:02}{:02}",
            60 + rng.next(35),
            1 + rng.next(12),
            1 + rng.next(28)
        );
        let first17 = format!("{area}{birth}{:03}", rng.next(999));
        let id = id_number_with_check(&first17).unwrap_or_default();
        let _ = trade;
        return (PartyKind::Person, name, id);
    }
    let mut code = format!("91{area}MA");
    for _ in 0..7 {
        code.push(CREDIT[rng.next(CREDIT.len() as u64) as usize] as char);
    }
    let code = credit_code_with_check(&code).unwrap_or_default();
    (
        PartyKind::Organisation,
        format!("郑州{}{trade}", rng.pick(&NAMES)),
        code,
    )
}

fn actor(store: &Store, username: &str) -> Result<Actor, String> {
    store
        .read(|tx| {
            let id =
                org::user_id_by_username(tx, username)?.ok_or(StoreError::NotFound("演示人员"))?;
            org::load_actor(tx, id)?.ok_or(StoreError::NotFound("演示人员"))
        })
        .map_err(|e| format!("{username}：{e}"))
}

fn team(store: &Store, t: &CaseTeam) -> Result<Team, String> {
    let org_id = store
        .read(|tx| org::get_org_by_code(tx, &t.org))
        .map_err(|e| e.to_string())?
        .ok_or(format!("演示单位 {} 不存在", t.org))?
        .id;
    let officer = actor(store, &t.officers[0])?;
    let path = store
        .read(|tx| org::get_org(tx, org_id))
        .map_err(|e| e.to_string())?
        .path;
    // 归档: a clerk, the head, or the legal unit — whoever the bureau has.
    let mut archivist = None;
    for name in t.clerk.iter().chain([&t.head]).chain(t.reviewer.iter()) {
        let a = actor(store, name)?;
        let roles = a.roles_over(&path);
        if [Role::Clerk, Role::DivisionHead, Role::LegalDivision]
            .iter()
            .any(|r| roles.contains(r))
        {
            archivist = Some(a);
            break;
        }
    }
    Ok(Team {
        org_id,
        archivist: archivist.ok_or(format!("演示办案组 {} 没有可以归档的人员", t.org))?,
        second: actor(store, &t.officers[1])?,
        head: actor(store, &t.head)?,
        leader: actor(store, &t.leader)?,
        deputies: t
            .deputies
            .iter()
            .map(|n| actor(store, n))
            .collect::<Result<_, _>>()?,
        reviewer: t.reviewer.as_deref().map(|r| actor(store, r)).transpose()?,
        clerk: match &t.clerk {
            Some(c) => actor(store, c)?,
            None => officer.clone(),
        },
        officer,
        area: t.area.clone(),
    })
}

/// How far a demo case goes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Proposed,
    Investigating,
    Reported,
    Notified,
    Decided,
    Executing,
    Overdue,
    Executed,
    Closed,
    Archived,
}

const TARGETS: [Target; 10] = [
    Target::Proposed,
    Target::Investigating,
    Target::Reported,
    Target::Notified,
    Target::Decided,
    Target::Executing,
    Target::Overdue,
    Target::Executed,
    Target::Closed,
    Target::Archived,
];

struct Driver<'a> {
    store: &'a Store,
    reg: &'a Registry,
    cal: &'a Calendar,
    rules: &'a Rules,
    today: Date,
}

impl Driver<'_> {
    fn env(&self, day: Date) -> Env<'_> {
        Env {
            reg: self.reg,
            clock: Clock {
                cal: self.cal,
                today: day,
                warn: 3,
            },
            rules: self.rules,
        }
    }

    /// The first working day on or after `d`, not after today.
    fn working(&self, d: Date) -> Date {
        let mut x = d;
        while !self.cal.is_working(x) && x < self.today {
            x = x.next_day().unwrap_or(x);
        }
        x.min(self.today)
    }

    fn act(
        &self,
        who: &Actor,
        id: CaseId,
        action: &str,
        input: &CaseInput,
        day: Date,
    ) -> Result<(), String> {
        let day = self.working(day);
        self.store
            .write(|tx| {
                let v = case::get(tx, id)?.version;
                case::act(
                    tx,
                    (who, &Who::from(who)),
                    (id, v),
                    (action, input),
                    self.env(day),
                )
            })
            .map(|_| ())
            .map_err(|e| format!("演示案件 {id} {action}：{e}"))
    }
}

fn text(t: &str) -> CaseInput {
    CaseInput {
        text: t.into(),
        ..CaseInput::default()
    }
}

fn evidence_file(dir: &Path, title: &str, party: &str) -> Result<(String, i64), String> {
    let body = format!("%PDF-1.4\n% 演示证据：{title}\n% 当事人：{party}\n%%EOF\n");
    let sha = fazhi_store::files::save(dir, body.as_bytes()).map_err(|e| e.to_string())?;
    Ok((sha, i64::try_from(body.len()).unwrap_or(0)))
}

/// Loads the demo cases and leads if there are none.
#[allow(clippy::too_many_lines)]
pub fn load(
    store: &Store,
    (reg, cal): (&Registry, &Calendar),
    teams: &[CaseTeam],
    files_dir: &Path,
    today: Date,
) -> Result<usize, String> {
    let any = store
        .read(|tx| {
            Ok(tx
                .query_opt("SELECT id FROM penalty_cases LIMIT 1", &[])?
                .is_some())
        })
        .map_err(|e| e.to_string())?;
    if any || teams.is_empty() {
        return Ok(0);
    }
    std::fs::create_dir_all(files_dir).map_err(|e| e.to_string())?;
    let rules = Rules::shipped();
    let d = Driver {
        store,
        reg,
        cal,
        rules: &rules,
        today,
    };
    let teams: Vec<Team> = teams
        .iter()
        .map(|t| team(store, t))
        .collect::<Result<_, _>>()?;
    let mut rng = Lcg(2026);
    let days = |n: i64| Duration::days(n);
    let item_names: std::collections::HashMap<String, String> = store
        .read(|tx| case::penalty_items(tx, today))
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|i| (i.code, i.name))
        .collect();
    let mut made = 0;
    // Leads waiting to be assessed, and some closed without a case.
    for (i, t) in teams.iter().cycle().take(18).enumerate() {
        let (kind, name, _) = party(&mut rng, &t.area, "商贸有限公司", false);
        let received = d.working(today - days(1 + (i as i64 % 9)));
        let lead = NewLead {
            org_id: t.org_id,
            source: ["complaint", "report", "inspection", "referral", "superior"][i % 5].into(),
            received_on: received,
            reporter: [
                "消费者来电",
                "12345 热线转办",
                "日常检查",
                "市场监管部门移送",
                "市局交办",
            ][i % 5]
                .into(),
            party_kind: if kind == PartyKind::Person {
                "person"
            } else {
                "org"
            }
            .into(),
            party_name: name,
            description:
                "反映该企业发行单用途预付卡后未按规定办理备案，消费者办卡后门店停业、退费困难。"
                    .into(),
        };
        let (id, _) = store
            .write(|tx| case::register_lead(tx, &t.officer, &lead, d.env(received)))
            .map_err(|e| e.to_string())?;
        if i % 3 == 2 {
            store
                .write(|tx| {
                    case::close_lead(
                        tx,
                        &t.head,
                        (id, 1),
                        "经核查，该企业已于收到线索前完成备案，不存在违法行为，不予立案。",
                        d.env(received + days(2)),
                    )
                })
                .map_err(|e| e.to_string())?;
        }
    }
    for i in 0..206usize {
        let t = &teams[i % teams.len()];
        if general::case(&d, (t, i, teams.len()), &mut rng, &item_names, files_dir)? {
            made += 1;
        }
    }
    made += more::summary(&d, &teams, &mut rng)?;
    more::revocation(&d, &teams)?;
    more::evaluation(&d)?;
    Ok(made)
}
