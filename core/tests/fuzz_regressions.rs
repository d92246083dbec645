//! Replays `fuzz/regressions/<target>/*` through the code path of that fuzz target
//! (fuzz/harness.rs, with the same fixed keys). A file named `accept-*` must be accepted and
//! `reject-*` rejected; any panic, or an input taking over a minute, fails the test. Every
//! crash or hang the fuzzer finds is minimized and lands here (docs/fuzzing.md).
#![allow(clippy::unwrap_used)]

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(60);

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Runs every input of `target` through `make_run()` on a worker thread (so a hang fails
/// instead of blocking) and checks each outcome against its file name.
fn replay<R: Fn(&[u8]) -> bool + 'static>(target: &str, make_run: fn() -> R) {
    let files = inputs(target);
    let expected: Vec<(String, bool)> = files
        .iter()
        .map(|(name, _)| {
            let accept = if name.starts_with("accept-") {
                true
            } else if name.starts_with("reject-") {
                false
            } else {
                panic!("{target}/{name}: name must start with accept- or reject-")
            };
            (name.clone(), accept)
        })
        .collect();
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let run = make_run();
        for (name, bytes) in files {
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&bytes)));
            tx.send((name, outcome.ok(), started.elapsed())).unwrap();
        }
    });
    for (name, accept) in expected {
        let (got_name, outcome, elapsed) = rx
            .recv_timeout(TIME_LIMIT)
            .unwrap_or_else(|_| panic!("{target}/{name}: no result within {TIME_LIMIT:?} (hang)"));
        assert_eq!(got_name, name);
        let outcome = outcome.unwrap_or_else(|| panic!("{target}/{name}: panicked"));
        assert!(elapsed < TIME_LIMIT, "{target}/{name}: took {elapsed:?}");
        assert_eq!(
            outcome,
            accept,
            "{target}/{name}: expected {}",
            if accept { "accepted" } else { "rejected" }
        );
    }
    worker.join().unwrap();
}

#[test]
fn parse_regressions() {
    replay("parse", || harness::parse);
}

#[test]
fn wk_response_regressions() {
    replay("wk_response", || {
        let wk = harness::Wk::new();
        move |data: &[u8]| wk.run(data)
    });
}

#[test]
fn decrypt_regressions() {
    replay("decrypt", || {
        let decrypt = harness::Decrypt::new();
        move |data: &[u8]| decrypt.run(data)
    });
}

#[test]
fn xades_verify_regressions() {
    replay("xades_verify", || {
        let xades = harness::Xades::new();
        move |data: &[u8]| xades.run(data)
    });
}
