//! `eidpl wk …`: the service-provider calls from the command line (for scripts, debugging an
//! integration, and validating a recorded message at a past time).

use crate::Outcome;
use eidpl::time::UtcTime;
use eidpl::wk::{AuthnRequestOptions, Expected, Loa, ServiceProvider};
use eidpl::{Error, ErrorCode, Result};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub(crate) enum WkCommand {
    /// Builds a signed AuthnRequest and the auto-submitting POST form.
    AuthnRequest {
        #[command(flatten)]
        common: Common,
        /// RelayState returned by WK with the artifact (≤ 80 bytes).
        #[arg(long)]
        relay_state: Option<String>,
        /// Minimum LoA for this login: low, substantial or high.
        #[arg(long, value_parser = ["low", "substantial", "high"])]
        loa: Option<String>,
    },
    /// Builds the signed SOAP ArtifactResolve for a SAMLart value.
    ArtifactResolve {
        #[command(flatten)]
        common: Common,
        /// The SAMLart value, verbatim.
        #[arg(long)]
        artifact: String,
    },
    /// Validates WK's answer (SOAP envelope, ArtifactResponse or Response) and prints the identity.
    Validate {
        #[command(flatten)]
        common: Common,
        /// The file with WK's answer.
        #[arg(long)]
        response: PathBuf,
        /// The AuthnRequest ID kept in the session.
        #[arg(long)]
        request_id: String,
        /// The ArtifactResolve ID (required for an ArtifactResponse).
        #[arg(long)]
        artifact_resolve_id: Option<String>,
        /// Validation time, RFC 3339 (default: now).
        #[arg(long)]
        now: Option<String>,
    },
    /// Sends the ArtifactResolve to WK over HTTPS and validates the answer.
    Resolve {
        #[command(flatten)]
        common: Common,
        /// The SAMLart value, verbatim.
        #[arg(long)]
        artifact: String,
        /// The AuthnRequest ID kept in the session.
        #[arg(long)]
        request_id: String,
    },
    /// Builds the signed SOAP LogoutRequest for a session.
    LogoutRequest {
        #[command(flatten)]
        common: Common,
        /// NameID exactly as in the login result.
        #[arg(long)]
        name_id: String,
        /// SessionIndex from the login result.
        #[arg(long)]
        session_index: String,
    },
    /// Prints the SP metadata (EntityDescriptor) to hand to COI.
    Metadata {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(clap::Args)]
pub(crate) struct Common {
    /// Settings file (TOML or JSON).
    #[arg(long)]
    config: PathBuf,
    /// One JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

impl WkCommand {
    pub(crate) fn json(&self) -> bool {
        match self {
            WkCommand::AuthnRequest { common, .. }
            | WkCommand::ArtifactResolve { common, .. }
            | WkCommand::Validate { common, .. }
            | WkCommand::Resolve { common, .. }
            | WkCommand::LogoutRequest { common, .. }
            | WkCommand::Metadata { common } => common.json,
        }
    }
}

fn usage(message: String) -> Error {
    Error::new(ErrorCode::ConfigInvalid, message)
}

fn parse_now(now: Option<&str>) -> Result<Option<UtcTime>> {
    now.map(|s| {
        UtcTime::parse(s).ok_or_else(|| {
            usage(format!(
                "--now must be an RFC 3339 time such as 2018-09-13T13:20:00Z, got `{s}`"
            ))
        })
    })
    .transpose()
}

/// Writes the result; a closed stdout (`| head`) is not worth a panic.
fn print(json_mode: bool, value: &Value, human: impl FnOnce() -> String) {
    use std::io::Write;
    let text = if json_mode {
        format!("{value}\n")
    } else {
        human()
    };
    let mut out = std::io::stdout();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn login_summary(v: &Value) -> String {
    let p = &v["person"];
    let s = |x: &Value| x.as_str().unwrap_or("—").to_owned();
    let mut out = format!(
        "valid WK login\n  name:           {} {}\n  PESEL:          {}\n  date of birth:  {}\n  LoA:            {} ({})\n  NameID:         {}\n  SessionIndex:   {}\n  assertion:      {} (valid until {})\n",
        s(&p["given_name"]),
        s(&p["family_name"]),
        s(&p["pesel"]),
        s(&p["date_of_birth"]),
        s(&v["loa"]),
        s(&v["authenticating_authority"]),
        s(&v["name_id"]),
        s(&v["session_index"]),
        s(&v["assertion_id"]),
        s(&v["not_on_or_after"]),
    );
    for w in v["warnings"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  warning: {} — {}\n",
            s(&w["code"]),
            s(&w["message"])
        ));
    }
    out
}

pub(crate) fn run(command: &WkCommand) -> Outcome {
    match execute(command) {
        Ok(()) => Outcome::Done { valid: true },
        Err(e) => Outcome::Failed(e),
    }
}

fn execute(command: &WkCommand) -> Result<()> {
    let json_mode = command.json();
    match command {
        WkCommand::AuthnRequest {
            common,
            relay_state,
            loa,
        } => {
            let sp = ServiceProvider::from_file(&common.config)?;
            let r = sp.authn_request(&AuthnRequestOptions {
                relay_state: relay_state.clone(),
                loa: loa.as_deref().and_then(Loa::from_name),
                ..AuthnRequestOptions::default()
            })?;
            let v = serde_json::to_value(&r).unwrap_or(Value::Null);
            // The request is for machines either way: JSON is the human form too.
            print(json_mode, &v, || format!("{v:#}\n"));
        }
        WkCommand::ArtifactResolve { common, artifact } => {
            let sp = ServiceProvider::from_file(&common.config)?;
            let r = sp.artifact_resolve(artifact, None)?;
            let v = serde_json::to_value(&r).unwrap_or(Value::Null);
            print(json_mode, &v, || format!("{v:#}\n"));
        }
        WkCommand::Validate {
            common,
            response,
            request_id,
            artifact_resolve_id,
            now,
        } => {
            let sp = ServiceProvider::from_file(&common.config)?;
            let bytes = std::fs::read(response)
                .map_err(|e| Error::from(e).with("path", response.display().to_string()))?;
            let result = sp.validate_artifact_response(
                &bytes,
                &Expected {
                    authn_request_id: request_id,
                    artifact_resolve_id: artifact_resolve_id.as_deref(),
                    now: parse_now(now.as_deref())?,
                    minimum_loa: None,
                },
            )?;
            let v = result.to_json();
            print(json_mode, &v, || login_summary(&v));
        }
        WkCommand::Resolve {
            common,
            artifact,
            request_id,
        } => {
            let sp = ServiceProvider::from_file(&common.config)?;
            let result = sp.resolve_artifact(
                artifact,
                &Expected {
                    authn_request_id: request_id,
                    ..Expected::default()
                },
            )?;
            let v = result.to_json();
            print(json_mode, &v, || login_summary(&v));
        }
        WkCommand::LogoutRequest {
            common,
            name_id,
            session_index,
        } => {
            let sp = ServiceProvider::from_file(&common.config)?;
            let r = sp.logout_request(name_id, session_index, None)?;
            let v = serde_json::to_value(&r).unwrap_or(Value::Null);
            print(json_mode, &v, || format!("{v:#}\n"));
        }
        WkCommand::Metadata { common } => {
            let sp = ServiceProvider::from_file(&common.config)?;
            let xml = sp.metadata()?;
            print(json_mode, &json!({ "xml": xml }), || xml.clone());
        }
    }
    Ok(())
}
