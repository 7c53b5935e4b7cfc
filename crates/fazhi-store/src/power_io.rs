//! Spreadsheet files of the power list: reading XLSX and CSV into rows of text, writing rows as
//! XLSX and CSV (UTF-8 with a byte-order mark, which spreadsheet programs need for Chinese).

use std::io::Cursor;

/// Reads the first sheet of an XLSX file, or a CSV file, into rows of text.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec()))
            .map_err(|e| format!("无法读取 XLSX 文件：{e}"))?;
        let sheet = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or("XLSX 文件中没有工作表")?;
        let range = book
            .worksheet_range(&sheet)
            .map_err(|e| format!("无法读取工作表「{sheet}」：{e}"))?;
        Ok(range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        calamine::Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect())
    } else if lower.ends_with(".csv") {
        let text = std::str::from_utf8(bytes).map_err(|_| "CSV 文件须为 UTF-8 编码".to_string())?;
        Ok(parse_csv(text.trim_start_matches('\u{feff}')))
    } else {
        Err("只能导入 .xlsx 或 .csv 文件".into())
    }
}

/// RFC 4180 CSV: fields separated by commas, quoted with `"` when they hold commas, quotes or
/// line breaks.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Writes rows as CSV with a byte-order mark.
pub fn write_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .map(|f| {
                if f.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f.clone()
                }
            })
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Writes rows as an XLSX workbook with one sheet.
pub fn write_xlsx(sheet_name: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).map_err(|e| e.to_string())?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (
                u32::try_from(r).map_err(|e| e.to_string())?,
                u16::try_from(c).map_err(|e| e.to_string())?,
            );
            if r == 0 {
                sheet
                    .write_string_with_format(r, c, v, &bold)
                    .map_err(|e| e.to_string())?;
            } else {
                sheet.write_string(r, c, v).map_err(|e| e.to_string())?;
            }
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_round_trips_commas_quotes_and_line_breaks() {
        let rows = vec![
            vec!["a".to_string(), "b,c".into()],
            vec!["他说\"好\"".into(), "一\n二".into()],
        ];
        let text = write_csv(&rows);
        assert_eq!(parse_csv(text.trim_start_matches('\u{feff}')), rows);
    }

    #[test]
    fn xlsx_written_is_read_back() {
        let rows = vec![
            vec!["事项编码".to_string(), "事项名称".into()],
            vec!["ZZSW-1".into(), "拍卖".into()],
        ];
        let bytes = write_xlsx("权责清单", &rows).unwrap();
        assert_eq!(read_table("list.xlsx", &bytes).unwrap(), rows);
        assert!(read_table("list.pdf", &bytes).is_err());
    }
}

/// The demo power list (`data/demo/power-list.csv`), read as `fazhi demo` reads it, against the
/// statutes it cites.
#[cfg(test)]
mod demo_list {
    use fazhi_domain::power::import::read_rows;
    use fazhi_domain::power::{PowerItem, PowerKind};

    use super::parse_csv;

    const DEMO: &str = include_str!("../../../data/demo/power-list.csv");

    fn items() -> Vec<PowerItem> {
        let rows = parse_csv(DEMO);
        let orgs: Vec<String> = rows.iter().skip(1).map(|r| r[5].clone()).collect();
        read_rows(&rows, &orgs, &[]).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn item(code: &str) -> PowerItem {
        items()
            .into_iter()
            .find(|i| i.code == code)
            .unwrap_or_else(|| panic!("{code} is not on the demo list"))
    }

    fn cites(i: &PowerItem, law: &str, article: &str) -> bool {
        i.bases.iter().any(|b| b.law == law && b.article == article)
    }

    #[test]
    fn the_scrapped_vehicle_items_cite_the_articles_of_the_2019_measures() {
        // 报废机动车回收管理办法 (国务院令第715号): 第十九条 unqualified recycling, 第二十一条第一项
        // selling the five main assemblies unfit for remanufacture, 第二十三条 records, 第十六条
        // inspection.
        let law = "报废机动车回收管理办法";
        let unqualified = item("ZZSW-CF-008");
        assert!(
            cites(&unqualified, law, "第十九条"),
            "{:?}",
            unqualified.bases
        );
        assert!(
            unqualified.bases[0]
                .text
                .contains("并处5万元以上10万元以下的罚款")
        );
        assert!(cites(&item("ZZSW-CF-009"), law, "第二十一条第一项"));
        assert!(cites(&item("ZZSW-CF-010"), law, "第二十三条"));
        assert!(cites(&item("ZZSW-JC-003"), law, "第十六条"));
    }

    #[test]
    fn no_item_seizes_or_impounds_without_a_law_or_regulation_granting_it() {
        // 行政强制法 第十条: 查封、扣押 only where a law or an administrative regulation grants
        // it; the scrapped-vehicle measures grant the commerce department none.
        for i in items() {
            assert!(
                !(i.name.contains("查封") || i.name.contains("扣押")),
                "{} {} cites {:?}",
                i.code,
                i.name,
                i.bases
            );
        }
    }

    #[test]
    fn the_prepaid_card_inspection_cites_article_thirty_three_and_the_reward_says_it_lacks_a_basis()
    {
        let law = "单用途商业预付卡管理办法（试行）";
        assert!(cites(&item("ZZSW-JC-001"), law, "第三十三条"));
        // The measures have no reward article: the item may not pass off the inspection article
        // as one, and says so.
        for i in items().iter().filter(|i| i.kind == PowerKind::Reward) {
            assert!(!cites(i, law, "第三十三条"), "{}", i.code);
            assert!(i.note.contains("依据待确认"), "{}: {}", i.code, i.note);
        }
    }

    #[test]
    fn the_city_does_not_claim_franchise_filing_which_the_province_or_the_ministry_receives() {
        // 商业特许经营管理条例 第八条: filing with the province's commerce department, or the
        // Ministry's across provinces. The city supervises (第五条) and penalises (第二十五条).
        for i in items() {
            let claims_filing = cites(&i, "商业特许经营管理条例", "第八条")
                || (i.name.contains("特许经营备案") && i.kind != PowerKind::Penalty);
            assert!(!claims_filing, "{} {}", i.code, i.name);
        }
        assert!(cites(
            &item("ZZSW-JC-002"),
            "商业特许经营管理条例",
            "第五条"
        ));
    }

    #[test]
    fn items_other_than_licences_are_held_to_account_under_their_own_statutes() {
        // 行政许可法 第七十二条至第七十七条 hold licensing to account, nothing else.
        for i in items() {
            assert!(!i.accountability.trim().is_empty(), "{}", i.code);
            if i.kind != PowerKind::Licensing {
                assert!(
                    !i.accountability.contains("行政许可法"),
                    "{} ({}): {}",
                    i.code,
                    i.kind.label_zh(),
                    i.accountability
                );
            }
        }
    }
}
