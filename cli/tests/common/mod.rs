//! Helpers shared by the CLI tests: run the binary, read its JSON, find the interop vectors.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// `../shared/interop/<rel>` relative to the project root (never copied into the project).
pub fn interop(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/interop")
        .join(rel)
}

/// Runs `eidpl` with `args` and waits for it.
pub fn eidpl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eidpl"))
        .args(args)
        .output()
        .unwrap()
}

/// Stdout as the one JSON object the contract promises.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {} / {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}
