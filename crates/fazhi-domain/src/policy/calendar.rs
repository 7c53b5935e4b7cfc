//! Who may load or correct the State Council's holiday notices (工作日历).

use crate::Refusal;
use crate::org::{Actor, Role};

/// What a person does with the calendar beyond reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarAction {
    /// Load or correct a year's notice.
    LoadNotice,
}

/// Whether `actor` may do `action`: a notice moves every time limit in the city, so only an
/// administrator of the city bureau (a root, `/N/`) loads it.
pub fn may(actor: &Actor, action: CalendarAction) -> Result<(), Refusal> {
    let root_admin = actor
        .scopes_with(Role::Admin)
        .iter()
        .any(|p| p.matches('/').count() == 2);
    match action {
        CalendarAction::LoadNotice if root_admin => Ok(()),
        CalendarAction::LoadNotice => Err(Refusal::new(
            "calendar.not_root_admin",
            "放假安排影响全市所有期限，只有市局系统管理员可以载入或更正。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::actor;

    #[test]
    fn only_an_administrator_of_the_city_loads_a_notice() {
        assert!(may(&actor(&[Role::Admin], "/1/"), CalendarAction::LoadNotice).is_ok());
        assert!(may(&actor(&[Role::Admin], "/1/20/"), CalendarAction::LoadNotice).is_err());
        let e = may(
            &actor(&[Role::LegalDivision], "/1/"),
            CalendarAction::LoadNotice,
        )
        .unwrap_err();
        assert_eq!(e.code, "calendar.not_root_admin");
    }
}
