//! The actions of the case page: the inputs each action's form asks for, reading them back, and
//! running the action.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::enforcement::Fen;
use fazhi_domain::enforcement::case::{EVIDENCE_KINDS, Penalty};
use fazhi_domain::enforcement::discretion::Grade;
use fazhi_store::audit::Who;
use fazhi_store::case::{self as store, CaseInput};

use super::opening::forbidden_as_refused;
use super::record::Loaded;
use super::record::record_page;
use super::require_handler;
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::form::field;
use crate::form::fields;
use crate::form::parse_day;
use crate::form::parse_yuan;
use crate::{AppState, today};

/// One input of an action's form.
pub struct Input {
    /// Form field name.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// text, textarea, date, money, number, select, checks, check.
    pub kind: &'static str,
    /// Options (value, label) of a select or checks.
    pub options: Vec<(String, String)>,
    /// Prefilled value.
    pub value: String,
}

impl Input {
    fn new(name: &'static str, label: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            label,
            kind,
            options: Vec::new(),
            value: String::new(),
        }
    }
    fn options(mut self, o: Vec<(String, String)>) -> Self {
        self.options = o;
        self
    }
    fn value(mut self, v: String) -> Self {
        self.value = v;
        self
    }
}

/// An action on the case page.
pub struct CaseAction {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// May be taken now.
    pub allowed: bool,
    /// Why not.
    pub reasons: Vec<String>,
    /// Basis.
    pub basis: String,
    /// Inputs.
    pub inputs: Vec<Input>,
    /// Posted as a file upload (evidence).
    pub upload: bool,
}

pub(super) fn inputs_for(id: &str, l: &Loaded) -> Vec<Input> {
    let c = &l.c;
    let ta = |label| Input::new("text", label, "textarea");
    let money = |v: Fen| {
        if v > 0 {
            format!("{}", v as f64 / 100.0)
        } else {
            String::new()
        }
    };
    match id {
        "refuse_opening" => vec![ta("不予立案的理由")],
        "assign_officers" => vec![
            Input::new(
                "officers",
                "承办人员（须持有效执法证件，不少于两人）",
                "checks",
            )
            .options(
                l.candidates
                    .iter()
                    .filter(|x| !l.officers.iter().any(|o| o.user_id == x.user_id))
                    .map(|x| {
                        (
                            x.user_id.to_string(),
                            match &x.certificate {
                                Ok(n) => format!("{}（执法证 {n}）", x.name),
                                Err(why) => format!("{}（不能承办：{why}）", x.name),
                            },
                        )
                    })
                    .collect(),
            ),
        ],
        "add_evidence" => vec![
            Input::new("kind", "证据种类（行政处罚法第四十六条）", "select").options(
                EVIDENCE_KINDS
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
            ),
            Input::new("title", "证据名称", "text"),
            Input::new("date", "取证日期", "date").value(fmt_date(today())),
            Input::new(
                "file",
                "证据文件（PDF、JPG、PNG，计算 SHA-256 哈希）",
                "file",
            ),
        ],
        "preserve_evidence" => vec![
            Input::new("evidence_ids", "先行登记保存的证据", "checks").options(
                l.evidence
                    .iter()
                    .filter(|e| !e.preserved)
                    .map(|e| (e.id.to_string(), e.title.clone()))
                    .collect(),
            ),
        ],
        "decide_preservation" => vec![ta("处理决定（解除保存、没收、移送等）")],
        "submit_report" => {
            let mut v = vec![ta("调查终结报告（违法事实、证据、处罚依据和理由）")];
            if let Some(b) = &l.bench {
                v.push(
                    Input::new("grade", "违法情节（裁量基准）", "select").options(
                        b.benchmark
                            .grades
                            .iter()
                            .map(|g| {
                                let g2 = serde_json::to_value(g.grade)
                                    .ok()
                                    .and_then(|x| x.as_str().map(str::to_string))
                                    .unwrap_or_default();
                                (g2, format!("{}：{}", g.grade.label_zh(), g.description))
                            })
                            .collect(),
                    ),
                );
                v.push(
                    Input::new("factor", "从轻、减轻、从重或不予处罚情形", "checks").options(
                        b.benchmark
                            .factors
                            .iter()
                            .enumerate()
                            .map(|(i, f)| {
                                (
                                    i.to_string(),
                                    format!("{}：{}", f.effect.label_zh(), f.text),
                                )
                            })
                            .collect(),
                    ),
                );
            }
            v.extend([
                Input::new("warning", "警告", "check"),
                Input::new("fine", "罚款（元）", "money"),
                Input::new("confiscation", "没收违法所得（元）", "money"),
                Input::new("other", "其他处罚（如责令停产停业、吊销许可证件）", "text"),
                Input::new(
                    "band_reasons",
                    "罚款超出裁量区间的理由（区间内可不填）",
                    "textarea",
                ),
            ]);
            v
        }
        "return_to_investigation" => vec![ta("退回补充调查的理由")],
        "record_legal_review" => vec![
            Input::new("choice", "审核结论", "select").options(vec![
                ("pass".into(), "通过".into()),
                ("fail".into(), "不通过（须补正）".into()),
            ]),
            ta("法制审核意见"),
        ],
        "record_statement" => vec![
            ta("当事人陈述、申辩的内容"),
            Input::new(
                "choice",
                "当事人明确放弃剩余的陈述、申辩和听证期限",
                "check",
            )
            .value("waive".into()),
        ],
        "request_hearing" => vec![ta("听证申请（提出方式和内容）")],
        "schedule_hearing" => vec![
            Input::new("date", "听证日期（通知后至少七个工作日）", "date"),
            Input::new("text", "听证地点和主持人", "text"),
        ],
        "hold_hearing" => vec![ta("听证笔录（要点）")],
        "record_collective_view" => vec![ta("讨论意见")],
        "conclude_collective" => vec![ta("主持人意见和讨论结论")],
        "extend_case" => vec![Input::new("days", "延长天数", "number"), ta("延长理由")],
        "suspend_case" => vec![ta("中止理由")],
        "decide" => {
            let n = c.notified.clone().unwrap_or_default();
            let mut w = Input::new("warning", "警告", "check");
            if n.warning {
                w.value = "checked".into();
            }
            vec![
                w,
                Input::new("fine", "罚款（元，不得高于告知的数额）", "money").value(money(n.fine)),
                Input::new("confiscation", "没收违法所得（元）", "money")
                    .value(money(n.confiscation)),
                Input::new("other", "其他处罚", "text").value(n.other.clone()),
                ta("处罚决定的理由（采纳或不采纳陈述申辩的理由）"),
            ]
        }
        "decide_no_penalty" => vec![ta("不予处罚的理由和对当事人的教育（行政处罚法第三十三条）")],
        "deliver" => vec![
            Input::new("choice", "送达方式", "select").options(
                [
                    ("on_the_spot", "当场交付"),
                    ("direct", "直接送达"),
                    ("mail", "邮寄送达"),
                    ("electronic", "电子送达（经当事人同意）"),
                    ("left", "留置送达"),
                    ("public", "公告送达"),
                ]
                .iter()
                .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
                .collect(),
            ),
            Input::new("date", "送达日期", "date").value(fmt_date(today())),
        ],
        "approve_deferral" => vec![
            Input::new("date", "缴纳期限延至", "date"),
            ta("延期或分期的理由和安排"),
        ],
        "record_payment" => vec![
            Input::new("date", "缴纳日期", "date").value(fmt_date(today())),
            Input::new("amount", "缴纳金额（元，含加处罚款）", "money")
                .value(money(l.owed_today.0)),
        ],
        "record_performance" => vec![ta("履行情况")],
        "apply_court_enforcement" => vec![ta("申请情况（催告情况、受理法院）")],
        "record_court_result" => vec![
            ta("强制执行结果"),
            Input::new("amount", "执行到位金额（元）", "money"),
        ],
        "revoke_decision" => vec![ta("撤销的理由和依据（撤回公示时一并公开）")],
        _ => Vec::new(),
    }
}

fn read_input(f: &[(String, String)]) -> Result<CaseInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut money = |k: &'static str, label: &'static str| {
        parse_yuan(k, label, &field(f, k))
            .map_err(|e| errors.push(e))
            .unwrap_or(0)
    };
    let fine = money("fine", "罚款");
    let confiscation = money("confiscation", "没收违法所得");
    let amount = money("amount", "金额");
    let date = parse_day(f, "date", "日期")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let grade = match field(f, "grade").as_str() {
        "" => None,
        g => match serde_json::from_value::<Grade>(serde_json::json!(g)) {
            Ok(x) => Some(x),
            Err(_) => {
                errors.push(FieldError::new("grade", "违法情节", "请选择情节等级"));
                None
            }
        },
    };
    let days = match field(f, "days").as_str() {
        "" => 0,
        d => d.parse::<u32>().unwrap_or_else(|_| {
            errors.push(FieldError::new("days", "延长天数", "请填写天数"));
            0
        }),
    };
    let ids =
        |k: &str| -> Vec<i64> { fields(f, k).iter().filter_map(|x| x.parse().ok()).collect() };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CaseInput {
        text: field(f, "text"),
        choice: field(f, "choice"),
        date,
        officers: ids("officers"),
        evidence_ids: ids("evidence_ids"),
        evidence: None,
        grade,
        factors: fields(f, "factor")
            .iter()
            .filter_map(|x| x.parse().ok())
            .collect(),
        penalty: Penalty {
            warning: field(f, "warning") == "1",
            fine,
            confiscation,
            other: field(f, "other"),
        },
        band_reasons: field(f, "band_reasons"),
        amount,
        days,
    })
}

pub(super) async fn run_action(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    (action, version, input): (String, i64, CaseInput),
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let r = st
        .with_env(move |db, env| {
            db.write(|tx| {
                store::act(
                    tx,
                    (&actor, &Who::from(&actor)),
                    (id, version),
                    (&action, &input),
                    env,
                )
            })
        })
        .await;
    match crate::procedure::outcome(r.map_err(forbidden_as_refused))? {
        Ok(_) => Ok(Redirect::to(&format!("/app/cases/{id}")).into_response()),
        Err((status, errors, refusal)) => {
            record_page(st, s, ctx, id, status, (errors, refusal)).await
        }
    }
}

pub(super) async fn act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let version = match fazhi_domain::validate::version("version", &field(&f, "version")) {
        Ok(v) => v,
        Err(e) => {
            return record_page(
                &st,
                &s,
                &ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                (vec![e], None),
            )
            .await;
        }
    };
    let input = match read_input(&f) {
        Ok(i) => i,
        Err(e) => {
            return record_page(
                &st,
                &s,
                &ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                (e, None),
            )
            .await;
        }
    };
    run_action(&st, &s, &ctx, id, (field(&f, "action"), version, input)).await
}
