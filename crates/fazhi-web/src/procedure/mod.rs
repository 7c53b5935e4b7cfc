//! 办理程序: each procedure's page with a drawn diagram of its stages and actions, who may take
//! each action, what it requires and checks, its time limits, and the legal basis of each step.

use std::collections::HashMap;
use std::fmt::Write;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use fazhi_domain::procedure::Procedure;

pub mod confirm;

use crate::AppState;
use crate::capability::{Capability, Nav};
use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/procedures", get(list))
        .route("/app/procedures/{name}", get(show))
}

/// 办理程序, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/procedures",
        label: "办理程序",
        shown: crate::capability::everyone,
    }],
    strings: &[
        ("请确认：", "Please confirm: "),
        (
            "此操作将制发文书或者不能撤回。以下是将要制发的文书和记入履历的内容，尚未保存；确认后才会执行。",
            "This step issues a document or cannot be undone. Below is what it will issue and record; nothing is saved until you confirm.",
        ),
        ("将制发的文书", "Document to be issued"),
        ("将记入履历", "To be recorded"),
        ("确认", "Confirm: "),
        ("返回，不执行", "Back, without taking it"),
        ("审批意见", "Approver's opinion"),
        ("签名：", "Signature:"),
        ("年　月　日", "Date"),
        ("预览并确认", "Preview and confirm"),
    ],
    ..Capability::new("procedure", routes)
};

struct Line {
    name: String,
    title: String,
    version: u32,
    basis: String,
}

#[derive(Template)]
#[template(path = "procedure/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Line>,
}

async fn list(State(st): State<AppState>, Staff(_, ctx): Staff) -> Response {
    let items = st
        .procedures
        .all_current()
        .into_iter()
        .map(|p| Line {
            name: p.name.clone(),
            title: p.title.clone(),
            version: p.version,
            basis: p.basis.clone(),
        })
        .collect();
    render(&ListPage {
        c: Chrome::staff(&ctx, "办理程序"),
        items,
    })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Draws the stages in columns by distance from the initial stage and the actions as labelled
/// arrows (loops above a stage, arrows back to an earlier column below).
pub fn diagram(p: &Procedure) -> String {
    let mut layer: HashMap<&str, usize> = HashMap::from([(p.initial.as_str(), 0)]);
    let mut frontier = vec![p.initial.as_str()];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for s in frontier {
            for a in p.actions.iter().filter(|a| a.from.iter().any(|f| f == s)) {
                let to = a.target(s);
                if !layer.contains_key(to) {
                    layer.insert(to, layer[s] + 1);
                    next.push(to);
                }
            }
        }
        frontier = next;
    }
    // Terminal stages share the last column, so that the ways out read left to right.
    let last = p
        .stages
        .iter()
        .filter(|s| !s.terminal)
        .map(|s| layer.get(s.id.as_str()).copied().unwrap_or(0))
        .max()
        .unwrap_or(0)
        + 1;
    for s in p.stages.iter().filter(|s| s.terminal) {
        layer.insert(s.id.as_str(), last);
    }
    let (w, h, gx, gy, m) = (190.0, 54.0, 170.0, 70.0, 70.0);
    let mut rows: HashMap<usize, usize> = HashMap::new();
    let mut pos: HashMap<&str, (f64, f64)> = HashMap::new();
    for s in &p.stages {
        let l = layer.get(s.id.as_str()).copied().unwrap_or(0);
        let r = rows.entry(l).or_insert(0);
        pos.insert(
            s.id.as_str(),
            (m + l as f64 * (w + gx), m + *r as f64 * (h + gy)),
        );
        *r += 1;
    }
    let width = m * 2.0 + (rows.len() as f64) * (w + gx);
    let backward = p
        .actions
        .iter()
        .flat_map(|a| a.from.iter().map(move |f| (f, a.target(f))))
        .filter(|(f, t)| match (pos.get(f.as_str()), pos.get(*t)) {
            (Some(a), Some(b)) => b.0 < a.0 - 1.0,
            _ => false,
        })
        .count();
    let height = m * 2.0
        + (rows.values().copied().max().unwrap_or(1) as f64) * (h + gy)
        + backward as f64 * 22.0
        + 20.0;
    let mut svg = format!(
        r##"<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" role="img" aria-label="{}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b636e"/></marker></defs>"##,
        esc(&p.title)
    );
    let mut loops: HashMap<&str, usize> = HashMap::new();
    let mut backs = 0usize;
    let mut overs = 0usize;
    for a in &p.actions {
        for (k, f) in a.from.iter().enumerate() {
            let (Some(&(x1, y1)), Some(&(x2, y2))) = (pos.get(f.as_str()), pos.get(a.target(f)))
            else {
                continue;
            };
            // An action from several stages is named once, on its first arrow.
            let label = if k == 0 { esc(&a.title) } else { String::new() };
            if f == a.target(f) {
                let k = loops.entry(f.as_str()).or_insert(0);
                let lift = 18.0 + *k as f64 * 16.0;
                *k += 1;
                let _ = write!(
                    svg,
                    r##"<path d="M{} {} C{} {} {} {} {} {}" fill="none" stroke="#5b636e" marker-end="url(#arrow)"/><text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1f2328">{label}</text>"##,
                    x1 + w * 0.3,
                    y1,
                    x1 + w * 0.3,
                    y1 - lift - 14.0,
                    x1 + w * 0.7,
                    y1 - lift - 14.0,
                    x1 + w * 0.7,
                    y1,
                    x1 + w / 2.0,
                    y1 - lift - 4.0
                );
            } else if x2 > x1 + w + gx + 1.0 {
                // Skipping a column: over the top, so as not to cross the boxes between.
                let (sx, sy, ex, ey) = (x1 + w * 0.75, y1, x2 + w * 0.25, y2);
                let top = sy.min(ey) - 28.0 - overs as f64 * 16.0;
                overs += 1;
                let _ = write!(
                    svg,
                    r##"<path d="M{sx} {sy} C{sx} {top} {ex} {top} {ex} {ey}" fill="none" stroke="#5b636e" marker-end="url(#arrow)"/><text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1f2328">{label}</text>"##,
                    (sx + ex) / 2.0,
                    top + 18.0
                );
            } else if x2 > x1 {
                let (sx, sy, ex, ey) = (x1 + w, y1 + h / 2.0, x2, y2 + h / 2.0);
                let _ = write!(
                    svg,
                    r##"<path d="M{sx} {sy} C{} {sy} {} {ey} {ex} {ey}" fill="none" stroke="#5b636e" marker-end="url(#arrow)"/><text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1f2328">{label}</text>"##,
                    sx + gx / 2.0,
                    ex - gx / 2.0,
                    (sx + ex) / 2.0,
                    (sy + ey) / 2.0 - 6.0
                );
            } else if (x2 - x1).abs() < 1.0 {
                // Within one column: an arc on the right of the column.
                let (sx, sy, ex, ey) = (x1 + w, y1 + h * 0.7, x2 + w, y2 + h * 0.3);
                let out = x1 + w + 45.0;
                let _ = write!(
                    svg,
                    r##"<path d="M{sx} {sy} C{out} {sy} {out} {ey} {ex} {ey}" fill="none" stroke="#5b636e" marker-end="url(#arrow)"/><text x="{}" y="{}" font-size="11" fill="#1f2328">{label}</text>"##,
                    out + 4.0,
                    (sy + ey) / 2.0 + 4.0
                );
            } else {
                let (sx, sy, ex, ey) = (x1 + w * 0.35, y1 + h, x2 + w * 0.65, y2 + h);
                let dip = sy.max(ey) + 48.0 + backs as f64 * 22.0;
                backs += 1;
                let _ = write!(
                    svg,
                    r##"<path d="M{sx} {sy} C{sx} {dip} {ex} {dip} {ex} {ey}" fill="none" stroke="#a4161a" stroke-dasharray="4 3" marker-end="url(#arrow)"/><text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#a4161a">{label}</text>"##,
                    (sx + ex) / 2.0,
                    dip - 2.0
                );
            }
        }
    }
    for s in &p.stages {
        let Some(&(x, y)) = pos.get(s.id.as_str()) else {
            continue;
        };
        let (fill, stroke) = if s.id == p.initial {
            ("#eef4ff", "#2f5bd3")
        } else if s.terminal {
            ("#ecfdf3", "#1a7f37")
        } else {
            ("#ffffff", "#5b636e")
        };
        let _ = write!(
            svg,
            r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/><text x="{}" y="{}" font-size="13" text-anchor="middle" fill="#1f2328">{}</text>"##,
            x + w / 2.0,
            y + h / 2.0 + 4.0,
            esc(&s.title)
        );
    }
    svg.push_str("</svg>");
    svg
}

struct ActionLine {
    title: String,
    from: String,
    to: String,
    roles: String,
    requires: String,
    guards: String,
    basis: String,
}

struct LimitLine {
    title: String,
    rule: String,
    basis: String,
}

#[derive(Template)]
#[template(path = "procedure/show.html")]
struct ShowPage {
    c: Chrome,
    title: String,
    version: u32,
    basis: String,
    svg: String,
    actions: Vec<ActionLine>,
    limits: Vec<LimitLine>,
}

fn guard_text(g: &str) -> &str {
    match g {
        "clarification_not_yet_requested" => "尚未告知过补正（只能一次性告知）",
        "clarification_within_period" => "自收到申请之日起 7 个工作日内",
        "not_yet_extended" => "尚未延长过",
        "answer_not_overdue" => "答复期限尚未届满",
        "requester_deadline_passed" => "申请人补正期限已届满",
        "not_accepted_by_law" => "收到申请材料后五个工作日内（逾期视为受理）",
        "decision_not_yet_extended" => "决定期限尚未延长过",
        "required_materials_present" => "必备的申请材料齐全",
        "supplement_not_yet_requested" => "尚未一次性告知过补正（只能一次性告知）",
        "decision_not_overdue" => "决定期限尚未届满",
        "investigation_team_certified" => "承办人员中持有效执法证件的不少于两人",
        "preservation_decided" => "先行登记保存的证据已作出处理决定",
        "legal_review_passed" => "须法制审核的，法制审核已通过；审核未通过的，已退回并重新审核",
        "legal_review_not_failed" => "法制审核未被记录为不通过",
        "notice_window_closed" => "陈述、申辩和要求听证的期限已届满或者当事人已放弃",
        "notice_served" => "事先告知书已送达当事人",
        "notice_not_yet_served" => "事先告知书尚未登记送达",
        "hearing_right" => "当事人享有听证权利",
        "hearing_scheduled" => "已通知听证的时间、地点和主持人",
        "collective_concluded" => "须集体讨论的，负责人已集体讨论决定",
        "decision_not_yet_published" => "处罚决定尚未公示",
        "case_not_yet_extended" => "办案期限尚未延长过",
        "case_not_suspended" => "案件没有中止",
        "case_suspended" => "案件已中止",
        "payment_not_yet_deferred" => "尚未批准过延期或者分期缴纳",
        "summary_filing_pending" => "当场处罚决定尚未备案",
        "summary_filing_done" => "当场处罚决定已报所属行政机关备案",
        "team_incomplete" => "持有效执法证件的承办人员尚不足两人（待指派）",
        "preservation_pending" => "有先行登记保存的证据等待处理决定",
        "legal_review_due" => "须法制审核，且尚未对当前调查终结报告作出审核意见",
        "hearing_not_scheduled" => "尚未通知听证的时间、地点",
        "collective_pending" => "须集体讨论，且尚未讨论决定",
        "answer_not_drafted" => "尚未拟写答复书",
        "draft_missing" => "尚未保存草案",
        "concerns_market" => "文件涉及经营者经济活动",
        "fair_review_missing" => "尚未通过公平竞争审查",
        "stakeholders_not_heard" => "尚未登记听取利害关系人意见",
        "stakeholders_heard" => "已听取利害关系人意见（公平竞争审查条例第十六条）",
        "affects_public" => "文件涉及公众权益",
        "fair_review_passed_if_required" => "涉及经营者经济活动的，已通过公平竞争审查（第十八条）",
        "comment_not_yet_held" => "尚未公开征求过意见",
        "comment_held_if_required" => "涉及公众权益的，已公开征求意见并反馈",
        "all_comments_answered" => "每条公众意见都已写明采纳情况",
        "feedback_not_yet_published" => "意见采纳情况尚未反馈",
        "feedback_published" => "意见采纳情况已向社会反馈",
        "comment_period_ended" => "规范性文件公开征求意见期限已届满",
        "legality_passed" => "合法性审核认为合法",
        "not_ended" => "文件尚未废止或者失效",
        "participation_not_yet_opened" => "尚未公开征求意见",
        "comment_period_over" => "公开征求意见的期限已届满",
        "legality_review_passed" => "合法性审查认为合法",
        "answer_evidence_listed" => "已登记证据目录（行政复议法第四十八条）",
        "reconsideration_decision_carried_out" => "须履行的复议决定已履行（第七十七条）",
        "opinion_answered" => "收到的行政复议意见书已答复（第七十六条）",
        "opinion_not_yet_received" => "尚未登记过行政复议意见书",
        "opinion_pending" => "有待答复的行政复议意见书",
        "defence_evidence_listed" => "已登记证据目录（行政诉讼法第六十七条）",
        "judgment_awaited" => "尚未收到裁判文书，或已决定上诉",
        "no_appeal_pending" => "未决定上诉（裁判已生效）",
        "case_lost" => "本案败诉",
        "fault_reviewed_if_lost" => "败诉案件已作过错审查",
        "legality_review_pending" => "尚未出具合法性审查意见",
        "discussion_open" => "行政首长尚未最后发表意见",
        "members_have_spoken" => "会议组成人员已发表意见",
        "participation_recorded" => "事项须公众参与的，已记录公众参与（第十四条、第十五条）",
        "expert_argument_recorded" => "事项须专家论证的，已记录专家论证（第十九条）",
        "risk_assessment_recorded" => "事项须风险评估的，已记录风险评估（第二十二条）",
        "legality_review_recorded" => "已经合法性审查且认为合法（第二十五条至第二十八条）",
        "collective_discussion_concluded" => "已集体讨论，行政首长最后发表意见（第三十条）",
        other => other,
    }
}

async fn show(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Path(name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let p = match q.get("version").and_then(|v| v.parse::<u32>().ok()) {
        Some(v) => st.procedures.get(&name, v),
        None => st.procedures.current(&name),
    }
    .ok_or(AppError::NotFound)?;
    let stage = |id: &str| p.stage(id).map_or(id.to_string(), |s| s.title.clone());
    let page = ShowPage {
        c: Chrome::staff(&ctx, "办理程序"),
        title: p.title.clone(),
        version: p.version,
        basis: p.basis.clone(),
        svg: diagram(p),
        actions: p
            .actions
            .iter()
            .map(|a| ActionLine {
                title: a.title.clone(),
                from: a
                    .from
                    .iter()
                    .map(|f| stage(f))
                    .collect::<Vec<_>>()
                    .join("、"),
                to: if a.to.is_empty() {
                    "（阶段不变）".to_string()
                } else {
                    stage(&a.to)
                },
                roles: a
                    .roles
                    .iter()
                    .map(|r| r.label_zh())
                    .collect::<Vec<_>>()
                    .join("、"),
                requires: a
                    .requires
                    .iter()
                    .map(|r| p.records.get(r).cloned().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("、"),
                guards: a
                    .guards
                    .iter()
                    .map(|g| guard_text(g))
                    .collect::<Vec<_>>()
                    .join("；"),
                basis: a.basis.clone(),
            })
            .collect(),
        limits: p
            .limits
            .iter()
            .map(|l| LimitLine {
                title: l.title.clone(),
                rule: format!(
                    "{} {}{}",
                    l.days,
                    l.count.unit_zh(),
                    l.max_extension_days.map_or(String::new(), |m| format!(
                        "，经批准可延长至多 {m} {}",
                        l.count.unit_zh()
                    ))
                ),
                basis: l.basis.clone(),
            })
            .collect(),
    };
    Ok(render(&page))
}

/// One action as a record page offers it: a form if allowed, else disabled with the reasons.
pub struct ActionView {
    /// The action's id (form field `action`).
    pub id: String,
    /// Its name.
    pub title: String,
    /// Whether it may be taken now.
    pub allowed: bool,
    /// Why not.
    pub reasons: Vec<String>,
    /// Its legal basis.
    pub basis: String,
    /// Label of the free-text field, empty for none.
    pub text_label: &'static str,
    /// Options of a `choice` select (value, label), empty for none.
    pub choices: Vec<(String, String)>,
    /// Label of the select.
    pub choice_label: &'static str,
    /// The file marks it `confirm = true`: the form shows a preview first.
    pub confirm: bool,
    /// The file marks it `opinion = true`: the form asks for the approver's opinion.
    pub opinion: bool,
    /// Boxes of a `pick` list (value, checked), empty for none.
    pub picks: Vec<(String, bool)>,
    /// Label of the boxes.
    pub pick_label: &'static str,
    /// Label of a `date` field, empty for none.
    pub date_label: &'static str,
    /// The date typed, when a refused form comes back.
    pub date: String,
    /// The text typed, when a refused form comes back.
    pub text: String,
    /// The option chosen, when a refused form comes back.
    pub choice: String,
    /// Why this form, posted, was refused (shown at its top).
    pub refusal: Option<String>,
    /// Errors of the text field (beside it).
    pub text_errors: Vec<String>,
    /// Errors of the posted form that belong to no field of it.
    pub errors: Vec<String>,
}

/// Fills the form of a refused action again (`crate::kept`): the text, the choice and the boxes
/// as posted, the field errors beside their fields and the refusal at the top of that form.
/// When the action is no longer offered, its errors and refusal are the page's (returned).
pub fn refill(
    actions: &mut [ActionView],
    kept: Option<crate::kept::Kept>,
) -> (Vec<fazhi_domain::FieldError>, Option<String>) {
    let Some(k) = kept else {
        return (Vec::new(), None);
    };
    let Some(a) = actions.iter_mut().find(|a| a.allowed && a.id == k.action) else {
        return (k.errors, k.refusal);
    };
    a.text = k.value("text").unwrap_or_default().to_string();
    a.choice = k.value("choice").unwrap_or_default().to_string();
    a.date = k.value("date").unwrap_or_default().to_string();
    let picked = k.values("pick");
    for p in &mut a.picks {
        p.1 = picked.contains(&p.0);
    }
    let (text, other): (Vec<_>, Vec<_>) = k.errors.into_iter().partition(|e| {
        e.field == "text"
            || (e.field == "choice" && !a.choices.is_empty())
            || (e.field == "date" && !a.date_label.is_empty())
    });
    a.text_errors = text.into_iter().map(|e| e.message).collect();
    a.errors = other.into_iter().map(|e| e.message).collect();
    a.refusal = k.refusal;
    (Vec::new(), None)
}

/// The actions of `stage` for these roles and facts, as a record page shows them.
/// The forms of a procedure whose actions ask at most for one text: each action with the label
/// of its text field, or "" for an action without one. The only place a page ties an action id
/// to its form; start-up checks that every action of the file has its entry.
pub type TextForms = &'static [(&'static str, &'static str)];

/// The action ids of a table of forms (or of anything keyed by action id).
pub fn ids_of<T>(table: &'static [(&'static str, T)]) -> Vec<&'static str> {
    table.iter().map(|(id, _)| *id).collect()
}

pub fn action_views(
    p: &Procedure,
    stage: &str,
    roles: &[fazhi_domain::org::Role],
    facts: &fazhi_domain::procedure::Facts,
    forms: TextForms,
) -> Vec<ActionView> {
    let guards = fazhi_store::capability::guards();
    p.actions_for(stage, roles, facts, guards)
        .into_iter()
        .map(|c| ActionView {
            id: c.action.id.clone(),
            title: c.action.title.clone(),
            allowed: c.allowed,
            reasons: c.reasons.iter().map(ToString::to_string).collect(),
            basis: c.action.basis.clone(),
            text_label: forms
                .iter()
                .find(|(id, _)| *id == c.action.id)
                .map_or("", |(_, label)| label),
            confirm: c.action.confirm,
            opinion: c.action.opinion,
            choices: Vec::new(),
            choice_label: "",
            picks: Vec::new(),
            pick_label: "",
            date_label: "",
            date: String::new(),
            text: String::new(),
            choice: String::new(),
            refusal: None,
            text_errors: Vec::new(),
            errors: Vec::new(),
        })
        .collect()
}

/// What a record page shows after a refused action: the status and the field errors or the
/// refusal's reason. Every action handler answers the same way; other errors pass through.
pub type Outcome = (
    axum::http::StatusCode,
    Vec<fazhi_domain::FieldError>,
    Option<String>,
);

/// Sorts the result of an action into success, what the record page shows, or a real error.
pub fn outcome<T>(r: Result<T, AppError>) -> Result<Result<T, Outcome>, AppError> {
    use axum::http::StatusCode;
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(AppError::Invalid(e)) => Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, e, None))),
        Err(AppError::Refused(r)) => {
            Ok(Err((StatusCode::CONFLICT, Vec::new(), Some(r.to_string()))))
        }
        Err(AppError::Conflict { current }) => Ok(Err((
            StatusCode::CONFLICT,
            Vec::new(),
            Some(format!(
                "该记录已被他人处理（当前版本 {current}），您的操作未执行。请查看最新状态后再操作。"
            )),
        ))),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    /// The procedure page shows every guard in Chinese, never its code name.
    #[test]
    fn every_registered_guard_has_its_chinese_text() {
        let missing: Vec<&str> = fazhi_store::capability::guards()
            .keys()
            .copied()
            .filter(|g| super::guard_text(g) == *g)
            .collect();
        assert!(
            missing.is_empty(),
            "guards without Chinese text: {missing:?}"
        );
    }
}
