"""Ten threads validating at once give exactly what one thread gives (the GIL is released)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import eidpl
from conftest import NOW_2018, REQUEST_ID_2018, RESOLVE_ID_2018, fixture_json, sp_2018

THREADS = 10


def generated_logins(fixtures) -> list[tuple[bytes, dict]]:
    out = []
    i = 0
    while (fixtures / f"wk-answer-{i}.xml").exists():
        e = fixture_json(f"wk-expected-{i}.json")
        out.append(((fixtures / f"wk-answer-{i}.xml").read_bytes(), e))
        i += 1
    assert len(out) >= 2
    return out


def validate_generated(sp: eidpl.WkServiceProvider, answer: bytes, e: dict) -> dict:
    return sp.validate_artifact_response(
        answer,
        request_id=e["authn_request_id"],
        artifact_resolve_id=e["artifact_resolve_id"],
        now=dt.datetime.fromisoformat(e["now"].replace("Z", "+00:00")),
    ).to_dict()


# attack: concurrency
def test_generated_logins_in_threads_equal_single_threaded(fixtures) -> None:
    logins = generated_logins(fixtures)
    jobs = [logins[i % len(logins)] for i in range(THREADS)]
    settings = fixtures / "wk-settings.json"
    # Single-threaded reference; a fresh SP per job so the same answer may be used twice.
    expected = [
        validate_generated(eidpl.WkServiceProvider.from_file(settings), a, e) for a, e in jobs
    ]
    sps = [eidpl.WkServiceProvider.from_file(settings) for _ in jobs]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(lambda j: validate_generated(sps[j], *jobs[j]), range(THREADS)))
    assert got == expected
    assert len({r["person"]["given_name"] for r in got}) == min(THREADS, len(logins))


# attack: concurrency
def test_one_shared_sp_many_citizens_at_once(fixtures) -> None:
    logins = generated_logins(fixtures)
    sp = eidpl.WkServiceProvider.from_file(fixtures / "wk-settings.json")
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(lambda j: validate_generated(sp, *j), logins))
    ref_sp = eidpl.WkServiceProvider.from_file(fixtures / "wk-settings.json")
    assert got == [validate_generated(ref_sp, a, e) for a, e in logins]


# attack: concurrency
def test_2018_message_in_ten_threads(response_2018: bytes) -> None:
    def one(sp: eidpl.WkServiceProvider) -> dict:
        return sp.validate_artifact_response(
            response_2018,
            request_id=REQUEST_ID_2018,
            artifact_resolve_id=RESOLVE_ID_2018,
            now=NOW_2018,
        ).to_dict()

    expected = one(sp_2018())
    sps = [sp_2018() for _ in range(THREADS)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(one, sps))
    assert got == [expected] * THREADS
