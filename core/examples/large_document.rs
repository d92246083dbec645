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

#[path = "../tests/common/large_document.rs"]
mod large;
#[path = "../tests/common/pki.rs"]
mod pki;
#[path = "../tests/common/xades.rs"]
mod xades;

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "/tmp/eidpl-large".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = pki::TestPki::shared();
    let signed = large::signed_letter(mb, p);
    let out = dir.join(format!("letter-{mb}MB.xml"));
    std::fs::write(&out, signed).unwrap();
    std::fs::write(dir.join("anchors.pem"), p.anchors_pem()).unwrap();
    println!("{}", out.display());
}
