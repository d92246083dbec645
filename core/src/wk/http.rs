//! HTTPS transport for the SOAP back channel (ArtifactResolve, LogoutRequest).
//!
//! One blocking POST per call over OpenSSL (ureq with its native-tls provider, chosen explicitly:
//! ureq's default would be rustls with the webpki roots, which ignores the host's trust store).
//! Redirects are never followed, time and response size are bounded, and plain `http://` is refused
//! except for the local simulator on a loopback address. Hosts with their own HTTP stack skip this
//! module and move the SOAP envelopes themselves.
//!
//! ```no_run
//! use eidpl::wk::http::{post_soap, HttpOptions};
//! # fn main() -> eidpl::Result<()> {
//! let envelope = b"<soap11:Envelope>...</soap11:Envelope>";
//! let answer = post_soap(
//!     "https://int.login.gov.pl/login-services/idpArtifactResolutionService",
//!     envelope,
//!     &HttpOptions::default(),
//! )?;
//! # let _ = answer; Ok(()) }
//! ```
//!
//! Every failure is an [`Error`] whose `details` carry `url` and, for `http_error`, a `reason`:
//! `status`, `redirect`, `timeout`, `tls_verification`, `tls`, `connect_refused`, `connect`, `dns`,
//! `proxy` or `protocol`.

use crate::error::{Error, ErrorCode, Result};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::X509;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;
use ureq::http::{HeaderMap, Uri};
use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};

/// Default [`HttpOptions::max_response_bytes`]: an ArtifactResponse with one encrypted assertion is
/// a few KiB; 2 MiB leaves room for large attribute sets while bounding memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 2 * 1024 * 1024;

/// How many characters of an error response body end up in the error details.
const EXCERPT_CHARS: usize = 300;
/// How many bytes of an error response body are read to build the excerpt.
const EXCERPT_READ_BYTES: u64 = 4096;

/// Limits and trust for [`post_soap`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOptions {
    /// Limit for connection setup: DNS, TCP connect and the TLS handshake.
    pub connect_timeout: Duration,
    /// Limit for the whole exchange, from connecting to the last byte of the answer.
    pub timeout: Duration,
    /// Extra trusted roots (PEM bundle) on top of the system store: the local simulator's CA, or
    /// the CA of a TLS-inspecting proxy. Never a replacement for verification.
    pub ca_file: Option<PathBuf>,
    /// Larger answers are refused (`limit_exceeded`) instead of being buffered.
    pub max_response_bytes: usize,
}

impl Default for HttpOptions {
    /// 10 s to connect, 30 s in total, system roots only, 2 MiB answers.
    fn default() -> Self {
        HttpOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            ca_file: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl HttpOptions {
    /// Trusts the CA certificates in `path` (PEM) in addition to the system store.
    #[must_use]
    pub fn with_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Sets the limit for the whole exchange.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the limit for connection setup (DNS, TCP, TLS handshake).
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the largest accepted answer, in bytes.
    #[must_use]
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// A zero timeout would make every call fail in a confusing way: say so up front.
    fn validate(&self) -> Result<()> {
        for (name, value) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
        ] {
            if value.is_zero() {
                return Err(Error::new(
                    ErrorCode::ConfigInvalid,
                    format!("HTTP option {name} must be greater than zero"),
                )
                .with("option", name));
            }
        }
        Ok(())
    }
}

/// POSTs a SOAP 1.1 envelope to `url` and returns the body of a 2xx answer.
///
/// Sends `Content-Type: text/xml; charset=utf-8` (WK rejects `application/soap+xml`) and
/// `SOAPAction: ""`. The answer is returned unparsed; validation happens elsewhere, on the bytes.
///
/// Errors: `config_invalid` for a URL that is not `https://` (plain `http://` only to 127.0.0.1,
/// ::1 or localhost) or bad options; `io_error`/`key_invalid` for an unreadable CA file;
/// `http_error` for timeouts, refused connections, TLS failures, redirects and non-2xx answers
/// (with `status` and a sanitized `body_excerpt`); `limit_exceeded` for an answer over
/// [`HttpOptions::max_response_bytes`].
pub fn post_soap(url: &str, body: &[u8], options: &HttpOptions) -> Result<Vec<u8>> {
    let target = Target::parse(url)?;
    options.validate()?;
    let agent = agent_for(&target, options)?;
    let response = agent
        .post(target.uri.clone())
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"\"")
        .send(body)
        .map_err(|e| transport_error(url, options, e))?;
    let (parts, mut response_body) = response.into_parts();
    if !parts.status.is_success() {
        return Err(status_error(
            url,
            parts.status.as_u16(),
            &parts.headers,
            &mut response_body,
        ));
    }
    read_limited(url, options, response_body)
}

/// A checked destination: https anywhere, http only on loopback.
struct Target {
    uri: Uri,
    loopback: bool,
}

impl Target {
    fn parse(url: &str) -> Result<Target> {
        let uri: Uri = url
            .parse()
            .map_err(|e| config_invalid_url(url, format!("{url:?} is not a valid URL ({e})")))?;
        let Some(authority) = uri.authority() else {
            return Err(config_invalid_url(
                url,
                format!("{url:?} is not an absolute URL (https://host/path)"),
            ));
        };
        if authority.as_str().contains('@') {
            // Never echo the URL: the user part may hold a password.
            return Err(Error::new(
                ErrorCode::ConfigInvalid,
                "the WK endpoint URL must not contain credentials (user@host)",
            ));
        }
        let loopback = is_loopback_host(authority.host());
        match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
            Some("https") => {}
            Some("http") if loopback => {}
            Some("http") => {
                return Err(config_invalid_url(
                    url,
                    format!(
                        "refusing plain http:// for {url}: the SOAP back channel must use https:// \
                         (http:// is allowed only for the local simulator on 127.0.0.1, ::1 or localhost)"
                    ),
                ))
            }
            _ => {
                return Err(config_invalid_url(
                    url,
                    format!("{url} is not an https:// URL"),
                ))
            }
        }
        Ok(Target { uri, loopback })
    }
}

fn config_invalid_url(url: &str, message: String) -> Error {
    Error::new(ErrorCode::ConfigInvalid, message).with("url", url)
}

/// 127.0.0.0/8, ::1 and the name `localhost`: the only places plain HTTP cannot leave the machine.
fn is_loopback_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn agent_for(target: &Target, options: &HttpOptions) -> Result<ureq::Agent> {
    let tls = TlsConfig::builder()
        .provider(TlsProvider::NativeTls)
        .root_certs(root_certs(options.ca_file.as_deref())?)
        .build();
    let mut config = ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(0)
        .timeout_connect(Some(options.connect_timeout))
        .timeout_global(Some(options.timeout))
        .user_agent(concat!("eidpl/", env!("CARGO_PKG_VERSION")));
    if target.loopback {
        // The simulator is on this machine; a proxy from the environment must not intercept it.
        config = config.proxy(None);
    }
    Ok(ureq::Agent::new_with_config(config.build()))
}

/// The system store alone (native-tls's own lookup), or the system store plus `ca_file`.
///
/// ureq's native-tls provider cannot add roots to the built-in store, so with a CA file the system
/// roots are read from OpenSSL's default locations (`SSL_CERT_FILE`, or the distribution bundle)
/// and passed along with the extra ones.
fn root_certs(ca_file: Option<&Path>) -> Result<RootCerts> {
    let Some(path) = ca_file else {
        return Ok(RootCerts::PlatformVerifier);
    };
    let extra = read_ca_file(path)?;
    let mut roots = system_roots()?;
    roots.extend(extra);
    let der = roots
        .iter()
        .map(|cert| cert.to_der())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::new(ErrorCode::Internal, format!("OpenSSL: {e}")))?;
    let certs: Vec<Certificate<'static>> = der
        .iter()
        .map(|d| Certificate::from_der(d).to_owned())
        .collect();
    Ok(RootCerts::new_with_certs(&certs))
}

fn read_ca_file(path: &Path) -> Result<Vec<X509>> {
    let shown = path.display().to_string();
    let pem = std::fs::read(path).map_err(|e| {
        Error::new(
            ErrorCode::IoError,
            format!("could not read the CA file {shown}: {e}"),
        )
        .with("path", shown.clone())
    })?;
    let certs = X509::stack_from_pem(&pem).map_err(|e| {
        Error::new(
            ErrorCode::KeyInvalid,
            format!("the CA file {shown} is not a PEM certificate bundle: {e}"),
        )
        .with("path", shown.clone())
    })?;
    if certs.is_empty() {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            format!("the CA file {shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"),
        )
        .with("path", shown));
    }
    Ok(certs)
}

fn system_roots() -> Result<Vec<X509>> {
    let internal = |e: openssl::error::ErrorStack| {
        Error::new(
            ErrorCode::Internal,
            format!("OpenSSL could not open its default trust store: {e}"),
        )
    };
    let mut store = X509StoreBuilder::new().map_err(internal)?;
    store.set_default_paths().map_err(internal)?;
    Ok(store.build().all_certificates().into_iter().collect())
}

fn read_limited(url: &str, options: &HttpOptions, mut body: ureq::Body) -> Result<Vec<u8>> {
    let limit = options.max_response_bytes;
    if let Some(announced) = body.content_length() {
        if announced > limit as u64 {
            return Err(response_too_large(url, limit).with("content_length", announced));
        }
    }
    body.with_config()
        .limit(limit as u64)
        .read_to_vec()
        .map_err(|e| transport_error(url, options, e))
}

fn response_too_large(url: &str, limit: usize) -> Error {
    Error::new(
        ErrorCode::LimitExceeded,
        format!(
            "the answer from {url} is larger than the {limit}-byte limit \
             (HttpOptions::max_response_bytes)"
        ),
    )
    .with("url", url)
    .with("limit", limit)
}

fn http_error(url: &str, reason: &str, message: String) -> Error {
    Error::new(ErrorCode::HttpError, message)
        .with("url", url)
        .with("reason", reason)
}

/// A non-2xx answer: the status, and what the server said, made safe to log.
fn status_error(url: &str, status: u16, headers: &HeaderMap, body: &mut ureq::Body) -> Error {
    let mut raw = Vec::new();
    // Best effort: the excerpt is a hint, a failure to read it must not hide the status.
    let _ = body
        .as_reader()
        .take(EXCERPT_READ_BYTES)
        .read_to_end(&mut raw);
    let excerpt = sanitize_excerpt(&raw, EXCERPT_CHARS);
    let mut error = if (300..400).contains(&status) {
        let location = headers
            .get("location")
            .map(|v| sanitize_excerpt(v.as_bytes(), EXCERPT_CHARS))
            .unwrap_or_default();
        let target = if location.is_empty() {
            String::new()
        } else {
            format!(" to {location}")
        };
        http_error(
            url,
            "redirect",
            format!(
                "{url} answered HTTP {status}, a redirect{target}; redirects are not followed \
                 on the SOAP back channel: configure the final URL"
            ),
        )
        .with("location", location)
    } else {
        let text = ureq::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(|r| format!(" {r}"))
            .unwrap_or_default();
        let see = if excerpt.is_empty() {
            ""
        } else {
            " (the server's words are in body_excerpt)"
        };
        http_error(
            url,
            "status",
            format!("{url} answered HTTP {status}{text} instead of 2xx{see}"),
        )
    };
    error = error.with("status", status);
    if !excerpt.is_empty() {
        error = error.with("body_excerpt", excerpt);
    }
    error
}

/// Text from a remote party, made fit for a log line or a terminal: lossy UTF-8, control and
/// bidirectional-override characters and whitespace runs turned into one space, at most
/// `max_chars` characters.
pub(crate) fn sanitize_excerpt(bytes: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || is_bidi_control(c) {
            pending_space = !out.is_empty();
            continue;
        }
        let needed = if pending_space { 2 } else { 1 };
        if count + needed > max_chars {
            out.push('…');
            return out;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        count += needed;
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Maps a ureq failure to an error a municipal developer can act on.
fn transport_error(url: &str, options: &HttpOptions, error: ureq::Error) -> Error {
    use std::io::ErrorKind;
    match error {
        ureq::Error::Timeout(which) => timeout_error(url, options, which),
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => http_error(
                url,
                "connect_refused",
                format!(
                    "connection refused by {url}: nothing accepts connections on that host and \
                     port (wrong URL, or the service is down)"
                ),
            ),
            ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                timeout_error(url, options, ureq::Timeout::Global)
            }
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::UnexpectedEof => http_error(
                url,
                "connect",
                format!("{url} closed the connection before answering ({io})"),
            ),
            _ => http_error(url, "connect", format!("could not talk to {url}: {io}")),
        },
        ureq::Error::HostNotFound => http_error(
            url,
            "dns",
            format!("the host name in {url} could not be resolved (DNS)"),
        ),
        ureq::Error::ConnectionFailed => {
            http_error(url, "connect", format!("could not connect to {url}"))
        }
        ureq::Error::NativeTls(e) => tls_error(url, options, &e.to_string()),
        ureq::Error::Tls(e) => tls_error(url, options, e),
        ureq::Error::TlsRequired => tls_error(url, options, "no TLS connection was established"),
        ureq::Error::Protocol(e) => http_error(
            url,
            "protocol",
            format!(
                "{url} did not answer with valid HTTP/1.1 ({e}); check that the scheme \
                 (http/https) and port are right"
            ),
        ),
        ureq::Error::BodyExceedsLimit(_) => response_too_large(url, options.max_response_bytes),
        ureq::Error::LargeResponseHeader(actual, limit) => Error::new(
            ErrorCode::LimitExceeded,
            format!("the response headers from {url} exceed {limit} bytes"),
        )
        .with("url", url)
        .with("limit", limit)
        .with("actual", actual),
        ureq::Error::ConnectProxyFailed(e) => http_error(
            url,
            "proxy",
            format!("the proxy from HTTPS_PROXY/ALL_PROXY refused the connection to {url}: {e}"),
        ),
        ureq::Error::InvalidProxyUrl => Error::new(
            ErrorCode::ConfigInvalid,
            "the proxy in HTTPS_PROXY/ALL_PROXY is not a valid URL",
        )
        .with("url", url),
        ureq::Error::BadUri(e) => config_invalid_url(url, format!("{url} is not usable: {e}")),
        ureq::Error::StatusCode(status) => {
            http_error(url, "status", format!("{url} answered HTTP {status}"))
                .with("status", status)
        }
        other => http_error(
            url,
            "connect",
            format!("the request to {url} failed: {other}"),
        ),
    }
}

fn timeout_error(url: &str, options: &HttpOptions, which: ureq::Timeout) -> Error {
    let (phase, doing, limit) = match which {
        ureq::Timeout::Resolve | ureq::Timeout::Connect => {
            ("connect", "connecting to", options.connect_timeout)
        }
        _ => ("exchange", "waiting for the answer from", options.timeout),
    };
    http_error(
        url,
        "timeout",
        format!(
            "timeout: nothing within {:.1} s while {doing} {url}",
            limit.as_secs_f64()
        ),
    )
    .with(
        "timeout_ms",
        u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
    )
    .with("phase", phase)
}

/// TLS failures: certificate verification gets its own reason and a hint, since it is the one a
/// developer can fix in configuration.
fn tls_error(url: &str, options: &HttpOptions, detail: &str) -> Error {
    let detail = sanitize_excerpt(detail.as_bytes(), EXCERPT_CHARS);
    if !detail.contains("certificate verify failed") {
        return http_error(
            url,
            "tls",
            format!("TLS handshake with {url} failed: {detail}"),
        )
        .with("tls_detail", detail);
    }
    // OpenSSL appends the verify result in parentheses: "(unable to get local issuer certificate)".
    let cause = detail
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or("certificate verify failed")
        .to_owned();
    let lower = cause.to_ascii_lowercase();
    let hint = if lower.contains("mismatch") {
        "the server certificate is not issued for the host in the URL".to_owned()
    } else if lower.contains("expired") || lower.contains("not yet valid") {
        "check the server certificate's validity dates and this machine's clock".to_owned()
    } else if options.ca_file.is_some() {
        "the server certificate does not chain to the system trust store or ca_file".to_owned()
    } else {
        "the server certificate does not chain to the system trust store \
         (set ca_file for the local simulator or a private CA)"
            .to_owned()
    };
    http_error(
        url,
        "tls_verification",
        format!("TLS verification of {url} failed: {cause}; {hint}"),
    )
    .with("tls_detail", detail)
    .with("verify_result", cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_only() {
        for host in ["127.0.0.1", "127.1.2.3", "[::1]", "localhost", "LOCALHOST"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "example.com",
            "10.0.0.1",
            "[::ffff:127.0.0.1]",
            "localhost.example.com",
            "127.0.0.1.nip.io",
            "[::2]",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn plain_http_allowed_only_on_loopback() {
        assert!(Target::parse("http://127.0.0.1:8080/x").is_ok_and(|t| t.loopback));
        assert!(Target::parse("http://[::1]:8080/x").is_ok_and(|t| t.loopback));
        assert!(Target::parse("http://localhost/x").is_ok());
        assert!(Target::parse("https://int.login.gov.pl/x").is_ok_and(|t| !t.loopback));
        for bad in [
            "http://int.login.gov.pl/x",
            "ftp://127.0.0.1/x",
            "/relative/path",
            "https://",
            "not a url",
        ] {
            let e = Target::parse(bad).err();
            assert_eq!(e.map(|e| e.code()), Some(ErrorCode::ConfigInvalid), "{bad}");
        }
    }

    #[test]
    fn credentials_in_url_are_refused_without_echoing_them() {
        let e = Target::parse("https://user:s3cret@int.login.gov.pl/x").err();
        let e = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(e.starts_with("config_invalid"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
    }

    #[test]
    fn excerpt_strips_controls_and_bidi_and_truncates() {
        let raw = "  <fault>\r\n\t\x1b[31mred\x1b[0m \u{202E}gnp.exe</fault>  ";
        let s = sanitize_excerpt(raw.as_bytes(), 300);
        assert_eq!(s, "<fault> [31mred [0m gnp.exe</fault>");
        let long = "a".repeat(1000);
        let s = sanitize_excerpt(long.as_bytes(), 10);
        assert_eq!(s, format!("{}…", "a".repeat(10)));
        assert_eq!(sanitize_excerpt(b"\xff\xfeok", 10), "\u{fffd}\u{fffd}ok");
    }

    #[test]
    fn zero_timeouts_are_a_configuration_error() {
        let e = HttpOptions::default()
            .with_timeout(Duration::ZERO)
            .validate()
            .err();
        assert_eq!(e.map(|e| e.code()), Some(ErrorCode::ConfigInvalid));
    }
}
