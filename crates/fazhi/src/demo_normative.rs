//! About 30 demo normative documents of the city bureau and 金水区, in every state: drafting,
//! in fair competition review, open for comment, in legality review and discussion, approved,
//! numbered, published, filed, amended, partly invalid, repealed, expired (its validity period
//! ran out) and withdrawn. Each is driven through the store's own actions on dates in the past,
//! so its versions, comments, limits, numbers, portal copies and audit entries are real.

use fazhi_domain::calendar::{Calendar, fmt_date};
use fazhi_domain::normative::Rules;
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::Registry;
use fazhi_store::audit::Who;
use fazhi_store::normative::{self as store, ActionInput, NewDoc, PublicComment};
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, org};
use time::{Date, Duration};

/// How far a demo document goes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum To {
    Drafting,
    Fair,
    Comment,
    Legality,
    Discussion,
    Approved,
    Numbered,
    Published,
    Filed,
}

/// What happens to a published document afterwards: (action, days after publication, by).
type Later = &'static [(&'static str, i64, &'static str)];

struct Spec {
    title: &'static str,
    city: bool,
    market: bool,
    public: bool,
    /// Days before today the drafting began.
    ago: i64,
    to: To,
    later: Later,
    /// Returned once by legality review before passing.
    returned: bool,
    withdrawn: bool,
}

const fn spec(title: &'static str, city: bool, ago: i64, to: To) -> Spec {
    Spec {
        title,
        city,
        market: false,
        public: false,
        ago,
        to,
        later: &[],
        returned: false,
        withdrawn: false,
    }
}

const fn market(mut s: Spec) -> Spec {
    s.market = true;
    s.public = true;
    s
}

const fn later(mut s: Spec, l: Later) -> Spec {
    s.later = l;
    s
}

const SPECS: &[Spec] = &[
    spec("郑州市商务局规范性文件管理办法", true, 1900, To::Filed),
    spec(
        "郑州市商务局重大行政执法决定法制审核办法",
        true,
        1700,
        To::Filed,
    ),
    market(spec(
        "郑州市单用途商业预付卡管理实施办法",
        true,
        1500,
        To::Filed,
    )),
    spec(
        "郑州市报废机动车回收拆解企业监督检查办法",
        true,
        1450,
        To::Filed,
    ),
    market(spec("郑州市拍卖业监督管理办法", true, 1300, To::Filed)),
    later(
        market(spec(
            "郑州市成品油流通行业监督检查办法",
            true,
            1250,
            To::Filed,
        )),
        &[(
            "repeal",
            800,
            "郑商规〔2025〕2号《郑州市商务局关于废止部分规范性文件的决定》",
        )],
    ),
    market(spec(
        "郑州市典当行业监督管理实施细则",
        true,
        1150,
        To::Filed,
    )),
    later(
        spec(
            "郑州市商务执法行政处罚裁量基准适用规定",
            true,
            1100,
            To::Filed,
        ),
        &[(
            "amend",
            500,
            "郑商规〔2025〕4号《关于修改〈郑州市商务执法行政处罚裁量基准适用规定〉的决定》",
        )],
    ),
    later(
        market(spec("郑州市二手车交易市场管理办法", true, 1050, To::Filed)),
        &[(
            "declare_partly_invalid",
            600,
            "郑商〔2025〕31号：第十二条、第十五条不再适用",
        )],
    ),
    // 暂行: two years of validity, run out in 2025.
    market(spec(
        "郑州市商业特许经营备案工作规程（暂行）",
        true,
        1380,
        To::Filed,
    )),
    spec(
        "郑州市商务系统行政执法全过程记录实施办法",
        true,
        900,
        To::Filed,
    ),
    market(spec(
        "郑州市商务领域信用分级分类监管办法（试行）",
        true,
        800,
        To::Filed,
    )),
    spec("郑州市商务领域安全生产检查办法", true, 700, To::Filed),
    later(
        market(spec(
            "郑州市再生资源回收经营者备案管理办法",
            true,
            650,
            To::Filed,
        )),
        &[(
            "repeal",
            480,
            "郑商规〔2026〕3号《郑州市商务局关于废止部分规范性文件的决定》（2026年清理）",
        )],
    ),
    market(spec("郑州市家政服务业信用管理办法", true, 500, To::Filed)),
    market(spec(
        "郑州市洗染业服务规范管理办法",
        true,
        120,
        To::Published,
    )),
    spec("郑州市汽车销售经营者备案管理办法", true, 95, To::Numbered),
    spec(
        "郑州市生活必需品市场供应应急管理办法",
        true,
        80,
        To::Approved,
    ),
    spec("郑州市老字号认定和保护办法", true, 70, To::Discussion),
    market(spec(
        "郑州市外贸企业出口信用保险扶持资金管理办法",
        true,
        60,
        To::Legality,
    )),
    market(spec("郑州市社区商业网点设置管理办法", true, 5, To::Comment)),
    market(spec("郑州市电子商务平台经营者促进办法", true, 12, To::Fair)),
    spec("郑州市商务行政执法证据规则", true, 10, To::Drafting),
    Spec {
        returned: true,
        ..spec("郑州市展会活动安全管理办法", true, 40, To::Drafting)
    },
    Spec {
        withdrawn: true,
        ..spec(
            "郑州市商务诚信红黑名单管理暂行办法",
            true,
            200,
            To::Drafting,
        )
    },
    spec("金水区单用途预付卡风险防控工作办法", false, 600, To::Filed),
    spec("金水区商贸企业安全检查工作规程", false, 750, To::Filed),
    market(spec("金水区夜市经营管理暂行办法", false, 60, To::Legality)),
    spec("金水区商务执法案卷管理办法", false, 8, To::Drafting),
    spec("金水区商务领域投诉举报处理办法", false, 300, To::Filed),
];

struct Team {
    unit: i64,
    drafter: Actor,
    head: Actor,
    legal: Actor,
    leader: Actor,
    clerk: Actor,
}

fn team(store: &Store, unit: &str, names: [&str; 5]) -> Result<Team, String> {
    let e = |e: fazhi_store::StoreError| e.to_string();
    store
        .read(|tx| {
            let unit = org::get_org_by_code(tx, unit)?
                .ok_or(fazhi_store::StoreError::NotFound("演示单位"))?
                .id;
            let mut actors = Vec::new();
            for n in names {
                let id = org::user_id_by_username(tx, n)?
                    .ok_or(fazhi_store::StoreError::NotFound("演示人员"))?;
                actors.push(
                    org::load_actor(tx, id)?
                        .ok_or(fazhi_store::StoreError::NotFound("演示人员"))?,
                );
            }
            let mut a = actors.into_iter();
            let mut next = || {
                a.next()
                    .ok_or(fazhi_store::StoreError::NotFound("演示人员"))
            };
            Ok(Team {
                unit,
                drafter: next()?,
                head: next()?,
                legal: next()?,
                leader: next()?,
                clerk: next()?,
            })
        })
        .map_err(e)
}

fn body(title: &str, market: bool) -> String {
    let subject = title
        .trim_end_matches("（暂行）")
        .trim_end_matches("（试行）")
        .to_string();
    // The statute a document implements, cited by article (linked to the law database).
    let basis = [
        ("预付卡", "《单用途商业预付卡管理办法（试行）》第七条"),
        ("报废机动车", "《报废机动车回收管理办法》第六条"),
        ("特许经营", "《商业特许经营管理条例》第八条"),
        (
            "行政处罚",
            "《中华人民共和国行政处罚法》第五十八条、第六十条",
        ),
        ("执法", "《中华人民共和国行政处罚法》第四十二条"),
        ("规范性文件", "《优化营商环境条例》第六十二条"),
    ]
    .iter()
    .find(|(k, _)| title.contains(k))
    .map_or("有关法律、法规和规章".to_string(), |(_, b)| {
        format!("{b}等规定")
    });
    let mut b = format!(
        "为加强管理，规范行政行为，保护公民、法人和其他组织的合法权益，根据{basis}，结合本市实际，制定本办法。\n第一章 总则\n第一条 本办法适用于本行政区域内{}相关工作。\n第二条 商务主管部门负责本办法的组织实施，有关部门按照职责分工做好相关工作。\n第三条 工作遵循依法、公开、公正、便民的原则。\n第二章 管理措施\n第四条 商务主管部门应当建立工作台账，依法公开办事指南和办理结果。\n第五条 商务主管部门应当按照“双随机、一公开”的要求开展监督检查，检查结果依法向社会公开。",
        subject
    );
    if market {
        b.push_str("\n第六条 经营者依法自主开展经营活动，商务主管部门不得设置不合理的准入条件，不得限定经营者交易对象。");
    }
    b.push_str(
        "\n第三章 附则\n第七条 本办法由商务主管部门负责解释。\n第八条 本办法自发布之日起施行。",
    );
    b
}

const INTERPRETATION: &str = "一、制定背景：为贯彻法治政府建设要求，规范本领域管理行为，根据有关法律法规制定本文件。二、主要内容：明确适用范围、职责分工、管理措施和监督检查要求。三、适用对象：本行政区域内相关经营者和管理部门。四、施行日期和有效期：自发布之日起施行，有效期按规定确定。";

/// Loads the demo documents unless some exist; returns how many were loaded.
pub fn load(
    store: &Store,
    (reg, cal): (&Registry, &Calendar),
    today: Date,
) -> Result<usize, String> {
    let e = |e: fazhi_store::StoreError| e.to_string();
    let have = store
        .read(|tx| store::list(tx, &["/".to_string()], &store::Filter::default(), 1))
        .map_err(e)?;
    if !have.is_empty() {
        return Ok(0);
    }
    let rules = Rules::shipped()?;
    let city = team(
        store,
        "zz-scztc",
        [
            "scc.officer1",
            "scc.head",
            "fzc.legal",
            "leader",
            "bgs.clerk",
        ],
    )?;
    let county = team(
        store,
        "jinshui-zfdd",
        [
            "js.officer1",
            "js.head",
            "js.legal",
            "js.leader",
            "js.clerk",
        ],
    )?;
    for s in SPECS {
        let t = if s.city { &city } else { &county };
        drive(store, (reg, cal, &rules), t, s, today)
            .map_err(|m| format!("演示规范性文件「{}」：{m}", s.title))?;
    }
    Ok(SPECS.len())
}

fn drive(
    store: &Store,
    (reg, cal, rules): (&Registry, &Calendar, &Rules),
    t: &Team,
    s: &Spec,
    today: Date,
) -> Result<(), String> {
    let e = |e: fazhi_store::StoreError| e.to_string();
    let start = today - Duration::days(s.ago);
    let clock = |d: Date| Clock {
        cal,
        today: d,
        warn: 3,
    };
    let new = NewDoc {
        org_id: t.unit,
        title: s.title.into(),
        concerns_market: s.market,
        affects_public: s.public,
        closely_market: s.market && s.public,
        complex: false,
    };
    let id = store
        .write(|tx| store::open(tx, &t.drafter, &new, reg, start))
        .map_err(e)?;
    let act = |who: &Actor, action: &str, input: ActionInput, day: Date| -> Result<(), String> {
        store
            .write(|tx| {
                let v = store::get(tx, id)?.version;
                store::act(
                    tx,
                    (who, &Who::from(who)),
                    (id, v),
                    (action, &input),
                    (reg, rules),
                    clock(day),
                )
            })
            .map(|_| ())
            .map_err(|err| format!("{action}: {err}"))
    };
    let text = |x: &str| ActionInput {
        text: x.into(),
        ..ActionInput::default()
    };
    let mut day = start;
    act(&t.drafter, "save_draft", text(&body(s.title, false)), day)?;
    if s.withdrawn {
        return act(
            &t.head,
            "withdraw",
            text("上位法已作出规定，不再另行制定"),
            day + Duration::days(20),
        );
    }
    if s.to == To::Drafting && !s.returned {
        return Ok(());
    }
    day += Duration::days(1);
    act(
        &t.drafter,
        "save_draft",
        ActionInput {
            choice: Some("根据处室讨论意见修改".into()),
            ..text(&body(s.title, s.market))
        },
        day,
    )?;
    act(
        &t.head,
        "comment_draft",
        ActionInput {
            choice: Some("art_5".into()),
            ..text("建议明确检查结果公开的期限")
        },
        day,
    )?;
    if s.market {
        day += Duration::days(1);
        act(&t.drafter, "submit_fair_review", text(""), day)?;
        act(
            &t.drafter,
            "hear_stakeholders",
            text("召开经营者和行业协会座谈会，书面征求意见，共收到意见 6 条"),
            day,
        )?;
        if s.to == To::Fair {
            return Ok(());
        }
        act(
            &t.legal,
            "record_fair_review",
            ActionInput {
                choice: Some("passes".into()),
                opinion: "同意审查结论".into(),
                ..text("经对照第八条至第十一条审查标准逐项审查，未发现排除、限制竞争的内容")
            },
            day + Duration::days(2),
        )?;
        day += Duration::days(3);
    }
    if s.public {
        act(&t.head, "open_comment", text(""), day)?;
        for (name, art, c) in [
            ("李建国", "art_4", "建议明确办理结果公开的渠道和期限"),
            (
                "河南某某商贸有限公司",
                "art_6",
                "建议增加对经营者的告知程序",
            ),
        ] {
            store
                .write(|tx| {
                    store::comment_from_portal(
                        tx,
                        id,
                        &PublicComment {
                            name: name.into(),
                            contact: "13800000000".into(),
                            article: art.into(),
                            body: c.into(),
                        },
                        clock(day + Duration::days(2)),
                    )
                })
                .map_err(e)?;
        }
        if s.to == To::Comment {
            return Ok(());
        }
        let comments = store.read(|tx| store::comments(tx, id)).map_err(e)?;
        for (i, c) in comments.iter().filter(|c| c.source == "public").enumerate() {
            let (adopted, reply) = if i == 0 {
                (true, "已采纳，在第四条增加公开渠道和期限")
            } else {
                (
                    false,
                    "告知程序已由行政处罚法等法律规定，本办法不再重复规定",
                )
            };
            store
                .write(|tx| store::answer_comment(tx, &t.drafter, (id, c.id), adopted, reply))
                .map_err(e)?;
        }
        act(
            &t.head,
            "publish_feedback",
            text(""),
            day + Duration::days(20),
        )?;
        day += Duration::days(32);
        act(&t.head, "close_comment", text(""), day)?;
    }
    day += Duration::days(1);
    act(&t.head, "submit_legality_review", text(""), day)?;
    if s.returned {
        act(
            &t.legal,
            "return_legality_review",
            text(
                "第五条设定的检查频次缺乏上位法依据，第七条解释主体表述不规范，请修改后重新报送审核。",
            ),
            day + Duration::days(3),
        )?;
        return Ok(());
    }
    if s.to == To::Legality {
        return Ok(());
    }
    act(
        &t.legal,
        "pass_legality_review",
        text(
            "经审核，文件制定主体适格，未超越法定职权，未违法设定行政许可、行政处罚、行政强制等事项，未违法减损公民、法人和其他组织合法权益或者增加其义务，制定程序符合规定。",
        ),
        day + Duration::days(4),
    )?;
    if s.to == To::Discussion {
        return Ok(());
    }
    day += Duration::days(7);
    act(
        &t.leader,
        "approve_in_discussion",
        text(&format!("{}年局长办公会审议通过", day.year())),
        day,
    )?;
    if s.to == To::Approved {
        return Ok(());
    }
    act(&t.clerk, "assign_number", text(""), day + Duration::days(1))?;
    if s.to == To::Numbered {
        return Ok(());
    }
    day += Duration::days(2);
    act(
        &t.drafter,
        "write_interpretation",
        text(INTERPRETATION),
        day,
    )?;
    let effective = day + Duration::days(30);
    act(
        &t.clerk,
        "publish",
        ActionInput {
            date: Some(fmt_date(effective)),
            ..ActionInput::default()
        },
        day,
    )?;
    if s.to == To::Published {
        return Ok(());
    }
    let authority = rules.filing_authority(if s.city {
        "郑州市商务局"
    } else {
        "金水区商务局"
    });
    act(
        &t.legal,
        "file_record",
        text(&format!("报{authority}备案，已登记")),
        day + Duration::days(12),
    )?;
    for (action, after, by) in s.later {
        let on = day + Duration::days(*after);
        act(
            &t.legal,
            action,
            ActionInput {
                date: Some(fmt_date(on)),
                ..text(by)
            },
            on.min(today),
        )?;
    }
    Ok(())
}
