//! How the case's documents word what they share, in the manner of the provincial model texts
//! (河南省行政执法文书式样; the 市场监督管理行政处罚文书格式范本 as the nearest published set): the
//! facts found opened once with 经查, the violation named from the item, the legal basis as
//! articles (《X》第N条), the circumstances of the discretion in words, amounts in 人民币…元, and
//! the remedies with the reconsideration body and the court named.

use super::case::Penalty;
use super::discretion::Band;
use super::rules::Remedy;
use super::{Fen, yuan};
use crate::power::LegalBasis;

/// An amount as documents write it: `人民币20,000元`, `人民币1,234.50元`.
pub fn rmb(fen: Fen) -> String {
    let y = yuan(fen);
    let y = y.trim_start_matches('¥');
    format!("人民币{}元", y.strip_suffix(".00").unwrap_or(y))
}

/// The penalty as a document states it: 警告；罚款人民币20,000元；没收违法所得人民币…元.
pub fn penalty_words(p: &Penalty) -> String {
    let mut v = Vec::new();
    if p.warning {
        v.push("警告".to_string());
    }
    if p.fine > 0 {
        v.push(format!("罚款{}", rmb(p.fine)));
    }
    if p.confiscation > 0 {
        v.push(format!("没收违法所得{}", rmb(p.confiscation)));
    }
    if !p.other.trim().is_empty() {
        v.push(p.other.trim().to_string());
    }
    if v.is_empty() {
        "不予行政处罚".into()
    } else {
        v.join("；")
    }
}

/// The facts found, opened once with 经查: a report that already opens with 经查 (or 经调查)
/// keeps its own opening rather than having a second one put before it, and ends with 。.
pub fn facts_found(report: &str) -> String {
    let mut body = report.trim();
    for opening in ["经调查查明", "经调查", "经查明", "经查", "现查明", "查明"] {
        if let Some(rest) = body.strip_prefix(opening) {
            body = rest.trim_start_matches(['，', ',', '：', ':', ' ']);
            break;
        }
    }
    let mut s = format!("经查，{body}");
    if !s.ends_with(['。', '！', '？', '；']) {
        s.push('。');
    }
    s
}

/// The organ's reasons as typed, without an opening of its own (本机关认为、本局认为) that the
/// document already writes before them.
pub fn without_opening(s: &str) -> &str {
    let s = s.trim();
    for opening in ["本机关认为", "本局认为", "我局认为"] {
        if let Some(rest) = s.strip_prefix(opening) {
            return rest.trim_start_matches(['，', ',', '：', ':', ' ']);
        }
    }
    s
}

/// The violation an item punishes, from its name: `对发卡企业未按规定办理备案的处罚` →
/// `发卡企业未按规定办理备案`.
pub fn violation(item_name: &str) -> String {
    let s = item_name.strip_prefix('对').unwrap_or(item_name);
    s.strip_suffix("的处罚")
        .or_else(|| s.strip_suffix("的行政处罚"))
        .unwrap_or(s)
        .to_string()
}

/// The articles of an item's bases: `《商业特许经营管理条例》第二十五条`, joined with 、;
/// bases without an article are left out (a document cites articles, not laws at large).
pub fn articles(bases: &[LegalBasis]) -> String {
    let cited: Vec<String> = bases
        .iter()
        .filter(|b| b.article.contains('第') && b.article.contains('条'))
        .map(|b| {
            format!(
                "《{}》{}",
                b.law.trim_matches(['《', '》']),
                b.article.trim()
            )
        })
        .collect();
    cited.join("、")
}

/// The circumstances the discretion found, in words for the legal text: the grade with its
/// description, and each factor with its basis — without the arrows and ranges of the trace,
/// which belong to the case file. Read from the trace, so bands recorded earlier read too.
pub fn circumstances(band: &Band) -> Option<String> {
    let mut parts = Vec::new();
    for line in &band.trace {
        let head = line.split('→').next().unwrap_or(line).trim();
        if head.starts_with("适用区间") {
            continue;
        }
        if let Some(rest) = head.strip_prefix("情节：") {
            parts.push(format!("违法情节属于{rest}情形"));
        } else if let Some((effect, what)) = head.split_once('：') {
            parts.push(format!("具有{effect}处罚的情形：{what}"));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("经裁量，当事人{}。", parts.join("；")))
}

/// Where and within what time the party may seek review (行政复议法 第二十条、第二十四条；
/// 行政诉讼法 第十八条、第四十六条；行政处罚法 第七十三条).
pub fn remedies(document: &str, r: &Remedy) -> String {
    format!(
        "当事人如不服本{document}，可以在收到本决定书之日起六十日内向{}申请行政复议，也可以在六个月内依法向{}提起行政诉讼。行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。",
        r.reconsideration, r.court
    )
}

/// What keeps a document's text from reading as an official document: a phrase of two or more
/// characters written twice in a row (经查，经查，), a date in ASCII form (2026-11-28 instead of
/// 2026年11月28日), a basis cited without its article (依据… not followed within its sentence by
/// 第…条). One message per defect, quoting it.
pub fn defects(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let cs: Vec<char> = text.chars().collect();
    let cjk = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
    for i in 0..cs.len() {
        for len in 2..=8 {
            if i + 2 * len > cs.len() {
                break;
            }
            let (a, b) = (&cs[i..i + len], &cs[i + len..i + 2 * len]);
            if a == b && a.iter().any(cjk) && a.iter().any(|c| *c != a[0]) {
                out.push(format!("重复的词句「{}」", a.iter().collect::<String>()));
            }
        }
        let digits = |r: std::ops::Range<usize>| r.into_iter().all(|k| cs[k].is_ascii_digit());
        if i + 10 <= cs.len()
            && digits(i..i + 4)
            && cs[i + 4] == '-'
            && digits(i + 5..i + 7)
            && cs[i + 7] == '-'
            && digits(i + 8..i + 10)
        {
            out.push(format!(
                "日期「{}」应写作某年某月某日",
                cs[i..i + 10].iter().collect::<String>()
            ));
        }
    }
    for sentence in text.split('。') {
        let mut rest = sentence;
        while let Some(at) = rest.find("依据") {
            rest = &rest[at + "依据".len()..];
            let cited = rest.find('第').is_some_and(|d| rest[d..].contains('条'));
            if !cited {
                out.push(format!("依据没有写明条款：「{sentence}」"));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defects_of_an_unofficial_text_are_found_and_an_official_one_has_none() {
        let bad = "经查，经查，当事人于2026-11-28未备案。依据关于发卡企业未按规定办理备案的有关规定，决定罚款。";
        let d = defects(bad);
        assert!(d.iter().any(|m| m.contains("经查，")), "{d:?}");
        assert!(d.iter().any(|m| m.contains("2026-11-28")), "{d:?}");
        assert!(d.iter().any(|m| m.contains("依据没有写明条款")), "{d:?}");
        let good = "经查，当事人于2026年11月28日未备案。依据《单用途商业预付卡管理办法（试行）》第三十六条的规定，决定罚款人民币10,000元。";
        assert!(defects(good).is_empty(), "{:?}", defects(good));
    }

    #[test]
    fn a_report_that_opens_with_its_own_finding_is_not_opened_twice() {
        assert_eq!(facts_found("经查，当事人未备案"), "经查，当事人未备案。");
        assert_eq!(
            facts_found("经调查，当事人未备案。"),
            "经查，当事人未备案。"
        );
        assert_eq!(facts_found("当事人未备案"), "经查，当事人未备案。");
    }

    #[test]
    fn the_violation_is_the_item_without_its_frame() {
        assert_eq!(
            violation("对发卡企业未按规定办理备案的处罚"),
            "发卡企业未按规定办理备案"
        );
    }

    #[test]
    fn bases_are_cited_by_article_and_lawless_ones_left_out() {
        let b = |law: &str, article: &str| LegalBasis {
            law: law.into(),
            article: article.into(),
            text: String::new(),
        };
        assert_eq!(
            articles(&[
                b("单用途商业预付卡管理办法（试行）", "第三十六条"),
                b("某法", "")
            ]),
            "《单用途商业预付卡管理办法（试行）》第三十六条"
        );
    }

    #[test]
    fn amounts_read_as_renminbi() {
        assert_eq!(rmb(2_000_000), "人民币20,000元");
        assert_eq!(rmb(123_450), "人民币1,234.50元");
    }

    #[test]
    fn the_circumstances_are_words_without_arrows_or_ranges() {
        let band = Band {
            no_penalty: false,
            min: 0,
            max: 0,
            trace: vec![
                "情节：一般（逾期未改正）→ 罚款 ¥10,000.00–¥30,000.00（依据：某法 第三条）".into(),
                "从轻：主动消除危害后果（行政处罚法 第三十二条第一项）→ 在区间下半段内确定".into(),
                "适用区间：¥10,000.00–¥20,000.00".into(),
            ],
            types: None,
        };
        let s = circumstances(&band).unwrap();
        assert_eq!(
            s,
            "经裁量，当事人违法情节属于一般（逾期未改正）情形；具有从轻处罚的情形：主动消除危害后果（行政处罚法 第三十二条第一项）。"
        );
        assert!(!s.contains('→') && !s.contains('¥'));
    }
}
