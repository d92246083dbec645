//! ArtifactResolve: the signed SOAP request that turns `SAMLart` into WK's ArtifactResponse.

use super::ids::fresh_id;
use super::provider::ServiceProvider;
use super::soap;
use crate::error::{Error, ErrorCode, Result};
use crate::time::UtcTime;
use crate::xml::{escape, ns};
use serde::Serialize;

/// A signed back-channel request (ArtifactResolve or LogoutRequest) in its SOAP envelope.
#[derive(Debug, Clone, Serialize)]
pub struct SoapRequest {
    /// The request ID: the answer's InResponseTo must equal it.
    pub id: String,
    /// The SOAP envelope to POST (`Content-Type: text/xml`).
    pub soap: String,
    /// Where to POST it.
    pub url: String,
}

/// The longest artifact accepted (a SAML 2.0 type-4 artifact is 60 base64 characters).
const ARTIFACT_MAX: usize = 512;

impl ServiceProvider {
    /// Builds the signed ArtifactResolve for `artifact` (the `SAMLart` form value, verbatim).
    pub fn artifact_resolve(&self, artifact: &str, now: Option<UtcTime>) -> Result<SoapRequest> {
        let artifact = artifact.trim();
        if artifact.is_empty()
            || artifact.len() > ARTIFACT_MAX
            || !artifact
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
        {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "SAMLart must be a non-empty base64 value of at most 512 characters",
            )
            .with("length", artifact.len()));
        }
        let url = self.url(
            &self.settings.idp.artifact_resolution_url,
            "idp.artifact_resolution_url",
        )?;
        let body = format!(
            r#"<saml2p:ArtifactResolve xmlns:saml2p="{samlp}" xmlns:saml2="{saml}" xmlns:ds="{ds}"{attrs}><saml2:Issuer>{issuer}</saml2:Issuer><saml2p:Artifact>{artifact}</saml2p:Artifact></saml2p:ArtifactResolve>"#,
            samlp = ns::SAMLP,
            saml = ns::SAML,
            ds = ns::DS,
            attrs = "{attrs}",
            issuer = escape(&self.settings.sp.entity_id),
            artifact = escape(artifact),
        );
        self.signed_soap(&body, &url, now)
    }

    /// Fills in ID, Version, IssueInstant and Destination, signs, and wraps in SOAP.
    pub(crate) fn signed_soap(
        &self,
        template: &str,
        url: &str,
        now: Option<UtcTime>,
    ) -> Result<SoapRequest> {
        let signer = self.signer()?;
        let id = fresh_id()?;
        let now = now.unwrap_or_else(UtcTime::now);
        let attrs = format!(
            r#" ID="{id}" Version="2.0" IssueInstant="{}" Destination="{}""#,
            now.to_rfc3339_seconds(),
            escape(url)
        );
        let signed = signer.sign(
            template.replacen("{attrs}", &attrs, 1).as_bytes(),
            Some(&id),
        )?;
        Ok(SoapRequest {
            id,
            soap: soap::envelope(&signed),
            url: url.to_owned(),
        })
    }
}
