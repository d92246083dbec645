#![no_main]
#[path = "../harness.rs"]
mod harness;

use std::sync::LazyLock;

static DECRYPT: LazyLock<harness::Decrypt> = LazyLock::new(harness::Decrypt::new);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    DECRYPT.run(data);
});
