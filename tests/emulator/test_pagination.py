"""Pagination: 1,000 Tencent tasks listed completely via ScrollToken (page size 100), and 250 ICE
jobs via PageNo/PageSize/TotalCount, each exactly once."""

from __future__ import annotations

from tests.emulator.conftest import NOW
from tests.emulator.helpers import ice_template, submit_job


def test_thousand_tasks_via_scroll_token(caller):
    created = set()
    for i in range(1000):
        start = NOW + (i % 100) * 600
        out = caller.tc("CreateScreenshotTask", DomainName="d", AppName="live", StreamName=f"s{i // 100}-{i % 3}",
                        StartTime=start, EndTime=start + 3600, TemplateId=0)
        created.add(out["TaskId"])
    seen, token, pages = [], None, 0
    while True:
        params = {"StartTime": NOW - 60, "EndTime": NOW + 6 * 86400}
        if token:
            params["ScrollToken"] = token
        out = caller.tc("DescribeScreenshotTask", **params)
        pages += 1
        assert len(out["TaskList"]) <= 100
        seen += [t["TaskId"] for t in out["TaskList"]]
        token = out["ScrollToken"]
        if not token:
            break
    assert pages == 10 and len(seen) == 1000 and set(seen) == created


def test_bad_scroll_token_is_invalid_parameter_value(caller):
    out = caller.tc("DescribeScreenshotTask", StartTime=NOW, EndTime=NOW + 60, ScrollToken="!!!")
    assert out["Error"]["Code"] == "InvalidParameterValue"


def test_250_jobs_via_page_no(caller, emu):
    emu.set_stream_offline("rtmp://push.example.com/live/a")  # stay `init`, clear of the started limit
    tpl = ice_template(caller)
    ids = {submit_job(caller, tpl, name=f"ls/ns/s{i}").json()["JobId"] for i in range(250)}
    seen: list[str] = []
    for page_no in range(1, 5):
        out = caller.ice("ListLiveSnapshotJobs", method="GET", PageNo=page_no, PageSize=100, SortBy="asc").json()
        assert out["TotalCount"] == 250 and out["PageNo"] == page_no
        seen += [j["JobId"] for j in out["JobList"]]
    assert len(seen) == 250 and set(seen) == ids
    resp = caller.ice("ListLiveSnapshotJobs", method="GET", PageSize=101)
    assert (resp.status_code, resp.json()["Code"]) == (400, "InvalidParameter")
