//! Keys come from configuration. `KeyInfo` in a message only selects among them: a certificate
//! there must equal a pinned certificate (or carry a pinned bare public key) exactly.

use super::structure::KeyInfoParts;
use crate::error::{Error, ErrorCode, Result};
use crate::pki;
use openssl::bn::BigNumContext;
use openssl::ec::{EcGroup, EcKey, EcPoint};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Public};
use openssl::x509::X509;

/// One configured key: a pinned certificate, or a bare public key.
#[derive(Clone)]
pub struct TrustedKey {
    certificate: Option<X509>,
    certificate_der: Option<Vec<u8>>,
    public_key: PKey<Public>,
    /// Extracted once: converting a PKey per verification is slow in OpenSSL 3.
    ec_key: Option<EcKey<Public>>,
    spki_der: Vec<u8>,
    label: String,
    /// notBefore and notAfter in Unix seconds, read once (comparing ASN.1 times per message
    /// parses both).
    validity: Option<(i64, i64)>,
}

impl TrustedKey {
    /// The key.
    pub fn public_key(&self) -> &PKey<Public> {
        &self.public_key
    }

    pub(crate) fn ec_key(&self) -> Option<&EcKey<Public>> {
        self.ec_key.as_ref()
    }

    /// The pinned certificate, when the key was configured as one.
    pub fn certificate(&self) -> Option<&X509> {
        self.certificate.as_ref()
    }

    /// The pinned certificate's notBefore and notAfter in Unix seconds.
    pub(crate) fn validity(&self) -> Option<(i64, i64)> {
        self.validity
    }

    /// The certificate subject, or "public key #n".
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// The set of keys a verification may use. Empty is an error at verification, never "skip".
#[derive(Clone, Default)]
pub struct TrustedKeys {
    keys: Vec<TrustedKey>,
}

fn key_invalid(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::KeyInvalid, format!("unusable key: {e}"))
}

impl TrustedKeys {
    /// No keys yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Pins a certificate.
    pub fn add_certificate(&mut self, cert: X509) -> Result<()> {
        let public_key = cert.public_key().map_err(key_invalid)?;
        self.keys.push(TrustedKey {
            certificate_der: Some(cert.to_der().map_err(key_invalid)?),
            spki_der: public_key.public_key_to_der().map_err(key_invalid)?,
            label: pki::subject_line(&cert),
            validity: unix_validity(&cert),
            certificate: Some(cert),
            ec_key: public_key.ec_key().ok(),
            public_key,
        });
        Ok(())
    }

    /// Pins a bare public key (matches any KeyInfo certificate or KeyValue with this key).
    pub fn add_public_key(&mut self, public_key: PKey<Public>) -> Result<()> {
        self.keys.push(TrustedKey {
            certificate: None,
            certificate_der: None,
            spki_der: public_key.public_key_to_der().map_err(key_invalid)?,
            label: format!("public key #{}", self.keys.len() + 1),
            validity: None,
            ec_key: public_key.ec_key().ok(),
            public_key,
        });
        Ok(())
    }

    /// Pins every certificate and `PUBLIC KEY` block in PEM (or one DER certificate).
    pub fn from_pem(bytes: &[u8]) -> Result<Self> {
        let mut keys = Self::new();
        if bytes.windows(16).any(|w| w == b"BEGIN PUBLIC KEY") {
            keys.add_public_key(pki::load_public_key(bytes)?)?;
        }
        // PEM may carry text before its blocks ("Bag Attributes" from openssl pkcs12).
        if !pki::is_pem(bytes) || bytes.windows(17).any(|w| w == b"BEGIN CERTIFICATE") {
            for cert in pki::load_certificates(bytes)? {
                keys.add_certificate(cert)?;
            }
        }
        if keys.is_empty() {
            return Err(Error::new(
                ErrorCode::KeyInvalid,
                "no certificate or public key in the input",
            ));
        }
        Ok(keys)
    }

    /// Adds every key of `other` (e.g. one file of several).
    pub fn extend(&mut self, other: TrustedKeys) {
        self.keys.extend(other.keys);
    }

    /// True when nothing is configured.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The pinned key whose certificate is `cert` (the same object, as a verification returns it).
    pub(crate) fn by_certificate(&self, cert: &X509) -> Option<&TrustedKey> {
        self.keys.iter().find(|k| {
            k.certificate
                .as_ref()
                .is_some_and(|c| std::ptr::eq::<openssl::x509::X509Ref>(&**c, &**cert))
        })
    }

    /// The candidates a signature may have been made with, chosen by KeyInfo.
    pub(crate) fn select(&self, key_info: Option<&KeyInfoParts>) -> Result<Vec<&TrustedKey>> {
        if self.keys.is_empty() {
            return Err(Error::new(
                ErrorCode::ConfigInvalid,
                "no trusted key is configured; a signature is never accepted without one",
            ));
        }
        let named = key_info.filter(|k| !k.certificates.is_empty() || !k.ec_public_keys.is_empty());
        let Some(info) = named else {
            // No KeyInfo: the signature must verify under one of the configured keys.
            return Ok(self.keys.iter().collect());
        };
        // A pinned certificate matches byte for byte: no parsing on the common path.
        for der in &info.certificates {
            if let Some(k) = self
                .keys
                .iter()
                .find(|k| k.certificate_der.as_deref() == Some(der))
            {
                return Ok(vec![k]);
            }
        }
        let mut shown = Vec::new();
        let has_bare_keys = self.keys.iter().any(|k| k.certificate_der.is_none());
        for der in &info.certificates {
            let cert = X509::from_der(der).map_err(|_| {
                Error::new(
                    ErrorCode::ProfileViolation,
                    "KeyInfo holds a certificate that does not parse",
                )
            })?;
            if has_bare_keys {
                let spki = cert.public_key().and_then(|k| k.public_key_to_der()).ok();
                let bare = self
                    .keys
                    .iter()
                    .find(|k| k.certificate_der.is_none() && spki.as_ref() == Some(&k.spki_der));
                if let Some(k) = bare {
                    return Ok(vec![k]);
                }
            }
            shown.push(pki::subject_line(&cert));
        }
        for (curve, point) in &info.ec_public_keys {
            let spki = ec_spki(curve, point)?;
            if let Some(k) = self.keys.iter().find(|k| k.spki_der == spki) {
                return Ok(vec![k]);
            }
            shown.push(format!("EC public key on {curve}"));
        }
        Err(Error::new(
            ErrorCode::KeyNotTrusted,
            "the message was signed with a key that is not configured as trusted",
        )
        .expected_actual(
            self.keys
                .iter()
                .map(|k| k.label.clone())
                .collect::<Vec<_>>(),
            shown,
        ))
    }
}

/// A certificate's validity in Unix seconds (None if OpenSSL cannot compare its times).
fn unix_validity(cert: &X509) -> Option<(i64, i64)> {
    let epoch = openssl::asn1::Asn1Time::from_unix(0).ok()?;
    let seconds = |t: &openssl::asn1::Asn1TimeRef| {
        epoch
            .diff(t)
            .ok()
            .map(|d| i64::from(d.days) * 86_400 + i64::from(d.secs))
    };
    Some((seconds(cert.not_before())?, seconds(cert.not_after())?))
}

/// SubjectPublicKeyInfo DER for a dsig11 ECKeyValue (point validated on the named curve).
fn ec_spki(curve_uri: &str, point: &[u8]) -> Result<Vec<u8>> {
    let nid = match curve_uri {
        "urn:oid:1.2.840.10045.3.1.7" => Nid::X9_62_PRIME256V1,
        "urn:oid:1.3.132.0.34" => Nid::SECP384R1,
        "urn:oid:1.3.132.0.35" => Nid::SECP521R1,
        other => return Err(super::algorithms::not_allowed("curve", other)),
    };
    let bad = |_| {
        Error::new(
            ErrorCode::ProfileViolation,
            "ECKeyValue holds an invalid point",
        )
    };
    let group = EcGroup::from_curve_name(nid).map_err(bad)?;
    let mut ctx = BigNumContext::new().map_err(bad)?;
    let p = EcPoint::from_bytes(&group, point, &mut ctx).map_err(bad)?;
    let key = EcKey::from_public_key(&group, &p).map_err(bad)?;
    key.check_key().map_err(bad)?;
    PKey::from_ec_key(key)
        .and_then(|k| k.public_key_to_der())
        .map_err(bad)
}
