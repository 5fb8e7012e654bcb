"""Our nesting scan: exact on the documents YAML tools write, never over on hand-written ones.

What we test here: the depth `deepest_point` finds equals the parser's count of open collections
for any data PyYAML dumps (block, flow and mixed styles, keys and values full of YAML's special
characters); hand-written constructs that hold brackets or indentation without nesting (block
scalars, quoted strings, comments, plain continuation lines) are not counted; and the position
reported is where the limit is passed.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.manifest.yamldepth import deepest_point


def _parser_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def _scanned_depth(text: str) -> int:
    limit = 0
    while deepest_point(text, limit) is not None:
        limit += 1
    return limit


_NASTY = st.text(alphabet=st.sampled_from(list("ab:-[]{}#'\" |>?&*!,\\%@`\t\n") + ["é"]), max_size=6)
_DATA = st.recursive(
    st.one_of(_NASTY, st.integers(), st.none(), st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_NASTY, inner, max_size=3)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_DATA, st.sampled_from([False, True, None]), st.sampled_from([2, 4]), st.sampled_from([20, 80, 1000]))
def test_depth_of_dumped_documents_is_exact(data, flow_style, indent, width):
    text = yaml.safe_dump({"root": data}, default_flow_style=flow_style, indent=indent, width=width,
                          allow_unicode=True)
    assert _scanned_depth(text) == _parser_depth(text)


@pytest.mark.parametrize("text", [
    "a: |\n  [[[[\n  - - - -\n   b:\n    c:\nd: 1\n",
    "a: >-\n  {{{{ [[[[\n",
    "a: 'it''s [[[[ {{{{'\nb: \"esc \\\" [[[[\"\n",
    "a: \"multi\n  - - - line\n  [[[[ quoted\"\nb: 1\n",
    "a: plain # [[[[ {{{{ comment\n# - - - - [[[[\n",
    "a: plain\n  continued\n   - still\n    the same scalar\n",
    "a: [x, 'y ]]] [[[', \"z {{{\"]\n",
    "a: value[with]{brackets}\n",
])
def test_what_holds_brackets_without_nesting_is_not_counted(text: str):
    assert _scanned_depth(text) == _parser_depth(text)


@pytest.mark.parametrize("text, depth", [
    ("a:\n- b:\n  - c: 1\n", 5),
    ("- - - x\n", 3),
    ("a: &anchor\n  b: !!map\n    c: [1, {d: [2]}]\n", 6),
    ("? a\n: - b\n", 2),
    ("a: 1\n---\nb:\n  c: 1\n", 2),
])
def test_hand_written_nesting_is_counted(text: str, depth: int):
    assert _scanned_depth(text) == _parser_depth(text) == depth


def test_the_position_is_where_the_limit_is_passed():
    assert deepest_point("a:\n  b:\n    c: [1]\n", 2) == (3, 5)
    assert deepest_point("a:\n  b:\n    c: [1]\n", 3) == (3, 8)
    assert deepest_point("a:\n  b:\n    c: [1]\n", 4) is None
