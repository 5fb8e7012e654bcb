"""The worker pool's size when the user gives no --parallelism: Little's law on each provider's pace.

What we test here: rate x latency x headroom, rounded up; several providers add up; an unknown
latency is assumed, not zero; the floor and the ceiling hold; a longer observed latency asks for
more workers.
"""

from __future__ import annotations

from livesnap_reconcile.apply.pool import ASSUMED_LATENCY, HEADROOM, MAX_WORKERS, MIN_WORKERS, workers_for


def test_rate_times_latency_times_headroom():
    # 200 req/s at 50 ms: 10 requests in flight keep the rate, twice that leaves room for our own time.
    assert workers_for([(200.0, 0.05)]) == 20
    assert workers_for([(200.0, 0.051)]) == 21  # rounded up, never down


def test_providers_add_up():
    assert workers_for([(200.0, 0.05), (50.0, 0.1)]) == 20 + 10


def test_unknown_latency_is_assumed():
    assert workers_for([(100.0, None)]) == round(100 * ASSUMED_LATENCY * HEADROOM)


def test_bounds():
    assert workers_for([]) == MIN_WORKERS
    assert workers_for([(20.0, 0.05)]) == MIN_WORKERS  # 2 would do; a slow start must not run serially
    assert workers_for([(1000.0, 2.0)]) == MAX_WORKERS
    assert workers_for([(200.0, 0.05)], floor=1, ceiling=8) == 8


def test_a_slower_vendor_gets_more_workers():
    sizes = [workers_for([(100.0, latency)]) for latency in (0.02, 0.05, 0.1, 0.2)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
