//! Applying to the people's court for enforcement of a penalty decision (申请人民法院强制执行):
//! when the party's remedies have run out, the written reminder served at least ten working
//! days earlier, and the three months within which the organ must apply.
//!
//! - 行政强制法 第五十三条: 当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定的，
//!   没有行政强制执行权的行政机关可以自期限届满之日起三个月内，依照本章规定申请人民法院强制执行。
//! - 行政强制法 第五十四条: 行政机关申请人民法院强制执行前，应当催告当事人履行义务。催告书送达十日后
//!   当事人仍未履行义务的，行政机关可以向所在地有管辖权的人民法院申请强制执行; 第六十九条: 本法中
//!   十日以内期限的规定是指工作日，不含法定节假日.
//! - 行政复议法 第二十条: 自知道或者应当知道该行政行为之日起六十日内提出行政复议申请.
//! - 行政诉讼法 第四十六条: 自知道或者应当知道作出行政行为之日起六个月内提出.
//! - 最高人民法院关于适用《中华人民共和国行政诉讼法》的解释 第一百五十六条: 应当自被执行人的法定
//!   起诉期限届满之日起三个月内提出。逾期申请的，除有正当理由外，人民法院不予受理.
//! - 民法典 第二百零一条至第二百零三条: the start day is not counted; a period in months ends on
//!   the corresponding day of the last month, or its last day if it has none; a last day that
//!   is a rest day moves to the next working day.

use time::{Date, Month};

use crate::Refusal;
use crate::calendar::{Calendar, fmt_date};
use crate::time_limit::{Count, TimeLimit};

/// 行政复议法 第二十条第一款: sixty days to apply for reconsideration.
pub const RECONSIDERATION_DAYS: u32 = 60;
/// 行政诉讼法 第四十六条第一款: six months to sue.
pub const LITIGATION_MONTHS: u32 = 6;
/// 行政强制法 第五十四条 (第六十九条: working days): ten days after the reminder is served.
pub const REMINDER_WORKING_DAYS: u32 = 10;
/// 行政强制法 第五十三条: three months after the party's time to sue ends.
pub const APPLICATION_MONTHS: u32 = 3;

/// The last day of a period of `months` months from `start` (民法典 第二百零一条、第二百零二条):
/// the corresponding day of the last month, or that month's last day if it has none.
pub fn months_after(start: Date, months: u32) -> Date {
    let index = i64::from(start.month() as u8) - 1 + i64::from(months);
    let year = start.year() + i32::try_from(index / 12).unwrap_or(0);
    let month =
        Month::try_from(u8::try_from(index % 12 + 1).unwrap_or(1)).unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, start.day().min(last)).unwrap_or(start)
}

/// `d`, or the next working day if `d` is a rest day (民法典 第二百零三条).
fn on_working_day(cal: &Calendar, mut d: Date) -> Date {
    while !cal.is_working(d) {
        match d.next_day() {
            Some(n) => d = n,
            None => break,
        }
    }
    d
}

/// The last day the party may still apply for reconsideration or sue, the decision having
/// been served on `served`: the later end of the sixty days and the six months.
pub fn remedies_end(cal: &Calendar, served: Date) -> Date {
    let reconsideration = TimeLimit::new(served, RECONSIDERATION_DAYS, Count::Calendar, "", None)
        .compute(cal)
        .due
        .unwrap_or(served);
    let litigation = on_working_day(cal, months_after(served, LITIGATION_MONTHS));
    reconsideration.max(litigation)
}

/// The limit within which the organ applies to the court: three months from the end of the
/// party's time to sue, counted as the calendar days up to the corresponding day.
pub fn application_limit(cal: &Calendar, served: Date) -> TimeLimit {
    let from = remedies_end(cal, served);
    let to = months_after(from, APPLICATION_MONTHS);
    let days = u32::try_from((to - from).whole_days()).unwrap_or(0);
    TimeLimit::new(
        from,
        days,
        Count::Calendar,
        "行政强制法 第五十三条（当事人的复议、诉讼期限届满之日起三个月内）；最高人民法院关于适用《中华人民共和国行政诉讼法》的解释 第一百五十六条",
        None,
    )
}

/// Whether the organ may apply to the court today: the party's remedies have run out (the
/// decision served on `served`) and the reminder was served ten working days before.
pub fn check_application(
    cal: &Calendar,
    served: Date,
    reminder: Option<Date>,
    today: Date,
) -> Result<(), Refusal> {
    check_remedies_ended(cal, served, today)?;
    check_reminder(cal, reminder, today)
}

/// 行政强制法 第五十三条: the party's time for reconsideration and litigation has run out.
pub fn check_remedies_ended(cal: &Calendar, served: Date, today: Date) -> Result<(), Refusal> {
    let end = remedies_end(cal, served);
    if today <= end {
        return Err(Refusal::by_law(
            "case.remedies_still_open",
            format!(
                "处罚决定书于 {} 送达，当事人申请行政复议（六十日）和提起行政诉讼（六个月）的期限至 {} 届满，期限届满后当事人仍不履行的，才能申请人民法院强制执行。",
                fmt_date(served),
                fmt_date(end)
            ),
            "行政强制法 第五十三条；行政复议法 第二十条；行政诉讼法 第四十六条",
        ));
    }
    Ok(())
}

/// 行政强制法 第五十四条、第六十九条: the reminder was served ten working days before.
pub fn check_reminder(cal: &Calendar, reminder: Option<Date>, today: Date) -> Result<(), Refusal> {
    let Some(reminded) = reminder else {
        return Err(Refusal::by_law(
            "case.no_reminder",
            "申请人民法院强制执行前，应当以催告书催告当事人履行义务，请先送达催告书。",
            "行政强制法 第五十四条",
        ));
    };
    let earliest = TimeLimit::new(reminded, REMINDER_WORKING_DAYS, Count::Working, "", None)
        .compute(cal)
        .due
        .unwrap_or(reminded);
    if today <= earliest {
        return Err(Refusal::by_law(
            "case.reminder_too_recent",
            format!(
                "催告书于 {} 送达，送达十个工作日后（{} 之后）当事人仍未履行的，才能申请人民法院强制执行。",
                fmt_date(reminded),
                fmt_date(earliest)
            ),
            "行政强制法 第五十四条、第六十九条",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn cal() -> Calendar {
        let file: crate::calendar::NoticeFile =
            toml::from_str(include_str!("../../../../data/calendar/holidays.toml")).unwrap();
        Calendar::new(file.notices)
    }

    #[test]
    fn a_period_in_months_ends_on_the_corresponding_day_or_the_last_day_of_the_month() {
        assert_eq!(
            months_after(date!(2026 - 03 - 10), 6),
            date!(2026 - 09 - 10)
        );
        assert_eq!(
            months_after(date!(2026 - 08 - 31), 6),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            months_after(date!(2026 - 11 - 30), 3),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            months_after(date!(2027 - 11 - 30), 3),
            date!(2028 - 02 - 29)
        );
    }

    #[test]
    fn the_court_is_not_applied_to_before_the_six_months_to_sue_have_run_out() {
        let c = cal();
        let served = date!(2026 - 03 - 10);
        assert_eq!(remedies_end(&c, served), date!(2026 - 09 - 10));
        let r = check_application(
            &c,
            served,
            Some(date!(2026 - 06 - 01)),
            date!(2026 - 09 - 10),
        )
        .unwrap_err();
        assert_eq!(r.code, "case.remedies_still_open");
        assert!(r.basis.unwrap().contains("第四十六条"));
        assert!(
            check_application(
                &c,
                served,
                Some(date!(2026 - 06 - 01)),
                date!(2026 - 09 - 11)
            )
            .is_ok()
        );
    }

    #[test]
    fn the_court_is_applied_to_only_ten_working_days_after_the_reminder_was_served() {
        let c = cal();
        let served = date!(2026 - 03 - 10);
        let r = check_application(&c, served, None, date!(2026 - 10 - 12)).unwrap_err();
        assert_eq!(r.code, "case.no_reminder");
        // Served on Thursday 2026-09-24: the Mid-Autumn and National Day holidays fall inside
        // the ten days and are not counted (行政强制法 第六十九条).
        let reminded = date!(2026 - 09 - 24);
        let r = check_application(&c, served, Some(reminded), date!(2026 - 10 - 12)).unwrap_err();
        assert_eq!(r.code, "case.reminder_too_recent");
        assert!(r.basis.unwrap().contains("第六十九条"));
        let earliest = TimeLimit::new(reminded, 10, Count::Working, "", None)
            .compute(&c)
            .due
            .unwrap();
        assert!(earliest > date!(2026 - 10 - 08), "{earliest}");
        assert!(check_application(&c, served, Some(reminded), earliest).is_err());
        assert!(
            check_application(&c, served, Some(reminded), earliest.next_day().unwrap()).is_ok()
        );
    }

    #[test]
    fn the_three_months_to_apply_run_from_the_end_of_the_time_to_sue() {
        let c = cal();
        let l = application_limit(&c, date!(2026 - 03 - 10));
        assert_eq!(l.start, date!(2026 - 09 - 10));
        assert_eq!(l.compute(&c).due, Some(date!(2026 - 12 - 10)));
        assert!(l.basis.contains("第五十三条"));
    }
}
