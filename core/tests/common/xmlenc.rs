//! Helpers for the XML Encryption tests: keys from the interop p12s, the EncryptedData of a
//! parsed message, and a SAML-like wrapper that declares WK's prefixes.

use super::read_interop;
use eidpl::pki::load_pkcs12;
use eidpl::xml::{ns, Document, Node, ParseOptions};
use eidpl::xmlenc::{decrypt_element, DecryptionPolicy, KdfEncoding};
use eidpl::Result;
use openssl::pkey::{PKey, Private};
use std::sync::OnceLock;

pub const WK_2018_ISSUER: &str = "localhost.wk.gov.pl";
pub const WK_2018_SP: &str = "http://localhost.sp.pl";

/// The DU encryption key of the 2018 simulator message (loaded once: 100 000 MAC iterations).
pub fn du_key() -> PKey<Private> {
    static KEY: OnceLock<PKey<Private>> = OnceLock::new();
    KEY.get_or_init(|| {
        load_pkcs12(&read_interop("wk-simulator-2018/du_enc_ec.p12"), "12345")
            .unwrap()
            .key
    })
    .clone()
}

/// The W3C xmlenc11 key for `curve` = "P256" | "P384" | "P521".
pub fn w3c_key(curve: &str) -> PKey<Private> {
    let rel = format!("w3c-xmlenc11-ecdh-es/EC-{curve}_SHA256WithECDSA-orig.p12");
    load_pkcs12(&read_interop(&rel), "passwd").unwrap().key
}

pub fn fresh_key(nid: openssl::nid::Nid) -> PKey<Private> {
    let group = openssl::ec::EcGroup::from_curve_name(nid).unwrap();
    PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap()).unwrap()
}

pub fn public(key: &PKey<Private>) -> PKey<openssl::pkey::Public> {
    PKey::public_key_from_der(&key.public_key_to_der().unwrap()).unwrap()
}

pub fn wk_2018_policy() -> DecryptionPolicy<'static> {
    DecryptionPolicy {
        encoding: KdfEncoding::Wk,
        party_u: Some(WK_2018_ISSUER),
        party_v: Some(WK_2018_SP),
    }
}

/// The first `xenc:EncryptedData` in the document.
pub fn encrypted_data(doc: &Document) -> Node<'_> {
    doc.root()
        .descendants()
        .find(|n| n.is(ns::XENC, "EncryptedData"))
        .expect("an EncryptedData element")
}

/// Parses `xml` (which must be well-formed) and decrypts its first EncryptedData.
pub fn decrypt_xml(
    xml: &[u8],
    keys: &[PKey<Private>],
    policy: &DecryptionPolicy<'_>,
) -> Result<Vec<u8>> {
    let doc = Document::parse(xml, &ParseOptions::saml()).unwrap();
    decrypt_element(encrypted_data(&doc), keys, policy)
}

/// An EncryptedAssertion declaring the prefixes WK declares on its ArtifactResponse.
pub fn in_assertion(fragment: &str) -> String {
    format!(
        concat!(
            r#"<saml2:EncryptedAssertion xmlns:saml2="{}" xmlns:xenc="{}" xmlns:ds="{}" "#,
            r#"xmlns:xenc11="{}" xmlns:dsig11="{}">{}</saml2:EncryptedAssertion>"#
        ),
        ns::SAML,
        ns::XENC,
        ns::DS,
        ns::XENC11,
        ns::DSIG11,
        fragment
    )
}

/// The `<xenc:EncryptedData …>…</xenc:EncryptedData>` substring of a serialized message.
pub fn encrypted_data_text(xml: &str) -> &str {
    let start = xml.find("<xenc:EncryptedData").unwrap();
    let end = xml.find("</xenc:EncryptedData>").unwrap() + "</xenc:EncryptedData>".len();
    &xml[start..end]
}

pub fn hex_sha256(bytes: &[u8]) -> String {
    openssl::sha::sha256(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
