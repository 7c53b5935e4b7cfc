//! Statutory time limits (SPEC X1, DESIGN §4, LAW.md).
//!
//! Counting follows 民法典: the start day is not counted (第二百零一条); a period in calendar days
//! whose last day is a rest day ends on the next working day (第二百零三条). Which periods count
//! working days is the statute's choice (行政处罚法 第八十五条, 行政复议法 第八十八条, 行政许可法
//! 第八十二条, 政府信息公开条例 passim), so each limit says which it is. The clock stops while a
//! limit is suspended and resumes the day after; approved extensions add days up to a maximum.
//! Every due date explains itself.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::Refusal;
use crate::calendar::{Calendar, fmt_date};

/// Whether a period counts working days or calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Count {
    /// 工作日: only working days are counted.
    Working,
    /// 自然日: every day is counted; a last day that is a rest day moves to the next working day.
    Calendar,
}

impl Count {
    /// The Chinese unit.
    pub fn unit_zh(self) -> &'static str {
        match self {
            Self::Working => "个工作日",
            Self::Calendar => "日（自然日）",
        }
    }
}

/// A stretch during which the clock stops: days `from..=to` are not counted. An open suspension
/// (`to` is `None`) has no due date until it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    /// First day not counted.
    pub from: Date,
    /// Last day not counted; `None` while the suspension lasts.
    pub to: Option<Date>,
    /// Why (e.g. 征求第三方意见, 听证, 检验检测).
    pub reason: String,
}

/// Days added to a limit with someone's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Days added (in the limit's own unit).
    pub days: u32,
    /// Who approved it.
    pub approved_by: String,
    /// Why.
    pub reason: String,
}

/// One time limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimit {
    /// The day the period starts from (not itself counted).
    pub start: Date,
    /// Length of the period.
    pub days: u32,
    /// Working or calendar days.
    pub count: Count,
    /// The statute and article that set it.
    pub basis: String,
    /// Most days that extensions may add in total (`None`: no extension allowed).
    pub max_extension_days: Option<u32>,
    /// Suspensions, in order.
    #[serde(default)]
    pub suspensions: Vec<Suspension>,
    /// Extensions, in order.
    #[serde(default)]
    pub extensions: Vec<Extension>,
}

/// The result of counting, with how it was worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// The last day of the period; `None` while suspended.
    pub due: Option<Date>,
    /// Some day counted lies in a year whose holiday notice is not loaded.
    pub provisional: bool,
    /// Start, rule, extensions, suspensions, days skipped, result — one line each, Chinese.
    pub explanation: Vec<String>,
}

/// Where a limit stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitState {
    /// 进行中.
    Running,
    /// 即将到期: within the warning period before the due date.
    DueSoon,
    /// 已逾期.
    Overdue,
    /// 已办结 (met in time or not: `met_on` tells).
    Met,
    /// 已中止: the clock is stopped.
    Suspended,
}

impl LimitState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
            Self::Met => "met",
            Self::Suspended => "suspended",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Running,
            Self::DueSoon,
            Self::Overdue,
            Self::Met,
            Self::Suspended,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Running => "进行中",
            Self::DueSoon => "即将到期",
            Self::Overdue => "已逾期",
            Self::Met => "已办结",
            Self::Suspended => "已中止",
        }
    }
}

fn date_range_text(days: &[(Date, &'static str)]) -> String {
    let mut groups: Vec<(Date, Date, &'static str)> = Vec::new();
    for (d, label) in days {
        match groups.last_mut() {
            Some((_, end, l)) if *l == *label && end.next_day() == Some(*d) => *end = *d,
            _ => groups.push((*d, *d, label)),
        }
    }
    groups
        .iter()
        .map(|(a, b, l)| {
            if a == b {
                format!("{}（{l}）", fmt_date(*a))
            } else {
                format!("{}至{}（{l}）", fmt_date(*a), fmt_date(*b))
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

impl TimeLimit {
    /// A limit without suspensions or extensions.
    pub fn new(
        start: Date,
        days: u32,
        count: Count,
        basis: &str,
        max_extension_days: Option<u32>,
    ) -> Self {
        Self {
            start,
            days,
            count,
            basis: basis.to_string(),
            max_extension_days,
            suspensions: Vec::new(),
            extensions: Vec::new(),
        }
    }

    fn suspended_on(&self, d: Date) -> bool {
        self.suspensions
            .iter()
            .any(|s| d >= s.from && s.to.is_none_or(|t| d <= t))
    }

    /// Total days including extensions.
    pub fn total_days(&self) -> u32 {
        self.days + self.extensions.iter().map(|e| e.days).sum::<u32>()
    }

    /// Counts the period on `cal`.
    pub fn compute(&self, cal: &Calendar) -> Due {
        let mut lines = vec![
            format!(
                "起算：{}（当日不计入，民法典第二百零一条）",
                fmt_date(self.start)
            ),
            format!(
                "规则：{} {}（依据：{}）",
                self.days,
                self.count.unit_zh(),
                self.basis
            ),
        ];
        for e in &self.extensions {
            lines.push(format!(
                "延长：+{} {}（{}批准：{}）",
                e.days,
                self.count.unit_zh(),
                e.approved_by,
                e.reason
            ));
        }
        for s in &self.suspensions {
            match s.to {
                Some(to) => lines.push(format!(
                    "中止：{}至{}不计入期限（{}）",
                    fmt_date(s.from),
                    fmt_date(to),
                    s.reason
                )),
                None => lines.push(format!(
                    "中止：自{}起中止，尚未恢复（{}）",
                    fmt_date(s.from),
                    s.reason
                )),
            }
        }
        if self.suspensions.iter().any(|s| s.to.is_none()) {
            lines.push("结果：期限中止期间不计算到期日，恢复后重新计算".into());
            return Due {
                due: None,
                provisional: false,
                explanation: lines,
            };
        }
        let total = self.total_days();
        let mut d = self.start;
        let mut counted = 0;
        let mut provisional = false;
        let mut skipped: Vec<(Date, &'static str)> = Vec::new();
        while counted < total {
            let Some(next) = d.next_day() else { break };
            d = next;
            if self.suspended_on(d) {
                continue;
            }
            let info = cal.day(d);
            provisional |= info.provisional;
            match self.count {
                Count::Calendar => counted += 1,
                Count::Working if info.working => counted += 1,
                Count::Working => skipped.push((d, info.label.unwrap_or("周末"))),
            }
        }
        if !skipped.is_empty() {
            lines.push(format!("跳过的非工作日：{}", date_range_text(&skipped)));
        }
        if self.count == Count::Calendar && total > 0 {
            let last = d;
            let mut moved = Vec::new();
            loop {
                let info = cal.day(d);
                provisional |= info.provisional;
                if info.working {
                    break;
                }
                moved.push((d, info.label.unwrap_or("周末")));
                let Some(next) = d.next_day() else { break };
                d = next;
            }
            if !moved.is_empty() {
                lines.push(format!(
                    "期间最后一日 {} 为法定休假日（{}），顺延至 {}（民法典第二百零三条）",
                    fmt_date(last),
                    date_range_text(&moved),
                    fmt_date(d)
                ));
            }
        }
        lines.push(format!(
            "到期：{}{}",
            fmt_date(d),
            if provisional {
                "（涉及尚未载入国务院放假安排的年份，暂定）"
            } else {
                ""
            }
        ));
        Due {
            due: Some(d),
            provisional,
            explanation: lines,
        }
    }

    /// Where the limit stands on `today`. `warn_working_days` before the due date it is due
    /// soon (default 3, configurable).
    pub fn state(
        &self,
        cal: &Calendar,
        today: Date,
        met_on: Option<Date>,
        warn_working_days: u32,
    ) -> LimitState {
        if met_on.is_some() {
            return LimitState::Met;
        }
        let Some(due) = self.compute(cal).due else {
            return LimitState::Suspended;
        };
        if today > due {
            return LimitState::Overdue;
        }
        let warn_from = TimeLimit::new(today, warn_working_days, Count::Working, "", None)
            .compute(cal)
            .due
            .unwrap_or(today);
        if due <= warn_from {
            LimitState::DueSoon
        } else {
            LimitState::Running
        }
    }

    /// Adds an approved extension, refused beyond the maximum the statute allows.
    pub fn extend(&mut self, ext: Extension) -> Result<(), Refusal> {
        let Some(max) = self.max_extension_days else {
            return Err(Refusal::by_law(
                "time_limit.no_extension",
                "该期限依法不得延长。",
                self.basis.clone(),
            ));
        };
        let used: u32 = self.extensions.iter().map(|e| e.days).sum();
        if ext.days == 0 || used + ext.days > max {
            return Err(Refusal::by_law(
                "time_limit.extension_exceeds_maximum",
                format!(
                    "延长期限最多 {max} {}，已延长 {used}，不能再延长 {}。",
                    self.count.unit_zh(),
                    ext.days
                ),
                self.basis.clone(),
            ));
        }
        self.extensions.push(ext);
        Ok(())
    }

    /// Stops the clock from `from` (inclusive).
    pub fn suspend(&mut self, from: Date, reason: &str) -> Result<(), Refusal> {
        if self.suspensions.iter().any(|s| s.to.is_none()) {
            return Err(Refusal::new(
                "time_limit.already_suspended",
                "该期限已经中止，须先恢复。",
            ));
        }
        if from <= self.start
            || self
                .suspensions
                .last()
                .and_then(|s| s.to)
                .is_some_and(|t| from <= t)
        {
            return Err(Refusal::new(
                "time_limit.bad_suspension",
                "中止日期必须在起算日和上一次中止之后。",
            ));
        }
        self.suspensions.push(Suspension {
            from,
            to: None,
            reason: reason.to_string(),
        });
        Ok(())
    }

    /// Restarts the clock: `last_stopped_day` is the last day not counted.
    pub fn resume(&mut self, last_stopped_day: Date) -> Result<(), Refusal> {
        match self.suspensions.last_mut() {
            Some(s) if s.to.is_none() && last_stopped_day >= s.from => {
                s.to = Some(last_stopped_day);
                Ok(())
            }
            Some(s) if s.to.is_none() => Err(Refusal::new(
                "time_limit.bad_resume",
                format!("恢复日期不能早于中止开始日 {}。", fmt_date(s.from)),
            )),
            _ => Err(Refusal::new(
                "time_limit.not_suspended",
                "该期限没有中止，无需恢复。",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{HolidayPeriod, Notice, NoticeFile};
    use time::macros::date;

    fn cal() -> Calendar {
        let file: NoticeFile =
            toml::from_str(include_str!("../../../../data/calendar/holidays.toml")).unwrap();
        Calendar::new(file.notices)
    }

    const OGI: &str = "政府信息公开条例 第三十三条";

    #[test]
    fn five_working_days_across_the_2026_spring_festival_end_on_26_february() {
        let l = TimeLimit::new(
            date!(2026 - 02 - 12),
            5,
            Count::Working,
            "行政处罚法 第六十四条",
            None,
        );
        let due = l.compute(&cal());
        assert_eq!(due.due, Some(date!(2026 - 02 - 26)));
        assert!(!due.provisional);
        let text = due.explanation.join("\n");
        assert!(text.contains("2026-02-15至2026-02-23（春节）"), "{text}");
        assert!(text.contains("当日不计入"));
    }

    #[test]
    fn seven_working_days_from_a_decision_on_28_september_2026_skip_national_day() {
        // 国办发〔2018〕118号: publication within 7 working days of the decision.
        let l = TimeLimit::new(
            date!(2026 - 09 - 28),
            7,
            Count::Working,
            "国办发〔2018〕118号",
            None,
        );
        let due = l.compute(&cal());
        assert_eq!(
            due.due,
            Some(date!(2026 - 10 - 13)),
            "{:?}",
            due.explanation
        );
        assert!(due.explanation.join("").contains("国庆节"));
    }

    #[test]
    fn a_calendar_day_period_ending_on_a_holiday_ends_on_the_next_working_day() {
        let l = TimeLimit::new(
            date!(2026 - 09 - 16),
            15,
            Count::Calendar,
            "行政处罚法 第六十七条",
            None,
        );
        let due = l.compute(&cal());
        assert_eq!(due.due, Some(date!(2026 - 10 - 08)));
        assert!(due.explanation.join("").contains("民法典第二百零三条"));
    }

    #[test]
    fn a_calendar_day_period_ending_on_a_working_day_is_not_moved() {
        let l = TimeLimit::new(
            date!(2026 - 03 - 02),
            15,
            Count::Calendar,
            "行政处罚法 第六十七条",
            None,
        );
        assert_eq!(l.compute(&cal()).due, Some(date!(2026 - 03 - 17)));
    }

    #[test]
    fn a_suspension_across_the_spring_festival_stops_the_clock_and_it_resumes_after() {
        let mut l = TimeLimit::new(date!(2026 - 01 - 26), 20, Count::Working, OGI, Some(20));
        assert_eq!(
            l.compute(&cal()).due,
            Some(date!(2026 - 02 - 28)),
            "an adjusted working day"
        );
        l.suspend(date!(2026 - 02 - 10), "征求第三方意见（第三十二条）")
            .unwrap();
        assert_eq!(l.compute(&cal()).due, None);
        assert_eq!(
            l.state(&cal(), date!(2026 - 02 - 20), None, 3),
            LimitState::Suspended
        );
        assert!(l.suspend(date!(2026 - 02 - 12), "再次").is_err());
        l.resume(date!(2026 - 02 - 27)).unwrap();
        let due = l.compute(&cal());
        assert_eq!(due.due, Some(date!(2026 - 03 - 12)));
        assert!(
            due.explanation
                .join("")
                .contains("2026-02-10至2026-02-27不计入期限")
        );
    }

    #[test]
    fn an_extension_adds_twenty_working_days_once_and_no_more() {
        let mut l = TimeLimit::new(date!(2026 - 03 - 02), 20, Count::Working, OGI, Some(20));
        l.extend(Extension {
            days: 20,
            approved_by: "赵雅琴".into(),
            reason: "需要协调".into(),
        })
        .unwrap();
        assert_eq!(l.compute(&cal()).due, Some(date!(2026 - 04 - 28)));
        let r = l
            .extend(Extension {
                days: 1,
                approved_by: "赵雅琴".into(),
                reason: "再延".into(),
            })
            .unwrap_err();
        assert_eq!(r.code, "time_limit.extension_exceeds_maximum");
        assert_eq!(r.basis.as_deref(), Some(OGI));
        let mut fixed = TimeLimit::new(
            date!(2026 - 03 - 02),
            7,
            Count::Working,
            "行政处罚法 第六十一条",
            None,
        );
        assert!(
            fixed
                .extend(Extension {
                    days: 1,
                    approved_by: "x".into(),
                    reason: "y".into()
                })
                .is_err()
        );
    }

    #[test]
    fn a_limit_in_2027_is_provisional_until_a_2027_notice_is_loaded_then_exact() {
        let start = date!(2027 - 01 - 04);
        let l = TimeLimit::new(start, 10, Count::Working, OGI, None);
        let before = l.compute(&cal());
        assert!(before.provisional);
        assert!(before.explanation.last().unwrap().contains("暂定"));
        let mut notices: Vec<Notice> = cal().notices().cloned().collect();
        notices.push(Notice {
            year: 2027,
            number: "测试通知".into(),
            published: "2026-11-20".into(),
            note: None,
            workdays: vec![],
            holidays: vec![HolidayPeriod {
                name: "元旦".into(),
                dates: vec![
                    "2027-01-01".into(),
                    "2027-01-02".into(),
                    "2027-01-03".into(),
                ],
            }],
        });
        let after = l.compute(&Calendar::new(notices));
        assert!(!after.provisional);
        assert_eq!(after.due, Some(date!(2027 - 01 - 18)));
    }

    #[test]
    fn states_move_from_running_to_due_soon_to_overdue_and_met() {
        let c = cal();
        let l = TimeLimit::new(date!(2026 - 11 - 26), 20, Count::Working, OGI, Some(20));
        assert_eq!(l.compute(&c).due, Some(date!(2026 - 12 - 24)));
        assert_eq!(
            l.state(&c, date!(2026 - 11 - 27), None, 3),
            LimitState::Running
        );
        assert_eq!(
            l.state(&c, date!(2026 - 12 - 21), None, 3),
            LimitState::DueSoon
        );
        assert_eq!(
            l.state(&c, date!(2026 - 12 - 24), None, 3),
            LimitState::DueSoon
        );
        assert_eq!(
            l.state(&c, date!(2026 - 12 - 25), None, 3),
            LimitState::Overdue
        );
        assert_eq!(
            l.state(&c, date!(2026 - 12 - 25), Some(date!(2026 - 12 - 01)), 3),
            LimitState::Met
        );
    }
}
