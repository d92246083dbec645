//! The result of chain validation and its ETSI EN 319 102-1 names.
//!
//! Mapping choices (EN 319 102-1 §5.2.6 "X.509 certificate validation" and Table 5). eidpl
//! verifies XAdES-BES/EPES signatures, which carry no proof of existence (POE, a timestamp):
//! * [`ChainStatus::Expired`] → INDETERMINATE / `OUT_OF_BOUNDS_NO_POE`, not TOTAL_FAILED /
//!   `EXPIRED`: the latter needs proof that the signature was made after expiry.
//! * [`ChainStatus::Revoked`] → INDETERMINATE / `REVOKED_NO_POE` (a CA: `REVOKED_CA_NO_POE`),
//!   not TOTAL_FAILED / `REVOKED`, which needs proof that the signature was made after the
//!   revocation. Either way it is never valid.
//! * [`ChainStatus::NotYetValid`] → TOTAL_FAILED / `NOT_YET_VALID`: a signature verified at
//!   `at` existed before `at`, hence before the certificate was issued.
//! * [`ChainStatus::KeyUsage`] → INDETERMINATE / `SIG_CONSTRAINTS_FAILURE`, as the EU DSS
//!   library reports a signing certificate's keyUsage constraint.
//! * [`ChainStatus::RevocationUnknown`] → INDETERMINATE / `TRY_LATER` (revocation data was
//!   asked for but none usable was available).
//! * [`ChainStatus::WeakAlgorithm`] → INDETERMINATE / `CRYPTO_CONSTRAINTS_FAILURE_NO_POE`.
//! * [`ChainStatus::Invalid`] → INDETERMINATE / `CERTIFICATE_CHAIN_GENERAL_FAILURE`.
//! * [`ChainStatus::NoChainFound`] → INDETERMINATE / `NO_CERTIFICATE_CHAIN_FOUND`, also when a
//!   certificate's signature does not verify under the only issuer that names it: no issuer
//!   in the store signed it, so no chain exists.

use openssl::x509::X509;

/// Which keyUsage the leaf certificate must allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequiredUsage {
    /// A signing certificate: keyUsage must be present with digitalSignature or
    /// nonRepudiation (contentCommitment). A certificate without keyUsage fails: ETSI EN
    /// 319 412-2/-3 require it in certificates for signatures and seals.
    NonRepudiationOrDigitalSignature,
    /// No keyUsage requirement (chain questions only).
    Any,
}

/// The outcome class of chain validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChainStatus {
    /// A chain to a trust anchor, valid at the time, with the required keyUsage, and not
    /// revoked when CRLs were supplied.
    Valid,
    /// No chain to a configured anchor (including an empty trust store).
    NoChainFound,
    /// The leaf or a CA certificate had expired at the validation time.
    Expired,
    /// The leaf or a CA certificate was not yet valid at the validation time.
    NotYetValid,
    /// A certificate of the chain is on a usable CRL from its issuer.
    Revoked,
    /// CRLs were supplied but none usable covers some certificate of the chain.
    RevocationUnknown,
    /// The leaf's keyUsage does not allow the required use.
    KeyUsage,
    /// A key too small or a weak certificate signature algorithm (below 112-bit security).
    WeakAlgorithm,
    /// Any other path-validation failure (not a CA, path length, unhandled critical
    /// extension, name constraints, malformed certificate, …).
    Invalid,
}

impl ChainStatus {
    /// The ETSI EN 319 102-1 sub-indication for this status when it concerns the signing
    /// certificate (see the module documentation); None for [`ChainStatus::Valid`].
    pub fn etsi_sub_indication(&self) -> Option<&'static str> {
        Some(match self {
            ChainStatus::Valid => return None,
            ChainStatus::NoChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            ChainStatus::Expired => "OUT_OF_BOUNDS_NO_POE",
            ChainStatus::NotYetValid => "NOT_YET_VALID",
            ChainStatus::Revoked => "REVOKED_NO_POE",
            ChainStatus::RevocationUnknown => "TRY_LATER",
            ChainStatus::KeyUsage => "SIG_CONSTRAINTS_FAILURE",
            ChainStatus::WeakAlgorithm => "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
            ChainStatus::Invalid => "CERTIFICATE_CHAIN_GENERAL_FAILURE",
        })
    }

    /// The ETSI main indication: None when valid, `TOTAL_FAILED` for
    /// [`ChainStatus::NotYetValid`], `INDETERMINATE` otherwise.
    pub fn etsi_indication(&self) -> Option<&'static str> {
        match self {
            ChainStatus::Valid => None,
            ChainStatus::NotYetValid => Some("TOTAL_FAILED"),
            _ => Some("INDETERMINATE"),
        }
    }
}

/// What [`super::TrustStore::verify_chain`] found.
#[derive(Debug, Clone)]
pub struct ChainOutcome {
    /// The verdict.
    pub status: ChainStatus,
    /// The chain as built, leaf first and the anchor last when one was reached; on failure,
    /// as far as OpenSSL got (at least the leaf).
    pub chain: Vec<X509>,
    /// A human-readable explanation (OpenSSL's message, the certificate concerned, CRL notes).
    pub detail: String,
    /// True only when CRLs were supplied and the revocation status of every certificate
    /// below the anchor was established from them. False also for chains that failed before
    /// revocation was looked at.
    pub revocation_checked: bool,
    /// Index in `chain` of the certificate the failure concerns (0 = leaf), when known.
    pub failed_index: Option<usize>,
}

impl ChainOutcome {
    pub(crate) fn failed(
        status: ChainStatus,
        chain: Vec<X509>,
        failed_index: Option<usize>,
        detail: String,
    ) -> ChainOutcome {
        ChainOutcome {
            status,
            chain,
            detail,
            revocation_checked: false,
            failed_index,
        }
    }

    /// True for [`ChainStatus::Valid`].
    pub fn is_valid(&self) -> bool {
        self.status == ChainStatus::Valid
    }

    /// The ETSI sub-indication, refined by which certificate failed: a revoked CA
    /// certificate is `REVOKED_CA_NO_POE`.
    pub fn etsi_sub_indication(&self) -> Option<&'static str> {
        match (self.status, self.failed_index) {
            (ChainStatus::Revoked, Some(i)) if i > 0 => Some("REVOKED_CA_NO_POE"),
            (status, _) => status.etsi_sub_indication(),
        }
    }
}

/// Maps an OpenSSL `X509_V_ERR_*` code (values from `x509_vfy.h`; only 24 changed meaning:
/// INVALID_CA before 3.0, NO_ISSUER_PUBLIC_KEY since, with INVALID_CA moved to 79).
pub(crate) fn status_of_openssl_error(code: i32) -> ChainStatus {
    const OPENSSL_3: i64 = 0x3000_0000;
    match code {
        // No issuer found, self-signed but not an anchor, chain too long, issuer key
        // unusable, or a signature that the only candidate issuer did not make.
        2 | 4 | 6 | 7 | 18 | 19 | 20 | 21 | 22 | 27 | 28 => ChainStatus::NoChainFound,
        24 if openssl::version::number() >= OPENSSL_3 => ChainStatus::NoChainFound,
        9 => ChainStatus::NotYetValid,
        10 => ChainStatus::Expired,
        // EE key too small, CA key too small, CA signature digest too weak.
        66..=68 => ChainStatus::WeakAlgorithm,
        _ => ChainStatus::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_errors_map_to_statuses() {
        for (code, status) in [
            (20, ChainStatus::NoChainFound), // unable to get local issuer
            (19, ChainStatus::NoChainFound), // self-signed certificate in chain
            (7, ChainStatus::NoChainFound),  // certificate signature failure
            (9, ChainStatus::NotYetValid),
            (10, ChainStatus::Expired),
            (66, ChainStatus::WeakAlgorithm),
            (68, ChainStatus::WeakAlgorithm),
            (25, ChainStatus::Invalid), // path length exceeded
            (34, ChainStatus::Invalid), // unhandled critical extension
            (79, ChainStatus::Invalid), // invalid CA (OpenSSL 3)
            (1, ChainStatus::Invalid),
        ] {
            assert_eq!(status_of_openssl_error(code), status, "{code}");
        }
    }

    #[test]
    fn every_failure_has_an_etsi_name_and_valid_has_none() {
        assert_eq!(ChainStatus::Valid.etsi_sub_indication(), None);
        assert_eq!(ChainStatus::Valid.etsi_indication(), None);
        for status in [
            ChainStatus::NoChainFound,
            ChainStatus::Expired,
            ChainStatus::NotYetValid,
            ChainStatus::Revoked,
            ChainStatus::RevocationUnknown,
            ChainStatus::KeyUsage,
            ChainStatus::WeakAlgorithm,
            ChainStatus::Invalid,
        ] {
            assert!(status.etsi_sub_indication().is_some(), "{status:?}");
            assert!(status.etsi_indication().is_some(), "{status:?}");
        }
    }
}
