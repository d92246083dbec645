//! The two P-256 key pairs a service provider (DU) needs for WK, their certificate requests for
//! COI, and self-signed certificates to work with until COI's certificates arrive.
//!
//! WK keeps signing and encryption apart: requests are signed with `*_sig_ec`, assertions are
//! encrypted to `*_enc_ec` (ECDH-ES). Each key gets the key usage that matches its one job, so a
//! leaked or misconfigured key cannot be used for the other.
//!
//! ```no_run
//! use eidpl::wk::keygen::{generate_du_keys, write_du_keys, KeyGenOptions};
//! # fn main() -> eidpl::Result<()> {
//! let options = KeyGenOptions::new("https://gmina.example.pl").with_organization("Gmina Example");
//! let keys = generate_du_keys(&options)?;
//! let written = write_du_keys(&keys, std::path::Path::new("keys"), false)?;
//! // Send keys/sig_ec.csr and keys/enc_ec.csr to COI.
//! # let _ = written; Ok(()) }
//! ```

use crate::error::{Error, ErrorCode, Result};
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{Asn1Flag, EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::stack::Stack;
use openssl::x509::extension::{BasicConstraints, KeyUsage, SubjectKeyIdentifier};
use openssl::x509::{X509Extension, X509Name, X509NameBuilder, X509NameRef, X509Req, X509};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// X.520 `ub-common-name`: the longest CN a CA accepts, in characters.
pub const MAX_COMMON_NAME_CHARS: usize = 64;
/// X.520 `ub-organization-name`.
pub const MAX_ORGANIZATION_CHARS: usize = 64;
/// Default validity of the self-signed certificates, in days (two years).
pub const DEFAULT_SELF_SIGNED_DAYS: u32 = 730;
/// Longest accepted validity of the self-signed certificates, in days (ten years).
pub const MAX_SELF_SIGNED_DAYS: u32 = 3650;

/// What to put into the certificate requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGenOptions {
    /// The DU entity id (SAML Issuer); the subjects are `CN=<entity_id>_sig_ec` and `_enc_ec`.
    pub entity_id: String,
    /// `O=` in the subjects, when given.
    pub organization: Option<String>,
    /// `C=` in the subjects (two letters); [`KeyGenOptions::new`] sets `PL`, `None` leaves it out.
    pub country: Option<String>,
    /// Validity of the self-signed certificates, 1 to [`MAX_SELF_SIGNED_DAYS`] days.
    pub self_signed_days: u32,
}

impl KeyGenOptions {
    /// Options for `entity_id` with `C=PL`, no organization and two-year self-signed certificates.
    pub fn new(entity_id: impl Into<String>) -> Self {
        KeyGenOptions {
            entity_id: entity_id.into(),
            organization: None,
            country: Some("PL".to_owned()),
            self_signed_days: DEFAULT_SELF_SIGNED_DAYS,
        }
    }

    /// Adds `O=<organization>` to both subjects.
    #[must_use]
    pub fn with_organization(mut self, organization: impl Into<String>) -> Self {
        self.organization = Some(organization.into());
        self
    }
}

/// Which of the two DU keys: they differ in name suffix and key usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRole {
    /// Signs AuthnRequest, ArtifactResolve and LogoutRequest: digitalSignature + nonRepudiation.
    Signing,
    /// Receives the encrypted assertion (ECDH-ES): keyAgreement.
    Encryption,
}

impl KeyRole {
    /// `sig_ec` or `enc_ec`: the CN suffix after `_` and the file stem.
    pub fn suffix(self) -> &'static str {
        match self {
            KeyRole::Signing => "sig_ec",
            KeyRole::Encryption => "enc_ec",
        }
    }

    fn key_usage(self) -> std::result::Result<X509Extension, openssl::error::ErrorStack> {
        let mut usage = KeyUsage::new();
        usage.critical();
        match self {
            KeyRole::Signing => usage.digital_signature().non_repudiation(),
            KeyRole::Encryption => usage.key_agreement(),
        };
        usage.build()
    }
}

/// One generated key pair with its certificate request and a self-signed certificate.
pub struct GeneratedKeyPair {
    /// Which key this is.
    pub role: KeyRole,
    /// The P-256 private key.
    pub key: PKey<Private>,
    /// The certificate request for COI (ECDSA-SHA256, key usage requested).
    pub csr: X509Req,
    /// Self-signed, same subject and key usage: for the local simulator and tests until the CA's
    /// certificate arrives. Never send it to WK in place of COI's.
    pub certificate: X509,
}

impl GeneratedKeyPair {
    /// The private key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn private_key_pem(&self) -> Result<Vec<u8>> {
        self.key.private_key_to_pem_pkcs8().map_err(internal)
    }

    /// The certificate request as PEM (`-----BEGIN CERTIFICATE REQUEST-----`).
    pub fn csr_pem(&self) -> Result<Vec<u8>> {
        self.csr.to_pem().map_err(internal)
    }

    /// The self-signed certificate as PEM.
    pub fn certificate_pem(&self) -> Result<Vec<u8>> {
        self.certificate.to_pem().map_err(internal)
    }

    /// The request's subject, most specific first: `CN=…_sig_ec, O=…, C=PL` (RFC 4514 order).
    pub fn subject(&self) -> String {
        rfc4514(self.csr.subject_name())
    }
}

impl fmt::Debug for GeneratedKeyPair {
    /// The subject only: a private key has no business in a log line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedKeyPair")
            .field("role", &self.role)
            .field("subject", &self.subject())
            .finish_non_exhaustive()
    }
}

/// The DU's signing and encryption key pairs.
#[derive(Debug)]
pub struct DuKeys {
    /// `*_sig_ec`: signs requests to WK.
    pub signing: GeneratedKeyPair,
    /// `*_enc_ec`: WK encrypts assertions to it.
    pub encryption: GeneratedKeyPair,
}

/// Where [`write_du_keys`] puts the six files inside a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuKeyFiles {
    /// `sig_ec.key`: the signing private key (PKCS#8 PEM, mode 0600).
    pub signing_key: PathBuf,
    /// `sig_ec.csr`: the signing certificate request for COI.
    pub signing_csr: PathBuf,
    /// `sig_ec.crt`: the self-signed signing certificate.
    pub signing_cert: PathBuf,
    /// `enc_ec.key`: the encryption private key (PKCS#8 PEM, mode 0600).
    pub encryption_key: PathBuf,
    /// `enc_ec.csr`: the encryption certificate request for COI.
    pub encryption_csr: PathBuf,
    /// `enc_ec.crt`: the self-signed encryption certificate.
    pub encryption_cert: PathBuf,
}

impl DuKeyFiles {
    /// The file names inside `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        let file = |role: KeyRole, ext: &str| dir.join(format!("{}.{ext}", role.suffix()));
        DuKeyFiles {
            signing_key: file(KeyRole::Signing, "key"),
            signing_csr: file(KeyRole::Signing, "csr"),
            signing_cert: file(KeyRole::Signing, "crt"),
            encryption_key: file(KeyRole::Encryption, "key"),
            encryption_csr: file(KeyRole::Encryption, "csr"),
            encryption_cert: file(KeyRole::Encryption, "crt"),
        }
    }

    /// All six, in the order they are written.
    pub fn all(&self) -> [&Path; 6] {
        [
            &self.signing_key,
            &self.signing_csr,
            &self.signing_cert,
            &self.encryption_key,
            &self.encryption_csr,
            &self.encryption_cert,
        ]
    }
}

/// Generates the signing and the encryption key pair, their requests and self-signed certificates.
///
/// Errors: `config_invalid` when a subject field is empty, holds control characters or exceeds
/// its X.520 upper bound (a CN longer than 64 characters: shorten the entity id), when the country
/// is not two letters, or when the validity is out of range.
pub fn generate_du_keys(options: &KeyGenOptions) -> Result<DuKeys> {
    let country = validate(options)?;
    Ok(DuKeys {
        signing: generate_pair(KeyRole::Signing, options, country.as_deref())?,
        encryption: generate_pair(KeyRole::Encryption, options, country.as_deref())?,
    })
}

fn config_invalid(message: String) -> Error {
    Error::new(ErrorCode::ConfigInvalid, message)
}

fn internal(e: openssl::error::ErrorStack) -> Error {
    Error::new(ErrorCode::Internal, format!("OpenSSL: {e}"))
}

/// Checks every field before any key is made; returns the normalised country code.
fn validate(options: &KeyGenOptions) -> Result<Option<String>> {
    check_text("entity id", &options.entity_id)?;
    let cn_chars = common_name(&options.entity_id, KeyRole::Signing)
        .chars()
        .count();
    if cn_chars > MAX_COMMON_NAME_CHARS {
        let suffix = KeyRole::Signing.suffix().len() + 1;
        return Err(config_invalid(format!(
            "the certificate subject CN \"{}_{}\" would be {cn_chars} characters; X.520 allows at \
             most {MAX_COMMON_NAME_CHARS}, so the entity id may have at most {} characters",
            options.entity_id,
            KeyRole::Signing.suffix(),
            MAX_COMMON_NAME_CHARS - suffix
        ))
        .with("field", "CN")
        .with("limit", MAX_COMMON_NAME_CHARS)
        .with("actual", cn_chars));
    }
    if let Some(organization) = &options.organization {
        check_text("organization", organization)?;
        let chars = organization.chars().count();
        if chars > MAX_ORGANIZATION_CHARS {
            return Err(config_invalid(format!(
                "the organization (O) is {chars} characters; X.520 allows at most \
                 {MAX_ORGANIZATION_CHARS}"
            ))
            .with("field", "O")
            .with("limit", MAX_ORGANIZATION_CHARS)
            .with("actual", chars));
        }
    }
    let country = match &options.country {
        None => None,
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        Some(c) => {
            return Err(config_invalid(format!(
                "the country (C) must be a two-letter ISO 3166 code such as PL, not {c:?}"
            ))
            .with("field", "C"))
        }
    };
    if !(1..=MAX_SELF_SIGNED_DAYS).contains(&options.self_signed_days) {
        return Err(config_invalid(format!(
            "the self-signed certificates' validity must be 1 to {MAX_SELF_SIGNED_DAYS} days, not {}",
            options.self_signed_days
        ))
        .with("limit", MAX_SELF_SIGNED_DAYS)
        .with("actual", options.self_signed_days));
    }
    Ok(country)
}

/// Subject fields end up in certificates and logs: no empty values, no control characters.
fn check_text(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(config_invalid(format!("the {what} must not be empty")));
    }
    if value.chars().any(char::is_control) {
        return Err(config_invalid(format!(
            "the {what} must not contain control characters (line breaks, tabs, escapes)"
        )));
    }
    Ok(())
}

fn common_name(entity_id: &str, role: KeyRole) -> String {
    format!("{entity_id}_{}", role.suffix())
}

fn generate_pair(
    role: KeyRole,
    options: &KeyGenOptions,
    country: Option<&str>,
) -> Result<GeneratedKeyPair> {
    let key = p256_key()?;
    let subject = subject(&common_name(&options.entity_id, role), options, country)?;

    let mut extensions = Stack::new().map_err(internal)?;
    extensions
        .push(role.key_usage().map_err(internal)?)
        .map_err(internal)?;
    let mut csr = X509Req::builder().map_err(internal)?;
    csr.set_version(0).map_err(internal)?;
    csr.set_subject_name(&subject).map_err(internal)?;
    csr.set_pubkey(&key).map_err(internal)?;
    csr.add_extensions(&extensions).map_err(internal)?;
    csr.sign(&key, MessageDigest::sha256()).map_err(internal)?;
    let csr = csr.build();

    let certificate = self_signed(role, &key, &subject, options.self_signed_days)?;
    Ok(GeneratedKeyPair {
        role,
        key,
        csr,
        certificate,
    })
}

fn p256_key() -> Result<PKey<Private>> {
    let mut group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).map_err(internal)?;
    // Encode the curve by name (OID), never as explicit parameters: CAs and WK expect the OID.
    group.set_asn1_flag(Asn1Flag::NAMED_CURVE);
    let ec = EcKey::generate(&group).map_err(internal)?;
    PKey::from_ec_key(ec).map_err(internal)
}

/// `C`, `O`, `CN` in X.500 order (most significant first in the encoding).
fn subject(cn: &str, options: &KeyGenOptions, country: Option<&str>) -> Result<X509Name> {
    let field = |what: &str, e: openssl::error::ErrorStack| {
        config_invalid(format!("OpenSSL refused the {what} in the subject: {e}"))
    };
    let mut name = X509NameBuilder::new().map_err(internal)?;
    if let Some(country) = country {
        name.append_entry_by_nid(Nid::COUNTRYNAME, country)
            .map_err(|e| field("country", e))?;
    }
    if let Some(organization) = &options.organization {
        name.append_entry_by_nid(Nid::ORGANIZATIONNAME, organization)
            .map_err(|e| field("organization", e))?;
    }
    name.append_entry_by_nid(Nid::COMMONNAME, cn)
        .map_err(|e| field("common name", e))?;
    Ok(name.build())
}

fn self_signed(
    role: KeyRole,
    key: &PKey<Private>,
    subject: &X509NameRef,
    days: u32,
) -> Result<X509> {
    let mut serial = BigNum::new().map_err(internal)?;
    serial
        .rand(127, MsbOption::MAYBE_ZERO, false)
        .map_err(internal)?;
    let serial = serial.to_asn1_integer().map_err(internal)?;
    let not_before = Asn1Time::days_from_now(0).map_err(internal)?;
    let not_after = Asn1Time::days_from_now(days).map_err(internal)?;
    let mut b = X509::builder().map_err(internal)?;
    b.set_version(2).map_err(internal)?;
    b.set_serial_number(&serial).map_err(internal)?;
    b.set_subject_name(subject).map_err(internal)?;
    b.set_issuer_name(subject).map_err(internal)?;
    b.set_pubkey(key).map_err(internal)?;
    b.set_not_before(&not_before).map_err(internal)?;
    b.set_not_after(&not_after).map_err(internal)?;
    b.append_extension(
        BasicConstraints::new()
            .critical()
            .build()
            .map_err(internal)?,
    )
    .map_err(internal)?;
    b.append_extension(role.key_usage().map_err(internal)?)
        .map_err(internal)?;
    let ski = SubjectKeyIdentifier::new()
        .build(&b.x509v3_context(None, None))
        .map_err(internal)?;
    b.append_extension(ski).map_err(internal)?;
    b.sign(key, MessageDigest::sha256()).map_err(internal)?;
    Ok(b.build())
}

/// A distinguished name as RFC 4514 text (last RDN first), values escaped.
fn rfc4514(name: &X509NameRef) -> String {
    let mut parts: Vec<String> = name
        .entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?");
            let value = e.data().to_string().unwrap_or_default();
            format!("{key}={}", escape_rfc4514(&value))
        })
        .collect();
    parts.reverse();
    parts.join(", ")
}

fn escape_rfc4514(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && matches!(c, '#' | ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Writes the six files into `dir` (created, mode 0700 on unix, if missing) and returns their
/// paths in [`DuKeyFiles::all`] order.
///
/// Private keys are PKCS#8 PEM created with mode 0600 (unix). Without `overwrite`, nothing is
/// written when any of the six exists (`io_error` naming it): replacing a key that COI has already
/// certified breaks the integration. With `overwrite`, each file is replaced atomically.
pub fn write_du_keys(keys: &DuKeys, dir: &Path, overwrite: bool) -> Result<Vec<PathBuf>> {
    let files = DuKeyFiles::in_dir(dir);
    // Encode everything first: an encoding failure must not leave half a key set on disk.
    let contents = [
        (keys.signing.private_key_pem()?, Secrecy::Secret),
        (keys.signing.csr_pem()?, Secrecy::Public),
        (keys.signing.certificate_pem()?, Secrecy::Public),
        (keys.encryption.private_key_pem()?, Secrecy::Secret),
        (keys.encryption.csr_pem()?, Secrecy::Public),
        (keys.encryption.certificate_pem()?, Secrecy::Public),
    ];
    create_dir(dir)?;
    if !overwrite {
        let existing: Vec<String> = files
            .all()
            .iter()
            .filter(|p| p.symlink_metadata().is_ok())
            .map(|p| p.display().to_string())
            .collect();
        if let Some(first) = existing.first() {
            return Err(Error::new(
                ErrorCode::IoError,
                format!(
                    "refusing to overwrite {first}: a key COI has certified must not be lost to a \
                     re-run; move the old files away, or pass overwrite (--force) to replace them"
                ),
            )
            .with("path", first.clone())
            .with("existing", existing));
        }
    }
    let mut written = Vec::with_capacity(contents.len());
    for (path, (bytes, secrecy)) in files.all().into_iter().zip(contents) {
        if overwrite {
            replace_file(path, &bytes, secrecy)?;
        } else {
            create_file(path, &bytes, secrecy)?;
        }
        written.push(path.to_path_buf());
    }
    Ok(written)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Secrecy {
    Secret,
    Public,
}

fn io_error(action: &str, path: &Path, e: std::io::Error) -> Error {
    let shown = path.display().to_string();
    Error::new(
        ErrorCode::IoError,
        format!("could not {action} {shown}: {e}"),
    )
    .with("path", shown)
}

fn create_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| io_error("create the directory", dir, e))
}

/// Creates `path`, failing if anything (even a dangling symlink) is there; the mode is set at
/// creation so a private key is never readable by others, not even briefly.
fn create_file(path: &Path, bytes: &[u8], secrecy: Secrecy) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(match secrecy {
            Secrecy::Secret => 0o600,
            Secrecy::Public => 0o644,
        });
    }
    #[cfg(not(unix))]
    let _ = secrecy;
    let mut file = options
        .open(path)
        .map_err(|e| io_error("create", path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error("write", path, e))
}

/// Writes a fresh file next to `path` and renames it over: readers see the old or the new file,
/// and a replaced key gets mode 0600 whatever the old file had.
fn replace_file(path: &Path, bytes: &[u8], secrecy: Secrecy) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    match std::fs::remove_file(&temp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(io_error("remove the stale temporary file", &temp, e))
        }
        _ => {}
    }
    create_file(&temp, bytes, secrecy)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io_error("replace", path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4514_escapes_specials() {
        assert_eq!(escape_rfc4514("Gmina X, powiat Y"), "Gmina X\\, powiat Y");
        assert_eq!(escape_rfc4514(" #a "), "\\ #a\\ ");
        assert_eq!(escape_rfc4514("#a"), "\\#a");
        assert_eq!(escape_rfc4514("plain"), "plain");
    }

    #[test]
    fn country_is_normalised_and_checked() {
        let mut o = KeyGenOptions::new("https://gmina.example.pl");
        o.country = Some("pl".into());
        assert_eq!(validate(&o).ok().flatten().as_deref(), Some("PL"));
        for bad in ["POL", "P1", "", "ПЛ"] {
            o.country = Some(bad.into());
            assert_eq!(
                validate(&o).err().map(|e| e.code()),
                Some(ErrorCode::ConfigInvalid),
                "{bad}"
            );
        }
        o.country = None;
        assert_eq!(validate(&o).ok(), Some(None));
    }

    #[test]
    fn control_characters_and_empty_values_are_refused() {
        for entity_id in ["", "  ", "https://a\n.pl", "a\u{1b}[0m"] {
            let e = validate(&KeyGenOptions::new(entity_id)).err();
            assert_eq!(
                e.map(|e| e.code()),
                Some(ErrorCode::ConfigInvalid),
                "{entity_id:?}"
            );
        }
        let o = KeyGenOptions::new("https://gmina.example.pl").with_organization("a\rb");
        assert!(validate(&o).is_err());
    }

    #[test]
    fn validity_range() {
        let mut o = KeyGenOptions::new("https://gmina.example.pl");
        o.self_signed_days = 0;
        assert!(validate(&o).is_err());
        o.self_signed_days = MAX_SELF_SIGNED_DAYS + 1;
        assert!(validate(&o).is_err());
        o.self_signed_days = MAX_SELF_SIGNED_DAYS;
        assert!(validate(&o).is_ok());
    }
}
