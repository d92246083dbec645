//! The crypto floor of one WK answer, shared by `benches/wk.rs` and `examples/profile_wk_full.rs`:
//! the cryptography the message requires, with every key already loaded and every input already
//! decoded: 2 ECDSA verifications with their SHA-256 digests (of the signed content and of
//! SignedInfo, canonicalized once beforehand), 1 ECDH, ConcatKDF, AES key unwrap and AES-GCM.
#![allow(clippy::unwrap_used)]

use super::world;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use eidpl::xml::{ns, C14nMethod, Document, Exclusion, Node, Selection};
use eidpl::xmlenc::{
    aes_gcm_decrypt, aes_key_unwrap, concat_kdf, ecdh_shared_secret, other_info, KdfEncoding,
};
use openssl::bn::BigNum;
use openssl::ec::EcKey;
use openssl::ecdsa::EcdsaSig;
use openssl::pkey::Public;
use openssl::sha::sha256;
use std::hint::black_box;

fn find<'a>(n: Node<'a>, uri: &str, local: &str) -> Node<'a> {
    n.descendants().find(|c| c.is(uri, local)).unwrap()
}

pub struct Floor {
    signatures: Vec<(Vec<u8>, Vec<u8>, EcdsaSig)>,
    wk_key: EcKey<Public>,
    point: Vec<u8>,
    other_info: Vec<u8>,
    wrapped: Vec<u8>,
    cipher: Vec<u8>,
}

pub fn floor(doc: &Document, w: &world::World) -> Floor {
    let exc = |p: &[&str]| C14nMethod::Exclusive {
        inclusive_prefixes: p.iter().map(|s| (*s).to_owned()).collect(),
    };
    let ar = find(doc.root(), ns::SAMLP, "ArtifactResponse");
    let signatures = [ar, find(ar, ns::SAMLP, "Response")]
        .iter()
        .map(|&el| {
            let sig = el
                .child_elements()
                .find(|c| c.is(ns::DS, "Signature"))
                .unwrap();
            let si = find(sig, ns::DS, "SignedInfo");
            let raw = B64
                .decode(
                    find(sig, ns::DS, "SignatureValue")
                        .leaf_text()
                        .unwrap()
                        .trim(),
                )
                .unwrap();
            (
                doc.canonicalize_to_vec(
                    Selection::Subtree(el),
                    Exclusion::Subtree(sig),
                    &exc(&["ds", "saml2", "saml2p", "xenc"]),
                )
                .unwrap(),
                doc.canonicalize_to_vec(Selection::Subtree(si), Exclusion::Nothing, &exc(&[]))
                    .unwrap(),
                EcdsaSig::from_private_components(
                    BigNum::from_slice(&raw[..32]).unwrap(),
                    BigNum::from_slice(&raw[32..]).unwrap(),
                )
                .unwrap(),
            )
        })
        .collect();
    let params = find(doc.root(), ns::XENC11, "ConcatKDFParams");
    let values: Vec<Node<'_>> = doc
        .root()
        .descendants()
        .filter(|n| n.is(ns::XENC, "CipherValue"))
        .collect();
    let b64 = |n: Node<'_>| B64.decode(n.leaf_text().unwrap().trim()).unwrap();
    Floor {
        signatures,
        wk_key: w.wk_cert.public_key().unwrap().ec_key().unwrap(),
        point: b64(find(doc.root(), ns::DSIG11, "PublicKey")),
        other_info: other_info(
            params.attr("AlgorithmID").unwrap(),
            params.attr("PartyUInfo").unwrap(),
            params.attr("PartyVInfo").unwrap(),
            KdfEncoding::Wk,
        )
        .unwrap(),
        wrapped: b64(values[0]),
        cipher: b64(values[1]),
    }
}

/// One pass of the floor's cryptography.
pub fn run(f: &Floor, w: &world::World) -> Vec<u8> {
    for (content, signed_info, sig) in &f.signatures {
        black_box(sha256(black_box(content)));
        assert!(sig
            .verify(&sha256(black_box(signed_info)), &f.wk_key)
            .unwrap());
    }
    let z = ecdh_shared_secret(&w.enc_key, black_box(&f.point)).unwrap();
    let kek = concat_kdf(&z, &f.other_info, 32);
    let cek = aes_key_unwrap(&kek, &f.wrapped).unwrap();
    aes_gcm_decrypt(&cek, black_box(&f.cipher)).unwrap()
}
