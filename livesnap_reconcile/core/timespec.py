"""Time rules of the validator: windows and schedules.

Owns checking ``window`` and ``schedule`` values (offsets present, end after start, IANA zones,
real calendar dates, positive durations), past-window warnings when a ``now`` is given, and the
approximate occurrences a vendor's overlap rule is checked on. Problems come back as
``(path, message, severity)`` triples; the caller locates them. Pure: no clock reads, no I/O.
Expansion has its own exact calendar arithmetic; here a close approximation is enough.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from livesnap_reconcile.core.duration import duration_seconds

ManifestPath = tuple[str | int, ...]  # where in the manifest (as in manifest.diagnostics)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
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


def occurrences_on(schedule: Mapping[str, Any], days: Iterable[date]) -> list[Interval]:
    """Occurrences whose local start date is one of ``days``, in their order; [] if not well formed."""
    length = parse_duration(schedule.get("duration"))
    clock = _CLOCK.match(schedule.get("start", "")) if isinstance(schedule.get("start"), str) else None
    tz = zone(schedule.get("timezone", "UTC"))
    if not length or not clock or tz is None:
        return []
    listed = schedule.get("days") if isinstance(schedule.get("days"), list) else DAY_NAMES
    weekdays = {DAY_NAMES.index(d) for d in listed or DAY_NAMES if isinstance(d, str) and d in DAY_NAMES}
    first, last = calendar_date(schedule.get("from")), calendar_date(schedule.get("until"))
    at = time(int(clock.group(1)), int(clock.group(2)))
    found = []
    for day in days:
        if day.weekday() in weekdays and (first is None or day >= first) and (last is None or day <= last):
            begin = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
            found.append((begin, begin + length))
    return found


def calendar_date(text: object) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
