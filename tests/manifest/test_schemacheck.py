"""`schemacheck` gives exactly jsonschema's diagnostics for the manifest schema.

What we test here: the shipped schema stays inside the keywords `schemacheck` knows (so the CLI
never imports jsonschema to validate); on every file of the invalid corpus and the examples both
validators give the same located diagnostics (file:line:column, path, sentence), and the compiled
yes/no check passes exactly the documents the error walk finds nothing in (a valid manifest is
never walked); as a property, all of them agree on documents made by mutating valid manifests (values of every JSON type
put anywhere, keys removed or misspelt, sections emptied). A schema with an unknown keyword is
refused by `schemacheck` and checked by jsonschema instead.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import synth
from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest import schema, schemacheck
from livesnap_reconcile.manifest.load import load_manifest
from livesnap_reconcile.manifest.schemavalid import compile_valid

HERE = Path(__file__).parent
FILES = sorted((HERE / "invalid").glob("*.yaml")) + sorted((HERE.parents[1] / "examples" / "manifests").glob("*.yaml"))


def _both(data: Any, locate: Any) -> tuple[Counter, Counter]:
    _yes_or_no_agrees_with_the_walk(data)
    fast = schema.located(schema._validator().iter_errors(data), locate)
    reference = schema.located(schema.reference_validator().iter_errors(data), locate)
    return Counter(fast), Counter(reference)


def _yes_or_no_agrees_with_the_walk(data: Any) -> None:
    shipped = schema._validator().schema
    walked = next(schemacheck._check(data, shipped, (), ()), None) is None
    assert compile_valid(shipped)(data) is walked


def test_the_quick_answer_is_used_and_a_valid_manifest_never_walks(monkeypatch):
    def walk(*args):
        raise AssertionError("the error walk ran on a valid manifest")

    monkeypatch.setattr(schemacheck, "_check", walk)
    assert list(schema._validator().iter_errors(BASE)) == []


def test_the_shipped_schema_is_checked_without_jsonschema():
    assert isinstance(schema._validator(), schemacheck.Checker)
    code = ("import sys; from livesnap_reconcile.manifest import schema; schema.schema_diagnostics({}, "
            "lambda p, key=False: ('f', 1, 1)); print('jsonschema' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_same_located_diagnostics_on_every_corpus_file():
    compared = 0
    for path in FILES:
        try:
            loaded = load_manifest([path])
        except ManifestError:
            continue  # YAML or merge problems: never reach the schema
        fast, reference = _both(loaded.data, loaded.locate)
        assert fast == reference, path.name
        compared += 1
    assert compared > 40


def _by_path(path: tuple, key: bool = False) -> tuple[str, int, int]:
    return ".".join(map(str, path)), int(key), 1


JSON = st.recursive(st.none() | st.booleans() | st.integers(-5, 5000) | st.floats(allow_nan=False, width=32)
                    | st.sampled_from(["", "x", "alibaba", "tencent", "10:00", "2h", "UTC", "a b", "mon", "-x"]),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["vendor", "region", "provider", "template", "interval", "foo", "id"]),
                        inner, max_size=3), max_leaves=6)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _mutate(doc: dict, path: tuple, how: str, value: Any) -> dict:
    doc = copy.deepcopy(doc)
    if not path:
        return value if how == "set" and isinstance(value, dict) else doc
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "set":
        parent[last] = value
    elif how == "delete" and isinstance(parent, dict):
        del parent[last]
    elif how == "rename" and isinstance(parent, dict):
        parent[f"{last}x"] = parent.pop(last)
    elif how == "add" and isinstance(parent[last], dict):
        parent[last]["extra_key"] = value
    return doc


BASE = synth.manifest(40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_property_both_validators_agree_on_mutated_manifests(data):
    doc = BASE
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(doc)))
        doc = _mutate(doc, path, data.draw(st.sampled_from(["set", "delete", "rename", "add"])), data.draw(JSON))
    fast, reference = _both(doc, _by_path)
    assert fast == reference


def test_an_unknown_keyword_falls_back_to_jsonschema():
    assert not schemacheck.supports({"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}})
    assert schemacheck.supports({"type": "object", "properties": {"a": {"type": "string"}}})


SMALL_SCHEMAS = [
    {"type": "object", "properties": {"a": {"type": "integer", "minimum": 1}}, "additionalProperties": False,
     "required": ["a"]},
    {"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
    {"required": ["a", "b"]},
    {"additionalProperties": True, "propertyNames": {"pattern": "^[a-z]+$"}},
    {"type": ["array", "null"], "items": {"enum": [1, "x", True]}, "minItems": 1, "uniqueItems": True},
    {"if": {"properties": {"k": {"const": "t"}}}, "then": {"required": ["t"]}, "minProperties": 1},
    {"type": "string", "minLength": 2, "maxLength": 3}, {"exclusiveMinimum": 0, "maximum": 9}, True, False, {},
]
SMALL_VALUES = [None, True, 0, 1, 1.0, 10, "", "ab", "abcd", [], [1], [1, 1], [1, "x"], [None], {}, {"a": 1},
                {"a": 0}, {"a": "s"}, {"a": 1, "b": 2}, {"a": "s", "b": "t"}, {"A": 1}, {"k": "t"},
                {"k": "t", "t": 1}, {"k": "u"}]


@pytest.mark.parametrize("shape", SMALL_SCHEMAS, ids=repr)
def test_yes_or_no_agrees_with_the_walk_on_every_keyword_combination(shape):
    valid = compile_valid(shape)
    for value in SMALL_VALUES:
        assert valid(value) is (next(schemacheck._check(value, shape, (), ()), None) is None), value
