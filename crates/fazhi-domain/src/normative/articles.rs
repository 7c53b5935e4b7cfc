//! The articles of a text (第一条, 第二条 …) under stable ids, and the comparison of two versions
//! article by article, with the characters that changed inside an article.
//!
//! An article's id is `art_<n>` from its number (the Akoma Ntoso `eId` convention), so a comment
//! anchored to 第三条 stays on 第三条 in the next version. Text before the first article is the
//! preamble (`preamble`); a chapter heading (第一章 总则) is kept with the article that follows.

use serde::Serialize;

/// One article of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    /// Stable id: `art_3` for 第三条, `preamble` for text before the first article.
    pub eid: String,
    /// Its number as written (第三条), empty for the preamble.
    pub num: String,
    /// The chapter heading it falls under, if any (第一章 总则).
    pub chapter: Option<String>,
    /// Its text, without the number.
    pub text: String,
}

/// The value of a Chinese numeral as articles are numbered (一 … 九十九, 一百零五, 二百).
pub fn cn_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<u32>() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
            .or(match c {
                '〇' => Some(0),
                '两' => Some(2),
                _ => None,
            })
    };
    let (mut total, mut current) = (0u32, None::<u32>);
    for c in s.chars() {
        match c {
            '千' => {
                total += current.unwrap_or(1) * 1000;
                current = None;
            }
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            _ => current = Some(digit(c)?),
        }
    }
    Some(total + current.unwrap_or(0))
}

/// Splits a line that starts an article or a chapter: (kind, number text, number, rest).
fn heading(line: &str) -> Option<(char, String, u32, String)> {
    let rest = line.strip_prefix('第')?;
    let end = rest.find(['条', '章'])?;
    let n = &rest[..end];
    let value = cn_number(n)?;
    let kind = rest[end..].chars().next()?;
    let after = rest[end + kind.len_utf8()..]
        .trim_start_matches([' ', '\u{3000}', '\t'])
        .to_string();
    Some((kind, format!("第{n}{kind}"), value, after))
}

/// The articles of a text, in order. Lines after an article's first line belong to it (its
/// paragraphs); a chapter heading is kept for the articles after it.
pub fn parse_articles(body: &str) -> Vec<Article> {
    let mut out: Vec<Article> = Vec::new();
    let mut chapter = None;
    for raw in body.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        match heading(line) {
            Some(('章', num, _, rest)) => {
                chapter = Some(format!("{num} {rest}").trim().to_string());
            }
            Some(('条', num, n, rest)) => out.push(Article {
                eid: format!("art_{n}"),
                num,
                chapter: chapter.clone(),
                text: rest,
            }),
            _ => match out.last_mut() {
                Some(a) => {
                    a.text.push('\n');
                    a.text.push_str(line);
                }
                None => out.push(Article {
                    eid: "preamble".into(),
                    num: String::new(),
                    chapter: None,
                    text: line.to_string(),
                }),
            },
        }
    }
    out
}

/// A piece of an article's text in a comparison: unchanged, only in the older version, or only
/// in the newer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Segment {
    /// In both.
    Same(String),
    /// Only in the older version (deleted).
    Old(String),
    /// Only in the newer version (added).
    New(String),
}

/// One article in a side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleDiff {
    /// Its id.
    pub eid: String,
    /// Its number (of the newer version when both have it).
    pub num: String,
    /// `same`, `changed`, `added` or `removed`.
    pub change: &'static str,
    /// The older text with deletions marked (`Same` and `Old` segments).
    pub left: Vec<Segment>,
    /// The newer text with additions marked (`Same` and `New` segments).
    pub right: Vec<Segment>,
}

/// Texts longer than this are compared as a whole rather than character by character, so a
/// comparison stays quick (the character comparison is quadratic).
const CHAR_DIFF_LIMIT: usize = 3000;

/// Compares two versions article by article, in the order of the newer version (articles only
/// in the older one follow where they stood).
pub fn compare(old: &str, new: &str) -> Vec<ArticleDiff> {
    let (a, b) = (parse_articles(old), parse_articles(new));
    let mut out = Vec::new();
    let mut used = vec![false; a.len()];
    for nb in &b {
        match a.iter().position(|x| x.eid == nb.eid) {
            Some(i) => {
                used[i] = true;
                let na = &a[i];
                if na.text == nb.text {
                    out.push(ArticleDiff {
                        eid: nb.eid.clone(),
                        num: nb.num.clone(),
                        change: "same",
                        left: vec![Segment::Same(na.text.clone())],
                        right: vec![Segment::Same(nb.text.clone())],
                    });
                } else {
                    let (left, right) = chars(&na.text, &nb.text);
                    out.push(ArticleDiff {
                        eid: nb.eid.clone(),
                        num: nb.num.clone(),
                        change: "changed",
                        left,
                        right,
                    });
                }
            }
            None => out.push(ArticleDiff {
                eid: nb.eid.clone(),
                num: nb.num.clone(),
                change: "added",
                left: Vec::new(),
                right: vec![Segment::New(nb.text.clone())],
            }),
        }
    }
    for (_, na) in a.iter().enumerate().filter(|(i, _)| !used[*i]) {
        let at = out
            .iter()
            .position(|d| article_no(&d.eid) > article_no(&na.eid))
            .unwrap_or(out.len());
        out.insert(
            at,
            ArticleDiff {
                eid: na.eid.clone(),
                num: na.num.clone(),
                change: "removed",
                left: vec![Segment::Old(na.text.clone())],
                right: Vec::new(),
            },
        );
    }
    out
}

fn article_no(eid: &str) -> u32 {
    eid.strip_prefix("art_")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The character-level comparison of two texts (longest common subsequence).
fn chars(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>) {
    let (a, b): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    if a.len() * b.len() > CHAR_DIFF_LIMIT * CHAR_DIFF_LIMIT / 4 {
        return (
            vec![Segment::Old(old.to_string())],
            vec![Segment::New(new.to_string())],
        );
    }
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut left, mut right) = (Vec::new(), Vec::new());
    let push = |v: &mut Vec<Segment>, s: Segment| {
        let merged = match (v.last_mut(), &s) {
            (Some(Segment::Same(x)), Segment::Same(y))
            | (Some(Segment::Old(x)), Segment::Old(y))
            | (Some(Segment::New(x)), Segment::New(y)) => {
                x.push_str(y);
                true
            }
            _ => false,
        };
        if !merged {
            v.push(s);
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            push(&mut left, Segment::Same(a[i].to_string()));
            push(&mut right, Segment::Same(b[j].to_string()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            push(&mut right, Segment::New(b[j].to_string()));
            j += 1;
        } else {
            push(&mut left, Segment::Old(a[i].to_string()));
            i += 1;
        }
    }
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "为规范单用途商业预付卡管理，制定本办法。\n第一章 总则\n第一条 本办法适用于本市行政区域。\n第二条 发卡企业应当备案。\n第二章 监督\n第三条 商务主管部门负责监督。\n第十二条 本办法自发布之日起施行。";
    const V2: &str = "为规范单用途商业预付卡管理，制定本办法。\n第一章 总则\n第一条 本办法适用于本市行政区域。\n第二条 发卡企业应当在开展业务之日起30日内备案。\n第十二条 本办法自2027年1月1日起施行。\n第十三条 本办法由市商务局负责解释。";

    #[test]
    fn chinese_numerals_of_article_numbers_read_as_numbers() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百零五", 105),
            ("二百", 200),
            ("12", 12),
        ] {
            assert_eq!(cn_number(s), Some(n), "{s}");
        }
        assert_eq!(cn_number("条"), None);
    }

    #[test]
    fn a_text_splits_into_articles_with_stable_ids_and_their_chapters() {
        let a = parse_articles(V1);
        let ids: Vec<&str> = a.iter().map(|x| x.eid.as_str()).collect();
        assert_eq!(ids, ["preamble", "art_1", "art_2", "art_3", "art_12"]);
        assert_eq!(a[3].num, "第三条");
        assert_eq!(a[3].chapter.as_deref(), Some("第二章 监督"));
        assert_eq!(a[1].text, "本办法适用于本市行政区域。");
    }

    #[test]
    fn two_versions_compare_article_by_article_with_the_changed_characters_marked() {
        let d = compare(V1, V2);
        let by = |eid: &str| d.iter().find(|x| x.eid == eid).unwrap();
        assert_eq!(by("art_1").change, "same");
        assert_eq!(by("art_2").change, "changed");
        assert!(
            by("art_2")
                .right
                .contains(&Segment::New("在开展业务之日起30日内".into())),
            "{:?}",
            by("art_2").right
        );
        assert_eq!(by("art_3").change, "removed");
        assert_eq!(by("art_13").change, "added");
        // The removed article stays where it stood, before 第十二条.
        let order: Vec<&str> = d.iter().map(|x| x.eid.as_str()).collect();
        assert_eq!(
            order,
            ["preamble", "art_1", "art_2", "art_3", "art_12", "art_13"]
        );
    }
}
