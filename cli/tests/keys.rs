//! `eidpl keys generate`: files, JSON, settings lines and the refusal to overwrite.
#![allow(clippy::unwrap_used)]

mod common;
use common::eidpl;

use std::path::{Path, PathBuf};
use std::process::Output;

const ENTITY_ID: &str = "https://gmina.example.pl";

fn unique_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "eidpl-cli-keys-{}-{name}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ))
}

fn generate(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "keys",
        "generate",
        "--entity-id",
        ENTITY_ID,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    eidpl(&args)
}

#[test]
fn generate_json_lists_files_subjects_and_settings() {
    let root = unique_dir("json");
    let out_dir = root.join("keys");
    let out = generate(&out_dir, &["--organization", "Gmina Example", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        j["signing"]["subject"],
        "CN=https://gmina.example.pl_sig_ec, O=Gmina Example, C=PL"
    );
    assert_eq!(
        j["encryption"]["subject"],
        "CN=https://gmina.example.pl_enc_ec, O=Gmina Example, C=PL"
    );
    let files = j["files"].as_array().unwrap();
    assert_eq!(files.len(), 6);
    for f in files {
        assert!(Path::new(f.as_str().unwrap()).is_file(), "{f}");
    }
    let key = out_dir.join("sig_ec.key");
    assert_eq!(j["signing"]["key"], key.display().to_string());
    assert_eq!(
        j["sp_settings"]["encryption_keys"][0],
        out_dir.join("enc_ec.key").display().to_string()
    );
    let csr = std::fs::read(out_dir.join("enc_ec.csr")).unwrap();
    assert!(csr.starts_with(b"-----BEGIN CERTIFICATE REQUEST-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // A second run refuses (exit 2, io_error naming the file) and leaves the key alone.
    let before = std::fs::read(&key).unwrap();
    let again = generate(&out_dir, &["--json"]);
    assert_eq!(again.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(e["error"]["code"], "io_error");
    assert_eq!(e["error"]["details"]["path"], key.display().to_string());
    assert_eq!(std::fs::read(&key).unwrap(), before);

    // --force replaces the set.
    let forced = generate(&out_dir, &["--force", "--json"]);
    assert_eq!(forced.status.code(), Some(0));
    assert_ne!(std::fs::read(&key).unwrap(), before);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn generate_human_output_says_what_to_send_and_what_to_paste() {
    let out_dir = unique_dir("human");
    let out = generate(&out_dir, &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let dir = out_dir.display().to_string();
    assert!(text.contains("COI"), "{text}");
    assert!(text.contains(&format!("{dir}/sig_ec.csr")), "{text}");
    assert!(text.contains(&format!("{dir}/enc_ec.csr")), "{text}");
    assert!(text.contains("[sp]"), "{text}");
    assert!(
        text.contains(&format!("signing_key = \"{dir}/sig_ec.key\"")),
        "{text}"
    );
    assert!(
        text.contains(&format!("signing_cert = \"{dir}/sig_ec.crt\"")),
        "{text}"
    );
    assert!(
        text.contains(&format!("encryption_keys = [\"{dir}/enc_ec.key\"]")),
        "{text}"
    );
    std::fs::remove_dir_all(&out_dir).unwrap();
}

#[test]
fn too_long_entity_id_exits_2_with_config_invalid() {
    let out_dir = unique_dir("long");
    let long = format!("https://{}.pl", "a".repeat(60));
    let out = eidpl(&[
        "keys",
        "generate",
        "--entity-id",
        &long,
        "--out",
        out_dir.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["error"]["code"], "config_invalid");
    assert_eq!(e["error"]["details"]["limit"], 64);
    assert!(
        !out_dir.exists(),
        "nothing is written for a rejected request"
    );
}
