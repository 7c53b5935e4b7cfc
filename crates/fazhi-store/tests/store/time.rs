//! Store tests of time limits, the holiday notices, procedure versions and disclosure requests,
//! on SQLite and PostgreSQL.

use fazhi_domain::calendar::{Notice, fmt_date};
use fazhi_domain::org::{OrgKind, Role};
use fazhi_domain::procedure::Registry;
use fazhi_domain::time_limit::{Count, LimitState, TimeLimit};
use fazhi_store::audit::{self, Who};
use fazhi_store::disclosure::{self, ActionInput, NewRequest};
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::time_limit::{self, Clock, StartLimit};
use fazhi_store::{StoreError, auth, calendar, notification, procedure};
use time::macros::date;

const SHIPPED: &str = include_str!("../../../../data/calendar/holidays.toml");
pub(crate) const PROCEDURE: &str = include_str!("../../../../procedures/disclosure-request.toml");
use crate::common::TestDb as Db;

fn seeded(db: Db) -> Db {
    calendar::seed(&db.store, SHIPPED).unwrap();
    db
}

pub(crate) fn sqlite() -> Db {
    seeded(crate::common::sqlite())
}

pub(crate) fn postgres() -> Db {
    seeded(crate::common::postgres())
}

/// 金水区 with an officer and a division head.
pub(crate) struct World {
    pub(crate) jinshui: i64,
    pub(crate) head: i64,
    pub(crate) officer: fazhi_domain::org::Actor,
    pub(crate) head_actor: fazhi_domain::org::Actor,
}

pub(crate) fn world(db: &Db) -> World {
    let hash = auth::hash_password("Fazhi@2026test").unwrap();
    db.store
        .write(|tx| {
            let mk = |tx: &mut dyn fazhi_store::Tx, parent, code: &str, kind| {
                org::create_org(
                    tx,
                    By::System,
                    &NewOrg {
                        parent_id: parent,
                        code: code.into(),
                        name: format!("{code}单位"),
                        kind,
                        sort_order: 0,
                    },
                )
            };
            let city = mk(tx, None, "zz", OrgKind::Bureau)?;
            let jinshui = mk(tx, Some(city), "jinshui", OrgKind::CountyBureau)?;
            let mut user = |name: &str, role: Role| {
                let id = org::create_user(
                    tx,
                    By::System,
                    &NewUser {
                        username: name.into(),
                        display_name: format!("测试{name}"),
                        org_id: jinshui,
                        password_hash: hash.clone(),
                    },
                )?;
                org::grant_role(tx, By::System, id, 1, jinshui, role)?;
                Ok::<_, StoreError>(id)
            };
            let officer = user("js.officer", Role::Officer)?;
            let head = user("js.head", Role::DivisionHead)?;
            Ok(World {
                jinshui,
                head,
                officer: org::load_actor(tx, officer)?.unwrap(),
                head_actor: org::load_actor(tx, head)?.unwrap(),
            })
        })
        .unwrap()
}

/// The `version` of the shipped disclosure procedure file.
pub(crate) fn shipped_version() -> u32 {
    PROCEDURE
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .unwrap()
        .parse()
        .unwrap()
}

pub(crate) fn registry(db: &Db) -> Registry {
    procedure::load_registry(
        &db.store,
        &[(
            "procedures/disclosure-request.toml".into(),
            PROCEDURE.into(),
        )],
    )
    .unwrap()
}

/// A 10-working-day answer limit counted from 2026-11-02 for the record `("test", id)` of
/// `org_id`, started that day.
fn answer_limit(
    db: &Db,
    cal: &fazhi_domain::calendar::Calendar,
    org_id: i64,
    id: i64,
) -> time_limit::LimitRecord {
    let clock = Clock {
        cal,
        today: date!(2026 - 11 - 02),
        warn: 3,
    };
    let spec = TimeLimit::new(
        date!(2026 - 11 - 02),
        10,
        Count::Working,
        "政府信息公开条例 第三十三条",
        None,
    );
    db.store
        .write(|tx| {
            time_limit::start(
                tx,
                &Who::system(),
                StartLimit {
                    subject: ("test", id),
                    key: "answer",
                    title: "答复期限",
                    org_id,
                    responsible_user_id: None,
                    spec,
                },
                clock,
            )
        })
        .unwrap()
}

both!(
    a_corrected_notice_moves_open_due_dates_and_records_each_change,
    |db: &Db| {
        let w = world(db);
        let cal = db.store.read(calendar::load).unwrap();
        let rec = answer_limit(db, &cal, w.jinshui, 1);
        assert_eq!(rec.due, Some(date!(2026 - 11 - 16)));
        // A correction makes 2026-11-09 a holiday: the due date moves one working day.
        let mut n: Notice = cal.notice(2026).unwrap().clone();
        n.holidays.push(fazhi_domain::calendar::HolidayPeriod {
            name: "测试".into(),
            dates: vec!["2026-11-09".into()],
        });
        let (years, changed) = db
            .store
            .write(|tx| calendar::load_notices(tx, By::System, &[n], date!(2026 - 11 - 03), 3))
            .unwrap();
        assert_eq!((years, changed), (vec![2026], 1));
        let after = db
            .store
            .read(|tx| time_limit::for_subject(tx, "test", 1))
            .unwrap();
        assert_eq!(after[0].due, Some(date!(2026 - 11 - 17)));
        let tl = db
            .store
            .read(|tx| audit::timeline(tx, "test", "1"))
            .unwrap();
        assert!(
            tl.iter()
                .any(|e| e.action == "time_limit.recompute_limit"
                    && e.summary.contains("2026-11-17"))
        );
        assert!(audit::verify(&db.store).unwrap().is_ok());
        // Loading the same notice again changes nothing.
        let same = db
            .store
            .read(calendar::load)
            .unwrap()
            .notice(2026)
            .unwrap()
            .clone();
        let again = db
            .store
            .write(|tx| calendar::load_notices(tx, By::System, &[same], date!(2026 - 11 - 03), 3))
            .unwrap();
        assert_eq!(again, (vec![], 0));
    }
);

both!(a_county_admin_cannot_change_the_calendar, |db: &Db| {
    let w = world(db);
    let cal = db.store.read(calendar::load).unwrap();
    let n = cal.notice(2026).unwrap().clone();
    let err = db
        .store
        .write(|tx| {
            calendar::load_notices(tx, By::Actor(&w.head_actor), &[n], date!(2026 - 11 - 03), 3)
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(r) if r.code == "calendar.not_root_admin"));
});

both!(
    a_time_limit_whose_stored_date_state_or_counting_does_not_read_is_an_error_naming_the_column,
    |db: &Db| {
        let w = world(db);
        let cal = db.store.read(calendar::load).unwrap();
        let rec = answer_limit(db, &cal, w.jinshui, 9);
        let corrupt = |sql: &str| {
            db.store
                .write(|tx| tx.exec(sql, &[fazhi_store::Value::from(rec.id)]))
                .unwrap();
            match db.store.read(|tx| time_limit::for_subject(tx, "test", 9)) {
                Err(StoreError::Db(m)) => m,
                other => panic!("{sql}: {other:?}"),
            }
        };
        // Before, a malformed due date read as "no due date" (as if suspended) and was never
        // reminded or alerted.
        let m = corrupt("UPDATE time_limits SET due_date = '2026-02-30' WHERE id = ?");
        assert!(
            m.contains(&format!("time_limits.due_date（id {}）", rec.id)),
            "{m}"
        );
        let m =
            corrupt("UPDATE time_limits SET due_date = '2026-11-16', state = 'lost' WHERE id = ?");
        assert!(
            m.contains(&format!("time_limits.state（id {}）", rec.id)) && m.contains("lost"),
            "{m}"
        );
        let m = corrupt("UPDATE time_limits SET state = 'running', spec = '{' WHERE id = ?");
        assert!(
            m.contains(&format!("time_limits.spec（id {}）", rec.id)) && m.contains("JSON"),
            "{m}"
        );
    }
);

both!(
    the_sweep_reminds_once_and_alerts_once_and_only_one_instance_holds_the_lease,
    |db: &Db| {
        let w = world(db);
        let cal = db.store.read(calendar::load).unwrap();
        let clock = Clock {
            cal: &cal,
            today: date!(2026 - 11 - 02),
            warn: 3,
        };
        let spec = TimeLimit::new(
            date!(2026 - 11 - 02),
            10,
            Count::Working,
            "政府信息公开条例 第三十三条",
            None,
        );
        db.store
            .write(|tx| {
                time_limit::start(
                    tx,
                    &Who::system(),
                    StartLimit {
                        subject: ("test", 7),
                        key: "answer",
                        title: "答复期限",
                        org_id: w.jinshui,
                        responsible_user_id: Some(w.officer.user_id),
                        spec,
                    },
                    clock,
                )
            })
            .unwrap();
        assert!(time_limit::take_lease(&db.store, "time_limit_sweep", "a", 60_000).unwrap());
        assert!(!time_limit::take_lease(&db.store, "time_limit_sweep", "b", 60_000).unwrap());
        assert!(
            time_limit::take_lease(&db.store, "time_limit_sweep", "a", 60_000).unwrap(),
            "the holder renews"
        );
        let link = |_: &time_limit::LimitRecord| "/app/work".to_string();
        let early = time_limit::sweep(&db.store, &cal, date!(2026 - 11 - 05), 3, link).unwrap();
        assert_eq!((early.reminded, early.alerted), (0, 0));
        let soon = time_limit::sweep(&db.store, &cal, date!(2026 - 11 - 12), 3, link).unwrap();
        assert_eq!((soon.reminded, soon.alerted), (1, 0));
        let again = time_limit::sweep(&db.store, &cal, date!(2026 - 11 - 13), 3, link).unwrap();
        assert_eq!(
            (again.reminded, again.alerted),
            (0, 0),
            "one reminder per limit"
        );
        let late = time_limit::sweep(&db.store, &cal, date!(2026 - 11 - 17), 3, link).unwrap();
        assert_eq!((late.reminded, late.alerted), (0, 1));
        for user in [w.officer.user_id, w.head] {
            let n = db
                .store
                .read(|tx| notification::unread(tx, user, 10))
                .unwrap();
            let kinds: Vec<&str> = n.iter().map(|x| x.kind.as_str()).collect();
            assert_eq!(
                kinds,
                ["alert", "reminder"],
                "the responsible officer and the division head"
            );
            assert!(n[0].message.contains("已逾期") && n[0].message.contains("2026-11-16"));
        }
        let rec = &db
            .store
            .read(|tx| time_limit::for_subject(tx, "test", 7))
            .unwrap()[0];
        assert_eq!(rec.state, LimitState::Overdue);
    }
);

both!(
    a_changed_procedure_file_must_raise_its_version_and_old_versions_stay_available,
    |db: &Db| {
        registry(db);
        let v = shipped_version();
        let changed = PROCEDURE.replace(
            "title = \"依申请公开政府信息\"",
            "title = \"依申请公开政府信息（修订）\"",
        );
        let err = procedure::load_registry(
            &db.store,
            &[("procedures/disclosure-request.toml".into(), changed.clone())],
        )
        .unwrap_err();
        assert!(err[0].contains(&format!("version 仍为 {v}")), "{err:?}");
        let next = changed.replace(&format!("version = {v}"), &format!("version = {}", v + 1));
        let reg = procedure::load_registry(
            &db.store,
            &[("procedures/disclosure-request.toml".into(), next)],
        )
        .unwrap();
        assert_eq!(reg.current("disclosure-request").unwrap().version, v + 1);
        assert_eq!(
            reg.get("disclosure-request", v).unwrap().title,
            "依申请公开政府信息"
        );
    }
);

both!(
    a_procedure_file_naming_an_action_without_code_is_refused_with_file_action_and_line,
    |db: &Db| {
        let extra = format!(
            "{PROCEDURE}\n[[actions]]\nid = \"send_flowers\"\ntitle = \"送花\"\nfrom = [\"received\"]\nroles = [\"clerk\"]\nbasis = \"测试依据\"\n"
        );
        let line = extra
            .lines()
            .position(|l| l == "id = \"send_flowers\"")
            .unwrap();
        let err = procedure::load_registry(
            &db.store,
            &[("procedures/disclosure-request.toml".into(), extra.clone())],
        )
        .unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        // The span of an action starts at its table header, the line above its id.
        assert!(
            err[0].starts_with(&format!(
                "procedures/disclosure-request.toml:{line}: 操作「send_flowers」（送花）没有执行代码"
            )),
            "{err:?}"
        );
        // Nothing was recorded: the file as shipped still loads as its version.
        assert!(db.store.read(procedure::all).unwrap().is_empty());
        assert_eq!(
            registry(db).current("disclosure-request").unwrap().version,
            shipped_version()
        );
        // A stored older version whose action has lost its code is refused too: records under
        // it could still take that action.
        let old = extra.replace(&format!("version = {}", shipped_version()), "version = 0");
        db.store
            .write(|tx| procedure::register(tx, "old.toml", "disclosure-request", 0, &old))
            .unwrap();
        let err = procedure::load_registry(
            &db.store,
            &[(
                "procedures/disclosure-request.toml".into(),
                PROCEDURE.into(),
            )],
        )
        .unwrap_err();
        assert_eq!(
            err,
            [format!(
                "disclosure-request（第 0 版，数据库中保存）:{line}: 操作「send_flowers」（送花）没有执行代码：程序「disclosure-request」没有以此名称注册的操作效果"
            )]
        );
    }
);

both!(
    a_disclosure_request_is_clarified_extended_and_answered_and_the_requester_sees_each_step,
    |db: &Db| {
        let w = world(db);
        let reg = registry(db);
        let cal = db.store.read(calendar::load).unwrap();
        let day = |d| Clock {
            cal: &cal,
            today: d,
            warn: 3,
        };
        let new = NewRequest {
            org_id: w.jinshui,
            requester_kind: "person".into(),
            requester_name: "张三".into(),
            requester_id_no: "11010519491231002X".into(),
            contact: "13800000000".into(),
            description: "2025 年单用途预付卡备案企业名单".into(),
        };
        let who = Who {
            user_id: None,
            name: "申请人".into(),
        };
        let (id, no, code) = db
            .store
            .write(|tx| disclosure::submit(tx, &who, &new, &reg, day(date!(2026 - 09 - 21))))
            .unwrap();
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, disclosure::SUBJECT, id))
            .unwrap();
        let due =
            |k: &str, l: &[time_limit::LimitRecord]| l.iter().find(|x| x.key == k).unwrap().due;
        assert_eq!(
            due("clarification", &lims),
            Some(date!(2026 - 10 - 08)),
            "7 working days across 中秋 and National Day"
        );
        assert_eq!(
            due("answer", &lims),
            Some(date!(2026 - 10 - 26)),
            "20 working days across National Day"
        );

        let act = |actor: &fazhi_domain::org::Actor,
                   version: i64,
                   action: &str,
                   text: &str,
                   kind: Option<&str>,
                   d| {
            let input = ActionInput {
                opinion: String::new(),
                text: text.into(),
                answer_kind: kind.map(str::to_string),
            };
            db.store.write(|tx| {
                disclosure::act(
                    tx,
                    (Some(actor), &Who::from(actor)),
                    (id, version),
                    (action, &input),
                    &reg,
                    day(d),
                )
            })
        };
        let r = act(
            &w.officer,
            1,
            "request_clarification",
            "请写明预付卡发卡企业所在区域",
            None,
            date!(2026 - 09 - 22),
        )
        .unwrap();
        assert_eq!(r.stage, "awaiting_clarification");
        let again = act(
            &w.officer,
            r.version,
            "request_clarification",
            "再问",
            None,
            date!(2026 - 09 - 22),
        )
        .unwrap_err();
        assert!(matches!(again, StoreError::Refused(_)), "{again:?}");
        db.store
            .write(|tx| {
                disclosure::supply_from_portal(
                    tx,
                    &no,
                    &code,
                    "金水区",
                    &reg,
                    day(date!(2026 - 09 - 24)),
                )
            })
            .unwrap();
        let wrong = db.store.write(|tx| {
            disclosure::supply_from_portal(tx, &no, "WRONG", "x", &reg, day(date!(2026 - 09 - 24)))
        });
        assert!(matches!(wrong, Err(StoreError::NotFound(_))));
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, disclosure::SUBJECT, id))
            .unwrap();
        assert_eq!(
            due("answer", &lims),
            Some(date!(2026 - 10 - 29)),
            "restarted from the clarified request (art. 30)"
        );

        let r = disclosure::get_for_test(&db.store, id);
        let refused = act(
            &w.officer,
            r.version,
            "extend",
            "复杂",
            None,
            date!(2026 - 10 - 20),
        )
        .unwrap_err();
        match refused {
            StoreError::Refused(r) => assert!(
                r.message.contains("需要以下角色之一：处室负责人、局领导"),
                "{}",
                r.message
            ),
            e => panic!("{e:?}"),
        }
        let r = act(
            &w.head_actor,
            r.version,
            "extend",
            "需要汇总各区数据",
            None,
            date!(2026 - 10 - 20),
        )
        .unwrap();
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, disclosure::SUBJECT, id))
            .unwrap();
        assert_eq!(due("answer", &lims), Some(date!(2026 - 11 - 26)));
        let twice = act(
            &w.head_actor,
            r.version,
            "extend",
            "再延",
            None,
            date!(2026 - 10 - 21),
        )
        .unwrap_err();
        assert!(
            matches!(&twice, StoreError::Refused(x) if x.basis.as_deref() == Some("政府信息公开条例 第三十三条第二款")),
            "{twice:?}"
        );
        let early = act(
            &w.head_actor,
            r.version,
            "answer",
            "",
            None,
            date!(2026 - 11 - 02),
        )
        .unwrap_err();
        assert!(
            matches!(&early, StoreError::Refused(x) if x.message.contains("缺少答复书（拟稿）")),
            "{early:?}"
        );
        let r = act(
            &w.officer,
            r.version,
            "draft_answer",
            "名单见附件",
            Some("disclose"),
            date!(2026 - 11 - 02),
        )
        .unwrap();
        let r = act(
            &w.head_actor,
            r.version,
            "answer",
            "",
            None,
            date!(2026 - 11 - 03),
        )
        .unwrap();
        assert_eq!(r.stage, "answered");
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, disclosure::SUBJECT, id))
            .unwrap();
        assert!(
            lims.iter()
                .filter(|l| l.key == "answer")
                .all(|l| l.state == LimitState::Met)
        );

        let status = db
            .store
            .read(|tx| disclosure::status(tx, &no, &code))
            .unwrap()
            .unwrap();
        let text = status.to_string();
        assert!(
            !text.contains("张三") && !text.contains("11010519491231002X"),
            "no personal data in the snapshot"
        );
        assert_eq!(status["stage_title"], "已答复");
        let steps: Vec<&str> = status["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            [
                "提交申请",
                "一次性告知补正",
                "登记申请人补正",
                "延长答复期限（20 个工作日）",
                "拟写答复书",
                "签发答复"
            ]
        );
        assert!(
            db.store
                .read(|tx| disclosure::status(tx, &no, "WRONG"))
                .unwrap()
                .is_none()
        );
        assert!(audit::verify(&db.store).unwrap().is_ok());
        let _ = fmt_date(date!(2026 - 01 - 01));
    }
);

both!(
    a_stale_action_is_a_conflict_and_a_county_outsider_cannot_see_the_request,
    |db: &Db| {
        let w = world(db);
        let reg = registry(db);
        let cal = db.store.read(calendar::load).unwrap();
        let clock = Clock {
            cal: &cal,
            today: date!(2026 - 11 - 02),
            warn: 3,
        };
        let new = NewRequest {
            org_id: w.jinshui,
            requester_kind: "org".into(),
            requester_name: "某公司".into(),
            requester_id_no: "91350100M000100Y43".into(),
            contact: "13800000000".into(),
            description: "某文件的全文".into(),
        };
        let (id, _, _) = db
            .store
            .write(|tx| disclosure::submit(tx, &Who::system(), &new, &reg, clock))
            .unwrap();
        let input = ActionInput {
            opinion: String::new(),
            text: "第三方甲公司".into(),
            answer_kind: None,
        };
        db.store
            .write(|tx| {
                disclosure::act(
                    tx,
                    (Some(&w.officer), &Who::from(&w.officer)),
                    (id, 1),
                    ("consult_third_party", &input),
                    &reg,
                    clock,
                )
            })
            .unwrap();
        let stale = db
            .store
            .write(|tx| {
                disclosure::act(
                    tx,
                    (Some(&w.officer), &Who::from(&w.officer)),
                    (id, 1),
                    ("withdraw", &input),
                    &reg,
                    clock,
                )
            })
            .unwrap_err();
        assert!(matches!(stale, StoreError::Conflict { current: 2 }));
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, disclosure::SUBJECT, id))
            .unwrap();
        let answer = lims.iter().find(|l| l.key == "answer").unwrap();
        assert_eq!(
            answer.state,
            LimitState::Suspended,
            "third-party time is not counted (art. 33)"
        );
        let outsider = db
            .store
            .write(|tx| {
                let city = org::get_org_by_code(tx, "zz")?.unwrap().id;
                let other = org::create_org(
                    tx,
                    By::System,
                    &NewOrg {
                        parent_id: Some(city),
                        code: "zhongyuan".into(),
                        name: "中原区".into(),
                        kind: OrgKind::CountyBureau,
                        sort_order: 0,
                    },
                )?;
                let uid = org::create_user(
                    tx,
                    By::System,
                    &NewUser {
                        username: "zy.x".into(),
                        display_name: "中原区人员".into(),
                        org_id: other,
                        password_hash: "x".into(),
                    },
                )?;
                org::grant_role(tx, By::System, uid, 1, other, Role::Officer)?;
                Ok(org::load_actor(tx, uid)?.unwrap())
            })
            .unwrap();
        let err = db
            .store
            .write(|tx| {
                disclosure::act(
                    tx,
                    (Some(&outsider), &Who::from(&outsider)),
                    (id, 2),
                    ("withdraw", &input),
                    &reg,
                    clock,
                )
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)));
    }
);

pub(crate) fn online_item(org: &str) -> fazhi_domain::power::PowerItem {
    use fazhi_domain::power::*;
    PowerItem {
        code: "TEST-XK-001".into(),
        name: "拍卖企业设立审核".into(),
        kind: PowerKind::Licensing,
        parent_code: None,
        bases: vec![LegalBasis {
            law: "中华人民共和国拍卖法".into(),
            article: "第十一条".into(),
            text: String::new(),
        }],
        responsible_org: org.into(),
        responsibilities: Vec::new(),
        accountability: String::new(),
        application: Some(ApplicationSpec {
            statutory_days: 20,
            promised_days: 15,
            fees: Vec::new(),
            materials: vec![
                Material {
                    name: "申请书".into(),
                    required: true,
                },
                Material {
                    name: "营业执照".into(),
                    required: true,
                },
            ],
            conditions: String::new(),
            online_depth: OnlineDepth::Full,
        }),
        note: String::new(),
    }
}

both!(
    an_item_cancelled_from_tomorrow_takes_an_application_today_and_refuses_one_tomorrow,
    |db: &Db| {
        use fazhi_store::application::{self as app, NewApplication};
        use fazhi_store::power::{self, NewAdjustment};
        let w = world(db);
        let _ = w.jinshui;
        let files = vec![(
            "procedures/licensing-application.toml".into(),
            include_str!("../../../../procedures/licensing-application.toml").into(),
        )];
        let reg = procedure::load_registry(&db.store, &files).unwrap();
        let cal = db.store.read(calendar::load).unwrap();
        let today = date!(2026 - 11 - 26);
        let tomorrow = date!(2026 - 11 - 27);
        db.store
            .write(|tx| {
                power::import(
                    tx,
                    By::System,
                    &[online_item("jinshui")],
                    "测试",
                    "测试依据",
                    date!(2026 - 01 - 01),
                )?;
                power::adjust(
                    tx,
                    By::System,
                    &NewAdjustment {
                        kind: fazhi_domain::power::AdjustmentKind::Cancel,
                        code: "TEST-XK-001".into(),
                        item: None,
                        reason: "上位法修改".into(),
                        basis: "国务院决定".into(),
                        effective: tomorrow,
                    },
                )
            })
            .unwrap();
        let new = NewApplication {
            item_code: "TEST-XK-001".into(),
            applicant_kind: "org".into(),
            applicant_name: "郑州某拍卖有限公司".into(),
            applicant_id_no: "91350100M000100Y43".into(),
            contact: "0371-60000000".into(),
            statement: "申请设立拍卖企业".into(),
            files: Vec::new(),
            channel: "online".into(),
        };
        let (id, _, _) = db
            .store
            .write(|tx| {
                app::submit(
                    tx,
                    None,
                    &new,
                    &reg,
                    Clock {
                        cal: &cal,
                        today,
                        warn: 3,
                    },
                )
            })
            .unwrap();
        assert!(id > 0);
        let err = db
            .store
            .write(|tx| {
                app::submit(
                    tx,
                    None,
                    &new,
                    &reg,
                    Clock {
                        cal: &cal,
                        today: tomorrow,
                        warn: 3,
                    },
                )
            })
            .unwrap_err();
        match err {
            StoreError::Refused(r) => {
                assert_eq!(r.code, "power.cancelled");
                assert!(
                    r.message.contains("已自 2026-11-27 起取消"),
                    "{}",
                    r.message
                );
            }
            e => panic!("{e:?}"),
        }
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, app::SUBJECT, id))
            .unwrap();
        assert_eq!(
            lims[0].due,
            Some(date!(2026 - 12 - 03)),
            "5 working days to accept or ask for supplements (art. 32)"
        );
    }
);

both!(
    certificates_are_kept_by_admins_listed_for_clean_up_and_reminded_once_before_expiry,
    |db: &Db| {
        use fazhi_domain::enforcement::certificate::{
            CertificateStatus, CleanupReason, check_assignable,
        };
        use fazhi_store::certificate::{self as cert, NewCertificate};
        let w = world(db);
        let new = |number: &str, holder: i64, until: time::Date| NewCertificate {
            number: number.into(),
            holder_id: holder,
            issuer: "河南省人民政府".into(),
            scope_org_id: w.jinshui,
            scope_text: "金水区 商务执法".into(),
            valid_from: date!(2024 - 01 - 01),
            valid_until: until,
        };
        // An officer keeps no registry; the system (or an admin) does.
        let refused = db
            .store
            .write(|tx| {
                cert::register(
                    tx,
                    By::Actor(&w.officer),
                    &new("豫A-0001", w.officer.user_id, date!(2028 - 12 - 31)),
                )
            })
            .unwrap_err();
        assert!(matches!(refused, StoreError::Forbidden(r) if r.code == "certificate.not_keeper"));
        let good = db
            .store
            .write(|tx| {
                cert::register(
                    tx,
                    By::System,
                    &new("豫A-0001", w.officer.user_id, date!(2028 - 12 - 31)),
                )
            })
            .unwrap();
        let expiring = db
            .store
            .write(|tx| {
                cert::register(
                    tx,
                    By::System,
                    &new("豫A-0002", w.head, date!(2026 - 12 - 10)),
                )
            })
            .unwrap();
        let dup = db
            .store
            .write(|tx| {
                cert::register(
                    tx,
                    By::System,
                    &new("豫A-0001", w.head, date!(2028 - 12 - 31)),
                )
            })
            .unwrap_err();
        assert!(matches!(dup, StoreError::Invalid(f) if f[0].message == "「证件编号」已经登记过"));
        // Assignment uses what the registry holds.
        let certs = db
            .store
            .read(|tx| cert::of_holder(tx, w.officer.user_id))
            .unwrap();
        let jinshui_path = db
            .store
            .read(|tx| org::get_org(tx, w.jinshui))
            .unwrap()
            .path;
        assert!(check_assignable("测试", &certs, &jinshui_path, date!(2026 - 11 - 26)).is_ok());
        assert!(
            check_assignable("测试", &certs, &jinshui_path, date!(2029 - 01 - 01))
                .unwrap_err()
                .message
                .contains("已于 2028-12-31 过期")
        );
        // Reminded once, 30 days ahead.
        assert_eq!(
            cert::remind_expiring(&db.store, date!(2026 - 11 - 26), 30).unwrap(),
            1
        );
        assert_eq!(
            cert::remind_expiring(&db.store, date!(2026 - 11 - 27), 30).unwrap(),
            0
        );
        let n = db
            .store
            .read(|tx| notification::unread(tx, w.head, 10))
            .unwrap();
        assert!(n[0].message.contains("豫A-0002") && n[0].message.contains("2026-12-10"));
        // After expiry it is on the clean-up list; suspending it is on the chain.
        let list = db
            .store
            .read(|tx| cert::cleanup(tx, &["/".into()], date!(2026 - 12 - 11)))
            .unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].1, [CleanupReason::Expired]);
        let v = list[0].0.version;
        db.store
            .write(|tx| {
                cert::set_status(
                    tx,
                    By::System,
                    expiring,
                    v,
                    CertificateStatus::Suspended,
                    "季度清理：证件已过期",
                )
            })
            .unwrap();
        let again = db
            .store
            .write(|tx| {
                cert::set_status(
                    tx,
                    By::System,
                    expiring,
                    v,
                    CertificateStatus::Revoked,
                    "注销",
                )
            })
            .unwrap_err();
        assert!(matches!(again, StoreError::Conflict { .. }));
        let tl = db
            .store
            .read(|tx| audit::timeline(tx, "certificate", &expiring.to_string()))
            .unwrap();
        assert!(tl.iter().any(
            |e| e.action == "certificate.suspend_certificate" && e.summary.contains("季度清理")
        ));
        let _ = good;
        assert!(audit::verify(&db.store).unwrap().is_ok());
    }
);

both!(
    discretion_benchmarks_are_versioned_and_the_version_in_force_follows_the_date,
    |db: &Db| {
        use fazhi_store::discretion;
        let shipped = include_str!("../../../../data/discretion/benchmarks.toml");
        assert_eq!(discretion::seed(&db.store, shipped).unwrap(), 3);
        assert_eq!(
            discretion::seed(&db.store, shipped).unwrap(),
            0,
            "seeding twice publishes nothing"
        );
        let changed = shipped.replace("20000, 35000", "20000, 30000").replace(
            "effective_from = \"2024-01-01\"",
            "effective_from = \"2027-01-01\"",
        );
        let items = discretion::parse_file(&changed).unwrap();
        let published = db
            .store
            .write(|tx| discretion::publish(tx, By::System, &items))
            .unwrap();
        assert_eq!(published, vec![("CJ-TX-001".to_string(), 2)]);
        let now = db
            .store
            .read(|tx| discretion::in_force(tx, date!(2026 - 11 - 26)))
            .unwrap();
        assert_eq!(
            now.iter()
                .find(|p| p.benchmark.code == "CJ-TX-001")
                .unwrap()
                .version,
            1
        );
        let later = db
            .store
            .read(|tx| discretion::in_force(tx, date!(2027 - 01 - 01)))
            .unwrap();
        assert_eq!(
            later
                .iter()
                .find(|p| p.benchmark.code == "CJ-TX-001")
                .unwrap()
                .version,
            2
        );
        let earlier = shipped.replace("20000, 35000", "20000, 31000").replace(
            "effective_from = \"2024-01-01\"",
            "effective_from = \"2026-06-01\"",
        );
        let items = discretion::parse_file(&earlier).unwrap();
        let err = db
            .store
            .write(|tx| discretion::publish(tx, By::System, &items))
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Refused(r) if r.message.contains("不能早于现行版本的生效日期 2027-01-01"))
        );
        let bad = shipped.replace("basis = \"本基准（从重情形由本局规定）\"", "basis = \"\"");
        assert!(
            matches!(discretion::parse_file(&bad), Err(StoreError::Invalid(e)) if e.len() == 2)
        );
    }
);
