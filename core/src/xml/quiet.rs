//! Keeps libxml2's process-wide error reporting away from our calls: while a guard lives, errors
//! raised on this thread go to no-op handlers (structured and generic), and the host's handlers
//! (PHP's, say) are restored after. libxml2 keeps these handlers per thread, so other threads are
//! unaffected.

use libxml::bindings::{
    __xmlGenericError, __xmlGenericErrorContext, __xmlStructuredError, __xmlStructuredErrorContext,
    xmlError, xmlGenericErrorFunc, xmlStructuredErrorFunc,
};
use std::ffi::{c_char, c_void};

unsafe extern "C" fn swallow(_: *mut c_void, _: *mut xmlError) {}

unsafe extern "C" {
    /// src/xml/quiet.c: a variadic no-op, which Rust cannot define on stable.
    fn eidpl_swallow_generic_error(ctx: *mut c_void, msg: *const c_char, ...);
}

pub(crate) struct QuietErrors {
    handler: xmlStructuredErrorFunc,
    context: *mut c_void,
    generic: xmlGenericErrorFunc,
    generic_context: *mut c_void,
}

impl QuietErrors {
    pub(crate) fn install() -> QuietErrors {
        super::parse::init_libxml();
        // SAFETY: the accessors return this thread's handler slots, valid for the thread's life.
        unsafe {
            let slot = __xmlStructuredError();
            let ctx = __xmlStructuredErrorContext();
            let generic = __xmlGenericError();
            let generic_ctx = __xmlGenericErrorContext();
            let saved = QuietErrors {
                handler: *slot,
                context: *ctx,
                generic: *generic,
                generic_context: *generic_ctx,
            };
            *slot = Some(swallow);
            *ctx = std::ptr::null_mut();
            *generic = Some(eidpl_swallow_generic_error);
            *generic_ctx = std::ptr::null_mut();
            saved
        }
    }
}

impl Drop for QuietErrors {
    fn drop(&mut self) {
        // SAFETY: same thread (the guard is !Send), same slots; restores what was there.
        unsafe {
            *__xmlStructuredError() = self.handler;
            *__xmlStructuredErrorContext() = self.context;
            *__xmlGenericError() = self.generic;
            *__xmlGenericErrorContext() = self.generic_context;
        }
    }
}
