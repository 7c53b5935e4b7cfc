//! The penalty decision as written and as owed: the paragraphs of the decision document
//! (行政处罚法 第五十九条) and the amount owed on a day, fine plus late-payment surcharge
//! (第七十二条).

use time::Date;

use super::Fen;
use super::case::Penalty;
use super::discretion::Band;
use super::rules::Remedy;
use super::wording::{
    articles, circumstances, facts_found, penalty_words, remedies, violation, without_opening,
};
use crate::party::Party;
use crate::power::LegalBasis;

/// What the decision document states besides the penalty: the party, the facts found, the
/// discretion applied, the party's statement, the item and its articles, the remedies.
#[derive(Debug, Clone, Copy)]
pub struct Grounds<'a> {
    /// The party.
    pub party: Party<'a>,
    /// The facts and evidence found (the investigation report).
    pub report: &'a str,
    /// The benchmark band applied, with its trace.
    pub band: Option<&'a Band>,
    /// Why the fine lies outside the band, if it does.
    pub outside_band_reasons: Option<&'a str>,
    /// The party's statement and defence.
    pub statement: Option<&'a str>,
    /// The name of the penalty item (对……的处罚).
    pub item_name: &'a str,
    /// The item's legal bases in the power list, cited by article.
    pub bases: &'a [LegalBasis],
    /// The reconsideration body, the court and how fines are paid, for the issuing bureau.
    pub remedy: &'a Remedy,
}

/// The paragraphs of a penalty decision (行政处罚法 第五十九条: the party, the facts and
/// evidence, the basis, the penalty, how and when to pay, the remedies), worded as the model
/// texts word it: the basis as articles, the discretion in words.
pub fn paragraphs(g: &Grounds<'_>, decided: &Penalty, reasons: &str) -> Vec<String> {
    let what = violation(g.item_name);
    let mut ps = vec![
        g.party.line(),
        format!("当事人涉嫌{what}一案，本机关依法立案调查，现已调查终结。"),
        facts_found(g.report),
    ];
    if let Some(s) = g.statement {
        ps.push(format!("当事人在法定期限内提出陈述、申辩：{}", end(s)));
    }
    let mut view = format!(
        "本机关认为，当事人的上述行为构成{what}。{}",
        end(without_opening(reasons))
    );
    if let Some(c) = g.band.and_then(circumstances) {
        view.push_str(&c);
    }
    if let Some(r) = g.outside_band_reasons {
        view.push_str(&format!("罚款数额在裁量基准区间之外，理由是：{}", end(r)));
    }
    ps.push(view);
    ps.push(format!(
        "依据{}的规定，本机关决定对当事人给予如下行政处罚：{}。",
        articles(g.bases),
        penalty_words(decided)
    ));
    if decided.fine > 0 || decided.confiscation > 0 {
        ps.push(format!(
            "当事人应当自收到本决定书之日起十五日内，{}。到期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（《中华人民共和国行政处罚法》第六十七条、第七十二条）。",
            g.remedy.payment
        ));
    }
    ps.push(remedies("行政处罚决定", g.remedy));
    ps.push("当事人逾期不申请行政复议、不提起行政诉讼，又不履行本决定的，本机关将依法申请人民法院强制执行（《中华人民共和国行政强制法》第五十三条）。".into());
    ps
}

/// A sentence as typed, ended with 。 if it was not ended.
pub fn end(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['。', '！', '？', '；']) {
        s.to_string()
    } else {
        format!("{s}。")
    }
}

/// What is owed if a fine with payment due on `due` is paid on `on`: (fine plus surcharge, the
/// surcharge, days late). Nothing is added before the due date or without one (第七十二条).
pub fn owed(fine: Fen, due: Option<Date>, on: Date) -> (Fen, Fen, i64) {
    let late = due.map_or(0, |d| (on - d).whole_days().max(0));
    let s = super::surcharge(fine, late);
    (fine + s, s, late)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::enforcement::PartyKind;

    const REMEDY: Remedy = Remedy {
        reconsideration: String::new(),
        court: String::new(),
        payment: String::new(),
    };

    fn remedy() -> Remedy {
        Remedy {
            reconsideration: "郑州市金水区人民政府".into(),
            court: "郑州市金水区人民法院".into(),
            payment: "到指定银行或者通过电子支付系统缴纳罚款".into(),
        }
    }

    fn grounds<'a>(bases: &'a [LegalBasis], remedy: &'a Remedy) -> Grounds<'a> {
        Grounds {
            party: Party {
                kind: PartyKind::Organisation,
                name: "惠民便利店",
                id_no: "91410105MA44XK7P0F",
                address: "金水路1号",
            },
            report: "经查，销售过期食品",
            band: None,
            outside_band_reasons: None,
            statement: Some("初次违法"),
            item_name: "对销售过期食品的处罚",
            bases,
            remedy,
        }
    }

    #[test]
    fn a_decision_with_a_fine_states_the_articles_payment_and_the_bodies_of_review() {
        let fined = Penalty {
            fine: 500_000,
            ..Penalty::default()
        };
        let bases = [LegalBasis {
            law: "食品安全法".into(),
            article: "第一百二十四条".into(),
            text: String::new(),
        }];
        let r = remedy();
        let ps = paragraphs(&grounds(&bases, &r), &fined, "事实清楚");
        assert_eq!(
            ps[0],
            "当事人：惠民便利店，统一社会信用代码：91410105MA44XK7P0F，住所：金水路1号"
        );
        assert_eq!(
            ps[1],
            "当事人涉嫌销售过期食品一案，本机关依法立案调查，现已调查终结。"
        );
        assert_eq!(
            ps[2], "经查，销售过期食品。",
            "the report's own 经查 is not doubled"
        );
        assert_eq!(ps[3], "当事人在法定期限内提出陈述、申辩：初次违法。");
        assert_eq!(
            ps[4],
            "本机关认为，当事人的上述行为构成销售过期食品。事实清楚。"
        );
        assert_eq!(
            ps[5],
            "依据《食品安全法》第一百二十四条的规定，本机关决定对当事人给予如下行政处罚：罚款人民币5,000元。"
        );
        assert!(ps[6].contains("十五日内，到指定银行或者通过电子支付系统缴纳罚款"));
        assert!(ps[7].contains("向郑州市金水区人民政府申请行政复议"));
        assert!(ps[7].contains("向郑州市金水区人民法院提起行政诉讼"));
        let warned = Penalty {
            warning: true,
            ..Penalty::default()
        };
        let ps = paragraphs(&grounds(&bases, &REMEDY), &warned, "事实清楚");
        assert!(!ps.iter().any(|p| p.contains("缴纳罚款")));
    }

    #[test]
    fn the_amount_owed_adds_three_percent_a_day_from_the_day_after_the_due_date_capped_at_the_fine()
    {
        let due = Some(date!(2026 - 03 - 10));
        assert_eq!(owed(10_000, due, date!(2026 - 03 - 10)), (10_000, 0, 0));
        assert_eq!(owed(10_000, due, date!(2026 - 03 - 12)), (10_600, 600, 2));
        assert_eq!(
            owed(10_000, due, date!(2026 - 06 - 10)),
            (20_000, 10_000, 92)
        );
        assert_eq!(owed(10_000, None, date!(2026 - 06 - 10)), (10_000, 0, 0));
    }

    #[test]
    fn the_amount_owed_rounds_the_whole_surcharge_not_the_daily_amount() {
        // 第七十二条第一款第一项: ¥1,234.50 paid ten days late owes 1,234.50 × 3 % × 10 = ¥370.35
        // more (not 10 × ¥37.03).
        let due = Some(date!(2026 - 03 - 10));
        assert_eq!(
            owed(123_450, due, date!(2026 - 03 - 20)),
            (160_485, 37_035, 10)
        );
    }
}
