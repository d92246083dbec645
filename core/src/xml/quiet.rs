//! Keeps libxml2's process-wide error reporting away from our calls: while a guard lives, errors
//! raised on this thread go to a no-op handler, and the host's handler (PHP's, say) is restored
//! after. libxml2 keeps these handlers per thread, so other threads are unaffected.

use libxml::bindings::{
    __xmlStructuredError, __xmlStructuredErrorContext, xmlError, xmlStructuredErrorFunc,
};
use std::ffi::c_void;

unsafe extern "C" fn swallow(_: *mut c_void, _: *mut xmlError) {}

pub(crate) struct QuietErrors {
    handler: xmlStructuredErrorFunc,
    context: *mut c_void,
}

impl QuietErrors {
    pub(crate) fn install() -> QuietErrors {
        super::parse::init_libxml();
        // SAFETY: the accessors return this thread's handler slots, valid for the thread's life.
        unsafe {
            let slot = __xmlStructuredError();
            let ctx = __xmlStructuredErrorContext();
            let saved = QuietErrors {
                handler: *slot,
                context: *ctx,
            };
            *slot = Some(swallow);
            *ctx = std::ptr::null_mut();
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
        }
    }
}
