"""With ``--format json`` a failure is JSON on stdout too, so programs never parse prose.

What we test here: an invalid manifest under ``plan --format json`` gives exit 1 and a JSON error
on stdout carrying each diagnostic with its file and line (the human lines stay on stderr); a
livesnap error (a saved plan that is not one) and a usage error come out the same way; text
mode keeps stdout free of JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.workspace import SandboxWorkspace

MANIFEST = """\
version: 1
namespace: jsonerr
providers:
  css: {vendor: tencent}
templates:
  thumbs: {provider: css, interval: 1, cos: {app_id: 1250000000, bucket: thumbs, region: ap-guangzhou}}
streams: {}
"""


def test_an_invalid_manifest_is_a_json_error_with_its_diagnostics(tmp_path: Path):
    ws = SandboxWorkspace(tmp_path, MANIFEST, now=1_795_564_800)
    result = ws.invoke("plan", "--format", "json", str(ws.root))
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "ManifestError"
    (diag,) = error["diagnostics"]
    assert diag["line"] == 6 and diag["file"].endswith("live.yaml") and "interval must be between 2" in diag["message"]
    assert "live.yaml:6:" in result.stderr


def test_livesnap_and_usage_errors_are_json_too(tmp_path: Path):
    ws = SandboxWorkspace(tmp_path, MANIFEST.replace("interval: 1", "interval: 10"), now=1_795_564_800)
    bogus = tmp_path / "plan.json"
    bogus.write_text("not json")
    shown = ws.invoke("show", "--format", "json", str(bogus))
    assert shown.exit_code == 1
    assert "not a livesnap plan" in json.loads(shown.stdout)["error"]["message"]
    usage = ws.invoke("plan", "--format=json", "--parallelism", "x", str(ws.root))
    assert usage.exit_code == 1 and json.loads(usage.stdout)["error"]["type"] == "usage"


def test_text_mode_keeps_stdout_free_of_json(tmp_path: Path):
    ws = SandboxWorkspace(tmp_path, MANIFEST, now=1_795_564_800)
    result = ws.invoke("plan", str(ws.root))
    assert result.exit_code == 1 and result.stdout == ""
