//! The law database (法律法规库): laws, regulations, rules and the bureau's own documents with
//! their articles under stable ids; the citations in a record's text found and resolved to
//! articles, so a record links to the article instead of repeating it; and the plain-text
//! format a statute is imported from.

use serde::Serialize;

use crate::normative::articles::cn_number;

pub mod import;

/// The kind of a legal text, in the order of the hierarchy (立法法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LawKind {
    /// 法律.
    Law,
    /// 行政法规.
    Regulation,
    /// 地方性法规.
    LocalRegulation,
    /// 部门规章、地方政府规章.
    Rule,
    /// 规范性文件.
    Normative,
}

impl LawKind {
    /// Every kind, in order.
    pub const ALL: [LawKind; 5] = [
        Self::Law,
        Self::Regulation,
        Self::LocalRegulation,
        Self::Rule,
        Self::Normative,
    ];
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Law => "law",
            Self::Regulation => "regulation",
            Self::LocalRegulation => "local_regulation",
            Self::Rule => "rule",
            Self::Normative => "normative",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Law => "法律",
            Self::Regulation => "行政法规",
            Self::LocalRegulation => "地方性法规",
            Self::Rule => "规章",
            Self::Normative => "规范性文件",
        }
    }
}

/// A law's name as it is matched: without 《》, spaces and the 中华人民共和国 prefix.
pub fn normalise(name: &str) -> String {
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '《' | '》' | ' ' | '\u{3000}'))
        .collect();
    n.strip_prefix("中华人民共和国").unwrap_or(&n).to_string()
}

/// Articles of one law cited in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The law as written (without 《》).
    pub law: String,
    /// The article numbers cited (a range 第八条至第十一条 gives 8, 9, 10, 11).
    pub articles: Vec<u32>,
}

/// The article ids of a citation (`art_58`).
pub fn eid(article: u32) -> String {
    format!("art_{article}")
}

/// Ranges longer than this are not expanded (a typo, not a citation).
const MAX_RANGE: u32 = 60;

/// Reads `第N条` (or `第N` before `至`) at the start of `s`: the number and the rest.
fn article_at(s: &str) -> Option<(u32, &str)> {
    let rest = s.strip_prefix('第')?;
    let end = rest
        .char_indices()
        .find(|(_, c)| !"零一二三四五六七八九十百千〇两0123456789".contains(*c))
        .map_or(rest.len(), |(i, _)| i);
    let n = cn_number(&rest[..end])?;
    Some((n, &rest[end..]))
}

/// The citations in a text: each law named in 《》 — or by one of the `known` names without
/// them — with the articles that follow it in the same clause (up to ；。 or a line end, or
/// the next law). `第八条至第十一条` and `第二十五至二十八条` are ranges; `第三条第一款` cites
/// article 3.
pub fn citations(text: &str, known: &[&str]) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    let mut current: Option<usize> = None;
    let mut i = 0;
    while i < text.len() {
        let s = &text[i..];
        let c = s.chars().next().map_or(1, char::len_utf8);
        if let Some(rest) = s.strip_prefix('《')
            && let Some(end) = rest.find('》')
        {
            out.push(Citation {
                law: rest[..end].to_string(),
                articles: Vec::new(),
            });
            current = Some(out.len() - 1);
            i += '《'.len_utf8() + end + '》'.len_utf8();
            continue;
        }
        if let Some(name) = known
            .iter()
            .filter(|k| !k.is_empty() && s.starts_with(**k))
            .max_by_key(|k| k.len())
        {
            out.push(Citation {
                law: (*name).to_string(),
                articles: Vec::new(),
            });
            current = Some(out.len() - 1);
            i += name.len();
            continue;
        }
        if s.starts_with(['；', '。', '\n']) {
            current = None;
        } else if let (Some(at), Some((n, after))) = (current, article_at(s)) {
            // 第N条, 第N条至第M条, 第N至M条.
            let mut consumed = s.len() - after.len();
            let mut last = n;
            let tail = after.strip_prefix('条').unwrap_or(after);
            let had_tiao = tail.len() != after.len();
            if let Some(r) = tail.strip_prefix('至') {
                let r2 = r.strip_prefix('第').unwrap_or(r);
                let end = r2
                    .char_indices()
                    .find(|(_, c)| !"零一二三四五六七八九十百千〇两0123456789".contains(*c))
                    .map_or(r2.len(), |(j, _)| j);
                if let Some(m) = cn_number(&r2[..end])
                    && r2[end..].starts_with('条')
                    && m >= n
                    && m - n <= MAX_RANGE
                {
                    last = m;
                    consumed = s.len() - r2[end..].len() + '条'.len_utf8();
                }
            } else if had_tiao {
                consumed += '条'.len_utf8();
            } else {
                // 第N款, 第N项, 第N章: not an article.
                i += c;
                continue;
            }
            let arts = &mut out[at].articles;
            for a in n..=last {
                if !arts.contains(&a) {
                    arts.push(a);
                }
            }
            i += consumed;
            continue;
        }
        i += c;
    }
    out.retain(|c| !c.articles.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_in_brackets_with_ranges_clauses_and_several_laws_are_found() {
        let t = "《中华人民共和国行政处罚法》第五十八条第一款、第六十条；《行政许可法》第七十二条至第七十七条；《河南省行政执法条例》";
        let c = citations(t, &[]);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].law, "中华人民共和国行政处罚法");
        assert_eq!(c[0].articles, vec![58, 60]);
        assert_eq!(c[1].articles, vec![72, 73, 74, 75, 76, 77]);
    }

    #[test]
    fn a_known_name_without_brackets_and_the_short_range_form_are_read() {
        let c = citations(
            "重大行政决策程序暂行条例 第二十五至二十八条；政府信息公开条例 第三十条",
            &["重大行政决策程序暂行条例", "政府信息公开条例"],
        );
        assert_eq!(c[0].articles, vec![25, 26, 27, 28]);
        assert_eq!(c[1].law, "政府信息公开条例");
        assert_eq!(c[1].articles, vec![30]);
        // An article after the clause ends belongs to no law.
        assert!(citations("行政处罚法。第五条", &["行政处罚法"]).is_empty());
        assert_eq!(
            citations("第八条", &[]),
            Vec::new(),
            "an article without a law is not a citation"
        );
    }

    #[test]
    fn names_match_without_brackets_spaces_or_the_state_prefix() {
        assert_eq!(normalise("《中华人民共和国行政处罚法》"), "行政处罚法");
        assert_eq!(normalise("行政处罚法"), "行政处罚法");
    }
}
