//! `eidpl keys generate`: the DU's signing and encryption keys, the CSRs for COI, and the `[sp]`
//! settings lines that point at them.

use crate::Outcome;
use eidpl::wk::keygen::{generate_du_keys, write_du_keys, DuKeyFiles, KeyGenOptions};
use eidpl::Result;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub(crate) enum KeysCommand {
    /// Generates the DU's P-256 signing and encryption keys, their CSRs for COI and self-signed
    /// certificates for the local simulator.
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
pub(crate) struct GenerateArgs {
    /// The DU entity id (SAML Issuer); subjects become CN=<entity id>_sig_ec and _enc_ec.
    #[arg(long)]
    entity_id: String,
    /// Directory for sig_ec.{key,csr,crt} and enc_ec.{key,csr,crt}; created if missing.
    #[arg(long)]
    out: PathBuf,
    /// O= in both subjects (the organization as registered with COI).
    #[arg(long)]
    organization: Option<String>,
    /// Replace an existing key set (a key COI already certified is then lost).
    #[arg(long)]
    force: bool,
    /// One JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Runs a `keys` subcommand; returns whether `--json` was asked for, and the outcome.
pub(crate) fn run(command: &KeysCommand) -> (bool, Outcome) {
    match command {
        KeysCommand::Generate(args) => (args.json, generate(args)),
    }
}

fn generate(args: &GenerateArgs) -> Outcome {
    match try_generate(args) {
        Ok(report) => {
            if args.json {
                println!("{report}");
            } else {
                print!("{}", human(args, &report));
            }
            Outcome::Done { valid: true }
        }
        Err(e) => Outcome::Failed(e),
    }
}

fn try_generate(args: &GenerateArgs) -> Result<Value> {
    let mut options = KeyGenOptions::new(args.entity_id.as_str());
    options.organization = args.organization.clone();
    let keys = generate_du_keys(&options)?;
    let written = write_du_keys(&keys, &args.out, args.force)?;
    let files = DuKeyFiles::in_dir(&args.out);
    Ok(json!({
        "entity_id": args.entity_id,
        "out_dir": shown(&args.out),
        "files": written.iter().map(|p| shown(p)).collect::<Vec<_>>(),
        "signing": {
            "key": shown(&files.signing_key),
            "csr": shown(&files.signing_csr),
            "certificate": shown(&files.signing_cert),
            "subject": keys.signing.subject(),
        },
        "encryption": {
            "key": shown(&files.encryption_key),
            "csr": shown(&files.encryption_csr),
            "certificate": shown(&files.encryption_cert),
            "subject": keys.encryption.subject(),
        },
        "send_to_coi": [shown(&files.signing_csr), shown(&files.encryption_csr)],
        "sp_settings": {
            "signing_key": shown(&files.signing_key),
            "signing_cert": shown(&files.signing_cert),
            "encryption_keys": [shown(&files.encryption_key)],
        },
    }))
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// The same facts for a person: what was written, what goes to COI, what goes into the settings.
fn human(args: &GenerateArgs, report: &Value) -> String {
    let field = |role: &str, key: &str| report[role][key].as_str().unwrap_or_default().to_owned();
    let mut out = format!(
        "Generated the P-256 signing and encryption keys for {} in {}:\n",
        args.entity_id,
        shown(&args.out)
    );
    for (role, what) in [("signing", "signing"), ("encryption", "encryption")] {
        out += &format!(
            "  {}  {what} private key (PKCS#8, mode 0600: keep it secret, back it up)\n",
            field(role, "key")
        );
        out += &format!(
            "  {}  {what} certificate request, {}\n",
            field(role, "csr"),
            field(role, "subject")
        );
        out += &format!(
            "  {}  self-signed {what} certificate (local simulator and tests only)\n",
            field(role, "certificate")
        );
    }
    out += &format!(
        "\nSend these two certificate requests to COI (integration) or your CA (production):\n  {}\n  {}\n\
         When the certificates arrive, put them in place of {} and {}; the keys stay.\n",
        field("signing", "csr"),
        field("encryption", "csr"),
        field("signing", "certificate"),
        field("encryption", "certificate"),
    );
    out += &format!(
        "\nPaste into the [sp] section of your settings:\n  signing_key = {}\n  signing_cert = {}\n  encryption_keys = [{}]\n",
        toml_string(&field("signing", "key")),
        toml_string(&field("signing", "certificate")),
        toml_string(&field("encryption", "key")),
    );
    out
}

/// A TOML basic string: JSON string escapes (`\"`, `\\`, `\n`, `\uXXXX`) are all valid TOML, so a
/// path with quotes or backslashes (Windows) pastes correctly.
fn toml_string(value: &str) -> String {
    Value::String(value.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::toml_string;

    #[test]
    fn toml_strings_escape_quotes_and_backslashes() {
        assert_eq!(
            toml_string(r"C:\keys\sig_ec.key"),
            r#""C:\\keys\\sig_ec.key""#
        );
        assert_eq!(toml_string(r#"a"b"#), r#""a\"b""#);
    }
}
