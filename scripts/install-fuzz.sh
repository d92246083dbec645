#!/bin/sh
# cargo-fuzz for `make fuzz`, installed once from crates.io (idempotent). The machine has only
# stable Rust: scripts/fuzz.sh runs it with RUSTC_BOOTSTRAP=1 for the nightly-only flags.
set -eu
if cargo fuzz --version >/dev/null 2>&1; then
    exit 0
fi
echo "install-fuzz: installing cargo-fuzz"
cargo install cargo-fuzz --locked
