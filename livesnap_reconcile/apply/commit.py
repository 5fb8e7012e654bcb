"""Group commit of state entries: every change is durable before it is reported, and changes that
finish while a write is in progress share the next write.

Writing the state costs time proportional to its size (the whole file, a backup, fsyncs), and
writes are serialised; one write per change caps an apply at 1 / (write time) changes per second,
well below a 200 req/s vendor limit at a few hundred entries. Here a worker that finds the
committer idle writes its own entry alone (so a quiet apply still writes once per change); a
worker that had to wait writes everything queued meanwhile, and the others it carried return
without writing. A failed write fails every change of its batch with the same error.
"""

from __future__ import annotations

import threading
from typing import Any

from livesnap_reconcile.state import State, StateBackend


class _Pending:
    __slots__ = ("address", "entry", "done", "error")

    def __init__(self, address: str, entry: Any) -> None:
        self.address = address
        self.entry = entry  # a StateEntry, or None to remove the address
        self.done = False
        self.error: BaseException | None = None


class GroupCommitter:
    """Holds the applier's current state; `commit` returns once the change is written."""

    def __init__(self, backend: StateBackend, state: State) -> None:
        self._backend = backend
        self.state = state  # immutable, replaced whole after each write: read it without a lock
        self.lock = threading.Lock()  # held while writing
        self._queue: list[_Pending] = []
        self._queue_lock = threading.Lock()

    def commit(self, address: str, entry: Any) -> None:
        item = _Pending(address, entry)
        with self._queue_lock:
            self._queue.append(item)
        alone = self.lock.acquire(blocking=False)
        if not alone:
            self.lock.acquire()
        try:
            # Under the lock an item is either still queued or already written: another writer
            # may have carried it between the append above and the acquire, idle path included.
            if not item.done:
                self._write(self._take(only=item if alone else None))
        finally:
            self.lock.release()
        if item.error is not None:
            raise item.error

    def _take(self, only: _Pending | None = None) -> list[_Pending]:
        with self._queue_lock:
            if only is not None:
                self._queue.remove(only)
                return [only]
            batch, self._queue = self._queue, []
            return batch

    def _write(self, batch: list[_Pending]) -> None:
        state = self.state
        for item in batch:
            state = state.with_entry(item.entry) if item.entry is not None else state.without(item.address)
        try:
            self.state = self._backend.write(state)
        except BaseException as exc:  # every change of the batch reports it, the writer's own too
            for item in batch:
                item.error = exc
        finally:
            for item in batch:
                item.done = True
