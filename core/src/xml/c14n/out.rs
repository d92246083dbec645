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

impl Escape {
    fn replacement(self, b: u8) -> Option<&'static [u8]> {
        match (self, b) {
            (Escape::Text | Escape::Attribute, b'&') => Some(b"&amp;"),
            (Escape::Text | Escape::Attribute, b'<') => Some(b"&lt;"),
            (Escape::Text, b'>') => Some(b"&gt;"),
            (Escape::Attribute, b'"') => Some(b"&quot;"),
            (Escape::Attribute, b'\t') => Some(b"&#x9;"),
            (Escape::Attribute, b'\n') => Some(b"&#xA;"),
            (_, b'\r') => Some(b"&#xD;"),
            _ => None,
        }
    }

    /// A byte table of the characters this context replaces, for the scan loop.
    const fn table(self) -> [bool; 256] {
        let mut t = [false; 256];
        t[b'\r' as usize] = true;
        match self {
            Escape::Text => {
                t[b'&' as usize] = true;
                t[b'<' as usize] = true;
                t[b'>' as usize] = true;
            }
            Escape::Attribute => {
                t[b'&' as usize] = true;
                t[b'<' as usize] = true;
                t[b'"' as usize] = true;
                t[b'\t' as usize] = true;
                t[b'\n' as usize] = true;
            }
            Escape::Pi => {}
        }
        t
    }
}

const TEXT: [bool; 256] = Escape::Text.table();
const ATTRIBUTE: [bool; 256] = Escape::Attribute.table();
const PI: [bool; 256] = Escape::Pi.table();

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
        let table = match escape {
            Escape::Text => &TEXT,
            Escape::Attribute => &ATTRIBUTE,
            Escape::Pi => &PI,
        };
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if table[usize::from(b)] {
                if let Some(rep) = escape.replacement(b) {
                    self.raw(&bytes[start..i])?;
                    self.raw(rep)?;
                    start = i + 1;
                }
            }
        }
        self.raw(&bytes[start..])
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
