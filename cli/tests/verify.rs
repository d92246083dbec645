//! `eidpl verify` end to end: a podpis zaufany document, a forged one, JSON and the Polish report.
#![allow(clippy::unwrap_used, dead_code)]

mod common;
use common::eidpl;

#[path = "../../core/tests/common/pki.rs"]
mod pki;
#[path = "../../core/tests/common/xades.rs"]
mod xades;

#[test]
fn verify_a_pz_document_and_a_forgery() {
    let dir = std::env::temp_dir().join(format!("eidpl-cli-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = pki::TestPki::shared();
    let mut spec = xades::XadesSpec::new(&p.seal.key, &p.seal.cert);
    spec.chain = vec![&p.intermediate.cert];
    spec.claimed_role = Some(xades::podpis_zp("Jan", "Kowalski", "87022243734"));
    let signed = xades::sign(
        r#"<Wniosek xmlns="urn:x"><Tresc>Proszę.</Tresc></Wniosek>"#,
        &spec,
    );
    let (good, bad, anchors) = (
        dir.join("good.xml"),
        dir.join("bad.xml"),
        dir.join("anchors.pem"),
    );
    std::fs::write(&good, &signed).unwrap();
    std::fs::write(&bad, signed.replace("Proszę.", "Żądam.")).unwrap();
    std::fs::write(&anchors, p.anchors_pem()).unwrap();
    let run = |file: &std::path::Path, json: bool| {
        let mut args = vec![
            "verify",
            file.to_str().unwrap(),
            "--trust-anchor",
            anchors.to_str().unwrap(),
            "--now",
            pki::NOW,
        ];
        if json {
            args.push("--json");
        }
        eidpl(&args)
    };
    let out = run(&good, true);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "valid");
    assert_eq!(v["signatures"][0]["kind"], "pz");
    assert_eq!(v["signatures"][0]["pz"]["pesel"], "87022243734");
    let out = run(&good, false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("WAŻNY") && text.contains("podpis zaufany") && text.contains("Jan Kowalski"),
        "{text}"
    );
    let out = run(&bad, true);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "invalid");
    assert_eq!(v["signatures"][0]["sub_indication"], "HASH_FAILURE");
    // Without anchors: indeterminate at best, never "valid".
    let out = eidpl(&[
        "verify",
        good.to_str().unwrap(),
        "--now",
        pki::NOW,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(v["verdict"], "valid");
    // Not XML at all: an error object, exit 1.
    std::fs::write(dir.join("junk.xml"), "not xml").unwrap();
    let out = eidpl(&["verify", dir.join("junk.xml").to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "xml_malformed");
    let _ = std::fs::remove_dir_all(&dir);
}

// attack: rule-5
#[test]
fn badly_encoded_input_bytes_never_reach_stderr() {
    // libxml2 reports iconv failures outside the parser context, quoting the input's bytes.
    let file = std::env::temp_dir().join(format!("eidpl-cli-encoding-{}.xml", std::process::id()));
    let mut doc = br#"<?xml version="1.0" encoding="EUC-JP"?><a>"#.to_vec();
    doc.extend_from_slice(&[0xff, 0xfe, 0xff, 0xfe]);
    doc.extend_from_slice(b"</a>");
    std::fs::write(&file, &doc).unwrap();
    let out = eidpl(&["verify", file.to_str().unwrap(), "--json"]);
    std::fs::remove_file(&file).ok();
    assert_eq!(common::json(&out)["error"]["code"], "xml_malformed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("0xFF"), "input bytes on stderr: {stderr}");
    assert!(!stderr.contains("input conversion failed"), "{stderr}");
    // libxml2's generic (variadic) handler prints a fixed line for the same input.
    assert!(!stderr.contains("encoder error"), "{stderr}");
}
