"""An ICE job older than the 90-day listing, after `state rm` or a lost state file, through the CLI.

What we test here, against the sandbox: a job applied 100 days ago (the sandbox clock moved back,
then forward) is adopted by the next plan, never submitted again, whether its address was removed
with `state rm` or the whole state file is gone; once it is in state again the plan is empty and
no listing reaches further back than the regular 90 days.
"""

from __future__ import annotations

import calendar
import time
from pathlib import Path

import pytest

from livesnap_reconcile.emulator import Emulator
from tests.workspace import SandboxWorkspace

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z
DAY = 86400

MANIFEST = """\
version: 1
namespace: archive
providers:
  ice: {vendor: alibaba, region: cn-shanghai}
templates:
  every-10s: {provider: ice, interval: 10, sequence_format: "snap/{JobId}/{UnixTimestamp}.jpg"}
streams:
  stage:
    provider: ice
    rtmp_url: rtmp://push.example.com/live/stage
    output: {bucket: media, endpoint: oss-cn-shanghai.aliyuncs.com}
    snapshots:
      always: {template: every-10s}
"""


class Workspace(SandboxWorkspace):
    def __init__(self, root: Path) -> None:
        super().__init__(root, MANIFEST, now=T0 - 100 * DAY)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace(tmp_path)
    workspace.run("apply", "--auto-approve")
    workspace.emulator.clock.set(T0)
    return workspace


@pytest.fixture
def list_starts(monkeypatch) -> list[int]:
    """The StartTime of every ListLiveSnapshotJobs the sandbox answers."""
    starts: list[int] = []
    original = Emulator.handle

    def handle(self, request):
        if request.headers.get("x-acs-action") == "ListLiveSnapshotJobs":
            stamp = request.url.params["StartTime"]
            starts.append(calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")))
        return original(self, request)

    monkeypatch.setattr(Emulator, "handle", handle)
    return starts


@pytest.mark.parametrize("loss", ["state rm", "state file deleted"])
def test_a_job_made_100_days_ago_is_adopted_not_submitted_again(ws, loss, list_starts):
    (job,) = ws.emulator.alibaba_jobs()
    assert job["CreateTime"] == "2026-08-17T00:00:00Z"
    if loss == "state rm":
        removed = ws.invoke("state", "rm", "job.stage.always", "--yes", "-m", str(ws.root))
        assert removed.exit_code == 0, removed.output
    else:
        ws.state_path.unlink()

    plan = ws.run("plan", "--summary").stdout
    assert "adopt" in plan and "job.stage.always" in plan and "create" not in plan, plan
    ws.run("apply", "--auto-approve")
    assert [j["JobId"] for j in ws.emulator.alibaba_jobs()] == [job["JobId"]]
    assert ws.state_document()["resources"]["job.stage.always"]["remote_id"] == job["JobId"]

    list_starts.clear()
    ws.run("plan", "--detailed-exitcode")
    assert list_starts and min(list_starts) >= T0 - 90 * DAY  # steady state: no deep search
