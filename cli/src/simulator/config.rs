//! Simulator configuration: WK's issuer and the registered service providers (DUs).

use eidpl::dsig::TrustedKeys;
use eidpl::wk::{Material, Settings};
use eidpl::{Error, ErrorCode, Result};
use openssl::pkey::{PKey, Public};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A DU registered with the simulator, as COI registers one.
#[derive(Clone)]
pub(crate) struct RegisteredDu {
    pub entity_id: String,
    pub provider_name: Option<String>,
    pub signing_keys: TrustedKeys,
    pub encryption_key: PKey<Public>,
    /// Allowed ACS URLs; empty = any.
    pub acs_urls: Vec<String>,
}

/// The whole configuration.
#[derive(Clone)]
pub(crate) struct SimulatorConfig {
    pub issuer: String,
    pub artifact_ttl_seconds: i64,
    pub dus: Vec<RegisteredDu>,
}

pub(crate) const DEFAULT_ISSUER: &str = "symulator.eidpl.local";

fn invalid(setting: &str, message: impl Into<String>) -> Error {
    Error::new(
        ErrorCode::ConfigInvalid,
        format!("`{setting}`: {}", message.into()),
    )
    .with("setting", setting)
}

fn read(path: &Path, setting: &str) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| invalid(setting, format!("cannot read {}: {e}", path.display())))
}

fn material_bytes(m: &Material, setting: &str) -> Result<Vec<u8>> {
    match m {
        Material::Pem(p) => Ok(p.as_bytes().to_vec()),
        Material::Path(p) => read(p, setting),
    }
}

impl RegisteredDu {
    /// Registers a DU from its own eidpl settings (what an integrator already has).
    pub(crate) fn from_settings(settings: &Settings, setting: &str) -> Result<RegisteredDu> {
        let sp = &settings.sp;
        let cert = sp
            .signing_cert
            .as_ref()
            .ok_or_else(|| invalid(setting, "the DU settings have no `sp.signing_cert`"))?;
        let signing_keys = TrustedKeys::from_pem(&material_bytes(cert, setting)?)?;
        let enc = sp
            .encryption_certs
            .first()
            .ok_or_else(|| invalid(setting, "the DU settings have no `sp.encryption_certs`"))?;
        let enc = eidpl::pki::load_certificates(&material_bytes(enc, setting)?)?;
        let encryption_key = enc
            .first()
            .and_then(|c| c.public_key().ok())
            .ok_or_else(|| invalid(setting, "no usable encryption certificate"))?;
        Ok(RegisteredDu {
            entity_id: sp.entity_id.clone(),
            provider_name: sp.provider_name.clone(),
            signing_keys,
            encryption_key,
            acs_urls: vec![sp.acs_url.clone()],
        })
    }
}

fn string(v: &Value, setting: &str) -> Result<Option<String>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(invalid(setting, "must be a string")),
    }
}

fn resolve(base: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_relative() {
        base.join(p)
    } else {
        p.to_path_buf()
    }
}

impl SimulatorConfig {
    /// Defaults with no DU registered (the demo registers its own).
    pub(crate) fn empty() -> Self {
        SimulatorConfig {
            issuer: DEFAULT_ISSUER.to_owned(),
            artifact_ttl_seconds: 60,
            dus: Vec::new(),
        }
    }

    /// Reads a TOML file:
    /// `[simulator] issuer, artifact_ttl_seconds` and `[[du]]` tables with either
    /// `sp_settings = "eidpl.toml"` or `entity_id, provider_name, signing_cert, encryption_cert, acs_urls`.
    pub(crate) fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| invalid("--config", format!("cannot read {}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let root: Value = toml::from_str(&text)
            .map_err(|e| invalid("--config", format!("not valid TOML: {e}")))?;
        let mut config = SimulatorConfig::empty();
        let Some(root) = root.as_object() else {
            return Err(invalid("--config", "must be a table"));
        };
        for key in root.keys() {
            if key != "simulator" && key != "du" {
                return Err(invalid(key, "unknown section; known: simulator, du"));
            }
        }
        if let Some(sim) = root.get("simulator").and_then(Value::as_object) {
            for (k, v) in sim {
                match k.as_str() {
                    "issuer" => {
                        config.issuer = string(v, "simulator.issuer")?
                            .ok_or_else(|| invalid("simulator.issuer", "must not be empty"))?
                    }
                    "artifact_ttl_seconds" => {
                        config.artifact_ttl_seconds = v
                            .as_i64()
                            .filter(|n| (1..=3600).contains(n))
                            .ok_or_else(|| {
                                invalid("simulator.artifact_ttl_seconds", "must be 1 to 3600")
                            })?
                    }
                    other => {
                        return Err(invalid(
                            &format!("simulator.{other}"),
                            "unknown setting; known: issuer, artifact_ttl_seconds",
                        ))
                    }
                }
            }
        }
        let dus = match root.get("du") {
            None => Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(_) => return Err(invalid("du", "must be a list of [[du]] tables")),
        };
        for (i, du) in dus.iter().enumerate() {
            let setting = format!("du[{i}]");
            let Some(t) = du.as_object() else {
                return Err(invalid(&setting, "must be a table"));
            };
            let get = |k: &str| string(t.get(k).unwrap_or(&Value::Null), &format!("{setting}.{k}"));
            if let Some(p) = get("sp_settings")? {
                let settings = Settings::from_file(resolve(base, &p))?;
                config
                    .dus
                    .push(RegisteredDu::from_settings(&settings, &setting)?);
                continue;
            }
            const KNOWN: &[&str] = &[
                "entity_id",
                "provider_name",
                "signing_cert",
                "encryption_cert",
                "acs_urls",
            ];
            if let Some(k) = t.keys().find(|k| !KNOWN.contains(&k.as_str())) {
                return Err(invalid(
                    &format!("{setting}.{k}"),
                    format!("unknown setting; known: sp_settings, {}", KNOWN.join(", ")),
                ));
            }
            let need =
                |k: &str| get(k)?.ok_or_else(|| invalid(&format!("{setting}.{k}"), "is required"));
            let signing = read(
                &resolve(base, &need("signing_cert")?),
                &format!("{setting}.signing_cert"),
            )?;
            let enc = read(
                &resolve(base, &need("encryption_cert")?),
                &format!("{setting}.encryption_cert"),
            )?;
            let encryption_key = eidpl::pki::load_certificates(&enc)?
                .first()
                .and_then(|c| c.public_key().ok())
                .ok_or_else(|| {
                    invalid(
                        &format!("{setting}.encryption_cert"),
                        "no usable certificate",
                    )
                })?;
            let acs_urls = match t.get("acs_urls") {
                None => Vec::new(),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|u| {
                        u.as_str().map(str::to_owned).ok_or_else(|| {
                            invalid(&format!("{setting}.acs_urls"), "must be strings")
                        })
                    })
                    .collect::<Result<_>>()?,
                Some(_) => return Err(invalid(&format!("{setting}.acs_urls"), "must be a list")),
            };
            config.dus.push(RegisteredDu {
                entity_id: need("entity_id")?,
                provider_name: get("provider_name")?,
                signing_keys: TrustedKeys::from_pem(&signing)?,
                encryption_key,
                acs_urls,
            });
        }
        Ok(config)
    }
}
