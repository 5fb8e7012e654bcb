"""Tencent's international site: its own host, and no way to list, stop or delete screenshot tasks.

What we test here: ``site`` picks the documented endpoint; the client never sends an action the
site does not publish, nor the China-only task region; the sandbox serves the international host's
action set (InvalidAction for the others); a provider there reports its tasks as state recorded
them, refuses to guess after a lost create, and says which changes it cannot make; the plan leaves
those changes out with a reason instead of failing at apply.
"""

from __future__ import annotations

import httpx
import pytest

from livesnap_reconcile.emulator import SANDBOX_KEYS
from livesnap_reconcile.errors import Invalid
from livesnap_reconcile.plan.guards import hold_unavailable
from livesnap_reconcile.plan.model import Action, Change, Plan
from livesnap_reconcile.providers import default_endpoint, make_provider, sandbox_endpoint
from livesnap_reconcile.providers.tencent.client import LiveClient
from livesnap_reconcile.resources import Known, ProviderConfig, RefreshQuery
from tests.providers.conftest import T0
from tests.providers.test_emulator_operations import TC_TEMPLATE, task_attrs

INTL = ProviderConfig(name="intl", vendor="tencent", region="ap-singapore", site="international")


def test_the_site_picks_the_documented_endpoint():
    assert default_endpoint(INTL) == "https://live.intl.tencentcloudapi.com"
    china = ProviderConfig(name="cn", vendor="tencent", region="ap-guangzhou", site="china")
    assert default_endpoint(china) == default_endpoint(ProviderConfig(name="cn", vendor="tencent", region="ap-guangzhou"))
    assert default_endpoint(china) == "https://live.tencentcloudapi.com"
    assert sandbox_endpoint(INTL) == "http://international.sandbox.localhost"
    assert sandbox_endpoint(china) == sandbox_endpoint(ProviderConfig(name="a", vendor="alibaba", region="cn-shanghai"))


def _intl(local_sandbox, config=INTL):
    return make_provider(config, clock=local_sandbox.clock.now, sleep=local_sandbox.sleep,
                         transport=local_sandbox.emu.transport(), endpoint=sandbox_endpoint(INTL),
                         credentials=(*SANDBOX_KEYS["tencent"], None))


def test_the_international_sandbox_is_named_as_the_sandbox(local_sandbox):
    assert _intl(local_sandbox).credential_source.kind == "sandbox keys"


def test_the_sandbox_serves_the_international_action_set(local_sandbox):
    china_client_on_intl_host = _intl(local_sandbox, ProviderConfig(name="x", vendor="tencent", region="ap-guangzhou"))
    with pytest.raises(Invalid) as refused:
        china_client_on_intl_host.client.rpc("DescribeScreenshotTask", {"StartTime": T0, "EndTime": T0 + 3600})
    assert refused.value.code == "InvalidAction"
    css = _intl(local_sandbox)
    template = css.create("template", TC_TEMPLATE)
    task = css.create("task", task_attrs(template.remote_id, start=T0 + 600))
    assert [t["TaskId"] for t in local_sandbox.emu.tencent_tasks()] == [task.remote_id]
    # The China host still serves every action.
    assert local_sandbox.provider("tencent").get("task", task.remote_id).remote_id == task.remote_id


def test_the_client_sends_no_unpublished_action_and_no_china_task_region():
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"Response": {"RequestId": "r", "TaskId": "t"}})

    css = make_provider(INTL, transport=httpx.MockTransport(handler), credentials=("AKIDx", "secret", None),
                        clock=lambda: T0, sleep=lambda s: None)
    assert css.endpoint == "https://live.intl.tencentcloudapi.com"
    for action in ("DescribeScreenshotTask", "StopScreenshotTask", "DeleteScreenshotTask"):
        with pytest.raises(Invalid, match=f"international site has no {action}"):
            css.client.rpc(action, {"TaskId": "t"})
    assert sent == []
    css.client.rpc("CreateScreenshotTask", {"StreamName": "s", "DomainName": "d", "AppName": "a",
                                            "EndTime": T0 + 60, "TemplateId": 1})
    css.client.rpc("DescribeLiveSnapshotTemplates")
    assert "x-tc-region" not in sent[0].headers  # "not required for this API" on the international docs
    assert sent[1].headers["x-tc-region"] == "ap-singapore"
    assert sent[0].url.host == "live.intl.tencentcloudapi.com"


def test_an_international_provider_reports_recorded_tasks_and_refuses_what_it_cannot_do(local_sandbox):
    css = _intl(local_sandbox)
    template = css.create("template", TC_TEMPLATE)
    attrs = task_attrs(template.remote_id, start=T0 + 600)
    task = css.create("task", attrs)
    query = RefreshQuery(namespace="ns", known=(Known("task.s1.a", "task", task.remote_id, task.attributes),),
                         now=T0 + 1200)
    seen = [o for o in css.refresh(query) if o.kind == "task"]
    assert [(o.remote_id, o.status, dict(o.attributes)) for o in seen] == [
        (task.remote_id, "running", dict(task.attributes))]
    assert seen[0].extra["as_recorded"] is True
    assert "DescribeScreenshotTask" not in css.requests
    with pytest.raises(Invalid, match="cannot list tasks"):
        css.find("task", attrs, now=T0)
    with pytest.raises(Invalid, match="StopScreenshotTask or DeleteScreenshotTask"):
        css.delete("task", task.remote_id, task.attributes)
    limits = css.limits()
    assert limits.unreadable == ("task",) and set(limits.unavailable) == {("task", "delete"), ("task", "replace")}
    assert local_sandbox.provider("tencent").limits() is None and local_sandbox.provider("alibaba").limits() is None


def _change(address, action, kind="task", depends_on=()):
    return Change(address, action, kind, "intl", "removed from the manifest", depends_on=depends_on)


def test_the_plan_leaves_out_what_cannot_be_done_and_what_waits_for_it():
    plan = Plan(changes=(_change("task.s.a[1]", Action.DELETE), _change("task.s.b[1]", Action.CREATE),
                         _change("template.t", Action.DELETE, "template", depends_on=("task.s.a[1]",)),
                         Change("task.s.a[1]x", Action.DELETE, "task", "other", "r")))
    kept, held = hold_unavailable(plan, {("intl", "task", "delete"): "no DeleteScreenshotTask there"})
    assert [c.address for c in kept.changes] == ["task.s.b[1]", "task.s.a[1]x"]
    assert held == ["task.s.a[1] cannot be deleted (removed from the manifest): no DeleteScreenshotTask there",
                    "template.t is not deleted: it waits for task.s.a[1]"]
    assert hold_unavailable(plan, {}) == (plan, [])


def test_the_live_client_defaults_to_the_china_site():
    assert LiveClient(caller=None, endpoint="https://x", provider="p", region="r").serves("StopScreenshotTask")  # type: ignore[arg-type]
