//! Extensions of certificates and CRLs, read from their DER with [`super::der`]: the openssl
//! crate has no accessor for arbitrary extensions (qcStatements, certificatePolicies, the CRL's
//! issuingDistributionPoint), and walking the DER ourselves keeps this safe Rust.
//!
//! Every function fails closed: malformed DER, or an extension present twice (RFC 5280 §4.2
//! forbids it), gives `None`, and callers treat `None` as "fact not established".

use super::der::{self, Reader};

pub(crate) const QC_STATEMENTS: &str = "1.3.6.1.5.5.7.1.3";
pub(crate) const CERTIFICATE_POLICIES: &str = "2.5.29.32";
pub(crate) const BASIC_CONSTRAINTS: &str = "2.5.29.19";
pub(crate) const CRL_DISTRIBUTION_POINTS: &str = "2.5.29.31";
pub(crate) const ISSUING_DISTRIBUTION_POINT: &str = "2.5.29.28";

/// One extension: its OID (dotted), criticality, and the content of `extnValue`.
#[derive(Debug, Clone)]
pub(crate) struct Extension<'a> {
    pub oid: String,
    pub critical: bool,
    pub value: &'a [u8],
}

/// `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`, given the whole SEQUENCE TLV.
fn parse_extensions(extensions: &[u8]) -> Option<Vec<Extension<'_>>> {
    let mut list = Reader::new(der::single(extensions, der::SEQUENCE)?);
    let mut out: Vec<Extension<'_>> = Vec::new();
    while !list.is_empty() {
        let mut ext = Reader::new(list.expect(der::SEQUENCE)?);
        let oid = der::oid_to_string(ext.expect(der::OID)?)?;
        let critical = match ext.optional(der::BOOLEAN) {
            Some(b) => der::boolean(b.value)?,
            None => false,
        };
        let value = ext.expect(der::OCTET_STRING)?;
        ext.finish()?;
        if out.iter().any(|e| e.oid == oid) {
            return None;
        }
        out.push(Extension {
            oid,
            critical,
            value,
        });
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

/// What revocation checking needs from a CRL beyond what OpenSSL exposes.
#[derive(Debug)]
pub(crate) struct CrlFacts<'a> {
    /// The CRL's own extensions (`crlExtensions`).
    pub extensions: Vec<Extension<'a>>,
    /// Some revoked entry carries a critical entry extension (RFC 5280 §5.3: if it is not
    /// understood, the CRL must not be used at all; eidpl understands none).
    pub critical_entry_extension: bool,
}

fn is_time(tag: Option<u8>) -> bool {
    matches!(tag, Some(der::UTC_TIME | der::GENERALIZED_TIME))
}

/// Walks `CertificateList.tbsCertList`.
pub(crate) fn crl_facts(crl_der: &[u8]) -> Option<CrlFacts<'_>> {
    let mut crl = Reader::new(der::single(crl_der, der::SEQUENCE)?);
    let mut tbs = Reader::new(crl.expect(der::SEQUENCE)?);
    tbs.optional(der::INTEGER); // version
    tbs.expect(der::SEQUENCE)?; // signature
    tbs.expect(der::SEQUENCE)?; // issuer
    if !is_time(tbs.peek_tag()) {
        return None;
    }
    tbs.read()?; // thisUpdate
    if is_time(tbs.peek_tag()) {
        tbs.read()?; // nextUpdate
    }
    let mut critical_entry_extension = false;
    if let Some(revoked) = tbs.optional(der::SEQUENCE) {
        let mut entries = Reader::new(revoked.value);
        while !entries.is_empty() {
            let mut entry = Reader::new(entries.expect(der::SEQUENCE)?);
            entry.expect(der::INTEGER)?;
            if !is_time(entry.peek_tag()) {
                return None;
            }
            entry.read()?;
            if let Some(ext) = entry.optional(der::SEQUENCE) {
                critical_entry_extension |= parse_extensions(ext.raw)?.iter().any(|e| e.critical);
            }
            entry.finish()?;
        }
    }
    let extensions = match tbs.optional(der::CONTEXT_0) {
        Some(t) => parse_extensions(t.value)?,
        None => Vec::new(),
    };
    tbs.finish()?;
    Some(CrlFacts {
        extensions,
        critical_entry_extension,
    })
}

/// `basicConstraints.cA` (false when the extension is absent).
pub(crate) fn is_ca(extensions: &[Extension<'_>]) -> Option<bool> {
    let Some(ext) = find(extensions, BASIC_CONSTRAINTS) else {
        return Some(false);
    };
    let mut bc = Reader::new(der::single(ext.value, der::SEQUENCE)?);
    let ca = match bc.optional(der::BOOLEAN) {
        Some(b) => der::boolean(b.value)?,
        None => false,
    };
    bc.optional(der::INTEGER); // pathLenConstraint
    bc.finish()?;
    Some(ca)
}

/// The `GeneralName` TLVs of a `fullName` inside a `DistributionPointName` (`[0]` in the
/// CHOICE); `Ok(None)` for `nameRelativeToCRLIssuer`, which eidpl does not resolve.
fn full_names(dp_name: &[u8]) -> Option<Option<Vec<&[u8]>>> {
    let mut r = Reader::new(dp_name);
    let choice = r.read()?;
    r.finish()?;
    match choice.tag {
        der::CONTEXT_0 => {
            let mut names = Reader::new(choice.value);
            let mut out = Vec::new();
            while !names.is_empty() {
                out.push(names.read()?.raw);
            }
            Some(Some(out))
        }
        der::CONTEXT_1 => Some(None),
        _ => None,
    }
}

/// The fullName GeneralNames of every distribution point in the certificate's
/// cRLDistributionPoints that the CA itself serves (no `cRLIssuer`: indirect CRLs are not
/// supported). Empty when the extension is absent.
pub(crate) fn distribution_point_names<'a>(
    extensions: &'a [Extension<'a>],
) -> Option<Vec<&'a [u8]>> {
    let Some(ext) = find(extensions, CRL_DISTRIBUTION_POINTS) else {
        return Some(Vec::new());
    };
    let mut points = Reader::new(der::single(ext.value, der::SEQUENCE)?);
    let mut out = Vec::new();
    while !points.is_empty() {
        let mut dp = Reader::new(points.expect(der::SEQUENCE)?);
        let name = dp.optional(der::CONTEXT_0);
        dp.optional(0x81); // reasons
        let indirect = dp.optional(der::CONTEXT_2).is_some();
        dp.finish()?;
        if let (Some(name), false) = (name, indirect) {
            out.extend(full_names(name.value)?.unwrap_or_default());
        }
    }
    Some(out)
}

/// The parts of an issuingDistributionPoint that decide whether a CRL covers a certificate.
#[derive(Debug, Default)]
pub(crate) struct IssuingDistributionPoint<'a> {
    /// fullName GeneralNames; `None` when the IDP names no distribution point.
    pub names: Option<Vec<&'a [u8]>>,
    pub only_user_certs: bool,
    pub only_ca_certs: bool,
    /// onlySomeReasons, indirectCRL, onlyContainsAttributeCerts or a relative name: a CRL
    /// eidpl cannot prove complete for the certificate, so it is not used.
    pub unsupported: bool,
}

pub(crate) fn issuing_distribution_point(value: &[u8]) -> Option<IssuingDistributionPoint<'_>> {
    let mut r = Reader::new(der::single(value, der::SEQUENCE)?);
    let mut idp = IssuingDistributionPoint::default();
    while !r.is_empty() {
        let field = r.read()?;
        match field.tag {
            der::CONTEXT_0 => match full_names(field.value)? {
                Some(names) => idp.names = Some(names),
                None => idp.unsupported = true,
            },
            0x81 => idp.only_user_certs = der::boolean(field.value)?,
            0x82 => idp.only_ca_certs = der::boolean(field.value)?,
            0x83 => idp.unsupported = true,
            0x84 | 0x85 => idp.unsupported |= der::boolean(field.value)?,
            _ => return None,
        }
    }
    Some(idp)
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
        assert_eq!(list[0].oid, BASIC_CONSTRAINTS);
        assert!(list[0].critical);
        assert_eq!(is_ca(&list), Some(false));
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

    #[test]
    fn crl_entries_with_critical_extensions_are_flagged() {
        let time = tlv(der::UTC_TIME, b"260501000000Z");
        let entry_ext = tlv(
            der::SEQUENCE,
            &extension(29, true, &tlv(der::SEQUENCE, &[])),
        );
        let entry = tlv(
            der::SEQUENCE,
            &[tlv(der::INTEGER, &[5]), time.clone(), entry_ext].concat(),
        );
        let tbs = |entries: &[u8]| {
            let body = [
                tlv(der::INTEGER, &[1]),
                tlv(der::SEQUENCE, &[]),
                tlv(der::SEQUENCE, &[]),
                time.clone(),
                time.clone(),
                tlv(der::SEQUENCE, entries),
            ];
            let crl = [
                tlv(der::SEQUENCE, &body.concat()),
                tlv(der::SEQUENCE, &[]),
                tlv(3, &[0]),
            ];
            tlv(der::SEQUENCE, &crl.concat())
        };
        let with_entry = tbs(&entry);
        let facts = crl_facts(&with_entry).unwrap();
        assert!(facts.critical_entry_extension);
        assert!(facts.extensions.is_empty());
        let plain = tlv(
            der::SEQUENCE,
            &[tlv(der::INTEGER, &[5]), time.clone()].concat(),
        );
        assert!(!crl_facts(&tbs(&plain)).unwrap().critical_entry_extension);
        let no_time = tlv(der::SEQUENCE, &tlv(der::INTEGER, &[5]));
        assert!(crl_facts(&tbs(&no_time)).is_none());
    }

    #[test]
    fn distribution_points_skip_indirect_and_relative_names() {
        let uri = |u: &[u8]| tlv(0x86, u);
        let full = |u: &[u8]| tlv(der::CONTEXT_0, &tlv(der::CONTEXT_0, &uri(u)));
        let points = [
            tlv(der::SEQUENCE, &full(b"http://a")),
            tlv(
                der::SEQUENCE,
                &[full(b"http://b"), tlv(der::CONTEXT_2, &[])].concat(),
            ),
            tlv(
                der::SEQUENCE,
                &tlv(der::CONTEXT_0, &tlv(der::CONTEXT_1, &[])),
            ),
        ];
        let ext = extension(31, false, &tlv(der::SEQUENCE, &points.concat()));
        let seq = tlv(der::SEQUENCE, &ext);
        let list = parse_extensions(&seq).unwrap();
        let names = distribution_point_names(&list).unwrap();
        assert_eq!(names, [uri(b"http://a").as_slice()]);

        let idp_der = tlv(der::SEQUENCE, &full(b"http://a"));
        let idp = issuing_distribution_point(&idp_der).unwrap();
        assert_eq!(idp.names.unwrap(), [uri(b"http://a").as_slice()]);
        let relative = tlv(
            der::SEQUENCE,
            &tlv(der::CONTEXT_0, &tlv(der::CONTEXT_1, &[])),
        );
        assert!(issuing_distribution_point(&relative).unwrap().unsupported);
        let attr = tlv(der::SEQUENCE, &tlv(0x85, &[0xff]));
        assert!(issuing_distribution_point(&attr).unwrap().unsupported);
    }
}
