# The native module (Rust, PyO3). Use the typed API of `eidpl` instead; these calls exchange JSON,
# except a login, which arrives as a tuple of its fields (see LoginResult._from_native).
from typing import Any, Optional, Tuple, final

__version__: str
__all__ = [
    "Error",
    "InputError",
    "SignatureError",
    "ValidationError",
    "DecryptionError",
    "ConfigError",
    "NativeServiceProvider",
    "NativeLogin",
    "verify_document_json",
    "_panic_for_test",
    "__version__",
]

class Error(Exception):
    code: str
    message: str
    details: dict[str, Any]

class InputError(Error): ...
class SignatureError(Error): ...
class ValidationError(Error): ...
class DecryptionError(Error): ...
class ConfigError(Error): ...

@final
class NativeLogin:
    def __new__(cls, text: str) -> NativeLogin: ...
    def to_json(self) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __copy__(self) -> NativeLogin: ...
    def __deepcopy__(self, memo: Any) -> NativeLogin: ...

@final
class NativeServiceProvider:
    def __new__(cls, settings_json: str, base_dir: Optional[str] = None) -> NativeServiceProvider: ...
    @staticmethod
    def from_file(path: str) -> NativeServiceProvider: ...
    def authn_request(
        self,
        relay_state: Optional[str] = None,
        loa_name: Optional[str] = None,
        csp_nonce: Optional[str] = None,
    ) -> str: ...
    def artifact_resolve_request(self, artifact: str) -> str: ...
    # A login tuple: name_id, name_id_format, session_index, loa, authn_context_class_ref,
    # authn_instant, authenticating_authority, assertion_id, not_on_or_after, issuer, person
    # (5 values), attributes, warnings ((code, message) pairs), NativeLogin.
    def resolve_artifact(self, artifact: str, request_id: str) -> Tuple[Any, ...]: ...
    def validate_artifact_response(
        self,
        data: bytes,
        request_id: str,
        artifact_resolve_id: Optional[str] = None,
        now: Optional[str] = None,
        minimum_loa: Optional[str] = None,
    ) -> Tuple[Any, ...]: ...
    def logout_request(self, name_id: str, session_index: str) -> str: ...
    def validate_logout_response(self, data: bytes, request_id: str) -> str: ...
    def logout(self, name_id: str, session_index: str) -> str: ...
    def metadata(self) -> str: ...

def verify_document_json(
    data: bytes,
    trust_anchors_pem: Optional[bytes] = None,
    intermediates_pem: Optional[bytes] = None,
    crls_pem: Optional[bytes] = None,
    detached: list[tuple[str, bytes]] = ...,
    now: Optional[str] = None,
    check_pesel: bool = True,
    path: Optional[str] = None,
) -> str: ...
def _panic_for_test() -> None: ...
