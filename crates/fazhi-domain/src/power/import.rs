//! The bureau's spreadsheet of its list: the columns, reading rows into items with every bad cell
//! reported (row, column, reason), and writing items back into rows (export round-trips).

use std::collections::HashSet;

use super::model::{
    ApplicationSpec, Fee, LegalBasis, Material, OnlineDepth, PowerItem, PowerKind, Responsibility,
    ResponsibilityKind,
};

/// The columns, in order. The first row of a file must hold these headers (any order).
pub const COLUMNS: [&str; 20] = [
    "事项编码",
    "事项名称",
    "事项类型",
    "上级事项编码",
    "实施依据",
    "责任单位",
    "受理责任",
    "审查责任",
    "决定责任",
    "送达责任",
    "事后监管责任",
    "其他责任",
    "追责依据",
    "法定时限（工作日）",
    "承诺时限（工作日）",
    "收费",
    "申请材料",
    "办理条件",
    "网上办理深度",
    "备注",
];

const REQUIRED: [&str; 5] = ["事项编码", "事项名称", "事项类型", "实施依据", "责任单位"];

/// One bad cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Spreadsheet row, 1-based (the header is row 1).
    pub row: usize,
    /// Column header.
    pub column: String,
    /// Why, in Chinese.
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第 {} 行「{}」：{}", self.row, self.column, self.reason)
    }
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(['；', '\n', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

/// Parses legal bases, one per line (or run together as `…；《…`): `《法》第X条：原文`. A document
/// number in brackets right after the title belongs to the title; a document without articles
/// is cited as `全文`.
pub fn parse_bases(s: &str) -> Result<Vec<LegalBasis>, String> {
    let mut out = Vec::new();
    let entries = s
        .lines()
        .flat_map(|l| {
            let mut parts = Vec::new();
            let mut rest = l;
            while let Some(i) = rest.find("；《") {
                parts.push(&rest[..i]);
                rest = &rest[i + "；".len()..];
            }
            parts.push(rest);
            parts
        })
        .map(str::trim)
        .filter(|x| !x.is_empty());
    for entry in entries {
        let rest = entry
            .strip_prefix('《')
            .ok_or_else(|| format!("「{entry}」应以《法律名称》开头"))?;
        let (law, rest) = rest
            .split_once('》')
            .ok_or_else(|| format!("「{entry}」缺少》"))?;
        let mut law = law.trim().to_string();
        let mut rest = rest.trim_start();
        if let Some(inner) = rest.strip_prefix('（')
            && let Some((no, after)) = inner.split_once('）')
        {
            law = format!("{law}（{no}）");
            rest = after;
        }
        let (article, text) = match rest.split_once('：') {
            Some((a, t)) => (a.trim(), t.trim()),
            None => (rest.trim(), ""),
        };
        if law.is_empty() {
            return Err(format!("「{entry}」没有写法律名称"));
        }
        let cited = (article.starts_with('第')
            && (article.contains('条') || article.contains('项')))
            || article.starts_with("附件")
            || article == "全文";
        if !cited {
            return Err(format!(
                "「{entry}」没有写明条款（如 第十二条；无条款的文件写“全文”）"
            ));
        }
        out.push(LegalBasis {
            law,
            article: article.into(),
            text: text.into(),
        });
    }
    if out.is_empty() {
        return Err("至少需要一项实施依据".into());
    }
    Ok(out)
}

fn parse_fees(s: &str) -> Result<Vec<Fee>, String> {
    if s.trim().is_empty() || s.trim() == "不收费" {
        return Ok(Vec::new());
    }
    split_list(s)
        .map(|e| {
            let parts: Vec<&str> = e.split(['：', ':']).map(str::trim).collect();
            match parts.as_slice() {
                [name, amount, basis]
                    if !name.is_empty() && !amount.is_empty() && !basis.is_empty() =>
                {
                    Ok(Fee {
                        name: (*name).into(),
                        amount: (*amount).into(),
                        basis: (*basis).into(),
                    })
                }
                _ => Err(format!(
                    "「{e}」应为“收费项目：金额：依据”，不收费的写“不收费”"
                )),
            }
        })
        .collect()
}

fn parse_materials(s: &str) -> Vec<Material> {
    split_list(s)
        .map(|m| match m.strip_suffix("（可选）") {
            Some(n) => Material {
                name: n.trim().into(),
                required: false,
            },
            None => Material {
                name: m.into(),
                required: true,
            },
        })
        .collect()
}

fn valid_code(c: &str) -> bool {
    (4..=40).contains(&c.len())
        && c.chars()
            .all(|x| x.is_ascii_uppercase() || x.is_ascii_digit() || x == '-')
}

/// Reads rows (the first is the header) into items. `org_codes` are the orgs an item may name;
/// `listed` the codes already on the list (parents may refer to them). Nothing is returned unless
/// every row is good; otherwise every bad cell is.
pub fn read_rows(
    rows: &[Vec<String>],
    org_codes: &[String],
    listed: &[String],
) -> Result<Vec<PowerItem>, Vec<RowError>> {
    let mut errors = Vec::new();
    let Some(header) = rows.first() else {
        return Err(vec![RowError {
            row: 1,
            column: "—".into(),
            reason: "文件是空的".into(),
        }]);
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    for r in REQUIRED {
        if !header.iter().any(|h| h == r) {
            errors.push(RowError {
                row: 1,
                column: r.into(),
                reason: "缺少该列".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let idx = |name: &str| header.iter().position(|h| h == name);
    let mut items = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let file_codes: HashSet<String> = rows
        .iter()
        .skip(1)
        .filter_map(|r| {
            idx("事项编码")
                .and_then(|i| r.get(i))
                .map(|c| c.trim().to_string())
        })
        .collect();
    for (n, row) in rows.iter().enumerate().skip(1) {
        let rown = n + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |name: &str| idx(name).and_then(|i| row.get(i)).map_or("", |s| s.trim());
        let mut err = |column: &str, reason: String| {
            errors.push(RowError {
                row: rown,
                column: column.into(),
                reason,
            });
        };
        let code = cell("事项编码").to_string();
        if !valid_code(&code) {
            err("事项编码", "应为 4–40 位大写字母、数字或连字符".into());
        } else if !seen.insert(code.clone()) {
            err("事项编码", format!("与前面的行重复（{code}）"));
        } else if listed.contains(&code) {
            err("事项编码", format!("{code} 已在权责清单内；变更请逐项办理"));
        }
        let name = cell("事项名称").to_string();
        if name.chars().count() < 2 || name.chars().count() > 200 {
            err("事项名称", "应为 2–200 个字符".into());
        }
        let kind = PowerKind::from_zh(cell("事项类型"));
        if kind.is_none() {
            err(
                "事项类型",
                format!(
                    "「{}」不是十类权力之一（行政许可、行政处罚、行政强制、行政征收、行政给付、行政检查、行政确认、行政奖励、行政裁决、其他行政权力）",
                    cell("事项类型")
                ),
            );
        }
        let parent = Some(cell("上级事项编码").to_string()).filter(|p| !p.is_empty());
        if let Some(p) = &parent
            && !file_codes.contains(p)
            && !listed.contains(p)
        {
            err(
                "上级事项编码",
                format!("{p} 既不在本文件中，也不在权责清单内"),
            );
        }
        let bases = parse_bases(cell("实施依据"))
            .map_err(|e| err("实施依据", e))
            .ok();
        let org = cell("责任单位").to_string();
        if !org_codes.contains(&org) {
            err("责任单位", format!("「{org}」不是已有单位的代码"));
        }
        let responsibilities: Vec<Responsibility> = ResponsibilityKind::ALL
            .iter()
            .filter_map(|k| {
                let duty = cell(k.label_zh());
                (!duty.is_empty()).then(|| Responsibility {
                    kind: *k,
                    duty: duty.into(),
                })
            })
            .collect();
        let num = |column: &str, err: &mut dyn FnMut(&str, String)| -> Option<u32> {
            let v = cell(column);
            if v.is_empty() {
                return None;
            }
            match v.parse::<u32>() {
                Ok(n) if (1..=365).contains(&n) => Some(n),
                _ => {
                    err(column, format!("「{v}」应为 1–365 之间的整数"));
                    None
                }
            }
        };
        let statutory = num("法定时限（工作日）", &mut err);
        let promised = num("承诺时限（工作日）", &mut err);
        let depth_s = cell("网上办理深度");
        let depth = if depth_s.is_empty() {
            None
        } else {
            OnlineDepth::from_zh(depth_s)
        };
        if !depth_s.is_empty() && depth.is_none() {
            err(
                "网上办理深度",
                format!("「{depth_s}」应为 信息发布、表格下载、在线预审、网上受理 或 全程网办"),
            );
        }
        let fees = parse_fees(cell("收费")).map_err(|e| err("收费", e)).ok();
        let materials = parse_materials(cell("申请材料"));
        let application_based = statutory.is_some() || depth.is_some() || !materials.is_empty();
        let application = if application_based {
            match (statutory, depth) {
                (Some(s), Some(d)) => {
                    let p = promised.unwrap_or(s);
                    if p > s {
                        err(
                            "承诺时限（工作日）",
                            format!("承诺时限 {p} 不能长于法定时限 {s}"),
                        );
                    }
                    if materials.is_empty() {
                        err("申请材料", "依申请事项应列明申请材料".into());
                    }
                    Some(ApplicationSpec {
                        statutory_days: s,
                        promised_days: p.min(s),
                        fees: fees.clone().unwrap_or_default(),
                        materials: materials.clone(),
                        conditions: cell("办理条件").into(),
                        online_depth: d,
                    })
                }
                (None, _) => {
                    err("法定时限（工作日）", "依申请事项应填写法定时限".into());
                    None
                }
                (_, None) => {
                    err("网上办理深度", "依申请事项应填写网上办理深度".into());
                    None
                }
            }
        } else {
            None
        };
        if let (Some(kind), Some(bases)) = (kind, bases) {
            items.push(PowerItem {
                code,
                name,
                kind,
                parent_code: parent,
                bases,
                responsible_org: org,
                responsibilities,
                accountability: cell("追责依据").into(),
                application,
                note: cell("备注").into(),
            });
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// Writes items as rows under the header (what `read_rows` reads back).
pub fn write_rows(items: &[PowerItem]) -> Vec<Vec<String>> {
    let mut rows = vec![COLUMNS.iter().map(|c| (*c).to_string()).collect::<Vec<_>>()];
    for i in items {
        let resp = |k: ResponsibilityKind| {
            i.responsibilities
                .iter()
                .find(|r| r.kind == k)
                .map_or(String::new(), |r| r.duty.clone())
        };
        let app = i.application.as_ref();
        rows.push(vec![
            i.code.clone(),
            i.name.clone(),
            i.kind.label_zh().into(),
            i.parent_code.clone().unwrap_or_default(),
            i.bases
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            i.responsible_org.clone(),
            resp(ResponsibilityKind::Accept),
            resp(ResponsibilityKind::Review),
            resp(ResponsibilityKind::Decide),
            resp(ResponsibilityKind::Deliver),
            resp(ResponsibilityKind::Supervise),
            resp(ResponsibilityKind::Other),
            i.accountability.clone(),
            app.map_or(String::new(), |a| a.statutory_days.to_string()),
            app.map_or(String::new(), |a| a.promised_days.to_string()),
            app.map_or(String::new(), |a| {
                if a.fees.is_empty() {
                    "不收费".into()
                } else {
                    a.fees
                        .iter()
                        .map(|f| format!("{}：{}：{}", f.name, f.amount, f.basis))
                        .collect::<Vec<_>>()
                        .join("；")
                }
            }),
            app.map_or(String::new(), |a| {
                a.materials
                    .iter()
                    .map(|m| {
                        if m.required {
                            m.name.clone()
                        } else {
                            format!("{}（可选）", m.name)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("；")
            }),
            app.map_or(String::new(), |a| a.conditions.clone()),
            app.map_or(String::new(), |a| a.online_depth.label_zh().into()),
            i.note.clone(),
        ]);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, kind: &str, basis: &str, org: &str) -> Vec<String> {
        let mut r = vec![String::new(); COLUMNS.len()];
        r[0] = code.into();
        r[1] = "测试事项".into();
        r[2] = kind.into();
        r[4] = basis.into();
        r[5] = org.into();
        r
    }

    fn header() -> Vec<String> {
        COLUMNS.iter().map(|c| (*c).to_string()).collect()
    }

    const BASIS: &str = "《拍卖法》第十一条：企业取得从事拍卖业务的许可必须经所在地的省、自治区、直辖市人民政府负责管理拍卖业的部门审核批准。";

    #[test]
    fn good_rows_become_items_and_export_reads_back_the_same() {
        let mut r = row("ZZSW-XK-001", "行政许可", BASIS, "zz");
        r[13] = "20".into();
        r[14] = "10".into();
        r[15] = "不收费".into();
        r[16] = "申请书；营业执照；章程（可选）".into();
        r[18] = "全程网办".into();
        let items = read_rows(&[header(), r], &["zz".into()], &[]).unwrap();
        let app = items[0].application.as_ref().unwrap();
        assert_eq!(app.decision_days(), 10);
        assert_eq!(app.materials.len(), 3);
        assert!(!app.materials[2].required);
        assert_eq!(items[0].bases[0].law, "拍卖法");
        let back = read_rows(&write_rows(&items), &["zz".into()], &[]).unwrap();
        assert_eq!(back, items);
    }

    #[test]
    fn a_file_with_two_bad_rows_names_both_with_column_and_reason() {
        let rows = vec![
            header(),
            row("ZZSW-CF-001", "行政处罚", BASIS, "zz"),
            row("ZZSW-CF-002", "行政罚款", BASIS, "zz"),
            row("ZZSW-CF-003", "行政处罚", "拍卖法第十一条", "nowhere"),
        ];
        let errors = read_rows(&rows, &["zz".into()], &[]).unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 3, "{text:?}");
        assert!(text[0].starts_with("第 3 行「事项类型」"));
        assert!(text[1].starts_with("第 4 行「实施依据」"));
        assert!(text[2].starts_with("第 4 行「责任单位」"));
    }

    #[test]
    fn a_missing_column_and_a_duplicate_code_are_refused() {
        let e = read_rows(&[vec!["事项编码".into()]], &[], &[]).unwrap_err();
        assert_eq!(e.len(), 4);
        let rows = vec![
            header(),
            row("ZZSW-CF-001", "行政处罚", BASIS, "zz"),
            row("ZZSW-CF-001", "行政处罚", BASIS, "zz"),
        ];
        let e = read_rows(&rows, &["zz".into()], &[]).unwrap_err();
        assert!(e[0].reason.contains("重复"));
    }
}
