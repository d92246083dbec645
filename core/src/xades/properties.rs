//! XAdES qualifying properties of one signature, read strictly: exactly one
//! QualifyingProperties targeting this signature, exactly one SignedProperties, the signing
//! certificate reference, the claimed signing time and roles.

use crate::xml::{ns, Node};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

/// XAdES 1.3.2.
pub const XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
/// The Reference Type of SignedProperties (both spellings producers use).
pub const SIGNED_PROPERTIES_TYPES: [&str; 2] = [
    "http://uri.etsi.org/01903#SignedProperties",
    "http://uri.etsi.org/01903/v1.3.2#SignedProperties",
];

/// A structural problem, reported as FORMAT_FAILURE.
#[derive(Debug)]
pub(crate) struct Malformed(pub String);

/// One `xades:Cert` of SigningCertificate(V2).
pub(crate) struct CertRef {
    pub digest_algorithm: String,
    pub digest: Vec<u8>,
    /// V1: IssuerSerial as text.
    pub issuer_name: Option<String>,
    pub serial: Option<String>,
}

pub(crate) struct Properties<'a> {
    pub signed_properties: Node<'a>,
    pub signing_time: Option<String>,
    pub certs: Vec<CertRef>,
    pub claimed_roles: Vec<Node<'a>>,
    pub counter_signatures: Vec<Node<'a>>,
}

fn child<'a>(n: Node<'a>, namespace: &str, local: &str) -> Option<Node<'a>> {
    n.child_elements().find(|c| c.is(namespace, local))
}

fn text(n: Node<'_>) -> Result<String, Malformed> {
    n.leaf_text()
        .map(|t| t.trim().to_owned())
        .ok_or_else(|| Malformed(format!("{} must be plain text", n.qualified_name())))
}

fn read_cert(cert: Node<'_>) -> Result<CertRef, Malformed> {
    let digest = child(cert, XADES, "CertDigest")
        .ok_or_else(|| Malformed("SigningCertificate/Cert lacks CertDigest".into()))?;
    let method = child(digest, ns::DS, "DigestMethod")
        .and_then(|m| m.attr("Algorithm"))
        .ok_or_else(|| Malformed("CertDigest lacks DigestMethod".into()))?;
    let value = child(digest, ns::DS, "DigestValue")
        .ok_or_else(|| Malformed("CertDigest lacks DigestValue".into()))?;
    let value = B64
        .decode(text(value)?.replace(char::is_whitespace, ""))
        .map_err(|_| Malformed("CertDigest DigestValue is not base64".into()))?;
    let (issuer_name, serial) = match child(cert, XADES, "IssuerSerial") {
        Some(is) => (
            child(is, ns::DS, "X509IssuerName").map(text).transpose()?,
            child(is, ns::DS, "X509SerialNumber")
                .map(text)
                .transpose()?,
        ),
        None => (None, None),
    };
    Ok(CertRef {
        digest_algorithm: method.to_owned(),
        digest: value,
        issuer_name,
        serial,
    })
}

/// Reads the properties of `signature` (a `ds:Signature` with an `Id`).
pub(crate) fn read<'a>(signature: Node<'a>) -> Result<Properties<'a>, Malformed> {
    let id = signature
        .attr("Id")
        .ok_or_else(|| Malformed("a XAdES signature needs an Id".into()))?;
    let target = format!("#{id}");
    let mut qualifying = signature
        .child_elements()
        .filter(|o| o.is(ns::DS, "Object"))
        .flat_map(|o| o.child_elements())
        .filter(|q| q.is(XADES, "QualifyingProperties"));
    let qp = qualifying
        .next()
        .ok_or_else(|| Malformed("no xades:QualifyingProperties in ds:Object".into()))?;
    if qualifying.next().is_some() {
        return Err(Malformed("more than one QualifyingProperties".into()));
    }
    if qp.attr("Target") != Some(target.as_str()) {
        return Err(Malformed(format!(
            "QualifyingProperties targets {:?}, not this signature {target}",
            qp.attr("Target")
        )));
    }
    let mut signed = qp
        .child_elements()
        .filter(|c| c.is(XADES, "SignedProperties"));
    let signed_properties = signed
        .next()
        .ok_or_else(|| Malformed("no SignedProperties".into()))?;
    if signed.next().is_some() {
        return Err(Malformed("more than one SignedProperties".into()));
    }
    let ssp = child(signed_properties, XADES, "SignedSignatureProperties")
        .ok_or_else(|| Malformed("no SignedSignatureProperties".into()))?;
    let signing_time = child(ssp, XADES, "SigningTime").map(text).transpose()?;
    let certs = match (
        child(ssp, XADES, "SigningCertificate"),
        child(ssp, XADES, "SigningCertificateV2"),
    ) {
        (Some(sc), None) | (None, Some(sc)) => sc
            .child_elements()
            .filter(|c| c.is(XADES, "Cert"))
            .map(read_cert)
            .collect::<Result<Vec<_>, _>>()?,
        (None, None) => Vec::new(),
        (Some(_), Some(_)) => {
            return Err(Malformed(
                "both SigningCertificate and SigningCertificateV2".into(),
            ))
        }
    };
    let claimed_roles = child(ssp, XADES, "SignerRole")
        .or_else(|| child(ssp, XADES, "SignerRoleV2"))
        .and_then(|r| child(r, XADES, "ClaimedRoles"))
        .map(|c| {
            c.child_elements()
                .filter(|r| r.is(XADES, "ClaimedRole"))
                .collect()
        })
        .unwrap_or_default();
    let counter_signatures = child(qp, XADES, "UnsignedProperties")
        .and_then(|u| child(u, XADES, "UnsignedSignatureProperties"))
        .map(|u| {
            u.child_elements()
                .filter(|c| c.is(XADES, "CounterSignature"))
                .flat_map(|c| c.child_elements())
                .filter(|s| s.is(ns::DS, "Signature"))
                .collect()
        })
        .unwrap_or_default();
    Ok(Properties {
        signed_properties,
        signing_time,
        certs,
        claimed_roles,
        counter_signatures,
    })
}
