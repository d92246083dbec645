//! Decrypting an `xenc:EncryptedData` element: strict structure, the parties checked against
//! configuration, then ECDH-ES → ConcatKDF → AES key unwrap → AES-GCM with each configured key.

use super::algorithms::Curve;
use super::cipher::{aes_gcm_decrypt, aes_key_unwrap, ecdh_with};
use super::decryption_failed;
use super::encrypted_data::{self, EncryptedParts};
use super::kdf::{concat_kdf, decode_field, length_prefixed, other_info, KdfEncoding};
use crate::error::{Error, ErrorCode, Result};
use crate::xml::Node;
use openssl::ec::EcKeyRef;
use openssl::pkey::{PKey, Private};

/// How to read the KDF parameters and whom the message must be between.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecryptionPolicy<'p> {
    /// How AlgorithmID/PartyUInfo/PartyVInfo become OtherInfo (`Wk` for WK).
    pub encoding: KdfEncoding,
    /// The sender (WK's issuer). When set, PartyUInfo must be exactly
    /// `uint32_be(len) ‖ party_u` after decoding.
    pub party_u: Option<&'p str>,
    /// The recipient (our entity id). When set, PartyVInfo must name it, so a message meant for
    /// another service provider holding the same key is not decrypted.
    pub party_v: Option<&'p str>,
}

/// Decrypts `encrypted_data` with the first of `keys` that opens it and returns the plaintext
/// bytes (the caller parses them with the hardened parser). Every failure, of any kind, is the
/// one `decryption_failed`; an empty `keys` is a configuration error.
///
/// WK does not sign the assertion itself: call this only on an EncryptedData inside a Response
/// whose signature has been verified, never on a bare one.
pub fn decrypt_element(
    encrypted_data: Node<'_>,
    keys: &[PKey<Private>],
    policy: &DecryptionPolicy<'_>,
) -> Result<Vec<u8>> {
    if keys.is_empty() {
        return Err(Error::new(
            ErrorCode::ConfigInvalid,
            "no decryption key configured",
        ));
    }
    let parts = encrypted_data::read(encrypted_data)?;
    check_party(parts.party_u, policy.party_u, policy.encoding)?;
    check_party(parts.party_v, policy.party_v, policy.encoding)?;
    let other_info = other_info(
        parts.algorithm_id,
        parts.party_u,
        parts.party_v,
        policy.encoding,
    )?;
    keys.iter()
        .filter_map(|key| key.ec_key().ok())
        .filter(|ec| Curve::of_group(ec.group()) == Some(parts.curve))
        .find_map(|ec| decrypt_with(&ec, &parts, &other_info).ok())
        .ok_or_else(decryption_failed)
}

fn check_party(hex: &str, expected: Option<&str>, encoding: KdfEncoding) -> Result<()> {
    let Some(expected) = expected else {
        return Ok(());
    };
    let want = length_prefixed(expected.as_bytes()).ok_or_else(decryption_failed)?;
    if decode_field(hex, encoding)? == want {
        Ok(())
    } else {
        Err(decryption_failed())
    }
}

fn decrypt_with(
    key: &EcKeyRef<Private>,
    parts: &EncryptedParts<'_>,
    other_info: &[u8],
) -> Result<Vec<u8>> {
    let z = ecdh_with(key, &parts.ephemeral_point)?;
    let kek = concat_kdf(&z, other_info, parts.key_wrap.kek_len());
    // The unwrapped key's own length sizes AES (WK once sent 16 bytes under aes256-gcm).
    let cek = aes_key_unwrap(&kek, &parts.wrapped_key)?;
    aes_gcm_decrypt(&cek, &parts.cipher_data)
}
