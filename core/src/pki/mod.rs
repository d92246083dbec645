//! Loading keys and certificates (PEM or DER). Trust decisions live with their users:
//! pinned keys in [`crate::dsig::TrustedKeys`], chains in the document verifier.

use crate::error::{Error, ErrorCode, Result};
use openssl::pkey::{PKey, Private, Public};
use openssl::x509::X509;

fn key_invalid(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::KeyInvalid, format!("could not read {what}: {e}"))
}

fn is_pem(bytes: &[u8]) -> bool {
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

/// A private key: PEM (PKCS#8, SEC1 or PKCS#1) or DER (PKCS#8).
pub fn load_private_key(bytes: &[u8]) -> Result<PKey<Private>> {
    if is_pem(bytes) {
        PKey::private_key_from_pem(bytes).map_err(|e| key_invalid("a PEM private key", e))
    } else {
        PKey::private_key_from_der(bytes).map_err(|e| key_invalid("a DER private key", e))
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

/// A one-line subject for messages: `CN=WK_SIG_EC, OU=SUA, O=COI`.
pub fn subject_line(cert: &X509) -> String {
    cert.subject_name()
        .entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?").to_owned();
            let value = e.data().to_string().unwrap_or_else(|_| "?".to_owned());
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}
