//! The validity of a published document as of any date: not yet in force, in force, amended,
//! partly invalid, repealed, expired — from its effective date, the last day of its validity
//! period and the recorded events, each with the document that made it.

use serde::Serialize;
use time::Date;

/// What happened to a document's force, on a day, by which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 修改: still in force, as amended from the day.
    Amended,
    /// 部分失效: some provisions no longer apply from the day.
    PartlyInvalid,
    /// 废止: not in force from the day.
    Repealed,
    /// 失效 (declared): not in force from the day.
    Expired,
}

impl EventKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Amended => "amended",
            Self::PartlyInvalid => "partly_invalid",
            Self::Repealed => "repealed",
            Self::Expired => "expired",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Amended,
            Self::PartlyInvalid,
            Self::Repealed,
            Self::Expired,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
    /// Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Amended => "修改",
            Self::PartlyInvalid => "部分失效",
            Self::Repealed => "废止",
            Self::Expired => "宣布失效",
        }
    }
    fn ends(self) -> bool {
        matches!(self, Self::Repealed | Self::Expired)
    }
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// From which day (the first day of the new state).
    pub on: Date,
    /// The document that made it (number and title).
    pub by_document: String,
}

/// When a published document is in force: from its effective date to the last day of its
/// validity period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// 施行日期.
    pub effective_from: Date,
    /// 有效期至 (the last day in force unless ended earlier).
    pub valid_until: Date,
}

/// A document's validity on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 尚未施行.
    NotYetInForce,
    /// 现行有效.
    InForce,
    /// 已修改（现行有效）.
    Amended,
    /// 部分失效.
    PartlyInvalid,
    /// 已废止.
    Repealed,
    /// 已失效 (declared, or the validity period ran out).
    Expired,
}

impl Validity {
    /// Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::NotYetInForce => "尚未施行",
            Self::InForce => "现行有效",
            Self::Amended => "已修改（现行有效）",
            Self::PartlyInvalid => "部分失效",
            Self::Repealed => "已废止",
            Self::Expired => "已失效",
        }
    }
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotYetInForce => "not_yet_in_force",
            Self::InForce => "in_force",
            Self::Amended => "amended",
            Self::PartlyInvalid => "partly_invalid",
            Self::Repealed => "repealed",
            Self::Expired => "expired",
        }
    }
    /// Whether the document may be applied on that day.
    pub fn in_force(self) -> bool {
        matches!(self, Self::InForce | Self::Amended | Self::PartlyInvalid)
    }
}

/// The first day a document is no longer in force, and what it became: the earliest repeal or
/// declared expiry, or the day after its validity period.
pub fn ended(w: Window, events: &[Event]) -> (Date, Validity) {
    let by_event = events
        .iter()
        .filter(|e| e.kind.ends())
        .min_by_key(|e| e.on)
        .map(|e| {
            (
                e.on,
                if e.kind == EventKind::Repealed {
                    Validity::Repealed
                } else {
                    Validity::Expired
                },
            )
        });
    let lapse = (
        w.valid_until.next_day().unwrap_or(w.valid_until),
        Validity::Expired,
    );
    match by_event {
        Some(e) if e.0 <= lapse.0 => e,
        _ => lapse,
    }
}

/// The validity of a document on `day`.
pub fn as_of(w: Window, events: &[Event], day: Date) -> Validity {
    if day < w.effective_from {
        return Validity::NotYetInForce;
    }
    let (end, became) = ended(w, events);
    if day >= end {
        return became;
    }
    let happened = |k: EventKind| events.iter().any(|e| e.kind == k && e.on <= day);
    if happened(EventKind::PartlyInvalid) {
        Validity::PartlyInvalid
    } else if happened(EventKind::Amended) {
        Validity::Amended
    } else {
        Validity::InForce
    }
}

/// The last day of a validity period of `years` from the effective date (民法典 第二百零二条: a
/// period in years ends on the day before the corresponding day).
pub fn valid_until(effective_from: Date, years: u8) -> Date {
    let y = effective_from.year() + i32::from(years);
    let same_day = Date::from_calendar_date(y, effective_from.month(), effective_from.day())
        .or_else(|_| Date::from_calendar_date(y, effective_from.month(), 28))
        .unwrap_or(effective_from);
    same_day.previous_day().unwrap_or(same_day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn w() -> Window {
        Window {
            effective_from: date!(2024 - 03 - 01),
            valid_until: valid_until(date!(2024 - 03 - 01), 5),
        }
    }

    #[test]
    fn a_five_year_period_from_the_first_of_march_ends_on_the_last_of_february() {
        assert_eq!(w().valid_until, date!(2029 - 02 - 28));
        assert_eq!(
            valid_until(date!(2024 - 02 - 29), 2),
            date!(2026 - 02 - 27),
            "29 February falls back to the 28th, and the period ends the day before"
        );
    }

    #[test]
    fn a_document_repealed_in_october_was_in_force_in_june_and_is_repealed_now() {
        let events = [Event {
            kind: EventKind::Repealed,
            on: date!(2026 - 10 - 01),
            by_document: "郑商规〔2026〕9号".into(),
        }];
        assert_eq!(
            as_of(w(), &events, date!(2024 - 02 - 29)),
            Validity::NotYetInForce
        );
        assert_eq!(
            as_of(w(), &events, date!(2026 - 06 - 01)),
            Validity::InForce
        );
        assert_eq!(
            as_of(w(), &events, date!(2026 - 09 - 30)),
            Validity::InForce
        );
        assert_eq!(
            as_of(w(), &events, date!(2026 - 10 - 01)),
            Validity::Repealed
        );
        assert_eq!(
            as_of(w(), &events, date!(2026 - 11 - 28)),
            Validity::Repealed
        );
        assert_eq!(
            ended(w(), &events),
            (date!(2026 - 10 - 01), Validity::Repealed)
        );
    }

    #[test]
    fn a_document_expires_the_day_after_its_validity_period_unless_ended_before() {
        assert_eq!(as_of(w(), &[], date!(2029 - 02 - 28)), Validity::InForce);
        assert_eq!(as_of(w(), &[], date!(2029 - 03 - 01)), Validity::Expired);
        assert!(!Validity::Expired.in_force());
    }

    #[test]
    fn an_amended_document_stays_in_force_and_says_so() {
        let events = [
            Event {
                kind: EventKind::Amended,
                on: date!(2025 - 01 - 01),
                by_document: "郑商规〔2024〕12号".into(),
            },
            Event {
                kind: EventKind::PartlyInvalid,
                on: date!(2026 - 01 - 01),
                by_document: "郑商〔2025〕80号".into(),
            },
        ];
        assert_eq!(
            as_of(w(), &events, date!(2025 - 06 - 01)),
            Validity::Amended
        );
        assert!(Validity::Amended.in_force());
        assert_eq!(
            as_of(w(), &events, date!(2026 - 06 - 01)),
            Validity::PartlyInvalid
        );
    }
}
