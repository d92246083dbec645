//! The real WK messages: the 2018 simulator login validates to exactly the published identity,
//! the 2025 integration answer verifies and fails decryption cleanly, and our AuthnRequest has
//! the shape of the real, accepted 2025 request.
#![allow(clippy::unwrap_used)]

mod common;

use common::{interop, read_interop};
use eidpl::dsig::{verify_enveloped, TrustedKeys};
use eidpl::time::UtcTime;
use eidpl::wk::{AuthnRequestOptions, Expected, ServiceProvider, Settings};
use eidpl::xml::{Document, Node, NodeKind, ParseOptions};
use eidpl::ErrorCode;
use serde_json::json;

fn sp_2018() -> ServiceProvider {
    let settings = json!({
        "sp": {
            "entity_id": "http://localhost.sp.pl",
            "acs_url": "http://localhost:11080/saml-emulator/context",
            "encryption_keys": [{
                "path": interop("wk-simulator-2018/du_enc_ec.p12").display().to_string(),
                "password": "12345",
            }],
        },
        "idp": {
            "environment": "simulator",
            "signing_certs": [interop("wk-simulator-2018/wk_sig_ec.pem").display().to_string()],
        },
    });
    ServiceProvider::new(Settings::from_value(&settings, None).unwrap()).unwrap()
}

fn expected_2018() -> Expected<'static> {
    Expected {
        authn_request_id: "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc",
        artifact_resolve_id: Some("ID-09a2e477-dd85-4ce2-9420-0d9cc27244df"),
        now: UtcTime::parse("2018-09-13T13:20:00Z"),
        minimum_loa: None,
    }
}

#[test]
fn simulator_2018_gives_exactly_the_published_identity() {
    let sp = sp_2018();
    let result = sp
        .validate_artifact_response(
            &read_interop("wk-simulator-2018/artifact-response.xml"),
            &expected_2018(),
        )
        .unwrap();
    let np = "http://eidas.europa.eu/attributes/naturalperson";
    assert_eq!(
        result.to_json(),
        json!({
            "name_id": "adminAll",
            "name_id_format": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            "session_index": "_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150",
            "loa": "substantial",
            "authn_context_class_ref": "http://eidas.europa.eu/LoA/substantial",
            "authn_instant": "2018-09-13T13:17:51.395Z",
            "authenticating_authority": "pz.gov.pl",
            "assertion_id": "_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150",
            "not_on_or_after": "2018-09-13T14:07:51.000Z",
            "issuer": "localhost.wk.gov.pl",
            "person": {
                "person_identifier": "87022243734",
                "pesel": "87022243734",
                "given_name": "Roch",
                "family_name": "Apitz",
                "date_of_birth": "1987-02-22",
            },
            "attributes": {
                format!("{np}/CurrentFamilyName"): ["Apitz"],
                format!("{np}/CurrentGivenName"): ["Roch"],
                format!("{np}/DateOfBirth"): ["1987-02-22Z"],
                format!("{np}/PersonIdentifier"): ["87022243734"],
            },
            "warnings": [],
        })
    );
}

// attack: replay
#[test]
fn simulator_2018_second_use_is_a_replay() {
    let sp = sp_2018();
    let bytes = read_interop("wk-simulator-2018/artifact-response.xml");
    sp.validate_artifact_response(&bytes, &expected_2018())
        .unwrap();
    let e = sp
        .validate_artifact_response(&bytes, &expected_2018())
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ReplayDetected, "{e}");
}

// attack: replay
#[test]
fn simulator_2018_checks_time_and_parties() {
    let bytes = read_interop("wk-simulator-2018/artifact-response.xml");
    let at = |t: &str| Expected {
        now: UtcTime::parse(t),
        ..expected_2018()
    };
    let cases = [
        (at("2018-09-13T14:10:00Z"), ErrorCode::Expired),
        (at("2018-09-13T13:10:00Z"), ErrorCode::NotYetValid),
        (
            Expected {
                authn_request_id: "ID-other",
                ..expected_2018()
            },
            ErrorCode::InResponseToMismatch,
        ),
        (
            Expected {
                artifact_resolve_id: Some("ID-other"),
                ..expected_2018()
            },
            ErrorCode::InResponseToMismatch,
        ),
    ];
    for (expected, code) in cases {
        let e = sp_2018()
            .validate_artifact_response(&bytes, &expected)
            .unwrap_err();
        assert_eq!(e.code(), code, "{e}");
    }
    // Within the default 120 s skew on both ends.
    sp_2018()
        .validate_artifact_response(&bytes, &at("2018-09-13T14:08:30Z"))
        .unwrap();
}

fn sp_2025(wk_cert: &str) -> ServiceProvider {
    let (enc_key, _) = eidpl::pki::self_signed_p256("e-talar.com_enc_ec", 30).unwrap();
    let settings = json!({
        "sp": {
            "entity_id": "e-talar.com",
            "acs_url": "https://api.e-talar.com/v2/et/acs",
            "encryption_keys": [String::from_utf8(enc_key.private_key_to_pem_pkcs8().unwrap()).unwrap()],
        },
        "idp": {
            "environment": "integration-external",
            "signing_certs": [interop(wk_cert).display().to_string()],
        },
    });
    ServiceProvider::new(Settings::from_value(&settings, None).unwrap()).unwrap()
}

fn expected_2025() -> Expected<'static> {
    Expected {
        authn_request_id: "ID-72a54a08-0a3d-4ab7-a26e-4e3cf83cfe54",
        artifact_resolve_id: Some("ID-dac90bfd-280a-4997-b5bf-4646432428c3"),
        now: UtcTime::parse("2025-11-24T06:04:30Z"),
        minimum_loa: None,
    }
}

#[test]
fn integration_2025_verifies_then_fails_decryption_cleanly() {
    let bytes = read_interop("wk-integration-2025/artifact-response.xml");
    // Both signatures verify (under the pinned 2025 certificate) …
    let doc = Document::parse(&bytes, &ParseOptions::saml()).unwrap();
    let keys = TrustedKeys::from_pem(&read_interop("wk-integration-2025/wk_sig_ec.pem")).unwrap();
    for id in [
        "ECC-ID-baabc609-67cb-418e-a97f-9c593684ba9d",
        "ECC-ID-4e49db42-36d6-41ad-b0dd-77f60d486bec",
    ] {
        verify_enveloped(&doc, doc.element_by_id(id).unwrap(), &keys).unwrap();
    }
    // … and the whole pipeline gets as far as decryption, which fails uniformly.
    let e = sp_2025("wk-integration-2025/wk_sig_ec.pem")
        .validate_artifact_response(&bytes, &expected_2025())
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecryptionFailed, "{e}");
    assert!(e.details().is_empty(), "no oracle: {:?}", e.details());
}

// attack: keyinfo-key
#[test]
fn integration_2025_under_the_2018_certificate_is_not_trusted() {
    let e = sp_2025("wk-simulator-2018/wk_sig_ec.pem")
        .validate_artifact_response(
            &read_interop("wk-integration-2025/artifact-response.xml"),
            &expected_2025(),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyNotTrusted, "{e}");
}

/// Elements (namespace, name), attributes (names; values unless variable) and text, in order.
fn shape(n: Node<'_>, out: &mut Vec<String>) {
    const VARIABLE_ATTRS: &[&str] = &["ID", "IssueInstant", "URI"];
    const VARIABLE_TEXT: &[&str] = &["DigestValue", "SignatureValue", "X509Certificate"];
    let mut attrs: Vec<String> = n
        .attributes()
        .map(|a| {
            if VARIABLE_ATTRS.contains(&a.local_name) {
                format!("@{}", a.local_name)
            } else {
                format!("@{}={}", a.local_name, a.value)
            }
        })
        .collect();
    attrs.extend(
        n.namespace_declarations()
            .map(|(prefix, uri)| format!("xmlns:{}={uri}", prefix.unwrap_or(""))),
    );
    attrs.sort();
    out.push(format!(
        "<{{{}}}{} {}>",
        n.namespace().unwrap_or(""),
        n.local_name(),
        attrs.join(" ")
    ));
    for c in n.children() {
        match c.kind() {
            NodeKind::Element => shape(c, out),
            // The recorded request was pretty-printed after signing; whitespace is not shape.
            NodeKind::Text
                if !VARIABLE_TEXT.contains(&n.local_name())
                    && !c.text_content().trim().is_empty() =>
            {
                out.push(format!("text:{}", c.text_content()))
            }
            _ => {}
        }
    }
    out.push(format!("</{}>", n.local_name()));
}

#[test]
fn our_authn_request_has_the_shape_of_the_real_2025_one() {
    let (key, cert) = eidpl::pki::self_signed_p256("e-talar.com_sig_ec", 30).unwrap();
    let pem = |b: Vec<u8>| String::from_utf8(b).unwrap();
    let settings = json!({
        "sp": {
            "entity_id": "e-talar.com",
            "acs_url": "https://api.e-talar.com/v2/et/acs",
            "provider_name": "e_talar",
            "sp_type": "private",
            "signing_key": pem(key.private_key_to_pem_pkcs8().unwrap()),
            "signing_cert": pem(cert.to_pem().unwrap()),
        },
        "idp": { "environment": "integration-external" },
    });
    let sp = ServiceProvider::new(Settings::from_value(&settings, None).unwrap()).unwrap();
    let ours = sp.authn_request(&AuthnRequestOptions::default()).unwrap();

    let real = read_interop("wk-integration-2025/authn-request.signed.xml");
    let real = Document::parse(&real, &ParseOptions::saml()).unwrap();
    let mine = Document::parse(ours.xml.as_bytes(), &ParseOptions::saml()).unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    shape(real.root(), &mut a);
    shape(mine.root(), &mut b);
    assert_eq!(b, a);

    // It is signed under our key, the ID is ours, and the form carries it.
    let mut keys = TrustedKeys::new();
    keys.add_certificate(cert).unwrap();
    verify_enveloped(&mine, mine.root(), &keys).unwrap();
    assert_eq!(mine.root().attr("ID"), Some(ours.id.as_str()));
    assert!(ours.html_form.contains(&ours.saml_request));
    assert!(ours.html_form.contains(
        r#"action="https://int-podmiotyzewnetrzne.login.gov.pl/login/SingleSignOnService""#
    ));
}
