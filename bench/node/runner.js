// The Node runner of the benchmark harness (bench/run.py). Prints one JSON line per repetition:
// {"case", "impl", "rep", "ops", "seconds"}; a column it cannot measure prints
// {"case", "impl", "status"} instead.
//
//   node runner.js sig2-xmlcrypto|response-xmlcrypto|wk-eidpl-node DIR REPS
//   node runner.js check DIR
//   node runner.js wk-eidpl-node-count DIR N   validates the first N messages once (for callgrind)
//
// xml-crypto has no ECDSA: the ecdsa-sha256 SignatureMethod is registered through its documented
// extension point for signature algorithms (SignedXml#SignatureAlgorithms), backed by node:crypto.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { SignedXml } = require("xml-crypto");
const { DOMParser } = require("@xmldom/xmldom");

const DS = "http://www.w3.org/2000/09/xmldsig#";
const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
const ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

// Where the eidpl Node binding lives (bindings/node, built by its own make target); override
// with EIDPL_NODE_BINDING.
const BINDING = process.env.EIDPL_NODE_BINDING || path.resolve(__dirname, "../../bindings/node");

function emit(c, impl, rep, ops, seconds) {
  console.log(JSON.stringify({ case: c, impl, rep, ops, seconds }));
}

function measure(c, impl, reps, pass) {
  pass();
  for (let rep = 0; rep < reps; rep++) {
    const t = process.hrtime.bigint();
    const ops = pass();
    emit(c, impl, rep, ops, Number(process.hrtime.bigint() - t) / 1e9);
  }
}

async function measureAsync(c, impl, reps, pass) {
  await pass();
  for (let rep = 0; rep < reps; rep++) {
    const t = process.hrtime.bigint();
    const ops = await pass();
    emit(c, impl, rep, ops, Number(process.hrtime.bigint() - t) / 1e9);
  }
}

function forAtLeast(seconds, op) {
  const t = process.hrtime.bigint();
  let n = 0;
  while (n === 0 || Number(process.hrtime.bigint() - t) / 1e9 < seconds) {
    for (let i = 0; i < 8; i++) op();
    n += 8;
  }
  return n;
}

// XML-DSig ECDSA values are r‖s (IEEE P1363), which node:crypto verifies as such.
class EcdsaSha256 {
  getSignature(signedInfo, privateKey) {
    return crypto.sign("sha256", Buffer.from(signedInfo), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("base64");
  }

  verifySignature(material, key, signatureValue) {
    return crypto.verify(
      "sha256",
      Buffer.from(material),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(signatureValue, "base64"),
    );
  }

  getAlgorithmName() {
    return ECDSA_SHA256;
  }
}

// Verifies the enveloped signature that is a direct child of `el` with the pinned certificate
// (KeyInfo ignored), as node-saml drives xml-crypto.
function verifyElement(xml, doc, el, cert) {
  let sig = null;
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && c.namespaceURI === DS && c.localName === "Signature") sig = c;
  }
  if (!sig) throw new Error("no signature");
  const sx = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
  sx.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256;
  sx.loadSignature(sig);
  if (!sx.checkSignature(xml)) throw new Error("signature invalid");
  // The reference must be the element itself (xml-crypto resolves it by ID anywhere).
  const uri = sx.getReferences()[0].uri;
  if (uri !== "#" + el.getAttribute("ID")) throw new Error("reference points elsewhere");
}

function wkElements(doc) {
  const ar = doc.getElementsByTagNameNS(SAMLP, "ArtifactResponse")[0];
  let resp = null;
  for (let c = ar.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && c.namespaceURI === SAMLP && c.localName === "Response") resp = c;
  }
  return [ar, resp];
}

function verifyXml(xml, cert, wk) {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const els = wk ? wkElements(doc) : [doc.documentElement];
  for (const el of els) verifyElement(xml, doc, el, cert);
}

function loadWk(dir) {
  const wk = path.join(dir, "wk");
  const meta = JSON.parse(fs.readFileSync(path.join(wk, "messages.json"), "utf8"));
  return {
    dir: wk,
    meta,
    settings: JSON.parse(fs.readFileSync(path.join(wk, "settings.json"), "utf8")),
    cert: fs.readFileSync(path.join(wk, "wk_cert.pem"), "latin1"),
    messages: meta.messages.map((m) => ({
      bytes: fs.readFileSync(path.join(wk, m.file)),
      requestId: m.request_id,
      resolveId: m.artifact_resolve_id,
    })),
  };
}

function loadBinding() {
  try {
    return { binding: require(BINDING) };
  } catch (e) {
    return { error: `binding not built (require("${path.relative(process.cwd(), BINDING) || "."}") failed: ${e.code || "error"})` };
  }
}

async function run(kind, dir, reps) {
  if (kind === "sig2-xmlcrypto") {
    const w = loadWk(dir);
    const texts = w.messages.map((m) => m.bytes.toString("utf8"));
    // Messages in turn until 0.5 s have passed (at least 8): xml-crypto is slow enough that a
    // pass over every message would dominate the run.
    measure("wk_sig2", "xml-crypto", reps, () => {
      const t = process.hrtime.bigint();
      let n = 0;
      while (n < 8 || Number(process.hrtime.bigint() - t) / 1e9 < 0.5) {
        verifyXml(texts[n % texts.length], w.cert, true);
        n++;
      }
      return n;
    });
  } else if (kind === "response-xmlcrypto") {
    for (const alg of ["ecdsa", "rsa"]) {
      const xml = fs.readFileSync(path.join(dir, "dsig", `response-${alg}.xml`), "utf8");
      const cert = fs.readFileSync(path.join(dir, "dsig", `${alg}-cert.pem`), "latin1");
      measure(`response_${alg}`, "xml-crypto", reps, () => forAtLeast(0.3, () => verifyXml(xml, cert, false)));
    }
  } else if (kind === "wk-eidpl-node") {
    const { binding, error } = loadBinding();
    if (!binding) {
      console.log(JSON.stringify({ case: "wk_full", impl: "eidpl-node", status: error }));
      console.log(JSON.stringify({ case: "wk_full", impl: "eidpl-node-async", status: error }));
      return;
    }
    const w = loadWk(dir);
    const now = w.meta.now;
    // A fresh provider (empty replay cache) per pass, built outside the timing as in Rust.
    const pool = (n) => Array.from({ length: n }, () => new binding.WkServiceProvider(w.settings, { baseDir: w.dir }));
    const sync = pool(reps + 1);
    const later = pool(reps + 1);
    measure("wk_full", "eidpl-node", reps, () => {
      const sp = sync.pop();
      for (const m of w.messages) sp.validateArtifactResponseSync(m.bytes, { requestId: m.requestId, artifactResolveId: m.resolveId, now });
      return w.messages.length;
    });
    // The Promise API, awaited one at a time (the latency a request handler sees).
    await measureAsync("wk_full", "eidpl-node-async", reps, async () => {
      const sp = later.pop();
      for (const m of w.messages) await sp.validateArtifactResponse(m.bytes, { requestId: m.requestId, artifactResolveId: m.resolveId, now });
      return w.messages.length;
    });
  } else if (kind === "wk-eidpl-node-count") {
    const { binding, error } = loadBinding();
    if (!binding) throw new Error(error);
    const w = loadWk(dir);
    const opts = (m) => ({ requestId: m.requestId, artifactResolveId: m.resolveId, now: w.meta.now });
    // One message on another provider first, so that lazy set-up and the JIT are in every count.
    new binding.WkServiceProvider(w.settings, { baseDir: w.dir }).validateArtifactResponseSync(w.messages[0].bytes, opts(w.messages[0]));
    const sp = new binding.WkServiceProvider(w.settings, { baseDir: w.dir });
    for (const m of w.messages.slice(0, reps)) sp.validateArtifactResponseSync(m.bytes, opts(m));
  } else if (kind === "check") {
    const w = loadWk(dir);
    verifyXml(w.messages[0].bytes.toString("utf8"), w.cert, true);
    const rejects = (what, f) => {
      try {
        f();
      } catch (_) {
        return;
      }
      throw new Error(`check failed: ${what} was accepted`);
    };
    for (const bad of ["tampered-outer.xml", "tampered-inner.xml"]) {
      const xml = fs.readFileSync(path.join(w.dir, bad), "utf8");
      rejects(`xml-crypto ${bad}`, () => verifyXml(xml, w.cert, true));
    }
    for (const alg of ["ecdsa", "rsa"]) {
      const cert = fs.readFileSync(path.join(dir, "dsig", `${alg}-cert.pem`), "latin1");
      verifyXml(fs.readFileSync(path.join(dir, "dsig", `response-${alg}.xml`), "utf8"), cert, false);
      const forged = fs.readFileSync(path.join(dir, "dsig", `response-${alg}-tampered.xml`), "utf8");
      rejects(`xml-crypto response-${alg}-tampered`, () => verifyXml(forged, cert, false));
    }
    const { binding } = loadBinding();
    if (binding) {
      const m = w.messages[0];
      const forged = fs.readFileSync(path.join(w.dir, "tampered-inner.xml"));
      const sp = new binding.WkServiceProvider(w.settings, { baseDir: w.dir });
      rejects("eidpl-node tampered-inner.xml", () =>
        sp.validateArtifactResponseSync(forged, { requestId: m.requestId, artifactResolveId: m.resolveId, now: w.meta.now }),
      );
      sp.validateArtifactResponseSync(m.bytes, { requestId: m.requestId, artifactResolveId: m.resolveId, now: w.meta.now });
    }
    console.log(JSON.stringify({ check: "node", ok: true, eidpl_node: Boolean(binding) }));
  } else {
    throw new Error(`unknown runner ${kind}`);
  }
}

run(process.argv[2], process.argv[3], Number(process.argv[4] || 5)).catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
