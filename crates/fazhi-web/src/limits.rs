//! Time limits as a record page, a list and 我的工作 show them: the due date, the state badge and
//! the countdown in working days.

use fazhi_domain::calendar::{Calendar, fmt_date, working_days_between};
use fazhi_domain::enforcement::rules::for_users;
use fazhi_domain::time_limit::LimitState;
use fazhi_store::time_limit::LimitRecord;
use time::Date;

/// A limit as shown on a record page.
pub struct LimitView {
    /// Name.
    pub title: String,
    /// Due date.
    pub due: String,
    /// Depends on a year without a notice.
    pub provisional: bool,
    /// State, Chinese.
    pub state: &'static str,
    /// CSS class of the state badge.
    pub state_class: &'static str,
    /// Working days left, or overdue by.
    pub countdown: String,
    /// How the due date was worked out.
    pub explanation: Vec<String>,
}

/// Limits for display, with state on `today` and a countdown.
pub fn limit_views(cal: &Calendar, today: Date, warn: u32, lims: &[LimitRecord]) -> Vec<LimitView> {
    lims.iter()
        .map(|l| {
            let state = l.spec.state(cal, today, l.met_on, warn);
            let due = l.spec.compute(cal);
            let countdown = match (state, due.due) {
                (LimitState::Met, _) => l
                    .met_on
                    .map(|d| format!("{} 办结", fmt_date(d)))
                    .unwrap_or_default(),
                (LimitState::Suspended, _) => "计时中止".into(),
                (_, Some(d)) => {
                    let left = working_days_between(cal, today, d);
                    if left > 0 {
                        format!("剩余 {left} 个工作日")
                    } else if left == 0 {
                        "今日到期".into()
                    } else {
                        format!("已逾期 {} 个工作日", -left)
                    }
                }
                _ => String::new(),
            };
            LimitView {
                title: l.title.clone(),
                due: due.due.map(fmt_date).unwrap_or_else(|| "—".into()),
                provisional: due.provisional,
                state: state.label_zh(),
                state_class: match state {
                    LimitState::Overdue => "err",
                    LimitState::DueSoon | LimitState::Suspended => "warn",
                    LimitState::Met => "ok",
                    LimitState::Running => "",
                },
                countdown,
                // The basis as users read it: the rules file's notes to its maintainers stay on
                // the configuration page.
                explanation: due.explanation.iter().map(|l| for_users(l)).collect(),
            }
        })
        .collect()
}
