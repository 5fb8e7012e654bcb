"""Tencent snapshots -> a snapshot rule when always on, else one screenshot task per occurrence.

A snapshot with neither ``window`` nor ``schedule`` is always on: one rule binding its template
to the stream (``scope: app``: to every stream of the app). Otherwise the occurrence rules of
DESIGN.md §3 apply: windows and schedule occurrences are cut into
consecutive parts of at most 24 h; a part that has ended is dropped; a part the vendor cannot
accept yet (StartTime > now + 6 d or EndTime >= now + 7 d) is deferred with the first whole
second it becomes creatable; an in-progress part starts at ``now`` while its address keeps the
scheduled start. Pure: ``now`` is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from livesnap_reconcile.core.expansion import (
    DEFERRED_LISTED,
    SCHEDULE_LOOKAHEAD,
    StreamExpansion,
    at,
    protected,
    template_reference,
)
from livesnap_reconcile.core.schedule import Schedule
from livesnap_reconcile.core.timeutil import DAY, nth_part, parse_instant, split_bounded
from livesnap_reconcile.resources import DeferredSummary, Resource
from livesnap_reconcile.vendors.tencent.names import task_prefix, task_stamp
from livesnap_reconcile.vendors.tencent.rule import KIND as RULE
from livesnap_reconcile.vendors.tencent.rule import rule_address

# CreateScreenshotTask: StartTime <= now + 6 d, EndTime < now + 7 d, EndTime - StartTime <= 24 h.
# Each limit is kept a minute short of: a server comparing strictly (or a clock ahead of ours) must
# not refuse every task on the boundary.
LIMIT_MARGIN = 60
TASK_START_HORIZON = 6 * DAY - LIMIT_MARGIN
TASK_END_HORIZON = 7 * DAY - LIMIT_MARGIN
# Parts are exactly the documented maximum (EndTime - StartTime <= 24 h, inclusive): whole days
# keep the parts of overlapping or repeating occurrences on one grid, so they are built once.
TASK_MAX_SPAN = DAY
# Parts built per occurrence: every part that can lie inside the horizon, then the listed deferred ones.
PARTS_BUILT = TASK_END_HORIZON // TASK_MAX_SPAN + 2 + DEFERRED_LISTED

DEFAULT_INTERVAL = 10
DEFAULT_PREFIX = "/{Year}-{Month}-{Day}"
DEFAULT_FILE_NAME = "{StreamID}-screenshot-{Hour}-{Minute}-{Second}-{Width}x{Height}{Ext}"


def expand_tencent_stream(stream_name: str, stream: Mapping[str, Any], *, now: int) -> StreamExpansion:
    out = StreamExpansion()
    snapshots = stream.get("snapshots") or {}
    for snap_name in sorted(snapshots):
        snap = snapshots[snap_name]
        path = f"streams.{stream_name}.snapshots.{snap_name}"
        with at(path):
            template, depends_on = template_reference(snap["template"])
            base = {
                "domain": str(stream["domain"]),
                "app": str(stream["app"]),
                "stream": str(stream["stream"]),
            }
        if snap.get("window") is None and snap.get("schedule") is None:
            with at(path):
                out.resources.append(_rule(stream_name, snap_name, stream, snap, base, template, depends_on))
            continue
        timing = _timing(snap, now=now, path=path)
        if timing.unlisted is not None:
            out.unlisted = timing.unlisted.merge(out.unlisted)
        if timing.next_change is not None:
            out.changes.append(timing.next_change)
        provider, protect = str(stream["provider"]), protected(stream, snap)  # alike for every part
        prefix = task_prefix(stream_name, snap_name)
        for stamp, start, end, scheduled_start in timing.tasks:
            attributes = {**base, "start": start, "end": end, "template": template, "scheduled_start": scheduled_start}
            out.resources.append(Resource(address=prefix + stamp, kind="task", provider=provider, attributes=attributes,
                                          depends_on=depends_on, protect=protect))
        out.deferred.extend((ready, prefix + stamp, provider, start, end) for ready, stamp, start, end in timing.deferred)
    return out


def _rule(stream_name: str, snap_name: str, stream: Mapping[str, Any], snap: Mapping[str, Any],
          base: Mapping[str, str], template: Mapping[str, str], depends_on: tuple[str, ...]) -> Resource:
    scope = snap.get("scope", "stream")
    if scope not in ("stream", "app"):
        raise ValueError(f"scope must be 'stream' or 'app', not {scope!r}")
    attributes = {**base, "stream": base["stream"] if scope == "stream" else "", "template": template}
    return Resource(address=rule_address(stream_name, snap_name), kind=RULE, provider=str(stream["provider"]),
                    attributes=attributes, depends_on=depends_on, protect=protected(stream, snap))


def _first_unlisted(schedule: Schedule, *, now: int) -> list[int]:
    """When the first occurrence beyond the listing lookahead becomes creatable.

    Such occurrences are not listed at all, but without this a schedule whose ``from`` lies
    weeks ahead would report no next change, and a scheduler would never come back for it.
    """
    horizon = now + SCHEDULE_LOOKAHEAD
    for start, end in schedule.iter_occurrences(schedule.local_date(horizon) - timedelta(days=1)):
        if start > horizon:
            return [not_before(start, min(end, start + TASK_MAX_SPAN))]
    return []


@dataclass(frozen=True)
class _Timing:
    """What a window or schedule makes at ``now``, whoever's it is: the stream only adds its names.

    ``tasks``: (address stamp, start, end, scheduled start) of the creatable parts; ``deferred``:
    (not before, address stamp, start, end) of those beyond the horizon; ``next_change``: the
    earliest instant after ``now`` at which the expansion changes.
    """

    tasks: tuple[tuple[str, int, int, int], ...]
    deferred: tuple[tuple[int, str, int, int], ...]
    unlisted: DeferredSummary | None
    next_change: int | None


# Fleets repeat a handful of windows and schedules across thousands of streams, and the parts
# depend on nothing else (and ``now``): remembered, bounded, they are computed once per timing,
# with everything derived from them that does not name the stream.
_TIMINGS: dict[str, _Timing] = {}
_TIMINGS_KEPT = 4096


def _timing(snap: Mapping[str, Any], *, now: int, path: str) -> _Timing:
    # repr of plain YAML data tells types apart (1, '1', True), so equal keys mean equal inputs.
    key = repr((snap.get("window"), snap.get("schedule"), now))
    found = _TIMINGS.get(key)
    if found is None:
        found = _TIMINGS[key] = _time_parts(snap, now=now, path=path)  # a bad timing raises: never kept
        if len(_TIMINGS) > _TIMINGS_KEPT:
            _TIMINGS.clear()
    return found


def _time_parts(snap: Mapping[str, Any], *, now: int, path: str) -> _Timing:
    parts, unlisted = _timing_parts(snap, now=now, path=path)
    tasks, deferred, changes = [], [], []
    for start, end in parts:
        if end <= now:
            continue
        stamp = task_stamp(start)
        if creatable(start, end, now=now):
            tasks.append((stamp, max(start, now), end, start))
            changes.append(end)
        else:
            ready = not_before(start, end)
            deferred.append((ready, stamp, start, end))
            changes.append(ready)
    if unlisted is not None:
        changes.append(unlisted.first)
    if snap.get("schedule") is not None:
        with at(f"{path}.schedule"):
            changes.extend(_first_unlisted(Schedule.from_mapping(snap["schedule"]), now=now))
    future = [t for t in changes if t > now]
    return _Timing(tuple(tasks), tuple(deferred), unlisted, min(future) if future else None)


def _timing_parts(snap: Mapping[str, Any], *, now: int,
                  path: str) -> tuple[list[tuple[int, int]], DeferredSummary | None]:
    """The ≤ 24 h parts of the window or listed schedule occurrences that matter now, by start.

    Parts that have ended are skipped and, of those beyond the horizon, only the first
    `DEFERRED_LISTED` per occurrence are built: the rest are summarised, never materialised.
    Parts that share a start (only possible when occurrences longer than 24 h overlap) are one
    task: the longer one is kept, so addresses stay unique.
    """
    occurrences: list[tuple[int, int]] = []
    if snap.get("window") is not None:
        with at(f"{path}.window"):
            window = snap["window"]
            start, end = parse_instant(window["start"]), parse_instant(window["end"])
            if end <= start:
                raise ValueError("end must be later than start")
            occurrences.append((start, end))
    if snap.get("schedule") is not None:
        with at(f"{path}.schedule"):
            schedule = Schedule.from_mapping(snap["schedule"])
        occurrences.extend(schedule.occurrences_between(now - schedule.duration, now + SCHEDULE_LOOKAHEAD))
    by_start: dict[int, int] = {}
    unlisted: DeferredSummary | None = None
    for start, end in occurrences:
        limit = TASK_MAX_SPAN
        parts, rest = split_bounded(start, end, limit=limit, after=now, keep=PARTS_BUILT)
        for part_start, part_end in parts:
            by_start[part_start] = max(part_end, by_start.get(part_start, part_end))
        if rest:
            total = -(-(end - start) // limit)
            first, last = nth_part(start, end, total - rest, limit=limit), nth_part(start, end, total - 1, limit=limit)
            unlisted = DeferredSummary(count=rest, first=not_before(*first), last=not_before(*last)).merge(unlisted)
    return sorted(by_start.items()), unlisted


def creatable(start: int, end: int, *, now: int) -> bool:
    """Tencent's horizon (StartTime <= now + 6 d, EndTime < now + 7 d), a minute short of each."""
    return start <= now + TASK_START_HORIZON and end < now + TASK_END_HORIZON


def not_before(start: int, end: int) -> int:
    """The earliest whole second t with start <= t + 6 d and end < t + 7 d."""
    return max(start - TASK_START_HORIZON, end - TASK_END_HORIZON + 1)


def template_attributes(spec: Mapping[str, Any], *, remote_name: str, region: str) -> dict[str, Any]:
    cos = spec["cos"]
    return {
        "name": remote_name,
        "interval": int(spec.get("interval", DEFAULT_INTERVAL)),
        "width": int(spec.get("width", 0)),
        "height": int(spec.get("height", 0)),
        "porn_flag": int(spec.get("porn_flag", 0)),
        "cos_app_id": int(cos["app_id"]),
        "cos_bucket": str(cos["bucket"]),
        # The bucket usually lives beside the live service; the vendor requires a region.
        "cos_region": str(cos.get("region") or region),
        # The vendor fills these defaults in when they are omitted, so say them explicitly.
        "cos_prefix": _or_default(cos.get("prefix"), DEFAULT_PREFIX),
        "cos_file_name": _or_default(cos.get("file_name"), DEFAULT_FILE_NAME),
        "description": str(spec.get("description", "")),
    }


def _or_default(value: Any, default: str) -> str:
    return default if value is None else str(value)
