"""Time rules of the validator: windows, schedules, and the Tencent overlap count.

Owns checking ``window`` and ``schedule`` values (offsets present, end after start, IANA zones,
real calendar dates, positive durations), past-window warnings when a ``now`` is given, and an
approximate count of overlapping Tencent tasks per stream. Problems come back as
``(path, message, severity)`` triples; the caller locates them. Pure: no clock reads, no I/O.
Expansion has its own exact calendar arithmetic; here a close approximation is enough.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from livesnap_reconcile.core.duration import duration_seconds
from livesnap_reconcile.manifest.diagnostics import ManifestPath

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_TENCENT_OVERLAP = 3
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_REFERENCE_MONDAY = date(2026, 1, 5)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Problem = tuple[ManifestPath, str, str]  # path, message, severity
Interval = tuple[datetime, datetime]


def parse_instant(text: object) -> datetime | str:
    """An aware datetime, or the sentence saying why ``text`` is not one."""
    if not isinstance(text, str):
        return "must be an ISO 8601 time with an offset, e.g. 2026-11-25T09:00:00+08:00"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return f"{text!r} is not an ISO 8601 time (e.g. 2026-11-25T09:00:00+08:00)"
    if value.tzinfo is None or value.utcoffset() is None:
        return f"{text!r} has no UTC offset; write e.g. {text}+08:00 or {text}Z"
    return value


def parse_duration(text: object) -> timedelta | None:
    seconds = duration_seconds(text, units="hm") if isinstance(text, str) else None
    return None if seconds is None else timedelta(seconds=seconds)


def zone(name: object) -> ZoneInfo | None:
    if not isinstance(name, str) or not name or name.startswith(("/", ".")) or "\0" in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def check_window(window: object, path: ManifestPath, *, now: datetime | None) -> Iterator[Problem]:
    if not isinstance(window, Mapping):
        return
    parsed: dict[str, datetime] = {}
    for key in ("start", "end"):
        if key not in window:
            continue
        value = parse_instant(window[key])
        if isinstance(value, str):
            yield (*path, key), f"window {key} {value}", "error"
        else:
            parsed[key] = value
    if len(parsed) < 2:
        return
    if parsed["end"] <= parsed["start"]:
        yield (*path, "end"), "window end must be after window start", "error"
    elif now is not None and parsed["end"] <= now:
        yield (*path, "end"), f"window ended at {window['end']}, before now; nothing will run", "warning"


def check_schedule(schedule: object, path: ManifestPath, *, now: datetime | None) -> Iterator[Problem]:
    if not isinstance(schedule, Mapping):
        return
    duration = schedule.get("duration")
    if parse_duration(duration) == timedelta(0):
        yield (*path, "duration"), "duration must be longer than 0 minutes", "error"
    tz = schedule.get("timezone", "UTC")
    if isinstance(tz, str) and tz and zone(tz) is None:
        yield (*path, "timezone"), f"unknown timezone {tz!r}; use an IANA name like Asia/Shanghai or UTC", "error"
    dates: dict[str, date] = {}
    for key in ("from", "until"):
        text = schedule.get(key)
        if isinstance(text, str) and _DATE.match(text):
            try:
                dates[key] = date.fromisoformat(text)
            except ValueError:
                yield (*path, key), f"{key} {text!r} is not a calendar date", "error"
    if "from" in dates and "until" in dates and dates["until"] < dates["from"]:
        yield (*path, "until"), "until must not be before from", "error"
    elif now is not None and "until" in dates and dates["until"] < now.date() - timedelta(days=1):
        yield (*path, "until"), f"schedule ended on {dates['until']}, before now; nothing will run", "warning"


def occurrences(schedule: Mapping[str, Any], start: date, days: int) -> list[Interval]:
    """Occurrences whose local start date lies in ``[start, start + days)``; [] if not well formed."""
    length = parse_duration(schedule.get("duration"))
    clock = _CLOCK.match(schedule.get("start", "")) if isinstance(schedule.get("start"), str) else None
    tz = zone(schedule.get("timezone", "UTC"))
    if not length or not clock or tz is None:
        return []
    listed = schedule.get("days") if isinstance(schedule.get("days"), list) else DAY_NAMES
    weekdays = {DAY_NAMES.index(d) for d in listed or DAY_NAMES if isinstance(d, str) and d in DAY_NAMES}
    first, last = _bound(schedule.get("from")), _bound(schedule.get("until"))
    at = time(int(clock.group(1)), int(clock.group(2)))
    found = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() in weekdays and (first is None or day >= first) and (last is None or day <= last):
            begin = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
            found.append((begin, begin + length))
    return found


def _bound(text: object) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def worst_overlap(spans: Mapping[str, list[Interval]]) -> tuple[datetime, list[str], str] | None:
    """The first instant at which more than 3 tasks run at once: when, who, and who tipped it over."""
    events = sorted((t, kind, name) for name, items in spans.items() for a, b in items
                    for t, kind in ((a, 1), (b, 0)))  # ends (0) sort before starts at one instant
    running: dict[str, int] = {}
    for instant, kind, name in events:
        running[name] = running.get(name, 0) + (1 if kind else -1)
        total = sum(running.values())
        if total > MAX_TENCENT_OVERLAP:
            return instant, sorted(n for n, c in running.items() if c > 0), name
    return None


def tencent_spans(snapshots: Mapping[str, Any]) -> dict[str, list[Interval]]:
    """Each snapshot's windows and schedule occurrences over a representative span of days.

    Explicit windows are compared as they are; schedules are sampled on the days around those
    windows and over the first week after their ``from`` (or a fixed reference week).
    """
    windows: dict[str, list[Interval]] = {}
    for name, snap in snapshots.items():
        window = snap.get("window") if isinstance(snap, Mapping) else None
        if isinstance(window, Mapping):
            a, b = parse_instant(window.get("start")), parse_instant(window.get("end"))
            if isinstance(a, datetime) and isinstance(b, datetime) and b > a:
                windows[name] = [(a.astimezone(UTC), b.astimezone(UTC))]
    samples = {w[0].date() - timedelta(days=1) for items in windows.values() for w in items}
    schedules = {name: snap["schedule"] for name, snap in snapshots.items()
                 if isinstance(snap, Mapping) and isinstance(snap.get("schedule"), Mapping)}
    samples.update(_bound(s.get("from")) or _REFERENCE_MONDAY for s in schedules.values())
    spans = dict(windows)
    for name, schedule in schedules.items():
        found: set[Interval] = set()
        for day in samples:
            found.update(occurrences(schedule, day, 9))
        spans[name] = sorted(found)
    return spans
