//! The XML Encryption algorithms eidpl reads and writes, by URI. Anything not listed here is
//! refused: no CBC (padding oracles), no RSA key transport (Bleichenbacher), no other KDFs.

use openssl::nid::Nid;
use openssl::pkey::{HasPublic, PKeyRef};

pub(crate) const ELEMENT_TYPE: &str = "http://www.w3.org/2001/04/xmlenc#Element";
pub(crate) const ECDH_ES: &str = "http://www.w3.org/2009/xmlenc11#ECDH-ES";
pub(crate) const CONCAT_KDF: &str = "http://www.w3.org/2009/xmlenc11#ConcatKDF";
/// The ConcatKDF digest, and the (meaningless, but always sent) DigestMethod under WK's
/// content EncryptionMethod.
pub(crate) const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

/// AES-GCM content encryption (XML Encryption 1.1): `IV(12) ‖ ciphertext ‖ tag(16)`, no AAD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContentAlgorithm {
    /// `http://www.w3.org/2009/xmlenc11#aes128-gcm`
    Aes128Gcm,
    /// `http://www.w3.org/2009/xmlenc11#aes192-gcm`
    Aes192Gcm,
    /// `http://www.w3.org/2009/xmlenc11#aes256-gcm` (what WK sends)
    #[default]
    Aes256Gcm,
}

impl ContentAlgorithm {
    /// The algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            ContentAlgorithm::Aes128Gcm => "http://www.w3.org/2009/xmlenc11#aes128-gcm",
            ContentAlgorithm::Aes192Gcm => "http://www.w3.org/2009/xmlenc11#aes192-gcm",
            ContentAlgorithm::Aes256Gcm => "http://www.w3.org/2009/xmlenc11#aes256-gcm",
        }
    }

    pub(crate) fn from_uri(uri: &str) -> Option<Self> {
        [Self::Aes128Gcm, Self::Aes192Gcm, Self::Aes256Gcm]
            .into_iter()
            .find(|a| a.uri() == uri)
    }

    /// The nominal key length in bytes (a decryptor sizes AES by the key it unwraps instead).
    pub fn key_len(self) -> usize {
        match self {
            ContentAlgorithm::Aes128Gcm => 16,
            ContentAlgorithm::Aes192Gcm => 24,
            ContentAlgorithm::Aes256Gcm => 32,
        }
    }
}

/// RFC 3394 AES key wrap of the content key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyWrap {
    Aes128,
    Aes192,
    Aes256,
}

impl KeyWrap {
    pub fn uri(self) -> &'static str {
        match self {
            KeyWrap::Aes128 => "http://www.w3.org/2001/04/xmlenc#kw-aes128",
            KeyWrap::Aes192 => "http://www.w3.org/2001/04/xmlenc#kw-aes192",
            KeyWrap::Aes256 => "http://www.w3.org/2001/04/xmlenc#kw-aes256",
        }
    }

    pub fn from_uri(uri: &str) -> Option<Self> {
        [Self::Aes128, Self::Aes192, Self::Aes256]
            .into_iter()
            .find(|w| w.uri() == uri)
    }

    /// The KEK length the KDF must produce, fixed by the algorithm.
    pub fn kek_len(self) -> usize {
        match self {
            KeyWrap::Aes128 => 16,
            KeyWrap::Aes192 => 24,
            KeyWrap::Aes256 => 32,
        }
    }

    /// The wrap that matches a content algorithm's strength (WK: kw-aes256 with aes256-gcm; the
    /// W3C vectors pair 128/128 and 192/192 the same way).
    pub fn matching(content: ContentAlgorithm) -> Self {
        match content {
            ContentAlgorithm::Aes128Gcm => KeyWrap::Aes128,
            ContentAlgorithm::Aes192Gcm => KeyWrap::Aes192,
            ContentAlgorithm::Aes256Gcm => KeyWrap::Aes256,
        }
    }
}

/// The curves ECDH-ES is accepted on, by their `dsig11:NamedCurve` URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    pub fn uri(self) -> &'static str {
        match self {
            Curve::P256 => "urn:oid:1.2.840.10045.3.1.7",
            Curve::P384 => "urn:oid:1.3.132.0.34",
            Curve::P521 => "urn:oid:1.3.132.0.35",
        }
    }

    pub fn from_uri(uri: &str) -> Option<Self> {
        [Self::P256, Self::P384, Self::P521]
            .into_iter()
            .find(|c| c.uri() == uri)
    }

    pub fn nid(self) -> Nid {
        match self {
            Curve::P256 => Nid::X9_62_PRIME256V1,
            Curve::P384 => Nid::SECP384R1,
            Curve::P521 => Nid::SECP521R1,
        }
    }

    /// Bytes of one coordinate (and of `Z`).
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The curve of an EC key; None for other key types and other curves.
    pub fn of_key<T: HasPublic>(key: &PKeyRef<T>) -> Option<Self> {
        Self::of_group(key.ec_key().ok()?.group())
    }

    /// The curve of an EC group, if it is one of ours.
    pub(crate) fn of_group(group: &openssl::ec::EcGroupRef) -> Option<Self> {
        let nid = group.curve_name()?;
        [Self::P256, Self::P384, Self::P521]
            .into_iter()
            .find(|c| c.nid() == nid)
    }
}
