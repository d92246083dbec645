//! Full WK ArtifactResponse validation (parse, two signature verifications, decryption, every
//! check) next to the crypto floor on the same message: 2 ECDSA verifications with their SHA-256
//! digests, 1 ECDH, ConcatKDF, AES key unwrap and AES-GCM.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../tests/common/wk.rs"]
mod world;

#[allow(dead_code)]
#[path = "../tests/common/wk_floor.rs"]
mod floor;

use criterion::{criterion_group, criterion_main, Criterion};
use eidpl::time::UtcTime;
use eidpl::wk::{ReplayStore, ServiceProvider};
use eidpl::xml::{Document, ParseOptions};
use std::hint::black_box;
use std::sync::Arc;

/// Validating one message over and over is a replay by design; the bench measures validation.
struct NoReplayCheck;

impl ReplayStore for NoReplayCheck {
    fn insert_once(&self, _: &str, _: UtcTime, _: UtcTime) -> eidpl::Result<bool> {
        Ok(true)
    }
}

fn wk_validation(c: &mut Criterion) {
    let w = world::World::new();
    let answer = w.answer();
    let sp: ServiceProvider = w.sp().with_replay_store(Arc::new(NoReplayCheck));
    let expected = w.expected();
    sp.validate_artifact_response(answer.as_bytes(), &expected)
        .unwrap();
    let doc = Document::parse(answer.as_bytes(), &ParseOptions::saml()).unwrap();
    let f = floor::floor(&doc, &w.wk_cert);

    let mut g = c.benchmark_group("wk_artifact_response_full_validation");
    g.bench_function("eidpl_validate_artifact_response", |b| {
        b.iter(|| {
            sp.validate_artifact_response(black_box(answer.as_bytes()), &expected)
                .unwrap()
        })
    });
    g.bench_function("crypto_floor_2_ecdsa_ecdh_kdf_unwrap_gcm", |b| {
        b.iter(|| floor::run(&f, &w.enc_key))
    });
    g.finish();
}

criterion_group!(benches, wk_validation);
criterion_main!(benches);
