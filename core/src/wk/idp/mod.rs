//! The IdP side of WK: builds messages exactly as Węzeł Krajowy does (compact XML, both
//! signatures with InclusiveNamespaces, ECDH-ES with the `wk` KDF encoding, AES-GCM, WK's
//! attribute set and order). Used by the local simulator and by tests; never by a DU.

mod assertion;

pub use assertion::Citizen;

use super::loa::Loa;
use super::soap;
use crate::dsig::EnvelopedSigner;
use crate::error::Result;
use crate::time::UtcTime;
use crate::xml::{escape, ns};
use crate::xmlenc::{encrypt_element, EncryptOptions, KdfEncoding};
use openssl::pkey::{PKey, Private, Public};
use openssl::x509::X509;

/// Every namespace WK declares on its ArtifactResponse (2025 integration environment).
const WK_NAMESPACES: &str = concat!(
    r#" xmlns:alg="urn:oasis:names:tc:SAML:metadata:algsupport""#,
    r#" xmlns:coi-extension="http://coi.gov.pl/saml-extensions""#,
    r#" xmlns:coi-naturalperson="http://coi.gov.pl/attributes/naturalperson""#,
    r#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#""#,
    r#" xmlns:dsig11="http://www.w3.org/2009/xmldsig11#""#,
    r#" xmlns:eidas="http://eidas.europa.eu/saml-extensions""#,
    r#" xmlns:kirwb="http://wb.kir.pl/saml-extensions""#,
    r#" xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata""#,
    r#" xmlns:mdattr="urn:oasis:names:tc:SAML:metadata:attribute""#,
    r#" xmlns:naturalperson="http://eidas.europa.eu/attributes/naturalperson""#,
    r#" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion""#,
    r#" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol""#,
    r#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#""#,
    r#" xmlns:xenc11="http://www.w3.org/2009/xmlenc11#""#,
);

const STATUS_PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:status:";

/// A WK-like identity provider with its signing key.
#[derive(Clone)]
pub struct IdentityProvider {
    issuer: String,
    signer: EnvelopedSigner,
}

/// A refusal instead of a login: top-level and optional second-level status (short names such
/// as `Responder` / `AuthnFailed`) and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Top-level status, e.g. `Responder`.
    pub code: String,
    /// Second-level status, e.g. `AuthnFailed`.
    pub second_level: Option<String>,
    /// StatusMessage.
    pub message: Option<String>,
}

/// One answer to an ArtifactResolve.
#[derive(Clone)]
pub struct LoginAnswer<'a> {
    /// The DU's AuthnRequest ID (Response and SubjectConfirmationData InResponseTo).
    pub authn_request_id: &'a str,
    /// The DU's ArtifactResolve ID (ArtifactResponse InResponseTo).
    pub artifact_resolve_id: &'a str,
    /// The DU's ACS URL (Recipient).
    pub acs_url: &'a str,
    /// The DU's entity ID (Audience and PartyVInfo).
    pub sp_entity_id: &'a str,
    /// The DU's encryption public key.
    pub recipient: &'a PKey<Public>,
    /// Who logged in.
    pub citizen: &'a Citizen,
    /// The LoA reached.
    pub loa: Loa,
    /// Issue time.
    pub now: UtcTime,
    /// Assertion lifetime (WK: about 50 minutes).
    pub validity_seconds: i64,
    /// A refusal status instead of Success (the assertion is still included, as WK once did,
    /// unless `omit_assertion`).
    pub refusal: Option<Refusal>,
    /// Leave the EncryptedAssertion out (a refusal without assertion).
    pub omit_assertion: bool,
    /// Content-encryption key length: 32 (WK) or 16 (the production quirk).
    pub cek_len: usize,
    /// Ephemeral ECDH key (tests force a shared secret with a leading zero byte).
    pub ephemeral_key: Option<PKey<Private>>,
    /// KDF encoding (`wk` as WK does).
    pub kdf_encoding: KdfEncoding,
    /// Wrap in a SOAP envelope.
    pub soap: bool,
    /// KDF parties (PartyUInfo, PartyVInfo) instead of (our issuer, `sp_entity_id`): the
    /// "message meant for another DU" scenario.
    pub kdf_parties: Option<(&'a str, &'a str)>,
    /// The assertion ID, which WK also uses as the SessionIndex (default: fresh).
    pub assertion_id: Option<&'a str>,
    /// Rewrites the plaintext assertion before encryption (negative scenarios).
    pub assertion_hook: Option<&'a dyn Fn(&str) -> String>,
    /// Rewrites the EncryptedData XML before signing (negative scenarios).
    pub encrypted_hook: Option<&'a dyn Fn(&str) -> String>,
}

impl<'a> LoginAnswer<'a> {
    /// A successful login answer with WK's defaults (32-byte CEK, 50 min, `wk` KDF, SOAP).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        authn_request_id: &'a str,
        artifact_resolve_id: &'a str,
        acs_url: &'a str,
        sp_entity_id: &'a str,
        recipient: &'a PKey<Public>,
        citizen: &'a Citizen,
        now: UtcTime,
    ) -> Self {
        LoginAnswer {
            authn_request_id,
            artifact_resolve_id,
            acs_url,
            sp_entity_id,
            recipient,
            citizen,
            loa: Loa::Substantial,
            now,
            validity_seconds: 50 * 60,
            refusal: None,
            omit_assertion: false,
            cek_len: 32,
            ephemeral_key: None,
            kdf_encoding: KdfEncoding::Wk,
            soap: true,
            kdf_parties: None,
            assertion_id: None,
            assertion_hook: None,
            encrypted_hook: None,
        }
    }
}

fn status_xml(refusal: Option<&Refusal>) -> String {
    let Some(r) = refusal else {
        return format!(
            r#"<saml2p:Status><saml2p:StatusCode Value="{STATUS_PREFIX}Success"/></saml2p:Status>"#
        );
    };
    let inner = r
        .second_level
        .as_deref()
        .map(|s| {
            format!(
                r#"<saml2p:StatusCode Value="{STATUS_PREFIX}{}"/>"#,
                escape(s)
            )
        })
        .unwrap_or_default();
    let message = r
        .message
        .as_deref()
        .map(|m| format!("<saml2p:StatusMessage>{}</saml2p:StatusMessage>", escape(m)))
        .unwrap_or_default();
    format!(
        r#"<saml2p:Status><saml2p:StatusCode Value="{STATUS_PREFIX}{}">{inner}</saml2p:StatusCode>{message}</saml2p:Status>"#,
        escape(&r.code)
    )
}

impl IdentityProvider {
    /// An IdP issuing as `issuer` (a bare host name, like WK) and signing with `key`/`cert`.
    pub fn new(issuer: &str, key: PKey<Private>, cert: &X509) -> Result<Self> {
        Ok(IdentityProvider {
            issuer: issuer.to_owned(),
            signer: EnvelopedSigner::new(key, cert)?,
        })
    }

    /// The Issuer value.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The signed (and encrypted) ArtifactResponse → Response → EncryptedAssertion.
    pub fn artifact_response(&self, a: &LoginAnswer<'_>) -> Result<String> {
        let ids = (super::fresh_id()?, super::fresh_id()?);
        let (outer_id, response_id) = (format!("ECC-{}", ids.0), format!("ECC-{}", ids.1));
        let assertion_xml = if a.omit_assertion {
            String::new()
        } else {
            let mut plaintext = assertion::build(&self.issuer, a)?;
            if let Some(hook) = a.assertion_hook {
                plaintext = hook(&plaintext);
            }
            let (party_u, party_v) = a.kdf_parties.unwrap_or((&self.issuer, a.sp_entity_id));
            let cek = if a.cek_len == 32 {
                None
            } else {
                let mut k = vec![0u8; a.cek_len];
                openssl::rand::rand_bytes(&mut k).map_err(|e| {
                    crate::Error::new(crate::ErrorCode::Internal, format!("no randomness: {e}"))
                })?;
                Some(k)
            };
            let encrypted = encrypt_element(
                plaintext.as_bytes(),
                a.recipient,
                &EncryptOptions {
                    encoding: a.kdf_encoding,
                    party_u: party_u.to_owned(),
                    party_v: party_v.to_owned(),
                    cek,
                    ephemeral_key: a.ephemeral_key.clone(),
                    declare_namespaces: false,
                    ..EncryptOptions::default()
                },
            )?;
            let encrypted = match a.encrypted_hook {
                Some(hook) => hook(&encrypted),
                None => encrypted,
            };
            format!("<saml2:EncryptedAssertion>{encrypted}</saml2:EncryptedAssertion>")
        };
        let instant = a.now.to_rfc3339();
        let status = status_xml(a.refusal.as_ref());
        let xml = format!(
            concat!(
                r#"<saml2p:ArtifactResponse{namespaces} ID="{outer_id}" InResponseTo="{ar_id}" IssueInstant="{instant}" Version="2.0">"#,
                r#"<saml2:Issuer>{issuer}</saml2:Issuer>{status}"#,
                r#"<saml2p:Response ID="{response_id}" InResponseTo="{authn_id}" IssueInstant="{instant}" Version="2.0">"#,
                r#"<saml2:Issuer>{issuer}</saml2:Issuer>{status}{assertion}</saml2p:Response></saml2p:ArtifactResponse>"#
            ),
            namespaces = WK_NAMESPACES,
            outer_id = outer_id,
            ar_id = escape(a.artifact_resolve_id),
            instant = instant,
            issuer = escape(&self.issuer),
            status = status,
            response_id = response_id,
            authn_id = escape(a.authn_request_id),
            assertion = assertion_xml,
        );
        // Inner first: the outer digest covers the inner signature.
        let signed = self.signer.sign(xml.as_bytes(), Some(&response_id))?;
        let signed = self.signer.sign(signed.as_bytes(), Some(&outer_id))?;
        Ok(if a.soap {
            soap::envelope(&signed)
        } else {
            signed
        })
    }

    /// A signed SOAP LogoutResponse answering `logout_request_id`.
    pub fn logout_response(
        &self,
        logout_request_id: &str,
        destination: Option<&str>,
        refusal: Option<&Refusal>,
        now: UtcTime,
    ) -> Result<String> {
        let id = format!("ECC-{}", super::fresh_id()?);
        let destination = destination
            .map(|d| format!(r#" Destination="{}""#, escape(d)))
            .unwrap_or_default();
        let xml = format!(
            r#"<saml2p:LogoutResponse xmlns:saml2p="{samlp}" xmlns:saml2="{saml}" xmlns:ds="{ds}"{destination} ID="{id}" InResponseTo="{irt}" IssueInstant="{instant}" Version="2.0"><saml2:Issuer>{issuer}</saml2:Issuer>{status}</saml2p:LogoutResponse>"#,
            samlp = ns::SAMLP,
            saml = ns::SAML,
            ds = ns::DS,
            irt = escape(logout_request_id),
            instant = now.to_rfc3339(),
            issuer = escape(&self.issuer),
            status = status_xml(refusal),
        );
        Ok(soap::envelope(
            &self.signer.sign(xml.as_bytes(), Some(&id))?,
        ))
    }
}
