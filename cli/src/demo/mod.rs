//! `eidpl demo`: the story, offline. A whole WK login through the local simulator over HTTP and
//! WK's error cases; a WK-shaped message forged three ways; with `--interop`, real messages made
//! by WK and by W3C interop partners.

pub(crate) mod login;

use crate::signatures::{describe, load_keys, verify_file};
use crate::Outcome;
use eidpl::dsig::{verify_enveloped, EnvelopedSigner, Profile, TrustedKeys};
use eidpl::xml::{ns, Document, ParseOptions};
use eidpl::{Error, Result};
use std::path::Path;

const NAMESPACES: &str = concat!(
    r#"xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" "#,
    r#"xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#""#
);

fn demo_response(signer: &EnvelopedSigner) -> Result<String> {
    let response = format!(
        concat!(
            r#"<saml2p:Response {ns} ID="ID-resp-1" InResponseTo="ID-authn-1" Version="2.0" IssueInstant="2026-11-24T10:00:00.000Z">"#,
            r#"<saml2:Issuer>symulator.eidpl.local</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>"#,
            r#"<saml2:Assertion ID="ID-assertion-1" Version="2.0" IssueInstant="2026-11-24T10:00:00.000Z"><saml2:Issuer>symulator.eidpl.local</saml2:Issuer>"#,
            r#"<saml2:Subject><saml2:NameID>87022243734</saml2:NameID></saml2:Subject></saml2:Assertion></saml2p:Response>"#
        ),
        ns = NAMESPACES
    );
    let signed_response = signer.sign(response.as_bytes(), None)?;
    let artifact_response = format!(
        concat!(
            r#"<saml2p:ArtifactResponse {ns} ID="ID-ar-1" InResponseTo="ID-resolve-1" Version="2.0" IssueInstant="2026-11-24T10:00:01.000Z">"#,
            r#"<saml2:Issuer>symulator.eidpl.local</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>"#,
            r#"{inner}</saml2p:ArtifactResponse>"#
        ),
        ns = NAMESPACES,
        inner = signed_response
    );
    signer.sign(artifact_response.as_bytes(), None)
}

/// Verifies both signatures; returns who signed the inner Response.
fn verify_both(xml: &str, keys: &TrustedKeys) -> Result<String> {
    let doc = Document::parse(xml.as_bytes(), &ParseOptions::saml())?;
    let outer = verify_enveloped(&doc, doc.root(), keys)?;
    let response = outer
        .element
        .child_elements()
        .find(|c| c.is(ns::SAMLP, "Response"))
        .ok_or_else(|| Error::new(eidpl::ErrorCode::ProfileViolation, "no Response"))?;
    let inner = verify_enveloped(&doc, response, keys)?;
    let name_id = inner
        .element
        .descendants()
        .find(|n| n.is(ns::SAML, "NameID"))
        .and_then(|n| n.leaf_text())
        .unwrap_or_default();
    Ok(format!("NameID {name_id}, signed by {}", inner.key_label()))
}

/// Prints how a forgery or error case ended; the code when it was rejected.
pub(crate) fn rejected(label: &str, outcome: Result<()>) -> Option<eidpl::ErrorCode> {
    match outcome {
        Ok(()) => {
            println!("  ACCEPTED  {label}  <- this must never happen");
            None
        }
        Err(e) => {
            println!(
                "  rejected  {label}\n            {}: {}",
                e.code(),
                e.message()
            );
            Some(e.code())
        }
    }
}

fn show_rejection(label: &str, xml: &str, keys: &TrustedKeys) -> bool {
    rejected(label, verify_both(xml, keys).map(|_| ())).is_some()
}

fn generated(all_ok: &mut bool) -> Result<()> {
    let (wk_key, wk_cert) = eidpl::pki::self_signed_p256("WK_SIG_EC (eidpl demo)", 1)?;
    let signer = EnvelopedSigner::new(wk_key, &wk_cert)?;
    let mut pinned = TrustedKeys::new();
    pinned.add_certificate(wk_cert)?;
    let signed = demo_response(&signer)?;

    println!("\n3. A WK-shaped ArtifactResponse, signed at both levels like WK signs (ECDSA P-256, exc-c14n):");
    println!("  valid     {}", verify_both(&signed, &pinned)?);

    println!("\n4. The same message, forged:");
    let tampered = signed.replace("87022243734", "44051401458");
    *all_ok &= show_rejection("NameID changed after signing", &tampered, &pinned);
    let (mallory_key, mallory_cert) = eidpl::pki::self_signed_p256("WK_SIG_EC (eidpl demo)", 1)?;
    let resigned = demo_response(&EnvelopedSigner::new(mallory_key, &mallory_cert)?)?;
    *all_ok &= show_rejection(
        "re-signed by a fresh key that names itself in KeyInfo",
        &resigned,
        &pinned,
    );
    let laughs = r#"<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>"#;
    *all_ok &= show_rejection("billion laughs", laughs, &pinned);
    Ok(())
}

fn interop(dir: &Path, all_ok: &mut bool) -> Result<()> {
    println!(
        "\n5. Real messages made by other systems ({}):",
        dir.display()
    );
    let cases: [(&str, &str, Profile); 6] = [
        (
            "wk-simulator-2018/artifact-response.xml",
            "wk-simulator-2018/wk_sig_ec.pem",
            Profile::SamlStrict,
        ),
        (
            "wk-integration-2025/artifact-response.xml",
            "wk-integration-2025/wk_sig_ec.pem",
            Profile::SamlStrict,
        ),
        (
            "wk-integration-2025/authn-request.signed.xml",
            "wk-integration-2025/du_sig_ec.pem",
            Profile::SamlStrict,
        ),
        (
            "w3c-xmldsig11-ecdsa/signature-enveloping-p256_sha256.xml",
            "w3c-xmldsig11-ecdsa/p256-key.crt",
            Profile::Xades,
        ),
        (
            "w3c-xmldsig11-ecdsa/signature-enveloping-p384_sha384.xml",
            "w3c-xmldsig11-ecdsa/p384-key.crt",
            Profile::Xades,
        ),
        (
            "w3c-xmldsig11-ecdsa/signature-enveloping-p521_sha512.xml",
            "w3c-xmldsig11-ecdsa/p521-key.crt",
            Profile::Xades,
        ),
    ];
    for (file, cert, profile) in cases {
        println!(" {file}");
        let keys = load_keys(&[dir.join(cert)])?;
        for r in verify_file(&dir.join(file), profile, &keys)? {
            *all_ok &= r["valid"] == serde_json::json!(true);
            println!("{}", describe(&r));
        }
    }
    Ok(())
}

pub(crate) fn run(interop_dir: Option<&Path>) -> Outcome {
    println!(
        "eidpl {} — Węzeł Krajowy login and XML-Signature, offline\n",
        eidpl::VERSION
    );
    let mut all_ok = true;
    if let Err(e) = login::story(&mut all_ok) {
        return Outcome::Failed(e);
    }
    if let Err(e) = generated(&mut all_ok) {
        return Outcome::Failed(e);
    }
    match interop_dir {
        Some(dir) if dir.is_dir() => {
            if let Err(e) = interop(dir, &mut all_ok) {
                return Outcome::Failed(e);
            }
        }
        Some(dir) => println!(
            "\n(interop vectors not found at {}; skipped)",
            dir.display()
        ),
        None => {}
    }
    println!(
        "\n{}",
        if all_ok {
            "Everything behaved as it must."
        } else {
            "SOMETHING IS WRONG: see above."
        }
    );
    Outcome::Done { valid: all_ok }
}
