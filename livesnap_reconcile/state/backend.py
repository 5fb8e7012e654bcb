"""The state backend interface: read / write / lock / unlock, whatever stores the state.

Owns the `StateBackend` protocol, the `LockInfo` record a lock holder publishes, and `locked`,
a context manager for "hold the lock around this block". The local file backend is `local.py`,
the shared one (PostgreSQL with advisory locks) `postgres.py`. Nothing here does I/O.

Contract every backend keeps:
- ``read()`` returns None when no state exists yet; a state it cannot trust raises `StateCorrupt`
  and from then on ``write`` refuses too, so a bad file is never overwritten.
- ``write(state)`` stores ``state`` with ``serial + 1`` and returns it as written. It refuses
  (`StateCorrupt`) a state of another lineage and (`StateStale`) one whose serial is not the
  serial currently stored: somebody else wrote in between. Callers hold the lock around
  read-modify-write; the serial check is the backstop.
- ``lock()`` waits up to ``timeout`` seconds, then raises `StateLocked` naming the holder.
- ``restore(state)`` stores a state exactly as given (lineage and serial kept: `state migrate`);
  it refuses another lineage and a stored serial above ``state.serial``.
- ``history()`` lists the versions kept, newest first; ``read_serial(n)`` returns one or None.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from livesnap_reconcile.state.history import Version
from livesnap_reconcile.state.model import State

_LOCK_FIELDS = ("id", "who", "pid", "operation", "created")


@dataclass(frozen=True)
class LockInfo:
    """Who holds the state lock. ``created`` is ISO 8601 UTC (``2026-11-25T03:00:00Z``)."""

    id: str
    who: str
    pid: int
    operation: str
    created: str

    @classmethod
    def make(cls, *, who: str, pid: int, operation: str, created: str) -> LockInfo:
        return cls(id=str(uuid.uuid4()), who=who, pid=pid, operation=operation, created=created)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "who": self.who, "pid": self.pid, "operation": self.operation,
                "created": self.created}

    @classmethod
    def from_dict(cls, d: Any) -> LockInfo:
        """Build from the JSON a holder wrote; ValueError when it is not lock info."""
        if not isinstance(d, Mapping) or any(k not in d for k in _LOCK_FIELDS):
            raise ValueError("not a lock info object")
        if not isinstance(d["pid"], int) or isinstance(d["pid"], bool):
            raise ValueError("lock info pid must be an integer")
        if not all(isinstance(d[k], str) for k in ("id", "who", "operation", "created")):
            raise ValueError("lock info id, who, operation and created must be strings")
        return cls(id=d["id"], who=d["who"], pid=d["pid"], operation=d["operation"], created=d["created"])

    def describe(self) -> str:
        return f"{self.who} (pid {self.pid}, {self.operation}, since {self.created})"


@runtime_checkable
class StateBackend(Protocol):
    """Where the state lives and how writers exclude each other."""

    def read(self) -> State | None: ...

    def write(self, state: State) -> State: ...

    def restore(self, state: State) -> State: ...

    def history(self) -> list[Version]: ...

    def read_serial(self, serial: int) -> State | None: ...

    def lock(self, *, operation: str, timeout: float) -> LockInfo: ...

    def unlock(self, lock: LockInfo) -> None: ...

    def force_unlock(self, lock_id: str) -> None: ...

    def current_lock(self) -> LockInfo | None: ...

    def describe(self) -> str: ...


@contextmanager
def locked(backend: StateBackend, *, operation: str, timeout: float) -> Iterator[LockInfo]:
    """Hold ``backend``'s lock for the block; released even when the block raises."""
    info = backend.lock(operation=operation, timeout=timeout)
    try:
        yield info
    finally:
        backend.unlock(info)
