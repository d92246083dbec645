//! Distinguished names compared as ASN.1, not as text: XAdES `IssuerSerial` carries the issuer
//! as a string (RFC 4514, 2253 or 1779 style, depending on the producer), and the certificate
//! carries DER. Both sides are decoded to RDN sequences of (attribute OID, value) and values
//! are compared after decoding, per RFC 5280 §7.1 caseIgnoreMatch with insignificant spaces
//! folded. Unicode normalisation (RFC 4518 NFKC) is not applied: producers copy the UTF-8
//! bytes of the certificate, so it has not been needed.

mod parse;
#[cfg(test)]
mod tests;

use super::der::{self, Reader, Tlv};
use openssl::x509::X509NameRef;

/// An attribute value after decoding: folded text for the directory string types, the whole
/// DER TLV otherwise (compared byte for byte).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Text(String),
    Der(Vec<u8>),
}

/// One `AttributeTypeAndValue`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Ava {
    oid: String,
    value: Value,
}

/// A relative distinguished name: a set, kept sorted so that equal sets compare equal.
type Rdn = Vec<Ava>;

/// The text of a DER string type, or None for other types and malformed content. TeletexString
/// is read as Latin-1, as OpenSSL and most producers do.
pub(crate) fn decode_string(tag: u8, bytes: &[u8]) -> Option<String> {
    match tag {
        0x0c => String::from_utf8(bytes.to_vec()).ok(),
        // NumericString, PrintableString, IA5String, VisibleString: ASCII only.
        0x12 | 0x13 | 0x16 | 0x1a => bytes
            .is_ascii()
            .then(|| bytes.iter().map(|&b| char::from(b)).collect()),
        0x14 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        0x1e if bytes.len() % 2 == 0 => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        0x1c if bytes.len() % 4 == 0 => bytes
            .chunks_exact(4)
            .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        _ => None,
    }
}

/// caseIgnoreMatch with insignificant space handling: no leading or trailing space, every run
/// of white space one space, case folded.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .flat_map(char::to_lowercase)
        .collect()
}

fn value_of(tlv: Tlv<'_>) -> Value {
    match decode_string(tlv.tag, tlv.value) {
        Some(text) => Value::Text(fold(&text)),
        None => Value::Der(tlv.raw.to_vec()),
    }
}

/// Every attribute of a DER `Name` in order, with its RDN index: `(rdn, oid, value TLV)`.
pub(crate) fn attributes(name_der: &[u8]) -> Option<Vec<(usize, String, Tlv<'_>)>> {
    let mut rdns = Reader::new(der::single(name_der, der::SEQUENCE)?);
    let mut out = Vec::new();
    let mut index = 0;
    while !rdns.is_empty() {
        let mut set = Reader::new(rdns.expect(der::SET)?);
        if set.is_empty() {
            return None;
        }
        while !set.is_empty() {
            let mut ava = Reader::new(set.expect(der::SEQUENCE)?);
            let oid = der::oid_to_string(ava.expect(der::OID)?)?;
            let value = ava.read()?;
            ava.finish()?;
            out.push((index, oid, value));
        }
        index += 1;
    }
    Some(out)
}

/// The RDN sequence of a DER name, most significant RDN first (DER order).
fn rdns_from_der(name_der: &[u8]) -> Option<Vec<Rdn>> {
    let mut rdns: Vec<Rdn> = Vec::new();
    for (index, oid, tlv) in attributes(name_der)? {
        if rdns.len() <= index {
            rdns.push(Vec::new());
        }
        rdns.last_mut()?.push(Ava {
            oid,
            value: value_of(tlv),
        });
    }
    for rdn in &mut rdns {
        rdn.sort();
    }
    Some(rdns)
}

/// True when `text` names the same distinguished name as `name`.
///
/// `text` is a distinguished name as XAdES producers write it: RFC 4514/2253 (`,` or `;`
/// between RDNs, `+` inside a multi-valued RDN, `\`-escapes including hex pairs such as
/// `\c4\99`, `#`-prefixed DER values), RFC 1779 quoting and spaces around separators, attribute
/// types as short names (`CN`, `O`, `OU`, `C`, `L`, `ST`/`S`, `SERIALNUMBER`, `E`, …), dotted
/// OIDs and `OID.`-prefixed OIDs. The RDNs are compared in reverse written order (RFC 4514
/// writes the last RDN first) and, failing that, in written order, because producers differ.
/// Every RDN must match: an extra, missing or different attribute is a mismatch, and so is
/// text that does not parse.
///
/// ```
/// use eidpl::pki::name_matches;
/// use openssl::x509::X509Name;
/// let mut b = X509Name::builder().unwrap();
/// b.append_entry_by_text("C", "PL").unwrap();
/// b.append_entry_by_text("O", "Ministerstwo Cyfryzacji").unwrap();
/// let name = b.build();
/// assert!(name_matches(&name, "O=Ministerstwo Cyfryzacji, C=PL"));
/// assert!(name_matches(&name, "c=pl,o=MINISTERSTWO  CYFRYZACJI"));
/// assert!(!name_matches(&name, "O=Ministerstwo Cyfryzacji"));
/// ```
pub fn name_matches(name: &X509NameRef, text: &str) -> bool {
    let Ok(name_der) = name.to_der() else {
        return false;
    };
    let (Some(expected), Some(mut given)) = (rdns_from_der(&name_der), parse::parse(text)) else {
        return false;
    };
    for rdn in &mut given {
        rdn.sort();
    }
    if given.iter().rev().eq(expected.iter()) {
        return true;
    }
    given == expected
}
