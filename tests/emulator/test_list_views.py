"""List actions page through a view built once per query, not through the whole store per page,
and never answer from a view that a write made stale."""

from __future__ import annotations

from typing import Any

from tests.emulator.conftest import NOW
from tests.emulator.helpers import ice_template, submit_job


class CountingDict(dict):
    """A store collection that counts how often its records are walked."""

    walks = 0

    def values(self) -> Any:  # type: ignore[override]
        CountingDict.walks += 1
        return super().values()


def _count_walks(emu, vendor: str, collection: str) -> None:
    CountingDict.walks = 0
    with emu.store.transaction() as txn:
        txn.data[vendor][collection] = CountingDict(txn.data[vendor][collection])


def _create_tasks(caller, n: int, *, stream: str = "s") -> set[str]:
    ids = set()
    for i in range(n):
        start = NOW + (i % 100) * 600
        out = caller.tc("CreateScreenshotTask", DomainName="d", AppName="live", StreamName=f"{stream}{i // 3}",
                        StartTime=start, EndTime=start + 3600, TemplateId=0)
        ids.add(out["TaskId"])
    return ids


def _all_tasks(caller, between_pages=None) -> tuple[list[str], int]:
    seen, token, pages = [], None, 0
    while True:
        params = {"StartTime": NOW - 60, "EndTime": NOW + 6 * 86400, **({"ScrollToken": token} if token else {})}
        out = caller.tc("DescribeScreenshotTask", **params)
        pages += 1
        seen += [t["TaskId"] for t in out["TaskList"]]
        token = out["ScrollToken"]
        if not token:
            return seen, pages
        if between_pages:
            between_pages(pages)


def test_paging_tasks_walks_the_store_once(caller, emu):
    created = _create_tasks(caller, 500)
    _count_walks(emu, "tencent", "tasks")
    seen, pages = _all_tasks(caller)
    assert pages == 5 and set(seen) == created and len(seen) == 500
    assert CountingDict.walks == 1


def test_paging_jobs_walks_the_store_once(caller, emu):
    emu.set_stream_offline("rtmp://push.example.com/live/a")
    tpl = ice_template(caller)
    ids = {submit_job(caller, tpl, name=f"ls/ns/s{i}").json()["JobId"] for i in range(250)}
    _count_walks(emu, "ice", "jobs")
    for sort_by in ("asc", "desc"):
        seen = []
        for page_no in range(1, 4):
            out = caller.ice("ListLiveSnapshotJobs", method="GET", PageNo=page_no, PageSize=100, SortBy=sort_by,
                             SearchKeyWord="ls/ns").json()
            assert out["TotalCount"] == 250
            seen += [j["JobId"] for j in out["JobList"]]
        assert set(seen) == ids and len(seen) == 250
    assert CountingDict.walks == 2  # one ordering per direction, shared by every page


def test_a_write_between_pages_is_seen_by_the_next_page(caller, emu):
    first = _create_tasks(caller, 150)
    late: set[str] = set()

    def write(page: int) -> None:
        # Later than every task listed so far: the remaining pages must include it.
        out = caller.tc("CreateScreenshotTask", DomainName="d", AppName="live", StreamName="late",
                        StartTime=NOW + 5 * 86400, EndTime=NOW + 5 * 86400 + 60, TemplateId=0)
        late.add(out["TaskId"])

    seen, _ = _all_tasks(caller, between_pages=write)
    assert set(seen) == first | late and len(late) == 1


def test_a_hook_change_behind_the_listing_is_seen(caller, emu):
    emu.set_stream_offline("rtmp://push.example.com/live/a")
    tpl = ice_template(caller)
    job = submit_job(caller, tpl, name="ls/ns/one").json()["JobId"]

    def statuses(status: str) -> int:
        return caller.ice("ListLiveSnapshotJobs", method="GET", Status=status).json()["TotalCount"]

    assert statuses("init") == 1
    emu.alibaba_set_job_status(job, "paused")
    assert (statuses("init"), statuses("paused")) == (0, 1)
    with emu.store.transaction() as txn:  # a write that forgets `wrote` still drops the views
        del txn.data["ice"]["jobs"][job]
    assert statuses("paused") == 0


def test_views_follow_a_store_reloaded_from_disk(tmp_path, clock):
    from livesnap_reconcile.emulator import Emulator, Faults
    from tests.emulator.helpers import Caller

    one = Emulator(clock=clock, data_dir=tmp_path, faults=Faults(default_limits=False))
    other = Emulator(clock=clock, data_dir=tmp_path, faults=Faults(default_limits=False))
    a, b = Caller(one), Caller(other)
    _create_tasks(a, 3)
    assert len(_all_tasks(a)[0]) == 3
    _create_tasks(b, 2, stream="b")  # another process's write: the first reloads and rebuilds
    assert len(_all_tasks(a)[0]) == 5
