"""eidpl: log citizens in through Węzeł Krajowy (login.gov.pl) and verify documents signed with
podpis zaufany, in-process, over the eidpl Rust core.

    sp = eidpl.WkServiceProvider(settings)          # dict, or WkServiceProvider.from_file(path)
    req = sp.authn_request(relay_state="...")        # keep req.id in the session, send req.html_form
    login = sp.resolve_artifact(samlart, request_id=req.id)
    login.person.pesel, login.person.given_name, login.loa

    report = eidpl.verify_document(xml_bytes, trust_anchors=pem_bytes)
    report.verdict == "valid"

Every error is an `eidpl.Error` (or a subclass: SignatureError, ValidationError, DecryptionError,
ConfigError, InputError) with `.code` (a stable name such as "digest_mismatch") and `.details`.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from dataclasses import asdict as _asdict
from dataclasses import dataclass as _dataclass
from dataclasses import field as _field
from typing import Any, Iterable, Mapping, Optional, Sequence, Tuple, Union

from . import _eidpl
from ._eidpl import (
    ConfigError,
    DecryptionError,
    Error,
    InputError,
    SignatureError,
    ValidationError,
)

__version__: str = _eidpl.__version__

__all__ = [
    "AuthnRequest",
    "ConfigError",
    "DecryptionError",
    "Error",
    "InputError",
    "LoginResult",
    "LogoutResult",
    "Person",
    "Report",
    "Signature",
    "SignatureError",
    "SoapRequest",
    "ValidationError",
    "ResultWarning",
    "WkServiceProvider",
    "verify_document",
    "verify_document_file",
]

Data = Union[bytes, bytearray, memoryview, str]
PathLike = Union[str, "_os.PathLike[str]"]


def _bytes(data: Data, argument: str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"`{argument}` must be bytes or str, got {type(data).__name__}")


_UTC = _dt.timezone.utc


def _rfc3339(now: Optional[_dt.datetime]) -> Optional[str]:
    """A datetime as RFC 3339 in UTC; a naive datetime is taken as UTC."""
    if now is None:
        return None
    if not isinstance(now, _dt.datetime):
        raise TypeError(f"`now` must be a datetime.datetime, got {type(now).__name__}")
    tz = now.tzinfo
    if tz is None:
        return now.isoformat() + "Z"
    if tz is not _UTC:
        now = now.astimezone(_UTC)
    return now.isoformat()[:-6] + "Z"  # without "+00:00"


def _date(value: Optional[str]) -> Optional[_dt.date]:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _datetime(value: Optional[str]) -> Optional[_dt.datetime]:
    if not value:
        return None
    try:
        return _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@_dataclass(frozen=True)
class ResultWarning:
    """Something accepted but worth logging: `code` (stable name) and `message`."""

    code: str
    message: str

    @classmethod
    def _from(cls, items: Iterable[Mapping[str, Any]]) -> Tuple["ResultWarning", ...]:
        return tuple(cls(code=str(w.get("code", "")), message=str(w.get("message", ""))) for w in items)


@_dataclass(frozen=True)
class Person:
    """The citizen WK vouched for. `pesel` is a valid PESEL or None (`person_identifier` is verbatim)."""

    person_identifier: Optional[str]
    pesel: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    date_of_birth: Optional[_dt.date]

    def to_dict(self) -> dict[str, Any]:
        d = _asdict(self)
        d["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return d

    def __repr__(self) -> str:
        # Reprs end up in logs: the identifiers are masked there (the attributes are whole).
        def mask(v: Optional[str]) -> Optional[str]:
            return None if v is None else v[:2] + "*" * max(len(v) - 2, 0)

        return (
            f"Person(given_name={self.given_name!r}, family_name={self.family_name!r}, "
            f"pesel={mask(self.pesel)!r}, date_of_birth={self.date_of_birth!r})"
        )


@_dataclass(frozen=True)
class LoginResult:
    """A verified WK login (field names as in docs: ARCHITECTURE.md, "Results and errors")."""

    name_id: str
    name_id_format: Optional[str]
    session_index: str
    loa: str
    authn_context_class_ref: str
    authn_instant: Optional[_dt.datetime]
    authenticating_authority: Optional[str]
    assertion_id: str
    not_on_or_after: Optional[_dt.datetime]
    issuer: str
    person: Person
    attributes: Mapping[str, Tuple[str, ...]]
    warnings: Tuple[ResultWarning, ...]
    _native: Any = _field(repr=False, compare=False)

    @classmethod
    def _from_native(cls, t: Tuple[Any, ...]) -> "LoginResult":
        # The hot path of every login: the fields arrive as Python values in declaration order
        # (see login_tuple in src/lib.rs); only the times are converted here.
        (name_id, name_id_format, session_index, loa, class_ref, authn_instant, authority,
         assertion_id, not_on_or_after, issuer, p, attributes, warnings, native) = t
        return cls(
            name_id,
            name_id_format,
            session_index,
            loa,
            class_ref,
            _datetime(authn_instant),
            authority,
            assertion_id,
            _datetime(not_on_or_after),
            issuer,
            Person(p[0], p[1], p[2], p[3], _date(p[4])),
            attributes,
            tuple([ResultWarning(code, message) for code, message in warnings]),
            native,
        )

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready values (the same object every binding and the CLI give)."""
        result: dict[str, Any] = _json.loads(self._native.to_json())
        return result

    def __repr__(self) -> str:
        return (
            f"LoginResult(name_id={self.name_id!r}, loa={self.loa!r}, "
            f"person={self.person.given_name!r} {self.person.family_name!r}, "
            f"session_index={self.session_index!r})"
        )


@_dataclass(frozen=True)
class LogoutResult:
    """WK's answer to a LogoutRequest."""

    in_response_to: str
    complete: bool
    warnings: Tuple[ResultWarning, ...]

    @classmethod
    def _from_json(cls, text: str) -> "LogoutResult":
        d = _json.loads(text)
        return cls(
            in_response_to=d["in_response_to"],
            complete=bool(d["complete"]),
            warnings=ResultWarning._from(d.get("warnings") or []),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "in_response_to": self.in_response_to,
            "complete": self.complete,
            "warnings": [_asdict(w) for w in self.warnings],
        }


@_dataclass(frozen=True)
class AuthnRequest:
    """A signed AuthnRequest: keep `id` in the user's session; send `html_form` to the browser."""

    id: str
    xml: str
    saml_request: str
    destination: str
    relay_state: Optional[str]
    html_form: str

    def to_dict(self) -> dict[str, Any]:
        return _asdict(self)


@_dataclass(frozen=True)
class SoapRequest:
    """A signed SOAP request for hosts doing the HTTP themselves: POST `soap` to `url` (text/xml)."""

    id: str
    soap: str
    url: str

    def to_dict(self) -> dict[str, Any]:
        return _asdict(self)


@_dataclass(frozen=True)
class Signature:
    """One signature of a verified document (ETSI-style indication; `children` nested)."""

    id: Optional[str]
    indication: str
    sub_indication: Optional[str]
    message: Optional[str]
    kind: Optional[str]
    signing_time: Optional[_dt.datetime]
    signer: Optional[Mapping[str, Any]]
    chain: Tuple[str, ...]
    pz: Optional[Mapping[str, Any]]
    warnings: Tuple[ResultWarning, ...]
    children: Tuple["Signature", ...]

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "Signature":
        return cls(
            id=d.get("id"),
            indication=d.get("indication", ""),
            sub_indication=d.get("sub_indication"),
            message=d.get("message"),
            kind=d.get("kind"),
            signing_time=_datetime(d.get("signing_time")),
            signer=d.get("signer"),
            chain=tuple(d.get("chain") or ()),
            pz=d.get("pz"),
            warnings=ResultWarning._from(d.get("warnings") or []),
            children=tuple(cls._from(c) for c in d.get("children") or ()),
        )


@_dataclass(frozen=True)
class Report:
    """The verification report of a document: `verdict` is "valid", "invalid" or "indeterminate"."""

    verdict: str
    document_type: Optional[str]
    signatures: Tuple[Signature, ...]
    warnings: Tuple[ResultWarning, ...]
    _raw: Mapping[str, Any] = _field(repr=False, compare=False)

    @classmethod
    def _from_json(cls, text: str) -> "Report":
        d = _json.loads(text)
        return cls(
            verdict=d["verdict"],
            document_type=d.get("document_type"),
            signatures=tuple(Signature._from(s) for s in d.get("signatures") or ()),
            warnings=ResultWarning._from(d.get("warnings") or []),
            _raw=d,
        )

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"

    def to_dict(self) -> dict[str, Any]:
        """The full report as plain JSON-ready values (also `attachments`, `upo`)."""
        return _json.loads(_json.dumps(self._raw))

    def __repr__(self) -> str:
        kinds = ", ".join(f"{s.kind}:{s.indication}" for s in self.signatures)
        return f"Report(verdict={self.verdict!r}, signatures=[{kinds}])"


def _settings_json(settings: Mapping[str, Any]) -> str:
    if not isinstance(settings, Mapping):
        raise TypeError(f"`settings` must be a dict, got {type(settings).__name__}")
    # Paths (pathlib) are fine as settings values: they become their text.
    return _json.dumps(settings, default=_os.fspath)


class WkServiceProvider:
    """A Węzeł Krajowy service provider (DU). Build one per configuration and share it: it is
    thread-safe and holds the replay cache (one-time IDs are remembered per instance)."""

    __slots__ = ("_native",)

    def __init__(self, settings: Mapping[str, Any], *, base_dir: Optional[PathLike] = None) -> None:
        """`settings`: the schema of docs/wk.md as a dict; relative key paths resolve against
        `base_dir` (default: the working directory). Raises ConfigError naming a bad setting."""
        self._native = _eidpl.NativeServiceProvider(
            _settings_json(settings), None if base_dir is None else _os.fspath(base_dir)
        )

    @classmethod
    def from_file(cls, path: PathLike) -> "WkServiceProvider":
        """Settings from a `.toml` or `.json` file (relative paths inside: relative to the file)."""
        self = cls.__new__(cls)
        self._native = _eidpl.NativeServiceProvider.from_file(_os.fspath(path))
        return self

    def authn_request(
        self,
        relay_state: Optional[str] = None,
        loa: Optional[str] = None,
        *,
        csp_nonce: Optional[str] = None,
    ) -> AuthnRequest:
        """A signed AuthnRequest and the auto-POST page; `loa`: "low", "substantial" or "high"."""
        return AuthnRequest(**_json.loads(self._native.authn_request(relay_state, loa, csp_nonce)))

    def artifact_resolve_request(self, artifact: str) -> SoapRequest:
        """The signed ArtifactResolve for a `SAMLart` (for hosts doing the HTTP themselves)."""
        return SoapRequest(**_json.loads(self._native.artifact_resolve_request(artifact)))

    def resolve_artifact(self, artifact: str, *, request_id: str) -> LoginResult:
        """ArtifactResolve over HTTPS to WK and validation of its answer (blocks; GIL released)."""
        return LoginResult._from_native(self._native.resolve_artifact(artifact, request_id))

    def validate_artifact_response(
        self,
        data: Data,
        *,
        request_id: str,
        artifact_resolve_id: Optional[str] = None,
        now: Optional[_dt.datetime] = None,
        minimum_loa: Optional[str] = None,
    ) -> LoginResult:
        """Validates WK's answer (SOAP envelope, ArtifactResponse or Response) and returns the
        verified identity. `request_id` is the AuthnRequest's id, `artifact_resolve_id` the
        ArtifactResolve's (required for an ArtifactResponse); `now` defaults to the current time."""
        return LoginResult._from_native(
            self._native.validate_artifact_response(
                _bytes(data, "data"), request_id, artifact_resolve_id, _rfc3339(now), minimum_loa
            )
        )

    def logout_request(self, name_id: str, session_index: str) -> SoapRequest:
        """The signed SOAP LogoutRequest for a session (values from the LoginResult)."""
        return SoapRequest(**_json.loads(self._native.logout_request(name_id, session_index)))

    def validate_logout_response(self, data: Data, *, request_id: str) -> LogoutResult:
        """Checks WK's LogoutResponse to the LogoutRequest `request_id`."""
        return LogoutResult._from_json(
            self._native.validate_logout_response(_bytes(data, "data"), request_id)
        )

    def logout(self, name_id: str, session_index: str) -> LogoutResult:
        """LogoutRequest over HTTPS to WK and validation of the answer (blocks; GIL released)."""
        return LogoutResult._from_json(self._native.logout(name_id, session_index))

    def metadata(self) -> str:
        """The SP's SAML metadata (XML text) to hand to COI."""
        return self._native.metadata()

    def __repr__(self) -> str:
        return "WkServiceProvider(...)"


def _pem(value: Union[None, Data, Sequence[Data]], argument: str) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview, str)):
        return _bytes(value, argument)
    return b"\n".join(_bytes(v, argument) for v in value)


def _verify_args(
    trust_anchors: Union[None, Data, Sequence[Data]],
    intermediates: Union[None, Data, Sequence[Data]],
    crls: Union[None, Data, Sequence[Data]],
    detached_data: Optional[Mapping[str, Data]],
    now: Optional[_dt.datetime],
    check_pesel: bool,
) -> Tuple[Any, ...]:
    detached = [(uri, _bytes(v, "detached_data")) for uri, v in (detached_data or {}).items()]
    return (
        _pem(trust_anchors, "trust_anchors"),
        _pem(intermediates, "intermediates"),
        _pem(crls, "crls"),
        detached,
        _rfc3339(now),
        check_pesel,
    )


def verify_document(
    data: Data,
    *,
    trust_anchors: Union[None, Data, Sequence[Data]] = None,
    intermediates: Union[None, Data, Sequence[Data]] = None,
    crls: Union[None, Data, Sequence[Data]] = None,
    detached_data: Optional[Mapping[str, Data]] = None,
    now: Optional[_dt.datetime] = None,
    check_pesel: bool = True,
) -> Report:
    """Verifies every signature in an XML document (XAdES, podpis zaufany, ePUAP, UPO). Trust
    comes only from `trust_anchors` (PEM; one text with several certificates or a list); without
    them the verdict is at best "indeterminate". `detached_data` maps a reference URI to its
    bytes. A document that parses always gives a Report: check `report.verdict`. For a large
    file use `verify_document_file`, which never holds the document in memory."""
    args = _verify_args(trust_anchors, intermediates, crls, detached_data, now, check_pesel)
    return Report._from_json(_eidpl.verify_document_json(_bytes(data, "data"), *args))


def verify_document_file(
    path: PathLike,
    *,
    trust_anchors: Union[None, Data, Sequence[Data]] = None,
    intermediates: Union[None, Data, Sequence[Data]] = None,
    crls: Union[None, Data, Sequence[Data]] = None,
    detached_data: Optional[Mapping[str, Data]] = None,
    now: Optional[_dt.datetime] = None,
    check_pesel: bool = True,
) -> Report:
    """`verify_document` streaming from a file (an ePUAP document of hundreds of MB peaks at about
    its own size in memory, not twice it). A missing or unreadable file is `ConfigError`
    with code "io_error" and the path in `.details["path"]`."""
    args = _verify_args(trust_anchors, intermediates, crls, detached_data, now, check_pesel)
    return Report._from_json(_eidpl.verify_document_json(b"", *args, _os.fspath(path)))
