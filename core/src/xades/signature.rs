//! One XAdES signature, in the order of PZ-PROFILE.md: structure, signing certificate
//! identification, references and SignatureValue, algorithm policy, chain, claimed time, then
//! the kind (PZ only under the seal, by policy) and the identity from the digested properties.

use super::properties::{self, Malformed, Properties, SIGNED_PROPERTIES_TYPES};
use super::report::{Indication, Kind, SignatureReport, Signer, Warning};
use super::VerifyOptions;
use crate::dsig::{verify_signature, DetachedData, Profile, ReferenceTarget, TrustedKeys};
use crate::error::{Error, ErrorCode};
use crate::pki::{self, ChainStatus, RequiredUsage};
use crate::pz;
use crate::time::UtcTime;
use crate::xml::{ns, Document, Node};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use openssl::hash::MessageDigest;
use openssl::x509::X509;

/// The first failure decides; a proven failure outranks an indeterminate one.
struct Outcome {
    failed: Option<(String, String)>,
    indeterminate: Option<(String, String)>,
}

impl Outcome {
    fn new() -> Self {
        Outcome {
            failed: None,
            indeterminate: None,
        }
    }
    fn fail(&mut self, sub: &str, why: impl Into<String>) {
        self.failed.get_or_insert((sub.to_owned(), why.into()));
    }
    fn indeterminate(&mut self, sub: &str, why: impl Into<String>) {
        self.indeterminate
            .get_or_insert((sub.to_owned(), why.into()));
    }
    fn finish(self) -> (Indication, Option<String>, Option<String>) {
        match (self.failed, self.indeterminate) {
            (Some((s, m)), _) => (Indication::TotalFailed, Some(s), Some(m)),
            (None, Some((s, m))) => (Indication::Indeterminate, Some(s), Some(m)),
            (None, None) => (Indication::TotalPassed, None, None),
        }
    }
}

fn key_info_certificates(signature: Node<'_>) -> Vec<X509> {
    signature
        .child_elements()
        .filter(|c| c.is(ns::DS, "KeyInfo"))
        .flat_map(|k| k.child_elements())
        .filter(|d| d.is(ns::DS, "X509Data"))
        .flat_map(|d| d.child_elements())
        .filter(|c| c.is(ns::DS, "X509Certificate"))
        .filter_map(|c| c.leaf_text())
        .filter_map(|t| B64.decode(t.replace(char::is_whitespace, "")).ok())
        .filter_map(|der| X509::from_der(&der).ok())
        .collect()
}

fn digest_of(uri: &str) -> Option<MessageDigest> {
    match uri {
        "http://www.w3.org/2000/09/xmldsig#sha1" => Some(MessageDigest::sha1()),
        "http://www.w3.org/2001/04/xmlenc#sha256" => Some(MessageDigest::sha256()),
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => Some(MessageDigest::sha384()),
        "http://www.w3.org/2001/04/xmlenc#sha512" => Some(MessageDigest::sha512()),
        _ => None,
    }
}

/// [ISC] The KeyInfo certificate whose digest is in SigningCertificate, with a matching
/// IssuerSerial when one is given.
fn signing_certificate(
    props: &Properties<'_>,
    candidates: &[X509],
    warnings: &mut Vec<Warning>,
) -> Option<X509> {
    for r in &props.certs {
        let Some(md) = digest_of(&r.digest_algorithm) else {
            continue;
        };
        for cert in candidates {
            let Ok(der) = cert.to_der() else { continue };
            let Ok(d) = openssl::hash::hash(md, &der) else {
                continue;
            };
            if d.as_ref() != r.digest.as_slice() {
                continue;
            }
            let issuer_ok = r
                .issuer_name
                .as_deref()
                .is_none_or(|name| pki::name_matches(cert.issuer_name(), name));
            let serial_ok = r
                .serial
                .as_deref()
                .is_none_or(|s| pki::serial_matches(cert, s));
            if issuer_ok && serial_ok {
                if r.digest_algorithm.ends_with("#sha1") {
                    warnings.push(Warning::new(
                        "sha1_cert_digest",
                        "SigningCertificate identifies the certificate with SHA-1",
                    ));
                }
                return Some(cert.clone());
            }
        }
    }
    None
}

fn signer(cert: &X509) -> Signer {
    Signer {
        subject: pki::subject_line(cert),
        issuer: pki::issuer_line(cert),
        serial: pki::serial_decimal(cert),
        organization_identifier: pki::organization_identifier(cert),
        pesel: pki::pesel_from_subject(cert),
    }
}

/// Maps a verification error to ETSI terms.
fn classify_error(e: &Error, o: &mut Outcome) {
    let why = e.message().to_owned();
    match e.code() {
        ErrorCode::DigestMismatch => o.fail("HASH_FAILURE", why),
        ErrorCode::SignatureInvalid => o.fail("SIG_CRYPTO_FAILURE", why),
        ErrorCode::AlgorithmNotAllowed
            if matches!(
                e.details().get("kind").and_then(|k| k.as_str()),
                Some("digest" | "signature")
            ) =>
        {
            o.indeterminate("CRYPTO_CONSTRAINTS_FAILURE_NO_POE", why)
        }
        ErrorCode::KeyInvalid => o.indeterminate("CRYPTO_CONSTRAINTS_FAILURE_NO_POE", why),
        // An external URI whose bytes the caller did not give: the data is missing, not wrong.
        ErrorCode::ReferenceInvalid
            if e.details()
                .get("uri")
                .and_then(|u| u.as_str())
                .is_some_and(|u| !u.is_empty() && u != "(absent)" && !u.starts_with('#')) =>
        {
            o.indeterminate("SIGNED_DATA_NOT_FOUND", why)
        }
        _ => o.fail("FORMAT_FAILURE", why),
    }
}

fn time_window(cert: &X509, at: UtcTime) -> Option<&'static str> {
    let t = openssl::asn1::Asn1Time::from_unix(at.unix_seconds()).ok()?;
    if cert.not_before() > t {
        Some("NOT_YET_VALID")
    } else if cert.not_after() < t {
        Some("EXPIRED")
    } else {
        None
    }
}

/// Verifies `signature` and its counter-signatures.
pub(crate) fn verify(
    doc: &Document,
    signature: Node<'_>,
    options: &VerifyOptions,
    detached: &[DetachedData<'_>],
    now: UtcTime,
) -> SignatureReport {
    let mut o = Outcome::new();
    let mut warnings = Vec::new();
    let mut report = SignatureReport {
        id: signature.attr("Id").map(str::to_owned),
        indication: Indication::Indeterminate,
        sub_indication: None,
        message: None,
        kind: Kind::Advanced,
        signing_time: None,
        signer: None,
        chain: Vec::new(),
        pz: None,
        warnings: Vec::new(),
        children: Vec::new(),
    };
    let props = match properties::read(signature) {
        Ok(p) => p,
        Err(Malformed(why)) => {
            o.fail("FORMAT_FAILURE", why);
            let (i, s, m) = o.finish();
            (report.indication, report.sub_indication, report.message) = (i, s, m);
            return report;
        }
    };
    report.signing_time = props.signing_time.clone();
    let candidates = key_info_certificates(signature);
    let cert = signing_certificate(&props, &candidates, &mut warnings);
    let mut crypto_ok = false;
    match &cert {
        None => o.indeterminate(
            "NO_SIGNING_CERTIFICATE_FOUND",
            "no KeyInfo certificate matches SigningCertificate (digest and issuer/serial)",
        ),
        Some(cert) => {
            report.signer = Some(signer(cert));
            let mut keys = TrustedKeys::new();
            match keys.add_certificate(cert.clone()) {
                Err(e) => classify_error(&e, &mut o),
                Ok(()) => match verify_signature(doc, signature, Profile::Xades, &keys, detached) {
                    Err(e) => classify_error(&e, &mut o),
                    Ok(v) => {
                        let covered = v
                            .references
                            .iter()
                            .filter(|r| {
                                r.reference_type
                                    .as_deref()
                                    .is_some_and(|t| SIGNED_PROPERTIES_TYPES.contains(&t))
                            })
                            .map(|r| r.target.clone())
                            .collect::<Vec<_>>();
                        if covered != [ReferenceTarget::Element(props.signed_properties)] {
                            o.fail(
                                "FORMAT_FAILURE",
                                "SignedProperties must be referenced exactly once from this SignedInfo",
                            );
                        } else if v.references.len() < 2 {
                            o.fail("FORMAT_FAILURE", "the signature covers no data object");
                        } else {
                            crypto_ok = true;
                        }
                    }
                },
            }
        }
    }
    if let Some(cert) = &cert {
        let chain = options.trust.verify_chain(
            cert,
            &candidates,
            now,
            RequiredUsage::NonRepudiationOrDigitalSignature,
        );
        report.chain = chain.chain.iter().map(|c| pki::subject_line(c)).collect();
        if !chain.revocation_checked && chain.status == ChainStatus::Valid {
            warnings.push(Warning::new(
                "revocation_not_checked",
                "no CRL was supplied: revocation was not checked",
            ));
        }
        if chain.status != ChainStatus::Valid {
            let sub = chain
                .status
                .etsi_sub_indication()
                .unwrap_or("CERTIFICATE_CHAIN_GENERAL_FAILURE");
            o.indeterminate(sub, chain.detail.clone());
            if options.trust.is_empty() {
                warnings.push(Warning::new(
                    "no_trust_anchors",
                    "no trust anchors were given: no signature can be fully validated (pass --trust-anchor)",
                ));
            }
        }
        match props.signing_time.as_deref().map(UtcTime::parse) {
            Some(Some(t)) => {
                report.signing_time = Some(t.to_rfc3339());
                if let Some(sub) = time_window(cert, t) {
                    o.fail(
                        sub,
                        "the claimed signing time is outside the signing certificate's validity",
                    );
                }
            }
            Some(None) => o.fail("FORMAT_FAILURE", "SigningTime is not a valid xs:dateTime"),
            None => warnings.push(Warning::new(
                "no_signing_time",
                "the signature claims no signing time",
            )),
        }
        classify_kind(
            &mut report,
            &props,
            cert,
            chain.status == ChainStatus::Valid,
            crypto_ok,
            options,
            &mut o,
            &mut warnings,
        );
    }
    for counter in &props.counter_signatures {
        report
            .children
            .push(verify(doc, *counter, options, detached, now));
    }
    let (i, s, m) = o.finish();
    (report.indication, report.sub_indication, report.message) = (i, s, m);
    report.warnings.extend(warnings);
    report
}

#[allow(clippy::too_many_arguments)]
fn classify_kind(
    report: &mut SignatureReport,
    props: &Properties<'_>,
    cert: &X509,
    chain_ok: bool,
    crypto_ok: bool,
    options: &VerifyOptions,
    o: &mut Outcome,
    warnings: &mut Vec<Warning>,
) {
    // The identity is read only once the SignedProperties digest has verified.
    let identity = if crypto_ok {
        match pz::identity(&props.claimed_roles) {
            Ok(i) => i,
            Err(why) => {
                o.fail("FORMAT_FAILURE", why);
                None
            }
        }
    } else {
        None
    };
    let is_seal = chain_ok && pz::is_seal(cert);
    report.kind = match (&identity, is_seal) {
        (Some(_), true) => Kind::Pz,
        (Some(_), false) => Kind::UntrustedPzClaim,
        (None, _) if chain_ok && crypto_ok && pki::is_qualified(cert) => Kind::Qualified,
        _ => Kind::Advanced,
    };
    if report.kind == Kind::UntrustedPzClaim {
        warnings.push(Warning::new(
            "untrusted_pz_claim",
            "the document carries a profil zaufany identity but is not signed by the PZ seal: treat it as forged",
        ));
    }
    if let Some(identity) = identity {
        pz::check_identity(&identity, options.check_pesel, warnings, |why| {
            if report.kind == Kind::Pz {
                o.indeterminate("SIG_CONSTRAINTS_FAILURE", why)
            }
        });
        report.pz = Some(identity);
    }
}
