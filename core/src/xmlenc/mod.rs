//! XML Encryption as WK uses it: ECDH-ES (P-256; P-384/521 for the W3C vectors) key agreement,
//! ConcatKDF, AES key wrap and AES-GCM. Every decryption failure is the one uniform
//! `decryption_failed` (no oracle for an attacker).

mod algorithms;
mod cipher;
mod decrypt;
mod encrypted_data;
mod kdf;

pub use algorithms::ContentAlgorithm;
pub use cipher::{aes_gcm_decrypt, aes_key_unwrap, ecdh_shared_secret};
pub use decrypt::{decrypt_element, DecryptionPolicy};
pub use kdf::{concat_kdf, other_info, KdfEncoding};

use crate::error::{Error, ErrorCode};

pub(crate) fn decryption_failed() -> Error {
    Error::new(
        ErrorCode::DecryptionFailed,
        "the encrypted assertion could not be decrypted",
    )
}
