"""An ICE job whose stream went offline waits for it: no failed start on every run, no false drift.

What we test here, through the CLI against the sandbox: `sandbox stream --offline` drops the
running job to `init`; the next apply tries the start once, records the job as waiting for its
stream and exits 0; later plans retry the start with reason code `waiting_for_stream` and say so;
`drift` reports no drift but lists the job as waiting; once the stream is live again, one apply
starts the job and everything settles.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from tests.workspace import SandboxWorkspace

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z
URL = "rtmp://push.example.com/live/main"

MANIFEST = f"""\
version: 1
namespace: offline-demo
providers:
  ice: {{vendor: alibaba, region: cn-shanghai}}
templates:
  frames:
    provider: ice
    interval: 10
    sequence_format: "frames/{{JobId}}/{{UnixTimestamp}}.jpg"
streams:
  main:
    provider: ice
    rtmp_url: {URL}
    output: {{bucket: media, endpoint: oss-cn-shanghai.aliyuncs.com}}
    snapshots:
      always: {{template: frames}}
"""


class Workspace(SandboxWorkspace):
    def __init__(self, root: Path) -> None:
        super().__init__(root, MANIFEST, now=T0)

    def status(self) -> str:
        return next(j["Status"] for j in self.emulator.alibaba_jobs())

    def stream(self, flag: str) -> str:
        result = CliRunner().invoke(cli, ["sandbox", "stream", URL, flag, "--data", str(self.data)])
        assert result.exit_code == 0, result.output
        return result.output


def test_a_job_whose_stream_is_offline_waits_for_it_and_starts_when_it_is_live(tmp_path: Path):
    ws = Workspace(tmp_path)
    ws.run("apply", "--auto-approve")
    assert ws.status() == "started"
    assert "offline" in ws.stream("--offline")
    assert ws.status() == "init"

    first = ws.run("apply", "--auto-approve")  # one start, answered StreamNotFound: waiting, not failed
    assert "waiting for its stream to go live" in first.output and "1 succeeded, 0 failed" in first.output
    entry = ws.state_document()["resources"]["job.main.always"]
    assert entry["attributes"]["waiting_for_stream"] is True

    plan = ws.run("plan", "--format", "json", code=None)
    change = json.loads(plan.output)["changes"][0]
    assert (change["action"], change["reason_code"]) == ("start", "waiting_for_stream")
    text = ws.run("plan", code=None).output
    assert "waiting for its stream to go live" in text and "changed outside livesnap" not in text
    assert "Objects changed outside" not in text
    drift = ws.run("drift")  # exit 0: waiting is not drift
    assert "No drift" in drift.output and "job.main.always: waiting for its stream" in drift.output
    doc = json.loads(ws.run("drift", "--format", "json").output)
    assert doc["in_sync"] and [w["reason_code"] for w in doc["waiting"]] == ["waiting_for_stream"]
    ws.run("apply", "--auto-approve")  # still offline: waits again, still exit 0
    assert ws.status() == "init"

    ws.stream("--live")
    assert ws.status() == "init"  # a stream coming back starts nothing by itself
    assert "job.main.always: started" in ws.run("apply", "--auto-approve").output
    assert ws.status() == "started"
    assert "waiting_for_stream" not in ws.state_document()["resources"]["job.main.always"]["attributes"]
    assert ws.run("plan", "--detailed-exitcode", code=None).exit_code == 0
