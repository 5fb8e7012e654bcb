"""A vendor limit lower than livesnap believes never fails an apply: the pacer learns it.

What we test here: the sandbox served over loopback (as `sandbox serve --rps 5` does) admits 5
requests per second per action, a quarter of the 20 req/s livesnap configures for Tencent task
actions; `livesnap apply --parallelism 20` of 116 task creates finishes in one run with every
create done and no change failed (the throttle answers are absorbed: slower pace, retries).
Counts only; business time is pinned and the sandbox's clock frozen at the same instant.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator
from livesnap_reconcile.emulator.clock import Clock
from livesnap_reconcile.emulator.faults import Faults
from livesnap_reconcile.emulator.server import serve

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
STREAMS, PER_STREAM = 29, 4  # 116 creates
HOUR = 3600


def _manifest(path: Path, endpoint: str) -> Path:
    base = int(NOW.timestamp()) + 2 * HOUR
    lines = ["version: 1", "namespace: paced", "providers:", f"  css: {{vendor: tencent, endpoint: \"{endpoint}\"}}",
             "streams:"]
    for s in range(STREAMS):
        lines += [f"  cam{s:02d}:", "    provider: css", "    domain: 5000.live.push.com", "    app: live",
                  f"    stream: cam{s:02d}", "    snapshots:"]
        for k in range(PER_STREAM):
            start = base + k * 2 * HOUR
            lines.append(f"      w{k}: {{template: {{id: 12345}}, window: {{start: \"{_iso(start)}\", "
                         f"end: \"{_iso(start + HOUR)}\"}}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_apply_at_a_quarter_of_the_configured_rate_creates_everything(tmp_path):
    emulator = Emulator(clock=Clock(now=NOW.timestamp()), faults=Faults(rps=5))
    with serve(emulator) as server:
        manifest = _manifest(tmp_path / "livesnap.yaml", server.url)
        key_id, secret = SANDBOX_KEYS["tencent"]
        env = {"TENCENTCLOUD_SECRET_ID": key_id, "TENCENTCLOUD_SECRET_KEY": secret, "HOME": str(tmp_path),
               "LIVESNAP_NOW": NOW.isoformat(), "NO_COLOR": "1"}
        result = CliRunner().invoke(cli, ["--state", str(tmp_path / "state.json"), "apply", "--auto-approve",
                                          "--format", "json", "--parallelism", "20", str(manifest)], env=env)
    docs = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    changes = [d for d in docs if d.get("type") == "change"]
    failed = [d for d in changes if d.get("status") != "ok"]
    assert failed == [], failed[:3]
    assert sum(1 for d in changes if d.get("action") == "create") == STREAMS * PER_STREAM
    assert result.exit_code == 0, result.stderr[-2000:]
