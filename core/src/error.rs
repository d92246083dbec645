//! One error type with stable codes, shared by every language binding.
//!
//! The snake_case name and the number of each [`ErrorCode`] are part of the public contract: bindings
//! map them to exceptions and C status values. Append new codes; never renumber or rename.

use serde_json::{Map, Value};
use std::fmt;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $num:literal => $name:literal,)*) => {
        /// Stable error codes. The number is the C ABI status; the name is what every language shows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[repr(u16)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant = $num,)*
        }

        impl ErrorCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The stable snake_case name (`signature_invalid`, …).
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $name,)* }
            }

            /// The stable number used by the C ABI.
            pub fn as_u16(self) -> u16 {
                self as u16
            }

            /// Looks a code up by its stable name.
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                match name { $($name => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    /// Input that is not usable at all (empty, not UTF-8 where text is required, bad base64).
    InvalidInput = 1 => "invalid_input",
    /// The bytes are not well-formed XML.
    XmlMalformed = 2 => "xml_malformed",
    /// The document has a DOCTYPE (DTDs, entities and external subsets are never processed).
    DoctypeForbidden = 3 => "doctype_forbidden",
    /// A configured limit was exceeded (parser: bytes, depth, nodes, attributes, namespaces; HTTP
    /// response size).
    LimitExceeded = 4 => "limit_exceeded",
    /// Two ID attributes carry the same value.
    DuplicateId = 5 => "duplicate_id",
    /// The message does not have the structure the profile requires (missing/extra/misplaced element).
    ProfileViolation = 6 => "profile_violation",
    /// A required signature is absent.
    SignatureMissing = 7 => "signature_missing",
    /// The signature value does not verify under the selected key.
    SignatureInvalid = 8 => "signature_invalid",
    /// A reference digest does not match the signed content.
    DigestMismatch = 9 => "digest_mismatch",
    /// An algorithm, transform or key size outside the allowlist.
    AlgorithmNotAllowed = 10 => "algorithm_not_allowed",
    /// A reference points somewhere the profile does not allow, or nowhere.
    ReferenceInvalid = 11 => "reference_invalid",
    /// The signing key is not one of the configured (pinned / trusted) keys.
    KeyNotTrusted = 12 => "key_not_trusted",
    /// Canonicalization failed or produced no output.
    C14nFailed = 13 => "c14n_failed",
    /// A key or certificate could not be read.
    KeyInvalid = 14 => "key_invalid",
    /// Settings are missing, unknown or inconsistent.
    ConfigInvalid = 15 => "config_invalid",
    /// SAML status is not Success.
    StatusNotSuccess = 16 => "status_not_success",
    /// The encrypted assertion could not be decrypted (one uniform error, by design).
    DecryptionFailed = 17 => "decryption_failed",
    /// The issuer is not the expected one.
    IssuerMismatch = 18 => "issuer_mismatch",
    /// The audience restriction does not name this service provider.
    AudienceMismatch = 19 => "audience_mismatch",
    /// SubjectConfirmationData/@Recipient is not this service provider's ACS URL.
    RecipientMismatch = 20 => "recipient_mismatch",
    /// A Destination attribute names another endpoint.
    DestinationMismatch = 21 => "destination_mismatch",
    /// InResponseTo does not match the request this answer belongs to.
    InResponseToMismatch = 22 => "in_response_to_mismatch",
    /// The message or assertion is no longer valid.
    Expired = 23 => "expired",
    /// The message or assertion is not valid yet.
    NotYetValid = 24 => "not_yet_valid",
    /// A one-time value (request ID, assertion ID, artifact) was used again.
    ReplayDetected = 25 => "replay_detected",
    /// The level of assurance is below the requested minimum.
    LoaInsufficient = 26 => "loa_insufficient",
    /// HTTP transport failure (connection, TLS, timeout, unexpected status).
    HttpError = 27 => "http_error",
    /// Reading or writing a file failed.
    IoError = 28 => "io_error",
    /// Certificate chain or trust evaluation failed.
    ChainInvalid = 29 => "chain_invalid",
    /// A bug in eidpl (including a caught panic). Please report it.
    Internal = 30 => "internal_error",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An eidpl error: a stable code, a message for humans, and structured details
/// (typically `expected` / `actual`, or `now` / `limit`).
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    code: ErrorCode,
    message: String,
    details: Map<String, Value>,
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A new error with a code and message and no details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            details: Map::new(),
        }
    }

    /// The `internal_error` a binding reports for a panic caught at its boundary (the panic's
    /// message in `details.panic`): a bug in eidpl stops one call, never the host process.
    pub fn from_panic(payload: Box<dyn std::any::Any + Send>) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Error::new(
            ErrorCode::Internal,
            "eidpl hit a bug and stopped this call safely; please report it with the details",
        )
        .with("panic", what)
    }

    /// Adds one structured detail.
    #[must_use]
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }

    /// Adds `expected` and `actual` details.
    #[must_use]
    pub fn expected_actual(self, expected: impl Into<Value>, actual: impl Into<Value>) -> Self {
        self.with("expected", expected).with("actual", actual)
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Structured details (stable keys per code).
    pub fn details(&self) -> &Map<String, Value> {
        &self.details
    }

    /// `{"code", "message", "details"}` — the shape every binding and the CLI print.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "code": self.code.as_str(),
            "message": self.message,
            "details": Value::Object(self.details.clone()),
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if !self.details.is_empty() {
            write!(f, " {}", Value::Object(self.details.clone()))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorCode::IoError, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip_by_name() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(
                seen.insert(code.as_u16()),
                "duplicate number {}",
                code.as_u16()
            );
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(*code));
        }
        assert_eq!(ErrorCode::from_name("no_such_code"), None);
    }

    #[test]
    fn json_carries_code_message_and_details() {
        let e = Error::new(ErrorCode::AudienceMismatch, "audience is not ours")
            .expected_actual("https://a", "https://b");
        let j = e.to_json();
        assert_eq!(j["code"], "audience_mismatch");
        assert_eq!(j["details"]["expected"], "https://a");
        assert_eq!(j["details"]["actual"], "https://b");
        assert!(e
            .to_string()
            .starts_with("audience_mismatch: audience is not ours"));
    }
}

#[cfg(test)]
mod docs_tests {
    use super::ErrorCode;

    /// docs/errors.md lists every code with its number, so the public table cannot drift.
    #[test]
    fn every_code_is_documented_with_its_number() {
        let doc = include_str!("../../docs/errors.md");
        for code in ErrorCode::ALL {
            let row = format!("| {} | `{}` |", code.as_u16(), code.as_str());
            assert!(doc.contains(&row), "docs/errors.md lacks the row {row}");
        }
    }
}
