"""Tencent runs at most three screenshot tasks per stream at once: the validator's approximate check.

Windows are compared as written; schedules are sampled on the days around those windows and over
the first week after their ``from`` (or a fixed reference week). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from livesnap_reconcile.core import timespec
from livesnap_reconcile.core.timespec import Interval, calendar_date

MAX_TENCENT_OVERLAP = 3
_REFERENCE_MONDAY = date(2026, 1, 5)
# Local days are at least 22 h apart: the largest clock change in tzdata today is +2 h (Antarctica/Troll).
_SHORTEST_DAY = timedelta(hours=22)


def worst_overlap(spans: Mapping[str, list[Interval]]) -> tuple[datetime, list[str], str] | None:
    """The first instant at which more than 3 tasks run at once: when, who, and who tipped it over."""
    events = sorted((t, kind, name) for name, items in spans.items() for a, b in items
                    for t, kind in ((a, 1), (b, 0)))  # ends (0) sort before starts at one instant
    running: dict[str, int] = {}
    total = 0  # the sum of `running`, kept as it changes: summing it per event made this quadratic
    for instant, kind, name in events:
        step = 1 if kind else -1
        running[name] = running.get(name, 0) + step
        total += step
        if total > MAX_TENCENT_OVERLAP:
            return instant, sorted(n for n, c in running.items() if c > 0), name
    return None


def most_at_once(snapshots: Mapping[str, Any]) -> int:
    """An upper bound on the tasks that can run at once, without sampling: a window is one task; a
    schedule's occurrences start on different local days, at least 22 h apart, so one of up to
    22 h is one task at a time, and a longer one may overlap itself.

    Most streams have three timed snapshots or fewer: their answer needs no calendar at all.
    """
    bound = 0
    for snap in snapshots.values():
        if not isinstance(snap, Mapping):
            continue
        if isinstance(snap.get("window"), Mapping):
            bound += 1
        if isinstance(snap.get("schedule"), Mapping):
            length = timespec.parse_duration(snap["schedule"].get("duration"))
            bound += 1 if length is None else -(-length // _SHORTEST_DAY)
    return bound


def tencent_spans(snapshots: Mapping[str, Any]) -> dict[str, list[Interval]]:
    """Each snapshot's windows and schedule occurrences over a representative span of days.

    Explicit windows are compared as they are; schedules are sampled on the days around those
    windows, and on a week in every month of their first year (from their ``from``, or a fixed
    reference week, up to their ``until``): a clash between zones with and without summer time
    exists only for part of the year, so one January week would miss it.
    """
    windows: dict[str, list[Interval]] = {}
    for name, snap in snapshots.items():
        window = snap.get("window") if isinstance(snap, Mapping) else None
        if isinstance(window, Mapping):
            a, b = timespec.parse_instant(window.get("start")), timespec.parse_instant(window.get("end"))
            if isinstance(a, datetime) and isinstance(b, datetime) and b > a:
                windows[name] = [(a.astimezone(UTC), b.astimezone(UTC))]
    samples = {w[0].date() - timedelta(days=1) for items in windows.values() for w in items}
    schedules = {name: snap["schedule"] for name, snap in snapshots.items()
                 if isinstance(snap, Mapping) and isinstance(snap.get("schedule"), Mapping)}
    for schedule in schedules.values():
        samples.update(_year_of_weeks(schedule))
    # The nine days from each sample, each looked at once however many samples they are near.
    days = sorted({day + timedelta(days=offset) for day in samples for offset in range(9)})
    spans = dict(windows)
    for name, schedule in schedules.items():
        spans[name] = sorted(set(timespec.occurrences_on(schedule, days)))
    return spans


def _year_of_weeks(schedule: Mapping[str, Any]) -> list[date]:
    """A day every 4 weeks through the schedule's first year, within its ``from``/``until``."""
    first = calendar_date(schedule.get("from")) or _REFERENCE_MONDAY
    last = calendar_date(schedule.get("until")) or first + timedelta(days=366)
    days = [first + timedelta(weeks=4 * k) for k in range(14)]
    return [d for d in days if d <= last] or [first]

