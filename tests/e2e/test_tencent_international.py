"""A Tencent provider on the international site, end to end through the CLI and the sandbox.

What we test here: the manifest's ``site`` (Tencent only, two values); tasks created there are
planned from state with a notice, never reported deleted outside livesnap; a task removed from the
manifest is left out of the plan with the reason (no StopScreenshotTask or DeleteScreenshotTask
there) instead of an apply failing, and is forgotten once it has ended.
"""

from __future__ import annotations

import pytest

from tests.workspace import SandboxWorkspace

T0 = 1795392000  # 2026-11-23T00:00:00Z
MANIFEST = """\
version: 1
namespace: intl
providers:
  css: {vendor: tencent, region: ap-singapore, site: international}
templates:
  t10: {provider: css, interval: 10, cos: {app_id: 1250000000, bucket: thumbs, region: ap-singapore}}
streams:
  lobby:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: lobby
    snapshots:
      launch: {template: t10, window: {start: "2026-11-23T01:00:00Z", end: "2026-11-23T04:00:00Z"}}
      evening: {template: t10, window: {start: "2026-11-23T20:00:00Z", end: "2026-11-23T21:00:00Z"}}
"""
LAUNCH = "task.lobby.launch[2026-11-23T01:00Z]"


class Workspace(SandboxWorkspace):
    def run(self, *args: str, code: int | None = 0):
        result = self.invoke(*args, catch_exceptions=False)
        assert code is None or result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result

    def plan(self, code: int | None = None):
        return self.run("plan", "--detailed-exitcode", str(self.root), code=code)

    def apply(self):
        return self.run("apply", "--auto-approve", str(self.root))


@pytest.fixture
def sb(tmp_path) -> Workspace:
    return Workspace(tmp_path, MANIFEST, now=T0)


def test_tasks_are_created_then_planned_from_state_with_a_notice(sb):
    sb.apply()
    tasks = sb.new_emulator().tencent_tasks()
    assert sb.state_document()["resources"][LAUNCH]["remote_id"] in {t["TaskId"] for t in tasks}
    assert len(tasks) == 2
    assert sb.state_document()["providers"]["css"]["endpoint"] == "http://international.sandbox.localhost"
    out = sb.plan(code=0).output
    assert "No changes." in out
    assert "provider css: Tencent's international site has no DescribeScreenshotTask, so its tasks are " \
           "planned from state as recorded" in out
    assert "deleted" not in out


def test_a_task_that_cannot_be_deleted_there_is_left_out_with_the_reason(sb):
    sb.apply()
    sb.new_emulator().clock.set(T0 + 7200)
    sb.edit("      launch: {template: t10, window: {start: \"2026-11-23T01:00:00Z\", end: \"2026-11-23T04:00:00Z\"}}\n",
            "")
    out = sb.plan(code=0).output
    assert (f"{LAUNCH} cannot be deleted (removed from the manifest): Tencent's international site has no "
            "StopScreenshotTask or DeleteScreenshotTask, so the task runs until its end") in out
    applied = sb.apply().output
    assert "failed" not in applied.replace("0 failed", "")
    assert LAUNCH in sb.state_document()["resources"] and len(sb.new_emulator().tencent_tasks()) == 2
    sb.new_emulator().clock.set(T0 + 5 * 3600)  # past its end: forgotten as every ended occurrence
    assert "occurrence has ended" in sb.plan().output
    sb.apply()
    assert LAUNCH not in sb.state_document()["resources"]


@pytest.mark.parametrize(("provider", "message"), [
    ("{vendor: alibaba, region: cn-shanghai, site: international}",
     "'site' is only valid on Tencent providers; provider 'css' is alibaba"),
    ("{vendor: tencent, site: moon}", "providers.css.site"),
])
def test_site_is_a_tencent_choice_of_two(sb, provider, message):
    sb.edit("{vendor: tencent, region: ap-singapore, site: international}", provider)
    result = sb.invoke("validate", str(sb.root))
    assert result.exit_code != 0 and message in result.output, result.output
