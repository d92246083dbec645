"""The Python runner of the benchmark harness (bench/run.py), run in target/bench-venv. Reads what
bench_fixtures wrote and prints one JSON line per repetition:
`{"case", "impl", "rep", "ops", "seconds"}` (PZ: one line with "bytes" and "seconds").

    runner.py wk-eidpl|wk-reference|sig2-reference|sig2-xmlsec|sig2-signxml DIR REPS
    runner.py response-xmlsec|response-signxml DIR REPS
    runner.py pz-xmlsec|pz-signxml|pz-eidpl|pz-eidpl-in-memory FILE ANCHORS NOW
    runner.py check DIR        every verifier rejects the tampered inputs, accepts the good ones
    runner.py wk-eidpl-count DIR N   validates the first N messages once (for callgrind)
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

from lxml import etree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_wk  # noqa: E402

SAMLP = reference_wk.SAMLP
SOAP = reference_wk.SOAP
DS = reference_wk.DS


def emit(case: str, impl: str, rep: int, ops: int, seconds: float) -> None:
    print(json.dumps({"case": case, "impl": impl, "rep": rep, "ops": ops, "seconds": seconds}), flush=True)


def measure(case: str, impl: str, reps: int, one_pass: Callable[[], int]) -> None:
    """One untimed warm-up pass, then `reps` timed passes; a pass returns its op count."""
    one_pass()
    for rep in range(reps):
        t = time.perf_counter()
        ops = one_pass()
        emit(case, impl, rep, ops, time.perf_counter() - t)


def for_at_least(seconds: float, op: Callable[[], object]) -> int:
    t = time.perf_counter()
    n = 0
    while n == 0 or time.perf_counter() - t < seconds:
        for _ in range(8):
            op()
        n += 8
    return n


def cycling(items: list, op: Callable[[object], object], seconds: float = 0.5) -> int:
    """Applies `op` to `items` in turn until `seconds` have passed (at least 8 ops): a pass of a
    slow verifier stays short without dropping any message from the rotation."""
    t = time.perf_counter()
    n = 0
    while n < 8 or time.perf_counter() - t < seconds:
        op(items[n % len(items)])
        n += 1
    return n


class Wk:
    def __init__(self, d: Path) -> None:
        wk = d / "wk"
        self.dir = wk
        self.meta = json.loads((wk / "messages.json").read_text())
        self.settings = json.loads((wk / "settings.json").read_text())
        self.now = dt.datetime.fromisoformat(self.meta["now"].replace("Z", "+00:00"))
        self.messages = [
            (
                (wk / m["file"]).read_bytes(),
                m["request_id"],
                m["artifact_resolve_id"],
            )
            for m in self.meta["messages"]
        ]
        self.wk_cert = (wk / "wk_cert.pem").read_bytes()
        self.enc_key = (wk / "enc_key.pem").read_bytes()

    def reference(self) -> reference_wk.ReferenceServiceProvider:
        return reference_wk.ReferenceServiceProvider(
            self.wk_cert,
            self.enc_key,
            issuer=self.meta["issuer"],
            sp_entity_id=self.meta["sp_entity_id"],
            acs_url=self.meta["acs_url"],
        )


def wk_parts(root: etree._Element) -> list[etree._Element]:
    ar = root.find(f"{{{SOAP}}}Body/{{{SAMLP}}}ArtifactResponse")
    assert ar is not None
    resp = ar.find(f"{{{SAMLP}}}Response")
    assert resp is not None
    return [ar, resp]


# --- python-xmlsec (libxmlsec1) -------------------------------------------------------------------


def xmlsec_verifier(cert_pem: bytes) -> Callable[[bytes, int], None]:
    """Verifies the `count` outermost-first enveloped signatures of a SAML message with the pinned
    certificate, the way python3-saml and django-logingovpl drive libxmlsec1."""
    import xmlsec

    key = xmlsec.Key.from_memory(cert_pem, xmlsec.constants.KeyDataFormatCertPem)

    def verify(data: bytes, wk: int) -> None:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        xmlsec.tree.add_ids(root, ["ID"])
        elements = wk_parts(root) if wk else [root]
        for el in elements:
            sig = xmlsec.tree.find_child(el, "Signature", xmlsec.constants.DSigNs)
            ctx = xmlsec.SignatureContext()
            ctx.key = key
            ctx.verify(sig)  # raises xmlsec.VerificationError

    return verify


# --- signxml ------------------------------------------------------------------------------------


def signxml_verifier(cert_pem: bytes) -> Callable[[bytes, int], None]:
    from signxml import XMLVerifier

    cert = cert_pem.decode()

    def verify(data: bytes, wk: int) -> None:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        elements = wk_parts(root) if wk else [root]
        for el in elements:
            # signxml verifies the first ds:Signature under the element it is given; the element
            # is passed as a document of its own (a copy), which is how signxml reads input.
            XMLVerifier().verify(etree.tostring(el), x509_cert=cert, id_attribute="ID")

    return verify


def run_wk(kind: str, d: Path, reps: int) -> None:
    w = Wk(d)
    n = len(w.messages)
    if kind == "wk-eidpl":
        import eidpl

        # A fresh provider (empty replay cache) per pass, built outside the timing as in Rust.
        fresh = iter([eidpl.WkServiceProvider(w.settings) for _ in range(reps + 1)])

        def one_pass() -> int:
            sp = next(fresh)
            for data, rid, aid in w.messages:
                sp.validate_artifact_response(data, request_id=rid, artifact_resolve_id=aid, now=w.now)
            return n

        measure("wk_full", "eidpl-python", reps, one_pass)
    elif kind == "wk-eidpl-count":
        import eidpl

        # One message on another provider first, so that lazy set-up is in every count.
        data, rid, aid = w.messages[0]
        eidpl.WkServiceProvider(w.settings).validate_artifact_response(data, request_id=rid, artifact_resolve_id=aid, now=w.now)
        sp = eidpl.WkServiceProvider(w.settings)
        for data, rid, aid in w.messages[:reps]:
            sp.validate_artifact_response(data, request_id=rid, artifact_resolve_id=aid, now=w.now)
    elif kind == "wk-reference":

        fresh_ref = iter([w.reference() for _ in range(reps + 1)])

        def one_pass() -> int:
            sp = next(fresh_ref)
            for data, rid, aid in w.messages:
                sp.validate(data, request_id=rid, artifact_resolve_id=aid, now=w.now)
            return n

        measure("wk_full", "reference-lxml-cryptography", reps, one_pass)
    elif kind == "sig2-reference":
        sp = w.reference()

        measure("wk_sig2", "reference-lxml-cryptography", reps, lambda: cycling(w.messages, lambda m: sp.verify_signatures(m[0])))
    elif kind in ("sig2-xmlsec", "sig2-signxml"):
        verify = (xmlsec_verifier if kind == "sig2-xmlsec" else signxml_verifier)(w.wk_cert)
        impl = "python-xmlsec" if kind == "sig2-xmlsec" else "signxml"

        measure("wk_sig2", impl, reps, lambda: cycling(w.messages, lambda m: verify(m[0], 1)))


def run_response(kind: str, d: Path, reps: int) -> None:
    for alg in ("ecdsa", "rsa"):
        data = (d / "dsig" / f"response-{alg}.xml").read_bytes()
        cert = (d / "dsig" / f"{alg}-cert.pem").read_bytes()
        if kind == "response-xmlsec":
            verify, impl = xmlsec_verifier(cert), "python-xmlsec"
        else:
            verify, impl = signxml_verifier(cert), "signxml"
        measure(f"response_{alg}", impl, reps, lambda: for_at_least(0.3, lambda: verify(data, 0)))


# --- PZ documents -------------------------------------------------------------------------------


def signer_cert_pem(sig: etree._Element) -> bytes:
    """The first X509Certificate of the signature's KeyInfo (the signer's: the PZ seal)."""
    el = sig.find(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    assert el is not None and el.text
    b64 = "".join(el.text.split())
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n").encode()


def _huge_parser() -> etree.XMLParser:
    # Large ePUAP attachments are single text nodes far over libxml2's 10 MB default.
    return etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def pz_xmlsec(data: bytes | Path) -> None:
    import xmlsec

    # From a file, lxml parses as it reads (no copy of the document's bytes in memory).
    root = (
        etree.parse(str(data), _huge_parser()).getroot()
        if isinstance(data, Path)
        else etree.fromstring(data, _huge_parser())
    )
    sig = root.find(f"{{{DS}}}Signature")
    assert sig is not None
    xmlsec.tree.add_ids(root, ["Id"])
    ctx = xmlsec.SignatureContext()
    ctx.key = xmlsec.Key.from_memory(signer_cert_pem(sig), xmlsec.constants.KeyDataFormatCertPem)
    ctx.verify(sig)


def pz_signxml(data: bytes) -> None:
    from signxml import XMLVerifier

    # The signer's certificate, without a second parse: the signature is the last child.
    tail = etree.fromstring(
        data[data.rindex(b"<ds:Signature ") : data.rindex(b"</ds:Signature>") + 15], etree.XMLParser(recover=True)
    )
    XMLVerifier().verify(data, x509_cert=signer_cert_pem(tail).decode(), parser=_huge_parser(), expect_references=2)


def run_pz(kind: str, file: Path, anchors: Path, now: str) -> None:
    size = file.stat().st_size
    t = time.perf_counter()
    verdict = "valid"
    if kind in ("pz-eidpl", "pz-eidpl-in-memory"):
        import eidpl

        options = {
            "trust_anchors": anchors.read_bytes(),
            "now": dt.datetime.fromisoformat(now.strip().replace("Z", "+00:00")),
        }
        if kind == "pz-eidpl":
            report = eidpl.verify_document_file(file, **options)
        else:
            report = eidpl.verify_document(file.read_bytes(), **options)
        verdict = report.verdict
    elif kind == "pz-xmlsec":
        pz_xmlsec(file)
    else:
        pz_signxml(file.read_bytes())
    seconds = time.perf_counter() - t
    print(json.dumps({"case": "pz", "impl": kind, "bytes": size, "seconds": seconds, "verdict": verdict}), flush=True)
    if verdict != "valid":
        sys.exit(1)


# --- the check that every verifier verifies -----------------------------------------------------


def expect_rejected(what: str, f: Callable[[], object]) -> None:
    try:
        f()
    except Exception:
        return
    raise SystemExit(f"check failed: {what} was accepted")


def check(d: Path) -> None:
    w = Wk(d)
    data, rid, aid = w.messages[0]
    other_rid = w.messages[1][1]
    ref = w.reference()
    import eidpl

    for bad in ("tampered-outer.xml", "tampered-inner.xml"):
        forged = (w.dir / bad).read_bytes()
        expect_rejected(f"reference {bad}", lambda: w.reference().validate(forged, request_id=rid, artifact_resolve_id=aid, now=w.now))
        expect_rejected(f"reference signatures {bad}", lambda: ref.verify_signatures(forged))
        expect_rejected(f"python-xmlsec {bad}", lambda: xmlsec_verifier(w.wk_cert)(forged, 1))
        expect_rejected(f"signxml {bad}", lambda: signxml_verifier(w.wk_cert)(forged, 1))
        expect_rejected(
            f"eidpl-python {bad}",
            lambda: eidpl.WkServiceProvider(w.settings).validate_artifact_response(
                forged, request_id=rid, artifact_resolve_id=aid, now=w.now
            ),
        )
    # The SAML checks, not only the signatures.
    expect_rejected("reference, wrong request id", lambda: w.reference().validate(data, request_id=other_rid, artifact_resolve_id=aid, now=w.now))
    expect_rejected("reference, wrong resolve id", lambda: w.reference().validate(data, request_id=rid, artifact_resolve_id="ID-x", now=w.now))
    expect_rejected(
        "reference, expired",
        lambda: w.reference().validate(data, request_id=rid, artifact_resolve_id=aid, now=w.now + dt.timedelta(hours=2)),
    )
    wrong_aud = reference_wk.ReferenceServiceProvider(
        w.wk_cert, w.enc_key, issuer=w.meta["issuer"], sp_entity_id="https://other.example.pl", acs_url=w.meta["acs_url"]
    )
    expect_rejected("reference, wrong audience", lambda: wrong_aud.validate(data, request_id=rid, artifact_resolve_id=aid, now=w.now))
    good = w.reference()
    login = good.validate(data, request_id=rid, artifact_resolve_id=aid, now=w.now)
    expect_rejected("reference, replay", lambda: good.validate(data, request_id=rid, artifact_resolve_id=aid, now=w.now))
    theirs = eidpl.WkServiceProvider(w.settings).validate_artifact_response(data, request_id=rid, artifact_resolve_id=aid, now=w.now)
    if login["name_id"] != theirs.name_id or login["name_id"] != w.meta["name_id"]:
        raise SystemExit(f"check failed: reference and eidpl disagree on the NameID ({login['name_id']!r}, {theirs.name_id!r})")
    xmlsec_verifier(w.wk_cert)(data, 1)
    signxml_verifier(w.wk_cert)(data, 1)
    for alg in ("ecdsa", "rsa"):
        cert = (d / "dsig" / f"{alg}-cert.pem").read_bytes()
        ok = (d / "dsig" / f"response-{alg}.xml").read_bytes()
        forged = (d / "dsig" / f"response-{alg}-tampered.xml").read_bytes()
        for name, v in (("python-xmlsec", xmlsec_verifier(cert)), ("signxml", signxml_verifier(cert))):
            v(ok, 0)
            expect_rejected(f"{name} response-{alg}-tampered", lambda: v(forged, 0))
    pz = d / "pz" / "letter-1MB-enveloped.xml"
    if pz.exists():
        doc = pz.read_bytes()
        pz_xmlsec(doc)
        pz_signxml(doc)
        at = len(doc) // 2  # inside the base64 attachment
        forged = doc[:at] + (b"A" if doc[at : at + 1] != b"A" else b"B") + doc[at + 1 :]
        expect_rejected("python-xmlsec PZ forged", lambda: pz_xmlsec(forged))
        expect_rejected("signxml PZ forged", lambda: pz_signxml(forged))
    print(json.dumps({"check": "python", "ok": True}))


def main() -> None:
    kind = sys.argv[1]
    if kind.startswith("wk-") or kind.startswith("sig2-"):
        run_wk(kind, Path(sys.argv[2]), int(sys.argv[3]))
    elif kind.startswith("response-"):
        run_response(kind, Path(sys.argv[2]), int(sys.argv[3]))
    elif kind.startswith("pz-"):
        run_pz(kind, Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
    elif kind == "check":
        check(Path(sys.argv[2]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
