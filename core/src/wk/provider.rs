//! [`ServiceProvider`]: settings resolved into keys once, then shared by every request.

use super::replay::{InMemoryReplayStore, ReplayStore};
use super::settings::{KeySource, Material, Settings};
use crate::dsig::{EnvelopedSigner, TrustedKeys};
use crate::error::{Error, ErrorCode, Result};
use crate::pki;
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;
use std::sync::Arc;

/// A Węzeł Krajowy service provider (DU). Cheap to share: build it once at start-up and use it
/// from any number of threads.
#[derive(Clone)]
pub struct ServiceProvider {
    pub(crate) settings: Settings,
    pub(crate) signer: Option<EnvelopedSigner>,
    pub(crate) signing_cert: Option<X509>,
    pub(crate) decryption_keys: Vec<PKey<Private>>,
    pub(crate) encryption_certs: Vec<X509>,
    pub(crate) wk_keys: TrustedKeys,
    pub(crate) replay: Arc<dyn ReplayStore>,
}

impl std::fmt::Debug for ServiceProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceProvider")
            .field("entity_id", &self.settings.sp.entity_id)
            .field("wk_issuer", &self.settings.idp.entity_id)
            .field("can_sign", &self.signer.is_some())
            .field("decryption_keys", &self.decryption_keys.len())
            .field("pinned_wk_keys", &self.wk_keys.len())
            .finish()
    }
}

pub(crate) fn config_error(setting: &str, message: impl Into<String>) -> Error {
    Error::new(
        ErrorCode::ConfigInvalid,
        format!("`{setting}`: {}", message.into()),
    )
    .with("setting", setting)
}

/// Re-labels a key-loading error with the setting it came from.
fn in_setting(setting: &str) -> impl Fn(Error) -> Error + '_ {
    move |e| config_error(setting, e.message()).with("cause", e.code().as_str())
}

fn load_key(source: &KeySource, setting: &str) -> Result<(PKey<Private>, Option<X509>)> {
    let bytes = source.material.read(setting)?;
    if pki::is_pkcs12(&bytes) {
        let password = source.password.as_deref().ok_or_else(|| {
            config_error(
                setting,
                "is a PKCS#12 file: give it as { path = \"…\", password = \"…\" }",
            )
        })?;
        let p12 = pki::load_pkcs12(&bytes, password).map_err(in_setting(setting))?;
        return Ok((p12.key, p12.certificate));
    }
    let key = pki::load_private_key_any(&bytes, source.password.as_deref())
        .map_err(in_setting(setting))?;
    Ok((key, None))
}

fn load_cert(material: &Material, setting: &str) -> Result<Vec<X509>> {
    pki::load_certificates(&material.read(setting)?).map_err(in_setting(setting))
}

impl ServiceProvider {
    /// Loads every key and certificate the settings name. Errors name the setting.
    pub fn new(settings: Settings) -> Result<ServiceProvider> {
        let (signer, signing_cert) = match (&settings.sp.signing_key, &settings.sp.signing_cert) {
            (None, None) => (None, None),
            (Some(key), cert) => {
                let (key, bundled) = load_key(key, "sp.signing_key")?;
                let cert = match (cert, bundled) {
                    (Some(m), _) => load_cert(m, "sp.signing_cert")?.into_iter().next(),
                    (None, bundled) => bundled,
                }
                .ok_or_else(|| {
                    config_error("sp.signing_cert", "is required with `sp.signing_key`")
                })?;
                let signer =
                    EnvelopedSigner::new(key, &cert).map_err(in_setting("sp.signing_key"))?;
                (Some(signer), Some(cert))
            }
            (None, Some(_)) => {
                return Err(config_error(
                    "sp.signing_key",
                    "is required with `sp.signing_cert`",
                ))
            }
        };
        let mut decryption_keys = Vec::new();
        let mut encryption_certs = Vec::new();
        for (i, source) in settings.sp.encryption_keys.iter().enumerate() {
            let setting = format!("sp.encryption_keys[{i}]");
            let (key, cert) = load_key(source, &setting)?;
            if key.ec_key().is_err() {
                return Err(config_error(
                    &setting,
                    "WK encrypts to EC P-256 keys; this is not an EC key",
                ));
            }
            decryption_keys.push(key);
            encryption_certs.extend(cert);
        }
        for (i, m) in settings.sp.encryption_certs.iter().enumerate() {
            encryption_certs.extend(load_cert(m, &format!("sp.encryption_certs[{i}]"))?);
        }
        let mut wk_keys = TrustedKeys::new();
        for (i, m) in settings.idp.signing_certs.iter().enumerate() {
            let setting = format!("idp.signing_certs[{i}]");
            for cert in load_cert(m, &setting)? {
                wk_keys
                    .add_certificate(cert)
                    .map_err(in_setting(&setting))?;
            }
        }
        Ok(ServiceProvider {
            settings,
            signer,
            signing_cert,
            decryption_keys,
            encryption_certs,
            wk_keys,
            replay: Arc::new(InMemoryReplayStore::default()),
        })
    }

    /// Reads settings from a TOML or JSON file and loads the keys.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<ServiceProvider> {
        ServiceProvider::new(Settings::from_file(path)?)
    }

    /// Replaces the in-memory replay store (e.g. with one shared by several processes).
    #[must_use]
    pub fn with_replay_store(mut self, store: Arc<dyn ReplayStore>) -> Self {
        self.replay = store;
        self
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn signer(&self) -> Result<&EnvelopedSigner> {
        self.signer.as_ref().ok_or_else(|| {
            config_error(
                "sp.signing_key",
                "is required to build signed requests (with `sp.signing_cert`)",
            )
        })
    }

    pub(crate) fn url(&self, value: &Option<String>, setting: &str) -> Result<String> {
        value.clone().ok_or_else(|| {
            config_error(
                setting,
                "is required for this call (`idp.environment = \"custom\"` has no default URLs)",
            )
        })
    }
}
