"""The fewest vendor requests a refresh of the benchmark fleet can make with the vendors' list APIs.

Owns the arithmetic only (it reads the emulator's store to see what exists remotely):

- Tencent: one unpaged DescribeLiveSnapshotTemplates; DescribeScreenshotTask lists a task only if
  its whole span lies in the ≤ 7-day query window, 100 per page, so the minimum is a greedy cover
  of the tasks by 7-day windows (each task counted once) and ceil(n / 100) pages per window.
- Alibaba: ListLiveSnapshotTemplates pages of 100 plus one GetLiveSnapshotTemplate per template
  (the list omits the formats); ListLiveSnapshotJobs pages of 100 per ≤ 30-day CreateTime slice,
  greedily covered. The list omits StreamInput and CallbackUrl, so a refresh that wants a job's
  full attributes also needs one GetLiveSnapshotJob per job: both minima are reported.
"""

from __future__ import annotations

import math
from typing import Any

DAY = 86400
PAGE = 100


def cover_pages(spans: list[tuple[float, float]], *, window: float) -> tuple[int, int]:
    """(windows, pages) of a greedy cover: each window starts at the first uncovered start and
    takes every remaining item lying whole inside it; optimal for fixed-length windows."""
    pending = sorted(spans)
    windows = pages = 0
    while pending:
        lo = pending[0][0]
        inside = [s for s in pending if s[0] >= lo and s[1] <= lo + window]
        rest = [s for s in pending if not (s[0] >= lo and s[1] <= lo + window)]
        windows += 1
        pages += math.ceil(len(inside) / PAGE)
        pending = rest
    return windows, pages


def minimum_requests(desired: Any, state: Any, emu: Any, *, now: int) -> dict[str, Any]:
    with emu.store.transaction() as txn:
        tasks = [(t["StartTime"], t["EndTime"]) for t in txn.data["tencent"]["tasks"].values()]
        jobs = [(j["_created"], j["_created"]) for j in txn.data["ice"]["jobs"].values()]
        ice_templates = sum(1 for t in txn.data["ice"]["templates"].values() if t["Type"] == "custom")
    task_windows, task_pages = cover_pages(tasks, window=7 * DAY)
    _, job_pages = cover_pages(jobs, window=30 * DAY)
    tencent = {"DescribeLiveSnapshotTemplates": 1, "DescribeScreenshotTask": task_pages}
    alibaba = {"ListLiveSnapshotTemplates": max(1, math.ceil(ice_templates / PAGE)),
               "GetLiveSnapshotTemplate": ice_templates, "ListLiveSnapshotJobs": job_pages}
    list_only = sum(tencent.values()) + sum(alibaba.values())
    return {"tencent": tencent, "alibaba": {**alibaba, "GetLiveSnapshotJob": len(jobs)},
            "task_windows": task_windows, "total_list_only": list_only,
            "total_with_job_gets": list_only + len(jobs)}
