"""eidpl.django with Django's test client against `eidpl simulator` over HTTP on 127.0.0.1: the
browser's hop to WK is done with urllib (the scripted login fields), everything on the portal side
goes through the real views, session, backend and user model."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

import django

import eidpl
from django.conf import settings

from conftest import ROOT

ENTITY = "https://gmina.example.pl"
ACS = "https://gmina.example.pl/eidpl/acs/"
EIDPL_BIN = Path(os.environ.get("EIDPL_BIN", ROOT / "target" / "debug" / "eidpl"))

if not settings.configured:
    settings.configure(
        SECRET_KEY="test-secret-key-not-for-production",
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "eidpl.django",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        AUTHENTICATION_BACKENDS=["eidpl.django.backends.EidplBackend"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        ROOT_URLCONF=__name__,
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        USE_TZ=True,
        EIDPL={},
    )
    django.setup()

from django.contrib.auth import SESSION_KEY, get_user  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


urlpatterns = [path("eidpl/", include("eidpl.django.urls")), path("", home)]


class Simulator:
    def __init__(self, workdir: Path) -> None:
        self.dir = workdir
        subprocess.run(
            [EIDPL_BIN, "keys", "generate", "--entity-id", ENTITY, "--out", workdir / "du"],
            check=True,
            capture_output=True,
        )
        (workdir / "simulator.toml").write_text(
            "[simulator]\nartifact_ttl_seconds = 30\n\n[[du]]\n"
            f'entity_id = "{ENTITY}"\nprovider_name = "Gmina Example"\n'
            'signing_cert = "du/sig_ec.crt"\nencryption_cert = "du/enc_ec.crt"\n'
            f'acs_urls = ["{ACS}"]\n'
        )
        self.proc = subprocess.Popen(
            [EIDPL_BIN, "simulator", "--listen", "127.0.0.1:0", "--config", workdir / "simulator.toml",
             "--state-dir", workdir / "wk"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        prefix = "eidpl simulator listening on "
        assert line.startswith(prefix), f"unexpected first line: {line!r}"
        self.base = line[len(prefix):]
        # The rest of stdout is not read: send it nowhere so the pipe never fills.
        self._drain = subprocess.Popen(["cat"], stdin=self.proc.stdout, stdout=subprocess.DEVNULL)

    def settings(self) -> dict[str, Any]:
        d = lambda f: str(self.dir / f)  # noqa: E731
        return {
            "sp": {
                "entity_id": ENTITY, "acs_url": ACS, "provider_name": "Gmina Example",
                "signing_key": d("du/sig_ec.key"), "signing_cert": d("du/sig_ec.crt"),
                "encryption_keys": [d("du/enc_ec.key")], "encryption_certs": [d("du/enc_ec.crt")],
            },
            "idp": {
                "environment": "custom",
                "entity_id": "symulator.eidpl.local",
                "signing_certs": [d("wk/wk_sig_ec.crt")],
                "sso_url": f"{self.base}/login/SingleSignOnService",
                "artifact_resolution_url": f"{self.base}/login-services/idpArtifactResolutionService",
                "slo_url": f"{self.base}/login-services/singleLogoutService",
            },
        }

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._drain.wait()


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    if not EIDPL_BIN.exists():
        pytest.fail(f"no {EIDPL_BIN}: build the CLI first (cargo build -p eidpl-cli) or set EIDPL_BIN")
    workdir = Path(tempfile.mkdtemp(prefix="eidpl-django-"))
    s = Simulator(workdir)
    try:
        yield s
    finally:
        s.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def database() -> None:
    call_command("migrate", run_syncdb=True, verbosity=0)


@pytest.fixture
def portal(sim: Simulator) -> Iterator[Client]:
    with override_settings(EIDPL={"SETTINGS": sim.settings(), "LOGIN_REDIRECT_URL": "/after-login"}):
        yield Client()


def field(page: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert m, f"no {name} in {page}"
    return html.unescape(m.group(1))


def to_wk(client: Client, citizen: str, scenario: str = "success", next_url: str = "") -> dict[str, str]:
    """GET the portal's login, POST its form to the simulator like a browser (with the scripted
    citizen), and return the fields of WK's auto-POST form back to the ACS."""
    r = client.get("/eidpl/login/" + (f"?next={urllib.parse.quote(next_url)}" if next_url else ""))
    assert r.status_code == 200
    page = r.content.decode()
    action = html.unescape(re.search(r'action="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    assert action.endswith("/login/SingleSignOnService")
    form = {"SAMLRequest": field(page, "SAMLRequest"), "RelayState": field(page, "RelayState"),
            "eidpl_citizen": citizen, "eidpl_scenario": scenario}
    req = urllib.request.Request(action, data=urllib.parse.urlencode(form).encode(), method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        back = resp.read().decode()
    assert f'action="{ACS}"' in back, back
    return {"SAMLart": field(back, "SAMLart"), "RelayState": field(back, "RelayState")}


def test_login_then_logout(portal: Client) -> None:
    fields = to_wk(portal, "jan", next_url="/sprawy?id=7")
    r = portal.post("/eidpl/acs/", fields)
    assert r.status_code == 302 and r["Location"] == "/sprawy?id=7", r.content
    user = get_user(_request(portal))
    assert user.is_authenticated
    assert user.first_name == "Jan" and user.last_name
    assert user.username.startswith("wk-") and not user.has_usable_password()
    assert re.fullmatch(r"wk-[0-9a-f]{64}", user.username)
    wk = portal.session["eidpl_session"]
    assert wk["name_id"] and wk["session_index"]
    assert "eidpl_login" not in portal.session

    # The same citizen again is the same user (names refreshed, no duplicate).
    portal.post("/eidpl/logout/")
    r = portal.post("/eidpl/acs/", to_wk(portal, "jan"))
    assert r.status_code == 302 and r["Location"] == "/after-login"
    assert get_user(_request(portal)).pk == user.pk

    # Logout: WK answers (a second logout of that WK session is refused by WK), Django session cleared.
    wk = portal.session["eidpl_session"]
    assert portal.get("/eidpl/logout/").status_code == 405
    r = portal.post("/eidpl/logout/")
    assert r.status_code == 302
    assert SESSION_KEY not in portal.session and "eidpl_session" not in portal.session
    assert not get_user(_request(portal)).is_authenticated
    from eidpl.django import conf

    with pytest.raises(eidpl.Error):
        conf.provider().logout(wk["name_id"], wk["session_index"])


def test_other_citizen_is_another_user(portal: Client) -> None:
    portal.post("/eidpl/acs/", to_wk(portal, "anna"))
    anna = get_user(_request(portal))
    assert anna.is_authenticated and anna.first_name == "Anna"
    other = Client()
    other.post("/eidpl/acs/", to_wk(other, "jan"))
    assert get_user(_request(other)).pk != anna.pk


def by_given_name(login_result: eidpl.LoginResult) -> str | None:
    """A custom USER_MAPPING (dotted path in the test): None refuses the login."""
    name = login_result.person.given_name
    return None if name == "Anna" else f"custom-{name}"


def test_custom_user_mapping(sim: Simulator) -> None:
    mapping = f"{__name__}.by_given_name"
    with override_settings(EIDPL={"SETTINGS": sim.settings(), "USER_MAPPING": mapping}):
        c = Client()
        r = c.post("/eidpl/acs/", to_wk(c, "jan"))
        assert r.status_code == 302
        assert get_user(_request(c)).username == "custom-Jan"
        # Another browser's answer, re-POSTed here: no pending login in this session.
        r = c.post("/eidpl/acs/", {**to_wk(Client(), "anna"), "eidpl_repost": "1"})
        assert r.status_code == 400 and "no_pending_login" in r.content.decode()
        assert get_user(_request(c)).username == "custom-Jan"
        c = Client()
        r = c.post("/eidpl/acs/", to_wk(c, "anna"))
        assert r.status_code == 403 and "user_refused" in r.content.decode()
        assert not get_user(_request(c)).is_authenticated


def test_wk_error_scenario_shows_the_error_page(portal: Client) -> None:
    r = portal.post("/eidpl/acs/", to_wk(portal, "anna", scenario="authn_failed"))
    assert r.status_code == 400
    body = r.content.decode()
    assert "status_not_success" in body and "Logowanie nie powiodło się" in body
    assert "eidpl-error-status" in body
    assert not get_user(_request(portal)).is_authenticated


def test_relay_state_mismatch_is_refused(portal: Client) -> None:
    fields = to_wk(portal, "jan")
    r = portal.post("/eidpl/acs/", {**fields, "RelayState": "forged"})
    assert r.status_code == 400 and "relay_state_mismatch" in r.content.decode()
    assert not get_user(_request(portal)).is_authenticated
    # The real answer still completes the pending login.
    r = portal.post("/eidpl/acs/", fields)
    assert r.status_code == 302 and get_user(_request(portal)).is_authenticated


def test_acs_without_session_cookie_re_posts_same_site(portal: Client, sim: Simulator) -> None:
    fields = to_wk(portal, "jan")
    cookies = portal.cookies
    # WK's cross-site POST: a SameSite=Lax session cookie is not sent.
    bare = Client()
    r = bare.post("/eidpl/acs/", fields)
    assert r.status_code == 200 and not r.cookies
    page = r.content.decode()
    assert field(page, "SAMLart") == fields["SAMLart"] and field(page, "eidpl_repost") == "1"
    # The page re-POSTs same-site: now the cookie travels and the login completes.
    portal.cookies = cookies
    r = portal.post("/eidpl/acs/", {**fields, "eidpl_repost": "1"})
    assert r.status_code == 302 and get_user(_request(portal)).is_authenticated
    # A re-POST that still has no pending login is an error page, not a loop.
    r = bare.post("/eidpl/acs/", {**fields, "eidpl_repost": "1"})
    assert r.status_code == 400 and "no_pending_login" in r.content.decode()


def _request(client: Client) -> HttpRequest:
    request = HttpRequest()
    request.session = client.session
    return request
