"""A reference WK ArtifactResponse validator in pure Python over lxml and cryptography, written
for the benchmark the way Python WK integrations (django-logingovpl, auth-sdk) do it: lxml
parses, lxml's exclusive c14n feeds SHA-256 and an ECDSA verification by cryptography for both
signatures, cryptography decrypts (ECDH-ES, ConcatKDF, AES key unwrap, AES-GCM), then the SAML
checks run on the decrypted assertion. It really verifies: bench/run.py feeds it tampered
messages and expired or foreign ones and refuses its figures unless every one is rejected.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap
from lxml import etree

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
XENC = "http://www.w3.org/2001/04/xmlenc#"
XENC11 = "http://www.w3.org/2009/xmlenc11#"
DSIG11 = "http://www.w3.org/2009/xmldsig11#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
AES256_GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm"
KW_AES256 = "http://www.w3.org/2001/04/xmlenc#kw-aes256"
ECDH_ES = "http://www.w3.org/2009/xmlenc11#ECDH-ES"
CONCAT_KDF = "http://www.w3.org/2009/xmlenc11#ConcatKDF"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"


class Rejected(Exception):
    """The message is not an acceptable login."""


def q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"


def _parser() -> etree.XMLParser:
    # No DTDs, entities or network: what defusedxml.lxml enforces.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _one(parent: etree._Element, tag: str) -> etree._Element:
    found = [c for c in parent if c.tag == tag]
    if len(found) != 1:
        raise Rejected(f"expected exactly one {tag} in {parent.tag}, found {len(found)}")
    return found[0]


def _time(value: str | None) -> dt.datetime:
    if not value:
        raise Rejected("missing time")
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


class ReferenceServiceProvider:
    """One DU configuration; remembers assertion and request IDs (replay) like a cache would."""

    def __init__(
        self,
        wk_cert_pem: bytes,
        enc_key_pem: bytes,
        *,
        issuer: str,
        sp_entity_id: str,
        acs_url: str,
        clock_skew: int = 60,
    ) -> None:
        cert = x509.load_pem_x509_certificate(wk_cert_pem)
        key = cert.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise ValueError("WK's key must be EC")
        self.wk_key = key
        enc = serialization.load_pem_private_key(enc_key_pem, password=None)
        if not isinstance(enc, ec.EllipticCurvePrivateKey):
            raise ValueError("the encryption key must be EC")
        self.enc_key = enc
        self.issuer = issuer
        self.sp_entity_id = sp_entity_id
        self.acs_url = acs_url
        self.skew = dt.timedelta(seconds=clock_skew)
        self.seen: dict[str, dt.datetime] = {}

    # --- signatures ---------------------------------------------------------------------------

    def verify_enveloped(self, root: etree._Element, el: etree._Element) -> None:
        """The one enveloped ECDSA-SHA256 signature of `el`, referencing `el` by its ID."""
        sig = _one(el, q(DS, "Signature"))
        si = _one(sig, q(DS, "SignedInfo"))
        if _one(si, q(DS, "CanonicalizationMethod")).get("Algorithm") != EXC_C14N:
            raise Rejected("SignedInfo c14n must be exclusive")
        if _one(si, q(DS, "SignatureMethod")).get("Algorithm") != ECDSA_SHA256:
            raise Rejected("signature method must be ecdsa-sha256")
        ref = _one(si, q(DS, "Reference"))
        el_id = el.get("ID")
        if not el_id or ref.get("URI") != "#" + el_id:
            raise Rejected("the reference does not point at the signed element")
        # The ID must name one element only, or the reference could resolve elsewhere.
        if len(root.xpath("//*[@ID=$id]", id=el_id)) != 1:
            raise Rejected("duplicate ID")
        transforms = list(_one(ref, q(DS, "Transforms")))
        algs = [t.get("Algorithm") for t in transforms]
        if algs != [ENVELOPED, EXC_C14N]:
            raise Rejected(f"unexpected transforms {algs}")
        prefixes = None
        incl = transforms[1].find(q(EXC_C14N, "InclusiveNamespaces"))
        if incl is not None:
            prefixes = (incl.get("PrefixList") or "").split()
        if _one(ref, q(DS, "DigestMethod")).get("Algorithm") != SHA256:
            raise Rejected("digest must be sha256")
        expected = base64.b64decode(_one(ref, q(DS, "DigestValue")).text or "")
        # Enveloped transform: the element without its signature (put back afterwards, since an
        # outer signature covers this one).
        at = el.index(sig)
        el.remove(sig)
        try:
            content = etree.tostring(
                el, method="c14n", exclusive=True, with_comments=False, inclusive_ns_prefixes=prefixes
            )
        finally:
            el.insert(at, sig)
        if not hmac.compare_digest(hashlib.sha256(content).digest(), expected):
            raise Rejected("digest mismatch")
        signed_info = etree.tostring(si, method="c14n", exclusive=True, with_comments=False)
        raw = base64.b64decode(_one(sig, q(DS, "SignatureValue")).text or "")
        if len(raw) != 64:
            raise Rejected("bad ECDSA signature length")
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            self.wk_key.verify(der, signed_info, ec.ECDSA(hashes.SHA256()))
        except Exception as e:  # InvalidSignature
            raise Rejected("signature invalid") from e

    def verify_signatures(self, data: bytes) -> tuple[etree._Element, etree._Element, etree._Element]:
        """Parses and verifies both WK signatures; returns (root, ArtifactResponse, Response)."""
        root = etree.fromstring(data, _parser())
        if root.tag == q(SOAP, "Envelope"):
            ar = _one(_one(root, q(SOAP, "Body")), q(SAMLP, "ArtifactResponse"))
        elif root.tag == q(SAMLP, "ArtifactResponse"):
            ar = root
        else:
            raise Rejected("not an ArtifactResponse")
        resp = _one(ar, q(SAMLP, "Response"))
        self.verify_enveloped(root, ar)
        self.verify_enveloped(root, resp)
        return root, ar, resp

    # --- decryption ---------------------------------------------------------------------------

    def decrypt(self, encrypted_assertion: etree._Element) -> etree._Element:
        data = _one(encrypted_assertion, q(XENC, "EncryptedData"))
        if _one(data, q(XENC, "EncryptionMethod")).get("Algorithm") != AES256_GCM:
            raise Rejected("data encryption must be aes256-gcm")
        ek = _one(_one(data, q(DS, "KeyInfo")), q(XENC, "EncryptedKey"))
        if _one(ek, q(XENC, "EncryptionMethod")).get("Algorithm") != KW_AES256:
            raise Rejected("key wrap must be kw-aes256")
        agreement = _one(_one(ek, q(DS, "KeyInfo")), q(XENC, "AgreementMethod"))
        if agreement.get("Algorithm") != ECDH_ES:
            raise Rejected("key agreement must be ECDH-ES")
        kdm = _one(agreement, q(XENC11, "KeyDerivationMethod"))
        if kdm.get("Algorithm") != CONCAT_KDF:
            raise Rejected("KDF must be ConcatKDF")
        params = _one(kdm, q(XENC11, "ConcatKDFParams"))
        if _one(params, q(DS, "DigestMethod")).get("Algorithm") != SHA256:
            raise Rejected("KDF digest must be sha256")
        # WK's OtherInfo: each hex attribute decoded whole (uint32 length ‖ ASCII).
        other_info = b"".join(
            bytes.fromhex(params.get(a) or "") for a in ("AlgorithmID", "PartyUInfo", "PartyVInfo")
        )
        point = base64.b64decode(
            _one(
                _one(_one(_one(agreement, q(XENC, "OriginatorKeyInfo")), q(DS, "KeyValue")), q(DSIG11, "ECKeyValue")),
                q(DSIG11, "PublicKey"),
            ).text
            or ""
        )
        try:
            peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
            z = self.enc_key.exchange(ec.ECDH(), peer)
            kek = ConcatKDFHash(algorithm=hashes.SHA256(), length=32, otherinfo=other_info).derive(z)
            wrapped = base64.b64decode(_one(_one(ek, q(XENC, "CipherData")), q(XENC, "CipherValue")).text or "")
            cek = aes_key_unwrap(kek, wrapped)
            blob = base64.b64decode(_one(_one(data, q(XENC, "CipherData")), q(XENC, "CipherValue")).text or "")
            plaintext = AESGCM(cek).decrypt(blob[:12], blob[12:], None)
        except Exception as e:
            raise Rejected("decryption failed") from e
        assertion = etree.fromstring(plaintext, _parser())
        if assertion.tag != q(SAML, "Assertion"):
            raise Rejected("the decrypted element is not an Assertion")
        return assertion

    # --- the whole validation -----------------------------------------------------------------

    def _status_success(self, el: etree._Element) -> None:
        code = _one(_one(el, q(SAMLP, "Status")), q(SAMLP, "StatusCode"))
        if code.get("Value") != SUCCESS:
            raise Rejected(f"status {code.get('Value')}")

    def _issuer(self, el: etree._Element) -> None:
        if (_one(el, q(SAML, "Issuer")).text or "").strip() != self.issuer:
            raise Rejected("wrong issuer")

    def validate(self, data: bytes, *, request_id: str, artifact_resolve_id: str, now: dt.datetime) -> dict:
        _root, ar, resp = self.verify_signatures(data)
        self._issuer(ar)
        if ar.get("InResponseTo") != artifact_resolve_id:
            raise Rejected("ArtifactResponse InResponseTo")
        self._status_success(ar)
        self._issuer(resp)
        if resp.get("InResponseTo") != request_id:
            raise Rejected("Response InResponseTo")
        dest = resp.get("Destination")
        if dest is not None and dest != self.acs_url:
            raise Rejected("Destination")
        self._status_success(resp)
        a = self.decrypt(_one(resp, q(SAML, "EncryptedAssertion")))
        self._issuer(a)
        subject = _one(a, q(SAML, "Subject"))
        name_id = (_one(subject, q(SAML, "NameID")).text or "").strip()
        sc = _one(subject, q(SAML, "SubjectConfirmation"))
        if sc.get("Method") != BEARER:
            raise Rejected("not a bearer confirmation")
        scd = _one(sc, q(SAML, "SubjectConfirmationData"))
        if scd.get("InResponseTo") != request_id or scd.get("Recipient") != self.acs_url:
            raise Rejected("SubjectConfirmationData")
        if now - self.skew >= _time(scd.get("NotOnOrAfter")):
            raise Rejected("SubjectConfirmationData expired")
        cond = _one(a, q(SAML, "Conditions"))
        not_on_or_after = _time(cond.get("NotOnOrAfter"))
        if now + self.skew < _time(cond.get("NotBefore")) or now - self.skew >= not_on_or_after:
            raise Rejected("outside the assertion's validity")
        audiences = [
            (x.text or "").strip()
            for r in cond.findall(q(SAML, "AudienceRestriction"))
            for x in r.findall(q(SAML, "Audience"))
        ]
        if self.sp_entity_id not in audiences:
            raise Rejected("audience")
        authn = _one(a, q(SAML, "AuthnStatement"))
        loa = (authn.findtext(f"{q(SAML, 'AuthnContext')}/{q(SAML, 'AuthnContextClassRef')}") or "").strip()
        attributes: dict[str, list[str]] = {}
        for st in a.findall(q(SAML, "AttributeStatement")):
            for at in st.findall(q(SAML, "Attribute")):
                attributes[at.get("Name") or ""] = [(v.text or "") for v in at.findall(q(SAML, "AttributeValue"))]
        # Replay: the request and the assertion are used once (expired entries purged).
        for key in ("req:" + request_id, "assertion:" + (a.get("ID") or "")):
            if key in self.seen and self.seen[key] > now:
                raise Rejected("replay")
        for key in ("req:" + request_id, "assertion:" + (a.get("ID") or "")):
            self.seen[key] = not_on_or_after + self.skew
        return {
            "name_id": name_id,
            "session_index": authn.get("SessionIndex"),
            "loa": loa,
            "attributes": attributes,
        }
