//! The panic boundary every exported function runs inside: a Rust panic becomes the status
//! `internal_error` (with an error object), never an unwind into C.

use crate::error::ErrorSlot;
use eidpl_core::{Error, Result};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `body`, turns its outcome into a status, and puts the error (if any) into `err`:
/// NULL on success, a new error object otherwise.
pub(crate) fn run(err: ErrorSlot, body: impl FnOnce() -> Result<()>) -> i32 {
    // AssertUnwindSafe: after a panic nothing of the closure's state is used again; handles
    // only ever hold immutable, internally synchronized data.
    let outcome =
        catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| Err(Error::from_panic(p)));
    let status = match &outcome {
        Ok(()) => crate::EIDPL_OK,
        Err(e) => i32::from(e.code().as_u16()),
    };
    err.put(outcome.err());
    status
}

/// Runs `body` for the few functions without a status (accessors, `*_free`): on a panic the
/// caller gets `fallback`.
pub(crate) fn run_or<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{eidpl_error, eidpl_error_code, eidpl_error_code_name, eidpl_error_free};
    use eidpl_core::ErrorCode;
    use std::ffi::CStr;
    use std::ptr;

    #[test]
    fn a_panic_becomes_internal_error_with_an_error_object() {
        let mut err: *mut eidpl_error = ptr::null_mut();
        // SAFETY: a pointer to a local, valid for writes.
        let status = run(unsafe { ErrorSlot::new(&mut err) }, || panic!("boom"));
        assert_eq!(status, crate::EIDPL_INTERNAL_ERROR);
        assert!(!err.is_null());
        // SAFETY: err was just created by `run` and is freed once below.
        unsafe {
            assert_eq!(eidpl_error_code(err), crate::EIDPL_INTERNAL_ERROR);
            let name = CStr::from_ptr(eidpl_error_code_name(err));
            assert_eq!(name.to_str().unwrap(), "internal_error");
            let details = CStr::from_ptr(crate::eidpl_error_details_json(err));
            assert!(details.to_str().unwrap().contains("boom"));
            eidpl_error_free(err);
        }
    }

    #[test]
    fn success_clears_err_and_a_null_err_is_fine() {
        let mut err: *mut eidpl_error = ptr::dangling_mut();
        // SAFETY: a pointer to a local, valid for writes.
        assert_eq!(run(unsafe { ErrorSlot::new(&mut err) }, || Ok(())), 0);
        assert!(err.is_null());
        // SAFETY: NULL is allowed.
        let status = run(unsafe { ErrorSlot::new(ptr::null_mut()) }, || {
            Err(Error::new(ErrorCode::Expired, "too late"))
        });
        assert_eq!(status, crate::EIDPL_EXPIRED);
        assert_eq!(run_or(7, || panic!("in an accessor")), 7);
    }
}
