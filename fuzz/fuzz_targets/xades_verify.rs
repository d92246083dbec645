#![no_main]
#[path = "../harness.rs"]
mod harness;

use std::sync::LazyLock;

static XADES: LazyLock<harness::Xades> = LazyLock::new(harness::Xades::new);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    XADES.run(data);
});
