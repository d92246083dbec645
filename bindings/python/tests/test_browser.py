"""The example portal (examples/django_portal) in a real browser: headless Chromium (Debian's
`chromium`, driven over the DevTools protocol with websocket-client) logs in through `eidpl simulator`
and out again, so the auto-POST forms, WK's cross-site POST to the ACS, the same-site re-POST with a
SameSite=Lax session cookie and the CSRF-protected logout form are exercised as a browser does them.

Skipped when no chromium is installed, unless EIDPL_REQUIRE_BROWSER is set (`make test` sets it)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import ROOT

EIDPL_BIN = Path(os.environ.get("EIDPL_BIN", ROOT / "target" / "debug" / "eidpl"))
PORTAL_DIR = ROOT / "bindings" / "python" / "examples" / "django_portal"
ENTITY = "https://gmina.example.pl"
REQUIRED = bool(os.environ.get("EIDPL_REQUIRE_BROWSER"))
CHROMIUM = os.environ.get("EIDPL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
TIMEOUT = 15.0

try:
    import websocket  # websocket-client
except ImportError:  # pragma: no cover - the Makefile's venv has it
    websocket = None

if not Path(CHROMIUM).exists() or websocket is None:
    why = "no chromium" if not Path(CHROMIUM).exists() else "no websocket-client"
    if REQUIRED:
        raise RuntimeError(f"EIDPL_REQUIRE_BROWSER is set but there is {why} (scripts/install-deps.sh)")
    pytest.skip(f"{why}: browser test skipped (set EIDPL_REQUIRE_BROWSER=1 to require it)",
                allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[Any], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not answer at {url}")
            time.sleep(0.1)


class Cdp:
    """Just enough of the Chrome DevTools Protocol: commands on one page target, events ignored."""

    def __init__(self, ws_url: str) -> None:
        self.ws = websocket.create_connection(ws_url, timeout=TIMEOUT, suppress_origin=True)
        self.next_id = 0

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]  # type: ignore[no-any-return]

    def eval(self, js: str) -> Any:
        r = self.send("Runtime.evaluate", expression=js, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{js}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait(self, js: str, what: str) -> Any:
        """Polls `js` until it is truthy: navigations (auto-POSTs, redirects) just pass by."""
        deadline = time.monotonic() + TIMEOUT
        last: Any = None
        while time.monotonic() < deadline:
            try:
                value = self.eval(js)
                if value:
                    return value
            except RuntimeError as e:  # the context went away mid-navigation
                last = e
            time.sleep(0.1)
        page = self.eval("location.href + '\\n' + (document.body ? document.body.innerText : '')")
        raise AssertionError(f"timed out waiting for {what} ({last}); page: {page}")

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[str, Path]]:
    """The simulator, the example portal on 127.0.0.1:<free port>; yields the portal's URL and log."""
    if not EIDPL_BIN.exists():
        pytest.fail(f"no {EIDPL_BIN}: build the CLI first (cargo build -p eidpl-cli) or set EIDPL_BIN")
    workdir = Path(tempfile.mkdtemp(prefix="eidpl-browser-"))
    procs: list[subprocess.Popen[Any]] = []
    try:
        port = free_port()
        # The browser uses the portal as localhost and WK as 127.0.0.1: two sites, so WK's POST to the
        # ACS is cross-site, as with the real login.gov.pl, and the SameSite=Lax cookie stays home.
        portal = f"http://localhost:{port}"
        acs = f"{portal}/eidpl/acs/"
        subprocess.run([EIDPL_BIN, "keys", "generate", "--entity-id", ENTITY, "--out", workdir / "du"],
                       check=True, capture_output=True)
        (workdir / "simulator.toml").write_text(
            "[simulator]\nartifact_ttl_seconds = 30\n\n[[du]]\n"
            f'entity_id = "{ENTITY}"\nprovider_name = "Gmina Example"\n'
            'signing_cert = "du/sig_ec.crt"\nencryption_cert = "du/enc_ec.crt"\n'
            f'acs_urls = ["{acs}"]\n'
        )
        sim = subprocess.Popen(
            [EIDPL_BIN, "simulator", "--listen", "127.0.0.1:0", "--config", workdir / "simulator.toml",
             "--state-dir", workdir / "wk"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        procs.append(sim)
        assert sim.stdout is not None
        line = sim.stdout.readline().strip()
        prefix = "eidpl simulator listening on "
        assert line.startswith(prefix), f"unexpected first line: {line!r}"
        base = line[len(prefix):]
        procs.append(subprocess.Popen(["cat"], stdin=sim.stdout, stdout=subprocess.DEVNULL))
        (workdir / "eidpl.toml").write_text(
            f'[sp]\nentity_id = "{ENTITY}"\nacs_url = "{acs}"\nprovider_name = "Gmina Example"\n'
            'signing_key = "du/sig_ec.key"\nsigning_cert = "du/sig_ec.crt"\n'
            'encryption_keys = ["du/enc_ec.key"]\nencryption_certs = ["du/enc_ec.crt"]\n\n'
            '[idp]\nenvironment = "custom"\nentity_id = "symulator.eidpl.local"\n'
            'signing_certs = ["wk/wk_sig_ec.crt"]\n'
            f'sso_url = "{base}/login/SingleSignOnService"\n'
            f'artifact_resolution_url = "{base}/login-services/idpArtifactResolutionService"\n'
            f'slo_url = "{base}/login-services/singleLogoutService"\n'
        )
        env = {**os.environ, "EIDPL_SETTINGS_FILE": str(workdir / "eidpl.toml"),
               "PORTAL_DB": str(workdir / "portal.sqlite3"), "PYTHONDONTWRITEBYTECODE": "1"}
        manage = [sys.executable, str(PORTAL_DIR / "manage.py")]
        subprocess.run([*manage, "migrate", "--verbosity", "0"], cwd=PORTAL_DIR, env=env, check=True)
        log = open(workdir / "portal.log", "wb")
        procs.append(subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
                                      cwd=PORTAL_DIR, env=env, stdout=log, stderr=subprocess.STDOUT))
        wait_http(portal + "/", procs[-1], "the portal")
        yield portal, workdir / "portal.log"
    finally:
        for p in reversed(procs):
            p.kill()
            p.wait()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def browser() -> Iterator[Cdp]:
    profile = tempfile.mkdtemp(prefix="eidpl-chromium-")
    port = free_port()
    args = [CHROMIUM, "--headless=new", f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-dev-shm-usage", "--remote-allow-origins=*", "about:blank"]
    if os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    # Its own process group, so its helpers (zygote, renderers) go with it.
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    cdp = None
    try:
        deadline = time.monotonic() + TIMEOUT
        ws_url = None
        while ws_url is None:
            if proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                    pages = [t for t in json.load(r) if t.get("type") == "page"]
                if pages:
                    ws_url = pages[0]["webSocketDebuggerUrl"]
            except OSError:
                pass
            if ws_url is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("chromium's DevTools endpoint did not come up")
                time.sleep(0.1)
        cdp = Cdp(ws_url)
        yield cdp
    finally:
        if cdp is not None:
            cdp.close()
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def test_login_and_logout_in_chromium(world: tuple[str, Path], browser: Cdp) -> None:
    portal, log = world
    browser.send("Page.navigate", url=portal + "/")
    browser.wait("!!document.getElementById('login')", "the portal's home page")
    assert browser.eval("document.getElementById('login').textContent") == "Zaloguj przez login.gov.pl"
    browser.eval("document.getElementById('login').click()")

    # The portal's auto-POST carries the AuthnRequest to the simulator's citizen picker.
    radio = "document.querySelector('input[name=citizen][value=anna]')"
    browser.wait(f"!!{radio}", "the simulator's citizen picker")
    assert browser.eval("location.href").startswith("http://127.0.0.1:")
    label = browser.eval(f"{radio}.parentElement.textContent")
    name = label.split(",")[0].strip()  # "Anna Nowak, PESEL …" -> "Anna Nowak"
    assert name.startswith("Anna ")
    browser.eval(f"{radio}.click()")
    browser.eval("document.querySelector('button[type=submit]').click()")

    # WK's auto-POST to the ACS (cross-site: no Lax cookie), its same-site re-POST, the redirect home.
    citizen = browser.wait("document.getElementById('citizen') && "
                           "document.getElementById('citizen').textContent", "the logged-in home page")
    assert name in citizen, citizen
    assert browser.eval("location.href") == portal + "/"
    # The logged-in page, kept in the test run's output folder.
    shot = browser.send("Page.captureScreenshot", format="png")
    out = Path(os.environ.get("EIDPL_TEST_OUTPUT", ROOT / "target" / "test-output")) / "browser"
    out.mkdir(parents=True, exist_ok=True)
    png = out / "logged-in.png"
    png.write_bytes(base64.b64decode(shot["data"]))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    # Chromium did not send the Lax cookie with WK's cross-site POST: the ACS finished on its re-POST.
    assert log.read_text().count("POST /eidpl/acs/") == 2, log.read_text()

    browser.eval("document.getElementById('logout').click()")
    browser.wait("!!document.getElementById('anonymous')", "the logged-out home page")
    assert browser.eval("location.href") == portal + "/"
    assert not browser.eval("!!document.getElementById('citizen')")
    # Logged out for real: a reload still shows the login link.
    browser.send("Page.reload")
    time.sleep(0.2)
    browser.wait("!!document.getElementById('login')", "the home page after reload")
