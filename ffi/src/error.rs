//! `eidpl_error`: the error object a failed call hands to the caller (code number, code name,
//! message, details JSON), its accessors, and where it is written.

use crate::boundary::run_or;
use crate::handle;
use eidpl_core::Error;
use std::ffi::{c_char, CString};

/// An error from a failed call: the stable code (number and name), a message for people and
/// structured details as a JSON object. Owned by the caller: free it with `eidpl_error_free`.
/// Its strings stay valid until then.
pub struct eidpl_error {
    _opaque: [u8; 0],
}

struct ErrorObject {
    code: i32,
    code_name: CString,
    message: CString,
    details_json: CString,
}

/// C strings cannot hold NUL; a NUL inside a message (from hostile input) becomes U+FFFD.
fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

fn object(e: &Error) -> ErrorObject {
    ErrorObject {
        code: i32::from(e.code().as_u16()),
        code_name: c_string(e.code().as_str()),
        message: c_string(e.message()),
        details_json: c_string(&serde_json::Value::Object(e.details().clone()).to_string()),
    }
}

/// Where a call puts its error: the caller's `eidpl_error **err`, which may be NULL.
pub(crate) struct ErrorSlot(*mut *mut eidpl_error);

impl ErrorSlot {
    /// # Safety
    /// `err` is NULL or valid for writing one pointer.
    pub(crate) unsafe fn new(err: *mut *mut eidpl_error) -> ErrorSlot {
        ErrorSlot(err)
    }

    /// Writes NULL (success) or a new error object the caller owns.
    pub(crate) fn put(self, error: Option<Error>) {
        if self.0.is_null() {
            return;
        }
        let value = error.map_or(std::ptr::null_mut(), |e| {
            handle::into_raw(handle::ERROR, object(&e))
        });
        // SAFETY: non-NULL and writable, as promised to `ErrorSlot::new`.
        unsafe { self.0.write(value) };
    }
}

/// The error object behind `err`, if it is one.
///
/// # Safety
/// `err` is NULL or a live pointer from this library.
unsafe fn get<'a>(err: *const eidpl_error) -> Option<&'a ErrorObject> {
    // SAFETY: forwarded contract.
    unsafe { handle::borrow(err, handle::ERROR) }
}

const EMPTY: &std::ffi::CStr = c"";

/// The error's status number (the same value the failed call returned); 0 for NULL.
///
/// # Safety
/// `err` is NULL or an error from this library that was not freed.
#[no_mangle]
pub unsafe extern "C" fn eidpl_error_code(err: *const eidpl_error) -> i32 {
    run_or(crate::EIDPL_INTERNAL_ERROR, || {
        // SAFETY: the function's contract.
        unsafe { get(err) }.map_or(crate::EIDPL_OK, |e| e.code)
    })
}

/// The error's stable snake_case code name, e.g. `"digest_mismatch"`; `""` for NULL.
/// Valid until `eidpl_error_free(err)`.
///
/// # Safety
/// `err` is NULL or an error from this library that was not freed.
#[no_mangle]
pub unsafe extern "C" fn eidpl_error_code_name(err: *const eidpl_error) -> *const c_char {
    run_or(EMPTY.as_ptr(), || {
        // SAFETY: the function's contract.
        unsafe { get(err) }.map_or(EMPTY.as_ptr(), |e| e.code_name.as_ptr())
    })
}

/// A message for people (English); `""` for NULL. Valid until `eidpl_error_free(err)`.
///
/// # Safety
/// `err` is NULL or an error from this library that was not freed.
#[no_mangle]
pub unsafe extern "C" fn eidpl_error_message(err: *const eidpl_error) -> *const c_char {
    run_or(EMPTY.as_ptr(), || {
        // SAFETY: the function's contract.
        unsafe { get(err) }.map_or(EMPTY.as_ptr(), |e| e.message.as_ptr())
    })
}

/// Structured details as a JSON object, e.g. `{"expected":"…","actual":"…"}` or
/// `{"setting":"sp.acs_url"}`; `"{}"` when there are none, `""` for NULL.
/// Valid until `eidpl_error_free(err)`.
///
/// # Safety
/// `err` is NULL or an error from this library that was not freed.
#[no_mangle]
pub unsafe extern "C" fn eidpl_error_details_json(err: *const eidpl_error) -> *const c_char {
    run_or(EMPTY.as_ptr(), || {
        // SAFETY: the function's contract.
        unsafe { get(err) }.map_or(EMPTY.as_ptr(), |e| e.details_json.as_ptr())
    })
}

/// Frees an error object. NULL is a no-op. Freeing twice is the caller's bug (undefined
/// behaviour, as with `free`).
///
/// # Safety
/// `err` is NULL or an error from this library that was not freed; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn eidpl_error_free(err: *mut eidpl_error) {
    run_or((), || {
        // SAFETY: the function's contract.
        unsafe { handle::free::<ErrorObject, _>(err, handle::ERROR) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use eidpl_core::ErrorCode;
    use std::ffi::CStr;

    #[test]
    fn accessors_read_the_error_and_tolerate_null() {
        let mut err: *mut eidpl_error = std::ptr::null_mut();
        let e = Error::new(ErrorCode::AudienceMismatch, "not\0ours").expected_actual("a", "b");
        // SAFETY: a pointer to a local.
        unsafe { ErrorSlot::new(&mut err) }.put(Some(e));
        // SAFETY: `err` is live until freed at the end; NULL is allowed everywhere.
        unsafe {
            let s = |p: *const c_char| CStr::from_ptr(p).to_str().unwrap().to_owned();
            assert_eq!(eidpl_error_code(err), 19);
            assert_eq!(s(eidpl_error_code_name(err)), "audience_mismatch");
            assert_eq!(s(eidpl_error_message(err)), "not\u{FFFD}ours");
            assert_eq!(
                s(eidpl_error_details_json(err)),
                r#"{"actual":"b","expected":"a"}"#
            );
            assert_eq!(eidpl_error_code(std::ptr::null()), 0);
            assert_eq!(s(eidpl_error_message(std::ptr::null())), "");
            eidpl_error_free(err);
            eidpl_error_free(std::ptr::null_mut());
        }
    }
}
