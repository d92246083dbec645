//! SP metadata to hand to COI: entity ID, signing and encryption certificates, the
//! HTTP-Artifact ACS and (when configured) the SOAP single-logout endpoint.

use super::provider::{config_error, ServiceProvider};
use crate::error::{Error, ErrorCode, Result};
use crate::xml::{escape, ns};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use openssl::x509::X509;

fn key_descriptor(usage: &str, cert: &X509) -> Result<String> {
    let der = cert
        .to_der()
        .map_err(|e| Error::new(ErrorCode::KeyInvalid, format!("certificate: {e}")))?;
    Ok(format!(
        r#"<md:KeyDescriptor use="{usage}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#,
        B64.encode(der)
    ))
}

impl ServiceProvider {
    /// The SP's SAML metadata (EntityDescriptor).
    pub fn metadata(&self) -> Result<String> {
        let sp = &self.settings.sp;
        let signing = self
            .signing_cert
            .as_ref()
            .ok_or_else(|| config_error("sp.signing_cert", "is required for metadata"))?;
        if self.encryption_certs.is_empty() {
            return Err(config_error(
                "sp.encryption_certs",
                "is required for metadata (or give `sp.encryption_keys` as PKCS#12 with its certificate)",
            ));
        }
        let mut keys = key_descriptor("signing", signing)?;
        for cert in &self.encryption_certs {
            keys.push_str(&key_descriptor("encryption", cert)?);
        }
        let slo = sp
            .slo_url
            .as_deref()
            .map(|url| {
                format!(
                    r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="{}"/>"#,
                    escape(url)
                )
            })
            .unwrap_or_default();
        let organization = sp
            .provider_name
            .as_deref()
            .map(|name| {
                format!(
                    r#"<md:Organization><md:OrganizationName xml:lang="pl">{n}</md:OrganizationName><md:OrganizationDisplayName xml:lang="pl">{n}</md:OrganizationDisplayName><md:OrganizationURL xml:lang="pl">{u}</md:OrganizationURL></md:Organization>"#,
                    n = escape(name),
                    u = escape(&sp.acs_url),
                )
            })
            .unwrap_or_default();
        Ok(format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                "\n",
                r#"<md:EntityDescriptor xmlns:md="{md}" xmlns:ds="{ds}" entityID="{entity}">"#,
                r#"<md:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="{samlp}">"#,
                r#"{keys}{slo}<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>"#,
                r#"<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="{acs}" index="1" isDefault="true"/>"#,
                r#"</md:SPSSODescriptor>{organization}</md:EntityDescriptor>"#,
                "\n"
            ),
            md = ns::MD,
            ds = ns::DS,
            entity = escape(&sp.entity_id),
            samlp = ns::SAMLP,
            keys = keys,
            slo = slo,
            acs = escape(&sp.acs_url),
            organization = organization,
        ))
    }
}
