//! The native half of the npm package `eidpl` (napi-rs).
//!
//! Deliberately thin, like the Python module: values cross as Buffers, strings and JSON text, and
//! `index.js` builds the camelCase objects and the `EidplError` classes. What must be native is here:
//! the service provider handle (shared by every request, holding the replay cache), the heavy calls
//! run on libuv's thread pool (`*Async`, returning a Promise), and a panic boundary around every call
//! so a bug in eidpl rejects or throws an error with code `internal_error`, never aborts Node.
//!
//! Every eidpl error crosses as an `Error` whose message is [`ERROR_PREFIX`] followed by JSON
//! `{"code", "message", "details"}`; index.js turns it into the matching `EidplError`.

mod runtime;

use eidpl_core::args::{loa, non_empty, time};
use eidpl_core::pki::TrustStore;
use eidpl_core::wk::{AuthnRequestOptions, Expected, ServiceProvider, Settings};
use eidpl_core::xades::{verify_document as core_verify, verify_reader, VerifyOptions};
use eidpl_core::{Error as CoreError, ErrorCode, Result as CoreResult};
use napi::bindgen_prelude::{AsyncTask, Buffer, Either};
use napi_derive::napi;
use runtime::{guard, Input, Job};
use std::path::Path;
use std::sync::Arc;

pub use runtime::ERROR_PREFIX;

type Data = Either<Buffer, String>;

/// A result as JSON text with camelCase keys (what JavaScript expects; converting here costs a
/// few µs, in JavaScript tens). The maps under [`VERBATIM`] keep their keys (SAML names, …).
fn json_text<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    let value = serde_json::to_value(value).map_err(|e| {
        CoreError::new(
            ErrorCode::Internal,
            format!("cannot serialize a result: {e}"),
        )
    })?;
    Ok(camel(value).to_string())
}

const VERBATIM: [&str; 4] = ["attributes", "details", "upo", "other"];

fn camel(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(camel).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if VERBATIM.contains(&k.as_str()) && v.is_object() {
                        v
                    } else {
                        camel(v)
                    };
                    (camel_key(&k), v)
                })
                .collect(),
        ),
        other => other,
    }
}

fn camel_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// What `validateArtifactResponse` checks beyond the signatures (index.js fills it from options).
#[napi(object)]
pub struct ExpectedOptions {
    pub request_id: String,
    pub artifact_resolve_id: Option<String>,
    /// RFC 3339; the clock when absent.
    pub now: Option<String>,
    pub minimum_loa: Option<String>,
}

fn validate(sp: &ServiceProvider, data: &[u8], o: &ExpectedOptions) -> CoreResult<String> {
    let expected = Expected {
        authn_request_id: non_empty("requestId", &o.request_id)?,
        artifact_resolve_id: o.artifact_resolve_id.as_deref(),
        now: time("now", o.now.as_deref())?,
        minimum_loa: loa("minimumLoa", o.minimum_loa.as_deref())?,
    };
    json_text(&sp.validate_artifact_response(data, &expected)?)
}

fn resolve(sp: &ServiceProvider, artifact: &str, request_id: &str) -> CoreResult<String> {
    let expected = Expected {
        authn_request_id: non_empty("requestId", request_id)?,
        ..Expected::default()
    };
    json_text(&sp.resolve_artifact(non_empty("artifact", artifact)?, &expected)?)
}

fn logout(sp: &ServiceProvider, name_id: &str, session_index: &str) -> CoreResult<String> {
    json_text(&sp.logout(
        non_empty("nameId", name_id)?,
        non_empty("sessionIndex", session_index)?,
    )?)
}

fn validate_logout(sp: &ServiceProvider, data: &[u8], request_id: &str) -> CoreResult<String> {
    json_text(&sp.validate_logout_response(data, non_empty("requestId", request_id)?)?)
}

/// A Węzeł Krajowy service provider built once from settings; share one per configuration.
#[napi]
pub struct NativeServiceProvider {
    sp: Arc<ServiceProvider>,
}

#[napi]
impl NativeServiceProvider {
    /// Settings as JSON text; relative key paths resolve against `baseDir` (or the cwd).
    #[napi(factory)]
    pub fn from_settings(settings_json: String, base_dir: Option<String>) -> napi::Result<Self> {
        guard(|| {
            let settings =
                Settings::from_json_str(&settings_json, base_dir.as_deref().map(Path::new))?;
            Ok(Self {
                sp: Arc::new(ServiceProvider::new(settings)?),
            })
        })
    }

    /// Settings from a `.toml` or `.json` file (relative paths inside: relative to the file).
    #[napi(factory)]
    pub fn from_file(path: String) -> napi::Result<Self> {
        guard(|| {
            Ok(Self {
                sp: Arc::new(ServiceProvider::from_file(&path)?),
            })
        })
    }

    /// `{"id", "xml", "saml_request", "destination", "relay_state", "html_form"}` as JSON.
    #[napi]
    pub fn authn_request(
        &self,
        relay_state: Option<String>,
        loa_name: Option<String>,
        csp_nonce: Option<String>,
    ) -> napi::Result<String> {
        guard(|| {
            let request = self.sp.authn_request(&AuthnRequestOptions {
                relay_state,
                loa: loa("loa", loa_name.as_deref())?,
                now: None,
                csp_nonce,
            })?;
            json_text(&request)
        })
    }

    /// `{"id", "soap", "url"}` as JSON.
    #[napi]
    pub fn artifact_resolve_request(&self, artifact: String) -> napi::Result<String> {
        guard(|| {
            json_text(
                &self
                    .sp
                    .artifact_resolve(non_empty("artifact", &artifact)?, None)?,
            )
        })
    }

    /// ArtifactResolve over HTTPS and validation of the answer, blocking: the login result as JSON.
    #[napi]
    pub fn resolve_artifact(&self, artifact: String, request_id: String) -> napi::Result<String> {
        guard(|| resolve(&self.sp, &artifact, &request_id))
    }

    /// [`Self::resolve_artifact`] on the thread pool.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn resolve_artifact_async(&self, artifact: String, request_id: String) -> AsyncTask<Job> {
        let sp = Arc::clone(&self.sp);
        Job::spawn(None, move |_| resolve(&sp, &artifact, &request_id))
    }

    /// Validates WK's answer (SOAP envelope, ArtifactResponse or Response): the login as JSON.
    #[napi]
    pub fn validate_artifact_response(
        &self,
        data: Data,
        expected: ExpectedOptions,
    ) -> napi::Result<String> {
        let input = Input::from(data);
        guard(|| validate(&self.sp, input.bytes(), &expected))
    }

    /// [`Self::validate_artifact_response`] on the thread pool. The Buffer is read in place: do
    /// not change it until the Promise settles.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn validate_artifact_response_async(
        &self,
        data: Data,
        expected: ExpectedOptions,
    ) -> AsyncTask<Job> {
        let sp = Arc::clone(&self.sp);
        Job::spawn(Some(Input::from(data)), move |bytes| {
            validate(&sp, bytes, &expected)
        })
    }

    /// `{"id", "soap", "url"}` as JSON.
    #[napi]
    pub fn logout_request(&self, name_id: String, session_index: String) -> napi::Result<String> {
        guard(|| {
            json_text(&self.sp.logout_request(
                non_empty("nameId", &name_id)?,
                non_empty("sessionIndex", &session_index)?,
                None,
            )?)
        })
    }

    /// `{"in_response_to", "complete", "warnings"}` as JSON.
    #[napi]
    pub fn validate_logout_response(&self, data: Data, request_id: String) -> napi::Result<String> {
        let input = Input::from(data);
        guard(|| validate_logout(&self.sp, input.bytes(), &request_id))
    }

    /// [`Self::validate_logout_response`] on the thread pool.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn validate_logout_response_async(&self, data: Data, request_id: String) -> AsyncTask<Job> {
        let sp = Arc::clone(&self.sp);
        Job::spawn(Some(Input::from(data)), move |bytes| {
            validate_logout(&sp, bytes, &request_id)
        })
    }

    /// LogoutRequest over HTTPS and validation of the answer, blocking, as JSON.
    #[napi]
    pub fn logout(&self, name_id: String, session_index: String) -> napi::Result<String> {
        guard(|| logout(&self.sp, &name_id, &session_index))
    }

    /// [`Self::logout`] on the thread pool.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn logout_async(&self, name_id: String, session_index: String) -> AsyncTask<Job> {
        let sp = Arc::clone(&self.sp);
        Job::spawn(None, move |_| logout(&sp, &name_id, &session_index))
    }

    /// The SP's SAML metadata (XML text).
    #[napi]
    pub fn metadata(&self) -> napi::Result<String> {
        guard(|| self.sp.metadata())
    }
}

/// Trust and options of a document verification (index.js fills it; PEM may hold several certs).
#[napi(object)]
pub struct VerifyDocumentOptions {
    pub trust_anchors: Option<Buffer>,
    pub intermediates: Option<Buffer>,
    pub crls: Option<Buffer>,
    pub detached_uris: Vec<String>,
    pub detached_data: Vec<Buffer>,
    /// RFC 3339; the clock when absent.
    pub now: Option<String>,
    pub check_pesel: bool,
}

/// Everything of [`VerifyDocumentOptions`] the worker thread needs, owned.
struct DocumentJob {
    trust_anchors: Option<Input>,
    intermediates: Option<Input>,
    crls: Option<Input>,
    detached: Vec<(String, Input)>,
    now: Option<String>,
    check_pesel: bool,
}

impl DocumentJob {
    fn new(o: VerifyDocumentOptions) -> Self {
        let own = |b: Option<Buffer>| b.map(|b| Input::from(Either::A(b)));
        DocumentJob {
            trust_anchors: own(o.trust_anchors),
            intermediates: own(o.intermediates),
            crls: own(o.crls),
            detached: o
                .detached_uris
                .into_iter()
                .zip(o.detached_data)
                .map(|(uri, b)| (uri, Input::from(Either::A(b))))
                .collect(),
            now: o.now,
            check_pesel: o.check_pesel,
        }
    }

    fn run(&self, data: &[u8]) -> CoreResult<String> {
        json_text(&core_verify(data, &self.options()?)?)
    }

    /// Streams the document from its file: it is never in memory whole.
    fn run_file(&self, path: &str) -> CoreResult<String> {
        let options = self.options()?;
        let mut file = std::fs::File::open(path)
            .map_err(|e| CoreError::from(e).with("path", path.to_owned()))?;
        json_text(&verify_reader(&mut file, &options)?)
    }

    fn options(&self) -> CoreResult<VerifyOptions> {
        let mut trust = TrustStore::new();
        if let Some(pem) = &self.trust_anchors {
            trust.add_anchors(pem.bytes())?;
        }
        if let Some(pem) = &self.intermediates {
            trust.add_intermediates(pem.bytes())?;
        }
        if let Some(pem) = &self.crls {
            trust.add_crls(pem.bytes())?;
        }
        Ok(VerifyOptions {
            trust,
            detached: self
                .detached
                .iter()
                .map(|(uri, data)| (uri.clone(), data.bytes().to_vec()))
                .collect(),
            now: time("now", self.now.as_deref())?,
            check_pesel: self.check_pesel,
        })
    }
}

/// Verifies every signature of an XML document; the report as JSON.
#[napi]
pub fn verify_document(data: Data, options: VerifyDocumentOptions) -> napi::Result<String> {
    let input = Input::from(data);
    let job = DocumentJob::new(options);
    guard(|| job.run(input.bytes()))
}

/// [`verify_document`] on the thread pool. Buffers are read in place: do not change them until
/// the Promise settles.
#[napi(ts_return_type = "Promise<string>")]
pub fn verify_document_async(data: Data, options: VerifyDocumentOptions) -> AsyncTask<Job> {
    let job = DocumentJob::new(options);
    Job::spawn(Some(Input::from(data)), move |bytes| job.run(bytes))
}

/// [`verify_document`] streaming from the file at `path`.
#[napi]
pub fn verify_document_file(path: String, options: VerifyDocumentOptions) -> napi::Result<String> {
    let job = DocumentJob::new(options);
    guard(|| job.run_file(&path))
}

/// [`verify_document_file`] on the thread pool.
#[napi(ts_return_type = "Promise<string>")]
pub fn verify_document_file_async(path: String, options: VerifyDocumentOptions) -> AsyncTask<Job> {
    let job = DocumentJob::new(options);
    Job::spawn(None, move |_| job.run_file(&path))
}

/// The crate version (the package's `version`).
#[napi]
pub fn native_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Panics on purpose inside the boundary: tests check it becomes an `EidplError(internal_error)`.
#[napi(js_name = "_panicForTest")]
pub fn panic_for_test() -> napi::Result<()> {
    guard(|| -> CoreResult<()> { panic!("a test panic from the eidpl Node addon") })
}

/// [`panic_for_test`] on the thread pool: the Promise rejects.
#[napi(js_name = "_panicForTestAsync", ts_return_type = "Promise<string>")]
pub fn panic_for_test_async() -> AsyncTask<Job> {
    Job::spawn(None, |_| -> CoreResult<String> {
        panic!("a test panic on a libuv worker thread")
    })
}

/// Which OpenSSL this addon's calls bind to: the file defining `OpenSSL_version` as the dynamic
/// linker resolved it for this addon, and what that OpenSSL says of itself (see index.js: Node
/// exports its own OpenSSL's symbols, so the loader asks for RTLD_DEEPBIND).
#[napi(object)]
pub struct OpenSslBinding {
    pub library: String,
    pub version: String,
    pub dir: String,
}

#[napi]
pub fn openssl_binding() -> OpenSslBinding {
    runtime::openssl_binding()
}
