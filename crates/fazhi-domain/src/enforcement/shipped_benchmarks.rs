//! The shipped discretion benchmarks (`data/discretion/benchmarks.toml`) read against the
//! statutes they cite: every fine band inside the legal range of the article it applies, every
//! factor's basis saying what the cited item says (行政处罚法 第三十二条、第三十三条).

use super::discretion::{BenchmarkFile, Effect};

const SHIPPED: &str = include_str!("../../../../data/discretion/benchmarks.toml");

fn shipped() -> BenchmarkFile {
    toml::from_str(SHIPPED).unwrap_or_else(|e| panic!("{e}"))
}

/// The fine range (yuan, inclusive) of each penalty article a shipped benchmark applies, and
/// whether the article also orders confiscation (没收) in every case.
const LEGAL_RANGES: [(&str, i64, i64, bool); 5] = [
    // 第二十五条: 处1万元以上5万元以下的罚款；逾期仍不备案的，处5万元以上10万元以下的罚款.
    ("《商业特许经营管理条例》第二十五条", 10_000, 100_000, false),
    // 第三十六条: 逾期仍不改正的，处以1万元以上3万元以下罚款.
    (
        "《单用途商业预付卡管理办法（试行）》第三十六条",
        10_000,
        30_000,
        false,
    ),
    // 第三十七条: 逾期不改正的，处十万元以上五十万元以下的罚款.
    (
        "《中华人民共和国外商投资法》第三十七条",
        100_000,
        500_000,
        false,
    ),
    // 第十九条: 没收……没收违法所得；违法所得不足5万元或者没有违法所得的，并处5万元以上10万元
    // 以下的罚款 (违法所得在5万元以上的，违法所得2倍以上5倍以下: a band in yuan then starts at
    // ¥100,000 at least, so ¥50,000 is the floor either way; no fixed ceiling above the gains).
    ("《报废机动车回收管理办法》第十九条", 50_000, i64::MAX, true),
    // 第二十三条: 责令改正，并处1万元以上5万元以下的罚款.
    (
        "《报废机动车回收管理办法》第二十三条",
        10_000,
        50_000,
        false,
    ),
];

#[test]
fn every_shipped_benchmark_band_lies_within_the_legal_range_of_the_article_it_applies() {
    for d in shipped().benchmarks {
        let b = d.benchmark;
        let Some(&(_, lo, hi, confiscation)) = LEGAL_RANGES
            .iter()
            .find(|(article, ..)| *article == b.penalty_basis)
        else {
            panic!(
                "{}: add the legal range of {} to this test",
                b.code, b.penalty_basis
            );
        };
        for g in &b.grades {
            if let Some((min, max)) = g.fine_yuan {
                assert!(
                    lo <= min && max <= hi,
                    "{} {:?}: {min}–{max} lies outside {lo}–{hi} ({})",
                    b.code,
                    g.grade,
                    b.penalty_basis
                );
            }
            assert!(
                !confiscation || g.confiscation,
                "{} {:?}: {} orders confiscation",
                b.code,
                g.grade,
                b.penalty_basis
            );
        }
    }
}

/// 行政处罚法 第三十二条 (应当从轻或者减轻) item by item, and words a factor citing the item must
/// use: (一)主动消除或者减轻违法行为危害后果的；(二)受他人胁迫或者诱骗实施违法行为的；(三)主动供述
/// 行政机关尚未掌握的违法行为的；(四)配合行政机关查处违法行为有立功表现的；(五)法律、法规、规章
/// 规定其他应当从轻或者减轻行政处罚的 (the factor then names that rule).
const ARTICLE_32: [(&str, &[&str]); 5] = [
    ("第三十二条第一项", &["消除", "减轻"]),
    ("第三十二条第二项", &["胁迫", "诱骗"]),
    ("第三十二条第三项", &["主动供述", "尚未掌握"]),
    ("第三十二条第四项", &["立功"]),
    ("第三十二条第五项", &[]),
];

#[test]
fn every_factor_citing_articles_thirty_two_or_thirty_three_says_what_the_cited_item_says() {
    for d in shipped().benchmarks {
        let b = d.benchmark;
        for f in &b.factors {
            let who = format!("{}「{}」（{}）", b.code, f.text, f.basis);
            if !f.basis.contains("行政处罚法") {
                continue;
            }
            if f.basis.contains("第三十二条") {
                let (item, words) = ARTICLE_32
                    .iter()
                    .find(|(item, _)| f.basis.contains(item))
                    .unwrap_or_else(|| panic!("{who}: cite the item of 第三十二条"));
                assert!(
                    matches!(f.effect, Effect::Lighter | Effect::Mitigated),
                    "{who}: 第三十二条 makes a penalty lighter or mitigated"
                );
                if words.is_empty() {
                    let other_rule = f.basis.matches('《').count() > 1;
                    assert!(other_rule, "{who}: {item} needs the rule that provides it");
                } else {
                    assert!(
                        words.iter().any(|w| f.text.contains(w)),
                        "{who}: {item} is not about this"
                    );
                }
            }
            if f.basis.contains("第三十三条") {
                // 第一款: 违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且
                // 危害后果轻微并及时改正的，可以不予行政处罚.
                assert_eq!(f.effect, Effect::NoPenalty, "{who}");
                assert!(
                    f.text.contains("及时改正") && f.text.contains("轻微"),
                    "{who}: 第三十三条第一款 needs a minor violation promptly corrected"
                );
            }
        }
    }
}
