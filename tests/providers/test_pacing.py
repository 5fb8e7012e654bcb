"""The token bucket: the rate holds for one caller and for many threads; groups are separate."""

from __future__ import annotations

import threading

import httpx

from livesnap_reconcile.providers.pacing import Buckets, TokenBucket
from tests.providers.fakes import FakeClock, tc_action, tc_ok, tencent


def test_bucket_paces_to_the_rate():
    clock = FakeClock(0)
    bucket = TokenBucket(20, clock=clock, sleep=clock.sleep)
    for _ in range(101):
        bucket.acquire()
    assert abs(clock.now - 5.0) < 1e-6  # first token free, then 100 at 20/s


def test_bucket_refills_while_idle_but_not_beyond_burst():
    clock = FakeClock(0)
    bucket = TokenBucket(10, burst=3, clock=clock, sleep=clock.sleep)
    clock.now = 100.0
    waits = [bucket.acquire() for _ in range(5)]
    assert waits[:3] == [0.0, 0.0, 0.0] and all(w > 0 for w in waits[3:])


def test_bucket_is_thread_safe():
    clock = FakeClock(0)
    bucket = TokenBucket(50, clock=clock, sleep=clock.sleep)
    threads = [threading.Thread(target=lambda: [bucket.acquire() for _ in range(25)]) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 200 tokens at 50/s: the reservations add up to (200 - 1) / 50 seconds of waiting in total.
    assert abs(sum(clock.sleeps) - 199 / 50) < 1e-6


def test_groups_have_their_own_buckets_and_rates():
    clock = FakeClock(0)
    buckets = Buckets({"task": 20, "template": 5}, default_rate=1, clock=clock, sleep=clock.sleep)
    assert buckets.get("task") is buckets.get("task")
    assert (buckets.get("task").rate, buckets.get("template").rate, buckets.get("other").rate) == (20, 5, 1)


def test_provider_paces_task_calls_at_twenty_per_second_by_default_and_max_rps_overrides():
    def handler(request: httpx.Request) -> httpx.Response:
        tc_action(request)
        return tc_ok({"TaskList": [], "ScrollToken": ""})

    for max_rps, expected in ((None, 20), (5, 5)):
        clock = FakeClock(0)
        provider = tencent(handler, clock=clock, max_rps=max_rps)
        start = clock.now
        for _ in range(41):
            provider.client.rpc("DescribeScreenshotTask", {"StartTime": 1, "EndTime": 2})
        assert abs((clock.now - start) - 40 / expected) < 1e-6


def test_throttling_lowers_the_rate_once_per_round_and_success_probes_back_up():
    clock = FakeClock(0)
    bucket = TokenBucket(20, clock=clock, sleep=clock.sleep)
    for _ in range(10):  # the vendor accepted 5 per second
        clock.now += 0.2
        bucket.succeeded()
    bucket.throttled(sent_at=clock.now)
    cut = bucket.rate
    assert 0.7 * 5 <= cut <= 0.7 * 6  # cut from what was accepted (about 5/s), not from the configured 20
    bucket.throttled(sent_at=clock.now)  # more answers from the same round: no further cut
    assert bucket.rate == cut
    clock.now += 1.0
    bucket.succeeded()
    assert cut < bucket.rate < 6  # climbs back towards the learnt limit, flat near it
    clock.now += 60
    bucket.succeeded()
    assert bucket.rate == 20  # and beyond it, probing, but never above the configured rate


def test_provider_pace_reports_its_rate_and_the_latency_of_its_answers_not_of_its_waits():
    clock = FakeClock(0)

    def handler(request: httpx.Request) -> httpx.Response:
        tc_action(request)
        clock.now += 0.08  # the vendor takes 80 ms to answer
        return tc_ok({"TaskList": [], "ScrollToken": ""})

    provider = tencent(handler, clock=clock, max_rps=5)
    pace = provider.pace  # type: ignore[attr-defined]
    assert pace.rate() == 5 and pace.latency.seconds() is None
    for _ in range(10):  # at 5/s each call also waits ~0.12 s for its token: not the vendor's latency
        provider.client.rpc("DescribeScreenshotTask", {"StartTime": 1, "EndTime": 2})
    assert abs(pace.latency.seconds() - 0.08) < 1e-6


def test_latency_is_smoothed():
    from livesnap_reconcile.providers.pacing import Latency

    latency = Latency()
    latency.observe(0.1)
    latency.observe(1.1)  # one slow answer moves it a fifth of the way
    assert abs(latency.seconds() - 0.3) < 1e-9
