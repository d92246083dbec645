//! The boundary between Node and the core: inputs held for the thread pool, the panic guard, the
//! error envelope, and the OpenSSL binding report.

use eidpl_core::{Error as CoreError, ErrorCode, Result as CoreResult};
use napi::bindgen_prelude::{AsyncTask, Buffer, Either};
use napi::{Env, Task};
use napi_derive::napi;
use std::ffi::{c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Starts the message of every eidpl error crossing to JavaScript; JSON follows.
pub const ERROR_PREFIX: &str = "EIDPL_ERROR:";

/// A Buffer (read in place; it keeps the JavaScript value alive) or a string (already copied).
pub enum Input {
    Buffer(Buffer),
    Text(String),
}

impl From<Either<Buffer, String>> for Input {
    fn from(value: Either<Buffer, String>) -> Self {
        match value {
            Either::A(b) => Input::Buffer(b),
            Either::B(s) => Input::Text(s),
        }
    }
}

impl Input {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Input::Buffer(b) => b,
            Input::Text(s) => s.as_bytes(),
        }
    }
}

fn to_napi(e: &CoreError) -> napi::Error {
    let envelope = serde_json::json!({
        "code": e.code().as_str(),
        "message": e.message(),
        "details": serde_json::Value::Object(e.details().clone()),
    });
    napi::Error::from_reason(format!("{ERROR_PREFIX}{envelope}"))
}

/// Runs `body` inside the panic boundary; an eidpl error or a panic becomes the envelope error.
pub fn guard<T>(body: impl FnOnce() -> CoreResult<T>) -> napi::Result<T> {
    // AssertUnwindSafe: after a panic nothing the closure touched is used again except the
    // service provider, whose only mutable state (the replay cache) is behind its own lock.
    catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|p| Err(CoreError::from_panic(p)))
        .map_err(|e| to_napi(&e))
}

type Work = Box<dyn FnOnce(&[u8]) -> CoreResult<String> + Send>;

/// One heavy call for libuv's thread pool; its input is dropped back on the JavaScript thread.
pub struct Job {
    input: Option<Input>,
    work: Option<Work>,
}

impl Job {
    pub fn spawn(
        input: Option<Input>,
        work: impl FnOnce(&[u8]) -> CoreResult<String> + Send + 'static,
    ) -> AsyncTask<Job> {
        AsyncTask::new(Job {
            input,
            work: Some(Box::new(work)),
        })
    }
}

#[napi]
impl Task for Job {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let input = self.input.as_ref();
        let work = self.work.take();
        guard(|| match work {
            Some(work) => work(input.map_or(&[][..], Input::bytes)),
            None => Err(CoreError::new(
                ErrorCode::Internal,
                "an async eidpl call was run twice",
            )),
        })
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// See `openssl_binding` in lib.rs.
pub fn openssl_binding() -> crate::OpenSslBinding {
    let symbol = openssl_sys::OpenSSL_version as *const c_void;
    let mut info = libc::Dl_info {
        dli_fname: std::ptr::null(),
        dli_fbase: std::ptr::null_mut(),
        dli_sname: std::ptr::null(),
        dli_saddr: std::ptr::null_mut(),
    };
    // SAFETY: dladdr only reads the address and fills `info`, whose strings live as long as the object.
    let found = unsafe { libc::dladdr(symbol, &mut info) } != 0 && !info.dli_fname.is_null();
    let library = if found {
        // SAFETY: dladdr succeeded, so dli_fname is a NUL-terminated path owned by the loader.
        unsafe { CStr::from_ptr(info.dli_fname) }
            .to_string_lossy()
            .into_owned()
    } else {
        String::new()
    };
    let text = |what| {
        // SAFETY: OpenSSL_version returns a static NUL-terminated string for every `what`.
        unsafe { CStr::from_ptr(openssl_sys::OpenSSL_version(what)) }
            .to_string_lossy()
            .into_owned()
    };
    crate::OpenSslBinding {
        library,
        version: text(openssl_sys::OPENSSL_VERSION),
        dir: text(openssl_sys::OPENSSL_DIR),
    }
}
