//! 行政裁量权基准 (SPEC C12; 行政处罚法 第三十四条): per violation, the circumstance grades with
//! their penalty ranges and the factors that move a penalty lighter, below the range, heavier or
//! to no penalty. A proposed penalty shows the band that applies and why, as a readable trace;
//! a penalty outside the band needs written reasons and makes legal review mandatory.

use serde::{Deserialize, Serialize};

use super::{Fen, yuan};
use crate::Refusal;

/// 情节: circumstance grades (GLOSSARY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 轻微.
    Minor,
    /// 一般.
    Ordinary,
    /// 较重.
    Serious,
    /// 严重.
    Grave,
}

impl Grade {
    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Minor => "轻微",
            Self::Ordinary => "一般",
            Self::Serious => "较重",
            Self::Grave => "严重",
        }
    }
}

/// A factor's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// 从轻: within the range, the lower part.
    Lighter,
    /// 减轻: below the range's minimum.
    Mitigated,
    /// 从重: within the range, the upper part.
    Heavier,
    /// 不予处罚.
    NoPenalty,
}

impl Effect {
    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Lighter => "从轻",
            Self::Mitigated => "减轻",
            Self::Heavier => "从重",
            Self::NoPenalty => "不予处罚",
        }
    }
}

/// The penalty range of one grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeRange {
    /// The grade.
    pub grade: Grade,
    /// What makes a case this grade.
    pub description: String,
    /// Whether a warning applies.
    #[serde(default)]
    pub warning: bool,
    /// Fine band in yuan (inclusive), if a fine applies.
    #[serde(default)]
    pub fine_yuan: Option<(i64, i64)>,
    /// Whether confiscation (没收违法所得、没收非法财物) applies.
    #[serde(default)]
    pub confiscation: bool,
    /// Other measures (suspension, revocation…), as the benchmark states them.
    #[serde(default)]
    pub other: String,
}

/// One factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factor {
    /// Its effect.
    pub effect: Effect,
    /// The circumstance.
    pub text: String,
    /// Its basis.
    pub basis: String,
}

/// The benchmark of one violation, one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benchmark {
    /// Code of the violation.
    pub code: String,
    /// The violation.
    pub violation: String,
    /// The penalty item of the power list it belongs to.
    pub power_code: String,
    /// Basis of the violation (the rule broken).
    pub violation_basis: String,
    /// Basis of the penalty.
    pub penalty_basis: String,
    /// Grades, from minor to grave.
    pub grades: Vec<GradeRange>,
    /// Factors.
    #[serde(default)]
    pub factors: Vec<Factor>,
    /// Doubts about the data, shown with it.
    #[serde(default)]
    pub note: String,
}

/// A file of benchmarks (`data/discretion/benchmarks.toml`), each with the day it takes effect.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BenchmarkFile {
    /// The benchmarks.
    #[serde(default)]
    pub benchmarks: Vec<Dated>,
}

/// A benchmark with the day it takes effect.
#[derive(Debug, Clone, Deserialize)]
pub struct Dated {
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    /// The benchmark.
    #[serde(flatten)]
    pub benchmark: Benchmark,
}

/// The band a proposed penalty must fall in, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// No penalty applies.
    pub no_penalty: bool,
    /// Lowest fine, fen.
    pub min: Fen,
    /// Highest fine, fen.
    pub max: Fen,
    /// Grade, factors, articles: one line each.
    pub trace: Vec<String>,
    /// The penalty types the grade (and its article) provides besides the fine; `None` for a
    /// band recorded before types were kept, which is not checked after the fact.
    #[serde(default)]
    pub types: Option<Types>,
}

/// The penalty types besides the fine that a grade provides (行政处罚法 第三十八条: a penalty
/// without legal basis is void).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Types {
    /// 警告.
    pub warning: bool,
    /// 没收违法所得、没收非法财物.
    pub confiscation: bool,
    /// Other measures, as the benchmark states them; empty for none.
    pub other: String,
    /// The article, for the refusal.
    pub basis: String,
}

impl Benchmark {
    /// Checks the data: grades in order with bands that make sense, every factor with a basis.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut e = Vec::new();
        if self.grades.is_empty() {
            e.push(format!("{}：至少需要一个情节等级", self.code));
        }
        for g in &self.grades {
            if let Some((lo, hi)) = g.fine_yuan
                && (lo < 0 || hi < lo)
            {
                e.push(format!(
                    "{}：{}情节的罚款区间 {lo}–{hi} 元不合理",
                    self.code,
                    g.grade.label_zh()
                ));
            }
        }
        for f in &self.factors {
            if f.basis.trim().is_empty() {
                e.push(format!(
                    "{}：{}情形「{}」没有写明依据",
                    self.code,
                    f.effect.label_zh(),
                    f.text
                ));
            }
        }
        if self.penalty_basis.trim().is_empty() {
            e.push(format!("{}：没有写明处罚依据", self.code));
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    /// The band for a case of `grade` with the factors found (indices into `factors`).
    pub fn band(&self, grade: Grade, found: &[usize]) -> Result<Band, Refusal> {
        let g = self
            .grades
            .iter()
            .find(|x| x.grade == grade)
            .ok_or_else(|| {
                Refusal::new(
                    "discretion.no_grade",
                    format!("本基准没有“{}”情节。", grade.label_zh()),
                )
            })?;
        let (lo, hi) = g.fine_yuan.map_or((0, 0), |(a, b)| (a * 100, b * 100));
        let types = Types {
            warning: g.warning,
            confiscation: g.confiscation,
            other: g.other.trim().to_string(),
            basis: self.penalty_basis.clone(),
        };
        let mut trace = vec![format!(
            "情节：{}（{}）→ {}{}（依据：{}）",
            grade.label_zh(),
            g.description,
            if g.warning { "警告；" } else { "" },
            if hi > 0 {
                format!("罚款 {}–{}", yuan(lo), yuan(hi))
            } else {
                "不处罚款".into()
            },
            self.penalty_basis
        )];
        let factors: Vec<&Factor> = found.iter().filter_map(|i| self.factors.get(*i)).collect();
        if let Some(f) = factors.iter().find(|f| f.effect == Effect::NoPenalty) {
            trace.push(format!("不予处罚：{}（{}）", f.text, f.basis));
            return Ok(Band {
                no_penalty: true,
                min: 0,
                max: 0,
                trace,
                types: Some(types),
            });
        }
        let has = |e: Effect| factors.iter().any(|f| f.effect == e);
        let mid = lo + (hi - lo) / 2;
        let (min, max) = match (
            has(Effect::Mitigated),
            has(Effect::Lighter),
            has(Effect::Heavier),
        ) {
            (true, _, _) => (0, lo),
            (false, true, false) => (lo, mid),
            (false, false, true) => (mid, hi),
            _ => (lo, hi),
        };
        for f in &factors {
            let effect = match f.effect {
                Effect::Mitigated => format!("在最低额 {} 以下确定", yuan(lo)),
                Effect::Lighter if has(Effect::Heavier) => "与从重情形相抵，在全区间内确定".into(),
                Effect::Heavier if has(Effect::Lighter) => "与从轻情形相抵，在全区间内确定".into(),
                Effect::Lighter => format!("在区间下半段 {}–{} 内确定", yuan(lo), yuan(mid)),
                Effect::Heavier => format!("在区间上半段 {}–{} 内确定", yuan(mid), yuan(hi)),
                Effect::NoPenalty => String::new(),
            };
            trace.push(format!(
                "{}：{}（{}）→ {effect}",
                f.effect.label_zh(),
                f.text,
                f.basis
            ));
        }
        trace.push(format!("适用区间：{}–{}", yuan(min), yuan(max)));
        Ok(Band {
            no_penalty: false,
            min,
            max,
            trace,
            types: Some(types),
        })
    }
}

/// The types of a proposed penalty against what the grade provides: a warning, a confiscation
/// or another measure the grade (and its article) does not provide has no legal basis and is
/// refused outright — unlike a fine outside the band, reasons cannot cure it (行政处罚法
/// 第三十八条第一款).
pub fn check_types(band: &Band, p: &super::case::Penalty) -> Result<(), Refusal> {
    let Some(t) = &band.types else {
        return Ok(());
    };
    let mut missing = Vec::new();
    if p.warning && !t.warning {
        missing.push("警告".to_string());
    }
    if p.confiscation > 0 && !t.confiscation {
        missing.push("没收违法所得、没收非法财物".to_string());
    }
    let other = p.other.trim();
    let provided = t
        .other
        .split(['、', '；', '，', ',', ';'])
        .map(str::trim)
        .any(|x| !x.is_empty() && x == other);
    if !other.is_empty() && !provided {
        missing.push(other.to_string());
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(Refusal::by_law(
        "discretion.type_without_basis",
        format!(
            "拟给予的{}不在本案适用的处罚依据（{}）和裁量基准该情节规定的处罚种类之内（{}）。没有法定依据的行政处罚无效。",
            missing.join("、"),
            t.basis,
            t.describe()
        ),
        "行政处罚法 第三十八条第一款",
    ))
}

impl Types {
    /// What the grade provides besides the fine, in words.
    pub fn describe(&self) -> String {
        let mut v = Vec::new();
        if self.warning {
            v.push("警告".to_string());
        }
        if self.confiscation {
            v.push("没收".to_string());
        }
        if !self.other.is_empty() {
            v.push(self.other.clone());
        }
        if v.is_empty() {
            "除罚款外无其他处罚种类".into()
        } else {
            format!("罚款以外可以{}", v.join("、"))
        }
    }
}

/// A proposed fine against the band: inside is fine; outside needs written reasons and legal
/// review before any decision.
pub fn check_fine(band: &Band, fine: Fen, reasons: &str) -> Result<bool, Refusal> {
    let inside = !band.no_penalty && (band.min..=band.max).contains(&fine);
    if inside {
        return Ok(false);
    }
    if reasons.trim().chars().count() < 10 {
        return Err(Refusal::by_law(
            "discretion.outside_band",
            format!(
                "拟罚款 {} 超出裁量基准的适用区间（{}），须书面说明理由（不少于 10 个字），并须经法制审核。",
                yuan(fine),
                if band.no_penalty {
                    "不予处罚".to_string()
                } else {
                    format!("{}–{}", yuan(band.min), yuan(band.max))
                }
            ),
            "行政处罚法 第三十四条、第五十八条",
        ));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn franchise() -> Benchmark {
        Benchmark {
            code: "WF-TX-001".into(),
            violation: "特许人未依法备案".into(),
            power_code: "ZZSW-CF-001".into(),
            violation_basis: "《商业特许经营管理条例》第八条".into(),
            penalty_basis: "《商业特许经营管理条例》第二十五条".into(),
            grades: vec![
                GradeRange {
                    grade: Grade::Ordinary,
                    description: "逾期未备案".into(),
                    warning: false,
                    fine_yuan: Some((10_000, 30_000)),
                    confiscation: false,
                    other: String::new(),
                },
                GradeRange {
                    grade: Grade::Serious,
                    description: "经责令仍不备案".into(),
                    warning: false,
                    fine_yuan: Some((50_000, 100_000)),
                    confiscation: false,
                    other: "予以公告".into(),
                },
            ],
            factors: vec![
                Factor {
                    effect: Effect::Lighter,
                    text: "主动消除危害后果".into(),
                    basis: "行政处罚法 第三十二条".into(),
                },
                Factor {
                    effect: Effect::Heavier,
                    text: "一年内再次违法".into(),
                    basis: "本基准".into(),
                },
                Factor {
                    effect: Effect::NoPenalty,
                    text: "初次违法且及时改正、危害后果轻微".into(),
                    basis: "行政处罚法 第三十三条".into(),
                },
                Factor {
                    effect: Effect::Mitigated,
                    text: "受他人胁迫".into(),
                    basis: "行政处罚法 第三十二条".into(),
                },
            ],
            note: String::new(),
        }
    }

    #[test]
    fn the_band_follows_grade_and_factors_and_says_why() {
        let b = franchise();
        let band = b.band(Grade::Ordinary, &[]).unwrap();
        assert_eq!((band.min, band.max), (1_000_000, 3_000_000));
        let lighter = b.band(Grade::Ordinary, &[0]).unwrap();
        assert_eq!((lighter.min, lighter.max), (1_000_000, 2_000_000));
        assert!(lighter.trace.join("\n").contains("从轻：主动消除危害后果（行政处罚法 第三十二条）→ 在区间下半段 ¥10,000.00–¥20,000.00 内确定"));
        let heavier = b.band(Grade::Serious, &[1]).unwrap();
        assert_eq!((heavier.min, heavier.max), (7_500_000, 10_000_000));
        let both = b.band(Grade::Ordinary, &[0, 1]).unwrap();
        assert_eq!((both.min, both.max), (1_000_000, 3_000_000));
        let mitigated = b.band(Grade::Ordinary, &[3]).unwrap();
        assert_eq!((mitigated.min, mitigated.max), (0, 1_000_000));
        assert!(b.band(Grade::Ordinary, &[2]).unwrap().no_penalty);
        assert!(b.band(Grade::Grave, &[]).is_err());
    }

    #[test]
    fn a_fine_outside_the_band_needs_written_reasons_and_then_legal_review() {
        let band = franchise().band(Grade::Ordinary, &[]).unwrap();
        assert_eq!(check_fine(&band, 2_000_000, ""), Ok(false));
        let r = check_fine(&band, 4_000_000, "").unwrap_err();
        assert!(r.message.contains("¥40,000.00") && r.message.contains("¥10,000.00–¥30,000.00"));
        assert_eq!(
            check_fine(&band, 4_000_000, "案情特殊，社会影响恶劣，需从严处理"),
            Ok(true)
        );
    }

    #[test]
    fn a_warning_confiscation_or_other_measure_the_grade_does_not_provide_is_refused() {
        use crate::enforcement::case::Penalty;
        let b = franchise();
        let band = b.band(Grade::Ordinary, &[]).unwrap();
        let fine = Penalty {
            fine: 2_000_000,
            ..Penalty::default()
        };
        assert!(check_types(&band, &fine).is_ok());
        for p in [
            Penalty {
                warning: true,
                ..fine.clone()
            },
            Penalty {
                confiscation: 100_000,
                ..fine.clone()
            },
            Penalty {
                other: "吊销许可证件".into(),
                ..fine.clone()
            },
        ] {
            let r = check_types(&band, &p).unwrap_err();
            assert_eq!(r.code, "discretion.type_without_basis");
            assert!(r.basis.unwrap().contains("第三十八条"));
            assert!(r.message.contains("第二十五条"), "{}", r.message);
        }
        let serious = b.band(Grade::Serious, &[]).unwrap();
        let notice = Penalty {
            fine: 6_000_000,
            other: "予以公告".into(),
            ..Penalty::default()
        };
        assert!(check_types(&serious, &notice).is_ok());
        // Only a measure the grade names, not a fragment of it.
        let fragment = Penalty {
            other: "公告".into(),
            ..notice
        };
        assert!(check_types(&serious, &fragment).is_err());
    }

    #[test]
    fn bad_benchmark_data_is_refused_with_every_reason() {
        let mut b = franchise();
        b.grades[0].fine_yuan = Some((30_000, 10_000));
        b.factors[1].basis = String::new();
        assert_eq!(b.check().unwrap_err().len(), 2);
        assert!(franchise().check().is_ok());
    }
}
