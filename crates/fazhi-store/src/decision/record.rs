//! The decision record: its columns and row mapping, one decision, the list.

use super::*;

/// One major decision, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct MajorDecision {
    /// Id.
    pub id: DecisionId,
    /// Its number (e.g. JC2026-001).
    pub decision_no: String,
    /// The catalogue item it comes from.
    pub item_id: i64,
    /// The deciding bureau.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path (policy).
    #[serde(skip)]
    pub org_path: String,
    /// The decision's name.
    pub title: String,
    /// The draft (决策草案) in brief.
    pub draft: String,
    /// The statutory steps its catalogue item requires.
    pub steps: Vec<Step>,
    /// Procedure version it runs under.
    pub procedure_version: u32,
    /// Current stage.
    pub stage: String,
    /// The first person who acted on it.
    pub handler_id: Option<i64>,
    /// The public comment period opened on.
    pub participation_opened_on: Option<Date>,
    /// Its last day.
    pub participation_ends_on: Option<Date>,
    /// Where and how the draft was published for comment.
    pub participation_text: Option<String>,
    /// The comments received and how they were taken up.
    pub participation_result: Option<String>,
    /// The experts' argument.
    pub expert_opinion: Option<String>,
    /// The risk assessment's conclusion.
    pub risk_assessment: Option<String>,
    /// The legality review's opinion.
    pub legality_opinion: Option<String>,
    /// Whether the review found the draft lawful.
    pub legality_lawful: Option<bool>,
    /// Who gave the review.
    pub legality_reviewer: Option<String>,
    /// The views of the collective discussion, in the order given.
    pub views: Vec<View>,
    /// The head has given the concluding view.
    pub concluded: bool,
    /// The decision's text.
    pub decision_text: Option<String>,
    /// Day decided.
    pub decided_on: Option<Date>,
    /// The implementing unit and how the decision was published.
    pub implementing_unit: Option<String>,
    /// Reports on implementation: (day, text).
    pub progress: Vec<(String, String)>,
    /// The post-decision evaluation.
    pub evaluation: Option<String>,
    /// Day archived.
    pub archived_on: Option<Date>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

fn steps(s: &str) -> Option<Vec<Step>> {
    fazhi_domain::decision::steps_from_str(s)
}

crate::db::columns! {
    table "major_decisions"; const COLUMNS, COLUMN_COUNT; fn row -> MajorDecision {
        id: "d.id" => id,
        decision_no: "d.decision_no" => text,
        item_id: "d.item_id" => i64,
        org_id: "d.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        title: "d.title" => text,
        draft: "d.draft" => text,
        steps: "d.steps" => parse(steps),
        procedure_version: "d.procedure_version" => u32,
        stage: "d.stage" => text,
        handler_id: "d.handler_id" => opt_i64,
        participation_opened_on: "d.participation_opened_on" => opt_date,
        participation_ends_on: "d.participation_ends_on" => opt_date,
        participation_text: "d.participation_text" => opt_text,
        participation_result: "d.participation_result" => opt_text,
        expert_opinion: "d.expert_opinion" => opt_text,
        risk_assessment: "d.risk_assessment" => opt_text,
        legality_opinion: "d.legality_opinion" => opt_text,
        legality_lawful: "d.legality_lawful" => opt_bool,
        legality_reviewer: "d.legality_reviewer" => opt_text,
        views: "d.views" => json_required,
        concluded: "d.concluded" => bool,
        decision_text: "d.decision_text" => opt_text,
        decided_on: "d.decided_on" => opt_date,
        implementing_unit: "d.implementing_unit" => opt_text,
        progress: "d.progress" => json_required,
        evaluation: "d.evaluation" => opt_text,
        archived_on: "d.archived_on" => opt_date,
        version: "d.version" => i64,
    }
}

const FROM: &str = "major_decisions d JOIN orgs o ON o.id = d.org_id";

/// Loads one decision.
pub fn get(tx: &mut dyn Tx, id: DecisionId) -> Result<MajorDecision, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE d.id = ?"),
        vals![id.0],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该决策"))
}

/// The decisions of the given subtrees, newest first.
pub fn list(
    tx: &mut dyn Tx,
    scopes: &[String],
    limit: i64,
) -> Result<Vec<MajorDecision>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    tx.query(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter} ORDER BY d.id DESC LIMIT ?"),
        &params,
    )?
    .iter()
    .map(row)
    .collect()
}

/// The decisions assigned to the advisor who is this user, newest first.
pub fn assigned_to(tx: &mut dyn Tx, user_id: i64) -> Result<Vec<MajorDecision>, StoreError> {
    tx.query(
        &format!(
            "SELECT {COLUMNS} FROM {FROM}
             JOIN advisor_assignments s ON s.subject_type = ? AND s.subject_id = d.id
             JOIN legal_advisors a ON a.id = s.advisor_id
             WHERE a.user_id = ? ORDER BY d.id DESC"
        ),
        vals![SUBJECT, user_id],
    )?
    .iter()
    .map(row)
    .collect()
}

/// The decision a person may read: staff within their scope, an advisor only when assigned;
/// anything else is "not found".
pub fn get_for(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: DecisionId,
) -> Result<MajorDecision, StoreError> {
    let d = get(tx, id)?;
    let a = acting_on(tx, actor, &d)?;
    fazhi_domain::org::may(&a, fazhi_domain::org::OrgAction::View, &d.org_path)
        .map_err(|_| StoreError::NotFound("该决策"))?;
    Ok(d)
}

/// The stored form of the views.
pub(crate) fn views_json(views: &[View]) -> String {
    json!(views).to_string()
}

/// A view's position, as the form gives it.
pub(crate) fn position_of(choice: Option<&str>) -> Result<Position, StoreError> {
    choice.and_then(Position::parse).ok_or_else(|| {
        StoreError::Invalid(vec![fazhi_domain::FieldError::new(
            "choice",
            "表决意见",
            "请选择同意、不同意或弃权",
        )])
    })
}
