//! Chain validation against caller-supplied anchors, and certificate facts, on the generated
//! test PKI (tests/common/pki.rs). Revocation has its own file, pki_revocation.rs.
#![allow(clippy::unwrap_used)]

mod common;

use common::pki::*;
use eidpl::pki::*;
use eidpl::ErrorCode;
use openssl::bn::BigNum;
use openssl::x509::X509;

fn check(store: &TrustStore, leaf: &X509, extra: &[X509], when: &str) -> ChainOutcome {
    store.verify_chain(
        leaf,
        extra,
        at(when),
        RequiredUsage::NonRepudiationOrDigitalSignature,
    )
}

fn subjects(outcome: &ChainOutcome) -> Vec<String> {
    outcome.chain.iter().map(|c| subject_line(c)).collect()
}

#[test]
fn seal_person_and_advanced_chain_to_the_anchor_inside_their_validity() {
    let pki = TestPki::shared();
    let store = pki.trust_store();
    for leaf in [&pki.seal, &pki.person, &pki.advanced] {
        let out = check(&store, &leaf.cert, &[], NOW);
        assert_eq!(out.status, ChainStatus::Valid, "{}", out.detail);
        assert!(out.is_valid());
        assert_eq!(out.chain.len(), 3);
        assert_eq!(out.chain[0], leaf.cert);
        assert_eq!(out.chain[2], pki.root.cert);
        assert!(!out.revocation_checked);
        assert!(
            out.detail.contains("revocation not checked"),
            "{}",
            out.detail
        );
        assert_eq!(out.etsi_sub_indication(), None);
        assert_eq!(out.status.etsi_indication(), None);
    }
    let seal = check(&store, &pki.seal.cert, &[], NOW);
    assert!(subjects(&seal)[1].contains("Test Centrum Kwalifikowane EuroCert"));
}

// attack: rule-4
#[test]
fn an_empty_store_finds_no_chain_never_valid() {
    let pki = TestPki::shared();
    let store = TrustStore::new();
    assert!(store.is_empty());
    let out = check(
        &store,
        &pki.seal.cert,
        std::slice::from_ref(&pki.intermediate.cert),
        NOW,
    );
    assert_eq!(out.status, ChainStatus::NoChainFound);
    assert_eq!(
        out.etsi_sub_indication(),
        Some("NO_CERTIFICATE_CHAIN_FOUND")
    );
    assert_eq!(out.status.etsi_indication(), Some("INDETERMINATE"));
    // Intermediates alone are never anchors either.
    let mut only_intermediates = TrustStore::new();
    only_intermediates
        .add_intermediates(&pki.intermediates_pem())
        .unwrap();
    assert!(only_intermediates.is_empty());
    let out = check(&only_intermediates, &pki.seal.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::NoChainFound);
}

#[test]
fn a_missing_anchor_is_no_chain_found() {
    let pki = TestPki::shared();
    let mut store = TrustStore::new();
    store
        .add_anchors(&pki.fake_root.cert.to_pem().unwrap())
        .unwrap();
    store.add_intermediates(&pki.intermediates_pem()).unwrap();
    let out = check(&store, &pki.seal.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::NoChainFound, "{}", out.detail);
}

#[test]
fn the_intermediate_from_key_info_completes_the_chain() {
    let pki = TestPki::shared();
    let mut store = TrustStore::new();
    store.add_anchors(&pki.anchors_pem()).unwrap();
    let out = check(&store, &pki.seal.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::NoChainFound, "{}", out.detail);
    // As a PZ XAdES carries it: the seal and its CA in KeyInfo.
    let key_info = [pki.seal.cert.clone(), pki.intermediate.cert.clone()];
    let out = check(&store, &pki.seal.cert, &key_info, NOW);
    assert_eq!(out.status, ChainStatus::Valid, "{}", out.detail);
    assert_eq!(out.chain.len(), 3);
}

#[test]
fn an_intermediate_configured_as_anchor_is_trusted_as_is() {
    let pki = TestPki::shared();
    let mut store = TrustStore::new();
    store.add_anchors(&pki.intermediates_pem()).unwrap();
    let out = check(&store, &pki.seal.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::Valid, "{}", out.detail);
    assert_eq!(out.chain.len(), 2);
}

// attack: pz-non-seal, rule-4
#[test]
fn a_fake_seal_with_the_real_subject_under_a_lookalike_root_finds_no_chain() {
    let pki = TestPki::shared();
    let store = pki.trust_store();
    assert_eq!(
        pki.fake_seal.cert.subject_name().to_der().unwrap(),
        pki.seal.cert.subject_name().to_der().unwrap()
    );
    for extra in [
        vec![],
        vec![pki.fake_root.cert.clone()],
        vec![pki.fake_root.cert.clone(), pki.intermediate.cert.clone()],
    ] {
        let out = check(&store, &pki.fake_seal.cert, &extra, NOW);
        assert_eq!(out.status, ChainStatus::NoChainFound, "{}", out.detail);
    }
}

// attack: rule-4
#[test]
fn a_certificate_naming_the_real_issuer_but_signed_by_another_key_finds_no_chain() {
    let pki = TestPki::shared();
    // The attacker copies the intermediate's name (no authorityKeyIdentifier to tell them
    // apart) and signs with their own key.
    let impostor = Issued {
        cert: pki.intermediate.cert.clone(),
        key: rsa(2048),
    };
    let mut spec = CertSpec::leaf(SEAL_DN, SEAL_SERIAL_HEX);
    spec.akid = false;
    let forged = spec.issue(rsa(2048), Some(&impostor));
    let out = check(&pki.trust_store(), &forged.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::NoChainFound, "{}", out.detail);
}

#[test]
fn validity_periods_are_checked_at_the_given_time() {
    let pki = TestPki::shared();
    let store = pki.trust_store();
    let out = check(&store, &pki.expired.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::Expired, "{}", out.detail);
    assert_eq!(out.failed_index, Some(0));
    assert_eq!(out.etsi_sub_indication(), Some("OUT_OF_BOUNDS_NO_POE"));
    // The same certificate was fine while it was valid.
    assert!(check(&store, &pki.expired.cert, &[], "2022-06-01T00:00:00Z").is_valid());

    let out = check(&store, &pki.not_yet_valid.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::NotYetValid, "{}", out.detail);
    assert_eq!(out.etsi_sub_indication(), Some("NOT_YET_VALID"));
    assert_eq!(out.status.etsi_indication(), Some("TOTAL_FAILED"));
    assert!(check(&store, &pki.not_yet_valid.cert, &[], "2029-01-01T00:00:00Z").is_valid());

    // The seal itself, one second outside its window on either side.
    let out = check(&store, &pki.seal.cert, &[], "2030-01-01T00:00:01Z");
    assert_eq!(out.status, ChainStatus::Expired, "{}", out.detail);
    let out = check(&store, &pki.seal.cert, &[], "2023-12-31T23:59:59Z");
    assert_eq!(out.status, ChainStatus::NotYetValid, "{}", out.detail);
    assert!(check(&store, &pki.seal.cert, &[], "2024-01-01T00:00:00Z").is_valid());
}

#[test]
fn a_signing_certificate_needs_digital_signature_or_non_repudiation() {
    let pki = TestPki::shared();
    let store = pki.trust_store();
    let out = check(&store, &pki.key_encipherment_only.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::KeyUsage, "{}", out.detail);
    assert_eq!(out.etsi_sub_indication(), Some("SIG_CONSTRAINTS_FAILURE"));
    assert_eq!(out.chain.len(), 3, "the chain itself was built");
    let any = store.verify_chain(
        &pki.key_encipherment_only.cert,
        &[],
        now(),
        RequiredUsage::Any,
    );
    assert_eq!(any.status, ChainStatus::Valid, "{}", any.detail);
    // A CA certificate used as a signing certificate: keyCertSign only.
    let out = check(&store, &pki.intermediate.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::KeyUsage, "{}", out.detail);
}

#[test]
fn a_small_rsa_key_is_a_weak_algorithm() {
    let pki = TestPki::shared();
    let weak = CertSpec::leaf(&[("C", "PL"), ("CN", "Weak Key")], "2001")
        .issue(rsa(1024), Some(&pki.intermediate));
    let out = check(&pki.trust_store(), &weak.cert, &[], NOW);
    assert_eq!(out.status, ChainStatus::WeakAlgorithm, "{}", out.detail);
    assert_eq!(
        out.etsi_sub_indication(),
        Some("CRYPTO_CONSTRAINTS_FAILURE_NO_POE")
    );
}

#[test]
fn loading_counts_new_certificates_and_rejects_garbage() {
    let pki = TestPki::shared();
    let mut store = TrustStore::new();
    let both = [pki.anchors_pem(), pki.fake_root.cert.to_pem().unwrap()].concat();
    assert_eq!(store.add_anchors(&both).unwrap(), 2);
    assert_eq!(
        store.add_anchors(&pki.root.cert.to_der().unwrap()).unwrap(),
        0
    );
    assert_eq!(store.anchors().len(), 2);
    assert_eq!(
        store.add_anchors(b"not a certificate").unwrap_err().code(),
        ErrorCode::KeyInvalid
    );
    assert_eq!(
        store.add_intermediates(b"").unwrap_err().code(),
        ErrorCode::KeyInvalid
    );
    assert_eq!(
        store.add_crls(b"junk").unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    let truncated = b"-----BEGIN X509 CRL-----\nMIIB\n";
    assert_eq!(
        store.add_crls(truncated).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    assert_eq!(store.add_crls(&pki.crls_pem()).unwrap(), 2);
    assert_eq!(store.add_crls(&pki.root_crl.to_der().unwrap()).unwrap(), 1);
}

#[test]
fn anchors_load_from_files() {
    let pki = TestPki::shared();
    let dir = std::env::temp_dir().join(format!("eidpl-pki-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = dir.join("root.pem");
    let der = dir.join("root.der");
    std::fs::write(&pem, pki.anchors_pem()).unwrap();
    std::fs::write(&der, pki.root.cert.to_der().unwrap()).unwrap();
    let store = TrustStore::from_pem_files(&[&pem, &der]).unwrap();
    assert_eq!(store.anchors().len(), 1);
    let out = check(
        &store,
        &pki.seal.cert,
        std::slice::from_ref(&pki.intermediate.cert),
        NOW,
    );
    assert!(out.is_valid(), "{}", out.detail);
    let missing = TrustStore::from_pem_files(&[dir.join("missing.pem")]).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::IoError);
    assert!(missing.details().contains_key("path"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_store_serves_many_threads() {
    fn send_sync_clone<T: Send + Sync + Clone>() {}
    send_sync_clone::<TrustStore>();
    let pki = TestPki::shared();
    let store = pki.trust_store_with_crls();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..10 {
                    assert!(check(&store, &pki.seal.cert, &[], NOW).is_valid());
                    assert_eq!(
                        check(&store, &pki.revoked.cert, &[], NOW).status,
                        ChainStatus::Revoked
                    );
                }
            });
        }
    });
}

#[test]
fn certificate_facts_of_the_generated_certificates() {
    let pki = TestPki::shared();
    let (seal, person, advanced) = (&pki.seal.cert, &pki.person.cert, &pki.advanced.cert);
    assert_eq!(
        organization_identifier(seal).as_deref(),
        Some("VATPL-5252955037")
    );
    assert_eq!(
        organization_identifier(&pki.intermediate.cert).as_deref(),
        Some("VATPL-9512352379")
    );
    assert_eq!(organization_identifier(person), None);

    assert_eq!(pesel_from_subject(person).as_deref(), Some(PERSON_PESEL));
    assert_eq!(
        pesel_from_subject(advanced).as_deref(),
        Some(ADVANCED_PESEL)
    );
    assert_eq!(pesel_from_subject(seal), None);

    assert!(is_qualified(seal) && is_qualified(person));
    assert!(!is_qualified(advanced) && !is_qualified(&pki.root.cert));
    // A QcCompliance claim alone is no trust: the impostor claims it too.
    assert!(is_qualified(&pki.fake_seal.cert));
    assert_eq!(qc_types(seal), ["0.4.0.1862.1.6.2"]);
    assert_eq!(qc_types(person), ["0.4.0.1862.1.6.1"]);
    assert!(qc_statement_ids(person).contains(&QC_SSCD.to_owned()));
    assert!(qc_types(advanced).is_empty());

    assert_eq!(certificate_policies(seal), [POLICY_QCP_L]);
    assert_eq!(certificate_policies(person), [POLICY_QCP_N_QSCD]);
    assert!(certificate_policies(advanced).is_empty());

    assert_eq!(
        key_usage_names(seal),
        ["digitalSignature", "nonRepudiation"]
    );
    assert_eq!(
        key_usage_names(&pki.key_encipherment_only.cert),
        ["keyEncipherment"]
    );
    assert!(key_usage(seal).is_some());

    let decimal = BigNum::from_hex_str(SEAL_SERIAL_HEX)
        .unwrap()
        .to_dec_str()
        .unwrap()
        .to_string();
    assert_eq!(serial_decimal(seal), decimal);
    assert!(serial_matches(seal, &decimal));
    assert!(serial_matches(seal, &format!("0x{SEAL_SERIAL_HEX}")));
    assert!(serial_matches(seal, &format!("00{decimal}")));
    assert!(!serial_matches(seal, "4112"));
    assert!(!serial_matches(person, &decimal));
    assert_eq!(serial_decimal(person), "4097");

    assert!(name_matches(
        seal.issuer_name(),
        "CN=Test Centrum Kwalifikowane EuroCert, O=EuroCert Sp. z o.o., 2.5.4.97=VATPL-9512352379, C=PL"
    ));
    assert!(!name_matches(
        seal.issuer_name(),
        "CN=Test Centrum Kwalifikowane EuroCert, O=EuroCert Sp. z o.o., C=PL"
    ));
    assert!(name_matches(
        seal.subject_name(),
        &format!("CN={SEAL_CN}, O=Ministerstwo Cyfryzacji, 2.5.4.97=VATPL-5252955037, C=PL")
    ));
    assert!(issuer_line(seal).contains("CN=Test Centrum Kwalifikowane EuroCert"));
    assert!(subject_line(seal).contains(SEAL_CN));
}
