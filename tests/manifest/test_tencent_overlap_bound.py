"""The overlap check's shortcut: a stream whose timed snapshots cannot exceed three at once is not sampled.

`most_at_once` must never be lower than what the sampling finds, or a real clash would go unreported;
a schedule longer than the shortest local day may overlap itself, so it counts more than once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.vendors.tencent import manifest as tencent_manifest
from livesnap_reconcile.vendors.tencent.overlap import (
    MAX_TENCENT_OVERLAP,
    most_at_once,
    tencent_spans,
    worst_overlap,
)

ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Antarctica/Troll"]


def _running_at_most(spans: dict) -> int:
    events = sorted((t, kind) for items in spans.values() for a, b in items for t, kind in ((a, 1), (b, -1)))
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


@st.composite
def snapshot(draw) -> dict:
    if draw(st.booleans()):
        day = draw(st.integers(1, 28))
        hours = draw(st.integers(1, 80))
        start = datetime(2026, 3, day, 10, tzinfo=UTC)
        return {"window": {"start": _stamp(start), "end": _stamp(start + timedelta(hours=hours))}}
    return {"schedule": {"start": f"{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from([0, 30])):02d}",
                         "duration": f"{draw(st.integers(1, 60))}h", "timezone": draw(st.sampled_from(ZONES)),
                         "from": "2026-03-01"}}


def _stamp(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


@settings(max_examples=120, deadline=None)
@given(st.lists(snapshot(), min_size=1, max_size=5))
def test_the_bound_is_never_below_what_sampling_finds(snaps):
    snapshots = {f"s{i}": s for i, s in enumerate(snaps)}
    assert _running_at_most(tencent_spans(snapshots)) <= most_at_once(snapshots)


def test_three_short_schedules_skip_the_sampling_and_two_long_ones_do_not(monkeypatch):
    sampled = []
    real = tencent_manifest.tencent_spans
    monkeypatch.setattr(tencent_manifest, "tencent_spans", lambda snaps: sampled.append(1) or real(snaps))
    monkeypatch.setattr(tencent_manifest, "_CLASHES", {})
    daily = {"start": "10:00", "timezone": "UTC"}
    three = {f"s{i}": {"schedule": {**daily, "duration": "22h"}} for i in range(MAX_TENCENT_OVERLAP)}
    assert tencent_manifest._clash(three) is None and sampled == []
    # Two schedules of 48 h a day: each overlaps its own next occurrence, four tasks at once.
    two = {f"s{i}": {"schedule": {**daily, "duration": "48h"}} for i in range(2)}
    found = tencent_manifest._clash(two)
    assert sampled == [1] and found is not None and found == worst_overlap(real(two))


def test_one_schedule_counts_as_often_as_it_can_overlap_itself_on_any_zone_and_day():
    # Hourly durations up to three days, in zones with 1 h, 30 min and 2 h (Troll) clock changes,
    # sampled over March 2026, when those changes happen: the shortest local day must be covered.
    for zone in ZONES:
        for hours in range(1, 73):
            snapshots = {"s": {"schedule": {"start": "01:30", "duration": f"{hours}h", "timezone": zone,
                                            "from": "2026-03-01"}}}
            found = _running_at_most(tencent_spans(snapshots))
            assert found <= most_at_once(snapshots), (zone, hours, found)
