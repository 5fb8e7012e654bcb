"""The event-stream reader: the same data as the careful parse, or no answer at all.

What we test here: on the examples and every file of the invalid corpus, with each loader,
`plain_data` either gives up or returns exactly what the careful parse (node graph, marks) and
PyYAML's own constructor make of the text; it gives up on everything the careful parse refuses
(syntax errors, duplicate keys, nesting past the limit, alias bombs, tags) and on what it leaves
to it (anchors, merge keys, complex keys, several documents), so those keep their messages; the
load of a plain file never composes a node graph. Properties: any data PyYAML dumps, in any
style, reads back equal; for arbitrary text an answer is always the careful parse's answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.manifest import yamlfile
from livesnap_reconcile.manifest.load import load_manifest
from livesnap_reconcile.manifest.yamlevents import plain_data

ROOT = Path(__file__).parents[2]
CORPUS = Path(__file__).parent / "invalid"
FILES = sorted([*ROOT.glob("examples/manifests/*.yaml"), *CORPUS.glob("**/*.y*ml")])
LOADERS = sorted(yamlfile.LOADERS)


def _careful(raw: bytes, loader: str, monkeypatch: pytest.MonkeyPatch) -> yamlfile.ParsedFile:
    monkeypatch.setattr(yamlfile, "_Loader", yamlfile.LOADERS[loader])
    return yamlfile.parse_bytes(raw, "m.yaml")


def _fast(text: str, loader: str) -> object:
    return plain_data(text, yamlfile.LOADERS[loader], yamlfile.MAX_DEPTH)


def test_the_files_cover_plain_and_refused_documents():
    assert len(FILES) >= 60
    assert any(p.name == "newsroom.yaml" for p in FILES) and any(p.name == "alias-bomb.yaml" for p in FILES)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_answer_is_the_careful_parse_and_pyyaml_answer(path: Path, loader: str, monkeypatch: pytest.MonkeyPatch):
    raw = path.read_bytes()
    careful = _careful(raw, loader, monkeypatch)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        assert careful.errors
        return
    fast = _fast(text, loader)
    if careful.errors:
        assert fast is None, careful.errors
        return
    if fast is None:  # left to the careful parse: only for what it alone handles
        assert any(mark in text for mark in ("&", "<<", "? ", "!")), path
        return
    assert fast == careful.data
    assert fast == yaml.load(text, Loader=yamlfile.LOADERS[loader])  # noqa: S506 - our safe loaders
    assert repr(fast) == repr(careful.data)  # same key order, same int/float/bool types


def test_every_example_is_read_from_events(monkeypatch: pytest.MonkeyPatch):
    def no_compose(*args, **kwargs):
        raise AssertionError("a plain manifest was composed into a node graph")

    monkeypatch.setattr(yamlfile, "_compose", no_compose)
    for path in ROOT.glob("examples/manifests/*.yaml"):
        assert load_manifest([path]).data["streams"]


LEFT_TO_THE_CAREFUL_PARSE = {
    "anchor and alias": "a: &x [1]\nb: *x\n",
    "merge key": "base: &b {x: 1}\nc:\n  <<: *b\n",
    "plain merge key alone": "c:\n  <<: {x: 1}\n",
    "explicit tag": "a: !!str 1\n",
    "custom tag": "a: !thing 1\n",
    "non-specific tag": "a: ! 1\n",
    "tag on a mapping": "a: !!map {x: 1}\n",
    "complex key": "? [a, b]\n: 1\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate nested key": "a:\n  x: 1\n  x: 2\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "top-level list": "- a\n",
    "top-level scalar": "just text\n",
    "empty": "",
    "comments only": "# nothing\n",
    "syntax error": "a: [1, 2\n",
    "tab indent": "a:\n\tb: 1\n",
    "value tag": "a: =\n",
    "merge as a value": "a: <<\n",
    "too deep": "a: " + "[" * 64 + "]" * 64 + "\n",
}


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("name", sorted(LEFT_TO_THE_CAREFUL_PARSE))
def test_what_it_leaves_to_the_careful_parse(name: str, loader: str):
    assert _fast(LEFT_TO_THE_CAREFUL_PARSE[name], loader) is None


@pytest.mark.parametrize("loader", LOADERS)
def test_sixty_four_levels_and_quoted_merge_keys_are_plain(loader: str):
    deep = _fast("a: " + "[" * 63 + "]" * 63 + "\n", loader)
    assert isinstance(deep, dict) and isinstance(deep["a"], list)
    assert _fast("'<<': 1\nn: ~\nt: yes\nx: 0x1f\nf: 1_0.5\nd: 2026-11-25\nh: '19:00'\n", loader) == {
        "<<": 1, "n": None, "t": True, "x": 31, "f": 10.5, "d": "2026-11-25", "h": "19:00"}


_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
            | st.text(st.sampled_from(list("ab:-[]{}&*!|>'\"#\n \t%@`?,.01~<=é")), max_size=12))
_DATA = st.dictionaries(st.text(st.sampled_from(list("ab:-#&*<= .1")), max_size=6), st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(st.sampled_from(list("ab:-#&*<= .1")), max_size=6), inner, max_size=4), max_leaves=20),
    max_size=5)


@settings(max_examples=150, deadline=None)
@given(_DATA, st.sampled_from([False, True, None]), st.sampled_from(LOADERS), st.integers(2, 6))
def test_dumped_data_reads_back_equal(data: dict, flow: bool | None, loader: str, indent: int):
    text = yaml.safe_dump(data, default_flow_style=flow, indent=indent, allow_unicode=True, sort_keys=False)
    fast = _fast(text, loader)
    assert fast == data
    assert repr(fast) == repr(data)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n \t%@`?,.12<=~") + ["\x00", "é"]), max_size=80),
       st.sampled_from(LOADERS))
def test_arbitrary_text_gives_the_careful_answer_or_none(text: str, loader: str):
    fast = _fast(text, loader)
    if fast is None:
        return
    with pytest.MonkeyPatch.context() as patch:
        careful = _careful(text.encode(), loader, patch)
    assert not careful.errors and fast == careful.data
