//! The badge of 我的工作 in the navigation: the records waiting for the person and their
//! unread notices. The unread count comes with the session (one statement); the waiting count
//! is the queue's length, kept a minute per person so that pages do not run the queue each time
//! (the work page itself always counts afresh).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fazhi_domain::org::Actor;

use crate::AppState;
use crate::error::AppError;
use crate::layout::NavItem;

/// How long a waiting count is kept.
const KEEP: Duration = Duration::from_secs(60);

/// The counts of the badge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Unread notices.
    pub unread: i64,
    /// Records waiting.
    pub waiting: usize,
}

/// The waiting counts kept, by person.
#[derive(Debug, Clone, Default)]
pub struct WaitingCounts(Arc<Mutex<HashMap<i64, (Instant, usize)>>>);

impl WaitingCounts {
    /// The person's count if it is fresh; otherwise `None` for one caller, who is to count
    /// afresh, while every other caller meanwhile gets the last count (or 0): many pages opened
    /// at once by one person start one count, not one each.
    fn get_or_claim(&self, user_id: i64) -> Option<usize> {
        let mut m = self.0.lock().ok()?;
        match m.get(&user_id) {
            Some((at, n)) if at.elapsed() < KEEP => Some(*n),
            last => {
                let n = last.map_or(0, |(_, n)| *n);
                m.insert(user_id, (Instant::now(), n));
                None
            }
        }
    }

    /// Keeps a person's count as counted now.
    pub fn set(&self, user_id: i64, n: usize) {
        if let Ok(mut m) = self.0.lock() {
            if m.len() > 10_000 {
                m.retain(|_, (at, _)| at.elapsed() < KEEP);
            }
            m.insert(user_id, (Instant::now(), n));
        }
    }
}

/// How many records wait for the person (kept a minute).
pub async fn waiting(st: &AppState, actor: &Actor) -> Result<usize, AppError> {
    if let Some(n) = st.waiting.get_or_claim(actor.user_id) {
        return Ok(n);
    }
    let a = actor.clone();
    let n = st
        .with_clock(move |store, clock, reg| {
            store.read(|tx| fazhi_store::work::queue(tx, &a, reg, clock))
        })
        .await?
        .iter()
        .map(|(_, tasks)| tasks.len())
        .sum();
    st.waiting.set(actor.user_id, n);
    Ok(n)
}

/// The navigation with the badge on 我的工作.
pub fn with_counts(mut nav: Vec<NavItem>, counts: Option<Counts>) -> Vec<NavItem> {
    if let Some(c) = counts {
        for n in nav.iter_mut().filter(|n| n.href == "/app/work") {
            n.waiting = c.waiting;
            n.unread = c.unread;
        }
    }
    nav
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_caller_counts_afresh_while_the_others_get_the_last_count() {
        let w = WaitingCounts::default();
        assert_eq!(w.get_or_claim(7), None, "the first caller counts");
        assert_eq!(w.get_or_claim(7), Some(0), "meanwhile the others get 0");
        w.set(7, 3);
        assert_eq!(w.get_or_claim(7), Some(3));
        assert_eq!(w.get_or_claim(8), None, "per person");
    }
}
