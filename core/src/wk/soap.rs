//! SOAP 1.1 envelopes for the back channel: wrapping our signed requests and finding the one
//! SAML message in WK's answer.

use crate::error::{Error, ErrorCode, Result};
use crate::xml::{ns, Node};

/// Wraps one (signed) element in a SOAP 1.1 envelope.
pub(crate) fn envelope(body: &str) -> String {
    format!(
        r#"<soap11:Envelope xmlns:soap11="{}"><soap11:Body>{body}</soap11:Body></soap11:Envelope>"#,
        ns::SOAP11
    )
}

/// The message element: the root itself, or the only child of `Envelope/Body`. A SOAP Fault is
/// reported as WK's refusal.
pub(crate) fn message(root: Node<'_>) -> Result<Node<'_>> {
    if !root.is(ns::SOAP11, "Envelope") {
        return Ok(root);
    }
    let mut children = root.child_elements();
    let mut body = children.next();
    if body.is_some_and(|b| b.is(ns::SOAP11, "Header")) {
        body = children.next();
    }
    let body = body
        .filter(|b| b.is(ns::SOAP11, "Body"))
        .ok_or_else(|| shape("the SOAP envelope has no Body", root))?;
    if let Some(extra) = children.next() {
        return Err(shape("unexpected element after the SOAP Body", extra));
    }
    let mut parts = body.child_elements();
    let message = parts
        .next()
        .ok_or_else(|| shape("the SOAP Body is empty", body))?;
    if let Some(extra) = parts.next() {
        return Err(shape("the SOAP Body must hold exactly one message", extra));
    }
    if message.is(ns::SOAP11, "Fault") {
        let field = |name: &str| {
            message
                .child_elements()
                .find(|c| c.local_name() == name)
                .and_then(|c| c.leaf_text())
                .map(|t| t.trim().to_owned())
                .unwrap_or_default()
        };
        let (code, text) = (field("faultcode"), field("faultstring"));
        return Err(Error::new(
            ErrorCode::StatusNotSuccess,
            format!("WK answered with a SOAP fault: {code} {text}"),
        )
        .with("fault_code", code)
        .with("fault_string", text));
    }
    Ok(message)
}

fn shape(message: &str, at: Node<'_>) -> Error {
    Error::new(ErrorCode::ProfileViolation, message.to_owned()).with("element", at.describe())
}
