//! Forged inputs for the XML-Signature attacks in docs/SECURITY.md ("Attack → defence → required
//! test"). Each test builds a genuinely signed WK-shaped message (a P-256 key with a self-signed
//! certificate, pinned), forges it, and asserts the exact `ErrorCode` it is rejected with.
//!
//! The message: an `saml2p:ArtifactResponse` (ID `AR1`, signed) holding an `saml2p:Status` and an
//! inner `saml2p:Response` (ID `R1`, signed first as its own document and spliced in) holding an
//! `saml2:Assertion` (ID `A1`) with a NameID. A consumer verifies the ArtifactResponse (root) and
//! then the Response (first `saml2p:Response` child of the root) with `verify_enveloped`.
#![allow(clippy::unwrap_used)]

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::self_signed;
use eidpl::dsig::{
    uri, verify_enveloped, verify_signature, EnvelopedSigner, Profile, ReferenceTarget, TrustedKeys,
};
use eidpl::xml::{ns, C14nMethod, Document, Exclusion, Node, ParseOptions, Selection};
use eidpl::{Error, ErrorCode};
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, PointConversionForm};
use openssl::ecdsa::EcdsaSig;
use openssl::hash::{hash, MessageDigest};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::Signer;
use openssl::x509::X509;
use std::ops::Range;

// ---------------------------------------------------------------------------------------------
// Keys and certificates
// ---------------------------------------------------------------------------------------------

struct Identity {
    key: PKey<Private>,
    cert: X509,
}

fn ec_identity(cn: &str) -> Identity {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let key = PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap();
    let cert = self_signed(&key, cn);
    Identity { key, cert }
}

fn rsa_identity(cn: &str, bits: u32) -> Identity {
    let key = PKey::from_rsa(Rsa::generate(bits).unwrap()).unwrap();
    let cert = self_signed(&key, cn);
    Identity { key, cert }
}

fn pin(cert: &X509) -> TrustedKeys {
    let mut keys = TrustedKeys::new();
    keys.add_certificate(cert.clone()).unwrap();
    keys
}

/// ECDSA P-256/SHA-256 as fixed-width `r‖s` (what XML-DSig requires).
fn ecdsa_raw(key: &PKey<Private>, data: &[u8]) -> Vec<u8> {
    let digest = hash(MessageDigest::sha256(), data).unwrap();
    let sig = EcdsaSig::sign(&digest, &key.ec_key().unwrap()).unwrap();
    let mut out = sig.r().to_vec_padded(32).unwrap();
    out.extend(sig.s().to_vec_padded(32).unwrap());
    out
}

/// RSA PKCS#1 v1.5 with SHA-256.
fn rsa_sha256(key: &PKey<Private>, data: &[u8]) -> Vec<u8> {
    let mut signer = Signer::new(MessageDigest::sha256(), key).unwrap();
    signer.update(data).unwrap();
    signer.sign_to_vec().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/// Both levels declare exactly the InclusiveNamespaces PrefixList set, like the real WK message,
/// so the inner Response canonicalizes the same standalone and spliced into the outer message.
const NS_DECLS: &str = concat!(
    r#"xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" "#,
    r#"xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" "#,
    r#"xmlns:ds="http://www.w3.org/2000/09/xmldsig#" "#,
    r#"xmlns:xenc="http://www.w3.org/2001/04/xmlenc#""#
);
const SUCCESS: &str = r#"<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>"#;
const GENUINE: &str = "PNELIA-GENUINE-000000000001";
const EVIL: &str = "PNELIA-ATTACKER-00000000666";

fn response_xml(id: &str, assertion_id: &str, name_id: &str) -> String {
    format!(
        concat!(
            r#"<saml2p:Response {ns} ID="{id}" InResponseTo="REQ-1" Version="2.0" IssueInstant="2025-06-01T10:00:00.000Z">"#,
            r#"<saml2:Issuer>https://login.gov.pl</saml2:Issuer>{status}"#,
            r#"<saml2:Assertion ID="{aid}" Version="2.0" IssueInstant="2025-06-01T10:00:00.000Z">"#,
            r#"<saml2:Issuer>https://login.gov.pl</saml2:Issuer><saml2:Subject>"#,
            r#"<saml2:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{name}</saml2:NameID>"#,
            r#"</saml2:Subject></saml2:Assertion></saml2p:Response>"#
        ),
        ns = NS_DECLS,
        id = id,
        status = SUCCESS,
        aid = assertion_id,
        name = name_id,
    )
}

fn artifact_response_xml(inner: &str) -> String {
    format!(
        concat!(
            r#"<saml2p:ArtifactResponse {ns} ID="AR1" InResponseTo="ARTREQ-1" Version="2.0" IssueInstant="2025-06-01T10:00:00.100Z">"#,
            r#"<saml2:Issuer>https://login.gov.pl</saml2:Issuer>{status}{inner}</saml2p:ArtifactResponse>"#
        ),
        ns = NS_DECLS,
        status = SUCCESS,
        inner = inner,
    )
}

/// The genuine, signed message and the pinned key that verifies it.
struct Signed {
    id: Identity,
    keys: TrustedKeys,
    /// The whole signed ArtifactResponse.
    outer: String,
}

fn sign_message(id: &Identity, name_id: &str) -> String {
    let signer = EnvelopedSigner::new(id.key.clone(), &id.cert).unwrap();
    let inner = signer
        .sign(response_xml("R1", "A1", name_id).as_bytes(), Some("R1"))
        .unwrap();
    signer
        .sign(artifact_response_xml(inner.trim()).as_bytes(), Some("AR1"))
        .unwrap()
}

fn signed() -> Signed {
    let id = ec_identity("eidpl test WK_SIG_EC");
    let outer = sign_message(&id, GENUINE);
    let keys = pin(&id.cert);
    Signed { id, keys, outer }
}

impl Signed {
    /// The ArtifactResponse's own signature (the first one in document order).
    fn outer_sig(&self) -> &str {
        &self.outer[sig_span(&self.outer, 0)]
    }
    /// The ArtifactResponse without its signature: what its Reference digests.
    fn outer_unsigned(&self) -> String {
        remove(&self.outer, sig_span(&self.outer, 0))
    }
    /// The signed inner Response, as text.
    fn inner(&self) -> &str {
        &self.outer[self.inner_span()]
    }
    fn inner_span(&self) -> Range<usize> {
        span(&self.outer, "<saml2p:Response ", "</saml2p:Response>", 0)
    }
    /// The inner Response's signature.
    fn inner_sig(&self) -> &str {
        &self.outer[sig_span(&self.outer, 1)]
    }
    /// The inner Response without its signature: what its Reference digests.
    fn inner_unsigned(&self) -> String {
        let inner = self.inner();
        remove(inner, sig_span(inner, 0))
    }
    /// The message with the inner Response replaced by `text` (the outer signature is kept, and
    /// is broken by the change: these tests target the inner signature).
    fn with_inner(&self, text: &str) -> String {
        let r = self.inner_span();
        format!("{}{}{}", &self.outer[..r.start], text, &self.outer[r.end..])
    }
    /// The message with one text edit inside the n-th signature (0 = outer, 1 = inner).
    fn edit_sig(&self, n: usize, from: &str, to: &str) -> String {
        edit_sig(&self.outer, n, |sig| replace_once(sig, from, to))
    }
}

/// A forged Response naming the attacker, with an optional signature after its Issuer and
/// `tail` appended as its last content.
fn forged_response(id: &str, assertion_id: &str, sig: Option<&str>, tail: &str) -> String {
    let mut x = response_xml(id, assertion_id, EVIL);
    if let Some(sig) = sig {
        x = replace_once(&x, "</saml2:Issuer>", &format!("</saml2:Issuer>{sig}"));
    }
    replace_once(
        &x,
        "</saml2p:Response>",
        &format!("{tail}</saml2p:Response>"),
    )
}

/// A forged ArtifactResponse (ID `AR-evil`, holding a forged Response `R-evil`) with
/// `after_issuer` right after its Issuer.
fn forged_root(after_issuer: &str) -> String {
    let x = artifact_response_xml(&forged_response("R-evil", "A-evil", None, ""));
    let x = replace_once(&x, r#"ID="AR1""#, r#"ID="AR-evil""#);
    replace_once(
        &x,
        "</saml2:Issuer>",
        &format!("</saml2:Issuer>{after_issuer}"),
    )
}

// ---------------------------------------------------------------------------------------------
// Text surgery
// ---------------------------------------------------------------------------------------------

/// Replaces the first occurrence; the pattern must be present (a forgery must never silently
/// turn into the unmodified message).
fn replace_once(s: &str, from: &str, to: &str) -> String {
    assert!(s.contains(from), "pattern {from:?} not found in {s}");
    s.replacen(from, to, 1)
}

/// Byte range of the n-th (0-based) `open`…`close` element (no nesting of the same element).
fn span(xml: &str, open: &str, close: &str, n: usize) -> Range<usize> {
    let mut from = 0;
    for _ in 0..n {
        from += xml[from..].find(open).unwrap() + open.len();
    }
    let start = from
        + xml[from..]
            .find(open)
            .unwrap_or_else(|| panic!("no {open} #{n}"));
    let end = start + xml[start..].find(close).unwrap() + close.len();
    start..end
}

fn sig_span(xml: &str, n: usize) -> Range<usize> {
    span(xml, "<ds:Signature>", "</ds:Signature>", n)
}

fn remove(xml: &str, r: Range<usize>) -> String {
    format!("{}{}", &xml[..r.start], &xml[r.end..])
}

fn edit_sig(xml: &str, n: usize, f: impl FnOnce(&str) -> String) -> String {
    let r = sig_span(xml, n);
    format!("{}{}{}", &xml[..r.start], f(&xml[r.clone()]), &xml[r.end..])
}

/// Replaces the text between the first `open` and the next `close`.
fn replace_content(s: &str, open: &str, close: &str, new: &str) -> String {
    let start = s.find(open).unwrap() + open.len();
    let end = start + s[start..].find(close).unwrap();
    format!("{}{}{}", &s[..start], new, &s[end..])
}

fn content<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let start = s.find(open).unwrap() + open.len();
    let end = start + s[start..].find(close).unwrap();
    &s[start..end]
}

/// Decoded SignatureValue of the n-th signature.
fn signature_value(xml: &str, n: usize) -> Vec<u8> {
    let sig = &xml[sig_span(xml, n)];
    let text: String = content(sig, "<ds:SignatureValue>", "</ds:SignatureValue>")
        .split_ascii_whitespace()
        .collect();
    B64.decode(text).unwrap()
}

fn with_signature_value(xml: &str, n: usize, value: &[u8]) -> String {
    edit_sig(xml, n, |sig| {
        replace_content(
            sig,
            "<ds:SignatureValue>",
            "</ds:SignatureValue>",
            &B64.encode(value),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Tree helpers and verification entry points
// ---------------------------------------------------------------------------------------------

/// Parses, and holds the Rust exclusive c14n to libxml2's on the document.
fn parse(xml: &str) -> Document {
    let doc = Document::parse(xml.as_bytes(), &ParseOptions::saml())
        .unwrap_or_else(|e| panic!("test input does not parse: {e}"));
    common::c14n_differential_once(xml.as_bytes(), &doc);
    doc
}

/// [`Document::parse`] for verification, with the differential c14n check on what parses.
fn parse_checked(xml: &str, options: &ParseOptions) -> eidpl::Result<Document> {
    let doc = Document::parse(xml.as_bytes(), options)?;
    common::c14n_differential_once(xml.as_bytes(), &doc);
    Ok(doc)
}

fn child<'a>(n: Node<'a>, ns_uri: &str, local: &str) -> Node<'a> {
    n.child_elements()
        .find(|c| c.is(ns_uri, local))
        .unwrap_or_else(|| panic!("{} has no {local} child", n.describe()))
}

fn children<'a>(n: Node<'a>, ns_uri: &str, local: &str) -> Vec<Node<'a>> {
    n.child_elements().filter(|c| c.is(ns_uri, local)).collect()
}

fn signature_of(n: Node<'_>) -> Node<'_> {
    child(n, ns::DS, "Signature")
}

fn name_id(response: Node<'_>) -> String {
    let assertion = child(response, ns::SAML, "Assertion");
    let subject = child(assertion, ns::SAML, "Subject");
    child(subject, ns::SAML, "NameID")
        .leaf_text()
        .unwrap()
        .into_owned()
}

/// Picks the element under test in a parsed document.
type Pick = fn(&Document) -> Node<'_>;

fn root_node(doc: &Document) -> Node<'_> {
    doc.root()
}

/// What a consumer verifies second: the first `saml2p:Response` child of the ArtifactResponse.
fn first_response(doc: &Document) -> Node<'_> {
    child(doc.root(), ns::SAMLP, "Response")
}

fn root_sig(doc: &Document) -> Node<'_> {
    signature_of(doc.root())
}

/// Parse + `verify_enveloped` (SamlStrict) of the picked element.
fn strict(xml: &str, keys: &TrustedKeys, pick: Pick) -> eidpl::Result<()> {
    let doc = parse_checked(xml, &ParseOptions::saml())?;
    verify_enveloped(&doc, pick(&doc), keys).map(|_| ())
}

/// Parse + `verify_signature` (Xades, the generic profile) of the picked element's signature.
fn xades(xml: &str, keys: &TrustedKeys, pick: Pick) -> eidpl::Result<()> {
    let doc = parse_checked(xml, &ParseOptions::saml())?;
    verify_signature(&doc, signature_of(pick(&doc)), Profile::Xades, keys, &[]).map(|_| ())
}

/// The forged input must be rejected with exactly `code`.
#[track_caller]
fn reject(result: eidpl::Result<()>, code: ErrorCode, what: &str) -> Error {
    match result {
        Ok(()) => panic!("{what}: the forged input was ACCEPTED (expected {code})"),
        Err(e) => {
            assert_eq!(e.code(), code, "{what}: rejected with the wrong code: {e}");
            e
        }
    }
}

/// Fills the `PLACEHOLDER` SignatureValue of the signature `pick` finds with `sign` over its
/// canonical SignedInfo (exclusive c14n, as the template declares).
const PLACEHOLDER: &str = "PLACEHOLDER";

fn fill_signature_value(
    xml: &str,
    options: &ParseOptions,
    pick: Pick,
    sign: impl Fn(&[u8]) -> Vec<u8>,
) -> String {
    let doc = parse_checked(xml, options).unwrap();
    let si = child(pick(&doc), ns::DS, "SignedInfo");
    let c14n = doc
        .canonicalize_to_vec(
            Selection::Subtree(si),
            Exclusion::Nothing,
            &C14nMethod::Exclusive {
                inclusive_prefixes: Vec::new(),
            },
        )
        .unwrap();
    replace_once(xml, PLACEHOLDER, &B64.encode(sign(&c14n)))
}

/// The WK Reference digest of `element` with `signature` taken out (enveloped + exc-c14n with
/// the WK PrefixList), base64.
fn wk_digest(doc: &Document, element: Node<'_>, signature: Node<'_>) -> String {
    let method = C14nMethod::Exclusive {
        inclusive_prefixes: ["ds", "saml2", "saml2p", "xenc"].map(String::from).to_vec(),
    };
    let bytes = doc
        .canonicalize_to_vec(
            Selection::Subtree(element),
            Exclusion::Subtree(signature),
            &method,
        )
        .unwrap();
    B64.encode(hash(MessageDigest::sha256(), &bytes).unwrap())
}

const ENV_TRANSFORM: &str =
    r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#;
const EXC_TRANSFORM: &str = r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">"#;
const C14N_METHOD: &str =
    r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#;
const DIGEST_METHOD: &str =
    r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#;
const XPATH_URI: &str = "http://www.w3.org/TR/1999/REC-xpath-19991116";

// ---------------------------------------------------------------------------------------------
// Positive controls
// ---------------------------------------------------------------------------------------------

/// Without this, every rejection below would be meaningless.
#[test]
fn control_unforged_message_verifies_at_both_levels() {
    let s = signed();
    let doc = parse(&s.outer);
    let root = doc.root();
    assert!(root.is(ns::SAMLP, "ArtifactResponse"));
    let outer = verify_enveloped(&doc, root, &s.keys).unwrap();
    assert_eq!(outer.element, root);
    assert!(
        outer.key_label().contains("WK_SIG_EC"),
        "{}",
        outer.key_label()
    );
    let response = first_response(&doc);
    let inner = verify_enveloped(&doc, response, &s.keys).unwrap();
    assert_eq!(inner.element, response);
    assert_eq!(name_id(inner.element), GENUINE);
    assert_eq!(
        inner.signature.certificate.unwrap().to_der().unwrap(),
        s.id.cert.to_der().unwrap()
    );
    for element in [root, response] {
        let v =
            verify_signature(&doc, signature_of(element), Profile::Xades, &s.keys, &[]).unwrap();
        assert_eq!(v.references.len(), 1);
        assert_eq!(v.references[0].target, ReferenceTarget::Element(element));
        // The digest helper used by some forgeries agrees with the signer.
        let sig = signature_of(element);
        let dv = sig
            .child_elements()
            .next()
            .unwrap()
            .child_elements()
            .find(|c| c.is(ns::DS, "Reference"))
            .map(|r| child(r, ns::DS, "DigestValue").leaf_text().unwrap())
            .unwrap();
        assert_eq!(wk_digest(&doc, element, sig), dv.trim());
    }
    // The text helpers see what the tree sees.
    assert!(s.inner().contains(r#"ID="R1""#));
    assert!(s.inner_sig().contains(r##"URI="#R1""##));
    assert!(s.outer_sig().contains(r##"URI="#AR1""##));
    strict(&s.outer, &s.keys, root_node).unwrap();
    strict(&s.outer, &s.keys, first_response).unwrap();
    xades(&s.outer, &s.keys, root_node).unwrap();
    xades(&s.outer, &s.keys, first_response).unwrap();
    // The signed inner Response also verifies standalone (it was signed as its own document).
    let standalone = s.inner().to_owned();
    strict(&standalone, &s.keys, root_node).unwrap();
    // Unsigned-but-reconstructed texts are what the References digest: re-inserting the
    // signature after the Issuer restores the genuine, verifying element.
    let rebuilt = s.with_inner(&replace_once(
        &s.inner_unsigned(),
        "</saml2:Issuer>",
        &format!("</saml2:Issuer>{}", s.inner_sig()),
    ));
    strict(&rebuilt, &s.keys, first_response).unwrap();
}

// ---------------------------------------------------------------------------------------------
// XSW1–XSW8 (Somorovsky et al., "On Breaking SAML", 2012), adapted: XSW1/2 wrap the signed root
// (ArtifactResponse); XSW3–8 use the inner Response as the signed child of the root, as the
// paper uses the Assertion inside the Response. Inner-level shapes also break the outer
// signature (its content changed): asserted as digest_mismatch where the message parses.
// ---------------------------------------------------------------------------------------------

#[track_caller]
fn assert_outer_broken(xml: &str, keys: &TrustedKeys) {
    reject(
        strict(xml, keys, root_node),
        ErrorCode::DigestMismatch,
        "outer signature over a wrapped message",
    );
}

/// XSW1: forged root `AR-evil` carries the original Signature, and the original (unsigned) root
/// is copied *into* that Signature, where a naive ID lookup would find and digest it.
/// Rejected: only SignedInfo, SignatureValue, KeyInfo may appear in a signature (profile_violation,
/// checked before any reference is resolved) – under the generic profile too, as the copy is
/// not a ds:Object.
// attack: xsw
#[test]
fn xsw1_signed_root_copied_into_its_signature() {
    let s = signed();
    let sig = replace_once(
        s.outer_sig(),
        "</ds:Signature>",
        &format!("{}</ds:Signature>", s.outer_unsigned()),
    );
    let xml = forged_root(&sig);
    reject(
        strict(&xml, &s.keys, root_node),
        ErrorCode::ProfileViolation,
        "XSW1 strict",
    );
    reject(
        xades(&xml, &s.keys, root_node),
        ErrorCode::ProfileViolation,
        "XSW1 generic",
    );
}

/// XSW2: forged root `AR-evil`; the original (unsigned) root copied as a sibling *before* the
/// original Signature (a detached signature of the copy). Rejected: the Reference `#AR1` does
/// not point at the element that carries the signature (reference_invalid). Under the generic
/// profile the signature is genuine, but it reports the copy as covered, never the forged root.
// attack: xsw
#[test]
fn xsw2_signed_root_copied_before_detached_signature() {
    let s = signed();
    let xml = forged_root(&format!("{}{}", s.outer_unsigned(), s.outer_sig()));
    let err = reject(
        strict(&xml, &s.keys, root_node),
        ErrorCode::ReferenceInvalid,
        "XSW2 strict",
    );
    assert_eq!(err.details()["expected"], "#AR-evil", "{err}");
    assert_eq!(err.details()["actual"], "#AR1", "{err}");

    let doc = parse(&xml);
    let root = doc.root();
    let copy = child(root, ns::SAMLP, "ArtifactResponse");
    let v = verify_signature(&doc, signature_of(root), Profile::Xades, &s.keys, &[]).unwrap();
    assert_eq!(v.references[0].target, ReferenceTarget::Element(copy));
    assert_ne!(v.references[0].target, ReferenceTarget::Element(root));
}

/// XSW3: a forged Response inserted *before* the signed one, where a consumer looks first.
/// With the original ID it is a duplicate ID (duplicate_id at parse); with a new ID it carries
/// no signature (signature_missing), while the genuine one still verifies with the genuine
/// identity.
// attack: xsw, rule-2
#[test]
fn xsw3_forged_response_before_signed_one() {
    let s = signed();
    let same_id = s.with_inner(&format!(
        "{}{}",
        forged_response("R1", "A-evil", None, ""),
        s.inner()
    ));
    reject(
        strict(&same_id, &s.keys, first_response),
        ErrorCode::DuplicateId,
        "XSW3 same ID",
    );

    let new_id = s.with_inner(&format!(
        "{}{}",
        forged_response("R-evil", "A-evil", None, ""),
        s.inner()
    ));
    reject(
        strict(&new_id, &s.keys, first_response),
        ErrorCode::SignatureMissing,
        "XSW3 new ID",
    );
    let doc = parse(&new_id);
    let responses = children(doc.root(), ns::SAMLP, "Response");
    assert_eq!(responses.len(), 2);
    let genuine = verify_enveloped(&doc, responses[1], &s.keys).unwrap();
    assert_eq!(name_id(genuine.element), GENUINE);
    assert_outer_broken(&new_id, &s.keys);
}

/// XSW4: a forged Response *wraps* the signed one (the original, with its signature, becomes a
/// child of the forgery). The forgery has no signature of its own (signature_missing); with the
/// original ID it is a duplicate ID (duplicate_id).
// attack: xsw
#[test]
fn xsw4_forged_response_wraps_signed_one() {
    let s = signed();
    let xml = s.with_inner(&forged_response("R-evil", "A-evil", None, s.inner()));
    reject(
        strict(&xml, &s.keys, first_response),
        ErrorCode::SignatureMissing,
        "XSW4",
    );
    assert_outer_broken(&xml, &s.keys);

    let same_id = s.with_inner(&forged_response("R1", "A-evil", None, s.inner()));
    reject(
        strict(&same_id, &s.keys, first_response),
        ErrorCode::DuplicateId,
        "XSW4 same ID",
    );
}

/// XSW5: the original Signature moved into a forged Response `R-evil`; an unsigned copy of the
/// original Response appended at the end of the ArtifactResponse so `#R1` still resolves and
/// digests correctly. Rejected: the signature does not cover the element that carries it
/// (reference_invalid); the copy itself has no signature (signature_missing).
// attack: xsw
#[test]
fn xsw5_signature_moved_to_forgery_original_appended() {
    let s = signed();
    let xml = s.with_inner(&format!(
        "{}{}",
        forged_response("R-evil", "A-evil", Some(s.inner_sig()), ""),
        s.inner_unsigned()
    ));
    let err = reject(
        strict(&xml, &s.keys, first_response),
        ErrorCode::ReferenceInvalid,
        "XSW5",
    );
    assert_eq!(err.details()["actual"], "#R1", "{err}");
    let doc = parse(&xml);
    let responses = children(doc.root(), ns::SAMLP, "Response");
    assert_eq!(responses.len(), 2);
    let err = verify_enveloped(&doc, responses[1], &s.keys).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignatureMissing, "{err}");
    assert_outer_broken(&xml, &s.keys);
}

/// XSW6: the original Signature moved into a forged Response, with the unsigned original copied
/// *inside* that Signature. Rejected: nothing but SignedInfo/SignatureValue/KeyInfo may appear
/// in a signature (profile_violation), under both profiles.
// attack: xsw
#[test]
fn xsw6_original_copied_into_moved_signature() {
    let s = signed();
    let sig = replace_once(
        s.inner_sig(),
        "</ds:Signature>",
        &format!("{}</ds:Signature>", s.inner_unsigned()),
    );
    let xml = s.with_inner(&forged_response("R-evil", "A-evil", Some(&sig), ""));
    reject(
        strict(&xml, &s.keys, first_response),
        ErrorCode::ProfileViolation,
        "XSW6 strict",
    );
    reject(
        xades(&xml, &s.keys, first_response),
        ErrorCode::ProfileViolation,
        "XSW6 generic",
    );
}

/// XSW7: the signed Response hidden in an `saml2p:Extensions` element, a forged Response in its
/// place carrying a copy of the original Signature. Rejected: `#R1` is not the element carrying
/// the signature (reference_invalid); with the original ID, duplicate_id at parse.
// attack: xsw
#[test]
fn xsw7_signed_response_hidden_in_extensions() {
    let s = signed();
    let xml = s.with_inner(&format!(
        "<saml2p:Extensions>{}</saml2p:Extensions>{}",
        s.inner(),
        forged_response("R-evil", "A-evil", Some(s.inner_sig()), "")
    ));
    reject(
        strict(&xml, &s.keys, first_response),
        ErrorCode::ReferenceInvalid,
        "XSW7",
    );
    assert_outer_broken(&xml, &s.keys);

    let same_id = s.with_inner(&format!(
        "<saml2p:Extensions>{}</saml2p:Extensions>{}",
        s.inner(),
        forged_response("R1", "A-evil", Some(s.inner_sig()), "")
    ));
    reject(
        strict(&same_id, &s.keys, first_response),
        ErrorCode::DuplicateId,
        "XSW7 same ID",
    );
}

/// XSW8: the original Signature moved into a forged Response, with the unsigned original inside
/// a `ds:Object` of that Signature. Rejected under SamlStrict: no ds:Object (profile_violation).
/// The generic profile allows ds:Object, but the enveloped-signature transform removes the whole
/// Signature, the copy with it: nothing is left to digest, and empty c14n output fails closed
/// (c14n_failed) instead of hashing "" (CVE-2025-66568 shape).
// attack: xsw, void-c14n
#[test]
fn xsw8_original_in_ds_object_of_moved_signature() {
    let s = signed();
    let sig = replace_once(
        s.inner_sig(),
        "</ds:Signature>",
        &format!(
            "<ds:Object>{}</ds:Object></ds:Signature>",
            s.inner_unsigned()
        ),
    );
    let xml = s.with_inner(&forged_response("R-evil", "A-evil", Some(&sig), ""));
    reject(
        strict(&xml, &s.keys, first_response),
        ErrorCode::ProfileViolation,
        "XSW8 strict",
    );
    reject(
        xades(&xml, &s.keys, first_response),
        ErrorCode::C14nFailed,
        "XSW8 generic",
    );
}

/// The inner Signature moved out of the Response, next to it in the ArtifactResponse: the
/// Response is no longer signed (signature_missing), and the root now carries two signatures
/// (profile_violation).
// attack: xsw
#[test]
fn signature_moved_out_of_signed_element() {
    let s = signed();
    let xml = s.with_inner(&format!("{}{}", s.inner_unsigned(), s.inner_sig()));
    reject(
        strict(&xml, &s.keys, first_response),
        ErrorCode::SignatureMissing,
        "signature moved out",
    );
    reject(
        strict(&xml, &s.keys, root_node),
        ErrorCode::ProfileViolation,
        "root with two signatures",
    );
}

/// The inner Signature wrapped in another element inside the Response: not a direct child, so
/// the Response is unsigned (signature_missing). Verified generically, the wrapper is part of
/// the digested content and the digest no longer matches (digest_mismatch).
// attack: xsw
#[test]
fn signature_wrapped_inside_another_element() {
    let s = signed();
    let wrapped = replace_once(
        s.inner(),
        s.inner_sig(),
        &format!("<saml2p:Extensions>{}</saml2p:Extensions>", s.inner_sig()),
    );
    let xml = s.with_inner(&wrapped);
    reject(
        strict(&xml, &s.keys, first_response),
        ErrorCode::SignatureMissing,
        "wrapped signature",
    );
    let doc = parse(&xml);
    let ext = child(first_response(&doc), ns::SAMLP, "Extensions");
    let err = verify_signature(&doc, signature_of(ext), Profile::Xades, &s.keys, &[])
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DigestMismatch, "{err}");
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/// A signature whose Reference points at another element than its parent. The first variant is
/// a genuine signature over the Assertion `A1` moved into the Response: cryptographically valid
/// (the generic profile accepts it, covering A1), yet under SamlStrict it does not cover the
/// Response carrying it (reference_invalid, checked before crypto). Text edits of the outer
/// Reference to a child element or to the whole document (`URI=""`) likewise.
// attack: rule-2, rule-3
#[test]
fn reference_to_non_parent_element() {
    let s = signed();
    let signer = EnvelopedSigner::new(s.id.key.clone(), &s.id.cert).unwrap();
    let assertion_signed = signer
        .sign(response_xml("R1", "A1", GENUINE).as_bytes(), Some("A1"))
        .unwrap();
    let sig = assertion_signed[sig_span(&assertion_signed, 0)].to_owned();
    assert!(sig.contains(r##"URI="#A1""##));
    let moved = replace_once(
        &remove(&assertion_signed, sig_span(&assertion_signed, 0)),
        "</saml2:Issuer>",
        &format!("</saml2:Issuer>{sig}"),
    );
    let doc = parse(&moved);
    let v = verify_signature(&doc, root_sig(&doc), Profile::Xades, &s.keys, &[]).unwrap();
    let assertion = child(doc.root(), ns::SAML, "Assertion");
    assert_eq!(v.references[0].target, ReferenceTarget::Element(assertion));
    let err = reject(
        strict(&moved, &s.keys, root_node),
        ErrorCode::ReferenceInvalid,
        "signature over the Assertion placed in the Response",
    );
    assert_eq!(err.details()["expected"], "#R1", "{err}");
    assert_eq!(err.details()["actual"], "#A1", "{err}");

    for to in [r##"URI="#R1""##, r##"URI="#A1""##, r#"URI="""#] {
        let xml = s.edit_sig(0, r##"URI="#AR1""##, to);
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::ReferenceInvalid,
            to,
        );
    }
}

/// Two Reference elements under SamlStrict (a second one to the Assertion, or a duplicate):
/// exactly one is allowed (profile_violation, expected 1 actual 2).
// attack: rule-3
#[test]
fn two_references_under_saml_strict() {
    let s = signed();
    let reference = content(s.outer_sig(), "<ds:SignatureMethod", "</ds:SignedInfo>");
    let reference = &reference[reference.find("<ds:Reference").unwrap()..];
    let to_assertion = replace_once(reference, r##"URI="#AR1""##, r##"URI="#A1""##);
    for extra in [reference.to_owned(), to_assertion] {
        let xml = s.edit_sig(0, "</ds:SignedInfo>", &format!("{extra}</ds:SignedInfo>"));
        let err = reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::ProfileViolation,
            "two references",
        );
        assert_eq!(err.details()["expected"], 1, "{err}");
        assert_eq!(err.details()["actual"], 2, "{err}");
    }
}

/// `#xpointer(...)` reference URIs are refused (reference_invalid) under both profiles.
// attack: rule-3
#[test]
fn xpointer_reference_uri() {
    let s = signed();
    for to in [r##"URI="#xpointer(/)""##, r##"URI="#xpointer(id('AR1'))""##] {
        let xml = s.edit_sig(0, r##"URI="#AR1""##, to);
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::ReferenceInvalid,
            to,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::ReferenceInvalid,
            to,
        );
    }
}

/// External and missing reference URIs (nothing is ever fetched): reference_invalid.
// attack: rule-3
#[test]
fn external_or_missing_reference_uri() {
    let s = signed();
    for to in [r#"URI="https://evil.example/signed.xml""#, r#"Id="ref""#] {
        let xml = s.edit_sig(0, r##"URI="#AR1""##, to);
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::ReferenceInvalid,
            to,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::ReferenceInvalid,
            to,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// SignedInfo / value tampering
// ---------------------------------------------------------------------------------------------

/// A second SignedInfo (xml-crypto CVE-2025-29774/29775): before or after the real one, inside
/// KeyInfo, inside SignatureValue. Exactly one SignedInfo first, then SignatureValue, plain
/// text values: profile_violation in every position, under both profiles.
// attack: second-signedinfo
#[test]
fn two_signed_info() {
    let s = signed();
    let sig = s.outer_sig();
    let si_range = span(sig, "<ds:SignedInfo>", "</ds:SignedInfo>", 0);
    let original = &sig[si_range];
    let forged = replace_content(
        original,
        "<ds:DigestValue>",
        "</ds:DigestValue>",
        &B64.encode([7u8; 32]),
    );
    let variants = [
        (
            "forged first",
            "<ds:SignedInfo>",
            format!("{forged}<ds:SignedInfo>"),
        ),
        (
            "forged after",
            "<ds:SignatureValue>",
            format!("{forged}<ds:SignatureValue>"),
        ),
        (
            "in KeyInfo",
            "<ds:X509Data>",
            format!("{original}<ds:X509Data>"),
        ),
        (
            "in SignatureValue",
            "</ds:SignatureValue>",
            format!("{original}</ds:SignatureValue>"),
        ),
    ];
    for (what, from, to) in variants {
        let xml = s.edit_sig(0, from, &to);
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::ProfileViolation,
            what,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::ProfileViolation,
            what,
        );
    }
}

/// A copy of the genuine SignedInfo placed earlier in the document while the real one carries
/// the forged content's digest (ruby-saml CVE-2024-45409): SignatureValue is checked over the
/// SignedInfo of *this* signature, found relative to it, so it does not verify
/// (signature_invalid).
// attack: digest-anywhere, second-signedinfo
#[test]
fn signed_info_copy_elsewhere_is_not_used() {
    let s = signed();
    let genuine_si = {
        let sig = s.inner_sig();
        sig[span(sig, "<ds:SignedInfo>", "</ds:SignedInfo>", 0)].to_owned()
    };
    let forged = replace_once(s.inner(), GENUINE, EVIL);
    let forged = replace_once(
        &forged,
        "<saml2:Issuer>",
        &format!("<saml2p:Extensions>{genuine_si}</saml2p:Extensions><saml2:Issuer>"),
    );
    // Recompute the Reference digest over the forged content, as an attacker can.
    let digest = {
        let doc = parse(&forged);
        wk_digest(&doc, doc.root(), root_sig(&doc))
    };
    let forged = edit_sig(&forged, 0, |sig| {
        replace_content(sig, "<ds:DigestValue>", "</ds:DigestValue>", &digest)
    });
    reject(
        strict(&forged, &s.keys, root_node),
        ErrorCode::SignatureInvalid,
        "standalone",
    );
    reject(
        strict(&s.with_inner(&forged), &s.keys, first_response),
        ErrorCode::SignatureInvalid,
        "in the ArtifactResponse",
    );
}

/// Duplicate IDs: a second Assertion `A1`, an ID-like `Id` on a foreign element equal to `R1`,
/// an `xml:id` equal to `AR1`. All are duplicate_id at parse, before any lookup.
// attack: digest-anywhere
#[test]
fn duplicate_ids() {
    let s = signed();
    let extras = [
        response_xml("R-x", "A1", EVIL)
            .split("<saml2:Assertion")
            .nth(1)
            .map(|a| format!("<saml2:Assertion{}", a.replace("</saml2p:Response>", "")))
            .unwrap(),
        r#"<x:Foo xmlns:x="urn:example:x" Id="R1"/>"#.to_owned(),
        r#"<x:Foo xmlns:x="urn:example:x" xml:id="AR1"/>"#.to_owned(),
    ];
    for extra in extras {
        let xml = replace_once(
            &s.outer,
            "</saml2p:ArtifactResponse>",
            &format!("{extra}</saml2p:ArtifactResponse>"),
        );
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::DuplicateId,
            &extra,
        );
    }
}

/// A comment (or PI) inside DigestValue / SignatureValue / SignedInfo (xml-crypto
/// CVE-2025-29775): values must be plain text and signature elements may hold nothing but
/// elements and whitespace (profile_violation). The comment splits the *real* DigestValue, so a
/// verifier reading only the text would accept.
// attack: second-signedinfo
#[test]
fn comment_inside_digest_value() {
    let s = signed();
    let dv = content(s.outer_sig(), "<ds:DigestValue>", "</ds:DigestValue>").to_owned();
    let (a, b) = dv.split_at(dv.len() / 2);
    let variants = [
        (
            "comment in DigestValue",
            format!("<ds:DigestValue>{dv}"),
            format!("<ds:DigestValue>{a}<!--x-->{b}"),
        ),
        (
            "PI in DigestValue",
            format!("<ds:DigestValue>{dv}"),
            format!("<ds:DigestValue>{a}<?x y?>{b}"),
        ),
        (
            "literal abc<!--x-->def",
            format!("<ds:DigestValue>{dv}"),
            "<ds:DigestValue>abc<!--x-->def".to_owned(),
        ),
        (
            "comment in SignatureValue",
            "<ds:SignatureValue>".to_owned(),
            "<ds:SignatureValue><!--x-->".to_owned(),
        ),
        (
            "comment in SignedInfo",
            "<ds:SignedInfo>".to_owned(),
            "<ds:SignedInfo><!--x-->".to_owned(),
        ),
    ];
    for (what, from, to) in variants {
        let xml = s.edit_sig(0, &from, &to);
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::ProfileViolation,
            what,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::ProfileViolation,
            what,
        );
    }
}

/// The signed content changed after signing (NameID, an attribute): digest_mismatch at both
/// levels (the SignatureValue over SignedInfo is still valid, so the digest is what catches it).
// attack: rule-2
#[test]
fn content_changed_after_signing() {
    let s = signed();
    let forged_name = s.with_inner(&replace_once(s.inner(), GENUINE, EVIL));
    let forged_attr = s.with_inner(&replace_once(
        s.inner(),
        r#"InResponseTo="REQ-1""#,
        r#"InResponseTo="REQ-2""#,
    ));
    for xml in [forged_name, forged_attr] {
        reject(
            strict(&xml, &s.keys, first_response),
            ErrorCode::DigestMismatch,
            "inner",
        );
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::DigestMismatch,
            "outer",
        );
        reject(
            xades(&xml, &s.keys, first_response),
            ErrorCode::DigestMismatch,
            "inner generic",
        );
    }
}

/// One bit of the SignatureValue flipped (in r, in s): signature_invalid.
#[test]
fn signature_value_bit_flipped() {
    let s = signed();
    let value = signature_value(&s.outer, 0);
    assert_eq!(value.len(), 64);
    for byte in [5usize, 40] {
        let mut flipped = value.clone();
        flipped[byte] ^= 0x01;
        let xml = with_signature_value(&s.outer, 0, &flipped);
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::SignatureInvalid,
            "bit flip",
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::SignatureInvalid,
            "bit flip generic",
        );
    }
}

/// The genuine (r, s) re-encoded as DER: XML-DSig ECDSA is raw `r‖s` of exact length, DER is
/// refused before OpenSSL sees it (signature_invalid, details expected 64).
// attack: ecdsa-encoding
#[test]
fn der_encoded_ecdsa_signature_value() {
    let s = signed();
    let raw = signature_value(&s.outer, 0);
    let der = EcdsaSig::from_private_components(
        BigNum::from_slice(&raw[..32]).unwrap(),
        BigNum::from_slice(&raw[32..]).unwrap(),
    )
    .unwrap()
    .to_der()
    .unwrap();
    // The DER form is a valid signature for OpenSSL's own verifier: only the encoding is wrong.
    let digest = {
        let doc = parse(&s.outer);
        let si = child(root_sig(&doc), ns::DS, "SignedInfo");
        let c14n = doc
            .canonicalize_to_vec(
                Selection::Subtree(si),
                Exclusion::Nothing,
                &C14nMethod::Exclusive {
                    inclusive_prefixes: Vec::new(),
                },
            )
            .unwrap();
        hash(MessageDigest::sha256(), &c14n).unwrap()
    };
    let ec = s.id.key.ec_key().unwrap();
    assert!(EcdsaSig::from_der(&der)
        .unwrap()
        .verify(&digest, &ec)
        .unwrap());

    let xml = with_signature_value(&s.outer, 0, &der);
    let err = reject(
        strict(&xml, &s.keys, root_node),
        ErrorCode::SignatureInvalid,
        "DER SignatureValue",
    );
    assert_eq!(err.details()["expected"], 64, "{err}");
    assert_eq!(err.details()["actual"], der.len(), "{err}");
    reject(
        xades(&xml, &s.keys, root_node),
        ErrorCode::SignatureInvalid,
        "DER SignatureValue generic",
    );
}

/// Leading-zero r or s: XML-DSig fixes the width, so a component below 2^248 is written with a
/// leading 0x00. Signatures are generated until both cases occur; each must verify, with exactly
/// 64 bytes, and the same value with the zero stripped (63 bytes) must not.
// attack: ecdsa-encoding
#[test]
fn leading_zero_r_or_s_verifies() {
    let id = ec_identity("eidpl test leading zero");
    let keys = pin(&id.cert);
    let signer = EnvelopedSigner::new(id.key.clone(), &id.cert).unwrap();
    let xml = response_xml("R1", "A1", GENUINE);
    let (mut found_r, mut found_s) = (false, false);
    for _ in 0..6000 {
        let signed = signer.sign(xml.as_bytes(), None).unwrap();
        let value = signature_value(&signed, 0);
        assert_eq!(value.len(), 64, "the signer must write fixed-width r‖s");
        let (r0, s0) = (value[0] == 0, value[32] == 0);
        if (r0 && !found_r) || (s0 && !found_s) {
            strict(&signed, &keys, root_node)
                .unwrap_or_else(|e| panic!("leading-zero r={r0} s={s0} rejected: {e}"));
            xades(&signed, &keys, root_node).unwrap();
            let mut short = value.clone();
            short.remove(if r0 { 0 } else { 32 });
            let err = reject(
                strict(&with_signature_value(&signed, 0, &short), &keys, root_node),
                ErrorCode::SignatureInvalid,
                "stripped leading zero",
            );
            assert_eq!(err.details()["expected"], 64, "{err}");
            assert_eq!(err.details()["actual"], 63, "{err}");
            found_r |= r0;
            found_s |= s0;
        }
        if found_r && found_s {
            return;
        }
    }
    panic!("no leading-zero signature in 6000 tries (r: {found_r}, s: {found_s})");
}

// ---------------------------------------------------------------------------------------------
// Algorithm allowlist (all checked in structure.rs before any key, transform or digest work)
// ---------------------------------------------------------------------------------------------

const ECDSA_METHOD: &str =
    r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>"#;

/// HMAC SignatureMethods (key confusion: a "key" anyone can compute): algorithm_not_allowed.
// attack: hmac-truncation
#[test]
fn hmac_sha1_signature_method() {
    let s = signed();
    for alg in [
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
    ] {
        let xml = s.edit_sig(
            0,
            ECDSA_METHOD,
            &format!(r#"<ds:SignatureMethod Algorithm="{alg}"/>"#),
        );
        let err = reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
        assert_eq!(err.details()["actual"], alg, "{err}");
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
    }
}

/// HMACOutputLength truncation (CVE-2009-0217): with an HMAC method, algorithm_not_allowed; the
/// child under the allowed ECDSA method is an unexpected element (profile_violation).
// attack: hmac-truncation
#[test]
fn hmac_output_length_child() {
    let s = signed();
    let hmac = s.edit_sig(
        0,
        ECDSA_METHOD,
        concat!(
            r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1">"#,
            r#"<ds:HMACOutputLength>0</ds:HMACOutputLength></ds:SignatureMethod>"#
        ),
    );
    reject(
        strict(&hmac, &s.keys, root_node),
        ErrorCode::AlgorithmNotAllowed,
        "hmac with HMACOutputLength",
    );
    let ecdsa = s.edit_sig(
        0,
        ECDSA_METHOD,
        concat!(
            r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256">"#,
            r#"<ds:HMACOutputLength>0</ds:HMACOutputLength></ds:SignatureMethod>"#
        ),
    );
    for (what, result) in [
        ("strict", strict(&ecdsa, &s.keys, root_node)),
        ("generic", xades(&ecdsa, &s.keys, root_node)),
    ] {
        reject(result, ErrorCode::ProfileViolation, what);
    }
}

/// SHA-1 (and MD5) DigestMethod: algorithm_not_allowed.
// attack: rule-3
#[test]
fn sha1_digest_method() {
    let s = signed();
    for alg in [
        "http://www.w3.org/2000/09/xmldsig#sha1",
        "http://www.w3.org/2001/04/xmldsig-more#md5",
    ] {
        let xml = s.edit_sig(
            0,
            DIGEST_METHOD,
            &format!(r#"<ds:DigestMethod Algorithm="{alg}"/>"#),
        );
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
    }
}

/// rsa-sha1 (and the other SHA-1 / DSA methods): algorithm_not_allowed.
// attack: rule-3
#[test]
fn rsa_sha1_signature_method() {
    let s = signed();
    for alg in [
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
    ] {
        let xml = s.edit_sig(
            0,
            ECDSA_METHOD,
            &format!(r#"<ds:SignatureMethod Algorithm="{alg}"/>"#),
        );
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
    }
}

/// The genuine message re-signed with RSA: SignatureMethod rsa-sha256, the RSA certificate in
/// KeyInfo, SignatureValue a real PKCS#1 v1.5 signature over the canonical SignedInfo.
fn rsa_signed_outer(s: &Signed, rsa: &Identity) -> String {
    let cert_b64 = B64.encode(rsa.cert.to_der().unwrap());
    let xml = edit_sig(&s.outer, 0, |sig| {
        let sig = replace_once(sig, uri::ECDSA_SHA256, uri::RSA_SHA256);
        let sig = replace_content(
            &sig,
            "<ds:SignatureValue>",
            "</ds:SignatureValue>",
            PLACEHOLDER,
        );
        replace_content(
            &sig,
            "<ds:X509Certificate>",
            "</ds:X509Certificate>",
            &cert_b64,
        )
    });
    fill_signature_value(&xml, &ParseOptions::saml(), root_sig, |data| {
        rsa_sha256(&rsa.key, data)
    })
}

/// A pinned RSA-1024 certificate with a correct rsa-sha256 signature: the SignatureValue is
/// genuine (the same construction with RSA-2048 verifies), so the only reason for rejection is
/// the key-size check in crypto.rs, which runs before OpenSSL verifies anything
/// (algorithm_not_allowed, expected 2048 actual 1024).
// attack: rule-3
#[test]
fn rsa_1024_key() {
    let s = signed();
    let rsa2048 = rsa_identity("eidpl test RSA-2048", 2048);
    let keys = pin(&rsa2048.cert);
    let ok = rsa_signed_outer(&s, &rsa2048);
    strict(&ok, &keys, root_node).unwrap();
    xades(&ok, &keys, root_node).unwrap();

    let rsa1024 = rsa_identity("eidpl test RSA-1024", 1024);
    let keys = pin(&rsa1024.cert);
    let weak = rsa_signed_outer(&s, &rsa1024);
    let err = reject(
        strict(&weak, &keys, root_node),
        ErrorCode::AlgorithmNotAllowed,
        "RSA-1024",
    );
    assert_eq!(err.details()["expected"], 2048, "{err}");
    assert_eq!(err.details()["actual"], 1024, "{err}");
    reject(
        xades(&weak, &keys, root_node),
        ErrorCode::AlgorithmNotAllowed,
        "RSA-1024 generic",
    );
}

/// Algorithm confusion: an RSA SignatureMethod with the pinned EC key (algorithm_not_allowed:
/// the method does not fit the type of the trusted key).
// attack: hmac-truncation
#[test]
fn rsa_signature_method_with_ec_key() {
    let s = signed();
    let xml = s.edit_sig(0, uri::ECDSA_SHA256, uri::RSA_SHA256);
    reject(
        strict(&xml, &s.keys, root_node),
        ErrorCode::AlgorithmNotAllowed,
        "rsa-sha256 with EC key",
    );
}

/// XSLT transform (transform bombs, python3-saml/pysaml2 advisories): refused by URI before any
/// transform runs (algorithm_not_allowed), under both profiles.
// attack: transform-bombs
#[test]
fn xslt_transform() {
    let s = signed();
    let xslt = concat!(
        r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">"#,
        r#"<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">"#,
        r#"<xsl:template match="/"><xsl:copy-of select="document('https://evil.example/')"/>"#,
        r#"</xsl:template></xsl:stylesheet></ds:Transform>"#
    );
    let xml = s.edit_sig(0, ENV_TRANSFORM, &format!("{xslt}{ENV_TRANSFORM}"));
    let err = reject(
        strict(&xml, &s.keys, root_node),
        ErrorCode::AlgorithmNotAllowed,
        "XSLT",
    );
    assert_eq!(
        err.details()["actual"],
        "http://www.w3.org/TR/1999/REC-xslt-19991116",
        "{err}"
    );
    reject(
        xades(&xml, &s.keys, root_node),
        ErrorCode::AlgorithmNotAllowed,
        "XSLT generic",
    );
}

/// Unknown transforms (and known-but-unsupported ones): algorithm_not_allowed.
// attack: transform-bombs, rule-3
#[test]
fn unknown_transform() {
    let s = signed();
    for alg in [
        "urn:example:unknown-transform",
        "http://www.w3.org/2002/06/xmldsig-filter2",
        "http://www.w3.org/2000/09/xmldsig#base64",
    ] {
        let xml = s.edit_sig(
            0,
            ENV_TRANSFORM,
            &format!(r#"<ds:Transform Algorithm="{alg}"/>"#),
        );
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
    }
}

/// `#WithComments` canonicalization of SignedInfo (comments would become signed-but-ignorable
/// content), and inclusive c14n of SignedInfo under SamlStrict: algorithm_not_allowed.
// attack: rule-3
#[test]
fn with_comments_c14n_for_signed_info() {
    let s = signed();
    for alg in [
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
        "http://www.w3.org/2006/12/xml-c14n11#WithComments",
    ] {
        let xml = s.edit_sig(
            0,
            C14N_METHOD,
            &format!(r#"<ds:CanonicalizationMethod Algorithm="{alg}"/>"#),
        );
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
    }
    let inclusive = s.edit_sig(
        0,
        C14N_METHOD,
        r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>"#,
    );
    reject(
        strict(&inclusive, &s.keys, root_node),
        ErrorCode::AlgorithmNotAllowed,
        "inclusive c14n of SignedInfo under SamlStrict",
    );
}

/// `#WithComments` as the reference's c14n transform: algorithm_not_allowed.
// attack: rule-3
#[test]
fn with_comments_c14n_transform() {
    let s = signed();
    for alg in [
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    ] {
        let xml = s.edit_sig(
            0,
            EXC_TRANSFORM,
            &format!(r#"<ds:Transform Algorithm="{alg}">"#),
        );
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            alg,
        );
    }
}

fn xpath_transform(expr: &str) -> String {
    format!(r#"<ds:Transform Algorithm="{XPATH_URI}"><ds:XPath>{expr}</ds:XPath></ds:Transform>"#)
}

/// An XPath transform under SamlStrict, even the one fixed expression the generic profile
/// recognises: SAML allows exactly enveloped + exc-c14n (algorithm_not_allowed).
// attack: transform-bombs
#[test]
fn xpath_transform_under_saml_strict() {
    let s = signed();
    for expr in ["not(ancestor-or-self::ds:Signature)", "self::node()"] {
        let replaced = s.edit_sig(0, ENV_TRANSFORM, &xpath_transform(expr));
        let added = s.edit_sig(
            0,
            ENV_TRANSFORM,
            &format!("{ENV_TRANSFORM}{}", xpath_transform(expr)),
        );
        for xml in [replaced, added] {
            reject(
                strict(&xml, &s.keys, root_node),
                ErrorCode::AlgorithmNotAllowed,
                expr,
            );
        }
    }
}

/// Under the generic profile only `not(ancestor-or-self::ds:Signature)` with `ds` bound to
/// XML-DSig is recognised: any other expression, or the same text with `ds` bound elsewhere, is
/// algorithm_not_allowed. Control: the fixed expression passes the allowlist and fails only at
/// the (now stale) SignatureValue.
// attack: transform-bombs
#[test]
fn xpath_transform_with_other_expression_under_xades() {
    let s = signed();
    let mut transforms: Vec<String> = [
        "count(//. | //@* | //namespace::*)",
        "not(ancestor-or-self::ds:Signature) or true()",
        "ancestor-or-self::ds:Signature",
        "self::text()",
    ]
    .iter()
    .map(|e| xpath_transform(e))
    .collect();
    transforms.push(format!(
        concat!(
            r#"<ds:Transform Algorithm="{}"><dsig:XPath xmlns:dsig="http://www.w3.org/2000/09/xmldsig#" "#,
            r#"xmlns:ds="urn:example:not-xmldsig">not(ancestor-or-self::ds:Signature)</dsig:XPath></ds:Transform>"#
        ),
        XPATH_URI
    ));
    for t in &transforms {
        let xml = s.edit_sig(0, ENV_TRANSFORM, t);
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::AlgorithmNotAllowed,
            t,
        );
    }
    let control = s.edit_sig(
        0,
        ENV_TRANSFORM,
        &xpath_transform("not(ancestor-or-self::ds:Signature)"),
    );
    reject(
        xades(&control, &s.keys, root_node),
        ErrorCode::SignatureInvalid,
        "fixed XPath expression (control)",
    );
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/// RetrievalMethod in KeyInfo (would fetch or derive a key): profile_violation, alone or next
/// to the genuine certificate, under both profiles.
// attack: rule-3, rule-4
#[test]
fn retrieval_method_in_key_info() {
    let s = signed();
    let rm = r#"<ds:RetrievalMethod URI="https://evil.example/key.cer" Type="http://www.w3.org/2000/09/xmldsig#rawX509Certificate"/>"#;
    let alone = edit_sig(&s.outer, 0, |sig| {
        replace_content(sig, "<ds:KeyInfo>", "</ds:KeyInfo>", rm)
    });
    let beside = s.edit_sig(0, "</ds:KeyInfo>", &format!("{rm}</ds:KeyInfo>"));
    for xml in [alone, beside] {
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::ProfileViolation,
            "RetrievalMethod",
        );
        reject(
            xades(&xml, &s.keys, root_node),
            ErrorCode::ProfileViolation,
            "RetrievalMethod generic",
        );
    }
}

/// A message signed by a fresh key with its own certificate in KeyInfo while another certificate
/// is pinned (xml-crypto CVE-2024-32962): key_not_trusted. Without KeyInfo, the pinned key is
/// tried and fails (signature_invalid); with the pinned certificate pasted into KeyInfo, the
/// same (signature_invalid). Control: pinned to the attacker's certificate, the forgery verifies.
// attack: keyinfo-key, rule-4
#[test]
fn key_info_only_key() {
    let s = signed();
    let attacker = ec_identity("attacker");
    let forged = sign_message(&attacker, EVIL);
    strict(&forged, &pin(&attacker.cert), root_node).unwrap();
    strict(&forged, &pin(&attacker.cert), first_response).unwrap();

    for (what, result) in [
        ("outer", strict(&forged, &s.keys, root_node)),
        ("inner", strict(&forged, &s.keys, first_response)),
        ("generic", xades(&forged, &s.keys, root_node)),
    ] {
        reject(result, ErrorCode::KeyNotTrusted, what);
    }

    let no_key_info = edit_sig(&forged, 0, |sig| {
        remove(sig, span(sig, "<ds:KeyInfo>", "</ds:KeyInfo>", 0))
    });
    reject(
        strict(&no_key_info, &s.keys, root_node),
        ErrorCode::SignatureInvalid,
        "no KeyInfo",
    );

    let genuine_b64 = B64.encode(s.id.cert.to_der().unwrap());
    let pasted = edit_sig(&forged, 0, |sig| {
        replace_content(
            sig,
            "<ds:X509Certificate>",
            "</ds:X509Certificate>",
            &genuine_b64,
        )
    });
    reject(
        strict(&pasted, &s.keys, root_node),
        ErrorCode::SignatureInvalid,
        "pinned certificate pasted into KeyInfo",
    );
}

/// A dsig11:ECKeyValue whose point is not on P-256 (invalid-curve): profile_violation. Control:
/// the genuine public key as ECKeyValue selects the pinned certificate and verifies.
// attack: invalid-curve
#[test]
fn key_info_ec_point_not_on_curve() {
    let s = signed();
    let key_value = |point: &[u8]| {
        format!(
            concat!(
                r#"<ds:KeyValue><dsig11:ECKeyValue xmlns:dsig11="http://www.w3.org/2009/xmldsig11#">"#,
                r#"<dsig11:NamedCurve URI="urn:oid:1.2.840.10045.3.1.7"/>"#,
                r#"<dsig11:PublicKey>{}</dsig11:PublicKey></dsig11:ECKeyValue></ds:KeyValue>"#
            ),
            B64.encode(point)
        )
    };
    let ec = s.id.key.ec_key().unwrap();
    let mut ctx = BigNumContext::new().unwrap();
    let genuine = ec
        .public_key()
        .to_bytes(ec.group(), PointConversionForm::UNCOMPRESSED, &mut ctx)
        .unwrap();
    let ok = edit_sig(&s.outer, 0, |sig| {
        replace_content(sig, "<ds:KeyInfo>", "</ds:KeyInfo>", &key_value(&genuine))
    });
    strict(&ok, &s.keys, root_node).unwrap();

    let mut off_curve = vec![0x04u8];
    off_curve.extend([0u8; 31]);
    off_curve.push(1);
    off_curve.extend([0u8; 31]);
    off_curve.push(1);
    let bad = edit_sig(&s.outer, 0, |sig| {
        replace_content(sig, "<ds:KeyInfo>", "</ds:KeyInfo>", &key_value(&off_curve))
    });
    reject(
        strict(&bad, &s.keys, root_node),
        ErrorCode::ProfileViolation,
        "off-curve ECKeyValue",
    );
}

/// No key configured (samael, CVE-2025-40934): never "skip verification" (config_invalid).
// attack: no-key, rule-4
#[test]
fn no_keys_configured() {
    let s = signed();
    let none = TrustedKeys::new();
    for (what, result) in [
        ("outer", strict(&s.outer, &none, root_node)),
        ("inner", strict(&s.outer, &none, first_response)),
        ("generic", xades(&s.outer, &none, root_node)),
    ] {
        reject(result, ErrorCode::ConfigInvalid, what);
    }
}

/// No signature at all: signature_missing. Also an unsigned Response inside a signed
/// ArtifactResponse: the inner Response must carry its own signature.
// attack: no-key
#[test]
fn no_signature_at_all() {
    let s = signed();
    let unsigned = artifact_response_xml(&response_xml("R1", "A1", EVIL));
    reject(
        strict(&unsigned, &s.keys, root_node),
        ErrorCode::SignatureMissing,
        "unsigned ArtifactResponse",
    );
    reject(
        strict(&unsigned, &s.keys, first_response),
        ErrorCode::SignatureMissing,
        "unsigned Response",
    );
    let signer = EnvelopedSigner::new(s.id.key.clone(), &s.id.cert).unwrap();
    let outer_only = signer.sign(unsigned.as_bytes(), Some("AR1")).unwrap();
    strict(&outer_only, &s.keys, root_node).unwrap();
    reject(
        strict(&outer_only, &s.keys, first_response),
        ErrorCode::SignatureMissing,
        "unsigned Response in a signed ArtifactResponse",
    );
}

/// Void canonicalization (CVE-2025-66568): an enveloping signature whose only Reference is
/// `URI=""` with the XPath filter `not(ancestor-or-self::ds:Signature)` – the document *is* the
/// Signature, so the node-set is empty – and DigestValue = SHA-256 of the empty string. The
/// SignatureValue is genuine (crypto runs before digests, so reaching c14n proves it), yet the
/// empty c14n output fails closed (c14n_failed) instead of being hashed.
// attack: void-c14n, rule-5
#[test]
fn empty_c14n_output() {
    let s = signed();
    let empty_digest = B64.encode(hash(MessageDigest::sha256(), b"").unwrap());
    let xml = format!(
        concat!(
            r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>{c14n}"#,
            r#"<ds:SignatureMethod Algorithm="{sig}"/><ds:Reference URI=""><ds:Transforms>{xpath}"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"#,
            r#"{digest_method}<ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>"#,
            r#"<ds:SignatureValue>{placeholder}</ds:SignatureValue><ds:KeyInfo><ds:X509Data>"#,
            r#"<ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"#,
            r#"<ds:Object Id="obj"><Claim xmlns="urn:example:claim">anything at all</Claim></ds:Object>"#,
            r#"</ds:Signature>"#
        ),
        c14n = C14N_METHOD,
        sig = uri::ECDSA_SHA256,
        xpath = xpath_transform("not(ancestor-or-self::ds:Signature)"),
        digest_method = DIGEST_METHOD,
        digest = empty_digest,
        placeholder = PLACEHOLDER,
        cert = B64.encode(s.id.cert.to_der().unwrap()),
    );
    let xml = fill_signature_value(&xml, &ParseOptions::document(), root_node, |data| {
        ecdsa_raw(&s.id.key, data)
    });
    let doc = Document::parse(xml.as_bytes(), &ParseOptions::document()).unwrap();
    let err = verify_signature(&doc, doc.root(), Profile::Xades, &s.keys, &[])
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::C14nFailed, "{err}");
}

/// Several roots (CVE-2022-41912 / CVE-2022-39299 shape): a second, forged message after the
/// signed one is not well-formed XML (xml_malformed).
// attack: several-assertions
#[test]
fn second_root_after_signed_message() {
    let s = signed();
    let forged = artifact_response_xml(&response_xml("R-evil", "A-evil", EVIL))
        .replace(r#"ID="AR1""#, r#"ID="AR-evil""#);
    for xml in [
        format!("{}{forged}", s.outer),
        format!("{forged}{}", s.outer),
    ] {
        reject(
            strict(&xml, &s.keys, root_node),
            ErrorCode::XmlMalformed,
            "two roots",
        );
    }
}

/// The real WK message (interop vector, read in place): content changed after signing is
/// digest_mismatch at both levels; its inner signature moved onto a forged Response (XSW5
/// shape) is reference_invalid.
// attack: xsw
#[test]
fn real_wk_message_tampered() {
    let keys = common::pinned("wk-simulator-2018/wk_sig_ec.pem");
    let bytes = common::read_interop("wk-simulator-2018/artifact-response.xml");
    let real = String::from_utf8(bytes).unwrap();
    strict(&real, &keys, root_node).unwrap();
    strict(&real, &keys, first_response).unwrap();

    let changed = replace_once(
        &real,
        r#"InResponseTo="ID-d136a4ee-a3a3-4392-a055-2e95d44165bc""#,
        r#"InResponseTo="ID-00000000-0000-0000-0000-000000000000""#,
    );
    reject(
        strict(&changed, &keys, first_response),
        ErrorCode::DigestMismatch,
        "real inner",
    );
    reject(
        strict(&changed, &keys, root_node),
        ErrorCode::DigestMismatch,
        "real outer",
    );

    let inner_sig = real[sig_span(&real, 1)].to_owned();
    let r = span(&real, "<saml2p:Response ", "</saml2p:Response>", 0);
    let inner_unsigned = remove(&real[r.clone()], sig_span(&real[r.clone()], 0));
    let forged = format!(
        "{}{}{}{}",
        &real[..r.start],
        forged_response("R-evil", "A-evil", Some(&inner_sig), ""),
        inner_unsigned,
        &real[r.end..]
    );
    reject(
        strict(&forged, &keys, first_response),
        ErrorCode::ReferenceInvalid,
        "real XSW5",
    );
}

/// ruby-saml CVE-2024-45409 shape: the inner Response's content forged (the attacker's NameID)
/// with its genuine SignedInfo and SignatureValue kept, and a DigestValue matching the forged
/// content hidden earlier in the document (in the ArtifactResponse, outside the Response; inside
/// the signature's KeyInfo, which the enveloped transform removes). The DigestValue is read only
/// from the Reference of the verified SignedInfo: digest_mismatch, or profile_violation for
/// foreign content in KeyInfo, never accepted.
// attack: digest-anywhere
#[test]
fn digest_value_elsewhere_is_not_used() {
    let s = signed();
    let forged_inner = replace_once(s.inner(), GENUINE, EVIL);
    let digest = {
        let doc = parse(&forged_inner);
        wk_digest(&doc, doc.root(), root_sig(&doc))
    };
    let genuine_digest = content(s.inner_sig(), "<ds:DigestValue>", "</ds:DigestValue>");
    assert_ne!(digest, genuine_digest);
    let smuggled = format!("<ds:DigestValue>{digest}</ds:DigestValue>");

    let before = replace_once(
        &s.with_inner(&forged_inner),
        "<saml2p:Response ",
        &format!("<saml2p:Extensions>{smuggled}</saml2p:Extensions><saml2p:Response "),
    );
    reject(
        strict(&before, &s.keys, first_response),
        ErrorCode::DigestMismatch,
        "forged digest before the Response",
    );
    reject(
        xades(&before, &s.keys, first_response),
        ErrorCode::DigestMismatch,
        "forged digest before the Response, generic",
    );

    let in_key_info = s.with_inner(&edit_sig(&forged_inner, 0, |sig| {
        replace_once(sig, "</ds:KeyInfo>", &format!("{smuggled}</ds:KeyInfo>"))
    }));
    reject(
        strict(&in_key_info, &s.keys, first_response),
        ErrorCode::ProfileViolation,
        "forged digest in KeyInfo",
    );
}

/// Transform bombs: an XPath filter whose evaluation is cubic in the node count and an XSLT
/// stylesheet that recurses forever, over a message padded with 12 000 elements. Both are
/// refused by URI/expression before anything is evaluated (algorithm_not_allowed, under both
/// profiles) in well under the time a single evaluation would take.
// attack: transform-bombs
#[test]
fn transform_bombs_are_refused_without_work() {
    let s = signed();
    let padding = format!(
        r#"<saml2p:Extensions xmlns:x="urn:example:pad">{}</saml2p:Extensions>"#,
        "<x:e/>".repeat(12_000)
    );
    let padded = replace_once(
        &s.outer,
        "<saml2p:Response ",
        &format!("{padding}<saml2p:Response "),
    );
    let xpath = xpath_transform("count(//*[count(//*[count(//*) &gt; 0]) &gt; 0]) &gt; 0");
    let xslt = concat!(
        r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">"#,
        r#"<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">"#,
        r#"<xsl:template match="/"><xsl:call-template name="t"/></xsl:template>"#,
        r#"<xsl:template name="t"><xsl:call-template name="t"/></xsl:template>"#,
        r#"</xsl:stylesheet></ds:Transform>"#
    );
    for (what, bomb) in [("XPath", xpath.as_str()), ("XSLT", xslt)] {
        let xml = edit_sig(&padded, 0, |sig| {
            replace_once(sig, ENV_TRANSFORM, &format!("{ENV_TRANSFORM}{bomb}"))
        });
        let doc = Document::parse(xml.as_bytes(), &ParseOptions::saml()).unwrap();
        assert!(doc.root().descendants().count() > 12_000);
        let started = std::time::Instant::now();
        reject(
            verify_enveloped(&doc, doc.root(), &s.keys).map(|_| ()),
            ErrorCode::AlgorithmNotAllowed,
            what,
        );
        reject(
            verify_signature(&doc, root_sig(&doc), Profile::Xades, &s.keys, &[]).map(|_| ()),
            ErrorCode::AlgorithmNotAllowed,
            what,
        );
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(2), "{what}: {took:?}");
    }
}
