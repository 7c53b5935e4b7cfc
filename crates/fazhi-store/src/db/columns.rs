//! A record's columns declared once (`columns!`): the SELECT list and the row mapping are
//! generated from the same declaration, so they cannot get out of step; and a stored value that
//! does not read back (JSON that does not parse, an unknown enum value, a malformed date) is an
//! error naming the table, the column and the record's id — never a silent default.

use serde::de::DeserializeOwned;
use time::Date;

use super::Row;
use crate::StoreError;

/// Reads a row's columns in their declared order (see `columns!`).
pub(crate) struct Cursor<'r> {
    row: &'r Row,
    table: &'static str,
    names: &'static [&'static str],
    next: usize,
}

impl<'r> Cursor<'r> {
    /// A cursor at the first column of `row`, whose columns are `names` of `table`; the first
    /// column is the record's id.
    pub(crate) fn new(row: &'r Row, table: &'static str, names: &'static [&'static str]) -> Self {
        Self {
            row,
            table,
            names,
            next: 0,
        }
    }

    /// The error for the value of column `i`: table, column and id.
    fn bad(&self, i: usize, problem: &str) -> StoreError {
        let column = self.names.get(i).copied().unwrap_or("?");
        let column = column.rsplit('.').next().unwrap_or(column);
        let id = self
            .row
            .opt_i64(0)
            .ok()
            .flatten()
            .map_or_else(|| "?".to_string(), |v| v.to_string());
        StoreError::Db(format!(
            "{}.{column}（id {id}）：存储的值无法读取：{problem}",
            self.table
        ))
    }

    /// The index of the next column, and moves past it.
    fn take(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }

    /// Reads the next column with `f`, naming it in any error.
    fn read<T>(
        &mut self,
        f: impl FnOnce(&Row, usize) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let i = self.take();
        f(self.row, i).map_err(|e| self.bad(i, &e.to_string()))
    }

    /// An integer that must not be NULL.
    pub(crate) fn i64(&mut self) -> Result<i64, StoreError> {
        self.read(Row::i64)
    }

    /// A typed id (`CaseId`, `LeadId`, …) from its `BIGINT`.
    pub(crate) fn id<T: From<i64>>(&mut self) -> Result<T, StoreError> {
        self.i64().map(T::from)
    }

    /// An optional typed id.
    pub(crate) fn opt_id<T: From<i64>>(&mut self) -> Result<Option<T>, StoreError> {
        self.opt_i64().map(|x| x.map(T::from))
    }

    /// An integer that may be NULL.
    pub(crate) fn opt_i64(&mut self) -> Result<Option<i64>, StoreError> {
        self.read(Row::opt_i64)
    }

    /// A 0/1 flag that may be NULL (not yet known).
    pub(crate) fn opt_bool(&mut self) -> Result<Option<bool>, StoreError> {
        self.opt_i64().map(|x| x.map(|v| v == 1))
    }

    /// A non-negative integer that fits 32 bits (a version number).
    pub(crate) fn u32(&mut self) -> Result<u32, StoreError> {
        let i = self.take();
        let v = self.row.i64(i).map_err(|e| self.bad(i, &e.to_string()))?;
        u32::try_from(v).map_err(|_| self.bad(i, &format!("{v} 超出范围")))
    }

    /// A 0/1 flag.
    pub(crate) fn bool(&mut self) -> Result<bool, StoreError> {
        self.read(Row::bool)
    }

    /// Text that must not be NULL.
    pub(crate) fn text(&mut self) -> Result<String, StoreError> {
        self.read(Row::text)
    }

    /// Text that may be NULL.
    pub(crate) fn opt_text(&mut self) -> Result<Option<String>, StoreError> {
        self.read(Row::opt_text)
    }

    /// Text parsed by `parse` (an enum's stored name): an unknown value is an error.
    pub(crate) fn parse<T>(
        &mut self,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, StoreError> {
        let i = self.take();
        let s = self.row.text(i).map_err(|e| self.bad(i, &e.to_string()))?;
        parse(&s).ok_or_else(|| self.bad(i, &format!("未知的值「{s}」")))
    }

    /// Text that may be NULL, parsed by `parse` when present: an unknown value is an error.
    pub(crate) fn opt_parse<T>(
        &mut self,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        let i = self.take();
        let s = self
            .row
            .opt_text(i)
            .map_err(|e| self.bad(i, &e.to_string()))?;
        s.map(|s| parse(&s).ok_or_else(|| self.bad(i, &format!("未知的值「{s}」"))))
            .transpose()
    }

    /// A date (`YYYY-MM-DD`) that must be present.
    pub(crate) fn date(&mut self) -> Result<Date, StoreError> {
        let i = self.take();
        let s = self.row.text(i).map_err(|e| self.bad(i, &e.to_string()))?;
        fazhi_domain::calendar::parse_date(&s)
            .ok_or_else(|| self.bad(i, &format!("「{s}」不是日期")))
    }

    /// A date that may be NULL; one that is present must parse.
    pub(crate) fn opt_date(&mut self) -> Result<Option<Date>, StoreError> {
        let i = self.take();
        let s = self
            .row
            .opt_text(i)
            .map_err(|e| self.bad(i, &e.to_string()))?;
        s.map(|s| {
            fazhi_domain::calendar::parse_date(&s)
                .ok_or_else(|| self.bad(i, &format!("「{s}」不是日期")))
        })
        .transpose()
    }

    /// JSON that may be NULL; JSON that is present must parse as `T`.
    pub(crate) fn json<T: DeserializeOwned>(&mut self) -> Result<Option<T>, StoreError> {
        let i = self.take();
        let s = self
            .row
            .opt_text(i)
            .map_err(|e| self.bad(i, &e.to_string()))?;
        s.map(|s| serde_json::from_str(&s).map_err(|e| self.bad(i, &format!("JSON 有误：{e}"))))
            .transpose()
    }

    /// JSON that must be present and parse.
    pub(crate) fn json_required<T: DeserializeOwned>(&mut self) -> Result<T, StoreError> {
        let i = self.next;
        self.json()?.ok_or_else(|| self.bad(i, "缺少值"))
    }

    /// JSON whose NULL means the default (an empty list); JSON that is present must parse.
    pub(crate) fn json_or_default<T: DeserializeOwned + Default>(
        &mut self,
    ) -> Result<T, StoreError> {
        Ok(self.json()?.unwrap_or_default())
    }

    /// Two columns that are both present or both NULL: text and an integer (a code and its
    /// version).
    pub(crate) fn opt_text_i64(&mut self) -> Result<Option<(String, i64)>, StoreError> {
        match (self.opt_text()?, self.opt_i64()?) {
            (Some(t), Some(v)) => Ok(Some((t, v))),
            _ => Ok(None),
        }
    }
}

/// Declares a record's columns once and generates, from that one list, the SELECT list
/// (`$columns`, a `&str` for `format!`), the number of columns (`$count`, where further columns
/// of a query start) and the row mapping (`$row`). Each field names its column(s) and how it
/// reads (a `Cursor` method); the first field is the record's id.
///
/// ```text
/// columns! {
///     table "penalty_cases"; const COLUMNS, COLUMN_COUNT; fn row -> PenaltyCase {
///         id: "c.id" => i64,
///         stage: "c.stage" => text,
///         benchmark: "c.benchmark_code", "c.benchmark_version" => opt_text_i64,
///         party_kind: "c.party_kind" => parse(party::parse_kind),
///     }
/// }
/// ```
macro_rules! columns {
    (
        table $table:literal; const $columns:ident, $count:ident; fn $row:ident -> $ty:ident {
            $idfield:ident : $idcol:literal => $idread:ident,
            $( $field:ident : $col:literal $(, $more:literal)* => $read:ident $( ( $($arg:expr),* ) )? ),+ $(,)?
        }
    ) => {
        /// The columns of a row, in the order the row mapping reads them.
        pub(super) const $columns: &str = concat!($idcol $(, ", ", $col $(, ", ", $more)*)+);

        /// How many columns `$columns` holds: a query's further columns start here.
        #[allow(dead_code)]
        pub(super) const $count: usize = [$idcol $(, $col $(, $more)*)+].len();

        /// One record from a row that starts with the columns.
        pub(super) fn $row(r: &$crate::Row) -> Result<$ty, $crate::StoreError> {
            const NAMES: &[&str] = &[$idcol $(, $col $(, $more)*)+];
            let mut c = $crate::db::Cursor::new(r, $table, NAMES);
            Ok($ty {
                $idfield: c.$idread()?,
                $( $field: c.$read($($($arg),*)?)?, )+
            })
        }
    };
}

pub(crate) use columns;

#[cfg(test)]
mod tests {
    mod record {
        use crate::db::{Row, Value};

        #[derive(Debug)]
        pub(super) struct Thing {
            pub(super) id: i64,
            pub(super) name: String,
            pub(super) code: Option<(String, i64)>,
            pub(super) tags: Vec<String>,
        }

        crate::db::columns! {
            table "things"; const COLUMNS, COLUMN_COUNT; fn row -> Thing {
                id: "t.id" => i64,
                name: "t.name" => text,
                code: "t.code", "t.code_version" => opt_text_i64,
                tags: "t.tags" => json_or_default,
            }
        }

        pub(super) fn read(values: Vec<Value>) -> Result<Thing, crate::StoreError> {
            row(&Row(values))
        }
    }

    use crate::db::Value;

    #[test]
    fn the_select_list_and_the_mapping_come_from_one_declaration() {
        assert_eq!(
            record::COLUMNS,
            "t.id, t.name, t.code, t.code_version, t.tags"
        );
        assert_eq!(record::COLUMN_COUNT, 5);
        let t = record::read(vec![
            Value::Int(7),
            Value::Text("甲".into()),
            Value::Text("X".into()),
            Value::Int(2),
            Value::Null,
        ])
        .unwrap();
        assert_eq!((t.id, t.name.as_str()), (7, "甲"));
        assert_eq!(t.code, Some(("X".into(), 2)));
        assert!(t.tags.is_empty());
        let e = record::read(vec![
            Value::Int(7),
            Value::Text("甲".into()),
            Value::Null,
            Value::Null,
            Value::Text("[1,".into()),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("things.tags（id 7）") && e.contains("JSON"),
            "{e}"
        );
    }
}
