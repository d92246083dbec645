//! Encrypting an element into `xenc:EncryptedData` in exactly the shape WK sends (prefixes,
//! element order, Id attributes, the content DigestMethod, uppercase hex KDF parameters, no
//! whitespace), for the IdP simulator and for tests of every decryptor that must read it.

use super::algorithms::{
    ContentAlgorithm, Curve, KeyWrap, CONCAT_KDF, ECDH_ES, ELEMENT_TYPE, SHA256,
};
use super::cipher::{aes_gcm_encrypt, aes_key_wrap, ecdh_shared_secret};
use super::kdf::{concat_kdf, encode_field, other_info, KdfEncoding};
use crate::error::{Error, ErrorCode, Result};
use crate::xml::ns;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use openssl::bn::BigNumContext;
use openssl::ec::{EcKey, PointConversionForm};
use openssl::pkey::{HasPublic, PKey, PKeyRef, Private, Public};

/// How to encrypt. `EncryptOptions::wk(issuer, entity_id)` is what WK does.
#[derive(Clone, Default)]
pub struct EncryptOptions {
    /// How the KDF attributes are written (`Wk`: `uint32_be(len) ‖ ASCII`; `Xmlenc11`: the same
    /// behind a `00` padding-count octet).
    pub encoding: KdfEncoding,
    /// The sender (WK's issuer), written to PartyUInfo.
    pub party_u: String,
    /// The recipient (the DU's entity id), written to PartyVInfo.
    pub party_v: String,
    /// The content algorithm URI written (AES-GCM; aes256-gcm by default); the key wrap matches it.
    pub content_algorithm: ContentAlgorithm,
    /// A fixed content key of 16, 24 or 32 bytes (tests; a 16-byte key under aes256-gcm is the
    /// production quirk). None: a fresh random key of the algorithm's size.
    pub cek: Option<Vec<u8>>,
    /// A fixed ephemeral key on the recipient's curve (tests: force a `Z` with a leading zero
    /// byte). None: a fresh key, which is what ECDH-ES requires in production.
    pub ephemeral_key: Option<PKey<Private>>,
    /// `Id` of the EncryptedData; None: a fresh `ID-<uuid v4>`.
    pub data_id: Option<String>,
    /// `Id` of the EncryptedKey; None: a fresh `ID-<uuid v4>`.
    pub key_id: Option<String>,
    /// Declare `xenc`, `ds`, `xenc11` and `dsig11` on the EncryptedData. WK declares them on the
    /// enclosing ArtifactResponse instead (false, the default).
    pub declare_namespaces: bool,
}

impl EncryptOptions {
    /// WK's settings: `Wk` encoding, aes256-gcm, fresh keys and ids, namespaces from the parent.
    pub fn wk(party_u: impl Into<String>, party_v: impl Into<String>) -> Self {
        EncryptOptions {
            party_u: party_u.into(),
            party_v: party_v.into(),
            ..EncryptOptions::default()
        }
    }
}

impl std::fmt::Debug for EncryptOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key material stays out of logs.
        f.debug_struct("EncryptOptions")
            .field("encoding", &self.encoding)
            .field("party_u", &self.party_u)
            .field("party_v", &self.party_v)
            .field("content_algorithm", &self.content_algorithm)
            .field("cek", &self.cek.as_ref().map(|_| "<fixed>"))
            .field(
                "ephemeral_key",
                &self.ephemeral_key.as_ref().map(|_| "<fixed>"),
            )
            .field("data_id", &self.data_id)
            .field("key_id", &self.key_id)
            .field("declare_namespaces", &self.declare_namespaces)
            .finish()
    }
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorCode::InvalidInput, message)
}

fn internal(e: openssl::error::ErrorStack) -> Error {
    Error::new(ErrorCode::Internal, format!("OpenSSL: {e}"))
}

/// Encrypts `plaintext` (one serialized element) to `recipient` (an EC key on P-256, P-384 or
/// P-521) and returns the `xenc:EncryptedData` fragment.
pub fn encrypt_element(
    plaintext: &[u8],
    recipient: &PKey<Public>,
    options: &EncryptOptions,
) -> Result<String> {
    let curve = Curve::of_key(recipient)
        .ok_or_else(|| invalid("the recipient key must be an EC key on P-256, P-384 or P-521"))?;
    let recipient_point = uncompressed_point(recipient)?;
    let cek = match &options.cek {
        Some(cek) if matches!(cek.len(), 16 | 24 | 32) => cek.clone(),
        Some(_) => return Err(invalid("a content key must be 16, 24 or 32 bytes")),
        None => {
            let mut cek = vec![0u8; options.content_algorithm.key_len()];
            openssl::rand::rand_priv_bytes(&mut cek).map_err(internal)?;
            cek
        }
    };
    let ephemeral = match &options.ephemeral_key {
        Some(key) if Curve::of_key(key) == Some(curve) => key.clone(),
        Some(_) => {
            return Err(invalid(
                "the ephemeral key must be on the recipient's curve",
            ))
        }
        None => {
            let group = openssl::ec::EcGroup::from_curve_name(curve.nid()).map_err(internal)?;
            PKey::from_ec_key(EcKey::generate(&group).map_err(internal)?).map_err(internal)?
        }
    };
    let (data_id, key_id) = (
        id_or_fresh(&options.data_id)?,
        id_or_fresh(&options.key_id)?,
    );
    if data_id == key_id {
        return Err(invalid("data_id and key_id must differ"));
    }
    // ecdh_shared_secret also validates the recipient's point on its curve.
    let z = ecdh_shared_secret(&ephemeral, &recipient_point)
        .map_err(|_| invalid("the recipient key is not a valid EC public key"))?;
    let wrap = KeyWrap::matching(options.content_algorithm);
    let field = |value: &str| {
        encode_field(value.as_bytes(), options.encoding)
            .ok_or_else(|| invalid("a KDF party value is too long"))
    };
    let (algorithm_id, party_u, party_v) = (
        field(wrap.uri())?,
        field(&options.party_u)?,
        field(&options.party_v)?,
    );
    let info = other_info(&algorithm_id, &party_u, &party_v, options.encoding)?;
    let kek = concat_kdf(&z, &info, wrap.kek_len());
    let wrapped = aes_key_wrap(&kek, &cek)?;
    let cipher_data = aes_gcm_encrypt(&cek, plaintext)?;
    let namespaces = if options.declare_namespaces {
        format!(
            r#" xmlns:xenc="{}" xmlns:ds="{}" xmlns:xenc11="{}" xmlns:dsig11="{}""#,
            ns::XENC,
            ns::DS,
            ns::XENC11,
            ns::DSIG11
        )
    } else {
        String::new()
    };
    Ok(format!(
        concat!(
            r#"<xenc:EncryptedData{namespaces} Id="{data_id}" Type="{element_type}">"#,
            r#"<xenc:EncryptionMethod Algorithm="{content}"><ds:DigestMethod Algorithm="{sha256}"/></xenc:EncryptionMethod>"#,
            r#"<ds:KeyInfo><xenc:EncryptedKey Id="{key_id}"><xenc:EncryptionMethod Algorithm="{wrap}"/>"#,
            r#"<ds:KeyInfo><xenc:AgreementMethod Algorithm="{ecdh}">"#,
            r#"<xenc11:KeyDerivationMethod Algorithm="{kdf}">"#,
            r#"<xenc11:ConcatKDFParams AlgorithmID="{algorithm_id}" PartyUInfo="{party_u}" PartyVInfo="{party_v}">"#,
            r#"<ds:DigestMethod Algorithm="{sha256}"/></xenc11:ConcatKDFParams></xenc11:KeyDerivationMethod>"#,
            r#"<xenc:OriginatorKeyInfo><ds:KeyValue><dsig11:ECKeyValue><dsig11:NamedCurve URI="{curve}"/>"#,
            r#"<dsig11:PublicKey>{ephemeral}</dsig11:PublicKey></dsig11:ECKeyValue></ds:KeyValue></xenc:OriginatorKeyInfo>"#,
            r#"</xenc:AgreementMethod></ds:KeyInfo>"#,
            r#"<xenc:CipherData><xenc:CipherValue>{wrapped}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>"#,
            r#"<xenc:CipherData><xenc:CipherValue>{cipher_data}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>"#,
        ),
        namespaces = namespaces,
        data_id = data_id,
        element_type = ELEMENT_TYPE,
        content = options.content_algorithm.uri(),
        sha256 = SHA256,
        key_id = key_id,
        wrap = wrap.uri(),
        ecdh = ECDH_ES,
        kdf = CONCAT_KDF,
        algorithm_id = algorithm_id,
        party_u = party_u,
        party_v = party_v,
        curve = curve.uri(),
        ephemeral = B64.encode(uncompressed_point(&ephemeral)?),
        wrapped = B64.encode(wrapped),
        cipher_data = B64.encode(cipher_data),
    ))
}

fn uncompressed_point<T: HasPublic>(key: &PKeyRef<T>) -> Result<Vec<u8>> {
    let ec = key
        .ec_key()
        .map_err(|_| invalid("the key must be an EC key"))?;
    let mut ctx = BigNumContext::new().map_err(internal)?;
    ec.public_key()
        .to_bytes(ec.group(), PointConversionForm::UNCOMPRESSED, &mut ctx)
        .map_err(internal)
}

/// A caller's Id (an NCName of safe characters, so it never needs escaping) or a fresh one.
fn id_or_fresh(id: &Option<String>) -> Result<String> {
    let Some(id) = id else {
        return fresh_id();
    };
    let mut chars = id.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if first_ok && rest_ok && id.len() <= 256 {
        Ok(id.clone())
    } else {
        Err(invalid(
            "an Id must start with a letter or '_' and hold only letters, digits, '-', '_', '.'",
        ))
    }
}

/// `ID-` and a random (version 4) UUID, as WK writes its ids.
fn fresh_id() -> Result<String> {
    let mut b = [0u8; 16];
    openssl::rand::rand_bytes(&mut b).map_err(internal)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "ID-{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}
