//! The status values every function returns: `EIDPL_OK`, or the stable number of an error code
//! (docs/errors.md). A unit test keeps this list equal to `eidpl::ErrorCode::ALL`.

/// Success.
pub const EIDPL_OK: i32 = 0;
/// `invalid_input`: unusable input (NULL pointer, empty, not UTF-8, bad base64).
pub const EIDPL_INVALID_INPUT: i32 = 1;
/// `xml_malformed`: not well-formed XML.
pub const EIDPL_XML_MALFORMED: i32 = 2;
/// `doctype_forbidden`: the document has a DOCTYPE.
pub const EIDPL_DOCTYPE_FORBIDDEN: i32 = 3;
/// `limit_exceeded`: a size, depth or count limit was exceeded.
pub const EIDPL_LIMIT_EXCEEDED: i32 = 4;
/// `duplicate_id`: two ID attributes carry the same value.
pub const EIDPL_DUPLICATE_ID: i32 = 5;
/// `profile_violation`: the message does not have the required structure.
pub const EIDPL_PROFILE_VIOLATION: i32 = 6;
/// `signature_missing`: a required signature is absent.
pub const EIDPL_SIGNATURE_MISSING: i32 = 7;
/// `signature_invalid`: the signature value does not verify.
pub const EIDPL_SIGNATURE_INVALID: i32 = 8;
/// `digest_mismatch`: a reference digest does not match the signed content.
pub const EIDPL_DIGEST_MISMATCH: i32 = 9;
/// `algorithm_not_allowed`: an algorithm, transform or key size outside the allowlist.
pub const EIDPL_ALGORITHM_NOT_ALLOWED: i32 = 10;
/// `reference_invalid`: a reference points somewhere the profile does not allow.
pub const EIDPL_REFERENCE_INVALID: i32 = 11;
/// `key_not_trusted`: the signing key is not a configured key.
pub const EIDPL_KEY_NOT_TRUSTED: i32 = 12;
/// `c14n_failed`: canonicalization failed or produced no output.
pub const EIDPL_C14N_FAILED: i32 = 13;
/// `key_invalid`: a key or certificate could not be read.
pub const EIDPL_KEY_INVALID: i32 = 14;
/// `config_invalid`: settings or options are missing, unknown or inconsistent.
pub const EIDPL_CONFIG_INVALID: i32 = 15;
/// `status_not_success`: the SAML status is not Success.
pub const EIDPL_STATUS_NOT_SUCCESS: i32 = 16;
/// `decryption_failed`: the encrypted assertion could not be decrypted.
pub const EIDPL_DECRYPTION_FAILED: i32 = 17;
/// `issuer_mismatch`: the issuer is not the expected one.
pub const EIDPL_ISSUER_MISMATCH: i32 = 18;
/// `audience_mismatch`: the audience does not name this service provider.
pub const EIDPL_AUDIENCE_MISMATCH: i32 = 19;
/// `recipient_mismatch`: the Recipient is not this service provider's ACS URL.
pub const EIDPL_RECIPIENT_MISMATCH: i32 = 20;
/// `destination_mismatch`: a Destination names another endpoint.
pub const EIDPL_DESTINATION_MISMATCH: i32 = 21;
/// `in_response_to_mismatch`: the answer belongs to another request.
pub const EIDPL_IN_RESPONSE_TO_MISMATCH: i32 = 22;
/// `expired`: the message or assertion is no longer valid.
pub const EIDPL_EXPIRED: i32 = 23;
/// `not_yet_valid`: the message or assertion is not valid yet.
pub const EIDPL_NOT_YET_VALID: i32 = 24;
/// `replay_detected`: a one-time value was used again.
pub const EIDPL_REPLAY_DETECTED: i32 = 25;
/// `loa_insufficient`: the level of assurance is below the minimum.
pub const EIDPL_LOA_INSUFFICIENT: i32 = 26;
/// `http_error`: HTTP transport failure.
pub const EIDPL_HTTP_ERROR: i32 = 27;
/// `io_error`: reading or writing a file failed.
pub const EIDPL_IO_ERROR: i32 = 28;
/// `chain_invalid`: certificate chain or trust evaluation failed.
pub const EIDPL_CHAIN_INVALID: i32 = 29;
/// `internal_error`: a bug in eidpl (including a caught panic). Please report it.
pub const EIDPL_INTERNAL_ERROR: i32 = 30;

#[cfg(test)]
mod tests {
    use super::*;
    use eidpl_core::ErrorCode;

    /// Every error code has its constant with the same number, and no constant is left over.
    #[test]
    fn constants_match_the_error_codes() {
        let constants = [
            (EIDPL_INVALID_INPUT, "invalid_input"),
            (EIDPL_XML_MALFORMED, "xml_malformed"),
            (EIDPL_DOCTYPE_FORBIDDEN, "doctype_forbidden"),
            (EIDPL_LIMIT_EXCEEDED, "limit_exceeded"),
            (EIDPL_DUPLICATE_ID, "duplicate_id"),
            (EIDPL_PROFILE_VIOLATION, "profile_violation"),
            (EIDPL_SIGNATURE_MISSING, "signature_missing"),
            (EIDPL_SIGNATURE_INVALID, "signature_invalid"),
            (EIDPL_DIGEST_MISMATCH, "digest_mismatch"),
            (EIDPL_ALGORITHM_NOT_ALLOWED, "algorithm_not_allowed"),
            (EIDPL_REFERENCE_INVALID, "reference_invalid"),
            (EIDPL_KEY_NOT_TRUSTED, "key_not_trusted"),
            (EIDPL_C14N_FAILED, "c14n_failed"),
            (EIDPL_KEY_INVALID, "key_invalid"),
            (EIDPL_CONFIG_INVALID, "config_invalid"),
            (EIDPL_STATUS_NOT_SUCCESS, "status_not_success"),
            (EIDPL_DECRYPTION_FAILED, "decryption_failed"),
            (EIDPL_ISSUER_MISMATCH, "issuer_mismatch"),
            (EIDPL_AUDIENCE_MISMATCH, "audience_mismatch"),
            (EIDPL_RECIPIENT_MISMATCH, "recipient_mismatch"),
            (EIDPL_DESTINATION_MISMATCH, "destination_mismatch"),
            (EIDPL_IN_RESPONSE_TO_MISMATCH, "in_response_to_mismatch"),
            (EIDPL_EXPIRED, "expired"),
            (EIDPL_NOT_YET_VALID, "not_yet_valid"),
            (EIDPL_REPLAY_DETECTED, "replay_detected"),
            (EIDPL_LOA_INSUFFICIENT, "loa_insufficient"),
            (EIDPL_HTTP_ERROR, "http_error"),
            (EIDPL_IO_ERROR, "io_error"),
            (EIDPL_CHAIN_INVALID, "chain_invalid"),
            (EIDPL_INTERNAL_ERROR, "internal_error"),
        ];
        assert_eq!(constants.len(), ErrorCode::ALL.len(), "add a constant");
        for (number, name) in constants {
            let code = ErrorCode::from_name(name).unwrap();
            assert_eq!(i32::from(code.as_u16()), number, "{name}");
        }
        assert_eq!(EIDPL_OK, 0);
    }
}
