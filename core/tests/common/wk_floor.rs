//! The crypto floor of one WK answer, shared by `benches/wk.rs`, `benches/dsig.rs`,
//! `examples/profile_wk_full.rs` and bench/rust's `bench_rust`: the cryptography the message
//! requires, with every key already loaded and every input already decoded: 2 ECDSA
//! verifications with their SHA-256 digests (of the signed content and of SignedInfo,
//! canonicalized once beforehand), 1 ECDH, ConcatKDF, AES key unwrap and AES-GCM.
#![allow(clippy::unwrap_used)]

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use eidpl::xml::{ns, C14nMethod, Document, Exclusion, Node, Selection};
use eidpl::xmlenc::{
    aes_gcm_decrypt, aes_key_unwrap, concat_kdf, ecdh_shared_secret, other_info, KdfEncoding,
};
use openssl::bn::BigNum;
use openssl::ec::EcKey;
use openssl::ecdsa::EcdsaSig;
use openssl::pkey::{PKey, Private, Public};
use openssl::sha::sha256;
use openssl::x509::X509;
use std::hint::black_box;

/// WK's InclusiveNamespaces PrefixList on both signed elements.
pub const WK_PREFIXES: [&str; 4] = ["ds", "saml2", "saml2p", "xenc"];

pub fn find<'a>(n: Node<'a>, uri: &str, local: &str) -> Node<'a> {
    n.descendants().find(|c| c.is(uri, local)).unwrap()
}

fn exclusive(prefixes: &[&str]) -> C14nMethod {
    C14nMethod::Exclusive {
        inclusive_prefixes: prefixes.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// The two signed elements of a WK answer: the ArtifactResponse and the Response inside it.
pub fn signed_elements(doc: &Document) -> [Node<'_>; 2] {
    let ar = find(doc.root(), ns::SAMLP, "ArtifactResponse");
    [ar, find(ar, ns::SAMLP, "Response")]
}

/// The decoded SignatureValue of a `ds:Signature`.
pub fn signature_value(sig: Node<'_>) -> Vec<u8> {
    B64.decode(
        find(sig, ns::DS, "SignatureValue")
            .leaf_text()
            .unwrap()
            .trim(),
    )
    .unwrap()
}

/// What verifying one enveloped ECDSA P-256 signature costs at least: the canonical content and
/// SignedInfo (made beforehand) hashed, and one verification.
pub struct SigFloor {
    content: Vec<u8>,
    signed_info: Vec<u8>,
    signature: EcdsaSig,
}

impl SigFloor {
    /// The floor of the signature enveloped in `el`, its content canonicalized with WK's
    /// PrefixList.
    pub fn new(doc: &Document, el: Node<'_>) -> SigFloor {
        let sig = el
            .child_elements()
            .find(|c| c.is(ns::DS, "Signature"))
            .unwrap();
        let si = find(sig, ns::DS, "SignedInfo");
        let raw = signature_value(sig);
        SigFloor {
            content: doc
                .canonicalize_to_vec(
                    Selection::Subtree(el),
                    Exclusion::Subtree(sig),
                    &exclusive(&WK_PREFIXES),
                )
                .unwrap(),
            signed_info: doc
                .canonicalize_to_vec(Selection::Subtree(si), Exclusion::Nothing, &exclusive(&[]))
                .unwrap(),
            // r‖s to the form OpenSSL verifies.
            signature: EcdsaSig::from_private_components(
                BigNum::from_slice(&raw[..32]).unwrap(),
                BigNum::from_slice(&raw[32..]).unwrap(),
            )
            .unwrap(),
        }
    }

    pub fn run(&self, key: &EcKey<Public>) {
        black_box(sha256(black_box(&self.content)));
        assert!(self
            .signature
            .verify(&sha256(black_box(&self.signed_info)), key)
            .unwrap());
    }
}

pub struct Floor {
    signatures: Vec<SigFloor>,
    wk_key: EcKey<Public>,
    point: Vec<u8>,
    other_info: Vec<u8>,
    wrapped: Vec<u8>,
    cipher: Vec<u8>,
}

/// The floor of the answer `doc`, signed under `wk_cert`.
pub fn floor(doc: &Document, wk_cert: &X509) -> Floor {
    let signatures = signed_elements(doc)
        .iter()
        .map(|&el| SigFloor::new(doc, el))
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
        wk_key: wk_cert.public_key().unwrap().ec_key().unwrap(),
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

/// The two signatures' part of the floor alone.
pub fn run_signatures(f: &Floor) {
    for s in &f.signatures {
        s.run(&f.wk_key);
    }
}

/// One pass of the floor's cryptography; `enc_key` is the service provider's decryption key.
pub fn run(f: &Floor, enc_key: &PKey<Private>) -> Vec<u8> {
    run_signatures(f);
    let z = ecdh_shared_secret(enc_key, black_box(&f.point)).unwrap();
    let kek = concat_kdf(&z, &f.other_info, 32);
    let cek = aes_key_unwrap(&kek, &f.wrapped).unwrap();
    aes_gcm_decrypt(&cek, black_box(&f.cipher)).unwrap()
}
