//! Buffered canonical output: small pieces collect in one reused buffer and reach the sink (a
//! hasher) in large writes; long runs bypass the buffer. Escaping as Canonical XML 1.0 §2.3
//! (and libxml2's `xmlC11NNormalizeString`) does it.

use std::io::{self, Write};

/// Flush threshold: large enough that a hasher sees few calls, small enough to stay in L1/L2.
const CAPACITY: usize = 16 << 10;

pub(super) struct Out<'w> {
    buf: Vec<u8>,
    sink: &'w mut dyn Write,
    written: u64,
}

/// Which characters a context replaces with references.
#[derive(Clone, Copy)]
pub(super) enum Escape {
    /// Text: `& < > #xD`.
    Text,
    /// Attribute values: `& < " #x9 #xA #xD`.
    Attribute,
    /// PI data: `#xD`.
    Pi,
}

// Plain compares joined by `|` (not `matches!`, which becomes a bit test that does not
// vectorize).
fn text_special(b: u8) -> bool {
    (b == b'&') | (b == b'<') | (b == b'>') | (b == b'\r')
}

fn attribute_special(b: u8) -> bool {
    (b == b'&') | (b == b'<') | (b == b'"') | (b == b'\t') | (b == b'\n') | (b == b'\r')
}

fn pi_special(b: u8) -> bool {
    b == b'\r'
}

fn replacement(b: u8) -> &'static [u8] {
    match b {
        b'&' => b"&amp;",
        b'<' => b"&lt;",
        b'>' => b"&gt;",
        b'"' => b"&quot;",
        b'\t' => b"&#x9;",
        b'\n' => b"&#xA;",
        _ => b"&#xD;",
    }
}

/// Length of the leading run of `bytes` with no special character: whole blocks first, tested
/// without branches so the compiler can use vector compares (text is mostly long clean runs,
/// base64 above all), then byte by byte.
#[inline(always)]
fn clean_run(bytes: &[u8], special: impl Fn(u8) -> bool) -> usize {
    const BLOCK: usize = 32;
    let mut n = 0;
    for block in bytes.chunks_exact(BLOCK) {
        if block.iter().fold(false, |hit, &b| hit | special(b)) {
            break;
        }
        n += BLOCK;
    }
    n + bytes[n..]
        .iter()
        .position(|&b| special(b))
        .unwrap_or(bytes.len() - n)
}

impl<'w> Out<'w> {
    pub(super) fn new(sink: &'w mut dyn Write) -> Self {
        Out {
            buf: Vec::with_capacity(CAPACITY),
            sink,
            written: 0,
        }
    }

    fn drain(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.sink.write_all(&self.buf)?;
            self.written += self.buf.len() as u64;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes `bytes` as they are.
    #[inline]
    pub(super) fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.buf.len() + bytes.len() > CAPACITY {
            self.drain()?;
            if bytes.len() >= CAPACITY {
                self.sink.write_all(bytes)?;
                self.written += bytes.len() as u64;
                return Ok(());
            }
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// Writes `bytes` with the characters `escape` names replaced by references.
    pub(super) fn escaped(&mut self, bytes: &[u8], escape: Escape) -> io::Result<()> {
        match escape {
            Escape::Text => self.escaped_with(bytes, text_special),
            Escape::Attribute => self.escaped_with(bytes, attribute_special),
            Escape::Pi => self.escaped_with(bytes, pi_special),
        }
    }

    #[inline(always)]
    fn escaped_with(&mut self, mut bytes: &[u8], special: impl Fn(u8) -> bool) -> io::Result<()> {
        loop {
            let clean = clean_run(bytes, &special);
            self.raw(&bytes[..clean])?;
            let Some(&b) = bytes.get(clean) else {
                return Ok(());
            };
            self.raw(replacement(b))?;
            bytes = &bytes[clean + 1..];
        }
    }

    /// Flushes what is left; returns the total byte count.
    pub(super) fn finish(mut self) -> io::Result<u64> {
        self.drain()?;
        Ok(self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::{Escape, Out};

    fn run(f: impl FnOnce(&mut Out<'_>) -> std::io::Result<()>) -> Vec<u8> {
        let mut v = Vec::new();
        let mut out = Out::new(&mut v);
        f(&mut out).unwrap();
        let n = out.finish().unwrap();
        assert_eq!(n, v.len() as u64);
        v
    }

    #[test]
    fn escapes_per_context() {
        let s = b"a&b<c>d\"e'f\tg\nh\ri";
        assert_eq!(
            run(|o| o.escaped(s, Escape::Text)),
            b"a&amp;b&lt;c&gt;d\"e'f\tg\nh&#xD;i"
        );
        assert_eq!(
            run(|o| o.escaped(s, Escape::Attribute)),
            b"a&amp;b&lt;c>d&quot;e'f&#x9;g&#xA;h&#xD;i"
        );
        assert_eq!(
            run(|o| o.escaped(s, Escape::Pi)),
            b"a&b<c>d\"e'f\tg\nh&#xD;i"
        );
    }

    #[test]
    fn large_and_small_pieces_keep_their_order() {
        let big = vec![b'x'; super::CAPACITY * 2 + 3];
        let v = run(|o| {
            o.raw(b"<a>")?;
            o.escaped(&big, Escape::Text)?;
            o.raw(b"&")?;
            o.escaped(&big, Escape::Attribute)?;
            o.raw(b"</a>")
        });
        let mut expected = b"<a>".to_vec();
        expected.extend_from_slice(&big);
        expected.push(b'&');
        expected.extend_from_slice(&big);
        expected.extend_from_slice(b"</a>");
        assert_eq!(v, expected);
    }
}
