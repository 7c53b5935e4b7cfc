//! Akoma Ntoso (OASIS LegalDocML 3.0) export and import of a document: the work (the document
//! as such: number, issuer, date) and its expression (this text, in Chinese, at a version), the
//! preamble, chapters and articles under their `eId`s (`art_3`, as `articles` gives them).
//! What is exported imports back to the same title, number, issuer, date and text.

use quick_xml::Reader;
use quick_xml::events::Event;
use time::Date;

use super::articles::parse_articles;
use crate::calendar::{fmt_date, parse_date};

/// A document as exchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AknDoc {
    /// Title.
    pub title: String,
    /// Document number, if numbered.
    pub number: Option<String>,
    /// Issuing organ.
    pub issuer: String,
    /// Date of publication (or of the draft).
    pub date: Option<Date>,
    /// Version of the text (the expression).
    pub version_no: u32,
    /// The text: preamble, chapter headings and articles, one per line as drafted.
    pub body: String,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The work's URI: `/akn/cn/act/normative/<year>/<number or draft>`.
fn work_uri(d: &AknDoc) -> String {
    let year = d.date.map_or(0, Date::year);
    let name: String = d
        .number
        .as_deref()
        .unwrap_or("draft")
        .chars()
        .map(|c| match c {
            '〔' | '〕' | '/' | ' ' => '-',
            c => c,
        })
        .collect();
    format!(
        "/akn/cn/act/normative/{year}/{}",
        name.trim_end_matches('-')
    )
}

/// Writes the document as Akoma Ntoso XML.
pub fn export(d: &AknDoc) -> String {
    let date = d.date.map(fmt_date).unwrap_or_else(|| "1970-01-01".into());
    let work = work_uri(d);
    let expr = format!("{work}/zho@{date}");
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\">\n");
    x.push_str("<act name=\"normative\">\n<meta>\n<identification source=\"#fazhi\">\n");
    x.push_str(&format!(
        "<FRBRWork>\n<FRBRthis value=\"{w}/!main\"/>\n<FRBRuri value=\"{w}\"/>\n<FRBRdate date=\"{date}\" name=\"publication\"/>\n<FRBRauthor href=\"#issuer\"/>\n<FRBRcountry value=\"cn\"/>\n<FRBRnumber value=\"{n}\"/>\n<FRBRname value=\"{t}\"/>\n</FRBRWork>\n",
        w = esc(&work),
        n = esc(d.number.as_deref().unwrap_or("")),
        t = esc(&d.title)
    ));
    x.push_str(&format!(
        "<FRBRExpression>\n<FRBRthis value=\"{e}/!main\"/>\n<FRBRuri value=\"{e}\"/>\n<FRBRdate date=\"{date}\" name=\"expression\"/>\n<FRBRauthor href=\"#issuer\"/>\n<FRBRlanguage language=\"zho\"/>\n<FRBRversionNumber value=\"{v}\"/>\n</FRBRExpression>\n",
        e = esc(&expr),
        v = d.version_no
    ));
    x.push_str(&format!(
        "<FRBRManifestation>\n<FRBRthis value=\"{e}/!main.xml\"/>\n<FRBRuri value=\"{e}/main.xml\"/>\n<FRBRdate date=\"{date}\" name=\"export\"/>\n<FRBRauthor href=\"#fazhi\"/>\n</FRBRManifestation>\n",
        e = esc(&expr)
    ));
    x.push_str("</identification>\n<references source=\"#fazhi\">\n");
    x.push_str(&format!(
        "<TLCOrganization eId=\"issuer\" href=\"/ontology/organization/cn/issuer\" showAs=\"{}\"/>\n",
        esc(&d.issuer)
    ));
    x.push_str("<TLCOrganization eId=\"fazhi\" href=\"/ontology/organization/cn/fazhi\" showAs=\"fazhi\"/>\n</references>\n</meta>\n");
    x.push_str(&format!(
        "<preface>\n<p class=\"title\"><docTitle>{}</docTitle></p>\n",
        esc(&d.title)
    ));
    if let Some(n) = &d.number {
        x.push_str(&format!(
            "<p class=\"number\"><docNumber>{}</docNumber></p>\n",
            esc(n)
        ));
    }
    x.push_str("</preface>\n");
    let arts = parse_articles(&d.body);
    let preamble: Vec<_> = arts.iter().filter(|a| a.eid == "preamble").collect();
    if !preamble.is_empty() {
        x.push_str("<preamble>\n");
        for a in preamble {
            for line in a.text.lines() {
                x.push_str(&format!("<p>{}</p>\n", esc(line)));
            }
        }
        x.push_str("</preamble>\n");
    }
    x.push_str("<body>\n");
    let mut chapter: Option<&str> = None;
    let mut chapters = 0;
    for a in arts.iter().filter(|a| a.eid != "preamble") {
        if a.chapter.as_deref() != chapter {
            if chapter.is_some() {
                x.push_str("</chapter>\n");
            }
            chapter = a.chapter.as_deref();
            if let Some(c) = chapter {
                chapters += 1;
                let (num, heading) = c.split_once(' ').unwrap_or((c, ""));
                x.push_str(&format!(
                    "<chapter eId=\"chp_{chapters}\">\n<num>{}</num>\n<heading>{}</heading>\n",
                    esc(num),
                    esc(heading)
                ));
            }
        }
        x.push_str(&format!(
            "<article eId=\"{}\">\n<num>{}</num>\n<content>\n",
            esc(&a.eid),
            esc(&a.num)
        ));
        for p in a.text.lines() {
            x.push_str(&format!("<p>{}</p>\n", esc(p)));
        }
        x.push_str("</content>\n</article>\n");
    }
    if chapter.is_some() {
        x.push_str("</chapter>\n");
    }
    x.push_str("</body>\n</act>\n</akomaNtoso>\n");
    x
}

/// Reads a document written by `export` (or any Akoma Ntoso act with the same elements).
/// Every problem is a message in Chinese.
pub fn import(xml: &str) -> Result<AknDoc, String> {
    let mut r = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut d = AknDoc {
        title: String::new(),
        number: None,
        issuer: String::new(),
        date: None,
        version_no: 1,
        body: String::new(),
    };
    let mut lines: Vec<String> = Vec::new();
    let mut chapter_num = String::new();
    let mut article_num = String::new();
    let mut first_p = false;
    let mut saw_root = false;
    let mut text = String::new();
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name.as_bytes())
            .and_then(|a| a.unescape_value().ok().map(|v| v.to_string()))
    };
    loop {
        match r.read_event() {
            Err(e) => {
                return Err(format!(
                    "XML 格式有误（第 {} 字节附近）：{e}",
                    r.buffer_position()
                ));
            }
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => {
                text.clear();
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_string();
                if name == "akomaNtoso" {
                    saw_root = true;
                }
                if name == "article" {
                    article_num.clear();
                    first_p = true;
                }
                path.push(name);
            }
            Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_string();
                let parent = path.last().map(String::as_str);
                match (parent, name.as_str()) {
                    (Some("FRBRWork"), "FRBRdate") => {
                        d.date = attr(&e, "date").and_then(|s| parse_date(&s))
                    }
                    (Some("FRBRExpression"), "FRBRversionNumber") => {
                        d.version_no = attr(&e, "value").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                    (Some("references"), "TLCOrganization")
                        if attr(&e, "eId").as_deref() == Some("issuer") =>
                    {
                        d.issuer = attr(&e, "showAs").unwrap_or_default();
                    }
                    _ => {}
                }
            }
            Ok(Event::Text(t)) => {
                let s = t.decode().map_err(|e| format!("文字编码有误：{e}"))?;
                text.push_str(
                    &quick_xml::escape::unescape(&s).map_err(|e| format!("转义字符有误：{e}"))?,
                );
            }
            Ok(Event::GeneralRef(g)) => {
                let name = g.decode().map_err(|e| format!("文字编码有误：{e}"))?;
                let c = match &*name {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => return Err(format!("未知的实体引用 &{other};")),
                };
                text.push_str(c);
            }
            Ok(Event::End(_)) => {
                let t = std::mem::take(&mut text).trim().to_string();
                let last = path.last().map(String::as_str);
                let parent = path
                    .len()
                    .checked_sub(2)
                    .and_then(|i| path.get(i))
                    .map(String::as_str);
                match (parent, last) {
                    (_, Some("docTitle")) => d.title = t,
                    (_, Some("docNumber")) => d.number = Some(t),
                    (Some("chapter"), Some("num")) => chapter_num = t,
                    (Some("chapter"), Some("heading")) => lines.push(format!("{chapter_num} {t}")),
                    (Some("article"), Some("num")) => article_num = t,
                    (Some("content"), Some("p")) => {
                        if first_p {
                            lines.push(format!("{article_num} {t}"));
                            first_p = false;
                        } else {
                            lines.push(t);
                        }
                    }
                    (Some("preamble"), Some("p")) => lines.push(t),
                    _ => {}
                }
                path.pop();
            }
            Ok(_) => {}
        }
    }
    if !saw_root {
        return Err("不是 Akoma Ntoso 文件（缺少 akomaNtoso 根元素）".into());
    }
    if d.title.trim().is_empty() {
        return Err("文件缺少标题（docTitle）".into());
    }
    if lines.is_empty() {
        return Err("文件没有正文（preamble、article）".into());
    }
    d.body = lines.join("\n");
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn doc() -> AknDoc {
        AknDoc {
            title: "郑州市单用途商业预付卡管理办法（试行）".into(),
            number: Some("郑商规〔2026〕3号".into()),
            issuer: "郑州市商务局".into(),
            date: Some(date!(2026 - 03 - 01)),
            version_no: 4,
            body: "为规范预付卡管理，根据《单用途商业预付卡管理办法（试行）》，制定本办法。\n第一章 总则\n第一条 本办法适用于本市。\n第二条 发卡企业应当备案。\n备案材料包括营业执照 & 章程。\n第二章 附则\n第三条 本办法自2026年3月1日起施行。".into(),
        }
    }

    #[test]
    fn an_exported_document_names_its_work_expression_and_article_ids() {
        let x = export(&doc());
        assert!(x.contains("<FRBRWork>") && x.contains("<FRBRExpression>"));
        assert!(x.contains("/akn/cn/act/normative/2026/郑商规-2026-3号"));
        assert!(x.contains("zho@2026-03-01"));
        assert!(x.contains("<article eId=\"art_2\">"));
        assert!(x.contains("<chapter eId=\"chp_2\">"));
        assert!(x.contains("营业执照 &amp; 章程"), "text is escaped");
    }

    #[test]
    fn an_exported_document_imports_back_unchanged() {
        let back = import(&export(&doc())).unwrap();
        assert_eq!(back, doc());
    }

    #[test]
    fn a_file_that_is_not_akoma_ntoso_or_has_no_title_is_refused_with_a_reason() {
        assert!(
            import("<html><body/></html>")
                .unwrap_err()
                .contains("akomaNtoso")
        );
        assert!(import("<akomaNtoso><act><body><article eId=\"art_1\"><num>第一条</num><content><p>x</p></content></article></body></act></akomaNtoso>").unwrap_err().contains("标题"));
        assert!(import("<akomaNtoso><act").unwrap_err().contains("XML"));
    }
}
