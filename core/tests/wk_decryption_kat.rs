//! Known-answer values for WK's encryption (../shared/interop/wk-simulator-2018/README values):
//! every intermediate — d, Z, OtherInfo, KEK, CEK — and the exact plaintext.
#![allow(clippy::unwrap_used)]

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::read_interop;
use eidpl::xml::{ns, Document, Node, ParseOptions};
use eidpl::xmlenc::{
    aes_gcm_decrypt, aes_key_unwrap, concat_kdf, ecdh_shared_secret, other_info, KdfEncoding,
};
use eidpl::ErrorCode;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

struct Parts {
    point: Vec<u8>,
    algorithm_id: String,
    party_u: String,
    party_v: String,
    wrapped: Vec<u8>,
    data: Vec<u8>,
}

fn text(n: Node<'_>) -> Vec<u8> {
    let t: String = n
        .leaf_text()
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    B64.decode(t).unwrap()
}

fn parts() -> Parts {
    let bytes = read_interop("wk-simulator-2018/artifact-response.xml");
    let doc = Document::parse(&bytes, &ParseOptions::saml()).unwrap();
    let all: Vec<Node<'_>> = doc.root().descendants().collect();
    let find = |uri: &str, local: &str| *all.iter().find(|n| n.is(uri, local)).unwrap();
    let params = find(ns::XENC11, "ConcatKDFParams");
    let encrypted_key = find(ns::XENC, "EncryptedKey");
    let key_cipher = encrypted_key
        .descendants()
        .find(|n| n.is(ns::XENC, "CipherValue"))
        .unwrap();
    let encrypted_data = find(ns::XENC, "EncryptedData");
    let data_cipher = encrypted_data
        .child_elements()
        .find(|n| n.is(ns::XENC, "CipherData"))
        .unwrap()
        .child_elements()
        .next()
        .unwrap();
    Parts {
        point: text(find(ns::DSIG11, "PublicKey")),
        algorithm_id: params.attr("AlgorithmID").unwrap().to_owned(),
        party_u: params.attr("PartyUInfo").unwrap().to_owned(),
        party_v: params.attr("PartyVInfo").unwrap().to_owned(),
        wrapped: text(key_cipher),
        data: text(data_cipher),
    }
}

/// The DU encryption key from its published scalar, independent of the PKCS#12 loader
/// (tests/pkcs12.rs checks that du_enc_ec.p12 yields the same scalar).
fn du_key() -> openssl::pkey::PKey<openssl::pkey::Private> {
    use openssl::{bn::BigNum, ec::EcGroup, ec::EcKey, ec::EcPoint, nid::Nid};
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let d =
        BigNum::from_hex_str("36b33004adc8e2a5fb507fca994790f924d7272e9de46b78fab3dea693c8ac83")
            .unwrap();
    let mut ctx = openssl::bn::BigNumContext::new().unwrap();
    let mut q = EcPoint::new(&group).unwrap();
    q.mul_generator2(&group, &d, &mut ctx).unwrap();
    openssl::pkey::PKey::from_ec_key(EcKey::from_private_components(&group, &d, &q).unwrap())
        .unwrap()
}

#[test]
fn wk_2018_every_intermediate_value_matches_the_known_answers() {
    let key = du_key();
    assert_eq!(
        hex(&key.ec_key().unwrap().private_key().to_vec()),
        "36b33004adc8e2a5fb507fca994790f924d7272e9de46b78fab3dea693c8ac83"
    );
    let p = parts();
    assert_eq!(p.point.len(), 65);
    let z = ecdh_shared_secret(&key, &p.point).unwrap();
    assert_eq!(
        hex(&z),
        "bebafc2616cb3addb1675c8cf2164440c5be9dd0a602c4c30eff9f12a1de6497"
    );
    let oi = other_info(&p.algorithm_id, &p.party_u, &p.party_v, KdfEncoding::Wk).unwrap();
    assert_eq!(
        hex(&oi).to_uppercase(),
        concat!(
            "0000002A687474703A2F2F7777772E77332E6F72672F323030312F30342F786D6C656E63236B772D616573323536",
            "000000136C6F63616C686F73742E776B2E676F762E706C",
            "00000016687474703A2F2F6C6F63616C686F73742E73702E706C"
        )
    );
    let kek = concat_kdf(&z, &oi, 32);
    assert_eq!(
        hex(&kek),
        "832613103e1430f3f97877848d6828605a56bd7d3c603464cf69aeb8303bb844"
    );
    let cek = aes_key_unwrap(&kek, &p.wrapped).unwrap();
    assert_eq!(
        hex(&cek),
        "3d37e601b661ff53e6a803268811865a61b5a273dd1ad12023df5d32fb20b105"
    );
    assert_eq!(hex(&p.data[..12]), "35b1fb997780b1827dba5659");
    assert_eq!(
        hex(&p.data[p.data.len() - 16..]),
        "bece7326175d5d86c67a967dd1412a37"
    );
    let plaintext = aes_gcm_decrypt(&cek, &p.data).unwrap();
    assert_eq!(
        plaintext,
        read_interop("wk-simulator-2018/assertion.decrypted.xml")
    );
    assert_eq!(plaintext.len(), 3279);
    assert_eq!(
        hex(&openssl::sha::sha256(&plaintext)),
        "38aad6185ef05ef5f8201497e7103ca13f8167ea44d88d82b5a7bbcfe32e625e"
    );
}

#[test]
fn xmlenc11_encoding_on_a_wk_message_fails_uniformly() {
    let p = parts();
    let z = ecdh_shared_secret(&du_key(), &p.point).unwrap();
    // WK's attributes start with 00 00 00 .., so the W3C reading drops a length byte: wrong KEK.
    let oi = other_info(
        &p.algorithm_id,
        &p.party_u,
        &p.party_v,
        KdfEncoding::Xmlenc11,
    )
    .unwrap();
    let err = aes_key_unwrap(&concat_kdf(&z, &oi, 32), &p.wrapped).unwrap_err();
    assert_eq!(err.code(), ErrorCode::DecryptionFailed);
}

#[test]
fn gcm_tag_or_iv_tampering_is_decryption_failed() {
    let p = parts();
    let z = ecdh_shared_secret(&du_key(), &p.point).unwrap();
    let oi = other_info(&p.algorithm_id, &p.party_u, &p.party_v, KdfEncoding::Wk).unwrap();
    let cek = aes_key_unwrap(&concat_kdf(&z, &oi, 32), &p.wrapped).unwrap();
    for i in [0, 11, 12, p.data.len() - 1] {
        let mut forged = p.data.clone();
        forged[i] ^= 1;
        assert_eq!(
            aes_gcm_decrypt(&cek, &forged).unwrap_err().code(),
            ErrorCode::DecryptionFailed
        );
    }
}

#[test]
fn invalid_curve_point_is_decryption_failed() {
    let mut p = parts();
    p.point[64] ^= 1; // off the curve
    assert_eq!(
        ecdh_shared_secret(&du_key(), &p.point).unwrap_err().code(),
        ErrorCode::DecryptionFailed
    );
    let mut infinity = vec![0u8; 1];
    infinity[0] = 0;
    assert_eq!(
        ecdh_shared_secret(&du_key(), &infinity).unwrap_err().code(),
        ErrorCode::DecryptionFailed
    );
}

#[test]
fn empty_kdf_attributes_contribute_nothing_in_both_encodings() {
    for enc in [KdfEncoding::Wk, KdfEncoding::Xmlenc11] {
        assert!(other_info("", "", "", enc).unwrap().is_empty());
    }
    assert_eq!(
        other_info("", "00cf90", "", KdfEncoding::Xmlenc11).unwrap(),
        vec![0xcf, 0x90]
    );
    assert_eq!(
        other_info("", "01cf90", "", KdfEncoding::Xmlenc11)
            .unwrap_err()
            .code(),
        ErrorCode::DecryptionFailed
    );
}
