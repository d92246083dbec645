//! `eidpl._eidpl`: the native half of the Python package `eidpl`.
//!
//! Deliberately thin: values cross as bytes, strings, tuples and JSON text; the typed result
//! objects (`LoginResult`, `Report`, …) are built in `eidpl/__init__.py`. A login result, the hot
//! path, crosses as a tuple of Python values (no JSON round trip); its JSON form is made only when
//! `to_dict()` asks. What must be native is here:
//! the exception hierarchy (raised with `.code` and `.details`), the service provider handle
//! (one per configuration, shared by threads, holding the replay cache), the GIL released
//! around every validation, verification and HTTP call, and a panic boundary so a bug in eidpl
//! is `eidpl.Error` with code `internal_error`, never a `PanicException`.

use eidpl_core::args::{loa, non_empty, time};
use eidpl_core::pki::TrustStore;
use eidpl_core::wk::{AuthnRequestOptions, Expected, LoginResult, ServiceProvider, Settings};
use eidpl_core::xades::{verify_document, verify_reader, VerifyOptions};
use eidpl_core::{Error as CoreError, ErrorCode, Result as CoreResult};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

pyo3::create_exception!(
    eidpl,
    Error,
    PyException,
    "An eidpl error: `.code` is the stable code name (e.g. \"digest_mismatch\"), `.details` a dict."
);
pyo3::create_exception!(
    eidpl,
    InputError,
    Error,
    "The input is unusable: empty, not UTF-8, not XML, a DOCTYPE, over a size limit."
);
pyo3::create_exception!(
    eidpl,
    SignatureError,
    Error,
    "A signature is missing or does not verify, a digest differs, an algorithm or key is refused."
);
pyo3::create_exception!(
    eidpl,
    ValidationError,
    Error,
    "A well-signed message that is not acceptable: wrong party, expired, replayed, ..."
);
pyo3::create_exception!(
    eidpl,
    DecryptionError,
    Error,
    "The encrypted assertion could not be decrypted (one uniform error, by design)."
);
pyo3::create_exception!(
    eidpl,
    ConfigError,
    Error,
    "Settings, options, keys or files of the setup: `.details[\"setting\"]` names what to fix."
);

/// The exception family of a code: the same table as bindings/php/src/Eidpl/Exception.php.
fn new_exception(code: ErrorCode, message: String) -> PyErr {
    use ErrorCode as C;
    match code {
        C::InvalidInput | C::XmlMalformed | C::DoctypeForbidden | C::LimitExceeded => {
            InputError::new_err(message)
        }
        C::SignatureMissing
        | C::SignatureInvalid
        | C::DigestMismatch
        | C::AlgorithmNotAllowed
        | C::ReferenceInvalid
        | C::KeyNotTrusted
        | C::C14nFailed => SignatureError::new_err(message),
        C::KeyInvalid | C::ConfigInvalid | C::IoError => ConfigError::new_err(message),
        C::DecryptionFailed => DecryptionError::new_err(message),
        C::DuplicateId
        | C::ProfileViolation
        | C::StatusNotSuccess
        | C::IssuerMismatch
        | C::AudienceMismatch
        | C::RecipientMismatch
        | C::DestinationMismatch
        | C::InResponseToMismatch
        | C::Expired
        | C::NotYetValid
        | C::ReplayDetected
        | C::LoaInsufficient
        | C::ChainInvalid => ValidationError::new_err(message),
        // http_error, internal_error and codes newer than this table: the base class.
        _ => Error::new_err(message),
    }
}

/// The Python exception for an eidpl error, with `.code`, `.message` and `.details` set.
fn to_py(py: Python<'_>, e: &CoreError) -> PyErr {
    let err = new_exception(e.code(), format!("{}: {}", e.code(), e.message()));
    let details = serde_json::Value::Object(e.details().clone()).to_string();
    let value = err.value(py);
    let set = (|| -> PyResult<()> {
        let details = py.import("json")?.call_method1("loads", (details,))?;
        value.setattr("code", e.code().as_str())?;
        value.setattr("message", e.message())?;
        value.setattr("details", details)?;
        Ok(())
    })();
    match set {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// Runs `body` without the GIL (other Python threads run meanwhile) and inside the panic
/// boundary; an error or a panic becomes the matching `eidpl` exception.
fn run<T: Send>(py: Python<'_>, body: impl FnOnce() -> CoreResult<T> + Send) -> PyResult<T> {
    // AssertUnwindSafe: after a panic nothing the closure touched is used again except the
    // service provider, whose only mutable state (the replay cache) is behind its own lock.
    let outcome = py.detach(|| {
        catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| Err(CoreError::from_panic(p)))
    });
    outcome.map_err(|e| to_py(py, &e))
}

fn json_text<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    serde_json::to_string(value).map_err(|e| {
        CoreError::new(
            ErrorCode::Internal,
            format!("cannot serialize a result: {e}"),
        )
    })
}

/// A verified login kept native: its JSON form (`to_dict()`) is made only when asked for. Copied
/// as itself (it never changes) and pickled as its JSON text, so a `LoginResult` still goes
/// through `copy.deepcopy`, `dataclasses.asdict` and `pickle`.
#[pyclass(module = "eidpl._eidpl", frozen)]
struct NativeLogin {
    held: Held,
}

enum Held {
    Result(Box<LoginResult>),
    Json(String),
}

#[pymethods]
impl NativeLogin {
    /// A login restored from its JSON text (what `__reduce__` pickles).
    #[new]
    fn from_json(text: String) -> Self {
        NativeLogin {
            held: Held::Json(text),
        }
    }

    /// The result as JSON text: the same object every binding and the CLI give.
    fn to_json(&self) -> String {
        match &self.held {
            Held::Result(result) => result.to_json().to_string(),
            Held::Json(text) => text.clone(),
        }
    }

    fn __reduce__(slf: &Bound<'_, Self>) -> PyResult<(Py<PyAny>, (String,))> {
        Ok((slf.get_type().into_any().unbind(), (slf.get().to_json(),)))
    }

    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }
}

/// A login as the tuple `LoginResult._from_native` unpacks: its fields in declaration order
/// (times as RFC 3339 text, the person as a 5-tuple, attributes as a dict of tuples, warnings as
/// (code, message) pairs), then the `NativeLogin`.
fn login_tuple(py: Python<'_>, result: LoginResult) -> PyResult<Py<PyTuple>> {
    let r = &result;
    let p = &r.person;
    let person = (
        &p.person_identifier,
        &p.pesel,
        &p.given_name,
        &p.family_name,
        &p.date_of_birth,
    )
        .into_pyobject(py)?;
    let attributes = PyDict::new(py);
    for (name, values) in &r.attributes {
        attributes.set_item(name, PyTuple::new(py, values)?)?;
    }
    let warnings = PyTuple::new(
        py,
        r.warnings
            .iter()
            .map(|w| (w.code.as_str(), w.message.as_str())),
    )?;
    let fields = [
        r.name_id.as_str().into_pyobject(py)?.into_any(),
        r.name_id_format.as_deref().into_pyobject(py)?,
        r.session_index.as_str().into_pyobject(py)?.into_any(),
        r.loa.as_str().into_pyobject(py)?.into_any(),
        r.authn_context_class_ref
            .as_str()
            .into_pyobject(py)?
            .into_any(),
        r.authn_instant.as_str().into_pyobject(py)?.into_any(),
        r.authenticating_authority.as_deref().into_pyobject(py)?,
        r.assertion_id.as_str().into_pyobject(py)?.into_any(),
        r.not_on_or_after.as_str().into_pyobject(py)?.into_any(),
        r.issuer.as_str().into_pyobject(py)?.into_any(),
        person.into_any(),
        attributes.into_any(),
        warnings.into_any(),
    ];
    let mut items = Vec::from(fields);
    let held = Held::Result(Box::new(result));
    items.push(Bound::new(py, NativeLogin { held })?.into_any());
    Ok(PyTuple::new(py, items)?.unbind())
}

/// A Węzeł Krajowy service provider built once from settings; safe to share between threads.
#[pyclass(module = "eidpl._eidpl", frozen)]
struct NativeServiceProvider {
    sp: ServiceProvider,
}

#[pymethods]
impl NativeServiceProvider {
    /// Settings as JSON text; relative key paths resolve against `base_dir` (or the cwd).
    #[new]
    #[pyo3(signature = (settings_json, base_dir=None))]
    fn new(py: Python<'_>, settings_json: &str, base_dir: Option<&str>) -> PyResult<Self> {
        run(py, || {
            let settings = Settings::from_json_str(settings_json, base_dir.map(Path::new))?;
            Ok(NativeServiceProvider {
                sp: ServiceProvider::new(settings)?,
            })
        })
    }

    /// Settings from a `.toml` or `.json` file (relative paths inside: relative to the file).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: &str) -> PyResult<Self> {
        run(py, || {
            Ok(NativeServiceProvider {
                sp: ServiceProvider::from_file(path)?,
            })
        })
    }

    /// `{"id", "xml", "saml_request", "destination", "relay_state", "html_form"}` as JSON.
    #[pyo3(signature = (relay_state=None, loa_name=None, csp_nonce=None))]
    fn authn_request(
        &self,
        py: Python<'_>,
        relay_state: Option<String>,
        loa_name: Option<&str>,
        csp_nonce: Option<String>,
    ) -> PyResult<String> {
        run(py, || {
            let request = self.sp.authn_request(&AuthnRequestOptions {
                relay_state,
                loa: loa("loa", loa_name)?,
                now: None,
                csp_nonce,
            })?;
            json_text(&request)
        })
    }

    /// `{"id", "soap", "url"}` as JSON.
    fn artifact_resolve_request(&self, py: Python<'_>, artifact: &str) -> PyResult<String> {
        run(py, || json_text(&self.sp.artifact_resolve(artifact, None)?))
    }

    /// ArtifactResolve over HTTPS and validation of the answer: the login tuple.
    fn resolve_artifact(
        &self,
        py: Python<'_>,
        artifact: &str,
        request_id: &str,
    ) -> PyResult<Py<PyTuple>> {
        let result = run(py, || {
            let expected = Expected {
                authn_request_id: non_empty("request_id", request_id)?,
                ..Expected::default()
            };
            self.sp.resolve_artifact(artifact, &expected)
        })?;
        login_tuple(py, result)
    }

    /// Validates WK's answer; `now` is RFC 3339. The login tuple.
    #[pyo3(signature = (data, request_id, artifact_resolve_id=None, now=None, minimum_loa=None))]
    fn validate_artifact_response(
        &self,
        py: Python<'_>,
        data: &[u8],
        request_id: &str,
        artifact_resolve_id: Option<&str>,
        now: Option<&str>,
        minimum_loa: Option<&str>,
    ) -> PyResult<Py<PyTuple>> {
        let result = run(py, || {
            let expected = Expected {
                authn_request_id: non_empty("request_id", request_id)?,
                artifact_resolve_id,
                now: time("now", now)?,
                minimum_loa: loa("minimum_loa", minimum_loa)?,
            };
            self.sp.validate_artifact_response(data, &expected)
        })?;
        login_tuple(py, result)
    }

    /// `{"id", "soap", "url"}` as JSON.
    fn logout_request(
        &self,
        py: Python<'_>,
        name_id: &str,
        session_index: &str,
    ) -> PyResult<String> {
        run(py, || {
            json_text(&self.sp.logout_request(
                non_empty("name_id", name_id)?,
                non_empty("session_index", session_index)?,
                None,
            )?)
        })
    }

    /// `{"in_response_to", "complete", "warnings"}` as JSON.
    fn validate_logout_response(
        &self,
        py: Python<'_>,
        data: &[u8],
        request_id: &str,
    ) -> PyResult<String> {
        run(py, || {
            json_text(
                &self
                    .sp
                    .validate_logout_response(data, non_empty("request_id", request_id)?)?,
            )
        })
    }

    /// LogoutRequest over HTTPS and validation of the answer, as JSON.
    fn logout(&self, py: Python<'_>, name_id: &str, session_index: &str) -> PyResult<String> {
        run(py, || {
            json_text(&self.sp.logout(
                non_empty("name_id", name_id)?,
                non_empty("session_index", session_index)?,
            )?)
        })
    }

    /// The SP's SAML metadata (XML text).
    fn metadata(&self, py: Python<'_>) -> PyResult<String> {
        run(py, || self.sp.metadata())
    }
}

/// Verifies every signature of an XML document; the report as JSON. The document is `data`, or,
/// when `path` is given, streamed from that file (never in memory whole). `detached` is a list of
/// (uri, bytes); every PEM argument may hold several certificates.
#[pyfunction]
#[pyo3(signature = (data, trust_anchors_pem=None, intermediates_pem=None, crls_pem=None, detached=Vec::new(), now=None, check_pesel=true, path=None))]
#[allow(clippy::too_many_arguments)]
fn verify_document_json(
    py: Python<'_>,
    data: &[u8],
    trust_anchors_pem: Option<&[u8]>,
    intermediates_pem: Option<&[u8]>,
    crls_pem: Option<&[u8]>,
    detached: Vec<(String, Vec<u8>)>,
    now: Option<&str>,
    check_pesel: bool,
    path: Option<&str>,
) -> PyResult<String> {
    run(py, || {
        let mut trust = TrustStore::new();
        if let Some(pem) = trust_anchors_pem {
            trust.add_anchors(pem)?;
        }
        if let Some(pem) = intermediates_pem {
            trust.add_intermediates(pem)?;
        }
        if let Some(pem) = crls_pem {
            trust.add_crls(pem)?;
        }
        let options = VerifyOptions {
            trust,
            detached,
            now: time("now", now)?,
            check_pesel,
        };
        let report = match path {
            None => verify_document(data, &options)?,
            Some(path) => {
                let mut file = std::fs::File::open(path)
                    .map_err(|e| CoreError::from(e).with("path", path.to_owned()))?;
                verify_reader(&mut file, &options)?
            }
        };
        Ok(report.to_json().to_string())
    })
}

/// Panics on purpose inside the boundary: tests check it becomes `eidpl.Error(internal_error)`.
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    run(py, || -> CoreResult<()> {
        panic!("a test panic from eidpl._eidpl")
    })
}

#[pymodule]
fn _eidpl(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("SignatureError", py.get_type::<SignatureError>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add("DecryptionError", py.get_type::<DecryptionError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add_class::<NativeServiceProvider>()?;
    m.add_class::<NativeLogin>()?;
    m.add_function(wrap_pyfunction!(verify_document_json, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
