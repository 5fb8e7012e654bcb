"""The state model: immutability helpers, the JSON round trip and refusal of malformed documents."""

from __future__ import annotations

import copy
import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.errors import StateCorrupt
from livesnap_reconcile.state import FORMAT_VERSION, State, StateEntry
from tests.state.helpers import TYPICAL, entry, sample_state


def test_new_state_is_empty_with_a_fresh_uuid_lineage():
    a, b = State.new(), State.new()
    assert (a.serial, dict(a.resources), dict(a.providers)) == (0, {}, {})
    assert a.format_version == FORMAT_VERSION
    assert uuid.UUID(a.lineage).version == 4
    assert a.lineage != b.lineage
    assert State.new(lineage="given").lineage == "given"


def test_with_entry_and_without_return_new_states_and_keep_serial():
    base = State(format_version=1, lineage="l", serial=7)
    one = base.with_entry(entry())
    assert dict(base.resources) == {}
    assert list(one.resources) == ["template.every-10s"] and one.serial == 7
    replaced = one.with_entry(entry(remote_id="tpl-2"))
    assert replaced.resources["template.every-10s"].remote_id == "tpl-2"
    assert one.resources["template.every-10s"].remote_id == "tpl-1"
    assert dict(replaced.without("template.every-10s").resources) == {}
    assert replaced.without("template.missing") == replaced


def test_with_provider_records_vendor_and_endpoint():
    state = State.new().with_provider("css-gz", "tencent", "https://live.tencentcloudapi.com")
    assert state.providers == {"css-gz": {"vendor": "tencent", "endpoint": "https://live.tencentcloudapi.com"}}


def test_round_trip_keeps_everything():
    state = sample_state()
    doc = state.to_dict()
    assert set(doc) == {"format_version", "lineage", "serial", "providers", "resources"}
    assert set(doc["resources"]["job.main-stage.always-on"]) == {
        "kind", "provider", "remote_id", "attributes", "created_at", "protect", "status"}
    assert State.from_dict(copy.deepcopy(doc)) == state


def test_entry_attributes_are_held_in_json_shape():
    e = entry(attributes={"days": ("mon", "tue"), "nested": {"t": (1, 2)}})
    assert e.attributes == {**TYPICAL["template"], "days": ["mon", "tue"], "nested": {"t": [1, 2]}}
    assert StateEntry.from_dict(e.address, e.to_dict()) == e


def test_known_lists_entries_for_refresh_sorted_and_filtered():
    state = sample_state().with_entry(entry("template.other", provider="css-gz", kind="template"))
    assert [k.address for k in state.known()] == [
        "job.main-stage.always-on", "template.every-10s", "template.other"]
    assert [k.remote_id for k in state.known("css-gz")] == ["tpl-1"]


def test_optional_entry_fields_default():
    e = StateEntry.from_dict("task.x.y[2026-11-25T11:00Z]", {
        "kind": "task", "provider": "css-gz", "remote_id": "t1", "attributes": TYPICAL["task"], "created_at": 1})
    assert (e.protect, e.status) == (False, "")


def test_constructing_an_entry_that_could_not_be_read_back_fails():
    with pytest.raises(TypeError, match="created_at"):
        entry(created_at=1.5)
    with pytest.raises(TypeError, match="kind"):
        entry(kind="bucket")


def _doc(**changes):
    doc = sample_state().to_dict()
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = doc
        for p in parents:
            target = target[p]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value
    return doc


_DELETE = object()
_JOB = "resources__job.main-stage.always-on"


@pytest.mark.parametrize(("changes", "message"), [
    ({"format_version": 2}, "newer livesnap"),
    ({"format_version": 0}, "at least 1"),
    ({"format_version": "1"}, "format_version must be an integer"),
    ({"lineage": _DELETE}, "missing key 'lineage'"),
    ({"lineage": ""}, "lineage must not be empty"),
    ({"serial": "3"}, "serial must be an integer"),
    ({"serial": True}, "serial must be an integer"),
    ({"serial": -1}, "negative"),
    ({"resources": []}, "resources must be an object"),
    ({f"{_JOB}__remote_id": _DELETE}, "job.main-stage.always-on: missing key 'remote_id'"),
    ({f"{_JOB}__created_at": True}, "created_at must be an integer"),
    ({f"{_JOB}__kind": "bucket"}, "unknown kind 'bucket'"),
    ({f"{_JOB}__attributes": "x"}, "attributes must be an object"),
    ({f"{_JOB}__protect": "yes"}, "protect must be a boolean"),
    ({_JOB: 3}, "expected an object"),
    ({"providers__ice-sh__endpoint": _DELETE}, "provider ice-sh: missing key 'endpoint'"),
    ({"providers__ice-sh": "x"}, "provider ice-sh: expected an object"),
    ({"providers": []}, "providers must be an object"),
])
def test_malformed_documents_are_refused_with_the_reason(changes, message):
    with pytest.raises(StateCorrupt, match=message.replace("[", r"\[")):
        State.from_dict(_doc(**changes))


def test_non_object_top_level_is_refused():
    with pytest.raises(StateCorrupt, match="top level"):
        State.from_dict([1, 2])


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
# Extra attributes vary freely; the ones a kind's shape checks keep well-typed values, so a random
# key like "stream" with a None value does not make a state the reader rightly refuses.
_entries = st.builds(
    lambda addr, kind, rid, attrs, created, protect, status: StateEntry(
        address=f"{kind}.{addr}", kind=kind, provider="p", remote_id=rid, attributes={**attrs, **TYPICAL[kind]},
        created_at=created, protect=protect, status=status),
    st.text(min_size=1, max_size=10), st.sampled_from(["template", "job", "task"]), st.text(max_size=10),
    st.dictionaries(st.text(max_size=6), _json, max_size=4), st.integers(0, 2**40), st.booleans(),
    st.sampled_from(["", "started", "paused", "running"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_entries, max_size=5), st.integers(0, 10**6))
def test_any_state_survives_the_json_round_trip(entries, serial):
    state = State(format_version=FORMAT_VERSION, lineage="l", serial=serial)
    for e in entries:
        state = state.with_entry(e)
    assert State.from_dict(copy.deepcopy(state.to_dict())) == state


@pytest.mark.parametrize("kind, attributes, problem", [
    ("task", {"end": "tomorrow"}, "attribute 'end' must be an integer (Unix seconds for times), not 'tomorrow'"),
    ("task", {"end": None}, "attribute 'end' must be an integer"),
    ("job", {"output": "snaps"}, "attribute 'output' must be an object"),
    ("rule", {"domain": 5000}, "attribute 'domain' must be a string"),
    ("template", {"interval": True}, "attribute 'interval' must be an integer"),
])
def test_a_hand_edited_value_is_refused_on_read_naming_the_address_and_field(kind, attributes, problem):
    doc = {"kind": kind, "provider": "p", "remote_id": "1", "attributes": {**TYPICAL[kind], **attributes},
           "created_at": 1}
    with pytest.raises(StateCorrupt, match=re.escape(f"resource {kind}.x: {problem}")):
        StateEntry.from_dict(f"{kind}.x", doc)


def test_a_missing_attribute_is_refused_on_read():
    attributes = {k: v for k, v in TYPICAL["task"].items() if k != "end"}
    doc = {"kind": "task", "provider": "p", "remote_id": "1", "attributes": attributes, "created_at": 1}
    with pytest.raises(StateCorrupt, match="resource task.x: attribute 'end' is missing"):
        StateEntry.from_dict("task.x", doc)



def test_reading_an_entry_keeps_its_parsed_attributes_without_a_copy():
    # A state file of 100k entries is read once per plan: a second copy of every attribute
    # mapping doubled the memory of reading it.
    doc = entry().to_dict()
    read = StateEntry.from_dict("template.every-10s", doc)
    assert read.attributes is doc["attributes"] and read == entry()
