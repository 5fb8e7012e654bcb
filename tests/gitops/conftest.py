"""A sandbox workspace for the GitOps tests: a small two-vendor manifest, a frozen emulator clock.

The manifest holds an Alibaba stream whose `keynote` snapshot is protected and has a one-hour
window (01:00Z-02:00Z on 2026-11-25), and a Tencent stream with a Wed/Thu evening schedule
(two occurrences inside the vendor horizon). Business time starts at 2026-11-25T00:00:00Z.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from livesnap_reconcile.emulator import Emulator
from tests.workspace import SandboxWorkspace

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z, a Wednesday (08:00 in Shanghai)
WINDOW_START = T0 + 3600
WINDOW_END = T0 + 7200

MANIFEST = """\
version: 1
namespace: gitops
providers:
  ice: {vendor: alibaba, region: cn-shanghai}
  css: {vendor: tencent, region: ap-guangzhou}
templates:
  every-10s: {provider: ice, interval: 10, sequence_format: "snap/{JobId}/{UnixTimestamp}.jpg"}
  thumbs:
    provider: css
    interval: 10
    width: 640
    cos: {app_id: 1250000000, bucket: thumbs, region: ap-guangzhou}
streams:
  stage:
    provider: ice
    rtmp_url: rtmp://push.example.com/live/stage
    output: {bucket: media, endpoint: oss-cn-shanghai.aliyuncs.com}
    snapshots:
      keynote:
        template: every-10s
        protect: true
        window: {start: "2026-11-25T09:00:00+08:00", end: "2026-11-25T10:00:00+08:00"}
  lobby:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: lobby
    snapshots:
      news:
        template: thumbs
        schedule: {days: [wed, thu], start: "19:00", duration: 90m, timezone: Asia/Shanghai}
"""

TASKS = ("task.lobby.news[2026-11-25T11:00Z]", "task.lobby.news[2026-11-26T11:00Z]")
ALL = ("job.stage.keynote", *TASKS, "template.every-10s", "template.thumbs")


class Workspace(SandboxWorkspace):
    def __init__(self, root: Path) -> None:
        super().__init__(root, MANIFEST, now=T0)
        self.sandbox_dir = self.data

    def run(self, *args: str, input: str | None = None):
        return self.invoke(*args, input=input)

    def state(self) -> dict:
        return self.state_document()

    def job(self) -> dict:
        (job,) = self.emulator.alibaba_jobs()
        return job

    def live_tasks(self) -> list[dict]:
        return [t for t in self.emulator.tencent_tasks() if t["State"] != "stopped"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


@pytest.fixture
def applied(ws: Workspace) -> Workspace:
    result = ws.run("apply", str(ws.root), "--auto-approve")
    assert result.exit_code == 0, result.output
    return ws


@pytest.fixture
def vendor_calls(monkeypatch) -> list[tuple[str, str]]:
    """Every (vendor, action) any in-process emulator answers during the test."""
    calls: list[tuple[str, str]] = []
    original = Emulator.handle

    def handle(self, request):
        action = request.headers.get("x-acs-action") or request.headers.get("x-tc-action") or ""
        calls.append(("alibaba" if "x-acs-action" in request.headers else "tencent", action))
        return original(self, request)

    monkeypatch.setattr(Emulator, "handle", handle)
    return calls


READ_ACTIONS = ("Describe", "Get", "List")
