"""End to end through the CLI (CliRunner) against the embedded sandbox, with its clock frozen.

What we test here: apply then plan is empty; each kind of manifest edit yields the right action;
changes made behind livesnap's back show as drift and are repaired; time passing forgets ended
tasks without a vendor call and creates deferred ones; saved plans are refused when stale,
edited or for other manifests; apply never proceeds unconfirmed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from tests.workspace import SandboxWorkspace

T0 = 1795392000  # 2026-11-23T00:00:00Z, a Monday

MANIFEST = """\
version: 1
namespace: e2e
providers:
  ice: {vendor: alibaba, region: cn-shanghai}
  css: {vendor: tencent, region: ap-guangzhou}
templates:
  a10: {provider: ice, interval: 10, sequence_format: "snapshot/{JobId}/{UnixTimestamp}.jpg"}
  t10: {provider: css, interval: 10, cos: {app_id: 1250000000, bucket: thumbs, region: ap-guangzhou}}
streams:
  stage:
    provider: ice
    rtmp_url: rtmp://push.example.com/live/stage
    output: {bucket: snaps, endpoint: oss-cn-shanghai.aliyuncs.com}
    snapshots:
      always: {template: a10}
      evening: {template: a10, window: {start: "2026-11-23T10:00:00Z", end: "2026-11-23T12:00:00Z"}}
  lobby:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: lobby
    snapshots:
      launch: {template: t10, window: {start: "2026-11-23T09:00:00+08:00", end: "2026-11-23T12:00:00+08:00"}}
      far: {template: t10, window: {start: "2026-12-05T09:00:00Z", end: "2026-12-05T10:00:00Z"}}
"""

LAUNCH = "task.lobby.launch[2026-11-23T01:00Z]"
FAR = "task.lobby.far[2026-12-05T09:00Z]"


class Sandbox(SandboxWorkspace):
    def __init__(self, root: Path) -> None:
        super().__init__(root, MANIFEST, now=T0)

    def run(self, *args: str, code: int | None = 0):
        result = self.invoke(*args, catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result

    def plan(self, *args: str, code: int | None = None):
        return self.run("plan", "--detailed-exitcode", *args, str(self.root), code=code)

    def apply(self, *args: str, code: int | None = 0):
        return self.run("apply", "--auto-approve", *args, str(self.root), code=code)

    def state(self) -> dict:
        return self.state_document()["resources"]

    def advance_to(self, ts: int) -> None:
        self.new_emulator().clock.set(ts)


@pytest.fixture
def sb(tmp_path) -> Sandbox:
    return Sandbox(tmp_path)


def applied(sb: Sandbox) -> Sandbox:
    sb.apply()
    sb.plan(code=0)
    return sb


def test_apply_then_plan_is_empty_and_far_window_is_deferred(sb):
    first = sb.plan(code=2)
    assert "Plan: 5 to add, 0 to change, 0 to destroy." in first.output
    assert "beyond the vendor's 7-day horizon" in first.output
    sb.apply()
    again = sb.plan(code=0)
    assert "No changes. Remote snapshot jobs match the manifest." in again.output
    assert FAR not in sb.state()
    jobs = {j["JobName"].split("/")[3]: j["Status"] for j in sb.new_emulator().alibaba_jobs()}
    assert jobs == {"always": "started", "evening": "paused"}  # the window opens at 10:00


def test_template_interval_edit_is_an_update_in_place(sb):
    applied(sb)
    tid = sb.state()["template.t10"]["remote_id"]
    sb.edit("interval: 10, cos", "interval: 20, cos")
    out = sb.plan(code=2).output
    assert "~ template.t10" in out and "updated in place" in out
    sb.apply()
    assert sb.state()["template.t10"]["remote_id"] == tid
    assert [t["SnapshotInterval"] for t in sb.new_emulator().tencent_templates() if t["TemplateId"] == int(tid)] == [20]
    sb.plan(code=0)


def test_removing_a_snapshot_stops_the_job_and_forgets_it(sb):
    applied(sb)
    job_id = sb.state()["job.stage.always"]["remote_id"]
    sb.edit("      always: {template: a10}\n", "")
    assert "job.stage.always" in sb.plan(code=2).output
    sb.apply()
    assert "job.stage.always" not in sb.state()
    assert {j["JobId"]: j["Status"] for j in sb.new_emulator().alibaba_jobs()}[job_id] == "paused"
    sb.plan(code=0)


def test_moving_a_window_end_replaces_the_task(sb):
    applied(sb)
    old = sb.state()[LAUNCH]["remote_id"]
    sb.edit("end: \"2026-11-23T12:00:00+08:00\"", "end: \"2026-11-23T13:00:00+08:00\"")
    out = sb.plan(code=2).output
    assert "must be replaced" in out and "forces replacement" in out
    sb.apply()
    new = sb.state()[LAUNCH]["remote_id"]
    tasks = {t["TaskId"]: t for t in sb.new_emulator().tencent_tasks()}
    assert new != old and old not in tasks and tasks[new]["EndTime"] == T0 + 5 * 3600
    sb.plan(code=0)


def test_task_deleted_behind_our_back_is_drift_and_repaired(sb):
    applied(sb)
    sb.new_emulator().tencent_delete_task(sb.state()[LAUNCH]["remote_id"])
    out = sb.plan(code=2).output
    assert "changed outside livesnap" in out and LAUNCH in out
    sb.apply()
    assert sb.state()[LAUNCH]["remote_id"] in {t["TaskId"] for t in sb.new_emulator().tencent_tasks()}
    sb.plan(code=0)


def test_job_paused_behind_our_back_is_started_again(sb):
    applied(sb)
    job_id = sb.state()["job.stage.always"]["remote_id"]
    sb.new_emulator().alibaba_set_job_status(job_id, "paused")
    out = sb.plan(code=2).output
    assert "changed outside livesnap" in out and "job.stage.always" in out
    sb.apply()
    assert {j["JobId"]: j["Status"] for j in sb.new_emulator().alibaba_jobs()}[job_id] == "started"
    sb.plan(code=0)


def test_time_passing_forgets_ended_tasks_without_a_vendor_call_and_opens_windows(sb):
    applied(sb)
    task_id = sb.state()[LAUNCH]["remote_id"]
    sb.advance_to(T0 + 10 * 3600 + 1800)  # 10:30Z: launch ended at 04:00Z, evening window is open
    out = sb.plan(code=2).output
    assert f"{LAUNCH} will be forgotten" in out or ("forget" in out and LAUNCH in out)
    assert "job.stage.evening" in out
    sb.apply()
    assert LAUNCH not in sb.state()
    assert task_id in {t["TaskId"] for t in sb.new_emulator().tencent_tasks()}  # not deleted: no vendor call
    statuses = {j["JobName"].split("/")[3]: j["Status"] for j in sb.new_emulator().alibaba_jobs()}
    assert statuses["evening"] == "started"
    sb.plan(code=0)
    sb.advance_to(T0 + 12 * 3600 + 60)  # the window closed again
    sb.apply()
    statuses = {j["JobName"].split("/")[3]: j["Status"] for j in sb.new_emulator().alibaba_jobs()}
    assert statuses["evening"] == "paused"


def test_deferred_occurrence_is_created_once_the_horizon_reaches_it(sb):
    applied(sb)
    sb.advance_to(T0 + 8 * 86400)  # 2026-12-01: the 2026-12-05 window is now within 6 days
    assert FAR in sb.plan(code=2).output
    sb.apply()
    assert FAR in sb.state()
    sb.plan(code=0)


def test_saved_plan_is_refused_after_another_apply(sb, tmp_path):
    plan_file = tmp_path / "plan.json"
    sb.run("plan", "-o", str(plan_file), str(sb.root))
    sb.apply()
    out = sb.run("apply", str(plan_file), code=1).output
    assert "state changed since the plan was made" in out


def test_saved_plan_applies_exactly_once_and_then_is_stale(sb, tmp_path):
    plan_file = tmp_path / "plan.json"
    sb.run("plan", "-o", str(plan_file), str(sb.root))
    shown = sb.run("show", str(plan_file)).output
    assert "Plan: 5 to add" in shown
    sb.run("apply", str(plan_file))
    sb.plan(code=0)
    assert "state changed" in sb.run("apply", str(plan_file), code=1).output


@pytest.mark.parametrize("tamper,message", [
    (lambda d: d["changes"].pop(), "checksum mismatch"),
    (lambda d: d.update(format_version=99), "newer than this livesnap"),
    (lambda d: d.update(format_version=1), "written by an older livesnap"),
])
def test_edited_or_newer_plan_files_are_refused(sb, tmp_path, tamper, message):
    plan_file = tmp_path / "plan.json"
    sb.run("plan", "-o", str(plan_file), str(sb.root))
    doc = json.loads(plan_file.read_text())
    tamper(doc)
    plan_file.write_text(json.dumps(doc))
    assert message in sb.run("apply", str(plan_file), code=1).output
    assert not (sb.data / "state.json").exists()


def test_plan_for_other_manifests_is_refused(sb, tmp_path):
    plan_file = tmp_path / "plan.json"
    sb.run("plan", "-o", str(plan_file), str(sb.root))
    sb.edit("interval: 10, cos", "interval: 30, cos")
    assert "made for other manifests" in sb.run("apply", str(plan_file), code=1).output


def test_stale_plan_by_age_is_refused(sb, tmp_path):
    plan_file = tmp_path / "plan.json"
    sb.run("plan", "-o", str(plan_file), str(sb.root))
    sb.advance_to(T0 + 2 * 3600)
    assert "saved plan is stale" in sb.run("apply", str(plan_file), code=1).output


def test_apply_without_a_terminal_or_auto_approve_refuses(sb):
    out = sb.run("apply", str(sb.root), code=1).output
    assert "refusing to apply without confirmation" in out
    assert not (sb.data / "state.json").exists()


def test_json_apply_streams_one_line_per_change(sb):
    out = sb.run("apply", "--auto-approve", "--format", "json", str(sb.root)).output
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert [x["type"] for x in lines].count("change") == 5
    assert lines[-1]["type"] == "summary" and lines[-1]["succeeded"] == 5


def test_running_job_carrying_our_namespace_but_unknown_to_state_is_reported(sb):
    from livesnap_reconcile.emulator import SANDBOX_KEYS
    from livesnap_reconcile.providers import SANDBOX_ENDPOINT, make_provider
    from livesnap_reconcile.resources import ProviderConfig

    applied(sb)
    emu = sb.new_emulator()
    ice = make_provider(ProviderConfig("ice", "alibaba", "cn-shanghai"), transport=emu.transport(),
                        credentials=(*SANDBOX_KEYS["alibaba"], None), endpoint=SANDBOX_ENDPOINT, now=emu.clock.now)
    stray = ice.create("job", {"name": "ls/e2e/stage/stray/00000000", "rtmp_url": "rtmp://push.example.com/live/x",
                               "output": {"bucket": "snaps", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
                               "template": {"id": sb.state()["template.a10"]["remote_id"]},
                               "callback_url": None, "status": "started"})
    out = sb.run("drift", str(sb.root), code=2).output
    assert stray.remote_id in out and "ls/e2e/stage/stray/00000000" in out
    planned = sb.plan(code=0).output  # reported, never touched: no change is planned for it
    assert f"job:{stray.remote_id}" in planned and "No changes." in planned


def test_missing_credentials_name_every_provider_and_leak_nothing(tmp_path, monkeypatch):
    for var in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "TENCENTCLOUD_SECRET_ID",
                "TENCENTCLOUD_SECRET_KEY", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CREDENTIALS_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "live.yaml").write_text(MANIFEST)
    result = CliRunner().invoke(cli, ["plan", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "provider 'ice'" in result.output and "provider 'css'" in result.output
    assert "TENCENTCLOUD_SECRET_ID" in result.output and "ALIBABA_CLOUD_ACCESS_KEY_ID" in result.output


def test_json_plan_of_a_real_run_validates_against_the_published_schema(sb):
    from livesnap_reconcile.plan.render_json import validate_plan_document

    applied(sb)
    sb.new_emulator().tencent_delete_task(sb.state()[LAUNCH]["remote_id"])  # drift, so every section is filled
    sb.edit("interval: 10, cos", "interval: 20, cos")
    doc = json.loads(sb.run("plan", "--format", "json", str(sb.root)).output)
    validate_plan_document(doc)
    assert {c["action"] for c in doc["changes"]} == {"create", "update"}
    assert doc["drift"] and doc["deferred"] and doc["format_version"] == 4


def test_a_plan_file_with_a_good_checksum_but_a_bad_document_is_refused(sb, tmp_path):
    from livesnap_reconcile.plan.planfile import checksum

    plan_file = tmp_path / "plan.json"
    sb.run("plan", "-o", str(plan_file), str(sb.root))
    doc = json.loads(plan_file.read_text())
    doc["changes"][0]["action"] = "destroy"
    doc["checksum"] = checksum(doc)  # re-signed: only the schema can tell
    plan_file.write_text(json.dumps(doc))
    for command in ("apply", "show"):
        refused = sb.run(command, str(plan_file), code=1).output
        assert "not a valid livesnap plan document" in refused and "/changes/0/action" in refused
    assert not (sb.data / "state.json").exists()


def test_applying_a_json_rendering_says_it_is_not_a_saved_plan(sb, tmp_path):
    rendering = tmp_path / "plan.json"
    rendering.write_text(sb.run("plan", "--format", "json", str(sb.root)).stdout)
    refused = sb.run("apply", str(rendering), code=1).output
    assert "this is a plan rendering (`plan --format json`), not a saved plan" in refused
    assert "modified" not in refused


def test_forgetting_ended_occurrences_is_housekeeping_not_a_change(sb):
    applied(sb)
    sb.edit('      evening: {template: a10, window: {start: "2026-11-23T10:00:00Z", end: "2026-11-23T12:00:00Z"}}\n', "")
    sb.apply()  # the evening job is stopped and forgotten: only the launch task is time-bounded now
    sb.advance_to(T0 + 5 * 3600)  # 05:00Z: launch ended at 04:00Z
    out = sb.plan(code=0).output  # not exit 2: every CI run after every window would flag it
    assert "Housekeeping only: 1 ended occurrence will be forgotten by the next apply" in out
    assert LAUNCH in sb.state()
    sb.apply()
    assert LAUNCH not in sb.state()
    assert "No changes. Remote snapshot jobs match the manifest." in sb.plan(code=0).output


def test_a_hand_edited_state_value_is_one_clear_error_naming_file_address_and_field(sb):
    applied(sb)
    path = sb.data / "state.json"
    doc = json.loads(path.read_text())
    doc["resources"][LAUNCH]["attributes"]["end"] = "tomorrow"
    path.write_text(json.dumps(doc))
    result = sb.run("plan", str(sb.root), code=1)
    message = result.output + result.stderr
    assert str(path) in message and LAUNCH in message and "attribute 'end' must be an integer" in message
    assert "internal error" not in message and json.loads(path.read_text()) == doc  # left as it was
