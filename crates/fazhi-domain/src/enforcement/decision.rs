//! The penalty decision as written and as owed: the paragraphs of the decision document
//! (行政处罚法 第五十九条) and the amount owed on a day, fine plus late-payment surcharge
//! (第七十二条).

use time::Date;

use super::Fen;
use super::case::Penalty;
use super::discretion::Band;
use crate::party::Party;

/// What the decision document states besides the penalty: the party, the facts found, the
/// benchmark trace, the party's statement, the item's basis.
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
}

/// The paragraphs of a penalty decision (行政处罚法 第五十九条: the party, the facts and
/// evidence, the basis, the penalty, how and when to pay, the remedies).
pub fn paragraphs(g: &Grounds<'_>, decided: &Penalty, reasons: &str) -> Vec<String> {
    let mut ps = vec![g.party.line(), format!("经查，{}", g.report)];
    if let Some(b) = g.band {
        ps.push(format!("裁量理由：{}", b.trace.join("；")));
    }
    if let Some(r) = g.outside_band_reasons {
        ps.push(format!("超出裁量基准区间的理由：{r}"));
    }
    if let Some(s) = g.statement {
        ps.push(format!("当事人陈述、申辩：{s}"));
    }
    ps.push(format!("本机关认为：{reasons}"));
    ps.push(format!(
        "依据{}，决定给予如下行政处罚：{}。",
        g.item_name
            .replace("的处罚", "的有关规定")
            .replace('对', "关于"),
        decided.describe()
    ));
    if decided.fine > 0 {
        ps.push(
            "当事人应当自收到本决定书之日起十五日内缴纳罚款。到期不缴纳罚款的，本机关每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（《中华人民共和国行政处罚法》第六十七条、第七十二条）。"
                .to_string(),
        );
    }
    ps.push("如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。".into());
    ps
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

    fn grounds() -> Grounds<'static> {
        Grounds {
            party: Party {
                kind: PartyKind::Organisation,
                name: "惠民便利店",
                id_no: "91410105MA44XK7P0F",
                address: "金水路1号",
            },
            report: "销售过期食品",
            band: None,
            outside_band_reasons: None,
            statement: Some("初次违法"),
            item_name: "对销售过期食品的处罚",
        }
    }

    #[test]
    fn a_decision_with_a_fine_states_the_basis_payment_and_remedies() {
        let fined = Penalty {
            fine: 500_000,
            ..Penalty::default()
        };
        let ps = paragraphs(&grounds(), &fined, "事实清楚");
        assert_eq!(
            ps[0],
            "当事人：惠民便利店，统一社会信用代码：91410105MA44XK7P0F，住所：金水路1号"
        );
        assert_eq!(ps[1], "经查，销售过期食品");
        assert_eq!(ps[2], "当事人陈述、申辩：初次违法");
        assert_eq!(ps[3], "本机关认为：事实清楚");
        assert!(ps[4].starts_with("依据关于销售过期食品的有关规定，决定给予如下行政处罚："));
        assert!(ps[5].contains("十五日内缴纳罚款"));
        assert!(ps[6].starts_with("如不服本决定"));
        let warned = Penalty {
            warning: true,
            ..Penalty::default()
        };
        let ps = paragraphs(&grounds(), &warned, "事实清楚");
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
