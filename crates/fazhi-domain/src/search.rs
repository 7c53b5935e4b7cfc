//! What the full-text search indexes and asks, without the engine (`fazhi-search`) or the
//! database (`fazhi_store::search`): the searchable document every capability gives for its
//! records, the question asked, who asks it (public or staff with their scopes), and the
//! validity of a document as of a date.
//!
//! A capability makes its records searchable by building a [`SearchDoc`] for each one (in the
//! store, `fazhi_store::search::<kind>`) and enqueuing its id on the outbox in the transaction
//! that changes it; nothing else is needed.

use serde::Serialize;
use time::Date;

use crate::org::Actor;

/// The kinds of searchable records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 规范性文件.
    Normative,
    /// 法律法规 (a law or regulation as a whole).
    Law,
    /// 法条 (one article of a law).
    Article,
    /// 权责事项 (a published version of a power-list item).
    PowerItem,
    /// 处罚决定 (a penalty decision as published on the portal, masked).
    Decision,
    /// 案件 (a penalty case, staff only).
    Case,
}

impl Kind {
    /// Every kind, in the order the filters list them.
    pub const ALL: [Kind; 6] = [
        Self::Normative,
        Self::Law,
        Self::Article,
        Self::PowerItem,
        Self::Decision,
        Self::Case,
    ];

    /// The stored name (outbox rows, index, query strings, keys); never changes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normative => "normative",
            Self::Law => "law",
            Self::Article => "article",
            Self::PowerItem => "power_item",
            Self::Decision => "decision",
            Self::Case => "case",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name shown in the UI.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Normative => "规范性文件",
            Self::Law => "法律法规",
            Self::Article => "法条",
            Self::PowerItem => "权责事项",
            Self::Decision => "处罚决定",
            Self::Case => "案件",
        }
    }

    /// Whether the kind is ever shown on the portal.
    pub fn public_kind(self) -> bool {
        self != Self::Case
    }

    /// The unique key of a record of this kind (`case:12`).
    pub fn key(self, id: i64) -> String {
        format!("{}:{id}", self.as_str())
    }
}

/// One searchable record, as every capability gives it to the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchDoc {
    /// Unique, `<kind>:<id>` (see [`Kind::key`]).
    pub key: String,
    /// The kind.
    pub kind: Kind,
    /// Title (ranks above the body).
    pub title: String,
    /// The searchable text. For what the portal shows, only what it publishes (masked).
    pub body: String,
    /// Its number: 文号, case number, item code; matched exactly as well as by words.
    pub number: String,
    /// Names of parties (persons, companies), matched as words of their own.
    pub parties: String,
    /// 制定机关 / 责任单位 / 办案单位: the filter's issuer.
    pub issuer: String,
    /// Year (of issue, decision, opening).
    pub year: Option<i32>,
    /// The materialised path of the record's org (`/1/17/`): staff see what their scope covers.
    pub org_path: String,
    /// Shown to the public (and to every staff member).
    pub public: bool,
    /// In force from this day (none: since always).
    pub in_force_from: Option<Date>,
    /// In force until this day, exclusive (none: still in force).
    pub in_force_to: Option<Date>,
    /// What the record became when its force ended (已废止, 已失效, 已修改…); none: 已失效.
    pub ended_as: Option<String>,
    /// Its staff page.
    pub staff_url: String,
    /// Its portal page, if it has one.
    pub public_url: Option<String>,
}

impl SearchDoc {
    /// Whether it is in force on `day`.
    pub fn in_force_on(&self, day: Date) -> bool {
        in_force(self.in_force_from, self.in_force_to, day)
    }

    /// Its validity label as of `day` (see [`validity`]).
    pub fn validity(&self, day: Date) -> String {
        validity(
            self.in_force_from,
            self.in_force_to,
            self.ended_as.as_deref(),
            day,
        )
    }
}

/// Whether `[from, to)` covers `day` (open ends cover everything on their side).
pub fn in_force(from: Option<Date>, to: Option<Date>, day: Date) -> bool {
    from.is_none_or(|f| f <= day) && to.is_none_or(|t| day < t)
}

/// 尚未施行 before `from`, 现行有效 within, and from `to` on what the record became
/// (`ended_as`, e.g. 已废止), 已失效 if that is not recorded.
pub fn validity(from: Option<Date>, to: Option<Date>, ended_as: Option<&str>, day: Date) -> String {
    if from.is_some_and(|f| day < f) {
        "尚未施行".into()
    } else if to.is_some_and(|t| t <= day) {
        ended_as
            .filter(|e| !e.is_empty())
            .unwrap_or("已失效")
            .into()
    } else {
        "现行有效".into()
    }
}

/// Who asks, and so what they may find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The portal: public documents only.
    Public,
    /// Staff: public documents, and the others whose org path starts with one of `paths` (all
    /// of them with `all`).
    Staff {
        /// Sees every record.
        all: bool,
        /// The subtrees they may view (`Actor::view_scopes`).
        paths: Vec<String>,
    },
}

impl Scope {
    /// The scope of a staff member: the subtrees they may view.
    pub fn of(actor: &Actor) -> Self {
        Self::Staff {
            all: false,
            paths: actor.view_scopes(),
        }
    }

    /// Whether a record with this flag and org path is within the scope (what the engine's
    /// filter must agree with).
    pub fn covers(&self, public: bool, org_path: &str) -> bool {
        match self {
            Self::Public => public,
            Self::Staff { all, paths } => {
                public || *all || paths.iter().any(|p| org_path.starts_with(p.as_str()))
            }
        }
    }
}

/// A search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The words typed (may be empty: then every document within the filters).
    pub text: String,
    /// Only these kinds (empty: every kind).
    pub kinds: Vec<Kind>,
    /// Only this issuer (exact name).
    pub issuer: Option<String>,
    /// Only this year.
    pub year: Option<i32>,
    /// Only what is in force on this day; also the day validity is shown as of.
    pub as_of: Option<Date>,
    /// Who asks.
    pub scope: Scope,
    /// Hits skipped (paging).
    pub offset: usize,
    /// Hits returned.
    pub limit: usize,
}

impl Query {
    /// A query for `text` in `scope`, first page of 20, no filters.
    pub fn new(text: &str, scope: Scope) -> Self {
        Self {
            text: text.into(),
            kinds: Vec::new(),
            issuer: None,
            year: None,
            as_of: None,
            scope,
            offset: 0,
            limit: 20,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_repealed_document_is_in_force_until_the_day_it_is_repealed_and_then_reads_as_repealed() {
        let (from, to) = (Some(date!(2020 - 01 - 01)), Some(date!(2026 - 10 - 01)));
        assert_eq!(
            validity(from, to, Some("已废止"), date!(2026 - 06 - 01)),
            "现行有效"
        );
        assert_eq!(
            validity(from, to, Some("已废止"), date!(2026 - 09 - 30)),
            "现行有效"
        );
        assert_eq!(
            validity(from, to, Some("已废止"), date!(2026 - 10 - 01)),
            "已废止"
        );
        assert_eq!(validity(from, to, None, date!(2026 - 11 - 28)), "已失效");
        assert_eq!(validity(from, to, None, date!(2019 - 12 - 31)), "尚未施行");
        assert!(in_force(from, to, date!(2026 - 09 - 30)));
        assert!(!in_force(from, to, date!(2026 - 10 - 01)));
        assert!(in_force(None, None, date!(2026 - 10 - 01)));
    }

    #[test]
    fn a_staff_scope_covers_its_subtrees_and_public_records_and_the_portal_only_public_ones() {
        let staff = Scope::Staff {
            all: false,
            paths: vec!["/1/17/".into()],
        };
        assert!(staff.covers(false, "/1/17/23/"));
        assert!(!staff.covers(false, "/1/18/"));
        assert!(!staff.covers(false, "/1/"));
        assert!(staff.covers(true, "/1/18/"));
        assert!(!Scope::Public.covers(false, "/1/17/"));
        assert!(Scope::Public.covers(true, "/1/17/"));
    }

    #[test]
    fn kinds_read_back_from_their_stored_names_and_make_keys() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::Case.key(12), "case:12");
        assert_eq!(Kind::PowerItem.label_zh(), "权责事项");
    }
}
