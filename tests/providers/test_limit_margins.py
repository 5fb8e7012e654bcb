"""No request sits exactly on a documented limit: each keeps a minute's margin inside it.

If a server compares strictly, a value exactly at the limit would fail every refresh (ICE lists at
most 30 days, Tencent describes at most a week and no earlier than 90 days ago).
"""

from __future__ import annotations

import calendar
import time

import httpx

from tests.providers.fakes import NOW, FakeTencentTasks, alibaba, ice_action, tencent

DAY = 86400


def _epoch(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def test_every_ice_listing_spans_less_than_30_days():
    spans = []

    def handler(request: httpx.Request) -> httpx.Response:
        _, p = ice_action(request)
        spans.append(_epoch(p["EndTime"]) - _epoch(p["StartTime"]))
        return httpx.Response(200, json={"RequestId": "r", "JobList": [], "TotalCount": 0})

    assert alibaba(handler).find("job", {"name": "ls/ns/a"}, now=NOW) is None
    assert spans and all(0 < s <= 30 * DAY - 60 for s in spans)


def test_every_tencent_describe_window_spans_less_than_a_week_and_starts_inside_90_days():
    fake = FakeTencentTasks([])
    assert tencent(fake).get("task", "unknown-task") is None
    assert fake.windows
    assert all(end - start <= 7 * DAY - 60 for start, end in fake.windows)
    assert min(start for start, _ in fake.windows) >= NOW - 90 * DAY + 60
