//! Why an action was refused, as data the UI and the API show to the user.

use serde::Serialize;

/// A refused action: a stable code, a message in Chinese, and the legal basis when the law is
/// the reason. The staff UI shows it beside the disabled action; the API returns it as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// Stable machine-readable code, e.g. `org.not_in_scope`.
    pub code: &'static str,
    /// The reason, in Chinese, written for the person who tried.
    pub message: String,
    /// The statute and article, when the law is the reason.
    pub basis: Option<String>,
}

impl Refusal {
    /// A refusal whose reason is a rule of the system (access, state), not a statute.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            basis: None,
        }
    }

    /// A refusal whose reason is the law, with the article that says so.
    pub fn by_law(
        code: &'static str,
        message: impl Into<String>,
        basis: impl Into<String>,
    ) -> Self {
        Self {
            code,
            message: message.into(),
            basis: Some(basis.into()),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.basis {
            Some(b) => write!(f, "{}（依据：{}）", self.message, b),
            None => f.write_str(&self.message),
        }
    }
}
