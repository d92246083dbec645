//! ConcatKDF (NIST SP 800-56A) with the two encodings of its OtherInfo attributes seen in practice.

use super::decryption_failed;
use crate::error::Result;
use openssl::sha::Sha256;

/// How `AlgorithmID`, `PartyUInfo` and `PartyVInfo` (hex attributes) become OtherInfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KdfEncoding {
    /// WK: each attribute hex-decoded whole (`uint32_be(len) ‖ ASCII`). The default for WK.
    #[default]
    Wk,
    /// XML Encryption 1.1: the first octet of each attribute is a padding-bit count (must be
    /// zero) and is dropped.
    Xmlenc11,
}

fn unhex(s: &str) -> Result<Vec<u8>> {
    let s = s.trim();
    if s.len() % 2 != 0 {
        return Err(decryption_failed());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(decryption_failed)
}

/// One attribute's contribution to OtherInfo.
pub(crate) fn decode_field(hex: &str, encoding: KdfEncoding) -> Result<Vec<u8>> {
    let raw = unhex(hex)?;
    if raw.is_empty() {
        return Ok(raw); // an absent party contributes nothing in either encoding
    }
    match encoding {
        KdfEncoding::Wk => Ok(raw),
        KdfEncoding::Xmlenc11 => match raw.split_first() {
            Some((0, rest)) => Ok(rest.to_vec()),
            _ => Err(decryption_failed()),
        },
    }
}

/// OtherInfo = AlgorithmID ‖ PartyUInfo ‖ PartyVInfo, decoded per `encoding`.
pub fn other_info(
    algorithm_id: &str,
    party_u: &str,
    party_v: &str,
    encoding: KdfEncoding,
) -> Result<Vec<u8>> {
    let mut out = decode_field(algorithm_id, encoding)?;
    out.extend(decode_field(party_u, encoding)?);
    out.extend(decode_field(party_v, encoding)?);
    Ok(out)
}

/// `uint32_be(len) ‖ value`: how WK fills AlgorithmID, PartyUInfo and PartyVInfo (None when the
/// value is longer than a u32 can say).
pub(crate) fn length_prefixed(value: &[u8]) -> Option<Vec<u8>> {
    let len = u32::try_from(value.len()).ok()?;
    let mut out = len.to_be_bytes().to_vec();
    out.extend_from_slice(value);
    Some(out)
}

/// One attribute as WK writes it: uppercase hex of `uint32_be(len) ‖ value`, behind the
/// padding-count octet `00` under the xmlenc11 encoding (the inverse of `decode_field`).
pub(crate) fn encode_field(value: &[u8], encoding: KdfEncoding) -> Option<String> {
    let mut raw = length_prefixed(value)?;
    if encoding == KdfEncoding::Xmlenc11 {
        raw.insert(0, 0);
    }
    Some(raw.iter().map(|b| format!("{b:02X}")).collect())
}

/// ConcatKDF with SHA-256: `H(counter ‖ Z ‖ OtherInfo)` for counter = 1, 2, … truncated to `len`.
pub fn concat_kdf(z: &[u8], other_info: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut counter: u32 = 1;
    while out.len() < len {
        let mut h = Sha256::new();
        h.update(&counter.to_be_bytes());
        h.update(z);
        h.update(other_info);
        out.extend_from_slice(&h.finish());
        counter += 1;
    }
    out.truncate(len);
    out
}
