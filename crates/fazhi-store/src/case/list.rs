//! The case list: the cases of the units in scope by stage, item, text, unit, outcome and
//! period, the person's own cases (承办), sorted by number, opening, stage or the nearest limit,
//! a page of 50 at a time by number (or by cursor for the API), each line with its 承办人.

use super::*;

/// A line of the case list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// Id.
    pub id: CaseId,
    /// Case number.
    pub case_no: String,
    /// Unit.
    pub org_name: String,
    /// Item.
    pub item_name: String,
    /// Party.
    pub party_name: String,
    /// Stage.
    pub stage: String,
    /// Summary procedure.
    pub summary_procedure: bool,
    /// Day opened or created.
    pub opened_on: Option<String>,
    /// Fine decided, fen.
    pub fine: i64,
    /// 承办人: the officers assigned, or the officer who asked for the case before they are.
    pub handlers: Vec<String>,
    /// The nearest due date of the case's open limits.
    pub due: Option<String>,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// The newest cases first (by the order they were asked for).
    #[default]
    Newest,
    /// By case number: by bureau, word and year, then by number.
    CaseNo,
    /// The latest opening first; cases not yet opened last.
    Opened,
    /// By stage, in the procedure's order (the web passes the order).
    Stage,
    /// The nearest open time limit first; cases without one last.
    Due,
}

impl Sort {
    /// From the query string (`newest`, `case_no`, `opened`, `stage`, `due`).
    pub fn parse(s: &str) -> Self {
        match s {
            "case_no" => Self::CaseNo,
            "opened" => Self::Opened,
            "stage" => Self::Stage,
            "due" => Self::Due,
            _ => Self::Newest,
        }
    }

    /// The query-string name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::CaseNo => "case_no",
            Self::Opened => "opened",
            Self::Stage => "stage",
            Self::Due => "due",
        }
    }
}

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Stage.
    pub stage: Option<String>,
    /// Item code.
    pub item_code: Option<String>,
    /// Case number or party name contains.
    pub q: Option<String>,
    /// The cases the search index found for `q` (the web passes them when it has an index);
    /// then `q` is not read again. None: `q` is matched here, as typed.
    pub ids: Option<Vec<i64>>,
    /// Only cases with id below this (cursor paging, newest first).
    pub before_id: Option<i64>,
    /// Only the cases this person handles (assigned, or asked for before assignment).
    pub mine: Option<i64>,
    /// The order.
    pub sort: Sort,
    /// The stages in the procedure's order, for `Sort::Stage`.
    pub stage_order: Vec<String>,
    /// Page number from 1 (page paging; ignored with a cursor).
    pub page: u32,
    /// Only this unit (the statistics' figure by unit).
    pub org_id: Option<i64>,
    /// Only this item, by name (the statistics' figure by item).
    pub item_name: Option<String>,
    /// Only the summary (true) or the general (false) procedure.
    pub summary: Option<bool>,
    /// Only this outcome: `penalty`, `no_penalty`, `revoked`, `not_opened` or `pending`, as the
    /// statistics count them.
    pub outcome: Option<String>,
    /// Only cases opened in this period (`YYYY-MM-DD`, both days included).
    pub opened: Option<(String, String)>,
    /// Only cases decided in this period.
    pub decided: Option<(String, String)>,
}

/// The cases of these subtrees matching the filter, a page of `limit` in the filter's order.
pub fn list(
    tx: &mut dyn Tx,
    scopes: &[String],
    f: &Filter,
    limit: i64,
) -> Result<Vec<Listed>, StoreError> {
    // Cases are found through the orgs in scope (few) and the (org_id, id) index
    // (BENCHMARKS.md, issue 5).
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    let units = tx.engine().in_few(
        "c.org_id",
        &format!("SELECT o.id FROM orgs o WHERE {filter}"),
    );
    let due = "(SELECT MIN(t.due_date) FROM time_limits t WHERE t.subject_type = 'penalty_case'
                  AND t.subject_id = c.id AND t.state <> 'met')";
    // 承办人: the officers assigned, else the officer who asked (one statement: the list is
    // read in one round trip).
    let officers = tx.engine().joined(
        "u.display_name",
        "、",
        "co.user_id",
        "FROM case_officers co JOIN users u ON u.id = co.user_id WHERE co.case_id = c.id",
    );
    let mut sql = format!(
        "SELECT c.id, c.case_no, (SELECT o.name FROM orgs o WHERE o.id = c.org_id), c.item_name,
                c.party_name, c.stage, c.summary_procedure, c.opened_on, c.fine, {due},
                COALESCE({officers}, (SELECT u.display_name FROM users u WHERE u.id = c.handler_id))
         FROM penalty_cases c WHERE {units}"
    );
    if let Some(s) = &f.stage {
        sql.push_str(" AND c.stage = ?");
        params.push(s.clone().into());
    }
    if let Some(i) = &f.item_code {
        sql.push_str(" AND c.item_code = ?");
        params.push(i.clone().into());
    }
    if let Some(u) = f.mine {
        sql.push_str(
            " AND (c.handler_id = ? OR EXISTS (SELECT 1 FROM case_officers co
                                               WHERE co.case_id = c.id AND co.user_id = ?))",
        );
        params.push(u.into());
        params.push(u.into());
    }
    if let Some(o) = f.org_id {
        sql.push_str(" AND c.org_id = ?");
        params.push(o.into());
    }
    if let Some(i) = &f.item_name {
        sql.push_str(" AND c.item_name = ?");
        params.push(i.clone().into());
    }
    if let Some(s) = f.summary {
        sql.push_str(" AND c.summary_procedure = ?");
        params.push(i64::from(s).into());
    }
    if let Some(o) = &f.outcome {
        // As `statistics` reads them: a revoked decision first, then the outcome recorded.
        sql.push_str(match o.as_str() {
            "revoked" => " AND c.revoked_on IS NOT NULL",
            "no_penalty" => " AND c.revoked_on IS NULL AND c.outcome = 'no_penalty'",
            "penalty" => " AND c.revoked_on IS NULL AND c.outcome = 'penalty'",
            "not_opened" => {
                " AND c.revoked_on IS NULL AND c.outcome IS NULL AND c.stage = 'not_opened'"
            }
            _ => " AND c.revoked_on IS NULL AND c.outcome IS NULL AND c.stage <> 'not_opened'",
        });
    }
    for (column, period) in [("c.opened_on", &f.opened), ("c.decided_on", &f.decided)] {
        if let Some((from, to)) = period {
            sql.push_str(&format!(" AND {column} >= ? AND {column} <= ?"));
            params.push(from.clone().into());
            params.push(to.clone().into());
        }
    }
    if let Some(ids) = &f.ids {
        if ids.is_empty() {
            sql.push_str(" AND 1 = 0");
        } else {
            let (list, values) = crate::search::in_list(ids);
            sql.push_str(&format!(" AND c.id IN {list}"));
            params.extend(values);
        }
    } else if let Some(q) = f.q.as_ref().filter(|q| !q.trim().is_empty()) {
        if q.contains('〔') && q.trim_end().ends_with('号') {
            // A whole case number: the unique index answers at once.
            sql.push_str(" AND c.case_no = ?");
            params.push(q.trim().to_string().into());
        } else {
            // The text as typed (BENCHMARKS.md, issue 5).
            let contains = tx.engine().position_fn();
            sql.push_str(&format!(
                " AND ({contains}(c.case_no, ?) > 0 OR {contains}(c.party_name, ?) > 0)"
            ));
            let text = q.trim().to_string();
            params.push(text.clone().into());
            params.push(text.into());
        }
    }
    if let Some(b) = f.before_id {
        sql.push_str(" AND c.id < ?");
        params.push(b.into());
    }
    let order = match f.sort {
        Sort::Newest => "c.id DESC".to_string(),
        // Numbers of one bureau, word and year have the same prefix: the shorter number is
        // the smaller one.
        Sort::CaseNo => "LENGTH(c.case_no), c.case_no".to_string(),
        Sort::Opened => {
            "CASE WHEN c.opened_on IS NULL THEN 1 ELSE 0 END, c.opened_on DESC, c.id DESC"
                .to_string()
        }
        Sort::Stage => {
            let mut case = String::from("CASE c.stage");
            for (n, s) in f.stage_order.iter().enumerate() {
                case.push_str(" WHEN ? THEN ");
                case.push_str(&n.to_string());
                params.push(s.clone().into());
            }
            case.push_str(" ELSE 999 END, c.id DESC");
            case
        }
        Sort::Due => format!("CASE WHEN {due} IS NULL THEN 1 ELSE 0 END, {due}, c.id DESC"),
    };
    sql.push_str(&format!(" ORDER BY {order} LIMIT ?"));
    params.push(limit.into());
    if f.before_id.is_none() && f.page > 1 {
        sql.push_str(" OFFSET ?");
        params.push((i64::from(f.page - 1) * limit).into());
    }
    tx.query(&sql, &params)?
        .iter()
        .map(|r| {
            Ok(Listed {
                id: CaseId(r.i64(0)?),
                case_no: r.text(1)?,
                org_name: r.text(2)?,
                item_name: r.text(3)?,
                party_name: r.text(4)?,
                stage: r.text(5)?,
                summary_procedure: r.bool(6)?,
                opened_on: r.opt_text(7)?,
                fine: r.i64(8)?,
                due: r.opt_text(9)?,
                handlers: r
                    .opt_text(10)?
                    .map(|h| h.split('、').map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}
