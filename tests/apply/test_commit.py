"""Group commit: every change is written before `commit` returns; concurrent changes share writes."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from livesnap_reconcile.apply.commit import GroupCommitter
from livesnap_reconcile.errors import StateError
from livesnap_reconcile.state import State, StateEntry


def entry(i: int) -> StateEntry:
    return StateEntry(address=f"task.s{i}.x[t]", kind="task", provider="css", remote_id=str(i),
                      attributes={"domain": "d", "app": "live", "stream": f"s{i}", "start": 0, "end": 3600,
                                  "template": {"id": "1"}}, created_at=0)


class SlowBackend:
    """Records every written state; each write takes a while, as a real fsync'ed write does."""

    def __init__(self, *, delay: float = 0.01, fail: bool = False) -> None:
        self.written: list[State] = []
        self.delay = delay
        self.fail = fail
        self.lock = threading.Lock()

    def write(self, state: State) -> State:
        time.sleep(self.delay)
        if self.fail:
            raise StateError("disk full")
        out = replace(state, serial=state.serial + 1)
        with self.lock:
            self.written.append(out)
        return out


def test_a_lone_change_is_written_alone():
    backend = SlowBackend(delay=0)
    committer = GroupCommitter(backend, State.new())
    for i in range(3):
        committer.commit(entry(i).address, entry(i))
    assert [len(s.resources) for s in backend.written] == [1, 2, 3]
    committer.commit(entry(0).address, None)
    assert entry(0).address not in committer.state.resources
    assert committer.state.serial == 4


def test_concurrent_changes_are_each_durable_before_return_and_share_writes():
    backend = SlowBackend(delay=0.01)
    committer = GroupCommitter(backend, State.new())
    seen_unwritten = []

    def work(i: int) -> None:
        e = entry(i)
        committer.commit(e.address, e)
        with backend.lock:
            if not any(e.address in s.resources for s in backend.written):
                seen_unwritten.append(e.address)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not seen_unwritten
    assert len(committer.state.resources) == 40
    assert backend.written[-1].resources == committer.state.resources
    assert len(backend.written) < 40  # 40 changes arriving during 10 ms writes must share some


def test_a_failed_write_fails_every_change_it_carried():
    backend = SlowBackend(delay=0.02, fail=True)
    committer = GroupCommitter(backend, State.new())
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            committer.commit(entry(i).address, entry(i))
        except StateError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 8
    assert committer.state.resources == {}
    with pytest.raises(StateError, match="disk full"):
        committer.commit(entry(99).address, entry(99))
