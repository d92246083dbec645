//! The algorithm allowlist. Anything not named here is `algorithm_not_allowed`, decided before
//! any transform or digest runs.

use crate::error::{Error, ErrorCode, Result};
use openssl::hash::MessageDigest;

/// Algorithm URIs.
pub mod uri {
    pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
    pub const SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    pub const SHA512: &str = "http://www.w3.org/2001/04/xmlenc#sha512";
    pub const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    pub const ECDSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
    pub const ECDSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
    pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    pub const RSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    pub const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    pub const RSA_PSS_SHA256: &str = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1";
    pub const RSA_PSS_SHA384: &str = "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1";
    pub const RSA_PSS_SHA512: &str = "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1";
    pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
    pub const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    pub const XPATH: &str = "http://www.w3.org/TR/1999/REC-xpath-19991116";
}

/// The only XPath expression eidpl evaluates, and only as this fixed node-set filter.
pub const XPATH_NO_SIGNATURES: &str = "not(ancestor-or-self::ds:Signature)";

/// Digest algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// From a DigestMethod URI.
    pub fn from_uri(uri: &str) -> Result<Self> {
        match uri {
            uri::SHA256 => Ok(Self::Sha256),
            uri::SHA384 => Ok(Self::Sha384),
            uri::SHA512 => Ok(Self::Sha512),
            other => Err(not_allowed("digest", other)),
        }
    }

    /// The URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::Sha256 => uri::SHA256,
            Self::Sha384 => uri::SHA384,
            Self::Sha512 => uri::SHA512,
        }
    }

    pub(crate) fn md(self) -> MessageDigest {
        match self {
            Self::Sha256 => MessageDigest::sha256(),
            Self::Sha384 => MessageDigest::sha384(),
            Self::Sha512 => MessageDigest::sha512(),
        }
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// Signature algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// ECDSA on P-256/384/521, SignatureValue raw `r‖s` of exact length.
    Ecdsa(DigestAlgorithm),
    /// RSA PKCS#1 v1.5, keys of at least 2048 bits.
    RsaPkcs1(DigestAlgorithm),
    /// RSA-PSS with MGF1 of the same hash and salt length = hash length (RFC 6931).
    RsaPss(DigestAlgorithm),
}

impl SignatureAlgorithm {
    /// From a SignatureMethod URI.
    pub fn from_uri(u: &str) -> Result<Self> {
        use DigestAlgorithm::*;
        Ok(match u {
            uri::ECDSA_SHA256 => Self::Ecdsa(Sha256),
            uri::ECDSA_SHA384 => Self::Ecdsa(Sha384),
            uri::ECDSA_SHA512 => Self::Ecdsa(Sha512),
            uri::RSA_SHA256 => Self::RsaPkcs1(Sha256),
            uri::RSA_SHA384 => Self::RsaPkcs1(Sha384),
            uri::RSA_SHA512 => Self::RsaPkcs1(Sha512),
            uri::RSA_PSS_SHA256 => Self::RsaPss(Sha256),
            uri::RSA_PSS_SHA384 => Self::RsaPss(Sha384),
            uri::RSA_PSS_SHA512 => Self::RsaPss(Sha512),
            other => return Err(not_allowed("signature", other)),
        })
    }

    /// The URI.
    pub fn uri(self) -> &'static str {
        use DigestAlgorithm::*;
        match self {
            Self::Ecdsa(Sha256) => uri::ECDSA_SHA256,
            Self::Ecdsa(Sha384) => uri::ECDSA_SHA384,
            Self::Ecdsa(Sha512) => uri::ECDSA_SHA512,
            Self::RsaPkcs1(Sha256) => uri::RSA_SHA256,
            Self::RsaPkcs1(Sha384) => uri::RSA_SHA384,
            Self::RsaPkcs1(Sha512) => uri::RSA_SHA512,
            Self::RsaPss(Sha256) => uri::RSA_PSS_SHA256,
            Self::RsaPss(Sha384) => uri::RSA_PSS_SHA384,
            Self::RsaPss(Sha512) => uri::RSA_PSS_SHA512,
        }
    }

    /// The hash under the signature.
    pub fn digest(self) -> DigestAlgorithm {
        match self {
            Self::Ecdsa(d) | Self::RsaPkcs1(d) | Self::RsaPss(d) => d,
        }
    }
}

pub(crate) fn not_allowed(kind: &str, uri: &str) -> Error {
    Error::new(
        ErrorCode::AlgorithmNotAllowed,
        format!("{kind} algorithm is not on the allowlist: {uri}"),
    )
    .with("kind", kind)
    .with("actual", uri)
}
