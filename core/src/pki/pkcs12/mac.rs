//! The PFX integrity check (RFC 7292 §4 and appendix B): an HMAC over the authSafe content under
//! a key derived from the password with the PKCS#12 KDF (ID = 3). Verifying it first is what lets
//! a wrong password be reported as such, rather than as some later decoding failure.

use super::{damaged, key_invalid};
use crate::error::Result;
use crate::pki::der::{self, Reader};
use openssl::hash::{hash, Hasher, MessageDigest};
use openssl::pkey::PKey;
use openssl::sign::Signer;

const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
const SHA2_PREFIX: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
/// Far above any real file (OpenSSL writes 2048, Java and WK's tool 50 000–100 000); a damaged
/// or hostile count must not stall the process.
const MAX_ITERATIONS: u32 = 10_000_000;

/// `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`.
pub(super) struct MacData<'a> {
    digest_oid: &'a [u8],
    mac: &'a [u8],
    salt: &'a [u8],
    iterations: u32,
}

pub(super) fn parse(mac_data: &[u8]) -> Option<MacData<'_>> {
    let mut r = Reader::new(mac_data);
    let mut digest_info = Reader::new(r.expect(der::SEQUENCE)?);
    let mut algorithm = Reader::new(digest_info.expect(der::SEQUENCE)?);
    let digest_oid = algorithm.expect(der::OID)?;
    if !algorithm.is_empty() {
        algorithm.expect(der::NULL)?;
    }
    algorithm.finish()?;
    let mac = digest_info.expect(der::OCTET_STRING)?;
    digest_info.finish()?;
    let salt = r.expect(der::OCTET_STRING)?;
    let iterations = if r.is_empty() {
        1
    } else {
        der::small_uint(r.expect(der::INTEGER)?)?
    };
    r.finish()?;
    Some(MacData {
        digest_oid,
        mac,
        salt,
        iterations,
    })
}

/// The digest and its KDF block size `v` (RFC 7292 B.2).
fn digest(oid: &[u8]) -> Option<(MessageDigest, usize)> {
    if oid == SHA1 {
        return Some((MessageDigest::sha1(), 64));
    }
    match oid.strip_prefix(SHA2_PREFIX)? {
        [1] => Some((MessageDigest::sha256(), 64)),
        [2] => Some((MessageDigest::sha384(), 128)),
        [3] => Some((MessageDigest::sha512(), 128)),
        [4] => Some((MessageDigest::sha224(), 64)),
        _ => None,
    }
}

/// Checks the MAC over `content` (the authSafe octets) with `password`.
pub(super) fn verify(mac_data: &MacData<'_>, content: &[u8], password: &str) -> Result<()> {
    let (md, v) = digest(mac_data.digest_oid)
        .ok_or_else(|| key_invalid("the PKCS#12 integrity MAC uses an unsupported digest"))?;
    if mac_data.iterations == 0 || mac_data.iterations > MAX_ITERATIONS {
        return Err(damaged());
    }
    if mac_data.mac.len() != md.size() {
        return Err(damaged());
    }
    // RFC 7292 B.1: BMPString with a two-byte terminator. OpenSSL also accepts an empty password
    // written as no bytes at all, so try both for "".
    let mut bmp: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    bmp.extend([0, 0]);
    let candidates: &[&[u8]] = if password.is_empty() {
        &[&bmp, &[]]
    } else {
        &[&bmp]
    };
    for candidate in candidates {
        let key = kdf(
            md,
            v,
            3,
            candidate,
            mac_data.salt,
            mac_data.iterations,
            md.size(),
        )
        .map_err(|_| damaged())?;
        let computed = hmac(md, &key, content).map_err(|_| damaged())?;
        if openssl::memcmp::eq(&computed, mac_data.mac) {
            return Ok(());
        }
    }
    Err(key_invalid("wrong password or damaged PKCS#12"))
}

pub(super) fn hmac(
    md: MessageDigest,
    key: &[u8],
    data: &[u8],
) -> std::result::Result<Vec<u8>, openssl::error::ErrorStack> {
    let key = PKey::hmac(key)?;
    let mut signer = Signer::new(md, &key)?;
    signer.update(data)?;
    signer.sign_to_vec()
}

/// RFC 7292 appendix B.2: `n` bytes of key material for purpose `id` (1 key, 2 IV, 3 MAC).
pub(super) fn kdf(
    md: MessageDigest,
    v: usize,
    id: u8,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    n: usize,
) -> std::result::Result<Vec<u8>, openssl::error::ErrorStack> {
    // Concatenate copies of `src` to a multiple of v bytes (nothing for an empty input).
    let fill = |src: &[u8]| -> Vec<u8> {
        let len = v * src.len().div_ceil(v);
        src.iter().copied().cycle().take(len).collect()
    };
    let mut i = fill(salt);
    i.extend(fill(password));
    let d = vec![id; v];
    let mut out = Vec::with_capacity(n);
    loop {
        let mut h = Hasher::new(md)?;
        h.update(&d)?;
        h.update(&i)?;
        let mut a = h.finish()?.to_vec();
        for _ in 1..iterations {
            a = hash(md, &a)?.to_vec();
        }
        out.extend(a.iter().take(n - out.len()));
        if out.len() >= n {
            return Ok(out);
        }
        // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block, B = A repeated to v bytes.
        let b: Vec<u8> = a.iter().copied().cycle().take(v).collect();
        for block in i.chunks_mut(v) {
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = sum.to_be_bytes()[1];
                carry = sum >> 8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn bmp(password: &str) -> Vec<u8> {
        password
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .chain([0, 0])
            .collect()
    }

    /// Dr Stephen Henson's PKCS#12 KDF test vectors (SHA-1), which OpenSSL and BouncyCastle test
    /// against: key, IV and MAC purposes, and a 24-byte key (two SHA-1 blocks) at 1000 iterations.
    #[test]
    fn kdf_matches_published_vectors() {
        let sha1 = MessageDigest::sha1();
        let salt = unhex("0a58cf64530d823f");
        let key = kdf(sha1, 64, 1, &bmp("smeg"), &salt, 1, 24).unwrap();
        assert_eq!(
            key,
            unhex("8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3")
        );
        let iv = kdf(sha1, 64, 2, &bmp("smeg"), &salt, 1, 8).unwrap();
        assert_eq!(iv, unhex("79993dfe048d3b76"));
        let salt = unhex("3d83c0e4546ac140");
        let mac = kdf(sha1, 64, 3, &bmp("smeg"), &salt, 1, 20).unwrap();
        assert_eq!(mac, unhex("8d967d88f6caa9d714800ab3d48051d63f73a312"));
        let salt = unhex("05dec959acff72f7");
        let key = kdf(sha1, 64, 1, &bmp("queeg"), &salt, 1000, 24).unwrap();
        assert_eq!(
            key,
            unhex("ed2034e36328830ff09df1e1a07dd357185dac0d4f9eb3d4")
        );
    }
}
