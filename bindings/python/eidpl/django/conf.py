"""`settings.EIDPL` and the one shared WkServiceProvider per process.

    EIDPL = {
        "SETTINGS": {...},              # the eidpl settings (docs/wk.md) as a dict, or
        "SETTINGS_FILE": "eidpl.toml",  # a .toml/.json file (relative key paths: relative to it)
        "LOGIN_REDIRECT_URL": "/",      # after login, when the login URL had no safe ?next=
        "LOGOUT_REDIRECT_URL": "/",
        "USER_MAPPING": "pesel_hash",   # or a dotted path to f(login_result) -> username | None
        "HASH_KEY": None,               # key of the PESEL hash; default settings.SECRET_KEY
        "LOA": None,                    # "low" / "substantial" / "high"; None: the settings' default
    }
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from typing import Any, Callable, Optional

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

import eidpl

_lock = threading.Lock()
_provider: Optional[eidpl.WkServiceProvider] = None


def options() -> dict[str, Any]:
    value = getattr(settings, "EIDPL", None)
    if not isinstance(value, dict):
        raise ImproperlyConfigured("settings.EIDPL must be a dict (see eidpl.django.conf)")
    return value


def get(name: str, default: Any = None) -> Any:
    return options().get(name, default)


def provider() -> eidpl.WkServiceProvider:
    """The process-wide provider, built on first use: it holds the replay cache, so it must be shared."""
    global _provider
    with _lock:
        if _provider is None:
            o = options()
            if o.get("SETTINGS") is not None:
                _provider = eidpl.WkServiceProvider(o["SETTINGS"], base_dir=o.get("BASE_DIR"))
            elif o.get("SETTINGS_FILE") is not None:
                _provider = eidpl.WkServiceProvider.from_file(o["SETTINGS_FILE"])
            else:
                raise ImproperlyConfigured('settings.EIDPL needs "SETTINGS" or "SETTINGS_FILE"')
        return _provider


def _reset(*, setting: str, **_: Any) -> None:
    global _provider
    if setting == "EIDPL":
        with _lock:
            _provider = None


setting_changed.connect(_reset)


def pesel_hash(login_result: eidpl.LoginResult) -> Optional[str]:
    """The default username: HMAC-SHA256 of the PESEL (or, without one, the verbatim person
    identifier) under HASH_KEY or SECRET_KEY. Stable per citizen, and no PESEL in the users table."""
    ident = login_result.person.pesel or login_result.person.person_identifier
    if not ident:
        return None
    key = get("HASH_KEY") or settings.SECRET_KEY
    if not key:
        raise ImproperlyConfigured("the PESEL hash needs settings.SECRET_KEY or EIDPL['HASH_KEY']")
    if isinstance(key, str):
        key = key.encode("utf-8")
    return "wk-" + hmac.new(key, ident.encode("utf-8"), hashlib.sha256).hexdigest()


def user_mapping() -> Callable[[eidpl.LoginResult], Optional[str]]:
    m = get("USER_MAPPING", "pesel_hash")
    if m == "pesel_hash":
        return pesel_hash
    if callable(m):
        return m  # type: ignore[no-any-return]
    return import_string(m)  # type: ignore[no-any-return]
