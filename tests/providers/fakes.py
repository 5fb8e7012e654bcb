"""Small in-test vendor fakes (httpx.MockTransport handlers) and a fake clock for provider unit tests.

They model only what a test needs: Tencent DescribeScreenshotTask containment + ScrollToken paging
and ICE job/template reads, plus scripted responses for error and retry tests.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl

import httpx

from livesnap_reconcile.providers import make_provider
from livesnap_reconcile.resources import ProviderConfig

TC_KEYS = ("AKIDfake0000secretid", "fake-tencent-secret-key-0001", None)
ICE_KEYS = ("LTAIfake0000keyid", "fake-alibaba-secret-0002", None)
NOW = 1_767_225_600  # 2026-01-01T00:00:00Z


class FakeClock:
    def __init__(self, now: float = NOW) -> None:
        self.now = float(now)
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def tc_ok(payload: dict, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={"Response": {**payload, "RequestId": "req-tc-1"}},
                          headers={"Content-Type": "application/json"})


def tc_error(code: str, message: str = "boom") -> httpx.Response:
    return tc_ok({"Error": {"Code": code, "Message": message}})


def ice_error(status: int, code: str, message: str = "boom", headers: dict | None = None) -> httpx.Response:
    return httpx.Response(status, json={"RequestId": "req-ice-1", "HostId": "ice", "Code": code, "Message": message},
                          headers=headers or {})


def tc_action(request: httpx.Request) -> tuple[str, dict]:
    return request.headers["X-TC-Action"], json.loads(request.content or b"{}")


def ice_action(request: httpx.Request) -> tuple[str, dict]:
    params = dict(request.url.params)
    if request.content:
        params.update(parse_qsl(request.content.decode()))
    return request.headers["x-acs-action"], params


def tencent(handler: Callable[[httpx.Request], httpx.Response], clock: FakeClock | None = None, **kw):
    clock = clock or FakeClock()
    config = ProviderConfig(name="css", vendor="tencent", region="ap-guangzhou", max_rps=kw.pop("max_rps", None))
    return make_provider(config, transport=httpx.MockTransport(handler), credentials=TC_KEYS,
                         clock=clock, sleep=clock.sleep, **kw)


def alibaba(handler: Callable[[httpx.Request], httpx.Response], clock: FakeClock | None = None, **kw):
    clock = clock or FakeClock()
    config = ProviderConfig(name="ice", vendor="alibaba", region="cn-shanghai", max_rps=kw.pop("max_rps", None))
    return make_provider(config, transport=httpx.MockTransport(handler), credentials=ICE_KEYS,
                         clock=clock, sleep=clock.sleep, **kw)


class FakeTencentTasks:
    """DescribeScreenshotTask over a task list: containment filter, exact stream filters, pages of ``page``."""

    def __init__(self, tasks: list[dict], *, page: int = 100) -> None:
        self.tasks = tasks
        self.page = page
        self.calls: Counter[str] = Counter()
        self.windows: list[tuple[int, int]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        action, p = tc_action(request)
        self.calls[action] += 1
        if action != "DescribeScreenshotTask":
            return tc_error("InvalidAction")
        if p["EndTime"] - p["StartTime"] > 7 * 86400:
            return tc_error("InvalidParameter", "span over a week")
        self.windows.append((p["StartTime"], p["EndTime"]))
        hits = [t for t in self.tasks if p["StartTime"] <= t["StartTime"] and t["EndTime"] <= p["EndTime"]
                and all(t[k] == p[k] for k in ("DomainName", "AppName", "StreamName") if k in p)]
        offset = int(p.get("ScrollToken") or 0)
        chunk = hits[offset: offset + self.page]
        token = str(offset + self.page) if offset + self.page < len(hits) else ""
        return tc_ok({"TaskList": chunk, "ScrollToken": token})


def task(i: int, start: int, *, stream: str = "s1", hours: int = 1, stopped: int = 0, template: int = 7) -> dict:
    return {"TaskId": f"task-{i:05d}", "DomainName": "d.example.com", "AppName": "live", "StreamName": stream,
            "StartTime": start, "EndTime": start + hours * 3600, "TemplateId": template, "Stopped": stopped}
