"""Węzeł Krajowy: the real 2018 simulator message, forgeries, replay, settings and requests."""

from __future__ import annotations

import datetime as dt

import pytest

import eidpl
from conftest import NOW_2018, REQUEST_ID_2018, RESOLVE_ID_2018, settings_2018, sp_2018


def validate(sp: eidpl.WkServiceProvider, data: bytes, **kw: object) -> eidpl.LoginResult:
    args: dict = {"request_id": REQUEST_ID_2018, "artifact_resolve_id": RESOLVE_ID_2018, "now": NOW_2018}
    args.update(kw)
    return sp.validate_artifact_response(data, **args)


def test_2018_message_gives_the_published_identity(response_2018: bytes) -> None:
    login = validate(sp_2018(), response_2018)
    assert isinstance(login, eidpl.LoginResult)
    assert login.name_id == "adminAll"
    assert login.session_index == "_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150"
    assert login.loa == "substantial"
    assert login.issuer == "localhost.wk.gov.pl"
    assert login.authenticating_authority == "pz.gov.pl"
    assert login.authn_instant == dt.datetime(2018, 9, 13, 13, 17, 51, 395000, tzinfo=dt.timezone.utc)
    p = login.person
    assert isinstance(p, eidpl.Person)
    assert (p.pesel, p.given_name, p.family_name) == ("87022243734", "Roch", "Apitz")
    assert p.date_of_birth == dt.date(1987, 2, 22)
    np = "http://eidas.europa.eu/attributes/naturalperson"
    assert login.attributes[f"{np}/CurrentGivenName"] == ("Roch",)
    assert login.warnings == ()
    d = login.to_dict()
    assert d["person"]["date_of_birth"] == "1987-02-22"
    assert d["name_id"] == "adminAll" and d["warnings"] == []
    assert "adminAll" in repr(login) and "Roch" in repr(login)
    assert p.to_dict()["date_of_birth"] == "1987-02-22"
    assert "87022243734" not in repr(login) and "87022243734" not in repr(p)


def test_str_input_and_naive_now_work(response_2018: bytes) -> None:
    login = validate(
        sp_2018(), response_2018.decode("utf-8"), now=NOW_2018.replace(tzinfo=None)
    )
    assert login.name_id == "adminAll"


def test_now_in_any_time_zone_is_the_same_instant(response_2018: bytes) -> None:
    # Five hours either way of the real instant would be before NotBefore or after NotOnOrAfter:
    # the offset must be applied, not dropped.
    for hours in (-5, 5, 14):
        zone = dt.timezone(dt.timedelta(hours=hours))
        login = validate(sp_2018(), response_2018, now=NOW_2018.astimezone(zone))
        assert login.name_id == "adminAll"
    later = (NOW_2018 + dt.timedelta(hours=5)).astimezone(dt.timezone(dt.timedelta(hours=-5)))
    with pytest.raises(eidpl.ValidationError) as e:
        validate(sp_2018(), response_2018, now=later)
    assert e.value.code == "expired"


def test_results_compare_by_value_and_to_dict_is_fresh(response_2018: bytes) -> None:
    a, b = validate(sp_2018(), response_2018), validate(sp_2018(), response_2018)
    assert a == b and a is not b
    d = a.to_dict()
    d["name_id"] = "changed"
    assert a.to_dict()["name_id"] == "adminAll"
    assert set(d) >= {"name_id", "session_index", "loa", "person", "attributes", "warnings"}


def test_results_copy_and_pickle_like_plain_dataclasses(response_2018: bytes) -> None:
    import copy
    import dataclasses
    import pickle

    login = validate(sp_2018(), response_2018)
    assert copy.deepcopy(login) == login and copy.copy(login) == login
    assert dataclasses.asdict(login)["person"]["given_name"] == "Roch"
    restored = pickle.loads(pickle.dumps(login))
    assert restored == login and restored.to_dict() == login.to_dict()


def test_one_changed_byte_is_digest_mismatch(response_2018: bytes) -> None:
    needle = b"<saml2:Issuer>localhost.wk.gov.pl<"
    at = response_2018.index(needle) + len(b"<saml2:Issuer>localhost.wk.gov.p")
    forged = response_2018[:at] + b"k" + response_2018[at + 1 :]
    assert len(forged) == len(response_2018) and forged != response_2018
    with pytest.raises(eidpl.SignatureError) as e:
        validate(sp_2018(), forged)
    assert e.value.code == "digest_mismatch"
    assert isinstance(e.value, eidpl.Error)
    assert isinstance(e.value.details, dict)
    assert "digest_mismatch" in str(e.value)


# attack: replay
def test_second_use_is_a_replay(response_2018: bytes) -> None:
    sp = sp_2018()
    validate(sp, response_2018)
    with pytest.raises(eidpl.ValidationError) as e:
        validate(sp, response_2018)
    assert e.value.code == "replay_detected"


def test_time_and_parties_are_checked(response_2018: bytes) -> None:
    cases = [
        ({"now": dt.datetime(2018, 9, 13, 14, 10, tzinfo=dt.timezone.utc)}, "expired"),
        ({"now": dt.datetime(2018, 9, 13, 13, 10, tzinfo=dt.timezone.utc)}, "not_yet_valid"),
        ({"request_id": "ID-other"}, "in_response_to_mismatch"),
        ({"artifact_resolve_id": "ID-other"}, "in_response_to_mismatch"),
    ]
    for kw, code in cases:
        with pytest.raises(eidpl.ValidationError) as e:
            validate(sp_2018(), response_2018, **kw)
        assert e.value.code == code, kw


def test_garbage_is_an_input_error() -> None:
    with pytest.raises(eidpl.InputError) as e:
        validate(sp_2018(), b"<not xml")
    assert e.value.code == "xml_malformed"
    with pytest.raises(eidpl.InputError) as e:
        validate(sp_2018(), b"<a/>", request_id=" ")
    assert e.value.code == "invalid_input"
    with pytest.raises(TypeError):
        validate(sp_2018(), 42)  # type: ignore[arg-type]


def test_bad_settings_name_the_key() -> None:
    s = settings_2018()
    s["sp"]["entity_idd"] = "typo"
    with pytest.raises(eidpl.ConfigError) as e:
        eidpl.WkServiceProvider(s)
    assert e.value.code == "config_invalid"
    assert "entity_idd" in str(e.value.details.get("setting", "")), e.value.details
    s = settings_2018()
    del s["sp"]["acs_url"]
    with pytest.raises(eidpl.ConfigError) as e:
        eidpl.WkServiceProvider(s)
    assert e.value.details.get("setting") == "sp.acs_url", e.value.details
    with pytest.raises(eidpl.ConfigError) as e:
        eidpl.WkServiceProvider.from_file("/nonexistent/eidpl.toml")
    with pytest.raises(TypeError):
        eidpl.WkServiceProvider("not a dict")  # type: ignore[arg-type]


def test_requests_and_metadata_from_the_generated_setup(fixtures) -> None:
    sp = eidpl.WkServiceProvider.from_file(fixtures / "wk-settings.json")
    req = sp.authn_request(relay_state="abc", loa="high")
    assert isinstance(req, eidpl.AuthnRequest)
    assert req.id.startswith("ID") or req.id
    assert req.relay_state == "abc" and "<form" in req.html_form and req.saml_request
    with pytest.raises(eidpl.ConfigError) as e:
        sp.authn_request(loa="very high")
    assert e.value.details["setting"] == "loa"
    ar = sp.artifact_resolve_request("AAQAAMFbLinlXaCM+FIxiDwGOLAy2T71gbV1xH8hgQ==")
    assert isinstance(ar, eidpl.SoapRequest) and ar.id and "ArtifactResolve" in ar.soap
    with pytest.raises(eidpl.InputError):
        sp.artifact_resolve_request("not base64 !")
    lr = sp.logout_request("obywatel-0", "_session")
    assert "LogoutRequest" in lr.soap and lr.url.startswith("https://")
    assert "EntityDescriptor" in sp.metadata()


def test_no_http_server_is_an_http_error(fixtures) -> None:
    import json

    s = json.loads((fixtures / "wk-settings.json").read_text())
    s["idp"] = {
        "environment": "custom",
        "entity_id": "int.login.gov.pl",
        "signing_certs": s["idp"]["signing_certs"],
        "artifact_resolution_url": "http://127.0.0.1:9/wk/ar",
    }
    sp = eidpl.WkServiceProvider(s)
    with pytest.raises(eidpl.Error) as e:
        sp.resolve_artifact("AAQAAMFbLinlXaCM+FIxiDwGOLAy2T71gbV1xH8hgQ==", request_id="ID-x")
    assert e.value.code == "http_error"
    assert type(e.value) is eidpl.Error


# attack: rule-5
def test_a_panic_is_internal_error_not_panic_exception() -> None:
    with pytest.raises(eidpl.Error) as e:
        eidpl._eidpl._panic_for_test()
    assert type(e.value) is eidpl.Error
    assert e.value.code == "internal_error"
    assert "test panic" in e.value.details["panic"]
