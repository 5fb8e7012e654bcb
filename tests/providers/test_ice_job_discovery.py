"""ICE jobs beyond the 90-day listing, and the lookup after a submit whose answer was lost.

What we test here, against the sandbox: a desired job that state does not hold is found however old
it is (ICE never deletes one), by walking 30-day windows back to `ICE_EPOCH` only when the recent
listing did not show it; with everything in state no request reaches further back than the regular
listing; no window spans 30 days or reaches before `ICE_EPOCH`. After a lost submit the job is
chosen by its exact name in a narrow window around that moment: a fuzzy keyword search that answers
a near-namesake, or nothing, does not make livesnap miss it (and submit a second one).
"""

from __future__ import annotations

import calendar
import json
import time
from collections.abc import Callable

import httpx
import pytest

from livesnap_reconcile.emulator import FaultRule, Faults
from livesnap_reconcile.errors import UnknownOutcome
from livesnap_reconcile.providers.alibaba.listing import ICE_EPOCH, LIST_SPAN, LOST_SUBMIT_SLACK
from livesnap_reconcile.resources import Known, RefreshQuery, Resource
from tests.providers.conftest import T0, Sandbox
from tests.providers.fakes import ice_action
from tests.providers.test_emulator_operations import ICE_TEMPLATE, job_attrs

DAY = 86400
NAME = "ls/ns/main/always/0a1b2c3d"
Rewrite = Callable[[dict, dict], dict]  # (request params, response body) -> response body


def _epoch(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


class Recorder:
    """The sandbox's transport, recording each ListLiveSnapshotJobs window and optionally
    rewriting its answer (a vendor whose fuzzy keyword search behaves otherwise)."""

    def __init__(self, box: Sandbox, rewrite: Rewrite | None = None) -> None:
        self.box, self.rewrite = box, rewrite
        self.windows: list[tuple[int, int, str | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        response = self.box.emu.handle(request)
        action, params = ice_action(request)
        if action != "ListLiveSnapshotJobs":
            return response
        self.windows.append((_epoch(params["StartTime"]), _epoch(params["EndTime"]), params.get("SearchKeyWord")))
        if self.rewrite is None or response.status_code != 200:
            return response
        body = self.rewrite(params, json.loads(response.read()))
        return httpx.Response(200, json=body, headers={"x-acs-request-id": body.get("RequestId", "r")})


@pytest.fixture
def box():
    sandbox = Sandbox()
    yield sandbox
    sandbox.close()


def _provider(box: Sandbox, recorder: Recorder):
    return box.provider("alibaba", transport=httpx.MockTransport(recorder))


def _job_made_days_ago(box: Sandbox, days: int, **attrs) -> str:
    ice = box.provider("alibaba")
    template_id = ice.create("template", ICE_TEMPLATE).remote_id
    box.clock.set(T0 - days * DAY)
    job_id = ice.create("job", job_attrs(template_id, **attrs)).remote_id
    box.clock.set(T0)
    return job_id


def test_a_job_older_than_the_listing_is_found_before_a_create_is_planned(box):
    job_id = _job_made_days_ago(box, 100)
    recorder = Recorder(box)
    ice = _provider(box, recorder)
    attrs = ice.get("job", job_id).attributes
    desired = Resource("job.main.always", "job", "ice", attrs)

    lost = ice.refresh(RefreshQuery(namespace="ns", now=T0, desired=(desired,)))  # state lost
    assert [o.remote_id for o in lost] == [job_id]
    deep = [w for w in recorder.windows if w[0] < T0 - 90 * DAY]
    assert deep and all(keyword == NAME for _, _, keyword in deep)  # the one missing name, exactly

    recorder.windows.clear()
    known = Known("job.main.always", "job", job_id, attrs)
    steady = ice.refresh(RefreshQuery(namespace="ns", now=T0, known=(known,), desired=(desired,)))
    assert [o.remote_id for o in steady] == [job_id]
    assert recorder.windows and min(lo for lo, _, _ in recorder.windows) >= T0 - 90 * DAY  # nothing extra


def test_the_deep_search_is_bounded_and_each_window_is_under_30_days(box):
    _job_made_days_ago(box, 10)
    recorder = Recorder(box)
    ice = _provider(box, recorder)
    never = Resource("job.main.never", "job", "ice", job_attrs("tpl", name="ls/ns/main/never/ffffffff"))
    found = ice.refresh(RefreshQuery(namespace="ns", now=T0, desired=(never,)))
    assert [o.attributes["name"] for o in found] == [NAME]  # only the recent one, reported as ours
    assert min(lo for lo, _, _ in recorder.windows) == ICE_EPOCH
    assert all(0 < hi - lo <= LIST_SPAN for lo, hi, _ in recorder.windows)
    years = (T0 - ICE_EPOCH) / (365 * DAY)
    assert len(recorder.windows) <= 13 * years  # about one request a month of ICE's life, no more


def _lost_submit(box: Sandbox, recorder: Recorder) -> tuple[str, object]:
    """A near-namesake made earlier the same hour, then our submit, whose answer is lost."""
    box.emu.faults = Faults(rps=0, rules={"alibaba:SubmitLiveSnapshotJob": FaultRule(drop_rate=1.0)})
    ice = _provider(box, recorder)
    template_id = ice.create("template", ICE_TEMPLATE).remote_id
    box.emu.faults = Faults(rps=0)
    ice.create("job", job_attrs(template_id, name=NAME + "-copy"))
    box.clock.advance(60)
    box.emu.faults = Faults(rps=0, rules={"alibaba:SubmitLiveSnapshotJob": FaultRule(drop_rate=1.0)})
    with pytest.raises(UnknownOutcome):
        ice.create("job", job_attrs(template_id))
    box.emu.faults = Faults(rps=0)
    ours = next(j["JobId"] for j in box.emu.alibaba_jobs() if j["JobName"] == NAME)
    return ours, ice


def _only_namesakes(params: dict, body: dict) -> dict:
    if params.get("SearchKeyWord"):
        body["JobList"] = [j for j in body["JobList"] if j["JobName"] != params["SearchKeyWord"]]
        body["TotalCount"] = len(body["JobList"])
    return body


def _nothing(params: dict, body: dict) -> dict:
    if params.get("SearchKeyWord"):
        body["JobList"], body["TotalCount"] = [], 0
    return body


@pytest.mark.parametrize("rewrite", [None, _only_namesakes, _nothing], ids=["fuzzy", "namesake-only", "nothing"])
def test_after_a_lost_submit_the_job_of_exactly_that_name_is_found(box, rewrite):
    recorder = Recorder(box, rewrite)
    ours, ice = _lost_submit(box, recorder)
    recorder.windows.clear()
    found = ice.find("job", job_attrs("unused"), now=int(box.clock.now()))
    assert found is not None and found.remote_id == ours
    assert all(hi - lo <= 2 * LOST_SUBMIT_SLACK for lo, hi, _ in recorder.windows)
    assert len(box.emu.alibaba_jobs()) == 2  # ours and the near-namesake; no second submit
