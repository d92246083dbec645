//! Validating WK's answer, in the order WK-PROFILE.md and SECURITY.md require: hardened parse →
//! ArtifactResponse signature (pinned keys) and InResponseTo → status at both levels → Response
//! signature, issuer, InResponseTo → decryption → assertion checks → replay.

use super::assertion;
use super::loa::Loa;
use super::provider::{config_error, ServiceProvider};
use super::result::{LoginResult, Warning};
use super::soap;
use super::status;
use crate::dsig::{verify_enveloped, VerifiedElement};
use crate::error::{Error, ErrorCode, Result};
use crate::time::UtcTime;
use crate::xml::{ns, Document, Node, ParseOptions};
use crate::xmlenc::{decrypt_element, DecryptionPolicy};

/// What the answer must match: the IDs of our own requests, and the time to validate at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expected<'a> {
    /// The AuthnRequest ID (kept in the user's session).
    pub authn_request_id: &'a str,
    /// The ArtifactResolve ID; required when the message is an ArtifactResponse.
    pub artifact_resolve_id: Option<&'a str>,
    /// Validation time (default: now). Set it to validate a historical message.
    pub now: Option<UtcTime>,
    /// The LoA this login asked for, if above `sp.requested_loa` (which is always the floor).
    pub minimum_loa: Option<Loa>,
}

fn shape(message: &str, at: Node<'_>) -> Error {
    Error::new(ErrorCode::ProfileViolation, message.to_owned()).with("element", at.describe())
}

/// The element's `saml2:Issuer` text, which must equal WK's issuer.
pub(crate) fn check_issuer(element: Node<'_>, expected: &str) -> Result<()> {
    let issuer = element
        .child_elements()
        .find(|c| c.is(ns::SAML, "Issuer"))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::IssuerMismatch,
                format!("{} has no Issuer", element.qualified_name()),
            )
            .expected_actual(expected, serde_json::Value::Null)
        })?;
    let actual = issuer
        .leaf_text()
        .ok_or_else(|| shape("Issuer must be plain text", issuer))?;
    if actual.trim() != expected {
        return Err(Error::new(
            ErrorCode::IssuerMismatch,
            format!(
                "{} was issued by `{}`, not by the configured WK issuer `{expected}`",
                element.qualified_name(),
                actual.trim()
            ),
        )
        .expected_actual(expected, actual.trim()));
    }
    Ok(())
}

pub(crate) fn check_in_response_to(element: Node<'_>, expected: &str) -> Result<()> {
    let actual = element.attr("InResponseTo");
    if actual != Some(expected) {
        return Err(Error::new(
            ErrorCode::InResponseToMismatch,
            format!(
                "{} answers request {}, not ours",
                element.qualified_name(),
                actual.map_or("(none)".to_owned(), |a| format!("`{a}`"))
            ),
        )
        .with("element", element.qualified_name())
        .expected_actual(expected, actual));
    }
    Ok(())
}

fn check_version(element: Node<'_>) -> Result<()> {
    match element.attr("Version") {
        Some("2.0") => Ok(()),
        other => Err(shape("SAML Version must be 2.0", element).expected_actual("2.0", other)),
    }
}

/// Element children must be exactly the allowed ones in order (schema shape, no extras).
fn check_children(element: Node<'_>, allowed: &[(&str, &str, bool)]) -> Result<()> {
    let mut slots = allowed.iter().peekable();
    for child in element.child_elements() {
        loop {
            match slots.peek() {
                Some((ns, name, _)) if child.is(ns, name) => break,
                Some((_, _, optional)) if *optional => {
                    slots.next();
                }
                _ => {
                    return Err(shape(
                        &format!("unexpected element in {}", element.qualified_name()),
                        child,
                    ))
                }
            }
        }
        slots.next();
    }
    if let Some((_, name, _)) = slots.find(|(_, _, optional)| !optional) {
        return Err(shape(
            &format!("{} lacks {name}", element.qualified_name()),
            element,
        ));
    }
    Ok(())
}

/// How often each `(ns, local)` occurs anywhere in the document (one walk): XSW hides a second
/// copy anywhere.
fn counts<const N: usize>(doc: &Document, names: [(&str, &str); N]) -> [usize; N] {
    let mut found = [0; N];
    for n in doc.root().descendants() {
        if let Some(i) = names.iter().position(|(ns, local)| n.is(ns, local)) {
            found[i] += 1;
        }
    }
    found
}

impl ServiceProvider {
    /// Validates WK's answer to an ArtifactResolve (SOAP envelope, bare ArtifactResponse or bare
    /// Response) and returns the verified identity. Every check failing has its own error code.
    pub fn validate_artifact_response(
        &self,
        bytes: &[u8],
        expected: &Expected<'_>,
    ) -> Result<LoginResult> {
        if self.wk_keys.is_empty() {
            return Err(config_error(
                "idp.signing_certs",
                "is required to validate responses (pin WK's signing certificate)",
            ));
        }
        if self.decryption_keys.is_empty() {
            return Err(config_error(
                "sp.encryption_keys",
                "is required to validate responses (WK encrypts every assertion)",
            ));
        }
        let now = expected.now.unwrap_or_else(UtcTime::now);
        let wk_issuer = self.settings.idp.entity_id.as_str();
        let doc = Document::parse(bytes, &ParseOptions::saml())?;
        let message = soap::message(doc.root())?;
        let mut warnings = Vec::new();

        // Exactly one of each: a wrapped copy anywhere else is an attack (XSW), not noise.
        let names = [
            (ns::SAMLP, "ArtifactResponse"),
            (ns::SAMLP, "Response"),
            (ns::SAML, "EncryptedAssertion"),
            (ns::SAML, "Assertion"),
        ];
        let wanted = [
            usize::from(message.is(ns::SAMLP, "ArtifactResponse")),
            1,
            1,
            0,
        ];
        for ((n, want), (_, local)) in counts(&doc, names).into_iter().zip(wanted).zip(names) {
            // At most `want`: a failed login may carry no Response or assertion at all.
            if n > want {
                return Err(Error::new(
                    ErrorCode::ProfileViolation,
                    format!("a WK answer carries at most {want} {local} element(s), found {n}"),
                )
                .expected_actual(want, n));
            }
        }

        let response = if message.is(ns::SAMLP, "ArtifactResponse") {
            let artifact_resolve_id = expected.artifact_resolve_id.ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidInput,
                    "the ArtifactResolve ID is required to validate an ArtifactResponse",
                )
            })?;
            let outer = verify_enveloped(&doc, message, &self.wk_keys)?;
            self.note_key_validity(&outer, now, &mut warnings);
            let ar = outer.element;
            check_version(ar)?;
            check_issuer(ar, wk_issuer)?;
            check_in_response_to(ar, artifact_resolve_id)?;
            // The outer signature covers the inner status: report WK's refusal before the shape.
            status::require_success(ar, "ArtifactResponse")?;
            let response = ar
                .child_elements()
                .find(|c| c.is(ns::SAMLP, "Response"))
                .ok_or_else(|| {
                    shape(
                        "ArtifactResponse carries no Response (WK sends none for an unknown, expired or already used artifact)",
                        ar,
                    )
                })?;
            status::require_success(response, "Response")?;
            check_children(
                ar,
                &[
                    (ns::SAML, "Issuer", false),
                    (ns::DS, "Signature", false),
                    (ns::SAMLP, "Extensions", true),
                    (ns::SAMLP, "Status", false),
                    (ns::SAMLP, "Response", false),
                ],
            )?;
            response
        } else if message.is(ns::SAMLP, "Response") {
            message
        } else {
            return Err(shape("expected an ArtifactResponse or a Response", message));
        };

        let inner = verify_enveloped(&doc, response, &self.wk_keys)?;
        self.note_key_validity(&inner, now, &mut warnings);
        let response = inner.element;
        check_version(response)?;
        status::require_success(response, "Response")?;
        check_issuer(response, wk_issuer)?;
        check_in_response_to(response, expected.authn_request_id)?;
        if let Some(destination) = response.attr("Destination") {
            if destination != self.settings.sp.acs_url {
                return Err(Error::new(
                    ErrorCode::DestinationMismatch,
                    "the Response was addressed to another endpoint",
                )
                .expected_actual(self.settings.sp.acs_url.as_str(), destination));
            }
        }
        check_children(
            response,
            &[
                (ns::SAML, "Issuer", false),
                (ns::DS, "Signature", false),
                (ns::SAMLP, "Extensions", true),
                (ns::SAMLP, "Status", false),
                (ns::SAML, "EncryptedAssertion", false),
            ],
        )?;
        let encrypted = response
            .child_elements()
            .find(|c| c.is(ns::SAML, "EncryptedAssertion"))
            .ok_or_else(|| shape("the Response carries no EncryptedAssertion", response))?;
        check_children(encrypted, &[(ns::XENC, "EncryptedData", false)])?;
        let encrypted_data = encrypted
            .child_elements()
            .next()
            .ok_or_else(|| shape("EncryptedAssertion is empty", encrypted))?;

        let plaintext = decrypt_element(
            encrypted_data,
            &self.decryption_keys,
            &DecryptionPolicy {
                encoding: self.settings.security.kdf_encoding,
                party_u: Some(wk_issuer),
                party_v: Some(&self.settings.sp.entity_id),
            },
        )?;
        let assertion_doc = Document::parse(&plaintext, &ParseOptions::saml())?;
        assertion::reject_ids_seen_in(&assertion_doc, &doc)?;
        let mut result = assertion::read(
            assertion_doc.root(),
            &assertion::Checks {
                wk_issuer,
                entity_id: &self.settings.sp.entity_id,
                acs_url: &self.settings.sp.acs_url,
                authn_request_id: expected.authn_request_id,
                requested_loa: expected
                    .minimum_loa
                    .map_or(self.settings.sp.requested_loa, |l| {
                        l.max(self.settings.sp.requested_loa)
                    }),
                skew_seconds: i64::from(self.settings.security.clock_skew_seconds),
                now,
            },
        )?;
        warnings.append(&mut result.warnings);
        result.warnings = warnings;
        self.remember(&result, expected.authn_request_id, now)?;
        Ok(result)
    }

    /// Replay protection, last: only a message that passed every other check may burn IDs.
    ///
    /// The assertion ID goes first and decides between copies of one answer; a message that
    /// loses there stops before it touches the request ID, or two concurrent copies could each
    /// take one key and both fail, and nobody would log in. Among different assertions for one
    /// request, the request ID then admits exactly one.
    fn remember(&self, result: &LoginResult, request_id: &str, now: UtcTime) -> Result<()> {
        let skew = i64::from(self.settings.security.clock_skew_seconds);
        let until = UtcTime::parse(&result.not_on_or_after)
            .unwrap_or(now)
            .plus_seconds(skew);
        let assertion_key = format!("wk-assertion:{}", result.assertion_id);
        if !self.replay.insert_once(&assertion_key, until, now)? {
            return Err(replayed("assertion", &result.assertion_id));
        }
        let request_key = format!("wk-authn-request:{request_id}");
        if !self.replay.insert_once(&request_key, until, now)? {
            return Err(replayed("AuthnRequest ID", request_id));
        }
        Ok(())
    }

    /// Pinned certificates are trusted by configuration, not by dates; an expired one is still
    /// worth telling the operator about (rotation is due).
    fn note_key_validity(
        &self,
        v: &VerifiedElement<'_>,
        now: UtcTime,
        warnings: &mut Vec<Warning>,
    ) {
        let Some(cert) = &v.signature.certificate else {
            return;
        };
        let (expired, early) = match self.wk_keys.by_certificate(cert).and_then(|k| k.validity()) {
            Some((from, until)) => (until < now.unix_seconds(), from > now.unix_seconds()),
            None => {
                let Ok(at) = openssl::asn1::Asn1Time::from_unix(now.unix_seconds()) else {
                    return;
                };
                (cert.not_after() < at, cert.not_before() > at)
            }
        };
        if (expired || early)
            && !warnings
                .iter()
                .any(|w| w.code == "wk_certificate_not_current")
        {
            warnings.push(Warning::new(
                "wk_certificate_not_current",
                format!(
                    "the pinned WK certificate `{}` is outside its validity ({} – {}); plan the rotation",
                    v.key_label(),
                    cert.not_before(),
                    cert.not_after()
                ),
            ));
        }
    }
}

fn replayed(what: &str, id: &str) -> Error {
    Error::new(
        ErrorCode::ReplayDetected,
        format!("this {what} was already used for a login"),
    )
    .with("id", id)
}
