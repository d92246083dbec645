//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

pub mod pki;
pub mod xmlenc;

use eidpl::dsig::TrustedKeys;
use std::path::PathBuf;

/// `../shared/interop/<rel>` relative to the project root (never copied into the project).
pub fn interop(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/interop")
        .join(rel)
}

pub fn read_interop(rel: &str) -> Vec<u8> {
    std::fs::read(interop(rel)).unwrap_or_else(|e| panic!("cannot read interop vector {rel}: {e}"))
}

/// Holds the Rust exclusive c14n to libxml2's on `doc` (parsed from `xml`): every element as
/// apex, a few exclusions, several PrefixLists. Each distinct input is checked once per test
/// binary, so suites can call this from their parse helpers.
pub fn c14n_differential_once(xml: &[u8], doc: &eidpl::xml::Document) {
    use std::collections::HashSet;
    use std::hash::{Hash, Hasher};
    use std::sync::Mutex;
    static SEEN: Mutex<Option<HashSet<u64>>> = Mutex::new(None);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    xml.hash(&mut h);
    if !SEEN
        .lock()
        .unwrap()
        .get_or_insert_with(HashSet::new)
        .insert(h.finish())
    {
        return;
    }
    if let Err(e) = eidpl::xml::c14n_differential(doc, 4) {
        panic!("{e}\n  document: {}", String::from_utf8_lossy(xml));
    }
}

pub fn pinned(rel: &str) -> TrustedKeys {
    TrustedKeys::from_pem(&read_interop(rel)).unwrap()
}

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::x509::{X509Builder, X509NameBuilder, X509};

/// A fresh P-256 key with a self-signed certificate `CN=<cn>`.
pub fn p256_with_cert(cn: &str) -> (PKey<Private>, X509) {
    let at = |s| eidpl::time::UtcTime::parse(s).unwrap();
    eidpl::pki::self_signed_p256_between(cn, at(CERT_NOT_BEFORE), at(CERT_NOT_AFTER)).unwrap()
}

/// The validity of every test certificate: fixed, around the fixed clocks of the tests (World's
/// 2026-11-24, TestPki's 2026-06-01), so no test depends on the day it runs.
pub const CERT_NOT_BEFORE: &str = "2020-01-01T00:00:00Z";
pub const CERT_NOT_AFTER: &str = "2040-01-01T00:00:00Z";

/// A self-signed certificate `CN=<cn>` for any key (RSA included), random serial.
pub fn self_signed(key: &PKey<Private>, cn: &str) -> X509 {
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", cn).unwrap();
    let name = name.build();
    let mut b = X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    let mut serial = BigNum::new().unwrap();
    serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    b.set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_not_before(&Asn1Time::from_str("20200101000000Z").unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_str("20400101000000Z").unwrap())
        .unwrap();
    b.set_pubkey(key).unwrap();
    b.sign(key, MessageDigest::sha256()).unwrap();
    b.build()
}

/// An unsigned AuthnRequest in the shape of the real 2025 request (namespaces on the root).
pub fn unsigned_authn_request(id: &str) -> String {
    format!(
        concat!(
            r#"<saml2p:AuthnRequest xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" "#,
            r#"xmlns:eidas="http://eidas.europa.eu/saml-extensions" xmlns:naturalperson="http://eidas.europa.eu/attributes/naturalperson" "#,
            r#"xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" "#,
            r#"AssertionConsumerServiceURL="https://gmina.example.pl/wk/acs" Destination="https://symulator.login.gov.pl/login/SingleSignOnService" "#,
            r#"ForceAuthn="true" ID="{id}" IssueInstant="2026-11-24T06:03:14Z" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" "#,
            r#"ProviderName="Gmina Żółć" Version="2.0"><saml2:Issuer>https://gmina.example.pl</saml2:Issuer>"#,
            r#"<saml2p:Extensions><eidas:SPType>public</eidas:SPType></saml2p:Extensions>"#,
            r#"<saml2p:NameIDPolicy AllowCreate="true" Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>"#,
            r#"</saml2p:AuthnRequest>"#
        ),
        id = id
    )
}
pub mod wk;
pub mod xades;
