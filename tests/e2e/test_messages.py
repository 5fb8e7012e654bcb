"""Messages a user needs: which provider failed to connect, where and why; progress while refreshing.

What we test here: a provider whose endpoint refuses connections fails the plan with one line
naming the provider, its vendor, the endpoint and the reason (no secret, no traceback); and a
person at a terminal sees which providers are being refreshed and what each returned; piped, nothing.
"""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from tests.workspace import SandboxWorkspace

MANIFEST = """\
version: 1
namespace: msgs
providers:
  css: {{vendor: tencent, endpoint: "http://127.0.0.1:{port}"}}
templates:
  t: {{provider: css, cos: {{app_id: 1250000000, bucket: b1, region: ap-guangzhou}}}}
streams: {{}}
"""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on leaving: connections to it are refused


def test_a_refused_connection_names_provider_vendor_endpoint_and_reason(tmp_path: Path, monkeypatch):
    port = _closed_port()
    ws = SandboxWorkspace(tmp_path, MANIFEST.format(port=port), now=1_795_564_800)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDmessages")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "not-printed")
    monkeypatch.setenv("LIVESNAP_RETRY_BUDGET", "1s")
    result = CliRunner().invoke(cli, ["plan", str(ws.root)])  # the provider's own endpoint, not --sandbox
    assert result.exit_code == 1
    assert f"provider css (tencent): cannot connect to http://127.0.0.1:{port}: connection refused" in result.stderr
    assert "not-printed" not in result.output + result.stderr and "Traceback" not in result.stderr


def test_refresh_progress_is_shown_to_a_person_at_a_terminal(tmp_path: Path):
    ws = SandboxWorkspace(tmp_path, MANIFEST.format(port=1).replace(', endpoint: "http://127.0.0.1:1"', ""),
                          now=1_795_564_800)
    shown = ws.invoke("--progress", "plan", str(ws.root))  # as at a terminal (CliRunner's stderr is not one)
    assert shown.exit_code == 0, shown.output + shown.stderr
    kept = [line.rsplit("\x1b[K", 1)[-1] for line in shown.stderr.splitlines()]
    assert [line for line in kept if line.startswith("Refresh")] == [
        "Refreshing 1 provider (css)...", "Refreshed provider css: 0 object(s)"]
    assert "\r" not in shown.stdout  # the plan on stdout stays clean
    quiet = ws.invoke("plan", str(ws.root))
    assert quiet.exit_code == 0 and "Refreshing" not in quiet.stderr  # captured, not a terminal: nothing
