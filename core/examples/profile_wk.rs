//! Profiling loop: parse + verify both signatures of the 2025 WK message N times.
#![allow(clippy::unwrap_used)]
use eidpl::dsig::{verify_enveloped, TrustedKeys};
use eidpl::xml::{ns, Document, ParseOptions};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/interop/wk-integration-2025");
    let bytes = std::fs::read(dir.join("artifact-response.xml")).unwrap();
    let keys = TrustedKeys::from_pem(&std::fs::read(dir.join("wk_sig_ec.pem")).unwrap()).unwrap();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let start = std::time::Instant::now();
    for _ in 0..n {
        let doc = Document::parse(&bytes, &ParseOptions::saml()).unwrap();
        let ar = doc
            .root()
            .descendants()
            .find(|e| e.is(ns::SAMLP, "ArtifactResponse"))
            .unwrap();
        let r = ar
            .child_elements()
            .find(|e| e.is(ns::SAMLP, "Response"))
            .unwrap();
        verify_enveloped(&doc, ar, &keys).unwrap();
        verify_enveloped(&doc, r, &keys).unwrap();
    }
    eprintln!(
        "{:.1} µs per message",
        start.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
