"""Tencent rules in-process: task time rules, states from the business clock, the containment
filter and its window rules, parameter checks, template limits, routing errors, exact Content-Type."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import NOW
from tests.emulator.helpers import Caller, tc_template

H = 3600
TASK = {"DomainName": "5000.live.push.com", "AppName": "live", "StreamName": "livetest", "TemplateId": 0}


def _create(caller: Caller, start: int | None, end: int, **extra):
    params = dict(TASK, EndTime=end, **extra)
    if start is not None:
        params["StartTime"] = start
    return caller.tc("CreateScreenshotTask", **params)


@pytest.mark.parametrize("start,end", [
    (NOW + H, NOW + H),              # end must be after start
    (NOW - 2 * H, NOW - H),          # end must be after now
    (NOW + 6 * 24 * H, NOW + 7 * 24 * H),  # end must be before now + 7 days
    (NOW, NOW + 24 * H + 1),         # at most 24 h
    (NOW + 6 * 24 * H + 60, NOW + 6 * 24 * H + 120),  # start at most now + 6 days
])
def test_task_time_rules(caller, start, end):
    assert _create(caller, start, end)["Error"]["Code"] == "InvalidParameter"


def test_start_defaults_to_now_and_state_follows_business_clock(caller, emu, clock):
    task_id = _create(caller, None, NOW + H)["TaskId"]
    pending_id = _create(caller, NOW + H, NOW + 2 * H)["TaskId"]
    states = {t["TaskId"]: (t["StartTime"], t["State"]) for t in emu.tencent_tasks()}
    assert states == {task_id: (NOW, "running"), pending_id: (NOW + H, "pending")}
    clock.advance(H)
    assert {t["TaskId"]: t["State"] for t in emu.tencent_tasks()} == {task_id: "finished", pending_id: "running"}


def test_a_fourth_overlapping_task_is_accepted_but_queued_while_three_run(caller, emu, clock):
    # "The system starts at most 3 screenshot tasks": a 4th is created, not refused, and does not run.
    first = [_create(caller, NOW + offset, NOW + H)["TaskId"] for offset in (0, 0, 0)]
    fourth = _create(caller, NOW + 1800, NOW + 2 * H)["TaskId"]
    other = caller.tc("CreateScreenshotTask", **dict(TASK, StreamName="other", StartTime=NOW, EndTime=NOW + H))
    clock.advance(1800)
    states = {t["TaskId"]: t["State"] for t in emu.tencent_tasks()}
    assert [states[i] for i in first] == ["running"] * 3 and states[fourth] == "queued"
    assert states[other["TaskId"]] == "running"  # the limit is per stream
    clock.advance(1800)  # the three end: the queued one runs for the rest of its window
    assert {t["TaskId"]: t["State"] for t in emu.tencent_tasks()}[fourth] == "running"


def test_stopped_tasks_free_a_slot(caller, emu):
    ids = [_create(caller, NOW, NOW + H)["TaskId"] for _ in range(4)]
    assert {t["TaskId"]: t["State"] for t in emu.tencent_tasks()}[ids[3]] == "queued"
    caller.tc("StopScreenshotTask", TaskId=ids[0])
    assert {t["TaskId"]: t["State"] for t in emu.tencent_tasks()}[ids[3]] == "running"


def test_describe_lists_only_contained_tasks(caller):
    inside = _create(caller, NOW + H, NOW + 2 * H)["TaskId"]
    _create(caller, NOW + 3 * H, NOW + 5 * H)
    out = caller.tc("DescribeScreenshotTask", StartTime=NOW, EndTime=NOW + 4 * H)
    assert [t["TaskId"] for t in out["TaskList"]] == [inside] and out["ScrollToken"] == ""
    assert out["TaskList"][0]["Stopped"] == 0


@pytest.mark.parametrize("start,end", [(NOW, NOW), (NOW, NOW + 7 * 24 * H + 1), (NOW - 91 * 24 * H, NOW - 90 * 24 * H)])
def test_describe_window_rules(caller, start, end):
    assert caller.tc("DescribeScreenshotTask", StartTime=start, EndTime=end)["Error"]["Code"] == "InvalidParameter"


def test_parameter_checks(caller):
    assert caller.tc("StopScreenshotTask")["Error"]["Code"] == "MissingParameter"
    assert caller.tc("StopScreenshotTask", TaskId="x", Bogus=1)["Error"]["Code"] == "UnknownParameter"
    assert caller.tc("StopScreenshotTask", TaskId="missing")["Error"]["Code"] == "InvalidParameter"
    assert _create(caller, "soon", NOW + H)["Error"]["Code"] == "InvalidParameterValue"
    # numbers as strings are coerced, like the official examples send them
    assert "TaskId" in _create(caller, str(NOW), str(NOW + H))


def test_templates_limit_and_validation(caller, emu):
    bad = caller.tc("CreateLiveSnapshotTemplate", TemplateName="has space", CosAppId=1, CosBucket="b", CosRegion="r")
    assert bad["Error"]["Code"] == "InvalidParameterValue"
    bad = caller.tc("CreateLiveSnapshotTemplate", TemplateName="t", CosAppId=1, CosBucket="b", CosRegion="r",
                    SnapshotInterval=301)
    assert bad["Error"]["Code"] == "InvalidParameterValue"
    for i in range(50):
        tc_template(caller, f"t{i}")
    full = caller.tc("CreateLiveSnapshotTemplate", TemplateName="t50", CosAppId=1, CosBucket="b", CosRegion="r")
    assert full["Error"]["Code"] == "InternalError.ConfOutLimit" and len(emu.tencent_templates()) == 50


def test_routing_errors_and_exact_content_type(caller):
    assert caller.tc("NoSuchThing")["Error"]["Code"] == "InvalidAction"
    assert caller.tc("DescribeLiveSnapshotTemplates", version="2017-01-01")["Error"]["Code"] == "NoSuchVersion"
    resp = caller.tc_raw("DescribeLiveSnapshotTemplates")
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
    assert resp.json()["Response"]["Templates"] == []


def test_wall_clock_skew_is_independent_of_business_clock(emu, clock):
    clock.advance(10 * 24 * H)  # business time far away: requests signed with real time still verify
    assert "Templates" in Caller(emu).tc("DescribeLiveSnapshotTemplates")
    import time
    skewed = Caller(emu, wall=time.time() - 301)
    assert skewed.tc("DescribeLiveSnapshotTemplates")["Error"]["Code"] == "AuthFailure.SignatureExpire"
