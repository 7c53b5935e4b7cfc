//! 案卷评查 (`FileEvaluation`, SPEC C13): a configurable scoring sheet for closed case files,
//! the check of a score against it, and the grade of a total.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// One item of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetItem {
    /// Identifier.
    pub id: String,
    /// Name.
    pub title: String,
    /// Full marks.
    pub points: i64,
    /// What the evaluator looks for.
    #[serde(default)]
    pub hint: String,
}

/// A grade from a lowest total on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetGrade {
    /// Lowest total.
    pub min: i64,
    /// Name.
    pub title: String,
}

/// The scoring sheet (`data/enforcement/evaluation.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// Name.
    pub title: String,
    /// Version; an evaluation keeps the sheet it started with.
    pub version: u32,
    /// Where the sheet comes from.
    pub basis: String,
    /// Items.
    pub items: Vec<SheetItem>,
    /// Grades, highest first.
    pub grades: Vec<SheetGrade>,
}

/// The sheet shipped with fazhi.
pub const SHIPPED_SHEET: &str = include_str!("../../../../data/enforcement/evaluation.toml");

impl Sheet {
    /// Parses and checks a sheet: unique items with positive points, grades from high to low
    /// ending at 0.
    pub fn parse(text: &str) -> Result<Self, String> {
        let s: Sheet =
            toml::from_str(text).map_err(|e| format!("评查标准文件格式有误：{}", e.message()))?;
        let mut errors = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for i in &s.items {
            if !seen.insert(i.id.as_str()) {
                errors.push(format!("评查项目「{}」重复", i.id));
            }
            if i.points <= 0 {
                errors.push(format!("评查项目「{}」的分值应大于 0", i.title));
            }
        }
        if s.items.is_empty() {
            errors.push("评查标准没有任何评查项目".into());
        }
        if !s.grades.windows(2).all(|w| w[0].min > w[1].min)
            || s.grades.last().map(|g| g.min) != Some(0)
        {
            errors.push("等次应按最低分从高到低排列，最后一个等次从 0 分起".into());
        }
        if errors.is_empty() {
            Ok(s)
        } else {
            Err(errors.join("；"))
        }
    }

    /// The shipped sheet (checked by a test).
    pub fn shipped() -> Self {
        Self::parse(SHIPPED_SHEET).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Full marks.
    pub fn total(&self) -> i64 {
        self.items.iter().map(|i| i.points).sum()
    }

    /// Checks a score: every item scored within 0 and its points. Returns the total.
    pub fn check(&self, scores: &BTreeMap<String, i64>) -> Result<i64, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut total = 0;
        for i in &self.items {
            match scores.get(&i.id) {
                Some(v) if (0..=i.points).contains(v) => total += v,
                Some(_) => errors.push(FieldError::new(
                    &format!("score_{}", i.id),
                    &i.title,
                    &format!("应在 0 至 {} 分之间", i.points),
                )),
                None => errors.push(FieldError::new(
                    &format!("score_{}", i.id),
                    &i.title,
                    "请评分",
                )),
            }
        }
        if errors.is_empty() {
            Ok(total)
        } else {
            Err(errors)
        }
    }

    /// The grade of a total.
    pub fn grade(&self, total: i64) -> &str {
        self.grades
            .iter()
            .find(|g| total >= g.min)
            .map_or("", |g| g.title.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_sheet_totals_one_hundred_and_grades_from_high_to_low() {
        let s = Sheet::shipped();
        assert_eq!(s.total(), 100);
        assert_eq!(s.grade(95), "优秀");
        assert_eq!(s.grade(80), "合格");
        assert_eq!(s.grade(10), "不合格");
    }

    #[test]
    fn a_score_above_an_items_points_or_a_missing_item_is_refused() {
        let s = Sheet::shipped();
        let mut m: BTreeMap<String, i64> =
            s.items.iter().map(|i| (i.id.clone(), i.points)).collect();
        assert_eq!(s.check(&m), Ok(100));
        m.insert("subject".into(), 11);
        m.remove("basis");
        let e = s.check(&m).unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].message.contains("0 至 10"));
    }
}
