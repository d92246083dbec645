"""Where the tests read from: the interop vectors beside the project (EIDPL_INTEROP, default
../shared/interop from the project root) and the generated fixtures of `make c-fixtures`
(EIDPL_FIXTURES, default target/c-test)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

import eidpl

ROOT = Path(__file__).resolve().parents[3]
INTEROP = Path(os.environ.get("EIDPL_INTEROP", ROOT.parent / "shared" / "interop"))
FIXTURES = Path(os.environ.get("EIDPL_FIXTURES", ROOT / "target" / "c-test"))

REQUEST_ID_2018 = "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc"
RESOLVE_ID_2018 = "ID-09a2e477-dd85-4ce2-9420-0d9cc27244df"
NOW_2018 = dt.datetime(2018, 9, 13, 13, 20, tzinfo=dt.timezone.utc)


def settings_2018() -> dict[str, Any]:
    d = INTEROP / "wk-simulator-2018"
    return {
        "sp": {
            "entity_id": "http://localhost.sp.pl",
            "acs_url": "http://localhost:11080/saml-emulator/context",
            "encryption_keys": [{"path": str(d / "du_enc_ec.p12"), "password": "12345"}],
        },
        "idp": {"environment": "simulator", "signing_certs": [d / "wk_sig_ec.pem"]},
    }


def sp_2018() -> eidpl.WkServiceProvider:
    return eidpl.WkServiceProvider(settings_2018())


@pytest.fixture(scope="session")
def response_2018() -> bytes:
    return (INTEROP / "wk-simulator-2018" / "artifact-response.xml").read_bytes()


@pytest.fixture(scope="session")
def fixtures() -> Path:
    if not (FIXTURES / "pz-document.xml").exists():
        pytest.fail(f"no fixtures in {FIXTURES}: run `make c-fixtures` first")
    return FIXTURES


def fixture_json(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
