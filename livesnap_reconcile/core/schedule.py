"""Recurring schedules: ``{days, start, duration, timezone, from, until}`` -> occurrences in UTC.

Owns the calendar arithmetic of expansion, including DST: a local start that does not exist
(spring-forward gap) happens once, shifted forward by the gap; an ambiguous one (fall-back)
happens once, at its first occurrence. Durations are absolute elapsed seconds. Pure: no clock
reads, no I/O; occurrences are ``(start, end)`` pairs of Unix seconds, ascending by start.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from livesnap_reconcile.core.timeutil import parse_clock, parse_date, parse_duration

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Far enough to reach any weekday after `from`, small enough that a bad schedule cannot spin.
_MAX_SCAN_DAYS = 400


@dataclass(frozen=True)
class Schedule:
    days: frozenset[int]  # 0 = Monday, as date.weekday()
    start: time
    duration: int
    zone: ZoneInfo
    first: date | None = None
    last: date | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Schedule:
        """Build from the manifest map; raises ``ValueError`` naming the bad field."""
        return cls(
            days=_parse_days(data.get("days")),
            start=parse_clock(data["start"]),
            duration=parse_duration(data["duration"]),
            zone=_parse_zone(data.get("timezone") or "UTC"),
            first=parse_date(data["from"]) if data.get("from") is not None else None,
            last=parse_date(data["until"]) if data.get("until") is not None else None,
        )

    def local_start(self, day: date) -> int:
        """The instant the occurrence scheduled on local ``day`` starts.

        ``fold=0`` is exactly the rule we want for both DST cases (PEP 495): in a gap it uses
        the offset from before the transition, which lands the same distance past the gap; in
        an overlap it picks the earlier of the two instants.
        """
        return int(datetime.combine(day, self.start, tzinfo=self.zone).timestamp())

    def iter_occurrences(self, since: date) -> Iterator[tuple[int, int]]:
        """Occurrences scheduled on local days ``>= since`` (bounded by from/until), ascending."""
        day = max(since, self.first) if self.first else since
        stop = day + timedelta(days=_MAX_SCAN_DAYS)
        if self.last is not None:
            stop = min(stop, self.last + timedelta(days=1))
        while day < stop:
            if day.weekday() in self.days:
                begin = self.local_start(day)
                yield begin, begin + self.duration
            day += timedelta(days=1)

    def local_date(self, instant: int) -> date:
        return datetime.fromtimestamp(instant, self.zone).date()

    def occurrences_between(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Occurrences whose start lies in [lo, hi]."""
        found = []
        # A day of slack: a start shifted forward by a DST gap could cross into the next local day.
        for begin, end in self.iter_occurrences(self.local_date(lo) - timedelta(days=1)):
            if begin > hi:
                break
            if begin >= lo:
                found.append((begin, end))
        return found


def _parse_days(value: Any) -> frozenset[int]:
    if value is None:
        return frozenset(range(7))
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValueError(f"days must be a list of {', '.join(DAY_NAMES)}")
    days = set()
    for item in value:
        name = str(item).strip().lower()
        if name not in DAY_NAMES:
            raise ValueError(f"unknown day {item!r}: expected one of {', '.join(DAY_NAMES)}")
        days.add(DAY_NAMES.index(name))
    if not days:
        raise ValueError("days must name at least one day")
    return frozenset(days)


def _parse_zone(name: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        raise ValueError(f"unknown timezone {name!r}: expected an IANA name such as Asia/Shanghai") from None
