//! ECDH with point validation and a fixed-width shared secret, AES key wrap (RFC 3394) and
//! AES-GCM with the tag checked before any plaintext is released.

use super::decryption_failed;
use crate::error::{Error, ErrorCode, Result};
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcKeyRef, EcPoint};
use openssl::pkey::{PKey, Private};
use openssl::symm::{decrypt_aead, encrypt_aead, Cipher};

/// `Z` = X coordinate of `d · Q`, exactly the field size (a leading zero byte stays). The peer
/// point must be on our key's curve.
pub fn ecdh_shared_secret(ours: &PKey<Private>, peer_point: &[u8]) -> Result<Vec<u8>> {
    let ec = ours.ec_key().map_err(|_| decryption_failed())?;
    ecdh_with(&ec, peer_point)
}

/// [`ecdh_shared_secret`] as the one scalar multiplication it is (what OpenSSL's ECDH computes
/// inside `EVP_PKEY_derive`, by the same constant-time `EC_POINT_mul`), without the EVP layer,
/// which would import the peer's point into a fresh provider key, rebuilding the curve's group,
/// on every call.
pub(crate) fn ecdh_with(ours: &EcKeyRef<Private>, peer_point: &[u8]) -> Result<Vec<u8>> {
    let group = ours.group();
    let mut ctx = BigNumContext::new().map_err(|_| decryption_failed())?;
    let point =
        EcPoint::from_bytes(group, peer_point, &mut ctx).map_err(|_| decryption_failed())?;
    // Invalid-curve attacks: the point must be on our curve and not at infinity. Every curve we
    // accept (P-256/384/521) has cofactor 1, so that is full validation; OpenSSL's extra
    // `n·Q = O` check would cost a second scalar multiplication and prove nothing more.
    let on_curve = point
        .is_on_curve(group, &mut ctx)
        .map_err(|_| decryption_failed())?;
    if !on_curve || point.is_infinity(group) {
        return Err(decryption_failed());
    }
    let mut cofactor = BigNum::new().map_err(|_| decryption_failed())?;
    group
        .cofactor(&mut cofactor, &mut ctx)
        .map_err(|_| decryption_failed())?;
    if cofactor.to_vec() != [1] {
        return Err(decryption_failed());
    }
    let mut shared = EcPoint::new(group).map_err(|_| decryption_failed())?;
    shared
        .mul2(group, &point, ours.private_key(), &mut ctx)
        .map_err(|_| decryption_failed())?;
    if shared.is_infinity(group) {
        return Err(decryption_failed());
    }
    let (mut x, mut y) = (
        BigNum::new().map_err(|_| decryption_failed())?,
        BigNum::new().map_err(|_| decryption_failed())?,
    );
    shared
        .affine_coordinates(group, &mut x, &mut y, &mut ctx)
        .map_err(|_| decryption_failed())?;
    let width = i32::try_from(group.degree().div_ceil(8)).map_err(|_| decryption_failed())?;
    x.to_vec_padded(width).map_err(|_| decryption_failed())
}

/// RFC 3394 unwrap with the default IV; the KEK is AES-128/192/256 by its length.
pub fn aes_key_unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Vec<u8>> {
    if wrapped.len() < 24 || wrapped.len() % 8 != 0 {
        return Err(decryption_failed());
    }
    let key = openssl::aes::AesKey::new_decrypt(kek).map_err(|_| decryption_failed())?;
    let mut out = vec![0u8; wrapped.len() - 8];
    let n =
        openssl::aes::unwrap_key(&key, None, &mut out, wrapped).map_err(|_| decryption_failed())?;
    out.truncate(n);
    Ok(out)
}

/// AES-GCM over `IV(12) ‖ ciphertext ‖ tag(16)`, no AAD; the key size (16, 24 or 32 bytes)
/// picks AES-128/192/256 (WK production once sent a 16-byte key under aes256-gcm).
pub fn aes_gcm_decrypt(cek: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    let cipher = gcm_cipher(cek).ok_or_else(decryption_failed)?;
    if data.len() < 12 + 16 {
        return Err(decryption_failed());
    }
    let (iv, rest) = data.split_at(12);
    let (ciphertext, tag) = rest.split_at(rest.len() - 16);
    decrypt_aead(cipher, cek, Some(iv), &[], ciphertext, tag).map_err(|_| decryption_failed())
}

fn gcm_cipher(key: &[u8]) -> Option<Cipher> {
    match key.len() {
        16 => Some(Cipher::aes_128_gcm()),
        24 => Some(Cipher::aes_192_gcm()),
        32 => Some(Cipher::aes_256_gcm()),
        _ => None,
    }
}

fn encryption_error(what: &str) -> Error {
    Error::new(ErrorCode::Internal, format!("encryption failed: {what}"))
}

/// RFC 3394 wrap with the default IV (the inverse of [`aes_key_unwrap`]).
pub(crate) fn aes_key_wrap(kek: &[u8], key: &[u8]) -> Result<Vec<u8>> {
    let aes = openssl::aes::AesKey::new_encrypt(kek).map_err(|_| encryption_error("KEK"))?;
    let mut out = vec![0u8; key.len() + 8];
    let n = openssl::aes::wrap_key(&aes, None, &mut out, key)
        .map_err(|_| encryption_error("key wrap"))?;
    out.truncate(n);
    Ok(out)
}

/// AES-GCM with a fresh random 12-byte IV: `IV ‖ ciphertext ‖ tag(16)`, no AAD.
pub(crate) fn aes_gcm_encrypt(cek: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let cipher = gcm_cipher(cek).ok_or_else(|| encryption_error("content key size"))?;
    let mut iv = [0u8; 12];
    openssl::rand::rand_bytes(&mut iv).map_err(|_| encryption_error("random IV"))?;
    let mut tag = [0u8; 16];
    let ciphertext = encrypt_aead(cipher, cek, Some(&iv), &[], plaintext, &mut tag)
        .map_err(|_| encryption_error("AES-GCM"))?;
    let mut out = Vec::with_capacity(12 + ciphertext.len() + 16);
    out.extend_from_slice(&iv);
    out.extend(ciphertext);
    out.extend_from_slice(&tag);
    Ok(out)
}
