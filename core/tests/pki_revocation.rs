//! Revocation from caller-supplied CRLs: a revoked signer is never valid, and a CRL that cannot
//! be proven complete and authentic for a certificate gives "unknown", never "good".
#![allow(clippy::unwrap_used)]

mod common;

use common::pki::*;
use eidpl::pki::*;
use openssl::x509::{X509Crl, X509};

fn store_with(crls: &[&X509Crl]) -> TrustStore {
    let mut store = TestPki::shared().trust_store();
    for crl in crls {
        store.add_crls(&crl.to_pem().unwrap()).unwrap();
    }
    store
}

fn check(store: &TrustStore, leaf: &X509, when: &str) -> ChainOutcome {
    store.verify_chain(
        leaf,
        &[],
        at(when),
        RequiredUsage::NonRepudiationOrDigitalSignature,
    )
}

/// The intermediate's CRL with these extensions (revoking `revoked` as the real one does).
fn intermediate_crl(extensions: Vec<openssl::x509::X509Extension>) -> X509Crl {
    let pki = TestPki::shared();
    crl(
        &pki.intermediate,
        "20260501000000Z",
        "20260701000000Z",
        &[(&pki.revoked.cert, "20250301000000Z")],
        extensions,
    )
}

fn idp(fields: &[Vec<u8>]) -> openssl::x509::X509Extension {
    extension("2.5.29.28", true, &tlv(0x30, &fields.concat()))
}

fn idp_uri(uri: &str) -> Vec<u8> {
    tlv(0xa0, &tlv(0xa0, &tlv(0x86, uri.as_bytes())))
}

fn assert_unknown(out: &ChainOutcome, index: usize, why: &str) {
    assert_eq!(out.status, ChainStatus::RevocationUnknown, "{}", out.detail);
    assert_eq!(out.failed_index, Some(index), "{}", out.detail);
    assert!(!out.revocation_checked);
    assert_eq!(out.etsi_sub_indication(), Some("TRY_LATER"));
    assert!(out.detail.contains(why), "{} lacks {why}", out.detail);
}

#[test]
fn a_revoked_signer_is_revoked_when_crls_are_supplied() {
    let pki = TestPki::shared();
    let out = check(&pki.trust_store_with_crls(), &pki.revoked.cert, NOW);
    assert_eq!(out.status, ChainStatus::Revoked, "{}", out.detail);
    assert_eq!(out.failed_index, Some(0));
    assert!(out.revocation_checked);
    assert_eq!(out.etsi_sub_indication(), Some("REVOKED_NO_POE"));
    assert!(out.detail.contains("Revoked Signer"), "{}", out.detail);
    assert!(
        out.detail.contains("revoked on 2025-03-01T00:00:00Z"),
        "{}",
        out.detail
    );
}

#[test]
fn without_crls_the_same_signer_is_valid_but_revocation_is_not_checked() {
    let pki = TestPki::shared();
    let out = check(&pki.trust_store(), &pki.revoked.cert, NOW);
    assert_eq!(out.status, ChainStatus::Valid, "{}", out.detail);
    assert!(!out.revocation_checked);
}

#[test]
fn good_certificates_are_checked_and_valid() {
    let pki = TestPki::shared();
    let store = pki.trust_store_with_crls();
    for leaf in [&pki.seal, &pki.person, &pki.advanced] {
        let out = check(&store, &leaf.cert, NOW);
        assert_eq!(out.status, ChainStatus::Valid, "{}", out.detail);
        assert!(out.revocation_checked);
    }
}

#[test]
fn every_certificate_below_the_anchor_needs_a_crl() {
    let pki = TestPki::shared();
    let out = check(&store_with(&[&pki.intermediate_crl]), &pki.seal.cert, NOW);
    assert_unknown(&out, 1, "no CRL from its issuer");
    let out = check(&store_with(&[&pki.root_crl]), &pki.seal.cert, NOW);
    assert_unknown(&out, 0, "no CRL from its issuer");
}

#[test]
fn a_crl_outside_its_validity_is_not_used() {
    let pki = TestPki::shared();
    let store = pki.trust_store_with_crls();
    assert_unknown(
        &check(&store, &pki.seal.cert, "2026-08-01T00:00:00Z"),
        0,
        "expired",
    );
    assert_unknown(
        &check(&store, &pki.seal.cert, "2026-04-01T00:00:00Z"),
        0,
        "issued after",
    );
}

#[test]
fn a_crl_signed_by_another_key_is_not_used() {
    let pki = TestPki::shared();
    let impostor = Issued {
        cert: pki.intermediate.cert.clone(),
        key: rsa(2048),
    };
    // An empty CRL in the intermediate's name would "un-revoke" everything if trusted.
    let forged = crl(
        &impostor,
        "20260501000000Z",
        "20260701000000Z",
        &[],
        Vec::new(),
    );
    let store = store_with(&[&forged, &pki.root_crl]);
    assert_unknown(&check(&store, &pki.revoked.cert, NOW), 0, "signature");
    // Next to the genuine CRL, the forged one changes nothing.
    let store = store_with(&[&forged, &pki.intermediate_crl, &pki.root_crl]);
    assert_eq!(
        check(&store, &pki.revoked.cert, NOW).status,
        ChainStatus::Revoked
    );
}

#[test]
fn a_revoked_intermediate_revokes_the_chain() {
    let pki = TestPki::shared();
    let root_crl = crl(
        &pki.root,
        "20260101000000Z",
        "20270101000000Z",
        &[(&pki.intermediate.cert, "20260301000000Z")],
        Vec::new(),
    );
    let out = check(
        &store_with(&[&pki.intermediate_crl, &root_crl]),
        &pki.seal.cert,
        NOW,
    );
    assert_eq!(out.status, ChainStatus::Revoked, "{}", out.detail);
    assert_eq!(out.failed_index, Some(1));
    assert_eq!(out.etsi_sub_indication(), Some("REVOKED_CA_NO_POE"));
    assert_eq!(out.status.etsi_sub_indication(), Some("REVOKED_NO_POE"));
}

#[test]
fn a_partitioned_crl_covers_only_its_distribution_point() {
    let pki = TestPki::shared();
    let own = intermediate_crl(vec![idp(&[idp_uri(CRL_URL)])]);
    let store = store_with(&[&own, &pki.root_crl]);
    let out = check(&store, &pki.seal.cert, NOW);
    assert_eq!(out.status, ChainStatus::Valid, "{}", out.detail);
    assert!(out.revocation_checked);
    // The revoked certificate names no distribution point: this partition is not its CRL.
    assert_unknown(&check(&store, &pki.revoked.cert, NOW), 0, "partition");

    let other = intermediate_crl(vec![idp(&[idp_uri("http://crl.test.invalid/other.crl")])]);
    let store = store_with(&[&other, &pki.root_crl]);
    assert_unknown(&check(&store, &pki.seal.cert, NOW), 0, "partition");
}

#[test]
fn crl_scope_flags_are_honoured() {
    let pki = TestPki::shared();
    let user_only = intermediate_crl(vec![idp(&[tlv(0x81, &[0xff])])]);
    let out = check(
        &store_with(&[&user_only, &pki.root_crl]),
        &pki.revoked.cert,
        NOW,
    );
    assert_eq!(out.status, ChainStatus::Revoked, "{}", out.detail);

    let ca_only = intermediate_crl(vec![idp(&[tlv(0x82, &[0xff])])]);
    let store = store_with(&[&ca_only, &pki.root_crl]);
    assert_unknown(&check(&store, &pki.revoked.cert, NOW), 0, "only CA");

    // A user-only CRL from the root says nothing about the intermediate (a CA).
    let root_user_only = crl(
        &pki.root,
        "20260101000000Z",
        "20270101000000Z",
        &[],
        vec![idp(&[tlv(0x81, &[0xff])])],
    );
    let store = store_with(&[&pki.intermediate_crl, &root_user_only]);
    assert_unknown(&check(&store, &pki.seal.cert, NOW), 1, "only end-entity");

    for (field, why) in [
        (tlv(0x83, &[0x07, 0x80]), "partial or indirect"),
        (tlv(0x84, &[0xff]), "partial or indirect"),
        (tlv(0x99, &[0x00]), "malformed"),
    ] {
        let odd = intermediate_crl(vec![idp(&[field])]);
        let store = store_with(&[&odd, &pki.root_crl]);
        assert_unknown(&check(&store, &pki.revoked.cert, NOW), 0, why);
    }
}

#[test]
fn delta_crls_and_unknown_critical_extensions_are_not_used() {
    let pki = TestPki::shared();
    let delta = intermediate_crl(vec![extension("2.5.29.27", true, &tlv(0x02, &[1]))]);
    let store = store_with(&[&delta, &pki.root_crl]);
    assert_unknown(&check(&store, &pki.seal.cert, NOW), 0, "delta");

    let odd = intermediate_crl(vec![extension(
        "1.3.6.1.4.1.99999.1",
        true,
        &tlv(0x05, &[]),
    )]);
    let store = store_with(&[&odd, &pki.root_crl]);
    assert_unknown(&check(&store, &pki.seal.cert, NOW), 0, "critical");

    // Unknown non-critical extensions are fine.
    let fine = intermediate_crl(vec![extension(
        "1.3.6.1.4.1.99999.1",
        false,
        &tlv(0x05, &[]),
    )]);
    let out = check(&store_with(&[&fine, &pki.root_crl]), &pki.seal.cert, NOW);
    assert_eq!(out.status, ChainStatus::Valid, "{}", out.detail);
}

#[test]
fn a_crl_from_a_ca_not_allowed_to_sign_crls_is_not_used() {
    let pki = TestPki::shared();
    let mut spec = CertSpec::ca(&[("C", "PL"), ("CN", "Test CA without cRLSign")], "0a12");
    spec.key_usage = openssl::x509::extension::KeyUsage::new();
    spec.key_usage.critical().key_cert_sign();
    let ca = spec.issue(p256(), Some(&pki.root));
    let leaf = CertSpec::leaf(&[("C", "PL"), ("CN", "Signer")], "3001").issue(p256(), Some(&ca));
    let ca_crl = crl(&ca, "20260501000000Z", "20260701000000Z", &[], Vec::new());
    let mut store = store_with(&[&ca_crl, &pki.root_crl]);
    store.add_intermediates(&ca.cert.to_pem().unwrap()).unwrap();
    assert_unknown(&check(&store, &leaf.cert, NOW), 0, "cRLSign");
}
