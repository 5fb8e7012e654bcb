"""ICE job listings: `ListLiveSnapshotJobs` in windows of under 30 days, and the two searches on it.

Owns the windows (each a minute short of the documented 30-day span, newest first, de-duplicated
by JobId), the deep search for desired jobs that the recent listing did not show (ICE never
deletes a job, so it walks back to the first day one could exist, `ICE_EPOCH`), and the lookup
after a submit whose answer was lost (a narrow window around that moment, exact names checked
here, and the whole window read when the vendor's fuzzy keyword search finds nothing). It reads
only list items; the provider fetches what it keeps with `GetLiveSnapshotJob`.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from livesnap_reconcile.providers.alibaba import model
from livesnap_reconcile.providers.alibaba.client import IceClient

DAY = 86400
# ListLiveSnapshotJobs accepts at most 30 days per call; a minute short of it, so a server that
# compares strictly does not refuse every refresh.
LIST_SPAN = 30 * DAY - 60
PAGE_SIZE = 100
# No job is older than the API that creates it: ICE's live snapshot actions are API version
# 2020-11-09, so 2020-11-09T00:00:00Z bounds every job an account can hold (docs/vendor-behaviour.md).
ICE_EPOCH = 1_604_880_000
# Deep-search windows in flight at once: the walk is a few round trips, not one per month, and
# the pacer still holds the total to the vendor's rate.
PARALLEL_WINDOWS = 8
# A lost submit was sent at most one retry budget (minutes) before the lookup; an hour either side
# also absorbs a skewed vendor clock, and keeps the unfiltered read of that window small.
LOST_SUBMIT_SLACK = 3600

Item = Mapping[str, Any]


def list_jobs(client: IceClient, keyword: str | None, *, start: int, end: int) -> Iterator[Item]:
    """Every list item whose CreateTime lies in [start, end], newest window first."""
    seen: set[str] = set()
    for lo, hi in windows(start, end):
        for item in _pages(client, keyword, lo=lo, hi=hi):
            if str(item.get("JobId")) not in seen:
                seen.add(str(item.get("JobId")))
                yield item


def windows(start: int, end: int) -> list[tuple[int, int]]:
    """[start, end] cut into spans of at most `LIST_SPAN`, newest first."""
    out, hi = [], end
    while hi > start:
        lo = max(start, hi - LIST_SPAN)
        out.append((lo, hi))
        hi = lo
    return out


def _pages(client: IceClient, keyword: str | None, *, lo: int, hi: int) -> Iterator[Item]:
    page = 1
    while True:
        params: dict[str, Any] = {"PageNo": page, "PageSize": PAGE_SIZE, "SortBy": "desc",
                                  "StartTime": model.ice_time(lo), "EndTime": model.ice_time(hi)}
        if keyword:
            params["SearchKeyWord"] = keyword
        data = client.rpc("ListLiveSnapshotJobs", params)
        items = data.get("JobList") or []
        yield from items
        if not items or page * PAGE_SIZE >= int(data.get("TotalCount") or 0):
            return
        page += 1


def search_names(client: IceClient, names: Collection[str], *, before: int) -> Iterator[Item]:
    """Jobs named exactly one of ``names`` created before ``before``, back to `ICE_EPOCH`.

    One walk serves every name: the keyword is the names' common prefix (our namespace's at
    least). Windows are read `PARALLEL_WINDOWS` at a time, newest first, and the walk ends after
    the batch in which the last name was seen: a job lost from state costs about as many windows
    as its age in months, one that never existed the whole walk (~12 calls a year), in a few
    round trips.
    """
    wanted = set(names)
    keyword = os.path.commonprefix(sorted(wanted))
    spans = windows(ICE_EPOCH, before)
    with ThreadPoolExecutor(max_workers=PARALLEL_WINDOWS) as pool:
        for first in range(0, len(spans), PARALLEL_WINDOWS):
            batch = spans[first:first + PARALLEL_WINDOWS]
            for items in pool.map(lambda span: list(_pages(client, keyword, lo=span[0], hi=span[1])), batch):
                for item in items:
                    name = str(item.get("JobName", ""))
                    if name in wanted:
                        wanted.discard(name)
                        yield item
            if not wanted:
                return


def submitted(client: IceClient, name: str, *, at: int) -> list[Item]:
    """Jobs named exactly ``name`` created within `LOST_SUBMIT_SLACK` of ``at``.

    SearchKeyWord matches JobName "fuzzily" (undocumented how): its hits are checked for the exact
    name here, and when none has it, the window is read without a keyword.
    """
    lo, hi = at - LOST_SUBMIT_SLACK, at + LOST_SUBMIT_SLACK
    matches = [i for i in list_jobs(client, name, start=lo, end=hi) if i.get("JobName") == name]
    if not matches:
        matches = [i for i in list_jobs(client, None, start=lo, end=hi) if i.get("JobName") == name]
    return matches
