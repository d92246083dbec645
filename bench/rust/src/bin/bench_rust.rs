//! The Rust runner of the benchmark harness (bench/run.py). Reads what `bench_fixtures` wrote and
//! prints one JSON line per repetition: `{"case", "impl", "rep", "ops", "seconds"}`.
//!
//! * `wk DIR REPS`: full WK validation (fresh service provider with its in-memory replay cache
//!   per repetition, one pass over every message; and with a replay store that always accepts,
//!   as core/benches/wk.rs), the crypto floor of the same messages (2 ECDSA verifications with
//!   their SHA-256 digests, 1 ECDH, ConcatKDF, AES key unwrap, AES-GCM: the definition of
//!   core/tests/common/wk_floor.rs, which core/benches/wk.rs uses too), and the verification of the two WK signatures alone with its own floor.
//! * `dsig DIR REPS`: the signed SAML Responses (ECDSA P-256, RSA-2048) and their floor.
//! * `pz FILE ANCHORS NOW [--in-memory]`: one PZ document verification, streamed from the file
//!   or from the bytes read first (peak RSS is measured by the parent).
//! * `check DIR`: every tampered input is rejected and every good one accepted.
#![allow(clippy::unwrap_used)]

#[path = "../../../../core/tests/common/wk_floor.rs"]
mod floor;

use eidpl::dsig::{verify_enveloped, TrustedKeys};
use eidpl::time::UtcTime;
use eidpl::wk::{Expected, ReplayStore, ServiceProvider, Settings};
use eidpl::xml::{ns, C14nMethod, Document, Exclusion, ParseOptions, Selection};
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::pkey::{PKey, Private, Public};
use openssl::sha::sha256;
use openssl::x509::X509;
use serde_json::{json, Value};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Validating the same messages in every repetition is a replay by design.
struct NoReplayCheck;

impl ReplayStore for NoReplayCheck {
    fn insert_once(&self, _: &str, _: UtcTime, _: UtcTime) -> eidpl::Result<bool> {
        Ok(true)
    }
}

fn emit(case: &str, imp: &str, rep: usize, ops: usize, seconds: f64) {
    println!(
        "{}",
        json!({ "case": case, "impl": imp, "rep": rep, "ops": ops, "seconds": seconds })
    );
}

/// One timed pass, with its case and implementation; returns its op count.
type Pass<'a> = (&'a str, &'a str, Box<dyn FnMut() -> usize + 'a>);

/// Each pass once untimed (warm-up), then `reps` rounds of every pass in turn: a slow spell of the
/// machine falls on all of them alike, so their ratios (eidpl to its floor) move less.
fn measure_interleaved(reps: usize, mut passes: Vec<Pass<'_>>) {
    for (_, _, pass) in &mut passes {
        pass();
    }
    for rep in 0..reps {
        for (case, imp, pass) in &mut passes {
            let t = Instant::now();
            let ops = pass();
            emit(case, imp, rep, ops, t.elapsed().as_secs_f64());
        }
    }
}

/// Repeats `op` until at least `min_seconds` have passed; returns the count.
fn for_at_least(min_seconds: f64, mut op: impl FnMut()) -> usize {
    let t = Instant::now();
    let mut n = 0;
    while n == 0 || t.elapsed().as_secs_f64() < min_seconds {
        for _ in 0..16 {
            op();
        }
        n += 16;
    }
    n
}

struct Message {
    bytes: Vec<u8>,
    request_id: String,
    resolve_id: String,
}

struct Wk {
    settings: Value,
    now: UtcTime,
    messages: Vec<Message>,
    wk_cert_pem: Vec<u8>,
    enc_key: PKey<Private>,
}

fn load_wk(dir: &Path) -> Wk {
    let wk = dir.join("wk");
    let read = |f: &str| std::fs::read(wk.join(f)).unwrap();
    let meta: Value = serde_json::from_slice(&read("messages.json")).unwrap();
    let messages = meta["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| Message {
            bytes: read(m["file"].as_str().unwrap()),
            request_id: m["request_id"].as_str().unwrap().to_owned(),
            resolve_id: m["artifact_resolve_id"].as_str().unwrap().to_owned(),
        })
        .collect();
    Wk {
        settings: serde_json::from_slice(&read("settings.json")).unwrap(),
        now: UtcTime::parse(meta["now"].as_str().unwrap()).unwrap(),
        messages,
        wk_cert_pem: read("wk_cert.pem"),
        enc_key: PKey::private_key_from_pem(&read("enc_key.pem")).unwrap(),
    }
}

impl Wk {
    fn sp(&self) -> ServiceProvider {
        ServiceProvider::new(Settings::from_value(&self.settings, None).unwrap()).unwrap()
    }

    fn expected<'a>(&self, m: &'a Message) -> Expected<'a> {
        Expected {
            authn_request_id: &m.request_id,
            artifact_resolve_id: Some(&m.resolve_id),
            now: Some(self.now),
            minimum_loa: None,
        }
    }
}

fn cert(pem: &[u8]) -> X509 {
    X509::from_pem(pem).unwrap()
}

fn verify_wk_signatures(bytes: &[u8], keys: &TrustedKeys) -> eidpl::Result<()> {
    let doc = Document::parse(bytes, &ParseOptions::saml())?;
    for el in floor::signed_elements(&doc) {
        verify_enveloped(&doc, el, keys)?;
    }
    Ok(())
}

fn wk(dir: &Path, reps: usize) {
    let w = load_wk(dir);
    let n = w.messages.len();
    // A fresh provider (empty replay cache) for each pass (the warm-up too), built untimed.
    let mut fresh = (0..=reps).map(|_| w.sp()).collect::<Vec<_>>().into_iter();
    let unchecked = w.sp().with_replay_store(Arc::new(NoReplayCheck));
    let wk_cert = cert(&w.wk_cert_pem);
    let floors: Vec<floor::Floor> = w
        .messages
        .iter()
        .map(|m| {
            let doc = Document::parse(&m.bytes, &ParseOptions::saml()).unwrap();
            floor::floor(&doc, &wk_cert)
        })
        .collect();
    let keys = TrustedKeys::from_pem(&w.wk_cert_pem).unwrap();
    let validate_all = |sp: &ServiceProvider| {
        for m in &w.messages {
            black_box(
                sp.validate_artifact_response(black_box(&m.bytes), &w.expected(m))
                    .unwrap(),
            );
        }
        n
    };
    measure_interleaved(
        reps,
        vec![
            (
                "wk_full",
                "eidpl-rust",
                Box::new(|| validate_all(&fresh.next().unwrap())),
            ),
            (
                "wk_full",
                "eidpl-rust-no-replay-cache",
                Box::new(|| validate_all(&unchecked)),
            ),
            (
                "wk_full",
                "crypto-floor",
                Box::new(|| {
                    for f in &floors {
                        black_box(floor::run(f, &w.enc_key));
                    }
                    n
                }),
            ),
        ],
    );
    measure_interleaved(
        reps,
        vec![
            (
                "wk_sig2",
                "eidpl-rust",
                Box::new(|| {
                    for m in &w.messages {
                        verify_wk_signatures(black_box(&m.bytes), &keys).unwrap();
                    }
                    n
                }),
            ),
            (
                "wk_sig2",
                "crypto-floor",
                Box::new(|| {
                    for f in &floors {
                        floor::run_signatures(f);
                    }
                    n
                }),
            ),
        ],
    );
}

fn verify_response(bytes: &[u8], keys: &TrustedKeys) -> eidpl::Result<()> {
    let doc = Document::parse(bytes, &ParseOptions::saml())?;
    verify_enveloped(&doc, doc.root(), keys).map(|_| ())
}

fn dsig(dir: &Path, reps: usize) {
    let d = dir.join("dsig");
    for alg in ["ecdsa", "rsa"] {
        let bytes = std::fs::read(d.join(format!("response-{alg}.xml"))).unwrap();
        let keys =
            TrustedKeys::from_pem(&std::fs::read(d.join(format!("{alg}-cert.pem"))).unwrap())
                .unwrap();
        let pem = std::fs::read(d.join(format!("{alg}-cert.pem"))).unwrap();
        let floor = response_floor(&bytes, &pem);
        let case = format!("response_{alg}");
        measure_interleaved(
            reps,
            vec![
                (
                    &case,
                    "eidpl-rust",
                    Box::new(|| {
                        for_at_least(0.3, || verify_response(black_box(&bytes), &keys).unwrap())
                    }),
                ),
                (
                    &case,
                    "crypto-floor",
                    Box::new(|| for_at_least(0.3, &floor)),
                ),
            ],
        );
    }
}

/// The floor of one signed Response: SHA-256 of its canonical content and one verification of
/// the canonical SignedInfo (both made beforehand).
fn response_floor(bytes: &[u8], cert_pem: &[u8]) -> impl Fn() {
    let doc = Document::parse(bytes, &ParseOptions::saml()).unwrap();
    let exc = C14nMethod::Exclusive {
        inclusive_prefixes: Vec::new(),
    };
    let root = doc.root();
    let sig = root
        .child_elements()
        .find(|c| c.is(ns::DS, "Signature"))
        .unwrap();
    let content = doc
        .canonicalize_to_vec(Selection::Subtree(root), Exclusion::Subtree(sig), &exc)
        .unwrap();
    let signed_info = doc
        .canonicalize_to_vec(
            Selection::Subtree(floor::find(sig, ns::DS, "SignedInfo")),
            Exclusion::Nothing,
            &exc,
        )
        .unwrap();
    let mut value = floor::signature_value(sig);
    let key: PKey<Public> = cert(cert_pem).public_key().unwrap();
    if key.ec_key().is_ok() {
        // r‖s to the DER that OpenSSL verifies.
        value = EcdsaSig::from_private_components(
            BigNum::from_slice(&value[..32]).unwrap(),
            BigNum::from_slice(&value[32..]).unwrap(),
        )
        .unwrap()
        .to_der()
        .unwrap();
    }
    move || {
        black_box(sha256(black_box(&content)));
        let mut v =
            openssl::sign::Verifier::new(openssl::hash::MessageDigest::sha256(), &key).unwrap();
        v.update(black_box(&signed_info)).unwrap();
        assert!(v.verify(&value).unwrap());
    }
}

/// `in_memory`: the whole file read first and verified from memory (`verify_document`, what a
/// binding handed bytes does); otherwise streamed from the file (`verify_reader`, as the CLI).
fn pz(file: &Path, anchors: &Path, now: &str, in_memory: bool) {
    let mut trust = eidpl::pki::TrustStore::new();
    trust.add_anchors(&std::fs::read(anchors).unwrap()).unwrap();
    let options = eidpl::xades::VerifyOptions {
        trust,
        now: Some(UtcTime::parse(now.trim()).unwrap()),
        ..Default::default()
    };
    let size = std::fs::metadata(file).unwrap().len();
    let t = Instant::now();
    let report = if in_memory {
        eidpl::xades::verify_document(&std::fs::read(file).unwrap(), &options)
    } else {
        let mut f = std::io::BufReader::new(std::fs::File::open(file).unwrap());
        eidpl::xades::verify_reader(&mut f, &options)
    };
    let seconds = t.elapsed().as_secs_f64();
    let imp = if in_memory {
        "eidpl-rust-in-memory"
    } else {
        "eidpl-rust"
    };
    let verdict = match &report {
        Ok(r) => format!("{:?}", r.verdict).to_lowercase(),
        Err(e) => format!("error: {e}"),
    };
    println!(
        "{}",
        json!({ "case": "pz", "impl": imp, "bytes": size, "seconds": seconds, "verdict": verdict })
    );
    if verdict != "valid" {
        std::process::exit(1);
    }
}

/// eidpl accepts the good inputs and rejects the tampered ones (the harness refuses to report
/// figures of a verifier that does not verify).
fn check(dir: &Path) {
    let w = load_wk(dir);
    let sp = w.sp();
    let m = &w.messages[0];
    for bad in ["tampered-outer.xml", "tampered-inner.xml"] {
        let bytes = std::fs::read(dir.join("wk").join(bad)).unwrap();
        assert!(sp
            .validate_artifact_response(&bytes, &w.expected(m))
            .is_err());
        let keys = TrustedKeys::from_pem(&w.wk_cert_pem).unwrap();
        assert!(verify_wk_signatures(&bytes, &keys).is_err());
    }
    let login = sp
        .validate_artifact_response(&m.bytes, &w.expected(m))
        .unwrap();
    assert!(!login.name_id.is_empty());
    // The measured path is a clean login: a warning would mean a stale fixture.
    assert!(login.warnings.is_empty(), "{:?}", login.warnings);
    let d = dir.join("dsig");
    for alg in ["ecdsa", "rsa"] {
        let keys =
            TrustedKeys::from_pem(&std::fs::read(d.join(format!("{alg}-cert.pem"))).unwrap())
                .unwrap();
        let good = std::fs::read(d.join(format!("response-{alg}.xml"))).unwrap();
        let bad = std::fs::read(d.join(format!("response-{alg}-tampered.xml"))).unwrap();
        verify_response(&good, &keys).unwrap();
        assert!(verify_response(&bad, &keys).is_err());
    }
    println!("{}", json!({ "check": "eidpl-rust", "ok": true }));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> &str { args.get(i).map(String::as_str).unwrap_or("") };
    let reps = || arg(2).parse::<usize>().unwrap_or(5);
    match arg(0) {
        "wk" => wk(&PathBuf::from(arg(1)), reps()),
        "dsig" => dsig(&PathBuf::from(arg(1)), reps()),
        "pz" => pz(
            &PathBuf::from(arg(1)),
            &PathBuf::from(arg(2)),
            arg(3),
            arg(4) == "--in-memory",
        ),
        "check" => check(&PathBuf::from(arg(1))),
        _ => {
            eprintln!(
                "usage: bench_rust wk|dsig DIR REPS | pz FILE ANCHORS NOW [--in-memory] | check DIR"
            );
            std::process::exit(2);
        }
    }
}
