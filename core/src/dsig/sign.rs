//! Enveloped signing in exactly the shape WK sends and accepts: ECDSA P-256 with SHA-256,
//! exclusive c14n with an InclusiveNamespaces PrefixList, placed right after `saml2:Issuer`,
//! SignatureValue as fixed-width `r‖s`, the signer's certificate in KeyInfo.

use super::algorithms::{uri, DigestAlgorithm, SignatureAlgorithm};
use super::crypto;
use super::digest::DigestWriter;
use crate::error::{Error, ErrorCode, Result};
use crate::xml::{ns, C14nMethod, Document, Exclusion, Node, ParseOptions, Selection};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;

/// The PrefixList WK uses on both its own and accepted DU signatures.
pub const WK_PREFIX_LIST: &[&str] = &["ds", "saml2", "saml2p", "xenc"];

/// Signs SAML elements with a P-256 key and its certificate.
#[derive(Clone)]
pub struct EnvelopedSigner {
    key: PKey<Private>,
    certificate_b64: String,
    inclusive_prefixes: Vec<String>,
}

fn key_invalid(message: &str) -> Error {
    Error::new(ErrorCode::KeyInvalid, message.to_owned())
}

impl EnvelopedSigner {
    /// A signer for a P-256 private key and the certificate of its public key.
    pub fn new(key: PKey<Private>, certificate: &X509) -> Result<Self> {
        let ec = key
            .ec_key()
            .map_err(|_| key_invalid("the signing key must be an EC P-256 key"))?;
        if ec.group().curve_name() != Some(Nid::X9_62_PRIME256V1) {
            return Err(key_invalid("the signing key must be on P-256"));
        }
        let cert_key = certificate
            .public_key()
            .map_err(|_| key_invalid("the certificate has no usable public key"))?;
        if !key.public_eq(&cert_key) {
            return Err(key_invalid(
                "the certificate does not belong to the signing key",
            ));
        }
        let der = certificate
            .to_der()
            .map_err(|_| key_invalid("the certificate cannot be encoded"))?;
        Ok(EnvelopedSigner {
            key,
            certificate_b64: B64.encode(der),
            inclusive_prefixes: WK_PREFIX_LIST.iter().map(|p| (*p).to_owned()).collect(),
        })
    }

    /// Replaces the InclusiveNamespaces PrefixList (default `ds saml2 saml2p xenc`).
    #[must_use]
    pub fn with_prefix_list(mut self, prefixes: &[&str]) -> Self {
        self.inclusive_prefixes = prefixes.iter().map(|p| (*p).to_owned()).collect();
        self
    }

    /// Signs the element of `xml` whose `ID` is `id` (the root when `id` is None). The signature
    /// goes right after the element's `saml2:Issuer` child. Returns the signed document.
    pub fn sign(&self, xml: &[u8], id: Option<&str>) -> Result<String> {
        let mut doc = Document::parse(xml, &ParseOptions::saml())?;
        let (id, issuer_ptr, needs_ds_decl) = {
            let element = locate(&doc, id)?;
            let id = element
                .attr("ID")
                .filter(|v| is_ncname(v))
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidInput,
                        "the element to sign needs a valid ID",
                    )
                })?
                .to_owned();
            if element.child_elements().any(|c| c.is(ns::DS, "Signature")) {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    "the element is already signed",
                ));
            }
            let issuer = element
                .child_elements()
                .next()
                .filter(|c| c.is(ns::SAML, "Issuer"))
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidInput,
                        "the element to sign must start with saml2:Issuer",
                    )
                })?;
            (
                id,
                issuer.as_ptr(),
                element.lookup_namespace(Some("ds")) != Some(ns::DS),
            )
        };
        doc.insert_after(issuer_ptr, &self.template(&id, needs_ds_decl))?;

        let exclusive = C14nMethod::Exclusive {
            inclusive_prefixes: self.inclusive_prefixes.clone(),
        };
        let (digest_value_ptr, digest) = {
            let element = locate(&doc, Some(&id))?;
            let sig = signature_of(element)?;
            let mut hasher = DigestWriter::new(DigestAlgorithm::Sha256);
            doc.canonicalize(
                Selection::Subtree(element),
                Exclusion::Subtree(sig),
                &exclusive,
                &mut hasher,
            )?;
            let digest = hasher.finish();
            (
                find_desc(sig, &["SignedInfo", "Reference", "DigestValue"])?.as_ptr(),
                digest,
            )
        };
        doc.append_text(digest_value_ptr, &B64.encode(digest))?;

        let (value_ptr, signed_info) = {
            let sig = signature_of(locate(&doc, Some(&id))?)?;
            let si = find_desc(sig, &["SignedInfo"])?;
            let bytes = doc.canonicalize_to_vec(
                Selection::Subtree(si),
                Exclusion::Nothing,
                &C14nMethod::Exclusive {
                    inclusive_prefixes: Vec::new(),
                },
            )?;
            (find_desc(sig, &["SignatureValue"])?.as_ptr(), bytes)
        };
        let value = crypto::sign_ecdsa(
            SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha256),
            &self.key,
            &signed_info,
        )?;
        doc.append_text(value_ptr, &B64.encode(value))?;
        doc.to_xml_string()
    }

    fn template(&self, id: &str, needs_ds_decl: bool) -> String {
        let ds_decl = if needs_ds_decl {
            format!(r#" xmlns:ds="{}""#, ns::DS)
        } else {
            String::new()
        };
        format!(
            concat!(
                r#"<ds:Signature{ds_decl}><ds:SignedInfo>"#,
                r#"<ds:CanonicalizationMethod Algorithm="{exc}"/>"#,
                r#"<ds:SignatureMethod Algorithm="{sig}"/>"#,
                r##"<ds:Reference URI="#{id}"><ds:Transforms>"##,
                r#"<ds:Transform Algorithm="{env}"/>"#,
                r#"<ds:Transform Algorithm="{exc}"><InclusiveNamespaces xmlns="{exc}" PrefixList="{prefixes}"/></ds:Transform>"#,
                r#"</ds:Transforms><ds:DigestMethod Algorithm="{sha}"/><ds:DigestValue></ds:DigestValue></ds:Reference>"#,
                r#"</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>"#,
                r#"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"#,
                r#"</ds:Signature>"#
            ),
            ds_decl = ds_decl,
            exc = uri::EXC_C14N,
            sig = uri::ECDSA_SHA256,
            id = id,
            env = uri::ENVELOPED,
            prefixes = self.inclusive_prefixes.join(" "),
            sha = uri::SHA256,
            cert = self.certificate_b64,
        )
    }
}

fn locate<'a>(doc: &'a Document, id: Option<&str>) -> Result<Node<'a>> {
    let root = doc.root();
    match id {
        None => Ok(root),
        Some(id) if root.attr("ID") == Some(id) => Ok(root),
        Some(id) => doc.element_by_id(id).ok_or_else(|| {
            Error::new(ErrorCode::InvalidInput, "no element with that ID").with("id", id)
        }),
    }
}

fn signature_of(element: Node<'_>) -> Result<Node<'_>> {
    element
        .child_elements()
        .find(|c| c.is(ns::DS, "Signature"))
        .ok_or_else(|| Error::new(ErrorCode::Internal, "signature template vanished"))
}

fn find_desc<'a>(from: Node<'a>, path: &[&str]) -> Result<Node<'a>> {
    path.iter().try_fold(from, |node, name| {
        node.child_elements()
            .find(|c| c.is(ns::DS, name))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::Internal,
                    format!("signature template lacks ds:{name}"),
                )
            })
    })
}

/// IDs we sign must be NCNames, so they can be written into the template verbatim.
fn is_ncname(v: &str) -> bool {
    let mut chars = v.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
