//! samael's signature verification over the harness's inputs (bench/run.py); prints one JSON
//! line per repetition like the other runners.
//!
//! ```sh
//! eidpl-bench-samael sig2|response|check DIR REPS
//! ```
//! `sig2`: both WK signatures of each ArtifactResponse (in turn, passes of at least 0.5 s), through `reduce_xml_to_signed` (how
//! samael's service provider verifies every signature of a message); `response`: the signed
//! SAML Responses through `verify_signed_xml` with the `ID` attribute.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use samael::crypto::{CertificateDer, CryptoProvider, ReduceMode, XmlSec};
use std::path::Path;
use std::time::Instant;

fn emit(case: &str, rep: usize, ops: usize, seconds: f64) {
    println!(
        "{}",
        serde_json::json!({ "case": case, "impl": "samael", "rep": rep, "ops": ops, "seconds": seconds })
    );
}

fn measure(case: &str, reps: usize, mut pass: impl FnMut() -> usize) {
    pass();
    for rep in 0..reps {
        let t = Instant::now();
        let ops = pass();
        emit(case, rep, ops, t.elapsed().as_secs_f64());
    }
}

fn pem_to_der(pem: &str) -> Vec<u8> {
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

fn wk_messages(dir: &Path) -> (Vec<String>, CertificateDer) {
    let wk = dir.join("wk");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wk.join("messages.json")).unwrap()).unwrap();
    let messages = meta["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| std::fs::read_to_string(wk.join(m["file"].as_str().unwrap())).unwrap())
        .collect();
    let cert = pem_to_der(&std::fs::read_to_string(wk.join("wk_cert.pem")).unwrap());
    (messages, CertificateDer::from(cert))
}

fn verify_wk(xml: &str, cert: &CertificateDer) -> bool {
    // Every signature in the message must verify; the outcome keeps only signed content.
    match XmlSec::reduce_xml_to_signed(
        xml,
        std::slice::from_ref(cert),
        ReduceMode::ValidateAndMarkNoAncestors,
    ) {
        Ok(reduced) => reduced.contains("EncryptedAssertion"),
        Err(_) => false,
    }
}

fn verify_response(xml: &str, cert: &CertificateDer) -> bool {
    XmlSec::verify_signed_xml(xml, cert, Some("ID")).is_ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = Path::new(&args[1]);
    let reps: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    match args[0].as_str() {
        "sig2" => {
            let (messages, cert) = wk_messages(dir);
            // Messages in turn for at least 0.5 s, as the other slow verifiers' passes.
            measure("wk_sig2", reps, || {
                let t = Instant::now();
                let mut n = 0;
                while n < 8 || t.elapsed().as_secs_f64() < 0.5 {
                    assert!(verify_wk(&messages[n % messages.len()], &cert));
                    n += 1;
                }
                n
            });
        }
        "response" => {
            for alg in ["ecdsa", "rsa"] {
                let xml =
                    std::fs::read_to_string(dir.join(format!("dsig/response-{alg}.xml"))).unwrap();
                let cert = CertificateDer::from(
                    std::fs::read(dir.join(format!("dsig/{alg}-cert.der"))).unwrap(),
                );
                measure(&format!("response_{alg}"), reps, || {
                    let t = Instant::now();
                    let mut n = 0;
                    while n == 0 || t.elapsed().as_secs_f64() < 0.3 {
                        assert!(verify_response(&xml, &cert));
                        n += 1;
                    }
                    n
                });
            }
        }
        "check" => {
            let (messages, cert) = wk_messages(dir);
            assert!(
                verify_wk(&messages[0], &cert),
                "samael rejects a good WK message"
            );
            for bad in ["tampered-outer.xml", "tampered-inner.xml"] {
                let xml = std::fs::read_to_string(dir.join("wk").join(bad)).unwrap();
                assert!(!verify_wk(&xml, &cert), "samael accepts {bad}");
            }
            for alg in ["ecdsa", "rsa"] {
                let cert = CertificateDer::from(
                    std::fs::read(dir.join(format!("dsig/{alg}-cert.der"))).unwrap(),
                );
                let ok =
                    std::fs::read_to_string(dir.join(format!("dsig/response-{alg}.xml"))).unwrap();
                let bad =
                    std::fs::read_to_string(dir.join(format!("dsig/response-{alg}-tampered.xml")))
                        .unwrap();
                assert!(verify_response(&ok, &cert), "samael rejects response-{alg}");
                assert!(
                    !verify_response(&bad, &cert),
                    "samael accepts response-{alg}-tampered"
                );
            }
            println!("{}", serde_json::json!({ "check": "samael", "ok": true }));
        }
        other => {
            eprintln!("unknown command {other}");
            std::process::exit(2);
        }
    }
}
