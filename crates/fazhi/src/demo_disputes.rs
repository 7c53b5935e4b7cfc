//! The demo's disputes: reconsiderations in which a bureau is the respondent (one still to be
//! answered, one answered and waiting, one maintained and linked to a decided penalty case, one
//! lost and carried out, one with an opinion answered) and lawsuits in which it is the defendant
//! (one being defended, one with hearings the head attended or delegated, one lost with its fault
//! review). Everything goes through the store's own commands, on dates in the past.

use fazhi_domain::calendar::Calendar;
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::Registry;
use fazhi_store::audit::Who;
use fazhi_store::litigation::{self, NewLitigation};
use fazhi_store::reconsideration::{self, ActionInput, NewReconsideration};
use fazhi_store::time_limit::Clock;
use fazhi_store::{Store, StoreError, org};
use time::Date;
use time::macros::date;

struct Desk<'a> {
    store: &'a Store,
    reg: &'a Registry,
    cal: &'a Calendar,
}

type Step<'s> = (&'s str, Option<&'s str>, &'s str, Date);

impl Desk<'_> {
    fn clock(&self, today: Date) -> Clock<'_> {
        Clock {
            cal: self.cal,
            today,
            warn: 3,
        }
    }

    fn reconsideration(
        &self,
        who: &Actor,
        new: &NewReconsideration,
        steps: &[Step<'_>],
    ) -> Result<(), String> {
        let day = new.received_on.unwrap_or(date!(2026 - 09 - 01));
        let id = self
            .store
            .write(|tx| reconsideration::register(tx, who, new, self.reg, self.clock(day)))
            .map_err(|e| format!("演示行政复议：{e}"))?;
        for (action, choice, text, day) in steps {
            let input = ActionInput {
                text: (*text).into(),
                choice: choice.map(Into::into),
                opinion: "同意".into(),
            };
            self.store
                .write(|tx| {
                    let v = reconsideration::get(tx, id)?.version;
                    reconsideration::act(
                        tx,
                        (who, &Who::from(who)),
                        (id, v),
                        (action, &input),
                        self.reg,
                        self.clock(*day),
                    )
                })
                .map_err(|e| format!("演示行政复议 {action}：{e}"))?;
        }
        Ok(())
    }

    fn lawsuit(&self, who: &Actor, new: &NewLitigation, steps: &[Step<'_>]) -> Result<(), String> {
        let day = new.received_on.unwrap_or(date!(2026 - 09 - 01));
        let id = self
            .store
            .write(|tx| litigation::register(tx, who, new, self.reg, self.clock(day)))
            .map_err(|e| format!("演示行政应诉：{e}"))?;
        for (action, choice, text, day) in steps {
            let input = ActionInput {
                text: (*text).into(),
                choice: choice.map(Into::into),
                opinion: "同意".into(),
            };
            self.store
                .write(|tx| {
                    let v = litigation::get(tx, id)?.version;
                    litigation::act(
                        tx,
                        (who, &Who::from(who)),
                        (id, v),
                        (action, &input),
                        self.reg,
                        self.clock(*day),
                    )
                })
                .map_err(|e| format!("演示行政应诉 {action}：{e}"))?;
        }
        Ok(())
    }
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

const EVIDENCE: &str = "现场检查笔录\n询问笔录\n调取的经营记录\n行政处罚决定书及送达回证";

/// Loads the demo disputes once; returns how many were loaded.
pub fn load(store: &Store, reg: &Registry, cal: &Calendar) -> Result<usize, String> {
    let e = |e: StoreError| e.to_string();
    let (any, city, jinshui, decided_case) = store
        .read(|tx| {
            let any = tx
                .query_opt("SELECT id FROM reconsiderations LIMIT 1", &[])?
                .is_some();
            let mut org = |code: &str| -> Result<i64, StoreError> {
                Ok(org::get_org_by_code(tx, code)?
                    .ok_or(StoreError::NotFound("演示单位"))?
                    .id)
            };
            let (city, jinshui) = (org("zz")?, org("jinshui")?);
            let case = tx
                .query_opt(
                    "SELECT c.case_no FROM penalty_cases c JOIN orgs o ON o.id = c.org_id
                     WHERE c.decided_on IS NOT NULL AND o.code LIKE 'jinshui%'
                     ORDER BY c.id LIMIT 1",
                    &[],
                )?
                .map(|r| r.text(0))
                .transpose()?;
            Ok((any, city, jinshui, case))
        })
        .map_err(e)?;
    if any {
        return Ok(0);
    }
    let legal = actor(store, "fzc.legal")?;
    let js = actor(store, "js.leader")?;
    let d = Desk { store, reg, cal };
    let rec =
        |org_id, received, applicant: &str, disputed: &str, case_no: &str| NewReconsideration {
            org_id,
            received_on: Some(received),
            deciding_body: if org_id == city {
                "郑州市人民政府".into()
            } else {
                "郑州市金水区人民政府".into()
            },
            applicant: applicant.into(),
            claims: "请求撤销被申请人作出的行政行为。".into(),
            simplified: false,
            case_no: case_no.into(),
            disputed: disputed.into(),
        };
    let answer = "被申请人作出的行政行为认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当。";
    // To be answered: the limit runs.
    d.reconsideration(
        &legal,
        &rec(
            city,
            date!(2026 - 11 - 23),
            "河南豫商供应链有限公司",
            "单用途预付卡备案不予办理告知",
            "",
        ),
        &[],
    )?;
    // Answered, a hearing held, waiting for the decision.
    d.reconsideration(
        &legal,
        &rec(
            city,
            date!(2026 - 10 - 26),
            "郑州中原汽车贸易有限公司",
            "二手车交易市场经营者备案事项告知",
            "",
        ),
        &[
            ("record_evidence", None, EVIDENCE, date!(2026 - 10 - 28)),
            ("submit_answer", None, answer, date!(2026 - 11 - 03)),
            (
                "record_session",
                Some("hearing"),
                "复议机关组织听证，本局法规处派员参加并陈述意见。",
                date!(2026 - 11 - 17),
            ),
        ],
    )?;
    // Maintained; linked to a decided penalty case of 金水区 when the demo has one.
    let mut linked = rec(
        jinshui,
        date!(2026 - 09 - 14),
        "郑州市金水区惠民便利店有限公司",
        "行政处罚决定",
        "",
    );
    if let Some(no) = &decided_case {
        linked.case_no.clone_from(no);
        linked.disputed = String::new();
    }
    d.reconsideration(
        &js,
        &linked,
        &[
            ("record_evidence", None, EVIDENCE, date!(2026 - 09 - 16)),
            ("submit_answer", None, answer, date!(2026 - 09 - 22)),
            (
                "receive_decision",
                Some("maintained"),
                "金政复决字〔2026〕31号：维持原行政行为",
                date!(2026 - 11 - 10),
            ),
            ("archive", None, "", date!(2026 - 11 - 12)),
        ],
    )?;
    // Lost: revoked, carried out with its receipt, archived.
    d.reconsideration(
        &legal,
        &rec(
            city,
            date!(2026 - 08 - 03),
            "郑州惠购电子商务有限公司",
            "责令限期改正通知",
            "",
        ),
        &[
            (
                "record_evidence",
                None,
                "现场检查笔录\n责令改正通知书",
                date!(2026 - 08 - 05),
            ),
            ("submit_answer", None, answer, date!(2026 - 08 - 12)),
            (
                "receive_decision",
                Some("revoked"),
                "郑政复决字〔2026〕77号：认定事实不清，撤销原通知",
                date!(2026 - 09 - 25),
            ),
            (
                "perform",
                None,
                "已撤销原通知并重新调查；履行情况书面报告及回执已报送复议机关。",
                date!(2026 - 10 - 09),
            ),
            ("archive", None, "", date!(2026 - 10 - 12)),
        ],
    )?;
    // Maintained, with an opinion answered.
    d.reconsideration(
        &legal,
        &rec(
            city,
            date!(2026 - 07 - 06),
            "郑州市管城区诚信商行",
            "投诉处理告知",
            "",
        ),
        &[
            (
                "record_evidence",
                None,
                "投诉登记表\n处理告知书\n送达回证",
                date!(2026 - 07 - 08),
            ),
            ("submit_answer", None, answer, date!(2026 - 07 - 15)),
            (
                "receive_decision",
                Some("rejected"),
                "郑政复决字〔2026〕52号：驳回行政复议请求",
                date!(2026 - 08 - 28),
            ),
            (
                "receive_opinion",
                None,
                "郑政复意〔2026〕5号：规范投诉处理告知的救济途径表述",
                date!(2026 - 08 - 28),
            ),
            (
                "answer_opinion",
                None,
                "已修订告知书格式，增加救济途径和期限的告知。",
                date!(2026 - 09 - 30),
            ),
            ("archive", None, "", date!(2026 - 10 - 08)),
        ],
    )?;
    let suit = |org_id, received, plaintiff: &str, court_no: &str, disputed: &str| NewLitigation {
        org_id,
        received_on: Some(received),
        court: "郑州铁路运输法院".into(),
        court_case_no: court_no.into(),
        plaintiff: plaintiff.into(),
        claims: "请求撤销被告作出的行政行为。".into(),
        case_no: String::new(),
        disputed: disputed.into(),
    };
    let defence = "被诉行政行为事实清楚、证据充分、程序合法，请求驳回原告的诉讼请求。";
    d.lawsuit(
        &legal,
        &suit(
            city,
            date!(2026 - 11 - 20),
            "河南新视界商贸有限公司",
            "（2026）豫7101行初1203号",
            "商业特许经营备案不予办理告知",
        ),
        &[("record_evidence", None, EVIDENCE, date!(2026 - 11 - 24))],
    )?;
    d.lawsuit(
        &legal,
        &suit(
            city,
            date!(2026 - 09 - 07),
            "王某某",
            "（2026）豫7101行初866号",
            "政府信息公开答复",
        ),
        &[
            (
                "record_evidence",
                None,
                "申请登记表\n答复书\n送达回证",
                date!(2026 - 09 - 10),
            ),
            ("submit_defence", None, defence, date!(2026 - 09 - 18)),
            (
                "record_hearing",
                Some("head"),
                "李卫东（局长）、张明远（政策法规处）",
                date!(2026 - 10 - 20),
            ),
            (
                "record_hearing",
                Some("delegate"),
                "张明远（政策法规处，受委托）",
                date!(2026 - 11 - 10),
            ),
            (
                "receive_judgment",
                Some("judgment_won"),
                "（2026）豫7101行初866号判决：驳回原告诉讼请求",
                date!(2026 - 11 - 24),
            ),
        ],
    )?;
    d.lawsuit(
        &js,
        &suit(jinshui, date!(2026 - 06 - 08), "郑州市金水区悦来酒店有限公司", "（2026）豫7101行初512号", "行政处罚决定"),
        &[
            ("record_evidence", None, EVIDENCE, date!(2026 - 06 - 10)),
            ("submit_defence", None, defence, date!(2026 - 06 - 19)),
            ("record_hearing", Some("head"), "褚红梅（局长）", date!(2026 - 07 - 15)),
            ("receive_judgment", Some("judgment_lost"), "（2026）豫7101行初512号判决：撤销被诉处罚决定", date!(2026 - 08 - 20)),
            ("decide_appeal", Some("accept"), "现场检查笔录未载明检查时间，认定事实存在瑕疵，不上诉。", date!(2026 - 08 - 25)),
            ("perform", None, "已撤销处罚决定并退还罚款。", date!(2026 - 09 - 08)),
            ("fault_review", None, "所涉行为：行政处罚决定；原因：现场检查笔录未载明检查时间；责任：承办人员批评教育，执法大队组织笔录规范培训。", date!(2026 - 09 - 20)),
            ("archive", None, "", date!(2026 - 09 - 25)),
        ],
    )?;
    Ok(8)
}
