//! The local WK simulator end to end over HTTP on 127.0.0.1: the `eidpl simulator` binary with a
//! registered DU, driven by eidpl's service provider and a scripted "browser".
#![allow(clippy::unwrap_used)]

use eidpl::wk::{AuthnRequestOptions, Expected, LoginResult, ServiceProvider, Settings};
use eidpl::ErrorCode;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const ENTITY: &str = "https://gmina.example.pl";
const ACS: &str = "https://gmina.example.pl/wk/acs";

struct Sim {
    child: Child,
    base: String,
    dir: PathBuf,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn eidpl() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eidpl"))
}

fn generate_keys(dir: &Path) {
    let out = eidpl()
        .args(["keys", "generate", "--entity-id", ENTITY, "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn start(name: &str) -> Sim {
    start_with(
        name,
        &format!(
            "entity_id = \"{ENTITY}\"\nprovider_name = \"Gmina Example\"\nsigning_cert = \"du/sig_ec.crt\"\nencryption_cert = \"du/enc_ec.crt\"\nacs_urls = [\"{ACS}\"]\n"
        ),
    )
}

/// Starts `eidpl simulator` with one `[[du]]` table whose body is `du`.
fn start_with(name: &str, du: &str) -> Sim {
    let dir = std::env::temp_dir().join(format!("eidpl-sim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    generate_keys(&dir.join("du"));
    std::fs::write(
        dir.join("eidpl.toml"),
        format!(
            "[sp]\nentity_id = \"{ENTITY}\"\nacs_url = \"{ACS}\"\nprovider_name = \"Gmina Example\"\nsigning_cert = \"du/sig_ec.crt\"\nencryption_certs = [\"du/enc_ec.crt\"]\n[idp]\nenvironment = \"custom\"\nentity_id = \"symulator.eidpl.local\"\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("simulator.toml"),
        format!("[simulator]\nartifact_ttl_seconds = 30\n\n[[du]]\n{du}"),
    )
    .unwrap();
    let mut child = eidpl()
        .args(["simulator", "--listen", "127.0.0.1:0", "--config"])
        .arg(dir.join("simulator.toml"))
        .arg("--state-dir")
        .arg(dir.join("wk"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut line).unwrap();
    // Keep draining what the simulator prints.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let base = line
        .trim()
        .strip_prefix("eidpl simulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_owned();
    Sim { child, base, dir }
}

impl Sim {
    fn settings(&self) -> serde_json::Value {
        let d = |f: &str| self.dir.join(f).display().to_string();
        serde_json::json!({
            "sp": {
                "entity_id": ENTITY, "acs_url": ACS, "provider_name": "Gmina Example",
                "signing_key": d("du/sig_ec.key"), "signing_cert": d("du/sig_ec.crt"),
                "encryption_keys": [d("du/enc_ec.key")], "encryption_certs": [d("du/enc_ec.crt")],
            },
            "idp": {
                "environment": "custom",
                "entity_id": "symulator.eidpl.local",
                "signing_certs": [d("wk/wk_sig_ec.crt")],
                "sso_url": format!("{}/login/SingleSignOnService", self.base),
                "artifact_resolution_url": format!("{}/login-services/idpArtifactResolutionService", self.base),
                "slo_url": format!("{}/login-services/singleLogoutService", self.base),
            },
        })
    }

    fn sp(&self) -> ServiceProvider {
        ServiceProvider::new(Settings::from_value(&self.settings(), None).unwrap()).unwrap()
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn post_form(url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(body.join("&").as_bytes())
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn value(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("{name} in {html}"))
        + name.len()
        + 15;
    html[at..at + html[at..].find('"').unwrap()].replace("&amp;", "&")
}

/// AuthnRequest → scripted SSO login → SAMLart.
fn artifact(sim: &Sim, sp: &ServiceProvider, citizen: &str, scenario: &str) -> (String, String) {
    let request = sp
        .authn_request(&AuthnRequestOptions {
            relay_state: Some("/sprawy?id=7&x=1".into()),
            ..Default::default()
        })
        .unwrap();
    let (status, page) = post_form(
        &request.destination,
        &[
            ("SAMLRequest", &request.saml_request),
            ("RelayState", "/sprawy?id=7&x=1"),
            ("eidpl_citizen", citizen),
            ("eidpl_scenario", scenario),
        ],
    );
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&format!("action=\"{ACS}\"")), "{page}");
    assert_eq!(value(&page, "RelayState"), "/sprawy?id=7&x=1");
    let _ = sim;
    (request.id, value(&page, "SAMLart"))
}

fn login(
    sim: &Sim,
    sp: &ServiceProvider,
    citizen: &str,
    scenario: &str,
) -> eidpl::Result<LoginResult> {
    let (id, art) = artifact(sim, sp, citizen, scenario);
    sp.resolve_artifact(
        &art,
        &Expected {
            authn_request_id: &id,
            ..Default::default()
        },
    )
}

#[test]
fn every_test_citizen_logs_in_and_out() {
    let sim = start("citizens");
    let sp = sim.sp();
    for citizen in ["jan", "anna", "lukasz", "zofia"] {
        let r = login(&sim, &sp, citizen, "success").unwrap();
        assert!(r.person.pesel.is_some(), "{citizen}: valid synthetic PESEL");
        assert_eq!(r.person.pesel, r.person.person_identifier);
        assert!(r.person.given_name.is_some() && r.person.family_name.is_some());
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        let out = sp.logout(&r.name_id, &r.session_index).unwrap();
        assert!(out.complete, "{citizen}");
        // A second logout of the same session is refused by WK.
        let e = sp.logout(&r.name_id, &r.session_index).unwrap_err();
        assert_eq!(e.code(), ErrorCode::StatusNotSuccess);
    }
}

#[test]
fn every_error_scenario_surfaces_its_code() {
    let sim = start("scenarios");
    let sp = sim.sp();
    for (scenario, code) in [
        ("authn_failed", Some(ErrorCode::StatusNotSuccess)),
        ("request_denied", Some(ErrorCode::StatusNotSuccess)),
        ("clock_ahead", Some(ErrorCode::NotYetValid)),
        ("clock_behind", Some(ErrorCode::Expired)),
        ("artifact_expired", Some(ErrorCode::StatusNotSuccess)),
        ("loa_low", Some(ErrorCode::LoaInsufficient)),
        ("cek16", None),
    ] {
        match (login(&sim, &sp, "anna", scenario), code) {
            (Ok(r), None) => assert_eq!(r.person.given_name.as_deref(), Some("Anna")),
            (Err(e), Some(code)) => assert_eq!(e.code(), code, "{scenario}: {e}"),
            (other, _) => panic!("{scenario}: {:?}", other.map(|r| r.person)),
        }
    }
}

#[test]
fn a_replayed_artifact_is_refused() {
    let sim = start("replay");
    let sp = sim.sp();
    let (id, art) = artifact(&sim, &sp, "jan", "success");
    let expected = Expected {
        authn_request_id: &id,
        ..Default::default()
    };
    sp.resolve_artifact(&art, &expected).unwrap();
    let e = sp.resolve_artifact(&art, &expected).unwrap_err();
    assert_eq!(e.code(), ErrorCode::StatusNotSuccess);
    assert!(e.message().contains("already used"), "{e}");
}

#[test]
fn a_wrong_du_signature_is_refused_by_the_simulator() {
    let sim = start("wrong-signature");
    let other = sim.dir.join("other");
    generate_keys(&other);
    let mut settings = sim.settings();
    settings["sp"]["signing_key"] = other.join("sig_ec.key").display().to_string().into();
    settings["sp"]["signing_cert"] = other.join("sig_ec.crt").display().to_string().into();
    let forged = ServiceProvider::new(Settings::from_value(&settings, None).unwrap()).unwrap();
    let request = forged
        .authn_request(&AuthnRequestOptions::default())
        .unwrap();
    let (status, page) = post_form(
        &request.destination,
        &[
            ("SAMLRequest", &request.saml_request),
            ("eidpl_citizen", "jan"),
        ],
    );
    assert_eq!(status, 400);
    assert!(page.contains("signature"), "{page}");
    // The back channel too: an ArtifactResolve under the wrong key gets a SOAP fault.
    let (_, art) = artifact(&sim, &sim.sp(), "jan", "success");
    let e = forged
        .resolve_artifact(
            &art,
            &Expected {
                authn_request_id: "ID-x",
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::HttpError, "{e}");
    // ProviderName must be the registered one.
    settings = sim.settings();
    settings["sp"]["provider_name"] = "Gmina Inna".into();
    let renamed = ServiceProvider::new(Settings::from_value(&settings, None).unwrap()).unwrap();
    let request = renamed
        .authn_request(&AuthnRequestOptions::default())
        .unwrap();
    let (status, page) = post_form(
        &request.destination,
        &[("SAMLRequest", &request.saml_request)],
    );
    assert_eq!(status, 400);
    assert!(page.contains("ProviderName"), "{page}");
}

#[test]
fn the_login_pages_work_without_javascript() {
    let sim = start("pages");
    let sp = sim.sp();
    let request = sp.authn_request(&AuthnRequestOptions::default()).unwrap();
    let (status, picker) = post_form(
        &request.destination,
        &[("SAMLRequest", &request.saml_request)],
    );
    assert_eq!(status, 200);
    assert!(
        picker.contains(r#"<form method="post" action="/login/authenticate">"#),
        "{picker}"
    );
    assert!(picker.contains(r#"<button type="submit">"#) && !picker.contains("<script"));
    let key = value(&picker, "request");
    let (_, back) = post_form(
        &format!("{}/login/authenticate", sim.base),
        &[
            ("request", &key),
            ("citizen", "lukasz"),
            ("scenario", "success"),
        ],
    );
    // Auto-submits with JavaScript, and shows a button inside <noscript> without it.
    assert!(
        back.contains("<noscript>") && back.contains(r#"<button type="submit">"#),
        "{back}"
    );
    assert!(back.contains("document.forms[0].submit()"));
    let r = sp
        .resolve_artifact(
            &value(&back, "SAMLart"),
            &Expected {
                authn_request_id: &request.id,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(r.person.given_name.as_deref(), Some("Łukasz"));
    // The page key is single-use.
    let (status, _) = post_form(
        &format!("{}/login/authenticate", sim.base),
        &[("request", &key), ("citizen", "jan")],
    );
    assert_eq!(status, 400);
}

#[test]
fn simulator_answers_have_wk_shape_and_pass_strict_validation() {
    let sim = start("shape");
    let sp = sim.sp();
    let (id, art) = artifact(&sim, &sp, "zofia", "success");
    let resolve = sp.artifact_resolve(&art, None).unwrap();
    let mut r = ureq::post(&resolve.url)
        .header("Content-Type", "text/xml")
        .send(resolve.soap.as_bytes())
        .unwrap();
    let answer = r.body_mut().read_to_string().unwrap();
    // Compact like WK, both signatures with WK's PrefixList, WK's KDF encoding and algorithms.
    assert!(!answer.contains(">\n") && !answer.contains("> <"));
    assert_eq!(
        answer
            .matches(r#"PrefixList="ds saml2 saml2p xenc""#)
            .count(),
        2
    );
    assert!(answer.contains(r#"AlgorithmID="0000002A687474703A2F2F7777772E77332E6F72672F323030312F30342F786D6C656E63236B772D616573323536""#));
    assert!(answer.contains("http://www.w3.org/2009/xmlenc11#aes256-gcm"));
    assert!(answer.contains("http://www.w3.org/2009/xmlenc11#ECDH-ES"));
    let result = sp
        .validate_artifact_response(
            answer.as_bytes(),
            &Expected {
                authn_request_id: &id,
                artifact_resolve_id: Some(&resolve.id),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(result.person.date_of_birth.as_deref(), Some("1956-05-14"));
    assert_eq!(
        result.attributes["http://eidas.europa.eu/attributes/naturalperson/DateOfBirth"],
        ["1956-05-14Z"]
    );
    // Metadata names WK's signing certificate and the SOAP endpoints.
    let mut m = ureq::get(&format!("{}/login/metadata", sim.base))
        .call()
        .unwrap();
    let md = m.body_mut().read_to_string().unwrap();
    assert!(md.contains("IDPSSODescriptor") && md.contains("idpArtifactResolutionService"));
}

#[test]
fn a_du_registers_from_its_own_settings_file() {
    let sim = start_with("sp-settings", "sp_settings = \"eidpl.toml\"\n");
    let r = login(&sim, &sim.sp(), "jan", "success").unwrap();
    assert_eq!(r.person.family_name.as_deref(), Some("Kowalski"));
}
