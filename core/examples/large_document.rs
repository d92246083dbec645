//! Writes a signed ePUAP letter ("pismo ogólne") with one base64 attachment of about SIZE MB,
//! signed with a podpis zaufany under the test PKI, plus the trust anchor, for measuring
//! verification throughput and memory:
//!
//! ```sh
//! cargo run --release --example large_document -- 100 /tmp/pz
//! /usr/bin/time -v target/release/eidpl verify /tmp/pz/letter-100MB.xml \
//!     --trust-anchor /tmp/pz/anchors.pem --now 2026-06-01T12:00:00Z --json
//! ```
#![allow(clippy::unwrap_used, dead_code)]

#[path = "../tests/common/pki.rs"]
mod pki;
#[path = "../tests/common/xades.rs"]
mod xades;

use base64::Engine;

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "/tmp/eidpl-large".into()));
    std::fs::create_dir_all(&dir).unwrap();
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
    let p = pki::TestPki::shared();
    let mut spec = xades::XadesSpec::new(&p.seal.key, &p.seal.cert);
    spec.chain = vec![&p.intermediate.cert];
    spec.claimed_role = Some(xades::podpis_zp("Jan", "Kowalski", "87022243734"));
    let signed = xades::sign(&letter, &spec);
    let out = dir.join(format!("letter-{mb}MB.xml"));
    std::fs::write(&out, signed).unwrap();
    std::fs::write(dir.join("anchors.pem"), p.anchors_pem()).unwrap();
    println!("{}", out.display());
}
