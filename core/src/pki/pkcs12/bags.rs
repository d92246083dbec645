//! Walks PFX → authSafe (data) → AuthenticatedSafe → ContentInfos → SafeBags without decrypting
//! anything: the caller decides what to do with the bags it is handed.

use crate::pki::der::{self, Reader};

const DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const BAG_PREFIX: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01];
const X509_CERTIFICATE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01];
/// safeContentsBag nesting allowed (real files use none).
const MAX_NESTING: usize = 4;

/// The outer layer: the authSafe octets (what the MAC covers) and the optional MacData.
pub(super) struct Pfx<'a> {
    pub auth_safe: &'a [u8],
    pub mac_data: Option<&'a [u8]>,
}

/// A private key as stored: `keyBag` (PrivateKeyInfo) or `pkcs8ShroudedKeyBag`
/// (EncryptedPrivateKeyInfo), each the full DER encoding.
pub(super) enum KeyBag<'a> {
    Plain(&'a [u8]),
    Shrouded(&'a [u8]),
}

/// Every bag found in the unencrypted (`data`) parts.
#[derive(Default)]
pub(super) struct Bags<'a> {
    pub keys: Vec<KeyBag<'a>>,
    /// DER certificates from x509Certificate certBags.
    pub certificates: Vec<&'a [u8]>,
    /// encryptedData / envelopedData ContentInfos left closed.
    pub skipped: usize,
}

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`
/// with authSafe of type `data` (public-key integrity mode is not supported).
pub(super) fn pfx(bytes: &[u8]) -> Option<Pfx<'_>> {
    let mut outer = Reader::new(bytes);
    let mut r = Reader::new(outer.expect(der::SEQUENCE)?);
    outer.finish()?;
    if der::small_uint(r.expect(der::INTEGER)?)? != 3 {
        return None;
    }
    let auth_safe = data_content(r.expect(der::SEQUENCE)?)?;
    let mac_data = if r.is_empty() {
        None
    } else {
        Some(r.expect(der::SEQUENCE)?)
    };
    r.finish()?;
    Some(Pfx {
        auth_safe,
        mac_data,
    })
}

/// The OCTET STRING inside a ContentInfo of type `data` (`content [0] EXPLICIT OCTET STRING`).
fn data_content(content_info: &[u8]) -> Option<&[u8]> {
    let mut r = Reader::new(content_info);
    if r.expect(der::OID)? != DATA {
        return None;
    }
    let mut explicit = Reader::new(r.expect(der::CONTEXT_0)?);
    r.finish()?;
    let octets = explicit.expect(der::OCTET_STRING)?;
    explicit.finish()?;
    Some(octets)
}

/// `AuthenticatedSafe ::= SEQUENCE OF ContentInfo`: SafeContents of the `data` entries are read;
/// encrypted entries are counted and skipped.
pub(super) fn authenticated_safe(auth_safe: &[u8]) -> Option<Bags<'_>> {
    let mut outer = Reader::new(auth_safe);
    let mut infos = Reader::new(outer.expect(der::SEQUENCE)?);
    outer.finish()?;
    let mut bags = Bags::default();
    while !infos.is_empty() {
        let info = infos.expect(der::SEQUENCE)?;
        let oid = Reader::new(info).expect(der::OID)?;
        if oid == DATA {
            safe_contents(data_content(info)?, &mut bags, 0)?;
        } else {
            bags.skipped += 1;
        }
    }
    Some(bags)
}

/// `SafeContents ::= SEQUENCE OF SafeBag`,
/// `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OPTIONAL }`.
fn safe_contents<'a>(bytes: &'a [u8], bags: &mut Bags<'a>, depth: usize) -> Option<()> {
    if depth > MAX_NESTING {
        return None;
    }
    let mut outer = Reader::new(bytes);
    let mut list = Reader::new(outer.expect(der::SEQUENCE)?);
    outer.finish()?;
    while !list.is_empty() {
        let mut bag = Reader::new(list.expect(der::SEQUENCE)?);
        let bag_id = bag.expect(der::OID)?;
        let mut explicit = Reader::new(bag.expect(der::CONTEXT_0)?);
        let value = explicit.read()?;
        explicit.finish()?;
        if !bag.is_empty() {
            bag.expect(der::SET)?;
        }
        bag.finish()?;
        match bag_id.strip_prefix(BAG_PREFIX) {
            Some([1]) => bags.keys.push(KeyBag::Plain(value.raw)),
            Some([2]) => bags.keys.push(KeyBag::Shrouded(value.raw)),
            Some([3]) => {
                if let Some(cert) = certificate(value)? {
                    bags.certificates.push(cert);
                }
            }
            Some([6]) => safe_contents(value.raw, bags, depth + 1)?,
            _ => {} // CRL and secret bags carry nothing we load
        }
    }
    Some(())
}

/// `CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING }`; only X.509.
fn certificate(value: der::Tlv<'_>) -> Option<Option<&[u8]>> {
    if value.tag != der::SEQUENCE {
        return None;
    }
    let mut r = Reader::new(value.value);
    let cert_id = r.expect(der::OID)?;
    let mut explicit = Reader::new(r.expect(der::CONTEXT_0)?);
    r.finish()?;
    let der = explicit.expect(der::OCTET_STRING)?;
    explicit.finish()?;
    Some((cert_id == X509_CERTIFICATE).then_some(der))
}
