"""Loading: plain data with YAML 1.1 surprises removed, 1-based marks, merging, the digest.

What we test here: timestamps, dates and ``HH:MM`` stay strings while ints stay ints; marks and
key marks point at the right line and column; a directory merges its ``*.yaml``/``*.yml`` files
(hidden and other files ignored); ``<<`` merge keys work with explicit keys winning; the digest
follows the bytes; structure problems raise `ManifestError` with located diagnostics.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest.load import load_manifest

BASE = """version: 1
namespace: demo
providers:
  ice: {vendor: alibaba, region: cn-shanghai}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_scalars_keep_their_written_form(tmp_path: Path):
    path = _write(tmp_path / "m.yaml", BASE + """streams:
  s:
    when: 2026-11-25T09:00:00+08:00
    day: 2026-11-25
    clock: 19:00
    count: 42
    ratio: 0.5
    flag: true
    nothing: ~
""")
    stream = load_manifest([path]).data["streams"]["s"]
    assert stream == {"when": "2026-11-25T09:00:00+08:00", "day": "2026-11-25", "clock": "19:00",
                      "count": 42, "ratio": 0.5, "flag": True, "nothing": None}
    assert type(stream["count"]) is int


def test_marks_are_one_based_and_point_at_values_and_keys(tmp_path: Path):
    path = _write(tmp_path / "m.yaml", BASE + "templates:\n  t:\n    provider: ice\n    interval: 10\n")
    loaded = load_manifest([str(path)])
    assert loaded.mark(("templates", "t", "interval")) == (str(path), 8, 15)
    assert loaded.key_mark(("templates", "t")) == (str(path), 6, 3)
    assert loaded.mark(("version",)) == (str(path), 1, 10)
    assert loaded.mark(("templates", "nope")) is None
    assert loaded.locate(("templates", "t", "missing", 3)) == loaded.mark(("templates", "t"))


def test_directory_merges_yaml_and_yml_and_ignores_the_rest(tmp_path: Path):
    _write(tmp_path / "a.yaml", BASE)
    _write(tmp_path / "b.yml", "namespace: demo\ntemplates:\n  t: {provider: ice}\n")
    _write(tmp_path / ".hidden.yaml", "this is: [not valid\n")
    _write(tmp_path / "notes.txt", "ignored")
    loaded = load_manifest([tmp_path])
    assert [p.name for p in loaded.files] == ["a.yaml", "b.yml"]
    assert loaded.data["templates"] == {"t": {"provider": "ice"}}
    assert loaded.data["providers"]["ice"]["vendor"] == "alibaba"
    assert loaded.mark(("templates", "t", "provider"))[0] == str(tmp_path / "b.yml")


def test_same_file_twice_is_loaded_once(tmp_path: Path):
    path = _write(tmp_path / "a.yaml", BASE)
    loaded = load_manifest([path, tmp_path, str(path)])
    assert loaded.files == (path,)


def test_merge_keys_fill_in_and_explicit_keys_win(tmp_path: Path):
    path = _write(tmp_path / "m.yaml", BASE + """templates:
  a: &defaults {provider: ice, interval: 10, sequence_format: "s/{Sequence}.jpg"}
  b:
    <<: *defaults
    interval: 30
""")
    templates = load_manifest([path]).data["templates"]
    assert templates["b"] == {"provider": "ice", "interval": 30, "sequence_format": "s/{Sequence}.jpg"}


def test_empty_section_counts_as_empty_mapping(tmp_path: Path):
    path = _write(tmp_path / "m.yaml", BASE + "templates:\nstreams:\n")
    data = load_manifest([path]).data
    assert data["templates"] == {} and data["streams"] == {}


def test_digest_follows_bytes_not_paths(tmp_path: Path):
    one = _write(tmp_path / "one" / "m.yaml", BASE)
    two = _write(tmp_path / "two" / "m.yaml", BASE)
    assert load_manifest([one]).digest == load_manifest([two]).digest
    assert len(load_manifest([one]).digest) == 64
    _write(two, BASE + "# a comment changes the bytes\n")
    assert load_manifest([one]).digest != load_manifest([two]).digest


def test_several_problems_in_several_files_are_all_reported(tmp_path: Path):
    _write(tmp_path / "a.yaml", "version: 1\nversion: 1\n")
    _write(tmp_path / "b.yaml", "")
    with pytest.raises(ManifestError) as caught:
        load_manifest([tmp_path, tmp_path / "missing.yaml"])
    found = {(Path(d.file).name, d.line, d.message.split(" (")[0]) for d in caught.value.diagnostics}
    assert ("a.yaml", 2, "duplicate key 'version'") in found
    assert ("b.yaml", 1, "file is empty: expected a mapping with version, namespace and providers") in found
    assert ("missing.yaml", 1, "no such file or directory") in found
    assert "invalid manifest:" in str(caught.value)


def test_empty_directory_and_no_paths_are_errors(tmp_path: Path):
    with pytest.raises(ManifestError, match="no \\*.yaml or \\*.yml files"):
        load_manifest([tmp_path])
    with pytest.raises(ManifestError, match="no manifest path"):
        load_manifest([])


def test_version_may_repeat_when_equal_but_not_differ(tmp_path: Path):
    _write(tmp_path / "a.yaml", BASE)
    _write(tmp_path / "b.yaml", "version: 1\nnamespace: demo\n")
    assert load_manifest([tmp_path]).data["version"] == 1
    _write(tmp_path / "c.yaml", "version: 2\n")
    with pytest.raises(ManifestError) as caught:
        load_manifest([tmp_path])
    (diag,) = caught.value.diagnostics
    assert diag.file.endswith("c.yaml") and diag.line == 1
    assert f"{tmp_path / 'a.yaml'}:1" in diag.message
