//! Service-provider settings: one schema (ARCHITECTURE.md) read from TOML, JSON or an in-memory
//! JSON value. Unknown keys and wrong types are errors naming the setting: a typo in a security
//! setting must never pass silently.

use super::environment::Environment;
use super::loa::Loa;
use crate::error::{Error, ErrorCode, Result};
use crate::xmlenc::KdfEncoding;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Whether the DU is a public body or a private entity (`eidas:SPType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpType {
    /// A public body (the default).
    Public,
    /// A private entity.
    Private,
}

impl SpType {
    /// The value written into `eidas:SPType`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpType::Public => "public",
            SpType::Private => "private",
        }
    }
}

/// Where key or certificate bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Material {
    /// A file (already resolved against the settings file's directory).
    Path(PathBuf),
    /// PEM text given inline.
    Pem(String),
}

impl Material {
    /// The bytes.
    pub fn read(&self, setting: &str) -> Result<Vec<u8>> {
        match self {
            Material::Pem(pem) => Ok(pem.as_bytes().to_vec()),
            Material::Path(p) => std::fs::read(p).map_err(|e| {
                Error::new(
                    ErrorCode::ConfigInvalid,
                    format!("`{setting}`: cannot read {}: {e}", p.display()),
                )
                .with("setting", setting)
                .with("path", p.display().to_string())
            }),
        }
    }
}

/// A private key: PEM, DER or PKCS#12, with an optional password.
#[derive(Clone, PartialEq, Eq)]
pub struct KeySource {
    /// The key bytes.
    pub material: Material,
    /// Password for PKCS#12 or encrypted PEM.
    pub password: Option<String>,
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let material = match &self.material {
            Material::Path(p) => format!("Path({})", p.display()),
            Material::Pem(_) => "Pem(…)".to_owned(),
        };
        f.debug_struct("KeySource")
            .field("material", &material)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

/// `[sp]`: this service provider (DU).
#[derive(Debug, Clone)]
pub struct SpSettings {
    /// The DU Issuer; also PartyVInfo in the KDF and the expected Audience.
    pub entity_id: String,
    /// The assertion consumer service URL (where WK POSTs the artifact).
    pub acs_url: String,
    /// The DU's own SOAP single-logout endpoint, published in metadata.
    pub slo_url: Option<String>,
    /// ProviderName as assigned at registration (required by integration since 2025).
    pub provider_name: Option<String>,
    /// `public` or `private`.
    pub sp_type: SpType,
    /// The minimum LoA requested and accepted.
    pub requested_loa: Loa,
    /// Key for signing requests.
    pub signing_key: Option<KeySource>,
    /// Certificate of the signing key.
    pub signing_cert: Option<Material>,
    /// Decryption keys (several during rotation).
    pub encryption_keys: Vec<KeySource>,
    /// Certificates of the encryption keys, published in metadata.
    pub encryption_certs: Vec<Material>,
}

/// `[idp]`: Węzeł Krajowy.
#[derive(Debug, Clone)]
pub struct IdpSettings {
    /// Which WK environment (implies the URLs and the issuer).
    pub environment: Environment,
    /// WK's Issuer (a bare host name).
    pub entity_id: String,
    /// Pinned WK signing certificates (several during rotation).
    pub signing_certs: Vec<Material>,
    /// SingleSignOnService URL, if known.
    pub sso_url: Option<String>,
    /// Artifact resolution service URL, if known.
    pub artifact_resolution_url: Option<String>,
    /// Single logout service URL, if known.
    pub slo_url: Option<String>,
}

/// `[security]`.
#[derive(Debug, Clone)]
pub struct SecuritySettings {
    /// Allowed clock difference with WK, both ways.
    pub clock_skew_seconds: u32,
    /// How ConcatKDF parameters are encoded (`wk` for WK).
    pub kdf_encoding: KdfEncoding,
}

/// `[http]`: the back channel to WK (an eidpl extension of the schema).
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Extra trusted CA certificates (PEM) for WK's TLS endpoint.
    pub ca_file: Option<PathBuf>,
    /// Whole-request timeout.
    pub timeout_seconds: u64,
    /// Connection timeout.
    pub connect_timeout_seconds: u64,
}

/// The whole settings document.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `[sp]`.
    pub sp: SpSettings,
    /// `[idp]`.
    pub idp: IdpSettings,
    /// `[security]`.
    pub security: SecuritySettings,
    /// `[http]`.
    pub http: HttpSettings,
}

fn invalid(setting: &str, message: impl Into<String>) -> Error {
    Error::new(
        ErrorCode::ConfigInvalid,
        format!("`{setting}`: {}", message.into()),
    )
    .with("setting", setting)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// Reads one table, tracking which keys were used so leftovers are reported.
struct Table<'v> {
    name: &'static str,
    map: &'v Map<String, Value>,
    base_dir: Option<&'v Path>,
}

impl<'v> Table<'v> {
    fn new(
        root: &'v Map<String, Value>,
        name: &'static str,
        known: &[&str],
        base_dir: Option<&'v Path>,
    ) -> Result<Table<'v>> {
        static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
        let map = match root.get(name) {
            None => &*EMPTY,
            Some(Value::Object(m)) => m,
            Some(other) => {
                return Err(invalid(
                    name,
                    format!("must be a table, got {}", type_name(other)),
                ))
            }
        };
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let hint = known
                    .iter()
                    .find(|k| similar(k, key))
                    .map(|k| format!(" (did you mean `{name}.{k}`?)"))
                    .unwrap_or_default();
                return Err(invalid(
                    &format!("{name}.{key}"),
                    format!("unknown setting{hint}; known: {}", known.join(", ")),
                ));
            }
        }
        Ok(Table {
            name,
            map,
            base_dir,
        })
    }

    fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.name)
    }

    fn get(&self, key: &str) -> Option<&'v Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => {
                Err(invalid(&self.path(key), "must not be empty"))
            }
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
            Some(other) => Err(invalid(
                &self.path(key),
                format!("must be a string, got {}", type_name(other)),
            )),
        }
    }

    fn required_string(&self, key: &str) -> Result<String> {
        self.string(key)?
            .ok_or_else(|| invalid(&self.path(key), "is required"))
    }

    fn url(&self, key: &str) -> Result<Option<String>> {
        let v = self.string(key)?;
        if let Some(u) = &v {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(invalid(
                    &self.path(key),
                    format!("must be an absolute http(s) URL, got `{u}`"),
                ));
            }
        }
        Ok(v)
    }

    fn integer(&self, key: &str, default: u64, max: u64) -> Result<u64> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Number(n)) => n.as_u64().filter(|n| *n <= max).ok_or_else(|| {
                invalid(
                    &self.path(key),
                    format!("must be a whole number from 0 to {max}, got {n}"),
                )
            }),
            Some(other) => Err(invalid(
                &self.path(key),
                format!("must be a number, got {}", type_name(other)),
            )),
        }
    }

    fn choice<T: Copy>(&self, key: &str, default: T, choices: &[(&str, T)]) -> Result<T> {
        let Some(v) = self.string(key)? else {
            return Ok(default);
        };
        choices
            .iter()
            .find(|(name, _)| *name == v)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
                invalid(
                    &self.path(key),
                    format!("must be one of {}, got `{v}`", names.join(", ")),
                )
                .expected_actual(names.join(" | "), v)
            })
    }

    fn material_from(&self, setting: &str, s: &str) -> Result<Material> {
        if s.contains("-----BEGIN ") {
            return Ok(Material::Pem(s.to_owned()));
        }
        let p = Path::new(s);
        if s.is_empty() {
            return Err(invalid(setting, "must not be empty"));
        }
        Ok(Material::Path(match self.base_dir {
            Some(base) if p.is_relative() => base.join(p),
            _ => p.to_path_buf(),
        }))
    }

    fn material(&self, key: &str) -> Result<Option<Material>> {
        self.string(key)?
            .map(|s| self.material_from(&self.path(key), &s))
            .transpose()
    }

    fn materials(&self, key: &str) -> Result<Vec<Material>> {
        self.list(key)?
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let setting = format!("{}[{i}]", self.path(key));
                match v {
                    Value::String(s) => self.material_from(&setting, s.trim()),
                    other => Err(invalid(
                        &setting,
                        format!("must be a path or PEM string, got {}", type_name(other)),
                    )),
                }
            })
            .collect()
    }

    fn list(&self, key: &str) -> Result<Vec<&'v Value>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.iter().collect()),
            // A single value where a list is expected is a common slip; accept it.
            Some(v @ (Value::String(_) | Value::Object(_))) => Ok(vec![v]),
            Some(other) => Err(invalid(
                &self.path(key),
                format!("must be a list, got {}", type_name(other)),
            )),
        }
    }

    fn key_source_from(&self, setting: &str, v: &Value) -> Result<KeySource> {
        match v {
            Value::String(s) => Ok(KeySource {
                material: self.material_from(setting, s.trim())?,
                password: None,
            }),
            Value::Object(m) => {
                const KNOWN: &[&str] = &["path", "pem", "password", "password_env"];
                if let Some(k) = m.keys().find(|k| !KNOWN.contains(&k.as_str())) {
                    return Err(invalid(
                        &format!("{setting}.{k}"),
                        format!("unknown setting; known: {}", KNOWN.join(", ")),
                    ));
                }
                let text = |k: &str| match m.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(other) => Err(invalid(
                        &format!("{setting}.{k}"),
                        format!("must be a string, got {}", type_name(other)),
                    )),
                };
                let material = match (text("path")?, text("pem")?) {
                    (Some(p), None) => self.material_from(setting, p.trim())?,
                    (None, Some(pem)) => Material::Pem(pem),
                    _ => return Err(invalid(setting, "give exactly one of `path` or `pem`")),
                };
                let password = match (text("password")?, text("password_env")?) {
                    (Some(p), None) => Some(p),
                    (None, Some(var)) => Some(std::env::var(&var).map_err(|_| {
                        invalid(
                            &format!("{setting}.password_env"),
                            format!("environment variable `{var}` is not set"),
                        )
                    })?),
                    (None, None) => None,
                    _ => {
                        return Err(invalid(
                            setting,
                            "give at most one of `password` or `password_env`",
                        ))
                    }
                };
                Ok(KeySource { material, password })
            }
            other => Err(invalid(
                setting,
                format!(
                    "must be a path, PEM text or a table {{ path, password }}, got {}",
                    type_name(other)
                ),
            )),
        }
    }

    fn key_source(&self, key: &str) -> Result<Option<KeySource>> {
        self.get(key)
            .map(|v| self.key_source_from(&self.path(key), v))
            .transpose()
    }

    fn key_sources(&self, key: &str) -> Result<Vec<KeySource>> {
        self.list(key)?
            .into_iter()
            .enumerate()
            .map(|(i, v)| self.key_source_from(&format!("{}[{i}]", self.path(key)), v))
            .collect()
    }
}

/// Close enough to be a typo: same length ±1 and at most two differing characters.
fn similar(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev.last().is_some_and(|d| *d <= 2)
}

impl Settings {
    /// Reads a `.toml` or `.json` file; relative paths inside are relative to the file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Settings> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorCode::ConfigInvalid,
                format!("cannot read settings file {}: {e}", path.display()),
            )
            .with("path", path.display().to_string())
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        if is_json {
            Settings::from_json_str(&text, Some(&base))
        } else {
            Settings::from_toml_str(&text, Some(&base))
        }
    }

    /// Parses TOML; relative paths are resolved against `base_dir` (or the working directory).
    pub fn from_toml_str(text: &str, base_dir: Option<&Path>) -> Result<Settings> {
        let value: Value = toml::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::ConfigInvalid,
                format!("settings are not valid TOML: {e}"),
            )
        })?;
        Settings::from_value(&value, base_dir)
    }

    /// Parses JSON; relative paths are resolved against `base_dir` (or the working directory).
    pub fn from_json_str(text: &str, base_dir: Option<&Path>) -> Result<Settings> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::ConfigInvalid,
                format!("settings are not valid JSON: {e}"),
            )
        })?;
        Settings::from_value(&value, base_dir)
    }

    /// Reads settings from an in-memory JSON value (what the language bindings pass).
    pub fn from_value(value: &Value, base_dir: Option<&Path>) -> Result<Settings> {
        let root = value.as_object().ok_or_else(|| {
            Error::new(
                ErrorCode::ConfigInvalid,
                format!(
                    "settings must be a table with [sp] and [idp], got {}",
                    type_name(value)
                ),
            )
        })?;
        const SECTIONS: &[&str] = &["sp", "idp", "security", "http"];
        if let Some(k) = root.keys().find(|k| !SECTIONS.contains(&k.as_str())) {
            return Err(invalid(
                k,
                format!("unknown section; known: {}", SECTIONS.join(", ")),
            ));
        }
        for required in ["sp", "idp"] {
            if !root.contains_key(required) {
                return Err(invalid(required, "the section is required"));
            }
        }
        let sp = read_sp(&Table::new(
            root,
            "sp",
            &[
                "entity_id",
                "acs_url",
                "slo_url",
                "provider_name",
                "sp_type",
                "requested_loa",
                "signing_key",
                "signing_cert",
                "encryption_keys",
                "encryption_certs",
            ],
            base_dir,
        )?)?;
        let idp = read_idp(&Table::new(
            root,
            "idp",
            &[
                "environment",
                "entity_id",
                "signing_certs",
                "sso_url",
                "artifact_resolution_url",
                "slo_url",
            ],
            base_dir,
        )?)?;
        let t = Table::new(
            root,
            "security",
            &["clock_skew_seconds", "kdf_encoding"],
            base_dir,
        )?;
        let security = SecuritySettings {
            clock_skew_seconds: u32::try_from(t.integer("clock_skew_seconds", 120, 3600)?)
                .unwrap_or(120),
            kdf_encoding: t.choice(
                "kdf_encoding",
                KdfEncoding::Wk,
                &[("wk", KdfEncoding::Wk), ("xmlenc11", KdfEncoding::Xmlenc11)],
            )?,
        };
        let t = Table::new(
            root,
            "http",
            &["ca_file", "timeout_seconds", "connect_timeout_seconds"],
            base_dir,
        )?;
        let http = HttpSettings {
            ca_file: match t.material("ca_file")? {
                Some(Material::Path(p)) => Some(p),
                Some(Material::Pem(_)) => {
                    return Err(invalid("http.ca_file", "must be a path to a PEM file"))
                }
                None => None,
            },
            timeout_seconds: t.integer("timeout_seconds", 30, 600)?,
            connect_timeout_seconds: t.integer("connect_timeout_seconds", 10, 600)?,
        };
        Ok(Settings {
            sp,
            idp,
            security,
            http,
        })
    }
}

fn read_sp(t: &Table<'_>) -> Result<SpSettings> {
    Ok(SpSettings {
        entity_id: t.required_string("entity_id")?,
        acs_url: t
            .url("acs_url")?
            .ok_or_else(|| invalid("sp.acs_url", "is required"))?,
        slo_url: t.url("slo_url")?,
        provider_name: t.string("provider_name")?,
        sp_type: t.choice(
            "sp_type",
            SpType::Public,
            &[("public", SpType::Public), ("private", SpType::Private)],
        )?,
        requested_loa: t.choice(
            "requested_loa",
            Loa::Substantial,
            &[
                ("low", Loa::Low),
                ("substantial", Loa::Substantial),
                ("high", Loa::High),
            ],
        )?,
        signing_key: t.key_source("signing_key")?,
        signing_cert: t.material("signing_cert")?,
        encryption_keys: t.key_sources("encryption_keys")?,
        encryption_certs: t.materials("encryption_certs")?,
    })
}

fn read_idp(t: &Table<'_>) -> Result<IdpSettings> {
    let environment = t.choice(
        "environment",
        Environment::Custom,
        &Environment::ALL.map(|e| (e.as_str(), e)),
    )?;
    if t.get("environment").is_none() {
        return Err(invalid(
            "idp.environment",
            "is required: simulator, integration, integration-external, production or custom",
        ));
    }
    let entity_id = match (t.string("entity_id")?, environment.issuer()) {
        (Some(id), _) => id,
        (None, Some(default)) => default.to_owned(),
        (None, None) => {
            return Err(invalid(
                "idp.entity_id",
                "is required when `idp.environment` is `custom`",
            ))
        }
    };
    let url = |key: &str, path: &str| -> Result<Option<String>> {
        Ok(t.url(key)?
            .or_else(|| environment.base_url().map(|b| format!("{b}{path}"))))
    };
    Ok(IdpSettings {
        environment,
        entity_id,
        signing_certs: t.materials("signing_certs")?,
        sso_url: url("sso_url", "/login/SingleSignOnService")?,
        artifact_resolution_url: url(
            "artifact_resolution_url",
            "/login-services/idpArtifactResolutionService",
        )?,
        slo_url: url("slo_url", "/login-services/singleLogoutService")?,
    })
}
