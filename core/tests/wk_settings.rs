//! Settings: TOML and JSON files with relative paths, environments, and errors that name the key.
#![allow(clippy::unwrap_used)]

mod common;

use common::wk::{pem_cert, pem_key, World};
use eidpl::wk::{Environment, Material, ServiceProvider, Settings};
use eidpl::xmlenc::KdfEncoding;
use eidpl::ErrorCode;
use std::path::PathBuf;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eidpl-settings-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    dir
}

#[test]
fn toml_file_with_paths_relative_to_it() {
    let w = World::new();
    let dir = temp_dir("toml");
    std::fs::write(dir.join("keys/sig_ec.key"), pem_key(&w.sig_key)).unwrap();
    std::fs::write(dir.join("keys/sig_ec.crt"), pem_cert(&w.sig_cert)).unwrap();
    std::fs::write(dir.join("keys/enc_ec.key"), pem_key(&w.enc_key)).unwrap();
    std::fs::write(dir.join("keys/wk.pem"), pem_cert(&w.wk_cert)).unwrap();
    // DER works as well as PEM.
    std::fs::write(dir.join("keys/enc_ec.der"), w.enc_cert.to_der().unwrap()).unwrap();
    std::fs::write(
        dir.join("eidpl.toml"),
        r#"
[sp]
entity_id = "https://gmina.example.pl"
acs_url = "https://gmina.example.pl/wk/acs"
provider_name = "Gmina Example"
sp_type = "private"
requested_loa = "high"
signing_key = "keys/sig_ec.key"
signing_cert = "keys/sig_ec.crt"
encryption_keys = ["keys/enc_ec.key"]
encryption_certs = ["keys/enc_ec.der"]

[idp]
environment = "integration"
signing_certs = ["keys/wk.pem"]
sso_url = "https://wk.example/sso"

[security]
clock_skew_seconds = 30
kdf_encoding = "xmlenc11"
"#,
    )
    .unwrap();
    let settings = Settings::from_file(dir.join("eidpl.toml")).unwrap();
    assert_eq!(settings.idp.environment, Environment::Integration);
    assert_eq!(settings.idp.entity_id, "int.login.gov.pl");
    assert_eq!(
        settings.idp.sso_url.as_deref(),
        Some("https://wk.example/sso")
    );
    assert_eq!(
        settings.idp.artifact_resolution_url.as_deref(),
        Some("https://int.login.gov.pl/login-services/idpArtifactResolutionService")
    );
    assert_eq!(settings.security.clock_skew_seconds, 30);
    assert_eq!(settings.security.kdf_encoding, KdfEncoding::Xmlenc11);
    assert_eq!(
        settings.sp.signing_cert,
        Some(Material::Path(dir.join("keys/sig_ec.crt")))
    );
    let sp = ServiceProvider::new(settings).unwrap();
    assert!(sp
        .metadata()
        .unwrap()
        .contains("entityID=\"https://gmina.example.pl\""));
}

#[test]
fn json_file_and_environment_defaults() {
    let w = World::new();
    let dir = temp_dir("json");
    let path = dir.join("eidpl.json");
    std::fs::write(&path, w.settings().to_string()).unwrap();
    let s = Settings::from_file(&path).unwrap();
    assert_eq!(s.security.clock_skew_seconds, 120);
    assert_eq!(s.security.kdf_encoding, KdfEncoding::Wk);
    assert_eq!(s.sp.requested_loa, eidpl::wk::Loa::Substantial);
    for (env, issuer, base) in [
        (
            "simulator",
            "localhost.wk.gov.pl",
            "https://symulator.login.gov.pl",
        ),
        (
            "integration",
            "int.login.gov.pl",
            "https://int.login.gov.pl",
        ),
        (
            "integration-external",
            "int-podmiotyzewnetrzne.login.gov.pl",
            "https://int-podmiotyzewnetrzne.login.gov.pl",
        ),
        ("production", "login.gov.pl", "https://login.gov.pl"),
    ] {
        let mut v = w.settings();
        v["idp"]["environment"] = env.into();
        let s = Settings::from_value(&v, None).unwrap();
        assert_eq!(s.idp.entity_id, issuer);
        assert_eq!(
            s.idp.sso_url.unwrap(),
            format!("{base}/login/SingleSignOnService")
        );
        assert_eq!(
            s.idp.slo_url.unwrap(),
            format!("{base}/login-services/singleLogoutService")
        );
    }
    // custom: everything from configuration; no URLs is fine for offline validation.
    let mut v = w.settings();
    v["idp"] = serde_json::json!({"environment": "custom", "entity_id": "wk.local", "signing_certs": [pem_cert(&w.wk_cert)]});
    let s = Settings::from_value(&v, None).unwrap();
    assert_eq!(s.idp.entity_id, "wk.local");
    assert_eq!(s.idp.sso_url, None);
    let sp = ServiceProvider::new(s).unwrap();
    let e = sp.artifact_resolve("AAQAAA==", None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigInvalid);
    assert_eq!(e.details()["setting"], "idp.artifact_resolution_url");
}

type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;

fn error_for(edit: impl FnOnce(&mut serde_json::Value)) -> eidpl::Error {
    let w = World::new();
    let mut v = w.settings();
    edit(&mut v);
    match Settings::from_value(&v, None).and_then(ServiceProvider::new) {
        Ok(_) => panic!("accepted: {v}"),
        Err(e) => e,
    }
}

#[test]
fn errors_name_the_setting() {
    let cases: Vec<(&str, Edit)> = vec![
        (
            "sp.entiy_id",
            Box::new(|v| v["sp"]["entiy_id"] = "x".into()),
        ),
        (
            "security.clock_skew",
            Box::new(|v| v["security"] = serde_json::json!({"clock_skew": 5})),
        ),
        (
            "sp.entity_id",
            Box::new(|v| {
                v["sp"].as_object_mut().unwrap().remove("entity_id");
            }),
        ),
        (
            "sp.acs_url",
            Box::new(|v| v["sp"]["acs_url"] = "gmina.example.pl/acs".into()),
        ),
        (
            "idp.environment",
            Box::new(|v| {
                v["idp"].as_object_mut().unwrap().remove("environment");
            }),
        ),
        (
            "idp.environment",
            Box::new(|v| v["idp"]["environment"] = "prod".into()),
        ),
        (
            "idp.entity_id",
            Box::new(|v| v["idp"]["environment"] = "custom".into()),
        ),
        (
            "security.kdf_encoding",
            Box::new(|v| v["security"] = serde_json::json!({"kdf_encoding": "auto"})),
        ),
        (
            "security.clock_skew_seconds",
            Box::new(|v| v["security"] = serde_json::json!({"clock_skew_seconds": -1})),
        ),
        (
            "sp.requested_loa",
            Box::new(|v| v["sp"]["requested_loa"] = "medium".into()),
        ),
        (
            "sp.encryption_keys[0]",
            Box::new(|v| v["sp"]["encryption_keys"] = serde_json::json!(["/nonexistent/enc.key"])),
        ),
        (
            "sp.signing_cert",
            Box::new(|v| {
                v["sp"].as_object_mut().unwrap().remove("signing_cert");
            }),
        ),
        (
            "idp.signing_certs[0]",
            Box::new(|v| {
                v["idp"]["signing_certs"] = serde_json::json!([
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                ])
            }),
        ),
        ("saml", Box::new(|v| v["saml"] = serde_json::json!({}))),
        (
            "sp.encryption_keys[0].passwd",
            Box::new(|v| {
                v["sp"]["encryption_keys"] = serde_json::json!([{"path": "x.p12", "passwd": "1"}])
            }),
        ),
    ];
    for (setting, edit) in cases {
        let e = error_for(edit);
        assert_eq!(e.code(), ErrorCode::ConfigInvalid, "{setting}: {e}");
        assert_eq!(e.details()["setting"], setting, "{e}");
        assert!(e.message().contains(setting), "{e}");
    }
    let e = error_for(|v| v["sp"]["entiy_id"] = "x".into());
    assert!(e.message().contains("did you mean `sp.entity_id`"), "{e}");
}

#[test]
fn pkcs12_needs_its_password() {
    let p12 = common::interop("wk-simulator-2018/du_enc_ec.p12")
        .display()
        .to_string();
    let e = error_for(|v| v["sp"]["encryption_keys"] = serde_json::json!([p12]));
    assert_eq!(e.details()["setting"], "sp.encryption_keys[0]");
    assert!(e.message().contains("password"), "{e}");
    let e = error_for(|v| {
        v["sp"]["encryption_keys"] = serde_json::json!([{"path": p12, "password": "wrong"}])
    });
    assert_eq!(e.code(), ErrorCode::ConfigInvalid);
    assert!(e.message().contains("password"), "{e}");
    std::env::set_var("EIDPL_TEST_P12_PASSWORD", "12345");
    let w = World::new();
    let mut v = w.settings();
    v["sp"]["encryption_keys"] =
        serde_json::json!([{"path": p12, "password_env": "EIDPL_TEST_P12_PASSWORD"}]);
    ServiceProvider::new(Settings::from_value(&v, None).unwrap()).unwrap();
}

#[test]
fn toml_syntax_errors_are_config_errors() {
    let e = Settings::from_toml_str("[sp\nentity_id = 1", None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigInvalid);
    let e = Settings::from_json_str("[]", None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigInvalid);
}
