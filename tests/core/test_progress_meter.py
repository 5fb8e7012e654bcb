"""The progress line's text: what is known of phase, done/total, rate and ETA, on an injected clock."""

from __future__ import annotations

from livesnap_reconcile.core.progress import Meter


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_without_a_total_the_count_rate_and_elapsed_time():
    clock = Clock()
    meter = Meter(clock)
    meter.start("load + validate")
    assert meter.line() == "load + validate: 0s"
    meter.start("refresh", unit="objects")
    clock.now = 4.0
    meter.advance(6)
    assert meter.line() == "refresh: 6 objects, 1.5/s, 4s"


def test_with_a_total_the_eta_until_it_is_reached():
    clock = Clock()
    meter = Meter(clock)
    meter.start("apply", total=400, unit="changes")
    clock.now = 10.0
    meter.advance(20)
    assert meter.line() == "apply: 20/400 changes, 2.0/s, ETA 3m10s"
    meter.expect(100)
    meter.advance(480)
    clock.now = 100.0
    assert meter.line() == "apply: 500/500 changes, 5.0/s, 1m40s"  # done: elapsed, not an ETA
