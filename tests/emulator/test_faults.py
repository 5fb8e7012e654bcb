"""Fault injection: rate limits (token bucket), latency, failure rate, commit-then-drop, seeds.

Time is injected (`timer`, `sleep`), so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import httpx
import pytest

from livesnap_reconcile.emulator import Clock, Emulator, FaultRule, Faults, serve
from livesnap_reconcile.emulator.faults import TokenBucket
from tests.emulator.conftest import NOW
from tests.emulator.helpers import Caller, ice_template, tc_template


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def _emu(faults: Faults, *, seed: int = 0, fake: FakeTime | None = None) -> Emulator:
    fake = fake or FakeTime()
    return Emulator(clock=Clock(NOW), faults=faults, seed=seed, timer=fake, sleep=fake.sleep)


def test_tencent_default_limit_paces_at_20_per_second_and_throttles_bursts():
    fake = FakeTime()
    caller = Caller(_emu(Faults(), fake=fake))
    codes = []
    for _ in range(200):  # exactly 20/s: never throttled
        codes.append(caller.tc("DescribeScreenshotTask", StartTime=NOW, EndTime=NOW + 60).get("Error"))
        fake.t += 0.05
    assert codes == [None] * 200
    burst = [caller.tc("DescribeScreenshotTask", StartTime=NOW, EndTime=NOW + 60).get("Error", {}).get("Code")
             for _ in range(25)]
    assert burst.count("RequestLimitExceeded") >= 4 and burst[0] is None


def test_ice_throttling_answers_retry_after_in_ms():
    fake = FakeTime()
    caller = Caller(_emu(Faults(rules={"alibaba": FaultRule(rps=2)}), fake=fake))
    statuses = [caller.ice("ListLiveSnapshotTemplates", method="GET") for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 400]
    assert statuses[2].json()["Code"] == "Throttling.User"
    assert 0 < int(statuses[2].headers["x-acs-retry-after"]) <= 500
    fake.t += 0.5
    assert caller.ice("ListLiveSnapshotTemplates", method="GET").status_code == 200


def test_token_bucket_refills_at_rate():
    bucket = TokenBucket(10, now=0.0)
    assert all(bucket.take(0.0) == 0.0 for _ in range(10))
    assert bucket.take(0.0) == pytest.approx(0.1)
    assert bucket.take(0.1) == 0.0


def test_latency_is_added_per_action():
    fake = FakeTime()
    caller = Caller(_emu(Faults(latency_ms=5, rules={"tencent:DescribeLiveSnapshotTemplates": FaultRule(latency_ms=40)}),
                         fake=fake))
    caller.tc("DescribeLiveSnapshotTemplates")
    caller.ice("ListLiveSnapshotTemplates", method="GET")
    assert fake.slept == [0.04, 0.005]


def _fail_pattern(seed: int) -> list[str | None]:
    caller = Caller(_emu(Faults(fail_rate=0.3, default_limits=False), seed=seed))
    return [caller.tc("DescribeLiveSnapshotTemplates").get("Error", {}).get("Code") for _ in range(60)]


def test_fail_rate_is_reproducible_with_a_seed():
    first, again, other = _fail_pattern(7), _fail_pattern(7), _fail_pattern(8)
    assert first == again and first != other
    assert set(first) == {None, "InternalError"} and 8 <= first.count("InternalError") <= 32


def test_ice_failures_are_5xx():
    caller = Caller(_emu(Faults(fail_rate=1.0, default_limits=False)))
    resp = caller.ice("ListLiveSnapshotTemplates", method="GET")
    assert (resp.status_code, resp.json()["Code"]) == (500, "InternalError")


def test_commit_then_drop_applies_the_write_then_cuts_the_connection():
    emu = _emu(Faults(drop_rate=1.0, default_limits=False))
    caller = Caller(emu)
    with pytest.raises(httpx.RemoteProtocolError):
        tc_template(caller)
    assert len(emu.tencent_templates()) == 1  # committed although the client never heard back
    # reads are not writes: they are never dropped
    assert len(caller.tc("DescribeLiveSnapshotTemplates")["Templates"]) == 1


def test_commit_then_drop_over_loopback_closes_without_answer():
    emu = _emu(Faults(drop_rate=1.0, default_limits=False))
    server = serve(emu)
    try:
        caller = Caller(emu)
        request = caller.ice_request("CreateLiveSnapshotTemplate", TemplateName="t", TimeInterval=10,
                                     OverwriteFormat="snapshot/{JobId}.jpg")
        with httpx.Client(base_url=server.url) as client, pytest.raises(httpx.RemoteProtocolError):
            client.post("/", headers=dict(request.headers), content=request.content)
    finally:
        server.shutdown()
    assert [t["TemplateName"] for t in emu.alibaba_templates() if t["Type"] == "custom"] == ["t"]


def test_commit_then_drop_error_mode_returns_500_after_commit():
    emu = _emu(Faults(drop_rate=1.0, drop_mode="error", default_limits=False))
    with pytest.raises(AssertionError):
        ice_template(Caller(emu))
    assert len([t for t in emu.alibaba_templates() if t["Type"] == "custom"]) == 1


def test_bad_fault_configuration_is_a_clear_error():
    with pytest.raises(ValueError, match="fail_rate"):
        Faults(fail_rate=1.5)
    with pytest.raises(ValueError, match="rule key"):
        Faults(rules={"aws": FaultRule(rps=1)})
