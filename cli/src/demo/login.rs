//! The whole WK login over real HTTP on loopback: keys generated into a temp dir, the local
//! simulator started in-process, and eidpl's service provider doing AuthnRequest → SSO form →
//! artifact → ArtifactResolve → verified identity → logout. Then WK's error cases.

use crate::simulator::{self, config::RegisteredDu, config::SimulatorConfig};
use eidpl::dsig::TrustedKeys;
use eidpl::wk::keygen::{generate_du_keys, write_du_keys, DuKeyFiles, KeyGenOptions};
use eidpl::wk::{AuthnRequestOptions, Expected, ServiceProvider, Settings};
use eidpl::{Error, ErrorCode, Result};
use std::path::{Path, PathBuf};

const ENTITY: &str = "https://gmina-demo.example.pl";
const ACS: &str = "https://gmina-demo.example.pl/wk/acs";

fn fail(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::HttpError, e.to_string())
}

/// A fresh directory under the system temp dir, removed on drop.
pub(crate) struct TempDir(pub PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> Result<TempDir> {
        let mut rnd = [0u8; 8];
        openssl::rand::rand_bytes(&mut rnd)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let name: String = rnd.iter().map(|b| format!("{b:02x}")).collect();
        let dir = std::env::temp_dir().join(format!("eidpl-{tag}-{name}"));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The value of `<input … name="NAME" value="…">` in a page we generated ourselves.
pub(crate) fn form_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    let end = at + html[at..].find('"')?;
    Some(
        html[at..end]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a browser does with the auto-submitting form, plus the simulator's scripted choice.
pub(crate) fn browser_login(
    sso_url: &str,
    saml_request: &str,
    relay_state: &str,
    citizen: &str,
    scenario: &str,
) -> Result<String> {
    let body = format!(
        "SAMLRequest={}&RelayState={}&eidpl_citizen={}&eidpl_scenario={}",
        urlencode(saml_request),
        urlencode(relay_state),
        urlencode(citizen),
        urlencode(scenario)
    );
    let mut response = ureq::post(sso_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(body.as_bytes())
        .map_err(fail)?;
    let page = response.body_mut().read_to_string().map_err(fail)?;
    form_value(&page, "SAMLart")
        .ok_or_else(|| fail(format!("no SAMLart in the simulator's answer: {page}")))
}

/// Generated DU keys, the simulator registered for them, and the DU's settings.
pub(crate) struct Setup {
    pub running: simulator::Running,
    pub sp: ServiceProvider,
    pub _dir: TempDir,
}

pub(crate) fn setup() -> Result<Setup> {
    let dir = TempDir::new("demo")?;
    let keys = generate_du_keys(&KeyGenOptions::new(ENTITY).with_organization("Gmina Demo"))?;
    let du_dir = dir.0.join("du");
    write_du_keys(&keys, &du_dir, false)?;
    let files = DuKeyFiles::in_dir(&du_dir);
    let (wk_key, wk_cert, wk_cert_path, _) = simulator::wk_keys(&dir.0.join("wk"))?;
    let mut config = SimulatorConfig::empty();
    let mut du_keys = TrustedKeys::new();
    du_keys.add_certificate(keys.signing.certificate.clone())?;
    config.dus.push(RegisteredDu {
        entity_id: ENTITY.into(),
        provider_name: Some("Gmina Demo".into()),
        signing_keys: du_keys,
        encryption_key: keys
            .encryption
            .certificate
            .public_key()
            .map_err(|e| Error::new(ErrorCode::KeyInvalid, e.to_string()))?,
        acs_urls: vec![ACS.into()],
    });
    let issuer = config.issuer.clone();
    let running = simulator::start(config, wk_key, wk_cert, "127.0.0.1:0")?;
    let settings = format!(
        "[sp]\nentity_id = \"{ENTITY}\"\nacs_url = \"{ACS}\"\nprovider_name = \"Gmina Demo\"\nsigning_key = \"{}\"\nsigning_cert = \"{}\"\nencryption_keys = [\"{}\"]\nencryption_certs = [\"{}\"]\n\n{}",
        toml_path(&files.signing_key),
        toml_path(&files.signing_cert),
        toml_path(&files.encryption_key),
        toml_path(&files.encryption_cert),
        running.idp_settings(&issuer, &wk_cert_path)
    );
    let sp = ServiceProvider::new(Settings::from_toml_str(&settings, None)?)?;
    Ok(Setup {
        running,
        sp,
        _dir: dir,
    })
}

fn toml_path(p: &Path) -> String {
    p.display().to_string().replace('\\', "\\\\")
}

/// One login; returns the error when the SP rejects it.
pub(crate) fn log_in(
    s: &Setup,
    citizen: &str,
    scenario: &str,
) -> Result<(eidpl::wk::LoginResult, String)> {
    let request = s.sp.authn_request(&AuthnRequestOptions {
        relay_state: Some("/sprawy/moje".into()),
        ..Default::default()
    })?;
    let artifact = browser_login(
        &request.destination,
        &request.saml_request,
        "/sprawy/moje",
        citizen,
        scenario,
    )?;
    let expected = Expected {
        authn_request_id: &request.id,
        ..Default::default()
    };
    let result = s.sp.resolve_artifact(&artifact, &expected)?;
    Ok((result, artifact))
}

pub(crate) fn story(all_ok: &mut bool) -> Result<()> {
    let s = setup()?;
    println!(
        "1. A whole login through the local WK simulator at {} (real HTTP on loopback):",
        s.running.base_url
    );
    println!("  DU keys and CSRs generated, simulator registered the DU, WK keys generated");
    let (login, artifact) = log_in(&s, "jan", "success")?;
    let p = &login.person;
    println!(
        "  AuthnRequest → SSO form → SAMLart → ArtifactResolve → verified, decrypted assertion:\n            {} {}, PESEL {}, born {}, LoA {}, via {}",
        p.given_name.as_deref().unwrap_or("?"),
        p.family_name.as_deref().unwrap_or("?"),
        p.pesel.as_deref().unwrap_or("?"),
        p.date_of_birth.as_deref().unwrap_or("?"),
        login.loa.as_str(),
        login.authenticating_authority.as_deref().unwrap_or("?")
    );
    let logout = s.sp.logout(&login.name_id, &login.session_index)?;
    println!(
        "  logout    {}",
        if logout.complete {
            "WK ended the session"
        } else {
            "partial"
        }
    );

    println!("\n2. WK's error cases, each with its stable code at the service provider:");
    let replay = {
        // The same artifact a second time.
        let request = s.sp.authn_request(&AuthnRequestOptions::default())?;
        s.sp.resolve_artifact(
            &artifact,
            &Expected {
                authn_request_id: &request.id,
                ..Default::default()
            },
        )
    };
    *all_ok &= expect_rejection(
        "artifact used twice",
        replay.map(|_| ()),
        ErrorCode::StatusNotSuccess,
    );
    for (scenario, label, code) in [
        (
            "authn_failed",
            "citizen cancelled at WK (AuthnFailed, assertion still attached)",
            ErrorCode::StatusNotSuccess,
        ),
        (
            "clock_behind",
            "WK's clock two hours behind",
            ErrorCode::Expired,
        ),
        (
            "loa_low",
            "authenticated at LoA low only",
            ErrorCode::LoaInsufficient,
        ),
        (
            "artifact_expired",
            "artifact expired before resolution",
            ErrorCode::StatusNotSuccess,
        ),
    ] {
        *all_ok &= expect_rejection(label, login_only(&s, "anna", scenario), code);
    }
    match log_in(&s, "zofia", "cek16") {
        Ok((r, _)) => println!(
            "  accepted  16-byte content key under aes256-gcm (production quirk): {} {}",
            r.person.given_name.unwrap_or_default(),
            r.person.family_name.unwrap_or_default()
        ),
        Err(e) => {
            *all_ok = false;
            println!("  FAILED    16-byte content key: {e}");
        }
    }
    s.running.stop();
    Ok(())
}

fn login_only(s: &Setup, citizen: &str, scenario: &str) -> Result<()> {
    log_in(s, citizen, scenario).map(|_| ())
}

fn expect_rejection(label: &str, outcome: Result<()>, code: ErrorCode) -> bool {
    super::rejected(label, outcome) == Some(code)
}
