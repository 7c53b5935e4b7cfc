//! Licensing applications as the law has them (行政许可法), on SQLite and PostgreSQL: acceptance
//! by operation of law when the applicant is not told within five working days what to
//! supplement (第三十二条第一款第四项).

use fazhi_domain::calendar::Calendar;
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::Registry;
use fazhi_store::application::{self as app, ActionInput, Application, NewApplication, NewFile};
use fazhi_store::audit::Who;
use fazhi_store::org::By;
use fazhi_store::time_limit::{self, Clock, LimitRecord};
use fazhi_store::{StoreError, calendar, power, procedure};
use time::Date;
use time::macros::date;

use crate::common::TestDb as Db;
use crate::time::{World, online_item, postgres, sqlite, world};

const PROCEDURE: &str = include_str!("../../../../procedures/licensing-application.toml");

/// 金水区 with an item open for online applications (statutory 20, promised 15 working days;
/// two required materials: 申请书, 营业执照).
struct Counter<'a> {
    db: &'a Db,
    w: World,
    reg: Registry,
    cal: Calendar,
}

impl<'a> Counter<'a> {
    fn new(db: &'a Db) -> Self {
        let w = world(db);
        db.store
            .write(|tx| {
                power::import(
                    tx,
                    By::System,
                    &[online_item("jinshui")],
                    "测试",
                    "测试依据",
                    date!(2026 - 01 - 01),
                )
            })
            .unwrap();
        let reg = procedure::load_registry(
            &db.store,
            &[(
                "procedures/licensing-application.toml".into(),
                PROCEDURE.into(),
            )],
        )
        .unwrap();
        Counter {
            db,
            w,
            reg,
            cal: db.store.read(calendar::load).unwrap(),
        }
    }

    fn clock(&self, today: Date) -> Clock<'_> {
        Clock {
            cal: &self.cal,
            today,
            warn: 3,
        }
    }

    /// An application received on `day` with the given materials; returns its id.
    fn submit(&self, day: Date, materials: &[&str]) -> i64 {
        let new = NewApplication {
            item_code: "TEST-XK-001".into(),
            applicant_kind: "org".into(),
            applicant_name: "郑州某拍卖有限公司".into(),
            applicant_id_no: "91350100M000100Y43".into(),
            contact: "0371-60000000".into(),
            statement: "申请设立拍卖企业".into(),
            files: materials
                .iter()
                .map(|m| NewFile {
                    material: (*m).into(),
                    file_name: format!("{m}.pdf"),
                    content_type: "application/pdf".into(),
                    size: 10,
                    sha256: "0".repeat(64),
                })
                .collect(),
            channel: "online".into(),
        };
        self.db
            .store
            .write(|tx| app::submit(tx, None, &new, &self.reg, self.clock(day)))
            .unwrap()
            .0
    }

    /// Takes `action` on application `id` on `day`, at the version it is at.
    fn act(
        &self,
        actor: &Actor,
        id: i64,
        (action, text): (&str, &str),
        day: Date,
    ) -> Result<Application, StoreError> {
        let version = self.get(id).version;
        let input = ActionInput {
            opinion: String::new(),
            text: text.into(),
            ..ActionInput::default()
        };
        self.db.store.write(|tx| {
            app::act(
                tx,
                (Some(actor), &Who::from(actor)),
                (id, version),
                (action, &input),
                &self.reg,
                self.clock(day),
            )
        })
    }

    fn get(&self, id: i64) -> Application {
        self.db.store.read(|tx| app::get(tx, id)).unwrap()
    }

    fn limit(&self, id: i64, key: &str) -> LimitRecord {
        self.db
            .store
            .read(|tx| time_limit::for_subject(tx, app::SUBJECT, id))
            .unwrap()
            .into_iter()
            .find(|l| l.key == key)
            .unwrap()
    }
}

fn refused_as_accepted_by_law(r: Result<Application, StoreError>) {
    match r {
        Err(StoreError::Refused(r)) => {
            assert_eq!(r.code, "application.accepted_by_law");
            assert!(r.message.contains("视为受理"), "{}", r.message);
            assert_eq!(
                r.basis.as_deref(),
                Some("行政许可法 第三十二条第一款第四项")
            );
        }
        other => panic!("{other:?}"),
    }
}

both!(
    after_five_working_days_without_a_supplement_request_asking_for_supplements_or_refusing_to_accept_is_refused,
    |db: &Db| {
        let c = Counter::new(db);
        // Received Monday 2026-10-12: five working days end on Monday 2026-10-19.
        let late = c.submit(date!(2026 - 10 - 12), &["申请书"]);
        assert_eq!(c.limit(late, "acceptance").due, Some(date!(2026 - 10 - 19)));
        let ask = ("request_supplement", "请补正营业执照");
        refused_as_accepted_by_law(c.act(&c.w.officer, late, ask, date!(2026 - 10 - 20)));
        let reject = ("reject", "申请事项不属于本机关职权范围");
        refused_as_accepted_by_law(c.act(&c.w.head_actor, late, reject, date!(2026 - 10 - 20)));
        assert_eq!(c.get(late).stage, "submitted");
        // On the fifth working day the applicant may still be told, and then refused.
        let in_time = c.submit(date!(2026 - 10 - 12), &["申请书"]);
        let r = c
            .act(&c.w.officer, in_time, ask, date!(2026 - 10 - 19))
            .unwrap();
        assert_eq!(r.stage, "awaiting_supplement");
        let r = c
            .act(&c.w.head_actor, in_time, reject, date!(2026 - 11 - 20))
            .unwrap();
        assert_eq!(r.stage, "rejected", "the applicant was told in time");
    }
);

both!(
    an_application_accepted_after_the_acceptance_period_counts_as_accepted_on_receipt_and_its_decision_period_runs_from_then,
    |db: &Db| {
        let c = Counter::new(db);
        // Received 2026-10-12 without its 营业执照, accepted on 2026-10-26, a week late.
        let id = c.submit(date!(2026 - 10 - 12), &["申请书"]);
        let r = c
            .act(&c.w.officer, id, ("accept", ""), date!(2026 - 10 - 26))
            .unwrap();
        assert_eq!(r.stage, "accepted", "accepted by law, whatever is missing");
        assert_eq!(r.accepted_on, Some(date!(2026 - 10 - 12)));
        assert!(r.accepted_by_law);
        // 15 working days (the promised limit, shorter than the statutory 20) from receipt.
        let decision = c.limit(id, "decision");
        assert_eq!(decision.spec.start, date!(2026 - 10 - 12));
        assert_eq!(decision.due, Some(date!(2026 - 11 - 02)));
        assert!(decision.spec.basis.contains("第三十二条第一款第四项"));
        let status = db
            .store
            .read(|tx| fazhi_store::publication::get(tx, app::KIND_STATUS, &r.tracking_no))
            .unwrap()
            .unwrap()
            .body;
        assert_eq!(status["accepted_on"], "2026-10-12");
        assert_eq!(status["accepted_by_law"], true);
        let told = status["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["title"] == "受理")
            .unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(told.starts_with("视为受理"), "{told}");
        // Accepted within the five days, with everything in: from the day it is accepted.
        let id = c.submit(date!(2026 - 10 - 12), &["申请书", "营业执照"]);
        let r = c
            .act(&c.w.officer, id, ("accept", ""), date!(2026 - 10 - 14))
            .unwrap();
        assert_eq!(r.accepted_on, Some(date!(2026 - 10 - 14)));
        assert!(!r.accepted_by_law);
        assert_eq!(c.limit(id, "decision").due, Some(date!(2026 - 11 - 04)));
    }
);
