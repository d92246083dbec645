//! Facts about one certificate that signature classification and reports need: who it names
//! (organizationIdentifier, the PESEL in serialNumber), whether it is an EU qualified
//! certificate, its policies and key usage, and its serial number compared as an integer.
//!
//! Facts come from the DER: when a certificate does not parse, or an attribute the answer
//! depends on is present twice, the fact is "not established" (`None`, `false`, empty).

use super::ext;
use super::name::{attributes, decode_string};
use openssl::bn::BigNum;
use openssl::x509::{X509KeyUsage, X509NameRef, X509Ref};

/// id-etsi-qcs-QcCompliance (ETSI EN 319 412-5): the certificate is an EU qualified certificate.
pub const QC_COMPLIANCE: &str = "0.4.0.1862.1.1";
/// id-etsi-qcs-QcSSCD: the private key sits in a qualified signature/seal creation device.
pub const QC_SSCD: &str = "0.4.0.1862.1.4";
/// id-etsi-qcs-QcType: `esign` (…1.6.1), `eseal` (…1.6.2) or `web` (…1.6.3).
pub const QC_TYPE: &str = "0.4.0.1862.1.6";
/// QCP-l (ETSI EN 319 411-2): qualified certificate for a legal person — the PZ seal's policy.
pub const POLICY_QCP_L: &str = "0.4.0.194112.1.1";
/// QCP-n-qscd: qualified certificate for a natural person with the key on a QSCD.
pub const POLICY_QCP_N_QSCD: &str = "0.4.0.194112.1.2";

const ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
const SERIAL_NUMBER: &str = "2.5.4.5";

/// The text of the one attribute `oid` in a name; None when absent, repeated or not a string.
fn single_attribute(name: &X509NameRef, oid: &str) -> Option<String> {
    let der = name.to_der().ok()?;
    let attrs = attributes(&der)?;
    let mut matching = attrs.iter().filter(|(_, o, _)| o == oid);
    let (_, _, tlv) = matching.next()?;
    if matching.next().is_some() {
        return None;
    }
    decode_string(tlv.tag, tlv.value)
}

/// The subject's organizationIdentifier (2.5.4.97), e.g. `VATPL-5252955037` for the PZ seal.
/// None when absent or present more than once (an ambiguous subject proves nothing).
pub fn organization_identifier(cert: &X509Ref) -> Option<String> {
    single_attribute(cert.subject_name(), ORGANIZATION_IDENTIFIER)
}

/// The PESEL in the subject serialNumber (2.5.4.5): `PNOPL-<11 digits>` (ETSI EN 319 412-1
/// semantics identifier) or the legacy `PESEL:<11 digits>`. Returns the 11 digits only; the
/// check digit is the caller's policy ([`crate::pesel::parse`]).
pub fn pesel_from_subject(cert: &X509Ref) -> Option<String> {
    let value = single_attribute(cert.subject_name(), SERIAL_NUMBER)?;
    let digits = ["PNOPL-", "PESEL:"].iter().find_map(|prefix| {
        let head = value.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix)
            .then(|| value.get(prefix.len()..))
            .flatten()
    })?;
    (digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.to_owned())
}

fn qc_statements_of(cert: &X509Ref) -> Option<Vec<(String, Option<Vec<u8>>)>> {
    let der = cert.to_der().ok()?;
    let exts = ext::certificate_extensions(&der)?;
    let Some(qc) = ext::find(&exts, ext::QC_STATEMENTS) else {
        return Some(Vec::new());
    };
    let statements = ext::qc_statements(qc.value)?;
    Some(
        statements
            .into_iter()
            .map(|(id, info)| (id, info.map(<[u8]>::to_vec)))
            .collect(),
    )
}

/// The statement ids of the qcStatements extension (1.3.6.1.5.5.7.1.3), in order.
pub fn qc_statement_ids(cert: &X509Ref) -> Vec<String> {
    qc_statements_of(cert)
        .unwrap_or_default()
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// True when qcStatements contains QcCompliance: an EU qualified certificate (for a
/// signature or a seal — see [`qc_types`]). Whether it is trusted is the chain's business.
pub fn is_qualified(cert: &X509Ref) -> bool {
    qc_statement_ids(cert).iter().any(|id| id == QC_COMPLIANCE)
}

/// The QcType OIDs (`0.4.0.1862.1.6.1` esign, `.2` eseal, `.3` web); empty when absent.
pub fn qc_types(cert: &X509Ref) -> Vec<String> {
    let statements = qc_statements_of(cert).unwrap_or_default();
    let Some((_, Some(info))) = statements.iter().find(|(id, _)| id == QC_TYPE) else {
        return Vec::new();
    };
    ext::oid_sequence(info).unwrap_or_default()
}

/// The policy OIDs of certificatePolicies (2.5.29.32), in order; empty when absent.
pub fn certificate_policies(cert: &X509Ref) -> Vec<String> {
    let Ok(der) = cert.to_der() else {
        return Vec::new();
    };
    ext::certificate_extensions(&der)
        .and_then(|exts| ext::policy_oids(ext::find(&exts, ext::CERTIFICATE_POLICIES)?.value))
        .unwrap_or_default()
}

/// The keyUsage bits; None when the extension is absent.
pub fn key_usage(cert: &X509Ref) -> Option<X509KeyUsage> {
    cert.key_usage()
}

/// The keyUsage bits by their RFC 5280 names, for reports.
pub fn key_usage_names(cert: &X509Ref) -> Vec<&'static str> {
    let Some(bits) = cert.key_usage() else {
        return Vec::new();
    };
    [
        (X509KeyUsage::DIGITAL_SIGNATURE, "digitalSignature"),
        (X509KeyUsage::NON_REPUDIATION, "nonRepudiation"),
        (X509KeyUsage::KEY_ENCIPHERMENT, "keyEncipherment"),
        (X509KeyUsage::DATA_ENCIPHERMENT, "dataEncipherment"),
        (X509KeyUsage::KEY_AGREEMENT, "keyAgreement"),
        (X509KeyUsage::KEY_CERT_SIGN, "keyCertSign"),
        (X509KeyUsage::CRL_SIGN, "cRLSign"),
        (X509KeyUsage::ENCIPHER_ONLY, "encipherOnly"),
        (X509KeyUsage::DECIPHER_ONLY, "decipherOnly"),
    ]
    .into_iter()
    .filter(|(bit, _)| bits.contains(*bit))
    .map(|(_, name)| name)
    .collect()
}

fn name_line(name: &X509NameRef) -> String {
    name.entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?").to_owned();
            let value = e.data().to_string().unwrap_or_else(|_| "?".to_owned());
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A one-line subject for messages, in DER order: `C=PL, O=COI, CN=WK_SIG_EC`.
pub fn subject_line(cert: &X509Ref) -> String {
    name_line(cert.subject_name())
}

/// A one-line issuer for messages, in DER order.
pub fn issuer_line(cert: &X509Ref) -> String {
    name_line(cert.issuer_name())
}

/// The serial number in decimal, as XAdES `X509SerialNumber` writes it.
pub fn serial_decimal(cert: &X509Ref) -> String {
    cert.serial_number()
        .to_bn()
        .and_then(|bn| bn.to_dec_str().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Parses a serial number as producers write it: decimal (XAdES `X509SerialNumber`, the
/// normal case; digits only are always read as decimal), or hex with a `0x` prefix or with
/// `:`/space separated bytes or with at least one `a`–`f` digit.
fn parse_serial(text: &str) -> Option<BigNum> {
    let text = text.trim();
    if text.is_empty() || text.len() > 512 {
        return None;
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return BigNum::from_dec_str(text).ok();
    }
    let hex = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    let hex: String = hex.chars().filter(|c| !matches!(c, ':' | ' ')).collect();
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    BigNum::from_hex_str(&hex).ok()
}

/// True when `text` is this certificate's serial number, compared as a big integer (so leading
/// zeros and the decimal/hex spelling do not matter).
pub fn serial_matches(cert: &X509Ref, text: &str) -> bool {
    let (Some(given), Ok(actual)) = (parse_serial(text), cert.serial_number().to_bn()) else {
        return false;
    };
    given == actual
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_parse_in_every_spelling_and_reject_junk() {
        let n = |s: &str| parse_serial(s).map(|b| b.to_dec_str().unwrap().to_string());
        assert_eq!(n("1234").as_deref(), Some("1234"));
        assert_eq!(n(" 001234 ").as_deref(), Some("1234"));
        assert_eq!(n("0x04d2").as_deref(), Some("1234"));
        assert_eq!(n("04:d2").as_deref(), Some("1234"));
        assert_eq!(n("4D2").as_deref(), Some("1234"));
        assert_eq!(n("-5").as_deref(), Some("-5"));
        for bad in ["", "-", "0x", "12.5", "1e3x", "12 34z", &"9".repeat(600)] {
            assert!(parse_serial(bad).is_none(), "{bad}");
        }
    }
}
