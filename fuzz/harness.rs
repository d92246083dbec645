//! What each fuzz target runs, shared with `core/tests/fuzz_regressions.rs` so a crash found by
//! the fuzzer is replayed through exactly the same code path. The keys are the fixed ones in
//! `fixtures/` (the seed corpora are generated for them).
#![allow(dead_code, clippy::unwrap_used)]

use eidpl::pki::TrustStore;
use eidpl::time::UtcTime;
use eidpl::wk::{Expected, ReplayStore, ServiceProvider, Settings};
use eidpl::xml::{ns, C14nMethod, Document, Exclusion, ParseOptions, Selection};
use eidpl::xmlenc::{decrypt_element, DecryptionPolicy, KdfEncoding};
use openssl::pkey::{PKey, Private};
use std::sync::Arc;

pub const WK_ISSUER: &str = "int.login.gov.pl";
pub const SP_ENTITY: &str = "https://gmina.example.pl";
pub const ACS: &str = "https://gmina.example.pl/wk/acs";
pub const AUTHN_ID: &str = "ID-11111111-2222-4333-8444-555555555555";
pub const RESOLVE_ID: &str = "ID-66666666-7777-4888-9999-000000000000";
/// Five seconds after the generated answers were issued.
pub const WK_NOW: &str = "2026-11-24T10:00:05.123Z";
/// When every certificate of the test PKI is valid and its CRLs current.
pub const PKI_NOW: &str = "2026-06-01T12:00:00Z";

/// Runs the c14n differential (Rust exclusive c14n against libxml2's) only on documents this
/// small: it canonicalizes once per element and prefix list.
const DIFFERENTIAL_MAX_ELEMENTS: usize = 24;

fn pem(name: &str) -> &'static [u8] {
    match name {
        "wk_sig_cert" => include_bytes!("fixtures/wk_sig_cert.pem"),
        "sp_sig_key" => include_bytes!("fixtures/sp_sig_key.pem"),
        "sp_sig_cert" => include_bytes!("fixtures/sp_sig_cert.pem"),
        "sp_enc_key" => include_bytes!("fixtures/sp_enc_key.pem"),
        "sp_enc_cert" => include_bytes!("fixtures/sp_enc_cert.pem"),
        "root_cert" => include_bytes!("fixtures/root_cert.pem"),
        "intermediate_cert" => include_bytes!("fixtures/intermediate_cert.pem"),
        "crls" => include_bytes!("fixtures/crls.pem"),
        _ => panic!("no fixture {name}"),
    }
}

fn text(name: &str) -> &'static str {
    std::str::from_utf8(pem(name)).unwrap()
}

/// `parse`: the hardened parser with the SAML profile, then a walk of every node and the c14n
/// forms signatures use (small documents also through the c14n differential: a difference
/// panics, that is a finding); the document profile (other limits and ID attributes) is parsed
/// too and, when the SAML one refused the input, walked and canonicalized instead.
pub fn parse(data: &[u8]) -> bool {
    let saml = Document::parse(data, &ParseOptions::saml());
    let document = Document::parse(data, &ParseOptions::document());
    let parsed = saml.is_ok() || document.is_ok();
    if let Some(doc) = saml.as_ref().ok().or(document.as_ref().ok()) {
        exercise(doc);
    }
    if let (Ok(_), Ok(doc)) = (&saml, &document) {
        for n in doc.root().descendants() {
            if let Some(id) = n.attr("ID").or(n.attr("Id")) {
                let _ = doc.element_by_id(id);
            }
        }
    }
    parsed
}

fn exercise(doc: &Document) {
    let mut elements = 0;
    for n in doc.root().descendants() {
        elements += usize::from(n.is_element());
        let _ = (n.qualified_name(), n.namespace(), n.line(), n.leaf_text());
        let _ = n.attributes().map(|a| a.value.len()).sum::<usize>();
        let _ = n.namespace_declarations().count();
        if let Some(id) = n.attr("ID").or(n.attr("Id")) {
            let _ = doc.element_by_id(id);
        }
    }
    let exclusive = C14nMethod::Exclusive {
        inclusive_prefixes: vec![],
    };
    let _ = doc.canonicalize_to_vec(
        Selection::Document,
        Exclusion::Nothing,
        &C14nMethod::Inclusive,
    );
    let _ = doc.canonicalize_to_vec(Selection::Document, Exclusion::AllSignatures, &exclusive);
    if elements <= DIFFERENTIAL_MAX_ELEMENTS {
        if let Err(e) = eidpl::xml::c14n_differential(doc, 2) {
            panic!("c14n differs from libxml2's: {e}");
        }
    }
}

/// Remembers nothing: every execution sees a fresh SP, so the fuzzer stays deterministic.
struct AcceptAll;

impl ReplayStore for AcceptAll {
    fn insert_once(&self, _: &str, _: UtcTime, _: UtcTime) -> eidpl::Result<bool> {
        Ok(true)
    }
}

/// `wk_response`: the service provider of the generated WK world.
pub struct Wk {
    sp: ServiceProvider,
    now: UtcTime,
}

impl Wk {
    pub fn new() -> Wk {
        let settings = serde_json::json!({
            "sp": {
                "entity_id": SP_ENTITY,
                "acs_url": ACS,
                "provider_name": "Gmina Example",
                "sp_type": "public",
                "signing_key": text("sp_sig_key"),
                "signing_cert": text("sp_sig_cert"),
                "encryption_keys": [text("sp_enc_key")],
                "encryption_certs": [text("sp_enc_cert")],
            },
            "idp": {
                "environment": "integration",
                "signing_certs": [text("wk_sig_cert")],
            },
        });
        let sp = ServiceProvider::new(Settings::from_value(&settings, None).unwrap())
            .unwrap()
            .with_replay_store(Arc::new(AcceptAll));
        Wk {
            sp,
            now: UtcTime::parse(WK_NOW).unwrap(),
        }
    }

    /// Validates `data` as WK's answer to our AuthnRequest/ArtifactResolve; true if accepted.
    pub fn run(&self, data: &[u8]) -> bool {
        let expected = Expected {
            authn_request_id: AUTHN_ID,
            artifact_resolve_id: Some(RESOLVE_ID),
            now: Some(self.now),
            minimum_loa: None,
        };
        match self.sp.validate_artifact_response(data, &expected) {
            Ok(result) => {
                let _ = result.to_json();
                true
            }
            Err(e) => {
                let _ = e.to_string();
                false
            }
        }
    }
}

/// `decrypt`: the first EncryptedData of a SAML-parsed message, with the SP's key under WK's
/// policy and with the W3C interop keys under the XML Encryption 1.1 encoding.
pub struct Decrypt {
    sp: Vec<PKey<Private>>,
    w3c: Vec<PKey<Private>>,
}

impl Decrypt {
    pub fn new() -> Decrypt {
        let interop = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/interop");
        let w3c = ["P256", "P384", "P521"]
            .iter()
            .map(|curve| {
                let path =
                    format!("{interop}/w3c-xmlenc11-ecdh-es/EC-{curve}_SHA256WithECDSA-orig.p12");
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
                eidpl::pki::load_pkcs12(&bytes, "passwd").unwrap().key
            })
            .collect();
        Decrypt {
            sp: vec![PKey::private_key_from_pem(pem("sp_enc_key")).unwrap()],
            w3c,
        }
    }

    /// True if either key set opened it (the plaintext is then parsed as WK's would be).
    pub fn run(&self, data: &[u8]) -> bool {
        let Ok(doc) = Document::parse(data, &ParseOptions::saml()) else {
            return false;
        };
        let Some(encrypted) = doc
            .root()
            .descendants()
            .find(|n| n.is(ns::XENC, "EncryptedData"))
        else {
            return false;
        };
        let wk = DecryptionPolicy {
            encoding: KdfEncoding::Wk,
            party_u: Some(WK_ISSUER),
            party_v: Some(SP_ENTITY),
        };
        let w3c = DecryptionPolicy {
            encoding: KdfEncoding::Xmlenc11,
            party_u: None,
            party_v: None,
        };
        let mut opened = false;
        for (keys, policy) in [(&self.sp, &wk), (&self.w3c, &w3c)] {
            if let Ok(plaintext) = decrypt_element(encrypted, keys, policy) {
                opened = true;
                let _ = Document::parse(&plaintext, &ParseOptions::saml());
            }
        }
        opened
    }
}

/// `xades_verify`: every signature of a document against the test PKI (anchors, intermediate,
/// CRLs) at a time when all of it is valid.
pub struct Xades {
    options: eidpl::xades::VerifyOptions,
}

impl Xades {
    pub fn new() -> Xades {
        let mut trust = TrustStore::new();
        trust.add_anchors(pem("root_cert")).unwrap();
        trust.add_intermediates(pem("intermediate_cert")).unwrap();
        trust.add_crls(pem("crls")).unwrap();
        Xades {
            options: eidpl::xades::VerifyOptions {
                trust,
                now: Some(UtcTime::parse(PKI_NOW).unwrap()),
                ..Default::default()
            },
        }
    }

    /// True if the document got a report whose verdict is `valid`.
    pub fn run(&self, data: &[u8]) -> bool {
        match eidpl::xades::verify_document(data, &self.options) {
            Ok(report) => {
                let _ = report.to_json();
                report.verdict == eidpl::xades::Verdict::Valid
            }
            Err(_) => false,
        }
    }
}
