#![no_main]
#[path = "../harness.rs"]
mod harness;

use std::sync::LazyLock;

static WK: LazyLock<harness::Wk> = LazyLock::new(harness::Wk::new);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    WK.run(data);
});
