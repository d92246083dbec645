//! Single logout over the SOAP back channel: our signed LogoutRequest (NameID exactly as WK sent
//! it, SessionIndex from the AuthnStatement) and WK's LogoutResponse.

use super::artifact::SoapRequest;
use super::provider::{config_error, ServiceProvider};
use super::response::{check_in_response_to, check_issuer};
use super::result::Warning;
use super::soap;
use super::status;
use crate::dsig::verify_enveloped;
use crate::error::{Error, ErrorCode, Result};
use crate::time::UtcTime;
use crate::xml::{escape, ns, Document, ParseOptions};
use serde::Serialize;

const UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
const PARTIAL: &str = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout";

/// WK's answer to a LogoutRequest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogoutResult {
    /// The LogoutRequest ID it answers.
    pub in_response_to: String,
    /// True when WK reports the session ended everywhere (no `PartialLogout`).
    pub complete: bool,
    /// Findings that did not fail the logout.
    pub warnings: Vec<Warning>,
}

impl ServiceProvider {
    /// Builds the signed SOAP LogoutRequest for a session (values from the login result).
    pub fn logout_request(
        &self,
        name_id: &str,
        session_index: &str,
        now: Option<UtcTime>,
    ) -> Result<SoapRequest> {
        if name_id.is_empty() || session_index.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "logout needs the NameID and SessionIndex of the login result",
            ));
        }
        let url = self.url(&self.settings.idp.slo_url, "idp.slo_url")?;
        let body = format!(
            r#"<saml2p:LogoutRequest xmlns:saml2p="{samlp}" xmlns:saml2="{saml}" xmlns:ds="{ds}"{{attrs}}><saml2:Issuer>{issuer}</saml2:Issuer><saml2:NameID Format="{fmt}">{name_id}</saml2:NameID><saml2p:SessionIndex>{session}</saml2p:SessionIndex></saml2p:LogoutRequest>"#,
            samlp = ns::SAMLP,
            saml = ns::SAML,
            ds = ns::DS,
            issuer = escape(&self.settings.sp.entity_id),
            fmt = UNSPECIFIED,
            name_id = escape(name_id),
            session = escape(session_index),
        );
        self.signed_soap(&body, &url, now)
    }

    /// Checks WK's LogoutResponse (SOAP or bare): issuer, InResponseTo, status, and the
    /// signature when present (an unsigned answer on the TLS back channel gives a warning).
    pub fn validate_logout_response(
        &self,
        bytes: &[u8],
        logout_request_id: &str,
    ) -> Result<LogoutResult> {
        let doc = Document::parse(bytes, &ParseOptions::saml())?;
        let message = soap::message(doc.root())?;
        if !message.is(ns::SAMLP, "LogoutResponse") {
            return Err(
                Error::new(ErrorCode::ProfileViolation, "expected a LogoutResponse")
                    .with("element", message.describe()),
            );
        }
        let mut warnings = Vec::new();
        let signed = message.child_elements().any(|c| c.is(ns::DS, "Signature"));
        let message = if signed {
            if self.wk_keys.is_empty() {
                return Err(config_error(
                    "idp.signing_certs",
                    "is required to verify WK's LogoutResponse",
                ));
            }
            verify_enveloped(&doc, message, &self.wk_keys)?.element
        } else {
            warnings.push(Warning::new(
                "logout_response_unsigned",
                "WK's LogoutResponse was not signed; trusted on the strength of the TLS back channel",
            ));
            message
        };
        check_issuer(message, &self.settings.idp.entity_id)?;
        check_in_response_to(message, logout_request_id)?;
        status::require_success(message, "LogoutResponse")?;
        let partial = status::read(message)?.second_level.as_deref() == Some(PARTIAL);
        Ok(LogoutResult {
            in_response_to: logout_request_id.to_owned(),
            complete: !partial,
            warnings,
        })
    }
}
