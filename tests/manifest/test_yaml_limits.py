"""YAML safety limits: oversized files, alias bombs, hostile input never yields a traceback.

What we test here: a 20 MB file is refused from its size alone (it is never opened); a file that
passes the size check but grows is still cut off; a "billion laughs" document is refused from
node counts without being expanded; nesting deeper than 64 levels is refused with our own message,
the events read stopping at the limit and no composer running; arbitrary text either loads or raises
`ManifestError` with either loader.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest import yamlfile
from livesnap_reconcile.manifest.load import load_manifest


def _big_file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: costs no disk or time
        handle.write(b"version: 1\n")
        handle.truncate(size)
    return path


def test_twenty_megabyte_file_is_refused_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = _big_file(tmp_path, 20 * 1024 * 1024)

    def no_open(self, *args, **kwargs):
        raise AssertionError(f"{self} was opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(ManifestError) as caught:
        load_manifest([path])
    (diag,) = caught.value.diagnostics
    assert diag.file == str(path) and (diag.line, diag.column) == (1, 1)
    assert "file is too large (20971520 bytes; the limit is 5242880 bytes)" == diag.message


def test_twenty_megabyte_file_through_the_cli(tmp_path: Path):
    path = _big_file(tmp_path, 20 * 1024 * 1024)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1:1: file is too large" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_read_is_capped_even_if_stat_was_small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "m.yaml"
    path.write_bytes(b"a: 1\n" * 100)
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 499)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: SimpleNamespace(st_mode=real_stat(self).st_mode, st_size=10))
    with pytest.raises(ManifestError, match="file is too large"):
        load_manifest([path])


def _laughs(levels: int, width: int = 9) -> str:
    lines = ["version: 1", "namespace: demo", "a0: &a0 [lol]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_by_counting_not_expanding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "bomb.yaml"
    path.write_text(_laughs(30))  # 9**30 nodes if expanded: only counting can survive this
    built = []
    monkeypatch.setattr(yamlfile._Builder, "build", lambda *a, **k: built.append(a) or {})
    with pytest.raises(ManifestError) as caught:
        load_manifest([path])
    assert "YAML aliases expand to" in caught.value.diagnostics[0].message
    assert built == []


def test_modest_aliases_are_fine(tmp_path: Path):
    path = tmp_path / "ok.yaml"
    path.write_text(_laughs(3))  # 9**3 = 729 nodes
    data = load_manifest([path]).data
    assert len(data["a3"]) == 9 and data["a3"][0][0][0] == ["lol"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n \t%@`?,.12") + ["\x00", "é"]), max_size=80),
       st.sampled_from(sorted(yamlfile.LOADERS)))
def test_arbitrary_text_loads_or_raises_manifest_error(text: str, loader: str):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlfile, "_Loader", yamlfile.LOADERS[loader])
        path = Path(tmp) / "m.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            loaded = load_manifest([path])
        except ManifestError as exc:
            assert exc.diagnostics and all(d.line >= 1 and d.column >= 1 for d in exc.diagnostics)
        else:
            assert isinstance(loaded.data, dict)


DEEP = {
    "flow-lists": "a: " + "[" * 200_000 + "]" * 200_000 + "\n",
    "flow-maps": "a: " + "{b: " * 5_000 + "1" + "}" * 5_000 + "\n",
    "block-lists": "- " * 30_000 + "x\n",
    "block-maps": "".join(" " * i + f"k{i}:\n" for i in range(2_000)),
    "just-over": "a: " + "[" * 64 + "]" * 64 + "\n",  # the mapping plus 64 lists: 65 levels
}


@pytest.mark.parametrize("loader", sorted(yamlfile.LOADERS))
@pytest.mark.parametrize("name", sorted(DEEP))
def test_pathological_nesting_is_refused_before_any_parser_composes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, loader: str
):
    # The C composer recurses without a guard and newer libyaml refuses at 1000 levels in its own
    # words: the limit is ours. The event reader stops where it is passed, and the careful parse
    # that words the error refuses the text from our scan, before any composer runs.
    events: list[object] = []

    class Watched(yamlfile.LOADERS[loader]):  # type: ignore[misc,valid-type]
        def get_event(self):
            events.append(None)
            return super().get_event()

        def get_single_node(self):
            raise AssertionError(f"the {loader} loader composed a document that was too deep")

    monkeypatch.setattr(yamlfile, "_Loader", Watched)
    path = tmp_path / "deep.yaml"
    path.write_text(DEEP[name])
    with pytest.raises(ManifestError) as caught:
        load_manifest([path])
    (diag,) = caught.value.diagnostics
    assert diag.message == "YAML nesting is too deep (the limit is 64 levels)"
    assert diag.line >= 1
    assert len(events) < 4 * yamlfile.MAX_DEPTH  # of the 200,000 levels, little more than the limit


@pytest.mark.parametrize("loader", sorted(yamlfile.LOADERS))
def test_sixty_four_levels_are_allowed_with_either_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loader: str
):
    monkeypatch.setattr(yamlfile, "_Loader", yamlfile.LOADERS[loader])
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 63 + "]" * 63 + "\n")
    data: object = load_manifest([path]).data
    for _ in range(64):
        assert isinstance(data, dict | list)
        data = data["a"] if isinstance(data, dict) else (data[0] if data else None)
    assert data is None


def test_the_libyaml_loader_is_libyaml_where_pyyaml_has_it():
    import yaml

    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    assert issubclass(yamlfile.LOADERS["libyaml"], yaml.CSafeLoader)
    assert not issubclass(yamlfile.LOADERS["python"], yaml.CSafeLoader)
