//! One forged answer per WK row of SECURITY.md, each rejected with its specific code.
//! XSW1–XSW8 are built at both signature levels: around the ArtifactResponse (SOAP answer) and
//! around the Response (bare Response answer), with the evil element keeping the signed ID or
//! taking a fresh one.
#![allow(clippy::unwrap_used)]

mod common;

use common::wk::{World, ACS, AUTHN_ID, RESOLVE_ID, SP_ENTITY, WK_ISSUER};
use eidpl::time::UtcTime;
use eidpl::wk::idp::{Citizen, IdentityProvider, Refusal};
use eidpl::wk::{Expected, InMemoryReplayStore, ReplayStore};
use eidpl::ErrorCode;
use std::sync::{Arc, Barrier, Mutex};

/// `[start, end)` of the first `open…close` at or after `from` (our messages never nest them).
fn span(xml: &str, open: &str, close: &str, from: usize) -> (usize, usize) {
    let start = from
        + xml[from..]
            .find(open)
            .unwrap_or_else(|| panic!("{open} in {xml}"));
    let end = start + xml[start..].find(close).unwrap() + close.len();
    (start, end)
}

fn cut<'x>(xml: &'x str, open: &str, close: &str) -> &'x str {
    let (s, e) = span(xml, open, close, 0);
    &xml[s..e]
}

/// The element without its (first) signature.
fn unsigned(element: &str) -> String {
    let (s, e) = span(element, "<ds:Signature>", "</ds:Signature>", 0);
    format!("{}{}", &element[..s], &element[e..])
}

fn with_id(element: &str, id: &str) -> String {
    let s = element.find(" ID=\"").unwrap() + 5;
    let e = s + element[s..].find('"').unwrap();
    format!("{}{id}{}", &element[..s], &element[e..])
}

fn id_of(element: &str) -> String {
    let s = element.find(" ID=\"").unwrap() + 5;
    element[s..s + element[s..].find('"').unwrap()].to_owned()
}

/// Inserts `what` right after the element's `</saml2:Issuer>`.
fn after_issuer(element: &str, what: &str) -> String {
    let at = element.find("</saml2:Issuer>").unwrap() + "</saml2:Issuer>".len();
    format!("{}{what}{}", &element[..at], &element[at..])
}

/// Inserts `what` just before the element's closing tag `close`.
fn before_close(element: &str, close: &str, what: &str) -> String {
    let at = element.rfind(close).unwrap();
    format!("{}{what}{}", &element[..at], &element[at..])
}

/// The eight wrapping shapes: `signed` is the genuine element (with its signature), `evil` the
/// attacker's element without a signature. Returns (name, the element to put where `signed` was).
fn xsw_shapes(signed: &str, evil: &str, close: &str) -> Vec<(&'static str, String)> {
    let sig = cut(signed, "<ds:Signature>", "</ds:Signature>");
    let sig_with = |inner: &str| before_close(sig, "</ds:Signature>", inner);
    let object = |inner: &str| sig_with(&format!("<ds:Object>{inner}</ds:Object>"));
    let status_end = "</saml2p:Status>";
    vec![
        // 1: evil element carries the signature, the original hidden inside it.
        ("XSW1", after_issuer(evil, &sig_with(signed))),
        // 2: the original as a sibling before the copied signature.
        ("XSW2", after_issuer(evil, &format!("{signed}{sig}"))),
        // 3: evil content placed before the original inside the signed element.
        (
            "XSW3",
            after_issuer(signed, cut(evil, "<saml2p:Status>", status_end)),
        ),
        // 4: the evil element wraps the original.
        (
            "XSW4",
            before_close(&after_issuer(evil, sig), close, signed),
        ),
        // 5: copied signature on the evil element, original moved into its StatusDetail.
        (
            "XSW5",
            after_issuer(
                &evil.replacen(
                    status_end,
                    &format!("<saml2p:StatusDetail>{signed}</saml2p:StatusDetail>{status_end}"),
                    1,
                ),
                sig,
            ),
        ),
        // 6: the original inside a ds:Object of the copied signature.
        ("XSW6", after_issuer(evil, &object(signed))),
        // 7: the original inside Extensions.
        (
            "XSW7",
            after_issuer(
                evil,
                &format!("<saml2p:Extensions>{signed}</saml2p:Extensions>{sig}"),
            ),
        ),
        // 8: the original, unsigned, inside a ds:Object of the copied signature.
        ("XSW8", after_issuer(evil, &object(&unsigned(signed)))),
    ]
}

/// The first defence each shape meets: a repeated ID at parse time, a second Response or
/// ArtifactResponse anywhere (exactly one), or — when evil content sits inside the signed
/// element — the digest.
fn xsw_code(name: &str, keep_id: bool) -> ErrorCode {
    match (name, keep_id) {
        ("XSW3", _) => ErrorCode::DigestMismatch,
        (_, true) => ErrorCode::DuplicateId,
        (_, false) => ErrorCode::ProfileViolation,
    }
}

struct Attack {
    world: World,
    attacker: IdentityProvider,
    evil_citizen: Citizen,
}

impl Attack {
    fn new() -> Attack {
        let (key, cert) = common::p256_with_cert("WK_SIG_EC");
        Attack {
            world: World::new(),
            attacker: IdentityProvider::new(WK_ISSUER, key, &cert).unwrap(),
            evil_citizen: Citizen {
                name_id: "44051401458".into(),
                given_name: "Mallory".into(),
                family_name: "Evil".into(),
                date_of_birth: "1944-05-14".into(),
                person_identifier: "44051401458".into(),
                authenticating_authority: "pz.gov.pl".into(),
            },
        }
    }

    /// The attacker's own answer, properly encrypted to the DU (its public key is public).
    fn evil_answer(&self) -> String {
        let recipient = self.world.enc_public();
        let mut a = eidpl::wk::idp::LoginAnswer::new(
            AUTHN_ID,
            RESOLVE_ID,
            ACS,
            SP_ENTITY,
            &recipient,
            &self.evil_citizen,
            self.world.now,
        );
        a.soap = false;
        self.attacker.artifact_response(&a).unwrap()
    }

    fn validate(&self, xml: &str) -> eidpl::Error {
        match self
            .world
            .sp()
            .validate_artifact_response(xml.as_bytes(), &self.world.expected())
        {
            Ok(r) => panic!("forgery accepted: {:?}\n{xml}", r.person),
            Err(e) => e,
        }
    }
}

fn bare_response(answer: &str) -> String {
    // Namespaces the Response inherits from the ArtifactResponse root.
    let root_end = answer.find('>').unwrap();
    let decls: String = answer[..root_end]
        .split(' ')
        .filter(|a| a.starts_with("xmlns:"))
        .map(|a| format!(" {a}"))
        .collect();
    cut(answer, "<saml2p:Response ", "</saml2p:Response>").replacen(
        "<saml2p:Response ",
        &format!("<saml2p:Response{decls} "),
        1,
    )
}

// attack: xsw
#[test]
fn xsw_around_the_artifact_response() {
    let t = Attack::new();
    let genuine = t.world.answer_with(|a| a.soap = false);
    let evil = unsigned(&t.evil_answer());
    for keep_id in [true, false] {
        let evil = if keep_id {
            with_id(&evil, &id_of(&genuine))
        } else {
            evil.clone()
        };
        for (name, forged) in xsw_shapes(&genuine, &evil, "</saml2p:ArtifactResponse>") {
            let e = t.validate(&format!(
                r#"<soap11:Envelope xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><soap11:Body>{forged}</soap11:Body></soap11:Envelope>"#
            ));
            assert_eq!(
                e.code(),
                xsw_code(name, keep_id),
                "{name} keep_id={keep_id}: {e}"
            );
        }
    }
}

// attack: xsw
#[test]
fn xsw_around_the_response() {
    let t = Attack::new();
    let genuine = bare_response(&t.world.answer_with(|a| a.soap = false));
    let evil = unsigned(&bare_response(&t.evil_answer()));
    for keep_id in [true, false] {
        let evil = if keep_id {
            with_id(&evil, &id_of(&genuine))
        } else {
            evil.clone()
        };
        for (name, forged) in xsw_shapes(&genuine, &evil, "</saml2p:Response>") {
            let e = t.validate(&forged);
            assert_eq!(
                e.code(),
                xsw_code(name, keep_id),
                "{name} keep_id={keep_id}: {e}"
            );
        }
    }
}

fn code(xml: &str, t: &Attack) -> ErrorCode {
    t.validate(xml).code()
}

// attack: several-assertions
#[test]
fn second_assertion_in_the_signed_response_is_rejected() {
    let t = Attack::new();
    // Signed by WK itself, so only the "exactly one" rule can stop it.
    let w = &t.world;
    let two = w.answer_with(|a| {
        a.encrypted_hook = Some(&|enc: &str| {
            let copy = enc.replace("Id=\"", "Id=\"copy-");
            format!("{enc}</saml2:EncryptedAssertion><saml2:EncryptedAssertion>{copy}")
        })
    });
    assert_eq!(code(&two, &t), ErrorCode::ProfileViolation);
    let plain = w.answer_with(|a| {
        a.encrypted_hook = Some(&|enc: &str| {
            format!(
                r#"{enc}</saml2:EncryptedAssertion><saml2:Assertion ID="_x" Version="2.0" IssueInstant="2026-11-24T10:00:00Z"><saml2:Issuer>{WK_ISSUER}</saml2:Issuer></saml2:Assertion><saml2:EncryptedAssertion>{}"#,
                enc.replace("Id=\"", "Id=\"copy-")
            )
        })
    });
    assert_eq!(code(&plain, &t), ErrorCode::ProfileViolation);
}

// attack: keyinfo-key
#[test]
fn a_fresh_key_with_its_certificate_in_key_info_is_not_trusted() {
    let t = Attack::new();
    let forged = t.evil_answer();
    assert_eq!(code(&forged, &t), ErrorCode::KeyNotTrusted);
}

// attack: no-key, unsigned-decrypt
#[test]
fn removed_signatures_are_rejected() {
    let t = Attack::new();
    let genuine = t.world.answer_with(|a| a.soap = false);
    // Outer signature removed.
    assert_eq!(code(&unsigned(&genuine), &t), ErrorCode::SignatureMissing);
    // Inner signature removed: the outer digest no longer matches.
    let (rs, _) = span(&genuine, "<saml2p:Response ", ">", 0);
    let (s, e) = span(&genuine, "<ds:Signature>", "</ds:Signature>", rs);
    let inner_removed = format!("{}{}", &genuine[..s], &genuine[e..]);
    assert_eq!(code(&inner_removed, &t), ErrorCode::DigestMismatch);
    // A bare Response without its signature (CVE-2024-4985 shape).
    let bare = unsigned(&bare_response(&genuine));
    assert_eq!(code(&bare, &t), ErrorCode::SignatureMissing);
}

// attack: replay
#[test]
fn wrong_in_response_to_at_each_level() {
    let t = Attack::new();
    let w = &t.world;
    let at_artifact = w.answer_with(|a| a.artifact_resolve_id = "ID-someone-elses-resolve");
    let at_response = w.answer_with(|a| a.authn_request_id = "ID-someone-elses-request");
    let in_confirmation = w.answer_with(|a| {
        a.assertion_hook = Some(&|x: &str| x.replace(AUTHN_ID, "ID-someone-elses-request"))
    });
    for (name, xml) in [
        ("ArtifactResponse", at_artifact),
        ("Response", at_response),
        ("SubjectConfirmationData", in_confirmation),
    ] {
        let e = t.validate(&xml);
        assert_eq!(e.code(), ErrorCode::InResponseToMismatch, "{name}: {e}");
    }
}

// attack: audience-etc
#[test]
fn wrong_audience_recipient_and_issuer() {
    let t = Attack::new();
    let w = &t.world;
    let audience = w.answer_with(|a| {
        a.assertion_hook = Some(&|x: &str| {
            x.replace(
                &format!("<saml2:Audience>{SP_ENTITY}</saml2:Audience>"),
                "<saml2:Audience>https://other.example.pl</saml2:Audience>",
            )
        })
    });
    assert_eq!(code(&audience, &t), ErrorCode::AudienceMismatch);
    let recipient = w.answer_with(|a| a.acs_url = "https://other.example.pl/acs");
    assert_eq!(code(&recipient, &t), ErrorCode::RecipientMismatch);
    // WK's own key, another issuer name at the message level …
    let other_issuer = IdentityProvider::new("login.gov.pl", w.wk_key.clone(), &w.wk_cert).unwrap();
    let recipient_key = w.enc_public();
    let a = eidpl::wk::idp::LoginAnswer::new(
        AUTHN_ID,
        RESOLVE_ID,
        ACS,
        SP_ENTITY,
        &recipient_key,
        &w.citizen,
        w.now,
    );
    assert_eq!(
        code(&other_issuer.artifact_response(&a).unwrap(), &t),
        ErrorCode::IssuerMismatch
    );
    // … and inside the assertion only.
    let inner = w.answer_with(|a| {
        a.assertion_hook = Some(&|x: &str| {
            x.replace(
                &format!("<saml2:Issuer>{WK_ISSUER}</saml2:Issuer>"),
                "<saml2:Issuer>evil.example</saml2:Issuer>",
            )
        })
    });
    assert_eq!(code(&inner, &t), ErrorCode::IssuerMismatch);
}

// attack: replay
#[test]
fn expired_not_yet_valid_and_replayed() {
    let t = Attack::new();
    let w = &t.world;
    let answer = w.answer();
    let sp = w.sp();
    let at = |seconds: i64| Expected {
        now: Some(w.now.plus_seconds(seconds)),
        ..w.expected()
    };
    let e = sp
        .validate_artifact_response(answer.as_bytes(), &at(50 * 60 + 121))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Expired, "{e}");
    assert!(e.details().contains_key("not_on_or_after"));
    let e = sp
        .validate_artifact_response(answer.as_bytes(), &at(-122))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotYetValid, "{e}");
    sp.validate_artifact_response(answer.as_bytes(), &at(30))
        .unwrap();
    let e = sp
        .validate_artifact_response(answer.as_bytes(), &at(31))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ReplayDetected, "{e}");
    // The same AuthnRequest ID answered by a second, fresh assertion is a replay too.
    let second = w.answer();
    let e = sp
        .validate_artifact_response(second.as_bytes(), &at(32))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ReplayDetected, "{e}");
}

/// Records the keys a validation asks for, in order, and keeps them in memory.
#[derive(Default)]
struct RecordingStore {
    inner: InMemoryReplayStore,
    asked: Mutex<Vec<String>>,
}

impl ReplayStore for RecordingStore {
    fn insert_once(&self, key: &str, expires_at: UtcTime, now: UtcTime) -> eidpl::Result<bool> {
        self.asked.lock().unwrap().push(key.to_owned());
        self.inner.insert_once(key, expires_at, now)
    }
}

// attack: replay
#[test]
fn a_replay_that_loses_burns_nothing_the_winner_still_needs() {
    // Two copies of one answer at once: the first holds the first replay key and is about to
    // take the second when the copy arrives. The copy must fail without taking that second
    // key, or both fail and the citizen cannot log in (a replay used to deny the login).
    let w = World::new();
    let answer = w.answer();
    let first = Arc::new(RecordingStore::default());
    w.sp()
        .with_replay_store(first.clone())
        .validate_artifact_response(answer.as_bytes(), &w.expected())
        .unwrap();
    let asked = first.asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 2, "{asked:?}");
    let far = w.now.plus_seconds(3600);
    let store = Arc::new(RecordingStore::default());
    assert!(store.inner.insert_once(&asked[0], far, w.now).unwrap());
    let e = w
        .sp()
        .with_replay_store(store.clone())
        .validate_artifact_response(answer.as_bytes(), &w.expected())
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ReplayDetected, "{e}");
    assert!(
        store.inner.insert_once(&asked[1], far, w.now).unwrap(),
        "the losing copy took {}, which the winner still needs",
        asked[1]
    );
}

/// A store as slow as a network round trip, so that concurrent validations overlap inside it.
#[derive(Default)]
struct SlowStore(InMemoryReplayStore);

impl ReplayStore for SlowStore {
    fn insert_once(&self, key: &str, expires_at: UtcTime, now: UtcTime) -> eidpl::Result<bool> {
        let fresh = self.0.insert_once(key, expires_at, now);
        std::thread::sleep(std::time::Duration::from_millis(2));
        fresh
    }
}

// attack: replay
#[test]
fn concurrent_copies_of_an_answer_admit_exactly_one_login() {
    const THREADS: usize = 8;
    let w = World::new();
    for round in 0..12 {
        let answer = Arc::new(w.answer());
        let sp = Arc::new(w.sp().with_replay_store(Arc::new(SlowStore::default())));
        let barrier = Arc::new(Barrier::new(THREADS));
        let outcomes: Vec<Result<(), ErrorCode>> = (0..THREADS)
            .map(|_| {
                let (answer, sp, barrier) = (answer.clone(), sp.clone(), barrier.clone());
                let expected = w.expected();
                std::thread::spawn(move || {
                    barrier.wait();
                    sp.validate_artifact_response(answer.as_bytes(), &expected)
                        .map(|_| ())
                        .map_err(|e| e.code())
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        let logins = outcomes.iter().filter(|o| o.is_ok()).count();
        let replays = outcomes
            .iter()
            .filter(|o| **o == Err(ErrorCode::ReplayDetected))
            .count();
        assert_eq!(
            (logins, replays),
            (1, THREADS - 1),
            "round {round}: {outcomes:?}"
        );
    }
}

// attack: status
#[test]
fn refused_login_with_an_assertion_reports_the_status_before_decrypting() {
    let t = Attack::new();
    let w = &t.world;
    let refusal = Refusal {
        code: "Responder".into(),
        second_level: Some("AuthnFailed".into()),
        message: Some("Użytkownik anulował logowanie".into()),
    };
    // The assertion is even encrypted to another key: it must never be touched.
    let (other, _) = common::p256_with_cert("other_enc");
    let other_pub =
        openssl::pkey::PKey::public_key_from_pem(&other.public_key_to_pem().unwrap()).unwrap();
    let answer = w.answer_with(|a| {
        a.refusal = Some(refusal.clone());
        a.recipient = &other_pub;
    });
    let e = t.validate(&answer);
    assert_eq!(e.code(), ErrorCode::StatusNotSuccess, "{e}");
    assert_eq!(
        e.details()["second_level_status_code"],
        "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
    );
    assert_eq!(
        e.details()["status_message"],
        "Użytkownik anulował logowanie"
    );
    assert!(e.message().contains("AuthnFailed"), "{e}");
    // Without an assertion at all.
    let answer = w.answer_with(|a| {
        a.refusal = Some(Refusal {
            code: "Requester".into(),
            second_level: Some("RequestDenied".into()),
            message: None,
        });
        a.omit_assertion = true;
    });
    assert_eq!(code(&answer, &t), ErrorCode::StatusNotSuccess);
}

// attack: gcm-tamper, invalid-curve, rule-5
#[test]
fn tampered_ciphertext_and_invalid_points_fail_decryption_uniformly() {
    let t = Attack::new();
    let w = &t.world;
    let flip_last_b64 = |enc: &str| -> String {
        // The last CipherValue is the content: flip a character near its end (the GCM tag).
        let end = enc.rfind("</xenc:CipherValue>").unwrap();
        let mut bytes = enc.as_bytes().to_vec();
        let i = end - 3;
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    };
    let tag = w.answer_with(|a| a.encrypted_hook = Some(&flip_last_b64));
    let flip_iv = |enc: &str| -> String {
        let start = enc.rfind("<xenc:CipherValue>").unwrap() + "<xenc:CipherValue>".len();
        let mut bytes = enc.as_bytes().to_vec();
        bytes[start + 1] = if bytes[start + 1] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    };
    let iv = w.answer_with(|a| a.encrypted_hook = Some(&flip_iv));
    let off_curve = |enc: &str| -> String {
        let start = enc.find("<dsig11:PublicKey>").unwrap() + "<dsig11:PublicKey>".len();
        let end = enc.find("</dsig11:PublicKey>").unwrap();
        let mut point = eidpl_b64(&enc[start..end]);
        point[64] ^= 1; // last byte of Y: almost surely off the curve
        format!("{}{}{}", &enc[..start], b64(&point), &enc[end..])
    };
    let point = w.answer_with(|a| a.encrypted_hook = Some(&off_curve));
    let other_du = w.answer_with(|a| a.kdf_parties = Some((WK_ISSUER, "https://other.example.pl")));
    let other_idp = w.answer_with(|a| a.kdf_parties = Some(("login.gov.pl", SP_ENTITY)));
    for (name, xml) in [
        ("GCM tag flipped", tag),
        ("IV flipped", iv),
        ("ephemeral point off the curve", point),
        ("PartyVInfo of another DU", other_du),
        ("PartyUInfo of another IdP", other_idp),
    ] {
        let e = t.validate(&xml);
        assert_eq!(e.code(), ErrorCode::DecryptionFailed, "{name}: {e}");
        assert_eq!(
            e.message(),
            "the encrypted assertion could not be decrypted",
            "{name}"
        );
    }
}

fn eidpl_b64(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn b64(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

// attack: xxe
#[test]
fn insufficient_loa_and_doctype() {
    let t = Attack::new();
    let w = &t.world;
    let low = w.answer_with(|a| a.loa = eidpl::wk::Loa::Low);
    assert_eq!(code(&low, &t), ErrorCode::LoaInsufficient);
    let substantial = w.answer();
    let e = w
        .sp()
        .validate_artifact_response(
            substantial.as_bytes(),
            &Expected {
                minimum_loa: Some(eidpl::wk::Loa::High),
                ..w.expected()
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::LoaInsufficient);
    let doctype = format!("<!DOCTYPE x [<!ENTITY a \"b\">]>{}", w.answer());
    assert_eq!(code(&doctype, &t), ErrorCode::DoctypeForbidden);
}

// attack: comment-injection
#[test]
fn comment_injected_into_a_value_never_truncates_it() {
    let t = Attack::new();
    let w = &t.world;
    let injected = w
        .answer_with(|a| a.assertion_hook = Some(&|x: &str| x.replace(">Jan<", ">Jan<!-- -->ek<")));
    assert_eq!(code(&injected, &t), ErrorCode::ProfileViolation);
}

/// The ID of the inner Response.
fn response_id(answer: &str) -> String {
    id_of(cut(answer, "<saml2p:Response ", ">"))
}

/// WK's answer with both signatures taken off, `edit` applied, and signed again with WK's own
/// key (inner Response first, as WK does): only the check under test can stop it.
fn resigned_by_wk(w: &common::wk::World, edit: impl Fn(&str) -> String) -> String {
    let genuine = w.answer_with(|a| a.soap = false);
    let (outer_id, inner_id) = (id_of(&genuine), response_id(&genuine));
    let bare = edit(&unsigned(&unsigned(&genuine)));
    let signer = eidpl::dsig::EnvelopedSigner::new(w.wk_key.clone(), &w.wk_cert).unwrap();
    let inner = signer.sign(bare.as_bytes(), Some(&inner_id)).unwrap();
    signer.sign(inner.as_bytes(), Some(&outer_id)).unwrap()
}

// attack: audience-etc
#[test]
fn response_destined_for_another_endpoint_is_rejected() {
    let t = Attack::new();
    let w = &t.world;
    let with_destination = |to: &'static str| {
        move |xml: &str| {
            xml.replacen(
                "<saml2p:Response ",
                &format!(r#"<saml2p:Response Destination="{to}" "#),
                1,
            )
        }
    };
    // Control: re-signed by WK with our own ACS as Destination, it is a valid login.
    let ours = resigned_by_wk(w, with_destination(ACS));
    assert!(ours.contains(&format!(r#"Destination="{ACS}""#)));
    w.sp()
        .validate_artifact_response(ours.as_bytes(), &w.expected())
        .unwrap();
    let theirs = resigned_by_wk(w, with_destination("https://other.example.pl/wk/acs"));
    let e = t.validate(&theirs);
    assert_eq!(e.code(), ErrorCode::DestinationMismatch, "{e}");
    assert_eq!(e.details()["expected"], ACS, "{e}");
}

/// CVE-2024-4985 shape: an assertion the attacker encrypted to the DU (its encryption key is
/// public) in a Response nobody signed, bare or inside an unsigned ArtifactResponse. Rejected as
/// signature_missing; encrypted to another key it is still signature_missing, never
/// decryption_failed, so decryption never ran.
// attack: unsigned-decrypt
#[test]
fn an_unsigned_response_is_never_decrypted() {
    let t = Attack::new();
    let evil = t.evil_answer();
    assert!(evil.contains("<saml2:EncryptedAssertion>"));
    let bare = unsigned(&bare_response(&evil));
    assert!(!bare.contains("<ds:Signature>"));
    let wrapped = unsigned(&unsigned(&evil));
    assert!(!wrapped.contains("<ds:Signature>"));
    for (name, xml) in [("bare Response", &bare), ("ArtifactResponse", &wrapped)] {
        let e = t.validate(xml);
        assert_eq!(e.code(), ErrorCode::SignatureMissing, "{name}: {e}");
    }

    let (other, _) = common::p256_with_cert("other_enc");
    let other_pub =
        openssl::pkey::PKey::public_key_from_pem(&other.public_key_to_pem().unwrap()).unwrap();
    let mut a = eidpl::wk::idp::LoginAnswer::new(
        AUTHN_ID,
        RESOLVE_ID,
        ACS,
        SP_ENTITY,
        &other_pub,
        &t.evil_citizen,
        t.world.now,
    );
    a.soap = false;
    let undecryptable = unsigned(&bare_response(&t.attacker.artifact_response(&a).unwrap()));
    let e = t.validate(&undecryptable);
    assert_eq!(e.code(), ErrorCode::SignatureMissing, "{e}");
}
