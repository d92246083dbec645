//! The simulator's behaviour, independent of the HTTP server: what WK does at each endpoint.

use super::citizens::{built_in, TestCitizen};
use super::config::{RegisteredDu, SimulatorConfig};
use super::pages;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use eidpl::dsig::verify_enveloped;
use eidpl::time::UtcTime;
use eidpl::wk::idp::{IdentityProvider, LoginAnswer, Refusal};
use eidpl::wk::{fresh_id, post_form, Loa};
use eidpl::xml::{ns, Document, Node, ParseOptions};
use openssl::x509::X509;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// One HTTP request, already read.
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: Vec<u8>,
}

/// One HTTP response.
pub(crate) struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn html(status: u16, body: String) -> Self {
        Response {
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
        }
    }
    fn xml(body: String) -> Self {
        Response {
            status: 200,
            content_type: "text/xml; charset=utf-8",
            body: body.into_bytes(),
        }
    }
}

/// What a login should look like, chosen per login (`eidpl_scenario`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scenario {
    Success,
    AuthnFailed,
    RequestDenied,
    Cek16,
    ClockAhead,
    ClockBehind,
    ArtifactExpired,
    LoaLow,
}

impl Scenario {
    pub(crate) const ALL: [(Scenario, &'static str, &'static str); 8] = [
        (Scenario::Success, "success", "normal login"),
        (
            Scenario::AuthnFailed,
            "authn_failed",
            "status Responder/AuthnFailed (user cancelled), encrypted assertion still attached",
        ),
        (
            Scenario::RequestDenied,
            "request_denied",
            "status Requester/RequestDenied, no assertion",
        ),
        (
            Scenario::Cek16,
            "cek16",
            "16-byte content key under aes256-gcm (the production quirk): must be accepted",
        ),
        (
            Scenario::ClockAhead,
            "clock_ahead",
            "WK's clock 1 hour ahead: the SP reports not_yet_valid",
        ),
        (
            Scenario::ClockBehind,
            "clock_behind",
            "WK's clock 2 hours behind: the SP reports expired",
        ),
        (
            Scenario::ArtifactExpired,
            "artifact_expired",
            "the artifact expires before it is resolved",
        ),
        (
            Scenario::LoaLow,
            "loa_low",
            "the citizen authenticates at LoA low: the SP reports loa_insufficient",
        ),
    ];

    pub(crate) fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(s, _, _)| *s)
    }
}

#[derive(Clone)]
struct Pending {
    du: usize,
    request_id: String,
    acs_url: String,
    relay_state: Option<String>,
    loa: Loa,
}

struct Issued {
    pending: Pending,
    citizen: usize,
    scenario: Scenario,
    expires: UtcTime,
}

#[derive(Default)]
struct State {
    pending: HashMap<String, Pending>,
    artifacts: HashMap<String, Issued>,
    sessions: HashSet<(String, String, String)>,
}

/// The local WK.
pub(crate) struct Simulator {
    config: SimulatorConfig,
    idp: IdentityProvider,
    wk_cert: X509,
    base_url: String,
    citizens: Vec<TestCitizen>,
    state: Mutex<State>,
}

pub(crate) const SSO: &str = "/login/SingleSignOnService";
pub(crate) const AUTHENTICATE: &str = "/login/authenticate";
pub(crate) const RESOLVE: &str = "/login-services/idpArtifactResolutionService";
pub(crate) const SLO: &str = "/login-services/singleLogoutService";
pub(crate) const METADATA: &str = "/login/metadata";

/// Decodes `application/x-www-form-urlencoded`.
pub(crate) fn form(text: &str) -> HashMap<String, String> {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    fn decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            match (
                b[i],
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                (b'+', _, _) => out.push(b' '),
                (b'%', Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                (c, _, _) => out.push(c),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn refused(what: &str) -> Response {
    Response::html(
        400,
        pages::error("Żądanie odrzucone / request refused", what),
    )
}

fn child<'a>(n: Node<'a>, namespace: &str, local: &str) -> Option<Node<'a>> {
    n.child_elements().find(|c| c.is(namespace, local))
}

fn text(n: Option<Node<'_>>) -> Option<String> {
    n.and_then(|n| n.leaf_text()).map(|t| t.trim().to_owned())
}

/// A SAML 2.0 type-4 artifact: type, endpoint index, SHA-1(issuer), a random handle.
fn new_artifact(issuer: &str) -> Result<String, String> {
    let mut bytes = vec![0, 4, 0, 0];
    bytes.extend_from_slice(&openssl::sha::sha1(issuer.as_bytes()));
    let mut handle = [0u8; 20];
    openssl::rand::rand_bytes(&mut handle).map_err(|e| e.to_string())?;
    bytes.extend_from_slice(&handle);
    Ok(B64.encode(bytes))
}

impl Simulator {
    pub(crate) fn new(
        config: SimulatorConfig,
        idp: IdentityProvider,
        wk_cert: X509,
        base_url: &str,
    ) -> Self {
        Simulator {
            config,
            idp,
            wk_cert,
            base_url: base_url.trim_end_matches('/').to_owned(),
            citizens: built_in(),
            state: Mutex::new(State::default()),
        }
    }

    pub(crate) fn citizens(&self) -> &[TestCitizen] {
        &self.citizens
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Routes one request.
    pub(crate) fn handle(&self, r: &Request) -> Response {
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", SSO) | ("GET", SSO) => self.sso(r),
            ("POST", AUTHENTICATE) => self.authenticate(r),
            ("POST", RESOLVE) => self.resolve(&r.body),
            ("POST", SLO) => self.logout(&r.body),
            ("GET", METADATA) => self.metadata(),
            ("GET", "/") => Response::html(200, pages::index(self)),
            _ => Response::html(404, pages::error("Nie znaleziono / not found", &r.path)),
        }
    }

    fn fields(r: &Request) -> HashMap<String, String> {
        let mut f = form(&r.query);
        f.extend(form(&String::from_utf8_lossy(&r.body)));
        f
    }

    /// Checks a POSTed AuthnRequest like the integration environment does.
    fn sso(&self, r: &Request) -> Response {
        let f = Self::fields(r);
        let Some(b64) = f.get("SAMLRequest") else {
            return refused("brak SAMLRequest / no SAMLRequest field");
        };
        let xml = match B64.decode(b64.replace(['\r', '\n', ' '], "")) {
            Ok(x) => x,
            Err(_) => return refused("SAMLRequest is not base64 (WK expects it not deflated)"),
        };
        let pending = match self.check_authn_request(&xml) {
            Ok(p) => Pending {
                relay_state: f.get("RelayState").cloned(),
                ..p
            },
            Err(e) => return refused(&e),
        };
        let key = match fresh_id() {
            Ok(k) => k,
            Err(e) => return refused(e.message()),
        };
        if let Some(citizen) = f.get("eidpl_citizen") {
            let scenario = f.get("eidpl_scenario").map_or("success", String::as_str);
            return self.issue(pending, citizen, scenario);
        }
        let du = &self.config.dus[pending.du];
        let page = pages::picker(
            self,
            &key,
            du.provider_name.as_deref().unwrap_or(&du.entity_id),
        );
        self.state().pending.insert(key, pending);
        Response::html(200, page)
    }

    fn check_authn_request(&self, xml: &[u8]) -> Result<Pending, String> {
        let doc = Document::parse(xml, &ParseOptions::saml()).map_err(|e| e.to_string())?;
        let root = doc.root();
        if !root.is(ns::SAMLP, "AuthnRequest") {
            return Err(format!(
                "expected saml2p:AuthnRequest, got {}",
                root.qualified_name()
            ));
        }
        let issuer =
            text(child(root, ns::SAML, "Issuer")).ok_or("the AuthnRequest has no Issuer")?;
        let (du_index, du) = self
            .config
            .dus
            .iter()
            .enumerate()
            .find(|(_, d)| d.entity_id == issuer)
            .ok_or_else(|| format!("DU `{issuer}` is not registered with this simulator"))?;
        let verified = verify_enveloped(&doc, root, &du.signing_keys)
            .map_err(|e| format!("the DU signature does not verify: {e}"))?;
        let req = verified.element;
        check_registered(req, du, &self.url(SSO))?;
        let acs_url = req
            .attr("AssertionConsumerServiceURL")
            .unwrap_or_default()
            .to_owned();
        let loa = child(req, ns::SAMLP, "RequestedAuthnContext")
            .and_then(|c| text(child(c, ns::SAML, "AuthnContextClassRef")))
            .and_then(|u| Loa::from_uri(&u))
            .unwrap_or(Loa::Substantial);
        Ok(Pending {
            du: du_index,
            request_id: req.attr("ID").unwrap_or_default().to_owned(),
            acs_url,
            relay_state: None,
            loa,
        })
    }

    fn authenticate(&self, r: &Request) -> Response {
        let f = Self::fields(r);
        let pending = f
            .get("request")
            .and_then(|k| self.state().pending.remove(k));
        let Some(pending) = pending else {
            return refused("this login page has expired; start again from the service");
        };
        let citizen = f.get("citizen").map_or("", String::as_str);
        let scenario = f.get("scenario").map_or("success", String::as_str);
        self.issue(pending, citizen, scenario)
    }

    /// Issues an artifact and sends the browser back to the ACS with it.
    fn issue(&self, pending: Pending, citizen: &str, scenario: &str) -> Response {
        let Some(c) = self.citizens.iter().position(|t| t.id == citizen) else {
            return refused(&format!("unknown test citizen `{citizen}`"));
        };
        let Some(scenario) = Scenario::from_name(scenario) else {
            return refused(&format!("unknown scenario `{scenario}`"));
        };
        let artifact = match new_artifact(&self.config.issuer) {
            Ok(a) => a,
            Err(e) => return refused(&e),
        };
        let ttl = if scenario == Scenario::ArtifactExpired {
            -1
        } else {
            self.config.artifact_ttl_seconds
        };
        let form = post_form(
            &pending.acs_url,
            &[
                ("SAMLart", Some(artifact.as_str())),
                ("RelayState", pending.relay_state.as_deref()),
            ],
            None,
        );
        self.state().artifacts.insert(
            artifact,
            Issued {
                pending,
                citizen: c,
                scenario,
                expires: UtcTime::now().plus_seconds(ttl),
            },
        );
        Response::html(200, form)
    }

    /// Reads the one element in a SOAP Body and verifies its DU signature.
    fn soap_request<'d>(&self, doc: &'d Document, name: &str) -> Result<(Node<'d>, usize), String> {
        let root = doc.root();
        let message = child(root, ns::SOAP11, "Body")
            .and_then(|b| b.child_elements().next())
            .filter(|m| root.is(ns::SOAP11, "Envelope") && m.is(ns::SAMLP, name))
            .ok_or_else(|| format!("expected a SOAP envelope with saml2p:{name}"))?;
        let issuer = text(child(message, ns::SAML, "Issuer")).unwrap_or_default();
        let du = self
            .config
            .dus
            .iter()
            .position(|d| d.entity_id == issuer)
            .ok_or_else(|| format!("DU `{issuer}` is not registered"))?;
        let verified = verify_enveloped(doc, message, &self.config.dus[du].signing_keys)
            .map_err(|e| format!("the DU signature does not verify: {e}"))?;
        Ok((verified.element, du))
    }

    fn resolve(&self, body: &[u8]) -> Response {
        let doc = match Document::parse(body, &ParseOptions::saml()) {
            Ok(d) => d,
            Err(e) => return soap_fault(&e.to_string()),
        };
        let (resolve, du) = match self.soap_request(&doc, "ArtifactResolve") {
            Ok(x) => x,
            Err(e) => return soap_fault(&e),
        };
        let resolve_id = resolve.attr("ID").unwrap_or_default().to_owned();
        let artifact = text(child(resolve, ns::SAMLP, "Artifact")).unwrap_or_default();
        // Single use: taken out whatever happens next.
        let issued = self.state().artifacts.remove(&artifact);
        let now = UtcTime::now();
        let issued = match issued {
            Some(i) if i.pending.du != du => None,
            Some(i) if i.expires < now => None,
            other => other,
        };
        let Some(issued) = issued else {
            return self.refusal(
                &resolve_id,
                du,
                "the artifact is unknown, expired or already used",
            );
        };
        let p = &issued.pending;
        let registered = &self.config.dus[du];
        let citizen = &self.citizens[issued.citizen].citizen;
        let offset = match issued.scenario {
            Scenario::ClockAhead => 3600,
            Scenario::ClockBehind => -7200,
            _ => 0,
        };
        let session = match fresh_id() {
            Ok(id) => format!("_{id}"),
            Err(e) => return soap_fault(e.message()),
        };
        let mut a = LoginAnswer::new(
            &p.request_id,
            &resolve_id,
            &p.acs_url,
            &registered.entity_id,
            &registered.encryption_key,
            citizen,
            now.plus_seconds(offset),
        );
        a.assertion_id = Some(&session);
        a.loa = if issued.scenario == Scenario::LoaLow {
            Loa::Low
        } else {
            p.loa
        };
        match issued.scenario {
            Scenario::AuthnFailed => {
                a.refusal = Some(Refusal {
                    code: "Responder".into(),
                    second_level: Some("AuthnFailed".into()),
                    message: Some("Użytkownik przerwał logowanie".into()),
                })
            }
            Scenario::RequestDenied => {
                a.refusal = Some(Refusal {
                    code: "Requester".into(),
                    second_level: Some("RequestDenied".into()),
                    message: None,
                });
                a.omit_assertion = true;
            }
            Scenario::Cek16 => a.cek_len = 16,
            _ => {}
        }
        match self.idp.artifact_response(&a) {
            Ok(xml) => {
                if a.refusal.is_none() {
                    self.state().sessions.insert((
                        registered.entity_id.clone(),
                        citizen.name_id.clone(),
                        session.clone(),
                    ));
                }
                Response::xml(xml)
            }
            Err(e) => soap_fault(e.message()),
        }
    }

    /// A signed ArtifactResponse refusing the request (unknown or reused artifact).
    fn refusal(&self, resolve_id: &str, du: usize, message: &str) -> Response {
        let registered = &self.config.dus[du];
        let nobody = &self.citizens[0].citizen;
        let mut a = LoginAnswer::new(
            "",
            resolve_id,
            "",
            &registered.entity_id,
            &registered.encryption_key,
            nobody,
            UtcTime::now(),
        );
        a.refusal = Some(Refusal {
            code: "Requester".into(),
            second_level: Some("RequestDenied".into()),
            message: Some(message.into()),
        });
        a.omit_assertion = true;
        match self.idp.artifact_response(&a) {
            Ok(xml) => Response::xml(xml),
            Err(e) => soap_fault(e.message()),
        }
    }

    fn logout(&self, body: &[u8]) -> Response {
        let doc = match Document::parse(body, &ParseOptions::saml()) {
            Ok(d) => d,
            Err(e) => return soap_fault(&e.to_string()),
        };
        let (request, du) = match self.soap_request(&doc, "LogoutRequest") {
            Ok(x) => x,
            Err(e) => return soap_fault(&e),
        };
        let name_id = text(child(request, ns::SAML, "NameID")).unwrap_or_default();
        let session = text(child(request, ns::SAMLP, "SessionIndex")).unwrap_or_default();
        let key = (self.config.dus[du].entity_id.clone(), name_id, session);
        let known = self.state().sessions.remove(&key);
        let refusal = (!known).then(|| Refusal {
            code: "Responder".into(),
            second_level: Some("UnknownPrincipal".into()),
            message: Some("no such session".into()),
        });
        match self.idp.logout_response(
            request.attr("ID").unwrap_or_default(),
            None,
            refusal.as_ref(),
            UtcTime::now(),
        ) {
            Ok(xml) => Response::xml(xml),
            Err(e) => soap_fault(e.message()),
        }
    }

    fn metadata(&self) -> Response {
        let cert = self
            .wk_cert
            .to_der()
            .map(|d| B64.encode(d))
            .unwrap_or_default();
        Response::xml(format!(
            concat!(
                r#"<md:EntityDescriptor xmlns:md="{md}" xmlns:ds="{ds}" entityID="{issuer}">"#,
                r#"<md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="{samlp}">"#,
                r#"<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#,
                r#"<md:ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="{resolve}" index="0" isDefault="true"/>"#,
                r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="{slo}"/>"#,
                r#"<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>"#,
                r#"<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{sso}"/>"#,
                r#"</md:IDPSSODescriptor></md:EntityDescriptor>"#
            ),
            md = ns::MD,
            ds = ns::DS,
            samlp = ns::SAMLP,
            issuer = eidpl::xml::escape(&self.config.issuer),
            cert = cert,
            resolve = self.url(RESOLVE),
            slo = self.url(SLO),
            sso = self.url(SSO),
        ))
    }
}

/// Registration checks of the integration environment: ProviderName, Destination, ACS, binding.
fn check_registered(req: Node<'_>, du: &RegisteredDu, sso_url: &str) -> Result<(), String> {
    if let Some(expected) = &du.provider_name {
        let actual = req.attr("ProviderName").unwrap_or("(none)");
        if actual != expected {
            return Err(format!(
                "ProviderName `{actual}` differs from the registered `{expected}`"
            ));
        }
    }
    let destination = req.attr("Destination").unwrap_or("(none)");
    if destination != sso_url {
        return Err(format!(
            "Destination `{destination}` is not this endpoint `{sso_url}`"
        ));
    }
    let acs = req.attr("AssertionConsumerServiceURL").unwrap_or_default();
    if acs.is_empty() || (!du.acs_urls.is_empty() && !du.acs_urls.iter().any(|u| u == acs)) {
        return Err(format!(
            "AssertionConsumerServiceURL `{acs}` is not registered for this DU"
        ));
    }
    if req.attr("ProtocolBinding") != Some("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact") {
        return Err("ProtocolBinding must be HTTP-Artifact".into());
    }
    Ok(())
}

fn soap_fault(message: &str) -> Response {
    Response {
        status: 500,
        content_type: "text/xml; charset=utf-8",
        body: format!(
            r#"<soap11:Envelope xmlns:soap11="{}"><soap11:Body><soap11:Fault><faultcode>soap11:Client</faultcode><faultstring>{}</faultstring></soap11:Fault></soap11:Body></soap11:Envelope>"#,
            ns::SOAP11,
            eidpl::xml::escape(message)
        )
        .into_bytes(),
    }
}
