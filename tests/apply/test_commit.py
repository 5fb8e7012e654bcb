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


class GatedBackend:
    """Writes at once, except the first write, which waits until the test lets it finish."""

    def __init__(self) -> None:
        self.first_entered = threading.Event()
        self.finish_first = threading.Event()
        self.writes = 0

    def write(self, state: State) -> State:
        self.writes += 1
        if self.writes == 1:
            self.first_entered.set()
            assert self.finish_first.wait(10)
        return replace(state, serial=state.serial + 1)


class GatedLock:
    """The committer's write lock, with a gate before the idle path's try-acquire of one thread
    and a signal when another thread starts waiting: the interleaving is the test's to choose."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.gated: str | None = None
        self.at_gate = threading.Event()
        self.open_gate = threading.Event()
        self.waiting: dict[str, threading.Event] = {}

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        name = threading.current_thread().name
        if not blocking and name == self.gated:
            self.at_gate.set()
            assert self.open_gate.wait(10)
        if blocking and name in self.waiting:
            self.waiting[name].set()
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> GatedLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def test_a_change_carried_by_another_writer_before_it_tried_the_idle_path_is_written_not_failed():
    # A writes alone and holds the lock; C queues and waits for it; B queues, then stops just
    # before its try-acquire. A finishes, C writes the whole queue (B's entry too) and leaves;
    # only then does B find the committer idle: its change is durable and must be reported so.
    backend = GatedBackend()
    committer = GroupCommitter(backend, State.new())
    lock = GatedLock()
    committer.lock = lock  # type: ignore[assignment]
    lock.gated = "B"
    lock.waiting["C"] = threading.Event()
    errors: dict[str, BaseException] = {}

    def work(i: int) -> None:
        try:
            committer.commit(entry(i).address, entry(i))
        except BaseException as exc:  # noqa: BLE001 - the test reports what each thread saw
            errors[threading.current_thread().name] = exc

    a = threading.Thread(target=work, args=(1,), name="A")
    b = threading.Thread(target=work, args=(2,), name="B")
    c = threading.Thread(target=work, args=(3,), name="C")
    a.start()
    assert backend.first_entered.wait(10)
    c.start()
    assert lock.waiting["C"].wait(10)
    b.start()
    assert lock.at_gate.wait(10)
    backend.finish_first.set()
    a.join(10)
    c.join(10)
    assert not c.is_alive() and not a.is_alive()
    assert entry(2).address in committer.state.resources  # C carried B's change
    lock.open_gate.set()
    b.join(10)
    assert not b.is_alive()
    assert errors == {}
    assert set(committer.state.resources) == {entry(i).address for i in (1, 2, 3)}
    assert backend.writes == 2
