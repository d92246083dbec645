"""login → auto-POST AuthnRequest to WK; acs ← WK's cross-site POST of SAMLart; logout → WK and Django.

The session keys: "eidpl_login" (request id, RelayState nonce, next URL; one-time, removed at the ACS)
and "eidpl_session" (NameID and SessionIndex for the logout at WK)."""

from __future__ import annotations

import logging
import secrets
from typing import Optional

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

import eidpl

from . import conf

log = logging.getLogger("eidpl.django")

PENDING = "eidpl_login"
SESSION = "eidpl_session"
REPOST_FIELD = "eidpl_repost"

# One message per error family; the code (eidpl.Error.code or ours) is shown beside it.
MESSAGES = {
    "status": (
        "Logowanie nie powiodło się",
        "Węzeł Krajowy (login.gov.pl) zgłosił, że logowanie nie zostało zakończone — np. przerwane "
        "lub odrzucone. Spróbuj zalogować się ponownie.",
    ),
    "signature": (
        "Odpowiedź nie przeszła weryfikacji podpisu",
        "Odpowiedź Węzła Krajowego nie ma ważnego podpisu i została odrzucona.",
    ),
    "validation": (
        "Odpowiedź Węzła Krajowego została odrzucona",
        "Odpowiedź jest nieważna (np. przeterminowana, użyta ponownie lub wystawiona dla innego "
        "żądania). Spróbuj zalogować się ponownie.",
    ),
    "decryption": (
        "Nie można odszyfrować odpowiedzi",
        "Odpowiedzi Węzła Krajowego nie udało się odszyfrować: klucze portalu nie pasują do tych "
        "zarejestrowanych w Węźle Krajowym.",
    ),
    "config": (
        "Błąd konfiguracji portalu",
        "Logowanie przez login.gov.pl jest źle skonfigurowane. Administrator znajdzie szczegóły w logach.",
    ),
    "input": ("Nieprawidłowe żądanie", "Przesłane dane logowania są nieprawidłowe."),
    "transport": (
        "Brak połączenia z Węzłem Krajowym",
        "Nie udało się połączyć z login.gov.pl. Spróbuj ponownie za chwilę.",
    ),
    "session": (
        "Sesja logowania wygasła",
        "Nie znaleziono rozpoczętego logowania w tej przeglądarce (sesja wygasła albo ciasteczka są "
        "zablokowane). Rozpocznij logowanie od nowa.",
    ),
    "relay_state": (
        "Odpowiedź nie pasuje do logowania",
        "Odpowiedź Węzła Krajowego nie należy do logowania rozpoczętego w tej przeglądarce.",
    ),
    "user": ("Brak dostępu", "Tożsamość została potwierdzona, ale to konto nie może się zalogować."),
}

STATUS_CODES = {"status_not_success"}
TRANSPORT_HINTS = ("http", "transport", "network", "timeout", "connect", "tls")


def family(error: eidpl.Error) -> str:
    code = getattr(error, "code", "") or ""
    if code in STATUS_CODES:
        return "status"
    for cls, name in (
        (eidpl.SignatureError, "signature"),
        (eidpl.DecryptionError, "decryption"),
        (eidpl.ConfigError, "config"),
        (eidpl.InputError, "input"),
        (eidpl.ValidationError, "validation"),
    ):
        if isinstance(error, cls):
            return name
    if any(h in code for h in TRANSPORT_HINTS):
        return "transport"
    return "validation"


def error_page(request: HttpRequest, fam: str, code: str, status: int = 400) -> HttpResponse:
    title, message = MESSAGES[fam]
    response = render(
        request,
        "eidpl/error.html",
        {"title": title, "message": message, "family": fam, "code": code},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


def _safe_next(request: HttpRequest, url: Optional[str]) -> Optional[str]:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@never_cache
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Signs an AuthnRequest and answers WK's auto-POST form. The RelayState is a fresh nonce (never
    the next URL: WK echoes it, and the ACS checks it against this session)."""
    nonce = secrets.token_urlsafe(24)
    try:
        req = conf.provider().authn_request(relay_state=nonce, loa=conf.get("LOA"))
    except eidpl.Error as e:
        log.error("eidpl: cannot build the AuthnRequest: %s", e)
        return error_page(request, family(e), e.code, status=500)
    request.session[PENDING] = {
        "request_id": req.id,
        "relay_state": nonce,
        "next": _safe_next(request, request.GET.get("next")),
    }
    response = HttpResponse(req.html_form, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@never_cache
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    """WK's artifact POST. CSRF-exempt: its integrity comes from the signed response, the one-time
    request ID and the RelayState nonce bound to this session.

    The POST is cross-site, so a SameSite=Lax/Strict session cookie is not sent with it. When no login
    is pending in the session and this is not already the re-POST, the ACS answers a small page that
    POSTs SAMLart/RelayState again to itself: that POST is same-site and carries the cookie."""
    artifact = request.POST.get("SAMLart", "")
    relay_state = request.POST.get("RelayState", "")
    if not artifact:
        return error_page(request, "input", "missing_samlart")
    pending = request.session.get(PENDING)
    if pending is None:
        if request.POST.get(REPOST_FIELD) != "1":
            # Do not touch the session here: that would set a new cookie over the real one.
            response = render(
                request,
                "eidpl/repost.html",
                {
                    "action": request.path,
                    "artifact": artifact,
                    "relay_state": relay_state,
                    "repost_field": REPOST_FIELD,
                },
            )
            response["Cache-Control"] = "no-store"
            return response
        return error_page(request, "session", "no_pending_login")
    if not secrets.compare_digest(str(pending.get("relay_state", "")), relay_state):
        # Keep the pending login: a foreign or stale POST must not cancel the user's real one.
        log.warning("eidpl: RelayState does not match the pending login")
        return error_page(request, "relay_state", "relay_state_mismatch")
    del request.session[PENDING]
    try:
        result = conf.provider().resolve_artifact(artifact, request_id=pending["request_id"])
    except eidpl.Error as e:
        log.warning("eidpl: login refused: %s", e)
        fam = family(e)
        return error_page(request, fam, e.code, status=500 if fam == "config" else 400)
    user = auth.authenticate(request, login_result=result)
    if user is None:
        return error_page(request, "user", "user_refused", status=403)
    auth.login(request, user)
    request.session[SESSION] = {"name_id": result.name_id, "session_index": result.session_index}
    target = pending.get("next") or conf.get("LOGIN_REDIRECT_URL") or settings.LOGIN_REDIRECT_URL
    return HttpResponseRedirect(resolve_url(target))


@never_cache
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Ends the session at WK (SOAP LogoutRequest with the kept NameID/SessionIndex), then in Django.
    A WK failure is logged and does not keep the user logged in here. POST only (with the CSRF token),
    like Django's own LogoutView."""
    wk = request.session.get(SESSION)
    if wk:
        try:
            conf.provider().logout(wk["name_id"], wk["session_index"])
        except eidpl.Error as e:
            log.warning("eidpl: WK logout failed: %s", e)
    auth.logout(request)
    return HttpResponseRedirect(
        resolve_url(conf.get("LOGOUT_REDIRECT_URL") or settings.LOGOUT_REDIRECT_URL or "/")
    )
