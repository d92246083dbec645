"""The GIL is released while eidpl waits on WK over HTTP: other Python threads keep running."""

from __future__ import annotations

import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import eidpl


def test_python_threads_run_while_resolve_artifact_waits(fixtures) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted = threading.Event()
    conns: list[socket.socket] = []

    def accept() -> None:  # Python code: it runs only if the waiting call released the GIL
        conn, _ = server.accept()
        conns.append(conn)
        accepted.set()

    s = json.loads((fixtures / "wk-settings.json").read_text())
    s["idp"] = {
        "environment": "custom",
        "entity_id": "int.login.gov.pl",
        "signing_certs": s["idp"]["signing_certs"],
        "artifact_resolution_url": f"http://127.0.0.1:{port}/wk/ar",
    }
    s["http"] = {"timeout_seconds": 10, "connect_timeout_seconds": 10}
    sp = eidpl.WkServiceProvider(s)
    acceptor = threading.Thread(target=accept, daemon=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        call = pool.submit(
            sp.resolve_artifact, "AAQAAMFbLinlXaCM+FIxiDwGOLAy2T71gbV1xH8hgQ==", request_id="ID-x"
        )
        acceptor.start()
        assert accepted.wait(8), "the acceptor thread never ran"
        # Held GIL: the acceptor could only run after the call timed out, so it would be done.
        assert not call.done(), "resolve_artifact finished before another thread could run"
        for c in conns:
            c.close()
        server.close()
        with pytest.raises(eidpl.Error) as e:
            call.result(timeout=15)
    assert e.value.code == "http_error"
