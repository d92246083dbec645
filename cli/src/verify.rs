//! `eidpl verify`: a PZ / XAdES / ePUAP document, with an ETSI-style report.

use crate::Outcome;
use eidpl::pki::TrustStore;
use eidpl::time::UtcTime;
use eidpl::xades::{
    verify_reader, Indication, Kind, Report, SignatureReport, Verdict, VerifyOptions,
};
use eidpl::{Error, ErrorCode, Result};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// The signed document (XML, .xades).
    file: PathBuf,
    /// Trust anchor certificates (PEM bundle or DER); repeat for several.
    #[arg(long = "trust-anchor")]
    trust_anchors: Vec<PathBuf>,
    /// Intermediate certificates (PEM bundle or DER) in case KeyInfo lacks them.
    #[arg(long = "intermediate")]
    intermediates: Vec<PathBuf>,
    /// CRLs (PEM or DER) to check revocation against; nothing is fetched from the network.
    #[arg(long = "crl")]
    crls: Vec<PathBuf>,
    /// The data file of a detached signature (referenced by its file name).
    #[arg(long = "detached-data")]
    detached: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default: now).
    #[arg(long)]
    now: Option<String>,
    /// Do not require a valid PESEL in PZ identities (test data).
    #[arg(long)]
    no_pesel_check: bool,
    /// One JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

fn read(path: &PathBuf) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::from(e).with("path", path.display().to_string()))
}

fn options(args: &VerifyArgs) -> Result<VerifyOptions> {
    let mut trust = TrustStore::new();
    for p in &args.trust_anchors {
        trust
            .add_anchors(&read(p)?)
            .map_err(|e| e.with("path", p.display().to_string()))?;
    }
    for p in &args.intermediates {
        trust
            .add_intermediates(&read(p)?)
            .map_err(|e| e.with("path", p.display().to_string()))?;
    }
    for p in &args.crls {
        trust
            .add_crls(&read(p)?)
            .map_err(|e| e.with("path", p.display().to_string()))?;
    }
    let mut detached = Vec::new();
    for p in &args.detached {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        detached.push((name, read(p)?));
    }
    let now = match &args.now {
        Some(s) => Some(UtcTime::parse(s).ok_or_else(|| {
            Error::new(
                ErrorCode::ConfigInvalid,
                format!("--now must be RFC 3339, got `{s}`"),
            )
        })?),
        None => None,
    };
    Ok(VerifyOptions {
        trust,
        detached,
        now,
        check_pesel: !args.no_pesel_check,
    })
}

fn kind_pl(k: Kind) -> &'static str {
    match k {
        Kind::Pz => "podpis zaufany",
        Kind::Qualified => "podpis kwalifikowany",
        Kind::Advanced => "podpis zaawansowany",
        Kind::UntrustedPzClaim => "FAŁSZYWY podpis zaufany (blok PZ pod obcym kluczem)",
    }
}

fn describe(s: &SignatureReport, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth + 1);
    let status = match s.indication {
        Indication::TotalPassed => "WAŻNY".to_owned(),
        Indication::TotalFailed => {
            format!("NIEWAŻNY ({})", s.sub_indication.as_deref().unwrap_or(""))
        }
        Indication::Indeterminate => format!(
            "NIEROZSTRZYGNIĘTY ({})",
            s.sub_indication.as_deref().unwrap_or("")
        ),
    };
    out.push_str(&format!(
        "{pad}Podpis {}: {status} — {}\n",
        s.id.as_deref().unwrap_or("(bez Id)"),
        kind_pl(s.kind)
    ));
    if let Some(m) = &s.message {
        out.push_str(&format!("{pad}  powód: {m}\n"));
    }
    if let Some(p) = &s.pz {
        out.push_str(&format!(
            "{pad}  osoba: {} {}, PESEL {}{}\n",
            p.given_name.as_deref().unwrap_or("?"),
            p.family_name.as_deref().unwrap_or("?"),
            p.pesel.as_deref().unwrap_or("?"),
            p.date_of_birth
                .as_deref()
                .map(|d| format!(", data urodzenia {d}"))
                .unwrap_or_default()
        ));
    }
    if let Some(signer) = &s.signer {
        out.push_str(&format!("{pad}  podpisujący: {}\n", signer.subject));
        if let Some(p) = &signer.pesel {
            out.push_str(&format!("{pad}  PESEL z certyfikatu: {p}\n"));
        }
    }
    if let Some(t) = &s.signing_time {
        out.push_str(&format!("{pad}  deklarowany czas podpisu: {t}\n"));
    }
    if !s.chain.is_empty() {
        out.push_str(&format!("{pad}  ścieżka: {}\n", s.chain.join(" → ")));
    }
    for w in &s.warnings {
        out.push_str(&format!("{pad}  uwaga: {}\n", w.message));
    }
    for c in &s.children {
        describe(c, depth + 1, out);
    }
}

fn human(r: &Report) -> String {
    let verdict = match r.verdict {
        Verdict::Valid => "WAŻNY (valid)",
        Verdict::Invalid => "NIEWAŻNY (invalid)",
        Verdict::Indeterminate => "NIEROZSTRZYGNIĘTY (indeterminate)",
    };
    let mut out = format!("Dokument ({}): {verdict}\n", r.document_type);
    for s in &r.signatures {
        describe(s, 0, &mut out);
    }
    for a in &r.attachments {
        out.push_str(&format!(
            "  Załącznik {} ({}): {}{}\n",
            a.name.as_deref().unwrap_or("?"),
            a.encoding,
            if a.covered {
                "objęty podpisem"
            } else {
                "NIEOBJĘTY podpisem"
            },
            if a.signed { ", sam podpisany" } else { "" }
        ));
    }
    if let Some(upo) = &r.upo {
        for (k, v) in upo {
            out.push_str(&format!("  UPO {k}: {v}\n"));
        }
    }
    for w in &r.warnings {
        out.push_str(&format!("  uwaga: {}\n", w.message));
    }
    out
}

/// Counts bytes handed to the parser and draws a bar on stderr (large files, terminals only).
struct Progress<R> {
    inner: R,
    read: u64,
    total: u64,
    shown: u64,
}

impl<R: std::io::Read> std::io::Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let pct = (self.read * 100)
            .checked_div(self.total)
            .unwrap_or(100)
            .min(100);
        if pct != self.shown {
            self.shown = pct;
            let filled = usize::try_from(pct / 5).unwrap_or(20);
            eprint!(
                "\rwczytywanie [{}{}] {pct:3}%",
                "#".repeat(filled),
                " ".repeat(20 - filled.min(20))
            );
        }
        Ok(n)
    }
}

pub(crate) fn run(args: &VerifyArgs) -> Outcome {
    let result = (|| -> Result<Report> {
        let options = options(args)?;
        let file = std::fs::File::open(&args.file)
            .map_err(|e| Error::from(e).with("path", args.file.display().to_string()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let reader = std::io::BufReader::with_capacity(1 << 20, file);
        if size > 50 << 20 && std::io::stderr().is_terminal() {
            let mut progress = Progress {
                inner: reader,
                read: 0,
                total: size,
                shown: u64::MAX,
            };
            let report = verify_reader(&mut progress, &options);
            eprintln!(
                "\rweryfikacja zakończona ({} MB)                 ",
                size >> 20
            );
            return report;
        }
        verify_reader(&mut { reader }, &options)
    })();
    match result {
        Ok(report) => {
            let text = if args.json {
                format!("{}\n", report.to_json())
            } else {
                human(&report)
            };
            let mut out = std::io::stdout();
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            Outcome::Done {
                valid: report.verdict == Verdict::Valid,
            }
        }
        Err(e) => Outcome::Failed(e),
    }
}
