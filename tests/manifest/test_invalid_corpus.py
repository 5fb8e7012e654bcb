"""The invalid-manifest corpus: every case yields exactly its expected diagnostics, and exit 1.

What we test here: each ``tests/manifest/invalid/NAME.yaml`` (or directory ``NAME/``) is paired
with ``NAME.expect``, one expected error per line as ``LINE: message`` (or ``FILE:LINE: message``
for directory cases). The validator must report exactly those errors (same count, same file and
line, the message containing the text), and `livesnap validate` must exit 1 without a traceback
in both output formats. Cases run with the corpus directory as the working directory so file
names in messages are stable, and once with each YAML loader (libyaml and pure Python): the
messages are ours, so they must not depend on which one parsed the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest import yamlfile
from livesnap_reconcile.manifest.validate import load_and_validate

CORPUS = Path(__file__).parent / "invalid"
# Business time for the CLI cases: before every window in the corpus, so no "ended" warning joins in.
CORPUS_NOW = {"LIVESNAP_NOW": "2026-11-20T00:00:00Z"}
CASES = sorted(p.stem for p in CORPUS.glob("*.expect"))


def _target(name: str) -> str:
    return name if (CORPUS / name).is_dir() else next(p.name for p in CORPUS.glob(f"{name}.y*ml"))


def _expected(name: str) -> list[tuple[str, int, str]]:
    rows = []
    for raw in (CORPUS / f"{name}.expect").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        where, message = raw.split(": ", 1)
        file, _, line = where.rpartition(":")
        rows.append((f"{name}/{file}" if file else _target(name), int(line), message))
    return rows


@pytest.fixture(autouse=True, params=sorted(yamlfile.LOADERS))
def _in_corpus(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    monkeypatch.setattr(yamlfile, "_Loader", yamlfile.LOADERS[request.param])


def test_corpus_is_large_and_paired():
    assert len(CASES) >= 40
    inputs = {p.stem for p in CORPUS.glob("*.y*ml")} | {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert inputs == set(CASES), "every case needs a NAME.expect and every expect a case"


@pytest.mark.parametrize("name", CASES)
def test_case_reports_exactly_the_expected_errors(name: str):
    with pytest.raises(ManifestError) as caught:
        load_and_validate([_target(name)])
    got = [d for d in caught.value.diagnostics if d.severity == "error"]
    expected = _expected(name)
    assert len(got) == len(expected), "\n".join(str(d) for d in got)
    unmatched = list(got)
    for file, line, message in expected:
        match = next((d for d in unmatched if d.file == file and d.line == line
                      and message in d.message), None)
        assert match is not None, f"missing {file}:{line}: {message}\ngot:\n" + "\n".join(map(str, got))
        unmatched.remove(match)


@pytest.mark.parametrize("name", CASES)
def test_cli_exits_1_without_traceback(name: str):
    result = CliRunner().invoke(cli, ["validate", _target(name)], env=CORPUS_NOW)
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln]
    count = len(_expected(name))
    assert lines[-1].startswith(f"{count} error" if count == 1 else f"{count} errors"), lines[-1]
    for file, line, _message in _expected(name):
        assert any(ln.startswith(f"{file}:{line}:") for ln in lines), result.stderr


@pytest.mark.parametrize("name", CASES)
def test_cli_json_lists_the_same_errors(name: str):
    result = CliRunner().invoke(cli, ["validate", "--format", "json", _target(name)], env=CORPUS_NOW)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False
    errors = [d for d in document["diagnostics"] if d["severity"] == "error"]
    assert len(errors) == len(_expected(name))
    assert set(errors[0]) == {"severity", "file", "line", "column", "path", "message"}
