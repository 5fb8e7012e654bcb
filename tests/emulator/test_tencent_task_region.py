"""Tencent's screenshot task APIs are documented for Region ap-guangzhou only.

What we test here: a provider whose region is elsewhere (for its COS storage) still sends the task
actions to ap-guangzhou and the template actions to its own region; the sandbox refuses a task
action in another region, as the docs say the real API does.
"""

from __future__ import annotations

import httpx

from tests.emulator.helpers import Caller
from tests.providers.fakes import tc_ok, tencent

TASK = {"domain": "d", "app": "live", "stream": "s", "start": 1_767_300_000, "end": 1_767_303_600, "template": {"id": "7"}}


def test_task_actions_go_to_guangzhou_whatever_the_provider_region():
    regions = {}

    def handler(request: httpx.Request) -> httpx.Response:
        regions[request.headers["X-TC-Action"]] = request.headers.get("X-TC-Region")
        return tc_ok({"TaskId": "T1", "Templates": []})

    provider = tencent(handler)
    provider.client.region = "ap-shanghai"
    provider.create("task", TASK)
    provider.find("template", {"name": "ns-x"}, now=0)
    assert regions == {"CreateScreenshotTask": "ap-guangzhou", "DescribeLiveSnapshotTemplates": "ap-shanghai"}


def test_the_sandbox_refuses_task_actions_in_another_region(caller: Caller):
    resp = caller.tc("StopScreenshotTask", region="ap-shanghai", TaskId="x")
    assert resp["Error"]["Code"] == "UnsupportedRegion"
