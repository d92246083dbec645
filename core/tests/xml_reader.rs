//! `Document::parse_reader` keeps every rule of `Document::parse`: the same tree, DOCTYPE and
//! limits refused, read errors surfaced, never a partial tree.
#![allow(clippy::unwrap_used)]

use eidpl::xml::{Document, ParseLimits, ParseOptions};
use eidpl::ErrorCode;
use std::io::Read;

/// Hands out at most `step` bytes per read, then optionally fails.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
    fail_after: Option<usize>,
    served: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.fail_after.is_some_and(|n| self.served >= n) {
            return Err(std::io::Error::other("disk on fire"));
        }
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.served += n;
        Ok(n)
    }
}

fn trickle(data: &[u8], step: usize) -> Trickle<'_> {
    Trickle {
        data,
        step,
        fail_after: None,
        served: 0,
    }
}

#[test]
fn same_tree_as_parse_across_chunk_boundaries() {
    let big = format!(
        r#"<a xmlns="urn:x" ID="r"><b>{}</b><c ID="c1">Żółć</c></a>"#,
        "x".repeat(3 << 20)
    );
    let whole = Document::parse(big.as_bytes(), &ParseOptions::document()).unwrap();
    for step in [1 << 20, 7, 65_537] {
        let doc = Document::parse_reader(
            &mut trickle(big.as_bytes(), step),
            &ParseOptions::document(),
        )
        .unwrap();
        assert_eq!(
            doc.root().descendants().count(),
            whole.root().descendants().count()
        );
        assert_eq!(
            doc.element_by_id("c1").unwrap().leaf_text().unwrap(),
            "Żółć"
        );
    }
}

fn err(r: eidpl::Result<Document>) -> eidpl::Error {
    match r {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    }
}

// attack: xxe, rule-1
#[test]
fn rules_hold_on_the_reader_path() {
    let opts = ParseOptions::saml();
    let e = err(Document::parse_reader(
        &mut &b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>"[..],
        &opts,
    ));
    assert_eq!(e.code(), ErrorCode::DoctypeForbidden);
    let e = err(Document::parse_reader(&mut &b""[..], &opts));
    assert_eq!(e.code(), ErrorCode::XmlMalformed);
    let e = err(Document::parse_reader(&mut &b"<a><b></a>"[..], &opts));
    assert_eq!(e.code(), ErrorCode::XmlMalformed);
    let small = ParseOptions {
        limits: ParseLimits {
            max_bytes: 100,
            ..ParseLimits::saml()
        },
        ..ParseOptions::saml()
    };
    let long = format!("<a>{}</a>", "y".repeat(200));
    let e = err(Document::parse_reader(
        &mut trickle(long.as_bytes(), 30),
        &small,
    ));
    assert_eq!(e.code(), ErrorCode::LimitExceeded);
    let mut failing = Trickle {
        data: long.as_bytes(),
        step: 10,
        fail_after: Some(50),
        served: 0,
    };
    let e = err(Document::parse_reader(&mut failing, &opts));
    assert_eq!(e.code(), ErrorCode::IoError);
}
