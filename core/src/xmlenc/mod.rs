//! XML Encryption as WK uses it: ECDH-ES (P-256; P-384/521 for the W3C vectors) key agreement,
//! ConcatKDF, AES key wrap and AES-GCM. Every decryption failure is the one uniform
//! `decryption_failed` (no oracle for an attacker).
//!
//! ```
//! use eidpl::xml::{Document, ParseOptions};
//! use eidpl::xmlenc::{decrypt_element, encrypt_element, DecryptionPolicy, EncryptOptions, KdfEncoding};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let (du_key, du_cert) = eidpl::pki::self_signed_p256("DU encryption", 1)?;
//! // WK's side (the simulator): encrypt an assertion to the DU's encryption certificate.
//! let assertion = br#"<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"/>"#;
//! let options = EncryptOptions { declare_namespaces: true, ..EncryptOptions::wk("login.gov.pl", "https://gmina.example.pl") };
//! let fragment = encrypt_element(assertion, &du_cert.public_key()?, &options)?;
//! // The DU's side: decrypt (inside the verified Response), checking whom it is from and for.
//! let doc = Document::parse(fragment.as_bytes(), &ParseOptions::saml())?;
//! let policy = DecryptionPolicy { encoding: KdfEncoding::Wk, party_u: Some("login.gov.pl"), party_v: Some("https://gmina.example.pl") };
//! assert_eq!(decrypt_element(doc.root(), &[du_key], &policy)?, assertion);
//! # Ok(())
//! # }
//! ```

mod algorithms;
mod cipher;
mod decrypt;
mod encrypt;
mod encrypted_data;
mod kdf;

pub use algorithms::ContentAlgorithm;
pub use cipher::{aes_gcm_decrypt, aes_key_unwrap, ecdh_shared_secret};
pub use decrypt::{decrypt_element, DecryptionPolicy};
pub use encrypt::{encrypt_element, EncryptOptions};
pub use kdf::{concat_kdf, other_info, KdfEncoding};

use crate::error::{Error, ErrorCode};

pub(crate) fn decryption_failed() -> Error {
    Error::new(
        ErrorCode::DecryptionFailed,
        "the encrypted assertion could not be decrypted",
    )
}
