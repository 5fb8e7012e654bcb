"""The state file bytes: the cached encoder must equal ``json.dumps(sort_keys, indent=2)`` exactly,
for any state and across a sequence of commits that reuse, replace and drop entries."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.errors import StateError
from livesnap_reconcile.state import State
from livesnap_reconcile.state.encoding import StateEncoder, encode_state
from tests.state.helpers import entry, sample_state


def reference(state: State) -> bytes:
    return (json.dumps(state.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_steps = st.lists(
    st.tuples(st.sampled_from(["put", "drop"]), st.text(min_size=1, max_size=6),
              st.dictionaries(st.text(max_size=5), _values, max_size=3)),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(_steps, st.dictionaries(st.text(max_size=5), st.text(max_size=8), max_size=2))
def test_cached_encoding_equals_json_dumps_after_every_commit(steps, providers):
    state = State.new()
    for name, endpoint in providers.items():
        state = state.with_provider(name, "tencent", endpoint)
    encoder = StateEncoder()
    assert encoder.encode(state) == reference(state)
    for op, name, attributes in steps:
        address = f"template.{name}"
        state = state.with_entry(entry(address, attributes=attributes)) if op == "put" else state.without(address)
        assert encoder.encode(state) == reference(state)


def test_a_replaced_entry_is_encoded_again_not_served_from_cache():
    encoder = StateEncoder()
    state = sample_state()
    encoder.encode(state)
    changed = state.with_entry(entry(remote_id="tpl-new"))
    assert b'"tpl-new"' in encoder.encode(changed)
    assert encoder.encode(changed) == reference(changed)


def test_tricky_strings_are_exact():
    state = sample_state().with_entry(entry("template.odd\n\"x\"", attributes={"k": "line\nbreak é \u2028 }"}))
    assert encode_state(state) == reference(state)


def test_values_json_cannot_hold_are_refused():
    with pytest.raises(StateError, match="cannot serialise"):
        encode_state(sample_state().with_entry(entry(attributes={"x": float("inf")})))
