//! A minimal DER reader for the structures eidpl walks itself: PKCS#12 that OpenSSL's default
//! provider cannot open, and the certificate/CRL parts the openssl crate has no accessor for
//! (arbitrary extensions, names with their RDN structure). Definite lengths only, single-byte
//! tags, and every length checked against the bytes that remain: malformed input is `None`,
//! never a panic.

pub(crate) const BOOLEAN: u8 = 0x01;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;
/// `[0]` constructed (EXPLICIT tagging).
pub(crate) const CONTEXT_0: u8 = 0xa0;
/// `[1]` constructed.
pub(crate) const CONTEXT_1: u8 = 0xa1;
/// `[2]` constructed.
pub(crate) const CONTEXT_2: u8 = 0xa2;
/// `[3]` constructed (certificate extensions).
pub(crate) const CONTEXT_3: u8 = 0xa3;

/// One tag-length-value: `value` is the content octets, `raw` the whole encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub value: &'a [u8],
    pub raw: &'a [u8],
}

/// Reads consecutive TLVs from a byte slice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next TLV, or None at the end or on malformed input.
    pub fn read(&mut self) -> Option<Tlv<'a>> {
        let input = self.rest;
        let (&tag, rest) = input.split_first()?;
        if tag & 0x1f == 0x1f {
            return None; // multi-byte tag numbers do not occur in the structures we read
        }
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return None; // indefinite length (BER) or beyond any sane size
            }
            let (bytes, after) = rest.split_at_checked(n)?;
            rest = after;
            bytes.iter().try_fold(0usize, |acc, &b| {
                acc.checked_mul(256)?.checked_add(usize::from(b))
            })?
        };
        let (value, after) = rest.split_at_checked(len)?;
        let raw = input.get(..input.len() - after.len())?;
        self.rest = after;
        Some(Tlv { tag, value, raw })
    }

    /// The content of the next TLV, which must carry `tag`.
    pub fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        self.expect_tlv(tag).map(|t| t.value)
    }

    /// The next TLV, which must carry `tag`.
    pub fn expect_tlv(&mut self, tag: u8) -> Option<Tlv<'a>> {
        let tlv = self.read()?;
        (tlv.tag == tag).then_some(tlv)
    }

    /// Succeeds only when nothing is left (no trailing bytes after a structure).
    pub fn finish(&self) -> Option<()> {
        self.is_empty().then_some(())
    }

    /// The tag of the next TLV without consuming it (for OPTIONAL fields).
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next TLV if it carries `tag`, else None and nothing consumed (OPTIONAL fields).
    pub fn optional(&mut self, tag: u8) -> Option<Tlv<'a>> {
        if self.peek_tag() == Some(tag) {
            self.read()
        } else {
            None
        }
    }
}

/// Exactly one TLV with `tag` and nothing after it.
pub(crate) fn single(bytes: &[u8], tag: u8) -> Option<&[u8]> {
    let mut r = Reader::new(bytes);
    let value = r.expect(tag)?;
    r.finish()?;
    Some(value)
}

/// A DER BOOLEAN's content: exactly one byte, 0x00 or 0xff.
pub(crate) fn boolean(value: &[u8]) -> Option<bool> {
    match value {
        [0x00] => Some(false),
        [0xff] => Some(true),
        _ => None,
    }
}

/// The dotted form of an OBJECT IDENTIFIER's content octets (`2.5.4.97`). Non-minimal arcs
/// (a leading 0x80 byte) and arcs beyond 128 bits are rejected, so one OID has one spelling.
pub(crate) fn oid_to_string(value: &[u8]) -> Option<String> {
    let mut arcs: Vec<u128> = Vec::new();
    let mut acc: u128 = 0;
    let mut in_arc = false;
    for &b in value {
        if !in_arc && b == 0x80 {
            return None;
        }
        in_arc = true;
        acc = acc.checked_mul(128)?.checked_add(u128::from(b & 0x7f))?;
        if b & 0x80 == 0 {
            arcs.push(acc);
            acc = 0;
            in_arc = false;
        }
    }
    if in_arc {
        return None; // truncated arc
    }
    let (&first, rest) = arcs.split_first()?;
    let (a, b) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut out = format!("{a}.{b}");
    for arc in rest {
        out.push('.');
        out.push_str(&arc.to_string());
    }
    Some(out)
}

/// A small non-negative INTEGER (iteration counts, versions).
pub(crate) fn small_uint(value: &[u8]) -> Option<u32> {
    let (&first, _) = value.split_first()?;
    if first & 0x80 != 0 {
        return None; // negative
    }
    let digits = match value {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => value,
    };
    if digits.len() > 4 {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u32, |acc, &b| (acc << 8) | u32::from(b)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths_and_rejects_overruns() {
        let mut r = Reader::new(&[0x04, 0x02, 0xaa, 0xbb, 0x30, 0x81, 0x01, 0x05]);
        assert_eq!(r.expect(OCTET_STRING), Some(&[0xaa, 0xbb][..]));
        let t = r.expect_tlv(SEQUENCE).unwrap();
        assert_eq!(t.value, &[0x05]);
        assert_eq!(t.raw, &[0x30, 0x81, 0x01, 0x05]);
        assert!(r.finish().is_some());
        for bad in [
            &[0x04, 0x03, 0xaa][..],                  // length past the end
            &[0x30, 0x80, 0x00, 0x00],                // indefinite length
            &[0x30, 0x85, 1, 0, 0, 0, 0],             // 5-byte length
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0], // huge length
            &[0x1f, 0x01, 0x00],                      // high tag number
            &[0x30],                                  // no length
        ] {
            assert!(Reader::new(bad).read().is_none(), "{bad:02x?}");
        }
    }

    #[test]
    fn oids_decode_to_one_dotted_spelling() {
        assert_eq!(
            oid_to_string(&[0x55, 0x04, 0x61]).as_deref(),
            Some("2.5.4.97")
        );
        assert_eq!(
            oid_to_string(&[0x04, 0x00, 0x8e, 0x46, 0x01, 0x01]).as_deref(),
            Some("0.4.0.1862.1.1")
        );
        assert_eq!(
            oid_to_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01]).as_deref(),
            Some("1.2.840.113549.1.9.1")
        );
        assert_eq!(oid_to_string(&[0x88, 0x37]).as_deref(), Some("2.999"));
        for bad in [&[][..], &[0x55, 0x84], &[0x55, 0x80, 0x01], &[0xff; 20]] {
            assert_eq!(oid_to_string(bad), None, "{bad:02x?}");
        }
    }

    #[test]
    fn optional_fields_and_booleans() {
        let mut r = Reader::new(&[0x01, 0x01, 0xff, 0x02, 0x01, 0x05]);
        assert!(r.optional(INTEGER).is_none());
        assert_eq!(
            r.optional(BOOLEAN).map(|t| boolean(t.value)),
            Some(Some(true))
        );
        assert_eq!(r.expect(INTEGER), Some(&[5][..]));
        assert_eq!(boolean(&[0x01]), None);
        assert_eq!(single(&[0x05, 0x00], NULL), Some(&[][..]));
        assert_eq!(single(&[0x05, 0x00, 0x05, 0x00], NULL), None);
    }

    #[test]
    fn small_uint_accepts_only_small_non_negative_values() {
        assert_eq!(small_uint(&[0x03]), Some(3));
        assert_eq!(small_uint(&[0x00, 0x86, 0xa0]), Some(0x86a0));
        assert_eq!(small_uint(&[0x01, 0x86, 0xa0]), Some(100_000));
        assert_eq!(small_uint(&[0x80]), None);
        assert_eq!(small_uint(&[]), None);
        assert_eq!(small_uint(&[1, 0, 0, 0, 0]), None);
    }
}
