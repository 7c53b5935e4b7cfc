//! The form of each action on the case page: one function per action giving the inputs it asks
//! for (with the options and values the case offers), and the one table of them.

use fazhi_domain::calendar::fmt_date;
use fazhi_domain::enforcement::Fen;
use fazhi_domain::enforcement::case::{EVIDENCE_KINDS, Mark};

use super::record::Loaded;
use crate::kept::Kept;
use crate::today;

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
    /// Prefilled value (the value a check box posts).
    pub value: String,
    /// The options checked (checks), or the box's value when it is checked (check).
    pub chosen: Vec<String>,
    /// Why what was posted in this field was refused, shown beside it.
    pub errors: Vec<String>,
}

impl Input {
    fn new(name: &'static str, label: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            label,
            kind,
            options: Vec::new(),
            value: if kind == "check" {
                "1".into()
            } else {
                String::new()
            },
            chosen: Vec::new(),
            errors: Vec::new(),
        }
    }
    fn checked(mut self) -> Self {
        self.chosen = vec![self.value.clone()];
        self
    }
    /// Whether the option `v` is checked.
    pub fn is_chosen(&self, v: &str) -> bool {
        self.chosen.iter().any(|c| c == v)
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

/// The inputs of one action's form, for this case.
pub(super) type FormFn = fn(&Loaded) -> Vec<Input>;

/// The form of every action of `procedures/penalty-general.toml`: the only place the case
/// page ties an action id to its inputs. An action without inputs is registered with
/// `no_inputs`; a test and start-up check that every action of the file has its form.
pub(super) const FORMS: &[(&str, FormFn)] = &[
    ("approve_opening", no_inputs),
    ("refuse_opening", refuse_opening),
    ("assign_officers", assign_officers),
    ("add_evidence", add_evidence),
    ("preserve_evidence", preserve_evidence),
    ("decide_preservation", decide_preservation),
    ("submit_report", submit_report),
    ("return_to_investigation", return_to_investigation),
    ("record_legal_review", record_legal_review),
    ("send_notice", no_inputs),
    ("serve_notice", serve_notice),
    ("record_statement", record_statement),
    ("request_hearing", request_hearing),
    ("schedule_hearing", schedule_hearing),
    ("hold_hearing", hold_hearing),
    ("record_collective_view", record_collective_view),
    ("conclude_collective", conclude_collective),
    ("extend_case", extend_case),
    ("suspend_case", suspend_case),
    ("resume_case", no_inputs),
    ("decide", decide),
    ("decide_no_penalty", decide_no_penalty),
    ("deliver", deliver),
    ("publish_decision", no_inputs),
    ("approve_deferral", approve_deferral),
    ("record_payment", record_payment),
    ("serve_reminder", serve_reminder),
    ("record_performance", record_performance),
    ("apply_court_enforcement", apply_court_enforcement),
    ("record_court_result", record_court_result),
    ("record_summary_filing", record_summary_filing),
    ("close", no_inputs),
    ("revoke_decision", revoke_decision),
    ("archive", no_inputs),
];

/// The inputs of an action's form; none for an action without a registered form.
pub(super) fn inputs_for(id: &str, l: &Loaded) -> Vec<Input> {
    FORMS
        .iter()
        .find(|(x, _)| *x == id)
        .map(|(_, form)| form(l))
        .unwrap_or_default()
}

/// Fills an action's inputs again with what was posted (a file must be chosen again) and puts
/// each field error beside its field; returns the errors of no input, for the top of the form.
pub(super) fn refill(inputs: &mut [Input], kept: &Kept) -> Vec<String> {
    for i in inputs.iter_mut() {
        match i.kind {
            "file" => {}
            "checks" | "check" => i.chosen = kept.values(i.name),
            _ => {
                if let Some(v) = kept.value(i.name) {
                    i.value = v.to_string();
                }
            }
        }
        i.errors = kept
            .errors
            .iter()
            .filter(|e| e.field == i.name)
            .map(|e| e.message.clone())
            .collect();
    }
    kept.errors
        .iter()
        .filter(|e| !inputs.iter().any(|i| i.name == e.field))
        .map(|e| e.message.clone())
        .collect()
}

fn no_inputs(_: &Loaded) -> Vec<Input> {
    Vec::new()
}

fn ta(label: &'static str) -> Input {
    Input::new("text", label, "textarea")
}

fn money(v: Fen) -> String {
    if v > 0 {
        format!("{}", v as f64 / 100.0)
    } else {
        String::new()
    }
}

fn refuse_opening(_: &Loaded) -> Vec<Input> {
    vec![ta("不予立案的理由")]
}

fn assign_officers(l: &Loaded) -> Vec<Input> {
    vec![
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
    ]
}

fn add_evidence(_: &Loaded) -> Vec<Input> {
    vec![
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
    ]
}

fn preserve_evidence(l: &Loaded) -> Vec<Input> {
    vec![
        Input::new("evidence_ids", "先行登记保存的证据", "checks").options(
            l.evidence
                .iter()
                .filter(|e| !e.preserved)
                .map(|e| (e.id.to_string(), e.title.clone()))
                .collect(),
        ),
    ]
}

fn decide_preservation(_: &Loaded) -> Vec<Input> {
    vec![ta("处理决定（解除保存、没收、移送等）")]
}

fn submit_report(l: &Loaded) -> Vec<Input> {
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
    v.push(
        Input::new(
            "mark",
            "案件情形（勾选的，须经法制审核或者负责人集体讨论）",
            "checks",
        )
        .options(
            Mark::ALL
                .iter()
                .map(|m| {
                    (
                        m.as_str().to_string(),
                        format!("{}（{}）", m.label_zh(), m.article()),
                    )
                })
                .collect(),
        ),
    );
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

fn return_to_investigation(_: &Loaded) -> Vec<Input> {
    vec![ta("退回补充调查的理由")]
}

fn record_legal_review(_: &Loaded) -> Vec<Input> {
    vec![
        Input::new("choice", "审核结论", "select").options(vec![
            ("pass".into(), "通过".into()),
            ("fail".into(), "不通过（须补正）".into()),
        ]),
        ta("法制审核意见"),
    ]
}

fn record_statement(_: &Loaded) -> Vec<Input> {
    vec![
        ta("当事人陈述、申辩的内容"),
        Input::new(
            "choice",
            "当事人明确放弃剩余的陈述、申辩和听证期限",
            "check",
        )
        .value("waive".into()),
    ]
}

fn request_hearing(_: &Loaded) -> Vec<Input> {
    vec![ta("听证申请（提出方式和内容）")]
}

fn schedule_hearing(l: &Loaded) -> Vec<Input> {
    vec![
        Input::new("date", "听证日期（通知后至少七个工作日）", "date"),
        Input::new(
            "user",
            "听证主持人（本机关指定的非本案调查人员，行政处罚法第六十四条第四项）",
            "select",
        )
        .options(
            l.hosts
                .iter()
                .map(|(id, name)| (id.to_string(), name.clone()))
                .collect(),
        ),
        Input::new("text", "听证地点", "text"),
    ]
}

fn hold_hearing(_: &Loaded) -> Vec<Input> {
    vec![ta("听证笔录（要点）")]
}

fn record_collective_view(_: &Loaded) -> Vec<Input> {
    vec![ta("讨论意见")]
}

fn conclude_collective(_: &Loaded) -> Vec<Input> {
    vec![ta("主持人意见和讨论结论")]
}

fn extend_case(_: &Loaded) -> Vec<Input> {
    vec![Input::new("days", "延长天数", "number"), ta("延长理由")]
}

fn suspend_case(_: &Loaded) -> Vec<Input> {
    vec![ta("中止理由")]
}

fn decide(l: &Loaded) -> Vec<Input> {
    let c = &l.c;
    let n = c.notified.clone().unwrap_or_default();
    let mut w = Input::new("warning", "警告", "check");
    if n.warning {
        w = w.checked();
    }
    vec![
        w,
        Input::new("fine", "罚款（元，不得高于告知的数额）", "money").value(money(n.fine)),
        Input::new("confiscation", "没收违法所得（元）", "money").value(money(n.confiscation)),
        Input::new("other", "其他处罚", "text").value(n.other.clone()),
        ta("处罚决定的理由（采纳或不采纳陈述申辩的理由）"),
    ]
}

fn decide_no_penalty(_: &Loaded) -> Vec<Input> {
    vec![ta("不予处罚的理由和对当事人的教育（行政处罚法第三十三条）")]
}

/// How a document is served (行政处罚法 第六十一条; 民事诉讼法).
fn service_method() -> Input {
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
    )
}

fn deliver(_: &Loaded) -> Vec<Input> {
    vec![
        service_method(),
        Input::new("date", "送达日期", "date").value(fmt_date(today())),
    ]
}

fn serve_notice(_: &Loaded) -> Vec<Input> {
    vec![
        service_method(),
        Input::new("date", "送达日期（陈述、申辩期限自此日起算）", "date").value(fmt_date(today())),
        ta("送达凭证（签收人、邮件单号或者电子送达记录）"),
    ]
}

fn serve_reminder(_: &Loaded) -> Vec<Input> {
    vec![
        service_method(),
        Input::new("date", "催告书送达日期", "date").value(fmt_date(today())),
    ]
}

fn record_summary_filing(_: &Loaded) -> Vec<Input> {
    vec![ta("备案意见")]
}

fn approve_deferral(_: &Loaded) -> Vec<Input> {
    vec![
        Input::new("date", "缴纳期限延至", "date"),
        ta("延期或分期的理由和安排"),
    ]
}

fn record_payment(l: &Loaded) -> Vec<Input> {
    vec![
        Input::new("date", "缴纳日期", "date").value(fmt_date(today())),
        Input::new("amount", "缴纳金额（元，含加处罚款）", "money").value(money(l.owed_today.0)),
    ]
}

fn record_performance(_: &Loaded) -> Vec<Input> {
    vec![ta("履行情况")]
}

fn apply_court_enforcement(_: &Loaded) -> Vec<Input> {
    vec![ta("申请情况（受理法院、申请材料）")]
}

fn record_court_result(_: &Loaded) -> Vec<Input> {
    vec![
        ta("强制执行结果"),
        Input::new("amount", "执行到位金额（元）", "money"),
    ]
}

fn revoke_decision(_: &Loaded) -> Vec<Input> {
    vec![ta("撤销的理由和依据（撤回公示时一并公开）")]
}
