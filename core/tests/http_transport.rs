//! The SOAP back channel transport against local servers only: plain HTTP on loopback, TLS with a
//! CA made here, error answers, stalls and oversized bodies. No external network.
#![cfg(feature = "http")]
#![allow(clippy::unwrap_used)]

use eidpl::wk::http::{post_soap, HttpOptions};
use eidpl::{Error, ErrorCode};
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{SslAcceptor, SslMethod};
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509NameBuilder, X509};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const ENVELOPE: &[u8] = br#"<soap11:Envelope xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><soap11:Body><saml2p:ArtifactResolve xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="ID-1"/></soap11:Body></soap11:Envelope>"#;
const ANSWER: &[u8] = br#"<soap11:Envelope xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><soap11:Body><saml2p:ArtifactResponse xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="ID-2" InResponseTo="ID-1"/></soap11:Body></soap11:Envelope>"#;
const PATH: &str = "/login-services/idpArtifactResolutionService";

/// What the server saw.
#[derive(Debug)]
struct Request {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

fn read_request(stream: &mut impl Read) -> Request {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap().to_owned();
    let path = parts.next().unwrap().to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap();
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    let len: usize = headers
        .get("content-length")
        .map_or(0, |v| v.parse().unwrap());
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    Request {
        method,
        path,
        headers,
        body,
    }
}

fn response(status: &str, extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A plain HTTP server on 127.0.0.1 that serves one connection with `answer`.
fn serve_once(answer: Vec<u8>) -> (String, JoinHandle<Request>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let request = read_request(&mut stream);
        stream.write_all(&answer).unwrap();
        request
    });
    (format!("http://127.0.0.1:{port}{PATH}"), handle)
}

fn unique_temp_path(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    std::env::temp_dir().join(format!(
        "eidpl-http-{}-{}-{name}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

fn p256() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

fn serial() -> openssl::asn1::Asn1Integer {
    let mut bn = BigNum::new().unwrap();
    bn.rand(63, MsbOption::MAYBE_ZERO, false).unwrap();
    bn.to_asn1_integer().unwrap()
}

/// A test CA and a server certificate it issued for `dns_names` and 127.0.0.1.
struct Pki {
    ca: X509,
    server_key: PKey<Private>,
    server_cert: X509,
}

fn pki(dns_names: &[&str], with_ip: bool) -> Pki {
    let ca_key = p256();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "eidpl test CA").unwrap();
    let ca_name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_serial_number(&serial()).unwrap();
    b.set_subject_name(&ca_name).unwrap();
    b.set_issuer_name(&ca_name).unwrap();
    b.set_pubkey(&ca_key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
        .unwrap();
    b.append_extension(
        KeyUsage::new()
            .critical()
            .key_cert_sign()
            .crl_sign()
            .build()
            .unwrap(),
    )
    .unwrap();
    b.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let ca = b.build();

    let server_key = p256();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", dns_names.first().copied().unwrap_or("server"))
        .unwrap();
    let server_name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_serial_number(&serial()).unwrap();
    b.set_subject_name(&server_name).unwrap();
    b.set_issuer_name(ca.subject_name()).unwrap();
    b.set_pubkey(&server_key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    let mut san = SubjectAlternativeName::new();
    for dns in dns_names {
        san.dns(dns);
    }
    if with_ip {
        san.ip("127.0.0.1");
    }
    let san = san.build(&b.x509v3_context(Some(&ca), None)).unwrap();
    b.append_extension(san).unwrap();
    b.append_extension(
        KeyUsage::new()
            .critical()
            .digital_signature()
            .build()
            .unwrap(),
    )
    .unwrap();
    b.append_extension(ExtendedKeyUsage::new().server_auth().build().unwrap())
        .unwrap();
    b.sign(&ca_key, MessageDigest::sha256()).unwrap();
    Pki {
        ca,
        server_key,
        server_cert: b.build(),
    }
}

/// A TLS server on 127.0.0.1 serving one connection; `None` from the join handle when the client
/// gave up during the handshake.
fn serve_tls_once(pki: &Pki, answer: Vec<u8>) -> (u16, JoinHandle<Option<Request>>) {
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
    acceptor.set_private_key(&pki.server_key).unwrap();
    acceptor.set_certificate(&pki.server_cert).unwrap();
    acceptor.check_private_key().unwrap();
    let acceptor = acceptor.build();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut tls = acceptor.accept(stream).ok()?;
        let request = read_request(&mut tls);
        tls.write_all(&answer).unwrap();
        let _ = tls.shutdown();
        Some(request)
    });
    (port, handle)
}

fn write_ca_file(ca: &X509) -> PathBuf {
    let path = unique_temp_path("ca.pem");
    std::fs::write(&path, ca.to_pem().unwrap()).unwrap();
    path
}

fn reason(e: &Error) -> &str {
    e.details()["reason"].as_str().unwrap_or_default()
}

#[test]
fn posts_text_xml_with_empty_soap_action_and_returns_the_answer() {
    let (url, server) = serve_once(response("200 OK", "", ANSWER));
    let answer = post_soap(&url, ENVELOPE, &HttpOptions::default()).unwrap();
    assert_eq!(answer, ANSWER);
    let request = server.join().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, PATH);
    assert_eq!(
        request.headers.get("content-type").map(String::as_str),
        Some("text/xml; charset=utf-8")
    );
    assert_eq!(
        request.headers.get("soapaction").map(String::as_str),
        Some("\"\"")
    );
    assert_eq!(request.body, ENVELOPE);
}

#[test]
fn tls_with_ca_file_succeeds() {
    let pki = pki(&["localhost"], true);
    let ca_file = write_ca_file(&pki.ca);
    let (port, server) = serve_tls_once(&pki, response("200 OK", "", ANSWER));
    let options = HttpOptions::default().with_ca_file(&ca_file);
    let result = post_soap(
        &format!("https://127.0.0.1:{port}{PATH}"),
        ENVELOPE,
        &options,
    );
    let _ = std::fs::remove_file(&ca_file);
    assert_eq!(result.unwrap(), ANSWER);
    let request = server.join().unwrap().unwrap();
    assert_eq!(request.body, ENVELOPE);
}

#[test]
fn tls_without_ca_file_fails_verification() {
    let pki = pki(&["localhost"], true);
    let (port, server) = serve_tls_once(&pki, response("200 OK", "", ANSWER));
    let url = format!("https://127.0.0.1:{port}{PATH}");
    let e = post_soap(&url, ENVELOPE, &HttpOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::HttpError, "{e}");
    assert_eq!(reason(&e), "tls_verification", "{e}");
    assert!(e.message().contains("TLS verification"), "{e}");
    assert!(e.message().contains(&url), "{e}");
    assert!(server.join().unwrap().is_none(), "no request may be sent");
}

#[test]
fn tls_certificate_for_another_host_fails_verification_even_with_ca_file() {
    let pki = pki(&["wk.example"], false);
    let ca_file = write_ca_file(&pki.ca);
    let (port, server) = serve_tls_once(&pki, response("200 OK", "", ANSWER));
    let options = HttpOptions::default().with_ca_file(&ca_file);
    let result = post_soap(
        &format!("https://127.0.0.1:{port}{PATH}"),
        ENVELOPE,
        &options,
    );
    let _ = std::fs::remove_file(&ca_file);
    let e = result.unwrap_err();
    assert_eq!(e.code(), ErrorCode::HttpError, "{e}");
    assert_eq!(reason(&e), "tls_verification", "{e}");
    assert!(e.message().to_lowercase().contains("mismatch"), "{e}");
    assert!(server.join().unwrap().is_none(), "no request may be sent");
}

#[test]
fn status_500_is_http_error_with_status_and_sanitized_excerpt() {
    let fault = b"<soap:Fault>\r\n  <faultstring>\x1b[2JInternal error</faultstring></soap:Fault>";
    let (url, server) = serve_once(response("500 Internal Server Error", "", fault));
    let e = post_soap(&url, ENVELOPE, &HttpOptions::default()).unwrap_err();
    server.join().unwrap();
    assert_eq!(e.code(), ErrorCode::HttpError, "{e}");
    assert_eq!(reason(&e), "status");
    assert_eq!(e.details()["status"], 500);
    assert_eq!(e.details()["url"], url.as_str());
    let excerpt = e.details()["body_excerpt"].as_str().unwrap();
    assert!(excerpt.contains("Internal error"), "{excerpt}");
    assert!(
        !excerpt.contains('\x1b') && !excerpt.contains('\n'),
        "{excerpt:?}"
    );
    assert!(e.message().contains("500"), "{e}");
}

#[test]
fn redirect_is_not_followed() {
    let (url, server) = serve_once(response(
        "302 Found",
        "Location: https://evil.example/steal\r\n",
        b"",
    ));
    let e = post_soap(&url, ENVELOPE, &HttpOptions::default()).unwrap_err();
    server.join().unwrap();
    assert_eq!(e.code(), ErrorCode::HttpError, "{e}");
    assert_eq!(reason(&e), "redirect");
    assert_eq!(e.details()["status"], 302);
    assert_eq!(e.details()["location"], "https://evil.example/steal");
}

#[test]
fn silent_server_times_out_quickly() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        // Swallow the request, never answer; return when the client hangs up.
        let mut sink = [0u8; 1024];
        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    });
    let options = HttpOptions::default().with_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let e = post_soap(
        &format!("http://127.0.0.1:{port}{PATH}"),
        ENVELOPE,
        &options,
    )
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(e.code(), ErrorCode::HttpError, "{e}");
    assert_eq!(reason(&e), "timeout");
    assert!(e.message().contains("timeout"), "{e}");
    assert_eq!(e.details()["timeout_ms"], 1000);
    server.join().unwrap();
}

#[test]
fn refused_connection_is_named() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}{PATH}");
    let e = post_soap(&url, ENVELOPE, &HttpOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::HttpError, "{e}");
    assert_eq!(reason(&e), "connect_refused", "{e}");
    assert!(
        e.message().contains("refused") && e.message().contains(&url),
        "{e}"
    );
}

#[test]
fn oversized_answer_is_limit_exceeded() {
    let big = vec![b'x'; 64 * 1024];
    let (url, server) = serve_once(response("200 OK", "", &big));
    let options = HttpOptions::default().with_max_response_bytes(4096);
    let e = post_soap(&url, ENVELOPE, &options).unwrap_err();
    let _ = server.join();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
    assert_eq!(e.details()["limit"], 4096);
}

#[test]
fn oversized_chunked_answer_without_length_is_limit_exceeded() {
    let mut answer =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    for _ in 0..8 {
        answer.extend_from_slice(b"400\r\n");
        answer.extend_from_slice(&[b'x'; 0x400]);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(b"0\r\n\r\n");
    let (url, server) = serve_once(answer);
    let options = HttpOptions::default().with_max_response_bytes(4096);
    let e = post_soap(&url, ENVELOPE, &options).unwrap_err();
    let _ = server.join();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
}

#[test]
fn answer_exactly_at_the_limit_is_accepted() {
    let body = vec![b'x'; 4096];
    let (url, server) = serve_once(response("200 OK", "", &body));
    let options = HttpOptions::default().with_max_response_bytes(4096);
    assert_eq!(post_soap(&url, ENVELOPE, &options).unwrap(), body);
    server.join().unwrap();
}

#[test]
fn plain_http_to_a_remote_host_is_config_invalid() {
    let url = "http://example.com/login-services/idpArtifactResolutionService";
    let e = post_soap(url, ENVELOPE, &HttpOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigInvalid, "{e}");
    assert!(e.message().contains(url), "{e}");
    assert_eq!(e.details()["url"], url);
}

#[test]
fn missing_ca_file_is_io_error_naming_it() {
    let path = unique_temp_path("missing.pem");
    let options = HttpOptions::default().with_ca_file(&path);
    let e = post_soap("https://127.0.0.1:9/x", ENVELOPE, &options).unwrap_err();
    assert_eq!(e.code(), ErrorCode::IoError, "{e}");
    assert_eq!(e.details()["path"], path.display().to_string());
}
