//! Rules of the administrative penalty law (行政处罚法, 2021) that every case applies: the late-
//! payment surcharge, the summary-procedure thresholds, the limitation period, and the
//! certificates that officers must hold. The case procedure itself builds on these.

pub mod case;
pub mod certificate;
pub mod court;
pub mod decision;
pub mod discretion;
pub mod evaluation;
pub mod masking;
pub mod rules;
#[cfg(test)]
mod shipped_benchmarks;
pub mod wording;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::Refusal;
use crate::calendar::fmt_date;

/// Money in fen (1/100 yuan), so that sums are exact.
pub type Fen = i64;

/// Formats fen as yuan, e.g. `¥10,000.00`.
pub fn yuan(fen: Fen) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let (y, f) = (fen.abs() / 100, fen.abs() % 100);
    let digits = y.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{f:02}")
}

/// 行政处罚法 第七十二条第一款第一项: for each day a fine is paid late, 3 % of the fine is added,
/// and the surcharge never exceeds the fine itself.
pub const SURCHARGE_PER_DAY_PERCENT: i64 = 3;

/// The late-payment surcharge for `fine` paid `days_late` days after the deadline
/// (行政处罚法 第七十二条第一款第一项：每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款
/// 的数额). The whole surcharge, fine × 3 % × days, is computed exactly and only then rounded
/// (a fraction of a fen is not charged) and capped at the fine; rounding the daily amount first
/// would lose up to a fen a day.
pub fn surcharge(fine: Fen, days_late: i64) -> Fen {
    if fine <= 0 || days_late <= 0 {
        return 0;
    }
    // Beyond 100 days the cap applies anyway (3 % × 34 days already exceeds the fine).
    let days = days_late.min(100);
    // 第七十二条第一款第一项: fine × 3 % × days, in i128 so that no product overflows.
    let whole = i128::from(fine) * i128::from(SURCHARGE_PER_DAY_PERCENT) * i128::from(days) / 100;
    // 加处罚款的数额不得超出罚款的数额: capped at the fine, so the result fits in `Fen`.
    Fen::try_from(whole.min(i128::from(fine))).unwrap_or(fine)
}

/// Who a penalty is addressed to, for the thresholds that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// 公民.
    Person,
    /// 法人或者其他组织.
    Organisation,
}

/// What a penalty consists of, for the summary-procedure check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedPenalty {
    /// A warning (警告). Art. 51 allows only a warning or a small fine on the spot; 通报批评 and
    /// every other kind of penalty go to the general procedure.
    pub warning: bool,
    /// A fine, in fen (0 if none).
    pub fine: Fen,
    /// Any other penalty (confiscation, suspension, revocation…).
    pub other: bool,
}

/// 行政处罚法 第五十一条: on-the-spot summary procedure for a warning or a fine up to ¥200 for a
/// citizen, ¥3,000 for an organisation (对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款
/// 或者警告) — and nothing else, not even 通报批评.
pub fn check_summary_procedure(party: PartyKind, p: &ProposedPenalty) -> Result<(), Refusal> {
    // 第五十一条: 对公民处二百元以下、对法人或者其他组织处三千元以下罚款.
    let limit: Fen = match party {
        PartyKind::Person => 200 * 100,
        PartyKind::Organisation => 3_000 * 100,
    };
    let basis = "行政处罚法 第五十一条";
    if p.other {
        return Err(Refusal::by_law(
            "enforcement.summary_only_warning_or_fine",
            "简易程序只能当场给予警告或者罚款（对公民二百元以下、对法人或者其他组织三千元以下），其他处罚须适用普通程序。",
            basis,
        ));
    }
    if p.fine > limit {
        return Err(Refusal::by_law(
            "enforcement.summary_fine_too_high",
            format!(
                "罚款 {} 超过简易程序限额（{}不超过 {}），须适用普通程序。",
                yuan(p.fine),
                if party == PartyKind::Person {
                    "公民"
                } else {
                    "法人或者其他组织"
                },
                yuan(limit)
            ),
            basis,
        ));
    }
    if !p.warning && p.fine == 0 {
        return Err(Refusal::new(
            "enforcement.summary_nothing",
            "简易程序须写明给予的警告或罚款。",
        ));
    }
    Ok(())
}

/// 行政处罚法 第三十六条: a violation not discovered within two years is not penalised; five years
/// where it involves citizens' life and health or financial safety and has harmful consequences.
/// The period runs from the day the act occurred, or ended if it continued. `long` selects the
/// five-year period; opening after the period is refused unless a basis is recorded (another
/// law may provide otherwise: 法律另有规定的除外).
pub fn check_limitation(
    act_ended: Date,
    discovered: Date,
    long: bool,
    exception_basis: Option<&str>,
) -> Result<(), Refusal> {
    // 第三十六条: 二年；涉及公民生命健康安全、金融安全且有危害后果的，延长至五年.
    let years = if long { 5 } else { 2 };
    let Some(end) = act_ended
        .replace_year(act_ended.year() + years)
        .ok()
        .or_else(|| {
            // 29 February: the period ends on the last day of February (民法典 第二百零二条).
            act_ended
                .replace_day(28)
                .ok()
                .and_then(|d| d.replace_year(act_ended.year() + years).ok())
        })
    else {
        return Ok(());
    };
    if discovered <= end || exception_basis.is_some_and(|b| !b.trim().is_empty()) {
        return Ok(());
    }
    Err(Refusal::by_law(
        "enforcement.limitation_passed",
        format!(
            "违法行为于 {} 终了，{} 年内（至 {}）未被发现，{} 才发现，不再给予行政处罚；法律另有规定的，须记录依据。",
            fmt_date(act_ended),
            years,
            fmt_date(end),
            fmt_date(discovered)
        ),
        "行政处罚法 第三十六条",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_fine_of_ten_thousand_paid_ten_days_late_adds_three_thousand_and_forty_days_late_the_whole_fine()
     {
        assert_eq!(surcharge(1_000_000, 10), 300_000);
        assert_eq!(surcharge(1_000_000, 40), 1_000_000);
        assert_eq!(surcharge(1_000_000, 0), 0);
        assert_eq!(yuan(surcharge(1_000_000, 10)), "¥3,000.00");
    }

    #[test]
    fn the_surcharge_is_three_percent_of_the_fine_times_the_days_rounded_only_at_the_end() {
        // 第七十二条第一款第一项. ¥1,234.50 ten days late: 3 % a day is ¥37.035; rounding that
        // to ¥37.03 first would give ¥370.30 instead of ¥370.35.
        assert_eq!(surcharge(123_450, 10), 37_035);
        // ¥33.33 ten days late: 99.99 fen a day, 999.9 fen in all; a fraction of a fen is not
        // charged (rounding the day first would give 990).
        assert_eq!(surcharge(3_333, 10), 999);
        // Capped at the fine, also for absurd numbers of days.
        assert_eq!(surcharge(123_450, 34), 123_450);
        assert_eq!(surcharge(123_450, i64::MAX), 123_450);
        assert_eq!(surcharge(i64::MAX, 40), i64::MAX);
        assert_eq!(surcharge(i64::MAX, i64::MAX), i64::MAX);
    }

    #[test]
    fn the_summary_procedure_names_only_a_warning_or_a_small_fine_as_article_fifty_one_does() {
        // 第五十一条: 二百元以下、三千元以下罚款或者警告 — 通报批评 is not among them.
        let other = ProposedPenalty {
            warning: true,
            fine: 0,
            other: true,
        };
        let r = check_summary_procedure(PartyKind::Person, &other).unwrap_err();
        assert!(!r.message.contains("通报批评"), "{}", r.message);
        assert!(r.message.contains("警告") && r.message.contains("二百元以下"));
        assert!(r.message.contains("三千元以下"));
    }

    #[test]
    fn the_summary_procedure_is_refused_above_two_hundred_for_a_citizen_and_three_thousand_for_an_organisation()
     {
        let fine = |yuan: i64| ProposedPenalty {
            warning: false,
            fine: yuan * 100,
            other: false,
        };
        assert!(check_summary_procedure(PartyKind::Person, &fine(200)).is_ok());
        let r = check_summary_procedure(PartyKind::Person, &fine(201)).unwrap_err();
        assert!(r.message.contains("¥201.00") && r.message.contains("¥200.00"));
        assert!(check_summary_procedure(PartyKind::Organisation, &fine(3_000)).is_ok());
        assert!(check_summary_procedure(PartyKind::Organisation, &fine(3_001)).is_err());
        let other = ProposedPenalty {
            warning: false,
            fine: 0,
            other: true,
        };
        assert_eq!(
            check_summary_procedure(PartyKind::Organisation, &other)
                .unwrap_err()
                .basis
                .as_deref(),
            Some("行政处罚法 第五十一条")
        );
    }

    #[test]
    fn the_shipped_hearing_threshold_is_henans_and_cites_article_four_of_its_hearing_rules() {
        // 河南省行政处罚听证办法 第四条第一款第一项: 对公民处以5000元以上、对法人或者其他组织处以
        // 5万元以上罚款 (第二项: confiscation of the same value).
        let r = case::Rules::shipped();
        assert_eq!(
            (r.hearing.amounts.person_yuan, r.hearing.amounts.org_yuan),
            (5_000, 50_000)
        );
        assert!(r.hearing.basis.contains("河南省行政处罚听证办法 第四条"));
        assert!(!r.hearing.basis.contains("未核对"), "{}", r.hearing.basis);
        assert!(
            !r.note.contains("听证、"),
            "the note no longer lists the hearing amounts as unverified: {}",
            r.note
        );
        // The others stay marked until someone checks them.
        for t in [&r.legal_review, &r.collective, &r.major_filing] {
            assert!(t.basis.contains("未核对"), "{}", t.basis);
        }
    }

    #[test]
    fn opening_after_two_years_is_refused_unless_the_five_year_case_or_a_recorded_basis_applies() {
        let ended = date!(2024 - 03 - 01);
        assert!(check_limitation(ended, date!(2026 - 03 - 01), false, None).is_ok());
        let r = check_limitation(ended, date!(2026 - 03 - 02), false, None).unwrap_err();
        assert!(r.message.contains("2 年内（至 2026-03-01）"));
        assert!(check_limitation(ended, date!(2026 - 03 - 02), true, None).is_ok());
        assert!(
            check_limitation(ended, date!(2026 - 03 - 02), false, Some("《某法》第X条")).is_ok()
        );
        assert!(
            check_limitation(date!(2024 - 02 - 29), date!(2026 - 02 - 28), false, None).is_ok()
        );
        assert!(
            check_limitation(date!(2024 - 02 - 29), date!(2026 - 03 - 01), false, None).is_err()
        );
    }
}
