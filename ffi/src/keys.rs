//! Key generation: the DU's signing and encryption key pairs with their CSRs for COI.

use crate::boundary;
use crate::buffer::{bytes, OutString};
use crate::eidpl_error;
use crate::error::ErrorSlot;
use crate::options::Options;
use eidpl_core::wk::keygen::{generate_du_keys, GeneratedKeyPair, KeyGenOptions};
use eidpl_core::{Error, ErrorCode, Result};
use serde_json::{json, Value};
use std::ffi::c_char;

fn pem(bytes: Result<Vec<u8>>) -> Result<String> {
    String::from_utf8(bytes?)
        .map_err(|_| Error::new(ErrorCode::Internal, "OpenSSL wrote PEM that is not UTF-8"))
}

fn pair(p: &GeneratedKeyPair) -> Result<Value> {
    Ok(json!({
        "key_pem": pem(p.private_key_pem())?,
        "csr_pem": pem(p.csr_pem())?,
        "certificate_pem": pem(p.certificate_pem())?,
        "subject": p.subject(),
    }))
}

/// Generates the two P-256 key pairs a DU needs for WK (signing `*_sig_ec`, encryption
/// `*_enc_ec`), their certificate requests for COI and self-signed certificates to use until
/// COI's arrive.
///
/// `options_json`: `{"entity_id": string (required), "organization"?: string,
/// "country"?: two letters (default "PL")}`.
///
/// `*out_json` receives `{"signing": {"key_pem", "csr_pem", "certificate_pem", "subject"},
/// "encryption": {…the same…}}`. The private keys are unencrypted PKCS#8 PEM: store them
/// like passwords. The PEM strings can go straight into settings (`sp.signing_key`, …).
///
/// Errors: `config_invalid` (options; an entity id too long for a CN, a bad country).
///
/// # Safety
/// Every pointer is NULL or valid for its length (`out_json`, `err`: for writing one pointer).
#[no_mangle]
pub unsafe extern "C" fn eidpl_keys_generate(
    options_json: *const u8,
    options_json_len: usize,
    out_json: *mut *mut c_char,
    err: *mut *mut eidpl_error,
) -> i32 {
    // SAFETY: `err` is NULL or writable (the function's contract).
    let err = unsafe { ErrorSlot::new(err) };
    boundary::run(err, || {
        // SAFETY: the function's contract covers every pointer.
        let (out, options) = unsafe {
            (
                OutString::new(out_json, "out_json")?,
                bytes(options_json, options_json_len, "options_json")?,
            )
        };
        let o = Options::parse(
            options,
            "options_json",
            &["entity_id", "organization", "country"],
        )?;
        let mut options = KeyGenOptions::new(o.required_string("entity_id")?);
        options.organization = o.string("organization")?.map(str::to_owned);
        if let Some(country) = o.string("country")? {
            options.country = Some(country.to_owned());
        }
        let keys = generate_du_keys(&options)?;
        out.put_json(&json!({
            "signing": pair(&keys.signing)?,
            "encryption": pair(&keys.encryption)?,
        }))
    })
}
