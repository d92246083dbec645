//! Extensions of certificates and CRLs, read from their DER with [`super::der`]: the openssl
//! crate has no accessor for arbitrary extensions (qcStatements, certificatePolicies, the CRL's
//! issuingDistributionPoint), and walking the DER ourselves keeps this safe Rust.
//!
//! Every function fails closed: malformed DER, or an extension present twice (RFC 5280 §4.2
//! forbids it), gives `None`, and callers treat `None` as "fact not established".

use super::der::{self, Reader};

pub(crate) const QC_STATEMENTS: &str = "1.3.6.1.5.5.7.1.3";
pub(crate) const CERTIFICATE_POLICIES: &str = "2.5.29.32";

/// One extension: its OID (dotted) and the content of `extnValue`.
#[derive(Debug, Clone)]
pub(crate) struct Extension<'a> {
    pub oid: String,
    pub value: &'a [u8],
}

/// `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`, given the whole SEQUENCE TLV.
fn parse_extensions(extensions: &[u8]) -> Option<Vec<Extension<'_>>> {
    let mut list = Reader::new(der::single(extensions, der::SEQUENCE)?);
    let mut out: Vec<Extension<'_>> = Vec::new();
    while !list.is_empty() {
        let mut ext = Reader::new(list.expect(der::SEQUENCE)?);
        let oid = der::oid_to_string(ext.expect(der::OID)?)?;
        if let Some(b) = ext.optional(der::BOOLEAN) {
            der::boolean(b.value)?; // critical: DER allows only 0x00 / 0xff
        }
        let value = ext.expect(der::OCTET_STRING)?;
        ext.finish()?;
        if out.iter().any(|e| e.oid == oid) {
            return None;
        }
        out.push(Extension { oid, value });
    }
    Some(out)
}

/// The extensions of a DER certificate (empty for a v1 certificate).
pub(crate) fn certificate_extensions(cert_der: &[u8]) -> Option<Vec<Extension<'_>>> {
    let mut cert = Reader::new(der::single(cert_der, der::SEQUENCE)?);
    let mut tbs = Reader::new(cert.expect(der::SEQUENCE)?);
    tbs.optional(der::CONTEXT_0); // version
    tbs.expect(der::INTEGER)?; // serialNumber
    for _ in 0..5 {
        tbs.expect(der::SEQUENCE)?; // signature, issuer, validity, subject, subjectPublicKeyInfo
    }
    tbs.optional(0x81); // issuerUniqueID
    tbs.optional(0x82); // subjectUniqueID
    let extensions = match tbs.optional(der::CONTEXT_3) {
        Some(t) => parse_extensions(t.value)?,
        None => Vec::new(),
    };
    tbs.finish()?;
    Some(extensions)
}

/// The extension with `oid`, if present.
pub(crate) fn find<'a>(extensions: &'a [Extension<'a>], oid: &str) -> Option<&'a Extension<'a>> {
    extensions.iter().find(|e| e.oid == oid)
}

/// The OIDs in a certificatePolicies value (`SEQUENCE OF PolicyInformation`).
pub(crate) fn policy_oids(value: &[u8]) -> Option<Vec<String>> {
    let mut list = Reader::new(der::single(value, der::SEQUENCE)?);
    let mut out = Vec::new();
    while !list.is_empty() {
        let mut info = Reader::new(list.expect(der::SEQUENCE)?);
        out.push(der::oid_to_string(info.expect(der::OID)?)?);
        if !info.is_empty() {
            info.expect(der::SEQUENCE)?; // policyQualifiers
        }
        info.finish()?;
    }
    Some(out)
}

/// A statement id and its statementInfo TLV.
pub(crate) type QcStatement<'a> = (String, Option<&'a [u8]>);

/// The statement ids in a qcStatements value, with each statement's info TLV (if any):
/// `QCStatement ::= SEQUENCE { statementId OID, statementInfo ANY OPTIONAL }`.
pub(crate) fn qc_statements(value: &[u8]) -> Option<Vec<QcStatement<'_>>> {
    let mut list = Reader::new(der::single(value, der::SEQUENCE)?);
    let mut out = Vec::new();
    while !list.is_empty() {
        let mut statement = Reader::new(list.expect(der::SEQUENCE)?);
        let id = der::oid_to_string(statement.expect(der::OID)?)?;
        let info = if statement.is_empty() {
            None
        } else {
            Some(statement.read()?.raw)
        };
        statement.finish()?;
        out.push((id, info));
    }
    Some(out)
}

/// `SEQUENCE OF OBJECT IDENTIFIER` (QcType), given the whole SEQUENCE TLV.
pub(crate) fn oid_sequence(tlv: &[u8]) -> Option<Vec<String>> {
    let mut list = Reader::new(der::single(tlv, der::SEQUENCE)?);
    let mut out = Vec::new();
    while !list.is_empty() {
        out.push(der::oid_to_string(list.expect(der::OID)?)?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, u8::try_from(content.len()).unwrap()];
        out.extend_from_slice(content);
        out
    }

    /// `Extension` with a one-arc-pair OID `2.5.29.<arc>`.
    fn extension(arc: u8, critical: bool, value: &[u8]) -> Vec<u8> {
        let crit = if critical {
            tlv(der::BOOLEAN, &[0xff])
        } else {
            vec![]
        };
        let body = [
            tlv(der::OID, &[0x55, 0x1d, arc]),
            crit,
            tlv(der::OCTET_STRING, value),
        ];
        tlv(der::SEQUENCE, &body.concat())
    }

    #[test]
    fn duplicate_or_malformed_extensions_fail_closed() {
        let one = extension(19, true, &tlv(der::SEQUENCE, &[]));
        let seq = tlv(der::SEQUENCE, &one);
        let list = parse_extensions(&seq).unwrap();
        assert_eq!(list[0].oid, "2.5.29.19");
        assert!(parse_extensions(&tlv(der::SEQUENCE, &[one.clone(), one].concat())).is_none());
        // criticality FALSE encoded as 0x01 is not DER.
        let odd = tlv(
            der::SEQUENCE,
            &[
                tlv(der::OID, &[0x55, 0x1d, 19]),
                tlv(der::BOOLEAN, &[1]),
                tlv(4, &[]),
            ]
            .concat(),
        );
        assert!(parse_extensions(&tlv(der::SEQUENCE, &odd)).is_none());
        assert!(certificate_extensions(&[0x30, 0x00]).is_none());
    }
}
