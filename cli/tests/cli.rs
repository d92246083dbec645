//! The CLI contract: JSON on stdout, exit 0 valid / 1 failed / 2 usage or configuration.
#![allow(clippy::unwrap_used)]

mod common;
use common::{eidpl, interop, json};

#[test]
fn version_and_help() {
    let out = eidpl(&["--version"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    let out = eidpl(&["--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("dsig"));
}

#[test]
fn valid_wk_message_exits_0_with_both_signatures_in_json() {
    let f = interop("wk-simulator-2018/artifact-response.xml");
    let c = interop("wk-simulator-2018/wk_sig_ec.pem");
    let out = eidpl(&[
        "dsig",
        "verify",
        f.to_str().unwrap(),
        "--cert",
        c.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json(&out);
    assert_eq!(j["valid"], true);
    assert_eq!(j["signatures"].as_array().unwrap().len(), 2);
    assert!(j["signatures"][1]["signed_by"]
        .as_str()
        .unwrap()
        .contains("WK_SIG_EC"));
}

// attack: keyinfo-key
#[test]
fn wrong_pinned_cert_exits_1_with_key_not_trusted() {
    let f = interop("wk-simulator-2018/artifact-response.xml");
    let c = interop("wk-integration-2025/wk_sig_ec.pem");
    let out = eidpl(&[
        "dsig",
        "verify",
        f.to_str().unwrap(),
        "--cert",
        c.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let j = json(&out);
    assert_eq!(j["valid"], false);
    assert_eq!(j["signatures"][0]["error"]["code"], "key_not_trusted");
}

// attack: xxe
#[test]
fn doctype_input_exits_1_with_error_object() {
    let dir = std::env::temp_dir().join(format!("eidpl-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("xxe.xml");
    std::fs::write(
        &f,
        r#"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#,
    )
    .unwrap();
    let c = interop("wk-simulator-2018/wk_sig_ec.pem");
    let out = eidpl(&[
        "dsig",
        "verify",
        f.to_str().unwrap(),
        "--cert",
        c.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error"]["code"], "doctype_forbidden");
}

#[test]
fn missing_cert_file_is_a_configuration_error_exit_2() {
    let f = interop("wk-simulator-2018/artifact-response.xml");
    let out = eidpl(&[
        "dsig",
        "verify",
        f.to_str().unwrap(),
        "--cert",
        "/nonexistent.pem",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let j = json(&out);
    assert_eq!(j["error"]["code"], "io_error");
    assert_eq!(j["error"]["details"]["path"], "/nonexistent.pem");
}

#[test]
fn usage_error_exits_2() {
    assert_eq!(eidpl(&["dsig", "verify"]).status.code(), Some(2));
}

#[test]
fn demo_runs_offline_and_exits_0() {
    let out = eidpl(&["demo", "--interop", interop("").to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("digest_mismatch")
            && text.contains("key_not_trusted")
            && text.contains("doctype_forbidden")
    );
    assert!(!text.contains("ACCEPTED"));
}
