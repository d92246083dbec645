//! eIDAS levels of assurance as WK writes them.

use serde::Serialize;

/// An eIDAS level of assurance; ordered (`Low < Substantial < High`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Loa {
    /// `http://eidas.europa.eu/LoA/low`
    Low,
    /// `http://eidas.europa.eu/LoA/substantial`
    Substantial,
    /// `http://eidas.europa.eu/LoA/high`
    High,
}

impl Loa {
    /// The AuthnContextClassRef URI.
    pub fn uri(self) -> &'static str {
        match self {
            Loa::Low => "http://eidas.europa.eu/LoA/low",
            Loa::Substantial => "http://eidas.europa.eu/LoA/substantial",
            Loa::High => "http://eidas.europa.eu/LoA/high",
        }
    }

    /// The short name (`low`, `substantial`, `high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Loa::Low => "low",
            Loa::Substantial => "substantial",
            Loa::High => "high",
        }
    }

    /// From the AuthnContextClassRef URI (exact match).
    pub fn from_uri(uri: &str) -> Option<Loa> {
        [Loa::Low, Loa::Substantial, Loa::High]
            .into_iter()
            .find(|l| l.uri() == uri)
    }

    /// From the short name.
    pub fn from_name(name: &str) -> Option<Loa> {
        [Loa::Low, Loa::Substantial, Loa::High]
            .into_iter()
            .find(|l| l.as_str() == name)
    }
}
