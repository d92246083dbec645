//! DU key and CSR generation: what COI receives must be exactly right, and keys on disk private.
#![allow(clippy::unwrap_used)]

use eidpl::wk::keygen::{
    generate_du_keys, write_du_keys, DuKeyFiles, GeneratedKeyPair, KeyGenOptions,
    MAX_COMMON_NAME_CHARS,
};
use eidpl::ErrorCode;
use openssl::nid::Nid;
use openssl::pkey::PKeyRef;
use openssl::x509::extension::KeyUsage;
use openssl::x509::{X509KeyUsage, X509NameRef};
use std::path::PathBuf;

const ENTITY_ID: &str = "https://gmina.example.pl";
/// DER of the OID ecdsa-with-SHA256 (1.2.840.10045.4.3.2).
const ECDSA_SHA256_OID: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];

fn unique_dir(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    std::env::temp_dir().join(format!(
        "eidpl-keygen-{}-{}-{name}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

fn entries(name: &X509NameRef) -> Vec<(String, String)> {
    name.entries()
        .map(|e| {
            (
                e.object().nid().short_name().unwrap().to_owned(),
                e.data().to_string().unwrap(),
            )
        })
        .collect()
}

fn is_p256(key: &PKeyRef<impl openssl::pkey::HasPublic>) -> bool {
    key.ec_key()
        .map(|k| k.group().curve_name() == Some(Nid::X9_62_PRIME256V1))
        .unwrap_or(false)
}

fn key_usage_der(pair: &GeneratedKeyPair) -> Vec<Vec<u8>> {
    pair.csr
        .extensions()
        .unwrap()
        .iter()
        .map(|e| e.to_der().unwrap())
        .collect()
}

fn with_org() -> KeyGenOptions {
    KeyGenOptions::new(ENTITY_ID).with_organization("Gmina Example")
}

#[test]
fn csrs_verify_under_their_own_keys_with_ecdsa_sha256() {
    let keys = generate_du_keys(&with_org()).unwrap();
    for pair in [&keys.signing, &keys.encryption] {
        let public = pair.csr.public_key().unwrap();
        assert!(public.public_eq(&pair.key));
        assert!(pair.csr.verify(&public).unwrap());
        let der = pair.csr.to_der().unwrap();
        assert!(der
            .windows(ECDSA_SHA256_OID.len())
            .any(|w| w == ECDSA_SHA256_OID));
    }
    // The encryption request does not verify under the signing key: two distinct keys.
    assert!(!keys.encryption.csr.verify(&keys.signing.key).unwrap());
    assert!(!keys.signing.key.public_eq(&keys.encryption.key));
}

#[test]
fn subjects_are_exactly_cn_o_c() {
    let keys = generate_du_keys(&with_org()).unwrap();
    let expect = |suffix: &str| {
        vec![
            ("C".to_owned(), "PL".to_owned()),
            ("O".to_owned(), "Gmina Example".to_owned()),
            ("CN".to_owned(), format!("{ENTITY_ID}_{suffix}")),
        ]
    };
    assert_eq!(entries(keys.signing.csr.subject_name()), expect("sig_ec"));
    assert_eq!(
        entries(keys.encryption.csr.subject_name()),
        expect("enc_ec")
    );
    assert_eq!(
        entries(keys.signing.certificate.subject_name()),
        expect("sig_ec")
    );
    assert_eq!(
        entries(keys.encryption.certificate.issuer_name()),
        expect("enc_ec")
    );
    assert_eq!(
        keys.signing.subject(),
        "CN=https://gmina.example.pl_sig_ec, O=Gmina Example, C=PL"
    );
}

#[test]
fn organization_is_left_out_when_not_given() {
    let keys = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    assert_eq!(
        entries(keys.encryption.csr.subject_name()),
        vec![
            ("C".to_owned(), "PL".to_owned()),
            ("CN".to_owned(), format!("{ENTITY_ID}_enc_ec")),
        ]
    );
}

#[test]
fn keys_are_p256() {
    let keys = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    for pair in [&keys.signing, &keys.encryption] {
        assert!(is_p256(&pair.key));
        assert!(is_p256(&pair.csr.public_key().unwrap()));
        assert!(is_p256(&pair.certificate.public_key().unwrap()));
    }
}

#[test]
fn csrs_request_the_key_usage_of_their_role() {
    let keys = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    let signing = KeyUsage::new()
        .critical()
        .digital_signature()
        .non_repudiation()
        .build()
        .unwrap()
        .to_der()
        .unwrap();
    let encryption = KeyUsage::new()
        .critical()
        .key_agreement()
        .build()
        .unwrap()
        .to_der()
        .unwrap();
    assert_eq!(key_usage_der(&keys.signing), vec![signing]);
    assert_eq!(key_usage_der(&keys.encryption), vec![encryption]);
}

#[test]
fn self_signed_certificates_match_keys_and_carry_the_same_key_usage() {
    let keys = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    for (pair, usage) in [
        (
            &keys.signing,
            X509KeyUsage::DIGITAL_SIGNATURE | X509KeyUsage::NON_REPUDIATION,
        ),
        (&keys.encryption, X509KeyUsage::KEY_AGREEMENT),
    ] {
        let cert = &pair.certificate;
        assert!(cert.public_key().unwrap().public_eq(&pair.key));
        assert!(cert.verify(&pair.key).unwrap(), "self-signed");
        assert_eq!(cert.key_usage(), Some(usage));
        let days = cert.not_before().diff(cert.not_after()).unwrap().days;
        assert_eq!(days, 730);
    }
}

#[test]
fn signing_key_loads_back_and_signs_like_the_rest_of_eidpl() {
    let keys = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    let pem = keys.signing.private_key_pem().unwrap();
    assert!(pem.starts_with(b"-----BEGIN PRIVATE KEY-----"), "PKCS#8");
    let loaded = eidpl::pki::load_private_key(&pem).unwrap();
    assert!(loaded.public_eq(&keys.signing.key));
    assert!(keys
        .signing
        .csr_pem()
        .unwrap()
        .starts_with(b"-----BEGIN CERTIFICATE REQUEST-----"));
    assert!(keys
        .signing
        .certificate_pem()
        .unwrap()
        .starts_with(b"-----BEGIN CERTIFICATE-----"));
}

#[test]
fn debug_output_holds_no_key_material() {
    let keys = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    let debug = format!("{keys:?}");
    assert!(debug.contains("sig_ec"), "{debug}");
    let pem = String::from_utf8(keys.signing.private_key_pem().unwrap()).unwrap();
    let body_line = pem.lines().nth(1).unwrap();
    assert!(!debug.contains(body_line));
}

#[test]
fn common_name_longer_than_64_characters_is_config_invalid() {
    // "_sig_ec" adds 7 characters: 57 fit exactly, 58 do not.
    let fits = format!("https://{}", "a".repeat(57 - 8));
    assert_eq!(fits.chars().count(), 57);
    generate_du_keys(&KeyGenOptions::new(fits.as_str())).unwrap();

    let too_long = format!("{fits}b");
    let e = generate_du_keys(&KeyGenOptions::new(too_long.as_str())).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigInvalid, "{e}");
    assert_eq!(e.details()["limit"], MAX_COMMON_NAME_CHARS);
    assert_eq!(e.details()["actual"], 65);
    assert!(
        e.message().contains("64") && e.message().contains("65"),
        "{e}"
    );
}

#[test]
fn common_name_limit_counts_characters_not_bytes() {
    // 57 characters, more than 64 bytes in UTF-8: allowed, X.520 counts characters.
    let entity_id = format!("https://gmina-{}.pl", "ż".repeat(57 - 17));
    assert_eq!(entity_id.chars().count(), 57);
    assert!(entity_id.len() > 64);
    let keys = generate_du_keys(&KeyGenOptions::new(entity_id.as_str())).unwrap();
    assert!(keys.signing.subject().contains(&entity_id));
}

#[test]
fn files_are_written_with_private_keys_mode_0600() {
    let dir = unique_dir("write").join("nested");
    let keys = generate_du_keys(&with_org()).unwrap();
    let written = write_du_keys(&keys, &dir, false).unwrap();
    let files = DuKeyFiles::in_dir(&dir);
    let names: Vec<_> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "sig_ec.key",
            "sig_ec.csr",
            "sig_ec.crt",
            "enc_ec.key",
            "enc_ec.csr",
            "enc_ec.crt"
        ]
    );
    assert_eq!(
        written,
        files
            .all()
            .iter()
            .map(|p| p.to_path_buf())
            .collect::<Vec<_>>()
    );
    let key = eidpl::pki::load_private_key(&std::fs::read(&files.encryption_key).unwrap()).unwrap();
    assert!(key.public_eq(&keys.encryption.key));
    let csr =
        openssl::x509::X509Req::from_pem(&std::fs::read(&files.signing_csr).unwrap()).unwrap();
    assert!(csr.verify(&keys.signing.key).unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&files.signing_key), 0o600);
        assert_eq!(mode(&files.encryption_key), 0o600);
        assert_eq!(
            mode(&files.signing_csr) & 0o022,
            0,
            "not writable by others"
        );
        assert_eq!(mode(&dir), 0o700);
    }
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn existing_key_set_is_not_overwritten_without_overwrite() {
    let dir = unique_dir("keep");
    let first = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    write_du_keys(&first, &dir, false).unwrap();
    let files = DuKeyFiles::in_dir(&dir);
    let before = std::fs::read(&files.signing_key).unwrap();

    let second = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    let e = write_du_keys(&second, &dir, false).unwrap_err();
    assert_eq!(e.code(), ErrorCode::IoError, "{e}");
    assert_eq!(e.details()["path"], files.signing_key.display().to_string());
    assert!(e.message().contains("sig_ec.key"), "{e}");
    assert_eq!(
        std::fs::read(&files.signing_key).unwrap(),
        before,
        "untouched"
    );

    // A single leftover file is enough to refuse, and nothing else gets written.
    let dir2 = unique_dir("partial");
    std::fs::create_dir_all(&dir2).unwrap();
    let files2 = DuKeyFiles::in_dir(&dir2);
    std::fs::write(&files2.encryption_cert, b"old").unwrap();
    let e = write_du_keys(&second, &dir2, false).unwrap_err();
    assert_eq!(
        e.details()["path"],
        files2.encryption_cert.display().to_string()
    );
    assert!(!files2.signing_key.exists());

    // With overwrite the new set replaces the old, keys still private.
    write_du_keys(&second, &dir, true).unwrap();
    let after = eidpl::pki::load_private_key(&std::fs::read(&files.signing_key).unwrap()).unwrap();
    assert!(after.public_eq(&second.signing.key));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files.signing_key)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&dir2).unwrap();
}

#[cfg(unix)]
#[test]
fn overwrite_tightens_a_loosely_permitted_old_key() {
    use std::os::unix::fs::PermissionsExt;
    let dir = unique_dir("tighten");
    std::fs::create_dir_all(&dir).unwrap();
    let files = DuKeyFiles::in_dir(&dir);
    std::fs::write(&files.signing_key, b"old").unwrap();
    std::fs::set_permissions(&files.signing_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let keys = generate_du_keys(&KeyGenOptions::new(ENTITY_ID)).unwrap();
    write_du_keys(&keys, &dir, true).unwrap();
    let mode = std::fs::metadata(&files.signing_key)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::remove_dir_all(&dir).unwrap();
}
