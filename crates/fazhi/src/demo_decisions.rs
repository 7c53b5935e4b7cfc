//! The demo's major decisions and legal advisors: the city bureau's 2026 catalogue, approved
//! and published; three decisions (one decided and being implemented, one evaluated and
//! archived, one whose decision is refused for the steps it still lacks); three advisors (a
//! lawyer who signs in, a firm, in-house counsel) with contracts, assignments, a year's ledger
//! and last year's evaluation. Everything goes through the store's own commands, on dates in
//! the past, so the limits and the audit chain are what real use would leave.

use fazhi_domain::calendar::Calendar;
use fazhi_domain::decision::{Rules, Step};
use fazhi_domain::ids::{AdvisorId, DecisionId};
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::Registry;
use fazhi_store::advisor::{self, EntryKind, NewAdvisor, NewEntry};
use fazhi_store::audit::Who;
use fazhi_store::decision::{self, ActionInput, NewFinding, NewItem};
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, StoreError, org};
use time::Date;
use time::macros::date;

struct People {
    leader: Actor,
    deputy1: Actor,
    deputy2: Actor,
    legal: Actor,
    head: Actor,
    officer: Actor,
    advisor: Actor,
}

fn actor(store: &Store, username: &str) -> Result<Actor, String> {
    store
        .read(|tx| {
            let id =
                org::user_id_by_username(tx, username)?.ok_or(StoreError::NotFound("演示用户"))?;
            org::load_actor(tx, id)?.ok_or(StoreError::NotFound("演示用户"))
        })
        .map_err(|e| format!("演示用户 {username}：{e}"))
}

struct Desk<'a> {
    store: &'a Store,
    reg: &'a Registry,
    cal: &'a Calendar,
    rules: Rules,
    p: People,
}

impl Desk<'_> {
    fn act(
        &self,
        who: &Actor,
        id: DecisionId,
        (action, choice, text): (&str, Option<&str>, &str),
        day: Date,
    ) -> Result<(), String> {
        let clock = Clock {
            cal: self.cal,
            today: day,
            warn: 3,
        };
        let input = ActionInput {
            text: text.into(),
            choice: choice.map(Into::into),
            opinion: "同意".into(),
        };
        self.store
            .write(|tx| {
                let v = decision::get(tx, id)?.version;
                decision::act(
                    tx,
                    (who, &Who::from(who)),
                    (id, v),
                    (action, &input),
                    (self.reg, &self.rules),
                    clock,
                )
            })
            .map(|_| ())
            .map_err(|e| format!("演示决策 {action}：{e}"))
    }

    /// Drafting to the meeting: the steps given, the legality review by `reviewer`.
    fn through_review(
        &self,
        id: DecisionId,
        steps: &[Step],
        reviewer: &Actor,
        start: Date,
    ) -> Result<Date, String> {
        let p = &self.p;
        let mut day = start;
        if steps.contains(&Step::Participation) {
            self.act(
                &p.officer,
                id,
                (
                    "open_participation",
                    Some("30"),
                    "在市商务局网站和郑州日报公开征求意见",
                ),
                day,
            )?;
            day = add(day, 45);
            self.act(
                &p.officer,
                id,
                (
                    "record_participation",
                    None,
                    "收到意见 23 条，采纳 15 条，未采纳的已说明理由",
                ),
                day,
            )?;
        }
        if steps.contains(&Step::ExpertArgument) {
            self.act(
                &p.officer,
                id,
                (
                    "record_expert_argument",
                    None,
                    "组织 5 名专家论证，认为方案必要、可行",
                ),
                day,
            )?;
        }
        if steps.contains(&Step::RiskAssessment) {
            self.act(
                &p.officer,
                id,
                (
                    "record_risk_assessment",
                    None,
                    "委托第三方评估，风险等级为低，风险可控",
                ),
                day,
            )?;
        }
        self.act(
            &p.head,
            id,
            ("submit_legality_review", None, "送政策法规处合法性审查"),
            day,
        )?;
        day = add(day, 5);
        self.act(
            reviewer,
            id,
            (
                "record_legality_review",
                Some("lawful"),
                "决策事项属于本机关法定权限，程序完备，内容不违反法律法规规章",
            ),
            day,
        )?;
        self.act(
            &p.head,
            id,
            ("submit_to_meeting", None, "提请局长办公会讨论"),
            day,
        )?;
        Ok(add(day, 3))
    }

    fn meeting(&self, id: DecisionId, day: Date, dissent: bool) -> Result<(), String> {
        let p = &self.p;
        self.act(
            &p.deputy1,
            id,
            if dissent {
                (
                    "record_view",
                    Some("disagree"),
                    "补贴标准偏高，财政负担较重，建议分年实施",
                )
            } else {
                ("record_view", Some("agree"), "同意")
            },
            day,
        )?;
        self.act(
            &p.deputy2,
            id,
            ("record_view", Some("agree"), "同意，建议加强宣传解读"),
            day,
        )?;
        self.act(
            &p.leader,
            id,
            (
                "head_concludes",
                Some("agree"),
                "同意按草案实施，财政负担问题在实施方案中分年安排",
            ),
            day,
        )
    }
}

fn add(d: Date, days: i64) -> Date {
    d.checked_add(time::Duration::days(days)).unwrap_or(d)
}

/// Loads the demo decisions and advisors if there are none; returns how many decisions.
pub fn load(store: &Store, reg: &Registry, cal: &Calendar) -> Result<usize, String> {
    let e = |e: StoreError| e.to_string();
    let any = store
        .read(|tx| {
            Ok(tx
                .query_opt("SELECT id FROM decision_catalogues LIMIT 1", &[])?
                .is_some())
        })
        .map_err(e)?;
    if any {
        return Ok(0);
    }
    let p = People {
        leader: actor(store, "leader")?,
        deputy1: actor(store, "deputy1")?,
        deputy2: actor(store, "deputy2")?,
        legal: actor(store, "fzc.legal")?,
        head: actor(store, "smfw.head")?,
        officer: actor(store, "smfw.officer")?,
        advisor: actor(store, "advisor")?,
    };
    let (city, sponsor) = store
        .read(|tx| {
            let mut org = |code: &str| -> Result<i64, StoreError> {
                Ok(org::get_org_by_code(tx, code)?
                    .ok_or(StoreError::NotFound("演示单位"))?
                    .id)
            };
            Ok((org("zz")?, org("zz-smfwc")?))
        })
        .map_err(e)?;
    let items: [(&str, &str, &[Step], &str); 3] = [
        (
            "郑州市促进消费若干措施",
            "发放消费券、支持商贸企业开展促销活动的政策措施",
            &[
                Step::Participation,
                Step::ExpertArgument,
                Step::RiskAssessment,
            ],
            "第二季度",
        ),
        (
            "郑州市便民生活圈建设三年行动方案",
            "社区便民商业网点布局和建设补贴",
            &[Step::Participation, Step::ExpertArgument],
            "第一季度",
        ),
        (
            "郑州市二手车交易市场布局规划",
            "全市二手车交易市场的布局、准入和搬迁安排",
            &[
                Step::Participation,
                Step::ExpertArgument,
                Step::RiskAssessment,
            ],
            "第四季度",
        ),
    ];
    let item_ids = store
        .write(|tx| {
            let c = decision::create_catalogue(tx, &p.legal, city, 2026)?;
            let mut ids = Vec::new();
            for (n, (title, description, steps, planned)) in items.iter().enumerate() {
                let v = i64::try_from(n).unwrap_or(0) + 1;
                ids.push(decision::add_item(
                    tx,
                    &p.legal,
                    (c, v),
                    &NewItem {
                        title: (*title).into(),
                        sponsor_org_id: sponsor,
                        description: (*description).into(),
                        steps: steps.to_vec(),
                        planned: (*planned).into(),
                    },
                )?);
            }
            decision::approve_catalogue(tx, &p.leader, (c, 4), "同意，经党组会议研究后向社会公布")?;
            decision::publish_catalogue(tx, &p.legal, (c, 5))?;
            Ok(ids)
        })
        .map_err(e)?;
    let advisors = load_advisors(store, &p, city)?;
    let desk = Desk {
        store,
        reg,
        cal,
        rules: Rules::shipped()?,
        p,
    };
    let open = |item: i64, draft: &str| {
        store
            .write(|tx| decision::open_decision(tx, &desk.p.officer, item, draft, reg))
            .map_err(|e| e.to_string())
    };
    // The 便民生活圈 plan: decided early in the year, evaluated and archived.
    let b = open(
        item_ids[1],
        "三年内建成 100 个便民生活圈，按网点面积给予建设补贴",
    )?;
    let day = desk.through_review(b, items[1].2, &desk.p.legal, date!(2026 - 01 - 05))?;
    desk.meeting(b, day, false)?;
    desk.act(
        &desk.p.leader,
        b,
        (
            "decide",
            None,
            "通过《郑州市便民生活圈建设三年行动方案》，自 2026 年 3 月 1 日起实施",
        ),
        day,
    )?;
    desk.act(
        &desk.p.leader,
        b,
        (
            "start_implementation",
            None,
            "由商贸服务处牵头实施，已在市政府网站公布",
        ),
        add(day, 2),
    )?;
    desk.act(
        &desk.p.officer,
        b,
        ("record_progress", None, "已建成便民生活圈 42 个"),
        date!(2026 - 07 - 01),
    )?;
    desk.act(
        &desk.p.legal,
        b,
        (
            "evaluate",
            None,
            "委托第三方评估：目标完成率 84%，群众满意度 92%，建议继续实施",
        ),
        date!(2026 - 10 - 15),
    )?;
    desk.act(
        &desk.p.head,
        b,
        ("archive", None, "决策过程材料 36 件已归档"),
        date!(2026 - 10 - 20),
    )?;
    // The 促进消费 measures: reviewed by the advisor, a dissent recorded, decided, implementing.
    let a = open(
        item_ids[0],
        "全年发放消费券 2 亿元，对开展促销的商贸企业给予奖励",
    )?;
    store
        .write(|tx| {
            advisor::assign(
                tx,
                &desk.p.legal,
                advisors[0],
                ("major_decision", a.0),
                "审查促进消费措施草案的合法性",
            )
        })
        .map_err(e)?;
    let day = desk.through_review(a, items[0].2, &desk.p.advisor, date!(2026 - 04 - 01))?;
    desk.meeting(a, day, true)?;
    desk.act(
        &desk.p.leader,
        a,
        (
            "decide",
            None,
            "通过《郑州市促进消费若干措施》，消费券分两批发放",
        ),
        day,
    )?;
    desk.act(
        &desk.p.leader,
        a,
        (
            "start_implementation",
            None,
            "由商贸服务处会同各区县商务局实施，已公布",
        ),
        add(day, 3),
    )?;
    desk.act(
        &desk.p.officer,
        a,
        (
            "record_progress",
            None,
            "第一批消费券 1 亿元已发放，核销率 87%",
        ),
        date!(2026 - 09 - 30),
    )?;
    store
        .write(|tx| {
            decision::record_finding(
                tx,
                &desk.p.legal,
                a,
                &NewFinding {
                    person: "高雪".into(),
                    person_user_id: None,
                    article: "art40".into(),
                    finding: "第二批消费券拖延发放，已责令说明情况（演示数据）".into(),
                },
            )
        })
        .map_err(e)?;
    // The 二手车市场 plan: put to the meeting without participation, argument or assessment.
    let c = open(item_ids[2], "新建 3 个二手车交易市场，现有市场限期搬迁")?;
    desk.act(
        &desk.p.head,
        c,
        ("submit_legality_review", None, "送政策法规处合法性审查"),
        date!(2026 - 11 - 02),
    )?;
    desk.act(
        &desk.p.legal,
        c,
        (
            "record_legality_review",
            Some("lawful"),
            "属于本机关权限；提请讨论前须完成公众参与、专家论证和风险评估",
        ),
        date!(2026 - 11 - 05),
    )?;
    desk.act(
        &desk.p.head,
        c,
        ("submit_to_meeting", None, "提请局长办公会讨论"),
        date!(2026 - 11 - 06),
    )?;
    Ok(3)
}

fn load_advisors(store: &Store, p: &People, city: i64) -> Result<Vec<AdvisorId>, String> {
    let roster = [
        (
            "lawyer",
            "郑律师",
            "河南豫法律师事务所",
            "14101201910000001",
            "0371-65550001",
            Some("advisor"),
        ),
        (
            "firm",
            "河南中原律师事务所",
            "河南中原律师事务所",
            "31410000MD0000001X",
            "0371-65550002",
            None,
        ),
        (
            "in_house",
            "王静（公职律师）",
            "郑州市商务局政策法规处",
            "14101202020000003",
            "0371-65550003",
            None,
        ),
    ];
    store
        .write(|tx| {
            let mut ids = Vec::new();
            for (n, (kind, name, firm, license, contact, user)) in roster.iter().enumerate() {
                let id = advisor::add_advisor(
                    tx,
                    &p.legal,
                    &NewAdvisor {
                        org_id: city,
                        kind: (*kind).into(),
                        name: (*name).into(),
                        firm: (*firm).into(),
                        license_no: (*license).into(),
                        contact: (*contact).into(),
                        username: user.map(Into::into),
                    },
                )?;
                let fee = [60_000 * 100, 120_000 * 100, 0][n]; // fen
                advisor::add_contract(
                    tx,
                    &p.legal,
                    id,
                    (date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
                    fee,
                    "常年法律顾问：法律咨询、规范性文件和重大行政决策合法性审查、诉讼和复议代理",
                )?;
                advisor::evaluate(
                    tx,
                    &p.legal,
                    id,
                    (2025, [92, 88, 95][n]),
                    "履职认真，意见及时、专业",
                )?;
                let work = [
                    (
                        EntryKind::Consultation,
                        "消费券发放中的税务问题咨询",
                        90,
                        "书面答复，已采纳",
                    ),
                    (
                        EntryKind::DocumentReview,
                        "《郑州市商贸流通企业扶持资金管理办法》审查",
                        240,
                        "提出修改意见 6 条",
                    ),
                    (
                        EntryKind::Case,
                        "某商贸公司诉市商务局行政许可案",
                        480,
                        "一审胜诉",
                    ),
                    (
                        EntryKind::Consultation,
                        "预付卡备案执法程序咨询",
                        60,
                        "当面答复",
                    ),
                    (
                        EntryKind::DocumentReview,
                        "商务执法行政裁量权基准修订稿审查",
                        180,
                        "同意，建议细化从轻情形",
                    ),
                    (
                        EntryKind::Other,
                        "参加全局法治培训授课",
                        120,
                        "授课一次，120 人参加",
                    ),
                ];
                for (m, (k, subject, minutes, outcome)) in work.iter().enumerate() {
                    let month = u8::try_from(2 + 2 * m).unwrap_or(12).min(12);
                    let on = Date::from_calendar_date(
                        2026,
                        time::Month::try_from(month).unwrap_or(time::Month::December),
                        10 + u8::try_from(n).unwrap_or(0),
                    )
                    .map_err(|e| StoreError::Db(e.to_string()))?;
                    advisor::add_entry(
                        tx,
                        &p.legal,
                        id,
                        &NewEntry {
                            kind: *k,
                            subject: (*subject).into(),
                            subject_ref: None,
                            minutes: *minutes,
                            outcome: (*outcome).into(),
                            on,
                        },
                    )?;
                }
                ids.push(id);
            }
            Ok(ids)
        })
        .map_err(|e| e.to_string())
}
