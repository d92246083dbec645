//! Węzeł Krajowy: the `eidpl_wk_sp` service-provider handle and the calls made with it.

use crate::boundary;
use crate::buffer::{bytes, text, OutString};
use crate::eidpl_error;
use crate::error::ErrorSlot;
use crate::handle;
use crate::options::Options;
use eidpl_core::wk::{AuthnRequestOptions, Expected, ServiceProvider, Settings};
use eidpl_core::{Error, ErrorCode, Result};
use serde::Serialize;
use std::ffi::c_char;
use std::path::Path;

/// A Węzeł Krajowy service provider (DU), built once from settings by `eidpl_wk_sp_new` and
/// freed with `eidpl_wk_sp_free`. Thread-safe: one handle may be used from many threads at
/// once (it is never mutated, except for its internally locked replay cache).
pub struct eidpl_wk_sp {
    _opaque: [u8; 0],
}

// One handle is shared by every thread of the host: what it wraps must be Send + Sync.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<ServiceProvider>();
};

/// `format` of `eidpl_wk_sp_new`: JSON if the text starts with `{`, TOML otherwise.
pub const EIDPL_SETTINGS_AUTO: i32 = 0;
/// `format` of `eidpl_wk_sp_new`: JSON.
pub const EIDPL_SETTINGS_JSON: i32 = 1;
/// `format` of `eidpl_wk_sp_new`: TOML.
pub const EIDPL_SETTINGS_TOML: i32 = 2;

/// The service provider behind `sp`.
///
/// # Safety
/// `sp` is NULL or a live handle from this library.
unsafe fn provider<'a>(sp: *const eidpl_wk_sp) -> Result<&'a ServiceProvider> {
    if sp.is_null() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "the handle `sp` is NULL").with("argument", "sp"),
        );
    }
    // SAFETY: forwarded contract.
    unsafe { handle::borrow(sp, handle::SP) }.ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidInput,
            "`sp` is not an eidpl_wk_sp handle (another kind of object, or freed)",
        )
        .with("argument", "sp")
    })
}

fn json<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("cannot serialize a result: {e}"),
        )
    })
}

fn read_settings(text: &str, format: i32, base_dir: Option<&Path>) -> Result<Settings> {
    if text.trim().is_empty() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "`settings` is empty").with("argument", "settings")
        );
    }
    let json = match format {
        EIDPL_SETTINGS_AUTO => text.trim_start().starts_with('{'),
        EIDPL_SETTINGS_JSON => true,
        EIDPL_SETTINGS_TOML => false,
        other => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("`format` must be 0 (auto), 1 (JSON) or 2 (TOML), got {other}"),
            )
            .with("argument", "format")
            .expected_actual("0 | 1 | 2", other))
        }
    };
    if json {
        Settings::from_json_str(text, base_dir)
    } else {
        Settings::from_toml_str(text, base_dir)
    }
}

/// Creates a service provider from settings (the schema of docs/wk.md) and loads every key and
/// certificate they name. On success `*out` receives a handle the caller frees with
/// `eidpl_wk_sp_free`; on failure `*out` is NULL.
///
/// * `settings`, `settings_len`: the settings text, UTF-8.
/// * `format`: `EIDPL_SETTINGS_AUTO` (0), `EIDPL_SETTINGS_JSON` (1) or `EIDPL_SETTINGS_TOML` (2).
/// * `base_dir`, `base_dir_len`: relative key and certificate paths in the settings resolve
///   against this directory (UTF-8); length 0 means the process's working directory.
///
/// Errors: `invalid_input` (NULL, empty, not UTF-8, bad `format`), `config_invalid` (syntax,
/// unknown or missing settings; `details.setting` names it), `key_invalid`.
///
/// # Safety
/// Every pointer is NULL or valid for its length (`out`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_sp_new(
    settings: *const u8,
    settings_len: usize,
    format: i32,
    base_dir: *const u8,
    base_dir_len: usize,
    out: *mut *mut eidpl_wk_sp,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        if out.is_null() {
            return Err(
                Error::new(ErrorCode::InvalidInput, "the out-parameter `out` is NULL")
                    .with("argument", "out"),
            );
        }
        // SAFETY: `out` is non-NULL and writable: NULL until a handle exists.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: the buffers are NULL or readable for their lengths (the contract).
        let (settings, base_dir) = unsafe {
            (
                text(settings, settings_len, "settings")?,
                text(base_dir, base_dir_len, "base_dir")?,
            )
        };
        let base_dir = (!base_dir.is_empty()).then(|| Path::new(base_dir));
        let provider = ServiceProvider::new(read_settings(settings, format, base_dir)?)?;
        let handle: *mut eidpl_wk_sp = handle::into_raw(handle::SP, provider);
        // SAFETY: checked non-NULL and writable above.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Frees a service provider. NULL is a no-op. The handle must not be in use by another thread
/// and must not be used afterwards; freeing twice is the caller's bug.
///
/// # Safety
/// `sp` is NULL or a handle from `eidpl_wk_sp_new` that was not freed.
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_sp_free(sp: *mut eidpl_wk_sp) {
    boundary::run_or((), || {
        // SAFETY: the function's contract.
        unsafe { handle::free::<ServiceProvider, _>(sp, handle::SP) }
    })
}

/// Builds and signs an AuthnRequest (the browser's way to WK) and the page that POSTs it.
///
/// `options_json` (empty means defaults): `{"relay_state"?: string (at most 80 bytes),
/// "loa"?: "low" | "substantial" | "high", "csp_nonce"?: string}`.
///
/// `*out_json` receives `{"id", "xml", "saml_request", "destination", "relay_state",
/// "html_form"}`; keep `id` in the user's session, validation needs it.
///
/// Errors: `config_invalid` (options; or settings lacking `sp.signing_key`,
/// `sp.provider_name`, an SSO URL), `invalid_input`.
///
/// # Safety
/// `sp` is NULL or a live handle; every other pointer is NULL or valid for its length
/// (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_authn_request(
    sp: *const eidpl_wk_sp,
    options_json: *const u8,
    options_json_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, sp, options) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                provider(sp)?,
                bytes(options_json, options_json_len, "options_json")?,
            )
        };
        let o = Options::parse(
            options,
            "options_json",
            &["relay_state", "loa", "csp_nonce"],
        )?;
        let request = sp.authn_request(&AuthnRequestOptions {
            relay_state: o.string("relay_state")?.map(str::to_owned),
            loa: o.loa("loa")?,
            now: None,
            csp_nonce: o.string("csp_nonce")?.map(str::to_owned),
        })?;
        out.put_json(&json(&request)?)
    })
}

/// Builds the signed SOAP ArtifactResolve for the `SAMLart` value WK posted to the ACS URL,
/// for hosts that do the HTTP themselves. `*out_json` receives `{"id", "soap", "url"}`: POST
/// `soap` to `url` (`Content-Type: text/xml`), then pass the answer and `id` (as
/// `artifact_resolve_id`) to `eidpl_wk_validate_artifact_response`.
///
/// Errors: `invalid_input` (artifact empty, too long or not base64), `config_invalid`.
///
/// # Safety
/// `sp` is NULL or a live handle; every other pointer is NULL or valid for its length
/// (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_artifact_resolve_request(
    sp: *const eidpl_wk_sp,
    artifact: *const u8,
    artifact_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, sp, artifact) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                provider(sp)?,
                text(artifact, artifact_len, "artifact")?,
            )
        };
        out.put_json(&json(&sp.artifact_resolve(artifact, None)?)?)
    })
}

#[cfg(feature = "http")]
fn resolve_over_http(
    sp: &ServiceProvider,
    artifact: &str,
    request_id: &str,
) -> Result<serde_json::Value> {
    let expected = Expected {
        authn_request_id: request_id,
        ..Expected::default()
    };
    Ok(sp.resolve_artifact(artifact, &expected)?.to_json())
}

#[cfg(feature = "http")]
fn logout_over_http(
    sp: &ServiceProvider,
    name_id: &str,
    session_index: &str,
) -> Result<serde_json::Value> {
    json(&sp.logout(name_id, session_index)?)
}

#[cfg(not(feature = "http"))]
fn no_http() -> Error {
    Error::new(
        ErrorCode::HttpError,
        "this libeidpl was built without the `http` feature: build the SOAP request, POST it with your own HTTP client and validate the answer",
    )
    .with("reason", "http_disabled")
}

#[cfg(not(feature = "http"))]
fn resolve_over_http(_: &ServiceProvider, _: &str, _: &str) -> Result<serde_json::Value> {
    Err(no_http())
}

#[cfg(not(feature = "http"))]
fn logout_over_http(_: &ServiceProvider, _: &str, _: &str) -> Result<serde_json::Value> {
    Err(no_http())
}

/// Resolves the `SAMLart` over HTTPS (ArtifactResolve to WK) and validates the answer against
/// `authn_request_id` (the `id` of this user's AuthnRequest) at the current time. Blocks for up
/// to the `[http]` timeouts of the settings. `*out_json` receives the login result, as from
/// `eidpl_wk_validate_artifact_response`.
///
/// Errors: `http_error` (`details.reason`), `limit_exceeded`, and every validation error.
///
/// # Safety
/// `sp` is NULL or a live handle; every other pointer is NULL or valid for its length
/// (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_resolve_artifact(
    sp: *const eidpl_wk_sp,
    artifact: *const u8,
    artifact_len: usize,
    authn_request_id: *const u8,
    authn_request_id_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, sp, artifact, request_id) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                provider(sp)?,
                text(artifact, artifact_len, "artifact")?,
                text(authn_request_id, authn_request_id_len, "authn_request_id")?,
            )
        };
        let request_id = eidpl_core::args::non_empty("authn_request_id", request_id)?;
        out.put_json(&resolve_over_http(sp, artifact, request_id)?)
    })
}

/// Validates WK's answer to an ArtifactResolve (the SOAP envelope, a bare ArtifactResponse or
/// a bare Response) and returns the verified identity.
///
/// `expected_json`: `{"authn_request_id": string (required), "artifact_resolve_id"?: string
/// (required for an ArtifactResponse), "now"?: RFC 3339 (default: the current time),
/// "minimum_loa"?: "low" | "substantial" | "high"}`.
///
/// `*out_json` receives the login result: `{"name_id", "name_id_format", "session_index",
/// "loa", "authn_context_class_ref", "authn_instant", "authenticating_authority",
/// "assertion_id", "not_on_or_after", "issuer", "person": {"person_identifier", "pesel",
/// "given_name", "family_name", "date_of_birth"}, "attributes": {uri: [values]},
/// "warnings": [{"code", "message"}]}`.
///
/// Errors: every WK validation code (`digest_mismatch`, `replay_detected`, `expired`, …;
/// docs/errors.md), `limit_exceeded` (over 1 MiB), `config_invalid` (`expected_json`).
///
/// # Safety
/// `sp` is NULL or a live handle; every other pointer is NULL or valid for its length
/// (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_validate_artifact_response(
    sp: *const eidpl_wk_sp,
    response: *const u8,
    response_len: usize,
    expected_json: *const u8,
    expected_json_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, sp, response, expected) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                provider(sp)?,
                bytes(response, response_len, "response")?,
                bytes(expected_json, expected_json_len, "expected_json")?,
            )
        };
        let o = Options::parse(
            expected,
            "expected_json",
            &[
                "authn_request_id",
                "artifact_resolve_id",
                "now",
                "minimum_loa",
            ],
        )?;
        let expected = Expected {
            authn_request_id: o.required_string("authn_request_id")?,
            artifact_resolve_id: o.string("artifact_resolve_id")?,
            now: o.time("now")?,
            minimum_loa: o.loa("minimum_loa")?,
        };
        out.put_json(
            &sp.validate_artifact_response(response, &expected)?
                .to_json(),
        )
    })
}

/// Builds the signed SOAP LogoutRequest for a session, for hosts that do the HTTP themselves.
/// `name_id` and `session_index` come from the login result. `*out_json` receives
/// `{"id", "soap", "url"}`.
///
/// Errors: `invalid_input` (empty values), `config_invalid` (no signing key or SLO URL).
///
/// # Safety
/// `sp` is NULL or a live handle; every other pointer is NULL or valid for its length
/// (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_logout_request(
    sp: *const eidpl_wk_sp,
    name_id: *const u8,
    name_id_len: usize,
    session_index: *const u8,
    session_index_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, sp, name_id, session_index) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                provider(sp)?,
                text(name_id, name_id_len, "name_id")?,
                text(session_index, session_index_len, "session_index")?,
            )
        };
        out.put_json(&json(&sp.logout_request(name_id, session_index, None)?)?)
    })
}

/// Checks WK's LogoutResponse (SOAP or bare) to the LogoutRequest `logout_request_id`.
/// `*out_json` receives `{"in_response_to", "complete": bool, "warnings": [{"code",
/// "message"}]}`.
///
/// Errors: `status_not_success`, `in_response_to_mismatch`, `issuer_mismatch`, signature
/// codes, `limit_exceeded`, `invalid_input`.
///
/// # Safety
/// `sp` is NULL or a live handle; every other pointer is NULL or valid for its length
/// (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_validate_logout_response(
    sp: *const eidpl_wk_sp,
    response: *const u8,
    response_len: usize,
    logout_request_id: *const u8,
    logout_request_id_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, sp, response, request_id) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                provider(sp)?,
                bytes(response, response_len, "response")?,
                text(
                    logout_request_id,
                    logout_request_id_len,
                    "logout_request_id",
                )?,
            )
        };
        let request_id = eidpl_core::args::non_empty("logout_request_id", request_id)?;
        out.put_json(&json(&sp.validate_logout_response(response, request_id)?)?)
    })
}

/// Logs the session out at WK over HTTPS (LogoutRequest, then checks the LogoutResponse).
/// Blocks for up to the `[http]` timeouts. `*out_json` receives the same object as
/// `eidpl_wk_validate_logout_response`.
///
/// Errors: `http_error` (`details.reason`), and those of the two calls it combines.
///
/// # Safety
/// `sp` is NULL or a live handle; every other pointer is NULL or valid for its length
/// (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_logout(
    sp: *const eidpl_wk_sp,
    name_id: *const u8,
    name_id_len: usize,
    session_index: *const u8,
    session_index_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, sp, name_id, session_index) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                provider(sp)?,
                text(name_id, name_id_len, "name_id")?,
                text(session_index, session_index_len, "session_index")?,
            )
        };
        out.put_json(&logout_over_http(sp, name_id, session_index)?)
    })
}

/// The SP's SAML metadata (an `md:EntityDescriptor`, XML text) to hand to COI.
///
/// Errors: `config_invalid` (no signing certificate or encryption certificates).
///
/// # Safety
/// `sp` is NULL or a live handle; `out_xml` and `err` are NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn eidpl_wk_metadata(
    sp: *const eidpl_wk_sp,
    out_xml: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, sp) = unsafe { (OutString::new(out_xml, "out_xml")?, provider(sp)?) };
        out.put(sp.metadata()?)
    })
}
