//! Loading keys and certificates (PEM, DER, PKCS#12), certificate facts, distinguished-name
//! matching, and chain validation against caller-supplied trust anchors and CRLs
//! ([`TrustStore`]). Pinned keys (WK) live in [`crate::dsig::TrustedKeys`].

mod cert_info;
mod chain;
mod der;
mod ext;
mod name;
mod pkcs12;
mod revocation;
mod trust;

pub use cert_info::{
    certificate_policies, is_qualified, issuer_line, key_usage, key_usage_names,
    organization_identifier, pesel_from_subject, qc_statement_ids, qc_types, serial_decimal,
    serial_matches, subject_line, POLICY_QCP_L, POLICY_QCP_N_QSCD, QC_COMPLIANCE, QC_SSCD, QC_TYPE,
};
pub use chain::{ChainOutcome, ChainStatus, RequiredUsage};
pub use name::name_matches;
pub use pkcs12::{load_pkcs12, Pkcs12Contents};
pub use trust::TrustStore;

use crate::error::{Error, ErrorCode, Result};
use openssl::pkey::{PKey, Private, Public};
use openssl::x509::{X509Builder, X509NameBuilder, X509};

fn key_invalid(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::KeyInvalid, format!("could not read {what}: {e}"))
}

pub(crate) fn is_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).any(|w| w == b"-----BEGIN ")
}

/// Every certificate in `bytes`: one DER certificate, or any number of PEM `CERTIFICATE` blocks.
pub fn load_certificates(bytes: &[u8]) -> Result<Vec<X509>> {
    let certs = if is_pem(bytes) {
        X509::stack_from_pem(bytes).map_err(|e| key_invalid("PEM certificates", e))?
    } else {
        vec![X509::from_der(bytes).map_err(|e| key_invalid("a DER certificate", e))?]
    };
    if certs.is_empty() {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            "no certificate found in the input",
        ));
    }
    Ok(certs)
}

/// A private key: PEM (PKCS#8, SEC1 or PKCS#1) or DER (PKCS#8). Encrypted keys need
/// [`load_private_key_any`] with the password.
pub fn load_private_key(bytes: &[u8]) -> Result<PKey<Private>> {
    load_private_key_any(bytes, None)
}

/// How a DER private-key container announces itself.
enum DerKind {
    /// `PFX`: a SEQUENCE starting with INTEGER 3.
    Pkcs12,
    /// `EncryptedPrivateKeyInfo`: a SEQUENCE starting with the AlgorithmIdentifier SEQUENCE.
    EncryptedPkcs8,
    /// Anything else: PKCS#8 PrivateKeyInfo or a key-type specific form.
    Plain,
}

/// Looks only at the first element inside the outer SEQUENCE, whose length may be indefinite
/// (BER PFX files exist and OpenSSL reads them).
fn der_kind(bytes: &[u8]) -> DerKind {
    let body = match bytes {
        [0x30, 0x80, rest @ ..] => rest,
        [0x30, len, rest @ ..] if *len < 0x80 => rest,
        [0x30, len, rest @ ..] => rest.get(usize::from(len & 0x7f)..).unwrap_or_default(),
        _ => return DerKind::Plain,
    };
    match body {
        [0x02, 0x01, 0x03, ..] => DerKind::Pkcs12,
        [0x30, ..] => DerKind::EncryptedPkcs8,
        _ => DerKind::Plain,
    }
}

/// True for DER bytes shaped like a PKCS#12 file (PFX version 3).
pub fn is_pkcs12(bytes: &[u8]) -> bool {
    !is_pem(bytes) && matches!(der_kind(bytes), DerKind::Pkcs12)
}

fn password_needed(what: &str) -> Error {
    Error::new(
        ErrorCode::KeyInvalid,
        format!("{what} is password-protected: a password is needed"),
    )
}

/// A private key from any container a DU is likely to hold: PEM (plain, or encrypted with
/// `password`), DER PKCS#8 (plain or encrypted), or PKCS#12 (the password is required).
pub fn load_private_key_any(bytes: &[u8], password: Option<&str>) -> Result<PKey<Private>> {
    if password.is_some_and(|p| p.contains('\0')) {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            "the key password contains a NUL character",
        ));
    }
    if is_pem(bytes) {
        return pem_private_key(bytes, password);
    }
    match (der_kind(bytes), password) {
        (DerKind::Pkcs12, Some(p)) => load_pkcs12(bytes, p).map(|c| c.key),
        (DerKind::Pkcs12, None) => Err(password_needed("the PKCS#12 file")),
        (DerKind::EncryptedPkcs8, Some(p)) => {
            PKey::private_key_from_pkcs8_passphrase(bytes, p.as_bytes())
                .map_err(|_| wrong_password("the encrypted PKCS#8 key"))
        }
        (DerKind::EncryptedPkcs8, None) => Err(password_needed("the PKCS#8 key")),
        (DerKind::Plain, _) => {
            PKey::private_key_from_der(bytes).map_err(|e| key_invalid("a DER private key", e))
        }
    }
}

fn wrong_password(what: &str) -> Error {
    Error::new(
        ErrorCode::KeyInvalid,
        format!("could not decrypt {what}: wrong password or damaged key"),
    )
}

fn pem_private_key(bytes: &[u8], password: Option<&str>) -> Result<PKey<Private>> {
    let encrypted = [
        &b"BEGIN ENCRYPTED PRIVATE KEY"[..],
        b"Proc-Type: 4,ENCRYPTED",
    ]
    .iter()
    .any(|marker| bytes.windows(marker.len()).any(|w| w == *marker));
    match password {
        Some(p) if encrypted => PKey::private_key_from_pem_passphrase(bytes, p.as_bytes())
            .map_err(|_| wrong_password("the PEM private key")),
        None if encrypted => Err(password_needed("the PEM private key")),
        // An explicit callback: without one OpenSSL would prompt on the terminal for a
        // password, blocking a server process.
        _ => PKey::private_key_from_pem_callback(bytes, |_| Ok(0))
            .map_err(|e| key_invalid("a PEM private key", e)),
    }
}

/// A public key (SubjectPublicKeyInfo), PEM or DER.
pub fn load_public_key(bytes: &[u8]) -> Result<PKey<Public>> {
    if is_pem(bytes) {
        PKey::public_key_from_pem(bytes).map_err(|e| key_invalid("a PEM public key", e))
    } else {
        PKey::public_key_from_der(bytes).map_err(|e| key_invalid("a DER public key", e))
    }
}

fn internal(e: openssl::error::ErrorStack) -> Error {
    Error::new(ErrorCode::Internal, format!("OpenSSL: {e}"))
}

/// A fresh P-256 key and a self-signed certificate `CN=<common_name>` valid for `days` days
/// (for the local simulator, demos and tests; production certificates come from a CA).
pub fn self_signed_p256(common_name: &str, days: u32) -> Result<(PKey<Private>, X509)> {
    let now = crate::time::UtcTime::now();
    self_signed_p256_between(common_name, now, now.plus_seconds(i64::from(days) * 86_400))
}

/// [`self_signed_p256`] valid from `not_before` to `not_after` (fixtures with a fixed clock).
pub fn self_signed_p256_between(
    common_name: &str,
    not_before: crate::time::UtcTime,
    not_after: crate::time::UtcTime,
) -> Result<(PKey<Private>, X509)> {
    use openssl::{
        asn1::Asn1Time, bn::BigNum, ec::EcGroup, ec::EcKey, hash::MessageDigest, nid::Nid,
    };
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).map_err(internal)?;
    let key = PKey::from_ec_key(EcKey::generate(&group).map_err(internal)?).map_err(internal)?;
    let mut name = X509NameBuilder::new().map_err(internal)?;
    name.append_entry_by_text("CN", common_name)
        .map_err(|e| key_invalid("a certificate subject", e))?;
    let name = name.build();
    let mut serial = BigNum::new().map_err(internal)?;
    serial
        .rand(63, openssl::bn::MsbOption::MAYBE_ZERO, false)
        .map_err(internal)?;
    let mut b = X509Builder::new().map_err(internal)?;
    b.set_version(2).map_err(internal)?;
    let serial = serial.to_asn1_integer().map_err(internal)?;
    // time_t is i64 on 64-bit Linux (no conversion) but narrower elsewhere: a range error, not a wrap.
    #[allow(clippy::useless_conversion)]
    let asn1 = |t: crate::time::UtcTime| {
        let secs = t.unix_seconds().try_into().map_err(|_| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("{} is outside this platform's time_t", t.to_rfc3339()),
            )
        })?;
        Asn1Time::from_unix(secs).map_err(internal)
    };
    let not_before = asn1(not_before)?;
    let not_after = asn1(not_after)?;
    b.set_serial_number(&serial).map_err(internal)?;
    b.set_subject_name(&name).map_err(internal)?;
    b.set_issuer_name(&name).map_err(internal)?;
    b.set_pubkey(&key).map_err(internal)?;
    b.set_not_before(&not_before).map_err(internal)?;
    b.set_not_after(&not_after).map_err(internal)?;
    b.sign(&key, MessageDigest::sha256()).map_err(internal)?;
    Ok((key, b.build()))
}
