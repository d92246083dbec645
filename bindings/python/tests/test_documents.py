"""Podpis zaufany documents: the generated PZ document verifies, its forged copy does not."""

from __future__ import annotations

import datetime as dt

import pytest

import eidpl
from conftest import fixture_json


def options() -> dict:
    o = fixture_json("pz-options.json")
    return {
        "trust_anchors": o["trust_anchors_pem"],
        "now": dt.datetime.fromisoformat(o["now"].replace("Z", "+00:00")),
    }


def test_pz_document_is_valid(fixtures) -> None:
    report = eidpl.verify_document((fixtures / "pz-document.xml").read_bytes(), **options())
    assert isinstance(report, eidpl.Report)
    assert report.verdict == "valid" and report.valid
    assert len(report.signatures) == 1
    s = report.signatures[0]
    assert s.kind == "pz" and s.indication == "TOTAL_PASSED"
    assert s.pz is not None and s.pz["pesel"] == "87022243734" and s.pz["given_name"] == "Jan"
    assert isinstance(s.signing_time, dt.datetime)
    d = report.to_dict()
    assert d["verdict"] == "valid" and d["signatures"][0]["kind"] == "pz"
    assert "valid" in repr(report)


def test_forged_pz_document_is_invalid(fixtures) -> None:
    report = eidpl.verify_document((fixtures / "pz-forged.xml").read_bytes(), **options())
    assert report.verdict == "invalid"
    assert report.signatures[0].sub_indication == "HASH_FAILURE"


def test_without_anchors_at_best_indeterminate(fixtures) -> None:
    report = eidpl.verify_document(
        (fixtures / "pz-document.xml").read_text(encoding="utf-8"), now=options()["now"]
    )
    assert report.verdict != "valid"


def test_unreadable_documents_and_options_raise() -> None:
    with pytest.raises(eidpl.InputError) as e:
        eidpl.verify_document(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert e.value.code == "doctype_forbidden"
    with pytest.raises(eidpl.ConfigError) as e:
        eidpl.verify_document(b"<x/>", trust_anchors=b"not a pem")
    assert e.value.code == "key_invalid"


def test_document_file_streams_with_the_same_verdicts(fixtures, tmp_path) -> None:
    good = eidpl.verify_document_file(fixtures / "pz-document.xml", **options())
    assert good.verdict == "valid" and good.signatures[0].kind == "pz"
    assert good.to_dict() == eidpl.verify_document(
        (fixtures / "pz-document.xml").read_bytes(), **options()
    ).to_dict()
    forged = eidpl.verify_document_file(str(fixtures / "pz-forged.xml"), **options())
    assert forged.verdict == "invalid"
    assert forged.signatures[0].sub_indication == "HASH_FAILURE"
    doctype = tmp_path / "doctype.xml"
    doctype.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    with pytest.raises(eidpl.InputError) as e:
        eidpl.verify_document_file(doctype)
    assert e.value.code == "doctype_forbidden"
    missing = tmp_path / "missing.xml"
    with pytest.raises(eidpl.ConfigError) as e:
        eidpl.verify_document_file(missing)
    assert e.value.code == "io_error" and e.value.details["path"] == str(missing)
