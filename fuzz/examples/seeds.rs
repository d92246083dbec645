//! Writes the seed corpora of the fuzz targets to `<out>/<target>/` (default
//! `../target/fuzz-corpus`): the relevant `../shared/interop` vectors plus freshly generated
//! messages that pass every check for the fixed keys in `fixtures/`, so the fuzzer starts deep.
//! `--new-fixtures` first replaces those keys (then commit them: the regression test uses them).
#![allow(clippy::unwrap_used, dead_code)]

#[path = "../../core/tests/common/pki.rs"]
mod pki;
#[path = "../../core/tests/common/wk.rs"]
mod wk;
#[path = "../../core/tests/common/xades.rs"]
mod xades;

use eidpl::time::UtcTime;
use eidpl::wk::idp::IdentityProvider;
use eidpl::xml::ns;
use eidpl::xmlenc::{encrypt_element, ContentAlgorithm, EncryptOptions, KdfEncoding};
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;
use std::path::{Path, PathBuf};
use xades::{Placement, XadesSpec};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(manifest().join("fixtures").join(name))
        .unwrap_or_else(|e| panic!("fixtures/{name}: {e} (run with --new-fixtures once)"))
}

fn key(name: &str) -> PKey<Private> {
    PKey::private_key_from_pem(&fixture(name)).unwrap()
}

fn cert(name: &str) -> X509 {
    X509::from_pem(&fixture(name)).unwrap()
}

fn write_fixtures() {
    let dir = manifest().join("fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    let put = |name: &str, bytes: Vec<u8>| std::fs::write(dir.join(name), bytes).unwrap();
    let world = wk::World::new();
    put(
        "wk_sig_key.pem",
        world.wk_key.private_key_to_pem_pkcs8().unwrap(),
    );
    put("wk_sig_cert.pem", world.wk_cert.to_pem().unwrap());
    put(
        "sp_sig_key.pem",
        world.sig_key.private_key_to_pem_pkcs8().unwrap(),
    );
    put("sp_sig_cert.pem", world.sig_cert.to_pem().unwrap());
    put(
        "sp_enc_key.pem",
        world.enc_key.private_key_to_pem_pkcs8().unwrap(),
    );
    put("sp_enc_cert.pem", world.enc_cert.to_pem().unwrap());
    let pki = pki::TestPki::new();
    put("root_cert.pem", pki.anchors_pem());
    put("intermediate_cert.pem", pki.intermediates_pem());
    put("crls.pem", pki.crls_pem());
    put(
        "seal_key.pem",
        pki.seal.key.private_key_to_pem_pkcs8().unwrap(),
    );
    put("seal_cert.pem", pki.seal.cert.to_pem().unwrap());
    put(
        "person_key.pem",
        pki.person.key.private_key_to_pem_pkcs8().unwrap(),
    );
    put("person_cert.pem", pki.person.cert.to_pem().unwrap());
}

/// The WK world of the `wk_response` target, from the fixed keys.
fn world() -> wk::World {
    let wk_key = key("wk_sig_key.pem");
    let wk_cert = cert("wk_sig_cert.pem");
    let enc_key = key("sp_enc_key.pem");
    let idp = IdentityProvider::new(wk::WK_ISSUER, wk_key.clone(), &wk_cert).unwrap();
    wk::World {
        enc_public: PKey::public_key_from_pem(&enc_key.public_key_to_pem().unwrap()).unwrap(),
        wk_key,
        wk_cert,
        sig_key: key("sp_sig_key.pem"),
        sig_cert: cert("sp_sig_cert.pem"),
        enc_key,
        enc_cert: cert("sp_enc_cert.pem"),
        idp,
        citizen: wk::jan(),
        now: UtcTime::parse("2026-11-24T10:00:00.123Z").unwrap(),
    }
}

struct Corpus {
    dir: PathBuf,
    n: usize,
}

impl Corpus {
    fn new(out: &Path, target: &str) -> Corpus {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        Corpus { dir, n: 0 }
    }

    fn add(&mut self, name: &str, bytes: &[u8]) {
        std::fs::write(self.dir.join(format!("seed-{name}")), bytes).unwrap();
        self.n += 1;
    }

    fn interop(&mut self, rel: &str) {
        let path = manifest().join("../../shared/interop").join(rel);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self.add(&rel.replace('/', "--"), &bytes);
    }
}

const WK_VECTORS: &[&str] = &[
    "wk-integration-2025/artifact-response.xml",
    "wk-integration-2025/authn-request.signed.xml",
    "wk-simulator-2018/artifact-response.xml",
    "wk-simulator-2018/assertion.decrypted.xml",
];
const XMLENC_VECTORS: &[&str] = &[
    "w3c-xmlenc11-ecdh-es/cipherText__EC-P256__aes128-gcm__kw-aes128__ECDH-ES__ConcatKDF.xml",
    "w3c-xmlenc11-ecdh-es/cipherText__EC-P384__aes192-gcm__kw-aes192__ECDH-ES__ConcatKDF.xml",
    "w3c-xmlenc11-ecdh-es/cipherText__EC-P521__aes256-gcm__kw-aes256__ECDH-ES__ConcatKDF.xml",
    "w3c-xmlenc11-ecdh-es/cipherText__EC-P256__aes128-gcm__kw-aes128__ECDH-ES__ConcatKDF.plaintext.xml",
];
const XMLDSIG_VECTORS: &[&str] = &[
    "w3c-xmldsig11-ecdsa/signature-enveloping-p256_sha256.xml",
    "w3c-xmldsig11-ecdsa/signature-enveloping-p384_sha384.xml",
    "w3c-xmldsig11-ecdsa/signature-enveloping-p521_sha512.xml",
];

/// Valid WK answers for the fixed SP, and a few refusals and variants.
fn wk_answers(w: &wk::World) -> Vec<(&'static str, String)> {
    use eidpl::wk::idp::Refusal;
    vec![
        ("wk-answer-soap", w.answer()),
        ("wk-answer-bare", w.answer_with(|a| a.soap = false)),
        ("wk-answer-cek16", w.answer_with(|a| a.cek_len = 16)),
        (
            "wk-answer-refusal",
            w.answer_with(|a| {
                a.refusal = Some(Refusal {
                    code: "urn:oasis:names:tc:SAML:2.0:status:Responder".into(),
                    second_level: Some("urn:oasis:names:tc:SAML:2.0:status:AuthnFailed".into()),
                    message: Some("anulowano".into()),
                });
                a.omit_assertion = true;
            }),
        ),
    ]
}

/// Encrypted assertions for the fixed SP encryption key (WK's KDF parties, both encodings).
fn encrypted_assertions(w: &wk::World) -> Vec<(&'static str, String)> {
    let assertion = format!(
        r#"<saml2:Assertion xmlns:saml2="{}" ID="ID-a" Version="2.0" IssueInstant="2026-11-24T10:00:00Z"><saml2:Issuer>{}</saml2:Issuer></saml2:Assertion>"#,
        ns::SAML,
        wk::WK_ISSUER
    );
    let mut out = Vec::new();
    for (name, encoding, algorithm) in [
        (
            "enc-wk-aes256",
            KdfEncoding::Wk,
            ContentAlgorithm::default(),
        ),
        (
            "enc-wk-aes128",
            KdfEncoding::Wk,
            ContentAlgorithm::Aes128Gcm,
        ),
        (
            "enc-xmlenc11",
            KdfEncoding::Xmlenc11,
            ContentAlgorithm::default(),
        ),
    ] {
        let options = EncryptOptions {
            encoding,
            content_algorithm: algorithm,
            declare_namespaces: true,
            ..EncryptOptions::wk(wk::WK_ISSUER, wk::SP_ENTITY)
        };
        let fragment = encrypt_element(assertion.as_bytes(), &w.enc_public, &options).unwrap();
        out.push((
            name,
            format!(
                r#"<saml2:EncryptedAssertion xmlns:saml2="{}">{fragment}</saml2:EncryptedAssertion>"#,
                ns::SAML
            ),
        ));
    }
    out
}

fn with_chain<'a>(mut spec: XadesSpec<'a>, intermediate: &'a X509) -> XadesSpec<'a> {
    spec.chain = vec![intermediate];
    spec
}

/// Signed ePUAP-style documents under the fixed test PKI.
fn signed_documents() -> Vec<(&'static str, String)> {
    let seal_key = key("seal_key.pem");
    let seal = cert("seal_cert.pem");
    let person_key = key("person_key.pem");
    let person = cert("person_cert.pem");
    let intermediate = cert("intermediate_cert.pem");
    let doc = xades::pismo_ogolne(&[("a.txt", "emHDs8WCdw==")]);
    let mut sealed = with_chain(XadesSpec::new(&seal_key, &seal), &intermediate);
    sealed.claimed_role = Some(xades::podpis_zp("Jan", "Kowalski", pki::PERSON_PESEL));
    let sealed = xades::sign(&doc, &sealed);
    let mut ep = with_chain(XadesSpec::new(&seal_key, &seal), &intermediate);
    ep.claimed_role = Some(xades::ep_signature(
        "Jan",
        "Kowalski",
        pki::PERSON_PESEL,
        "1944-05-14",
    ));
    ep.exc_after_xpath = true;
    let ep = xades::sign(&doc, &ep);
    let qualified = xades::sign(
        &doc,
        &with_chain(XadesSpec::new(&person_key, &person), &intermediate),
    );
    let mut enveloping = with_chain(XadesSpec::new(&person_key, &person), &intermediate);
    enveloping.placement = Placement::Enveloping;
    let enveloping = xades::sign(&doc, &enveloping);
    let mut counter = with_chain(XadesSpec::new(&person_key, &person), &intermediate);
    counter.n = 2;
    counter.placement = Placement::CounterSignature(1);
    let countersigned = xades::sign(&sealed, &counter);
    vec![
        ("pz-podpiszp", sealed),
        ("pz-epsignature", ep),
        ("qualified-ecdsa", qualified),
        ("enveloping", enveloping),
        ("countersigned", countersigned),
    ]
}

fn main() {
    let mut out = manifest().join("../target/fuzz-corpus");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--new-fixtures" => write_fixtures(),
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            other => panic!("unknown argument {other} (--new-fixtures, --out DIR)"),
        }
    }
    let w = world();
    let answers = wk_answers(&w);
    let encrypted = encrypted_assertions(&w);
    let documents = signed_documents();

    let mut parse = Corpus::new(&out, "parse");
    let mut wk_response = Corpus::new(&out, "wk_response");
    let mut decrypt = Corpus::new(&out, "decrypt");
    let mut xades_verify = Corpus::new(&out, "xades_verify");
    for rel in WK_VECTORS {
        parse.interop(rel);
        wk_response.interop(rel);
    }
    for rel in [
        "wk-integration-2025/artifact-response.xml",
        "wk-simulator-2018/artifact-response.xml",
    ] {
        decrypt.interop(rel);
    }
    for rel in XMLENC_VECTORS {
        decrypt.interop(rel);
        parse.interop(rel);
    }
    for rel in XMLDSIG_VECTORS {
        parse.interop(rel);
        xades_verify.interop(rel);
    }
    for (name, xml) in &answers {
        parse.add(name, xml.as_bytes());
        wk_response.add(name, xml.as_bytes());
        decrypt.add(name, xml.as_bytes());
    }
    for (name, xml) in &encrypted {
        decrypt.add(name, xml.as_bytes());
    }
    for (name, xml) in &documents {
        parse.add(name, xml.as_bytes());
        xades_verify.add(name, xml.as_bytes());
    }
    for c in [&parse, &wk_response, &decrypt, &xades_verify] {
        println!("{}: {} seeds", c.dir.display(), c.n);
    }
}
