import datetime as _dt
import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

from ._eidpl import (
    ConfigError as ConfigError,
    DecryptionError as DecryptionError,
    Error as Error,
    InputError as InputError,
    SignatureError as SignatureError,
    ValidationError as ValidationError,
)

__version__: str
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
    "ResultWarning",
    "Signature",
    "SignatureError",
    "SoapRequest",
    "ValidationError",
    "WkServiceProvider",
    "verify_document",
    "verify_document_file",
]

Data = Union[bytes, bytearray, memoryview, str]
PathLike = Union[str, os.PathLike[str]]

@dataclass(frozen=True)
class ResultWarning:
    code: str
    message: str

@dataclass(frozen=True)
class Person:
    person_identifier: Optional[str]
    pesel: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    date_of_birth: Optional[_dt.date]
    def to_dict(self) -> dict[str, Any]: ...

@dataclass(frozen=True)
class LoginResult:
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
    _native: Any
    def to_dict(self) -> dict[str, Any]: ...

@dataclass(frozen=True)
class LogoutResult:
    in_response_to: str
    complete: bool
    warnings: Tuple[ResultWarning, ...]
    def to_dict(self) -> dict[str, Any]: ...

@dataclass(frozen=True)
class AuthnRequest:
    id: str
    xml: str
    saml_request: str
    destination: str
    relay_state: Optional[str]
    html_form: str
    def to_dict(self) -> dict[str, Any]: ...

@dataclass(frozen=True)
class SoapRequest:
    id: str
    soap: str
    url: str
    def to_dict(self) -> dict[str, Any]: ...

@dataclass(frozen=True)
class Signature:
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
    children: Tuple[Signature, ...]

@dataclass(frozen=True)
class Report:
    verdict: str
    document_type: Optional[str]
    signatures: Tuple[Signature, ...]
    warnings: Tuple[ResultWarning, ...]
    _raw: Mapping[str, Any]
    @property
    def valid(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...

class WkServiceProvider:
    def __init__(self, settings: Mapping[str, Any], *, base_dir: Optional[PathLike] = None) -> None: ...
    @classmethod
    def from_file(cls, path: PathLike) -> WkServiceProvider: ...
    def authn_request(
        self,
        relay_state: Optional[str] = None,
        loa: Optional[str] = None,
        *,
        csp_nonce: Optional[str] = None,
    ) -> AuthnRequest: ...
    def artifact_resolve_request(self, artifact: str) -> SoapRequest: ...
    def resolve_artifact(self, artifact: str, *, request_id: str) -> LoginResult: ...
    def validate_artifact_response(
        self,
        data: Data,
        *,
        request_id: str,
        artifact_resolve_id: Optional[str] = None,
        now: Optional[_dt.datetime] = None,
        minimum_loa: Optional[str] = None,
    ) -> LoginResult: ...
    def logout_request(self, name_id: str, session_index: str) -> SoapRequest: ...
    def validate_logout_response(self, data: Data, *, request_id: str) -> LogoutResult: ...
    def logout(self, name_id: str, session_index: str) -> LogoutResult: ...
    def metadata(self) -> str: ...

def verify_document(
    data: Data,
    *,
    trust_anchors: Union[None, Data, Sequence[Data]] = None,
    intermediates: Union[None, Data, Sequence[Data]] = None,
    crls: Union[None, Data, Sequence[Data]] = None,
    detached_data: Optional[Mapping[str, Data]] = None,
    now: Optional[_dt.datetime] = None,
    check_pesel: bool = True,
) -> Report: ...
def verify_document_file(
    path: PathLike,
    *,
    trust_anchors: Union[None, Data, Sequence[Data]] = None,
    intermediates: Union[None, Data, Sequence[Data]] = None,
    crls: Union[None, Data, Sequence[Data]] = None,
    detached_data: Optional[Mapping[str, Data]] = None,
    now: Optional[_dt.datetime] = None,
    check_pesel: bool = True,
) -> Report: ...
