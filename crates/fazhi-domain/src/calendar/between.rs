//! Counting working days between two dates: the countdown of a time limit ("剩余 3 个工作日"),
//! the working days an application took, the working days of a year.

use time::Date;

use super::Calendar;

/// The working days after `from` up to and including `to`: 0 on the same day, negative when
/// `to` is before `from` (then the working days after `to` up to and including `from`).
///
/// The start day is not counted, as a period is counted (民法典 第二百零一条): from a Friday to
/// the next Monday is one working day.
pub fn working_days_between(cal: &Calendar, from: Date, to: Date) -> i64 {
    let (mut d, end, sign) = if to >= from {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let mut n = 0;
    while d < end {
        let Some(next) = d.next_day() else { break };
        d = next;
        n += i64::from(cal.is_working(d));
    }
    sign * n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::NoticeFile;
    use time::macros::date;

    fn shipped() -> Calendar {
        let file: NoticeFile =
            toml::from_str(include_str!("../../../../data/calendar/holidays.toml")).unwrap();
        Calendar::new(file.notices)
    }

    #[test]
    fn the_start_day_is_not_counted_and_the_end_day_is() {
        let cal = shipped();
        // Tuesday to Wednesday, Tuesday to Tuesday.
        assert_eq!(
            working_days_between(&cal, date!(2025 - 03 - 04), date!(2025 - 03 - 05)),
            1
        );
        assert_eq!(
            working_days_between(&cal, date!(2025 - 03 - 04), date!(2025 - 03 - 04)),
            0
        );
    }

    #[test]
    fn weekends_are_not_counted() {
        let cal = shipped();
        // Friday to Monday; Monday to the next Monday.
        assert_eq!(
            working_days_between(&cal, date!(2025 - 03 - 07), date!(2025 - 03 - 10)),
            1
        );
        assert_eq!(
            working_days_between(&cal, date!(2025 - 03 - 03), date!(2025 - 03 - 10)),
            5
        );
        // Friday to Sunday.
        assert_eq!(
            working_days_between(&cal, date!(2025 - 03 - 07), date!(2025 - 03 - 09)),
            0
        );
    }

    #[test]
    fn a_date_past_counts_back_negative() {
        let cal = shipped();
        assert_eq!(
            working_days_between(&cal, date!(2025 - 03 - 10), date!(2025 - 03 - 03)),
            -5
        );
        assert_eq!(
            working_days_between(&cal, date!(2025 - 03 - 10), date!(2025 - 03 - 07)),
            -1
        );
    }

    #[test]
    fn the_holidays_of_a_notice_are_not_counted_and_its_worked_weekends_are() {
        let cal = shipped();
        // 国庆节 and 中秋节 2025: 1–8 October rest; 9 October is worked.
        assert_eq!(
            working_days_between(&cal, date!(2025 - 09 - 30), date!(2025 - 10 - 09)),
            1
        );
        // Sunday 28 September 2025 was worked: Friday 26 to Tuesday 30 is three working days.
        assert_eq!(
            working_days_between(&cal, date!(2025 - 09 - 26), date!(2025 - 09 - 30)),
            3
        );
        // Saturday 11 October 2025 was worked.
        assert_eq!(
            working_days_between(&cal, date!(2025 - 10 - 10), date!(2025 - 10 - 12)),
            1
        );
    }

    #[test]
    fn a_year_counts_as_law_md_says() {
        let cal = shipped();
        assert_eq!(
            working_days_between(&cal, date!(2024 - 12 - 31), date!(2025 - 12 - 31)),
            248
        );
        assert_eq!(
            working_days_between(&cal, date!(2025 - 12 - 31), date!(2026 - 12 - 31)),
            248
        );
    }

    #[test]
    fn a_year_without_its_notice_rests_on_the_fixed_holidays() {
        let cal = shipped();
        // 2030 has no notice: 1–3 October (Tuesday to Thursday) rest, Friday 4 is worked.
        assert_eq!(
            working_days_between(&cal, date!(2030 - 09 - 30), date!(2030 - 10 - 04)),
            1
        );
    }
}
