//! Supervision: the major-penalty filing queue, the statistics, the officers who may be
//! assigned.

use super::*;

/// A major penalty filing (重大行政处罚备案).
#[derive(Debug, Clone, Serialize)]
pub struct Filing {
    /// Id.
    pub id: i64,
    /// Case.
    pub case_id: CaseId,
    /// Case number.
    pub case_no: String,
    /// Unit.
    pub org_name: String,
    /// Party.
    pub party_name: String,
    /// Penalty.
    pub penalty: String,
    /// Why it is major.
    pub reason: String,
    /// Decided.
    pub decided_on: String,
    /// Due.
    pub due_on: String,
    /// Filed.
    pub filed_on: Option<String>,
}

pub(super) const FILING_SQL: &str =
    "SELECT f.id, f.case_id, c.case_no, o.name, c.party_name, c.decided, f.reason,
        f.decided_on, f.due_on, f.filed_on
     FROM major_filings f JOIN penalty_cases c ON c.id = f.case_id JOIN orgs o ON o.id = f.org_id";

pub(super) fn filing_row(r: &Row) -> Result<Filing, StoreError> {
    let case_id = r.i64(1)?;
    let p: Penalty = r
        .opt_text(5)?
        .map(|s| serde_json::from_str(&s))
        .transpose()
        .map_err(|e| {
            StoreError::Db(format!(
                "penalty_cases.decided（id {case_id}）：存储的值无法读取：JSON 有误：{e}"
            ))
        })?
        .unwrap_or_default();
    Ok(Filing {
        id: r.i64(0)?,
        case_id: CaseId(case_id),
        case_no: r.text(2)?,
        org_name: r.text(3)?,
        party_name: r.text(4)?,
        penalty: p.describe(),
        reason: r.text(6)?,
        decided_on: r.text(7)?,
        due_on: r.text(8)?,
        filed_on: r.opt_text(9)?,
    })
}

/// The filings of these subtrees, open first.
pub fn filings(tx: &mut dyn Tx, scopes: &[String]) -> Result<Vec<Filing>, StoreError> {
    let (filter, params) = crate::org::scope_filter("o.path", scopes);
    tx.query(
        &format!("{FILING_SQL} WHERE {filter} ORDER BY (f.filed_on IS NULL) DESC, f.due_on, f.id"),
        &params,
    )?
    .iter()
    .map(filing_row)
    .collect()
}

/// Records that a major penalty was filed with the supervising body.
pub fn mark_filed(
    tx: &mut dyn Tx,
    actor: &Actor,
    filing_id: i64,
    env: Env<'_>,
) -> Result<(), StoreError> {
    let r = tx
        .query_opt(
            "SELECT f.case_id, o.path, f.filed_on, f.org_id FROM major_filings f JOIN orgs o ON o.id = f.org_id WHERE f.id = ?",
            vals![filing_id],
        )?
        .ok_or(StoreError::NotFound("该备案"))?;
    let (case_id, path) = (r.i64(0)?, r.text(1)?);
    may(actor, OrgAction::View, &path).map_err(|_| StoreError::NotFound("该备案"))?;
    require_roles(
        actor,
        &path,
        &[
            Role::LegalDivision,
            Role::DivisionHead,
            Role::Leader,
            Role::Clerk,
        ],
        "登记备案",
    )?;
    if r.opt_text(2)?.is_some() {
        return Err(StoreError::Refused(Refusal::new(
            "case.already_filed",
            "该决定已经备案。",
        )));
    }
    tx.exec(
        "UPDATE major_filings SET filed_on = ?, filed_by = ? WHERE id = ?",
        vals![fmt_date(env.clock.today), actor.user_id, filing_id],
    )?;
    let who = Who::from(actor);
    limits::meet(
        tx,
        &who,
        (SUBJECT, case_id),
        "major_filing",
        env.clock.today,
        env.clock.cal,
    )?;
    audit::append(
        tx,
        &who,
        Some(r.i64(3)?),
        "case.file_major_penalty",
        SUBJECT,
        &case_id.to_string(),
        json!({ "action": "重大行政处罚决定备案", "filed_on": fmt_date(env.clock.today) }),
    )?;
    Ok(())
}

/// One line of the statistics.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stat {
    /// What is counted (org, item, procedure, outcome).
    pub key: String,
    /// Cases opened in the period.
    pub opened: i64,
    /// Decisions in the period.
    pub decided: i64,
    /// Fines decided, fen.
    pub fines: i64,
    /// Paid (with surcharges), fen.
    pub paid: i64,
    /// The case-list filter of the cases behind this line (`org`, `item_name`, `summary` or
    /// `outcome` with its value), to link each figure to them.
    pub filter: (&'static str, String),
}

/// Statistics for decisions and openings in `[from, to]` of these subtrees: by org, item,
/// procedure and outcome. One scan of the covering index `penalty_cases_stats` groups by its
/// leading columns (no sort, no join); names and outcome labels are added here, and the four
/// tables are summed from the few thousand groups.
pub fn statistics(
    tx: &mut dyn Tx,
    scopes: &[String],
    from: Date,
    to: Date,
) -> Result<BTreeMap<&'static str, Vec<Stat>>, StoreError> {
    let (filter, params) = crate::org::scope_filter("path", scopes);
    let units: BTreeMap<i64, String> = tx
        .query(
            &format!("SELECT id, name FROM orgs WHERE {filter}"),
            &params,
        )?
        .iter()
        .map(|r| Ok((r.i64(0)?, r.text(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let (f, t) = (fmt_date(from), fmt_date(to));
    let mut ps: Vec<crate::Value> = Vec::new();
    for _ in 0..4 {
        ps.push(f.clone().into());
        ps.push(t.clone().into());
    }
    ps.extend(params.iter().cloned());
    for _ in 0..2 {
        ps.push(f.clone().into());
        ps.push(t.clone().into());
    }
    let decided = "c.decided_on >= ? AND c.decided_on <= ?";
    // Planned for its period and scope each time: the generic plan PostgreSQL would settle on
    // after five runs took twice as long (BENCHMARKS.md, issue 5).
    let rows = tx.query_replanned(
        &format!(
            "SELECT c.org_id, c.item_name, c.summary_procedure, c.outcome, c.stage, c.revoked_on,
                CAST(SUM(CASE WHEN {decided} THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN {decided} AND c.revoked_on IS NULL THEN c.fine ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN {decided} THEN c.paid ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN c.opened_on >= ? AND c.opened_on <= ? THEN 1 ELSE 0 END) AS BIGINT)
             FROM penalty_cases c
             WHERE c.org_id IN (SELECT id FROM orgs WHERE {filter})
               AND ((c.opened_on >= ? AND c.opened_on <= ?) OR ({decided}))
             GROUP BY c.org_id, c.item_name, c.summary_procedure, c.outcome, c.stage, c.revoked_on"
        ),
        &ps,
    )?;
    let mut maps: [BTreeMap<String, Stat>; 4] = Default::default();
    for r in rows {
        let procedure = if r.bool(2)? {
            "简易程序"
        } else {
            "普通程序"
        };
        let revoked = r.opt_text(5)?.is_some();
        let outcome = match (revoked, r.opt_text(3)?.as_deref(), r.text(4)?.as_str()) {
            (true, _, _) => "决定已撤销",
            (false, Some("no_penalty"), _) => "不予处罚",
            (false, Some("penalty"), _) => "给予处罚",
            (false, _, "not_opened") => "不予立案",
            _ => "办理中",
        };
        let org_id = r.i64(0)?;
        let unit = units.get(&org_id).cloned().unwrap_or_default();
        let outcome_code = match outcome {
            "决定已撤销" => "revoked",
            "不予处罚" => "no_penalty",
            "给予处罚" => "penalty",
            "不予立案" => "not_opened",
            _ => "pending",
        };
        let item = r.text(1)?;
        let filters = [
            ("org", org_id.to_string()),
            ("item_name", item.clone()),
            ("summary", if r.bool(2)? { "1" } else { "0" }.to_string()),
            ("outcome", outcome_code.to_string()),
        ];
        let keys = [unit, item, procedure.to_string(), outcome.to_string()];
        let (decided, fines, paid, opened) = (r.i64(6)?, r.i64(7)?, r.i64(8)?, r.i64(9)?);
        for ((map, key), filter) in maps.iter_mut().zip(keys).zip(filters) {
            let e = map.entry(key.clone()).or_insert_with(|| Stat {
                key,
                filter,
                ..Stat::default()
            });
            e.decided += decided;
            e.fines += fines;
            e.paid += paid;
            e.opened += opened;
        }
    }
    let [org, item, procedure, outcome] = maps;
    Ok(BTreeMap::from([
        ("org", org.into_values().collect()),
        ("item", item.into_values().collect()),
        ("procedure", procedure.into_values().collect()),
        ("outcome", outcome.into_values().collect()),
    ]))
}

/// An officer who might be assigned to a case, with whether a certificate covers it today.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// User.
    pub user_id: i64,
    /// Name.
    pub name: String,
    /// The certificate that covers the case, or why none does.
    pub certificate: Result<String, String>,
}

/// The officers of the case's bureau, each with the certificate check for this case.
pub fn candidates(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    today: Date,
) -> Result<Vec<Candidate>, StoreError> {
    let (_, _, path) = bureau_row(tx, &c.org_path)?;
    // The officers of the bureau and all their certificates, read together.
    let officers = "SELECT ur.user_id FROM user_roles ur JOIN orgs o ON o.id = ur.org_id
                    WHERE ur.role = 'officer' AND o.path LIKE ?";
    let like = format!("{path}%");
    let rows = tx.query_all(&[
        Query::new(
            format!(
                "SELECT u.id, u.display_name FROM users u
                 WHERE u.active = 1 AND u.id IN ({officers}) ORDER BY u.id"
            ),
            vals![like.clone()],
        ),
        crate::certificate::of_holders_in(officers, vals![like]),
    ])?;
    let [people, certificate_rows] = rows.as_slice() else {
        return Err(StoreError::Db("candidates: two results expected".into()));
    };
    let certificates = crate::certificate::certificates(certificate_rows)?;
    let mut out = Vec::new();
    for r in people {
        let (id, name) = (r.i64(0)?, r.text(1)?);
        let certs: Vec<_> = certificates
            .iter()
            .filter(|x| x.holder_id == id)
            .cloned()
            .collect();
        let check = enforcement::certificate::check_assignable(&name, &certs, &c.org_path, today)
            .map(|x| x.number.clone())
            .map_err(|r| r.message);
        out.push(Candidate {
            user_id: id,
            name,
            certificate: check,
        });
    }
    Ok(out)
}

/// Who the organ may designate to host the case's hearing (行政处罚法 第六十四条第四项): the
/// active users of the case's bureau who neither handle the case nor registered its evidence.
pub fn hearing_hosts(tx: &mut dyn Tx, c: &PenaltyCase) -> Result<Vec<(i64, String)>, StoreError> {
    let (_, _, path) = bureau_row(tx, &c.org_path)?;
    tx.query(
        "SELECT u.id, u.display_name FROM users u JOIN orgs o ON o.id = u.org_id
          WHERE o.path LIKE ? AND u.active = 1
            AND u.id NOT IN (SELECT user_id FROM case_officers WHERE case_id = ?)
            AND u.id NOT IN (SELECT added_by FROM case_evidence
                              WHERE case_id = ? AND added_by IS NOT NULL)
          ORDER BY u.id",
        vals![format!("{path}%"), c.id, c.id],
    )?
    .iter()
    .map(|r| Ok((r.i64(0)?, r.text(1)?)))
    .collect()
}
