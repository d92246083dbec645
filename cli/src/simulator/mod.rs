//! `eidpl simulator`: a local Węzeł Krajowy on loopback with WK's paths, real WK-shaped
//! messages (both signatures, ECDH-ES with WK's KDF, AES-GCM), test citizens and error scenarios.

mod citizens;
pub(crate) mod config;
pub(crate) mod engine;
mod pages;

use crate::Outcome;
use config::SimulatorConfig;
use eidpl::wk::idp::IdentityProvider;
use eidpl::{Error, ErrorCode, Result};
use engine::{Request, Response, Simulator};
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

#[derive(clap::Args)]
pub(crate) struct SimulatorArgs {
    /// Simulator config (TOML): `[simulator]` and the registered `[[du]]`s.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Loopback address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8642")]
    listen: String,
    /// Where WK's signing key is kept between runs.
    #[arg(long, default_value = ".eidpl-simulator")]
    state_dir: PathBuf,
}

/// The longest request body read (AuthnRequests and SOAP requests are a few kB).
const MAX_BODY: u64 = 1 << 20;

fn io(e: impl std::fmt::Display, what: &str) -> Error {
    Error::new(ErrorCode::IoError, format!("{what}: {e}"))
}

/// WK's signing key and certificate: loaded from `dir`, or generated there on the first run.
pub(crate) fn wk_keys(dir: &Path) -> Result<(PKey<Private>, X509, PathBuf, bool)> {
    let key_path = dir.join("wk_sig_ec.key");
    let cert_path = dir.join("wk_sig_ec.crt");
    if key_path.exists() && cert_path.exists() {
        let key = eidpl::pki::load_private_key(&std::fs::read(&key_path)?)?;
        let cert = eidpl::pki::load_certificates(&std::fs::read(&cert_path)?)?
            .into_iter()
            .next()
            .ok_or_else(|| io("empty", "WK certificate"))?;
        return Ok((key, cert, cert_path, false));
    }
    std::fs::create_dir_all(dir).map_err(|e| io(e, "cannot create the state directory"))?;
    let (key, cert) = eidpl::pki::self_signed_p256("WK_SIG_EC", 3650)?;
    let pem = key
        .private_key_to_pem_pkcs8()
        .map_err(|e| io(e, "cannot encode the WK key"))?;
    write_private(&key_path, &pem)?;
    std::fs::write(&cert_path, cert.to_pem().map_err(|e| io(e, "certificate"))?)
        .map_err(|e| io(e, "cannot write the WK certificate"))?;
    Ok((key, cert, cert_path, true))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(path)
        .map_err(|e| io(e, &format!("cannot write {}", path.display())))?;
    f.write_all(bytes)
        .map_err(|e| io(e, "cannot write the WK key"))
}

/// A running simulator.
pub(crate) struct Running {
    pub base_url: String,
    pub sim: Arc<Simulator>,
    server: Arc<tiny_http::Server>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    /// The `[idp]` settings block a DU needs for this simulator.
    pub(crate) fn idp_settings(&self, issuer: &str, cert_path: &Path) -> String {
        format!(
            "[idp]\nenvironment = \"custom\"\nentity_id = \"{issuer}\"\nsigning_certs = [\"{}\"]\nsso_url = \"{}\"\nartifact_resolution_url = \"{}\"\nslo_url = \"{}\"\n",
            cert_path.display().to_string().replace('\\', "\\\\"),
            self.sim.url(engine::SSO),
            self.sim.url(engine::RESOLVE),
            self.sim.url(engine::SLO),
        )
    }

    /// Blocks until the server stops (never, for the CLI).
    pub(crate) fn wait(self) {
        for t in self.threads {
            let _ = t.join();
        }
    }

    /// Stops the workers.
    pub(crate) fn stop(self) {
        for _ in &self.threads {
            self.server.unblock();
        }
        self.wait();
    }
}

fn is_loopback(listen: &str) -> bool {
    listen
        .parse::<std::net::SocketAddr>()
        .is_ok_and(|a| a.ip().is_loopback())
}

/// Starts the simulator on `listen` (loopback only) with `workers` threads.
pub(crate) fn start(
    config: SimulatorConfig,
    key: PKey<Private>,
    cert: X509,
    listen: &str,
) -> Result<Running> {
    if !is_loopback(listen) {
        return Err(Error::new(
            ErrorCode::ConfigInvalid,
            format!("the simulator listens on loopback only (e.g. 127.0.0.1:8642), not `{listen}`"),
        ));
    }
    let server = tiny_http::Server::http(listen)
        .map_err(|e| io(e, &format!("cannot listen on {listen}")))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| io("not an IP socket", "listen"))?;
    let base_url = format!("http://{addr}");
    let idp = IdentityProvider::new(&config.issuer, key, &cert)?;
    let sim = Arc::new(Simulator::new(config, idp, cert, &base_url));
    let server = Arc::new(server);
    let threads = (0..4)
        .map(|_| {
            let (server, sim) = (server.clone(), sim.clone());
            std::thread::spawn(move || serve(&server, &sim))
        })
        .collect();
    Ok(Running {
        base_url,
        sim,
        server,
        threads,
    })
}

fn serve(server: &tiny_http::Server, sim: &Simulator) {
    while let Ok(mut request) = server.recv() {
        let (path, query) = match request.url().split_once('?') {
            Some((p, q)) => (p.to_owned(), q.to_owned()),
            None => (request.url().to_owned(), String::new()),
        };
        let mut body = Vec::new();
        let read = request
            .as_reader()
            .take(MAX_BODY + 1)
            .read_to_end(&mut body);
        let response = if read.is_err() || body.len() as u64 > MAX_BODY {
            Response::html(413, "request too large".into())
        } else {
            let r = Request {
                method: request.method().as_str().to_ascii_uppercase(),
                path,
                query,
                body,
            };
            // A bug in one request must not take the simulator down.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sim.handle(&r)))
                .unwrap_or_else(|_| Response::html(500, "internal error".into()))
        };
        let header = tiny_http::Header::from_bytes("Content-Type", response.content_type)
            .into_iter()
            .collect::<Vec<_>>();
        let mut answer =
            tiny_http::Response::from_data(response.body).with_status_code(response.status);
        for h in header {
            answer.add_header(h);
        }
        let _ = request.respond(answer);
    }
}

pub(crate) fn run(args: &SimulatorArgs) -> Outcome {
    let result = (|| -> Result<()> {
        let config = match &args.config {
            Some(p) => SimulatorConfig::from_file(p)?,
            None => SimulatorConfig::empty(),
        };
        let (key, cert, cert_path, generated) = wk_keys(&args.state_dir)?;
        let issuer = config.issuer.clone();
        let dus: Vec<String> = config.dus.iter().map(|d| d.entity_id.clone()).collect();
        let running = start(config, key, cert, &args.listen)?;
        // Stdout may be closed by whoever started us; the simulator keeps serving regardless.
        let mut out = std::io::stdout();
        let mut say = |text: String| {
            use std::io::Write;
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        };
        say(format!("eidpl simulator listening on {}", running.base_url));
        if generated {
            say(format!(
                "generated WK's signing key in {}",
                args.state_dir.display()
            ));
        }
        say(format!(
            "\nPaste into the DU's eidpl settings:\n\n{}",
            running.idp_settings(&issuer, &cert_path)
        ));
        if dus.is_empty() {
            say("No DU registered: pass --config with [[du]] sp_settings = \"eidpl.toml\".".into());
        } else {
            say(format!("Registered DUs: {}", dus.join(", ")));
        }
        running.wait();
        Ok(())
    })();
    match result {
        Ok(()) => Outcome::Done { valid: true },
        Err(e) => Outcome::Failed(e),
    }
}
