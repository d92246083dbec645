//! SignatureValue verification and creation. ECDSA values are raw `r‖s` of exactly twice the
//! curve's field size (never DER); RSA keys must have at least 2048 bits.

use super::algorithms::SignatureAlgorithm;
use crate::error::{Error, ErrorCode, Result};
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::nid::Nid;
use openssl::pkey::{HasPublic, Id, PKey, PKeyRef, Private};
use openssl::rsa::Padding;
use openssl::sign::{RsaPssSaltlen, Verifier};

const MIN_RSA_BITS: u32 = 2048;

fn invalid() -> Error {
    Error::new(
        ErrorCode::SignatureInvalid,
        "the signature value does not verify",
    )
}

fn internal(e: openssl::error::ErrorStack) -> Error {
    Error::new(ErrorCode::Internal, format!("OpenSSL: {e}"))
}

/// Byte length of one ECDSA component for an allowed curve.
pub(crate) fn ec_component_len<T: HasPublic>(key: &PKeyRef<T>) -> Result<usize> {
    let ec = key.ec_key().map_err(internal)?;
    match ec.group().curve_name() {
        Some(Nid::X9_62_PRIME256V1) => Ok(32),
        Some(Nid::SECP384R1) => Ok(48),
        Some(Nid::SECP521R1) => Ok(66),
        other => Err(Error::new(
            ErrorCode::AlgorithmNotAllowed,
            "EC curve is not on the allowlist",
        )
        .with("actual", format!("{other:?}"))),
    }
}

/// Verifies `sig` over `data` (the canonical SignedInfo).
pub(crate) fn verify(
    alg: SignatureAlgorithm,
    trusted: &super::TrustedKey,
    data: &[u8],
    sig: &[u8],
) -> Result<()> {
    let key = trusted.public_key();
    let key_fits = match alg {
        SignatureAlgorithm::Ecdsa(_) => key.id() == Id::EC,
        SignatureAlgorithm::RsaPkcs1(_) | SignatureAlgorithm::RsaPss(_) => key.id() == Id::RSA,
    };
    if !key_fits {
        return Err(Error::new(
            ErrorCode::AlgorithmNotAllowed,
            "the SignatureMethod does not fit the type of the trusted key",
        )
        .with("signature_method", alg.uri()));
    }
    let md = alg.digest().md();
    match alg {
        SignatureAlgorithm::Ecdsa(_) => {
            let n = ec_component_len(key)?;
            if sig.len() != 2 * n {
                return Err(Error::new(
                    ErrorCode::SignatureInvalid,
                    "an ECDSA SignatureValue must be raw r‖s of exact length (DER is not accepted)",
                )
                .expected_actual((2 * n) as u64, sig.len() as u64));
            }
            let r = BigNum::from_slice(&sig[..n]).map_err(internal)?;
            let s = BigNum::from_slice(&sig[n..]).map_err(internal)?;
            let ecdsa = EcdsaSig::from_private_components(r, s).map_err(internal)?;
            let digest = super::digest::digest(alg.digest(), data);
            let ec = trusted
                .ec_key()
                .ok_or_else(|| Error::new(ErrorCode::Internal, "EC key not extracted"))?;
            match ecdsa.verify(&digest, ec) {
                Ok(true) => Ok(()),
                _ => Err(invalid()),
            }
        }
        SignatureAlgorithm::RsaPkcs1(_) | SignatureAlgorithm::RsaPss(_) => {
            if key.bits() < MIN_RSA_BITS {
                return Err(Error::new(
                    ErrorCode::AlgorithmNotAllowed,
                    "RSA keys must have at least 2048 bits",
                )
                .expected_actual(MIN_RSA_BITS, key.bits()));
            }
            let mut v = Verifier::new(md, key).map_err(internal)?;
            if let SignatureAlgorithm::RsaPss(_) = alg {
                v.set_rsa_padding(Padding::PKCS1_PSS).map_err(internal)?;
                v.set_rsa_mgf1_md(md).map_err(internal)?;
                v.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH)
                    .map_err(internal)?;
            } else {
                v.set_rsa_padding(Padding::PKCS1).map_err(internal)?;
            }
            v.update(data).map_err(internal)?;
            match v.verify(sig) {
                Ok(true) => Ok(()),
                _ => Err(invalid()),
            }
        }
    }
}

/// ECDSA over `data` with the key's curve, as fixed-width `r‖s`.
pub(crate) fn sign_ecdsa(
    alg: SignatureAlgorithm,
    key: &PKey<Private>,
    data: &[u8],
) -> Result<Vec<u8>> {
    let n = ec_component_len(key)?;
    let digest = super::digest::digest(alg.digest(), data);
    let ec = key.ec_key().map_err(internal)?;
    let sig = EcdsaSig::sign(&digest, &ec).map_err(internal)?;
    let n_i32 = i32::try_from(n).map_err(|_| Error::new(ErrorCode::Internal, "curve too large"))?;
    let mut out = sig.r().to_vec_padded(n_i32).map_err(internal)?;
    out.extend(sig.s().to_vec_padded(n_i32).map_err(internal)?);
    Ok(out)
}
