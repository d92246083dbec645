//! XML Encryption against messages other systems produced (the W3C xmlenc11 ECDH-ES vectors, WK's
//! 2018 and 2025 messages) and round trips through `encrypt_element` in WK's exact shape.
#![allow(clippy::unwrap_used)]

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::read_interop;
use common::xmlenc::*;
use eidpl::xml::{Document, ParseOptions};
use eidpl::xmlenc::{
    decrypt_element, ecdh_shared_secret, encrypt_element, ContentAlgorithm, DecryptionPolicy,
    EncryptOptions, KdfEncoding,
};
use eidpl::ErrorCode;
use openssl::bn::BigNumContext;
use openssl::ec::PointConversionForm;
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

// ---- encrypt_element ----

const ASSERTION: &str = r#"<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="ID-1"><saml2:Issuer>localhost.wk.gov.pl</saml2:Issuer></saml2:Assertion>"#;

fn round_trip(
    options: &EncryptOptions,
    key: &openssl::pkey::PKey<openssl::pkey::Private>,
) -> String {
    let fragment = encrypt_element(ASSERTION.as_bytes(), &public(key), options).unwrap();
    let policy = DecryptionPolicy {
        encoding: options.encoding,
        party_u: Some(&options.party_u),
        party_v: Some(&options.party_v),
    };
    let xml = in_assertion(&fragment);
    let plaintext = decrypt_xml(xml.as_bytes(), std::slice::from_ref(key), &policy).unwrap();
    assert_eq!(plaintext, ASSERTION.as_bytes());
    fragment
}

fn cipher_values(fragment: &str) -> Vec<Vec<u8>> {
    fragment
        .split("<xenc:CipherValue>")
        .skip(1)
        .map(|s| B64.decode(&s[..s.find('<').unwrap()]).unwrap())
        .collect()
}

#[test]
fn round_trip_with_a_random_32_byte_content_key() {
    let key = du_key();
    let fragment = round_trip(&EncryptOptions::wk(WK_2018_ISSUER, WK_2018_SP), &key);
    let values = cipher_values(&fragment);
    assert_eq!(values[0].len(), 40, "kw-aes256 of a 32-byte key");
    assert_eq!(values[1].len(), 12 + ASSERTION.len() + 16);
}

#[test]
fn round_trip_with_a_16_byte_key_under_aes256_gcm_the_production_quirk() {
    let options = EncryptOptions {
        cek: Some(vec![0x5a; 16]),
        ..EncryptOptions::wk(WK_2018_ISSUER, WK_2018_SP)
    };
    let fragment = round_trip(&options, &du_key());
    assert!(fragment.contains(r#"Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm""#));
    assert_eq!(
        cipher_values(&fragment)[0].len(),
        24,
        "kw-aes256 of a 16-byte key"
    );
}

#[test]
fn round_trip_with_a_shared_secret_that_starts_with_a_zero_byte() {
    let recipient = du_key();
    let mut ctx = BigNumContext::new().unwrap();
    let ec = recipient.ec_key().unwrap();
    let point = ec
        .public_key()
        .to_bytes(ec.group(), PointConversionForm::UNCOMPRESSED, &mut ctx)
        .unwrap();
    // X < 2^248 happens once in 256 tries: Z is then 32 bytes with a leading 00.
    let ephemeral = (0..20_000)
        .map(|_| fresh_key(Nid::X9_62_PRIME256V1))
        .find(|e| ecdh_shared_secret(e, &point).unwrap()[0] == 0)
        .expect("an ephemeral key with a leading-zero Z");
    let options = EncryptOptions {
        ephemeral_key: Some(ephemeral),
        ..EncryptOptions::wk(WK_2018_ISSUER, WK_2018_SP)
    };
    round_trip(&options, &recipient);
}

#[test]
fn round_trip_with_the_xmlenc11_encoding_on_every_curve() {
    for (nid, content) in [
        (Nid::X9_62_PRIME256V1, ContentAlgorithm::Aes128Gcm),
        (Nid::SECP384R1, ContentAlgorithm::Aes192Gcm),
        (Nid::SECP521R1, ContentAlgorithm::Aes256Gcm),
    ] {
        let key = fresh_key(nid);
        let options = EncryptOptions {
            encoding: KdfEncoding::Xmlenc11,
            content_algorithm: content,
            ..EncryptOptions::wk("urn:idp", "urn:sp")
        };
        let fragment = round_trip(&options, &key);
        assert!(fragment.contains(content.uri()));
        // Read under the other encoding the KEK differs: refused.
        let xml = in_assertion(&fragment);
        let wk = DecryptionPolicy::default();
        let e = decrypt_xml(xml.as_bytes(), &[key], &wk).unwrap_err();
        assert_eq!(e.code(), ErrorCode::DecryptionFailed);
    }
}

#[test]
fn xmlenc11_attributes_carry_the_padding_octet_and_wk_ones_do_not() {
    let key = fresh_key(Nid::X9_62_PRIME256V1);
    let mut options = EncryptOptions::wk("ab", "");
    let wk = encrypt_element(b"<a/>", &public(&key), &options).unwrap();
    assert!(
        wk.contains(r#"PartyUInfo="000000026162" PartyVInfo="00000000""#),
        "{wk}"
    );
    options.encoding = KdfEncoding::Xmlenc11;
    let w3c = encrypt_element(b"<a/>", &public(&key), &options).unwrap();
    assert!(
        w3c.contains(r#"PartyUInfo="00000000026162" PartyVInfo="0000000000""#),
        "{w3c}"
    );
    assert!(
        w3c.contains(r#"AlgorithmID="000000002A687474703A2F2F"#),
        "{w3c}"
    );
}

/// Blanks what differs per message: Id values, base64 contents.
fn shape(fragment: &str) -> String {
    let mut out = String::new();
    let mut rest = fragment;
    while let Some(i) = rest.find(['>', '"']) {
        let (head, tail) = rest.split_at(i + 1);
        out.push_str(head);
        rest = tail;
        let blank_attr = head.ends_with("Id=\"");
        let blank_text =
            head.ends_with("<xenc:CipherValue>") || head.ends_with("<dsig11:PublicKey>");
        if blank_attr || blank_text {
            let end = rest.find(if blank_attr { '"' } else { '<' }).unwrap();
            out.push('*');
            rest = &rest[end..];
        }
    }
    out + rest
}

#[test]
fn output_has_the_exact_shape_of_wk_2018_and_2025_messages() {
    for (file, party_u, party_v) in [
        (
            "wk-simulator-2018/artifact-response.xml",
            WK_2018_ISSUER,
            WK_2018_SP,
        ),
        (
            "wk-integration-2025/artifact-response.xml",
            "int-podmiotyzewnetrzne.login.gov.pl",
            "e-talar.com",
        ),
    ] {
        let real = String::from_utf8(read_interop(file)).unwrap();
        let real = encrypted_data_text(&real);
        let ours = encrypt_element(
            ASSERTION.as_bytes(),
            &public(&fresh_key(Nid::X9_62_PRIME256V1)),
            &EncryptOptions::wk(party_u, party_v),
        )
        .unwrap();
        assert_eq!(shape(&ours), shape(real), "{file}");
    }
}

#[test]
fn declared_namespaces_make_a_standalone_document() {
    let key = fresh_key(Nid::X9_62_PRIME256V1);
    let options = EncryptOptions {
        declare_namespaces: true,
        data_id: Some("_data".into()),
        key_id: Some("_key".into()),
        ..EncryptOptions::wk("idp", "sp")
    };
    let fragment = encrypt_element(ASSERTION.as_bytes(), &public(&key), &options).unwrap();
    assert!(fragment.starts_with(r#"<xenc:EncryptedData xmlns:xenc="#));
    assert!(fragment.contains(r#" Id="_data" "#) && fragment.contains(r#"Id="_key""#));
    let doc = Document::parse(fragment.as_bytes(), &ParseOptions::saml()).unwrap();
    let policy = DecryptionPolicy::default();
    assert_eq!(
        decrypt_element(doc.root(), &[key], &policy).unwrap(),
        ASSERTION.as_bytes()
    );
}

#[test]
fn fresh_ids_are_uuid_v4_and_distinct() {
    let key = public(&fresh_key(Nid::X9_62_PRIME256V1));
    let fragment = encrypt_element(b"<a/>", &key, &EncryptOptions::wk("i", "s")).unwrap();
    let ids: Vec<&str> = fragment
        .split(" Id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    for id in ids {
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [2, 8, 4, 4, 4, 12]
        );
        assert_eq!(parts[0], "ID");
        assert!(parts[3].starts_with('4'));
        assert!(matches!(parts[4].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    }
}

#[test]
fn unusable_encryption_options_are_invalid_input() {
    let p256 = fresh_key(Nid::X9_62_PRIME256V1);
    let rsa = openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let base = EncryptOptions::wk("i", "s");
    let cases = [
        (public(&rsa), EncryptOptions { ..base.clone() }),
        (
            public(&p256),
            EncryptOptions {
                cek: Some(vec![1; 20]),
                ..base.clone()
            },
        ),
        (
            public(&p256),
            EncryptOptions {
                ephemeral_key: Some(fresh_key(Nid::SECP384R1)),
                ..base.clone()
            },
        ),
        (
            public(&p256),
            EncryptOptions {
                data_id: Some("1abc".into()),
                ..base.clone()
            },
        ),
        (
            public(&p256),
            EncryptOptions {
                key_id: Some("a\"b".into()),
                ..base.clone()
            },
        ),
        (
            public(&p256),
            EncryptOptions {
                data_id: Some("same".into()),
                key_id: Some("same".into()),
                ..base.clone()
            },
        ),
    ];
    for (recipient, options) in cases {
        let e = encrypt_element(b"<a/>", &recipient, &options).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{options:?}");
    }
}
