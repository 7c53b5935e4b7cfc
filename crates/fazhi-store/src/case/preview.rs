//! What an action that issues a document or cannot be undone would do, before it is confirmed:
//! the action is run by its own code (`act`) inside a transaction that is rolled back
//! (`Store::rehearse`), and the documents it would issue or sign and the entries it would add to
//! the case's timeline are returned.

use super::*;

/// What an action would issue and record.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The documents it would issue, or sign (an approval form), as they would read.
    pub documents: Vec<Document>,
    /// The entries it would add to the case's timeline.
    pub entries: Vec<fazhi_domain::audit::AuditEntry>,
}

/// Runs the action and returns what it issued and recorded. Call it inside `Store::rehearse`
/// only: it is `act`, so outside a rolled-back transaction it would take the action.
pub fn preview(
    tx: &mut dyn Tx,
    (actor, who): (&Actor, &Who),
    (id, expected_version): (CaseId, i64),
    (action_id, input): (&str, &CaseInput),
    env: Env<'_>,
) -> Result<Preview, StoreError> {
    let before = documents(tx, id)?;
    let (_, entries) = crate::procedure::with_entries(tx, (SUBJECT, id.0), |tx| {
        act(
            tx,
            (actor, who),
            (id, expected_version),
            (action_id, input),
            env,
        )
    })?;
    let documents = documents(tx, id)?
        .into_iter()
        .filter(|d| !before.iter().any(|b| b.id == d.id && b.sha256 == d.sha256))
        .collect();
    Ok(Preview { documents, entries })
}
