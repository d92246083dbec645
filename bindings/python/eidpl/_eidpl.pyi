# The native module (Rust, PyO3). Use the typed API of `eidpl` instead; these calls exchange JSON.
from typing import Any, Optional, final

__version__: str
__all__ = [
    "Error",
    "InputError",
    "SignatureError",
    "ValidationError",
    "DecryptionError",
    "ConfigError",
    "NativeServiceProvider",
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
    def resolve_artifact(self, artifact: str, request_id: str) -> str: ...
    def validate_artifact_response(
        self,
        data: bytes,
        request_id: str,
        artifact_resolve_id: Optional[str] = None,
        now: Optional[str] = None,
        minimum_loa: Optional[str] = None,
    ) -> str: ...
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
) -> str: ...
def _panic_for_test() -> None: ...
