//! Writes the inputs every runner of the benchmark harness (bench/run.py) reads, so that Rust,
//! Python, Node and samael measure the very same bytes:
//!
//! * `wk/`: a generated WK world: `settings.json` (the DU with inline PEMs, WK's certificate
//!   pinned), `wk_cert.pem`, `enc_key.pem`, `messages.json` (request IDs, `now`) and N signed and
//!   encrypted ArtifactResponses `msg-NNNN.xml`, each for another AuthnRequest (so validators
//!   with a replay cache see fresh IDs), plus `tampered-{outer,inner}.xml` (message 0 with one
//!   byte changed under the outer signature only, or under both) for the harness's check that every verifier really rejects.
//! * `dsig/`: one SAML Response with a plain assertion signed enveloped with ECDSA P-256 and
//!   with RSA-2048 (exc-c14n, SHA-256), the certificates as PEM and DER, and tampered copies.
//! * `pz/`: ePUAP letters of the given sizes in MB signed with a podpis zaufany under the test
//!   PKI (like core/examples/large_document.rs), each with its trust anchor.
//!
//! ```sh
//! bench_fixtures DIR --messages 1000 --pz 1,100,500
//! ```
#![allow(clippy::unwrap_used, dead_code)]

#[path = "../../../../core/tests/common/large_document.rs"]
mod large;
#[path = "../../../../core/tests/common/pki.rs"]
mod pki;
#[path = "../../../../core/tests/common/wk.rs"]
mod world;
#[path = "../../../../core/tests/common/xades.rs"]
mod xades;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use eidpl::wk::idp::LoginAnswer;
use eidpl::xml::{ns, C14nMethod, Document, Exclusion, ParseOptions, Selection};
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::Signer;
use openssl::x509::{X509Builder, X509NameBuilder, X509};
use serde_json::json;
use std::path::Path;

/// Changes one byte inside the `nth` (0-based) `<saml2:Issuer>` text.
fn tamper(xml: &str, nth: usize) -> String {
    let at = xml.match_indices("<saml2:Issuer>").nth(nth).unwrap().0 + "<saml2:Issuer>".len();
    let mut bytes = xml.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    String::from_utf8(bytes).unwrap()
}

fn write_wk(dir: &Path, messages: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let w = world::World::new();
    std::fs::write(dir.join("settings.json"), w.settings().to_string()).unwrap();
    std::fs::write(dir.join("wk_cert.pem"), world::pem_cert(&w.wk_cert)).unwrap();
    std::fs::write(dir.join("enc_key.pem"), world::pem_key(&w.enc_key)).unwrap();
    let mut list = Vec::new();
    for i in 0..messages {
        let authn = format!("ID-bench-authn-{i:06}");
        let resolve = format!("ID-bench-resolve-{i:06}");
        let a = LoginAnswer::new(
            &authn,
            &resolve,
            world::ACS,
            world::SP_ENTITY,
            &w.enc_public,
            &w.citizen,
            w.now,
        );
        let xml = w.idp.artifact_response(&a).unwrap();
        let file = format!("msg-{i:04}.xml");
        if i == 0 {
            // The ArtifactResponse's own Issuer (outer signature only) and the Response's
            // (both signatures): a verifier skipping either signature lets one through.
            std::fs::write(dir.join("tampered-outer.xml"), tamper(&xml, 0)).unwrap();
            std::fs::write(dir.join("tampered-inner.xml"), tamper(&xml, 1)).unwrap();
        }
        std::fs::write(dir.join(&file), xml).unwrap();
        list.push(json!({ "file": file, "request_id": authn, "artifact_resolve_id": resolve }));
    }
    let meta = json!({
        "now": w.now.plus_seconds(5).to_rfc3339(),
        "issuer": world::WK_ISSUER,
        "sp_entity_id": world::SP_ENTITY,
        "acs_url": world::ACS,
        "name_id": w.citizen.name_id,
        "messages": list,
    });
    std::fs::write(dir.join("messages.json"), meta.to_string()).unwrap();
}

fn rsa_self_signed(cn: &str) -> (PKey<Private>, X509) {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", cn).unwrap();
    let name = name.build();
    let mut serial = BigNum::new().unwrap();
    serial.rand(63, MsbOption::MAYBE_ZERO, false).unwrap();
    let mut b = X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    b.set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(3650).unwrap())
        .unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    (key, b.build())
}

/// A SAML Response with a plaintext assertion (the shape most IdPs send), unsigned.
fn saml_response(id: &str) -> String {
    let attr = |name: &str, value: &str| {
        format!(
            concat!(
                r#"<saml2:Attribute Name="http://eidas.europa.eu/attributes/naturalperson/{n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">"#,
                r#"<saml2:AttributeValue>{v}</saml2:AttributeValue></saml2:Attribute>"#
            ),
            n = name,
            v = value
        )
    };
    format!(
        concat!(
            r#"<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion""#,
            r#" ID="{id}" InResponseTo="ID-bench-request" IssueInstant="2026-11-24T10:00:00.123Z" Version="2.0" Destination="https://sp.example.pl/acs">"#,
            r#"<saml2:Issuer>https://idp.example.pl</saml2:Issuer>"#,
            r#"<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>"#,
            r#"<saml2:Assertion ID="{id}-assertion" IssueInstant="2026-11-24T10:00:00.123Z" Version="2.0">"#,
            r#"<saml2:Issuer>https://idp.example.pl</saml2:Issuer>"#,
            r#"<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">87022243734</saml2:NameID>"#,
            r#"<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">"#,
            r#"<saml2:SubjectConfirmationData InResponseTo="ID-bench-request" NotOnOrAfter="2026-11-24T10:05:00.000Z" Recipient="https://sp.example.pl/acs"/>"#,
            r#"</saml2:SubjectConfirmation></saml2:Subject>"#,
            r#"<saml2:Conditions NotBefore="2026-11-24T10:00:00.000Z" NotOnOrAfter="2026-11-24T10:05:00.000Z"><saml2:AudienceRestriction><saml2:Audience>https://sp.example.pl</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>"#,
            r#"<saml2:AuthnStatement AuthnInstant="2026-11-24T10:00:00.123Z" SessionIndex="{id}-session"><saml2:AuthnContext>"#,
            r#"<saml2:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial</saml2:AuthnContextClassRef>"#,
            r#"</saml2:AuthnContext></saml2:AuthnStatement>"#,
            r#"<saml2:AttributeStatement>{a1}{a2}{a3}{a4}</saml2:AttributeStatement></saml2:Assertion></saml2p:Response>"#
        ),
        id = id,
        a1 = attr("CurrentFamilyName", "Kowalski"),
        a2 = attr("CurrentGivenName", "Jan"),
        a3 = attr("DateOfBirth", "1987-02-22"),
        a4 = attr("PersonIdentifier", "87022243734"),
    )
}

/// Signs the root element enveloped (exc-c14n, SHA-256), the signature after `saml2:Issuer`.
fn sign_response(xml: &str, id: &str, key: &PKey<Private>, cert: &X509) -> String {
    let exc = C14nMethod::Exclusive {
        inclusive_prefixes: Vec::new(),
    };
    // Exclusive c14n of the element before the signature is in equals that of the element less
    // its signature (the enveloped transform), since the signature declares its own namespace.
    let doc = Document::parse(xml.as_bytes(), &ParseOptions::saml()).unwrap();
    let content = doc
        .canonicalize_to_vec(Selection::Subtree(doc.root()), Exclusion::Nothing, &exc)
        .unwrap();
    let digest = B64.encode(openssl::sha::sha256(&content));
    let rsa = key.rsa().is_ok();
    let method = if rsa {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    } else {
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    };
    let signature = format!(
        concat!(
            r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>"#,
            r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            r##"<ds:SignatureMethod Algorithm="{method}"/><ds:Reference URI="#{id}"><ds:Transforms>"##,
            r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"#,
            r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>{digest}</ds:DigestValue>"#,
            r#"</ds:Reference></ds:SignedInfo><ds:SignatureValue>SIGNATURE-VALUE</ds:SignatureValue><ds:KeyInfo><ds:X509Data>"#,
            r#"<ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>"#
        ),
        method = method,
        id = id,
        digest = digest,
        cert = B64.encode(cert.to_der().unwrap()),
    );
    let end_issuer = xml.find("</saml2:Issuer>").unwrap() + "</saml2:Issuer>".len();
    let placed = format!("{}{signature}{}", &xml[..end_issuer], &xml[end_issuer..]);
    let doc = Document::parse(placed.as_bytes(), &ParseOptions::saml()).unwrap();
    let signed_info = doc
        .root()
        .descendants()
        .find(|n| n.is(ns::DS, "SignedInfo"))
        .unwrap();
    let si = doc
        .canonicalize_to_vec(Selection::Subtree(signed_info), Exclusion::Nothing, &exc)
        .unwrap();
    let mut signer = Signer::new(MessageDigest::sha256(), key).unwrap();
    signer.update(&si).unwrap();
    let raw = signer.sign_to_vec().unwrap();
    let value = if rsa {
        raw
    } else {
        // XML-DSig ECDSA values are r‖s, not DER.
        let sig = openssl::ecdsa::EcdsaSig::from_der(&raw).unwrap();
        let mut v = sig.r().to_vec_padded(32).unwrap();
        v.extend(sig.s().to_vec_padded(32).unwrap());
        v
    };
    placed.replace("SIGNATURE-VALUE", &B64.encode(value))
}

fn write_dsig(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let (ec_key, ec_cert) = eidpl::pki::self_signed_p256("bench-idp-ecdsa", 3650).unwrap();
    let (rsa_key, rsa_cert) = rsa_self_signed("bench-idp-rsa");
    for (name, key, cert) in [("ecdsa", &ec_key, &ec_cert), ("rsa", &rsa_key, &rsa_cert)] {
        let id = format!("ID-bench-response-{name}");
        let signed = sign_response(&saml_response(&id), &id, key, cert);
        std::fs::write(dir.join(format!("response-{name}.xml")), &signed).unwrap();
        std::fs::write(
            dir.join(format!("response-{name}-tampered.xml")),
            tamper(&signed, 0),
        )
        .unwrap();
        std::fs::write(dir.join(format!("{name}-cert.pem")), cert.to_pem().unwrap()).unwrap();
        std::fs::write(dir.join(format!("{name}-cert.der")), cert.to_der().unwrap()).unwrap();
    }
}

const XPATH_FILTER: &str = concat!(
    r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">"#,
    r#"<ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>"#
);

/// The same signed letter with ePUAP's XPath filter replaced by the enveloped-signature
/// transform and SignedInfo signed again. Both select the document less the signature, so the
/// data digest stays; verifiers that ignore the XPath filter (signxml) can then be timed on the
/// same bytes.
fn enveloped_variant(signed: &str, key: &PKey<Private>) -> String {
    let start = signed.rfind("<ds:Signature ").unwrap();
    let replaced = signed[start..].replacen(
        XPATH_FILTER,
        r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
        1,
    );
    assert_ne!(replaced, signed[start..]);
    // Exclusive c14n of SignedInfo needs only the signature element (it declares ds itself).
    let end = replaced.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let doc = Document::parse(&replaced.as_bytes()[..end], &ParseOptions::document()).unwrap();
    let si = doc
        .root()
        .descendants()
        .find(|n| n.is(ns::DS, "SignedInfo"))
        .unwrap();
    let c14n = doc
        .canonicalize_to_vec(
            Selection::Subtree(si),
            Exclusion::Nothing,
            &C14nMethod::Exclusive {
                inclusive_prefixes: Vec::new(),
            },
        )
        .unwrap();
    let mut signer = Signer::new(MessageDigest::sha256(), key).unwrap();
    signer.update(&c14n).unwrap();
    let value = B64.encode(signer.sign_to_vec().unwrap());
    let (open, close) = ("<ds:SignatureValue", "</ds:SignatureValue>");
    let v0 = replaced.find(open).unwrap();
    let v1 = v0 + replaced[v0..].find('>').unwrap() + 1;
    let v2 = replaced.find(close).unwrap();
    format!(
        "{}{}{value}{}",
        &signed[..start],
        &replaced[..v1],
        &replaced[v2..]
    )
}

/// An ePUAP letter with one base64 attachment of about `mb` MB, signed with a PZ seal.
fn write_pz(dir: &Path, mb: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let p = pki::TestPki::shared();
    let signed = large::signed_letter(mb, p);
    let variant = enveloped_variant(&signed, &p.seal.key);
    // Anchors first: a letter without its anchors file is regenerated by run.py.
    std::fs::write(dir.join(format!("anchors-{mb}MB.pem")), p.anchors_pem()).unwrap();
    std::fs::write(dir.join(format!("letter-{mb}MB-enveloped.xml")), variant).unwrap();
    std::fs::write(dir.join(format!("letter-{mb}MB.xml")), signed).unwrap();
    std::fs::write(dir.join("now.txt"), pki::NOW).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(std::path::PathBuf::from) else {
        eprintln!("usage: bench_fixtures DIR [--messages N] [--pz 1,100,500] [--only wk,dsig,pz]");
        std::process::exit(2);
    };
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let messages: usize = opt("--messages").map_or(1000, |v| v.parse().unwrap());
    let sizes: Vec<usize> = opt("--pz")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let only = opt("--only").unwrap_or_else(|| "wk,dsig,pz".into());
    if only.split(',').any(|s| s == "wk") {
        write_wk(&dir.join("wk"), messages);
    }
    if only.split(',').any(|s| s == "dsig") {
        write_dsig(&dir.join("dsig"));
    }
    if only.split(',').any(|s| s == "pz") {
        for mb in sizes {
            write_pz(&dir.join("pz"), mb);
        }
    }
}
