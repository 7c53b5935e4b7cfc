//! `fazhi import power-list` and `fazhi export power-list`.

use std::io::Write;
use std::path::Path;

use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::power::AdjustmentKind;
use fazhi_domain::power::import::{read_rows, write_rows};
use fazhi_store::org::By;
use fazhi_store::power::{self, NewAdjustment};
use fazhi_store::{Store, StoreError, power_io};

fn progress(done: usize, total: usize) {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return;
    }
    let width = 30;
    let filled = (done * width).checked_div(total).unwrap_or(width);
    eprint!(
        "\r[{}{}] {done}/{total} 事项",
        "#".repeat(filled),
        " ".repeat(width - filled)
    );
    let _ = std::io::stderr().flush();
}

/// Imports a file; nothing is written unless every row is good.
pub fn import(
    store: &Store,
    file: &Path,
    reason: &str,
    basis: &str,
    effective: &str,
) -> Result<String, String> {
    let effective = parse_date(effective).ok_or(format!(
        "--effective「{effective}」不是有效日期（格式如 2026-09-28）"
    ))?;
    let bytes = std::fs::read(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let rows = power_io::read_table(name, &bytes)?;
    let result = store.write(|tx| {
        let orgs: Vec<String> = fazhi_store::org::list_orgs(tx, &["/".into()])?
            .into_iter()
            .map(|o| o.code)
            .collect();
        let listed = power::all_codes(tx)?;
        let items = match read_rows(&rows, &orgs, &listed) {
            Ok(items) => items,
            Err(errors) => return Ok(Err(errors)),
        };
        let total = items.len();
        let mut ordered: Vec<_> = items.iter().filter(|i| i.parent_code.is_none()).collect();
        ordered.extend(items.iter().filter(|i| i.parent_code.is_some()));
        for (n, i) in ordered.into_iter().enumerate() {
            power::adjust(
                tx,
                By::System,
                &NewAdjustment {
                    kind: AdjustmentKind::Add,
                    code: i.code.clone(),
                    item: Some(i.clone()),
                    reason: reason.into(),
                    basis: basis.into(),
                    effective,
                },
            )?;
            if n % 50 == 0 || n + 1 == total {
                progress(n + 1, total);
            }
        }
        Ok(Ok(total))
    });
    eprintln!();
    match result.map_err(|e: StoreError| e.to_string())? {
        Ok(n) => Ok(format!(
            "已导入 {n} 个事项，自 {} 起生效。",
            fmt_date(effective)
        )),
        Err(errors) => Err(format!(
            "文件中有 {} 处错误，未导入任何事项：\n{}",
            errors.len(),
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )),
    }
}

/// Exports the list in force on a date.
pub fn export(store: &Store, file: &Path, as_of: Option<&str>) -> Result<String, String> {
    let on = match as_of {
        Some(d) => {
            parse_date(d).ok_or(format!("--as-of「{d}」不是有效日期（格式如 2026-09-28）"))?
        }
        None => fazhi_web::today(),
    };
    let items = store
        .read(|tx| power::items_as_of(tx, on))
        .map_err(|e| e.to_string())?;
    let rows = write_rows(&items);
    let csv = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let bytes = if csv {
        power_io::write_csv(&rows).into_bytes()
    } else {
        power_io::write_xlsx("权责清单", &rows)?
    };
    std::fs::write(file, bytes).map_err(|e| format!("无法写入 {}：{e}", file.display()))?;
    Ok(format!(
        "已导出 {} 在册的 {} 个事项到 {}",
        fmt_date(on),
        items.len(),
        file.display()
    ))
}
