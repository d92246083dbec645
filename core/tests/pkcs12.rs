//! PKCS#12 and "any container" private-key loading against real files (WK's simulator key with
//! its RC2-40 certificate bag, the W3C xmlenc11 keys) and damaged input.
#![allow(clippy::unwrap_used)]

mod common;

use common::read_interop;
use eidpl::pki::{load_pkcs12, load_private_key, load_private_key_any};
use eidpl::ErrorCode;
use openssl::pkey::{PKey, Private};
use openssl::symm::Cipher;

const DU_SCALAR: &str = "36b33004adc8e2a5fb507fca994790f924d7272e9de46b78fab3dea693c8ac83";

fn scalar_hex(key: &PKey<Private>) -> String {
    let d = key.ec_key().unwrap().private_key().to_vec();
    d.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn wk_simulator_p12_with_rc2_certificates_loads_without_the_legacy_provider() {
    let c = load_pkcs12(&read_interop("wk-simulator-2018/du_enc_ec.p12"), "12345").unwrap();
    assert_eq!(scalar_hex(&c.key), DU_SCALAR);
    // The certificate bag is RC2-40 encrypted: skipped, never a failure.
    assert!(c.certificate.is_none());
    let key = load_private_key_any(
        &read_interop("wk-simulator-2018/du_enc_ec.p12"),
        Some("12345"),
    )
    .unwrap();
    assert_eq!(scalar_hex(&key), DU_SCALAR);
}

#[test]
fn wrong_password_is_key_invalid_and_says_so() {
    let e = load_pkcs12(&read_interop("wk-simulator-2018/du_enc_ec.p12"), "54321").unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyInvalid);
    assert!(e.message().contains("wrong password"), "{e}");
    let e = load_pkcs12(
        &read_interop("w3c-xmlenc11-ecdh-es/EC-P256_SHA256WithECDSA-orig.p12"),
        "",
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyInvalid);
    let e = load_pkcs12(
        &read_interop("wk-simulator-2018/du_enc_ec.p12"),
        "12\u{0}45",
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyInvalid);
}

#[test]
fn truncated_flipped_or_garbage_input_is_key_invalid_never_a_panic() {
    let good = read_interop("wk-simulator-2018/du_enc_ec.p12");
    let mut inputs: Vec<Vec<u8>> = vec![vec![], vec![0x30], b"not a key at all".to_vec()];
    for cut in [1, 2, 4, 10, 30, 200, good.len() / 2, good.len() - 1] {
        inputs.push(good[..cut].to_vec());
    }
    for i in [0, 1, 4, 5, 20, 26, 40, 300, good.len() - 30, good.len() - 2] {
        let mut flipped = good.clone();
        flipped[i] ^= 0x41;
        inputs.push(flipped);
    }
    let mut trailing = good.clone();
    trailing.push(0);
    inputs.push(trailing);
    for input in &inputs {
        let e = load_pkcs12(input, "12345").unwrap_err();
        assert_eq!(e.code(), ErrorCode::KeyInvalid, "{e}");
        let e = load_private_key_any(input, Some("12345")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::KeyInvalid, "{e}");
    }
}

#[test]
fn w3c_xmlenc11_p12s_load_with_their_certificates() {
    for (name, bits) in [("P256", 256), ("P384", 384), ("P521", 521)] {
        let rel = format!("w3c-xmlenc11-ecdh-es/EC-{name}_SHA256WithECDSA-orig.p12");
        let c = load_pkcs12(&read_interop(&rel), "passwd").unwrap();
        assert_eq!(c.key.bits(), bits);
        let cert = c.certificate.expect("certificate");
        assert!(cert.public_key().unwrap().public_eq(&c.key));
    }
}

#[test]
fn pkcs12_without_a_password_asks_for_one() {
    let e =
        load_private_key_any(&read_interop("wk-simulator-2018/du_enc_ec.p12"), None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyInvalid);
    assert!(e.message().contains("password is needed"), "{e}");
    let e = load_private_key(&read_interop("wk-simulator-2018/du_enc_ec.p12")).unwrap_err();
    assert!(e.message().contains("password is needed"), "{e}");
}

#[test]
fn pem_der_and_encrypted_pkcs8_load_with_clear_errors() {
    let (key, _) = common::p256_with_cert("any container");
    let want = scalar_hex(&key);
    let plain_pem = key.private_key_to_pem_pkcs8().unwrap();
    let plain_der = key.private_key_to_pkcs8().unwrap();
    let sec1_pem = key.ec_key().unwrap().private_key_to_pem().unwrap();
    let enc_pem = key
        .private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), b"tajne")
        .unwrap();
    let enc_der = key
        .private_key_to_pkcs8_passphrase(Cipher::aes_256_cbc(), b"tajne")
        .unwrap();
    let legacy_pem = key
        .ec_key()
        .unwrap()
        .private_key_to_pem_passphrase(Cipher::aes_128_cbc(), b"tajne")
        .unwrap();
    for bytes in [&plain_pem, &plain_der, &sec1_pem] {
        assert_eq!(
            scalar_hex(&load_private_key_any(bytes, None).unwrap()),
            want
        );
        assert_eq!(scalar_hex(&load_private_key(bytes).unwrap()), want);
    }
    for bytes in [&enc_pem, &enc_der, &legacy_pem] {
        let key = load_private_key_any(bytes, Some("tajne")).unwrap();
        assert_eq!(scalar_hex(&key), want);
        // Never a terminal prompt: a clear request for the password instead.
        let e = load_private_key_any(bytes, None).unwrap_err();
        assert_eq!(e.code(), ErrorCode::KeyInvalid);
        assert!(e.message().contains("password is needed"), "{e}");
        let e = load_private_key(bytes).unwrap_err();
        assert!(e.message().contains("password is needed"), "{e}");
        let e = load_private_key_any(bytes, Some("jawne")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::KeyInvalid);
        assert!(e.message().contains("wrong password"), "{e}");
    }
}

#[test]
fn ber_pkcs12_with_an_indefinite_outer_length_is_recognised() {
    let (key, cert) = common::p256_with_cert("ber");
    let der = openssl::pkcs12::Pkcs12::builder()
        .pkey(&key)
        .cert(&cert)
        .build2("tajne")
        .unwrap()
        .to_der()
        .unwrap();
    assert_eq!(&der[..2], &[0x30, 0x82]);
    let ber = [&[0x30, 0x80][..], &der[4..], &[0, 0]].concat();
    let loaded = load_private_key_any(&ber, Some("tajne")).unwrap();
    assert_eq!(scalar_hex(&loaded), scalar_hex(&key));
    let e = load_private_key_any(&ber, None).unwrap_err();
    assert!(e.message().contains("password is needed"), "{e}");
}
