//! The fallback walk against files OpenSSL writes, and hand-built PFX structures (whose MAC our
//! KDF computes and OpenSSL then verifies: an independent check of the MAC code).

use super::*;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::stack::Stack;

fn p256() -> (PKey<Private>, X509) {
    crate::pki::self_signed_p256("pkcs12 test", 1).unwrap()
}

fn scalar(key: &PKey<Private>) -> Vec<u8> {
    key.ec_key().unwrap().private_key().to_vec()
}

fn build(key_nid: Nid, cert_nid: Nid, mac: MessageDigest) -> (Vec<u8>, PKey<Private>, X509) {
    let (key, cert) = p256();
    let (_, ca) = p256();
    let mut chain = Stack::new().unwrap();
    chain.push(ca).unwrap();
    let der = Pkcs12::builder()
        .name("du_enc_ec")
        .pkey(&key)
        .cert(&cert)
        .ca(chain)
        .key_algorithm(key_nid)
        .cert_algorithm(cert_nid)
        .mac_md(mac)
        .build2("hasło")
        .unwrap()
        .to_der()
        .unwrap();
    (der, key, cert)
}

#[test]
fn openssl_defaults_load_through_both_paths() {
    let (der, key, cert) = build(Nid::UNDEF, Nid::UNDEF, MessageDigest::sha256());
    let c = load_pkcs12(&der, "hasło").unwrap();
    assert_eq!(scalar(&c.key), scalar(&key));
    assert_eq!(
        c.certificate.unwrap().to_der().unwrap(),
        cert.to_der().unwrap()
    );
    assert_eq!(c.chain.len(), 1);
    // The walk cannot open the PBES2-encrypted certificate bag: key only.
    let c = load_by_walking(&der, "hasło").unwrap();
    assert_eq!(scalar(&c.key), scalar(&key));
    assert!(c.certificate.is_none() && c.chain.is_empty());
}

#[test]
fn legacy_3des_with_sha1_mac_and_clear_certificates_load_through_both_paths() {
    // cert_algorithm -1 = certificates not encrypted, so the walk finds them too.
    let (der, key, cert) = build(
        Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC,
        Nid::from_raw(-1),
        MessageDigest::sha1(),
    );
    for c in [
        load_pkcs12(&der, "hasło").unwrap(),
        load_by_walking(&der, "hasło").unwrap(),
    ] {
        assert_eq!(scalar(&c.key), scalar(&key));
        assert_eq!(
            c.certificate.unwrap().to_der().unwrap(),
            cert.to_der().unwrap()
        );
        assert_eq!(c.chain.len(), 1);
    }
}

#[test]
fn walk_reports_a_wrong_password_as_such() {
    let (der, _, _) = build(Nid::UNDEF, Nid::UNDEF, MessageDigest::sha256());
    let e = load_by_walking(&der, "haslo").unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyInvalid);
    assert!(e.message().contains("wrong password"), "{e}");
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend(content);
    out
}

const DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const KEY_BAG: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01,
];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

fn safe_contents(keys: &[&PKey<Private>]) -> Vec<u8> {
    let bags: Vec<u8> = keys
        .iter()
        .flat_map(|k| {
            let value = tlv(0xa0, &k.private_key_to_pkcs8().unwrap());
            tlv(0x30, &[tlv(0x06, KEY_BAG), value].concat())
        })
        .collect();
    tlv(0x30, &bags)
}

/// A PFX with clear keyBags and a SHA-256 MAC computed by our KDF.
fn hand_built(keys: &[&PKey<Private>], password: &str, with_mac: bool) -> Vec<u8> {
    around(&safe_contents(keys), password, with_mac)
}

/// A PFX (one `data` ContentInfo) around any SafeContents bytes, with a valid MAC.
fn around(safe_contents: &[u8], password: &str, with_mac: bool) -> Vec<u8> {
    let data_info = |octets: &[u8]| {
        tlv(
            0x30,
            &[tlv(0x06, DATA), tlv(0xa0, &tlv(0x04, octets))].concat(),
        )
    };
    let auth_safe = tlv(0x30, &data_info(safe_contents));
    let mut pfx = [tlv(0x02, &[3]), data_info(&auth_safe)].concat();
    if with_mac {
        let salt = [7u8; 8];
        let bmp: Vec<u8> = password
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .chain([0, 0])
            .collect();
        let md = MessageDigest::sha256();
        let key = mac::kdf(md, 64, 3, &bmp, &salt, 2048, 32).unwrap();
        let value = mac::hmac(md, &key, &auth_safe).unwrap();
        let algorithm = tlv(0x30, &[tlv(0x06, SHA256), tlv(0x05, &[])].concat());
        let digest_info = tlv(0x30, &[algorithm, tlv(0x04, &value)].concat());
        pfx.extend(tlv(
            0x30,
            &[digest_info, tlv(0x04, &salt), tlv(0x02, &[8, 0])].concat(),
        ));
    }
    tlv(0x30, &pfx)
}

#[test]
fn our_mac_is_what_openssl_verifies() {
    let (key, _) = p256();
    let der = hand_built(&[&key], "12345", true);
    let c = load_pkcs12(&der, "12345").unwrap();
    assert_eq!(scalar(&c.key), scalar(&key));
    assert!(Pkcs12::from_der(&der).unwrap().parse2("12345").is_ok());
    let c = load_by_walking(&der, "12345").unwrap();
    assert_eq!(scalar(&c.key), scalar(&key));
    assert!(c.certificate.is_none());
}

#[test]
fn two_keys_are_rejected_on_both_paths_naming_the_count() {
    let (a, _) = p256();
    let (b, _) = p256();
    let der = hand_built(&[&a, &b], "12345", true);
    for e in [
        load_pkcs12(&der, "12345").unwrap_err(),
        load_by_walking(&der, "12345").unwrap_err(),
    ] {
        assert_eq!(e.code(), ErrorCode::KeyInvalid);
        assert!(e.message().contains("found 2"), "{e}");
    }
    let none = hand_built(&[], "12345", true);
    assert!(load_pkcs12(&none, "12345")
        .unwrap_err()
        .message()
        .contains("found 0"));
}

#[test]
fn walk_requires_the_integrity_mac() {
    let (key, _) = p256();
    let der = hand_built(&[&key], "12345", false);
    let e = load_by_walking(&der, "12345").unwrap_err();
    assert!(e.message().contains("no integrity MAC"), "{e}");
}

/// Damaged bags behind a valid MAC reach the walker itself: never a panic, only key_invalid.
#[test]
fn damaged_bags_behind_a_valid_mac_never_panic() {
    let (key, _) = p256();
    let good = safe_contents(&[&key]);
    let mut cases: Vec<Vec<u8>> = (0..good.len()).map(|n| good[..n].to_vec()).collect();
    for i in 0..good.len() {
        for bits in [0x01, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[i] ^= bits;
            cases.push(bad);
        }
    }
    for bad in cases {
        if let Err(e) = load_by_walking(&around(&bad, "x", true), "x") {
            assert_eq!(e.code(), ErrorCode::KeyInvalid, "{e}");
        }
    }
}
