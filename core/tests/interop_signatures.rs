//! Real bytes made by other systems: WK's own messages, a DU request WK accepted, and the W3C
//! XML-Signature 1.1 ECDSA interop vectors. If eidpl and these disagree, eidpl is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use common::{pinned, read_interop};
use eidpl::dsig::{verify_enveloped, verify_signature, Profile, ReferenceTarget};
use eidpl::xml::{ns, Document, Node, ParseOptions};
use eidpl::ErrorCode;

fn child<'a>(n: Node<'a>, ns_uri: &str, local: &str) -> Node<'a> {
    n.child_elements().find(|c| c.is(ns_uri, local)).unwrap()
}

const SOAP: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The ArtifactResponse: the root, or inside a SOAP 1.1 envelope's Body.
fn artifact_response(doc: &Document) -> Node<'_> {
    let root = doc.root();
    if root.is(SOAP, "Envelope") {
        child(child(root, SOAP, "Body"), ns::SAMLP, "ArtifactResponse")
    } else {
        root
    }
}

fn check_both_wk_signatures(dir: &str) {
    let keys = pinned(&format!("{dir}/wk_sig_ec.pem"));
    let bytes = read_interop(&format!("{dir}/artifact-response.xml"));
    let doc = Document::parse(&bytes, &ParseOptions::saml()).unwrap();
    let artifact_response = artifact_response(&doc);
    assert!(artifact_response.is(ns::SAMLP, "ArtifactResponse"));
    let outer = verify_enveloped(&doc, artifact_response, &keys).unwrap();
    assert_eq!(outer.element, artifact_response);
    assert!(
        outer.key_label().contains("WK_SIG_EC"),
        "{}",
        outer.key_label()
    );
    let response = child(artifact_response, ns::SAMLP, "Response");
    let inner = verify_enveloped(&doc, response, &keys).unwrap();
    assert_eq!(inner.element, response);
}

#[test]
fn wk_simulator_2018_both_signatures_verify_with_pinned_cert() {
    check_both_wk_signatures("wk-simulator-2018");
}

#[test]
fn wk_integration_2025_both_signatures_verify_with_pinned_cert() {
    check_both_wk_signatures("wk-integration-2025");
}

fn assert_other_folder_key_not_trusted(message_dir: &str, cert_dir: &str) {
    let keys = pinned(&format!("{cert_dir}/wk_sig_ec.pem"));
    let bytes = read_interop(&format!("{message_dir}/artifact-response.xml"));
    let doc = Document::parse(&bytes, &ParseOptions::saml()).unwrap();
    let root = artifact_response(&doc);
    let err = verify_enveloped(&doc, root, &keys).unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyNotTrusted, "{err}");
    let response = child(root, ns::SAMLP, "Response");
    let err = verify_enveloped(&doc, response, &keys).unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyNotTrusted, "{err}");
}

#[test]
fn wk_2018_message_pinned_to_2025_cert_is_key_not_trusted() {
    assert_other_folder_key_not_trusted("wk-simulator-2018", "wk-integration-2025");
}

#[test]
fn wk_2025_message_pinned_to_2018_cert_is_key_not_trusted() {
    assert_other_folder_key_not_trusted("wk-integration-2025", "wk-simulator-2018");
}

#[test]
fn real_du_authn_request_verifies_with_du_cert() {
    let keys = pinned("wk-integration-2025/du_sig_ec.pem");
    let bytes = read_interop("wk-integration-2025/authn-request.signed.xml");
    let doc = Document::parse(&bytes, &ParseOptions::saml()).unwrap();
    let v = verify_enveloped(&doc, doc.root(), &keys).unwrap();
    assert!(v.element.is(ns::SAMLP, "AuthnRequest"));
    // Pinned to WK's certificate instead, the DU request is not trusted.
    let wrong = pinned("wk-integration-2025/wk_sig_ec.pem");
    assert_eq!(
        verify_enveloped(&doc, doc.root(), &wrong)
            .unwrap_err()
            .code(),
        ErrorCode::KeyNotTrusted
    );
}

#[test]
fn w3c_xmldsig11_ecdsa_vectors_verify_with_generic_profile() {
    for (curve, hash) in [("p256", "sha256"), ("p384", "sha384"), ("p521", "sha512")] {
        let keys = pinned(&format!("w3c-xmldsig11-ecdsa/{curve}-key.crt"));
        let bytes = read_interop(&format!(
            "w3c-xmldsig11-ecdsa/signature-enveloping-{curve}_{hash}.xml"
        ));
        let doc = Document::parse(&bytes, &ParseOptions::document()).unwrap();
        let v = verify_signature(&doc, doc.root(), Profile::Xades, &keys, &[])
            .unwrap_or_else(|e| panic!("{curve}: {e}"));
        assert_eq!(v.references.len(), 1);
        let ReferenceTarget::Element(object) = v.references[0].target else {
            panic!("{curve}: reference should cover the ds:Object");
        };
        assert!(object.is(ns::DS, "Object"));
    }
}

#[test]
fn w3c_vectors_are_not_accepted_under_the_saml_profile() {
    let keys = pinned("w3c-xmldsig11-ecdsa/p256-key.crt");
    let bytes = read_interop("w3c-xmldsig11-ecdsa/signature-enveloping-p256_sha256.xml");
    let doc = Document::parse(&bytes, &ParseOptions::document()).unwrap();
    let err = verify_signature(&doc, doc.root(), Profile::SamlStrict, &keys, &[]).unwrap_err();
    // ds:Object (enveloping) is outside the SAML profile, checked before anything else runs.
    assert_eq!(err.code(), ErrorCode::ProfileViolation, "{err}");
}
