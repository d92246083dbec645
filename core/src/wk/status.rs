//! SAML `Status`: checked at every level before anything else is used (a real `AuthnFailed`
//! response still carried an encrypted assertion).

use crate::error::{Error, ErrorCode, Result};
use crate::xml::{ns, Node};

const PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:status:";
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

/// A non-success status as WK reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Top-level `StatusCode/@Value`.
    pub code: String,
    /// The nested second-level `StatusCode/@Value`, if any.
    pub second_level: Option<String>,
    /// `StatusMessage`, if any.
    pub message: Option<String>,
}

fn short(uri: &str) -> &str {
    uri.strip_prefix(PREFIX).unwrap_or(uri)
}

fn shape(message: &str, at: Node<'_>) -> Error {
    Error::new(ErrorCode::ProfileViolation, message.to_owned()).with("element", at.describe())
}

/// Reads the `saml2p:Status` child of `message`.
pub(crate) fn read(message: Node<'_>) -> Result<Status> {
    let mut statuses = message
        .child_elements()
        .filter(|c| c.is(ns::SAMLP, "Status"));
    let status = statuses
        .next()
        .ok_or_else(|| shape("the message has no Status", message))?;
    if let Some(extra) = statuses.next() {
        return Err(shape("a message may have only one Status", extra));
    }
    let code_el = status
        .child_elements()
        .find(|c| c.is(ns::SAMLP, "StatusCode"))
        .ok_or_else(|| shape("Status has no StatusCode", status))?;
    let value = |n: Node<'_>| {
        n.attr("Value")
            .map(str::to_owned)
            .ok_or_else(|| shape("StatusCode has no Value", n))
    };
    let code = value(code_el)?;
    let second_level = code_el
        .child_elements()
        .find(|c| c.is(ns::SAMLP, "StatusCode"))
        .map(value)
        .transpose()?;
    let message = status
        .child_elements()
        .find(|c| c.is(ns::SAMLP, "StatusMessage"))
        .map(|m| {
            m.leaf_text()
                .map(|t| t.trim().to_owned())
                .ok_or_else(|| shape("StatusMessage must be plain text", m))
        })
        .transpose()?;
    Ok(Status {
        code,
        second_level,
        message,
    })
}

/// Fails with `status_not_success` unless the status of `message` is Success.
pub(crate) fn require_success(message: Node<'_>, level: &str) -> Result<()> {
    let s = read(message)?;
    if s.code == SUCCESS {
        return Ok(());
    }
    let mut text = format!("WK refused the login: {level} status {}", short(&s.code));
    if let Some(second) = &s.second_level {
        text.push_str(&format!(" / {}", short(second)));
    }
    if let Some(m) = &s.message {
        text.push_str(&format!(": {m}"));
    }
    Err(Error::new(ErrorCode::StatusNotSuccess, text)
        .with("level", level)
        .with("status_code", s.code.clone())
        .with("second_level_status_code", s.second_level.clone())
        .with("status_message", s.message.clone())
        .expected_actual(SUCCESS, s.code))
}
