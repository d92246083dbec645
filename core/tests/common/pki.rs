//! A deterministic test PKI shaped like the Polish qualified one: a root ("Test NCCert root"),
//! an intermediate ("Test Centrum Kwalifikowane EuroCert"), the PZ seal, a qualified person,
//! a plain advanced-signature certificate, and the bad cases (an impostor seal under an
//! untrusted root with the real root's name, expired, not yet valid, keyEncipherment only,
//! revoked) with CRLs. Validity windows are fixed around [`NOW`]; keys are fresh per process.

use eidpl::pki::TrustStore;
use eidpl::time::UtcTime;
use openssl::asn1::{Asn1Integer, Asn1Object, Asn1OctetString, Asn1Time};
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectKeyIdentifier,
};
use openssl::x509::{X509Builder, X509Crl, X509CrlBuilder, X509Extension, X509NameBuilder};
use openssl::x509::{X509RevokedBuilder, X509};
use std::sync::LazyLock;

/// The instant the tests treat as "now": every good certificate is valid then.
pub const NOW: &str = "2026-06-01T12:00:00Z";
/// A valid PESEL (check digit correct) for the qualified person.
pub const PERSON_PESEL: &str = "44051401359";
/// A valid PESEL in the legacy `PESEL:` form, on the advanced certificate.
pub const ADVANCED_PESEL: &str = "02070803628";
/// The seal's serial number in hex (big, as real QTSP serials are).
pub const SEAL_SERIAL_HEX: &str = "4e1f0a9c3b2d7e6f8a5b4c3d2e1f0a9b8c7d6e5f";
pub const SEAL_CN: &str = "Minister do spraw informatyzacji - pieczęć podpisu zaufanego";
pub const QCP_L: &str = "0.4.0.194112.1.1";
pub const QCP_N_QSCD: &str = "0.4.0.194112.1.2";
pub const CRL_URL: &str = "http://crl.test.invalid/eurocert.crl";

pub fn now() -> UtcTime {
    UtcTime::parse(NOW).unwrap()
}

pub fn at(s: &str) -> UtcTime {
    UtcTime::parse(s).unwrap()
}

/// A certificate with its private key.
#[derive(Clone)]
pub struct Issued {
    pub cert: X509,
    pub key: PKey<Private>,
}

/// DER TLV (any length).
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
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
    out.extend_from_slice(content);
    out
}

/// An OBJECT IDENTIFIER TLV.
pub fn oid(dotted: &str) -> Vec<u8> {
    tlv(0x06, Asn1Object::from_str(dotted).unwrap().as_slice())
}

/// An extension from its OID and DER value.
pub fn extension(id: &str, critical: bool, value: &[u8]) -> X509Extension {
    X509Extension::new_from_der(
        &Asn1Object::from_str(id).unwrap(),
        critical,
        &Asn1OctetString::new_from_bytes(value).unwrap(),
    )
    .unwrap()
}

/// qcStatements with these statement ids; QcType (…1.6) takes `qc_type` as its one type.
pub fn qc_statements_ext(ids: &[&str], qc_type: Option<&str>) -> X509Extension {
    let mut statements = Vec::new();
    for id in ids {
        statements.extend(tlv(0x30, &oid(id)));
    }
    if let Some(t) = qc_type {
        let info = tlv(0x30, &oid(t));
        statements.extend(tlv(0x30, &[oid("0.4.0.1862.1.6"), info].concat()));
    }
    extension("1.3.6.1.5.5.7.1.3", false, &tlv(0x30, &statements))
}

pub fn policies_ext(ids: &[&str]) -> X509Extension {
    let infos: Vec<u8> = ids.iter().flat_map(|id| tlv(0x30, &oid(id))).collect();
    extension("2.5.29.32", false, &tlv(0x30, &infos))
}

/// cRLDistributionPoints with one URI.
pub fn crl_dp_ext(uri: &str) -> X509Extension {
    let general_name = tlv(0x86, uri.as_bytes());
    let dp_name = tlv(0xa0, &tlv(0xa0, &general_name));
    extension("2.5.29.31", false, &tlv(0x30, &tlv(0x30, &dp_name)))
}

pub fn rsa(bits: u32) -> PKey<Private> {
    PKey::from_rsa(Rsa::generate(bits).unwrap()).unwrap()
}

pub fn p256() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

pub fn time(s: &str) -> Asn1Time {
    Asn1Time::from_str(s).unwrap()
}

/// What a certificate should look like; see [`CertSpec::issue`].
pub struct CertSpec {
    /// Subject attributes in DER order (most significant first), as OpenSSL names or OIDs.
    pub subject: Vec<(&'static str, String)>,
    pub serial_hex: String,
    pub not_before: &'static str,
    pub not_after: &'static str,
    pub ca: bool,
    pub key_usage: KeyUsage,
    pub extensions: Vec<X509Extension>,
    /// Add authorityKeyIdentifier (the normal case; off to forge issuer-name-only links).
    pub akid: bool,
}

impl CertSpec {
    pub fn leaf(subject: &[(&'static str, &str)], serial_hex: &str) -> CertSpec {
        let mut key_usage = KeyUsage::new();
        key_usage.critical().digital_signature().non_repudiation();
        CertSpec {
            subject: subject.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            serial_hex: serial_hex.to_owned(),
            not_before: "20240101000000Z",
            not_after: "20300101000000Z",
            ca: false,
            key_usage,
            extensions: Vec::new(),
            akid: true,
        }
    }

    pub fn ca(subject: &[(&'static str, &str)], serial_hex: &str) -> CertSpec {
        let mut spec = CertSpec::leaf(subject, serial_hex);
        spec.ca = true;
        spec.key_usage = KeyUsage::new();
        spec.key_usage.critical().key_cert_sign().crl_sign();
        spec
    }

    pub fn validity(mut self, not_before: &'static str, not_after: &'static str) -> CertSpec {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    pub fn with(mut self, ext: X509Extension) -> CertSpec {
        self.extensions.push(ext);
        self
    }

    /// Signs with `issuer` (None: self-signed with `key`).
    pub fn issue(self, key: PKey<Private>, issuer: Option<&Issued>) -> Issued {
        let mut name = X509NameBuilder::new().unwrap();
        for (k, v) in &self.subject {
            name.append_entry_by_text(k, v).unwrap();
        }
        let name = name.build();
        let mut b = X509Builder::new().unwrap();
        b.set_version(2).unwrap();
        let serial = BigNum::from_hex_str(&self.serial_hex).unwrap();
        b.set_serial_number(&Asn1Integer::from_bn(&serial).unwrap())
            .unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_issuer_name(issuer.map_or(&*name, |i| i.cert.subject_name()))
            .unwrap();
        b.set_not_before(&time(self.not_before)).unwrap();
        b.set_not_after(&time(self.not_after)).unwrap();
        b.set_pubkey(&key).unwrap();
        let mut bc = BasicConstraints::new();
        bc.critical();
        if self.ca {
            bc.ca();
        }
        b.append_extension(bc.build().unwrap()).unwrap();
        b.append_extension(self.key_usage.build().unwrap()).unwrap();
        let ski = SubjectKeyIdentifier::new()
            .build(&b.x509v3_context(None, None))
            .unwrap();
        b.append_extension(ski).unwrap();
        if let (Some(issuer), true) = (issuer, self.akid) {
            let akid = AuthorityKeyIdentifier::new()
                .keyid(true)
                .build(&b.x509v3_context(Some(&issuer.cert), None))
                .unwrap();
            b.append_extension(akid).unwrap();
        }
        for ext in self.extensions {
            b.append_extension(ext).unwrap();
        }
        let signer = issuer.map_or(&key, |i| &i.key);
        b.sign(signer, MessageDigest::sha256()).unwrap();
        Issued {
            cert: b.build(),
            key,
        }
    }
}

/// A CRL from `issuer` listing `revoked` (certificate, revocation time), with extra extensions.
pub fn crl(
    issuer: &Issued,
    this_update: &str,
    next_update: &str,
    revoked: &[(&X509, &str)],
    extensions: Vec<X509Extension>,
) -> X509Crl {
    let mut b = X509CrlBuilder::new().unwrap();
    b.set_issuer_name(issuer.cert.subject_name()).unwrap();
    b.set_last_update(&time(this_update)).unwrap();
    b.set_next_update(&time(next_update)).unwrap();
    for (cert, when) in revoked {
        let mut r = X509RevokedBuilder::new().unwrap();
        r.set_serial_number(cert.serial_number()).unwrap();
        r.set_revocation_date(&time(when)).unwrap();
        b.add_revoked(r.build()).unwrap();
    }
    // authorityKeyIdentifier = the issuer's subjectKeyIdentifier (the crate requires one).
    let ski = issuer.cert.subject_key_id().unwrap().as_slice();
    b.append_extension(extension("2.5.29.35", false, &tlv(0x30, &tlv(0x80, ski))))
        .unwrap();
    b.append_extension(extension("2.5.29.20", false, &tlv(0x02, &[1])))
        .unwrap();
    for ext in extensions {
        b.append_extension(ext).unwrap();
    }
    b.sort().unwrap();
    b.sign(&issuer.key, MessageDigest::sha256()).unwrap();
    b.build().unwrap()
}

pub const ROOT_DN: &[(&str, &str)] = &[("C", "PL"), ("O", "Test NBP"), ("CN", "Test NCCert root")];
pub const INTERMEDIATE_DN: &[(&str, &str)] = &[
    ("C", "PL"),
    ("organizationIdentifier", "VATPL-9512352379"),
    ("O", "EuroCert Sp. z o.o."),
    ("CN", "Test Centrum Kwalifikowane EuroCert"),
];
pub const SEAL_DN: &[(&str, &str)] = &[
    ("C", "PL"),
    ("organizationIdentifier", "VATPL-5252955037"),
    ("O", "Ministerstwo Cyfryzacji"),
    ("CN", SEAL_CN),
];

/// The whole test PKI. Build once per test binary with [`TestPki::shared`].
pub struct TestPki {
    pub root: Issued,
    pub intermediate: Issued,
    pub seal: Issued,
    pub person: Issued,
    pub advanced: Issued,
    pub fake_root: Issued,
    pub fake_seal: Issued,
    pub expired: Issued,
    pub not_yet_valid: Issued,
    pub key_encipherment_only: Issued,
    pub revoked: Issued,
    /// The intermediate's CRL (revokes `revoked`), current at [`NOW`].
    pub intermediate_crl: X509Crl,
    /// The root's CRL (revokes nothing), current at [`NOW`].
    pub root_crl: X509Crl,
}

static SHARED: LazyLock<TestPki> = LazyLock::new(TestPki::new);

impl TestPki {
    pub fn shared() -> &'static TestPki {
        &SHARED
    }

    pub fn new() -> TestPki {
        let root = CertSpec::ca(ROOT_DN, "01")
            .validity("20200101000000Z", "20450101000000Z")
            .issue(rsa(2048), None);
        let intermediate = CertSpec::ca(INTERMEDIATE_DN, "0a11")
            .validity("20210101000000Z", "20400101000000Z")
            .issue(rsa(2048), Some(&root));
        let seal = CertSpec::leaf(SEAL_DN, SEAL_SERIAL_HEX)
            .with(policies_ext(&[QCP_L]))
            .with(qc_statements_ext(
                &["0.4.0.1862.1.1", "0.4.0.1862.1.4"],
                Some("0.4.0.1862.1.6.2"),
            ))
            .with(crl_dp_ext(CRL_URL))
            .issue(rsa(2048), Some(&intermediate));
        let person_serial = format!("PNOPL-{PERSON_PESEL}");
        let person = CertSpec::leaf(
            &[
                ("C", "PL"),
                ("serialNumber", &person_serial),
                ("GN", "Jan"),
                ("SN", "Kowalski"),
                ("CN", "Jan Kowalski"),
            ],
            "1001",
        )
        .with(policies_ext(&[QCP_N_QSCD]))
        .with(qc_statements_ext(
            &["0.4.0.1862.1.1", "0.4.0.1862.1.4"],
            Some("0.4.0.1862.1.6.1"),
        ))
        .issue(p256(), Some(&intermediate));
        let advanced_serial = format!("PESEL:{ADVANCED_PESEL}");
        let advanced = CertSpec::leaf(
            &[
                ("C", "PL"),
                ("serialNumber", &advanced_serial),
                ("CN", "Anna Nowak"),
            ],
            "1002",
        )
        .issue(p256(), Some(&intermediate));
        // The impostor: a root with the real root's name but its own key, and under it a
        // certificate with exactly the seal's subject and policies.
        let fake_root = CertSpec::ca(ROOT_DN, "01")
            .validity("20200101000000Z", "20450101000000Z")
            .issue(rsa(2048), None);
        let fake_seal = CertSpec::leaf(SEAL_DN, SEAL_SERIAL_HEX)
            .with(policies_ext(&[QCP_L]))
            .with(qc_statements_ext(
                &["0.4.0.1862.1.1"],
                Some("0.4.0.1862.1.6.2"),
            ))
            .issue(rsa(2048), Some(&fake_root));
        let expired = CertSpec::leaf(&[("C", "PL"), ("CN", "Expired Signer")], "1003")
            .validity("20210601000000Z", "20230101000000Z")
            .issue(p256(), Some(&intermediate));
        let not_yet_valid = CertSpec::leaf(&[("C", "PL"), ("CN", "Future Signer")], "1004")
            .validity("20280101000000Z", "20320101000000Z")
            .issue(p256(), Some(&intermediate));
        let mut encipherment = CertSpec::leaf(&[("C", "PL"), ("CN", "Encryption Only")], "1005");
        encipherment.key_usage = KeyUsage::new();
        encipherment.key_usage.critical().key_encipherment();
        let key_encipherment_only = encipherment.issue(p256(), Some(&intermediate));
        let revoked = CertSpec::leaf(&[("C", "PL"), ("CN", "Revoked Signer")], "1006")
            .issue(p256(), Some(&intermediate));
        let intermediate_crl = crl(
            &intermediate,
            "20260501000000Z",
            "20260701000000Z",
            &[(&revoked.cert, "20250301000000Z")],
            Vec::new(),
        );
        let root_crl = crl(&root, "20260101000000Z", "20270101000000Z", &[], Vec::new());
        TestPki {
            root,
            intermediate,
            seal,
            person,
            advanced,
            fake_root,
            fake_seal,
            expired,
            not_yet_valid,
            key_encipherment_only,
            revoked,
            intermediate_crl,
            root_crl,
        }
    }

    pub fn anchors_pem(&self) -> Vec<u8> {
        self.root.cert.to_pem().unwrap()
    }

    pub fn intermediates_pem(&self) -> Vec<u8> {
        self.intermediate.cert.to_pem().unwrap()
    }

    /// Both CRLs in one PEM bundle.
    pub fn crls_pem(&self) -> Vec<u8> {
        [
            self.intermediate_crl.to_pem().unwrap(),
            self.root_crl.to_pem().unwrap(),
        ]
        .concat()
    }

    /// Anchors and intermediates, no CRLs.
    pub fn trust_store(&self) -> TrustStore {
        let mut store = TrustStore::new();
        store.add_anchors(&self.anchors_pem()).unwrap();
        store.add_intermediates(&self.intermediates_pem()).unwrap();
        store
    }

    /// Anchors, intermediates and both CRLs.
    pub fn trust_store_with_crls(&self) -> TrustStore {
        let mut store = self.trust_store();
        store.add_crls(&self.crls_pem()).unwrap();
        store
    }
}
