//! XML Encryption against messages other systems produced (the W3C xmlenc11 ECDH-ES vectors, WK's
//! 2018 and 2025 messages).
#![allow(clippy::unwrap_used)]

mod common;

use common::read_interop;
use common::xmlenc::*;
use eidpl::xml::{Document, ParseOptions};
use eidpl::xmlenc::{DecryptionPolicy, KdfEncoding};
use eidpl::ErrorCode;
use openssl::nid::Nid;

const W3C: [(&str, &str); 3] = [
    (
        "P256",
        "cipherText__EC-P256__aes128-gcm__kw-aes128__ECDH-ES__ConcatKDF",
    ),
    (
        "P384",
        "cipherText__EC-P384__aes192-gcm__kw-aes192__ECDH-ES__ConcatKDF",
    ),
    (
        "P521",
        "cipherText__EC-P521__aes256-gcm__kw-aes256__ECDH-ES__ConcatKDF",
    ),
];

fn w3c_policy(encoding: KdfEncoding) -> DecryptionPolicy<'static> {
    DecryptionPolicy {
        encoding,
        ..DecryptionPolicy::default()
    }
}

#[test]
fn w3c_vectors_decrypt_byte_for_byte_with_the_xmlenc11_encoding() {
    for (curve, name) in W3C {
        let xml = read_interop(&format!("w3c-xmlenc11-ecdh-es/{name}.xml"));
        let want = read_interop(&format!("w3c-xmlenc11-ecdh-es/{name}.plaintext.xml"));
        let got = decrypt_xml(&xml, &[w3c_key(curve)], &w3c_policy(KdfEncoding::Xmlenc11));
        assert_eq!(got.unwrap(), want, "{name}");
        assert_eq!(
            common::xmlenc::hex_sha256(&want),
            "27a860cf3756c3c9b5d8deaaf1dd11ad80ad2490953a7b18c394de804bf3430f"
        );
    }
}

#[test]
fn w3c_vectors_under_the_wk_encoding_fail_uniformly() {
    for (curve, name) in W3C {
        let xml = read_interop(&format!("w3c-xmlenc11-ecdh-es/{name}.xml"));
        let e = decrypt_xml(&xml, &[w3c_key(curve)], &w3c_policy(KdfEncoding::Wk)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::DecryptionFailed, "{name}");
    }
}

#[test]
fn w3c_keys_on_other_curves_are_skipped_not_fatal() {
    let (curve, name) = W3C[2];
    let xml = read_interop(&format!("w3c-xmlenc11-ecdh-es/{name}.xml"));
    let keys = [w3c_key("P256"), w3c_key("P384"), w3c_key(curve)];
    assert!(decrypt_xml(&xml, &keys, &w3c_policy(KdfEncoding::Xmlenc11)).is_ok());
}

#[test]
fn wk_2018_message_decrypts_to_the_published_assertion() {
    let xml = read_interop("wk-simulator-2018/artifact-response.xml");
    let plaintext = decrypt_xml(&xml, &[du_key()], &wk_2018_policy()).unwrap();
    assert_eq!(
        plaintext,
        read_interop("wk-simulator-2018/assertion.decrypted.xml")
    );
    // The plaintext is one element the hardened parser accepts.
    let assertion = Document::parse(&plaintext, &ParseOptions::saml()).unwrap();
    assert_eq!(assertion.root().local_name(), "Assertion");
}

#[test]
fn wk_2018_message_for_another_du_or_from_another_idp_is_refused() {
    let xml = read_interop("wk-simulator-2018/artifact-response.xml");
    for (party_u, party_v) in [
        (WK_2018_ISSUER, "https://other.example.pl"),
        (WK_2018_ISSUER, "http://localhost.sp.pl/"),
        ("int.login.gov.pl", WK_2018_SP),
    ] {
        let policy = DecryptionPolicy {
            encoding: KdfEncoding::Wk,
            party_u: Some(party_u),
            party_v: Some(party_v),
        };
        let e = decrypt_xml(&xml, &[du_key()], &policy).unwrap_err();
        assert_eq!(e.code(), ErrorCode::DecryptionFailed, "{party_u} {party_v}");
    }
}

#[test]
fn wk_2018_message_decrypts_with_a_wrong_key_listed_first() {
    let xml = read_interop("wk-simulator-2018/artifact-response.xml");
    let keys = [
        fresh_key(Nid::X9_62_PRIME256V1),
        fresh_key(Nid::SECP384R1),
        du_key(),
    ];
    let plaintext = decrypt_xml(&xml, &keys, &wk_2018_policy()).unwrap();
    assert_eq!(
        plaintext,
        read_interop("wk-simulator-2018/assertion.decrypted.xml")
    );
}

#[test]
fn wk_2025_message_without_its_key_is_decryption_failed() {
    let xml = read_interop("wk-integration-2025/artifact-response.xml");
    let policy = DecryptionPolicy {
        encoding: KdfEncoding::Wk,
        party_u: Some("int-podmiotyzewnetrzne.login.gov.pl"),
        party_v: Some("e-talar.com"),
    };
    for policy in [policy, DecryptionPolicy::default()] {
        let e = decrypt_xml(&xml, &[fresh_key(Nid::X9_62_PRIME256V1)], &policy).unwrap_err();
        assert_eq!(e.code(), ErrorCode::DecryptionFailed);
    }
}

#[test]
fn no_configured_key_is_a_configuration_error() {
    let xml = read_interop("wk-simulator-2018/artifact-response.xml");
    let e = decrypt_xml(&xml, &[], &wk_2018_policy()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigInvalid);
    assert!(e.message().contains("no decryption key configured"));
}
