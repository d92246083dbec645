//! Document verification: XAdES / podpis zaufany bytes in, the report out.

use crate::boundary;
use crate::buffer::{bytes, OutString};
use crate::eidpl_error;
use crate::error::ErrorSlot;
use crate::options::{invalid, Options};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use eidpl_core::pki::TrustStore;
use eidpl_core::xades::{verify_document, VerifyOptions};
use eidpl_core::Result;
use std::ffi::c_char;

fn verify_options(o: &Options) -> Result<VerifyOptions> {
    let mut trust = TrustStore::new();
    if let Some(pem) = o.string("trust_anchors_pem")? {
        trust.add_anchors(pem.as_bytes())?;
    }
    if let Some(pem) = o.string("intermediates_pem")? {
        trust.add_intermediates(pem.as_bytes())?;
    }
    if let Some(pem) = o.string("crls_pem")? {
        trust.add_crls(pem.as_bytes())?;
    }
    let mut detached = Vec::new();
    for (i, file) in o
        .objects("detached", &["uri", "base64"])?
        .iter()
        .enumerate()
    {
        let uri = file.required_string("uri")?.to_owned();
        let data = B64
            .decode(file.required_string("base64")?.trim())
            .map_err(|e| {
                invalid(
                    o.argument(),
                    &format!("detached[{i}].base64"),
                    format!("is not base64: {e}"),
                )
            })?;
        detached.push((uri, data));
    }
    Ok(VerifyOptions {
        trust,
        detached,
        now: o.time("now")?,
        check_pesel: o.bool("check_pesel")?.unwrap_or(true),
    })
}

/// Verifies every signature in an XML document (XAdES, podpis zaufany, ePUAP letters and UPO).
/// Nothing is fetched from the network: trust comes from the options only.
///
/// `options_json` (empty means no trust anchors, so at best `indeterminate`):
/// `{"trust_anchors_pem"?: string, "intermediates_pem"?: string, "crls_pem"?: string,
/// "detached"?: [{"uri": string, "base64": string}], "now"?: RFC 3339,
/// "check_pesel"?: bool (default true)}`.
///
/// `*out_json` receives the report: `{"verdict": "valid" | "invalid" | "indeterminate",
/// "document_type", "signatures": [{"id", "indication", "sub_indication", "message", "kind",
/// "signing_time", "signer", "chain", "pz", "warnings", "children"}], "attachments", "upo",
/// "warnings"}`. A document that parses always gives a report (status 0), even when its
/// verdict is `invalid`: check `verdict`.
///
/// Errors: `xml_malformed`, `doctype_forbidden`, `limit_exceeded` (documents that cannot be
/// read at all), `key_invalid` (unreadable PEM in the options), `config_invalid` (options).
///
/// # Safety
/// Every pointer is NULL or valid for its length (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_verify_document(
    document: *const u8,
    document_len: usize,
    options_json: *const u8,
    options_json_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, document, options) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                bytes(document, document_len, "document")?,
                bytes(options_json, options_json_len, "options_json")?,
            )
        };
        let o = Options::parse(
            options,
            "options_json",
            &[
                "trust_anchors_pem",
                "intermediates_pem",
                "crls_pem",
                "detached",
                "now",
                "check_pesel",
            ],
        )?;
        let report = verify_document(document, &verify_options(&o)?)?;
        out.put_json(&report.to_json())
    })
}
