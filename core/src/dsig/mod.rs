//! XML-Signature verification and signing, driven by a profile and an algorithm allowlist.
//!
//! Verification returns the verified nodes; callers read fields only from them.
//!
//! ```no_run
//! use eidpl::dsig::{verify_enveloped, TrustedKeys};
//! use eidpl::xml::{Document, ParseOptions};
//! # fn main() -> eidpl::Result<()> {
//! let keys = TrustedKeys::from_pem(&std::fs::read("wk_sig_ec.pem")?)?;
//! let doc = Document::parse(&std::fs::read("artifact-response.xml")?, &ParseOptions::saml())?;
//! let verified = verify_enveloped(&doc, doc.root(), &keys)?;
//! println!("signed by {}", verified.key_label());
//! # Ok(()) }
//! ```

mod algorithms;
mod crypto;
mod digest;
mod keys;
mod reference;
mod sign;
mod structure;

pub use algorithms::{uri, DigestAlgorithm, SignatureAlgorithm, XPATH_NO_SIGNATURES};
pub use keys::{TrustedKey, TrustedKeys};
pub use sign::EnvelopedSigner;

use crate::error::{Error, ErrorCode, Result};
use crate::xml::{ns, Document, Exclusion, Node, Selection};

/// Which rules a signature must follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// SAML (SECURITY.md rule 3): enveloped, a direct child of the element it signs, exactly one
    /// Reference to `#` + that element's `ID`, transforms exactly enveloped-signature then
    /// exclusive c14n, exclusive c14n of SignedInfo, no `ds:Object`.
    SamlStrict,
    /// Generic XML-DSig and XAdES: several references, `ds:Object`, inclusive or exclusive c14n,
    /// the fixed XPath filter `not(ancestor-or-self::ds:Signature)`, detached data from the caller.
    Xades,
}

/// Bytes for a reference to an external URI (a detached signature's data file).
#[derive(Debug, Clone, Copy)]
pub struct DetachedData<'d> {
    /// The URI exactly as written in the Reference.
    pub uri: &'d str,
    /// The referenced bytes.
    pub bytes: &'d [u8],
}

/// What a verified reference covers.
#[derive(Debug, Clone, PartialEq)]
pub enum ReferenceTarget<'a> {
    /// The whole document (`URI=""`), less any transforms' exclusions.
    Document,
    /// One element and its content (`URI="#id"`).
    Element(Node<'a>),
    /// Detached data supplied by the caller.
    Detached(String),
}

/// A reference whose digest matched.
#[derive(Debug, Clone)]
pub struct VerifiedReference<'a> {
    /// The `ds:Reference` element.
    pub node: Node<'a>,
    /// The URI attribute.
    pub uri: String,
    /// The Type attribute (e.g. XAdES SignedProperties).
    pub reference_type: Option<String>,
    /// What it covers.
    pub target: ReferenceTarget<'a>,
}

/// A signature whose value and every reference verified under a trusted key.
#[derive(Debug, Clone)]
pub struct VerifiedSignature<'a> {
    /// The `ds:Signature` element.
    pub signature: Node<'a>,
    /// The signature algorithm used.
    pub algorithm: SignatureAlgorithm,
    /// Subject of the trusted certificate (or a name for a bare key) that verified it.
    pub key_label: String,
    /// The trusted certificate that verified it, if the key was pinned as a certificate.
    pub certificate: Option<openssl::x509::X509>,
    /// Every reference, in SignedInfo order.
    pub references: Vec<VerifiedReference<'a>>,
}

/// An element whose enveloped SAML signature verified: read fields only from `element`.
#[derive(Debug, Clone)]
pub struct VerifiedElement<'a> {
    /// The signed element.
    pub element: Node<'a>,
    /// The signature details.
    pub signature: VerifiedSignature<'a>,
}

impl VerifiedElement<'_> {
    /// Subject of the trusted certificate (or a name for a bare key) that verified it.
    pub fn key_label(&self) -> &str {
        &self.signature.key_label
    }
}

/// Verifies one `ds:Signature` under `profile` with keys from `keys` (KeyInfo only selects).
/// Checks, in order: structure and allowlist, key selection, SignatureValue over the canonical
/// SignedInfo, then every reference digest.
pub fn verify_signature<'a>(
    doc: &'a Document,
    signature: Node<'a>,
    profile: Profile,
    keys: &TrustedKeys,
    detached: &[DetachedData<'_>],
) -> Result<VerifiedSignature<'a>> {
    verify_covering(doc, signature, profile, keys, detached, None)
}

/// [`verify_signature`], and when `covered` is given, the (only) reference must point at it;
/// checked before any crypto runs.
fn verify_covering<'a>(
    doc: &'a Document,
    signature: Node<'a>,
    profile: Profile,
    keys: &TrustedKeys,
    detached: &[DetachedData<'_>],
    covered: Option<Node<'a>>,
) -> Result<VerifiedSignature<'a>> {
    let parts = structure::read_signature(signature, profile)?;
    let targets = parts
        .references
        .iter()
        .map(|r| reference::resolve(doc, r, detached))
        .collect::<Result<Vec<_>>>()?;
    if let Some(element) = covered {
        let expected_uri = element
            .attr("ID")
            .map(|id| format!("#{id}"))
            .unwrap_or_default();
        let actual_uri = parts.references.first().and_then(|r| r.uri).unwrap_or("");
        if actual_uri != expected_uri || targets.first() != Some(&ReferenceTarget::Element(element))
        {
            return Err(Error::new(
                ErrorCode::ReferenceInvalid,
                "the signature does not cover the element that carries it",
            )
            .expected_actual(expected_uri, actual_uri));
        }
    }
    let candidates = keys.select(parts.key_info.as_ref())?;

    let signed_info = doc.canonicalize_to_vec(
        Selection::Subtree(parts.signed_info),
        Exclusion::Nothing,
        &parts.c14n,
    )?;
    let mut last_error = None;
    let mut key = None;
    for k in candidates {
        match crypto::verify(parts.algorithm, k, &signed_info, &parts.signature_value) {
            Ok(()) => {
                key = Some(k);
                break;
            }
            Err(e) => last_error = Some(e),
        }
    }
    let key = match key {
        Some(k) => k,
        None => {
            return Err(last_error.unwrap_or_else(|| {
                Error::new(ErrorCode::SignatureInvalid, "no key verified the signature")
            }))
        }
    };

    let mut references = Vec::with_capacity(parts.references.len());
    for (r, target) in parts.references.iter().zip(targets) {
        reference::check_digest(doc, signature, r, &target, detached)?;
        references.push(VerifiedReference {
            node: r.node,
            uri: r.uri.unwrap_or("").to_owned(),
            reference_type: r.reference_type.map(str::to_owned),
            target,
        });
    }
    Ok(VerifiedSignature {
        signature,
        algorithm: parts.algorithm,
        key_label: key.label().to_owned(),
        certificate: key.certificate().cloned(),
        references,
    })
}

/// Verifies the enveloped SAML signature of `element` under [`Profile::SamlStrict`]: the
/// signature is `element`'s only `ds:Signature` child, and its one Reference is `#` + the
/// element's `ID`, which must identify exactly this element.
pub fn verify_enveloped<'a>(
    doc: &'a Document,
    element: Node<'a>,
    keys: &TrustedKeys,
) -> Result<VerifiedElement<'a>> {
    let mut signatures = element
        .child_elements()
        .filter(|c| c.is(ns::DS, "Signature"));
    let signature = signatures.next().ok_or_else(|| {
        Error::new(
            ErrorCode::SignatureMissing,
            format!("{} is not signed", element.qualified_name()),
        )
        .with("element", element.describe())
    })?;
    if let Some(second) = signatures.next() {
        return Err(structure::violation(
            "an element may carry only one signature",
            second,
        ));
    }
    let id = element
        .attr("ID")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| structure::violation("a signed SAML element needs an ID", element))?;
    if doc.element_by_id(id) != Some(element) {
        return Err(structure::violation(
            "the element's ID does not identify it",
            element,
        ));
    }
    let verified = verify_covering(
        doc,
        signature,
        Profile::SamlStrict,
        keys,
        &[],
        Some(element),
    )?;
    Ok(VerifiedElement {
        element,
        signature: verified,
    })
}
