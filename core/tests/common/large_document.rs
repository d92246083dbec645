//! The large signed ePUAP letter written by `examples/large_document.rs` and by bench/rust's
//! `bench_fixtures`, so that both measure the same kind of document.
#![allow(clippy::unwrap_used)]

use super::{pki, xades};
use base64::Engine;

/// An ePUAP letter ("pismo ogólne") with one base64 attachment of about `mb` MB, signed with
/// the podpis zaufany seal of `p`.
pub fn signed_letter(mb: usize, p: &pki::TestPki) -> String {
    // Incompressible-looking bytes, base64 in 76-character lines as ePUAP writes them.
    let mut raw = vec![0u8; mb * 1024 * 1024 * 3 / 4];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for b in raw.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(&raw);
    // The copies are dropped as soon as they are used: the bench writes letters of 500 MB.
    drop(raw);
    let wrapped: String = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    drop(b64);
    let letter = xades::pismo_ogolne(&[("skan.bin", &wrapped)]);
    drop(wrapped);
    let mut spec = xades::XadesSpec::new(&p.seal.key, &p.seal.cert);
    spec.chain = vec![&p.intermediate.cert];
    spec.claimed_role = Some(xades::podpis_zp("Jan", "Kowalski", "87022243734"));
    xades::sign(&letter, &spec)
}
