//! A finding that does not fail a login or a verification, with a stable code (shared by the
//! WK login result and the document report).

use serde::Serialize;

/// A non-fatal finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable snake_case code, e.g. `pesel_invalid`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Self {
        Warning {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}
