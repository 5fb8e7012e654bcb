"""Small pure time helpers for expansion: instants, durations, dates, clock times, task stamps.

Owns the parsing of the manifest's time values once the validator has accepted them, and the
UTC stamp used in task addresses. Must not read the clock or do I/O; every instant is an ``int``
of Unix seconds, UTC. Bad values raise ``ValueError`` with a plain sentence, so callers can attach
the manifest path.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from functools import lru_cache

from livesnap_reconcile.core.duration import duration_seconds

MINUTE = 60
HOUR = 3600
DAY = 86400

_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def parse_duration(text: str | int) -> int:
    """``"90m"``, ``"2h"``, ``"1h30m"`` (and ``"45s"``) -> seconds; must be positive.

    A bare int is taken as seconds, so already-normalised data passes through.
    """
    if isinstance(text, bool):
        raise ValueError(f"invalid duration {text!r}: expected e.g. 90m, 2h or 1h30m")
    if isinstance(text, int):
        seconds = text
    else:
        parsed = duration_seconds(str(text).strip(), units="hms")
        if parsed is None:
            raise ValueError(f"invalid duration {text!r}: expected e.g. 90m, 2h or 1h30m")
        seconds = parsed
    if seconds <= 0:
        raise ValueError(f"invalid duration {text!r}: it must be longer than zero")
    return seconds


def parse_instant(value: str | datetime | int) -> int:
    """An ISO 8601 time with an offset (``2026-11-25T09:00:00+08:00`` or ``...Z``) -> Unix seconds.

    Naive times are refused: their meaning would depend on the machine running livesnap.
    Fractions of a second are dropped (floor), as the vendors work in whole seconds.
    """
    if isinstance(value, bool):
        raise ValueError(f"invalid time {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"invalid time {value!r}: expected ISO 8601 with an offset") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"time {value!r} has no UTC offset (e.g. +08:00 or Z)")
    return int(moment.timestamp() // 1)


def parse_date(value: str | date) -> date:
    """``2026-11-01`` (or a ``date``) -> ``date``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD") from None


def parse_clock(value: str) -> time:
    """Local ``HH:MM`` (24 h) -> ``time``."""
    match = _CLOCK.fullmatch(str(value).strip())
    if not match:
        raise ValueError(f"invalid start time {value!r}: expected HH:MM (24 h)")
    return time(int(match.group(1)), int(match.group(2)))


@lru_cache(maxsize=65536)  # one per task address, and fleets share their start times
def format_task_stamp(ts: int) -> str:
    """The UTC stamp inside a task address: ``2026-11-25T11:00Z``, with seconds only when non-zero."""
    moment = datetime.fromtimestamp(ts, UTC)
    if moment.second:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def split_bounded(start: int, end: int, *, limit: int, after: int, keep: int) -> tuple[list[tuple[int, int]], int]:
    """The first ``keep`` parts of [start, end) cut every ``limit`` s that end after ``after``, and how many more.

    Arithmetic, not iteration: a window to the year 9999 costs ``keep`` parts, not millions.
    The parts not returned are consecutive; `nth_part` spells any of them.
    """
    if end <= start:
        raise ValueError(f"empty interval [{start}, {end})")
    total = -(-(end - start) // limit)
    first = min(total, max(0, (after - start) // limit))
    parts = [nth_part(start, end, k, limit=limit) for k in range(first, min(total, first + keep))]
    return parts, total - first - len(parts)


def nth_part(start: int, end: int, k: int, *, limit: int) -> tuple[int, int]:
    """Part ``k`` (from 0) of [start, end) cut every ``limit`` seconds."""
    return start + k * limit, min(end, start + (k + 1) * limit)


def split_interval(start: int, end: int, *, limit: int = DAY) -> list[tuple[int, int]]:
    """Cut [start, end) into consecutive parts of at most ``limit`` seconds covering it exactly."""
    if end <= start:
        raise ValueError(f"empty interval [{start}, {end})")
    parts = []
    cursor = start
    while cursor < end:
        stop = min(cursor + limit, end)
        parts.append((cursor, stop))
        cursor = stop
    return parts
