//! Penalty cases on both engines: certificates and the two-officer rule, legal review before the
//! decision, publicity around the National Day holiday and its withdrawal, the surcharge, access
//! across county bureaus, and the refusals the law requires.

use fazhi_domain::calendar::fmt_date;
use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::enforcement::case::{Penalty, Rules};
use fazhi_domain::enforcement::discretion::Grade;
use fazhi_domain::org::{Actor, OrgKind, Role};
use fazhi_domain::procedure::Registry;
use fazhi_store::audit::Who;
use fazhi_store::case::{self, CaseId, CaseInput, Env, NewCase, NewEvidence, NewSummary};
use fazhi_store::certificate::{self, NewCertificate};
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::time_limit::{self, Clock};
use fazhi_store::{StoreError, auth, calendar, discretion, power, procedure, publication};
use time::Date;
use time::macros::date;

use crate::common::TestDb as Db;
use crate::common::{postgres, sqlite};

pub(crate) struct World {
    pub(crate) jinshui_unit: i64,
    pub(crate) zhongyuan_unit: i64,
    pub(crate) officer1: Actor,
    pub(crate) officer2: i64,
    pub(crate) expired: i64,
    pub(crate) head: Actor,
    pub(crate) leader: Actor,
    pub(crate) reviewer: Actor,
    pub(crate) zy_officer: Actor,
    pub(crate) city_legal: Actor,
    pub(crate) reg: Registry,
    pub(crate) cal: fazhi_domain::calendar::Calendar,
    pub(crate) rules: Rules,
}

pub(crate) const ITEM: &str = "ZZSW-CF-004";

fn penalty_item() -> fazhi_domain::power::PowerItem {
    use fazhi_domain::power::*;
    PowerItem {
        code: ITEM.into(),
        name: "对发卡企业未按规定办理备案的处罚".into(),
        kind: PowerKind::Penalty,
        parent_code: None,
        bases: vec![LegalBasis {
            law: "单用途商业预付卡管理办法（试行）".into(),
            article: "第三十六条".into(),
            text: String::new(),
        }],
        responsible_org: "zz".into(),
        responsibilities: Vec::new(),
        accountability: String::new(),
        application: None,
        note: String::new(),
    }
}

pub(crate) fn world(db: &Db) -> World {
    let hash = auth::hash_password("Fazhi@2026test").unwrap();
    calendar::seed(
        &db.store,
        include_str!("../../../../data/calendar/holidays.toml"),
    )
    .unwrap();
    discretion::seed(
        &db.store,
        include_str!("../../../../data/discretion/benchmarks.toml"),
    )
    .unwrap();
    let reg = procedure::load_registry(
        &db.store,
        &[(
            "procedures/penalty-general.toml".into(),
            include_str!("../../../../procedures/penalty-general.toml").into(),
        )],
    )
    .unwrap();
    let w = db
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
            let legal = mk(tx, Some(city), "zz-zcfgc", "政策法规处", OrgKind::Division)?;
            let jinshui = mk(
                tx,
                Some(city),
                "jinshui",
                "金水区商务局",
                OrgKind::CountyBureau,
            )?;
            let js_unit = mk(
                tx,
                Some(jinshui),
                "jinshui-zfdd",
                "金水区商务局执法大队",
                OrgKind::Unit,
            )?;
            let js_legal = mk(
                tx,
                Some(jinshui),
                "jinshui-fzg",
                "金水区商务局法制股",
                OrgKind::Unit,
            )?;
            let zhongyuan = mk(
                tx,
                Some(city),
                "zhongyuan",
                "中原区商务局",
                OrgKind::CountyBureau,
            )?;
            let zy_unit = mk(
                tx,
                Some(zhongyuan),
                "zhongyuan-zfdd",
                "中原区商务局执法大队",
                OrgKind::Unit,
            )?;
            let mut user = |name: &str, org_id: i64, role: Role, role_org: i64| {
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
                org::grant_role(tx, By::System, id, 1, role_org, role)?;
                Ok::<_, StoreError>(id)
            };
            let o1 = user("js.officer1", js_unit, Role::Officer, js_unit)?;
            let o2 = user("js.officer2", js_unit, Role::Officer, js_unit)?;
            let o3 = user("js.officer3", js_unit, Role::Officer, js_unit)?;
            let head = user("js.head", js_unit, Role::DivisionHead, js_unit)?;
            let leader = user("js.leader", jinshui, Role::Leader, jinshui)?;
            let reviewer = user("js.legal", js_legal, Role::LegalReviewer, js_legal)?;
            let zy = user("zy.officer", zy_unit, Role::Officer, zy_unit)?;
            let city_legal = user("fzc.legal", legal, Role::LegalDivision, legal)?;
            let certs = [
                (o1, "41010001", jinshui, date!(2030 - 12 - 31)),
                (o2, "41010002", jinshui, date!(2030 - 12 - 31)),
                (o3, "41010003", jinshui, date!(2026 - 06 - 30)),
                (zy, "41020001", zhongyuan, date!(2030 - 12 - 31)),
            ];
            for (holder, number, scope, until) in certs {
                certificate::register(
                    tx,
                    By::System,
                    &NewCertificate {
                        number: number.into(),
                        holder_id: holder,
                        issuer: "郑州市人民政府".into(),
                        scope_org_id: scope,
                        scope_text: "本区".into(),
                        valid_from: date!(2024 - 01 - 01),
                        valid_until: until,
                    },
                )?;
            }
            power::import(
                tx,
                By::System,
                &[penalty_item()],
                "测试",
                "测试依据",
                date!(2024 - 01 - 01),
            )?;
            let a = |tx: &mut dyn fazhi_store::Tx, id| org::load_actor(tx, id).map(Option::unwrap);
            Ok((
                js_unit,
                zy_unit,
                a(tx, o1)?,
                o2,
                o3,
                a(tx, head)?,
                a(tx, leader)?,
                a(tx, reviewer)?,
                a(tx, zy)?,
                a(tx, city_legal)?,
            ))
        })
        .unwrap();
    World {
        jinshui_unit: w.0,
        zhongyuan_unit: w.1,
        officer1: w.2,
        officer2: w.3,
        expired: w.4,
        head: w.5,
        leader: w.6,
        reviewer: w.7,
        zy_officer: w.8,
        city_legal: w.9,
        reg,
        cal: db.store.read(calendar::load).unwrap(),
        rules: Rules::shipped(),
    }
}

impl World {
    pub(crate) fn env(&self, today: Date) -> Env<'_> {
        Env {
            reg: &self.reg,
            clock: Clock {
                cal: &self.cal,
                today,
                warn: 3,
            },
            rules: &self.rules,
        }
    }
}

pub(crate) fn new_case(org_id: i64, kind: PartyKind) -> NewCase {
    let (name, id_no) = match kind {
        PartyKind::Organisation => ("郑州市金水区惠民便利店有限公司", "91410105MA44XK7P0F"),
        PartyKind::Person => ("王晓明", "11010519491231002X"),
    };
    NewCase {
        lead_id: None,
        org_id,
        item_code: ITEM.into(),
        party_kind: kind,
        party_name: name.into(),
        party_id_no: id_no.into(),
        party_address: "郑州市金水区花园路 1 号".into(),
        facts: "发卡企业发行单用途预付卡，未按规定办理备案，经责令改正逾期仍未改正。".into(),
        act_ended_on: date!(2026 - 05 - 01),
        discovered_on: date!(2026 - 06 - 01),
        long_limitation: false,
        limitation_basis: String::new(),
    }
}

pub(crate) fn act(
    db: &Db,
    w: &World,
    who: &Actor,
    id: CaseId,
    action: &str,
    input: &CaseInput,
    today: Date,
) -> Result<case::PenaltyCase, StoreError> {
    let version = db.store.read(|tx| case::get(tx, id)).unwrap().version;
    db.store.write(|tx| {
        case::act(
            tx,
            (who, &Who::from(who)),
            (id, version),
            (action, input),
            w.env(today),
        )
    })
}

pub(crate) fn text(t: &str) -> CaseInput {
    CaseInput {
        text: t.into(),
        ..CaseInput::default()
    }
}

/// The approver's opinion an approval requires (`opinion = true`).
pub(crate) fn approval() -> CaseInput {
    CaseInput {
        opinion: "同意立案，由执法大队调查。".into(),
        ..CaseInput::default()
    }
}

pub(crate) fn fine(yuan: i64) -> Penalty {
    Penalty {
        fine: yuan * 100,
        ..Penalty::default()
    }
}

/// Opens and approves a case on `day`, assigns two certified officers and records one piece of
/// evidence.
pub(crate) fn investigating(db: &Db, w: &World, kind: PartyKind, day: Date) -> CaseId {
    let id = db
        .store
        .write(|tx| case::open_case(tx, &w.officer1, &new_case(w.jinshui_unit, kind), w.env(day)))
        .unwrap();
    act(
        db,
        w,
        &w.head,
        id,
        "approve_opening",
        &CaseInput {
            opinion: "同意立案，由执法大队调查。".into(),
            ..CaseInput::default()
        },
        day,
    )
    .unwrap();
    let assign = CaseInput {
        officers: vec![w.officer1.user_id, w.officer2],
        ..CaseInput::default()
    };
    act(db, w, &w.head, id, "assign_officers", &assign, day).unwrap();
    let ev = CaseInput {
        evidence: Some(NewEvidence {
            kind: "documentary".into(),
            title: "预付卡发行记录".into(),
            file_name: "记录.pdf".into(),
            content_type: "application/pdf".into(),
            size: 10,
            sha256: "ab".repeat(32),
            collected_on: Some(day),
        }),
        ..CaseInput::default()
    };
    act(db, w, &w.officer1, id, "add_evidence", &ev, day).unwrap();
    id
}

/// Submits the report proposing `penalty` (grade ordinary), sends the notice on `day` and
/// records it served on the party the same day.
pub(crate) fn notified(db: &Db, w: &World, id: CaseId, penalty: Penalty, day: Date) {
    issued(db, w, id, penalty, day);
    serve_notice(db, w, id, day).unwrap();
}

/// Records the notice served on the party on `day`.
pub(crate) fn serve_notice(
    db: &Db,
    w: &World,
    id: CaseId,
    day: Date,
) -> Result<case::PenaltyCase, StoreError> {
    let input = CaseInput {
        choice: "direct".into(),
        date: Some(day),
        text: "当事人签收".into(),
        ..CaseInput::default()
    };
    act(db, w, &w.officer1, id, "serve_notice", &input, day)
}

/// Submits the report proposing `penalty` (grade ordinary) and issues the notice on `day`.
pub(crate) fn issued(db: &Db, w: &World, id: CaseId, penalty: Penalty, day: Date) {
    let report = CaseInput {
        text: "当事人发行单用途预付卡未备案，逾期未改正，事实清楚、证据确凿。".into(),
        grade: Some(Grade::Ordinary),
        penalty,
        ..CaseInput::default()
    };
    act(db, w, &w.officer1, id, "submit_report", &report, day).unwrap();
    act(
        db,
        w,
        &w.officer1,
        id,
        "send_notice",
        &CaseInput::default(),
        day,
    )
    .unwrap();
}

pub(crate) fn waive(db: &Db, w: &World, id: CaseId, day: Date) {
    let input = CaseInput {
        text: "当事人表示无异议，放弃陈述申辩和听证。".into(),
        choice: "waive".into(),
        ..CaseInput::default()
    };
    act(db, w, &w.officer1, id, "record_statement", &input, day).unwrap();
}

pub(crate) fn decide(
    db: &Db,
    w: &World,
    id: CaseId,
    penalty: Penalty,
    day: Date,
) -> Result<case::PenaltyCase, StoreError> {
    let input = CaseInput {
        text: "当事人无异议，依法作出处罚。".into(),
        penalty,
        ..CaseInput::default()
    };
    act(db, w, &w.leader, id, "decide", &input, day)
}

pub(crate) fn refusal(e: StoreError) -> fazhi_domain::Refusal {
    match e {
        StoreError::Refused(r) | StoreError::Forbidden(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

both!(
    an_officer_with_an_expired_certificate_cannot_be_assigned_and_one_officer_cannot_start_the_investigation,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = db
            .store
            .write(|tx| {
                case::open_case(tx, &w.officer1, &new_case(w.jinshui_unit, PartyKind::Organisation), w.env(day))
            })
            .unwrap();
        act(db, &w, &w.head, id, "approve_opening", &approval(), day).unwrap();
        let expired = CaseInput {
            officers: vec![w.expired],
            ..CaseInput::default()
        };
        let r = refusal(act(db, &w, &w.head, id, "assign_officers", &expired, day).unwrap_err());
        assert_eq!(r.code, "certificate.not_assignable");
        assert!(r.message.contains("已于 2026-06-30 过期"), "{}", r.message);
        let one = CaseInput {
            officers: vec![w.officer1.user_id],
            ..CaseInput::default()
        };
        act(db, &w, &w.head, id, "assign_officers", &one, day).unwrap();
        let ev = CaseInput {
            evidence: Some(NewEvidence {
                kind: "documentary".into(),
                title: "现场检查笔录".into(),
                file_name: "笔录.pdf".into(),
                content_type: "application/pdf".into(),
                size: 3,
                sha256: "cd".repeat(32),
                collected_on: None,
            }),
            ..CaseInput::default()
        };
        let r = refusal(act(db, &w, &w.officer1, id, "add_evidence", &ev, day).unwrap_err());
        assert_eq!(r.code, "certificate.team_too_small");
        assert!(r.message.contains("不得少于两人"));
        assert!(r.basis.unwrap().contains("第四十二条"));
        let c = db.store.read(|tx| case::get(tx, id)).unwrap();
        assert_eq!(c.stage, "investigating");
        assert!(db.store.read(|tx| case::evidence(tx, id)).unwrap().is_empty());
    }
);

both!(
    a_fine_that_triggers_legal_review_cannot_be_decided_until_the_review_passes,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Person, day);
        notified(db, &w, id, fine(15_000), day);
        let c = db.store.read(|tx| case::get(tx, id)).unwrap();
        assert!(
            !c.review_reasons.is_empty(),
            "¥15,000 for a person needs review"
        );
        assert!(c.hearing_right.is_some());
        // Within the five working days the decision waits for the party.
        let r = refusal(decide(db, &w, id, fine(15_000), day).unwrap_err());
        assert!(
            r.message.contains("法制审核") && r.message.contains("五个工作日"),
            "{}",
            r.message
        );
        waive(db, &w, id, date!(2026 - 07 - 02));
        let r = refusal(decide(db, &w, id, fine(15_000), date!(2026 - 07 - 02)).unwrap_err());
        assert_eq!(r.code, "case.legal_review_pending");
        let fail = CaseInput {
            text: "罚款依据引用条款不准确，请补正后再审。".into(),
            choice: "fail".into(),
            ..CaseInput::default()
        };
        act(
            db,
            &w,
            &w.reviewer,
            id,
            "record_legal_review",
            &fail,
            date!(2026 - 07 - 02),
        )
        .unwrap();
        let r = refusal(decide(db, &w, id, fine(15_000), date!(2026 - 07 - 02)).unwrap_err());
        assert_eq!(r.code, "case.legal_review_failed");
        // A failed review binds until the case is returned, corrected, notified and reviewed
        // again (第五十八条).
        act(
            db,
            &w,
            &w.head,
            id,
            "return_to_investigation",
            &text("按法制审核意见补正适用条款。"),
            date!(2026 - 07 - 02),
        )
        .unwrap();
        notified(db, &w, id, fine(15_000), date!(2026 - 07 - 02));
        waive(db, &w, id, date!(2026 - 07 - 02));
        let pass = CaseInput {
            text: "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。".into(),
            choice: "pass".into(),
            ..CaseInput::default()
        };
        act(
            db,
            &w,
            &w.reviewer,
            id,
            "record_legal_review",
            &pass,
            date!(2026 - 07 - 03),
        )
        .unwrap();
        // Never heavier than notified (art. 45).
        let r = refusal(decide(db, &w, id, fine(16_000), date!(2026 - 07 - 03)).unwrap_err());
        assert_eq!(r.code, "case.heavier_than_notified");
        let c = decide(db, &w, id, fine(15_000), date!(2026 - 07 - 03)).unwrap();
        assert_eq!(c.stage, "decided");
        let docs = db.store.read(|tx| case::documents(tx, id)).unwrap();
        let d = docs.iter().find(|d| d.kind == "decision").unwrap();
        assert_eq!(d.number, "金水商务罚〔2026〕1号");
        // The case page's file, read together: the same parts, no filing below the threshold.
        let f = db.store.read(|tx| case::file(tx, &w.officer1, id)).unwrap();
        assert_eq!(f.parts.documents.len(), docs.len());
        assert_eq!(f.parts.officers.len(), 2);
        assert!(f.parts.officers.iter().all(|o| {
            f.parts
                .certificates
                .iter()
                .any(|c| c.holder_id == o.user_id)
        }));
        assert!(f.filing.is_none());
        assert!(f.timeline.iter().any(|e| e.action == "case.decide"));
        // A filing recorded for the case shows on its file.
        db.store
            .write(|tx| {
                tx.exec(
                    "INSERT INTO major_filings (case_id, org_id, reason, decided_on, due_on, created_at)
                     VALUES (?, ?, '测试备案', '2026-07-03', '2026-07-24', 0)",
                    fazhi_store::vals![id, c.org_id],
                )
            })
            .unwrap();
        let f = db.store.read(|tx| case::file(tx, &w.officer1, id)).unwrap();
        let filing = f.filing.unwrap();
        assert_eq!(
            (
                filing.case_no.as_str(),
                filing.reason.as_str(),
                filing.due_on.as_str()
            ),
            (c.case_no.as_str(), "测试备案", "2026-07-24")
        );
        assert!(
            filing.penalty.contains("15000") || filing.penalty.contains("15,000"),
            "{}",
            filing.penalty
        );
        assert!(filing.filed_on.is_none());
    }
);

both!(
    a_decision_on_28_september_2026_is_published_by_13_october_after_national_day_and_revoking_it_withdraws_it_with_the_reason,
    |db: &Db| {
        let w = world(db);
        let id = investigating(db, &w, PartyKind::Person, date!(2026 - 09 - 01));
        notified(db, &w, id, fine(15_000), date!(2026 - 09 - 14));
        let pass = CaseInput {
            text: "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。".into(),
            choice: "pass".into(),
            ..CaseInput::default()
        };
        act(db, &w, &w.reviewer, id, "record_legal_review", &pass, date!(2026 - 09 - 22)).unwrap();
        let c = decide(db, &w, id, fine(15_000), date!(2026 - 09 - 28)).unwrap();
        assert_eq!(c.decided_on, Some(date!(2026 - 09 - 28)));
        let lims = db
            .store
            .read(|tx| time_limit::for_subject(tx, case::SUBJECT, id.0))
            .unwrap();
        let publicity = lims.iter().find(|l| l.key == "publicity").unwrap();
        // 09-29, 09-30, (10-01…10-07 National Day), 10-08, 10-09, 10-10 (worked Saturday), 10-12, 10-13.
        assert_eq!(publicity.due.map(fmt_date).as_deref(), Some("2026-10-13"));
        act(db, &w, &w.officer1, id, "publish_decision", &CaseInput::default(), date!(2026 - 10 - 09)).unwrap();
        let pubs = db
            .store
            .read(|tx| publication::list(tx, case::KIND_DECISION, 10))
            .unwrap();
        assert_eq!(pubs.len(), 1);
        let body = pubs[0].body.to_string();
        assert!(body.contains("王*") && !body.contains("王晓明"), "{body}");
        assert!(!body.contains("11010519491231002X"));
        let short = act(db, &w, &w.leader, id, "revoke_decision", &text("短"), date!(2026 - 10 - 12));
        assert!(matches!(short, Err(StoreError::Invalid(_))), "a reason is required");
        act(
            db,
            &w,
            &w.leader,
            id,
            "revoke_decision",
            &text("经行政复议，复议机关以认定事实不清为由撤销本决定。"),
            date!(2026 - 10 - 12),
        )
        .unwrap();
        assert!(
            db.store
                .read(|tx| publication::list(tx, case::KIND_DECISION, 10))
                .unwrap()
                .is_empty()
        );
        let gone = db
            .store
            .read(|tx| publication::withdrawn(tx, case::KIND_DECISION, 10))
            .unwrap();
        assert_eq!(gone.len(), 1);
        assert!(gone[0].reason.contains("撤销本决定"));
        let timeline = db
            .store
            .read(|tx| fazhi_store::audit::timeline(tx, case::SUBJECT, &id.to_string()))
            .unwrap();
        assert!(timeline.iter().any(|e| e.action == "case.revoke_decision" && e.summary.contains("\"withdrawn\":true")));
    }
);

/// Takes a case to "executing" with a fine of ¥10,000 served on 2026-07-09 (due 2026-07-24).
pub(crate) fn served(db: &Db, w: &World) -> CaseId {
    let id = investigating(db, w, PartyKind::Organisation, date!(2026 - 07 - 01));
    notified(db, w, id, fine(10_000), date!(2026 - 07 - 01));
    decide(db, w, id, fine(10_000), date!(2026 - 07 - 09)).unwrap();
    let deliver = CaseInput {
        choice: "direct".into(),
        date: Some(date!(2026 - 07 - 09)),
        ..CaseInput::default()
    };
    act(
        db,
        w,
        &w.officer1,
        id,
        "deliver",
        &deliver,
        date!(2026 - 07 - 09),
    )
    .unwrap();
    id
}

pub(crate) fn pay(
    db: &Db,
    w: &World,
    id: CaseId,
    on: Date,
    yuan: i64,
) -> Result<case::PenaltyCase, StoreError> {
    let input = CaseInput {
        date: Some(on),
        amount: yuan * 100,
        ..CaseInput::default()
    };
    act(db, w, &w.officer1, id, "record_payment", &input, on)
}

both!(
    a_fine_of_ten_thousand_paid_ten_days_late_owes_three_thousand_more_and_forty_days_late_the_whole_fine,
    |db: &Db| {
        let w = world(db);
        // Served 2026-07-09: fifteen days → due 2026-07-24.
        let a = served(db, &w);
        let r = refusal(pay(db, &w, a, date!(2026 - 08 - 03), 10_000).unwrap_err());
        assert!(r.message.contains("¥13,000.00") && r.message.contains("逾期 10 日"), "{}", r.message);
        let c = pay(db, &w, a, date!(2026 - 08 - 03), 13_000).unwrap();
        assert_eq!((c.surcharge, c.stage.as_str()), (300_000, "executed"));
        let b = served(db, &w);
        let c = pay(db, &w, b, date!(2026 - 09 - 02), 20_000).unwrap();
        assert_eq!(c.surcharge, 1_000_000);
        // Closing and archiving make the file immutable.
        act(db, &w, &w.head, b, "close", &CaseInput::default(), date!(2026 - 09 - 03)).unwrap();
        act(db, &w, &w.head, b, "archive", &CaseInput::default(), date!(2026 - 09 - 03)).unwrap();
        let r = refusal(
            act(db, &w, &w.leader, b, "revoke_decision", &text("试图在归档后撤销决定。"), date!(2026 - 09 - 04))
                .unwrap_err(),
        );
        assert_eq!(r.code, "procedure.not_in_stage");
    }
);

both!(
    a_jinshui_officer_can_neither_see_nor_change_a_zhongyuan_case_and_the_city_legal_division_sees_both,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let js = investigating(db, &w, PartyKind::Organisation, day);
        let zy = db
            .store
            .write(|tx| {
                case::open_case(
                    tx,
                    &w.zy_officer,
                    &new_case(w.zhongyuan_unit, PartyKind::Organisation),
                    w.env(day),
                )
            })
            .unwrap();
        assert!(matches!(
            db.store.read(|tx| case::get_visible(tx, &w.officer1, zy)),
            Err(StoreError::NotFound(_))
        ));
        let err = act(db, &w, &w.officer1, zy, "approve_opening", &CaseInput::default(), day).unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
        let list = |a: &Actor| {
            db.store
                .read(|tx| case::list(tx, &a.view_scopes(), &case::Filter::default(), 50))
                .unwrap()
                .into_iter()
                .map(|l| l.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(list(&w.officer1), vec![js]);
        assert_eq!(list(&w.zy_officer), vec![zy]);
        assert_eq!(list(&w.city_legal), vec![zy, js]);
        assert!(db.store.read(|tx| case::get_visible(tx, &w.city_legal, js)).is_ok());
        // Opening a case for another bureau's unit is refused too.
        let r = db
            .store
            .write(|tx| case::open_case(tx, &w.officer1, &new_case(w.zhongyuan_unit, PartyKind::Organisation), w.env(day)))
            .unwrap_err();
        assert!(matches!(r, StoreError::Forbidden(_)));
        let _ = &w.reviewer;
    }
);

both!(
    opening_past_the_limitation_period_is_refused_unless_a_basis_is_recorded,
    |db: &Db| {
        let w = world(db);
        let mut new = new_case(w.jinshui_unit, PartyKind::Organisation);
        new.act_ended_on = date!(2024 - 03 - 01);
        new.discovered_on = date!(2026 - 06 - 01);
        let r = refusal(
            db.store
                .write(|tx| case::open_case(tx, &w.officer1, &new, w.env(date!(2026 - 07 - 01))))
                .unwrap_err(),
        );
        assert_eq!(r.basis.as_deref(), Some("行政处罚法 第三十六条"));
        new.limitation_basis = "《某法》第X条另有规定".into();
        assert!(
            db.store
                .write(|tx| case::open_case(tx, &w.officer1, &new, w.env(date!(2026 - 07 - 01))))
                .is_ok()
        );
    }
);

both!(
    the_summary_procedure_refuses_a_fine_above_the_article_51_threshold_and_decides_within_it,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let mut s = NewSummary {
            case: new_case(w.jinshui_unit, PartyKind::Person),
            penalty: fine(500),
            second_officer: w.officer2,
            statement: "当事人承认违法事实，没有陈述、申辩。".into(),
        };
        let r = refusal(
            db.store
                .write(|tx| case::decide_summary(tx, &w.officer1, &s, w.env(day)))
                .unwrap_err(),
        );
        assert_eq!(r.basis.as_deref(), Some("行政处罚法 第五十一条"));
        s.penalty = fine(200);
        // A second officer whose certificate expired: refused, and nothing is saved.
        s.second_officer = w.expired;
        let r = refusal(
            db.store
                .write(|tx| case::decide_summary(tx, &w.officer1, &s, w.env(day)))
                .unwrap_err(),
        );
        assert!(r.message.contains("过期"), "{}", r.message);
        let all = db
            .store
            .read(|tx| {
                case::list(
                    tx,
                    &w.city_legal.view_scopes(),
                    &case::Filter::default(),
                    50,
                )
            })
            .unwrap();
        assert!(all.is_empty(), "no half-saved case");
        s.second_officer = w.officer2;
        let id = db
            .store
            .write(|tx| case::decide_summary(tx, &w.officer1, &s, w.env(day)))
            .unwrap();
        let c = db.store.read(|tx| case::get(tx, id)).unwrap();
        assert!(c.summary_procedure);
        assert_eq!(c.stage, "executing");
        assert_eq!(db.store.read(|tx| case::officers(tx, id)).unwrap().len(), 2);
    }
);

both!(
    a_hearing_must_be_notified_seven_working_days_ahead_and_the_party_finds_the_notice_with_the_code,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Person, day);
        notified(db, &w, id, fine(15_000), day);
        act(db, &w, &w.officer1, id, "request_hearing", &text("当事人书面申请听证"), date!(2026 - 07 - 03)).unwrap();
        let mut input = CaseInput {
            text: "本局三楼听证室".into(),
            date: Some(date!(2026 - 07 - 10)),
            user: Some(w.reviewer.user_id),
            ..CaseInput::default()
        };
        let r = refusal(act(db, &w, &w.head, id, "schedule_hearing", &input, date!(2026 - 07 - 03)).unwrap_err());
        assert!(r.message.contains("2026-07-14"), "{}", r.message);
        input.date = Some(date!(2026 - 07 - 14));
        act(db, &w, &w.head, id, "schedule_hearing", &input, date!(2026 - 07 - 03)).unwrap();
        // The code is printed in the notice; the party reads the served documents with it.
        let docs = db.store.read(|tx| case::documents(tx, id)).unwrap();
        let notice = docs.iter().find(|d| d.kind == "pre_decision_notice").unwrap();
        let line = notice.paragraphs.iter().find(|p| p.contains("查询码")).unwrap();
        let code: String = line
            .split("查询码")
            .nth(1)
            .unwrap()
            .chars()
            .take(8)
            .collect();
        let c = db.store.read(|tx| case::get(tx, id)).unwrap();
        let st = db
            .store
            .read(|tx| case::status(tx, &c.case_no, &code))
            .unwrap()
            .expect("the code opens the status");
        assert_eq!(st["stage"], "hearing_requested");
        let titles: Vec<&str> = st["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title"].as_str().unwrap())
            .collect();
        assert!(titles.contains(&"行政处罚事先告知书") && titles.contains(&"听证通知书"));
        assert!(!st.to_string().contains("11010519491231002X"));
        assert!(db.store.read(|tx| case::status(tx, &c.case_no, "WRONG123")).unwrap().is_none());
    }
);

both!(
    a_file_evaluation_draws_closed_files_per_unit_at_random_and_scores_them_on_the_sheet,
    |db: &Db| {
        use fazhi_domain::enforcement::evaluation::Sheet;
        use fazhi_store::evaluation;
        let w = world(db);
        let a = served(db, &w);
        pay(db, &w, a, date!(2026 - 07 - 20), 10_000).unwrap();
        act(
            db,
            &w,
            &w.head,
            a,
            "close",
            &CaseInput::default(),
            date!(2026 - 07 - 21),
        )
        .unwrap();
        let b = served(db, &w);
        pay(db, &w, b, date!(2026 - 07 - 20), 10_000).unwrap();
        act(
            db,
            &w,
            &w.head,
            b,
            "close",
            &CaseInput::default(),
            date!(2026 - 07 - 22),
        )
        .unwrap();
        let sheet = Sheet::shipped();
        // Only the legal division organises an evaluation.
        let r = db
            .store
            .write(|tx| {
                evaluation::create(
                    tx,
                    &w.officer1,
                    (
                        "2026 年评查",
                        date!(2026 - 01 - 01),
                        date!(2026 - 12 - 31),
                        1,
                    ),
                    &sheet,
                )
            })
            .unwrap_err();
        assert!(matches!(r, StoreError::Forbidden(_)));
        let (id, drawn) = db
            .store
            .write(|tx| {
                evaluation::create(
                    tx,
                    &w.city_legal,
                    (
                        "2026 年评查",
                        date!(2026 - 01 - 01),
                        date!(2026 - 12 - 31),
                        1,
                    ),
                    &sheet,
                )
            })
            .unwrap();
        assert_eq!(drawn, 1, "one file per unit");
        let (_, files) = db
            .store
            .read(|tx| evaluation::get(tx, &w.city_legal, id))
            .unwrap();
        let case_id = files[0].case_id;
        assert!([a, b].contains(&case_id));
        let mut scores: std::collections::BTreeMap<String, i64> = sheet
            .items
            .iter()
            .map(|i| (i.id.clone(), i.points))
            .collect();
        scores.insert("discretion".into(), 12);
        let e = db
            .store
            .write(|tx| {
                evaluation::score(
                    tx,
                    &w.city_legal,
                    (id, case_id),
                    &scores,
                    "裁量理由说明不充分",
                )
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "12 of 10 is refused");
        scores.insert("discretion".into(), 6);
        let total = db
            .store
            .write(|tx| {
                evaluation::score(
                    tx,
                    &w.city_legal,
                    (id, case_id),
                    &scores,
                    "裁量理由说明不充分",
                )
            })
            .unwrap();
        assert_eq!(total, 96);
        let (_, files) = db
            .store
            .read(|tx| evaluation::get(tx, &w.city_legal, id))
            .unwrap();
        let results = evaluation::results(&files);
        assert_eq!(results.len(), 1);
        assert_eq!((results[0].scored, results[0].average), (1, 96.0));
        // A county officer does not see the city's evaluation.
        assert!(matches!(
            db.store.read(|tx| evaluation::get(tx, &w.zy_officer, id)),
            Err(StoreError::NotFound(_))
        ));
    }
);

both!(
    two_people_acting_on_the_same_version_of_a_case_do_not_both_succeed_and_parallel_openings_get_distinct_numbers,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = db
            .store
            .write(|tx| {
                case::open_case(
                    tx,
                    &w.officer1,
                    &new_case(w.jinshui_unit, PartyKind::Organisation),
                    w.env(day),
                )
            })
            .unwrap();
        let v = db.store.read(|tx| case::get(tx, id)).unwrap().version;
        let go = |who: &Actor, action: &str, input: &CaseInput| {
            db.store.write(|tx| {
                case::act(
                    tx,
                    (who, &Who::from(who)),
                    (id, v),
                    (action, input),
                    w.env(day),
                )
            })
        };
        go(&w.head, "approve_opening", &approval()).unwrap();
        let late = go(&w.leader, "refuse_opening", &text("案件不属于本机关管辖，不予立案。"));
        assert!(matches!(late, Err(StoreError::Conflict { .. })), "{late:?}");
        // Openings from several threads at once never share a case number.
        let numbers = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..3 {
                        let r = db.store.write(|tx| {
                            let id = case::open_case(
                                tx,
                                &w.officer1,
                                &new_case(w.jinshui_unit, PartyKind::Organisation),
                                w.env(day),
                            )?;
                            Ok(case::get(tx, id)?.case_no)
                        });
                        if let Ok(no) = r {
                            numbers.lock().unwrap().push(no);
                        }
                    }
                });
            }
        });
        let mut n = numbers.into_inner().unwrap();
        assert!(n.len() >= 10, "most openings succeed: {}", n.len());
        let before = n.len();
        n.sort();
        n.dedup();
        assert_eq!(n.len(), before, "numbers are distinct");
    }
);

both!(
    the_yearly_statistics_count_openings_and_decisions_with_fine_totals_by_unit_and_outcome,
    |db: &Db| {
        let w = world(db);
        let a = served(db, &w);
        pay(db, &w, a, date!(2026 - 07 - 20), 10_000).unwrap();
        served(db, &w);
        let scopes = w.city_legal.view_scopes();
        let s = db
            .store
            .read(|tx| case::statistics(tx, &scopes, date!(2026 - 01 - 01), date!(2026 - 12 - 31)))
            .unwrap();
        let org = &s["org"];
        assert_eq!(org.len(), 1);
        assert_eq!(org[0].key, "金水区商务局执法大队");
        assert_eq!((org[0].opened, org[0].decided), (2, 2));
        assert_eq!((org[0].fines, org[0].paid), (2_000_000, 1_000_000));
        assert_eq!(s["outcome"][0].key, "给予处罚");
        assert_eq!(s["procedure"][0].key, "普通程序");
        // Another year has nothing; a county officer of 中原区 sees nothing of 金水区.
        let none = db
            .store
            .read(|tx| case::statistics(tx, &scopes, date!(2025 - 01 - 01), date!(2025 - 12 - 31)))
            .unwrap();
        assert!(none["org"].is_empty());
        let zy = db
            .store
            .read(|tx| {
                case::statistics(
                    tx,
                    &w.zy_officer.view_scopes(),
                    date!(2026 - 01 - 01),
                    date!(2026 - 12 - 31),
                )
            })
            .unwrap();
        assert!(zy["org"].is_empty());
    }
);

both!(
    the_case_list_finds_a_case_by_its_whole_number_or_by_part_of_the_party_name,
    |db: &Db| {
        let w = world(db);
        let id = investigating(db, &w, PartyKind::Organisation, date!(2026 - 07 - 01));
        let no = db.store.read(|tx| case::get(tx, id)).unwrap().case_no;
        let find = |q: &str| {
            db.store
                .read(|tx| {
                    case::list(
                        tx,
                        &w.officer1.view_scopes(),
                        &case::Filter {
                            q: Some(q.into()),
                            ..case::Filter::default()
                        },
                        50,
                    )
                })
                .unwrap()
                .len()
        };
        assert_eq!(find(&no), 1);
        assert_eq!(find("惠民便利店"), 1);
        assert_eq!(find("金水商务立〔2026〕99号"), 0);
        // Part of a case number, and the text as typed: `%` and `_` are not wildcards.
        assert_eq!(find(no.split('〔').next().unwrap()), 1);
        assert_eq!(find("惠民%店"), 0);
        assert_eq!(find("惠民便利_"), 0);
        assert_eq!(find("%"), 0);
    }
);

both!(
    a_stored_value_that_does_not_read_back_is_an_error_naming_table_column_and_case,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = db
            .store
            .write(|tx| {
                case::open_case(
                    tx,
                    &w.officer1,
                    &new_case(w.jinshui_unit, PartyKind::Person),
                    w.env(day),
                )
            })
            .unwrap();
        let corrupt = |sql: &str| {
            db.store
                .write(|tx| tx.exec(sql, &[fazhi_store::Value::from(id)]))
                .unwrap();
            match db.store.read(|tx| case::get(tx, id)) {
                Err(StoreError::Db(m)) => m,
                other => panic!("{sql}: {other:?}"),
            }
        };
        let m = corrupt("UPDATE penalty_cases SET proposed = '{\"fine\": ' WHERE id = ?");
        assert!(
            m.contains(&format!("penalty_cases.proposed（id {id}）")) && m.contains("JSON"),
            "{m}"
        );
        let m =
            corrupt("UPDATE penalty_cases SET proposed = NULL, party_kind = 'alien' WHERE id = ?");
        assert!(
            m.contains(&format!("penalty_cases.party_kind（id {id}）")) && m.contains("alien"),
            "{m}"
        );
        let m = corrupt(
            "UPDATE penalty_cases SET party_kind = 'person', opened_on = '2026-13-01' WHERE id = ?",
        );
        assert!(
            m.contains(&format!("penalty_cases.opened_on（id {id}）")),
            "{m}"
        );
        // Set right again, the case reads as before.
        corrupt_back(db, id);
        assert_eq!(
            db.store.read(|tx| case::get(tx, id)).unwrap().party_kind,
            PartyKind::Person
        );
    }
);

fn corrupt_back(db: &Db, id: CaseId) {
    db.store
        .write(|tx| {
            tx.exec(
                "UPDATE penalty_cases SET opened_on = NULL WHERE id = ?",
                &[fazhi_store::Value::from(id)],
            )
        })
        .unwrap();
}
