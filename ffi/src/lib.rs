//! `libeidpl`: the C ABI of eidpl, for PHP (FFI), .NET (P/Invoke), Java (JNA) and C.
//!
//! The rules every function follows (ffi/README.md has them for C programmers):
//! * the return value is an `int32_t` status: `0` is success, anything else is the stable
//!   [`ErrorCode`](eidpl_core::ErrorCode) number, and `*err` (when `err` is not NULL) receives an
//!   [`eidpl_error`] the caller frees with [`eidpl_error_free`];
//! * results come back through out-parameters: JSON (or XML) text the caller frees with
//!   [`eidpl_string_free`]; handles the caller frees with their `*_free`;
//! * inputs are pointer + length; text must be UTF-8; enums are integers;
//! * no panic crosses the boundary ([`boundary`]); NULL where a pointer is required is
//!   `invalid_input`, never a crash; `*_free(NULL)` does nothing.
//!
//! Keep this layer thin: parse the arguments, call the Rust API, serialize the answer.

// C names on purpose: these are the identifiers C callers see.
#![allow(non_camel_case_types)]

mod boundary;
mod buffer;
mod error;
mod handle;
mod keys;
mod options;
mod status;
mod verify;
mod wk;

pub use buffer::eidpl_string_free;
pub use error::{
    eidpl_error, eidpl_error_code, eidpl_error_code_name, eidpl_error_details_json,
    eidpl_error_free, eidpl_error_message,
};
pub use keys::eidpl_keys_generate;
pub use status::*;
pub use verify::eidpl_verify_document;
pub use wk::{
    eidpl_wk_artifact_resolve_request, eidpl_wk_authn_request, eidpl_wk_logout,
    eidpl_wk_logout_request, eidpl_wk_metadata, eidpl_wk_resolve_artifact, eidpl_wk_sp,
    eidpl_wk_sp_free, eidpl_wk_sp_new, eidpl_wk_validate_artifact_response,
    eidpl_wk_validate_logout_response, EIDPL_SETTINGS_AUTO, EIDPL_SETTINGS_JSON,
    EIDPL_SETTINGS_TOML,
};

use std::ffi::c_char;

/// The library version, e.g. `"0.1.0"`: a static NUL-terminated string, never freed.
#[no_mangle]
pub extern "C" fn eidpl_version() -> *const c_char {
    // The `concat!` adds the terminating NUL at compile time.
    const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(v) => v,
        Err(_) => c"unknown",
    };
    // Nothing here can panic; the boundary is there because every export has one.
    boundary::run_or(VERSION.as_ptr(), || VERSION.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn version_is_the_core_version() {
        // SAFETY: eidpl_version returns a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(eidpl_version()) };
        assert_eq!(v.to_str().unwrap(), eidpl_core::VERSION);
    }
}
