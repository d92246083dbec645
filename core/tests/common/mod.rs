//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use eidpl::dsig::TrustedKeys;
use std::path::PathBuf;

/// `../shared/interop/<rel>` relative to the project root (never copied into the project).
pub fn interop(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/interop")
        .join(rel)
}

pub fn read_interop(rel: &str) -> Vec<u8> {
    std::fs::read(interop(rel)).unwrap_or_else(|e| panic!("cannot read interop vector {rel}: {e}"))
}

pub fn pinned(rel: &str) -> TrustedKeys {
    TrustedKeys::from_pem(&read_interop(rel)).unwrap()
}
