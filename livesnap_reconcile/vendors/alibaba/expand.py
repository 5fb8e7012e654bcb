"""Alibaba ICE snapshots -> one persistent job `Resource` each, with a desired status at ``now``.

Owns the status rule: ``status: paused`` wins; otherwise a window/schedule makes the job
``started`` exactly while ``now`` is inside an occurrence ``[start, end)`` (level-triggered), and
reports the next instant at which that flips. Pure: ``now`` is a parameter.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import Any

from livesnap_reconcile.core.expansion import StreamExpansion, at, protected, template_reference
from livesnap_reconcile.core.schedule import Schedule
from livesnap_reconcile.core.timeutil import parse_instant
from livesnap_reconcile.resources import Resource
from livesnap_reconcile.vendors.alibaba.names import job_address, job_name


def expand_alibaba_stream(
    stream_name: str, stream: Mapping[str, Any], *, namespace: str, now: int
) -> StreamExpansion:
    out = StreamExpansion()
    snapshots = stream.get("snapshots") or {}
    for snap_name in sorted(snapshots):
        snap = snapshots[snap_name]
        path = f"streams.{stream_name}.snapshots.{snap_name}"
        status, change = _desired_status(snap, now=now, path=path)
        with at(path):
            out.resources.append(_job(stream_name, stream, snap_name, snap, namespace=namespace, status=status))
            if change is not None:
                out.changes.append(change)
    return out


def _job(
    stream_name: str,
    stream: Mapping[str, Any],
    snap_name: str,
    snap: Mapping[str, Any],
    *,
    namespace: str,
    status: str,
) -> Resource:
    template, depends_on = template_reference(snap["template"])
    output = {"bucket": str(stream["output"]["bucket"]), "endpoint": str(stream["output"]["endpoint"])}
    callback_url = snap.get("callback_url") or None
    rtmp_url = str(stream["rtmp_url"])
    name = job_name(
        namespace,
        stream_name,
        snap_name,
        rtmp_url=rtmp_url,
        output=output,
        template=snap["template"],
        callback_url=callback_url,
    )
    return Resource(
        address=job_address(stream_name, snap_name),
        kind="job",
        provider=str(stream["provider"]),
        attributes={
            "name": name,
            "rtmp_url": rtmp_url,
            "output": output,
            "template": template,
            "callback_url": callback_url,
            "status": status,
        },
        depends_on=depends_on,
        protect=protected(stream, snap),
    )


def _desired_status(snap: Mapping[str, Any], *, now: int, path: str) -> tuple[str, int | None]:
    """(status at now, next instant > now at which it flips, or None)."""
    status = snap.get("status", "started")
    if status not in ("started", "paused"):
        with at(path):
            raise ValueError(f"status must be started or paused, not {status!r}")
    if status == "paused":
        return "paused", None
    window, schedule = snap.get("window"), snap.get("schedule")
    if window is None and schedule is None:
        return "started", None
    # repr of plain YAML data tells types apart (1, '1', True), so equal keys mean equal inputs.
    key = repr((window, schedule, now))
    found = _STATUS.get(key)
    if found is None:
        found = _timed_status(window, schedule, now=now, path=path)  # a bad timing raises: never kept
        if len(_STATUS) >= _STATUS_KEPT:
            _STATUS.clear()
        _STATUS[key] = found
    return found


# Fleets repeat a handful of windows and schedules across thousands of jobs, and the status
# depends on nothing else (and ``now``): remembered, bounded, it is worked out once per timing.
_STATUS: dict[str, tuple[str, int | None]] = {}
_STATUS_KEPT = 4096


def _timed_status(window: Any, schedule: Any, *, now: int, path: str) -> tuple[str, int | None]:
    streams: list[Iterable[tuple[int, int]]] = []
    if window is not None:
        with at(f"{path}.window"):
            streams.append([(parse_instant(window["start"]), parse_instant(window["end"]))])
    if schedule is not None:
        with at(f"{path}.schedule"):
            streams.append(_schedule_from(Schedule.from_mapping(schedule), now=now))
    active, change = status_at(heapq.merge(*streams), now=now)
    return ("started" if active else "paused"), change


def _schedule_from(schedule: Schedule, *, now: int) -> Iterator[tuple[int, int]]:
    # Anything starting before now - duration has ended; a day of slack for the UTC offset.
    return schedule.iter_occurrences(schedule.local_date(now - schedule.duration) - timedelta(days=1))


def status_at(intervals: Iterable[tuple[int, int]], *, now: int) -> tuple[bool, int | None]:
    """Is ``now`` inside the union of ``[start, end)`` intervals (sorted by start), and when does that flip?

    Overlapping or touching intervals merge, so a flip is reported only where the union changes.
    """
    active_end: int | None = None
    for start, end in intervals:
        if end <= now:
            continue
        if start <= now:
            active_end = end if active_end is None else max(active_end, end)
        elif active_end is not None and start <= active_end:
            active_end = max(active_end, end)
        elif active_end is not None:
            return True, active_end
        else:
            return False, start
    return active_end is not None, active_end


def template_attributes(spec: Mapping[str, Any], *, remote_name: str, region: str) -> dict[str, Any]:
    return {
        "name": remote_name,
        "interval": int(spec["interval"]),
        "overwrite_format": spec.get("overwrite_format"),
        "sequence_format": spec.get("sequence_format"),
    }
