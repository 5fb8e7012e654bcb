"""A plain `livesnap validate PATH...` runs without click, and says exactly what the click command says.

What we test here: which argument lists take the fast path in `cli.entry` (only paths and
``--format text|json``); that in a fresh process the fast path leaves click, the workflows, the
vendor clients, the kind specs and the resource model unloaded; and that for valid, warning, invalid
(file:line), unreadable and unparseable manifests, in text and JSON, both paths print the same
stdout and stderr and exit with the same code, also when the report cannot be built (a bad
LIVESNAP_NOW goes to click's error mapping).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from livesnap_reconcile.cli.entry import plain_validate

EXAMPLES = Path(__file__).parents[2] / "examples" / "manifests"

# What validating must not load. Each is either another command's business (click parses those),
# or what plan and apply need of a vendor (kind specs, expansion, the resource model, clients).
VALIDATE_MUST_NOT_IMPORT = (
    "click", "httpx", "deepdiff", "jsonschema", "psycopg", "difflib", "dataclasses", "inspect", "hashlib",
    "livesnap_reconcile.cli.main", "livesnap_reconcile.ops", "livesnap_reconcile.plan", "livesnap_reconcile.apply",
    "livesnap_reconcile.state", "livesnap_reconcile.providers", "livesnap_reconcile.emulator",
    "livesnap_reconcile.resources", "livesnap_reconcile.core.expansion", "livesnap_reconcile.manifest.expand",
    "livesnap_reconcile.vendors.alibaba.job", "livesnap_reconcile.vendors.alibaba.expand",
    "livesnap_reconcile.vendors.tencent.expand", "livesnap_reconcile.vendors.tencent.task",
    "livesnap_reconcile.vendors.tencent.rule", "livesnap_reconcile.vendors.template",
)

FAST = "from livesnap_reconcile.cli.entry import main\nmain()\n"
CLICK = "from livesnap_reconcile.cli.main import main\nmain()\n"
MODULES = (
    "import sys, atexit\n"
    "atexit.register(lambda: sys.__stderr__.write('MODULES=' + ','.join(sorted(sys.modules)) + '\\n'))\n"
)


def _run(code: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def _loaded(stderr: str) -> set[str]:
    line = next(x for x in stderr.splitlines() if x.startswith("MODULES="))
    return set(line.removeprefix("MODULES=").split(","))


@pytest.mark.parametrize(("argv", "expected"), [
    (["validate", "a.yaml"], ([Path("a.yaml")], "text")),
    (["validate", "a.yaml", "dir"], ([Path("a.yaml"), Path("dir")], "text")),
    (["validate", "--format", "json", "a.yaml"], ([Path("a.yaml")], "json")),
    (["validate", "a.yaml", "--format=text"], ([Path("a.yaml")], "text")),
])
def test_plain_argument_lists_take_the_fast_path(argv, expected):
    assert plain_validate(argv) == expected


@pytest.mark.parametrize("argv", [
    ["validate"], ["validate", "--format", "json"], ["validate", "-v", "a.yaml"], ["validate", "a.yaml", "--help"],
    ["validate", "--format", "xml", "a.yaml"], ["validate", "a.yaml", "--format"], ["validate", "--", "a.yaml"],
    ["validate", "--state", "s.json", "a.yaml"], ["validate", ""], ["plan", "a.yaml"], ["--no-color", "validate", "a"],
])
def test_anything_else_goes_to_click(argv):
    assert plain_validate(argv) is None


def test_the_fast_path_imports_only_what_validating_needs():
    result = _run(MODULES + FAST, ["validate", str(EXAMPLES)])
    assert result.returncode == 0, result.stderr
    loaded = _loaded(result.stderr)
    unwanted = sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in VALIDATE_MUST_NOT_IMPORT))
    assert unwanted == []
    assert "livesnap_reconcile.manifest.semantic" in loaded  # it did validate


def _cases(tmp_path: Path) -> list[list[str]]:
    from tests.manifest.test_cli_validate import PAST as past

    (tmp_path / "past.yaml").write_text(past)
    (tmp_path / "bad.yaml").write_text(past.replace("interval: 10", "interval: 1").replace("cn-shanghai}", "x}"))
    (tmp_path / "broken.yaml").write_text("version: 1\nnamespace: [unclosed\n")
    (tmp_path / "utf8.yaml").write_bytes(b"version: 1\nnamespace: \xff\n")
    files = [str(EXAMPLES), *(str(tmp_path / n) for n in ("past.yaml", "bad.yaml", "broken.yaml", "utf8.yaml")),
             str(tmp_path / "missing.yaml")]
    return [["validate", *fmt, f] for f in files for fmt in ([], ["--format", "json"])]


def test_both_paths_print_and_exit_alike(tmp_path: Path):
    seen_codes = set()
    for argv in _cases(tmp_path):
        fast, slow = _run(MODULES + FAST, argv), _run(CLICK, argv)
        assert "click" not in _loaded(fast.stderr), argv
        fast_err = "\n".join(x for x in fast.stderr.splitlines() if not x.startswith("MODULES="))
        assert (fast.returncode, fast.stdout, fast_err) == (slow.returncode, slow.stdout, slow.stderr.rstrip("\n")), argv
        assert "Traceback" not in fast.stderr
        seen_codes.add(fast.returncode)
    assert seen_codes == {0, 1}
    located = _run(FAST, ["validate", str(tmp_path / "bad.yaml")])
    assert f"{tmp_path / 'bad.yaml'}:4:" in located.stderr  # file:line reaches the user on the fast path


@pytest.mark.parametrize("fmt", [[], ["--format", "json"]])
def test_a_report_that_cannot_be_built_reads_as_through_click(fmt):
    argv, env = ["validate", *fmt, str(EXAMPLES)], {"LIVESNAP_NOW": "not a time"}
    fast, slow = _run(FAST, argv, env), _run(CLICK, argv, env)
    assert fast.returncode == slow.returncode == 1
    assert (fast.stdout, fast.stderr) == (slow.stdout, slow.stderr)
    assert "LIVESNAP_NOW" in fast.stderr and "Traceback" not in fast.stderr
