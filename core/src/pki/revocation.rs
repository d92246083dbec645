//! Revocation checking against CRLs the caller supplied, on the chain OpenSSL built.
//!
//! Why not OpenSSL's own CRL_CHECK: the openssl crate can put CRLs into an `X509_STORE` only
//! from a file (`X509_LOOKUP_file`), and eidpl does no I/O during verification and no `unsafe`.
//! So the RFC 5280 §6.3 steps are done here with OpenSSL primitives, with the semantics of
//! `X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL`: every certificate except the trust
//! anchor needs a usable CRL from its issuer. A CRL is usable only when all of these hold:
//! its issuer name equals the certificate's issuer, its signature verifies under the issuer's
//! key (whose keyUsage, if present, allows cRLSign), the validation time lies within
//! thisUpdate … nextUpdate, it is a complete CRL (no deltaCRLIndicator, no onlySomeReasons,
//! not indirect), every critical extension is understood, and its issuingDistributionPoint (if
//! any) covers the certificate (user/CA scope and distribution point name). Anything eidpl
//! cannot prove complete is not used, so the answer is "unknown", never a false "good". When
//! several usable CRLs disagree (overlapping windows, a released certificateHold), any one
//! listing the certificate makes it revoked.

use super::ext;
use crate::time::UtcTime;
use openssl::asn1::{Asn1Time, Asn1TimeRef};
use openssl::x509::{CrlStatus, X509Crl, X509KeyUsage, X509};
use std::cmp::Ordering;
use std::sync::Arc;

const DELTA_CRL_INDICATOR: &str = "2.5.29.27";

/// The revocation verdict for a chain; `index` is the position in the chain.
#[derive(Debug)]
pub(crate) enum Verdict {
    Good,
    Revoked { index: usize, detail: String },
    Unknown { index: usize, detail: String },
}

/// An ASN.1 time as RFC 3339 (`2025-03-01T00:00:00Z`), like every other time eidpl reports.
fn time_text(t: &Asn1TimeRef) -> String {
    Asn1Time::from_unix(0)
        .and_then(|epoch| epoch.diff(t))
        .map(|d| {
            let seconds = i64::from(d.days) * 86_400 + i64::from(d.secs);
            UtcTime::from_unix_millis(seconds.saturating_mul(1000)).to_rfc3339_seconds()
        })
        .unwrap_or_else(|_| t.to_string())
}

/// Why `crl` cannot decide the status of `cert` issued by `issuer` at `at`, or Ok.
fn usable(crl: &X509Crl, cert: &X509, issuer: &X509, at: &Asn1TimeRef) -> Result<(), String> {
    if issuer
        .key_usage()
        .is_some_and(|ku| !ku.contains(X509KeyUsage::CRL_SIGN))
    {
        return Err("the issuer's keyUsage does not allow cRLSign".into());
    }
    let key = issuer
        .public_key()
        .map_err(|e| format!("issuer key unreadable: {e}"))?;
    if !crl.verify(&key).unwrap_or(false) {
        return Err("the CRL signature does not verify under the issuer's key".into());
    }
    match crl.last_update().compare(at) {
        Ok(Ordering::Less | Ordering::Equal) => {}
        Ok(Ordering::Greater) => {
            return Err(format!(
                "the CRL was issued after the validation time (thisUpdate {})",
                time_text(crl.last_update())
            ))
        }
        Err(_) => return Err("the CRL thisUpdate is malformed".into()),
    }
    if let Some(next) = crl.next_update() {
        match next.compare(at) {
            Ok(Ordering::Greater | Ordering::Equal) => {}
            Ok(Ordering::Less) => {
                return Err(format!(
                    "the CRL had expired at the validation time (nextUpdate {})",
                    time_text(next)
                ))
            }
            Err(_) => return Err("the CRL nextUpdate is malformed".into()),
        }
    }
    let crl_der = crl.to_der().map_err(|_| "the CRL cannot be encoded")?;
    let facts = ext::crl_facts(&crl_der).ok_or("the CRL is malformed")?;
    if facts.critical_entry_extension {
        return Err("a CRL entry has a critical extension (indirect CRL?)".into());
    }
    for e in &facts.extensions {
        match e.oid.as_str() {
            ext::ISSUING_DISTRIBUTION_POINT => covers(e.value, cert)?,
            DELTA_CRL_INDICATOR => return Err("delta CRLs are not used".into()),
            oid if e.critical => return Err(format!("unsupported critical CRL extension {oid}")),
            _ => {}
        }
    }
    Ok(())
}

/// Whether a CRL with this issuingDistributionPoint covers `cert` (RFC 5280 §6.3.3 b).
fn covers(idp_value: &[u8], cert: &X509) -> Result<(), String> {
    let idp = ext::issuing_distribution_point(idp_value)
        .ok_or("the issuingDistributionPoint is malformed")?;
    if idp.unsupported {
        return Err("a partial or indirect CRL (issuingDistributionPoint) is not used".into());
    }
    let cert_der = cert
        .to_der()
        .map_err(|_| "the certificate cannot be encoded")?;
    let exts = ext::certificate_extensions(&cert_der).ok_or("the certificate is malformed")?;
    let ca = ext::is_ca(&exts).ok_or("basicConstraints is malformed")?;
    if idp.only_user_certs && ca {
        return Err("the CRL covers only end-entity certificates".into());
    }
    if idp.only_ca_certs && !ca {
        return Err("the CRL covers only CA certificates".into());
    }
    if let Some(names) = idp.names {
        let points =
            ext::distribution_point_names(&exts).ok_or("cRLDistributionPoints is malformed")?;
        if !names.iter().any(|n| points.contains(n)) {
            return Err("the CRL is a partition that does not cover this certificate".into());
        }
    }
    Ok(())
}

/// Checks every certificate of `chain` (leaf first, anchor last) except the anchor.
pub(crate) fn check(chain: &[X509], crls: &[Arc<X509Crl>], at: &Asn1TimeRef) -> Verdict {
    for (index, pair) in chain.windows(2).enumerate() {
        let [cert, issuer] = pair else {
            continue;
        };
        let mut found_usable = false;
        let mut reasons = Vec::new();
        let from_issuer = crls.iter().filter(|crl| {
            matches!(
                crl.issuer_name().try_cmp(issuer.subject_name()),
                Ok(Ordering::Equal)
            )
        });
        for crl in from_issuer {
            if let Err(why) = usable(crl, cert, issuer, at) {
                reasons.push(why);
                continue;
            }
            found_usable = true;
            match crl.get_by_cert(cert) {
                CrlStatus::NotRevoked => {}
                CrlStatus::Revoked(entry) => {
                    return Verdict::Revoked {
                        index,
                        detail: format!("revoked on {}", time_text(entry.revocation_date())),
                    }
                }
                CrlStatus::RemoveFromCrl(_) => {
                    return Verdict::Unknown {
                        index,
                        detail: "a removeFromCRL entry in a complete CRL".into(),
                    }
                }
            }
        }
        if !found_usable {
            let detail = if reasons.is_empty() {
                "no CRL from its issuer was supplied".to_owned()
            } else {
                format!("no usable CRL from its issuer: {}", reasons.join("; "))
            };
            return Verdict::Unknown { index, detail };
        }
    }
    Verdict::Good
}
