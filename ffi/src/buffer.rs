//! Bytes in (pointer + length), strings out (`char **` the caller frees with
//! `eidpl_string_free`).

use crate::boundary::run_or;
use eidpl_core::{Error, ErrorCode, Result};
use std::ffi::{c_char, CString};

fn invalid(argument: &str, message: String) -> Error {
    Error::new(ErrorCode::InvalidInput, message).with("argument", argument)
}

/// The caller's buffer as a slice. NULL with length 0 is empty; NULL with a length is refused.
///
/// # Safety
/// `ptr` is NULL or valid for reading `len` bytes, unchanged while the slice is used.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, argument: &str) -> Result<&'a [u8]> {
    if ptr.is_null() {
        return match len {
            0 => Ok(&[]),
            _ => Err(invalid(
                argument,
                format!("`{argument}` is NULL but its length is {len}"),
            )
            .with("length", len)),
        };
    }
    if len > isize::MAX as usize {
        return Err(invalid(
            argument,
            format!("`{argument}`: impossible length {len}"),
        ));
    }
    // SAFETY: non-NULL, readable for `len` bytes (the contract), and `len` fits an isize.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The caller's buffer as UTF-8 text (`invalid_input` if it is not).
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const u8, len: usize, argument: &str) -> Result<&'a str> {
    // SAFETY: forwarded contract.
    let raw = unsafe { bytes(ptr, len, argument) }?;
    std::str::from_utf8(raw).map_err(|e| {
        invalid(argument, format!("`{argument}` is not valid UTF-8"))
            .with("byte_offset", e.valid_up_to())
    })
}

/// Where a call puts its string result: the caller's `char **out`.
pub(crate) struct OutString(*mut *mut c_char);

impl OutString {
    /// Checks the out-parameter and sets `*out` to NULL, so it is NULL whenever the call fails.
    ///
    /// # Safety
    /// `out` is NULL or valid for writing one pointer.
    pub(crate) unsafe fn new(out: *mut *mut c_char, argument: &str) -> Result<OutString> {
        if out.is_null() {
            return Err(invalid(
                argument,
                format!("the out-parameter `{argument}` is NULL"),
            ));
        }
        // SAFETY: non-NULL and writable (the contract).
        unsafe { out.write(std::ptr::null_mut()) };
        Ok(OutString(out))
    }

    /// Hands `text` to the caller as a NUL-terminated string.
    pub(crate) fn put(self, text: String) -> Result<()> {
        let c = CString::new(text)
            .map_err(|_| Error::new(ErrorCode::Internal, "a result contained a NUL character"))?;
        // SAFETY: non-NULL and writable, checked in `OutString::new`.
        unsafe { self.0.write(c.into_raw()) };
        Ok(())
    }

    /// Hands a JSON value to the caller.
    pub(crate) fn put_json(self, value: &serde_json::Value) -> Result<()> {
        self.put(value.to_string())
    }
}

/// Frees a string this library returned through a `char **` out-parameter. NULL is a no-op.
/// Only for strings from eidpl (never `eidpl_version()` or the `eidpl_error_*` accessors);
/// freeing twice is the caller's bug.
///
/// # Safety
/// `s` is NULL or a string from an eidpl out-parameter that was not freed; it is not used
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn eidpl_string_free(s: *mut c_char) {
    run_or((), || {
        if !s.is_null() {
            // SAFETY: `s` came from `CString::into_raw` in `OutString::put` (the contract).
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_and_length_rules() {
        // SAFETY: NULL pointers and a live local buffer.
        unsafe {
            assert_eq!(bytes(std::ptr::null(), 0, "x").unwrap(), b"");
            let e = bytes(std::ptr::null(), 3, "x").unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidInput);
            assert_eq!(e.details()["argument"], "x");
            let buf = [0xffu8, 0xfe];
            let e = text(buf.as_ptr(), buf.len(), "settings").unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidInput);
            assert!(OutString::new(std::ptr::null_mut(), "out_json").is_err());
        }
    }

    #[test]
    fn an_out_string_is_nulled_first_then_filled() {
        let mut out: *mut c_char = std::ptr::dangling_mut();
        // SAFETY: a pointer to a local; the string is freed once.
        unsafe {
            let slot = OutString::new(&mut out, "out_json").unwrap();
            assert!(out.is_null());
            slot.put("{}".to_owned()).unwrap();
            assert_eq!(std::ffi::CStr::from_ptr(out).to_str().unwrap(), "{}");
            eidpl_string_free(out);
            eidpl_string_free(std::ptr::null_mut());
        }
    }
}
