//! Fresh message IDs: `ID-<uuid v4>` from OpenSSL's CSPRNG (unpredictable, so an attacker cannot
//! pre-compute a matching InResponseTo).

use crate::error::{Error, ErrorCode, Result};

/// A fresh `ID-xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` (an NCName, as SAML IDs must be).
pub fn fresh_id() -> Result<String> {
    let mut b = [0u8; 16];
    openssl::rand::rand_bytes(&mut b)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("no randomness: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "ID-{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_fresh_uuids() {
        let a = super::fresh_id().unwrap();
        let b = super::fresh_id().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 39);
        assert_eq!(&a[17..18], "4");
    }
}
