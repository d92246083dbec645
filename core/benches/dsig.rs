//! Verification of WK's two signatures against the crypto floor, and c14n throughput.
//!
//! `make bench-criterion` (or `cargo bench -p eidpl --bench dsig`). Reads ../shared/interop.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../tests/common/wk_floor.rs"]
mod floor;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eidpl::dsig::{verify_enveloped, TrustedKeys};
use eidpl::xml::{ns, C14nMethod, Document, Exclusion, Node, ParseOptions, Selection};
use openssl::ec::EcKey;
use openssl::pkey::Public;
use std::hint::black_box;

const SOAP: &str = "http://schemas.xmlsoap.org/soap/envelope/";

fn interop(rel: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/interop")
            .join(rel),
    )
    .unwrap()
}

fn child<'a>(n: Node<'a>, uri: &str, local: &str) -> Node<'a> {
    n.child_elements().find(|c| c.is(uri, local)).unwrap()
}

fn signed_elements(doc: &Document) -> [Node<'_>; 2] {
    let ar = child(
        child(doc.root(), SOAP, "Body"),
        ns::SAMLP,
        "ArtifactResponse",
    );
    [ar, child(ar, ns::SAMLP, "Response")]
}

fn wk_signatures(c: &mut Criterion) {
    let bytes = interop("wk-integration-2025/artifact-response.xml");
    let pem = interop("wk-integration-2025/wk_sig_ec.pem");
    let keys = TrustedKeys::from_pem(&pem).unwrap();
    let ec: EcKey<Public> = openssl::x509::X509::from_pem(&pem)
        .unwrap()
        .public_key()
        .unwrap()
        .ec_key()
        .unwrap();
    let doc = Document::parse(&bytes, &ParseOptions::saml()).unwrap();
    let floors: Vec<floor::SigFloor> = signed_elements(&doc)
        .iter()
        .map(|&el| floor::SigFloor::new(&doc, el))
        .collect();

    let mut g = c.benchmark_group("wk_artifact_response_2_signatures");
    g.bench_function("eidpl_parse_and_verify_both", |b| {
        b.iter(|| {
            let doc = Document::parse(black_box(&bytes), &ParseOptions::saml()).unwrap();
            for el in signed_elements(&doc) {
                verify_enveloped(&doc, el, &keys).unwrap();
            }
        })
    });
    g.bench_function("crypto_floor_2_ecdsa_plus_sha256", |b| {
        b.iter(|| {
            for f in &floors {
                f.run(&ec);
            }
        })
    });
    g.finish();
}

/// The c14n work of verifying both signatures: each signed element less its signature (WK's
/// PrefixList) into SHA-256, and each SignedInfo into a buffer.
fn wk_c14n(c: &mut Criterion) {
    let bytes = interop("wk-integration-2025/artifact-response.xml");
    let doc = Document::parse(&bytes, &ParseOptions::saml()).unwrap();
    let listed = C14nMethod::Exclusive {
        inclusive_prefixes: floor::WK_PREFIXES.iter().map(|s| (*s).to_owned()).collect(),
    };
    let plain = C14nMethod::Exclusive {
        inclusive_prefixes: Vec::new(),
    };
    let parts: Vec<_> = signed_elements(&doc)
        .iter()
        .map(|&el| {
            let sig = child(el, ns::DS, "Signature");
            (el, sig, child(sig, ns::DS, "SignedInfo"))
        })
        .collect();
    let mut g = c.benchmark_group("wk_artifact_response_c14n");
    g.bench_function("4_passes", |b| {
        b.iter(|| {
            for &(el, sig, si) in &parts {
                let mut h = openssl::sha::Sha256::new();
                let mut w = ShaWriter(&mut h);
                doc.canonicalize(
                    Selection::Subtree(el),
                    Exclusion::Subtree(sig),
                    &listed,
                    &mut w,
                )
                .unwrap();
                black_box(h.finish());
                black_box(
                    doc.canonicalize_to_vec(Selection::Subtree(si), Exclusion::Nothing, &plain)
                        .unwrap(),
                );
            }
        })
    });
    g.finish();
}

struct ShaWriter<'h>(&'h mut openssl::sha::Sha256);

impl std::io::Write for ShaWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// ~100 MB: many small signed-document-like elements plus large base64-like text nodes.
fn big_document() -> Vec<u8> {
    let mut s = String::with_capacity(105 << 20);
    s.push_str(r#"<doc xmlns="urn:example:doc" xmlns:a="urn:example:a" xmlns:unused="urn:example:unused">"#);
    let text: String = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw+/==".repeat(20_000);
    let mut i = 0;
    while s.len() < 100 << 20 {
        s.push_str(&format!(r#"<a:item id="i{i}" b="x &amp; y" a="1"><a:name>Żółć &lt;{i}&gt;</a:name><a:blob>{text}</a:blob></a:item>"#));
        i += 1;
    }
    s.push_str("</doc>");
    s.into_bytes()
}

fn c14n_throughput(c: &mut Criterion) {
    let bytes = big_document();
    let doc = Document::parse(&bytes, &ParseOptions::document()).unwrap();
    let exc = C14nMethod::Exclusive {
        inclusive_prefixes: Vec::new(),
    };
    let mut g = c.benchmark_group("c14n_100MB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("exclusive_into_sha256", |b| {
        b.iter(|| {
            let mut h = openssl::hash::Hasher::new(openssl::hash::MessageDigest::sha256()).unwrap();
            doc.canonicalize(Selection::Document, Exclusion::Nothing, &exc, &mut h)
                .unwrap();
            black_box(h.finish().unwrap());
        })
    });
    g.bench_function("exclusive_into_sink", |b| {
        b.iter(|| {
            doc.canonicalize(
                Selection::Document,
                Exclusion::Nothing,
                &exc,
                &mut std::io::sink(),
            )
            .unwrap()
        })
    });
    // The same bytes through the subtree serializer (a `#id` reference to a large element).
    g.bench_function("exclusive_subtree_into_sha256", |b| {
        b.iter(|| {
            let mut h = openssl::hash::Hasher::new(openssl::hash::MessageDigest::sha256()).unwrap();
            doc.canonicalize(
                Selection::Subtree(doc.root()),
                Exclusion::Nothing,
                &exc,
                &mut h,
            )
            .unwrap();
            black_box(h.finish().unwrap());
        })
    });
    g.bench_function("exclusive_subtree_into_sink", |b| {
        b.iter(|| {
            doc.canonicalize(
                Selection::Subtree(doc.root()),
                Exclusion::Nothing,
                &exc,
                &mut std::io::sink(),
            )
            .unwrap()
        })
    });
    g.bench_function("parse", |b| {
        b.iter(|| Document::parse(black_box(&bytes), &ParseOptions::document()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, wk_signatures, wk_c14n, c14n_throughput);
criterion_main!(benches);
