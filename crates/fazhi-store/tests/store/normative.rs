//! Normative documents (规范性文件) on SQLite and PostgreSQL: the steps a draft must pass and
//! the reasons it is refused, the comment period and its feedback report, the legality review's
//! working days across a holiday, numbering without gap under concurrency, and validity as of
//! any date in what the portal reads.

use fazhi_domain::calendar::Calendar;
use fazhi_domain::normative::{Rules, Validity};
use fazhi_domain::org::{Actor, OrgKind, Role};
use fazhi_domain::procedure::Registry;
use fazhi_store::normative::{self as store, ActionInput, NewDoc, PublicComment, PublishedFilter};
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::time_limit::{self, Clock};
use fazhi_store::{StoreError, auth, calendar, procedure, publication};
use time::Date;
use time::macros::date;

use crate::common::TestDb as Db;
use crate::time::{postgres, sqlite};

const PROCEDURE: &str = include_str!("../../../../procedures/normative-document.toml");

const BODY: &str = "为规范单用途商业预付卡管理，制定本办法。\n第一条 本办法适用于本市行政区域内的发卡企业。\n第二条 发卡企业应当自开展业务之日起30日内备案。\n第三条 本办法自发布之日起施行。";

struct Desk<'a> {
    db: &'a Db,
    reg: Registry,
    cal: Calendar,
    rules: Rules,
    division: i64,
    drafter: Actor,
    head: Actor,
    legal: Actor,
    leader: Actor,
    clerk: Actor,
    county_officer: Actor,
}

impl<'a> Desk<'a> {
    fn new(db: &'a Db) -> Self {
        let hash = auth::hash_password("Fazhi@2026test").unwrap();
        let (division, ids) = db
            .store
            .write(|tx| {
                let mk = |tx: &mut dyn fazhi_store::Tx, parent, code: &str, name: &str, kind| {
                    org::create_org(
                        tx,
                        By::System,
                        &NewOrg {
                            parent_id: parent,
                            code: code.into(),
                            name: name.into(),
                            kind,
                            sort_order: 0,
                        },
                    )
                };
                let city = mk(tx, None, "zz", "郑州市商务局", OrgKind::Bureau)?;
                let division = mk(tx, Some(city), "zz-scztc", "市场秩序处", OrgKind::Division)?;
                let legal = mk(tx, Some(city), "zz-zcfgc", "政策法规处", OrgKind::Division)?;
                let jinshui = mk(
                    tx,
                    Some(city),
                    "jinshui",
                    "金水区商务局",
                    OrgKind::CountyBureau,
                )?;
                let mut user = |name: &str, org_id: i64, role: Role| {
                    let id = org::create_user(
                        tx,
                        By::System,
                        &NewUser {
                            username: name.into(),
                            display_name: format!("测试{name}"),
                            org_id,
                            password_hash: hash.clone(),
                        },
                    )?;
                    org::grant_role(tx, By::System, id, 1, org_id, role)?;
                    Ok::<_, StoreError>(id)
                };
                let ids = [
                    user("drafter", division, Role::Officer)?,
                    user("head", division, Role::DivisionHead)?,
                    user("legal", legal, Role::LegalDivision)?,
                    user("leader", city, Role::Leader)?,
                    user("clerk", city, Role::Clerk)?,
                    user("js.officer", jinshui, Role::Officer)?,
                ];
                Ok((division, ids))
            })
            .unwrap();
        let actor = |id| {
            db.store
                .read(|tx| org::load_actor(tx, id))
                .unwrap()
                .unwrap()
        };
        let reg = procedure::load_registry(
            &db.store,
            &[(
                "procedures/normative-document.toml".into(),
                PROCEDURE.into(),
            )],
        )
        .unwrap();
        Desk {
            db,
            reg,
            cal: db.store.read(calendar::load).unwrap(),
            rules: Rules::shipped().unwrap(),
            division,
            drafter: actor(ids[0]),
            head: actor(ids[1]),
            legal: actor(ids[2]),
            leader: actor(ids[3]),
            clerk: actor(ids[4]),
            county_officer: actor(ids[5]),
        }
    }

    fn clock(&self, today: Date) -> Clock<'_> {
        Clock {
            cal: &self.cal,
            today,
            warn: 3,
        }
    }

    fn open(&self, title: &str, market: bool, public: bool, day: Date) -> i64 {
        let new = NewDoc {
            org_id: self.division,
            title: title.into(),
            concerns_market: market,
            affects_public: public,
            closely_market: market && public,
            complex: false,
        };
        self.db
            .store
            .write(|tx| store::open(tx, &self.drafter, &new, &self.reg, day))
            .unwrap()
    }

    fn act(
        &self,
        actor: &Actor,
        id: i64,
        action: &str,
        input: ActionInput,
        day: Date,
    ) -> Result<store::NormativeDoc, StoreError> {
        let version = store::get_for_test(&self.db.store, id).version;
        self.db.store.write(|tx| {
            store::act(
                tx,
                (actor, &fazhi_store::audit::Who::from(actor)),
                (id, version),
                (action, &input),
                (&self.reg, &self.rules),
                self.clock(day),
            )
        })
    }

    fn ok(&self, actor: &Actor, id: i64, action: &str, input: ActionInput, day: Date) {
        self.act(actor, id, action, input, day)
            .unwrap_or_else(|e| panic!("{action}: {e}"));
    }

    /// A draft that concerns neither market entities nor the public, taken to `approved`.
    fn approved(&self, title: &str, day: Date) -> i64 {
        let id = self.open(title, false, false, day);
        self.ok(&self.drafter, id, "save_draft", text(BODY), day);
        self.ok(&self.head, id, "submit_legality_review", text(""), day);
        self.ok(
            &self.legal,
            id,
            "pass_legality_review",
            text("经审核，制定主体合法，未超越法定职权，程序符合规定，内容不违反上位法。"),
            day,
        );
        self.ok(
            &self.leader,
            id,
            "approve_in_discussion",
            text("2026年第20次局长办公会审议通过"),
            day,
        );
        id
    }
}

fn text(t: &str) -> ActionInput {
    ActionInput {
        text: t.into(),
        ..ActionInput::default()
    }
}

fn refusal(r: Result<store::NormativeDoc, StoreError>) -> String {
    match r {
        Err(StoreError::Refused(r)) => r.to_string(),
        Err(StoreError::Invalid(e)) => e.iter().map(|e| e.message.clone()).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn interpretation() -> ActionInput {
    text(
        "一、制定背景：为规范本市单用途商业预付卡管理，保护消费者合法权益。二、主要内容：明确备案期限、资金存管和监督检查。三、适用对象：本市行政区域内的发卡企业。四、施行日期：自公布之日起施行。",
    )
}

both!(
    a_market_document_is_refused_without_its_fair_review_and_comment_then_goes_through,
    |db: &Db| {
        let d = Desk::new(db);
        let day = date!(2026 - 09 - 01);
        let id = d.open("郑州市单用途商业预付卡管理办法", true, true, day);
        // Nothing saved: no draft to submit.
        let r = refusal(d.act(&d.drafter, id, "submit_fair_review", text(""), day));
        assert!(r.contains("缺少文件草案"), "{r}");
        d.ok(&d.drafter, id, "save_draft", text(BODY), day);
        // 第十八条: no comment, no legality review without the fair competition review.
        let r = refusal(d.act(&d.head, id, "open_comment", text(""), day));
        assert!(r.contains("公平竞争审查条例 第十八条"), "{r}");
        let r = refusal(d.act(&d.head, id, "submit_legality_review", text(""), day));
        assert!(r.contains("第十八条") && r.contains("公开征求意见"), "{r}");
        d.ok(&d.drafter, id, "submit_fair_review", text(""), day);
        // 第十六条: stakeholders first.
        let review = |conclusion: &str, picks: Vec<String>, t: &str| ActionInput {
            text: t.into(),
            choice: Some(conclusion.into()),
            picks,
            opinion: "同意".into(),
            ..ActionInput::default()
        };
        let r = refusal(d.act(
            &d.head,
            id,
            "record_fair_review",
            review("passes", vec![], "未发现排除限制竞争内容"),
            day,
        ));
        assert!(r.contains("第十六条"), "{r}");
        d.ok(
            &d.drafter,
            id,
            "hear_stakeholders",
            text("2026年9月1日召开发卡企业和行业协会座谈会，听取意见12条"),
            day,
        );
        // A failing review sends it back; it cannot go on.
        let art8 = "第八条 限制市场准入和退出".to_string();
        d.ok(
            &d.head,
            id,
            "record_fair_review",
            review(
                "fails",
                vec![art8.clone()],
                "第二条设定了备案前置条件，限制市场准入",
            ),
            day,
        );
        let r = refusal(d.act(&d.head, id, "open_comment", text(""), day));
        assert!(r.contains("违反审查标准"), "{r}");
        // An exception must name article 12.
        d.ok(&d.drafter, id, "submit_fair_review", text(""), day);
        d.ok(
            &d.drafter,
            id,
            "hear_stakeholders",
            text("再次听取行业协会意见"),
            day,
        );
        let r = refusal(d.act(
            &d.head,
            id,
            "record_fair_review",
            review("exception", vec![art8], "为保护消费者"),
            day,
        ));
        assert!(r.contains("第十二条"), "{r}");
        d.ok(
            &d.head,
            id,
            "record_fair_review",
            review("passes", vec![], "修改后未发现排除、限制竞争的内容"),
            day,
        );
        // Comment: 30 days, as it closely concerns market entities (优化营商环境条例 第六十二条).
        d.ok(&d.head, id, "open_comment", text(""), day);
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, store::SUBJECT, id))
            .unwrap();
        let comment = lims.iter().find(|l| l.key == "comment_market").unwrap();
        assert_eq!(
            comment.due,
            Some(date!(2026 - 10 - 08)),
            "30 days from 09-01 end on 10-01, a holiday: the next working day"
        );
        let c = PublicComment {
            name: "王小明".into(),
            contact: "13800000000".into(),
            article: "art_2".into(),
            body: "30日备案期限过短，建议延长至60日".into(),
        };
        let cid = db
            .store
            .write(|tx| store::comment_from_portal(tx, id, &c, d.clock(day)))
            .unwrap();
        // The draft on the portal holds the text but no comment until the feedback is published.
        let snap = db
            .store
            .read(|tx| publication::get(tx, store::KIND_COMMENT, &id.to_string()))
            .unwrap()
            .unwrap();
        assert_eq!(snap.body["received"], 1);
        assert_eq!(snap.body["feedback"].as_array().unwrap().len(), 0);
        let r = refusal(d.act(&d.head, id, "publish_feedback", text(""), day));
        assert!(r.contains("1 条意见") && r.contains("第六十二条"), "{r}");
        let r = refusal(d.act(&d.head, id, "close_comment", text(""), day));
        assert!(
            r.contains("期限尚未届满") && r.contains("尚未向社会反馈"),
            "{r}"
        );
        // Not adopted needs its reason.
        let e = db
            .store
            .write(|tx| store::answer_comment(tx, &d.drafter, (id, cid), false, "不"))
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
        db.store
            .write(|tx| {
                store::answer_comment(
                    tx,
                    &d.drafter,
                    (id, cid),
                    false,
                    "上位法规定30日内备案，本办法不得延长",
                )
            })
            .unwrap();
        d.ok(&d.head, id, "publish_feedback", text(""), day);
        let snap = db
            .store
            .read(|tx| publication::get(tx, store::KIND_COMMENT, &id.to_string()))
            .unwrap()
            .unwrap();
        assert_eq!(
            snap.body["feedback"][0]["author"], "王**",
            "the name is masked"
        );
        assert_eq!(snap.body["feedback"][0]["adopted"], false);
        let late = date!(2026 - 10 - 09);
        let e = db
            .store
            .write(|tx| store::comment_from_portal(tx, id, &c, d.clock(late)))
            .unwrap_err();
        assert!(e.to_string().contains("期限已经届满"), "{e}");
        d.ok(&d.head, id, "close_comment", text(""), late);
        // Legality review: 5 working days.
        d.ok(&d.head, id, "submit_legality_review", text(""), late);
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, store::SUBJECT, id))
            .unwrap();
        // From Friday 10-09: Saturday 10-10 is worked under the 2026 notice, so the fifth working
        // day is Thursday 10-15.
        assert_eq!(
            lims.iter()
                .find(|l| l.key == "legality_review")
                .unwrap()
                .due,
            Some(date!(2026 - 10 - 15))
        );
        let r = refusal(d.act(&d.leader, id, "approve_in_discussion", text("x"), late));
        assert!(
            r.contains("需要以下角色") || r.contains("合法性审核"),
            "{r}"
        );
        d.ok(
            &d.legal,
            id,
            "pass_legality_review",
            text("经审核，制定主体合法，程序符合规定，内容不违反上位法，同意提交集体审议。"),
            late,
        );
        d.ok(
            &d.leader,
            id,
            "approve_in_discussion",
            text("2026年第21次局长办公会审议通过"),
            late,
        );
        d.ok(&d.clerk, id, "assign_number", text(""), late);
        // No publication without the policy interpretation.
        let publish = || ActionInput {
            date: Some("2026-11-01".into()),
            ..ActionInput::default()
        };
        let r = refusal(d.act(&d.clerk, id, "publish", publish(), late));
        assert!(r.contains("缺少政策解读"), "{r}");
        d.ok(
            &d.drafter,
            id,
            "write_interpretation",
            interpretation(),
            late,
        );
        d.ok(&d.clerk, id, "publish", publish(), late);
        let doc = store::get_for_test(&db.store, id);
        assert_eq!(doc.number.as_deref(), Some("郑商规〔2026〕1号"));
        assert_eq!(doc.valid_until, Some(date!(2031 - 10 - 31)));
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, store::SUBJECT, id))
            .unwrap();
        assert_eq!(
            lims.iter().find(|l| l.key == "filing").unwrap().due,
            Some(date!(2026 - 11 - 09)),
            "30 days from 10-09 is 11-08, a Sunday"
        );
        d.ok(
            &d.legal,
            id,
            "file_record",
            text("2026年10月20日报郑州市人民政府备案，备案登记号：郑备〔2026〕15号"),
            late,
        );
        assert_eq!(store::get_for_test(&db.store, id).stage, "filed");
    }
);

both!(
    a_repealed_document_is_in_force_as_of_an_earlier_date_and_repealed_as_of_today,
    |db: &Db| {
        let d = Desk::new(db);
        let day = date!(2026 - 03 - 02);
        let id = d.approved("郑州市商务执法文书管理暂行办法", day);
        d.ok(&d.clerk, id, "assign_number", text(""), day);
        d.ok(
            &d.drafter,
            id,
            "write_interpretation",
            interpretation(),
            day,
        );
        d.ok(
            &d.clerk,
            id,
            "publish",
            ActionInput {
                date: Some("2026-04-01".into()),
                ..ActionInput::default()
            },
            day,
        );
        let doc = store::get_for_test(&db.store, id);
        assert_eq!(
            doc.valid_until,
            Some(date!(2028 - 03 - 31)),
            "暂行: two years"
        );
        let repeal = ActionInput {
            text: "郑商规〔2026〕9号《关于废止部分规范性文件的决定》".into(),
            date: Some("2026-10-01".into()),
            opinion: String::new(),
            ..ActionInput::default()
        };
        let early = ActionInput {
            date: Some("2026-03-01".into()),
            ..repeal.clone()
        };
        let r = refusal(d.act(&d.legal, id, "repeal", early, day));
        assert!(r.contains("不能早于本文件的施行日期"), "{r}");
        d.ok(
            &d.legal,
            id,
            "repeal",
            repeal.clone(),
            date!(2026 - 09 - 20),
        );
        let r = refusal(d.act(&d.legal, id, "repeal", repeal, date!(2026 - 10 - 02)));
        assert!(r.contains("已经废止或者失效"), "{r}");
        let list = |on: Option<Date>, day: Date| {
            db.store
                .read(|tx| {
                    store::published(
                        tx,
                        &PublishedFilter {
                            in_force_on: on,
                            ..PublishedFilter::default()
                        },
                        day,
                        (20, 0),
                    )
                })
                .unwrap()
        };
        let june = list(Some(date!(2026 - 06 - 01)), date!(2026 - 06 - 01));
        assert_eq!(june.len(), 1);
        assert_eq!(june[0].validity, Validity::InForce);
        assert!(list(Some(date!(2026 - 11 - 28)), date!(2026 - 11 - 28)).is_empty());
        let all = list(None, date!(2026 - 11 - 28));
        assert_eq!(all[0].validity, Validity::Repealed);
        assert_eq!(
            all[0].events[0].by_document,
            "郑商规〔2026〕9号《关于废止部分规范性文件的决定》"
        );
        assert!(
            list(Some(date!(2026 - 03 - 31)), date!(2026 - 03 - 31)).is_empty(),
            "not yet in force"
        );
    }
);

both!(
    numbers_taken_at_once_by_several_clerks_have_no_gap_and_no_duplicate,
    |db: &Db| {
        let d = Desk::new(db);
        let day = date!(2026 - 05 - 06);
        let ids: Vec<i64> = (0..6)
            .map(|i| d.approved(&format!("第{i}号测试规范性文件办法"), day))
            .collect();
        std::thread::scope(|s| {
            for id in &ids {
                let d = &d;
                s.spawn(move || {
                    // A conflict on the counter row is retried as a user would.
                    for _ in 0..20 {
                        match d.act(&d.clerk, *id, "assign_number", text(""), day) {
                            Ok(_) => return,
                            Err(StoreError::Conflict { .. }) => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                    panic!("not numbered");
                });
            }
        });
        let mut seqs: Vec<String> = ids
            .iter()
            .map(|id| store::get_for_test(&db.store, *id).number.unwrap())
            .collect();
        seqs.sort();
        let want: Vec<String> = (1..=6).map(|n| format!("郑商规〔2026〕{n}号")).collect();
        let mut want_sorted = want.clone();
        want_sorted.sort();
        assert_eq!(seqs, want_sorted);
    }
);

both!(
    a_county_officer_cannot_see_or_act_on_a_city_draft_and_a_clerk_cannot_draft,
    |db: &Db| {
        let d = Desk::new(db);
        let day = date!(2026 - 05 - 06);
        let id = d.open("郑州市商务信用管理办法", false, false, day);
        let e = d
            .act(&d.county_officer, id, "save_draft", text(BODY), day)
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
        let listed = db
            .store
            .read(|tx| {
                store::list(
                    tx,
                    &d.county_officer.view_scopes(),
                    &store::Filter::default(),
                    50,
                )
            })
            .unwrap();
        assert!(listed.is_empty());
        let new = NewDoc {
            org_id: d.division,
            title: "越权起草的文件名称".into(),
            concerns_market: false,
            affects_public: false,
            closely_market: true,
            complex: false,
        };
        let e = db
            .store
            .write(|tx| store::open(tx, &d.drafter, &new, &d.reg, day))
            .unwrap_err();
        assert!(
            e.to_string().contains("密切相关") || matches!(e, StoreError::Invalid(_)),
            "{e}"
        );
        let r = refusal(d.act(&d.drafter, id, "save_draft", text("太短"), day));
        assert!(r.contains("20 个字"), "{r}");
        let r = refusal(d.act(
            &d.drafter,
            id,
            "save_draft",
            text("本办法没有条文，只有一段很长很长很长很长的说明文字。"),
            day,
        ));
        assert!(r.contains("没有条文"), "{r}");
    }
);
