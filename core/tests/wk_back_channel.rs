//! `resolve_artifact` and `logout` over real HTTP on loopback against a WK stand-in built from
//! the IdP module: the ArtifactResolve it receives is checked (signature, artifact) and answered.
#![cfg(feature = "http")]
#![allow(clippy::unwrap_used)]

mod common;

use common::wk::{World, ACS, SP_ENTITY};
use eidpl::dsig::{verify_enveloped, TrustedKeys};
use eidpl::wk::idp::LoginAnswer;
use eidpl::wk::{AuthnRequestOptions, Expected};
use eidpl::xml::{ns, Document, ParseOptions};
use eidpl::ErrorCode;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

/// One HTTP request's body.
fn read_body(stream: &mut std::net::TcpStream) -> Vec<u8> {
    let mut reader = BufReader::new(stream);
    let mut len = 0;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        if h.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                len = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    body
}

fn respond(stream: &mut std::net::TcpStream, body: &str) {
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
}

#[test]
fn login_and_logout_over_http() {
    let w = World::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut settings = w.settings();
    settings["idp"]["artifact_resolution_url"] =
        format!("{base}/login-services/idpArtifactResolutionService").into();
    settings["idp"]["slo_url"] = format!("{base}/login-services/singleLogoutService").into();
    let sp = w.sp_with(&settings);
    let authn = sp.authn_request(&AuthnRequestOptions::default()).unwrap();

    let mut du_keys = TrustedKeys::new();
    du_keys.add_certificate(w.sig_cert.clone()).unwrap();
    let server = std::thread::scope(|scope| {
        let handle = scope.spawn(|| {
            // 1. ArtifactResolve: verify the DU's signature, read the artifact, answer.
            let (mut stream, _) = listener.accept().unwrap();
            let body = read_body(&mut stream);
            let doc = Document::parse(&body, &ParseOptions::saml()).unwrap();
            let resolve = doc
                .root()
                .descendants()
                .find(|n| n.is(ns::SAMLP, "ArtifactResolve"))
                .unwrap();
            verify_enveloped(&doc, resolve, &du_keys).unwrap();
            let artifact = resolve
                .child_elements()
                .last()
                .unwrap()
                .leaf_text()
                .unwrap();
            assert_eq!(artifact, "AAQAAMFbLinlXaCM+FIxiDwGOLAy2T71gbpO7ZhNzAgEANlB");
            let resolve_id = resolve.attr("ID").unwrap().to_owned();
            let mut a = LoginAnswer::new(
                &authn.id,
                &resolve_id,
                ACS,
                SP_ENTITY,
                &w.enc_public,
                &w.citizen,
                eidpl::time::UtcTime::now(),
            );
            a.soap = true;
            respond(&mut stream, &w.idp.artifact_response(&a).unwrap());
            // 2. LogoutRequest.
            let (mut stream, _) = listener.accept().unwrap();
            let body = read_body(&mut stream);
            let doc = Document::parse(&body, &ParseOptions::saml()).unwrap();
            let logout = doc
                .root()
                .descendants()
                .find(|n| n.is(ns::SAMLP, "LogoutRequest"))
                .unwrap();
            verify_enveloped(&doc, logout, &du_keys).unwrap();
            let answer = w
                .idp
                .logout_response(
                    logout.attr("ID").unwrap(),
                    None,
                    None,
                    eidpl::time::UtcTime::now(),
                )
                .unwrap();
            respond(&mut stream, &answer);
        });
        let login = sp
            .resolve_artifact(
                "AAQAAMFbLinlXaCM+FIxiDwGOLAy2T71gbpO7ZhNzAgEANlB",
                &Expected {
                    authn_request_id: &authn.id,
                    ..Expected::default()
                },
            )
            .unwrap();
        assert_eq!(login.person.pesel.as_deref(), Some("87022243734"));
        let logout = sp.logout(&login.name_id, &login.session_index).unwrap();
        assert!(logout.complete);
        handle.join()
    });
    server.unwrap();
}

#[test]
fn unreachable_wk_is_an_http_error() {
    let w = World::new();
    // A port nobody listens on (bound, then released).
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut settings = w.settings();
    settings["idp"]["artifact_resolution_url"] =
        format!("http://127.0.0.1:{port}/login-services/idpArtifactResolutionService").into();
    let e = w
        .sp_with(&settings)
        .resolve_artifact(
            "AAQAAA==",
            &Expected {
                authn_request_id: "ID-x",
                ..Expected::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::HttpError, "{e}");
}
