//! What a successful WK login returns (ARCHITECTURE.md, "WK login result"). Every field is read
//! from the decrypted assertion of a verified Response.

use super::loa::Loa;
pub use crate::warning::Warning;
use serde::Serialize;
use std::collections::BTreeMap;

/// A verified WK login.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoginResult {
    /// `Subject/NameID`, verbatim (logout needs it exactly).
    pub name_id: String,
    /// The NameID Format, if given.
    pub name_id_format: Option<String>,
    /// `AuthnStatement/@SessionIndex` (for logout; not the assertion ID).
    pub session_index: String,
    /// The level of assurance of the authentication.
    pub loa: Loa,
    /// The AuthnContextClassRef URI.
    pub authn_context_class_ref: String,
    /// When the citizen authenticated (RFC 3339 UTC).
    pub authn_instant: String,
    /// Who authenticated the citizen (`pz.gov.pl`, `mObywatel`, a bank, …).
    pub authenticating_authority: Option<String>,
    /// The assertion ID (remembered for replay protection).
    pub assertion_id: String,
    /// The assertion is valid until (RFC 3339 UTC).
    pub not_on_or_after: String,
    /// The assertion issuer (WK).
    pub issuer: String,
    /// The person.
    pub person: Person,
    /// Every attribute by Name URI → values, in document order.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Things a caller should know that did not prevent the login.
    pub warnings: Vec<Warning>,
}

/// The natural person from the eIDAS attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// `PersonIdentifier` verbatim.
    pub person_identifier: Option<String>,
    /// The PESEL when `person_identifier` is a valid one (checksum and date), else null.
    pub pesel: Option<String>,
    /// `CurrentGivenName` (case kept as sent).
    pub given_name: Option<String>,
    /// `CurrentFamilyName` (case kept as sent).
    pub family_name: Option<String>,
    /// `DateOfBirth` as `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
}

impl LoginResult {
    /// The result as the JSON object every binding returns.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}
