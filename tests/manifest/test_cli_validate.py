"""`livesnap validate` and `livesnap schema` as a user and CI see them.

What we test here: exit 0 for the examples with a "N files valid" summary, exit 1 with one
``file:line:col`` line per error on stderr; the JSON document shape; warnings never fail; the
real console script starts without importing httpx or deepdiff and never prints a traceback;
`schema` prints the schema file from any working directory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.manifest.schema import SCHEMA_PATH

EXAMPLES = Path(__file__).parents[2] / "examples" / "manifests"
PAST = """version: 1
namespace: demo
providers:
  ice: {vendor: alibaba, region: cn-shanghai}
templates:
  t: {provider: ice, interval: 10, overwrite_format: "o/{JobId}.jpg"}
streams:
  cam:
    provider: ice
    rtmp_url: rtmp://push.example.com/live/cam
    output: {bucket: snaps, endpoint: oss-cn-shanghai.aliyuncs.com}
    snapshots:
      gone: {template: t, window: {start: "2020-01-01T00:00:00Z", end: "2020-01-02T00:00:00Z"}}
"""


def test_examples_are_valid_in_text_mode():
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"{len(list(EXAMPLES.glob('*.yaml')))} files valid"


def test_examples_are_valid_in_json_mode():
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(EXAMPLES)])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["valid"] is True and document["diagnostics"] == []
    assert sorted(Path(f).name for f in document["files"]) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


def test_warnings_are_printed_but_do_not_fail(tmp_path: Path):
    path = tmp_path / "past.yaml"
    path.write_text(PAST)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert f"{path}:13:" in result.stderr and "warning: window ended" in result.stderr
    assert result.stdout.strip() == "1 file valid, 1 warning"
    document = json.loads(CliRunner().invoke(cli, ["validate", "--format", "json", str(path)]).stdout)
    assert document["valid"] is True and [d["severity"] for d in document["diagnostics"]] == ["warning"]


def test_errors_are_listed_with_a_count(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(PAST.replace("interval: 10", "interval: 1").replace("region: cn-shanghai", "region: x"))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{path}:4:") and "region" in lines[0]
    assert lines[1].startswith(f"{path}:6:32: interval must be between 5 and 3600")
    assert lines[-1] == "2 errors, 1 warning"
    assert result.stdout == ""


def test_missing_path_is_a_diagnostic_not_a_crash(tmp_path: Path):
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    (diag,) = json.loads(result.stdout)["diagnostics"]
    assert diag["message"] == "no such file or directory"


def test_no_path_is_a_usage_error():
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 1
    assert "Missing argument" in result.output + result.stderr


def test_schema_prints_the_schema_file_from_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(SCHEMA_PATH.read_text())


def test_real_process_validates_without_heavy_imports_or_tracebacks(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"version: 1\nnamespace: \xff\n")
    code = (
        "import sys; from livesnap_reconcile.cli.main import cli\n"
        "try:\n    cli.main(sys.argv[1:])\nexcept SystemExit as e:\n"
        "    heavy = [m for m in ('httpx', 'deepdiff') if m in sys.modules]\n"
        "    print('HEAVY=' + ','.join(heavy)); sys.exit(e.code)\n"
    )
    good = subprocess.run([sys.executable, "-c", code, "validate", str(EXAMPLES)],
                          capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip().splitlines()[-1] == "HEAVY="
    broken = subprocess.run([sys.executable, "-c", code, "validate", str(bad)],
                            capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1
    assert f"{bad}:2:12: file is not valid UTF-8 (byte 0xff at offset 22)" in broken.stderr
    assert "Traceback" not in broken.stderr
