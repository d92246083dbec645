//! PKCS#12 (.p12 / .pfx) loading.
//!
//! OpenSSL's parser comes first. Files it cannot open with the default provider — WK's own tool
//! writes the certificate bag with pbeWithSHA1And40BitRC2-CBC, which needs OpenSSL 3's legacy
//! provider, process-wide state we must not switch on inside PHP or Node hosts — go through a
//! small walk in safe Rust: verify the MAC ourselves (so a wrong password says so), decrypt the
//! one shrouded key with OpenSSL's PKCS#8 code, and skip encrypted parts we cannot open (the
//! certificates are optional for a decryption key).

mod bags;
mod mac;
#[cfg(test)]
mod tests;

use crate::error::{Error, ErrorCode, Result};
use openssl::pkcs12::{ParsedPkcs12_2, Pkcs12};
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;

/// What a PKCS#12 file holds: exactly one private key, its certificate if present, and any
/// other certificates.
#[derive(Debug)]
pub struct Pkcs12Contents {
    /// The private key.
    pub key: PKey<Private>,
    /// The certificate for `key`, when the file carries one we can read.
    pub certificate: Option<X509>,
    /// Every other certificate found.
    pub chain: Vec<X509>,
}

pub(super) fn key_invalid(message: &str) -> Error {
    Error::new(ErrorCode::KeyInvalid, message)
}

fn damaged() -> Error {
    key_invalid("the PKCS#12 is damaged or not a DER-encoded PFX")
}

/// Loads the key (and certificates) from a PKCS#12 file protected by `password`.
pub fn load_pkcs12(bytes: &[u8], password: &str) -> Result<Pkcs12Contents> {
    if password.contains('\0') {
        return Err(key_invalid("the PKCS#12 password contains a NUL character"));
    }
    match Pkcs12::from_der(bytes).and_then(|p12| p12.parse2(password)) {
        Ok(parsed) => from_openssl(bytes, parsed),
        Err(_) => load_by_walking(bytes, password),
    }
}

fn key_count(found: usize) -> Error {
    Error::new(
        ErrorCode::KeyInvalid,
        format!("expected exactly one private key in the PKCS#12, found {found}"),
    )
    .with("found", found as u64)
}

fn from_openssl(bytes: &[u8], parsed: ParsedPkcs12_2) -> Result<Pkcs12Contents> {
    // OpenSSL keeps the first key and drops the rest silently; count the keys we can see.
    if let Some(found) = bags::pfx(bytes).and_then(|pfx| bags::authenticated_safe(pfx.auth_safe)) {
        if found.keys.len() > 1 {
            return Err(key_count(found.keys.len()));
        }
    }
    let key = parsed.pkey.ok_or_else(|| key_count(0))?;
    Ok(Pkcs12Contents {
        key,
        certificate: parsed.cert,
        chain: parsed
            .ca
            .map(|s| s.into_iter().collect())
            .unwrap_or_default(),
    })
}

/// The fallback: our own walk, MAC check and key-bag decryption.
fn load_by_walking(bytes: &[u8], password: &str) -> Result<Pkcs12Contents> {
    let pfx = bags::pfx(bytes).ok_or_else(damaged)?;
    let mac_data = pfx
        .mac_data
        .ok_or_else(|| key_invalid("the PKCS#12 has no integrity MAC"))?;
    let mac_data = mac::parse(mac_data).ok_or_else(damaged)?;
    mac::verify(&mac_data, pfx.auth_safe, password)?;
    let found = bags::authenticated_safe(pfx.auth_safe).ok_or_else(damaged)?;
    let [bag] = found.keys.as_slice() else {
        return Err(key_count(found.keys.len()));
    };
    let key = match *bag {
        bags::KeyBag::Plain(der) => PKey::private_key_from_pkcs8(der),
        bags::KeyBag::Shrouded(der) => {
            PKey::private_key_from_pkcs8_passphrase(der, password.as_bytes())
        }
    }
    .map_err(|_| {
        key_invalid(
            "the private key in the PKCS#12 could not be decrypted (unsupported encryption, \
             or a key password that differs from the file password)",
        )
    })?;
    let mut certificate = None;
    let mut chain = Vec::new();
    for der in found.certificates {
        let cert = X509::from_der(der)
            .map_err(|_| key_invalid("a certificate in the PKCS#12 could not be read"))?;
        let matches_key = cert.public_key().is_ok_and(|pk| pk.public_eq(&key));
        if matches_key && certificate.is_none() {
            certificate = Some(cert);
        } else {
            chain.push(cert);
        }
    }
    Ok(Pkcs12Contents {
        key,
        certificate,
        chain,
    })
}
