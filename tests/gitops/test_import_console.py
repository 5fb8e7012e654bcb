"""`livesnap import` of objects made in the vendor console, whose names carry none of our namespace.

What we test here, through the CLI against the sandbox, for every kind import takes (ICE template
and job, Tencent template, task and rule): each object is created by signed API calls as the
console would (the manifest's settings, the console's own names), then imported. The next plan
creates nothing and reports nothing deleted: refresh keeps every object state knows, whatever its
name. The imported ICE job keeps its console name (ICE cannot rename; the name alone is never a
reason to replace it); templates are renamed in place, which then makes the next plan empty.
Apply creates nothing at either vendor, and the steady state fetches nothing extra by id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.manifest.validate import load_and_validate
from livesnap_reconcile.providers.alibaba import model as ice_model
from livesnap_reconcile.providers.tencent import model as tc_model
from tests.emulator.helpers import Caller
from tests.workspace import SandboxWorkspace

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z

MANIFEST = """\
version: 1
namespace: studio
providers:
  ice: {vendor: alibaba, region: cn-shanghai}
  css: {vendor: tencent, region: ap-guangzhou}
templates:
  every-10s: {provider: ice, interval: 10, sequence_format: "snap/{JobId}/{UnixTimestamp}.jpg"}
  thumbs: {provider: css, interval: 10, width: 640, cos: {app_id: 1250000000, bucket: thumbs, region: ap-guangzhou}}
streams:
  stage:
    provider: ice
    rtmp_url: rtmp://push.example.com/live/stage
    output: {bucket: media, endpoint: oss-cn-shanghai.aliyuncs.com}
    snapshots:
      always: {template: every-10s}
  lobby:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: lobby
    snapshots:
      news:
        template: thumbs
        window: {start: "2026-11-25T01:00:00Z", end: "2026-11-25T02:00:00Z"}
  hall:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: hall
    snapshots:
      always: {template: thumbs}
"""

TASK = "task.lobby.news[2026-11-25T01:00Z]"
CONSOLE_NAMES = {"template.every-10s": "made in console", "job.stage.always": "keynote (console)",
                 "template.thumbs": "console_thumbs"}


class Workspace(SandboxWorkspace):
    def __init__(self, root: Path) -> None:
        super().__init__(root, MANIFEST, now=T0)
        self.console = Caller(self.emulator)

    def desired(self) -> dict[str, dict[str, Any]]:
        desired = expand(load_and_validate([self.manifest]).data, now=T0)
        return {r.address: dict(r.attributes) for r in desired.resources}

    def counts(self) -> dict[str, int]:
        emu = self.emulator
        return {"ice templates": len([t for t in emu.alibaba_templates() if t["Type"] == "custom"]),
                "ice jobs": len(emu.alibaba_jobs()), "tc templates": len(emu.tencent_templates()),
                "tc tasks": len(emu.tencent_tasks()), "tc rules": len(emu.tencent_rules())}

    def ice(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        resp = self.console.ice(action, **{k: v for k, v in params.items() if v is not None})
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    def make_in_console(self) -> dict[str, str]:
        """Every desired object, made by API calls under console names; their ids by address."""
        want, ids = self.desired(), {}
        ice_template = {**want["template.every-10s"], "name": CONSOLE_NAMES["template.every-10s"]}
        ids["template.every-10s"] = self.ice("CreateLiveSnapshotTemplate", ice_model.template_params(ice_template))["TemplateId"]
        job = {**want["job.stage.always"], "name": CONSOLE_NAMES["job.stage.always"],
               "template": {"id": ids["template.every-10s"]}}
        ids["job.stage.always"] = self.ice("SubmitLiveSnapshotJob", ice_model.job_params(job, provider="ice"))["JobId"]
        tc_template = {**want["template.thumbs"], "name": CONSOLE_NAMES["template.thumbs"]}
        made = self.console.tc("CreateLiveSnapshotTemplate", **tc_model.template_params(tc_template))
        ids["template.thumbs"] = str(made["TemplateId"])
        ref = {"id": ids["template.thumbs"]}
        task = {**want[TASK], "template": ref}
        ids[TASK] = self.console.tc("CreateScreenshotTask",
                                    **tc_model.task_params(task, start=task["start"], provider="css"))["TaskId"]
        rule = {**want["rule.hall.always"], "template": ref}
        self.console.tc("CreateLiveSnapshotRule", **tc_model.rule_params(rule, provider="css"))
        ids["rule.hall.always"] = "5000.live.push.com/live/hall"
        return ids


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def test_console_objects_imported_stay_managed_and_nothing_is_created(ws, vendor_calls):
    ids = ws.make_in_console()
    made = ws.counts()
    assert made == {"ice templates": 1, "ice jobs": 1, "tc templates": 1, "tc tasks": 1, "tc rules": 1}
    for address in ("template.every-10s", "template.thumbs", "job.stage.always", TASK, "rule.hall.always"):
        assert "Imported" in ws.run("import", address, ids[address]).stdout

    plan = ws.run("plan", "--summary", "--detailed-exitcode", code=2).stdout
    changes = sorted(line.split()[:3] for line in plan.splitlines() if line.lstrip().startswith(("+", "-", "~", "<=")))
    assert changes == [["~", "update", "template.every-10s"], ["~", "update", "template.thumbs"]], plan
    assert "deleted" not in plan

    ws.run("apply", "--auto-approve")
    assert ws.counts() == made
    state = ws.state_document()["resources"]
    assert {a: e["remote_id"] for a, e in state.items()} == ids
    assert state["job.stage.always"]["attributes"]["name"] == CONSOLE_NAMES["job.stage.always"]
    assert {t["TemplateName"] for t in ws.emulator.alibaba_templates() if t["Type"] == "custom"} == {"studio-every-10s"}

    vendor_calls.clear()
    ws.run("plan", "--detailed-exitcode")
    # Steady state: the one job no prefix listing can show is read by id; nothing else is.
    assert vendor_calls.count(("alibaba", "GetLiveSnapshotJob")) == 1
    assert ws.counts() == made
