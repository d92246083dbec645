//! Profiling loop for the whole WK path: `validate_artifact_response` on one generated answer N
//! times (replay check off: validating one message repeatedly is a replay by design), or with
//! `floor` the crypto floor of `benches/wk.rs` N times, or with `parse` only the answer's libxml2
//! parse. For `perf record` and `valgrind --tool=callgrind`, whose instruction counts do not
//! depend on the machine's load (compare two runs with different N to take out the set-up;
//! `make bench` reports these counts):
//!
//! ```sh
//! cargo build --release --example profile_wk_full
//! valgrind --tool=callgrind target/release/examples/profile_wk_full 200
//! valgrind --tool=callgrind target/release/examples/profile_wk_full 200 floor
//! valgrind --tool=callgrind target/release/examples/profile_wk_full 200 parse
//! ```
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../tests/common/wk.rs"]
mod world;

#[allow(dead_code)]
#[path = "../tests/common/wk_floor.rs"]
mod floor;

use eidpl::time::UtcTime;
use eidpl::wk::{ReplayStore, ServiceProvider};
use std::sync::Arc;

struct NoReplayCheck;

impl ReplayStore for NoReplayCheck {
    fn insert_once(&self, _: &str, _: UtcTime, _: UtcTime) -> eidpl::Result<bool> {
        Ok(true)
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let w = world::World::new();
    let answer = w.answer();
    let sp: ServiceProvider = w.sp().with_replay_store(Arc::new(NoReplayCheck));
    let expected = w.expected();
    let start = std::time::Instant::now();
    if std::env::args().nth(2).as_deref() == Some("parse") {
        for _ in 0..n {
            std::hint::black_box(
                eidpl::xml::Document::parse(
                    std::hint::black_box(answer.as_bytes()),
                    &eidpl::xml::ParseOptions::saml(),
                )
                .unwrap(),
            );
        }
        eprintln!(
            "{:.1} µs per parse of {} bytes",
            start.elapsed().as_secs_f64() * 1e6 / n as f64,
            answer.len()
        );
        return;
    }
    if std::env::args().nth(2).as_deref() == Some("floor") {
        let doc = eidpl::xml::Document::parse(answer.as_bytes(), &eidpl::xml::ParseOptions::saml())
            .unwrap();
        let f = floor::floor(&doc, &w.wk_cert);
        let start = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(floor::run(&f, &w.enc_key));
        }
        eprintln!(
            "{:.1} µs per floor",
            start.elapsed().as_secs_f64() * 1e6 / n as f64
        );
        return;
    }
    for _ in 0..n {
        std::hint::black_box(
            sp.validate_artifact_response(std::hint::black_box(answer.as_bytes()), &expected)
                .unwrap(),
        );
    }
    eprintln!(
        "{:.1} µs per message",
        start.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
