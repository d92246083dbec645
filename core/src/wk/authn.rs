//! The AuthnRequest in exactly the shape WK accepts (WK-PROFILE.md, "AuthnRequest"), signed,
//! with the POST form that sends the browser to WK.

use super::ids::fresh_id;
use super::loa::Loa;
use super::provider::ServiceProvider;
use crate::error::{Error, ErrorCode, Result};
use crate::time::UtcTime;
use crate::xml::{escape, ns};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::Serialize;

/// Options for one login.
#[derive(Debug, Clone, Default)]
pub struct AuthnRequestOptions {
    /// Opaque state WK returns with the artifact (at most 80 bytes, per SAML bindings).
    pub relay_state: Option<String>,
    /// Minimum LoA for this login (default: `sp.requested_loa`).
    pub loa: Option<Loa>,
    /// Issue time (default: now).
    pub now: Option<UtcTime>,
    /// A CSP nonce for the auto-submit script in [`AuthnRequest::html_form`].
    pub csp_nonce: Option<String>,
}

/// A signed AuthnRequest, ready to send.
#[derive(Debug, Clone, Serialize)]
pub struct AuthnRequest {
    /// The request ID: keep it in the user's session; validation needs it.
    pub id: String,
    /// The signed XML.
    pub xml: String,
    /// The `SAMLRequest` form value (base64 of the XML, not deflated).
    pub saml_request: String,
    /// Where the browser POSTs the form (WK's SingleSignOnService).
    pub destination: String,
    /// The RelayState sent along, if any.
    pub relay_state: Option<String>,
    /// A complete HTML page that POSTs the form automatically (with a button without JS).
    pub html_form: String,
}

const RELAY_STATE_MAX: usize = 80;

/// The four attributes WK releases, in the order the integration environment sends them.
const REQUESTED_ATTRIBUTES: [(&str, &str); 4] = [
    ("FamilyName", "CurrentFamilyName"),
    ("FirstName", "CurrentGivenName"),
    ("DateOfBirth", "DateOfBirth"),
    ("PersonIdentifier", "PersonIdentifier"),
];

impl ServiceProvider {
    /// Builds and signs an AuthnRequest and the auto-submitting form for the browser.
    pub fn authn_request(&self, options: &AuthnRequestOptions) -> Result<AuthnRequest> {
        let signer = self.signer()?;
        let sp = &self.settings.sp;
        let provider_name = sp.provider_name.as_deref().ok_or_else(|| {
            super::provider::config_error(
                "sp.provider_name",
                "is required in AuthnRequests (WK rejects requests without the name assigned at registration)",
            )
        })?;
        let destination = self.url(&self.settings.idp.sso_url, "idp.sso_url")?;
        if let Some(rs) = &options.relay_state {
            if rs.len() > RELAY_STATE_MAX {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "RelayState may be at most {RELAY_STATE_MAX} bytes (SAML bindings 3.4.3)"
                    ),
                )
                .expected_actual(RELAY_STATE_MAX, rs.len()));
            }
        }
        let id = fresh_id()?;
        let loa = options.loa.unwrap_or(sp.requested_loa);
        let now = options.now.unwrap_or_else(UtcTime::now);
        let mut attributes = String::new();
        for (friendly, name) in REQUESTED_ATTRIBUTES {
            attributes.push_str(&format!(
                r#"<eidas:RequestedAttribute FriendlyName="{friendly}" Name="{np}/{name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" isRequired="true"/>"#,
                np = ns::NATURAL_PERSON
            ));
        }
        let unsigned = format!(
            concat!(
                r#"<saml2p:AuthnRequest xmlns:saml2p="{samlp}" xmlns:ds="{ds}" xmlns:eidas="{eidas}" xmlns:naturalperson="{np}" xmlns:saml2="{saml}" xmlns:xenc="{xenc}""#,
                r#" ID="{id}" Version="2.0" IssueInstant="{instant}" Destination="{dest}" AssertionConsumerServiceURL="{acs}""#,
                r#" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" ForceAuthn="true" ProviderName="{provider}">"#,
                r#"<saml2:Issuer>{issuer}</saml2:Issuer>"#,
                r#"<saml2p:Extensions><eidas:SPType>{sp_type}</eidas:SPType><eidas:RequestedAttributes>{attributes}</eidas:RequestedAttributes></saml2p:Extensions>"#,
                r#"<saml2p:NameIDPolicy AllowCreate="true" Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>"#,
                r#"<saml2p:RequestedAuthnContext Comparison="minimum"><saml2:AuthnContextClassRef>{loa}</saml2:AuthnContextClassRef></saml2p:RequestedAuthnContext>"#,
                r#"</saml2p:AuthnRequest>"#
            ),
            samlp = ns::SAMLP,
            ds = ns::DS,
            eidas = ns::EIDAS,
            np = ns::NATURAL_PERSON,
            saml = ns::SAML,
            xenc = crate::xml::ns::XENC,
            id = id,
            instant = now.to_rfc3339_seconds(),
            dest = escape(&destination),
            acs = escape(&sp.acs_url),
            provider = escape(provider_name),
            issuer = escape(&sp.entity_id),
            sp_type = sp.sp_type.as_str(),
            attributes = attributes,
            loa = loa.uri(),
        );
        let xml = signer.sign(unsigned.as_bytes(), Some(&id))?;
        let saml_request = B64.encode(xml.as_bytes());
        let html_form = post_form(
            &destination,
            &[
                ("SAMLRequest", Some(saml_request.as_str())),
                ("RelayState", options.relay_state.as_deref()),
            ],
            options.csp_nonce.as_deref(),
        );
        Ok(AuthnRequest {
            id,
            xml,
            saml_request,
            destination,
            relay_state: options.relay_state.clone(),
            html_form,
        })
    }
}

/// An HTML page that POSTs `fields` to `action` on load; without JavaScript it shows a button.
pub fn post_form(action: &str, fields: &[(&str, Option<&str>)], csp_nonce: Option<&str>) -> String {
    let inputs: String = fields
        .iter()
        .filter_map(|(name, value)| {
            value.map(|v| {
                format!(
                    r#"<input type="hidden" name="{}" value="{}">"#,
                    escape(name),
                    escape(v)
                )
            })
        })
        .collect();
    let nonce = csp_nonce
        .map(|n| format!(r#" nonce="{}""#, escape(n)))
        .unwrap_or_default();
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">",
            "<title>Przekierowanie do login.gov.pl</title></head><body>",
            "<form method=\"post\" action=\"{action}\">{inputs}",
            "<noscript><p>Kliknij, aby przejść dalej.</p><button type=\"submit\">Dalej</button></noscript></form>",
            "<script{nonce}>document.forms[0].submit();</script></body></html>\n"
        ),
        action = escape(action),
        inputs = inputs,
        nonce = nonce,
    )
}
