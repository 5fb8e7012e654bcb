"""Our Tencent client and the emulator against the CLI's API spec (``tccli`` api.json, both sites).

What we test here, for every Tencent action our client calls (the spec extract is explained in
`tests.providers.tccli_spec`): the action exists in the China spec, and on the international site
exactly the actions its spec publishes are served, by our client and by the emulator; every field
our client sends in a full cycle is a member of the spec with the spec's JSON type, and every
required member is sent; the emulator refuses a request missing any required member
(MissingParameter), accepts every optional one, and refuses a value of the wrong type. The specs
carry no enumerations for these actions (allowed values are prose in the docs), so none are compared.
"""

from __future__ import annotations

import pytest

from livesnap_reconcile.emulator import Emulator, Faults, tencent_sites
from livesnap_reconcile.emulator.clock import Clock
from livesnap_reconcile.providers.tencent.client import ACTIONS, LiveClient
from tests.emulator.helpers import Caller
from tests.providers import tccli_spec
from tests.providers.conftest import T0
from tests.providers.test_vendor_spec_conformance import _capture, _full_cycle

SPEC = tccli_spec.load()
_JSON_TYPES = {"int": int, "string": str}
# A valid-looking value per member, so only the member under test can be wrong.
_VALUES = {"StartTime": T0 + 600, "EndTime": T0 + 4200, "TemplateId": 1, "CosAppId": 1250000000,
           "CosRegion": "ap-guangzhou", "CosBucket": "thumbs", "TemplateName": "ns-t", "DomainName": "d.example.com",
           "AppName": "live", "StreamName": "s1", "TaskId": "t"}


def _members(action: str, site: str = "china") -> dict[str, dict]:
    return {m["name"]: m for m in SPEC[site][action]}


def _value(member: dict):
    return _VALUES.get(member["name"], 1 if member["type"] == "int" else "x")


@pytest.fixture(scope="module")
def sent():
    mp = pytest.MonkeyPatch()
    try:
        captured = _capture(mp)
        _full_cycle()
    finally:
        mp.undo()
    return [(action, params) for vendor, action, params in captured if vendor == "tencent"]


def test_the_extract_covers_every_action_the_client_calls():
    assert SPEC["actions"] == sorted(ACTIONS) and set(SPEC["china"]) == set(ACTIONS)


def test_the_international_site_serves_what_its_spec_publishes():
    published = set(SPEC["international"])
    intl = LiveClient(caller=None, endpoint="https://x", provider="p", region="r", site="international")  # type: ignore[arg-type]
    assert {a for a in ACTIONS if intl.serves(a)} == published
    assert set(ACTIONS) & set(tencent_sites.INTERNATIONAL_ACTIONS) == published


def test_our_client_sends_only_spec_members_with_their_types_and_every_required_one(sent):
    assert {a for a, _ in sent} == set(ACTIONS)
    for action, params in sent:
        members = _members(action)
        assert set(params) <= set(members), (action, set(params) - set(members))
        for name, value in params.items():
            expected = _JSON_TYPES[members[name]["type"]]
            assert type(value) is expected, (action, name, value)
        missing = {n for n, m in members.items() if m["required"]} - set(params)
        assert not missing, (action, missing)


def _caller() -> Caller:
    return Caller(Emulator(clock=Clock(now=T0), faults=Faults(rps=0), seed=0))


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_emulator_requires_what_the_spec_requires_and_accepts_every_optional_member(action):
    members = _members(action)
    required = {n: _value(m) for n, m in members.items() if m["required"]}
    caller = _caller()
    for name in required:
        answer = caller.tc(action, region="ap-guangzhou", **{k: v for k, v in required.items() if k != name})
        assert answer.get("Error", {}).get("Code") == "MissingParameter", (action, name, answer)
    for name, member in members.items():
        if member["required"]:
            continue
        answer = caller.tc(action, region="ap-guangzhou", **required, **{name: _value(member)})
        assert answer.get("Error", {}).get("Code") not in ("UnknownParameter", "MissingParameter"), (action, name, answer)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_emulator_refuses_a_value_of_the_wrong_type(action):
    members = _members(action)
    required = {n: _value(m) for n, m in members.items() if m["required"]}
    caller = _caller()
    for name, member in members.items():
        wrong = "not-a-number" if member["type"] == "int" else 7
        answer = caller.tc(action, region="ap-guangzhou", **{**required, name: wrong})
        assert answer.get("Error", {}).get("Code") == "InvalidParameterValue", (action, name, answer)
