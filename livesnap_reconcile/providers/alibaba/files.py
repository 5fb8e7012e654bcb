"""ICE snapshot files of one job: ``ListLiveSnapshotFiles`` over any time range.

The API takes at most one day per call (a minute short of it here, like every other listed limit)
and pages by time: ``NextStartTime`` is fed back as the next ``StartTime``. A range longer than a
day is walked day by day; a file on the boundary of two calls is kept once (its ``CreateTimestamp``
is the vendor's key for it). This is the basis of a health check of whether jobs produce snapshots.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from livesnap_reconcile.errors import Unavailable
from livesnap_reconcile.providers.alibaba.client import IceClient
from livesnap_reconcile.providers.alibaba.model import ice_time

FILES_SPAN = 86400 - 60
FILES_PAGE = 100


@dataclass(frozen=True)
class SnapshotFile:
    """One snapshot the vendor lists: where it is, and when it was taken (Unix seconds and ms)."""

    endpoint: str
    bucket: str
    object: str
    created: int
    timestamp_ms: int  # CreateTimestamp: the key DeleteLiveSnapshotFiles takes
    overlay: bool


def _epoch(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def _file(item: Mapping[str, Any]) -> SnapshotFile:
    stamp = int(item.get("CreateTimestamp") or 0)
    created = _epoch(str(item["CreateTime"])) if item.get("CreateTime") else stamp // 1000
    return SnapshotFile(endpoint=str(item.get("OssEndpoint") or ""), bucket=str(item.get("OssBucket") or ""),
                        object=str(item.get("OssObject") or ""), created=created, timestamp_ms=stamp,
                        overlay=bool(item.get("IsOverlay")))


def snapshot_files(client: IceClient, job_id: str, *, start: int, end: int) -> list[SnapshotFile]:
    """Every file of ``job_id`` created in [start, end], oldest first."""
    seen: dict[int, SnapshotFile] = {}
    lo = start
    while lo < end:
        hi = min(end, lo + FILES_SPAN)
        for item in _pages(client, job_id, lo, hi):
            file = _file(item)
            seen.setdefault(file.timestamp_ms, file)
        lo = hi
    return sorted(seen.values(), key=lambda f: f.timestamp_ms)


def _pages(client: IceClient, job_id: str, lo: int, hi: int) -> Iterator[Mapping[str, Any]]:
    cursor = lo
    while True:
        data = client.rpc("ListLiveSnapshotFiles", {"JobId": job_id, "StartTime": ice_time(cursor),
                                                    "EndTime": ice_time(hi), "Limit": FILES_PAGE, "SortBy": "asc"})
        yield from data.get("FileList") or []
        following = str(data.get("NextStartTime") or "")
        if not following:
            return
        try:
            after = _epoch(following)
        except ValueError:
            raise Unavailable(f"ListLiveSnapshotFiles: NextStartTime {following!r} is not a UTC time",
                              provider=client.provider) from None
        if after <= cursor:
            # A cursor that does not move would page forever.
            raise Unavailable("ListLiveSnapshotFiles: NextStartTime does not advance", provider=client.provider)
        if after > hi:
            return
        cursor = after
