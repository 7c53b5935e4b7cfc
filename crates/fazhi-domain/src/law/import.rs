//! The plain-text format a legal text is imported from: a header of `key：value` lines, a blank
//! line, then the text with one article per line (第一条 …), chapter headings allowed. Akoma
//! Ntoso XML is read by `normative::akn`.
//!
//! ```text
//! 标题：中华人民共和国行政处罚法
//! 简称：行政处罚法
//! 类别：法律
//! 制定机关：全国人民代表大会
//! 文号：中华人民共和国主席令第七十号
//! 公布日期：2021-01-22
//! 施行日期：2021-07-15
//!
//! 第一条 为了规范行政处罚的设定和实施……
//! ```

use time::Date;

use super::LawKind;
use crate::calendar::parse_date;
use crate::normative::articles::{Article, parse_articles};

/// A legal text read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawText {
    /// Full title.
    pub title: String,
    /// Short title, as texts cite it.
    pub short_title: String,
    /// Kind.
    pub kind: LawKind,
    /// Issuing organ.
    pub issuer: String,
    /// Document number (主席令、国务院令、部令).
    pub number: String,
    /// Promulgation date.
    pub promulgated_on: Option<Date>,
    /// Date in force (of this text).
    pub effective_from: Date,
    /// The articles.
    pub articles: Vec<Article>,
}

/// Reads a text in the plain format; every problem is a message in Chinese naming the line.
pub fn read(s: &str) -> Result<LawText, String> {
    let (head, body) = s
        .split_once("\n\n")
        .ok_or("格式有误：文件头和正文之间应当有一个空行")?;
    let mut fields = std::collections::HashMap::new();
    for (n, line) in head.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (k, v) = line
            .split_once('：')
            .or_else(|| line.split_once(':'))
            .ok_or_else(|| format!("第 {} 行应为「项目：内容」：{line}", n + 1))?;
        fields.insert(k.trim().to_string(), v.trim().to_string());
    }
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let title = get("标题");
    if title.is_empty() {
        return Err("缺少「标题」".into());
    }
    let kind_label = get("类别");
    let kind = LawKind::ALL
        .into_iter()
        .find(|k| k.label_zh() == kind_label)
        .ok_or_else(|| {
            format!(
                "「类别」应为以下之一：{}",
                LawKind::ALL.map(LawKind::label_zh).join("、")
            )
        })?;
    let date = |k: &str| -> Result<Option<Date>, String> {
        let v = get(k);
        if v.is_empty() {
            return Ok(None);
        }
        parse_date(&v)
            .map(Some)
            .ok_or_else(|| format!("「{k}」应为 2026-01-01 格式：{v}"))
    };
    let effective_from = date("施行日期")?.ok_or("缺少「施行日期」")?;
    let articles: Vec<Article> = parse_articles(body)
        .into_iter()
        .filter(|a| a.eid != "preamble")
        .collect();
    if articles.is_empty() {
        return Err("正文没有条文：每一条另起一行，以「第一条」开头".into());
    }
    let mut seen = std::collections::HashSet::new();
    for a in &articles {
        if !seen.insert(a.eid.clone()) {
            return Err(format!("{}出现了两次", a.num));
        }
    }
    let short = get("简称");
    Ok(LawText {
        short_title: if short.is_empty() {
            super::normalise(&title)
        } else {
            short
        },
        title,
        kind,
        issuer: get("制定机关"),
        number: get("文号"),
        promulgated_on: date("公布日期")?,
        effective_from,
        articles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_with_its_header_reads_into_articles() {
        let t = read("标题：中华人民共和国行政处罚法\n类别：法律\n制定机关：全国人民代表大会\n施行日期：2021-07-15\n\n第一章 总则\n第一条 为了规范行政处罚的设定和实施。\n第二条 行政处罚是指……\n").unwrap();
        assert_eq!(t.short_title, "行政处罚法");
        assert_eq!(t.kind, LawKind::Law);
        assert_eq!(t.articles.len(), 2);
        assert_eq!(t.articles[1].eid, "art_2");
    }

    #[test]
    fn a_text_without_date_kind_blank_line_or_with_a_doubled_article_is_refused() {
        assert!(
            read("标题：某法\n类别：法律\n第一条 x")
                .unwrap_err()
                .contains("空行")
        );
        assert!(
            read("标题：某法\n类别：法律\n\n第一条 x")
                .unwrap_err()
                .contains("施行日期")
        );
        assert!(
            read("标题：某法\n类别：宪章\n施行日期：2020-01-01\n\n第一条 x")
                .unwrap_err()
                .contains("类别")
        );
        assert!(
            read("标题：某法\n类别：法律\n施行日期：2020-01-01\n\n第一条 x\n第一条 y")
                .unwrap_err()
                .contains("两次")
        );
    }
}
