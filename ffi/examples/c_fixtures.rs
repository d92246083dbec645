//! Writes what `tests/c/test_eidpl.c` needs besides the interop vectors into a directory (the
//! build directory, never the source tree), freshly generated on every run:
//! * `pz-document.xml`: a podpis zaufany document signed under a generated test PKI;
//!   `pz-forged.xml`: the same with its content changed after signing; `pz-options.json`: the
//!   PKI's root as trust anchor and the instant at which every test certificate is valid;
//! * a generated WK world for the thread test: `wk-settings.json` (a DU with inline PEM keys,
//!   the generated WK certificate pinned) and, for each of [`CITIZENS`], `wk-answer-N.xml` (a
//!   signed and encrypted ArtifactResponse in WK's shape) with `wk-expected-N.json`.
//!
//! ```sh
//! target/debug/examples/c_fixtures target/c-test
//! ```
#![allow(clippy::unwrap_used, dead_code)]

// The test helpers below say `eidpl::…` for the core crate, as in core's own tests.
extern crate eidpl_core as eidpl;

#[path = "../../core/tests/common/pki.rs"]
mod pki;
#[path = "../../core/tests/common/xades.rs"]
mod xades;

use eidpl::time::UtcTime;
use eidpl::wk::idp::{Citizen, IdentityProvider, LoginAnswer};
use openssl::pkey::{PKey, Private, Public};
use openssl::x509::X509;
use serde_json::json;
use std::path::Path;
use std::path::PathBuf;

/// One WK answer per thread of the C test, each for another citizen (the C test has the same
/// list and checks every thread gets its own person back).
const CITIZENS: [&str; 8] = [
    "Anna", "Jan", "Zofia", "Piotr", "Maria", "Tomasz", "Ewa", "Marek",
];

fn pem_key(k: &PKey<Private>) -> String {
    String::from_utf8(k.private_key_to_pem_pkcs8().unwrap()).unwrap()
}

fn pem_cert(c: &X509) -> String {
    String::from_utf8(c.to_pem().unwrap()).unwrap()
}

fn write_pz(dir: &Path) {
    let p = pki::TestPki::shared();
    let mut spec = xades::XadesSpec::new(&p.seal.key, &p.seal.cert);
    spec.chain = vec![&p.intermediate.cert];
    spec.claimed_role = Some(xades::podpis_zp("Jan", "Kowalski", "87022243734"));
    let signed = xades::sign(
        r#"<Wniosek xmlns="urn:example:wniosek"><Tresc>Proszę o zaświadczenie.</Tresc></Wniosek>"#,
        &spec,
    );
    let forged = signed.replace("Proszę", "Żądam");
    assert_ne!(signed, forged);
    let options = json!({
        "trust_anchors_pem": String::from_utf8(p.anchors_pem()).unwrap(),
        "now": pki::NOW,
    });
    std::fs::write(dir.join("pz-document.xml"), signed).unwrap();
    std::fs::write(dir.join("pz-forged.xml"), forged).unwrap();
    std::fs::write(dir.join("pz-options.json"), options.to_string()).unwrap();
}

fn write_wk_world(dir: &Path) {
    const SP: &str = "https://gmina.example.pl";
    const ACS: &str = "https://gmina.example.pl/wk/acs";
    // Valid around the fixed clock below, whatever day the tests run.
    let cert = |cn| {
        let at = |s| UtcTime::parse(s).unwrap();
        eidpl::pki::self_signed_p256_between(
            cn,
            at("2020-01-01T00:00:00Z"),
            at("2040-01-01T00:00:00Z"),
        )
        .unwrap()
    };
    let (wk_key, wk_cert) = cert("WK_SIG_EC");
    let (sig_key, sig_cert) = cert("gmina_sig_ec");
    let (enc_key, enc_cert) = cert("gmina_enc_ec");
    let enc_public: PKey<Public> =
        PKey::public_key_from_pem(&enc_key.public_key_to_pem().unwrap()).unwrap();
    let settings = json!({
        "sp": {
            "entity_id": SP,
            "acs_url": ACS,
            "provider_name": "Gmina Example",
            "signing_key": pem_key(&sig_key),
            "signing_cert": pem_cert(&sig_cert),
            "encryption_keys": [pem_key(&enc_key)],
            "encryption_certs": [pem_cert(&enc_cert)],
        },
        "idp": { "environment": "integration", "signing_certs": [pem_cert(&wk_cert)] },
    });
    std::fs::write(dir.join("wk-settings.json"), settings.to_string()).unwrap();
    let idp = IdentityProvider::new("int.login.gov.pl", wk_key, &wk_cert).unwrap();
    let now = UtcTime::parse("2026-11-24T10:00:00Z").unwrap();
    for (i, given_name) in CITIZENS.iter().enumerate() {
        let citizen = Citizen {
            name_id: format!("obywatel-{i}"),
            given_name: (*given_name).to_owned(),
            family_name: "Kowalska-Nowak".to_owned(),
            date_of_birth: "1987-02-22".to_owned(),
            person_identifier: "87022243734".to_owned(),
            authenticating_authority: "pz.gov.pl".to_owned(),
        };
        let (authn_id, resolve_id) = (format!("ID-authn-{i}"), format!("ID-resolve-{i}"));
        let answer = LoginAnswer::new(&authn_id, &resolve_id, ACS, SP, &enc_public, &citizen, now);
        let expected = json!({
            "authn_request_id": authn_id,
            "artifact_resolve_id": resolve_id,
            "now": now.plus_seconds(5).to_rfc3339(),
        });
        let xml = idp.artifact_response(&answer).unwrap();
        std::fs::write(dir.join(format!("wk-answer-{i}.xml")), xml).unwrap();
        std::fs::write(
            dir.join(format!("wk-expected-{i}.json")),
            expected.to_string(),
        )
        .unwrap();
    }
}

fn main() {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: c_fixtures DIR");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&dir).unwrap();
    write_pz(&dir);
    write_wk_world(&dir);
}
