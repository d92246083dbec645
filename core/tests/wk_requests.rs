//! What the DU sends: ArtifactResolve and LogoutRequest envelopes, metadata, and WK's
//! LogoutResponse.
#![allow(clippy::unwrap_used)]

mod common;

use common::wk::{World, WK_ISSUER};
use eidpl::dsig::{verify_enveloped, TrustedKeys};
use eidpl::time::UtcTime;
use eidpl::wk::idp::Refusal;
use eidpl::wk::AuthnRequestOptions;
use eidpl::xml::{ns, Document, ParseOptions};
use eidpl::ErrorCode;

fn du_keys(w: &World) -> TrustedKeys {
    let mut k = TrustedKeys::new();
    k.add_certificate(w.sig_cert.clone()).unwrap();
    k
}

#[test]
fn artifact_resolve_is_a_signed_soap_request() {
    let w = World::new();
    let now = UtcTime::parse("2026-11-24T10:00:00Z");
    let r = w
        .sp()
        .artifact_resolve("AAQAAHeXBhPq1Gc3pIfGYB7mEsXj0Z+Y", now)
        .unwrap();
    assert_eq!(
        r.url,
        "https://int.login.gov.pl/login-services/idpArtifactResolutionService"
    );
    let doc = Document::parse(r.soap.as_bytes(), &ParseOptions::saml()).unwrap();
    let body = doc.root().child_elements().next().unwrap();
    assert!(doc.root().is(ns::SOAP11, "Envelope") && body.is(ns::SOAP11, "Body"));
    let resolve = body.child_elements().next().unwrap();
    assert!(resolve.is(ns::SAMLP, "ArtifactResolve"));
    assert_eq!(resolve.attr("ID"), Some(r.id.as_str()));
    assert_eq!(resolve.attr("IssueInstant"), Some("2026-11-24T10:00:00Z"));
    assert_eq!(resolve.attr("Destination"), Some(r.url.as_str()));
    verify_enveloped(&doc, resolve, &du_keys(&w)).unwrap();
    let names: Vec<&str> = resolve.child_elements().map(|c| c.local_name()).collect();
    assert_eq!(names, ["Issuer", "Signature", "Artifact"]);
    assert_eq!(
        resolve
            .child_elements()
            .last()
            .unwrap()
            .leaf_text()
            .unwrap(),
        "AAQAAHeXBhPq1Gc3pIfGYB7mEsXj0Z+Y"
    );
    for bad in ["", "<x/>", &"A".repeat(600)] {
        let e = w.sp().artifact_resolve(bad, None).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
    }
}

#[test]
fn authn_request_options_and_limits() {
    let w = World::new();
    let sp = w.sp();
    let r = sp
        .authn_request(&AuthnRequestOptions {
            relay_state: Some("/sprawy/123?a=1&b=\"2\"".into()),
            loa: Some(eidpl::wk::Loa::High),
            csp_nonce: Some("n0nce".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(r
        .xml
        .contains("<saml2:AuthnContextClassRef>http://eidas.europa.eu/LoA/high<"));
    assert!(r
        .html_form
        .contains(r#"name="RelayState" value="/sprawy/123?a=1&amp;b=&quot;2&quot;""#));
    assert!(r.html_form.contains(r#"<script nonce="n0nce">"#));
    let e = sp
        .authn_request(&AuthnRequestOptions {
            relay_state: Some("x".repeat(81)),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let a = sp.authn_request(&AuthnRequestOptions::default()).unwrap();
    assert_ne!(a.id, r.id, "fresh IDs");
    // Without a signing key, requests cannot be built; the error names the setting.
    let mut v = w.settings();
    v["sp"].as_object_mut().unwrap().remove("signing_key");
    v["sp"].as_object_mut().unwrap().remove("signing_cert");
    let e = w
        .sp_with(&v)
        .authn_request(&AuthnRequestOptions::default())
        .unwrap_err();
    assert_eq!(e.details()["setting"], "sp.signing_key");
    let mut v = w.settings();
    v["sp"].as_object_mut().unwrap().remove("provider_name");
    let e = w
        .sp_with(&v)
        .authn_request(&AuthnRequestOptions::default())
        .unwrap_err();
    assert_eq!(e.details()["setting"], "sp.provider_name");
}

#[test]
fn logout_round_trip() {
    let w = World::new();
    let sp = w.sp();
    let req = sp
        .logout_request("87022243734", "_ID-session", None)
        .unwrap();
    let doc = Document::parse(req.soap.as_bytes(), &ParseOptions::saml()).unwrap();
    let lr = doc
        .root()
        .descendants()
        .find(|n| n.is(ns::SAMLP, "LogoutRequest"))
        .unwrap();
    verify_enveloped(&doc, lr, &du_keys(&w)).unwrap();
    let names: Vec<&str> = lr.child_elements().map(|c| c.local_name()).collect();
    assert_eq!(names, ["Issuer", "Signature", "NameID", "SessionIndex"]);
    assert_eq!(
        req.url,
        "https://int.login.gov.pl/login-services/singleLogoutService"
    );

    let now = UtcTime::now();
    let ok = w.idp.logout_response(&req.id, None, None, now).unwrap();
    let result = sp.validate_logout_response(ok.as_bytes(), &req.id).unwrap();
    assert!(result.complete && result.warnings.is_empty());

    let partial = Refusal {
        code: "Success".into(),
        second_level: Some("PartialLogout".into()),
        message: None,
    };
    let p = w
        .idp
        .logout_response(&req.id, None, Some(&partial), now)
        .unwrap();
    assert!(
        !sp.validate_logout_response(p.as_bytes(), &req.id)
            .unwrap()
            .complete
    );

    let refused = Refusal {
        code: "Responder".into(),
        second_level: None,
        message: Some("no session".into()),
    };
    let r = w
        .idp
        .logout_response(&req.id, None, Some(&refused), now)
        .unwrap();
    let e = sp
        .validate_logout_response(r.as_bytes(), &req.id)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::StatusNotSuccess);

    let e = sp
        .validate_logout_response(ok.as_bytes(), "ID-other")
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InResponseToMismatch);

    // Signed by a stranger.
    let (k, c) = common::p256_with_cert("WK_SIG_EC");
    let stranger = eidpl::wk::idp::IdentityProvider::new(WK_ISSUER, k, &c).unwrap();
    let forged = stranger.logout_response(&req.id, None, None, now).unwrap();
    let e = sp
        .validate_logout_response(forged.as_bytes(), &req.id)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyNotTrusted);
}

#[test]
fn metadata_lists_keys_and_endpoints() {
    let w = World::new();
    let mut v = w.settings();
    v["sp"]["slo_url"] = "https://gmina.example.pl/wk/slo".into();
    let xml = w.sp_with(&v).metadata().unwrap();
    let doc = Document::parse(xml.as_bytes(), &ParseOptions::saml()).unwrap();
    let root = doc.root();
    assert!(root.is(ns::MD, "EntityDescriptor"));
    assert_eq!(root.attr("entityID"), Some("https://gmina.example.pl"));
    let uses: Vec<&str> = root
        .descendants()
        .filter(|n| n.is(ns::MD, "KeyDescriptor"))
        .filter_map(|n| n.attr("use"))
        .collect();
    assert_eq!(uses, ["signing", "encryption"]);
    let acs = root
        .descendants()
        .find(|n| n.is(ns::MD, "AssertionConsumerService"))
        .unwrap();
    assert_eq!(
        acs.attr("Binding"),
        Some("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact")
    );
    assert_eq!(
        acs.attr("Location"),
        Some("https://gmina.example.pl/wk/acs")
    );
    let slo = root
        .descendants()
        .find(|n| n.is(ns::MD, "SingleLogoutService"))
        .unwrap();
    assert_eq!(
        slo.attr("Binding"),
        Some("urn:oasis:names:tc:SAML:2.0:bindings:SOAP")
    );
}
