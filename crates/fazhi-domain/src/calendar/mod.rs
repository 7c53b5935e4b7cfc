//! The one working-day calendar (SPEC X1, DESIGN §4).
//!
//! Working days follow the State Council's yearly notice of holiday arrangements (statutory
//! holidays and adjusted working days), held as data. A date whose notice is not loaded is
//! computed from weekends and the fixed-date holidays of 全国年节及纪念日放假办法 and is
//! **provisional**: every answer that depends on it says so.

mod between;
pub use between::*;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use time::{Date, Month, Weekday};

/// One State Council notice: the holidays and adjusted working days of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The year it arranges.
    pub year: i32,
    /// Its document number, e.g. 国办发明电〔2025〕7号.
    pub number: String,
    /// Its publication date, `YYYY-MM-DD`.
    pub published: String,
    /// Amending notices or doubts, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Weekend days that are worked (调休上班日); may include the previous December.
    #[serde(default)]
    pub workdays: Vec<String>,
    /// The holiday periods, each with every rest day it covers.
    #[serde(default)]
    pub holidays: Vec<HolidayPeriod>,
}

/// One holiday period of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayPeriod {
    /// 元旦, 春节, …
    pub name: String,
    /// Every rest day of the period, `YYYY-MM-DD`.
    pub dates: Vec<String>,
}

/// A file of notices (`data/calendar/holidays.toml`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NoticeFile {
    /// The notices.
    #[serde(default)]
    pub notices: Vec<Notice>,
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(
        s,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// Formats `YYYY-MM-DD`.
pub fn fmt_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Formats a day as official documents write it: `2026年11月28日` (no leading zeros).
pub fn fmt_date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

/// `fmt_date_zh` of a stored `YYYY-MM-DD` day; anything else is returned unchanged.
pub fn zh_date_of(s: &str) -> String {
    parse_date(s).map_or_else(|| s.to_string(), fmt_date_zh)
}

impl Notice {
    /// Checks the notice: dates parse, belong to the year (or its previous December), holidays
    /// and working days do not overlap, and a working day is a weekend day. Messages are Chinese.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        if !(2000..=2100).contains(&self.year) {
            errors.push(format!("年份 {} 不在 2000–2100 之间", self.year));
        }
        if self.number.trim().is_empty() {
            errors.push(format!("{} 年通知缺少文号", self.year));
        }
        if parse_date(&self.published).is_none() {
            errors.push(format!(
                "{} 年通知的发布日期「{}」不是有效日期（格式如 2026-09-28）",
                self.year, self.published
            ));
        }
        let in_scope = |d: Date| {
            d.year() == self.year || (d.year() == self.year - 1 && d.month() == Month::December)
        };
        let mut rest = Vec::new();
        for h in &self.holidays {
            for s in &h.dates {
                match parse_date(s) {
                    Some(d) if in_scope(d) => rest.push(d),
                    Some(_) => errors.push(format!("{}「{s}」不属于 {} 年", h.name, self.year)),
                    None => errors.push(format!(
                        "{}的日期「{s}」不是有效日期（格式如 2026-09-28）",
                        h.name
                    )),
                }
            }
        }
        for s in &self.workdays {
            match parse_date(s) {
                Some(d) if !in_scope(d) => {
                    errors.push(format!("调休上班日「{s}」不属于 {} 年", self.year));
                }
                Some(d) if rest.contains(&d) => {
                    errors.push(format!("「{s}」既是放假日又是调休上班日"));
                }
                Some(d) if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) => {
                    errors.push(format!("调休上班日「{s}」不是周末，本来就是工作日"));
                }
                Some(_) => {}
                None => errors.push(format!(
                    "调休上班日「{s}」不是有效日期（格式如 2026-09-28）"
                )),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// What the calendar says about one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayInfo {
    /// A working day.
    pub working: bool,
    /// Computed without the State Council notice that could change it.
    pub provisional: bool,
    /// The holiday it belongs to (or 调休上班 for an adjusted working day), if any.
    pub label: Option<&'static str>,
}

/// The calendar: every loaded notice, indexed by day.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    notices: BTreeMap<i32, Notice>,
    days: HashMap<Date, (bool, &'static str)>,
}

fn intern(name: &str) -> &'static str {
    match name {
        "元旦" => "元旦",
        "春节" => "春节",
        "清明节" => "清明节",
        "劳动节" => "劳动节",
        "端午节" => "端午节",
        "中秋节" => "中秋节",
        "国庆节" => "国庆节",
        "中秋节、国庆节" => "中秋节、国庆节",
        _ => "法定节假日",
    }
}

/// 全国年节及纪念日放假办法（2024 修订）第二条: the holidays on fixed Gregorian dates — 元旦
/// 1 January, 劳动节 1–2 May, 国庆节 1–3 October. The lunar and solar-term holidays (春节, 清明,
/// 端午, 中秋) have no fixed date and are not guessed: a year without its notice is provisional.
fn fixed_holiday(d: Date) -> Option<&'static str> {
    match (d.month(), d.day()) {
        (Month::January, 1) => Some("元旦"),
        (Month::May, 1 | 2) => Some("劳动节"),
        (Month::October, 1..=3) => Some("国庆节"),
        _ => None,
    }
}

impl Calendar {
    /// A calendar of the given notices (each checked; later ones replace earlier of one year).
    pub fn new(notices: impl IntoIterator<Item = Notice>) -> Self {
        let mut c = Self::default();
        for n in notices {
            c.notices.insert(n.year, n);
        }
        c.reindex();
        c
    }

    fn reindex(&mut self) {
        self.days.clear();
        for n in self.notices.values() {
            for h in &n.holidays {
                for d in h.dates.iter().filter_map(|s| parse_date(s)) {
                    self.days.insert(d, (false, intern(&h.name)));
                }
            }
            for d in n.workdays.iter().filter_map(|s| parse_date(s)) {
                self.days.insert(d, (true, "调休上班"));
            }
        }
    }

    /// The notices loaded, by year.
    pub fn notices(&self) -> impl Iterator<Item = &Notice> {
        self.notices.values()
    }

    /// The notice of one year, if loaded.
    pub fn notice(&self, year: i32) -> Option<&Notice> {
        self.notices.get(&year)
    }

    /// Whether a day's answer is provisional: its year's notice is missing, or it lies in the
    /// last days of December, which the next year's notice may still arrange (2018-12-29 was
    /// worked under the 2019 notice).
    pub fn is_provisional(&self, d: Date) -> bool {
        !self.notices.contains_key(&d.year())
            || (d.month() == Month::December
                && d.day() >= 20
                && !self.notices.contains_key(&(d.year() + 1)))
    }

    /// What the calendar says about `d`.
    pub fn day(&self, d: Date) -> DayInfo {
        let provisional = self.is_provisional(d);
        if let Some((working, label)) = self.days.get(&d) {
            return DayInfo {
                working: *working,
                provisional,
                label: Some(label),
            };
        }
        if !self.notices.contains_key(&d.year())
            && let Some(name) = fixed_holiday(d)
        {
            return DayInfo {
                working: false,
                provisional,
                label: Some(name),
            };
        }
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        DayInfo {
            working: !weekend,
            provisional,
            label: None,
        }
    }

    /// Whether `d` is a working day.
    pub fn is_working(&self, d: Date) -> bool {
        self.day(d).working
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn shipped() -> Calendar {
        let file: NoticeFile =
            toml::from_str(include_str!("../../../../data/calendar/holidays.toml")).unwrap();
        for n in &file.notices {
            n.check().unwrap();
        }
        Calendar::new(file.notices)
    }

    #[test]
    fn the_shipped_notices_give_the_working_day_counts_of_each_year() {
        let cal = shipped();
        // LAW.md: working days per year under the State Council's notices.
        let expected = [
            (2018, 250),
            (2019, 250),
            (2020, 249),
            (2021, 250),
            (2022, 249),
            (2023, 249),
            (2024, 251),
            (2025, 248),
            (2026, 248),
        ];
        for (year, count) in expected {
            let mut d = Date::from_calendar_date(year, Month::January, 1).unwrap();
            let mut n = 0;
            while d.year() == year {
                n += i32::from(cal.is_working(d));
                d = d.next_day().unwrap();
            }
            assert_eq!(n, count, "working days in {year}");
        }
    }

    #[test]
    fn the_2026_adjusted_working_days_are_weekends_that_are_worked() {
        let cal = shipped();
        for d in [
            date!(2026 - 01 - 04),
            date!(2026 - 02 - 14),
            date!(2026 - 02 - 28),
            date!(2026 - 05 - 09),
            date!(2026 - 09 - 20),
            date!(2026 - 10 - 10),
        ] {
            let info = cal.day(d);
            assert!(info.working && !info.provisional, "{d}");
            assert!(matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday));
        }
    }

    #[test]
    fn a_cross_year_working_day_belongs_to_the_next_years_notice() {
        let cal = shipped();
        assert!(
            cal.is_working(date!(2018 - 12 - 29)),
            "worked under the 2019 notice"
        );
        assert!(
            !cal.is_working(date!(2018 - 12 - 31)),
            "元旦 2019 began on 30 December"
        );
    }

    #[test]
    fn a_year_without_a_notice_is_provisional_and_keeps_the_fixed_date_holidays() {
        let cal = shipped();
        let d = cal.day(date!(2027 - 10 - 01));
        assert!(!d.working && d.provisional);
        assert_eq!(d.label, Some("国庆节"));
        let monday = cal.day(date!(2027 - 03 - 01));
        assert!(monday.working && monday.provisional);
        assert!(
            cal.day(date!(2026 - 12 - 28)).provisional,
            "the 2027 notice may still move it"
        );
        assert!(!cal.day(date!(2026 - 12 - 18)).provisional);
    }

    #[test]
    fn a_bad_notice_is_refused_with_every_reason() {
        let n = Notice {
            year: 2027,
            number: String::new(),
            published: "2026-11-xx".into(),
            note: None,
            workdays: vec!["2027-03-01".into(), "2025-06-07".into()],
            holidays: vec![HolidayPeriod {
                name: "元旦".into(),
                dates: vec!["2027-13-01".into()],
            }],
        };
        let errors = n.check().unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("不是周末")));
    }
}
