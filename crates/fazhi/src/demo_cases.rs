//! About 200 demo penalty cases across the county bureaus, in every stage, on the bureau's real
//! penalty items, with parties whose credit codes and ID numbers are valid. Every case is driven
//! through the store's own actions on dates in the past, so its documents, limits and audit
//! entries are what a real case would have.

use std::path::Path;

use fazhi_domain::calendar::Calendar;
use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::enforcement::case::{Penalty, Rules};
use fazhi_domain::enforcement::discretion::Grade;
use fazhi_domain::identity::{credit_code_with_check, id_number_with_check};
use fazhi_domain::org::{Actor, Role};
use fazhi_domain::procedure::Registry;
use fazhi_store::audit::Who;
use fazhi_store::case::{self, CaseId, CaseInput, Env, NewCase, NewEvidence, NewLead, NewSummary};
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, StoreError, org};
use serde::Deserialize;
use time::{Date, Duration};

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
        (20_000, 40_000),
        false,
    ),
    (
        "ZZSW-CF-010",
        "报废机动车回收拆解有限公司",
        (5_000, 20_000),
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
        let (item, trade, (lo, hi), persons) = ITEMS[(i / teams.len() + i) % ITEMS.len()];
        // A big fine needs legal review (and brings the hearing right): only where the bureau
        // has a legal reviewer.
        if item == "ZZSW-CF-012" && t.reviewer.is_none() {
            continue;
        }
        let person = persons && i % 2 == 0;
        let (kind, name, id_no) = party(&mut rng, &t.area, trade, person);
        let target = TARGETS[(i / 2) % TARGETS.len()];
        let fine_yuan = lo + (rng.next(((hi - lo) / 500 + 1) as u64) as i64) * 500;
        let fine_yuan = fine_yuan.min(hi);
        // Dates: the last step lands a few days before today.
        let last = match target {
            Target::Proposed => 0,
            Target::Investigating => 3,
            Target::Reported => 20,
            Target::Notified => 22,
            Target::Decided => 26,
            Target::Executing => 28,
            Target::Overdue => 55,
            Target::Executed => 35,
            Target::Closed => 38,
            Target::Archived => 40,
        };
        let jitter = match target {
            Target::Notified | Target::Decided | Target::Executing => rng.next(3) as i64,
            _ => rng.next(40) as i64,
        };
        let open = d.working(today - days(last + jitter + 1));
        let street = rng.pick(&STREETS);
        let act_name = item_names
            .get(item)
            .map_or(item, String::as_str)
            .trim_start_matches('对')
            .trim_end_matches("的处罚");
        let new = NewCase {
            lead_id: None,
            org_id: t.org_id,
            item_code: item.into(),
            party_kind: kind,
            party_name: name.clone(),
            party_id_no: id_no,
            party_address: format!("郑州市{street}{}号", 1 + rng.next(300)),
            facts: format!(
                "{name}涉嫌{act_name}。执法人员现场检查时发现，现场检查笔录和询问笔录在卷。"
            ),
            act_ended_on: open - days(20 + rng.next(60) as i64),
            discovered_on: open - days(rng.next(5) as i64),
            long_limitation: false,
            limitation_basis: String::new(),
        };
        let id = store
            .write(|tx| case::open_case(tx, &t.officer, &new, d.env(open)))
            .map_err(|e| format!("演示案件立案：{e}"))?;
        made += 1;
        if target == Target::Proposed {
            continue;
        }
        d.act(&t.head, id, "approve_opening", &CaseInput::default(), open)?;
        let assign = CaseInput {
            officers: vec![t.officer.user_id, t.second.user_id],
            ..CaseInput::default()
        };
        d.act(&t.head, id, "assign_officers", &assign, open + days(1))?;
        for (k, (kind, title)) in [
            ("inspection_record", "现场检查笔录"),
            ("party_statement", "询问笔录"),
            ("documentary", "营业执照复印件及经营记录"),
        ]
        .iter()
        .enumerate()
        {
            let (sha, size) = evidence_file(files_dir, title, &name)?;
            let ev = CaseInput {
                evidence: Some(NewEvidence {
                    kind: (*kind).into(),
                    title: (*title).into(),
                    file_name: format!("{title}.pdf"),
                    content_type: "application/pdf".into(),
                    size,
                    sha256: sha,
                    collected_on: Some(d.working(open + days(1 + k as i64))),
                }),
                ..CaseInput::default()
            };
            d.act(
                &t.officer,
                id,
                "add_evidence",
                &ev,
                open + days(2 + k as i64),
            )?;
        }
        if target == Target::Investigating {
            continue;
        }
        let bench = store
            .read(|tx| {
                let c = case::get(tx, id)?;
                case::benchmark_for(tx, &c, today)
            })
            .map_err(|e| e.to_string())?;
        let grade = bench.as_ref().map(|b| b.benchmark.grades[0].grade);
        let fine_fen = match &bench {
            Some(b) => {
                let g = &b.benchmark.grades[0];
                let (blo, bhi) = g.fine_yuan.unwrap_or((lo, hi));
                (blo + (bhi - blo) / 4 / 500 * 500) * 100
            }
            None => fine_yuan * 100,
        };
        let no_penalty = i % 23 == 5;
        let penalty = if no_penalty {
            Penalty::default()
        } else {
            Penalty {
                warning: i % 4 == 0,
                fine: fine_fen,
                ..Penalty::default()
            }
        };
        let report = CaseInput {
            text: format!(
                "经调查，{name}的违法事实清楚，有现场检查笔录、询问笔录和经营记录为证；当事人配合调查，如实陈述。"
            ),
            grade: grade.or(Some(Grade::Ordinary)).filter(|_| bench.is_some()),
            penalty: penalty.clone(),
            ..CaseInput::default()
        };
        d.act(&t.officer, id, "submit_report", &report, open + days(20))?;
        let needs_review = !store
            .read(|tx| case::get(tx, id))
            .map_err(|e| e.to_string())?
            .review_reasons
            .is_empty();
        if needs_review && let Some(r) = &t.reviewer {
            let pass = CaseInput {
                text: "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意。".into(),
                choice: "pass".into(),
                ..CaseInput::default()
            };
            d.act(r, id, "record_legal_review", &pass, open + days(21))?;
        }
        if no_penalty {
            d.act(
                &t.leader,
                id,
                "decide_no_penalty",
                &text("当事人初次违法，危害后果轻微并已及时改正，依法不予行政处罚；已对当事人进行教育，责令其规范经营。"),
                open + days(22),
            )?;
            if target >= Target::Archived {
                d.act(
                    &t.archivist,
                    id,
                    "archive",
                    &CaseInput::default(),
                    open + days(30),
                )?;
            }
            continue;
        }
        if target == Target::Reported {
            continue;
        }
        d.act(
            &t.officer,
            id,
            "send_notice",
            &CaseInput::default(),
            open + days(22),
        )?;
        if target == Target::Notified {
            continue;
        }
        let statement = CaseInput {
            text: "当事人对违法事实无异议，表示已整改，放弃陈述、申辩和听证。".into(),
            choice: "waive".into(),
            ..CaseInput::default()
        };
        d.act(
            &t.officer,
            id,
            "record_statement",
            &statement,
            open + days(23),
        )?;
        let c = store
            .read(|tx| case::get(tx, id))
            .map_err(|e| e.to_string())?;
        if c.collective_reason.is_some() {
            for (who, view) in [
                (&t.head, "同意拟处罚意见。"),
                (
                    t.reviewer.as_ref().unwrap_or(&t.head),
                    "程序合法，裁量适当。",
                ),
            ] {
                d.act(
                    who,
                    id,
                    "record_collective_view",
                    &text(view),
                    open + days(24),
                )?;
            }
            d.act(
                &t.leader,
                id,
                "conclude_collective",
                &text("同意，按拟处罚意见作出决定。"),
                open + days(24),
            )?;
        }
        let decide = CaseInput {
            text: "当事人对违法事实无异议，依据有关规定和本局裁量基准作出处罚。".into(),
            penalty: penalty.clone(),
            ..CaseInput::default()
        };
        d.act(&t.leader, id, "decide", &decide, open + days(26))?;
        if target == Target::Decided {
            continue;
        }
        d.act(
            &t.clerk,
            id,
            "publish_decision",
            &CaseInput::default(),
            open + days(27),
        )?;
        let served = d.working(open + days(28));
        let deliver = CaseInput {
            choice: if i % 3 == 0 { "on_the_spot" } else { "direct" }.into(),
            date: Some(served),
            ..CaseInput::default()
        };
        d.act(&t.clerk, id, "deliver", &deliver, served)?;
        if matches!(target, Target::Executing | Target::Overdue) {
            continue;
        }
        if penalty.fine > 0 {
            // One in five pays late and owes the surcharge (art. 72).
            let late = i % 5 == 0;
            let paid_on = d.working(if late {
                served + days(22)
            } else {
                open + days(35)
            });
            let c = store
                .read(|tx| case::get(tx, id))
                .map_err(|e| e.to_string())?;
            let owed = store
                .read(|tx| case::owed_on(tx, &c, paid_on, cal))
                .map_err(|e| e.to_string())?
                .0;
            let pay = CaseInput {
                date: Some(paid_on),
                amount: owed,
                ..CaseInput::default()
            };
            d.act(&t.clerk, id, "record_payment", &pay, paid_on)?;
        } else {
            d.act(
                &t.clerk,
                id,
                "record_performance",
                &text("当事人已按要求整改并接受警告。"),
                open + days(35),
            )?;
        }
        if target == Target::Executed {
            continue;
        }
        d.act(&t.head, id, "close", &CaseInput::default(), open + days(38))?;
        if target == Target::Closed {
            continue;
        }
        d.act(
            &t.archivist,
            id,
            "archive",
            &CaseInput::default(),
            open + days(40),
        )?;
    }
    // Summary procedure on the spot (art. 51), and one decision revoked and withdrawn (art. 48).
    for (i, t) in teams.iter().enumerate() {
        let (kind, name, id_no) = party(&mut rng, &t.area, "便利店", true);
        let day = d.working(today - days(3 + i as i64));
        let s = NewSummary {
            case: NewCase {
                lead_id: None,
                org_id: t.org_id,
                item_code: "ZZSW-CF-015".into(),
                party_kind: kind,
                party_name: name,
                party_id_no: id_no,
                party_address: format!("郑州市{}{}号", rng.pick(&STREETS), 1 + rng.next(200)),
                facts: "商品零售场所免费提供塑料购物袋，执法人员当场查实，当事人承认。".into(),
                act_ended_on: day,
                discovered_on: day,
                long_limitation: false,
                limitation_basis: String::new(),
            },
            penalty: Penalty {
                warning: true,
                fine: 100 * 100,
                ..Penalty::default()
            },
            second_officer: t.second.user_id,
        };
        store
            .write(|tx| case::decide_summary(tx, &t.officer, &s, d.env(day)))
            .map_err(|e| format!("演示简易程序：{e}"))?;
        made += 1;
    }
    let revocable = store
        .read(|tx| {
            tx.query_opt(
                "SELECT id FROM penalty_cases WHERE stage = 'executing' AND published_on IS NOT NULL
                   AND summary_procedure = 0 ORDER BY id LIMIT 1",
                &[],
            )?
            .map(|r| r.i64(0).map(CaseId))
            .transpose()
        })
        .map_err(|e| e.to_string())?;
    if let Some(id) = revocable {
        let c = store
            .read(|tx| case::get(tx, id))
            .map_err(|e| e.to_string())?;
        let leader = teams
            .iter()
            .find(|t| t.org_id == c.org_id)
            .map(|t| t.leader.clone())
            .ok_or("演示案件的办案组不存在")?;
        d.act(
            &leader,
            id,
            "revoke_decision",
            &text("经行政复议，复议机关以认定事实的证据不足为由撤销本决定。"),
            today,
        )?;
    }
    // The city legal division's evaluation of this year's closed files, partly scored.
    let legal = actor(store, "fzc.legal")?;
    let sheet = fazhi_domain::enforcement::evaluation::Sheet::shipped();
    let year_start = Date::from_calendar_date(today.year(), time::Month::January, 1)
        .map_err(|e| e.to_string())?;
    let (eid, _) = store
        .write(|tx| {
            fazhi_store::evaluation::create(
                tx,
                &legal,
                (
                    &format!("{} 年度行政处罚案卷评查", today.year()),
                    year_start,
                    today,
                    2,
                ),
                &sheet,
            )
        })
        .map_err(|e| format!("演示案卷评查：{e}"))?;
    let (_, files) = store
        .read(|tx| fazhi_store::evaluation::get(tx, &legal, eid))
        .map_err(|e| e.to_string())?;
    for (k, f) in files.iter().enumerate().filter(|(k, _)| k % 2 == 0) {
        let mut scores: std::collections::BTreeMap<String, i64> = sheet
            .items
            .iter()
            .map(|i| (i.id.clone(), i.points))
            .collect();
        let finding = match k % 3 {
            0 => {
                scores.insert("discretion".into(), 6);
                "裁量理由只写明适用的情节等级，未说明从轻情形的认定理由。"
            }
            1 => {
                scores.insert("documents".into(), 3);
                "送达回证未载明受送达人签收时间。"
            }
            _ => "案卷完整，程序规范。",
        };
        store
            .write(|tx| {
                fazhi_store::evaluation::score(tx, &legal, (eid, f.case_id), &scores, finding)
            })
            .map_err(|e| e.to_string())?;
    }
    Ok(made)
}
