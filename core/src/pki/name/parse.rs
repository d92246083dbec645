//! Reading a distinguished name string into RDNs, in written order. RFC 4514 is the grammar;
//! what producers add on top is accepted too: `;` between RDNs (RFC 2253 §4), spaces around
//! separators and quoted values (RFC 1779), `OID.`-prefixed types, and the short names Windows
//! and Java print (`S`, `E`, `SERIALNUMBER`, `G`, `T`). Anything else is a parse failure.

use super::{decode_string, fold, Ava, Rdn, Value};
use crate::pki::der::Reader;

/// Attribute type names → OIDs (upper case). `SN` is surname as in RFC 4519 and .NET.
const TYPES: &[(&str, &str)] = &[
    ("CN", "2.5.4.3"),
    ("COMMONNAME", "2.5.4.3"),
    ("SN", "2.5.4.4"),
    ("SURNAME", "2.5.4.4"),
    ("SERIALNUMBER", "2.5.4.5"),
    ("C", "2.5.4.6"),
    ("COUNTRYNAME", "2.5.4.6"),
    ("L", "2.5.4.7"),
    ("LOCALITYNAME", "2.5.4.7"),
    ("ST", "2.5.4.8"),
    ("S", "2.5.4.8"),
    ("STATEORPROVINCENAME", "2.5.4.8"),
    ("STREET", "2.5.4.9"),
    ("STREETADDRESS", "2.5.4.9"),
    ("O", "2.5.4.10"),
    ("ORGANIZATIONNAME", "2.5.4.10"),
    ("OU", "2.5.4.11"),
    ("ORGANIZATIONALUNITNAME", "2.5.4.11"),
    ("T", "2.5.4.12"),
    ("TITLE", "2.5.4.12"),
    ("DESCRIPTION", "2.5.4.13"),
    ("POSTALCODE", "2.5.4.17"),
    ("NAME", "2.5.4.41"),
    ("G", "2.5.4.42"),
    ("GN", "2.5.4.42"),
    ("GIVENNAME", "2.5.4.42"),
    ("I", "2.5.4.43"),
    ("INITIALS", "2.5.4.43"),
    ("GENERATIONQUALIFIER", "2.5.4.44"),
    ("DNQ", "2.5.4.46"),
    ("DNQUALIFIER", "2.5.4.46"),
    ("PSEUDONYM", "2.5.4.65"),
    ("ORGANIZATIONIDENTIFIER", "2.5.4.97"),
    ("UID", "0.9.2342.19200300.100.1.1"),
    ("DC", "0.9.2342.19200300.100.1.25"),
    ("E", "1.2.840.113549.1.9.1"),
    ("EMAIL", "1.2.840.113549.1.9.1"),
    ("EMAILADDRESS", "1.2.840.113549.1.9.1"),
];

/// A dotted OID in canonical form (no leading zeros), at least two arcs.
fn numeric_oid(s: &str) -> Option<String> {
    let arcs = s
        .split('.')
        .map(|arc| {
            if arc.is_empty() || !arc.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            arc.parse::<u128>().ok().map(|n| n.to_string())
        })
        .collect::<Option<Vec<_>>>()?;
    (arcs.len() >= 2).then(|| arcs.join("."))
}

fn attribute_oid(name: &str) -> Option<String> {
    let name = name.trim();
    let bare = match name.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("oid.") => name.get(4..)?,
        _ => name,
    };
    if bare.starts_with(|c: char| c.is_ascii_digit()) {
        return numeric_oid(bare);
    }
    let upper = bare.to_ascii_uppercase();
    TYPES
        .iter()
        .find(|(short, _)| *short == upper)
        .map(|(_, oid)| (*oid).to_owned())
}

fn hex_digit(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// The characters RFC 4514 (and RFC 2253/1779) let a backslash escape.
fn escapable(b: u8) -> bool {
    matches!(
        b,
        b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';' | b'=' | b'#' | b' '
    )
}

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// The byte a backslash escape stands for (the backslash already consumed).
    fn escape(&mut self) -> Option<u8> {
        let first = self.bump()?;
        if escapable(first) {
            return Some(first);
        }
        let second = self.bump()?;
        Some(hex_digit(first)? << 4 | hex_digit(second)?)
    }

    /// An attribute type: everything up to `=`.
    fn attribute_type(&mut self) -> Option<String> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b'=' => {
                    let name = std::str::from_utf8(self.s.get(start..self.pos)?).ok()?;
                    self.pos += 1;
                    return attribute_oid(name);
                }
                b',' | b'+' | b';' | b'"' | b'\\' => return None,
                _ => self.pos += 1,
            }
        }
        None
    }

    /// `#` followed by the hex of one complete DER TLV.
    fn hex_value(&mut self) -> Option<Value> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
            self.pos += 1;
        }
        let hex = self.s.get(start..self.pos)?;
        if hex.is_empty() || hex.len() % 2 != 0 {
            return None;
        }
        let bytes: Vec<u8> = hex
            .chunks_exact(2)
            .map(|p| Some(hex_digit(p[0])? << 4 | hex_digit(p[1])?))
            .collect::<Option<_>>()?;
        let mut r = Reader::new(&bytes);
        let tlv = r.read()?;
        r.finish()?;
        Some(match decode_string(tlv.tag, tlv.value) {
            Some(text) => Value::Text(fold(&text)),
            None => Value::Der(bytes.clone()),
        })
    }

    /// A `"…"` value (RFC 1779/2253): separators are literal inside, `\` still escapes.
    fn quoted_value(&mut self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            match self.bump()? {
                b'"' => return Some(out),
                b'\\' => out.push(self.escape()?),
                b => out.push(b),
            }
        }
    }

    /// A plain value up to the next unescaped `,` `+` `;` or the end.
    fn plain_value(&mut self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            match b {
                b',' | b'+' | b';' => break,
                b'\\' => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                _ => {
                    self.pos += 1;
                    out.push(b);
                }
            }
        }
        Some(out)
    }

    fn value(&mut self) -> Option<Value> {
        let bytes = match self.peek() {
            Some(b'#') => {
                self.pos += 1;
                return self.hex_value();
            }
            Some(b'"') => {
                self.pos += 1;
                self.quoted_value()?
            }
            _ => self.plain_value()?,
        };
        let text = String::from_utf8(bytes).ok()?;
        Some(Value::Text(fold(&text)))
    }
}

/// The RDNs of `text` in written order; None when it does not parse. An empty string is the
/// empty name.
pub(super) fn parse(text: &str) -> Option<Vec<Rdn>> {
    let mut c = Cursor {
        s: text.as_bytes(),
        pos: 0,
    };
    c.skip_spaces();
    let mut rdns = Vec::new();
    if c.peek().is_none() {
        return Some(rdns);
    }
    let mut rdn = Vec::new();
    loop {
        c.skip_spaces();
        let oid = c.attribute_type()?;
        c.skip_spaces();
        let value = c.value()?;
        rdn.push(Ava { oid, value });
        c.skip_spaces();
        match c.bump() {
            None => {
                rdns.push(rdn);
                return Some(rdns);
            }
            Some(b'+') => {}
            Some(b',' | b';') => rdns.push(std::mem::take(&mut rdn)),
            Some(_) => return None,
        }
    }
}
