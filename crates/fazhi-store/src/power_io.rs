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
