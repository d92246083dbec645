//! Digests over OpenSSL's direct SHA-2 functions: no per-call algorithm fetch (a lock and a
//! provider lookup in OpenSSL 3), which dominates for small SAML messages.

use super::algorithms::DigestAlgorithm;
use openssl::sha::{Sha256, Sha384, Sha512};

/// A streaming digest that c14n output can be written into.
pub(crate) enum DigestWriter {
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
}

impl DigestWriter {
    pub(crate) fn new(alg: DigestAlgorithm) -> Self {
        match alg {
            DigestAlgorithm::Sha256 => Self::Sha256(Sha256::new()),
            DigestAlgorithm::Sha384 => Self::Sha384(Sha384::new()),
            DigestAlgorithm::Sha512 => Self::Sha512(Sha512::new()),
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Self::Sha256(h) => h.finish().to_vec(),
            Self::Sha384(h) => h.finish().to_vec(),
            Self::Sha512(h) => h.finish().to_vec(),
        }
    }
}

impl std::io::Write for DigestWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Self::Sha256(h) => h.update(buf),
            Self::Sha384(h) => h.update(buf),
            Self::Sha512(h) => h.update(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One-shot digest.
pub(crate) fn digest(alg: DigestAlgorithm, data: &[u8]) -> Vec<u8> {
    let mut w = DigestWriter::new(alg);
    std::io::Write::write_all(&mut w, data).unwrap_or(());
    w.finish()
}
