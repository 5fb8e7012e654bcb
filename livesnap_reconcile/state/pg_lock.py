"""The PostgreSQL backend's lock: a session-level advisory lock plus a readable record of its holder.

Owns acquiring (polling ``pg_try_advisory_lock`` with backoff up to a timeout), releasing,
inspecting and force-releasing. The advisory lock is the lock: PostgreSQL drops it when the
holder's connection ends, so a SIGKILLed apply frees it at once, with no force-unlock. The row in
``livesnap_locks`` (lock id, who, host, pid, operation, since, and the holder's backend pid) is
only for messages, and it counts only while ``pg_locks`` shows that backend holding the lock:
a record left by a dead holder never blocks anybody.

The lock's keys are (``LOCK_CLASS``, 31 bits of a hash of the state name): two names in one
database could in principle share a key, which only makes them wait for each other (the
waiter is then told "locked by another session", since the record it finds is for another name).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import Any

from livesnap_reconcile.errors import StateError, StateLocked
from livesnap_reconcile.state.backend import LockInfo
from livesnap_reconcile.state.pg_schema import LOCK_CLASS

_FIRST_DELAY = 0.05
_MAX_DELAY = 1.0

_HOLDER_SQL = """
SELECT l.lock_id, l.who, l.pid, l.operation, l.since, k.pid
FROM pg_locks k LEFT JOIN livesnap_locks l ON l.name = %s AND l.backend_pid = k.pid
WHERE k.locktype = 'advisory' AND k.granted AND k.objsubid = 2
  AND k.classid::bigint = %s AND k.objid::bigint = %s
  AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def lock_key(name: str) -> int:
    """The advisory lock's second key for state ``name``: 31 bits of a hash, stable everywhere."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "big") & 0x7FFFFFFF


class PgLock:
    """One backend's handle on the lock of one state. Not re-entrant."""

    def __init__(self, name: str, *, host: str, clock: Callable[[], float], sleep: Callable[[float], None]):
        self.name = name
        self.key = lock_key(name)
        self._host = host
        self._clock = clock
        self._sleep = sleep
        self.held: LockInfo | None = None

    def acquire(self, conn: Any, info: LockInfo, *, timeout: float) -> None:
        if self.held is not None:
            raise StateError(f"this process already holds the state lock {self.held.id}")
        deadline = self._clock() + max(timeout, 0.0)
        delay = _FIRST_DELAY
        while not self._try_once(conn):
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise self._locked_error(conn, timeout)
            self._sleep(min(delay, remaining))
            delay = min(delay * 2, _MAX_DELAY)
        try:
            self._publish(conn, info)
        except BaseException:
            with contextlib.suppress(Exception), conn.cursor() as cur:  # never keep a lock nobody knows it holds
                cur.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, self.key))
            raise
        self.held = info

    def _publish(self, conn: Any, info: LockInfo) -> None:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute(
                """INSERT INTO livesnap_locks (name, lock_id, who, host, pid, operation, since, backend_pid)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, pg_backend_pid())
                   ON CONFLICT (name) DO UPDATE SET lock_id = EXCLUDED.lock_id, who = EXCLUDED.who,
                     host = EXCLUDED.host, pid = EXCLUDED.pid, operation = EXCLUDED.operation,
                     since = EXCLUDED.since, backend_pid = EXCLUDED.backend_pid""",
                (self.name, info.id, info.who, self._host, info.pid, info.operation, info.created),
            )

    def release(self, conn: Any, info: LockInfo) -> None:
        if self.held is None or self.held.id != info.id:
            raise StateError(f"cannot unlock: this process does not hold lock {info.id}")
        self.held = None
        with conn.cursor() as cur:
            cur.execute("DELETE FROM livesnap_locks WHERE name = %s AND lock_id = %s", (self.name, info.id))
            cur.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, self.key))

    def holder(self, conn: Any) -> tuple[bool, LockInfo | None]:
        """(locked, record): whether any session holds the lock, and its record when one is readable."""
        if self.held is not None:
            return True, self.held
        with conn.cursor() as cur:
            cur.execute(_HOLDER_SQL, (self.name, LOCK_CLASS, self.key))
            row = cur.fetchone()
        if row is None:
            return False, None
        if row[0] is None:  # holder between taking the lock and writing its record
            return True, None
        return True, LockInfo(id=row[0], who=row[1], pid=row[2], operation=row[3], created=row[4])

    def force_release(self, conn: Any, lock_id: str) -> None:
        """End the session holding lock ``lock_id``: PostgreSQL then frees the lock."""
        with conn.cursor() as cur:
            cur.execute(_HOLDER_SQL, (self.name, LOCK_CLASS, self.key))
            row = cur.fetchone()
            if row is None:
                raise StateError("state is not locked; nothing to unlock")
            if row[0] != lock_id:
                current = f"the current lock {row[0]} held by {row[1]} (pid {row[2]})" if row[0] else "the current lock"
                raise StateError(f"lock id {lock_id} does not match {current}; refusing to unlock")
            cur.execute("SELECT pg_terminate_backend(%s)", (row[5],))
            done = cur.fetchone()
            if done is None or not done[0]:
                raise StateError(f"cannot end the PostgreSQL session holding lock {lock_id} "
                                 "(the role needs to be the holder's or have pg_signal_backend)")
            cur.execute("DELETE FROM livesnap_locks WHERE name = %s AND lock_id = %s", (self.name, lock_id))

    def _try_once(self, conn: Any) -> bool:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, self.key))
            row = cur.fetchone()
        return bool(row and row[0])

    def _locked_error(self, conn: Any, timeout: float) -> StateLocked:
        _, info = self.holder(conn)
        waited = f"waited {timeout:g}s"
        if info is None:
            return StateLocked(f"state {self.name} is locked by another session ({waited})")
        return StateLocked(
            f"state is locked by {info.describe()}; lock id {info.id}; {waited}; the lock is freed when "
            f"that process's database session ends, or run `livesnap force-unlock {info.id}`",
            lock_info=info.to_dict(),
        )
