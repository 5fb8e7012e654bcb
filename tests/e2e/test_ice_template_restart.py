"""An ICE template update reaches the running job: apply restarts it after updating the template.

What we test here, through the CLI against the sandbox (which, like the assumption in
docs/vendor-behaviour.md, copies a template into a job only when the job starts): the plan shows
the restart; apply updates the template, then restarts the job, whose settings are then the new
ones; state records the restarted job; the next plan is empty. A paused job is left alone. A
restart that fails after its template was updated is planned again by the next plan.
"""

from __future__ import annotations

import json
from pathlib import Path

from livesnap_reconcile.emulator import FaultRule, Faults
from tests.e2e.lost_answers import DroppingSandbox, livesnap
from tests.workspace import SandboxWorkspace

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z

MANIFEST = """\
version: 1
namespace: rs
providers:
  ice: {vendor: alibaba, region: cn-shanghai}
templates:
  frames:
    provider: ice
    interval: 10
    sequence_format: "frames/{JobId}/{UnixTimestamp}.jpg"
streams:
  main:
    provider: ice
    rtmp_url: rtmp://push.example.com/live/main
    output: {bucket: media, endpoint: oss-cn-shanghai.aliyuncs.com}
    snapshots:
      always: {template: frames}
      spare: {template: frames, status: paused}
"""


class Workspace(SandboxWorkspace):
    def __init__(self, root: Path) -> None:
        super().__init__(root, MANIFEST, now=T0)

    def job(self, snapshot: str) -> dict:
        return next(j for j in self.emulator.alibaba_jobs() if f"/main/{snapshot}/" in j["JobName"])


def test_a_template_update_restarts_the_running_job_and_settles(tmp_path: Path):
    ws = Workspace(tmp_path)
    ws.run("apply", "--auto-approve")
    assert ws.job("always")["TimeInterval"] == 10
    ws.edit("    interval: 10\n", "    interval: 5\n")
    plan = ws.run("plan", "--format", "json", code=None)
    doc = json.loads(plan.output)
    restarts = [c for c in doc["changes"] if c["action"] == "restart"]
    assert [(c["address"], c["reason_code"], c["depends_on"]) for c in restarts] == [
        ("job.main.always", "template_updated", ["template.frames"])]
    applied = ws.run("apply", "--auto-approve").output
    assert "job.main.always: restarted" in applied, applied
    assert ws.job("always")["TimeInterval"] == 5 and ws.job("always")["Status"] == "started"
    assert ws.job("spare")["TimeInterval"] == 10  # paused: it takes the template when it starts
    entry = ws.state_document()["resources"]["job.main.always"]
    assert entry["attributes"]["status"] == "started" and entry["status"] == "started"
    assert ws.run("plan", "--detailed-exitcode", code=None).exit_code == 0


FAILED_RESTART = """\
version: 1
namespace: rf
providers:
  ice: {{vendor: alibaba, region: cn-shanghai, endpoint: "{url}"}}
templates:
  frames: {{provider: ice, interval: {interval}, sequence_format: "frames/{{JobId}}/{{UnixTimestamp}}.jpg"}}
streams:
  main:
    provider: ice
    rtmp_url: rtmp://push.example.com/live/main
    output: {{bucket: media, endpoint: oss-cn-shanghai.aliyuncs.com}}
    snapshots:
      always: {{template: frames}}
"""


def test_a_restart_that_failed_after_its_template_was_updated_is_planned_again(tmp_path: Path):
    # Before: the template was recorded as updated, so no later plan restarted the job, which
    # kept taking snapshots with the old settings.
    with DroppingSandbox() as box:
        manifest = tmp_path / "live.yaml"
        manifest.write_text(FAILED_RESTART.format(url=box.url, interval=10))
        state = tmp_path / "state.json"
        assert livesnap(tmp_path, "--state", str(state), "apply", "--auto-approve", str(manifest)).exit_code == 0
        manifest.write_text(FAILED_RESTART.format(url=box.url, interval=5))
        box.emulator.faults = Faults(rps=0, rules={"alibaba:SendLiveSnapshotJobCommand": FaultRule(fail_rate=1.0)})
        failed = livesnap(tmp_path, "--state", str(state), "apply", "--auto-approve", str(manifest))
        assert failed.exit_code == 1 and "template.frames: updated" in failed.output, failed.output
        (job,) = box.emulator.alibaba_jobs()
        assert job["TimeInterval"] == 10  # still running with the old settings
        box.emulator.faults = Faults(rps=0)
        plan = livesnap(tmp_path, "--state", str(state), "plan", "--format", "json", str(manifest))
        changes = [(c["address"], c["action"], c["reason_code"]) for c in json.loads(plan.output)["changes"]]
        assert changes == [("job.main.always", "restart", "template_updated")], plan.output
        assert livesnap(tmp_path, "--state", str(state), "apply", "--auto-approve", str(manifest)).exit_code == 0
        (job,) = box.emulator.alibaba_jobs()
        assert job["TimeInterval"] == 5 and job["Status"] == "started"
        again = livesnap(tmp_path, "--state", str(state), "plan", "--detailed-exitcode", str(manifest))
        assert again.exit_code == 0, again.output
