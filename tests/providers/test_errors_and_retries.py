"""Error mapping per vendor, and the retry loop: what is retried, how long we wait, what surfaces.

Every test uses a fake clock/sleep, so backoff and retry-after are observed, not waited for.
"""

from __future__ import annotations

import random

import httpx
import pytest

from livesnap_reconcile.errors import AuthError, Invalid, NotFound, Throttled, Unavailable, UnknownOutcome
from livesnap_reconcile.providers.alibaba.errors import map_error as ice_map
from livesnap_reconcile.providers.pacing import Backoff
from livesnap_reconcile.providers.tencent.errors import error_class
from tests.providers.fakes import FakeClock, alibaba, ice_error, tc_action, tc_error, tc_ok, tencent

TASK = {"domain": "d", "app": "live", "stream": "s", "start": 1_767_300_000, "end": 1_767_303_600, "template": {"id": "7"}}


@pytest.mark.parametrize(("code", "cls"), [
    ("RequestLimitExceeded", Throttled), ("RequestLimitExceeded.UinLimitExceeded", Throttled),
    ("LimitExceeded.RateLimitExceeded", Throttled), ("AuthFailure.SignatureFailure", AuthError),
    ("UnauthorizedOperation", AuthError), ("ResourceNotFound.ForbidService", AuthError),
    ("ResourceNotFound.TaskId", NotFound), ("FailedOperation.NotFound", NotFound),
    ("InvalidParameter.TaskNotExist", NotFound), ("InternalError.SystemError", Unavailable),
    ("InternalError", Unavailable), ("ServiceUnavailable", Unavailable), ("InvalidParameter", Invalid),
    ("LimitExceeded.MaximumRunningTask", Invalid), ("MissingParameter", Invalid),
    ("InternalErrorX", Invalid),
])
def test_tencent_codes_map_by_prefix(code, cls):
    assert error_class(code) is cls


@pytest.mark.parametrize(("status", "code", "headers", "cls"), [
    (400, "Throttling.User", {}, Throttled), (400, "Anything", {"x-acs-retry-after": "1500"}, Throttled),
    (500, "InternalError", {}, Unavailable), (503, "ServiceUnavailable", {}, Unavailable),
    (400, "SignatureDoesNotMatch", {}, AuthError), (400, "InvalidTimeStamp.Expired", {}, AuthError),
    (403, "Forbidden", {}, AuthError), (404, "JobNotFound", {}, NotFound), (404, "TemplateNotFound", {}, NotFound),
    (404, "InvalidApi.NotFound", {}, Invalid), (400, "InvalidParameter", {}, Invalid),
    (409, "JobAlreadyStarted", {}, Invalid),
])
def test_ice_codes_map(status, code, headers, cls):
    err = ice_map(ice_error(status, code, headers=headers), provider="ice", action="GetLiveSnapshotJob")
    assert type(err) is cls
    assert (err.code, err.request_id, err.status) == (code, "req-ice-1", status)


def test_ice_retry_after_is_milliseconds_and_messages_are_truncated():
    err = ice_map(ice_error(400, "Throttling.User", "x" * 5000, headers={"x-acs-retry-after": "1500"}),
                  provider="ice", action="ListLiveSnapshotJobs")
    assert err.retry_after == 1.5
    assert len(str(err)) < 420 and "RequestId req-ice-1" in str(err)


def test_ice_non_json_error_body_is_still_mapped():
    err = ice_map(httpx.Response(502, text="<html>bad gateway</html>"), provider="ice", action="GetLiveSnapshotJob")
    assert isinstance(err, Unavailable) and "bad gateway" in str(err)


def test_tencent_error_envelope_surfaces_code_message_request_id():
    provider = tencent(lambda r: tc_error("InvalidParameter.TemplateNotFound", "no such template"))
    with pytest.raises(Invalid) as info:
        provider.create("task", TASK)
    assert info.value.code == "InvalidParameter.TemplateNotFound"
    assert "no such template" in str(info.value) and "req-tc-1" in str(info.value)


def test_throttling_is_retried_with_vendor_retry_after_then_succeeds():
    replies = [ice_error(400, "Throttling.User", headers={"x-acs-retry-after": "700"})] * 2
    replies.append(httpx.Response(200, json={"RequestId": "r", "TemplateId": "t1", "TemplateName": "ns-a",
                                             "TimeInterval": 5, "SequenceFormat": "a/{Sequence}.jpg"}))
    clock = FakeClock()
    provider = alibaba(lambda r: replies.pop(0), clock=clock)
    assert provider.get("template", "t1").attributes["interval"] == 5
    assert provider.requests["GetLiveSnapshotTemplate"] == 3
    retry_sleeps = [s for s in clock.sleeps if s >= 0.7]
    assert len(retry_sleeps) == 2 and all(0.7 <= s <= 0.76 for s in retry_sleeps)


def test_attempts_are_bounded_and_the_last_error_surfaces():
    clock = FakeClock()
    provider = tencent(lambda r: tc_error("RequestLimitExceeded"), clock=clock, max_attempts=4)
    with pytest.raises(Throttled):
        provider.get("template", "5")
    assert provider.requests["DescribeLiveSnapshotTemplate"] == 4


def test_backoff_is_full_jitter_under_a_doubling_ceiling_and_retry_after_wins():
    rng = random.Random(1)
    backoff = Backoff(base=0.2, cap=3.0)
    for attempt in range(1, 8):
        ceiling = min(3.0, 0.2 * 2 ** (attempt - 1))
        samples = [backoff.delay(attempt, rng=rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in samples)
        assert max(samples) > ceiling * 0.8  # jitter spans the range, not a constant
    assert 2.0 <= backoff.delay(1, rng=rng, retry_after=2.0) <= 2.05


def test_every_retry_sleeps_once_between_attempts():
    clock = FakeClock()
    provider = tencent(lambda r: tc_error("InternalError"), clock=clock, max_attempts=5, max_rps=1e9)
    with pytest.raises(Unavailable):
        provider.get("template", "5")
    assert provider.requests["DescribeLiveSnapshotTemplate"] == 5
    assert len([s for s in clock.sleeps if s > 0]) <= 4


def test_business_errors_are_not_retried():
    provider = tencent(lambda r: tc_error("InvalidParameter"))
    with pytest.raises(Invalid):
        provider.get("template", "5")
    assert provider.requests["DescribeLiveSnapshotTemplate"] == 1


@pytest.mark.parametrize("reply", ["5xx", "internal", "read-timeout", "disconnect"])
def test_a_create_whose_response_is_lost_is_never_retried(reply):
    def handler(request):
        if reply == "5xx":
            return httpx.Response(502, text="bad gateway")
        if reply == "internal":
            return tc_error("InternalError.NetworkError")
        if reply == "read-timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    provider = tencent(handler)
    with pytest.raises(UnknownOutcome):
        provider.create("task", TASK)
    assert provider.requests["CreateScreenshotTask"] == 1


def test_a_create_that_never_connected_is_retried():
    attempts = []

    def handler(request):
        attempts.append(1)
        if len(attempts) < 3:
            raise httpx.ConnectError("refused", request=request)
        return tc_ok({"TaskId": "T1"})

    assert tencent(handler).create("task", TASK).remote_id == "T1"
    assert len(attempts) == 3


def test_a_throttled_create_is_retried_because_it_did_not_happen():
    replies = [tc_error("RequestLimitExceeded"), tc_ok({"TaskId": "T2"})]
    provider = tencent(lambda r: replies.pop(0))
    assert provider.create("task", TASK).remote_id == "T2"


def test_reads_are_retried_after_a_dropped_connection():
    calls = []

    def handler(request):
        calls.append(tc_action(request)[0])
        if len(calls) == 1:
            raise httpx.ReadError("reset", request=request)
        return tc_ok({"Templates": []})

    assert tencent(handler).find("template", {"name": "ns-x"}, now=0) is None
    assert calls == ["DescribeLiveSnapshotTemplates"] * 2


def test_non_json_success_body_is_unavailable_not_a_crash():
    provider = alibaba(lambda r: httpx.Response(200, text="not json"), max_attempts=2)
    with pytest.raises(Unavailable):
        provider.get("job", "j1")
