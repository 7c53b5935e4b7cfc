//! Typed ids of the records that cross crate boundaries: a function of the store that takes a
//! case cannot be handed a lead's, an org's or a person's number by mistake. Each is the row's
//! `BIGINT` key; it reads and prints as that number (JSON, URLs, forms).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    )+};
}

ids! {
    /// An administrative penalty case (行政处罚案件).
    CaseId;
    /// A lead (案件线索).
    LeadId;
    /// A major administrative decision (重大行政决策).
    DecisionId;
    /// A legal advisor on the roster (法律顾问).
    AdvisorId;
    /// A reconsideration in which the bureau is the respondent (行政复议).
    ReconsiderationId;
    /// A lawsuit in which the bureau is the defendant (行政诉讼).
    LitigationId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_and_prints_as_its_number() {
        let id: CaseId = "42".parse().unwrap();
        assert_eq!(id, CaseId(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<LeadId>("7").unwrap(), LeadId(7));
        assert!("x".parse::<CaseId>().is_err());
    }
}
