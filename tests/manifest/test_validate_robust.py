"""Validation never crashes: any value of any type anywhere yields diagnostics, not exceptions.

What we test here: starting from the shipped examples, hypothesis replaces one value (or one
key) with arbitrary JSON-like data; `validate` must return located diagnostics every time.
"""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.manifest.load import load_manifest
from livesnap_reconcile.manifest.validate import validate

EXAMPLES = Path(__file__).parents[2] / "examples" / "manifests"
LOADED = load_manifest([EXAMPLES])

values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True)
    | st.text(max_size=12) | st.sampled_from(["2026-11-25T09:00:00Z", "10:00", "1h", "mon", "ice-hz"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*prefix, index))


PATHS = [p for p in _paths(LOADED.data) if p]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATHS), values, st.booleans())
def test_any_replacement_gives_diagnostics_not_exceptions(path, value, as_key):
    data = copy.deepcopy(LOADED.data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if as_key and isinstance(parent, dict) and isinstance(value, str):
        parent[value] = parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    diagnostics = validate(LOADED._replace(data=data))
    for diag in diagnostics:
        assert diag.line >= 1 and diag.column >= 1 and diag.message
