//! Our signer's output: verified by our verifier, by an independent check (libxml2 c14n through
//! the `libxml` crate's own API on a tree with the signature unlinked, and raw OpenSSL ECDSA on the
//! DER form of r‖s), and shaped exactly like the real DU request WK accepted.
#![allow(clippy::unwrap_used)]

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::{p256_with_cert, read_interop, unsigned_authn_request};
use eidpl::dsig::{verify_enveloped, EnvelopedSigner, TrustedKeys};
use eidpl::xml::{ns, Document, Node, ParseOptions};
use libxml::parser::Parser;
use libxml::tree::c14n::{CanonicalizationMode, CanonicalizationOptions};
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::pkey::{PKey, Private};
use openssl::sha::sha256;
use openssl::x509::X509;

fn pin(cert: &X509) -> TrustedKeys {
    let mut keys = TrustedKeys::new();
    keys.add_certificate(cert.clone()).unwrap();
    keys
}

fn text_of(xml: &str, local: &str) -> String {
    let start = xml.find(&format!("<ds:{local}>")).unwrap() + local.len() + 5;
    let end = start + xml[start..].find("</ds:").unwrap();
    xml[start..end].to_owned()
}

/// Verifies `signed` without eidpl's c14n or verifier.
fn independent_check(signed: &str, key: &PKey<Private>) {
    let prefixes = || CanonicalizationOptions {
        mode: CanonicalizationMode::ExclusiveCanonical1_0,
        with_comments: false,
        inclusive_ns_prefixes: vec!["ds".into(), "saml2".into(), "saml2p".into(), "xenc".into()],
    };
    let parser = Parser::default();
    // SignedInfo, canonicalized on its own node.
    let doc = parser.parse_string(signed).unwrap();
    let mut signed_info = doc
        .get_root_element()
        .unwrap()
        .findnodes("//*[local-name()='SignedInfo']")
        .unwrap()
        .remove(0);
    let si_c14n = signed_info
        .canonicalize(CanonicalizationOptions {
            inclusive_ns_prefixes: vec![],
            ..prefixes()
        })
        .unwrap();
    // The enveloped transform: the document without its Signature.
    let unsigned = parser.parse_string(signed).unwrap();
    let mut sig = unsigned
        .get_root_element()
        .unwrap()
        .findnodes("//*[local-name()='Signature']")
        .unwrap()
        .remove(0);
    sig.unlink();
    let body = unsigned.canonicalize(prefixes(), None).unwrap();
    assert_eq!(
        B64.encode(sha256(body.as_bytes())),
        text_of(signed, "DigestValue")
    );

    let value = B64.decode(text_of(signed, "SignatureValue")).unwrap();
    assert_eq!(value.len(), 64, "r‖s must be fixed width");
    let der = EcdsaSig::from_private_components(
        BigNum::from_slice(&value[..32]).unwrap(),
        BigNum::from_slice(&value[32..]).unwrap(),
    )
    .unwrap();
    let ec = key.ec_key().unwrap();
    assert!(
        der.verify(&sha256(si_c14n.as_bytes()), &ec).unwrap(),
        "OpenSSL rejects our signature"
    );
}

#[test]
fn signed_authn_request_verifies_with_ours_and_independently() {
    let (key, cert) = p256_with_cert("gmina_sig_ec");
    let signer = EnvelopedSigner::new(key.clone(), &cert).unwrap();
    let signed = signer
        .sign(unsigned_authn_request("ID-1").as_bytes(), None)
        .unwrap();
    let doc = Document::parse(signed.as_bytes(), &ParseOptions::saml()).unwrap();
    let v = verify_enveloped(&doc, doc.root(), &pin(&cert)).unwrap();
    assert_eq!(v.key_label(), "CN=gmina_sig_ec");
    independent_check(&signed, &key);
    // Placement: right after Issuer, and non-ASCII text survives serialization.
    let names: Vec<String> = doc
        .root()
        .child_elements()
        .map(|c| c.qualified_name())
        .collect();
    assert_eq!(names[..2], ["saml2:Issuer", "ds:Signature"]);
    assert!(signed.contains("Gmina Żółć"));
}

#[test]
fn leading_zero_r_or_s_is_emitted_fixed_width_and_verifies() {
    let (key, cert) = p256_with_cert("zero");
    let signer = EnvelopedSigner::new(key.clone(), &cert).unwrap();
    let keys = pin(&cert);
    let (mut zero_r, mut zero_s) = (false, false);
    for i in 0..5000 {
        let signed = signer
            .sign(unsigned_authn_request(&format!("ID-{i}")).as_bytes(), None)
            .unwrap();
        let value = B64.decode(text_of(&signed, "SignatureValue")).unwrap();
        assert_eq!(value.len(), 64);
        let (r0, s0) = (value[0] == 0, value[32] == 0);
        if (r0 && !zero_r) || (s0 && !zero_s) {
            let doc = Document::parse(signed.as_bytes(), &ParseOptions::saml()).unwrap();
            verify_enveloped(&doc, doc.root(), &keys).unwrap();
            independent_check(&signed, &key);
            zero_r |= r0;
            zero_s |= s0;
        }
        if zero_r && zero_s {
            return;
        }
    }
    panic!("no leading-zero r and s in 5000 signatures (r: {zero_r}, s: {zero_s})");
}

fn shape(n: Node<'_>, out: &mut Vec<String>) {
    let mut attrs: Vec<String> = n
        .attributes()
        .filter(|a| a.local_name != "URI")
        .map(|a| format!("{}={}", a.local_name, a.value))
        .collect();
    attrs.sort();
    out.push(format!(
        "{}{{{}}}[{}]",
        n.local_name(),
        n.namespace().unwrap_or(""),
        attrs.join(",")
    ));
    for c in n.child_elements() {
        shape(c, out);
    }
}

fn signature_shape(doc: &Document) -> Vec<String> {
    let sig = doc
        .root()
        .child_elements()
        .find(|c| c.is(ns::DS, "Signature"))
        .unwrap();
    let mut out = Vec::new();
    shape(sig, &mut out);
    out
}

#[test]
fn signature_has_exactly_the_shape_of_the_real_2025_du_request() {
    let real = read_interop("wk-integration-2025/authn-request.signed.xml");
    let real = Document::parse(&real, &ParseOptions::saml()).unwrap();
    let (key, cert) = p256_with_cert("gmina_sig_ec");
    let ours = EnvelopedSigner::new(key, &cert)
        .unwrap()
        .sign(unsigned_authn_request("ID-2").as_bytes(), None)
        .unwrap();
    let ours = Document::parse(ours.as_bytes(), &ParseOptions::saml()).unwrap();
    assert_eq!(signature_shape(&ours), signature_shape(&real));
}

#[test]
fn signer_refuses_keys_that_are_not_p256_or_not_the_certificates() {
    let (key, _) = p256_with_cert("a");
    let (_, other_cert) = p256_with_cert("b");
    let err = EnvelopedSigner::new(key, &other_cert).err().unwrap();
    assert_eq!(err.code(), eidpl::ErrorCode::KeyInvalid);
    let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let err = EnvelopedSigner::new(rsa, &other_cert).err().unwrap();
    assert_eq!(err.code(), eidpl::ErrorCode::KeyInvalid);
}

#[test]
fn pinned_pem_with_leading_text_loads_certificates_and_public_keys() {
    let (key, cert) = p256_with_cert("bag");
    let cert_pem = String::from_utf8(cert.to_pem().unwrap()).unwrap();
    let pub_pem = String::from_utf8(key.public_key_to_pem().unwrap()).unwrap();
    // openssl pkcs12 exports put "Bag Attributes" text before each block.
    let keys =
        TrustedKeys::from_pem(format!("Bag Attributes\n    friendlyName: x\n{pub_pem}").as_bytes())
            .unwrap();
    assert_eq!(keys.len(), 1);
    let keys =
        TrustedKeys::from_pem(format!("Bag Attributes\n{cert_pem}{pub_pem}").as_bytes()).unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(
        TrustedKeys::from_pem(b"Bag Attributes only")
            .err()
            .unwrap()
            .code(),
        eidpl::ErrorCode::KeyInvalid
    );
}
