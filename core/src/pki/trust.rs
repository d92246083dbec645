//! Trust anchors, intermediates and CRLs given by the caller, and chain validation with
//! OpenSSL's verifier at a given time — no network, no system trust store, no I/O.
//!
//! Anchors are trusted as they are, self-signed or not (`X509_V_FLAG_PARTIAL_CHAIN`): the EU
//! trusted lists publish the issuing CA certificates of qualified services, not their roots,
//! and a municipality may configure either. Intermediates and certificates from the document
//! (`KeyInfo`) are untrusted building material only.

use super::revocation::{self, Verdict};
use super::{is_pem, load_certificates};
use crate::error::{Error, ErrorCode, Result};
use crate::time::UtcTime;
use openssl::asn1::{Asn1Time, Asn1TimeRef};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::verify::{X509VerifyFlags, X509VerifyParam};
use openssl::x509::{X509Crl, X509KeyUsage, X509Ref, X509StoreContext, X509};
use std::path::Path;
use std::sync::Arc;

use super::chain::{status_of_openssl_error, ChainOutcome, ChainStatus, RequiredUsage};

/// At most this many intermediates between leaf and anchor (OpenSSL's depth counts neither);
/// real Polish chains have one or two.
const MAX_DEPTH: i32 = 6;
/// At most this many untrusted certificates (configured + from the document) are offered to
/// the chain builder, whose work grows with their number.
const MAX_UNTRUSTED: usize = 64;
/// OpenSSL security level 2 (112 bits): RSA and DSA ≥ 2048, EC ≥ 224, no SHA-1 or MD5 in
/// certificate signatures below the anchor. See PZ-PROFILE step 6.
const AUTH_LEVEL: i32 = 2;

/// Trust anchors, untrusted intermediates and CRLs for chain validation. Cheap to clone
/// (reference counted), `Send + Sync`: build once, share between threads.
#[derive(Clone, Default)]
pub struct TrustStore {
    anchors: Vec<X509>,
    intermediates: Vec<X509>,
    crls: Vec<Arc<X509Crl>>,
}

impl std::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustStore")
            .field("anchors", &self.anchors.len())
            .field("intermediates", &self.intermediates.len())
            .field("crls", &self.crls.len())
            .finish()
    }
}

fn add_unique(list: &mut Vec<X509>, certs: Vec<X509>) -> Result<usize> {
    let fingerprint = |c: &X509Ref| {
        c.digest(MessageDigest::sha256())
            .map(|d| d.to_vec())
            .map_err(|e| Error::new(ErrorCode::Internal, format!("OpenSSL: {e}")))
    };
    let mut known = list
        .iter()
        .map(|c| fingerprint(c))
        .collect::<Result<Vec<_>>>()?;
    let mut added = 0;
    for cert in certs {
        let fp = fingerprint(&cert)?;
        if !known.contains(&fp) {
            known.push(fp);
            list.push(cert);
            added += 1;
        }
    }
    Ok(added)
}

fn crl_invalid(e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("could not read a CRL: {e}"),
    )
}

/// Every CRL in `bytes`: one DER CRL, or any number of PEM `X509 CRL` blocks.
fn load_crls(bytes: &[u8]) -> Result<Vec<X509Crl>> {
    const BEGIN: &[u8] = b"-----BEGIN X509 CRL-----";
    const END: &[u8] = b"-----END X509 CRL-----";
    if !is_pem(bytes) {
        return Ok(vec![X509Crl::from_der(bytes).map_err(crl_invalid)?]);
    }
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut crls = Vec::new();
    let mut rest = bytes;
    while let Some(start) = find(rest, BEGIN) {
        let block = rest.get(start..).unwrap_or_default();
        let end = find(block, END).ok_or_else(|| crl_invalid("unterminated PEM block"))?;
        let (pem, after) = block.split_at(end + END.len());
        crls.push(X509Crl::from_pem(pem).map_err(crl_invalid)?);
        rest = after;
    }
    if crls.is_empty() {
        return Err(crl_invalid("no X509 CRL block in the input"));
    }
    Ok(crls)
}

impl TrustStore {
    /// An empty store: every chain is [`ChainStatus::NoChainFound`] until anchors are added.
    pub fn new() -> TrustStore {
        TrustStore::default()
    }

    /// A store with the anchors in these files (PEM bundles or DER certificates).
    pub fn from_pem_files<P: AsRef<Path>>(anchor_files: &[P]) -> Result<TrustStore> {
        let mut store = TrustStore::new();
        for path in anchor_files {
            let path = path.as_ref();
            let bytes = std::fs::read(path)
                .map_err(|e| Error::from(e).with("path", path.display().to_string()))?;
            store
                .add_anchors(&bytes)
                .map_err(|e| e.with("path", path.display().to_string()))?;
        }
        Ok(store)
    }

    /// Adds trust anchors (PEM bundle or one DER certificate); returns how many were new.
    pub fn add_anchors(&mut self, bytes: &[u8]) -> Result<usize> {
        add_unique(&mut self.anchors, load_certificates(bytes)?)
    }

    /// Adds untrusted intermediate CA certificates used to build chains; returns how many
    /// were new. They never make a chain trusted on their own.
    pub fn add_intermediates(&mut self, bytes: &[u8]) -> Result<usize> {
        add_unique(&mut self.intermediates, load_certificates(bytes)?)
    }

    /// Adds CRLs (PEM bundle or one DER CRL); returns how many were read. Once any CRL is
    /// present, every certificate below an anchor needs a usable CRL from its issuer.
    pub fn add_crls(&mut self, bytes: &[u8]) -> Result<usize> {
        let crls = load_crls(bytes)?;
        let n = crls.len();
        self.crls.extend(crls.into_iter().map(Arc::new));
        Ok(n)
    }

    /// True when there is no trust anchor (nothing can be valid).
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// The configured trust anchors.
    pub fn anchors(&self) -> &[X509] {
        &self.anchors
    }

    fn x509_store(&self, at: UtcTime) -> std::result::Result<X509Store, ErrorStack> {
        let mut param = X509VerifyParam::new()?;
        // Checked representable by the caller; never fall back to OpenSSL's "now".
        param.set_time(time_t(at).ok_or_else(ErrorStack::get)?);
        param.set_flags(X509VerifyFlags::PARTIAL_CHAIN)?;
        param.set_depth(MAX_DEPTH);
        param.set_auth_level(AUTH_LEVEL);
        let mut builder = X509StoreBuilder::new()?;
        for anchor in &self.anchors {
            builder.add_cert(anchor.clone())?;
        }
        builder.set_param(&param)?;
        Ok(builder.build())
    }

    /// Validates `leaf` at `at`: builds a chain to an anchor from the configured
    /// intermediates and `extra` (e.g. the `KeyInfo` certificates), checks validity periods,
    /// CA constraints, key sizes and signature algorithms (OpenSSL level 2), the leaf's
    /// keyUsage for `usage`, and — when CRLs were supplied — revocation of every certificate
    /// below the anchor. Never performs I/O. An empty store gives
    /// [`ChainStatus::NoChainFound`].
    ///
    /// `at` is the validation time for every certificate and CRL: a CRL is used only when
    /// `at` lies within its thisUpdate … nextUpdate, as with OpenSSL's own CRL checks.
    pub fn verify_chain(
        &self,
        leaf: &X509Ref,
        extra: &[X509],
        at: UtcTime,
        usage: RequiredUsage,
    ) -> ChainOutcome {
        let fallback = || vec![leaf.to_owned()];
        if self.anchors.is_empty() {
            return ChainOutcome::failed(
                ChainStatus::NoChainFound,
                fallback(),
                Some(0),
                "no trust anchor is configured".into(),
            );
        }
        let Some(at_asn1) = time_t(at).and_then(|t| Asn1Time::from_unix(t).ok()) else {
            return ChainOutcome::failed(
                ChainStatus::Invalid,
                fallback(),
                None,
                format!("the validation time {at} cannot be represented on this platform"),
            );
        };
        let built = self.build(leaf, extra, at);
        // OpenSSL may leave entries on this thread's error queue; do not leak them to the
        // next unrelated call.
        drop(ErrorStack::get());
        let (ok, chain, error) = match built {
            Ok(b) => b,
            Err(e) => {
                return ChainOutcome::failed(
                    ChainStatus::Invalid,
                    fallback(),
                    None,
                    format!("OpenSSL: {e}"),
                )
            }
        };
        let chain = if chain.is_empty() { fallback() } else { chain };
        if !ok {
            let (code, depth, text) = error;
            return ChainOutcome::failed(status_of_openssl_error(code), chain, Some(depth), text);
        }
        if let Err(why) = usage.check(leaf) {
            return ChainOutcome::failed(ChainStatus::KeyUsage, chain, Some(0), why);
        }
        self.revocation(chain, &at_asn1)
    }

    /// Runs OpenSSL's verifier: (verified, chain as built, (error code, depth, message)).
    #[allow(clippy::type_complexity)]
    fn build(
        &self,
        leaf: &X509Ref,
        extra: &[X509],
        at: UtcTime,
    ) -> std::result::Result<(bool, Vec<X509>, (i32, usize, String)), ErrorStack> {
        let store = self.x509_store(at)?;
        let mut untrusted = Stack::new()?;
        for cert in self.intermediates.iter().chain(extra).take(MAX_UNTRUSTED) {
            untrusted.push(cert.clone())?;
        }
        let mut ctx = X509StoreContext::new()?;
        ctx.init(&store, leaf, &untrusted, |c| {
            let ok = c.verify_cert()?;
            let chain = c
                .chain()
                .map(|s| s.iter().map(X509Ref::to_owned).collect())
                .unwrap_or_default();
            let depth = usize::try_from(c.error_depth()).unwrap_or(usize::MAX);
            let error = c.error();
            let subject = c.current_cert().map(super::subject_line);
            let text = match subject {
                Some(s) => format!("{} (depth {depth}: {s})", error.error_string()),
                None => error.error_string().to_owned(),
            };
            Ok((ok, chain, (error.as_raw(), depth, text)))
        })
    }

    fn revocation(&self, chain: Vec<X509>, at: &Asn1TimeRef) -> ChainOutcome {
        if self.crls.is_empty() {
            return ChainOutcome {
                status: ChainStatus::Valid,
                chain,
                detail: "chain valid; revocation not checked (no CRLs supplied)".into(),
                revocation_checked: false,
                failed_index: None,
            };
        }
        match revocation::check(&chain, &self.crls, at) {
            Verdict::Good => ChainOutcome {
                status: ChainStatus::Valid,
                chain,
                detail: "chain valid; not revoked (CRL)".into(),
                revocation_checked: true,
                failed_index: None,
            },
            Verdict::Revoked { index, detail } => {
                let detail = describe(&chain, index, &detail);
                let mut out =
                    ChainOutcome::failed(ChainStatus::Revoked, chain, Some(index), detail);
                out.revocation_checked = true;
                out
            }
            Verdict::Unknown { index, detail } => {
                let detail = describe(&chain, index, &detail);
                ChainOutcome::failed(ChainStatus::RevocationUnknown, chain, Some(index), detail)
            }
        }
    }
}

/// `at` in whole seconds as `time_t`; None when it does not fit (a 32-bit `time_t` after 2038).
fn time_t<T: TryFrom<i64>>(at: UtcTime) -> Option<T> {
    T::try_from(at.unix_seconds()).ok()
}

fn describe(chain: &[X509], index: usize, what: &str) -> String {
    match chain.get(index) {
        Some(c) => format!("{} (depth {index}): {what}", super::subject_line(c)),
        None => what.to_owned(),
    }
}

impl RequiredUsage {
    fn check(self, leaf: &X509Ref) -> std::result::Result<(), String> {
        match self {
            RequiredUsage::Any => Ok(()),
            RequiredUsage::NonRepudiationOrDigitalSignature => match leaf.key_usage() {
                None => Err("the certificate has no keyUsage extension".into()),
                Some(ku)
                    if ku.intersects(
                        X509KeyUsage::DIGITAL_SIGNATURE | X509KeyUsage::NON_REPUDIATION,
                    ) =>
                {
                    Ok(())
                }
                Some(_) => {
                    Err("keyUsage allows neither digitalSignature nor nonRepudiation".into())
                }
            },
        }
    }
}
