//! `eidpl dsig verify`: verify every signature in a file and say who signed what.

use crate::Outcome;
use eidpl::dsig::{verify_enveloped, verify_signature, Profile, TrustedKeys};
use eidpl::xml::{ns, Document, Node, ParseOptions};
use eidpl::Result;
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// The signed XML file.
    file: PathBuf,
    /// Pinned certificate or public key (PEM or DER); repeat for several.
    #[arg(long = "cert", required = true)]
    certs: Vec<PathBuf>,
    /// `saml` (strict SAML profile, enveloped signatures) or `xades` (generic XML-DSig / XAdES).
    #[arg(long, default_value = "saml", value_parser = ["saml", "xades"])]
    profile: String,
    /// One JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Pins every certificate or key in `paths`.
pub(crate) fn load_keys(paths: &[PathBuf]) -> Result<TrustedKeys> {
    let mut keys = TrustedKeys::new();
    for p in paths {
        let bytes = std::fs::read(p)
            .map_err(|e| eidpl::Error::from(e).with("path", p.display().to_string()))?;
        keys.extend(
            TrustedKeys::from_pem(&bytes).map_err(|e| e.with("path", p.display().to_string()))?,
        );
    }
    Ok(keys)
}

/// The result for one signature, as JSON.
pub(crate) fn check_one(
    doc: &Document,
    sig: Node<'_>,
    profile: Profile,
    keys: &TrustedKeys,
) -> Value {
    let signed = sig.parent().unwrap_or(sig);
    let outcome = match profile {
        Profile::SamlStrict => verify_enveloped(doc, signed, keys)
            .map(|v| (v.signature.key_label, v.signature.algorithm)),
        Profile::Xades => {
            verify_signature(doc, sig, profile, keys, &[]).map(|v| (v.key_label, v.algorithm))
        }
    };
    let mut out = json!({
        "element": signed.qualified_name(),
        "id": signed.attr("ID").or_else(|| signed.attr("Id")),
        "line": sig.line(),
    });
    match outcome {
        Ok((signer, alg)) => {
            out["valid"] = json!(true);
            out["signed_by"] = json!(signer);
            out["algorithm"] = json!(alg.uri());
        }
        Err(e) => {
            out["valid"] = json!(false);
            out["error"] = e.to_json();
        }
    }
    out
}

pub(crate) fn verify_file(
    path: &std::path::Path,
    profile: Profile,
    keys: &TrustedKeys,
) -> Result<Vec<Value>> {
    let bytes = std::fs::read(path)
        .map_err(|e| eidpl::Error::from(e).with("path", path.display().to_string()))?;
    let options = match profile {
        Profile::SamlStrict => ParseOptions::saml(),
        Profile::Xades => ParseOptions::document(),
    };
    let doc = Document::parse(&bytes, &options)?;
    let sigs: Vec<Node<'_>> = doc
        .root()
        .descendants()
        .filter(|n| n.is(ns::DS, "Signature"))
        .collect();
    if sigs.is_empty() {
        return Err(eidpl::Error::new(
            eidpl::ErrorCode::SignatureMissing,
            "the document has no ds:Signature",
        ));
    }
    Ok(sigs
        .into_iter()
        .map(|s| check_one(&doc, s, profile, keys))
        .collect())
}

/// One line per signature for people.
pub(crate) fn describe(result: &Value) -> String {
    let what = match result["id"].as_str() {
        Some(id) => format!("{} {id}", result["element"].as_str().unwrap_or("?")),
        None => result["element"].as_str().unwrap_or("?").to_owned(),
    };
    if result["valid"] == json!(true) {
        format!(
            "  valid     {what}\n            signed by {}",
            result["signed_by"].as_str().unwrap_or("?")
        )
    } else {
        format!(
            "  REJECTED  {what}\n            {}: {}",
            result["error"]["code"].as_str().unwrap_or("?"),
            result["error"]["message"].as_str().unwrap_or("?")
        )
    }
}

pub(crate) fn verify(args: &VerifyArgs) -> Outcome {
    let profile = if args.profile == "xades" {
        Profile::Xades
    } else {
        Profile::SamlStrict
    };
    let results =
        match load_keys(&args.certs).and_then(|keys| verify_file(&args.file, profile, &keys)) {
            Ok(r) => r,
            Err(e) => return Outcome::Failed(e),
        };
    let valid = results.iter().all(|r| r["valid"] == json!(true));
    if args.json {
        println!("{}", json!({ "valid": valid, "signatures": results }));
    } else {
        println!("{}", args.file.display());
        for r in &results {
            println!("{}", describe(r));
        }
    }
    Outcome::Done { valid }
}
