"""ICE snapshot files as the sandbox models them: one file per interval while a job is started.

A job remembers the spans during which it was started (``_runs``, kept by `track` at every status
change); `list_files` answers ``ListLiveSnapshotFiles`` from those spans, the job's interval and the
business clock, so nothing is stored per file. A template with a sequence format names one object
per snapshot (``IsOverlay`` false); an overwrite-only template rewrites one object (``IsOverlay``
true). Paging is by time: ``NextStartTime`` is the creation time of the first file left out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Any

from livesnap_reconcile.emulator.store import Txn
from livesnap_reconcile.emulator.wire import ApiError, ice_time, parse_ice_time

MAX_SPAN = 86400  # "The maximum time range that can be specified is one day" (SDK request model)


def track(job: dict[str, Any], now: float) -> None:
    """Open a run when a job is started, close it when it is not (call after every status change)."""
    runs = job.setdefault("_runs", [])
    running = bool(runs) and runs[-1][1] is None
    if job["Status"] == "started" and not running:
        runs.append([float(now), None])
    elif job["Status"] != "started" and running:
        runs[-1][1] = float(now)


def _runs(job: dict[str, Any]) -> list[tuple[float, float | None]]:
    # A job stored before runs were tracked: started since it was created, as far as we know.
    if "_runs" not in job:
        return [(float(job["_created"]), None)] if job["Status"] == "started" else []
    return [(float(a), None if b is None else float(b)) for a, b in job["_runs"]]


def _instants(job: dict[str, Any], lo: float, hi: float, now: float) -> Iterator[tuple[int, float]]:
    """(sequence number, time) of every snapshot taken in [lo, hi], oldest first."""
    interval = int(job["TimeInterval"])
    for start, stop in _runs(job):
        last = min(now, hi) if stop is None else min(stop - 1e-9, hi)
        k = max(0, math.ceil((lo - start) / interval))
        while start + k * interval <= last:
            yield k + 1, start + k * interval
            k += 1


def _object(job: dict[str, Any], sequence: int, at: float) -> tuple[str, bool]:
    fmt = job.get("SequenceFormat")
    overlay = not fmt
    fmt = fmt or job.get("OverwriteFormat") or "snapshot/{JobId}.jpg"
    name = (fmt.replace("{JobId}", job["JobId"]).replace("{UnixTimestamp}", str(int(at * 1000)))
            .replace("{Sequence}", str(sequence)).replace("{Date}", time.strftime("%Y-%m-%d", time.gmtime(at))))
    return name, overlay


def _file(job: dict[str, Any], sequence: int, at: float) -> dict[str, Any]:
    name, overlay = _object(job, sequence, at)
    return {"OssEndpoint": job["SnapshotOutput"]["Endpoint"], "OssBucket": job["SnapshotOutput"]["Bucket"],
            "OssObject": name, "CreateTime": ice_time(at), "CreateTimestamp": int(at * 1000), "IsOverlay": overlay}


def _required_time(p: dict[str, str], name: str) -> float:
    raw = p.get(name)
    if not raw:
        raise ApiError("MissingParameter", name)
    try:
        return parse_ice_time(raw)
    except ValueError:
        raise ApiError(f"Malformed{name}", f"Specified parameter {name} is not valid.") from None


def _limit(p: dict[str, str]) -> int:
    raw = p.get("Limit") or "10"
    try:
        limit = int(raw)
    except ValueError:
        raise ApiError("InvalidParameter", "Limit must be an integer.") from None
    if not 1 <= limit <= 100:
        raise ApiError("InvalidParameter", "Limit must be between 1 and 100.")
    return limit


def list_files(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    job_id = p.get("JobId")
    if not job_id:
        raise ApiError("MissingParameter", "JobId")
    job = txn.data["ice"]["jobs"].get(job_id)
    if job is None:
        raise ApiError("JobNotFound", "No such job.", status=404)
    lo, hi = _required_time(p, "StartTime"), _required_time(p, "EndTime")
    if hi < lo:
        raise ApiError("EndTimeMismatch", "Specified end time does not match the start time.")
    if hi - lo > MAX_SPAN:
        raise ApiError("InvalidParameter", "The span between StartTime and EndTime must not exceed one day.")
    limit = _limit(p)
    sort_by = p.get("SortBy") or "asc"
    if sort_by not in ("asc", "desc"):
        raise ApiError("InvalidParameter", "SortBy must be one of asc, desc.")
    if sort_by == "desc":
        # How desc pages continue is not documented: the newest files only, no NextStartTime.
        newest = sorted(_instants(job, lo, hi, now), key=lambda s: s[1], reverse=True)[:limit]
        return {"FileList": [_file(job, n, at) for n, at in newest]}
    page: list[tuple[int, float]] = []
    for item in _instants(job, lo, hi, now):
        if len(page) == limit:
            return {"FileList": [_file(job, n, at) for n, at in page], "NextStartTime": ice_time(item[1])}
        page.append(item)
    return {"FileList": [_file(job, n, at) for n, at in page]}
